// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// One PDF.co endpoint family, declared once: its paths, its typed options (whose property
/// defaults are the only defaults), the host kind that runs it and what it produces.
///
/// The request side (`QuireAPI`, `RequestConvertible`) and the engine side (`QuireWorker`,
/// `MuPDFHosted`/`OfficeHosted`/`WorkerPerformed`) are extensions of the same type in their own
/// layers; `Conversions.all` lists every type once and `ConversionRegistryTests` checks that each
/// has both sides. See docs/decisions/0001-conversion-registry.md.
package protocol Conversion: Sendable {
    associatedtype Options: ConversionOptions
    /// The stable ID stored in the queue.
    static var operation: JobOperation { get }
    /// PDF.co paths without the `/v1` prefix, e.g. `/pdf/convert/to/text`.
    static var paths: [String] { get }
    static var host: HostKind { get }
    static var result: ResultKind { get }
    static var input: InputShape { get }
    /// Whether `pages` selects what the conversion works on; when false it is dropped.
    static var usesPages: Bool { get }
    /// The short name of `quire convert` (any of `paths` works too); nil: not offered there.
    static var commandName: String? { get }
    /// Mounted only with `--enable-test-operations`.
    static var isTestOnly: Bool { get }
    /// Work per page (page images, barcode reads): long PDFs are cut into page ranges run by several hosts.
    static var fansOutPages: Bool { get }
    /// Whether the result files are content someone else made (an upload, a PDF's attachments):
    /// they are served as downloads, never with their own type from Quire's origin.
    static var storesClientContent: Bool { get }
    /// The host for these options (the test operations choose theirs).
    static func host(for options: Options) -> HostKind
    /// The options of a job queued by a version that kept them as strings (lower-cased names).
    static func legacyOptions(_ map: [String: String]) -> Options
    /// Options for a second run on the first run's result (in the host those options choose), or
    /// nil when one run makes the result (all but `/pdf/convert/to/xls`).
    static func finishing(_ options: Options) -> Options?
    /// What `quire convert` prints about a result beyond its page count; nil: nothing.
    static func summary(of fields: [String: JSONValue]) -> String?
    /// Whether an image input (PNG, JPEG, TIFF…) is taken as a scan: the worker wraps it in a PDF
    /// (its bytes kept) before the conversion runs.
    static var readsImagesAsScans: Bool { get }
    /// The OCR these options ask for before the conversion runs; nil: none.
    static func ocrPass(for options: Options) -> OCRPass?
    /// The OCR to run on the pages the conversion's engine reports as without text
    /// (`pagesWithoutText`), before it runs again with their words; nil: none.
    static func ocrFallback(for options: Options) -> OCRPass?
}

/// A conversion's options: encoded whole into the job record and the engine request.
package protocol ConversionOptions: Codable, Sendable, Equatable {
    init()
}

/// Options of a conversion that has none beyond the shared ones (`url`, `pages`, `password`…).
package struct NoOptions: ConversionOptions {
    package init() {}
}

/// Where a conversion runs.
package enum HostKind: String, Sendable, Codable, CaseIterable {
    /// In the worker itself: I/O only, no engine (copying, hashing).
    case worker
    /// A MuPDF/qpdf engine host.
    case mupdf
    /// A LibreOffice host.
    case office
    /// A Chromium host (`quire browser-host`).
    case browser
}

/// What a conversion produces.
package enum ResultKind: Sendable, Equatable {
    /// One result file with this extension.
    case file(extension: String)
    /// One text result file; `inline=true` also puts its text in the answer's `body`.
    case textFile(extension: String)
    /// One JSON result file; `inline=true` also puts the JSON itself in the answer's `body`.
    case jsonFile
    /// One file per page or part, each with its own URL; the result file is the JSON list of them.
    case pageFiles
    /// JSON fields in the answer only, no file.
    case fields
    /// The input itself, stored as the client's own content (`/file/upload/url`).
    case clientFile

    /// Extension given to the result file's name; nil when there is no file or it keeps the input's.
    package var outputExtension: String? {
        switch self {
        case .file(let ext), .textFile(let ext): ext
        case .pageFiles, .jsonFile: "json"
        case .fields, .clientFile: nil
        }
    }

    /// Whether `inline=true` puts the result in the answer's `body`.
    package var inlinesBody: Bool {
        switch self {
        case .textFile, .jsonFile: true
        case .file, .pageFiles, .fields, .clientFile: false
        }
    }

    /// Whether the job stores a result file (answers carry its `url`).
    package var hasFile: Bool { self != .fields }

    /// Whether the engine writes several files into a folder.
    package var isPageFiles: Bool { self == .pageFiles }
}

/// How many inputs `url` names.
package enum InputShape: Sendable, Equatable {
    case one
    /// A comma-separated list, used in order.
    case several
    /// A comma-separated list of PDFs, images and office documents: the worker turns each
    /// non-PDF into a PDF first (`/pdf/merge2`).
    case severalAsPDF
    /// No input file: the parameters are the input (`/barcode/generate`); `url` is ignored.
    case none
}

extension Conversion {
    package static var input: InputShape { .one }
    package static var usesPages: Bool { true }
    package static var commandName: String? { nil }
    package static var isTestOnly: Bool { false }
    package static var fansOutPages: Bool { false }
    package static var storesClientContent: Bool { result == .clientFile }
    package static func host(for options: Options) -> HostKind { host }
    package static func legacyOptions(_ map: [String: String]) -> Options { Options() }
    package static func finishing(_ options: Options) -> Options? { nil }
    package static func summary(of fields: [String: JSONValue]) -> String? { nil }
    package static var readsImagesAsScans: Bool { false }
    package static func ocrPass(for options: Options) -> OCRPass? { nil }
    package static func ocrFallback(for options: Options) -> OCRPass? { nil }

    /// The options of `spec`, whichever version queued it.
    /// - Throws: `DecodingError` for a record that does not match this conversion's options.
    package static func options(of spec: JobSpec) throws -> Options {
        guard spec.optionsVersion == JobSpec.typedOptionsVersion else { return legacyOptions(spec.options.stringMap) }
        return try decodeOptions(spec.options)
    }

    package static func encodeOptions(_ options: Options) -> JSONValue {
        // Encoding plain structs of strings, numbers and booleans cannot fail.
        (try? JSONValue(encoding: options)) ?? .object([:])
    }

    /// Options from JSON; a member missing (a record written before the option existed) takes
    /// its default.
    package static func decodeOptions(_ json: JSONValue) throws -> Options {
        guard case .object(var members) = DefaultOptions.encoded(of: Self.self, { encodeOptions(Options()) }),
            case .object(let given) = json
        else {
            return try json.decoded(as: Options.self)
        }
        members.merge(given) { _, new in new }
        return try JSONValue.object(members).decoded(as: Options.self)
    }

    /// `spec`'s options as this version encodes them (what engine hosts are sent).
    package static func currentOptions(of spec: JobSpec) throws -> JSONValue {
        encodeOptions(try options(of: spec))
    }

    /// The OCR pass `spec` asks for, if any.
    package static func ocrPass(of spec: JobSpec) throws -> OCRPass? {
        ocrPass(for: try options(of: spec))
    }

    /// The OCR fallback `spec` asks for, if any.
    package static func ocrFallback(of spec: JobSpec) throws -> OCRPass? {
        ocrFallback(for: try options(of: spec))
    }

    /// The host that runs `spec`.
    package static func host(of spec: JobSpec) throws -> HostKind {
        host(for: try options(of: spec))
    }

    /// All the worker asks of `spec`'s options, from one decoding: each question above decodes
    /// them again (a JSON text round trip), five times per job.
    package static func plan(of spec: JobSpec) throws -> ConversionPlan {
        let options = try options(of: spec)
        return ConversionPlan(
            options: encodeOptions(options), host: host(for: options), ocrPass: ocrPass(for: options),
            ocrFallback: ocrFallback(for: options), finishing: finishing(options).map { (encodeOptions($0), host(for: $0)) })
    }
}

/// How the worker runs one job, decided by its options (`Conversion.plan(of:)`).
package struct ConversionPlan: Sendable {
    /// The options as this version encodes them, for the engine host.
    package let options: JSONValue
    package let host: HostKind
    /// The OCR pass the job asks for before its engine run, if any.
    package let ocrPass: OCRPass?
    /// The OCR pass for pages the engine finds without text, if the job reads those by OCR.
    package let ocrFallback: OCRPass?
    /// The encoded options and host of a second run on the first one's result, if any.
    package let finishing: (options: JSONValue, host: HostKind)?
}

/// Each conversion's default options, encoded once: a job's options are decoded several times
/// (the worker asks for its host, its OCR pass, its engine request), and on small jobs these
/// JSON round trips took about 8 % of the machine in a perf profile (docs/benchmarks.md).
private enum DefaultOptions {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var encoded: [ObjectIdentifier: JSONValue] = [:]

    static func encoded(of conversion: Any.Type, _ make: () -> JSONValue) -> JSONValue {
        let key = ObjectIdentifier(conversion)
        if let known = lock.withLock({ encoded[key] }) { return known }
        let value = make()
        lock.withLock { encoded[key] = value }
        return value
    }
}

extension JSONValue {
    /// The string members of an object (how older versions stored options); empty otherwise.
    package var stringMap: [String: String] {
        guard case .object(let members) = self else { return [:] }
        return members.compactMapValues { if case .string(let text) = $0 { text } else { nil } }
    }
}
