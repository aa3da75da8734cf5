// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireTestSupport
import QuireWorker
import Testing

/// The MuPDF host's sandbox from outside: the real `quire engine-host`, spoken to over its
/// pipes as the worker does, is handed paths outside its work folder directly (the worker
/// never does: it links inputs in). It may read and write only inside that folder.
struct EngineHostSandboxTests {
    @Test func hostReadsAndWritesOnlyItsWorkFolder() throws {
        let temp = TemporaryDirectory()
        let work = temp.file("work")
        let outside = temp.file("outside")
        for folder in [work, outside] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let pdf = TestPDF.make(pages: ["Secret page"])
        try pdf.write(to: work.appendingPathComponent("in.pdf"))
        try pdf.write(to: outside.appendingPathComponent("secret.pdf"))
        let child = try ChildProcess(
            executable: QuireServer.binary.path, arguments: ["engine-host"],
            environment: [
                "PATH": "/usr/bin:/bin", "QUIRE_ENGINE_WORK": work.path, "HOME": work.path, "TMPDIR": work.path,
                "QUIRE_ENGINE_PARENT_PID": String(getpid()),
            ])
        defer {
            child.kill()
            child.wait()
        }
        _ = try #require(try EngineFrame.read(EngineResponse.self, from: child.output), "no ready frame")

        func text(of input: URL, into output: URL) throws -> EngineResponse {
            try EngineFrame.write(
                EngineRequest(operation: .pdfToText, inputs: [input.path], output: output.path, password: nil, pages: nil, options: [:]),
                to: child.input)
            return try #require(try EngineFrame.read(EngineResponse.self, from: child.output))
        }

        let allowed = try text(of: work.appendingPathComponent("in.pdf"), into: work.appendingPathComponent("out.txt"))
        #expect(allowed.error == nil)
        #expect(try String(contentsOf: work.appendingPathComponent("out.txt"), encoding: .utf8).contains("Secret page"))

        let read = try text(of: outside.appendingPathComponent("secret.pdf"), into: work.appendingPathComponent("leak.txt"))
        #expect(read.error != nil)
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("leak.txt").path))

        let write = try text(of: work.appendingPathComponent("in.pdf"), into: outside.appendingPathComponent("written.txt"))
        #expect(write.error != nil)
        #expect(!FileManager.default.fileExists(atPath: outside.appendingPathComponent("written.txt").path))
    }
}
