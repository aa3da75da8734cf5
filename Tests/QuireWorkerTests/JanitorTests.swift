// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Logging
import QuireCore
import QuireJobs
import QuireStorage
import QuireTestSupport
import QuireWorker
import Testing

/// The janitor on a real database and store: expired files and finished jobs go, the rest stays.
struct JanitorTests {
    @Test func removesWhatExpired() async throws {
        let temp = TemporaryDirectory()
        let database = try QuireDatabase.open(
            at: temp.file("db.sqlite"), schemas: SQLiteFileCatalog.migrations + SQLiteJobQueue.migrations)
        let now = Date()
        let clock = ManualClock(now.addingTimeInterval(-300))
        let queue = SQLiteJobQueue(database: database, clock: .manual { clock.now })
        let catalog = SQLiteFileCatalog(database: database)
        let store = try LocalDiskStore(root: temp.file("files"))
        for (id, expiry) in [("OLD1", -10.0), ("NEW1", 600.0)] {
            try await store.put(id, data: Data(id.utf8))
            try await catalog.insert(
                StoredFile(id: id, owner: "o", name: "x", createdAt: now, expiresAt: now.addingTimeInterval(expiry), isReady: true))
        }
        let spec = JobSpec(operation: .pdfToText, inputs: [], outputName: "r.txt", resultFileID: "R", expirationMinutes: 1)
        try await queue.enqueue(JobRecord(id: "J", owner: "o", spec: spec, maxAttempts: 1, createdAt: now.addingTimeInterval(-600)))
        _ = try await queue.lease(workerID: "w", leaseDuration: .seconds(30))
        try await queue.complete(jobID: "J", workerID: "w", result: JobResult())
        clock.advance(by: 300)

        let janitor = Janitor(
            queue: queue, catalog: catalog, store: store, scratch: temp.file("tmp"), interval: .seconds(60), logger: Logger(label: "test"))
        let removed = try await janitor.sweep(now: now)
        #expect(removed.files == 1)
        #expect(removed.jobs == 1)
        #expect(try await store.size(of: "OLD1") == nil)
        #expect(try await store.size(of: "NEW1") == 4)
        #expect(try await catalog.file(id: "NEW1") != nil)
        #expect(try await queue.job(id: "J") == nil)
    }

    /// Scratch left by a killed process goes after a day; a worker slot's folder stays, however
    /// old, since its slot may take a job at any moment.
    @Test func removesStaleScratchButNotSlotFolders() async throws {
        let temp = TemporaryDirectory()
        let database = try QuireDatabase.open(
            at: temp.file("db.sqlite"), schemas: SQLiteFileCatalog.migrations + SQLiteJobQueue.migrations)
        let scratch = temp.file("tmp")
        let twoDaysAgo = Date().addingTimeInterval(-2 * 86_400)
        for name in ["slot-0", "job-OLD-1", "s3-download"] {
            try FileManager.default.createDirectory(at: scratch.appendingPathComponent(name), withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.modificationDate: twoDaysAgo], ofItemAtPath: scratch.appendingPathComponent(name).path)
        }
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("job-NEW-1"), withIntermediateDirectories: true)
        let janitor = Janitor(
            queue: SQLiteJobQueue(database: database), catalog: SQLiteFileCatalog(database: database),
            store: try LocalDiskStore(root: temp.file("files")), scratch: scratch, interval: .seconds(60), logger: Logger(label: "test"))
        _ = try await janitor.sweep(now: Date())
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == ["job-NEW-1", "slot-0"])
    }

    /// With S3 as the store, an expired file's object is deleted from the bucket (moto, signatures
    /// checked); a file still valid keeps its object.
    @Test func deletesExpiredObjectsFromS3() async throws {
        let temp = TemporaryDirectory()
        let database = try QuireDatabase.open(
            at: temp.file("db.sqlite"), schemas: SQLiteFileCatalog.migrations + SQLiteJobQueue.migrations)
        let catalog = SQLiteFileCatalog(database: database)
        let store = try await S3TestServer.shared().makeStore(keyPrefix: "quire/")
        let now = Date()
        for (id, expiry) in [("S3OLD1", -10.0), ("S3OLD2", -1.0), ("S3NEW1", 600.0)] {
            try await store.put(id, data: Data(id.utf8))
            try await catalog.insert(
                StoredFile(id: id, owner: "o", name: "x", createdAt: now, expiresAt: now.addingTimeInterval(expiry), isReady: true))
        }
        let janitor = Janitor(
            queue: SQLiteJobQueue(database: database), catalog: catalog, store: store, scratch: temp.file("tmp"), interval: .seconds(60),
            logger: Logger(label: "test"))
        #expect(try await janitor.sweep(now: now).files == 2)
        #expect(try await store.size(of: "S3OLD1") == nil)
        #expect(try await store.size(of: "S3OLD2") == nil)
        #expect(try await store.size(of: "S3NEW1") == 6)
    }
}
