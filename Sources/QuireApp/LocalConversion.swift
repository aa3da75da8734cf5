// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Logging
import QuireCore
import QuireEngines
import QuireWorker

/// `quire convert`: one conversion on local files, no server, same engines.
package enum LocalConversion {
    /// Text of `input` (layout-preserving, or reading order when `simple`).
    package static func pdfToText(input: URL, password: String?, pages: String?, simple: Bool) throws -> String {
        let selection = try PageSelection(parsing: pages ?? "")
        return try MuPDFTextExtractor(context: try MuPDFContext()).extractText(
            from: input, password: password, pages: selection, layout: simple ? .simple : .preserveLayout
        ).text
    }

    /// One PNG per selected page in `directory` (`<baseName>-<page>.png`); returns the files.
    package static func pdfToPNG(input: URL, password: String?, pages: String?, dpi: Double, directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let baseName = OutputName.urlSafe(input.deletingPathExtension().lastPathComponent)
        return try MuPDFPageRenderer(context: try MuPDFContext()).renderPNG(
            from: input, password: password, pages: try PageSelection(parsing: pages ?? ""), dpi: dpi, into: directory,
            baseName: baseName)
    }

    /// Images → one PDF at `output`; returns the page count.
    package static func imagesToPDF(inputs: [URL], output: URL) throws -> Int {
        try ImagesToPDF(context: try MuPDFContext()).convert(inputs: inputs, output: output)
    }

    /// PDF.co's optimize defaults, for the CLI's help.
    package static let defaultOptimizeSettings = (jpegQuality: OptimizeSettings().jpegQuality, resolution: OptimizeSettings().resolution)

    /// `/pdf/optimize` on a local file; returns a one-line summary (sizes, images rewritten).
    /// - Parameter resolution: downsampling target in dpi; 0 keeps image sizes.
    package static func optimize(
        input: URL, output: URL, password: String?, jpegQuality: Int, resolution: Double, lossless: Bool, grayscale: Bool
    ) throws -> String {
        var settings = OptimizeSettings()
        settings.jpegQuality = jpegQuality
        settings.resampleImages = resolution > 0
        settings.resolution = resolution
        settings.useJPEG = !lossless
        settings.grayscale = grayscale
        let report = try PDFOptimizer(context: try MuPDFContext()).optimize(input, password: password, settings: settings, output: output)
        let note = report.returnedInput ? " (nothing helped: the input is returned unchanged)" : ""
        return "\(output.path): \(report.sizeBefore) → \(report.sizeAfter) bytes, "
            + "\(report.imagesRewritten) images rewritten (\(report.imagesResampled) downsampled)\(note)"
    }

    /// PDFs → one PDF, in order; returns the page count.
    package static func merge(inputs: [URL], output: URL, password: String?) throws -> Int {
        try PDFToolkit().merge(inputs, password: password, output: output)
    }

    /// One PDF per item of `pages` (1-based, as `/pdf/split`; every page when nil) in `directory`.
    package static func split(input: URL, directory: URL, pages: String?, password: String?) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let selection = try PageSelection(parsing: pages ?? "", oneBased: true)
        return try PDFToolkit().split(
            input, password: password, selection: selection, into: directory,
            baseName: OutputName.urlSafe(input.deletingPathExtension().lastPathComponent))
    }

    /// `/pdf/info`'s `info` object as JSON text.
    package static func pdfInfo(input: URL, password: String?) throws -> String {
        let info = try MuPDFDocumentInspector(context: try MuPDFContext()).inspect(file: input, password: password)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(PDFInfoFields.make(info)), as: UTF8.self)
    }

    /// Runs the engine-host loop (hidden `quire engine-host` command).
    package static func runEngineHost() -> Never {
        EngineHostMain.run()
    }

    /// Runs the office-host loop (hidden `quire office-host` command).
    package static func runOfficeHost() -> Never {
        OfficeHostMain.run()
    }

    /// Office document → PDF at `output`, through an office host started for this call (LibreOffice
    /// must live in its own process). Returns the page count.
    package static func officeToPDF(
        input: URL, output: URL, password: String?, csv: Bool, autosize: Bool, executable: URL
    ) async throws -> Int? {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("quire-office-\(RandomID.make(length: 10))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        // A profile kept between runs saves LibreOffice ~1 s of first-start work.
        let profiles = FileManager.default.temporaryDirectory.appendingPathComponent("quire-office-profiles-\(getuid())")
        let settings = EngineHostProcess.Settings.office(
            executable: executable, index: 0, profiles: profiles, workFolders: work, maxJobsPerProcess: 1, maxResidentMB: 0)
        let host = EngineHostProcess(index: 0, settings: settings, logger: Logger(label: "quire.convert"))
        defer { host.stop() }
        // The host links the input into its work folder (the only one its sandbox reaches) and
        // its result is moved to `result`.
        let result = work.appendingPathComponent("result.pdf")
        var options: [String: String] = [:]
        if csv { options["textiscsv"] = "true" }
        if autosize { options["autosize"] = "true" }
        let response = try await host.run(
            EngineRequest(
                operation: .officeToPDF, inputs: [input.path], output: result.path, password: password, pages: nil, options: options),
            timeout: .seconds(600))
        if let error = response.error { throw error }
        try? FileManager.default.removeItem(at: output)
        try FileManager.default.moveItem(at: result, to: output)
        return response.pageCount
    }
}
