// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Logging
import QuireCore
import QuireEngines
import QuireJobs
import QuireStorage
import ServiceLifecycle

/// Settings of the worker, from `quire serve` / `quire worker` flags. Its engine hosts are
/// built by the caller (`EngineHostPool.processes`), so tests can hand it fakes.
package struct WorkerSettings: Sendable {
    package var jobTimeout: Duration
    package var leaseDuration: Duration = .seconds(30)
    package var heartbeatInterval: Duration = .seconds(10)
    /// How long an idle slot sleeps before looking at the queue again when no signal wakes it.
    package var idlePoll: Duration = .seconds(1)
    /// Total bytes of one job's inputs (`--max-job-input-mb`): a merge of many large URLs stops here.
    package var maxJobInputBytes: Int = 1 << 30

    package init(jobTimeout: Duration) {
        self.jobTimeout = jobTimeout
    }
}

/// Leases jobs, fetches their inputs, runs them in engine hosts, stores results, completes them.
///
/// On graceful shutdown a slot stops leasing and finishes the job it holds (a download in
/// progress is cancelled and its job handed back to the queue at once); a job held by a worker
/// that is killed comes back when its lease expires.
package final class Worker: Service, Sendable {
    let settings: WorkerSettings
    private let queue: any JobQueue
    private let signals: any JobSignals
    let catalog: any FileCatalog
    let store: any ObjectStore
    let inputs: InputResolver
    private let scratch: URL
    private let logger: Logger
    /// MuPDF engine hosts, and LibreOffice hosts for office jobs (empty: office conversions off).
    let engines: EngineHostPool
    let offices: EngineHostPool
    /// Tesseract hosts for the OCR pass of OCR conversions; empty when OCR is turned off.
    let ocrs: EngineHostPool
    /// Chromium hosts for HTML and web pages; empty when those conversions are off.
    let browsers: EngineHostPool
    private let readiness: OnceFlag
    private let webhooks: WebhookSender?
    /// The `/job/check` answer for a finished job (built by the API layer), sent to `callback`.
    private let report: @Sendable (JobRecord) -> [String: JSONValue]
    /// Identifies this run's leases in the queue (`WorkerIdentity.leaseOwner`).
    package let workerID: String

    package init(
        settings: WorkerSettings, identity: WorkerIdentity, queue: any JobQueue, signals: any JobSignals, catalog: any FileCatalog,
        store: any ObjectStore, engines: EngineHostPool, offices: EngineHostPool, ocrs: EngineHostPool = EngineHostPool([]),
        browsers: EngineHostPool = EngineHostPool([]), inputs: InputResolver, scratch: URL, readiness: OnceFlag, logger: Logger,
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
        self.engines = engines
        self.offices = offices
        self.ocrs = ocrs
        self.browsers = browsers
    }

    /// Office, OCR and browser jobs try again (and fail with the reason) if their pool did not
    /// start; PDF work goes on.
    private func start(_ pool: EngineHostPool, _ failure: Logger.Message) async {
        do {
            try await pool.startAll()
        } catch {
            logger.error(failure, metadata: ["error": "\(error)"])
        }
    }

    package func run() async throws {
        // Pre-warm every host so the first request does not pay for a process start (or for
        // loading LibreOffice and Chromium). The pools start together: readiness waits for the
        // slowest one, not for their sum.
        async let office: Void = start(offices, "office host did not start")
        async let ocr: Void = start(ocrs, "OCR host did not start")
        async let browser: Void = start(browsers, "browser host did not start")
        try await engines.startAll()
        _ = await (office, ocr, browser)
        readiness.set()
        // As many slots as hosts, so both pools can be busy at once; a slot that leased a job
        // whose pool is busy waits for a host of it.
        let slots = engines.hosts.count + offices.hosts.count + browsers.hosts.count
        logger.info(
            "worker ready",
            metadata: [
                "engine.hosts": "\(engines.hosts.count)", "office.hosts": "\(offices.hosts.count)",
                "browser.hosts": "\(browsers.hosts.count)",
            ])
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<slots {
                group.addTask { await self.runSlot(folder: ReusedFolder(url: self.scratch.appendingPathComponent("slot-\(index)"))) }
            }
        }
        engines.stopAll()
        offices.stopAll()
        ocrs.stopAll()
        browsers.stopAll()
    }

    /// Leases and runs jobs one at a time, each in `folder` (its inputs, downloads and results
    /// before they are stored), which is emptied before and after every job.
    private func runSlot(folder: ReusedFolder) async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if let job = try await queue.lease(workerID: workerID, leaseDuration: settings.leaseDuration) {
                    await process(job, in: folder)
                } else {
                    await signals.waitForWork(timeout: settings.idlePoll)
                }
            } catch {
                logger.error("queue error", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func process(_ job: JobRecord, in folder: ReusedFolder) async {
        var logger = self.logger
        logger[metadataKey: "job.id"] = "\(job.id)"
        logger.info("job started", metadata: ["operation": "\(job.spec.operation.rawValue)", "attempt": "\(job.attempts)"])
        // Emptied after the job too: a user's document does not wait on disk for the next job.
        defer { try? folder.empty() }
        let heartbeat = Task { await keepLeaseAlive(job.id) }
        defer { heartbeat.cancel() }
        let started = ContinuousClock.now
        let operation = job.spec.operation.rawValue
        do {
            try folder.empty()
            let result = try await execute(job, in: folder.url)
            try await queue.complete(jobID: job.id, workerID: workerID, result: result)
            WorkerMetrics.attemptEnded(operation: operation, outcome: "success", started: started)
            logger.info("job succeeded", metadata: ["ms": "\(job.durationMilliseconds())"])
        } catch is CancellationError {
            // Shutdown stopped a download: the job goes back to the queue at once, for another
            // worker (or this one's next start); if even that fails, its lease expires as after a crash.
            try? await queue.handBack(jobID: job.id, workerID: workerID)
            WorkerMetrics.attemptEnded(operation: operation, outcome: "handed-back", started: started)
            logger.notice("job handed back at shutdown")
            return
        } catch {
            let failure = Self.failure(for: error)
            let retries = failure.isRetryable && job.attempts < job.maxAttempts
            WorkerMetrics.attemptEnded(operation: operation, outcome: retries ? "retry" : "failed", started: started)
            var metadata: Logger.Metadata = [
                "status": "\(failure.status)", "reason": "\(failure.message)", "retry": "\(failure.isRetryable)",
            ]
            // What the client is told "internal error" about, in full for the operator.
            if !(error is JobFailure || error is EngineError) { metadata["error"] = "\(error)" }
            logger.warning("job attempt failed", metadata: metadata)
            do {
                try await queue.fail(jobID: job.id, workerID: workerID, failure: failure)
            } catch {
                // The lease will expire and the job will run again: nothing is lost.
                logger.error("could not record job failure", metadata: ["error": "\(error)"])
            }
        }
        if job.spec.callback != nil { await notifyCallback(of: job.id) }
    }

    /// Sends the webhook of a job that just ended, in the background so the slot moves on.
    private func notifyCallback(of jobID: String) async {
        // The record as stored: its result or failure, and whether it has ended (a retry has not).
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
}
