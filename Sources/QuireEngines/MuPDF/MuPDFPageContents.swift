// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Reads the selected pages' content (`PageContent`) and hands each to a function, on several
/// threads for long documents; results come back in page order.
package struct MuPDFPageContents: Sendable {
    private let context: MuPDFContext
    private let maxThreads: Int
    static let minPagesPerThread = 4

    package init(context: MuPDFContext, maxThreads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.context = context
        self.maxThreads = max(1, maxThreads)
    }

    /// `body(pageIndex, content)` for each selected page.
    /// - Throws: `EngineError.unsupported` when no selected page has any text (a scan: OCR is
    ///   not part of this version), or what opening the document throws.
    package func map<T>(
        file: URL, password: String?, pages: PageSelection, _ body: @Sendable @escaping (Int, PageContent) throws -> T
    ) throws -> (pageCount: Int, results: [T]) {
        let runs = MuPDFPageRuns(maxThreads: maxThreads, minPagesPerThread: Self.minPagesPerThread)
        let (pageCount, perRun) = try runs.map(file: file, password: password, context: context, pages: pages) { document, run in
            try run.map { index -> (Bool, T) in
                let content = try document.content(ofPage: index)
                return (!content.chars.isEmpty, try body(index, content))
            }
        }
        let results = perRun.flatMap { $0 }
        guard results.contains(where: \.0) else {
            throw EngineError.unsupported(
                "The selected pages have no text layer (scanned images?). OCR of scans is not available in this version of Quire."
            )
        }
        return (pageCount, results.map(\.1))
    }
}
