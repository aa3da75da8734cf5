// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import GRDB

/// Opens the embedded database (`<data>/quire.sqlite`) in WAL mode and applies migrations.
package enum QuireDatabase {
    /// `schemas` are (identifier, creator) pairs from each layer that keeps tables here.
    package static func open(at file: URL, schemas: [(String, @Sendable (Database) throws -> Void)]) throws -> DatabasePool {
        var configuration = Configuration()
        // Writers wait for each other instead of failing with SQLITE_BUSY.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // WAL is set by DatabasePool; NORMAL sync is durable across process crashes (kill -9),
            // only an OS crash can lose the last transactions.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let pool = try DatabasePool(path: file.path, configuration: configuration)
        var migrator = DatabaseMigrator()
        for (identifier, create) in schemas { migrator.registerMigration(identifier, migrate: create) }
        try migrator.migrate(pool)
        return pool
    }
}
