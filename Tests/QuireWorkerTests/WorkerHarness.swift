// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Logging
import QuireCore
import QuireJobs
import QuireStorage
import QuireTestSupport
import QuireWorker
import Testing

/// A `Worker` over the in-memory queue, signals and catalog and a `LocalDiskStore` in a temp
/// dir, with the engine hosts a test hands it (fakes: no process is spawned).
struct WorkerHarness {
    static let owner = "key-1"
    let temp = TemporaryDirectory("quire-worker")
    let queue: MemoryJobQueue
    let catalog = MemoryFileCatalog()
    let store: LocalDiskStore
    let urls = FileURLs(publicBase: "http://quire.test", signer: URLSigner(secret: Data(repeating: 7, count: 32)))
    let worker: Worker

    init(hosts: [any EngineHost], jobTimeout: Duration = .seconds(30), webhooks: WebhookSender? = nil) throws {
        let signals = InProcessJobSignals()
        queue = MemoryJobQueue(signals: signals)
        store = try LocalDiskStore(root: temp.file("files"))
        var settings = WorkerSettings(jobTimeout: jobTimeout)
        // Slots see the cancellation at the end of `run(until:)` within one poll.
        settings.idlePoll = .milliseconds(20)
        let fetcher = RemoteFetcher(policy: AddressPolicy(allowsPrivate: true), maxBytes: 1 << 20)
        worker = Worker(
            settings: settings, identity: WorkerIdentity(instance: "test"), queue: queue, signals: signals, catalog: catalog,
            store: store, engines: EngineHostPool(hosts), offices: EngineHostPool([]),
            inputs: InputResolver(urls: urls, catalog: catalog, store: store, fetcher: fetcher), scratch: temp.file("scratch"),
            readiness: OnceFlag(), logger: Logger(label: "quire.test") { _ in SwiftLogNoOpLogHandler() }, webhooks: webhooks,
            report: { ["jobId": .string($0.id), "status": .string($0.state.pdfcoStatus)] })
    }

    /// Stores `data` as a file of the test's owner; returns its download URL (a job input).
    func upload(_ data: Data, name: String = "in.pdf") async throws -> String {
        let id = RandomID.make()
        try await store.put(id, data: data)
        let expires = Date().addingTimeInterval(3600)
        try await catalog.insert(
            StoredFile(id: id, owner: Self.owner, name: name, size: data.count, createdAt: Date(), expiresAt: expires, isReady: true))
        return urls.downloadURL(fileID: id, name: name, expires: expires)
    }

    /// Enqueues a job of `operation` on `inputs`; returns its ID.
    func enqueue(
        _ operation: JobOperation, inputs: [String], callback: String? = nil, maxAttempts: Int = 3, outputName: String = "result"
    ) async throws -> JobRecord {
        let spec = JobSpec(
            operation: operation, inputs: inputs, outputName: outputName, resultFileID: RandomID.make(), expirationMinutes: 60,
            callback: callback)
        let job = JobRecord(id: RandomID.make(), owner: Self.owner, spec: spec, maxAttempts: maxAttempts, createdAt: Date())
        try await queue.enqueue(job)
        return job
    }

    /// Runs the worker until job `id` has finished (at most 120 s: the whole suite shares two cores
    /// with system tests that block threads), then stops it; returns the job.
    func run(until id: String) async throws -> JobRecord {
        let running = Task { try await worker.run() }
        let job = try await poll(timeout: .seconds(120)) { try await queue.job(id: id).flatMap { $0.state.isFinished ? $0 : nil } }
        running.cancel()
        _ = await running.result
        return try #require(job, "job \(id) did not finish within the deadline")
    }

    /// The bytes stored under `id`.
    func stored(_ id: String) async throws -> Data {
        try Data(contentsOf: try await store.localFile(for: id, scratch: temp.url))
    }
}

/// Polls `probe` every few milliseconds until it returns a value or `timeout` passes (then nil).
func poll<T>(timeout: Duration = .seconds(10), _ probe: () async throws -> T?) async throws -> T? {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let value = try await probe() { return value }
        try await Task.sleep(for: .milliseconds(5))
    }
    return try await probe()
}
