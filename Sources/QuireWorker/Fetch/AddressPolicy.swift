// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Decides which IP addresses a remote input URL may reach (SSRF protection).
///
/// Loopback, private, link-local (cloud metadata at 169.254.169.254 included), carrier-grade NAT,
/// multicast, reserved and unspecified addresses are refused unless private addresses are
/// allowed. IPv4-mapped and NAT64 IPv6 forms are judged by the IPv4 address they carry.
package struct AddressPolicy: Sendable {
    package var allowsPrivate: Bool

    package init(allowsPrivate: Bool) {
        self.allowsPrivate = allowsPrivate
    }

    /// Whether `address` (a numeric IPv4 or IPv6 literal) may be connected to.
    package func allows(_ address: String) -> Bool {
        if allowsPrivate { return parse(address) != nil }
        if let v4 = IPv4(address) { return Self.isPublic(v4) }
        if let v6 = IPv6(address) { return Self.isPublic(v6) }
        return false
    }

    private func parse(_ address: String) -> Any? { IPv4(address) ?? IPv6(address).map { $0 as Any } }

    static func isPublic(_ a: IPv4) -> Bool {
        let b = a.bytes
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): return false
        case (100, 64...127): return false  // carrier-grade NAT
        case (169, 254): return false  // link-local, cloud metadata
        case (172, 16...31): return false
        case (192, 168): return false
        case (192, 0) where b[2] == 0 || b[2] == 2: return false  // IETF protocol assignments, TEST-NET-1
        case (198, 18...19): return false  // benchmarking
        case (198, 51) where b[2] == 100: return false  // TEST-NET-2
        case (203, 0) where b[2] == 113: return false  // TEST-NET-3
        case (224...255, _): return false  // multicast, reserved, broadcast
        default: return true
        }
    }

    static func isPublic(_ a: IPv6) -> Bool {
        let b = a.bytes
        if b.allSatisfy({ $0 == 0 }) { return false }  // ::
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return false }  // ::1
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff {  // ::ffff:a.b.c.d
            return isPublic(IPv4(bytes: Array(b[12..<16])))
        }
        if b[0..<12].allSatisfy({ $0 == 0 }) { return false }  // deprecated IPv4-compatible ::a.b.c.d
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b {  // 64:ff9b::/96 NAT64
            return isPublic(IPv4(bytes: Array(b[12..<16])))
        }
        if b[0] & 0xfe == 0xfc { return false }  // fc00::/7 unique local (incl. fd00:ec2::254 metadata)
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return false }  // fe80::/10 link-local
        if b[0] == 0xfe && b[1] & 0xc0 == 0xc0 { return false }  // fec0::/10 site-local (deprecated)
        if b[0] == 0xff { return false }  // multicast
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return false }  // documentation
        if b[0] == 0x20 && b[1] == 0x02 {  // 6to4 carries an IPv4 address
            return isPublic(IPv4(bytes: Array(b[2..<6])))
        }
        return true
    }
}

/// An IPv4 address parsed with inet_pton (so `127.1` or octal forms are not accepted as literals).
struct IPv4 {
    let bytes: [UInt8]
    init(bytes: [UInt8]) { self.bytes = bytes }
    init?(_ text: String) {
        var addr = in_addr()
        guard inet_pton(AF_INET, text, &addr) == 1 else { return nil }
        bytes = withUnsafeBytes(of: &addr) { Array($0) }
    }
}

/// An IPv6 address parsed with inet_pton; a zone suffix (`%eth0`) is dropped first.
struct IPv6 {
    let bytes: [UInt8]
    init?(_ text: String) {
        let bare = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
        var addr = in6_addr()
        guard inet_pton(AF_INET6, bare, &addr) == 1 else { return nil }
        bytes = withUnsafeBytes(of: &addr) { Array($0) }
    }
}
