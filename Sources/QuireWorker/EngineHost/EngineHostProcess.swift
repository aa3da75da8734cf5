// SPDX-License-Identifier: AGPL-3.0-or-later
import Dispatch
import Foundation
import Logging
import QuireCore
import QuireEngines

/// One supervised engine host: a child process (`quire engine-host`) that runs engines and
/// talks to the worker over its stdin/stdout pipes.
///
/// A crash or a timeout kills only this child; the next `run` starts a fresh one. The child
/// exits when the parent goes away (its stdin closes, and it watches its parent PID). It gets
/// pipes on stdin and stdout and no other descriptor, an environment without secrets, and works
/// in its own work folder (`HostWorkFolder`), the only one its sandbox lets it write.
package final class EngineHostProcess: EngineHost, @unchecked Sendable {
    private let settings: Settings
    private let index: Int
    private let logger: Logger
    // All state below is touched only on `queue`: one request at a time per host.
    private let queue: DispatchQueue
    private var child: ChildProcess?
    private var jobsSinceStart = 0
    /// The sandbox the running child reported in its ready frame.
    private var sandbox = EngineSandbox.none
    private var hasReportedSandbox = false
    private let workFolder: HostWorkFolder

    package init(index: Int, settings: Settings, logger: Logger) {
        self.index = index
        self.settings = settings
        self.logger = logger
        self.queue = DispatchQueue(label: "quire.engine-host.\(index)")
        self.workFolder = HostWorkFolder(url: settings.workFolders.appendingPathComponent("\(settings.arguments.first ?? "host")-\(index)"))
    }

    /// Starts the child now (pre-warm), so the first job does not pay for it.
    package func start() async throws {
        try await onQueue { try self.startIfNeeded() }
    }

    /// Sends `request` and waits for the answer, at most `timeout`.
    /// - Throws: `EngineHostError.crashed` or `.timedOut` (the child is gone; the next call restarts it).
    package func run(_ request: EngineRequest, timeout: Duration) async throws -> EngineResponse {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.runBlocking(request, timeout: timeout) })
                // Emptied once the answer is on its way (its results were moved out): the job
                // does not wait for it, the host's next job does (it runs on the same queue).
                try? self.workFolder.reset()
            }
        }
    }

    /// Kills the child (server shutdown).
    package func stop() {
        queue.sync { _ = self.killChild() }
    }

    private func onQueue<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    private func startIfNeeded() throws {
        if child != nil { return }
        try workFolder.reset()
        var environment = Self.inheritedEnvironment(ProcessInfo.processInfo.environment)
        environment["QUIRE_ENGINE_PARENT_PID"] = String(getpid())
        environment["QUIRE_ENGINE_MEMORY_MB"] = String(settings.memoryLimitMB)
        environment["QUIRE_ENGINE_INDEX"] = String(index)
        environment["QUIRE_ENGINE_WORK"] = workFolder.url.path
        environment["HOME"] = workFolder.url.path
        environment["TMPDIR"] = workFolder.url.path
        // Tesseract (later) must not spawn an OpenMP thread per core: pages run in parallel hosts instead.
        environment["OMP_THREAD_LIMIT"] = "1"
        environment.merge(settings.environment) { _, own in own }
        let started = try ChildProcess(executable: settings.executable.path, arguments: settings.arguments, environment: environment)
        child = started
        jobsSinceStart = 0
        report(try awaitReadyFrame(from: started).sandbox)
        if settings.maxResidentMB > 0, let resident = Self.residentMB(of: started.pid), resident > settings.maxResidentMB {
            logger.warning(
                "engine host needs more memory idle than its limit: every job will fail; raise --office-memory-mb (QUIRE_OFFICE_MEMORY_MB)",
                metadata: ["engine.host": "\(hostName)", "rss.mb": "\(resident)", "limit.mb": "\(settings.maxResidentMB)"])
        }
        logger.debug("engine host started", metadata: ["engine.host": "\(hostName)", "pid": "\(started.pid)"])
    }

    /// Logs the sandbox of the first child once (the server's start-up log says how hosts run).
    private func report(_ reported: EngineSandbox) {
        sandbox = reported
        guard !hasReportedSandbox else { return }
        hasReportedSandbox = true
        switch reported {
        case .applied(let detail):
            logger.debug("engine host sandboxed", metadata: ["engine.host": "\(hostName)", "sandbox": "\(detail)"])
        case .off(let detail):
            logger.warning("engine host runs without its sandbox", metadata: ["engine.host": "\(hostName)", "sandbox": "\(detail)"])
        case .failed, .none:
            let detail = if case .failed(let text) = reported { text } else { "the host reports no sandbox" }
            if settings.requiresSandbox {
                logger.error(
                    "office host cannot apply its sandbox: office conversions are refused. It needs Landlock (Linux 5.13+) and a user or network namespace; QUIRE_OFFICE_SANDBOX=0 turns the sandbox off, for debugging only",
                    metadata: ["engine.host": "\(hostName)", "sandbox": "\(detail)"])
            } else {
                logger.warning(
                    "engine host cannot apply its sandbox: it runs without (needs Landlock, Linux 5.13+, and a user or network namespace)",
                    metadata: ["engine.host": "\(hostName)", "sandbox": "\(detail)"])
            }
        }
    }

    private var hostName: String { "\(settings.arguments.first ?? "host")-\(index)" }

    /// Waits for the child's ready frame (which says how it is sandboxed); kills it when none comes in time.
    private func awaitReadyFrame(from child: ChildProcess) throws -> EngineResponse {
        let watchdog = Self.watchdog(after: settings.startTimeout.timeInterval) { child.kill() }
        defer { watchdog.cancel() }
        if let ready = try? EngineFrame.read(EngineResponse.self, from: child.output) { return ready }
        let detail = killChild()
        throw EngineHostError.spawnFailed("\(hostName) did not start: \(detail)")
    }

    /// Resident memory of process `pid` in MiB (from /proc), nil when unknown.
    private static func residentMB(of pid: pid_t) -> Int? {
        ProcessStatus(of: pid).map { $0.residentKB / 1024 }
    }

    /// Restarts the child after a job that left it too big (LibreOffice never gives memory back).
    private func recycleIfBloated(_ child: ChildProcess) {
        guard settings.maxResidentMB > 0, let resident = Self.residentMB(of: child.pid), resident > settings.maxResidentMB else { return }
        logger.notice("engine host over its memory limit: restarting", metadata: ["engine.host": "\(hostName)", "rss.mb": "\(resident)"])
        killChild()
        WorkerMetrics.hostRestarted(kind: kindName, cause: "bloated")
    }

    /// The host kind as metrics name it: engine-host, office-host, ocr-host, browser-host.
    private var kindName: String { settings.arguments.first ?? "host" }

    private func runBlocking(_ request: EngineRequest, timeout: Duration) throws -> EngineResponse {
        if jobsSinceStart >= settings.maxJobsPerProcess {
            killChild()
            WorkerMetrics.hostRestarted(kind: kindName, cause: "recycled")
        }
        try startIfNeeded()
        guard let child else { throw EngineHostError.pipeClosed }
        if settings.requiresSandbox {
            switch sandbox {
            case .applied, .off: break
            case .failed(let detail): throw EngineHostError.sandboxUnavailable(detail)
            case .none: throw EngineHostError.sandboxUnavailable("the host reports no sandbox")
            }
        }
        jobsSinceStart += 1
        let staged = try workFolder.stage(request)
        let timedOut = OnceFlag()
        let seconds = timeout.timeInterval
        let watchdog = Self.watchdog(after: seconds) {
            // Runs off `queue`: marks the timeout, then kills; the blocked read below sees EOF.
            timedOut.set()
            child.kill()
        }
        let overMemory = OnceFlag()
        let memoryWatch = watchMemory(of: child, over: overMemory)
        defer {
            watchdog.cancel()
            memoryWatch?.cancel()
        }
        do {
            try EngineFrame.write(staged, to: child.input)
            if let response = try EngineFrame.read(EngineResponse.self, from: child.output) {
                watchdog.cancel()
                memoryWatch?.cancel()
                // Killed just after it answered: reap it now, so the next job starts a fresh one.
                if timedOut.isSet || overMemory.isSet {
                    killChild()
                    WorkerMetrics.hostRestarted(kind: kindName, cause: timedOut.isSet ? "timeout" : "memory")
                } else {
                    recycleIfBloated(child)
                }
                return try workFolder.collect(response, staged: staged, original: request)
            }
        } catch EngineHostError.pipeClosed {
            // Fall through: the child is gone; find out how.
        }
        watchdog.cancel()
        memoryWatch?.cancel()
        let detail = killChild()
        WorkerMetrics.hostRestarted(kind: kindName, cause: timedOut.isSet ? "timeout" : overMemory.isSet ? "memory" : "crash")
        if timedOut.isSet { throw EngineHostError.timedOut(seconds: Int(seconds)) }
        if overMemory.isSet {
            logger.notice(
                "engine host went over its memory limit during a job: killed",
                metadata: ["engine.host": "\(hostName)", "limit.mb": "\(settings.maxResidentMB)"])
            throw EngineHostError.memoryExceeded(megabytes: settings.maxResidentMB)
        }
        logger.warning("engine host died", metadata: ["engine.host": "\(hostName)", "detail": "\(detail)"])
        throw EngineHostError.crashed(detail)
    }

    /// Runs `fire` after `seconds` unless cancelled first. A timer source, not `asyncAfter`: a
    /// cancelled `DispatchWorkItem` stays queued with its closure until its deadline, so every
    /// job left about 1 KB behind for the whole job timeout (30 MB at 100 jobs/s and 300 s, seen
    /// as the server's memory climbing through a soak).
    private static func watchdog(after seconds: Double, _ fire: @escaping @Sendable () -> Void) -> any DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + seconds)
        timer.setEventHandler(handler: fire)
        timer.resume()
        return timer
    }

    /// Polls the child's resident memory while it works (LibreOffice has no limit of its own,
    /// and RLIMIT_AS breaks its large reservations); kills it and sets `flag` when it is over
    /// `maxResidentMB`. Nil when there is no bound.
    private func watchMemory(of child: ChildProcess, over flag: OnceFlag) -> (any DispatchSourceTimer)? {
        guard settings.maxResidentMB > 0 else { return nil }
        let limit = settings.maxResidentMB
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + .milliseconds(50), repeating: .milliseconds(50))
        timer.setEventHandler {
            guard !flag.isSet, let resident = Self.residentMB(of: child.pid), resident > limit else { return }
            flag.set()
            child.kill()
        }
        timer.resume()
        return timer
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
