// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireWorker
import Testing

/// SSRF address rules: what a remote input URL may connect to.
struct AddressPolicyTests {
    let strict = AddressPolicy(allowsPrivate: false)

    @Test(arguments: [
        "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00:ec2::254",
        "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "ff02::1", "2002:7f00:1::",
        "::127.0.0.1", "fe80::1%eth0",
    ])
    func refusesPrivateAddresses(address: String) {
        #expect(!strict.allows(address))
    }

    @Test(arguments: ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8", "1.1.1.1"])
    func allowsPublicAddresses(address: String) {
        #expect(strict.allows(address))
    }

    /// Only numeric literals count: names and odd IPv4 spellings are not addresses.
    @Test(arguments: ["localhost", "127.1", "0x7f.0.0.1", "", "1.2.3.4.5"])
    func refusesNonLiterals(address: String) {
        #expect(!strict.allows(address))
        #expect(!AddressPolicy(allowsPrivate: true).allows(address))
    }

    @Test func allowPrivateLetsLoopbackThrough() {
        #expect(AddressPolicy(allowsPrivate: true).allows("127.0.0.1"))
        #expect(AddressPolicy(allowsPrivate: true).allows("::1"))
    }
}
