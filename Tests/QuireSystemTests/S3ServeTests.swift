// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireStorage
import QuireTestSupport
import Testing

/// `quire serve --s3-bucket`: files in an S3 bucket (moto, signatures checked), presigned
/// uploads straight to S3, downloads redirected to short-lived presigned GETs. Every request
/// to S3 here is made by curl, a client with no credentials.
@Suite(.serialized)
final class S3ServeTests {
    let temp = TemporaryDirectory()

    /// A server on a new bucket of its own, plus a store over that bucket to look inside.
    func startServer(_ arguments: [String] = []) async throws -> (server: QuireServer, store: S3ObjectStore) {
        let bucket = try await S3TestServer.shared().makeNodeBucket()
        let server = try await QuireServer(
            data: temp.file("data-\(UUID().uuidString)"), arguments: bucket.arguments + ["--workers", "2"] + arguments,
            environment: bucket.environment)
        return (server, bucket.store)
    }

    /// Presigns an upload and checks the answer's shape: `presignedUrl` on S3, `url` on Quire.
    func presign(_ server: QuireServer, name: String, expiration: Int = 60) async throws -> (put: String, url: String, key: String) {
        let (answer, status) = try await HTTP.getJSON(
            "\(server.baseURL)/file/upload/get-presigned-url?name=\(name)&contenttype=application/pdf&expiration=\(expiration)")
        #expect(status == 200, "\(answer)")
        let put = try #require(answer["presignedUrl"] as? String)
        let url = try #require(answer["url"] as? String)
        let s3 = try await S3TestServer.shared()
        #expect(put.hasPrefix(s3.endpoint.absoluteString + "/"), "\(put)")
        #expect(url.hasPrefix("\(server.baseURL)/files/"), "\(url)")
        #expect(!url.contains { "&?+,%".contains($0) }, "\(url)")
        let key = try #require(URL(string: put)?.lastPathComponent)
        return (put, url, key)
    }

    /// curl's PUT of `data` to a presigned S3 URL; returns the HTTP status.
    func curlPut(_ data: Data, to url: String) async throws -> String {
        let file = temp.file("put-\(UUID().uuidString)")
        try data.write(to: file)
        return try await curl(["-o", "/dev/null", "-w", "%{http_code}", "-T", file.path, url]).output
    }

    /// Presigned PUT straight to S3 (Quire never sees it), then the Quire `url` as the input of
    /// a sync and an async conversion; the upload and the results come back through Quire's
    /// URLs (a redirect, followed by curl) byte for byte.
    @Test func presignedUploadToS3ThenConvertSyncAndAsync() async throws {
        let (server, store) = try await startServer()
        defer { server.stop() }
        let upload = try await presign(server, name: "input.pdf")
        let pdf = TestPDF.make(pages: ["Straight to S3", "Second page"])
        // Not uploaded yet: the input and the download are unknown.
        let (early, earlyStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/text", ["url": upload.url])
        #expect(earlyStatus == 404, "\(early)")
        #expect(try await curl(["-o", "/dev/null", "-w", "%{http_code}", upload.url]).output == "404")

        #expect(try await curlPut(pdf, to: upload.put) == "200")
        #expect(try await store.size(of: upload.key) == pdf.count)
        let (text, status) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/convert/to/text", ["url": upload.url, "inline": true, "name": "result.txt"])
        #expect(status == 200, "\(text)")
        let body = try #require(text["body"] as? String)
        #expect(body.contains("Straight to S3"))
        let resultURL = try #require(text["url"] as? String)
        #expect(!resultURL.contains { "&?+,%".contains($0) })
        #expect(try await curlBytes(resultURL) == Data(body.utf8))
        #expect(try await curlBytes(upload.url) == pdf)

        let (accepted, acceptedStatus) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/convert/to/png", ["url": upload.url, "async": true])
        #expect(acceptedStatus == 200, "\(accepted)")
        let check = try await waitForJob(server.baseURL, try #require(accepted["jobId"] as? String))
        #expect(check["status"] as? String == "success", "\(check)")
        let listURL = try #require(accepted["url"] as? String)
        let pages = try await #require(try JSONSerialization.jsonObject(with: try curlBytes(listURL)) as? [String])
        #expect(pages.count == 2)
        for page in pages { #expect(try await curlBytes(page).starts(with: [0x89, 0x50, 0x4E, 0x47])) }
    }

    /// An object over `--max-upload-mb` is refused at first use, as an input (413) or as a
    /// download (413), and deleted from the bucket; the same presigned URL then takes a file
    /// within the limit. An object replaced after it became ready is refused as an input (409).
    @Test func oversizedOrReplacedDirectUploadIsRefused() async throws {
        let (server, store) = try await startServer(["--max-upload-mb", "1"])
        defer { server.stop() }
        let tooLarge = Data(repeating: 0x41, count: 1_572_864)

        let first = try await presign(server, name: "big.pdf")
        #expect(try await curlPut(tooLarge, to: first.put) == "200")
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/info", ["url": first.url])
        #expect(status == 413, "\(answer)")
        #expect(try await store.size(of: first.key) == nil)

        let second = try await presign(server, name: "big2.pdf")
        #expect(try await curlPut(tooLarge, to: second.put) == "200")
        #expect(try await curl(["-o", "/dev/null", "-w", "%{http_code}", second.url]).output == "413")
        #expect(try await store.size(of: second.key) == nil)
        let pdf = TestPDF.make(pages: ["Small enough"])
        #expect(try await curlPut(pdf, to: second.put) == "200")
        let (info, infoStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/info", ["url": second.url])
        #expect(infoStatus == 200, "\(info)")

        // The presigned PUT still works until it expires: other bytes after use are refused.
        #expect(try await curlPut(TestPDF.make(pages: ["Replaced", "with more pages"]), to: second.put) == "200")
        let (replaced, replacedStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/info", ["url": second.url])
        #expect(replacedStatus == 409, "\(replaced)")
    }

    /// A download answers 302 to S3 with the signed type and disposition (attachment for an
    /// upload, inline with the file name for a text result), `no-store`, and a lifetime of
    /// at most `--s3-redirect-seconds`; the target stops working once that passes. HEAD too.
    @Test func downloadRedirectCarriesDispositionAndExpires() async throws {
        let (server, _) = try await startServer(["--s3-redirect-seconds", "6"])
        defer { server.stop() }
        let upload = try await presign(server, name: "report.pdf")
        #expect(try await curlPut(TestPDF.make(pages: ["Redirected"]), to: upload.put) == "200")

        let redirect = try await curlHeaders([upload.url])
        #expect(redirect.status == 302, "\(redirect)")
        let location = try #require(redirect.headers["location"])
        #expect(location.hasPrefix(try await S3TestServer.shared().endpoint.absoluteString), "\(location)")
        #expect(location.contains("response-content-disposition=attachment%3B%20filename%3D%22report.pdf%22"), "\(location)")
        #expect(location.contains("response-content-type=application%2Foctet-stream"), "\(location)")
        #expect(location.contains("X-Amz-Expires=6&"), "\(location)")
        #expect(redirect.headers["cache-control"] == "no-store")
        let followed = try await curlHeaders(["-L", upload.url])
        #expect(followed.status == 200, "\(followed)")
        #expect(followed.headers["content-type"] == "application/octet-stream")
        #expect(followed.headers["content-disposition"] == "attachment; filename=\"report.pdf\"")
        let head = try await curlHeaders(["-I", "-L", upload.url])
        #expect(head.status == 200, "\(head)")

        let (text, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/text", ["url": upload.url, "name": "out.txt"])
        #expect(status == 200, "\(text)")
        let result = try await curlHeaders(["-L", try #require(text["url"] as? String)])
        #expect(result.status == 200)
        #expect(result.headers["content-type"] == "text/plain; charset=utf-8")
        #expect(result.headers["content-disposition"] == "inline; filename=\"out.txt\"")

        // Valid when fresh, refused within seconds: S3 (moto) checks X-Amz-Date + X-Amz-Expires.
        // X-Amz-Date is whole seconds, so a 6 s lifetime may be 5 s; a loaded CI machine has
        // spent over 2 s between signing and fetching. A fresh redirect each try.
        var fresh: String?
        for _ in 0..<5 where fresh == nil {
            let next = try await #require(try curlHeaders([upload.url]).headers["location"])
            if try await curl(["-o", "/dev/null", "-w", "%{http_code}", next]).output == "200" { fresh = next }
        }
        let valid = try #require(fresh, "a fresh redirect target did not answer 200")
        let deadline = Date().addingTimeInterval(30)
        var expired = false
        while !expired && Date() < deadline {
            try await Task.sleep(for: .milliseconds(500))
            expired = try await curl(["-o", "/dev/null", "-w", "%{http_code}", valid]).output == "403"
        }
        #expect(expired, "the redirect target still answers after its lifetime")
    }

    /// A redirect never outlives the file: with a 1-minute expiry the signed lifetime is at
    /// most 60 s, whatever `--s3-redirect-seconds` (default 300) says.
    @Test func redirectNeverOutlivesTheFile() async throws {
        let (server, _) = try await startServer()
        defer { server.stop() }
        let upload = try await presign(server, name: "short.pdf", expiration: 1)
        #expect(try await curlPut(TestPDF.make(pages: ["Short-lived"]), to: upload.put) == "200")
        let location = try await #require(try curlHeaders([upload.url]).headers["location"])
        let expires = try #require(
            URLComponents(string: location)?.queryItems?.first { $0.name == "X-Amz-Expires" }?.value.flatMap { Int($0) })
        #expect((1...60).contains(expires), "\(location)")
    }

    /// Inline text answers and jobs read S3 objects into scratch files: none is left behind.
    @Test func scratchHoldsNothingAfterJobsAndInlineAnswers() async throws {
        let (server, _) = try await startServer()
        defer { server.stop() }
        let upload = try await presign(server, name: "scratch.pdf")
        #expect(try await curlPut(TestPDF.make(pages: ["Scratch one", "Scratch two"]), to: upload.put) == "200")
        for _ in 0..<3 {
            let (text, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/text", ["url": upload.url, "inline": true])
            #expect(status == 200 && (text["body"] as? String)?.contains("Scratch two") == true, "\(text)")
        }
        let (info, infoStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/info", ["url": upload.url])
        #expect(infoStatus == 200, "\(info)")
        let (accepted, _) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/convert/to/text", ["url": upload.url, "async": true, "inline": true])
        let check = try await waitForJob(server.baseURL, try #require(accepted["jobId"] as? String))
        #expect(check["status"] as? String == "success", "\(check)")

        // A job's folder goes once the job is recorded as done: poll for that, with a deadline.
        let scratch = server.data.appendingPathComponent("tmp")
        let deadline = Date().addingTimeInterval(10)
        var left = regularFiles(under: scratch)
        while !left.isEmpty && Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            left = regularFiles(under: scratch)
        }
        #expect(left.isEmpty, "scratch files left: \(left)")
    }

    /// `quire serve --no-worker` and `quire worker`: two processes, two data directories, one
    /// PostgreSQL database and one bucket; a sync and an async job run end to end.
    @Test(.enabled(if: PostgresTestCluster.isAvailable)) func apiAndWorkerNodesShareDatabaseAndBucket() async throws {
        let database = try await PostgresTestCluster.shared().makeDatabase()
        let bucket = try await S3TestServer.shared().makeNodeBucket()
        var environment = bucket.environment
        environment["QUIRE_URL_SECRET"] = "s3wire-test-secret-shared-by-both-nodes-0123456789"
        let api = try await QuireServer(
            data: temp.file("api"), arguments: bucket.arguments + ["--database-url", database, "--no-worker"], environment: environment)
        defer { api.stop() }
        let worker = try await QuireServer(
            data: temp.file("worker"), arguments: bucket.arguments + ["--database-url", database, "--workers", "1"],
            environment: environment, command: "worker")
        defer { worker.stop() }

        let upload = try await presign(api, name: "nodes.pdf")
        #expect(try await curlPut(TestPDF.make(pages: ["Two nodes", "One bucket"]), to: upload.put) == "200")
        let (accepted, status) = try await HTTP.postJSON("\(api.baseURL)/pdf/convert/to/text", ["url": upload.url, "async": true])
        #expect(status == 200, "\(accepted)")
        let check = try await waitForJob(api.baseURL, try #require(accepted["jobId"] as? String))
        #expect(check["status"] as? String == "success", "\(check)")
        let text = await String(decoding: try curlBytes(try #require(accepted["url"] as? String)), as: UTF8.self)
        #expect(text.contains("One bucket"), "\(text)")
        let (sync, syncStatus) = try await HTTP.postJSON("\(api.baseURL)/pdf/convert/to/text", ["url": upload.url, "inline": true])
        #expect(syncStatus == 200 && (sync["body"] as? String)?.contains("Two nodes") == true, "\(sync)")
    }

    /// Start-up refusals name the variable or flag to fix and never print a secret: no
    /// credentials, a wrong secret, a missing bucket, an endpoint that does not answer, and
    /// API-only or worker nodes without S3.
    @Test func badS3SettingsAreRefusedAtStart() async throws {
        let s3 = try await S3TestServer.shared()
        let bucket = try await s3.makeStore().configuration.bucket
        let flags = s3.nodeArguments(bucket: bucket)
        let credentials = ["AWS_ACCESS_KEY_ID=\(s3.accessKeyID)", "AWS_SECRET_ACCESS_KEY=\(s3.secretAccessKey)"]

        let noCredentials = try await quireStart([], flags)
        #expect(noCredentials.status != 0 && noCredentials.output.contains("AWS_ACCESS_KEY_ID"), "\(noCredentials.output)")

        let wrongSecret = try await quireStart(["AWS_ACCESS_KEY_ID=\(s3.accessKeyID)", "AWS_SECRET_ACCESS_KEY=hunter2-not-the-key"], flags)
        #expect(wrongSecret.status != 0, "\(wrongSecret.output)")
        #expect(wrongSecret.output.contains("AWS_SECRET_ACCESS_KEY") && !wrongSecret.output.contains("hunter2"), "\(wrongSecret.output)")

        let missing = try await quireStart(
            credentials, s3.nodeArguments(bucket: "quire-no-such-bucket-\(UUID().uuidString.prefix(8).lowercased())"))
        #expect(
            missing.status != 0 && missing.output.contains("NoSuchBucket") && missing.output.contains("--s3-bucket"), "\(missing.output)")
        #expect(!missing.output.contains(s3.secretAccessKey))

        let nowhere = try await quireStart(credentials, ["--s3-bucket", bucket, "--s3-endpoint", "http://127.0.0.1:1", "--s3-path-style"])
        #expect(nowhere.status != 0 && nowhere.output.contains("--s3-endpoint"), "\(nowhere.output)")

        let badRedirect = try await quireStart(credentials, flags + ["--s3-redirect-seconds", "0"])
        #expect(badRedirect.status != 0 && badRedirect.output.contains("--s3-redirect-seconds"), "\(badRedirect.output)")

        // Separate nodes cannot share a local files folder (checked before any connection).
        let database = ["--database-url", "postgres://quire@127.0.0.1:1/quire"]
        let apiOnly = try await quireStart(credentials, database + ["--no-worker"])
        #expect(apiOnly.status != 0 && apiOnly.output.contains("--s3-bucket"), "\(apiOnly.output)")
        let worker = try await quireStart(credentials, database, command: "worker")
        #expect(worker.status != 0 && worker.output.contains("--s3-bucket"), "\(worker.output)")
    }

    // MARK: - Helpers

    /// `quire COMMAND` with only `environment` (and PATH) set, stderr merged into the output;
    /// a server that starts after all is stopped by `timeout` and counts as a failure to refuse.
    func quireStart(
        _ environment: [String], _ arguments: [String], command: String = "serve"
    ) async throws -> (status: Int32, output: String) {
        let data = temp.file("refused-\(UUID().uuidString)").path
        return try await runCommand(
            "sh",
            ["-c", "exec timeout 60 env -i \"$@\" 2>&1", "sh", "PATH=/usr/bin:/bin"] + environment
                + [QuireServer.binary.path, command, "--port", "0", "--data", data] + arguments)
    }

    func curl(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await runCommand("curl", ["-s", "--max-time", "60"] + arguments)
    }

    /// The body at `url`, following Quire's redirect to S3.
    func curlBytes(_ url: String) async throws -> Data {
        let file = temp.file("get-\(UUID().uuidString)")
        let status = try await curl(["-L", "-o", file.path, "-w", "%{http_code}", url]).output
        try #require(status == "200", "GET \(url) answered \(status)")
        return try Data(contentsOf: file)
    }

    /// The status and headers (lower-case names) of the last answer curl saw.
    func curlHeaders(_ arguments: [String]) async throws -> (status: Int, headers: [String: String]) {
        let output = try await curl(["-D", "-", "-o", "/dev/null"] + arguments).output
        // With -L, one header block per answer: the last one is the final answer's.
        let block = output.components(separatedBy: "\r\n\r\n").filter { !$0.isEmpty }.last ?? ""
        let lines = block.components(separatedBy: "\r\n")
        let status = lines.first.flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } } ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers)
    }
}
