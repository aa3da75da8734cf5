// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireAPI
import QuireCore
import Testing

/// Who may call without a key, and which browser requests are refused (docs/security.md).
struct AccessPolicyTests {
    var policy: AccessPolicy {
        var policy = AccessPolicy()
        policy.anonymousNetworks = [IPNetwork("10.0.0.0/8")!]
        policy.trustedProxies = [IPNetwork("192.0.2.10")!]
        policy.serverHostNames.insert("quire.internal")
        return policy
    }

    @Test func forwardedForCountsOnlyFromTrustedProxies() {
        #expect(policy.clientAddress(peer: "192.0.2.10", forwardedFor: "10.1.1.1") == "10.1.1.1")
        // A client's own forged entry comes first; the proxy appends the real peer.
        #expect(policy.clientAddress(peer: "192.0.2.10", forwardedFor: "10.9.9.9, 203.0.113.5") == "203.0.113.5")
        #expect(policy.clientAddress(peer: "203.0.113.5", forwardedFor: "10.1.1.1") == "203.0.113.5")
        #expect(policy.isAnonymousAllowed(from: "10.1.1.1"))
        #expect(!policy.isAnonymousAllowed(from: "203.0.113.5"))
        #expect(!policy.isAnonymousAllowed(from: nil))
    }

    @Test(arguments: [
        ("127.0.0.1:8080", true), ("localhost:8080", true), ("[::1]:8080", true), ("10.0.0.5", true),
        ("quire.internal:8080", true), ("evil.example", false), ("evil.example:8080", false), ("localhost.evil.example", false),
    ])
    func hostMustNameThisServer(host: String, allowed: Bool) {
        #expect((policy.refusal(host: host) == nil) == allowed)
    }

    @Test func crossSiteBrowserRequestsAreRefused() {
        #expect(policy.crossSiteRefusal(origin: nil, fetchSite: nil, host: "127.0.0.1:8080") == nil)
        #expect(policy.crossSiteRefusal(origin: "http://127.0.0.1:8080", fetchSite: "same-origin", host: "127.0.0.1:8080") == nil)
        #expect(policy.crossSiteRefusal(origin: "http://evil.example", fetchSite: nil, host: "127.0.0.1:8080") != nil)
        #expect(policy.crossSiteRefusal(origin: "http://127.0.0.1:9999", fetchSite: nil, host: "127.0.0.1:8080") != nil)
        #expect(policy.crossSiteRefusal(origin: nil, fetchSite: "cross-site", host: "127.0.0.1:8080") != nil)
        #expect(policy.crossSiteRefusal(origin: "null", fetchSite: nil, host: "127.0.0.1:8080") != nil)
    }
}
