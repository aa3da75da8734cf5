// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// The URL-signing secret: read from `<data>/secret.key`, created (32 random bytes, mode 0600) on first start.
/// Servers that share storage must share this file (or set `QUIRE_URL_SECRET`).
package enum SecretFile {
    package static func loadOrCreate(at file: URL) throws -> Data {
        if let data = try? Data(contentsOf: file), data.count >= 32 { return data }
        var generator = SystemRandomNumberGenerator()
        let secret = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        FileManager.default.createFile(atPath: file.path, contents: secret, attributes: [.posixPermissions: 0o600])
        return secret
    }
}
