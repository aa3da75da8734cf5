// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Random identifiers in PDF.co's alphabet (upper-case letters and digits), unguessable (160+ bits).
package enum RandomID {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    /// `length` characters drawn from the system's CSPRNG.
    package static func make(length: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
