// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Uploads stream to disk: a 200 MB upload, by each of the three routes, raises the server's
/// peak memory by less than `maxGrowthMB`, and the API keeps answering while they run.
@Suite(.serialized)
final class UploadBoundsTests {
    let temp = TemporaryDirectory()
    let server: QuireServer
    /// The bound stated in docs/security.md: peak RSS growth of the server during an upload.
    static let maxGrowthMB = 64

    init() async throws {
        server = try await QuireServer(data: temp.file("data"), arguments: ["--workers", "1", "--max-upload-mb", "250"])
    }

    deinit { server.kill9() }

    /// Peak resident memory of the server so far, in MB.
    func peakMB() throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(try #require(server.pid))/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }

    /// A file of `megabytes` random bytes, and its SHA-256.
    func randomFile(megabytes: Int) async throws -> (URL, String) {
        let file = temp.file("random-\(megabytes).bin")
        let script =
            "import os,sys,hashlib\nh=hashlib.sha256()\nwith open(sys.argv[1],'wb') as f:\n for _ in range(int(sys.argv[2])):\n  b=os.urandom(1<<20); h.update(b); f.write(b)\nprint(h.hexdigest())"
        let hash = try await runCommand("python3", ["-c", script, file.path, String(megabytes)]).output.trimmingCharacters(
            in: .whitespacesAndNewlines)
        return (file, hash)
    }

    func sha256(ofDownload url: String) async throws -> String {
        let script =
            "import sys,hashlib,urllib.request\nh=hashlib.sha256()\nr=urllib.request.urlopen(sys.argv[1])\nwhile True:\n b=r.read(1<<20)\n if not b: break\n h.update(b)\nprint(h.hexdigest())"
        return try await runCommand("python3", ["-c", script, url]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Keeps answering `/healthz` while `body` runs (the decoding must not hold the request threads):
    /// no answer stalls for 15 s, and an upload that runs over 5 s sees answers while it runs. The
    /// upload and the poll each run on a thread of their own, not on Swift's cooperative pool: on
    /// two cores the other suites' blocking calls (`runCommand`) can hold every pool thread for
    /// seconds, which starved the poll of this process rather than the server (CI saw uploads of
    /// 5–8 s with no answer counted). A server that held its threads for the upload would still
    /// answer none until the upload ended.
    func whileResponsive(_ body: @escaping @Sendable () throws -> String) async throws -> String {
        let health = try #require(URL(string: "\(server.baseURL)/healthz"))
        let bodyEnded = Flag()
        let poll = HealthPoll()
        let started = Date()
        Thread {
            while !bodyEnded.isSet {
                let requested = Date()
                let status = Self.blockingStatus(of: health, timeout: 20)
                if status == 200 {
                    if !bodyEnded.isSet { poll.answered() }
                } else {
                    poll.failed("healthz answered \(status.map(String.init) ?? "nothing")")
                }
                poll.took(Date().timeIntervalSince(requested))
                Thread.sleep(forTimeInterval: 0.05)
            }
            poll.finish()
        }.start()
        let outcome: Result<String, any Error> = await withCheckedContinuation { continuation in
            Thread {
                let outcome = Result { try body() }
                bodyEnded.set()
                continuation.resume(returning: outcome)
            }.start()
        }
        let seconds = Date().timeIntervalSince(started)
        // The poll's last request may still be on its way (at most its 20 s timeout).
        while !poll.isFinished { try await Task.sleep(for: .milliseconds(50)) }
        for failure in poll.failures { Issue.record("\(failure)") }
        #expect(poll.slowest < 15, "healthz took \(poll.slowest) s during an upload")
        print("upload: \(seconds) s, healthz answered \(poll.answeredDuringBody) times while it ran")
        if seconds > 5 { #expect(poll.answeredDuringBody >= 1, "healthz did not answer during a \(seconds) s upload") }
        return try outcome.get()
    }

    /// A GET that blocks its thread (URLSession calls back on its own queue, not the pool).
    static func blockingStatus(of url: URL, timeout: TimeInterval) -> Int? {
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        let done = DispatchSemaphore(value: 0)
        let status = StatusBox()
        URLSession.shared.dataTask(with: request) { _, response, _ in
            status.value = (response as? HTTPURLResponse)?.statusCode
            done.signal()
        }.resume()
        done.wait()
        return status.value
    }

    @Test func largeUploadsStayOutOfMemory() async throws {
        let (file, hash) = try await randomFile(megabytes: 200)
        let before = try peakMB()

        // Presigned PUT, streamed by curl.
        let (presign, _) = try await HTTP.getJSON("\(server.baseURL)/file/upload/get-presigned-url?name=big.bin")
        let putURL = try #require(presign["presignedUrl"] as? String)
        let put = try await whileResponsive {
            try runCommandBlocking("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-T", file.path, putURL]).output
        }
        #expect(put == "200")

        // Multipart /file/upload.
        let multipart = try await whileResponsive { [base = server.baseURL] in
            try runCommandBlocking("curl", ["-s", "-F", "file=@\(file.path);filename=big.bin", "\(base)/file/upload"]).output
        }
        let multipartURL = try #require(try HTTP.json(Data(multipart.utf8))["url"] as? String)

        // Base64 in a JSON body: 100 MB of data is 133 MB of text.
        let (small, smallHash) = try await randomFile(megabytes: 100)
        let body = temp.file("body.json")
        let encode =
            "import base64,sys\nwith open(sys.argv[2],'wb') as o, open(sys.argv[1],'rb') as i:\n o.write(b'{\"name\": \"b64.bin\", \"file\": \"data:application/octet-stream;base64,')\n while True:\n  b=i.read(3<<18)\n  if not b: break\n  o.write(base64.b64encode(b).replace(b'/', b'\\\\/'))\n o.write(b'\", \"expiration\": 30}')"
        _ = try await runCommand("python3", ["-c", encode, small.path, body.path])
        let base64 = try await whileResponsive { [base = server.baseURL] in
            try runCommandBlocking(
                "curl", ["-s", "-H", "Content-Type: application/json", "--data-binary", "@\(body.path)", "\(base)/file/upload/base64"]
            ).output
        }
        let base64URL = try #require(try HTTP.json(Data(base64.utf8))["url"] as? String, "\(base64.prefix(300))")

        // Measured before the downloads below, which are not what this test bounds.
        let growth = try peakMB() - before
        #expect(growth < Self.maxGrowthMB, "peak RSS grew by \(growth) MB (from \(before) MB)")
        #expect(try await sha256(ofDownload: try #require(presign["url"] as? String)) == hash)
        #expect(try await sha256(ofDownload: multipartURL) == hash)
        #expect(try await sha256(ofDownload: base64URL) == smallHash)
    }

    /// Base64 as a form body (percent-encoded) and as a multipart field decode to the same bytes.
    @Test func base64FormAndMultipart() async throws {
        let original = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
        let text = original.base64EncodedString(options: .lineLength76Characters)
        let (form, formStatus) = try await HTTP.postForm("\(server.baseURL)/file/upload/base64", ["file": text, "name": "f.bin"])
        #expect(formStatus == 200, "\(form)")
        #expect(try await HTTP.get(try #require(form["url"] as? String)).0 == original)
        let boundary = "quire-boundary"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nm.bin\r\n".utf8)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n\(text)\r\n--\(boundary)--\r\n".utf8)
        let (data, status) = try await HTTP.request(
            "POST", "\(server.baseURL)/file/upload/base64", body: body,
            headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"])
        let answer = try HTTP.json(data)
        #expect(status == 200, "\(answer)")
        #expect(answer["name"] as? String == "m.bin")
        #expect(try await HTTP.get(try #require(answer["url"] as? String)).0 == original)
        // Not base64, and no `file` at all: 400 with a message.
        let (bad, badStatus) = try await HTTP.postJSON("\(server.baseURL)/file/upload/base64", ["file": "%%%not base64%%%"])
        #expect(badStatus == 400, "\(bad)")
        let (missing, missingStatus) = try await HTTP.postJSON("\(server.baseURL)/file/upload/base64", ["name": "x"])
        #expect(missingStatus == 400, "\(missing)")
    }

    /// Shapes an adversarial review found: too many parts, a long epilogue, the pair after a form
    /// `file`, a second `file`, spaces in JSON base64, base64 in the query string.
    @Test func awkwardBodiesAreReadRightOrRefused() async throws {
        let base = server.baseURL
        let multipart = ["Content-Type": "multipart/form-data; boundary=b"]
        let manyParts =
            Data(String(repeating: "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv\r\n", count: 1001).utf8)
            + Data("--b--\r\n".utf8)
        let (tooMany, tooManyStatus) = try await HTTP.request("POST", "\(base)/file/upload", body: manyParts, headers: multipart)
        #expect(tooManyStatus == 400, "\(String(decoding: tooMany, as: UTF8.self))")
        let manyFiles =
            Data(
                String(repeating: "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\nv\r\n", count: 17).utf8)
            + Data("--b--\r\n".utf8)
        #expect(try await HTTP.request("POST", "\(base)/file/upload", body: manyFiles, headers: multipart).1 == 400)
        let epilogue =
            Data("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\nabc\r\n--b--\r\n".utf8)
            + Data(count: 20 << 20)
        let (kept, keptStatus) = try await HTTP.request("POST", "\(base)/file/upload", body: epilogue, headers: multipart)
        #expect(keptStatus == 200)
        #expect(try await HTTP.get(try #require(try HTTP.json(kept)["url"] as? String)).0 == Data("abc".utf8))

        let form = ["Content-Type": "application/x-www-form-urlencoded"]
        let (named, _) = try await HTTP.request(
            "POST", "\(base)/file/upload/base64", body: Data("file=QUJD&name=g.pdf".utf8), headers: form)
        #expect(try HTTP.json(named)["name"] as? String == "g.pdf")
        let (_, rangeStatus) = try await HTTP.request(
            "POST", "\(base)/file/upload/base64", body: Data("file=QUJD&expiration=99999".utf8), headers: form)
        #expect(rangeStatus == 400)
        let (_, twiceStatus) = try await HTTP.request(
            "POST", "\(base)/file/upload/base64", body: Data(#"{"file": "QUJD", "file": "REVG"}"#.utf8))
        #expect(twiceStatus == 400)
        let (spaced, _) = try await HTTP.request("POST", "\(base)/file/upload/base64", body: Data(#"{"file": "QU JD REVG"}"#.utf8))
        #expect(try await HTTP.get(try #require(try HTTP.json(spaced)["url"] as? String)).0 == Data("ABCDEF".utf8))
        let (query, queryStatus) = try await HTTP.request("POST", "\(base)/file/upload/base64?file=QUJD&name=q.txt")
        #expect(queryStatus == 200)
        #expect(try await HTTP.get(try #require(try HTTP.json(query)["url"] as? String)).0 == Data("ABC".utf8))
        #expect(regularFiles(under: server.data.appendingPathComponent("tmp")).isEmpty)
    }

    /// An answer sent before its request's body ended (409 here) closes the connection, and a
    /// body cut short by a half-close is a 400, not a 500.
    @Test func unfinishedBodiesEndTheirConnection() async throws {
        let (presign, _) = try await HTTP.getJSON("\(server.baseURL)/file/upload/get-presigned-url?name=a.pdf")
        let putURL = try #require(presign["presignedUrl"] as? String)
        #expect(try await HTTP.request("PUT", putURL, body: Data("first".utf8)).1 == 200)
        let path = try #require(URL(string: putURL)).path
        let script = """
            import socket, sys, time
            port, path = int(sys.argv[1]), sys.argv[2]
            s = socket.create_connection(("127.0.0.1", port)); s.settimeout(10)
            s.sendall(("PUT %s HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nContent-Length: 1000000\\r\\n\\r\\n" % path).encode() + b"x" * 10)
            answer = b""
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk: break
                    answer += chunk
                print("closed", answer.split(b"\\r\\n")[0].decode())
            except socket.timeout:
                print("open", answer.split(b"\\r\\n")[0].decode())
            t = socket.create_connection(("127.0.0.1", port)); t.settimeout(10)
            t.sendall(b"POST /file/upload HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nContent-Type: multipart/form-data; boundary=b\\r\\nContent-Length: 1000000\\r\\n\\r\\n--b\\r\\n")
            t.shutdown(socket.SHUT_WR)
            print("half", t.recv(65536).split(b"\\r\\n")[0].decode())
            """
        let output = try await runCommand("python3", ["-c", script, String(server.port), path]).output
        #expect(output.contains("closed HTTP/1.1 409"), "\(output)")
        #expect(output.contains("half HTTP/1.1 400"), "\(output)")
    }
}

/// A one-way flag shared between the upload task and the health poll.
/// What the health poll saw, written by its thread and read by the test.
private final class HealthPoll: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var longest = 0.0
    private var problems: [String] = []
    private var done = false

    var answeredDuringBody: Int { lock.withLock { count } }
    var slowest: Double { lock.withLock { longest } }
    var failures: [String] { lock.withLock { problems } }
    var isFinished: Bool { lock.withLock { done } }
    func answered() { lock.withLock { count += 1 } }
    func took(_ seconds: Double) { lock.withLock { longest = max(longest, seconds) } }
    func failed(_ problem: String) { lock.withLock { problems.append(problem) } }
    func finish() { lock.withLock { done = true } }
}

private final class StatusBox: @unchecked Sendable {
    var value: Int?
}

private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
