// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireWorker

/// Serves a directory over HTTP on a random loopback port (Python's http.server): the
/// "internet" for tests of URL inputs, which may reach only this machine.
public final class LoopbackFileServer: @unchecked Sendable {
    public let directory: TemporaryDirectory
    public let port: Int
    private let child: ChildProcess

    public init() throws {
        directory = TemporaryDirectory("quire-www")
        child = try ChildProcess(
            executable: "/usr/bin/env",
            arguments: ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", directory.url.path],
            environment: ProcessInfo.processInfo.environment)
        let stdout = FileHandle(fileDescriptor: child.output, closeOnDealloc: false)
        // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
        var line = Data()
        while true {
            let byte = stdout.readData(ofLength: 1)
            if byte.isEmpty || byte.first == UInt8(ascii: "\n") { break }
            line.append(byte)
        }
        let words = String(decoding: line, as: UTF8.self).split(separator: " ")
        guard let index = words.firstIndex(of: "port"), index + 1 < words.count, let port = Int(words[index + 1]) else {
            throw URLError(.cannotConnectToHost)
        }
        self.port = port
    }

    public func url(_ name: String) -> String { "http://127.0.0.1:\(port)/\(name)" }

    public func put(_ name: String, _ data: Data) throws {
        let file = directory.file(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    // ChildProcess kills and reaps the server when released.
}
