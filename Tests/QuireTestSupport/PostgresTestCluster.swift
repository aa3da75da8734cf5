// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Logging
import PostgresNIO
import QuireJobs
import QuireWorker

#if canImport(Glibc)
    import Glibc
#endif

/// One throwaway PostgreSQL server for the whole test process, and a fresh database per test.
///
/// `QUIRE_TEST_DATABASE_URL` (a superuser's `postgres://…` URL) names a server to use instead;
/// its `quire_test_*` databases are then left behind. Otherwise Debian's binaries
/// (`/usr/lib/postgresql/*/bin`) run a new cluster in a temporary folder on a free loopback
/// port, its socket in that folder. The server is started by a shell that waits on a pipe from
/// this process and stops it when the pipe closes, so it dies with the test process however
/// that ends (even `kill -9`), and takes its folder with it.
public final class PostgresTestCluster: Sendable {
    /// The URL of the `postgres` database, for creating the others.
    public let adminURL: String
    private let admin: PostgresClient
    // Held for its stdin pipe: the server lives as long as this process keeps it open.
    private let guardian: ChildProcess?

    /// Whether PostgreSQL tests can run here: a URL is set or Debian's server is installed.
    /// CI always answers yes, so a missing server fails there instead of skipping.
    public static var isAvailable: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["QUIRE_TEST_DATABASE_URL"] != nil || binDirectory != nil || environment["CI"] != nil
    }

    /// The process's cluster, started by the first caller.
    public static func shared() async throws -> PostgresTestCluster {
        try await Starter.shared.cluster()
    }

    private init(adminURL: String, guardian: ChildProcess?) throws {
        self.adminURL = adminURL
        self.guardian = guardian
        let settings = try PostgresBackend.configuration(url: adminURL)
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database, tls: .disable)
        configuration.options.maximumConnections = 4
        admin = PostgresClient(configuration: configuration)
        let admin = self.admin
        Task { await admin.run() }
    }

    /// A new, empty database; returns its URL.
    public func makeDatabase() async throws -> String {
        let name = "quire_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        // A name made here, so it may be spliced in: identifiers cannot be bound.
        _ = try await admin.query("CREATE DATABASE \(unescaped: name)").collect()
        var components = URLComponents(string: adminURL)!
        components.path = "/" + name
        return components.string!
    }

    /// A running, migrated backend on `url` (a new database when nil), listening for wake-ups.
    /// It runs until the process ends.
    package func startBackend(url: String? = nil, poolSize: Int = 4, migrations: [PostgresMigration]) async throws -> PostgresBackend {
        let url = try await { if let url { url } else { try await makeDatabase() } }()
        let backend = try PostgresBackend(url: url, poolSize: poolSize, logger: Self.logger)
        Task { await backend.run() }
        try await backend.migrate(migrations)
        let deadline = ContinuousClock.now + .seconds(20)
        while !backend.signals.isListening {
            guard ContinuousClock.now < deadline else { throw ClusterError.failed("the listener did not subscribe within 20 s") }
            try await Task.sleep(for: .milliseconds(5))
        }
        return backend
    }

    /// Errors only unless `QUIRE_TEST_LOG_LEVEL` says otherwise: PostgresNIO warns when a query
    /// comes before `run()` has started, which a test that starts both at once always does.
    package static var logger: Logger {
        var logger = Logger(label: "quire.test.postgres")
        logger.logLevel = ProcessInfo.processInfo.environment["QUIRE_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        return logger
    }

    enum ClusterError: Error, CustomStringConvertible {
        case failed(String)
        var description: String {
            switch self {
            case .failed(let reason): "PostgreSQL test cluster: \(reason)"
            }
        }
    }

    // MARK: - Starting the server

    /// The newest `/usr/lib/postgresql/N/bin` that holds a server.
    static var binDirectory: String? {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions.compactMap(Int.init).sorted().reversed().map { "\(root)/\($0)/bin" }
            .first { FileManager.default.isExecutableFile(atPath: "\($0)/postgres") }
    }

    /// Starts the cluster at most once per process, whoever asks first.
    private actor Starter {
        static let shared = Starter()
        private var started: Task<PostgresTestCluster, any Error>?

        func cluster() async throws -> PostgresTestCluster {
            if let started { return try await started.value }
            let task = Task { try await PostgresTestCluster.start() }
            started = task
            return try await task.value
        }
    }

    private static func start() async throws -> PostgresTestCluster {
        if let url = ProcessInfo.processInfo.environment["QUIRE_TEST_DATABASE_URL"] {
            return try PostgresTestCluster(adminURL: url, guardian: nil)
        }
        guard let bin = binDirectory else {
            throw ClusterError.failed(
                "no server in /usr/lib/postgresql/*/bin: run scripts/bootstrap.sh --test, or set QUIRE_TEST_DATABASE_URL")
        }
        var failure = ""
        // A port found free can be taken before the server binds it: a few tries, each from scratch.
        for _ in 0..<3 {
            do {
                return try await start(bin: bin)
            } catch {
                failure = "\(error)"
            }
        }
        throw ClusterError.failed(failure)
    }

    private static func start(bin: String) async throws -> PostgresTestCluster {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quire-pg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        // A password with characters a URL must escape, so every test also checks the decoding;
        // random, as the superuser of a server any local user can reach over loopback.
        let password = "qu!re p@ss/w:rd%" + UUID().uuidString
        let passwordFile = folder + "/password"
        try password.write(toFile: passwordFile, atomically: false, encoding: .utf8)
        // initdb refuses to run as root: the server then runs as Debian's `postgres` user.
        var asUser: [String] = []
        if getuid() == 0 {
            guard let account = getpwnam("postgres") else { throw ClusterError.failed("running as root and no `postgres` user exists") }
            for path in [folder, passwordFile] { chown(path, account.pointee.pw_uid, account.pointee.pw_gid) }
            asUser = ["runuser", "-u", "postgres", "--"]
        }
        let initdb =
            asUser + [
                "\(bin)/initdb", "-D", folder + "/data", "-U", "quire", "--pwfile", passwordFile, "--auth-local=trust",
                "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync",
            ]
        // stderr too, so that a failure says why. Tried twice: one CI run on a loaded machine saw
        // initdb stop in "post-bootstrap initialization" without a word on stdout.
        let capture = ["/bin/sh", "-c", "\"$@\" 2>&1", "sh"] + initdb
        var initialized = try await runCommand(capture[0], Array(capture.dropFirst()))
        if initialized.status != 0 {
            try? FileManager.default.removeItem(atPath: folder + "/data")
            initialized = try await runCommand(capture[0], Array(capture.dropFirst()))
        }
        guard initialized.status == 0 else { throw ClusterError.failed("initdb failed twice: \(initialized.output)") }

        // This shell stays ours (root may remove the folder); only the server runs as `asUser`,
        // so it is stopped by the PID it writes. The socket trusts its peers: only the server's
        // own user may open it. Durability is not needed in a cluster that dies
        // with the tests; connections are, as every test opens a pool and a listener.
        let script = """
            bin=$1 dir=$2 port=$3
            shift 3
            "$@" "$bin/postgres" -D "$dir/data" -p "$port" -k "$dir" -c listen_addresses=127.0.0.1 -c unix_socket_permissions=0700 -c fsync=off \\
              -c synchronous_commit=off -c full_page_writes=off -c max_connections=500 >"$dir/log" 2>&1 &
            cat >/dev/null
            kill -QUIT "$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null)" 2>/dev/null
            wait
            rm -rf "$dir"
            """
        let port = try freePort()
        let guardian = try ChildProcess(
            executable: "/bin/sh", arguments: ["-c", script, "sh", bin, folder, String(port)] + asUser,
            environment: ProcessInfo.processInfo.environment)
        guard try await waitUntilReady(bin: bin, port: port) else {
            let log = (try? String(contentsOfFile: folder + "/log", encoding: .utf8)) ?? ""
            guardian.closeInput()
            guardian.wait()
            throw ClusterError.failed("the server did not start: \(log)")
        }
        let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        return try PostgresTestCluster(adminURL: "postgres://quire:\(encoded)@127.0.0.1:\(port)/postgres", guardian: guardian)
    }

    /// Polls `pg_isready` for up to 30 s.
    private static func waitUntilReady(bin: String, port: Int) async throws -> Bool {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if try await runCommand("\(bin)/pg_isready", ["-q", "-h", "127.0.0.1", "-p", String(port)]).status == 0 { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// A loopback port nobody listens on right now.
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw ClusterError.failed("no free port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
