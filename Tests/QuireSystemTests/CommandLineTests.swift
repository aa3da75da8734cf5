// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// `quire keys`, `quire convert` and the start-up refusal, through the real binary.
struct CommandLineTests {
    /// A keyless server refuses a non-loopback address and says what to do.
    @Test func keylessServerRefusesPublicAddress() async throws {
        let temp = TemporaryDirectory()
        let result = try await runCommand(
            QuireServer.binary.path, ["serve", "--host", "0.0.0.0", "--port", "0", "--data", temp.file("data").path])
        #expect(result.status != 0)
    }

    /// A key made by `quire keys create` works; after `revoke` and a restart it does not.
    @Test func keysLifecycle() async throws {
        let temp = TemporaryDirectory()
        let data = temp.file("data").path
        let created = try await runCommand(QuireServer.binary.path, ["keys", "create", "--data", data, "--name", "ci"])
        #expect(created.status == 0)
        let key = created.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.hasPrefix("qk_"))
        let listed = try await runCommand(QuireServer.binary.path, ["keys", "list", "--data", data])
        #expect(listed.output.contains("\tci\t"))
        #expect(!listed.output.contains(key))
        #expect(try String(contentsOfFile: data + "/keys.json", encoding: .utf8).contains(key) == false)

        let server = try await QuireServer(data: URL(fileURLWithPath: data))
        #expect(try await HTTP.getJSON("\(server.baseURL)/account/credit/balance", headers: ["x-api-key": key]).1 == 200)
        #expect(try await HTTP.getJSON("\(server.baseURL)/account/credit/balance").1 == 401)
        server.stop()

        let id = try #require(listed.output.split(separator: "\t").first.map(String.init))
        #expect(try await runCommand(QuireServer.binary.path, ["keys", "revoke", "--data", data, id]).status == 0)
        // With no key left the loopback server runs keyless again; the revoked key is simply not needed.
        #expect(try APIKeysFile.count(at: data + "/keys.json") == 0)
    }

    /// `quire convert office-to-pdf`: a LibreOffice host started for the one file.
    @Test func convertOfficeToPDFLocally() async throws {
        let temp = TemporaryDirectory()
        let input = packageRoot.appendingPathComponent("Tests/Fixtures/office/report.docx")
        let output = temp.file("report.pdf")
        let result = try await runCommand(QuireServer.binary.path, ["convert", "office-to-pdf", input.path, "-o", output.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(try await runCommand("pdftotext", [output.path, "-"]).output.contains("Quarterly"))
    }

    @Test func convertPDFToTextLocally() async throws {
        let temp = TemporaryDirectory()
        try Fixtures.threePages.write(to: temp.file("in.pdf"))
        let result = try await runCommand(QuireServer.binary.path, ["convert", "pdf-to-text", temp.file("in.pdf").path, "--pages", "1"])
        #expect(result.status == 0)
        #expect(result.output.contains("Page 2 of 3"))
        #expect(!result.output.contains("Page 1 of 3"))
        let info = try await runCommand(QuireServer.binary.path, ["convert", "pdf-info", temp.file("in.pdf").path])
        #expect(info.output.contains("\"PageCount\" : 3"))
        let png = try await runCommand(
            QuireServer.binary.path, ["convert", "pdf-to-png", temp.file("in.pdf").path, "--pages", "0-1", "-o", temp.file("png").path])
        #expect(png.status == 0)
        #expect(png.output.split(separator: "\n").map { String($0.split(separator: "/").last ?? "") } == ["in-1.png", "in-2.png"])
    }

    /// `-o` never replaces what is not a regular file: a pipe (as /dev/null is a device) is
    /// written into and stays a pipe, a link writes its target, a folder is refused and kept.
    @Test func convertWritesIntoPipesAndLinksAndRefusesFolders() async throws {
        let temp = TemporaryDirectory()
        try Fixtures.threePages.write(to: temp.file("in.pdf"))
        func convert(to output: String) async throws -> (status: Int32, output: String) {
            // stderr too: that is where the refusal goes.
            try await runCommand(
                "/bin/sh",
                ["-c", "\"$@\" 2>&1", "sh", QuireServer.binary.path, "convert", "pdf-to-text", temp.file("in.pdf").path, "-o", output])
        }
        let fifo = temp.file("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/sh")
        reader.arguments = ["-c", "timeout 20 cat \"$0\" > \"$0.out\"", fifo]  // bounded: old code replaced the pipe
        try reader.run()
        let piped = try await convert(to: fifo)
        reader.waitUntilExit()
        #expect(piped.status == 0, "\(piped.output)")
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "still a pipe")
        #expect(try String(contentsOfFile: fifo + ".out", encoding: .utf8).contains("Page 2 of 3"))

        let target = temp.file("target.txt")
        try Data("old text that is longer than nothing".utf8).write(to: target)
        try FileManager.default.createSymbolicLink(atPath: temp.file("link").path, withDestinationPath: target.path)
        #expect(try await convert(to: temp.file("link").path).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: temp.file("link").path) == target.path)
        let written = try String(contentsOf: target, encoding: .utf8)
        #expect(written.contains("Page 2 of 3") && !written.contains("old text"))

        let folder = temp.file("folder")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: folder.appendingPathComponent("keep.txt"))
        let refused = try await convert(to: folder.path)
        #expect(refused.status != 0)
        #expect(refused.output.contains("is a folder"), "\(refused.output)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("keep.txt").path))
    }

    /// `quire convert merge`, `split` and `optimize` on the toolkit fixtures.
    @Test func convertMergeSplitOptimizeLocally() async throws {
        let temp = TemporaryDirectory()
        let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/toolkit")
        let merged = temp.file("merged.pdf")
        let merge = try await runCommand(
            QuireServer.binary.path,
            [
                "convert", "merge", fixtures.appendingPathComponent("numbered-a.pdf").path,
                fixtures.appendingPathComponent("encrypted-aes256.pdf").path, "--password", "user123", "-o", merged.path,
            ])
        #expect(merge.status == 0, "\(merge.output)")
        #expect(try await runCommand("qpdf", ["--show-npages", merged.path]).output.trimmingCharacters(in: .whitespacesAndNewlines) == "6")
        let split = try await runCommand(
            QuireServer.binary.path, ["convert", "split", merged.path, "--pages", "1-3,4-", "-o", temp.file("parts").path])
        #expect(
            split.output.split(separator: "\n").map { String($0.split(separator: "/").last ?? "") }
                == ["merged_page1-3.pdf", "merged_page4-6.pdf"])
        let optimized = temp.file("small.pdf")
        let optimize = try await runCommand(
            QuireServer.binary.path, ["convert", "optimize", fixtures.appendingPathComponent("form.pdf").path, "-o", optimized.path])
        #expect(optimize.status == 0, "\(optimize.output)")
        #expect(optimize.output.contains("1 images rewritten"))
        #expect(try await runCommand("qpdf", ["--check", optimized.path]).status == 0)
    }
}

/// Reads the keys file the way an operator would check it.
enum APIKeysFile {
    static func count(at path: String) throws -> Int {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return (try JSONSerialization.jsonObject(with: data) as? [Any])?.count ?? -1
    }
}
