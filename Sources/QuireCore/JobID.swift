// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Random identifiers in PDF.co's alphabet (upper-case letters and digits), unguessable (160+ bits).
package enum RandomID {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    /// `length` characters drawn from the system's CSPRNG, eight random bytes at a time (a
    /// draw per character was a getrandom system call per character: 64 per job).
    package static func make(length: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        var characters: [Character] = []
        characters.reserveCapacity(length)
        while characters.count < length {
            var word: UInt64 = generator.next()
            for _ in 0..<8 where characters.count < length {
                let byte = Int(word & 0xFF)
                word >>= 8
                // 252 = 7 × 36: bytes above it are dropped, so every character is equally likely.
                if byte < 252 { characters.append(alphabet[byte % alphabet.count]) }
            }
        }
        return String(characters)
    }
}
