// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireEngines
import QuireTestSupport

/// The test process's one base MuPDF context, as an engine host has one; tests share it the way
/// concurrent jobs do, each call working on its own clone.
let mupdf: MuPDFContext = try! MuPDFContext()

/// Files the engine tests write, in a directory of their own that is removed when `with` returns
/// (a scope, rather than `TemporaryDirectory`'s deinit, which ARC may run before the last use of a
/// URL inside it).
struct EngineFixtures {
    let directory: URL

    static let hasQPDF = FileManager.default.isExecutableFile(atPath: "/usr/bin/qpdf")
    static let hasPdftotext = FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext")

    /// Runs `body` with a fresh temp directory and removes it however `body` ends.
    static func with<T>(_ body: (EngineFixtures) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("quire-engines-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(EngineFixtures(directory: directory))
    }

    /// `with` for a body that awaits (runs reference tools with `runCommand`).
    static func withAsync<T>(_ body: (EngineFixtures) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("quire-engines-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(EngineFixtures(directory: directory))
    }

    /// Writes `data` as `name` and returns its URL.
    func file(_ name: String, _ data: Data) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    /// An AES-256 copy of `input` made by qpdf, with `restrictions` such as `--print=none`.
    func encrypted(_ input: URL, user: String, owner: String, restrictions: [String] = []) async throws -> URL {
        let output = directory.appendingPathComponent("encrypted-\(UUID().uuidString).pdf")
        let (status, _) = try await runCommand(
            "qpdf", ["--encrypt", user, owner, "256"] + restrictions + ["--", input.path, output.path])
        // qpdf exits 3 when it succeeded with warnings.
        guard status == 0 || status == 3 else { throw FixtureError.toolFailed("qpdf", status) }
        return output
    }

    /// `pdftotext -layout` of `input`, for loose comparisons with poppler.
    func pdftotextLayout(_ input: URL) async throws -> String {
        let output = directory.appendingPathComponent("pdftotext-\(UUID().uuidString).txt")
        let (status, _) = try await runCommand("pdftotext", ["-layout", "-enc", "UTF-8", input.path, output.path])
        guard status == 0 else { throw FixtureError.toolFailed("pdftotext", status) }
        return try String(contentsOf: output, encoding: .utf8)
    }

    enum FixtureError: Error {
        case toolFailed(String, Int32)
    }
}
