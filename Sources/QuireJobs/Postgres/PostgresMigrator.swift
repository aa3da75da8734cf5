// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Logging
import PostgresNIO

/// One schema change, applied once per database and recorded under `id` (never rename one).
package struct PostgresMigration: Sendable, Equatable {
    package let id: String
    /// Run in order in one transaction (the extended protocol takes one statement per query).
    package let statements: [String]

    package init(id: String, statements: [String]) {
        self.id = id
        self.statements = statements
    }
}

/// Applies migrations at start, whichever node comes first.
///
/// Everything runs in one transaction that first takes a transaction-level advisory lock:
/// nodes starting together queue on the lock, and each later one finds the work recorded in
/// `quire_migrations` and does nothing. Even `CREATE TABLE IF NOT EXISTS` needs the lock: two
/// of them racing can both pass the check and one then fails on the catalog's unique index.
struct PostgresMigrator {
    /// The advisory lock key: "QUIRE" in ASCII. Advisory keys are per database.
    static let lockKey: Int64 = 0x51_5549_5245

    let client: PostgresClient
    let logger: Logger

    /// Returns the IDs it applied (empty when another node had applied them all).
    @discardableResult
    func migrate(_ migrations: [PostgresMigration]) async throws -> [String] {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS quire_migrations (
                    id text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, logger: logger)
            var applied = Set<String>()
            for try await id in try await connection.query("SELECT id FROM quire_migrations", logger: logger).decode(String.self) {
                applied.insert(id)
            }
            var done: [String] = []
            for migration in migrations where !applied.contains(migration.id) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO quire_migrations (id) VALUES (\(migration.id))", logger: logger)
                done.append(migration.id)
            }
            if !done.isEmpty { logger.info("postgres migrations applied", metadata: ["migrations": "\(done.joined(separator: ","))"]) }
            return done
        }
    }
}
