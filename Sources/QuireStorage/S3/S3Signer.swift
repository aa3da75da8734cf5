// SPDX-License-Identifier: AGPL-3.0-or-later
import Crypto
import Foundation

/// AWS Signature Version 4 for S3, in headers or in a presigned URL.
///
/// The steps of AWS's "Signature Version 4 signing process", one function each: canonical
/// request, string to sign, signing key. Checked byte for byte against botocore in
/// `S3SignerTests`.
package struct S3Signer: Sendable {
    package var credentials: S3Credentials
    package var region: String
    package var service = "s3"

    /// The body hash to sign when the body is not hashed (S3 accepts it; TLS guards the body).
    package static let unsignedPayload = "UNSIGNED-PAYLOAD"

    package init(credentials: S3Credentials, region: String) {
        self.credentials = credentials
        self.region = region
    }

    /// The headers to send: the request's own, then `x-amz-date`, `x-amz-content-sha256`,
    /// `x-amz-security-token` (with a session token) and `authorization`. Every one of them is
    /// signed, and so is `host` (which the HTTP client sends).
    /// - Parameter payloadHash: lower-case hex SHA-256 of the body, or `unsignedPayload`.
    package func signedHeaders(for request: S3Request, payloadHash: String, date: Date) -> [(name: String, value: String)] {
        var headers = request.headers
        headers.append(("x-amz-date", Self.timestamp(date)))
        headers.append(("x-amz-content-sha256", payloadHash))
        if let token = credentials.sessionToken { headers.append(("x-amz-security-token", token)) }
        let signed = [("host", request.host)] + headers
        let canonical = canonicalRequest(
            method: request.method, path: request.path, query: request.encodedQuery, headers: signed, payloadHash: payloadHash)
        let signature = signature(of: canonical, date: date)
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(date)), "
            + "SignedHeaders=\(Self.signedHeaderNames(signed)), Signature=\(signature)"
        return headers + [("authorization", authorization)]
    }

    /// A URL that lets whoever holds it send `request` (with only a `host` header signed) until
    /// `expiresSeconds` after `date`. S3 accepts 1 second to 7 days (604,800 seconds).
    package func presignedURL(for request: S3Request, expiresSeconds: Int, date: Date) -> String {
        precondition((1...604_800).contains(expiresSeconds), "S3 presigned URLs last 1 s to 7 days")
        let signed = [("host", request.host)] + request.headers
        var authQuery: [(name: String, value: String)] = [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope(date))"),
            ("X-Amz-Date", Self.timestamp(date)),
            ("X-Amz-Expires", String(expiresSeconds)),
            ("X-Amz-SignedHeaders", Self.signedHeaderNames(signed)),
        ]
        if let token = credentials.sessionToken { authQuery.append(("X-Amz-Security-Token", token)) }
        // The operation's own parameters first, then the auth ones, as AWS's SDKs write them.
        let query = (request.query.isEmpty ? "" : request.encodedQuery + "&") + S3Request.encode(authQuery)
        let canonical = canonicalRequest(
            method: request.method, path: request.path, query: query, headers: signed, payloadHash: Self.unsignedPayload)
        return "\(request.scheme)://\(request.host)\(request.path)?\(query)&X-Amz-Signature=\(signature(of: canonical, date: date))"
    }

    // MARK: - The signing process

    /// Method, path, sorted query, sorted `name:value` header lines, signed header names, body hash.
    func canonicalRequest(
        method: String, path: String, query: String, headers: [(name: String, value: String)], payloadHash: String
    ) -> String {
        // Sorted by encoded name, then value (the spec's rule for repeated names).
        let pairs: [(name: Substring, value: Substring)] = query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
        let sorted = pairs.sorted { $0.name != $1.name ? $0.name < $1.name : $0.value < $1.value }
        let sortedQuery = sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        let lines = Self.canonicalHeaders(headers).map { "\($0.name):\($0.value)\n" }.joined()
        return [method, path, sortedQuery, lines, Self.signedHeaderNames(headers), payloadHash].joined(separator: "\n")
    }

    /// `AWS4-HMAC-SHA256`, the time, the scope and the canonical request's hash, one per line.
    func stringToSign(canonicalRequest: String, date: Date) -> String {
        let hash = SHA256.hash(data: Data(canonicalRequest.utf8)).lowercaseHex
        return ["AWS4-HMAC-SHA256", Self.timestamp(date), scope(date), hash].joined(separator: "\n")
    }

    /// HMAC chain over the day, region, service and `aws4_request`, keyed first by `AWS4` + secret.
    func signingKey(date: Date) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [String(Self.timestamp(date).prefix(8)), region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    func signature(of canonicalRequest: String, date: Date) -> String {
        let text = stringToSign(canonicalRequest: canonicalRequest, date: date)
        return Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: signingKey(date: date))).lowercaseHex
    }

    func scope(_ date: Date) -> String {
        "\(Self.timestamp(date).prefix(8))/\(region)/\(service)/aws4_request"
    }

    // MARK: - Helpers

    /// Lower-case names, sorted; values trimmed with inner runs of spaces made one; repeated names joined by commas.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            let trimmed = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
            merged[name.lowercased(), default: []].append(trimmed)
        }
        return merged.keys.sorted().map { ($0, merged[$0]!.joined(separator: ",")) }
    }

    static func signedHeaderNames(_ headers: [(name: String, value: String)]) -> String {
        canonicalHeaders(headers).map(\.name).joined(separator: ";")
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }
}

/// SHA-256 as S3 wants it in `x-amz-content-sha256`.
package enum SHA256Hex {
    /// The hash of no bytes.
    package static let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    package static func of(_ data: Data) -> String { SHA256.hash(data: data).lowercaseHex }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex digits.
    var lowercaseHex: String { map { String(format: "%02x", $0) }.joined() }
}
