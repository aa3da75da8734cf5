// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

/// The child side of an OCR host (`quire ocr-host`): MuPDF renders pages, Tesseract reads them.
/// A request names a PDF, its pages (`pages`) and an `OCRPass` (`options`); the host writes the
/// words it found, a JSON list of `OCRPage`, to `output`. Sandboxed like an engine host; started
/// with `OMP_THREAD_LIMIT=1` (EngineHostProcess.Settings.ocr).
package enum OCRHostMain {
    package static func run() -> Never {
        let protocolOut = EngineHostMain.takeProtocolOutput()
        EngineHostMain.applyMemoryLimit()
        EngineHostMain.watchParent()
        let engines: OCREngines
        do {
            engines = OCREngines(context: try MuPDFContext(diagnostics: { _ in }))
        } catch {
            FileHandle.standardError.write(Data("ocr host: cannot start MuPDF: \(error)\n".utf8))
            exit(3)
        }
        guard (try? EngineFrame.write(EngineResponse.ready(EngineSandbox.current), to: protocolOut)) != nil else { exit(0) }
        while true {
            guard let request = try? EngineFrame.read(EngineRequest.self, from: 0) else { exit(0) }
            guard (try? EngineFrame.write(engines.handle(request), to: protocolOut)) != nil else { exit(0) }
        }
    }
}

/// What an OCR host holds: MuPDF for pages, Tesseract with its models loaded once.
package final class OCREngines {
    /// Pages are rendered with at most this many pixels: a huge page is read at a lower
    /// resolution rather than refused, so memory stays bounded (40 MP of gray is 40 MB).
    static let maxPixels = 40_000_000.0
    /// How long Tesseract may spend on one page (QUIRE_OCR_PAGE_SECONDS, default 60).
    static var pageDeadline: Duration {
        .seconds(Int(ProcessInfo.processInfo.environment["QUIRE_OCR_PAGE_SECONDS"] ?? "") ?? 60)
    }

    let context: MuPDFContext
    let reader = TesseractReader()

    package init(context: MuPDFContext) { self.context = context }

    package func handle(_ request: EngineRequest) -> EngineResponse {
        do {
            let pass = try request.options.decoded(as: OCRPass.self)
            let call = EngineCall(request)
            let pages = try recognize(try call.input(), password: call.password, selection: try call.selection(), pass: pass)
            try call.write(try JSONEncoder().encode(pages))
            return EngineResponse(pageCount: pages.count)
        } catch let error as EngineError {
            return EngineResponse(error: error)
        } catch {
            return EngineResponse(error: .failed("The OCR engine failed: \(error)"))
        }
    }

    private func recognize(_ file: URL, password: String?, selection: PageSelection, pass: OCRPass) throws -> [OCRPage] {
        let document = try MuPDFDocument(contentsOf: file, password: password, context: context)
        var pages: [OCRPage] = []
        for index in try document.pageIndexes(for: selection) {
            if pass.onlyPagesWithoutText && hasTextLayer(document, index) {
                pages.append(OCRPage(page: index, recognized: false, words: []))
                continue
            }
            let size = try document.pageSize(index)
            let area = max(size.width, 1) * max(size.height, 1) / (72 * 72)
            let scan = pass.resolution == nil ? try document.scanResolution(page: index) : nil
            let wanted = pass.resolution(forScanAt: scan?.dpi, coverage: scan?.coverage ?? 0)
            let dpi = min(wanted, (Self.maxPixels / area).squareRoot().rounded(.down))
            guard dpi >= 10 else { throw EngineError.limitExceeded("Page \(index + 1) is too large to recognise text on.") }
            if pass.orientationOnly {
                let found = try document.withGrayRendering(page: index, dpi: dpi) { pixels, width, height in
                    try reader.orientation(gray: pixels, width: width, height: height, dpi: dpi)
                }
                let sure = (found??.confidence ?? 0) >= OCRPass.orientationMinimumConfidence
                pages.append(OCRPage(page: index, recognized: false, words: [], rotation: sure ? found??.rotation ?? 0 : 0))
                continue
            }
            let words = try document.withGrayRendering(page: index, dpi: dpi) { pixels, width, height in
                try reader.words(
                    gray: pixels, width: width, height: height, dpi: dpi, languages: pass.languages, deadline: Self.pageDeadline)
            }
            pages.append(OCRPage(page: index, recognized: true, words: words ?? []))
        }
        return pages
    }

    /// Whether the page already has text of its own (a born-digital page, or an earlier OCR layer).
    private func hasTextLayer(_ document: MuPDFDocument, _ index: Int) -> Bool {
        guard let glyphs = try? document.glyphs(onPage: index) else { return false }
        return OCRPage.hasTextLayer(glyphs)
    }
}
