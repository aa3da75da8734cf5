// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import GRDB

/// The file catalog in the embedded SQLite database, beside the job queue.
package struct SQLiteFileCatalog: FileCatalog {
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
        try await database.write { db in
            guard try !StoredFile.exists(db, key: file.id) else { throw StorageError.duplicateID(file.id) }
            try file.insert(db)
        }
    }

    package func markReady(id: String, size: Int) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE files SET isReady = 1, size = ? WHERE id = ?", arguments: [size, id])
        }
    }

    // One atomic UPDATE, so two PUTs racing to the same URL cannot both store bytes.
    package func claimUpload(id: String, size: Int) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE files SET size = ? WHERE id = ? AND isReady = 0 AND size IS NULL", arguments: [size, id])
            return db.changesCount == 1
        }
    }

    package func releaseUpload(id: String) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE files SET size = NULL WHERE id = ? AND isReady = 0", arguments: [id])
        }
    }

    package func file(id: String, owner: String?) async throws -> StoredFile? {
        // A cached statement: every job reads its input's record here.
        let file = try await database.read { db in
            try StoredFile.fetchOne(db.cachedStatement(sql: "SELECT * FROM files WHERE id = ?"), arguments: [id])
        }
        guard let file, owner == nil || file.owner == owner else { return nil }
        return file
    }

    package func delete(id: String) async throws {
        _ = try await database.write { db in try StoredFile.deleteOne(db, key: id) }
    }

    package func replace(_ file: StoredFile) async throws {
        try await database.write { db in try file.insert(db, onConflict: .replace) }
    }

    package func removeExpired(now: Date, limit: Int) async throws -> [String] {
        try await database.write { db in
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM files WHERE expiresAt < ? LIMIT ?", arguments: [now, limit])
            for id in ids { _ = try StoredFile.deleteOne(db, key: id) }
            return ids
        }
    }
}
