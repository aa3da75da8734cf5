// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Text of PDF pages from MuPDF's structured text: laid out in columns by `LayoutText`
/// (`.preserveLayout`), or in MuPDF's own block and line order (`.simple`).
/// Safe to call from several threads: each call works on its own clone of the base context.
/// Long documents are split into page runs extracted on several threads at once (each with
/// its own context clone and its own `fz_document`, as MuPDF requires); output order is the
/// page order, whatever the timing.
package struct MuPDFTextExtractor: TextExtractor {
    private let context: MuPDFContext
    private let maxThreads: Int
    /// Fewer pages than this per thread are not worth a second open of the document.
    static let minPagesPerThread = 16

    /// - Parameters:
    ///   - context: the process's base context.
    ///   - maxThreads: threads one extraction may use (default: the core count).
    package init(context: MuPDFContext, maxThreads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.context = context
        self.maxThreads = max(1, maxThreads)
    }

    /// Each selected page's text followed by a form feed, as `pdftotext` separates pages.
    package func extractText(
        from file: URL, password: String?, pages: PageSelection, layout: TextLayout
    ) throws -> ExtractedText {
        let document = try MuPDFDocument(contentsOf: file, password: password, context: try context.makeClone())
        let indexes = try document.pageIndexes(for: pages)
        let threads = min(maxThreads, indexes.count / Self.minPagesPerThread)
        guard threads > 1 else {
            return ExtractedText(text: try Self.text(of: indexes[...], in: document, layout: layout), pageCount: indexes.count)
        }
        let runLength = (indexes.count + threads - 1) / threads
        let runs = stride(from: 0, to: indexes.count, by: runLength).map { indexes[$0..<min($0 + runLength, indexes.count)] }
        let results = RunResults(count: runs.count)
        DispatchQueue.concurrentPerform(iterations: runs.count) { run in
            results.set(
                run,
                Result {
                    // A document is not shared between threads: each run opens its own.
                    let own = try MuPDFDocument(contentsOf: file, password: password, context: try context.makeClone())
                    return try Self.text(of: runs[run], in: own, layout: layout)
                })
        }
        return ExtractedText(text: try results.joined(), pageCount: indexes.count)
    }

    private static func text(of indexes: ArraySlice<Int>, in document: MuPDFDocument, layout: TextLayout) throws -> String {
        var text = ""
        for index in indexes {
            switch layout {
            case .preserveLayout:
                text += LayoutText.render(try document.glyphs(onPage: index))
            case .simple:
                text += Self.tidy(try document.plainText(onPage: index))
            }
            text += "\u{0C}"
        }
        return text
    }

    /// MuPDF's page text with trailing spaces cut from each line and trailing blank lines cut from
    /// the page, so that every non-empty page ends in exactly one "\n", as in layout mode.
    static func tidy(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            var line = $0
            while let last = line.last, last == " " || last == "\t" { line.removeLast() }
            return line
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }
}

/// Per-run results of a parallel extraction, written from worker threads.
private final class RunResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<String, any Error>?]

    init(count: Int) {
        results = Array(repeating: nil, count: count)
    }

    func set(_ run: Int, _ result: Result<String, any Error>) {
        lock.withLock { results[run] = result }
    }

    /// The runs' text in run order; the first error (in run order) is thrown.
    func joined() throws -> String {
        try lock.withLock { results }.map { try $0!.get() }.joined()
    }
}
