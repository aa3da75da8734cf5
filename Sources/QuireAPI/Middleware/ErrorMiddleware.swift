// SPDX-License-Identifier: AGPL-3.0-or-later
import Hummingbird
import Logging

/// Turns every error into PDF.co error JSON. Internal details go to the log, never to the client.
package struct ErrorMiddleware: RouterMiddleware {
    package typealias Context = QuireRequestContext

    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            let code = Int(error.status.code)
            let message: String
            switch code {
            case 404: message = "Not found: \(request.method) \(request.uri.path) is not an endpoint of this server."
            case 405: message = "Method \(request.method) is not allowed on \(request.uri.path)."
            case 413: message = "The request body is larger than this server accepts."
            default: message = error.body ?? error.status.reasonPhrase
            }
            return try APIError(code, message).response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return try APIError(500, "Internal server error.").response(from: request, context: context)
        }
    }
}
