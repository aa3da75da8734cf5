// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireWorker

/// Serves a directory over HTTP on a random loopback port (Python's http.server): the
/// "internet" for tests of URL inputs, which may reach only this machine. A POST is saved
/// as `posted-<n>.json` in the directory (a webhook receiver); each request is logged in `requests.log`.
public final class LoopbackFileServer: @unchecked Sendable {
    public let directory: TemporaryDirectory
    public let port: Int
    private let child: ChildProcess

    public init() throws {
        directory = TemporaryDirectory("quire-www")
        child = try ChildProcess(
            executable: "/usr/bin/env",
            arguments: ["python3", "-u", "-c", Self.script, directory.url.path],
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

    private static let script = """
        import http.server, os, sys, itertools
        root = sys.argv[1]
        counter = itertools.count(1)
        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **k): super().__init__(*a, directory=root, **k)
            def log_message(self, fmt, *a):
                with open(os.path.join(root, "requests.log"), "a") as log: log.write((fmt % a) + "\\n")
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                path = os.path.join(root, "posted-%d.json" % next(counter))
                open(path + ".tmp", "wb").write(body)
                os.rename(path + ".tmp", path)
                self.send_response(200); self.end_headers()
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print("Serving HTTP on 127.0.0.1 port %d" % server.server_address[1], flush=True)
        server.serve_forever()
        """

    /// Bodies POSTed so far, oldest first.
    public func posted() -> [Data] {
        (1...).lazy.map { self.directory.file("posted-\($0).json") }
            .prefix { FileManager.default.fileExists(atPath: $0.path) }
            .compactMap { try? Data(contentsOf: $0) }
    }

    public func url(_ name: String) -> String { "http://127.0.0.1:\(port)/\(name)" }

    public func put(_ name: String, _ data: Data) throws {
        let file = directory.file(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    // ChildProcess kills and reaps the server when released.
}
