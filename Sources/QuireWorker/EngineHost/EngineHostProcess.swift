// SPDX-License-Identifier: AGPL-3.0-or-later
import Dispatch
import Foundation
import Logging
import QuireCore

/// One supervised engine host: a child process (`quire engine-host`) that runs engines and
/// talks to the worker over its stdin/stdout pipes.
///
/// A crash or a timeout kills only this child; the next `run` starts a fresh one. The child
/// exits when the parent goes away (its stdin closes, and it watches its parent PID).
package final class EngineHostProcess: @unchecked Sendable {
    package struct Settings: Sendable {
        /// The `quire` binary to start (the running one, normally).
        package var executable: URL
        /// Address-space limit of the child in MiB (0 = none).
        package var memoryLimitMB: Int
        /// Restart the child after this many jobs, to bound leaks in native libraries.
        package var maxJobsPerProcess: Int

        package init(executable: URL, memoryLimitMB: Int, maxJobsPerProcess: Int) {
            self.executable = executable
            self.memoryLimitMB = memoryLimitMB
            self.maxJobsPerProcess = maxJobsPerProcess
        }
    }

    private let settings: Settings
    private let index: Int
    private let logger: Logger
    // All state below is touched only on `queue`: one request at a time per host.
    private let queue: DispatchQueue
    private var child: ChildProcess?
    private var jobsSinceStart = 0

    package init(index: Int, settings: Settings, logger: Logger) {
        self.index = index
        self.settings = settings
        self.logger = logger
        self.queue = DispatchQueue(label: "quire.engine-host.\(index)")
    }

    /// Starts the child now (pre-warm), so the first job does not pay for it.
    package func start() async throws {
        try await onQueue { try self.startIfNeeded() }
    }

    /// Sends `request` and waits for the answer, at most `timeout`.
    /// - Throws: `EngineHostError.crashed` or `.timedOut` (the child is gone; the next call restarts it).
    package func run(_ request: EngineRequest, timeout: Duration) async throws -> EngineResponse {
        try await onQueue { try self.runBlocking(request, timeout: timeout) }
    }

    /// Kills the child (server shutdown).
    package func stop() {
        queue.sync { self.killChild() }
    }

    private func onQueue<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    private func startIfNeeded() throws {
        if child != nil { return }
        var environment = ProcessInfo.processInfo.environment
        environment["QUIRE_ENGINE_PARENT_PID"] = String(getpid())
        environment["QUIRE_ENGINE_MEMORY_MB"] = String(settings.memoryLimitMB)
        environment["QUIRE_ENGINE_INDEX"] = String(index)
        // Tesseract (later) must not spawn an OpenMP thread per core: pages run in parallel hosts instead.
        environment["OMP_THREAD_LIMIT"] = "1"
        let started = try ChildProcess(executable: settings.executable.path, arguments: ["engine-host"], environment: environment)
        child = started
        jobsSinceStart = 0
        logger.debug("engine host started", metadata: ["engine.host": "\(index)", "pid": "\(started.pid)"])
    }

    private func runBlocking(_ request: EngineRequest, timeout: Duration) throws -> EngineResponse {
        if jobsSinceStart >= settings.maxJobsPerProcess { killChild() }
        try startIfNeeded()
        guard let child else { throw EngineHostError.pipeClosed }
        jobsSinceStart += 1
        let timedOut = OnceFlag()
        let watchdog = DispatchWorkItem {
            // Runs off `queue`: marks the timeout, then kills; the blocked read below sees EOF.
            timedOut.set()
            child.kill()
        }
        let seconds = timeout.timeInterval
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog)
        defer { watchdog.cancel() }
        do {
            try EngineFrame.write(request, to: child.input)
            if let response = try EngineFrame.read(EngineResponse.self, from: child.output) {
                return response
            }
        } catch EngineHostError.pipeClosed {
            // Fall through: the child is gone; find out how.
        }
        watchdog.cancel()
        let detail = killChild()
        if timedOut.isSet { throw EngineHostError.timedOut(seconds: Int(seconds)) }
        logger.warning("engine host died", metadata: ["engine.host": "\(index)", "detail": "\(detail)"])
        throw EngineHostError.crashed(detail)
    }

    /// Kills and reaps the child (if any); returns how it ended.
    @discardableResult
    private func killChild() -> String {
        guard let child else { return "no process" }
        child.kill()
        let detail = child.wait()
        self.child = nil
        return detail
    }
}
