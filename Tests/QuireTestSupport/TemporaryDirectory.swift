// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireWorker

/// A fresh directory under the system temp dir, removed when the value is released.
public final class TemporaryDirectory: @unchecked Sendable {
    public let url: URL

    public init(_ prefix: String = "quire-test") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Runs a command (looked up on PATH) and returns its exit status and standard output.
@discardableResult
public func runCommand(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let child = try ChildProcess(executable: "/usr/bin/env", arguments: [executable] + arguments, environment: ProcessInfo.processInfo.environment)
    close(child.input)
    let output = FileHandle(fileDescriptor: child.output, closeOnDealloc: false).readDataToEndOfFile()
    let detail = child.wait()
    let status: Int32 = detail == "exited with status 0" ? 0 : 1
    return (status, String(decoding: output, as: UTF8.self))
}

/// The package root, found from this file's path (Tests/QuireTestSupport/…).
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
