// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// What one process of a deployment does.
package enum NodeRole: String, Sendable {
    /// API and worker in one process (`quire serve`): the embedded default.
    case all
    /// The HTTP API only (`quire serve --no-worker`): jobs run on worker nodes.
    case api
    /// Leases and runs jobs (`quire worker`): no API, `/healthz` on `--port`.
    case worker

    var runsAPI: Bool { self != .worker }
    var runsWorker: Bool { self != .api }
}

/// Everything `quire serve` and `quire worker` are configured with (flags or `QUIRE_*`
/// environment variables).
package struct ServeConfig: Sendable {
    package var role = NodeRole.all
    /// The recorded metrics in Prometheus' text format, for `/metrics` (`quire serve` sets it
    /// once it has bootstrapped swift-metrics).
    package var exportMetrics: @Sendable () -> String = { "" }
    /// `postgres://USER:PASS@HOST:PORT/DB`: jobs and file records in PostgreSQL, shared by
    /// every node; nil: SQLite in `--data`.
    package var databaseURL: String?
    /// Connections each node's pool opens at most (one more listens for wake-ups).
    package var databasePoolSize = 10
    /// Seconds between the janitor's passes over expired files and jobs.
    package var janitorIntervalSeconds = 60
    /// Files in this S3 bucket rather than in `--data/files`; nil: local disk.
    package var s3Bucket: String?
    /// `scheme://host[:port]` of an S3-compatible service; nil: AWS.
    package var s3Endpoint: String?
    package var s3Region = "us-east-1"
    package var s3PathStyle = false
    /// Put before every object key, so one bucket can serve several installations.
    package var s3Prefix = ""
    /// Seconds a download redirect to S3 stays valid (never past the file's own expiry).
    package var s3RedirectSeconds = 300
    package var host = "127.0.0.1"
    package var port = 8080
    package var dataDirectory = URL(fileURLWithPath: "data")
    /// Base of returned links; default `http://<host>:<port>`.
    package var publicURL: String?
    package var apiKeys: [String] = []
    package var allowsPrivateURLs = false
    package var workers = ProcessInfo.processInfo.activeProcessorCount
    package var maxUploadMB = 200
    package var jobTimeoutSeconds = 300
    package var engineMemoryMB = 2048
    package var engineMaxJobs = 500
    package var enablesTestOperations = false
    /// LibreOffice hosts (office → PDF); 0 turns office conversions off. One per two cores:
    /// LibreOffice does not run two conversions at once in one process.
    package var officeWorkers = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
    package var officeMaxJobs = 200
    /// Quotas (0 turns each off): jobs waiting in the queue before new ones get 503, jobs one key
    /// may have queued or running, requests a second one key may send.
    package var maxQueuedJobs = 10_000
    package var maxJobsPerKey = 0
    package var rateLimit = 0
    /// Tesseract hosts: the pages of one OCR job are shared out among them; 0 turns OCR off.
    /// One per core: each reads one page at a time on one thread (OMP_THREAD_LIMIT=1).
    package var ocrWorkers = ProcessInfo.processInfo.activeProcessorCount
    /// Chromium hosts for HTML and web pages (0: those conversions answer 503). Default: one
    /// when Chromium is installed.
    package var browserWorkers =
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].contains { FileManager.default.isExecutableFile(atPath: $0) } ? 1 : 0
    /// Seconds a page may take to load and print (QUIRE_BROWSER_PAGE_SECONDS).
    package var browserPageSeconds = 30
    /// Resident memory after which an office host is restarted (LibreOffice never shrinks).
    package var officeMemoryMB = 1024
    /// Input files one job may name (merge, images → PDF): `url` lists longer than this get 400.
    package var maxInputsPerJob = 100
    /// Total bytes of all input files of one job, in MB (413 when a job's inputs add up to more).
    package var maxJobInputMB = 1024
    /// Uploads received at once; more get 429 (each holds a disk file and a decode thread).
    package var maxConcurrentUploads = 8
    /// Open client connections; more are closed at once, before any byte is read.
    package var maxConnections = 512
    /// Seconds a connection may stay silent (mid-request or between requests) before it is closed.
    package var idleTimeoutSeconds = 60
    /// Seconds a new connection has to send its first request's headers (later ones: `idleTimeoutSeconds`).
    package var headerTimeoutSeconds = 10
    /// Networks whose requests need no API key (`10.0.0.0/8,192.168.1.0/24`); their jobs and
    /// files belong to one anonymous owner.
    package var anonymousNetworks: [String] = []
    /// Proxies whose `X-Forwarded-For` names the client for `anonymousNetworks`; from anyone
    /// else the header is ignored and the peer address counts.
    package var trustedProxies: [String] = []

    package init() {}

    /// Addresses that only this machine can reach: a keyless server may bind only these.
    package var isLoopbackHost: Bool {
        ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased()) || host.hasPrefix("127.")
    }

    /// Problems that stop the server from starting, phrased for the operator (flag and variable).
    package func validate(hasKeys: Bool) throws {
        if role != .all && databaseURL == nil {
            // SQLite and the in-process wake-ups serve one process: its data-directory lock
            // keeps every other process out.
            throw ConfigError(
                "\(role == .api ? "quire serve --no-worker" : "quire worker") needs a database that several processes share: pass --database-url postgres://USER:PASS@HOST:PORT/DB (QUIRE_DATABASE_URL)."
            )
        }
        try Self.check(databasePoolSize, in: 1...1000, "--database-pool (QUIRE_DATABASE_POOL)")
        try Self.check(janitorIntervalSeconds, in: 1...86_400, "--janitor-interval (QUIRE_JANITOR_INTERVAL)")
        if role != .all && s3Bucket == nil {
            // Each node has its own --data: a file one node stored on its disk is not on the others'.
            throw ConfigError(
                "\(role == .api ? "quire serve --no-worker" : "quire worker") needs storage that several processes share: pass --s3-bucket BUCKET (QUIRE_S3_BUCKET), with --s3-endpoint for a server other than AWS."
            )
        }
        try validateS3()
        if role.runsAPI && !hasKeys && !isLoopbackHost && anonymousNetworks.isEmpty {
            throw ConfigError(
                "Refusing to listen on \(host) without an API key: anyone on the network could use this server. Create a key with `quire keys create` (or pass --api-key / QUIRE_API_KEYS), name the networks that may call without a key with --anonymous-from (QUIRE_ANONYMOUS_FROM), or listen on 127.0.0.1."
            )
        }
        for network in anonymousNetworks + trustedProxies where IPNetwork(network) == nil {
            throw ConfigError("--anonymous-from / --trusted-proxy: \"\(network)\" is not an address or network (e.g. 10.0.0.0/8).")
        }
        // Upper bounds too: these feed shifts, sums and time conversions that must not overflow.
        try Self.check(maxInputsPerJob, in: 1...100_000, "--max-inputs (QUIRE_MAX_INPUTS)")
        try Self.check(maxJobInputMB, in: 1...(1 << 30), "--max-job-input-mb (QUIRE_MAX_JOB_INPUT_MB)")
        try Self.check(maxConcurrentUploads, in: 1...10_000, "--max-uploads (QUIRE_MAX_UPLOADS)")
        try Self.check(maxConnections, in: 1...1_000_000, "--max-connections (QUIRE_MAX_CONNECTIONS)")
        try Self.check(headerTimeoutSeconds, in: 1...86_400, "--header-timeout (QUIRE_HEADER_TIMEOUT)")
        try Self.check(idleTimeoutSeconds, in: 1...86_400, "--idle-timeout (QUIRE_IDLE_TIMEOUT)")
        guard (0...65535).contains(port) else { throw ConfigError("--port (QUIRE_PORT) must be 0…65535.") }
        guard workers >= 1 else { throw ConfigError("--workers (QUIRE_WORKERS) must be at least 1.") }
        guard officeWorkers >= 0 else { throw ConfigError("--office-workers (QUIRE_OFFICE_WORKERS) must be 0 or more.") }
        guard maxQueuedJobs >= 0, maxJobsPerKey >= 0, rateLimit >= 0 else {
            throw ConfigError("--max-queued-jobs, --max-jobs-per-key and --rate-limit must be 0 (off) or more.")
        }
        guard ocrWorkers >= 0 else { throw ConfigError("--ocr-workers (QUIRE_OCR_WORKERS) must be 0 or more.") }
        guard browserWorkers >= 0 else { throw ConfigError("--browser-workers (QUIRE_BROWSER_WORKERS) must be 0 or more.") }
        guard browserPageSeconds > 0 else { throw ConfigError("--browser-page-seconds (QUIRE_BROWSER_PAGE_SECONDS) must be 1 or more.") }
        try Self.check(maxUploadMB, in: 1...(1 << 20), "--max-upload-mb (QUIRE_MAX_UPLOAD_MB)")
        guard jobTimeoutSeconds >= 1 else { throw ConfigError("--job-timeout (QUIRE_JOB_TIMEOUT) must be at least 1 second.") }
    }
}

extension ServeConfig {
    /// The S3 flags make sense together: a bucket name S3 accepts, an http(s) endpoint without
    /// a path, a region name, a relative prefix.
    func validateS3() throws {
        guard let bucket = s3Bucket else {
            if s3Endpoint != nil || s3PathStyle || !s3Prefix.isEmpty {
                throw ConfigError("--s3-endpoint, --s3-path-style and --s3-prefix need --s3-bucket (QUIRE_S3_BUCKET).")
            }
            return
        }
        // S3's rule for names: 3–63 characters, lower-case letters, digits, dots and hyphens.
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
        guard (3...63).contains(bucket.count), bucket.allSatisfy(allowed.contains), bucket.first != ".", bucket.first != "-" else {
            throw ConfigError(
                "--s3-bucket (QUIRE_S3_BUCKET): \"\(bucket)\" is no S3 bucket name (3–63 lower-case letters, digits, dots and hyphens).")
        }
        if let endpoint = s3Endpoint {
            guard let url = URL(string: endpoint), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false,
                url.path.isEmpty || url.path == "/", url.query == nil, url.user == nil
            else {
                throw ConfigError(
                    "--s3-endpoint (QUIRE_S3_ENDPOINT) must be http(s)://HOST[:PORT] with no path, e.g. http://127.0.0.1:9000.")
            }
        }
        guard !s3Region.isEmpty, s3Region.count <= 64, s3Region.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        else {
            throw ConfigError("--s3-region (QUIRE_S3_REGION) must be a region name such as us-east-1.")
        }
        guard !s3Prefix.hasPrefix("/"), s3Prefix.count <= 512, !s3Prefix.contains("\0") else {
            throw ConfigError("--s3-prefix (QUIRE_S3_PREFIX) must not start with / (e.g. quire/).")
        }
        try Self.check(s3RedirectSeconds, in: 1...3600, "--s3-redirect-seconds (QUIRE_S3_REDIRECT_SECONDS)")
    }

    /// - Throws: `ConfigError` naming `flag` and its range when `value` is outside `range`.
    static func check(_ value: Int, in range: ClosedRange<Int>, _ flag: String) throws {
        guard range.contains(value) else { throw ConfigError("\(flag) must be \(range.lowerBound)…\(range.upperBound), not \(value).") }
    }
}

/// A configuration problem; the message names the flag or variable to change.
package struct ConfigError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
