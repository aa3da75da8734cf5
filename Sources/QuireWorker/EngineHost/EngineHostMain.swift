// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

/// The child side of an engine host: reads requests from stdin, runs engines, answers on stdout.
/// It runs sandboxed from before `main` (no network, writes only to `QUIRE_ENGINE_WORK`; see
/// CLibreOfficeKit/sandbox.c) and says so in its ready frame.
package enum EngineHostMain {
    /// Runs until stdin closes (the worker is gone). Never returns.
    package static func run() -> Never {
        let protocolOut = takeProtocolOutput()
        applyMemoryLimit()
        watchParent()
        let engines: Engines
        do {
            engines = try Engines()
        } catch {
            FileHandle.standardError.write(Data("engine host: cannot start MuPDF: \(error)\n".utf8))
            exit(3)
        }
        guard (try? EngineFrame.write(EngineResponse.ready(EngineSandbox.current), to: protocolOut)) != nil else { exit(0) }
        while true {
            let request: EngineRequest?
            do {
                request = try EngineFrame.read(EngineRequest.self, from: 0)
            } catch {
                FileHandle.standardError.write(Data("engine host: bad request frame: \(error)\n".utf8))
                exit(2)
            }
            guard let request else { exit(0) }
            let response = engines.handle(request)
            do {
                try EngineFrame.write(response, to: protocolOut)
            } catch {
                exit(0)
            }
        }
    }

    /// The protocol owns the original stdout (returned); fd 1 becomes stderr so that anything a
    /// native library prints cannot corrupt a frame.
    package static func takeProtocolOutput() -> Int32 {
        let protocolOut = dup(1)
        dup2(2, 1)
        return protocolOut
    }

    /// RLIMIT_AS from `QUIRE_ENGINE_MEMORY_MB`: a document that needs more fails its job (MuPDF
    /// reports out of memory) or kills this child, never the server.
    private static func applyMemoryLimit() {
        guard let text = ProcessInfo.processInfo.environment["QUIRE_ENGINE_MEMORY_MB"], let mb = Int(text), mb > 0 else { return }
        var limit = rlimit(rlim_cur: rlim_t(mb) << 20, rlim_max: rlim_t(mb) << 20)
        _ = withUnsafePointer(to: &limit) { setrlimit(RLIMIT_AS_VALUE, $0) }
    }

    /// Exits when the parent dies, even in the middle of a long engine call (its pipe EOF is
    /// only seen between requests). prctl(PR_SET_PDEATHSIG) is variadic and not callable from Swift.
    package static func watchParent() {
        guard let text = ProcessInfo.processInfo.environment["QUIRE_ENGINE_PARENT_PID"], let parent = Int32(text) else { return }
        if getppid() != parent { _exit(0) }
        Thread.detachNewThread {
            while true {
                usleep(250_000)
                if getppid() != parent { _exit(0) }
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
    private let RLIMIT_AS_VALUE = Int32(RLIMIT_AS.rawValue)
#else
    private let RLIMIT_AS_VALUE = RLIMIT_AS
#endif

/// The engines of this host, created once and reused for every request.
private struct Engines {
    let text: MuPDFTextExtractor
    let inspector: MuPDFDocumentInspector
    let renderer: MuPDFPageRenderer
    let images: ImagesToPDF
    let toolkit: PDFToolkitRequests

    init() throws {
        // MuPDF's warnings name files and objects: log them, never send them to clients.
        let context = try MuPDFContext(diagnostics: { message in
            FileHandle.standardError.write(Data("mupdf: \(message)\n".utf8))
        })
        text = MuPDFTextExtractor(context: context)
        inspector = MuPDFDocumentInspector(context: context)
        renderer = MuPDFPageRenderer(context: context)
        images = ImagesToPDF(context: context)
        toolkit = PDFToolkitRequests(optimizer: PDFOptimizer(context: context), inspector: inspector, text: text)
    }

    func handle(_ request: EngineRequest) -> EngineResponse {
        do {
            return try perform(request)
        } catch let error as EngineError {
            return EngineResponse(error: error)
        } catch {
            return EngineResponse(error: .failed("The engine failed: \(error)"))
        }
    }

    private func perform(_ request: EngineRequest) throws -> EngineResponse {
        guard let input = request.inputs.first.map({ URL(fileURLWithPath: $0) }) else {
            throw EngineError.unsupported("No input file.")
        }
        switch request.operation {
        case .pdfToText, .pdfToTextSimple:
            let pages = try PageSelection(parsing: request.pages ?? "")
            let layout: TextLayout = request.operation == .pdfToText ? .preserveLayout : .simple
            let extracted = try text.extractText(from: input, password: request.password, pages: pages, layout: layout)
            var body = extracted.text
            if request.options["lineending"]?.lowercased() == "crlf" {
                body = body.replacingOccurrences(of: "\n", with: "\r\n")
            }
            try writeOutput(Data(body.utf8), request)
            return EngineResponse(pageCount: extracted.pageCount)
        case .pdfToPNG, .pdfToJPG, .pdfToWebP:
            guard let output = request.output else { throw EngineError.failed("No output folder.") }
            let pages = try PageSelection(parsing: request.pages ?? "")
            let dpi = request.options["dpi"].flatMap(Double.init) ?? 150
            let format: PageImageFormat = [.pdfToJPG: .jpeg, .pdfToWebP: .webp][request.operation] ?? .png
            let files = try renderer.renderPages(
                from: input, password: request.password, pages: pages, dpi: dpi, format: format,
                quality: request.options["jpegquality"].flatMap(Int.init) ?? 85, into: URL(fileURLWithPath: output),
                baseName: request.options["basename"] ?? "page")
            return EngineResponse(pageCount: files.count, fields: ["files": .array(files.map { .string($0.path) })])
        case .pdfToTIFF:
            guard let output = request.output else { throw EngineError.failed("No output path.") }
            let count = try renderer.renderTIFF(
                from: input, password: request.password, pages: try PageSelection(parsing: request.pages ?? ""),
                dpi: request.options["dpi"].flatMap(Double.init) ?? 150, to: URL(fileURLWithPath: output))
            return EngineResponse(pageCount: count)
        case .imagesToPDF:
            guard let output = request.output else { throw EngineError.failed("No output path.") }
            let pages = try images.convert(inputs: request.inputs.map { URL(fileURLWithPath: $0) }, output: URL(fileURLWithPath: output))
            return EngineResponse(pageCount: pages)
        case .pdfInfo:
            let info = try inspector.inspect(file: input, password: request.password)
            return EngineResponse(pageCount: info.pageCount, fields: ["info": PDFInfoFields.make(info)])
        case .pdfOptimize, .pdfMerge, .pdfMerge2, .pdfSplit, .pdfSplit2, .pdfDeletePages, .pdfRotate, .pdfProtect, .pdfUnprotect,
            .pdfFormFields:
            return try toolkit.perform(request)
        case .testCrash:
            abort()
        case .testHang:
            while true { sleep(3600) }
        case .uploadFromURL, .officeToPDF:
            throw EngineError.unsupported("Not an operation of this engine host.")
        }
    }

    private func writeOutput(_ data: Data, _ request: EngineRequest) throws {
        guard let output = request.output else { throw EngineError.failed("No output path.") }
        do {
            try data.write(to: URL(fileURLWithPath: output))
        } catch {
            throw EngineError.failed("Could not write the result.")
        }
    }
}
