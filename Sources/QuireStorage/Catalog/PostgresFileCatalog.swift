// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Logging
import PostgresNIO

/// The file catalog in the PostgreSQL database every node shares, beside the job queue.
package struct PostgresFileCatalog: FileCatalog {
    private let client: PostgresClient
    private let logger: Logger

    /// `client` must be running and migrated with `PostgresFileCatalog.migrations`
    /// (`PostgresBackend.migrations(with:)` in QuireJobs).
    package init(client: PostgresClient, logger: Logger = Logger(label: "quire.postgres")) {
        self.client = client
        self.logger = logger
    }

    /// Every migration of the catalog, in order: (ID, statements), as `PostgresMigration` takes them.
    package static let migrations: [(id: String, statements: [String])] = [
        (
            "files-v1",
            [
                """
                CREATE TABLE files (
                    id text PRIMARY KEY,
                    owner text NOT NULL,
                    name text NOT NULL,
                    size bigint,
                    created_at timestamptz NOT NULL,
                    expires_at timestamptz NOT NULL,
                    is_ready boolean NOT NULL,
                    is_upload boolean NOT NULL
                )
                """,
                "CREATE INDEX files_expires_at ON files (expires_at)",
            ]
        )
    ]

    private static let columns = "id, owner, name, size, created_at, expires_at, is_ready, is_upload"

    package func insert(_ file: StoredFile) async throws {
        let inserted = try await rows(
            """
            INSERT INTO files (\(unescaped: Self.columns))
            VALUES (\(file.id), \(file.owner), \(file.name), \(file.size), \(file.createdAt), \(file.expiresAt), \(file.isReady),
                \(file.isUpload))
            ON CONFLICT (id) DO NOTHING
            RETURNING id
            """)
        guard inserted.count == 1 else { throw StorageError.duplicateID(file.id) }
    }

    package func markReady(id: String, size: Int) async throws {
        _ = try await rows("UPDATE files SET is_ready = true, size = \(size) WHERE id = \(id)")
    }

    // One UPDATE: a second PUT racing for the row waits for the first's row lock, then finds
    // `size` set and matches nothing.
    package func claimUpload(id: String, size: Int) async throws -> Bool {
        try await rows("UPDATE files SET size = \(size) WHERE id = \(id) AND NOT is_ready AND size IS NULL RETURNING id").count == 1
    }

    package func releaseUpload(id: String) async throws {
        _ = try await rows("UPDATE files SET size = NULL WHERE id = \(id) AND NOT is_ready")
    }

    package func file(id: String, owner: String?) async throws -> StoredFile? {
        let found = try await rows("SELECT \(unescaped: Self.columns) FROM files WHERE id = \(id)")
        guard let row = found.first else { return nil }
        let (id, fileOwner, name, size, createdAt, expiresAt, isReady, isUpload) = try row.decode(
            (String, String, String, Int?, Date, Date, Bool, Bool).self)
        guard owner == nil || fileOwner == owner else { return nil }
        return StoredFile(
            id: id, owner: fileOwner, name: name, size: size, createdAt: createdAt, expiresAt: expiresAt, isReady: isReady,
            isUpload: isUpload)
    }

    package func delete(id: String) async throws {
        _ = try await rows("DELETE FROM files WHERE id = \(id)")
    }

    package func replace(_ file: StoredFile) async throws {
        _ = try await rows(
            """
            INSERT INTO files (\(unescaped: Self.columns))
            VALUES (\(file.id), \(file.owner), \(file.name), \(file.size), \(file.createdAt), \(file.expiresAt), \(file.isReady),
                \(file.isUpload))
            ON CONFLICT (id) DO UPDATE SET owner = EXCLUDED.owner, name = EXCLUDED.name, size = EXCLUDED.size,
                created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at, is_ready = EXCLUDED.is_ready,
                is_upload = EXCLUDED.is_upload
            """)
    }

    // SKIP LOCKED: janitors on several nodes share the batch instead of waiting for each other.
    package func removeExpired(now: Date, limit: Int) async throws -> [String] {
        try await rows(
            """
            DELETE FROM files WHERE id IN (
                SELECT id FROM files WHERE expires_at < \(now) LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING id
            """
        ).map { try $0.decode(String.self) }
    }

    /// Runs `query` on a pooled connection and reads every row it returns.
    private func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await client.withConnection { connection in try await connection.query(query, logger: logger).collect() }
    }
}
