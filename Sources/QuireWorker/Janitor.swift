// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Logging
import QuireJobs
import QuireStorage
import ServiceLifecycle

/// Deletes expired files (bytes and records), expired job records and stale scratch folders.
package struct Janitor: Service {
    let queue: any JobQueue
    let catalog: any FileCatalog
    let store: any ObjectStore
    let scratch: URL
    let interval: Duration
    let logger: Logger

    package init(queue: any JobQueue, catalog: any FileCatalog, store: any ObjectStore, scratch: URL, interval: Duration, logger: Logger) {
        self.queue = queue
        self.catalog = catalog
        self.store = store
        self.scratch = scratch
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await sweep(now: Date())
            } catch {
                logger.error("janitor sweep failed", metadata: ["error": "\(error)"])
            }
            // The sleep ends early on shutdown, so SIGTERM does not wait out the interval.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One pass; returns how many files and jobs were removed. Files expire by `now`, jobs by the queue's clock.
    @discardableResult
    package func sweep(now: Date) async throws -> (files: Int, jobs: Int) {
        var files = 0
        while true {
            let ids = try await catalog.removeExpired(now: now)
            for id in ids { try await store.delete(id) }
            files += ids.count
            if ids.isEmpty { break }
        }
        let jobs = try await queue.removeExpired()
        removeStaleScratch(olderThan: now.addingTimeInterval(-86_400))
        if files + jobs > 0 { logger.info("janitor removed expired items", metadata: ["files": "\(files)", "jobs": "\(jobs)"]) }
        return (files, jobs)
    }

    /// Files that a killed process left in scratch; a day is far past any job timeout. The
    /// worker's `slot-N` folders stay: a slot may take its next job at any moment (it empties
    /// its folder itself, also after a crash).
    private func removeStaleScratch(olderThan cutoff: Date) {
        let items =
            (try? FileManager.default.contentsOfDirectory(at: scratch, includingPropertiesForKeys: [.contentModificationDateKey])) ?? []
        for item in items where !item.lastPathComponent.hasPrefix("slot-") {
            let modified = (try? item.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate ?? .distantFuture
            if modified < cutoff { try? FileManager.default.removeItem(at: item) }
        }
    }
}
