// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireTestSupport
import QuireWorker
import Testing

/// A host's work folder on a real disk: inputs linked in, results moved out, and nothing but a
/// regular file inside the folder accepted as a result (a host may be compromised).
struct HostWorkFolderTests {
    let temp = TemporaryDirectory()

    func setUp() throws -> (folder: HostWorkFolder, job: URL) {
        let folder = HostWorkFolder(url: temp.file("hosts/engine-host-0"))
        try folder.reset()
        let job = temp.file("job")
        try FileManager.default.createDirectory(at: job.appendingPathComponent("result"), withIntermediateDirectories: true)
        try Data("input".utf8).write(to: job.appendingPathComponent("input-0"))
        return (folder, job)
    }

    @Test func pageFilesAreMovedBackAndTheFolderEmptied() throws {
        let (folder, job) = try setUp()
        let request = EngineRequest(
            operation: .pdfToPNG, inputs: [job.appendingPathComponent("input-0").path], output: job.appendingPathComponent("result").path,
            password: nil, pages: nil, options: [:])
        let staged = try folder.stage(request)
        #expect(staged.inputs[0].hasPrefix(folder.url.path + "/"))
        #expect(try String(contentsOfFile: staged.inputs[0], encoding: .utf8) == "input")
        let page = URL(fileURLWithPath: try #require(staged.output)).appendingPathComponent("page-1.png")
        try Data("png".utf8).write(to: page)
        let response = try folder.collect(
            EngineResponse(pageCount: 1, fields: ["files": .array([.string(page.path)])]), staged: staged, original: request)
        let moved = job.appendingPathComponent("result/page-1.png").path
        #expect(response.fields["files"] == .array([.string(moved)]))
        #expect(FileManager.default.fileExists(atPath: moved))
        try folder.reset()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
    }

    /// A result that is a symbolic link (to the URL secret, say) or a path outside the folder is refused.
    @Test(arguments: ["link", "outside"])
    func foreignResultsAreRefused(kind: String) throws {
        let (folder, job) = try setUp()
        let secret = temp.file("secret.key")
        try Data("secret".utf8).write(to: secret)
        let request = EngineRequest(
            operation: .pdfToPNG, inputs: [], output: job.appendingPathComponent("result").path, password: nil, pages: nil, options: [:])
        let staged = try folder.stage(request)
        let claimed: String
        if kind == "link" {
            claimed = URL(fileURLWithPath: try #require(staged.output)).appendingPathComponent("page-1.png").path
            try FileManager.default.createSymbolicLink(atPath: claimed, withDestinationPath: secret.path)
        } else {
            claimed = secret.path
        }
        #expect(throws: EngineHostError.self) {
            try folder.collect(EngineResponse(fields: ["files": .array([.string(claimed)])]), staged: staged, original: request)
        }
        #expect(!FileManager.default.fileExists(atPath: job.appendingPathComponent("result/page-1.png").path))
        #expect(!FileManager.default.fileExists(atPath: job.appendingPathComponent("result/secret.key").path))
    }

    /// Secrets and unknown variables of the server never reach a host.
    @Test func hostEnvironmentIsAnAllowlist() {
        let server = [
            "PATH": "/usr/bin", "LANG": "C.UTF-8", "LC_ALL": "C", "TZ": "UTC", "QUIRE_OFFICE_SANDBOX": "0",
            "QUIRE_URL_SECRET": "s", "QUIRE_API_KEYS": "k", "AWS_SECRET_ACCESS_KEY": "a", "QUIRE_ENGINE_TOKEN": "t",
            "DATABASE_URL": "postgres://u:p@h/db", "HOME": "/root",
        ]
        #expect(
            EngineHostProcess.inheritedEnvironment(server) == [
                "PATH": "/usr/bin", "LANG": "C.UTF-8", "LC_ALL": "C", "TZ": "UTC", "QUIRE_OFFICE_SANDBOX": "0",
            ])
    }
}
