// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import GRDB

/// The list of files Quire holds, with owner, name and expiry (SQLite; PostgreSQL later).
package struct FileCatalog: Sendable {
    private let database: any DatabaseWriter

    package init(database: any DatabaseWriter) {
        self.database = database
    }

    /// Creates the `files` table; registered as a migration by the app.
    package static func createSchema(_ db: Database) throws {
        try db.create(table: StoredFile.databaseTableName, options: .ifNotExists) { t in
            t.primaryKey("id", .text)
            t.column("owner", .text).notNull()
            t.column("name", .text).notNull()
            t.column("size", .integer)
            t.column("createdAt", .datetime).notNull()
            t.column("expiresAt", .datetime).notNull().indexed()
            t.column("isReady", .boolean).notNull()
        }
    }

    /// Marks client content apart from engine results (files-v2). Rows written before it
    /// default to client content: the safe way to serve a file of unknown origin.
    package static func addUploadColumn(_ db: Database) throws {
        try db.alter(table: StoredFile.databaseTableName) { t in
            t.add(column: "isUpload", .boolean).notNull().defaults(to: true)
        }
    }

    /// Every migration of the catalog, in order, for `QuireDatabase.open`.
    package static let migrations: [(String, @Sendable (Database) throws -> Void)] = [
        ("files-v1", createSchema), ("files-v2", addUploadColumn),
    ]

    package func insert(_ file: StoredFile) async throws {
        try await database.write { db in try file.insert(db) }
    }

    /// Records the bytes as stored: the file becomes downloadable.
    package func markReady(id: String, size: Int) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE files SET isReady = 1, size = ? WHERE id = ?", arguments: [size, id])
        }
    }

    /// Claims a presigned upload for one PUT: true for the first caller only, in one atomic
    /// UPDATE, so two PUTs racing to the same URL cannot both store bytes. A claimed upload
    /// has a size and is not ready until `markReady`; `releaseUpload` undoes a failed store.
    package func claimUpload(id: String, size: Int) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE files SET size = ? WHERE id = ? AND isReady = 0 AND size IS NULL", arguments: [size, id])
            return db.changesCount == 1
        }
    }

    /// Gives a claimed upload back (its bytes could not be stored), so the client may PUT again.
    package func releaseUpload(id: String) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE files SET size = NULL WHERE id = ? AND isReady = 0", arguments: [id])
        }
    }

    /// The file `id`, nil when unknown. With `owner`, a file of another owner is unknown too.
    package func file(id: String, owner: String? = nil) async throws -> StoredFile? {
        let file = try await database.read { db in try StoredFile.fetchOne(db, key: id) }
        guard let file, owner == nil || file.owner == owner else { return nil }
        return file
    }

    package func delete(id: String) async throws {
        _ = try await database.write { db in try StoredFile.deleteOne(db, key: id) }
    }

    /// Removes records past their expiry and returns their IDs, so the caller can delete the bytes.
    package func removeExpired(now: Date, limit: Int = 500) async throws -> [String] {
        try await database.write { db in
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM files WHERE expiresAt < ? LIMIT ?", arguments: [now, limit])
            for id in ids { _ = try StoredFile.deleteOne(db, key: id) }
            return ids
        }
    }
}
