// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireWorker

/// A fresh directory under the system temp dir, removed when the test process exits.
///
/// Not removed in `deinit`: a test's last use of the object can come before its last use of
/// a path inside it (a database still open, a server still writing), and an early delete
/// shows up as "disk I/O error" far from its cause.
public final class TemporaryDirectory: Sendable {
    public let url: URL

    public init(_ prefix: String = "quire-test") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        CleanupAtExit.shared.add(url)
    }

    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}

/// Directories to delete when the process exits normally.
private final class CleanupAtExit: @unchecked Sendable {
    static let shared = CleanupAtExit()
    private let lock = NSLock()
    private var directories: [URL] = []

    private init() {
        atexit { CleanupAtExit.shared.removeAll() }
    }

    func add(_ directory: URL) { lock.withLock { directories.append(directory) } }

    private func removeAll() {
        for directory in lock.withLock({ directories }) { try? FileManager.default.removeItem(at: directory) }
    }
}

/// Runs a command (looked up on PATH) and returns its exit status and standard output.
///
/// The child is waited for on a thread of its own, not on Swift's cooperative pool: this process
/// has only as many pool threads as cores (two on CI), and a blocking wait there stalled every
/// other suite's tasks (the PostgreSQL listener, wake-up waiters) for tens of seconds.
@discardableResult
public func runCommand(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try runCommandBlocking(executable, arguments) })
        }
    }
}

/// `runCommand` for code that is not async (and not on the cooperative pool).
@discardableResult
public func runCommandBlocking(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let child = try ChildProcess(
        executable: "/usr/bin/env", arguments: [executable] + arguments, environment: ProcessInfo.processInfo.environment)
    child.closeInput()
    let output = FileHandle(fileDescriptor: child.output, closeOnDealloc: false).readDataToEndOfFile()
    let detail = child.wait()
    let status: Int32 = detail == "exited with status 0" ? 0 : 1
    return (status, String(decoding: output, as: UTF8.self))
}

/// The package root, found from this file's path (Tests/QuireTestSupport/…).
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The regular files anywhere under `directory` (folders left empty do not count): what a test
/// expects to be gone from scratch space once jobs and uploads are done.
package func regularFiles(under directory: URL) -> [String] {
    let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
    var files: [String] = []
    while let item = enumerator?.nextObject() as? URL {
        if (try? item.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { files.append(item.path) }
    }
    return files
}
