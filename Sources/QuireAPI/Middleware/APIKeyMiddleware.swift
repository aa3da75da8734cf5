// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import HTTPTypes
import Hummingbird

/// Requires a valid `x-api-key` (header, or query parameter as old PDF.co docs allow) and
/// records its owner in the context. A request without one is served as the anonymous owner
/// only where `AccessPolicy` allows it (a keyless server on loopback, or `--anonymous-from`),
/// and never from another site's page. Capability URLs (signed file downloads and presigned
/// uploads) need no key: the signature is the proof. Neither do the probes (`/healthz`,
/// `/readyz`, `/metrics`) and the API's own description (`/openapi.json`, `/docs`).
package struct APIKeyMiddleware: RouterMiddleware {
    package typealias Context = QuireRequestContext
    let keys: APIKeyStore
    let access: AccessPolicy
    private let acceptedHosts = AcceptedHosts()

    package init(keys: APIKeyStore, access: AccessPolicy = AccessPolicy()) {
        self.keys = keys
        self.access = access
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.isPublic(request.uri.path) { return try await next(request, context) }
        let presented = request.headers[HTTPField.Name("x-api-key")!] ?? request.uri.queryParameters["x-api-key"].map(String.init)
        var context = context
        if let presented, !presented.isEmpty, !keys.isEmpty {
            guard let owner = keys.owner(forKey: presented) else { throw APIError(401, "Invalid API key.") }
            context.owner = owner
            return try await next(request, context)
        }
        let client = access.clientAddress(peer: context.peerAddress, forwardedFor: request.headers[HTTPField.Name("X-Forwarded-For")!])
        guard (keys.isEmpty && !access.hasAnonymousNetworks) || access.isAnonymousAllowed(from: client) else {
            throw APIError(
                401,
                "Missing API key: send it in the 'x-api-key' header (this server takes requests without a key only from the networks named by --anonymous-from)."
            )
        }
        let host = request.head.authority
        // A client polling sends the same Host every time: checked once.
        if !(host.map(acceptedHosts.contains) ?? false) {
            if let refusal = access.refusal(host: host) { throw APIError(403, refusal) }
            if let host { acceptedHosts.insert(host) }
        }
        if let refusal = access.crossSiteRefusal(
            origin: request.headers[.origin], fetchSite: request.headers[HTTPField.Name("Sec-Fetch-Site")!], host: host)
        {
            throw APIError(403, refusal)
        }
        context.owner = APIKeyStore.anonymousOwner
        return try await next(request, context)
    }

    static func isPublic(_ path: String) -> Bool {
        var trimmed = path.lowercased()
        if trimmed.hasPrefix("/v1/") { trimmed.removeFirst(3) }
        return ["/healthz", "/readyz", "/metrics", "/openapi.json", "/docs"].contains(trimmed) || trimmed.hasPrefix("/files/")
            || trimmed.hasPrefix("/upload/")
    }
}

/// `Host` headers `AccessPolicy` accepted: its check (trimming, IP parsing) was the largest part
/// of a keyless `/job/check`. A few entries at most, since any IP literal is accepted and a
/// client chooses what it sends.
private final class AcceptedHosts: @unchecked Sendable {
    private let lock = NSLock()
    private var hosts: Set<String> = []

    func contains(_ host: String) -> Bool { lock.withLock { hosts.contains(host) } }

    func insert(_ host: String) {
        lock.withLock {
            if hosts.count < 16 { hosts.insert(host) }
        }
    }
}
