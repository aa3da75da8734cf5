// SPDX-License-Identifier: AGPL-3.0-or-later
import AsyncHTTPClient
import Foundation
import NIOCore
import QuireStorage
import QuireTestSupport
import Testing

/// `S3ObjectStore` against a real S3-compatible server that checks every signature
/// (`S3TestServer`: moto with an IAM user and key). What the conformance suite cannot show:
/// multipart, odd keys, refused credentials, presigned URLs used by curl, streaming.
struct S3ObjectStoreTests {
    /// 40 MiB goes up in three parts of 16 MiB (the last one short) and comes back byte for byte.
    @Test func multipartUploadRoundTrip() async throws {
        let temp = TemporaryDirectory()
        let store = try await S3TestServer.shared().makeStore()
        let source = temp.file("large.bin")
        try await makeRandomFile(source, mebibytes: 40)
        let copy = temp.file("copy.bin")
        try FileManager.default.copyItem(at: source, to: copy)
        try await store.put("LARGE01", movingFrom: source)
        #expect(!FileManager.default.fileExists(atPath: source.path))
        #expect(try await store.size(of: "LARGE01") == 40 << 20)
        let downloaded = try await store.localFile(for: "LARGE01", scratch: temp.url)
        #expect(try await runCommand("cmp", ["-s", copy.path, downloaded.path]).status == 0)
        #expect(try await store.multipartUploadsInProgress() == 0)
    }

    /// A multipart upload that fails (parts under S3's 5 MiB minimum: CompleteMultipartUpload
    /// answers EntityTooSmall) is aborted: no parts stay behind in the bucket, and no object.
    @Test func failedMultipartUploadIsAborted() async throws {
        let temp = TemporaryDirectory()
        let store = try await S3TestServer.shared().makeStore(partSizeBytes: 1 << 20)
        let source = temp.file("parts.bin")
        try await makeRandomFile(source, mebibytes: 3)
        await #expect(throws: S3Error.self) { try await store.put("SMALLPARTS", movingFrom: source) }
        #expect(try await store.multipartUploadsInProgress() == 0)
        #expect(try await store.size(of: "SMALLPARTS") == nil)
    }

    /// Keys with spaces, `+`, `=`, `&`, `?`, `#`, `%`, unicode and slashes are stored and read back under exactly that key.
    @Test(arguments: ["a b+c", "x=y&z?w#v%25", "é/ü 日本語.pdf", "dir/sub/file.txt", "~tilde*star(paren)'quote'!"])
    func oddKeysRoundTrip(key: String) async throws {
        let temp = TemporaryDirectory()
        let store = try await S3TestServer.shared().makeStore()
        try await store.put(key, data: Data(key.utf8))
        #expect(try await store.size(of: key) == key.utf8.count)
        #expect(try Data(contentsOf: try await store.localFile(for: key, scratch: temp.url)) == Data(key.utf8))
        try await store.delete(key)
        #expect(try await store.size(of: key) == nil)
    }

    /// A ranged GET writes only the asked bytes.
    @Test func rangedDownload() async throws {
        let temp = TemporaryDirectory()
        let store = try await S3TestServer.shared().makeStore()
        try await store.put("RANGE01", data: Data("0123456789abcdef".utf8))
        try await store.download("RANGE01", to: temp.file("part"), range: 10...13)
        #expect(try Data(contentsOf: temp.file("part")) == Data("abcd".utf8))
    }

    /// A wrong secret key or an unknown access key is refused, and the error says which
    /// setting to check.
    @Test func wrongCredentialsAreRefused() async throws {
        let server = try await S3TestServer.shared()
        let store = try await server.makeStore()
        try await store.put("SECRET1", data: Data("s".utf8))
        let wrongSecret = S3ObjectStore(configuration: server.configuration(bucket: store.configuration.bucket, secretAccessKey: "wrong"))
        do {
            _ = try await wrongSecret.size(of: "SECRET1")
            Issue.record("a HEAD signed with a wrong secret was accepted")
        } catch {
            // HEAD answers carry no body: the code is unknown, the 403 is not.
            #expect(error is S3Error)
        }
        do {
            try await wrongSecret.put("SECRET2", data: Data("x".utf8))
            Issue.record("a PUT signed with a wrong secret was accepted")
        } catch let error as S3Error {
            #expect(error == .accessDenied(code: "SignatureDoesNotMatch", message: error.message))
            #expect(error.description.contains("QUIRE_S3_SECRET_ACCESS_KEY"))
        }
        var unknownKey = server.configuration(bucket: store.configuration.bucket)
        unknownKey.credentials.accessKeyID = "AKIAUNKNOWNKEY000000"
        do {
            _ = try await S3ObjectStore(configuration: unknownKey).localFile(for: "SECRET1", scratch: TemporaryDirectory().url)
            Issue.record("a GET with an unknown access key was accepted")
        } catch let error as S3Error {
            #expect(error == .accessDenied(code: "InvalidAccessKeyId", message: error.message))
            #expect(error.description.contains("QUIRE_S3_ACCESS_KEY_ID"))
        }
        #expect(try await store.size(of: "SECRET2") == nil)
    }

    /// A presigned PUT and a presigned GET work for curl, a client with no credentials; the
    /// PUT URL does not allow a GET, and a URL past its expiry is refused.
    @Test func presignedURLsWithCurl() async throws {
        let temp = TemporaryDirectory()
        let store = try await S3TestServer.shared().makeStore()
        let upload = temp.file("upload.pdf")
        try Data("%PDF-1.7 presigned upload".utf8).write(to: upload)
        let put = store.presignedPutURL(key: "PRESIGNED1", expires: .seconds(300))
        // -T: a PUT of the file as is (--data-binary would add a form Content-Type, which moto parses away).
        #expect(try await curlStatus(["-T", upload.path, put.absoluteString]) == "200")
        #expect(try await store.size(of: "PRESIGNED1") == 25)
        let get = store.presignedGetURL(key: "PRESIGNED1", expires: .seconds(300))
        let downloaded = temp.file("downloaded.pdf")
        #expect(try await curlStatus(["-o", downloaded.path, get.absoluteString]) == "200")
        #expect(try Data(contentsOf: downloaded) == Data(contentsOf: upload))
        // The signature covers the method: a PUT URL is no GET URL.
        #expect(try await curlStatus([put.absoluteString]) == "403")
        // Signed two minutes ago for one minute: expired, with no waiting in the test.
        let expired = store.presignedGetURL(key: "PRESIGNED1", expires: .seconds(60), now: Date().addingTimeInterval(-120))
        #expect(try await curlStatus([expired.absoluteString]) == "403")
        let tampered = get.absoluteString.replacingOccurrences(of: "PRESIGNED1", with: "PRESIGNED2")
        #expect(try await curlStatus([tampered]) == "403")
    }

    /// A presigned read URL sets the answer's Content-Type and Content-Disposition (S3's
    /// `response-*` parameters); they are signed, so a client cannot change them; a HEAD URL
    /// answers HEAD.
    @Test func presignedReadURLCarriesSignedResponseHeaders() async throws {
        let store = try await S3TestServer.shared().makeStore()
        try await store.put("READ0001", data: Data("<html><script>alert(1)</script></html>".utf8))
        let disposition = "attachment; filename=\"page 1.html\""
        let get = store.presignedReadURL(
            key: "READ0001", expires: .seconds(60), contentType: "application/octet-stream", contentDisposition: disposition)
        let headers = try await runCommand("curl", ["-s", "-D", "-", "-o", "/dev/null", get.absoluteString]).output.lowercased()
        #expect(headers.hasPrefix("http/1.1 200"), "\(headers)")
        #expect(headers.contains("content-type: application/octet-stream"), "\(headers)")
        #expect(headers.contains("content-disposition: \(disposition.lowercased())"), "\(headers)")
        let inline = get.absoluteString.replacingOccurrences(of: "attachment", with: "inline")
        #expect(try await curlStatus([inline]) == "403")
        let head = store.presignedReadURL(key: "READ0001", method: "HEAD", expires: .seconds(60), contentType: nil, contentDisposition: nil)
        #expect(try await curlStatus(["-I", head.absoluteString]) == "200")
        #expect(try await curlStatus(["-I", get.absoluteString]) == "403")
    }

    /// `checkBucket` passes for a bucket that exists and names `NoSuchBucket` for one that does not.
    @Test func checkBucket() async throws {
        let server = try await S3TestServer.shared()
        try await server.makeStore().checkBucket()
        await #expect(throws: S3Error.service(status: 404, code: "NoSuchBucket", message: "")) {
            do {
                try await S3ObjectStore(configuration: server.configuration(bucket: "quire-missing-\(UUID().uuidString.lowercased())"))
                    .checkBucket()
            } catch S3Error.service(let status, let code, _) {
                throw S3Error.service(status: status, code: code, message: "")
            }
        }
    }

    /// `withLocalFile` removes the downloaded copy when its body returns, and when it throws.
    @Test func withLocalFileRemovesTheCopy() async throws {
        let temp = TemporaryDirectory()
        let store = try await S3TestServer.shared().makeStore()
        try await store.put("COPY0001", data: Data("bytes".utf8))
        let scratch = temp.file("scratch")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let read = try await store.withLocalFile(for: "COPY0001", scratch: scratch) { try Data(contentsOf: $0) }
        #expect(read == Data("bytes".utf8))
        await #expect(throws: StorageError.self) {
            try await store.withLocalFile(for: "COPY0001", scratch: scratch) { _ in throw StorageError.io("body failed") }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == [])
    }

    /// A 200 MiB download streams to disk: the process's peak resident memory grows by far
    /// less than the object (a whole-object buffer would add at least 200 MiB).
    @Test func downloadDoesNotHoldTheObjectInMemory() async throws {
        let temp = TemporaryDirectory()
        let store = try await S3TestServer.shared().makeStore()
        let source = temp.file("big.bin")
        try await makeRandomFile(source, mebibytes: 200)
        let copy = temp.file("copy.bin")
        try FileManager.default.copyItem(at: source, to: copy)

        let beforeUpload = try ResidentMemory.resetPeak()
        let uploadStart = Date()
        try await store.put("BIG0001", movingFrom: source)
        let uploadSeconds = Date().timeIntervalSince(uploadStart)
        let uploadGrowth = try ResidentMemory.peak() - beforeUpload

        let beforeDownload = try ResidentMemory.resetPeak()
        let downloadStart = Date()
        let downloaded = try await store.localFile(for: "BIG0001", scratch: temp.url)
        let downloadSeconds = Date().timeIntervalSince(downloadStart)
        let downloadGrowth = try ResidentMemory.peak() - beforeDownload

        print(
            "S3 200 MiB: upload \(Int(200 / uploadSeconds)) MiB/s (peak RSS +\(uploadGrowth >> 20) MiB), "
                + "download \(Int(200 / downloadSeconds)) MiB/s (peak RSS +\(downloadGrowth >> 20) MiB)")
        #expect(downloadGrowth < 100 << 20)
        #expect(uploadGrowth < 100 << 20)
        #expect(try await runCommand("cmp", ["-s", copy.path, downloaded.path]).status == 0)
    }

    /// No server at the endpoint: the store retries, then reports it unreachable.
    @Test func unreachableServer() async throws {
        var configuration = try await S3TestServer.shared().configuration(bucket: "quire-nowhere")
        configuration.endpoint = URL(string: "http://127.0.0.1:1")
        configuration.maxAttempts = 2
        // The shared client keeps reconnecting for 10 s per attempt (a gateway may be restarting); 1 s here.
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.timeout = .init(connect: .seconds(1))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        await #expect {
            _ = try await S3ObjectStore(configuration: configuration, client: client).size(of: "ANY0001")
        } throws: { error in
            if case S3Error.unreachable = error { return true }
            return false
        }
        try await client.shutdown()
    }
}

/// Writes `mebibytes` MiB of random bytes with dd (never in this process's memory).
func makeRandomFile(_ file: URL, mebibytes: Int) async throws {
    let result = try await runCommand("dd", ["if=/dev/urandom", "of=\(file.path)", "bs=1M", "count=\(mebibytes)", "status=none"])
    try #require(result.status == 0)
}

/// curl's HTTP status for a request to a presigned URL (body discarded unless `-o` is given).
func curlStatus(_ arguments: [String]) async throws -> String {
    let hasOutput = arguments.contains("-o")
    return try await runCommand("curl", ["-s", "-w", "%{http_code}"] + (hasOutput ? [] : ["-o", "/dev/null"]) + arguments).output
}

/// This process's resident memory, from /proc/self/status.
enum ResidentMemory {
    /// Resets the peak (VmHWM) to the current size (Linux's clear_refs "5") and returns that size in bytes.
    static func resetPeak() throws -> Int {
        try "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        return try field("VmRSS")
    }

    /// The peak since the last reset, in bytes.
    static func peak() throws -> Int { try field("VmHWM") }

    private static func field(_ name: String) throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("\(name):") }),
            let kibibytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { throw StorageError.io("no \(name) in /proc/self/status") }
        return kibibytes << 10
    }
}
