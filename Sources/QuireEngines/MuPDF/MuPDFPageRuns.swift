// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Splits a long list of pages into runs handled on several threads, each with its own context
/// clone and its own `fz_document` (MuPDF documents are not shared between threads). Results
/// come back in run order, whatever the timing.
struct MuPDFPageRuns {
    let maxThreads: Int
    /// Fewer pages than this per thread are not worth another open of the document.
    let minPagesPerThread: Int

    /// Opens `file`, resolves `pages`, and calls `body` once per run of the selected pages, on up
    /// to `maxThreads` threads; returns the number of pages and the runs' results in page order.
    /// The first error in run order is thrown.
    func map<T>(
        file: URL, password: String?, context: MuPDFContext, pages: PageSelection,
        _ body: @Sendable (MuPDFDocument, ArraySlice<Int>) throws -> T
    ) throws -> (pageCount: Int, results: [T]) {
        let open: @Sendable () throws -> MuPDFDocument = {
            try MuPDFDocument(contentsOf: file, password: password, context: try context.makeClone())
        }
        let document = try open()
        let indexes = try document.pageIndexes(for: pages)
        let threads = min(maxThreads, indexes.count / max(1, minPagesPerThread))
        // One run reuses the document already open on this thread.
        guard threads > 1 else { return (indexes.count, [try body(document, indexes[...])]) }
        let runLength = (indexes.count + threads - 1) / threads
        let runs = stride(from: 0, to: indexes.count, by: runLength).map { indexes[$0..<min($0 + runLength, indexes.count)] }
        let results = RunResults<T>(count: runs.count)
        DispatchQueue.concurrentPerform(iterations: runs.count) { run in
            results.set(run, Result { try body(try open(), runs[run]) })
        }
        return (indexes.count, try results.all())
    }
}

/// Per-run results, written from worker threads.
private final class RunResults<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<T, any Error>?]

    init(count: Int) {
        results = Array(repeating: nil, count: count)
    }

    func set(_ run: Int, _ result: Result<T, any Error>) {
        lock.withLock { results[run] = result }
    }

    func all() throws -> [T] {
        try lock.withLock { results }.map { try $0!.get() }
    }
}
