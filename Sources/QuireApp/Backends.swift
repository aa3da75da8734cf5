// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Logging
import QuireJobs
import QuireStorage

/// Where jobs, file records and file bytes live: SQLite and the local disk in `--data` (the
/// embedded default), or a PostgreSQL database that several nodes share (`--database-url`).
struct Backends {
    let queue: any JobQueue
    let signals: any JobSignals
    let catalog: any FileCatalog
    let store: any ObjectStore
    /// The PostgreSQL pool and listener, which must run while the node does.
    let postgres: PostgresBackend?

    static func open(_ config: ServeConfig, data: DataDirectory, logger: Logger) throws -> Backends {
        let store = try LocalDiskStore(root: data.files)
        if let url = config.databaseURL {
            let backend: PostgresBackend
            do {
                backend = try PostgresBackend(url: url, poolSize: config.databasePoolSize, logger: logger)
            } catch let error as PostgresBackendError {
                throw ConfigError(error.description)
            }
            return Backends(
                queue: PostgresJobQueue(client: backend.client, signals: backend.signals), signals: backend.signals,
                catalog: PostgresFileCatalog(client: backend.client), store: store, postgres: backend)
        }
        let database = try QuireDatabase.open(at: data.database, schemas: SQLiteFileCatalog.migrations + SQLiteJobQueue.migrations)
        let signals = InProcessJobSignals()
        return Backends(
            queue: SQLiteJobQueue(database: database, signals: signals), signals: signals,
            catalog: SQLiteFileCatalog(database: database), store: store, postgres: nil)
    }

    /// Runs `body` with the backends up: for PostgreSQL its pool and listener run beside
    /// `body` and the schema is migrated first (safe when several nodes start at once); they
    /// stop once `body` returns, after the server and the worker.
    func whileRunning(_ body: () async throws -> Void) async throws {
        guard let postgres else { return try await body() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await postgres.run() }
            defer { group.cancelAll() }
            try await postgres.migrate(PostgresBackend.migrations(with: PostgresFileCatalog.migrations))
            try await body()
        }
    }
}
