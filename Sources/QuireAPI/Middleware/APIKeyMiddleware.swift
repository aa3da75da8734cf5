// SPDX-License-Identifier: AGPL-3.0-or-later
import HTTPTypes
import Hummingbird

/// Requires a valid `x-api-key` (header, or query parameter as old PDF.co docs allow) when any
/// key is configured, and records its owner in the context. Capability URLs (signed file
/// downloads and presigned uploads) and `/healthz` need no key: the signature is the proof.
package struct APIKeyMiddleware: RouterMiddleware {
    package typealias Context = QuireRequestContext
    let keys: APIKeyStore

    package init(keys: APIKeyStore) {
        self.keys = keys
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if keys.isEmpty || Self.isPublic(request.uri.path) { return try await next(request, context) }
        let presented = request.headers[HTTPField.Name("x-api-key")!] ?? request.uri.queryParameters["x-api-key"].map(String.init)
        guard let presented, !presented.isEmpty else {
            throw APIError(401, "Missing API key: send it in the 'x-api-key' header.")
        }
        guard let owner = keys.owner(forKey: presented) else {
            throw APIError(401, "Invalid API key.")
        }
        var context = context
        context.owner = owner
        return try await next(request, context)
    }

    static func isPublic(_ path: String) -> Bool {
        var trimmed = path.lowercased()
        if trimmed.hasPrefix("/v1/") { trimmed.removeFirst(3) }
        return trimmed == "/healthz" || trimmed.hasPrefix("/files/") || trimmed.hasPrefix("/upload/")
    }
}
