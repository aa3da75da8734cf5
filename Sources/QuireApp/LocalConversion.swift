// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
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
}
