// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore
import Testing

/// CIDR matching for `--anonymous-from` and `--trusted-proxy`.
struct IPNetworkTests {
    @Test(arguments: [
        ("10.0.0.0/8", "10.255.1.2", true), ("10.0.0.0/8", "11.0.0.1", false),
        ("192.168.1.0/24", "192.168.1.77", true), ("192.168.1.0/24", "192.168.2.1", false),
        ("192.0.2.2", "192.0.2.2", true), ("192.0.2.2", "192.0.2.3", false),
        ("10.0.0.0/8", "::ffff:10.1.2.3", true), ("fd00::/8", "fd00::2", true), ("fd00::/8", "fe80::1", false),
        ("0.0.0.0/0", "203.0.113.9", true), ("10.0.0.0/8", "not-an-address", false), ("10.0.0.0/8", "fd00::1", false),
        ("172.16.0.0/12", "172.31.255.255", true), ("172.16.0.0/12", "172.32.0.0", false),
    ])
    func matches(network: String, address: String, expected: Bool) throws {
        #expect(try #require(IPNetwork(network)).contains(address) == expected)
    }

    @Test(arguments: ["10.0.0.0/33", "10.0.0.0/-1", "example.com/8", "", "10.0.0/8", "fd00::/129", "1.2.3.4/x"])
    func refusesMalformed(text: String) {
        #expect(IPNetwork(text) == nil)
    }
}
