// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Logging
import QuireJobs
import QuireStorage

/// Where jobs, file records and file bytes live: SQLite and the local disk in `--data` (the
/// embedded default), or a PostgreSQL database (`--database-url`) and an S3 bucket
/// (`--s3-bucket`) that several nodes share.
struct Backends {
    let queue: any JobQueue
    let signals: any JobSignals
    let catalog: any FileCatalog
    let store: any ObjectStore
    /// HTML templates (`templateId`), in the same database as the queue.
    let templates: any TemplateStore
    /// The PostgreSQL pool and listener, which must run while the node does.
    let postgres: PostgresBackend?

    static func open(_ config: ServeConfig, data: DataDirectory, logger: Logger) async throws -> Backends {
        let store: any ObjectStore = try await openStore(config, data: data)
        if let url = config.databaseURL {
            let backend: PostgresBackend
            do {
                backend = try PostgresBackend(url: url, poolSize: config.databasePoolSize, logger: logger)
            } catch let error as PostgresBackendError {
                throw ConfigError(error.description)
            }
            return Backends(
                queue: PostgresJobQueue(client: backend.client, signals: backend.signals), signals: backend.signals,
                catalog: PostgresFileCatalog(client: backend.client), store: store,
                templates: PostgresTemplateStore(client: backend.client), postgres: backend)
        }
        let database = try QuireDatabase.open(
            at: data.database, schemas: SQLiteFileCatalog.migrations + SQLiteJobQueue.migrations + SQLiteTemplateStore.migrations)
        let signals = InProcessJobSignals()
        return Backends(
            queue: SQLiteJobQueue(database: database, signals: signals), signals: signals,
            catalog: SQLiteFileCatalog(database: database), store: store, templates: SQLiteTemplateStore(database: database),
            postgres: nil)
    }

    /// Runs `body` with the backends up: for PostgreSQL its pool and listener run beside
    /// `body` and the schema is migrated first (safe when several nodes start at once); they
    /// stop once `body` returns, after the server and the worker.
    func whileRunning(_ body: () async throws -> Void) async throws {
        guard let postgres else { return try await body() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await postgres.run() }
            defer { group.cancelAll() }
            try await migrate(postgres)
            try await body()
        }
    }

    /// The S3 bucket of `--s3-bucket`, checked before the node takes work, or `--data/files`.
    /// - Throws: `ConfigError` naming the variable or flag to fix (never a secret's value).
    static func openStore(_ config: ServeConfig, data: DataDirectory) async throws -> any ObjectStore {
        guard let bucket = config.s3Bucket else { return try LocalDiskStore(root: data.files) }
        guard let credentials = S3Credentials.fromEnvironment() else {
            throw ConfigError(
                "--s3-bucket needs credentials in the environment: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or QUIRE_S3_ACCESS_KEY_ID and QUIRE_S3_SECRET_ACCESS_KEY; AWS_SESSION_TOKEN / QUIRE_S3_SESSION_TOKEN for temporary ones)."
            )
        }
        let configuration = S3Configuration(
            bucket: bucket, endpoint: config.s3Endpoint.flatMap(URL.init(string:)), region: config.s3Region,
            pathStyle: config.s3PathStyle, keyPrefix: config.s3Prefix, credentials: credentials)
        let store = S3ObjectStore(configuration: configuration)
        // One attempt: the HTTP client already keeps reconnecting for its connect timeout
        // (10 s), and an operator waiting on a typo should not wait three times that.
        var probe = configuration
        probe.maxAttempts = 1
        do {
            try await S3ObjectStore(configuration: probe).checkBucket()
        } catch let error as S3Error {
            let place = config.s3Endpoint.map { " at \($0)" } ?? " on AWS (\(config.s3Region))"
            let hint =
                switch error {
                case .unreachable: "check --s3-endpoint (QUIRE_S3_ENDPOINT) and the network"
                case .service(_, "NoSuchBucket", _): "create it, or fix --s3-bucket (QUIRE_S3_BUCKET)"
                case .service(301, _, _), .service(400, "AuthorizationHeaderMalformed", _):
                    "the bucket lives in another region: fix --s3-region (QUIRE_S3_REGION)"
                default: "check --s3-bucket (QUIRE_S3_BUCKET) and --s3-endpoint (QUIRE_S3_ENDPOINT)"
                }
            throw ConfigError("S3 bucket \"\(bucket)\"\(place) is not usable (--s3-bucket, QUIRE_S3_BUCKET): \(error); \(hint).")
        }
        return store
    }

    /// Migrates the schema, or fails the start when the database does not answer within 30 s
    /// (the pool would otherwise retry forever and the node never say why it is not up).
    private func migrate(_ postgres: PostgresBackend) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await postgres.migrate(
                    PostgresBackend.migrations(with: PostgresFileCatalog.migrations + PostgresTemplateStore.migrations))
                return true
            }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                return false
            }
            defer { group.cancelAll() }
            guard try await group.next() == true else {
                throw ConfigError(
                    "The database of --database-url (QUIRE_DATABASE_URL) did not answer within 30 s: check its host, port, user and password."
                )
            }
        }
    }
}
