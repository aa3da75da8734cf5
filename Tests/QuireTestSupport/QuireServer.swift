// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireWorker

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The real `quire serve`, started on a random loopback port with its own data directory.
public final class QuireServer: @unchecked Sendable {
    public let data: URL
    public private(set) var port = 0
    private var child: ChildProcess?
    private let extraArguments: [String]
    private let requestedPort: Int
    private let environment: [String: String]
    private let launcher: [String]
    private let errorLog: URL?
    private let command: String

    /// The built binary: `QUIRE_BINARY`, or `.build/debug/quire` (built by `swift test`).
    public static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["QUIRE_BINARY"] { return URL(fileURLWithPath: path) }
        return packageRoot.appendingPathComponent(".build/debug/quire")
    }

    /// Starts the server and waits until `/healthz` answers 200.
    /// - Parameters:
    ///   - port: the port to listen on (0: a free one, new at each start).
    ///   - environment: added to the test's environment.
    ///   - launcher: a command that runs the server (`[tool, args…]`, the server's command line appended).
    ///   - errorLog: a file the server's stderr (its log) is appended to, instead of the test's stderr.
    ///   - command: `serve`, or `worker` for a worker node.
    public init(
        data: URL, arguments: [String] = [], port: Int = 0, environment: [String: String] = [:], launcher: [String] = [],
        errorLog: URL? = nil, command: String = "serve"
    ) async throws {
        self.command = command
        self.data = data
        self.requestedPort = port
        self.environment = environment
        self.launcher = launcher
        self.errorLog = errorLog
        // LibreOffice hosts cost a second and 200 MB each: only tests that convert office files ask for one.
        // OCR and browser hosts likewise (a process each, Chromium ~150 MB); their tests ask for theirs.
        var extra = arguments
        if !arguments.contains("--office-workers") { extra += ["--office-workers", "0"] }
        if !arguments.contains("--ocr-workers") { extra += ["--ocr-workers", "0"] }
        if !arguments.contains("--browser-workers") { extra += ["--browser-workers", "0"] }
        self.extraArguments = extra
        try await start()
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Process ID of the running server, nil once stopped.
    public var pid: Int32? { child?.pid }

    /// Whether process `pid` runs (a zombie waiting for a reaper counts as ended).
    public static func isRunning(_ pid: Int32) -> Bool {
        guard let fields = statFields(of: pid) else { return false }
        return fields.first != "Z"
    }

    /// The fields of /proc/PID/stat after "pid (comm)", from the state on (field 3 is index 0);
    /// nil when the process is gone. comm may hold spaces, so they are counted after the last ')'.
    public static func statFields(of pid: Int32) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else {
            return nil
        }
        return stat[stat.index(after: end)...].split(separator: " ")
    }

    /// IDs of the processes whose parent is `parent` (from /proc): the server's engine hosts.
    public static func childProcesses(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), let fields = statFields(of: pid) else { return nil }
            return fields.count > 1 && Int32(fields[1]) == parent ? pid : nil
        }
    }

    /// (Re)starts the server on the same data directory; a new port each time unless `port` was given.
    public func start() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["LOG_LEVEL"] = environment["QUIRE_TEST_LOG_LEVEL"] ?? "warning"
        environment.merge(self.environment) { _, own in own }
        let command = launcher + [Self.binary.path, command, "--port", String(requestedPort), "--data", data.path] + extraArguments
        let child = try ChildProcess(
            executable: command[0], arguments: Array(command.dropFirst()), environment: environment, errorOutput: errorLog?.path)
        self.child = child
        // Read on a thread of its own: a blocking read on the cooperative pool (2 threads on CI)
        // held it while dozens of suites started servers at once, and starved every other test
        // in the process for a minute (download deadlines passed in RemoteFetcherTests).
        let output = child.output
        port = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Self.readPort(from: FileHandle(fileDescriptor: output, closeOnDealloc: false)) })
            }
        }
        try await waitUntilHealthy()
    }

    /// The first stdout line is `listening on HOST:PORT`.
    private static func readPort(from handle: FileHandle) throws -> Int {
        var line = Data()
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty { throw ServerError.exitedEarly }
            if byte.first == UInt8(ascii: "\n") { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("listening on "), let port = text.split(separator: ":").last.flatMap({ Int($0) }) else {
            throw ServerError.unexpectedOutput(text)
        }
        return port
    }

    /// `/healthz` answers 200 once every engine host has started: LibreOffice and Chromium
    /// took more than a minute to start on a loaded 2-core CI run.
    private func waitUntilHealthy() async throws {
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline {
            if let (_, status) = try? await HTTP.get("\(baseURL)/healthz"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ServerError.notHealthy
    }

    /// SIGTERM and wait: a graceful stop.
    public func stop() {
        guard let child else { return }
        kill(child.pid, SIGTERM)
        child.wait()
        self.child = nil
    }

    /// SIGTERM, then waits at most `timeout` seconds for the process to end; a server still
    /// running then is killed. Returns whether it stopped by itself in time.
    @discardableResult
    public func terminate(within timeout: TimeInterval) async throws -> Bool {
        guard let child else { return true }
        kill(child.pid, SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while Self.isRunning(child.pid) && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        let stopped = !Self.isRunning(child.pid)
        if !stopped { kill(child.pid, SIGKILL) }
        child.wait()
        self.child = nil
        return stopped
    }

    /// SIGKILL: the server and (through their parent watch) its engine hosts die at once. What
    /// suites call in `deinit`: a graceful `stop()` waits for the server's shutdown on a thread
    /// of the cooperative pool, which the other tests of the process then cannot use.
    public func kill9() {
        guard let child else { return }
        kill(child.pid, SIGKILL)
        child.wait()
        self.child = nil
    }

    deinit { kill9() }

    public enum ServerError: Error {
        case exitedEarly
        case unexpectedOutput(String)
        case notHealthy
    }
}
