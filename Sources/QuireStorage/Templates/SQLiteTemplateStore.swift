// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import GRDB

/// HTML templates in the embedded SQLite database, beside the job queue and the file catalog.
package struct SQLiteTemplateStore: TemplateStore {
    private let database: any DatabaseWriter

    package init(database: any DatabaseWriter) {
        self.database = database
    }

    /// Every migration of the store, in order, for `QuireDatabase.open`.
    package static let migrations: [(String, @Sendable (Database) throws -> Void)] = [
        (
            "templates-v1",
            { db in
                try db.create(table: "templates", options: .ifNotExists) { t in
                    t.autoIncrementedPrimaryKey("id")
                    t.column("owner", .text).notNull().indexed()
                    t.column("title", .text).notNull()
                    t.column("description", .text).notNull()
                    t.column("body", .text).notNull()
                    t.column("testJSON", .text).notNull()
                    t.column("updatedAt", .datetime).notNull()
                }
            }
        )
    ]

    package func create(_ content: TemplateContent, owner: String, now: Date) async throws -> StoredTemplate {
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO templates (owner, title, description, body, testJSON, updatedAt) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [owner, content.title, content.description, content.body, content.testJSON, now])
            return StoredTemplate(id: Int(db.lastInsertedRowID), owner: owner, content: content, updatedAt: now)
        }
    }

    package func update(id: Int, _ content: TemplateContent, owner: String, now: Date) async throws -> StoredTemplate? {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE templates SET title = ?, description = ?, body = ?, testJSON = ?, updatedAt = ? WHERE id = ? AND owner = ?",
                arguments: [content.title, content.description, content.body, content.testJSON, now, id, owner])
            guard db.changesCount == 1 else { return nil }
            return StoredTemplate(id: id, owner: owner, content: content, updatedAt: now)
        }
    }

    package func delete(id: Int, owner: String) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM templates WHERE id = ? AND owner = ?", arguments: [id, owner])
            return db.changesCount == 1
        }
    }

    package func template(id: Int, owner: String) async throws -> StoredTemplate? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM templates WHERE id = ? AND owner = ?", arguments: [id, owner]).map(Self.template)
        }
    }

    package func list(owner: String, limit: Int) async throws -> [StoredTemplate] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM templates WHERE owner = ? ORDER BY id LIMIT ?", arguments: [owner, limit])
                .map(Self.template)
        }
    }

    package func count(owner: String) async throws -> Int {
        try await database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM templates WHERE owner = ?", arguments: [owner]) ?? 0
        }
    }

    private static func template(_ row: Row) -> StoredTemplate {
        StoredTemplate(
            id: row["id"], owner: row["owner"], title: row["title"], description: row["description"], body: row["body"],
            testJSON: row["testJSON"], updatedAt: row["updatedAt"])
    }
}
