// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

extension Worker {
    /// Pages one OCR host reads in one request at most: a long scan is many short requests, each
    /// well within the job timeout, handed to whichever host is free (a hard page delays only
    /// its own range).
    static let ocrPagesPerRequest = 8

    /// The OCR pass of a conversion that asks for one (`Conversion.ocrPass`): the selected pages
    /// cut into contiguous ranges (at least one per OCR host, at most `ocrPagesPerRequest` pages
    /// each), read in parallel; the words of all ranges, in page order, are written to
    /// `ocr-words.json` in `directory`, whose path is returned.
    func recognize(_ request: EngineRequest, pass: OCRPass, in directory: URL) async throws -> String {
        guard !ocrs.isEmpty else { throw JobFailure(status: 503, message: "OCR is turned off on this server (--ocr-workers 0).") }
        guard let input = request.inputs.first else { throw EngineError.unsupported("No input file.") }
        let info = try await runInHost(
            EngineRequest(PDFInfoConversion.self, inputs: [input], output: nil, password: request.password), kind: .mupdf)
        if let error = info.error { throw error }
        let indexes: [Int]
        do {
            indexes = try PageSelection(parsing: request.pages ?? "").resolve(pageCount: info.pageCount ?? 0)
        } catch {
            throw EngineError.pageRange("\(error)")
        }
        let hosts = max(1, min(ocrs.hosts.count, indexes.count))
        let length = max(1, min(Self.ocrPagesPerRequest, (indexes.count + hosts - 1) / hosts))
        let ranges = stride(from: 0, to: max(indexes.count, 1), by: length).map { Array(indexes[$0..<min($0 + length, indexes.count)]) }
        let options = try JSONValue(encoding: pass)
        let timeout = settings.jobTimeout
        let pages = try await withThrowingTaskGroup(of: (Int, [OCRPage]).self) { group in
            for (index, range) in ranges.enumerated() where !range.isEmpty {
                let output = directory.appendingPathComponent("ocr-part-\(index).json")
                let part = EngineRequest(
                    operation: request.operation, inputs: [input], output: output.path, password: request.password,
                    pages: range.map(String.init).joined(separator: ","), options: options)
                group.addTask {
                    let response = try await self.ocrs.withHost { host in try await host.run(part, timeout: timeout) }
                    if let error = response.error { throw error }
                    return (index, try JSONDecoder().decode([OCRPage].self, from: Data(contentsOf: output)))
                }
            }
            var results = [[OCRPage]](repeating: [], count: ranges.count)
            for try await (index, pages) in group { results[index] = pages }
            return results.flatMap { $0 }
        }
        let words = directory.appendingPathComponent("ocr-words.json")
        try JSONEncoder().encode(pages).writeUnsynced(to: words)
        return words.path
    }
}

extension Worker {
    /// When the engine found pages without text and the conversion reads those by OCR: the OCR
    /// pass on those pages, then the conversion again with their words. Without OCR hosts the
    /// first answer stands (those pages give no text, as before OCR existed).
    func withOCRFallback(
        _ response: EngineResponse, _ spec: JobSpec, _ request: EngineRequest, kind: HostKind, in directory: URL
    ) async throws -> EngineResponse {
        var response = response
        let reported = response.fields.removeValue(forKey: EngineResponse.pagesWithoutText)
        guard response.error == nil, case .array(let items)? = reported, !items.isEmpty, !ocrs.isEmpty,
            let pass = try spec.operation.conversion.ocrFallback(of: spec)
        else { return response }
        let pages = items.compactMap { if case .int(let page) = $0 { page } else { nil } }
        var scanned = request
        scanned.pages = pages.map(String.init).joined(separator: ",")
        var again = request
        again.ocrWords = try await recognize(scanned, pass: pass, in: directory)
        response = try await runInHost(again, kind: kind)
        response.fields.removeValue(forKey: EngineResponse.pagesWithoutText)
        return response
    }
}

extension Worker {
    /// The inputs with each image (PNG, JPEG, TIFF…) wrapped in a PDF of its own, its bytes kept
    /// (`/pdf/convert/from/image`), so the OCR conversions read scans sent as images.
    func scansAsPDF(_ files: [String], in directory: URL) async throws -> [String] {
        var converted: [String] = []
        for (index, path) in files.enumerated() {
            let head = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 1024)) ?? Data()
            guard head.range(of: Data("%PDF-".utf8)) == nil, ImageFormat.detect(head) != nil else {
                converted.append(path)
                continue
            }
            let output = directory.appendingPathComponent("scan-\(index).pdf")
            let response = try await runInHost(
                EngineRequest(ImagesToPDFConversion.self, inputs: [path], output: output.path), kind: ImagesToPDFConversion.host)
            if let error = response.error { throw error }
            converted.append(output.path)
        }
        return converted
    }
}
