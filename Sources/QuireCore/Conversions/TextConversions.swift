// SPDX-License-Identifier: AGPL-3.0-or-later

/// `/pdf/convert/to/text` options, shared by both text conversions.
package struct TextOptions: ConversionOptions {
    /// PDF.co's `lineEnding=CRLF`: Windows line ends instead of `\n`.
    package var crlf = false
    /// OCR of the pages that have no text layer (`/pdf/convert/to/text` only; nil for
    /// `text-simple`, PDF.co's "no OCR" endpoint).
    package var ocr: OCROptions?

    package init() {}
}

/// What the two text conversions share.
package protocol TextConversion: Conversion where Options == TextOptions {
    /// Whether the text keeps the page's layout (columns, indents) or follows reading order.
    static var keepsLayout: Bool { get }
}

extension TextConversion {
    package static var host: HostKind { .mupdf }
    package static var result: ResultKind { .textFile(extension: "txt") }
    package static func legacyOptions(_ map: [String: String]) -> TextOptions { .legacy(map) }
}

/// PDF → layout-preserving text, a form feed between pages.
package enum PDFToTextConversion: TextConversion {
    package static let operation = JobOperation.pdfToText
    package static let paths = ["/pdf/convert/to/text"]
    package static let commandName: String? = "pdf-to-text"
    package static let keepsLayout = true
    package static let readsImagesAsScans = true

    /// Pages without a text layer are read by OCR, when the first run finds some.
    package static func ocrFallback(for options: TextOptions) -> OCRPass? {
        options.ocr.map { OCRPass(languages: $0.languages, resolution: $0.resolution, onlyPagesWithoutText: false) }
    }
}

/// PDF → text in reading order.
package enum PDFToTextSimpleConversion: TextConversion {
    package static let operation = JobOperation.pdfToTextSimple
    package static let paths = ["/pdf/convert/to/text-simple"]
    package static let commandName: String? = "pdf-to-text-simple"
    package static let keepsLayout = false
}

extension TextOptions {
    static func legacy(_ map: [String: String]) -> TextOptions {
        var options = TextOptions()
        options.crlf = map["lineending"]?.lowercased() == "crlf"
        return options
    }
}

extension JobOperation {
    package static let pdfToText = JobOperation("pdf.to-text")
    package static let pdfToTextSimple = JobOperation("pdf.to-text-simple")
}
