// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// An IPv4 or IPv6 network in CIDR form (`10.0.0.0/8`, `fd00::/8`, or one address), for
/// `--anonymous-from` and `--trusted-proxy`.
package struct IPNetwork: Sendable, Equatable, CustomStringConvertible {
    /// Network address bytes: 4 for IPv4, 16 for IPv6.
    package let bytes: [UInt8]
    package let prefixLength: Int

    /// nil when `text` is not an address with an optional `/prefix` within the address's length.
    package init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first, let bytes = Self.bytes(of: first) else { return nil }
        let bits = bytes.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...bits).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = bits
        }
        self.bytes = bytes
    }

    package var description: String { "\(bytes.count == 4 ? bytes.map(String.init).joined(separator: ".") : "ipv6")/\(prefixLength)" }

    /// Whether `address` (textual IPv4 or IPv6; IPv4-mapped IPv6 counts as IPv4) is inside.
    package func contains(_ address: String) -> Bool {
        guard let other = Self.bytes(of: address), other.count == bytes.count else { return false }
        var remaining = prefixLength
        for (mine, theirs) in zip(bytes, other) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            if mine & mask != theirs & mask { return false }
            remaining -= 8
        }
        return true
    }

    /// Address bytes of a textual IPv4 or IPv6 address (brackets and a `%zone` allowed).
    package static func bytes(of text: String) -> [UInt8]? {
        var text = text.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
        if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        // ::ffff:a.b.c.d is how a dual-stack socket shows an IPv4 peer.
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}
