// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// Attacks from docs/security.md, each against the real server over real sockets: the
/// request is refused with a PDF.co error and the server goes on answering.
@Suite(.serialized)
final class HostileRequestTests {
    let temp = TemporaryDirectory()
    let server: QuireServer

    init() async throws {
        server = try await QuireServer(
            data: temp.file("data"), arguments: ["--workers", "1", "--max-inputs", "5", "--header-timeout", "2", "--idle-timeout", "3"])
    }

    deinit { server.kill9() }

    func expectAlive() async throws {
        #expect(try await HTTP.get("\(server.baseURL)/healthz").1 == 200)
    }

    /// Numbers that overflow `Int`, NaN and infinities are a 400 naming the parameter, never a trap.
    @Test(arguments: ["1e300", "-1e300", "9.3e18", "9223372036854775807", "NaN", "inf", "-inf", "1.5", "-1"])
    func hugeNumbersAreRefused(value: String) async throws {
        let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
        let (data, status) = try await HTTP.get("\(server.baseURL)/file/upload/get-presigned-url?name=a.pdf&expiration=\(encoded)")
        #expect(status == 400)
        let answer = try HTTP.json(data)
        #expect(answer["error"] as? Bool == true)
        #expect((answer["message"] as? String)?.contains("expiration") == true)
        if value != "-1" {
            let (rotate, rotateStatus) = try await HTTP.postJSON(
                "\(server.baseURL)/pdf/edit/rotate", ["url": "https://example.com/a.pdf", "angle": value])
            #expect(rotateStatus == 400, "\(rotate)")
        }
        // A JSON number too large for Int arrives as a double.
        let (_, jsonStatus) = try await HTTP.request(
            "POST", "\(server.baseURL)/pdf/convert/to/text", body: Data(#"{"url": "https://example.com/a.pdf", "expiration": 1e300}"#.utf8))
        #expect(jsonStatus == 400)
        try await expectAlive()
    }

    /// A job may name at most `--max-inputs` files.
    @Test func tooManyInputsAreRefused() async throws {
        let urls = (0..<10_000).map { "https://example.com/\($0).pdf" }.joined(separator: ",")
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/merge", ["url": urls, "async": true])
        #expect(status == 400)
        #expect((answer["message"] as? String)?.contains("at most 5") == true)
    }

    /// A job's inputs together may hold `--max-job-input-mb`: the job fails with 413 once they pass it.
    @Test func inputBytesPerJobAreCapped() async throws {
        let capped = try await QuireServer(data: temp.file("capped"), arguments: ["--workers", "1", "--max-job-input-mb", "1"])
        defer { capped.stop() }
        let blob = Data(repeating: 0x25, count: 700_000)
        let first = try await HTTP.upload(blob, name: "a.pdf", base: capped.baseURL)
        let second = try await HTTP.upload(blob, name: "b.pdf", base: capped.baseURL)
        let (answer, status) = try await HTTP.postJSON("\(capped.baseURL)/pdf/merge", ["url": "\(first),\(second)"])
        #expect(status == 413, "\(answer)")
        #expect((answer["message"] as? String)?.contains("--max-job-input-mb") == true)
    }

    /// What a client uploaded is served as an opaque attachment, never as HTML; results keep their type.
    @Test func uploadsAreServedAsAttachments() async throws {
        let html = Data("<html><script>alert(document.cookie)</script></html>".utf8)
        for name in ["x.html", "x.xml", "x.svg", "x.pdf"] {
            let url = try await HTTP.upload(html, name: name, base: server.baseURL)
            let headers = try await responseHeaders(url)
            #expect(headers["content-type"] == "application/octet-stream", "\(name): \(headers)")
            #expect(headers["content-disposition"]?.hasPrefix("attachment") == true)
            #expect(headers["x-content-type-options"] == "nosniff")
            #expect(headers["content-security-policy"] == "sandbox")
        }
        let pdf = try await HTTP.upload(Fixtures.threePages, name: "a.pdf", base: server.baseURL)
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/edit/rotate", ["url": pdf, "name": "x.html"])
        #expect(status == 200)
        let result = try await responseHeaders(try #require(answer["url"] as? String))
        #expect(result["content-type"] == "application/pdf")
        #expect(result["x-content-type-options"] == "nosniff")
        #expect(result["content-security-policy"] == "sandbox")
    }

    /// Response headers of a GET (lower-cased names), via curl so nothing is normalized.
    func responseHeaders(_ url: String) async throws -> [String: String] {
        let output = try await runCommand("curl", ["-s", "-D", "-", "-o", "/dev/null", url]).output
        var headers: [String: String] = [:]
        for line in output.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            if pair.count == 2 { headers[pair[0].lowercased()] = pair[1].trimmingCharacters(in: .whitespaces) }
        }
        return headers
    }

    /// A presigned URL takes one PUT: a second one, even after the first file was used, gets 409.
    @Test func presignedURLWorksOnce() async throws {
        let (presign, _) = try await HTTP.getJSON("\(server.baseURL)/file/upload/get-presigned-url?name=a.pdf")
        let putURL = try #require(presign["presignedUrl"] as? String)
        let url = try #require(presign["url"] as? String)
        #expect(try await HTTP.request("PUT", putURL, body: Fixtures.threePages).1 == 200)
        let (second, status) = try await HTTP.request("PUT", putURL, body: Data("replaced".utf8))
        #expect(status == 409)
        #expect(try HTTP.json(second)["error"] as? Bool == true)
        #expect(try await HTTP.get(url).0 == Fixtures.threePages)
        // Racing PUTs to a fresh URL: exactly one wins.
        let (fresh, _) = try await HTTP.getJSON("\(server.baseURL)/file/upload/get-presigned-url?name=b.pdf")
        let freshPut = try #require(fresh["presignedUrl"] as? String)
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<8 { group.addTask { try await HTTP.request("PUT", freshPut, body: Data("body \(index)".utf8)).1 } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 200 }.count == 1, "\(statuses)")
        // The losers get 409, or 429 when they arrive while this client's upload slots are full.
        #expect(statuses.filter { $0 == 409 || $0 == 429 }.count == 7, "\(statuses)")
    }

    /// Keyless server: a request naming another host (DNS rebinding) or sent from another
    /// site's page (CSRF) is refused; the same request from a plain client works.
    @Test func crossSiteAndForeignHostAreRefused() async throws {
        let body = Data(#"{"url": "https://example.com/a.pdf"}"#.utf8)
        let endpoint = "\(server.baseURL)/pdf/info"
        let attacks: [[String: String]] = [
            ["Host": "evil.example", "Content-Type": "text/plain"],
            ["Origin": "http://evil.example", "Content-Type": "text/plain"],
            ["Sec-Fetch-Site": "cross-site"],
            ["Origin": "null"],
        ]
        for headers in attacks {
            let (data, status) = try await HTTP.request("POST", endpoint, body: body, headers: headers)
            #expect(status == 403, "\(headers)")
            #expect(try HTTP.json(data)["error"] as? Bool == true)
        }
        let sameOrigin = ["Origin": server.baseURL, "Sec-Fetch-Site": "same-origin"]
        let (_, status) = try await HTTP.request("POST", endpoint, body: body, headers: sameOrigin)
        #expect(status != 403)
        let (_, localhost) = try await HTTP.request("POST", endpoint, body: body, headers: ["Host": "localhost:\(server.port)"])
        #expect(localhost != 403)
    }

    /// Sockets that never finish their headers, or go silent mid-body, are closed by the server.
    @Test func stalledConnectionsAreClosed() async throws {
        let script = """
            import socket, sys, time
            port = int(sys.argv[1])
            socks = []
            for i in range(5):
                s = socket.create_connection(("127.0.0.1", port)); s.sendall(b"GET /healthz HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nX-A: "); socks.append(s)
            for i in range(5):
                s = socket.create_connection(("127.0.0.1", port))
                s.sendall(b"POST /pdf/info HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nContent-Length: 1000\\r\\n\\r\\n{"); socks.append(s)
            # Drip header bytes on one more: each byte resets no timer.
            drip = socket.create_connection(("127.0.0.1", port)); drip.sendall(b"GET /healthz HTTP/1.1\\r\\n")
            closed, dripped = 0, True
            deadline = time.time() + 12
            for s in socks: s.settimeout(12)
            for s in socks:
                try:
                    if s.recv(1) == b"": closed += 1
                    else: closed += 1  # an error answer, then the close
                except Exception: pass
            for i in range(20):
                try: drip.sendall(b"X"); time.sleep(0.5)
                except Exception: dripped = False; break
            print(closed, "closed", "dripper-open" if dripped else "dripper-closed")
            """
        let started = Date()
        let result = try await runCommand("python3", ["-c", script, String(server.port)])
        #expect(result.output.contains("10 closed"), "\(result.output)")
        #expect(result.output.contains("dripper-closed"), "\(result.output)")
        #expect(Date().timeIntervalSince(started) < 25)
        try await expectAlive()
    }

    /// Data at rest is readable by this user only.
    @Test func dataIsPrivate() async throws {
        _ = try await HTTP.upload(Fixtures.threePages, name: "a.pdf", base: server.baseURL)
        func mode(_ path: String) throws -> Int {
            ((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? NSNumber)?.intValue ?? -1
        }
        #expect(try mode(server.data.path) == 0o700)
        #expect(try mode(server.data.appendingPathComponent("quire.sqlite").path) & 0o077 == 0)
        let files = FileManager.default.enumerator(atPath: server.data.appendingPathComponent("files").path)?.allObjects as? [String] ?? []
        #expect(!files.isEmpty)
        for file in files { #expect(try mode(server.data.appendingPathComponent("files/\(file)").path) & 0o077 == 0, "\(file)") }
    }

    /// Passwords live in a job's record only while it may run.
    @Test func finishedJobsKeepNoSecrets() async throws {
        let url = try await HTTP.upload(Fixtures.threePages, name: "a.pdf", base: server.baseURL)
        let (answer, status) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/security/add",
            [
                "url": url, "ownerPassword": "owner-secret-4711", "userPassword": "user-secret-4711", "httpusername": "fetch-user-4711",
                "httppassword": "fetch-secret-4711",
            ])
        #expect(status == 200, "\(answer)")
        let dump = try await runCommand(
            "python3",
            [
                "-c", "import sqlite3,sys; print(list(sqlite3.connect(sys.argv[1]).execute('select * from jobs')))",
                server.data.appendingPathComponent("quire.sqlite").path,
            ]
        ).output
        #expect(dump.contains("security") || dump.contains("Protect") || dump.count > 100, "\(dump)")
        #expect(!dump.contains("4711"), "\(dump)")
    }
}
