// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// An access key pair, with the session token that temporary (STS) credentials add.
package struct S3Credentials: Sendable, Equatable {
    package var accessKeyID: String
    package var secretAccessKey: String
    package var sessionToken: String?

    package init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// `QUIRE_S3_ACCESS_KEY_ID`/`QUIRE_S3_SECRET_ACCESS_KEY`/`QUIRE_S3_SESSION_TOKEN` when the first
    /// is set, else the `AWS_*` names AWS tools use; nil when neither pair is complete.
    /// One family is read whole: a Quire key with an AWS secret would only fail later, less clearly.
    package static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> S3Credentials? {
        for prefix in ["QUIRE_S3_", "AWS_"] {
            guard let id = environment["\(prefix)ACCESS_KEY_ID"], !id.isEmpty else { continue }
            guard let secret = environment["\(prefix)SECRET_ACCESS_KEY"], !secret.isEmpty else { return nil }
            let token = environment["\(prefix)SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token)
        }
        return nil
    }
}

/// Where and how to reach one bucket.
package struct S3Configuration: Sendable {
    package var bucket: String
    /// `scheme://host[:port]` of an S3-compatible service; nil: AWS, `https://s3.<region>.amazonaws.com`.
    package var endpoint: URL?
    package var region: String
    /// `endpoint/bucket/key` rather than `bucket.endpoint/key`: what most self-hosted servers expect.
    package var pathStyle: Bool
    /// Put before every key (e.g. `quire/`), so one bucket can serve several installations.
    package var keyPrefix: String
    package var credentials: S3Credentials
    /// Files larger than this go up in parts of this size. S3 wants parts of 5 MiB to 5 GiB and
    /// at most 10,000 of them, so 16 MiB parts carry objects up to 156 GiB.
    package var partSizeBytes: Int
    /// Parts uploaded at once.
    package var partConcurrency: Int
    /// Send the body's SHA-256 (read from disk once more before sending) rather than
    /// UNSIGNED-PAYLOAD: over plain http only a signed payload keeps the body from being altered.
    package var signsPayload: Bool
    /// Attempts for a request that is safe to repeat (5xx answers, network failures).
    package var maxAttempts: Int

    package init(
        bucket: String, endpoint: URL? = nil, region: String = "us-east-1", pathStyle: Bool = false, keyPrefix: String = "",
        credentials: S3Credentials, partSizeBytes: Int = 16 << 20, partConcurrency: Int = 4, signsPayload: Bool = true,
        maxAttempts: Int = 3
    ) {
        self.bucket = bucket
        self.endpoint = endpoint
        self.region = region
        self.pathStyle = pathStyle
        self.keyPrefix = keyPrefix
        self.credentials = credentials
        self.partSizeBytes = partSizeBytes
        self.partConcurrency = partConcurrency
        self.signsPayload = signsPayload
        self.maxAttempts = maxAttempts
    }

    /// The request for `key` (nil: the bucket itself) with `query` (names and values unencoded).
    package func request(_ method: String, key: String?, query: [(name: String, value: String)] = []) -> S3Request {
        let base = endpoint ?? URL(string: "https://s3.\(region).amazonaws.com")!
        let scheme = base.scheme?.lowercased() ?? "https"
        var host = base.host?.lowercased() ?? ""
        // The Host header names the port only when it is not the scheme's default (as HTTP clients send it).
        if let port = base.port, port != (scheme == "https" ? 443 : 80) { host += ":\(port)" }
        let encodedKey = key.map { S3Request.uriEncode(keyPrefix + $0, keepingSlashes: true) }
        if pathStyle {
            return S3Request(
                method: method, scheme: scheme, host: host, path: "/\(bucket)" + (encodedKey.map { "/\($0)" } ?? ""), query: query)
        }
        return S3Request(method: method, scheme: scheme, host: "\(bucket).\(host)", path: "/" + (encodedKey ?? ""), query: query)
    }
}
