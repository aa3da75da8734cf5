// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

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

    deinit { server.stop() }

    /// Peak resident memory of the server so far, in MB.
    func peakMB() throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(try #require(server.pid))/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }

    /// A file of `megabytes` random bytes, and its SHA-256.
    func randomFile(megabytes: Int) throws -> (URL, String) {
        let file = temp.file("random-\(megabytes).bin")
        let script =
            "import os,sys,hashlib\nh=hashlib.sha256()\nwith open(sys.argv[1],'wb') as f:\n for _ in range(int(sys.argv[2])):\n  b=os.urandom(1<<20); h.update(b); f.write(b)\nprint(h.hexdigest())"
        let hash = try runCommand("python3", ["-c", script, file.path, String(megabytes)]).output.trimmingCharacters(
            in: .whitespacesAndNewlines)
        return (file, hash)
    }

    func sha256(ofDownload url: String) throws -> String {
        let script =
            "import sys,hashlib,urllib.request\nh=hashlib.sha256()\nr=urllib.request.urlopen(sys.argv[1])\nwhile True:\n b=r.read(1<<20)\n if not b: break\n h.update(b)\nprint(h.hexdigest())"
        return try runCommand("python3", ["-c", script, url]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Answers `/healthz` within 5 s while `body` runs (the decoding must not hold the request threads).
    func whileResponsive(_ body: @escaping @Sendable () throws -> String) async throws -> String {
        let base = server.baseURL
        return try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask { try body() }
            group.addTask {
                var slowest = 0.0
                while !Task.isCancelled {
                    let started = Date()
                    do {
                        #expect(try await HTTP.request("GET", "\(base)/healthz", timeout: 10).1 == 200)
                    } catch  where !Task.isCancelled {
                        Issue.record("healthz: \(error)")
                    } catch {
                        break  // the upload ended: this request was cancelled with the poll
                    }
                    slowest = max(slowest, Date().timeIntervalSince(started))
                    try? await Task.sleep(for: .milliseconds(200))
                }
                #expect(slowest < 5, "healthz took \(slowest) s during an upload")
                return nil
            }
            var result = ""
            for try await value in group {
                if let value {
                    result = value
                    group.cancelAll()
                }
            }
            return result
        }
    }

    @Test func largeUploadsStayOutOfMemory() async throws {
        let (file, hash) = try randomFile(megabytes: 200)
        let before = try peakMB()

        // Presigned PUT, streamed by curl.
        let (presign, _) = try await HTTP.getJSON("\(server.baseURL)/file/upload/get-presigned-url?name=big.bin")
        let putURL = try #require(presign["presignedUrl"] as? String)
        let put = try await whileResponsive {
            try runCommand("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-T", file.path, putURL]).output
        }
        #expect(put == "200")

        // Multipart /file/upload.
        let multipart = try await whileResponsive { [base = server.baseURL] in
            try runCommand("curl", ["-s", "-F", "file=@\(file.path);filename=big.bin", "\(base)/file/upload"]).output
        }
        let multipartURL = try #require(try HTTP.json(Data(multipart.utf8))["url"] as? String)

        // Base64 in a JSON body: 100 MB of data is 133 MB of text.
        let (small, smallHash) = try randomFile(megabytes: 100)
        let body = temp.file("body.json")
        let encode =
            "import base64,sys\nwith open(sys.argv[2],'wb') as o, open(sys.argv[1],'rb') as i:\n o.write(b'{\"name\": \"b64.bin\", \"file\": \"data:application/octet-stream;base64,')\n while True:\n  b=i.read(3<<18)\n  if not b: break\n  o.write(base64.b64encode(b).replace(b'/', b'\\\\/'))\n o.write(b'\", \"expiration\": 30}')"
        _ = try runCommand("python3", ["-c", encode, small.path, body.path])
        let base64 = try await whileResponsive { [base = server.baseURL] in
            try runCommand(
                "curl", ["-s", "-H", "Content-Type: application/json", "--data-binary", "@\(body.path)", "\(base)/file/upload/base64"]
            ).output
        }
        let base64URL = try #require(try HTTP.json(Data(base64.utf8))["url"] as? String, "\(base64.prefix(300))")

        // Measured before the downloads below, which are not what this test bounds.
        let growth = try peakMB() - before
        #expect(growth < Self.maxGrowthMB, "peak RSS grew by \(growth) MB (from \(before) MB)")
        #expect(try sha256(ofDownload: try #require(presign["url"] as? String)) == hash)
        #expect(try sha256(ofDownload: multipartURL) == hash)
        #expect(try sha256(ofDownload: base64URL) == smallHash)
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
}
