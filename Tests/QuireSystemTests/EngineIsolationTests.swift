// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// Engine and office hosts, seen from outside through /proc: sandboxed on every thread, without
/// the server's secrets or sockets, bounded in memory, and refused work when unsandboxable.
@Suite(.serialized)
struct EngineIsolationTests {
    static let docx = packageRoot.appendingPathComponent("Tests/Fixtures/office/report.docx")

    /// Hosts started after the server listens (the case that used to inherit its socket): every
    /// thread of each has no_new_privs and a network namespace of its own, its environment holds
    /// no secret, and it holds no socket of the server's. Conversions still work.
    @Test func hostsAreSandboxedAndHoldNothingOfTheServer() async throws {
        let temp = TemporaryDirectory()
        let secret = "url-secret-for-isolation-test-0123456789abcdef"
        let key = "api-key-for-isolation-test"
        let server = try await QuireServer(
            data: temp.file("data"), arguments: ["--workers", "1", "--office-workers", "1", "--enable-test-operations"],
            environment: ["QUIRE_URL_SECRET": secret, "QUIRE_API_KEYS": key])
        defer { server.stop() }
        let headers = ["x-api-key": key]
        for host in ["engine", "office"] {
            let (_, status) = try await HTTP.postJSON("\(server.baseURL)/debug/engine-crash", ["host": host], headers: headers)
            #expect(status == 500)
        }
        let docURL = try await HTTP.upload(try Data(contentsOf: Self.docx), name: "report.docx", base: server.baseURL, headers: headers)
        let (converted, convertedStatus) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/convert/from/doc", ["url": docURL], headers: headers)
        #expect(convertedStatus == 200, "\(converted)")
        let pdf = temp.file("report.pdf")
        try await HTTP.get(try #require(converted["url"] as? String)).0.write(to: pdf)
        #expect(try await runCommand("pdftotext", [pdf.path, "-"]).output.contains("Quarterly"))
        let pdfURL = try await HTTP.upload(Fixtures.threePages, name: "a.pdf", base: server.baseURL, headers: headers)
        let (text, textStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/text", ["url": pdfURL], headers: headers)
        #expect(textStatus == 200, "\(text)")

        let serverPID = try #require(server.pid)
        let serverNetwork = try #require(Proc.link("/proc/\(serverPID)/ns/net"))
        let serverSockets = Proc.sockets(of: serverPID)
        #expect(!serverSockets.isEmpty, "the server's listening socket")
        let hosts = Proc.descendants(of: serverPID)
        #expect(Set(hosts.map(Proc.commandLine)).count == 2, "an engine host and an office host: \(hosts.map(Proc.commandLine))")
        for pid in hosts {
            let name = Proc.commandLine(pid)
            let threads = Proc.threads(of: pid)
            #expect(threads.count > 1, "\(name): its threads")
            for thread in threads {
                let task = "/proc/\(pid)/task/\(thread)"
                #expect(Proc.statusField("NoNewPrivs", of: task) == "1", "\(name) thread \(thread) may gain privileges")
                let network = Proc.link("\(task)/ns/net")
                #expect(network != nil && network != serverNetwork, "\(name) thread \(thread) is in the server's network")
            }
            let environment = Proc.environment(of: pid)
            #expect(!environment.contains { $0.hasPrefix("QUIRE_URL_SECRET=") || $0.contains(secret) }, "\(name) has the URL secret")
            #expect(!environment.contains { $0.hasPrefix("QUIRE_API_KEYS=") || $0.contains(key) }, "\(name) has the API keys")
            let shared = Proc.sockets(of: pid).intersection(serverSockets)
            #expect(shared.isEmpty, "\(name) holds the server's sockets \(shared)")
        }
    }

    /// `kill -9` of the server, then an immediate restart on the same port, three times: it always
    /// comes up, even while its old hosts are still alive (stopped here, as a slow exit would be).
    @Test func restartRightAfterKillNineComesUp() async throws {
        let temp = TemporaryDirectory()
        let port = try Proc.freePort()
        let server = try await QuireServer(
            data: temp.file("data"), arguments: ["--workers", "1", "--enable-test-operations"], port: port)
        defer { server.stop() }
        let url = try await HTTP.upload(Fixtures.threePages, name: "a.pdf", base: server.baseURL)
        for round in 1...3 {
            // A host started while the server listens: crash the running one, the next job starts another.
            #expect(try await HTTP.postJSON("\(server.baseURL)/debug/engine-crash", [:]).1 == 500)
            #expect(try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/text", ["url": url]).1 == 200)
            let hosts = Proc.descendants(of: try #require(server.pid))
            #expect(!hosts.isEmpty)
            for pid in hosts { kill(pid, SIGSTOP) }
            server.kill9()
            defer { for pid in hosts { kill(pid, SIGKILL) } }
            do {
                try await server.start()
            } catch {
                Issue.record("round \(round): no server on port \(port) right after kill -9: \(error)")
                return
            }
            #expect(server.port == port)
        }
    }

    /// An office host that goes over `--office-memory-mb` while it converts is killed: that job
    /// fails with 413 and a message, and the next one works on a fresh host.
    @Test func officeMemoryLimitFailsTheJobNotTheNext() async throws {
        let temp = TemporaryDirectory()
        // LibreOffice sits at ~250 MB once loaded; the document below takes it past 600 MB.
        let server = try await QuireServer(
            data: temp.file("data"), arguments: ["--workers", "1", "--office-workers", "1", "--office-memory-mb", "400"])
        defer { server.stop() }
        // report.docx with its picture replaced by a 12000×12000 PNG (0.5 MB packed, 430 MB decoded).
        let big = temp.file("big.docx")
        let script = """
            import zipfile, zlib, struct, sys
            side = 12000
            def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
            c = zlib.compressobj(1); row = bytes(1 + side * 3)
            data = b"".join(c.compress(row) for _ in range(side)) + c.flush()
            png = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
            with zipfile.ZipFile(sys.argv[1]) as zin, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as zout:
                for item in zin.infolist():
                    zout.writestr(item, png if item.filename == "word/media/image1.jpg" else zin.read(item.filename))
            """
        #expect(try await runCommand("python3", ["-c", script, Self.docx.path, big.path]).status == 0)
        let bigURL = try await HTTP.upload(try Data(contentsOf: big), name: "big.docx", base: server.baseURL)
        let (failed, failedStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/from/doc", ["url": bigURL])
        #expect(failedStatus == 413, "\(failed)")
        #expect((failed["message"] as? String)?.contains("400 MB of memory") == true, "\(failed)")
        let url = try await HTTP.upload(try Data(contentsOf: Self.docx), name: "report.docx", base: server.baseURL)
        let (next, nextStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/from/doc", ["url": url])
        #expect(nextStatus == 200, "\(next)")
    }

    /// Where the kernel refuses the sandbox (here: the server already runs under Landlock's
    /// maximum of 16 layers, so a host cannot add its own), office jobs are refused with 503 and
    /// the start-up log says why; PDF jobs go on.
    @Test func officeJobsAreRefusedWithoutTheSandbox() async throws {
        let temp = TemporaryDirectory()
        let log = temp.file("server.log")
        let server = try await QuireServer(
            data: temp.file("data"), arguments: ["--workers", "1", "--office-workers", "1"],
            launcher: ["/usr/bin/python3", "-c", Self.sixteenLandlockLayers], errorLog: log)
        defer { server.stop() }
        let url = try await HTTP.upload(try Data(contentsOf: Self.docx), name: "report.docx", base: server.baseURL)
        let (refused, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/from/doc", ["url": url])
        #expect(status == 503, "\(refused)")
        #expect((refused["message"] as? String)?.contains("sandbox") == true, "\(refused)")
        let pdfURL = try await HTTP.upload(Fixtures.threePages, name: "a.pdf", base: server.baseURL)
        #expect(try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/text", ["url": pdfURL]).1 == 200)
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(text.contains("office host cannot apply its sandbox"), "\(text.suffix(2000))")
    }

    /// Stacks 16 Landlock layers that allow everything (the kernel's maximum), then runs argv[1…].
    static let sixteenLandlockLayers = """
        import ctypes, os, sys
        libc = ctypes.CDLL(None, use_errno=True)
        class Rule(ctypes.Structure):
            _pack_ = 1
            _fields_ = [("allowed", ctypes.c_uint64), ("fd", ctypes.c_int32)]
        libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS
        root = os.open("/", os.O_PATH)
        for _ in range(16):
            handled = ctypes.c_uint64(1)  # LANDLOCK_ACCESS_FS_EXECUTE, allowed below /
            ruleset = libc.syscall(444, ctypes.byref(handled), 8, 0)
            assert ruleset >= 0 and libc.syscall(445, ruleset, 1, ctypes.byref(Rule(1, root)), 0) == 0
            assert libc.syscall(446, ruleset, 0) == 0, ctypes.get_errno()
        os.execv(sys.argv[1], sys.argv[1:])
        """
}

/// What /proc tells about other processes.
private enum Proc {
    /// Every process below `parent` (children, their children…).
    static func descendants(of parent: Int32) -> [Int32] {
        let children = QuireServer.childProcesses(of: parent)
        return children + children.flatMap(descendants)
    }

    static func threads(of pid: Int32) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
    }

    static func commandLine(_ pid: Int32) -> String {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        return data.split(separator: 0).dropFirst().map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
    }

    /// A field of `<task>/status` ("NoNewPrivs" → "1").
    static func statusField(_ name: String, of task: String) -> String? {
        guard let status = try? String(contentsOfFile: "\(task)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("\(name):") })
        else { return nil }
        return line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
    }

    static func link(_ path: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: path)
    }

    static func environment(of pid: Int32) -> [String] {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))) ?? Data()
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The `socket:[inode]` links of the process's open descriptors.
    static func sockets(of pid: Int32) -> Set<String> {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        return Set(fds.compactMap { link("/proc/\(pid)/fd/\($0)") }.filter { $0.hasPrefix("socket:") })
    }

    /// A loopback port free right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
