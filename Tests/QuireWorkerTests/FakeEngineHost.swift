// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines
import QuireWorker

/// An engine host without a process: answers each request as its test scripted, and keeps
/// the requests it saw. Lets `Worker` be tested without spawning `quire engine-host`.
final class FakeEngineHost: EngineHost, @unchecked Sendable {
    typealias Script = @Sendable (_ request: EngineRequest, _ timeout: Duration) async throws -> EngineResponse

    let name: String
    private let script: Script
    private let lock = NSLock()
    private var seen: [EngineRequest] = []
    private var started = false
    private var stopped = false

    init(_ name: String = "fake", script: @escaping Script) {
        self.name = name
        self.script = script
    }

    func start() async throws { lock.withLock { started = true } }

    func run(_ request: EngineRequest, timeout: Duration) async throws -> EngineResponse {
        lock.withLock { seen.append(request) }
        return try await script(request, timeout)
    }

    func stop() { lock.withLock { stopped = true } }

    /// Requests run so far, oldest first.
    var requests: [EngineRequest] { lock.withLock { seen } }
    var isStarted: Bool { lock.withLock { started } }
    var isStopped: Bool { lock.withLock { stopped } }
}

// MARK: - Scripted answers

extension FakeEngineHost {
    /// A host that dies on every request, as a real one killed by a signal.
    static func crashing(_ name: String = "crashing") -> FakeEngineHost {
        FakeEngineHost(name) { _, _ in throw EngineHostError.crashed("killed by signal 6") }
    }

    /// A host that never answers: the real one is killed at the job timeout.
    static func hanging(_ name: String = "hanging") -> FakeEngineHost {
        FakeEngineHost(name) { _, timeout in throw EngineHostError.timedOut(seconds: Int(timeout.timeInterval)) }
    }

    /// Writes `text` as the request's result file, as an engine writing its output.
    static func writeResult(_ text: String, for request: EngineRequest) throws -> EngineResponse {
        guard let output = request.output else { throw EngineHostError.protocolViolation("no output") }
        try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        return EngineResponse(pageCount: 1)
    }

    /// Writes one file per page of `request.pages` (zero-based, of a `pageCount`-page document)
    /// into the request's output folder, each holding "page N", and lists them in page order.
    static func renderPages(of request: EngineRequest, pageCount: Int) throws -> EngineResponse {
        guard let output = request.output else { throw EngineHostError.protocolViolation("no output folder") }
        let pages = try PageSelection(parsing: request.pages ?? "").resolve(pageCount: pageCount)
        var files: [JSONValue] = []
        for page in pages {
            let file = URL(fileURLWithPath: output).appendingPathComponent("page-\(page + 1).png")
            try Data("page \(page + 1)".utf8).write(to: file)
            files.append(.string(file.path))
        }
        return EngineResponse(pageCount: pages.count, fields: ["files": .array(files)])
    }
}
