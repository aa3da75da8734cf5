// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import GRDB
import QuireJobs
import QuireStorage
import QuireTestSupport
import Testing

/// One `FileCatalog` implementation under test. A new backend joins every conformance test
/// with one more entry in `all`.
struct FileCatalogBackend: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (_ temp: TemporaryDirectory) async throws -> any FileCatalog

    var testDescription: String { name }

    static let all: [FileCatalogBackend] =
        [
            FileCatalogBackend(name: "memory") { _ in MemoryFileCatalog() },
            FileCatalogBackend(name: "sqlite") { temp in
                // A pool, as the server opens it, so concurrent claims really race for the writer.
                let database = try DatabasePool(path: temp.file("db.sqlite").path)
                var migrator = DatabaseMigrator()
                for (identifier, migrate) in SQLiteFileCatalog.migrations { migrator.registerMigration(identifier, migrate: migrate) }
                try migrator.migrate(database)
                return SQLiteFileCatalog(database: database)
            },
        ] + (PostgresTestCluster.isAvailable ? [postgres] : [])

    /// A fresh database on the test process's PostgreSQL server (`PostgresTestCluster`).
    static let postgres = FileCatalogBackend(name: "postgres") { _ in
        let backend = try await PostgresTestCluster.shared().startBackend(
            migrations: PostgresBackend.migrations(with: PostgresFileCatalog.migrations))
        return PostgresFileCatalog(client: backend.client)
    }
}

/// What every `FileCatalog` backend must do, run against each of `FileCatalogBackend.all`.
struct FileCatalogConformanceTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func file(_ id: String, owner: String = "alice", expiresIn: TimeInterval = 60, isReady: Bool = false) -> StoredFile {
        StoredFile(id: id, owner: owner, name: "\(id).pdf", createdAt: now, expiresAt: now.addingTimeInterval(expiresIn), isReady: isReady)
    }

    @Test(arguments: FileCatalogBackend.all)
    func insertAndGetRoundTrip(_ backend: FileCatalogBackend) async throws {
        let catalog = try await backend.make(TemporaryDirectory())
        var stored = file("F1", isReady: true)
        stored.size = 7
        stored.isUpload = true
        try await catalog.insert(stored)
        #expect(try await catalog.file(id: "F1") == stored)
        #expect(try await catalog.file(id: "nope") == nil)
        await #expect(throws: StorageError.duplicateID("F1")) { try await catalog.insert(file("F1", owner: "mallory")) }
        #expect(try await catalog.file(id: "F1")?.owner == "alice")
        try await catalog.delete(id: "F1")
        #expect(try await catalog.file(id: "F1") == nil)
    }

    /// A retried job stores its result again under the same ID: the new record wins whole.
    @Test(arguments: FileCatalogBackend.all)
    func replaceRecordsNewOrOverwrites(_ backend: FileCatalogBackend) async throws {
        let catalog = try await backend.make(TemporaryDirectory())
        let first = file("R1", isReady: true)
        try await catalog.replace(first)
        #expect(try await catalog.file(id: "R1") == first)
        var second = file("R1", owner: "bob", expiresIn: 120, isReady: true)
        second.name = "again.pdf"
        second.size = 42
        second.isUpload = false
        try await catalog.replace(second)
        #expect(try await catalog.file(id: "R1") == second)
        #expect(try await catalog.file(id: "R1", owner: "alice") == nil)
    }

    /// A file of another owner is as unknown as a file that does not exist.
    @Test(arguments: FileCatalogBackend.all)
    func ownersSeeOnlyTheirFiles(_ backend: FileCatalogBackend) async throws {
        let catalog = try await backend.make(TemporaryDirectory())
        try await catalog.insert(file("F1", owner: "alice"))
        #expect(try await catalog.file(id: "F1", owner: "bob") == nil)
        #expect(try await catalog.file(id: "F1", owner: "alice")?.id == "F1")
        #expect(try await catalog.file(id: "F1", owner: nil)?.id == "F1")
    }

    /// A presigned upload takes one PUT: of many racing claims exactly one wins; a released
    /// claim may be taken again; a ready file can never be claimed.
    @Test(arguments: FileCatalogBackend.all)
    func claimUploadFirstCallerWins(_ backend: FileCatalogBackend) async throws {
        let catalog = try await backend.make(TemporaryDirectory())
        try await catalog.insert(file("U1"))
        let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
            for size in 1...32 { group.addTask { try await catalog.claimUpload(id: "U1", size: size) } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 1)
        #expect(try await catalog.file(id: "U1")?.size != nil)
        #expect(try await catalog.file(id: "U1")?.isReady == false)
        try await catalog.releaseUpload(id: "U1")
        #expect(try await catalog.file(id: "U1")?.size == nil)
        #expect(try await catalog.claimUpload(id: "U1", size: 42))
        try await catalog.markReady(id: "U1", size: 42)
        let ready = try await catalog.file(id: "U1")
        #expect(ready?.isReady == true)
        #expect(ready?.size == 42)
        try await catalog.releaseUpload(id: "U1")
        #expect(try await catalog.file(id: "U1")?.size == 42)
        #expect(try await !catalog.claimUpload(id: "U1", size: 1))
        #expect(try await !catalog.claimUpload(id: "unknown", size: 1))
    }

    /// Expired records go (in batches of `limit`), with their IDs returned for the bytes; the rest stay.
    @Test(arguments: FileCatalogBackend.all)
    func expiredFilesAreRemoved(_ backend: FileCatalogBackend) async throws {
        let catalog = try await backend.make(TemporaryDirectory())
        for id in ["OLD1", "OLD2", "OLD3"] { try await catalog.insert(file(id, expiresIn: -1, isReady: true)) }
        try await catalog.insert(file("NEW1", expiresIn: 60))
        let first = try await catalog.removeExpired(now: now, limit: 2)
        let rest = try await catalog.removeExpired(now: now)
        #expect(first.count == 2)
        #expect(Set(first + rest) == ["OLD1", "OLD2", "OLD3"])
        #expect(try await catalog.removeExpired(now: now).isEmpty)
        #expect(try await catalog.file(id: "OLD1") == nil)
        #expect(try await catalog.file(id: "NEW1") != nil)
        #expect(try await catalog.removeExpired(now: now.addingTimeInterval(61)) == ["NEW1"])
    }
}
