// SPDX-License-Identifier: AGPL-3.0-or-later
import ArgumentParser
import Foundation
import Logging
import QuireApp

/// `quire serve`: API and worker in one process (or the API only, `--no-worker`).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP API and the worker (SQLite and the local disk; PostgreSQL and S3 with --database-url and --s3-bucket).")

    @OptionGroup var options: NodeOptions
    @Flag(help: "The API only: jobs run on `quire worker` nodes (QUIRE_NO_WORKER).") var noWorker = false

    func run() async throws {
        try await options.run(role: noWorker || NodeOptions.envBool("NO_WORKER") ? .api : .all)
    }
}

/// `quire worker`: leases and runs jobs of a shared queue; no API, `/healthz` on `--port`.
struct WorkerNode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Run a worker node: leases and runs jobs; /healthz on --port.")

    @OptionGroup var options: NodeOptions

    func run() async throws {
        try await options.run(role: .worker)
    }
}

/// The flags of `quire serve` and `quire worker`. Each flag also reads `QUIRE_<FLAG>`.
struct NodeOptions: ParsableArguments {
    @Option(help: "Address to listen on (QUIRE_HOST). Default 127.0.0.1.") var host: String?
    @Option(help: "Log lines as text or json, one JSON object a line (QUIRE_LOG_FORMAT). Default text.") var logFormat: String?
    @Option(help: "Port to listen on, 0 for any free port (QUIRE_PORT). Default 8080.") var port: Int?
    @Option(name: .customLong("data"), help: "Directory for the database and files (QUIRE_DATA). Default ./data.") var data: String?
    @Option(help: "Base URL put into returned links (QUIRE_PUBLIC_URL). Default http://HOST:PORT.") var publicURL: String?
    @Option(name: .customLong("api-key"), help: "Accept this API key; repeatable (QUIRE_API_KEYS, comma-separated).")
    var apiKeys: [String] = []
    @Flag(name: .customLong("allow-private-urls"), help: "Let URL inputs reach loopback and private addresses (QUIRE_ALLOW_PRIVATE_URLS).")
    var allowPrivateURLs = false
    @Option(help: "Engine hosts, i.e. jobs run at once (QUIRE_WORKERS). Default: the core count.") var workers: Int?
    @Option(help: "Largest upload in MB (QUIRE_MAX_UPLOAD_MB). Default 200.") var maxUploadMb: Int?
    @Option(help: "Seconds one job attempt may run (QUIRE_JOB_TIMEOUT). Default 300.") var jobTimeout: Int?
    @Option(help: "Address-space limit of each engine host in MB, 0 for none (QUIRE_ENGINE_MEMORY_MB). Default 2048.")
    var engineMemoryMb: Int?
    @Option(help: "LibreOffice hosts for office → PDF, 0 to turn it off (QUIRE_OFFICE_WORKERS). Default: one per 2 cores.")
    var officeWorkers: Int?
    @Option(help: "Tesseract hosts that share out an OCR job's pages, 0 to turn OCR off (QUIRE_OCR_WORKERS). Default: the core count.")
    var ocrWorkers: Int?
    @Option(
        help:
            "Chromium hosts for HTML and web pages → PDF and images, 0 to turn them off (QUIRE_BROWSER_WORKERS). Default: 1 when Chromium is installed."
    )
    var browserWorkers: Int?
    @Option(help: "Seconds a web page may take to load and print (QUIRE_BROWSER_PAGE_SECONDS). Default 30.")
    var browserPageSeconds: Int?
    @Option(help: "Restart an office host after this many conversions (QUIRE_OFFICE_MAX_JOBS). Default 200.")
    var officeMaxJobs: Int?
    @Option(
        help:
            "Kill an office host whose resident memory exceeds this many MB while it converts; its job fails (QUIRE_OFFICE_MEMORY_MB). Default 1024, 0 = none."
    )
    var officeMemoryMb: Int?
    @Option(help: "Input files one job may name, e.g. for merge (QUIRE_MAX_INPUTS). Default 100.") var maxInputs: Int?
    @Option(help: "Total MB of one job's input files (QUIRE_MAX_JOB_INPUT_MB). Default 1024.") var maxJobInputMb: Int?
    @Option(help: "Uploads received at once; more get 429 (QUIRE_MAX_UPLOADS). Default 8.") var maxUploads: Int?
    @Option(help: "Jobs waiting in the queue past which new ones get 503 (QUIRE_MAX_QUEUED_JOBS). Default 10000, 0 = no limit.")
    var maxQueuedJobs: Int?
    @Option(help: "Jobs one API key may have queued or running; more get 429 (QUIRE_MAX_JOBS_PER_KEY). Default 0 = no limit.")
    var maxJobsPerKey: Int?
    @Option(help: "Requests a second one API key may send to this node; more get 429 (QUIRE_RATE_LIMIT). Default 0 = no limit.")
    var rateLimit: Int?
    @Option(help: "Open client connections; more are refused (QUIRE_MAX_CONNECTIONS). Default 512.") var maxConnections: Int?
    @Option(help: "Seconds a silent connection stays open (QUIRE_IDLE_TIMEOUT). Default 60.") var idleTimeout: Int?
    @Option(help: "Seconds a new connection has to send its first request's headers (QUIRE_HEADER_TIMEOUT). Default 10.") var headerTimeout:
        Int?
    @Option(
        help:
            "Networks whose requests need no API key, comma-separated, e.g. 10.0.0.0/8,192.168.1.0/24 (QUIRE_ANONYMOUS_FROM). Their jobs and files share one anonymous owner."
    )
    var anonymousFrom: String?
    @Option(help: "Proxies whose X-Forwarded-For is believed for --anonymous-from, comma-separated (QUIRE_TRUSTED_PROXY).")
    var trustedProxy: String?
    @Option(
        help:
            "PostgreSQL for jobs and file records, shared by every node: postgres://USER:PASS@HOST:PORT/DB (QUIRE_DATABASE_URL). Default: SQLite in --data."
    )
    var databaseUrl: String?
    @Option(help: "Connections this node's PostgreSQL pool opens at most (QUIRE_DATABASE_POOL). Default 10.") var databasePool: Int?
    @Option(
        help:
            "Keep files in this S3 bucket instead of --data/files; needed by --no-worker and worker nodes (QUIRE_S3_BUCKET). Credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN or QUIRE_S3_*."
    )
    var s3Bucket: String?
    @Option(help: "S3-compatible server, http(s)://HOST[:PORT] (QUIRE_S3_ENDPOINT). Default: AWS.") var s3Endpoint: String?
    @Option(help: "S3 region (QUIRE_S3_REGION). Default us-east-1.") var s3Region: String?
    @Flag(help: "Address the bucket as ENDPOINT/BUCKET rather than BUCKET.ENDPOINT (QUIRE_S3_PATH_STYLE=1).") var s3PathStyle = false
    @Option(help: "Put before every object key, e.g. quire/ (QUIRE_S3_PREFIX). Default none.") var s3Prefix: String?
    @Option(help: "Seconds a download's redirect to S3 stays valid, 1–3600 (QUIRE_S3_REDIRECT_SECONDS). Default 300.")
    var s3RedirectSeconds: Int?
    @Option(help: "Seconds between the janitor's passes over expired files and jobs (QUIRE_JANITOR_INTERVAL). Default 60.")
    var janitorInterval: Int?
    @Flag(help: .hidden) var enableTestOperations = false

    static func env(_ name: String) -> String? {
        ProcessInfo.processInfo.environment["QUIRE_" + name].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func envBool(_ name: String) -> Bool { ["1", "true", "yes"].contains(env(name)?.lowercased() ?? "") }

    func run(role: NodeRole) async throws {
        let environment = ProcessInfo.processInfo.environment
        func env(_ name: String) -> String? { Self.env(name) }
        func envInt(_ name: String) throws -> Int? {
            guard let text = env(name) else { return nil }
            guard let value = Int(text) else { throw ValidationError("QUIRE_\(name) must be a whole number, not \"\(text)\".") }
            return value
        }
        func envBool(_ name: String) -> Bool { Self.envBool(name) }

        var config = ServeConfig()
        config.role = role
        config.host = host ?? env("HOST") ?? config.host
        config.port = try port ?? envInt("PORT") ?? config.port
        config.dataDirectory = URL(fileURLWithPath: data ?? env("DATA") ?? "data")
        config.publicURL = publicURL ?? env("PUBLIC_URL")
        config.allowsPrivateURLs = allowPrivateURLs || envBool("ALLOW_PRIVATE_URLS")
        config.workers = try workers ?? envInt("WORKERS") ?? config.workers
        config.maxUploadMB = try maxUploadMb ?? envInt("MAX_UPLOAD_MB") ?? config.maxUploadMB
        config.jobTimeoutSeconds = try jobTimeout ?? envInt("JOB_TIMEOUT") ?? config.jobTimeoutSeconds
        config.engineMemoryMB = try engineMemoryMb ?? envInt("ENGINE_MEMORY_MB") ?? config.engineMemoryMB
        config.officeWorkers = try officeWorkers ?? envInt("OFFICE_WORKERS") ?? config.officeWorkers
        config.ocrWorkers = try ocrWorkers ?? envInt("OCR_WORKERS") ?? config.ocrWorkers
        config.browserWorkers = try browserWorkers ?? envInt("BROWSER_WORKERS") ?? config.browserWorkers
        config.browserPageSeconds = try browserPageSeconds ?? envInt("BROWSER_PAGE_SECONDS") ?? config.browserPageSeconds
        config.officeMaxJobs = try officeMaxJobs ?? envInt("OFFICE_MAX_JOBS") ?? config.officeMaxJobs
        config.officeMemoryMB = try officeMemoryMb ?? envInt("OFFICE_MEMORY_MB") ?? config.officeMemoryMB
        config.maxInputsPerJob = try maxInputs ?? envInt("MAX_INPUTS") ?? config.maxInputsPerJob
        config.maxJobInputMB = try maxJobInputMb ?? envInt("MAX_JOB_INPUT_MB") ?? config.maxJobInputMB
        config.maxConcurrentUploads = try maxUploads ?? envInt("MAX_UPLOADS") ?? config.maxConcurrentUploads
        config.maxQueuedJobs = try maxQueuedJobs ?? envInt("MAX_QUEUED_JOBS") ?? config.maxQueuedJobs
        config.maxJobsPerKey = try maxJobsPerKey ?? envInt("MAX_JOBS_PER_KEY") ?? config.maxJobsPerKey
        config.rateLimit = try rateLimit ?? envInt("RATE_LIMIT") ?? config.rateLimit
        config.maxConnections = try maxConnections ?? envInt("MAX_CONNECTIONS") ?? config.maxConnections
        config.idleTimeoutSeconds = try idleTimeout ?? envInt("IDLE_TIMEOUT") ?? config.idleTimeoutSeconds
        config.headerTimeoutSeconds = try headerTimeout ?? envInt("HEADER_TIMEOUT") ?? config.headerTimeoutSeconds
        func list(_ text: String?) -> [String] {
            (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        config.apiKeys = apiKeys + list(env("API_KEYS"))
        config.anonymousNetworks = list(anonymousFrom ?? env("ANONYMOUS_FROM"))
        config.trustedProxies = list(trustedProxy ?? env("TRUSTED_PROXY"))
        config.databaseURL = databaseUrl ?? env("DATABASE_URL")
        config.databasePoolSize = try databasePool ?? envInt("DATABASE_POOL") ?? config.databasePoolSize
        config.s3Bucket = s3Bucket ?? env("S3_BUCKET")
        config.s3Endpoint = s3Endpoint ?? env("S3_ENDPOINT")
        config.s3Region = s3Region ?? env("S3_REGION") ?? config.s3Region
        config.s3PathStyle = s3PathStyle || envBool("S3_PATH_STYLE")
        config.s3Prefix = s3Prefix ?? env("S3_PREFIX") ?? config.s3Prefix
        config.s3RedirectSeconds = try s3RedirectSeconds ?? envInt("S3_REDIRECT_SECONDS") ?? config.s3RedirectSeconds
        config.janitorIntervalSeconds = try janitorInterval ?? envInt("JANITOR_INTERVAL") ?? config.janitorIntervalSeconds
        config.enablesTestOperations = enableTestOperations

        // Writing to a pipe whose engine host just died must be an error, not the end of the server.
        signal(SIGPIPE, SIG_IGN)
        let format = logFormat ?? env("LOG_FORMAT") ?? "text"
        guard let logFormat = LogFormat(rawValue: format.lowercased()) else {
            throw ValidationError("--log-format (QUIRE_LOG_FORMAT) is text or json, not \(format).")
        }
        config.exportMetrics = Observability.start(
            logFormat: logFormat, level: Logger.Level(rawValue: environment["LOG_LEVEL"] ?? "") ?? .info)
        do {
            try await ServeApplication.run(config, executable: ExecutablePath.current, logger: Logger(label: "quire"))
        } catch let error as ConfigError {
            throw ValidationError(error.description)
        }
    }
}

/// The running binary, which engine hosts are started from.
enum ExecutablePath {
    static var current: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    }
}
