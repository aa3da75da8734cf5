// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireWorker

/// Serves a directory over HTTP on a random loopback port (Python's http.server): the
/// "internet" for tests of URL inputs, which may reach only this machine. A POST is saved
/// as `posted-<n>.json` in the directory (a webhook receiver); each request is logged in `requests.log`,
/// each GET's Authorization header in `auth.log`. Two hostile endpoints: `/redirect?to=URL`
/// answers 302 to URL, and `/drip?bytes=N&interval=S` promises N bytes and sends one every S
/// seconds (`closedDrips()` counts the drips whose client hung up).
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
        import http.server, os, sys, itertools, time, urllib.parse
        root = sys.argv[1]
        counter = itertools.count(1)
        def append(name, line):
            with open(os.path.join(root, name), "a") as log: log.write(line + "\\n")
        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **k): super().__init__(*a, directory=root, **k)
            def log_message(self, fmt, *a): append("requests.log", fmt % a)
            def do_GET(self):
                append("auth.log", "%s %s" % (self.path, self.headers.get("Authorization", "-")))
                url = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(url.query)
                if url.path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", query["to"][0])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif url.path == "/drip":
                    size, interval = int(query["bytes"][0]), float(query["interval"][0])
                    self.send_response(200)
                    self.send_header("Content-Type", "application/pdf")
                    self.send_header("Content-Length", str(size))
                    self.end_headers()
                    try:
                        for _ in range(size):
                            self.wfile.write(b"%")
                            self.wfile.flush()
                            time.sleep(interval)
                    except OSError:
                        append("drips-closed.log", self.path)
                else:
                    super().do_GET()
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

    /// A URL whose answer is a 302 to `target`.
    public func redirect(to target: String) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return url("redirect?to=" + target.addingPercentEncoding(withAllowedCharacters: allowed)!)
    }

    /// A URL that promises `bytes` bytes and sends one every `interval` seconds.
    public func drip(bytes: Int, interval: Double) -> String { url("drip?bytes=\(bytes)&interval=\(interval)") }

    /// Each GET so far, oldest first: its path and its Authorization header (nil when none).
    public func authorizations() -> [(path: String, authorization: String?)] {
        lines("auth.log").map { line in
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 && parts[1] != "-" ? parts[1] : nil)
        }
    }

    /// How many drip responses found their client gone.
    public func closedDrips() -> Int { lines("drips-closed.log").count }

    private func lines(_ name: String) -> [String] {
        ((try? String(contentsOf: directory.file(name), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    public func put(_ name: String, _ data: Data) throws {
        let file = directory.file(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    // ChildProcess kills and reaps the server when released.
}
