// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireStorage
import QuireTestSupport
import Testing

/// One request to sign, in the shape `Tests/Scripts/botocore_sigv4.py` reads.
struct SigningCase: Codable, CustomTestStringConvertible {
    var name: String
    var method: String
    var endpoint: String
    var bucket = "quire-bucket"
    var key: String?
    var pathStyle = true
    var region = "us-east-1"
    var query: [[String]] = []
    var headers: [[String]] = []
    var accessKey = "AKIDEXAMPLE"
    var secretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    var token: String?
    var time = 1_767_225_600.0  // 2026-01-01T00:00:00Z
    var body = ""
    var unsignedPayload = false
    var presignExpires: Int?

    var testDescription: String { name }

    /// What Quire's signer makes of this case: the URL and the headers it adds.
    func signWithQuire() -> (url: String, headers: [String: String]) {
        let configuration = S3Configuration(
            bucket: bucket, endpoint: URL(string: endpoint), region: region, pathStyle: pathStyle,
            credentials: S3Credentials(accessKeyID: accessKey, secretAccessKey: secretKey, sessionToken: token))
        var request = configuration.request(method, key: key, query: query.map { ($0[0], $0[1]) })
        request.headers = headers.map { ($0[0], $0[1]) }
        let signer = S3Signer(credentials: configuration.credentials, region: region)
        let date = Date(timeIntervalSince1970: time)
        if let presignExpires {
            return (signer.presignedURL(for: request, expiresSeconds: presignExpires, date: date), [:])
        }
        let hash = unsignedPayload ? S3Signer.unsignedPayload : SHA256Hex.of(Data(body.utf8))
        var added: [String: String] = [:]
        for (name, value) in signer.signedHeaders(for: request, payloadHash: hash, date: date) { added[name.lowercased()] = value }
        return (request.url, added)
    }
}

/// AWS Signature V4 as botocore (the AWS SDK for Python) computes it, byte for byte.
struct S3SignerTests {
    static let cases: [SigningCase] = [
        SigningCase(
            name: "GET object with a query, path style, custom endpoint", method: "GET", endpoint: "http://127.0.0.1:9000",
            key: "docs/report 2026.pdf",
            query: [["versionId", "3/L4kqtJl40Nr8X8gdRQBpUMLUo"], ["response-content-type", "application/pdf"]]),
        SigningCase(
            name: "GET bucket listing with a prefix holding a space", method: "GET", endpoint: "http://localhost:9000", key: nil,
            query: [["list-type", "2"], ["prefix", "a b/c"]]),
        SigningCase(
            name: "PUT with payload hash, virtual host, AWS", method: "PUT", endpoint: "https://s3.eu-west-1.amazonaws.com",
            key: "uploads/hello.txt", pathStyle: false, region: "eu-west-1", body: "hello world\n"),
        SigningCase(
            name: "PUT key with spaces, unicode, plus and equals", method: "PUT", endpoint: "http://127.0.0.1:9000",
            key: "a b/c+d=é ü/日本語 ファイル.pdf", body: "x"),
        SigningCase(
            name: "GET with range and unsigned payload over https", method: "GET", endpoint: "https://minio.example.com:9443",
            key: "big/object.bin", pathStyle: false, headers: [["Range", "bytes=0-1048575"]], unsignedPayload: true),
        SigningCase(
            name: "header values trimmed and inner spaces collapsed", method: "PUT", endpoint: "http://127.0.0.1:9000", key: "k",
            headers: [["Content-Type", "  application/pdf;   charset=binary  "]], body: "%PDF"),
        SigningCase(
            name: "session token in a header", method: "HEAD", endpoint: "http://127.0.0.1:9000", key: "k+1",
            token: "FwoGZXIvYXdzEJr//////////wEaDO+token/with=chars"),
        SigningCase(
            name: "multipart: create (empty value)", method: "POST", endpoint: "http://127.0.0.1:9000", key: "large.pdf",
            query: [["uploads", ""]]),
        SigningCase(
            name: "multipart: part with an upload ID needing encoding", method: "PUT", endpoint: "http://127.0.0.1:9000",
            key: "large.pdf", query: [["partNumber", "2"], ["uploadId", "abc/def+ghi=="]], body: "part two"),
        SigningCase(
            name: "presigned GET, path style, one hour", method: "GET", endpoint: "http://127.0.0.1:9000", key: "results/out file.pdf",
            presignExpires: 3600),
        SigningCase(
            name: "presigned PUT, virtual host, AWS, 15 minutes", method: "PUT", endpoint: "https://s3.us-west-2.amazonaws.com",
            key: "in/é+x.docx", pathStyle: false, region: "us-west-2", presignExpires: 900),
        SigningCase(
            name: "presigned GET with response-content-disposition and -type (a download redirect)", method: "GET",
            endpoint: "http://127.0.0.1:9000", key: "ABCdef123",
            query: [
                ["response-content-disposition", "attachment; filename=\"r\u{e9}sum\u{e9} (1);x=y&z.pdf\""],
                ["response-content-type", "text/plain; charset=utf-8"],
            ], presignExpires: 300),
        SigningCase(
            name: "presigned HEAD with response overrides, virtual host, AWS", method: "HEAD",
            endpoint: "https://s3.eu-central-1.amazonaws.com",
            key: "quire/XYZ", pathStyle: false, region: "eu-central-1",
            query: [["response-content-disposition", "inline; filename=\"out.png\""], ["response-content-type", "image/png"]],
            presignExpires: 60),
        SigningCase(
            name: "presigned GET with a session token, 7 days", method: "GET", endpoint: "https://s3.amazonaws.com", key: "a/b",
            pathStyle: false, token: "IQoJb3JpZ2luX2VjEJr//token+/=", presignExpires: 604_800),
    ]

    /// Every case: the URL and every header Quire adds (x-amz-date, x-amz-content-sha256,
    /// x-amz-security-token, authorization) equal botocore's.
    @Test func matchesBotocore() async throws {
        let temp = TemporaryDirectory()
        let casesFile = temp.file("cases.json")
        try JSONEncoder().encode(Self.cases).write(to: casesFile)
        let script = packageRoot.appendingPathComponent("Tests/Scripts/botocore_sigv4.py").path
        let (status, output) = try await runCommand("python3", [script, casesFile.path])
        try #require(status == 0, "botocore_sigv4.py failed (pip install botocore): \(output)")
        let expected = try JSONDecoder().decode([BotocoreResult].self, from: Data(output.utf8))
        try #require(expected.count == Self.cases.count)
        for (signingCase, botocore) in zip(Self.cases, expected) {
            let quire = signingCase.signWithQuire()
            #expect(quire.url == botocore.url, "\(signingCase.name)")
            for name in ["authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"] {
                #expect(quire.headers[name] == botocore.headers[name], "\(signingCase.name): \(name)")
            }
        }
    }

    /// AWS's own example from "Authenticating Requests: Using Query Parameters" (the
    /// `examplebucket/test.txt` presigned GET), so the signer is also pinned to a published value.
    @Test func awsDocumentedPresignedURL() {
        let configuration = S3Configuration(
            bucket: "examplebucket",
            credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
        let signer = S3Signer(credentials: configuration.credentials, region: "us-east-1")
        var request = configuration.request("GET", key: "test.txt")
        request.host = "examplebucket.s3.amazonaws.com"
        let url = signer.presignedURL(for: request, expiresSeconds: 86400, date: Date(timeIntervalSince1970: 1_369_353_600))
        #expect(url.hasSuffix("X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"))
    }

    /// Credentials come from the QUIRE_S3_* family when it is set, else from AWS_*.
    @Test func credentialsFromEnvironment() {
        #expect(S3Credentials.fromEnvironment([:]) == nil)
        #expect(
            S3Credentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "t"])
                == S3Credentials(accessKeyID: "a", secretAccessKey: "s", sessionToken: "t"))
        #expect(
            S3Credentials.fromEnvironment([
                "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "s", "QUIRE_S3_ACCESS_KEY_ID": "q", "QUIRE_S3_SECRET_ACCESS_KEY": "qs",
            ]) == S3Credentials(accessKeyID: "q", secretAccessKey: "qs"))
        // Half a Quire pair is an error to see, not a reason to fall back to other credentials.
        #expect(
            S3Credentials.fromEnvironment(["QUIRE_S3_ACCESS_KEY_ID": "q", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "s"]) == nil)
    }
}

private struct BotocoreResult: Decodable {
    var url: String
    var headers: [String: String]
}
