// SPDX-License-Identifier: AGPL-3.0-or-later
import Hummingbird

/// Adds each endpoint at `/` and under `/v1/`, as PDF.co and its on-prem server are both called.
struct RouteTable {
    let router: Router<QuireRequestContext>
    static let prefixes = ["", "/v1"]

    typealias Handler = @Sendable (Request, QuireRequestContext) async throws -> Response

    /// `path` without prefix, e.g. `/pdf/convert/to/text`; GET and POST unless told otherwise.
    func add(_ path: String, methods: [HTTPRequest.Method] = [.get, .post], _ handler: @escaping Handler) {
        for prefix in Self.prefixes {
            for method in methods {
                router.on(RouterPath(prefix + path), method: method, use: handler)
            }
        }
    }
}
