// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

extension Worker {
    /// Fewer pages than this per engine host are rendered by one host (its own threads split them).
    static let minPagesPerHost = 8

    /// Renders the pages of a page-image job, or reads the barcodes of a PDF's pages, on several
    /// engine hosts at once: the selected pages are cut into contiguous ranges, one request per
    /// range, and the page files (or codes) are put back together in range order, so the order
    /// never depends on which host finishes first.
    /// Each range renders into a folder of its own; names repeated across ranges (a page asked
    /// for twice) are told apart when stored (`UniqueFileNames`).
    /// Returns nil when the job is better run as one request (one host, or few pages).
    func renderAcrossHosts(_ request: EngineRequest, hostCount: Int) async throws -> EngineResponse? {
        guard hostCount > 1, let input = request.inputs.first, Self.isPDF(input) else { return nil }
        let info = try await runInHost(
            EngineRequest(PDFInfoConversion.self, inputs: [input], output: nil, password: request.password), kind: .mupdf)
        if let error = info.error { throw error }
        guard let pageCount = info.pageCount else { return nil }
        let indexes: [Int]
        do {
            indexes = try PageSelection(parsing: request.pages ?? "").resolve(pageCount: pageCount)
        } catch {
            throw EngineError.pageRange("\(error)")
        }
        let parts = min(hostCount, indexes.count / Self.minPagesPerHost)
        guard parts > 1 else { return nil }
        let length = (indexes.count + parts - 1) / parts
        let ranges = stride(from: 0, to: indexes.count, by: length).map { Array(indexes[$0..<min($0 + length, indexes.count)]) }
        let responses = try await withThrowingTaskGroup(of: (Int, EngineResponse).self) { group in
            for (index, range) in ranges.enumerated() {
                var part = request
                part.pages = range.map(String.init).joined(separator: ",")
                // A folder per part: a page selected twice may fall in two parts, under one name.
                if let output = request.output {
                    part.output = URL(fileURLWithPath: output).appendingPathComponent("part-\(index)").path
                    try FileManager.default.createDirectory(atPath: part.output!, withIntermediateDirectories: true)
                }
                group.addTask { (index, try await self.runInHost(part, kind: .mupdf)) }
            }
            var responses = [EngineResponse?](repeating: nil, count: ranges.count)
            for try await (index, response) in group { responses[index] = response }
            return responses.compactMap { $0 }
        }
        // The first error in page order, as one host would have reported it.
        if let error = responses.lazy.compactMap(\.error).first { throw error }
        if request.operation == .barcodeRead {
            var codes: [JSONValue] = []
            for response in responses {
                guard case .array(let part) = response.fields["barcodes"] else {
                    throw EngineError.failed("The engine returned no barcodes.")
                }
                codes += part
            }
            return EngineResponse(pageCount: responses.reduce(0) { $0 + ($1.pageCount ?? 0) }, fields: ["barcodes": .array(codes)])
        }
        var files: [JSONValue] = []
        for response in responses {
            guard case .array(let part) = response.fields["files"] else { throw EngineError.failed("The engine returned no pages.") }
            files += part
        }
        return EngineResponse(pageCount: files.count, fields: ["files": .array(files)])
    }

    /// Whether the file at `path` is a PDF (its header in the first KiB, as MuPDF looks for it):
    /// an image read for barcodes has no pages to share out.
    static func isPDF(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 1024)) ?? Data()
        return head.range(of: Data("%PDF-".utf8)) != nil
    }
}
