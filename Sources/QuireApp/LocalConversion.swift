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
