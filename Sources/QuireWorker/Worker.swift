// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Logging
import QuireCore
import QuireJobs
import QuireStorage
import ServiceLifecycle

/// Settings of the worker, from `quire serve` / `quire worker` flags.
package struct WorkerSettings: Sendable {
    /// MuPDF engine hosts (PDF jobs running at once).
    package var concurrency: Int
    package var jobTimeout: Duration
    package var leaseDuration: Duration = .seconds(30)
    package var heartbeatInterval: Duration = .seconds(10)
    /// How long an idle slot sleeps before looking at the queue again when no signal wakes it.
    package var idlePoll: Duration = .seconds(1)
    package var engineHost: EngineHostProcess.Settings
    /// One entry per office host (LibreOffice); empty turns office conversions off.
    package var officeHosts: [EngineHostProcess.Settings]
    /// Total bytes of one job's inputs (`--max-job-input-mb`): a merge of many large URLs stops here.
    package var maxJobInputBytes: Int = 1 << 30

    package init(
        concurrency: Int, jobTimeout: Duration, engineHost: EngineHostProcess.Settings, officeHosts: [EngineHostProcess.Settings] = []
    ) {
        self.concurrency = concurrency
        self.jobTimeout = jobTimeout
        self.engineHost = engineHost
        self.officeHosts = officeHosts
    }
}

/// Leases jobs, fetches their inputs, runs them in engine hosts, stores results, completes them.
///
/// On graceful shutdown a slot stops leasing and finishes the job it holds (a download in
/// progress is cancelled and its job handed back); a job held by a worker that is killed comes
/// back when its lease expires.
package final class Worker: Service, Sendable {
    let settings: WorkerSettings
    private let queue: any JobQueue
    private let signals: any JobSignals
    private let catalog: any FileCatalog
    private let store: any ObjectStore
    let inputs: InputResolver
    private let scratch: URL
    private let logger: Logger
    /// MuPDF engine hosts, and LibreOffice hosts for office jobs.
    private let engines: EngineHostPool
    private let offices: EngineHostPool
    private let readiness: OnceFlag
    private let webhooks: WebhookSender?
    /// The `/job/check` answer for a finished job (built by the API layer), sent to `callback`.
    private let report: @Sendable (JobRecord) -> [String: JSONValue]
    /// Identifies this run's leases in the queue (`WorkerIdentity.leaseOwner`).
    package let workerID: String

    package init(
        settings: WorkerSettings, identity: WorkerIdentity, queue: any JobQueue, signals: any JobSignals, catalog: any FileCatalog,
        store: any ObjectStore,
        inputs: InputResolver, scratch: URL, readiness: OnceFlag, logger: Logger,
        webhooks: WebhookSender? = nil, report: @escaping @Sendable (JobRecord) -> [String: JSONValue] = { _ in [:] }
    ) {
        self.webhooks = webhooks
        self.report = report
        self.settings = settings
        self.workerID = identity.leaseOwner
        self.queue = queue
        self.signals = signals
        self.catalog = catalog
        self.store = store
        self.inputs = inputs
        self.scratch = scratch
        self.readiness = readiness
        self.logger = logger
        self.engines = EngineHostPool(
            (0..<max(1, settings.concurrency)).map { EngineHostProcess(index: $0, settings: settings.engineHost, logger: logger) })
        self.offices = EngineHostPool(
            settings.officeHosts.enumerated().map { EngineHostProcess(index: $0.offset, settings: $0.element, logger: logger) })
    }

    package func run() async throws {
        // Pre-warm every host so the first request does not pay for a process start (or for
        // loading LibreOffice).
        try await engines.startAll()
        do {
            try await offices.startAll()
        } catch {
            // Office jobs will try again (and fail with the reason); PDF work goes on.
            logger.error("office host did not start", metadata: ["error": "\(error)"])
        }
        readiness.set()
        // As many slots as hosts, so both pools can be busy at once; a slot that leased a job
        // whose pool is busy waits for a host of it.
        let slots = engines.hosts.count + offices.hosts.count
        logger.info("worker ready", metadata: ["engine.hosts": "\(engines.hosts.count)", "office.hosts": "\(offices.hosts.count)"])
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<slots {
                group.addTask { await self.runSlot() }
            }
        }
        engines.stopAll()
        offices.stopAll()
    }

    private func runSlot() async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if let job = try await queue.lease(workerID: workerID, leaseDuration: settings.leaseDuration) {
                    await process(job)
                } else {
                    await signals.waitForWork(timeout: settings.idlePoll)
                }
            } catch {
                logger.error("queue error", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func process(_ job: JobRecord) async {
        var logger = self.logger
        logger[metadataKey: "job.id"] = "\(job.id)"
        logger.info("job started", metadata: ["operation": "\(job.spec.operation.rawValue)", "attempt": "\(job.attempts)"])
        let workDirectory = scratch.appendingPathComponent("job-\(job.id)-\(job.attempts)")
        defer { try? FileManager.default.removeItem(at: workDirectory) }
        let heartbeat = Task { await keepLeaseAlive(job.id) }
        defer { heartbeat.cancel() }
        do {
            try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
            let result = try await execute(job, in: workDirectory)
            try await queue.complete(jobID: job.id, workerID: workerID, result: result)
            logger.info("job succeeded", metadata: ["ms": "\(job.durationMilliseconds())"])
        } catch is CancellationError {
            // Shutdown stopped a download: the job keeps its lease and runs again when the lease
            // is released (next start) or expires, as after a crash.
            logger.notice("job handed back at shutdown")
            return
        } catch {
            let failure = Self.failure(for: error)
            logger.warning(
                "job attempt failed",
                metadata: ["status": "\(failure.status)", "reason": "\(failure.message)", "retry": "\(failure.isRetryable)"])
            do {
                try await queue.fail(jobID: job.id, workerID: workerID, failure: failure)
            } catch {
                // The lease will expire and the job will run again: nothing is lost.
                logger.error("could not record job failure", metadata: ["error": "\(error)"])
            }
        }
        await notifyCallback(of: job.id)
    }

    /// Sends the webhook of a job that just ended, in the background so the slot moves on.
    private func notifyCallback(of jobID: String) async {
        guard let webhooks, let job = try? await queue.job(id: jobID), job.state.isFinished, let callback = job.spec.callback else {
            return
        }
        let payload = report(job)
        Task { await webhooks.send(payload, to: callback, jobID: jobID) }
    }

    private func keepLeaseAlive(_ jobID: String) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.heartbeatInterval)
            if Task.isCancelled { return }
            _ = try? await queue.heartbeat(jobID: jobID, workerID: workerID, leaseDuration: settings.leaseDuration)
        }
    }

    /// Runs `request` in a host of the right kind (office jobs in LibreOffice hosts).
    func runInHost(_ request: EngineRequest, office: Bool) async throws -> EngineResponse {
        let pool = office ? offices : engines
        guard !pool.isEmpty else {
            throw JobFailure(status: 503, message: "Office conversions are turned off on this server (--office-workers 0).")
        }
        let timeout = settings.jobTimeout
        return try await pool.withHost { host in try await host.run(request, timeout: timeout) }
    }

    private func execute(_ job: JobRecord, in directory: URL) async throws -> JobResult {
        let spec = job.spec
        let office = spec.operation.needsOffice || spec.options["host"] == "office"
        if spec.operation == .testCrash || spec.operation == .testHang {
            let response = try await runInHost(
                EngineRequest(operation: spec.operation, inputs: ["/dev/null"], output: nil, password: nil, pages: nil, options: [:]),
                office: office)
            return JobResult(pageCount: response.pageCount)
        }
        var files: [String] = []
        for (index, input) in try await fetchInputs(of: job, into: directory).enumerated() {
            // A host sees none of these paths: EngineHostProcess links the inputs into its own work folder.
            files.append(try decryptedIfAsked(input.file, spec: spec, in: directory, index: index).path)
        }
        if spec.operation == .pdfMerge2 { files = try await convertForMerge(files, in: directory) }
        let output = directory.appendingPathComponent("result")
        if spec.operation.hasPageFiles { try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true) }
        var pageCount: Int?
        var fields: [String: JSONValue] = [:]
        if spec.operation.needsEngine {
            let request = EngineRequest(
                operation: spec.operation, inputs: files, output: output.path, password: spec.password, pages: spec.pages,
                options: spec.options)
            // Page images of a long document: several engine hosts at once.
            let response: EngineResponse
            if spec.operation.rendersPageImages && !office, let split = try await renderAcrossHosts(request, hostCount: engines.hosts.count)
            {
                response = split
            } else {
                response = try await runInHost(request, office: office)
            }
            if let error = response.error { throw error }
            pageCount = response.pageCount
            fields = response.fields
        } else {
            try FileManager.default.copyItem(at: URL(fileURLWithPath: files[0]), to: output)
        }
        guard spec.operation.resultExtension != nil else { return JobResult(pageCount: pageCount, fields: fields) }
        if spec.operation.hasPageFiles {
            let urls = try await storePageFiles(fields["files"], job: job)
            fields = ["urls": .array(urls.map { .string($0) })]
            // The result file is what an async client downloads: a bare JSON array of the page URLs.
            try JSONEncoder.quire().encode(urls).write(to: output.appendingPathExtension("json"))
            return try await storeResult(output.appendingPathExtension("json"), job: job, pageCount: pageCount, fields: fields)
        }
        return try await storeResult(output, job: job, pageCount: pageCount, fields: fields)
    }

    /// Stores each page file under its own ID; returns their download URLs in page order.
    private func storePageFiles(_ files: JSONValue?, job: JobRecord) async throws -> [String] {
        guard case .array(let items) = files else { throw JobFailure(status: 500, message: "The engine returned no pages.") }
        var urls: [String] = []
        var names = PageFileNames()
        for case .string(let path) in items {
            let file = URL(fileURLWithPath: path)
            let id = RandomID.make()
            let name = names.claim(file.lastPathComponent)
            try await storeFile(file, id: id, name: name, for: job)
            urls.append(inputs.urls.downloadURL(fileID: id, name: name, expires: job.resultExpiresAt))
        }
        return urls
    }

    private func storeResult(_ output: URL, job: JobRecord, pageCount: Int?, fields: [String: JSONValue]) async throws -> JobResult {
        try await storeFile(output, id: job.spec.resultFileID, name: job.spec.outputName, for: job)
        return JobResult(fileID: job.spec.resultFileID, fileName: job.spec.outputName, pageCount: pageCount, fields: fields)
    }

    /// Moves `file` into the store under `id` and records it, owned by the job's key, until the
    /// job's result expiry.
    private func storeFile(_ file: URL, id: String, name: String, for job: JobRecord) async throws {
        let size = FileManager.default.sizeOfFile(at: file)
        try await store.put(id, movingFrom: file)
        // A retried job may have stored its result before the crash: replace the record.
        try await catalog.delete(id: id)
        try await catalog.insert(
            StoredFile(
                id: id, owner: job.owner, name: name, size: size, createdAt: Date(), expiresAt: job.resultExpiresAt, isReady: true,
                // /file/upload/url stores a remote file as fetched: client content, not an engine's.
                isUpload: job.spec.operation == .uploadFromURL))
    }
}
