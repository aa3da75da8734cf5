// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Hummingbird
import QuireCore

/// An error answered the PDF.co way: `{"error": true, "status": N, "message": "…"}` with HTTP status N.
package struct APIError: HTTPResponseError, Sendable {
    package let code: Int
    package let message: String
    /// Seconds after which trying again makes sense (`Retry-After`, on 429 and 503 answers).
    package var retryAfter: Int?

    package init(_ code: Int, _ message: String, retryAfter: Int? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    package var status: HTTPResponse.Status { .init(code: code) }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONAnswer.make(["error": .bool(true), "status": .int(code), "message": .string(message)], status: code)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    package init(_ failure: JobFailure) {
        self.init(failure.status, failure.message)
    }

    static func badParameter(_ name: String, _ detail: String) -> APIError {
        APIError(400, "Invalid '\(name)': \(detail)")
    }

    static func missing(_ name: String, _ detail: String = "") -> APIError {
        APIError(400, "Missing required parameter '\(name)'." + (detail.isEmpty ? "" : " " + detail))
    }
}

/// JSON answers with stable key order, so logs and diffs stay readable.
package enum JSONAnswer {
    package static func make(_ fields: [String: JSONValue], status: Int = 200) -> Response {
        make(encoded: encode(fields), status: status)
    }

    package static func encode(_ fields: [String: JSONValue]) -> ByteBuffer {
        // JSONText writes what JSONEncoder.quire() does (sorted keys, slashes as they are), faster.
        ByteBuffer(string: (try? JSONText.serialize(.object(fields))) ?? "{\"error\":true,\"status\":500}")
    }

    /// An answer already encoded (a cached `/job/check`).
    package static func make(encoded body: ByteBuffer, status: Int = 200) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }
}
