// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireJobs
import QuireStorage

/// Limits the API enforces, from `quire serve` flags.
package struct APILimits: Sendable {
    /// Largest upload (presigned PUT, multipart, base64 after decoding, remote URL).
    package var maxUploadBytes: Int
    /// Largest body of an ordinary API request (parameters; PDF.co caps it at 4 MB).
    package var maxRequestBytes: Int = 4 << 20
    /// How long one attempt of a job may run in an engine.
    package var jobTimeout: Duration
    /// Attempts before a job that keeps crashing its engine fails.
    package var maxAttempts: Int = 3
    package var defaultExpirationMinutes: Int = 60
    package var maxExpirationMinutes: Int = 10_080
    /// How long a presigned upload URL accepts its PUT.
    package var presignedUploadLifetime: Duration = .seconds(3600)
    /// Input files one job may name (`url` lists of merge, images → PDF).
    package var maxInputsPerJob: Int = 100
    /// Uploads received at once (each streams to a scratch file and may decode base64).
    package var maxConcurrentUploads: Int = 8
    /// How long a download's redirect to the object store (S3) stays valid.
    package var downloadRedirectLifetime: Duration = .seconds(300)
    /// Jobs waiting in the queue past which new ones get 503 (0: no limit).
    package var maxQueuedJobs: Int = 10_000
    /// Queued and running jobs one key may have at once; more get 429 (0: no limit).
    package var maxActiveJobsPerKey: Int = 0
    /// Requests per second one key may send, averaged over a second; more get 429 (0: no limit).
    package var requestsPerSecondPerKey: Int = 0

    /// `expiration` in minutes (PDF.co's name, on every route that makes a file), checked.
    /// - Throws: `APIError` 400 naming the range.
    func expirationMinutes(_ parameters: RequestParameters) throws -> Int {
        try parameters.int("expiration", default: defaultExpirationMinutes, range: 1...maxExpirationMinutes)
    }

    package init(maxUploadBytes: Int, jobTimeout: Duration) {
        self.maxUploadBytes = maxUploadBytes
        self.jobTimeout = jobTimeout
    }
}

/// What the HTTP layer needs from the layers below it.
package struct APIServices: Sendable {
    package var queue: any JobQueue
    package var signals: any JobSignals
    package var catalog: any FileCatalog
    package var store: any ObjectStore
    /// HTML templates (`/templates/html`, `templateId`).
    package var templates: any TemplateStore
    package var urls: FileURLs
    package var limits: APILimits
    /// Scratch space for uploads in flight (same file system as the store, so moves are renames).
    package var scratch: URL
    /// Mounts `/debug/*` routes that make an engine host crash or hang (tests only).
    package var enablesTestOperations: Bool
    /// True once the worker can take jobs; `/healthz` answers 503 before.
    package var isReady: @Sendable () -> Bool
    /// What the metrics backend has recorded, in Prometheus' text format (`/metrics`); set by
    /// `quire serve`, empty elsewhere.
    package var exportMetrics: @Sendable () -> String = { "" }

    /// Presigned uploads that went straight to the store, made ready at first use.
    var directUploads: DirectUploads { DirectUploads(catalog: catalog, store: store, maxBytes: limits.maxUploadBytes) }

    package init(
        queue: any JobQueue, signals: any JobSignals, catalog: any FileCatalog, store: any ObjectStore, urls: FileURLs,
        limits: APILimits, scratch: URL, enablesTestOperations: Bool, templates: any TemplateStore = MemoryTemplateStore(),
        isReady: @escaping @Sendable () -> Bool
    ) {
        self.templates = templates
        self.queue = queue
        self.signals = signals
        self.catalog = catalog
        self.store = store
        self.urls = urls
        self.limits = limits
        self.scratch = scratch
        self.enablesTestOperations = enablesTestOperations
        self.isReady = isReady
    }
}
