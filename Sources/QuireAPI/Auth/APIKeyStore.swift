// SPDX-License-Identifier: AGPL-3.0-or-later
import Crypto
import Foundation
import QuireStorage

/// API keys, stored as SHA-256 hashes: in `<data>/keys.json` (managed by `quire keys`) and
/// from `--api-key` / `QUIRE_API_KEYS`. A key's ID owns the jobs and files it makes.
package struct APIKeyStore: Sendable {
    /// Owner of everything on a server without keys.
    package static let anonymousOwner = "anonymous"

    /// One stored key: never the key itself, only its hash.
    package struct Entry: Sendable, Codable, Equatable {
        package var id: String
        package var name: String
        package var sha256: String
        package var createdAt: Date
    }

    package private(set) var entries: [Entry]

    package init(entries: [Entry]) {
        self.entries = entries
    }

    /// Keys from the keys file plus plain keys given on the command line.
    package init(file: URL, plainKeys: [String]) throws {
        var entries = try Self.load(file)
        for key in plainKeys where !key.isEmpty {
            let hash = Self.hash(key)
            // A configured key's ID is derived from its hash, so it stays the same across restarts.
            entries.append(Entry(id: "cfg-" + hash.prefix(12), name: "configured", sha256: hash, createdAt: Date(timeIntervalSince1970: 0)))
        }
        self.entries = entries
    }

    package var isEmpty: Bool { entries.isEmpty }

    /// The owner ID for `presented`, nil when it matches no key. Every entry is compared, in
    /// constant time, so timing reveals neither which key matched nor how much of it.
    package func owner(forKey presented: String) -> String? {
        let candidate = Array(Self.hash(presented).utf8)
        var match: String?
        for entry in entries where constantTimeEqual(Array(entry.sha256.utf8), candidate) {
            match = match ?? entry.id
        }
        return match
    }

    // MARK: - Keys file

    package static func load(_ file: URL) throws -> [Entry] {
        guard let data = try? Data(contentsOf: file) else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode([Entry].self, from: data)
    }

    package static func save(_ entries: [Entry], to file: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(entries).write(to: file, options: .atomic)
        chmod(file.path, 0o600)
    }

    /// Adds a new random key to the file and returns it: the only time the key is visible.
    package static func create(name: String, in file: URL) throws -> (key: String, entry: Entry) {
        var bytes = [UInt8](repeating: 0, count: 24)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &generator) }
        let key = "qk_" + bytes.map { String(format: "%02x", $0) }.joined()
        let entry = Entry(id: "key-" + String(hash(key).prefix(12)), name: name, sha256: hash(key), createdAt: Date())
        var entries = try load(file)
        entries.append(entry)
        try save(entries, to: file)
        return (key, entry)
    }

    /// Removes the key with `id`; false when there is none.
    package static func revoke(id: String, in file: URL) throws -> Bool {
        var entries = try load(file)
        let before = entries.count
        entries.removeAll { $0.id == id }
        try save(entries, to: file)
        return entries.count < before
    }

    package static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
