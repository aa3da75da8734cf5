// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import GRDB
import QuireJobs
import QuireStorage
import QuireTestSupport
import Testing

/// One `TemplateStore` implementation under test.
struct TemplateStoreBackend: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (_ temp: TemporaryDirectory) async throws -> any TemplateStore

    var testDescription: String { name }

    static let all: [TemplateStoreBackend] =
        [
            TemplateStoreBackend(name: "memory") { _ in MemoryTemplateStore() },
            TemplateStoreBackend(name: "sqlite") { temp in
                let database = try DatabasePool(path: temp.file("db.sqlite").path)
                var migrator = DatabaseMigrator()
                for (identifier, migrate) in SQLiteTemplateStore.migrations { migrator.registerMigration(identifier, migrate: migrate) }
                try migrator.migrate(database)
                return SQLiteTemplateStore(database: database)
            },
        ] + (PostgresTestCluster.isAvailable ? [postgres] : [])

    static let postgres = TemplateStoreBackend(name: "postgres") { _ in
        let backend = try await PostgresTestCluster.shared().startBackend(
            migrations: PostgresBackend.migrations(with: PostgresTemplateStore.migrations))
        return PostgresTemplateStore(client: backend.client)
    }
}

/// What every `TemplateStore` must do: IDs of its own, one owner never sees or changes
/// another's templates, updates and deletes say whether they found the template.
struct TemplateStoreConformanceTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let invoice = TemplateContent(
        title: "Invoice", description: "Monthly", body: "<h1>{{number}}</h1> — Grüße", testJSON: #"{"number": 7}"#)

    @Test(arguments: TemplateStoreBackend.all)
    func createReadUpdateDelete(_ backend: TemplateStoreBackend) async throws {
        let store = try await backend.make(TemporaryDirectory())
        let first = try await store.create(invoice, owner: "alice", now: now)
        let second = try await store.create(invoice, owner: "alice", now: now)
        #expect(first.id > 0 && second.id != first.id)
        #expect(try await store.template(id: first.id, owner: "alice") == first)
        #expect(first.body == invoice.body && first.testJSON == invoice.testJSON && first.title == "Invoice")
        #expect(abs(first.updatedAt.timeIntervalSince(now)) < 0.001)

        var changed = invoice
        changed.body = "<h2>{{number}}</h2>"
        let later = now.addingTimeInterval(60)
        let updated = try await store.update(id: first.id, changed, owner: "alice", now: later)
        #expect(updated?.body == "<h2>{{number}}</h2>")
        #expect(try await store.template(id: first.id, owner: "alice")?.body == "<h2>{{number}}</h2>")
        #expect(try await store.list(owner: "alice", limit: 10).map(\.id) == [first.id, second.id])
        #expect(try await store.list(owner: "alice", limit: 1).count == 1)
        #expect(try await store.count(owner: "alice") == 2)

        #expect(try await store.delete(id: first.id, owner: "alice"))
        #expect(try await store.delete(id: first.id, owner: "alice") == false)
        #expect(try await store.template(id: first.id, owner: "alice") == nil)
        #expect(try await store.update(id: first.id, changed, owner: "alice", now: later) == nil)
    }

    @Test(arguments: TemplateStoreBackend.all)
    func ownersAreKeptApart(_ backend: TemplateStoreBackend) async throws {
        let store = try await backend.make(TemporaryDirectory())
        let alices = try await store.create(invoice, owner: "alice", now: now)
        #expect(try await store.template(id: alices.id, owner: "bob") == nil)
        #expect(try await store.update(id: alices.id, invoice, owner: "bob", now: now) == nil)
        #expect(try await store.delete(id: alices.id, owner: "bob") == false)
        #expect(try await store.list(owner: "bob", limit: 10).isEmpty)
        #expect(try await store.count(owner: "bob") == 0)
        #expect(try await store.template(id: alices.id, owner: "alice") != nil)
    }
}
