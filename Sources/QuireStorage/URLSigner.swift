// SPDX-License-Identifier: AGPL-3.0-or-later
import Crypto
import Foundation

/// What a signed URL lets its holder do.
package enum URLPurpose: String, Sendable {
    /// GET the file (`/files/…`).
    case download = "d"
    /// PUT the file's bytes once (`/upload/…`).
    case upload = "u"
}

/// Why a signed token was refused.
package enum SignedURLError: Error, Equatable {
    case malformed
    case badSignature
    case expired
}

/// Makes and checks capability tokens for file URLs: `<fileID>.<expiresUnix>.<hmac>`.
///
/// The token lives in the URL path and uses only `[A-Z0-9a-f.]`: clients paste Quire's URLs
/// unencoded into query strings and comma lists, so they may hold no `&`, `?`, `+`, `,` or `%`.
package struct URLSigner: Sendable {
    // Kept as bytes: SymmetricKey is not Sendable in swift-crypto 3.
    private let secret: Data

    /// `secret` should be at least 32 random bytes (see `SecretFile`).
    package init(secret: Data) {
        self.secret = secret
    }

    package func token(fileID: String, purpose: URLPurpose, expires: Date) -> String {
        let expiry = Int(expires.timeIntervalSince1970.rounded(.up))
        return "\(fileID).\(expiry).\(signature(fileID: fileID, purpose: purpose, expiry: expiry))"
    }

    /// The file ID the token grants `purpose` on.
    /// - Throws: `SignedURLError` when the token is malformed, tampered with or past its expiry.
    package func verify(_ token: String, purpose: URLPurpose, now: Date = Date()) throws -> String {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let expiry = Int(parts[1]), !parts[0].isEmpty,
            parts[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { throw SignedURLError.malformed }
        let fileID = String(parts[0])
        let expected = signature(fileID: fileID, purpose: purpose, expiry: expiry)
        // Constant-time comparison: the signature is a secret until it matches.
        guard constantTimeEqual(Array(expected.utf8), Array(parts[2].utf8)) else { throw SignedURLError.badSignature }
        guard Double(expiry) > now.timeIntervalSince1970 else { throw SignedURLError.expired }
        return fileID
    }

    private func signature(fileID: String, purpose: URLPurpose, expiry: Int) -> String {
        let message = Data("\(purpose.rawValue)|\(fileID)|\(expiry)".utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret))
        // 128 bits of the MAC are plenty for a URL that also expires.
        return mac.prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}

/// Compares two byte strings in time that depends only on their lengths.
package func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var diff: UInt8 = 0
    for i in 0..<a.count { diff |= a[i] ^ b[i] }
    return diff == 0
}
