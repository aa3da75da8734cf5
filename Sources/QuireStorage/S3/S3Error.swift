// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// An S3 request that failed. Missing objects are `StorageError.notFound`, not this.
/// Messages are for operators' logs: they name the setting to check, never a secret.
package enum S3Error: Error, Equatable, CustomStringConvertible {
    /// HTTP 403: the credentials, the signature, the clock or the bucket policy.
    case accessDenied(code: String, message: String)
    /// Any other error answer (bucket missing, bad request, 5xx after the last retry).
    case service(status: Int, code: String, message: String)
    /// No answer: connection refused or reset, timeout, truncated body.
    case unreachable(String)
    /// An answer that is not what S3 sends (e.g. no upload ID).
    case invalidResponse(String)

    package var description: String {
        switch self {
        case .accessDenied(let code, let message):
            let hint =
                switch code {
                case "InvalidAccessKeyId":
                    "the access key ID is unknown to the server: check QUIRE_S3_ACCESS_KEY_ID (or AWS_ACCESS_KEY_ID)"
                case "SignatureDoesNotMatch":
                    "the secret key does not match the access key: check QUIRE_S3_SECRET_ACCESS_KEY (or AWS_SECRET_ACCESS_KEY)"
                case "RequestTimeTooSkewed":
                    "this machine's clock is too far from the server's: synchronise it (NTP)"
                case "ExpiredToken", "InvalidToken":
                    "the session token is expired or invalid: renew QUIRE_S3_SESSION_TOKEN (or AWS_SESSION_TOKEN)"
                default:
                    "the credentials (QUIRE_S3_ACCESS_KEY_ID/QUIRE_S3_SECRET_ACCESS_KEY or AWS_*) lack permission on the bucket"
                }
            return "S3 refused the request (403 \(code): \(message)); \(hint)"
        case .service(let status, let code, let message):
            return "S3 answered \(status) \(code): \(message)"
        case .unreachable(let detail):
            return "S3 did not answer: \(detail)"
        case .invalidResponse(let detail):
            return "S3 sent an unexpected answer: \(detail)"
        }
    }

    /// S3's message, or the detail of a failure without one.
    package var message: String {
        switch self {
        case .accessDenied(_, let message), .service(_, _, let message): message
        case .unreachable(let detail), .invalidResponse(let detail): detail
        }
    }

    /// The error an error answer stands for; `Code` and `Message` come from S3's XML body.
    static func from(status: Int, body: Data) -> S3Error {
        let text = String(decoding: body, as: UTF8.self)
        let code = S3XML.value(of: "Code", in: text) ?? "HTTP\(status)"
        let message = S3XML.value(of: "Message", in: text) ?? ""
        return status == 403 ? .accessDenied(code: code, message: message) : .service(status: status, code: code, message: message)
    }

    /// Whether a repeat may succeed: a 5xx answer, S3's 503 SlowDown, or no answer at all.
    var isTransient: Bool {
        switch self {
        case .service(let status, _, _): status >= 500 || status == 429
        case .unreachable: true
        case .accessDenied, .invalidResponse: false
        }
    }
}

/// The few values Quire reads from S3's XML answers. Those are flat and small (an error, an
/// upload ID), so a search for one element is enough; no XML parser is linked in for it.
enum S3XML {
    /// The text of the first `<name>` element, entities decoded.
    static func value(of name: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(name)>"), let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex)
        else { return nil }
        return unescape(String(text[open.upperBound..<close.lowerBound]))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&#34;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }
}
