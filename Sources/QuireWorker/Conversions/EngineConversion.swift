// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

/// The engine side of a conversion run by a MuPDF engine host.
package protocol MuPDFHosted: Conversion {
    static func run(_ options: Options, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse
}

/// The engine side of a conversion run by a LibreOffice host.
package protocol OfficeHosted: Conversion {
    static func run(_ options: Options, _ call: EngineCall, _ office: OfficeEngines) throws -> EngineResponse
}

/// The engine side of a conversion run by a Chromium host.
package protocol BrowserHosted: Conversion {
    static func run(_ options: Options, _ call: EngineCall, _ browser: BrowserEngines) throws -> EngineResponse
}

/// A conversion the worker does itself, without an engine (`HostKind.worker`).
package protocol WorkerPerformed: Conversion {
    static func perform(_ options: Options, _ call: EngineCall) async throws -> EngineResponse
}

/// Which engine side each host kind needs.
package enum EngineSides {
    /// Conversions of `Conversions.all` without the engine side their host kind runs
    /// (ConversionRegistryTests: none). A conversion whose options choose its host has both.
    package static var missing: [String] {
        Conversions.all.filter { conversion in
            switch conversion.host {
            case .mupdf: !(conversion is any MuPDFHosted.Type)
            case .office: !(conversion is any OfficeHosted.Type)
            case .browser: !(conversion is any BrowserHosted.Type)
            case .worker: !(conversion is any WorkerPerformed.Type)
            }
        }.map { "\($0)" }
    }
}

/// One engine request as a conversion reads it: local files, the shared parameters.
package struct EngineCall: Sendable {
    package var inputs: [URL]
    /// Where the result goes: a file, or a folder for page files.
    package var output: URL?
    package var password: String?
    package var pages: String?
    /// The words of the job's OCR pass, when it had one.
    package var ocrWords: URL?
    /// Whether pages without text are to be reported for OCR (`EngineRequest.ocrFallback`).
    package var reportsPagesWithoutText: Bool

    package init(_ request: EngineRequest) {
        reportsPagesWithoutText = request.ocrFallback && request.ocrWords == nil
        ocrWords = request.ocrWords.map { URL(fileURLWithPath: $0) }
        inputs = request.inputs.map { URL(fileURLWithPath: $0) }
        output = request.output.map { URL(fileURLWithPath: $0) }
        password = request.password
        pages = request.pages
    }

    /// The first (often only) input.
    package func input() throws(EngineError) -> URL {
        guard let input = inputs.first else { throw EngineError.unsupported("No input file.") }
        return input
    }

    /// What the job's OCR pass found, by page index (none when it had no OCR pass).
    package func ocrPagesByIndex() throws(EngineError) -> [Int: OCRPage] {
        guard ocrWords != nil else { return [:] }
        return Dictionary(try ocrPages().map { ($0.page, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// What the job's OCR pass found, page by page.
    package func ocrPages() throws(EngineError) -> [OCRPage] {
        guard let ocrWords else { throw EngineError.failed("The OCR pass left no words.") }
        do {
            return try JSONDecoder().decode([OCRPage].self, from: Data(contentsOf: ocrWords))
        } catch {
            throw EngineError.failed("The OCR pass left words that cannot be read.")
        }
    }

    package func outputURL() throws(EngineError) -> URL {
        guard let output else { throw EngineError.failed("No output path.") }
        return output
    }

    /// `pages` as a selection (every page when not given).
    package func selection(oneBased: Bool = false) throws(EngineError) -> PageSelection {
        do {
            return try PageSelection(parsing: pages ?? "", oneBased: oneBased)
        } catch {
            throw EngineError.pageRange("\(error)")
        }
    }

    package func write(_ data: Data) throws -> Void {
        do {
            try data.writeUnsynced(to: try outputURL())
        } catch {
            throw EngineError.failed("Could not write the result.")
        }
    }
}

extension EngineRequest {
    /// A request for `conversion` with typed `options`.
    package init<C: Conversion>(
        _ conversion: C.Type, options: C.Options = C.Options(), inputs: [String], output: String?, password: String? = nil,
        pages: String? = nil
    ) {
        self.init(
            operation: C.operation, inputs: inputs, output: output, password: password, pages: pages, options: C.encodeOptions(options))
    }
}

extension MuPDFHosted {
    /// Decodes the request's options and runs.
    static func handle(_ request: EngineRequest, _ engines: MuPDFEngines) throws -> EngineResponse {
        try run(try decodeOptions(request.options), EngineCall(request), engines)
    }
}

extension OfficeHosted {
    static func handle(_ request: EngineRequest, _ office: OfficeEngines) throws -> EngineResponse {
        try run(try decodeOptions(request.options), EngineCall(request), office)
    }
}

extension BrowserHosted {
    static func handle(_ request: EngineRequest, _ browser: BrowserEngines) throws -> EngineResponse {
        try run(try decodeOptions(request.options), EngineCall(request), browser)
    }
}

extension WorkerPerformed {
    package static func handle(_ request: EngineRequest) async throws -> EngineResponse {
        try await perform(try decodeOptions(request.options), EngineCall(request))
    }
}

/// The MuPDF and qpdf engines of one host, created once and reused for every request.
package struct MuPDFEngines {
    package let text: MuPDFTextExtractor
    package let pageContents: MuPDFPageContents
    package let inspector: MuPDFDocumentInspector
    package let renderer: MuPDFPageRenderer
    package let images: ImagesToPDF
    package let optimizer: PDFOptimizer
    package let toolkit = PDFToolkit()
    package let security = PDFSecurity()
    package let forms = FormFieldReader()
    package let barcodeWriter = ZintBarcodeWriter()
    package let barcodeReader: ZXingBarcodeReader
    package let stamper: PDFStamper
    package let replacer: TextReplacer
    package let attachments: AttachmentExtractor
    package let textLayer: OCRTextLayer
    package let textLayerRemover: TextLayerRemover

    package init(context: MuPDFContext) {
        text = MuPDFTextExtractor(context: context)
        pageContents = MuPDFPageContents(context: context)
        inspector = MuPDFDocumentInspector(context: context)
        renderer = MuPDFPageRenderer(context: context)
        images = ImagesToPDF(context: context)
        optimizer = PDFOptimizer(context: context)
        barcodeReader = ZXingBarcodeReader(context: context)
        stamper = PDFStamper(context: context)
        replacer = TextReplacer(context: context)
        attachments = AttachmentExtractor(context: context)
        textLayer = OCRTextLayer(context: context)
        textLayerRemover = TextLayerRemover(context: context)
    }

    /// Runs `request` with the conversion its operation names; engine failures become the
    /// response's error.
    package func handle(_ request: EngineRequest) -> EngineResponse {
        do {
            guard let conversion = request.operation.conversion as? any MuPDFHosted.Type else {
                throw EngineError.unsupported("Not an operation of this engine host.")
            }
            return try conversion.handle(request, self)
        } catch let error as EngineError {
            return EngineResponse(error: error)
        } catch {
            return EngineResponse(error: .failed("The engine failed: \(error)"))
        }
    }
}

/// LibreOffice plus what an office request needs.
package struct OfficeEngines {
    package let office: LibreOffice
    /// Counts the pages of the PDF LibreOffice wrote.
    package let inspector: MuPDFDocumentInspector?

    package var converter: OfficeConverter { OfficeConverter(office: office) }

    package func handle(_ request: EngineRequest) -> EngineResponse {
        do {
            guard let conversion = request.operation.conversion as? any OfficeHosted.Type else {
                throw EngineError.unsupported("Not an office operation.")
            }
            return try conversion.handle(request, self)
        } catch let error as EngineError {
            return EngineResponse(error: error)
        } catch {
            return EngineResponse(error: .failed("The office engine failed: \(error)"))
        }
    }
}
