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
        /// Restart the child after a job that left it with more resident memory than this (0 = never).
        package var maxResidentMB: Int = 0
        /// The `quire` subcommand the child runs.
        package var arguments = ["engine-host"]
        /// Extra environment of the child.
        package var environment: [String: String] = [:]
        /// Whether the child sends a ready frame once started (office hosts: LibreOffice takes
        /// seconds to load); `start` and the first `run` wait for it, at most `startTimeout`.
        package var announcesReadiness = false
        package var startTimeout: Duration = .seconds(120)

        package init(executable: URL, memoryLimitMB: Int, maxJobsPerProcess: Int) {
            self.executable = executable
            self.memoryLimitMB = memoryLimitMB
            self.maxJobsPerProcess = maxJobsPerProcess
        }

        /// An office host (`quire office-host`) with its own LibreOffice profile under `profiles`.
        package static func office(
            executable: URL, index: Int, profiles: URL, scratch: URL, maxJobsPerProcess: Int, maxResidentMB: Int
        ) -> Settings {
            var settings = Settings(executable: executable, memoryLimitMB: 0, maxJobsPerProcess: maxJobsPerProcess)
            let profile = profiles.appendingPathComponent("office-\(index)")
            settings.arguments = ["office-host"]
            settings.maxResidentMB = maxResidentMB
            settings.announcesReadiness = true
            settings.environment = [
                "QUIRE_OFFICE_PROFILE": profile.path, "QUIRE_OFFICE_SCRATCH": scratch.path,
                // LibreOffice's temporary files stay inside what its sandbox may write.
                "TMPDIR": profile.appendingPathComponent("tmp").path,
            ]
            try? FileManager.default.createDirectory(at: profile.appendingPathComponent("tmp"), withIntermediateDirectories: true)
            return settings
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
        environment.merge(settings.environment) { _, own in own }
        let started = try ChildProcess(executable: settings.executable.path, arguments: settings.arguments, environment: environment)
        child = started
        jobsSinceStart = 0
        if settings.announcesReadiness { try awaitReadyFrame(from: started) }
        logger.debug("engine host started", metadata: ["engine.host": "\(hostName)", "pid": "\(started.pid)"])
    }

    private var hostName: String { "\(settings.arguments.first ?? "host")-\(index)" }

    /// Waits for the child's ready frame; kills it when none comes in time.
    private func awaitReadyFrame(from child: ChildProcess) throws {
        let watchdog = DispatchWorkItem { child.kill() }
        DispatchQueue.global().asyncAfter(deadline: .now() + settings.startTimeout.timeInterval, execute: watchdog)
        defer { watchdog.cancel() }
        if (try? EngineFrame.read(EngineResponse.self, from: child.output)) != nil { return }
        let detail = killChild()
        throw EngineHostError.spawnFailed("\(hostName) did not start: \(detail)")
    }

    /// Resident memory of the child in MiB (from /proc), nil when unknown.
    private func residentMB(of child: ChildProcess) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(child.pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes / 1024
    }

    /// Restarts the child after a job that left it too big (LibreOffice never gives memory back).
    private func recycleIfBloated(_ child: ChildProcess) {
        guard settings.maxResidentMB > 0, let resident = residentMB(of: child), resident > settings.maxResidentMB else { return }
        logger.notice("engine host over its memory limit: restarting", metadata: ["engine.host": "\(hostName)", "rss.mb": "\(resident)"])
        killChild()
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
                recycleIfBloated(child)
                return response
            }
        } catch EngineHostError.pipeClosed {
            // Fall through: the child is gone; find out how.
        }
        watchdog.cancel()
        let detail = killChild()
        if timedOut.isSet { throw EngineHostError.timedOut(seconds: Int(seconds)) }
        logger.warning("engine host died", metadata: ["engine.host": "\(hostName)", "detail": "\(detail)"])
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
