// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Who may call without an API key, and from which browsers' pages nobody may.
///
/// A keyless request is served only when the server has no key at all (it then listens on
/// loopback) or the client's address is in `anonymousNetworks`. Such a request must name this
/// server in `Host` (an IP literal, `localhost`, or `--public-url`'s host: a DNS-rebinding page
/// names its own domain) and must not come from another site's page (`Origin` and
/// `Sec-Fetch-Site`): with no key to present, a browser would otherwise be a confused deputy.
package struct AccessPolicy: Sendable {
    package var anonymousNetworks: [IPNetwork] = []
    package var trustedProxies: [IPNetwork] = []
    /// Host names (lower-cased, no port) besides IP literals and `localhost` that name this server.
    package var serverHostNames: Set<String> = ["localhost"]

    package init() {}

    package var hasAnonymousNetworks: Bool { !anonymousNetworks.isEmpty }

    /// The client's address: the peer's, or the last address a trusted proxy put in
    /// `X-Forwarded-For` (addresses a client wrote itself come before it and are ignored).
    package func clientAddress(peer: String?, forwardedFor: String?) -> String? {
        guard let peer else { return nil }
        guard let forwardedFor, trustedProxies.contains(where: { $0.contains(peer) }) else { return peer }
        let hops = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return hops.last { hop in !trustedProxies.contains { $0.contains(hop) } } ?? peer
    }

    package func isAnonymousAllowed(from address: String?) -> Bool {
        guard let address else { return false }
        return anonymousNetworks.contains { $0.contains(address) }
    }

    /// nil when `host` (a Host header) names this server, else the reason it does not.
    package func refusal(host: String?) -> String? {
        guard let host, let name = Self.hostName(host) else { return "The request has no Host header." }
        if name == "localhost" || IPNetwork.bytes(of: name) != nil || serverHostNames.contains(name) { return nil }
        return
            "Host \"\(name.prefix(100))\" does not name this server; a keyless server answers only to its own address (set --public-url for a DNS name)."
    }

    /// nil unless the request comes from a page of another site: `Sec-Fetch-Site: cross-site`
    /// or same-site, or an `Origin` whose host and port differ from `Host`.
    package func crossSiteRefusal(origin: String?, fetchSite: String?, host: String?) -> String? {
        let message = "Requests from other sites' pages are refused by a keyless server."
        if let fetchSite, ["cross-site", "same-site"].contains(fetchSite.lowercased()) { return message }
        guard let origin else { return nil }
        guard let originURL = URL(string: origin), let originHost = originURL.host, let host else { return message }
        let originPort = originURL.port ?? (originURL.scheme == "https" ? 443 : 80)
        let hostPort = Self.port(host) ?? 80
        return Self.hostName(originHost) == Self.hostName(host) && originPort == hostPort ? nil : message
    }

    /// `Host` without its port, lower-cased, brackets of an IPv6 literal removed.
    static func hostName(_ host: String) -> String? {
        let trimmed = host.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.hasPrefix("["), let end = trimmed.firstIndex(of: "]") {
            return String(trimmed[trimmed.index(after: trimmed.startIndex)..<end])
        }
        if trimmed.filter({ $0 == ":" }).count > 1 { return trimmed }  // a bare IPv6 address
        let name = trimmed.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return name.isEmpty ? nil : name
    }

    static func port(_ host: String) -> Int? {
        guard let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") else { return nil }
        return Int(host[host.index(after: colon)...])
    }
}
