// SPDX-License-Identifier: AGPL-3.0-or-later

/// `/pdf/convert/to/text` options, shared by both text conversions.
package struct TextOptions: ConversionOptions {
    /// PDF.co's `lineEnding=CRLF`: Windows line ends instead of `\n`.
    package var crlf = false

    package init() {}
}

/// PDF → layout-preserving text, a form feed between pages.
package enum PDFToTextConversion: Conversion {
    package static let operation = JobOperation.pdfToText
    package static let paths = ["/pdf/convert/to/text"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.textFile(extension: "txt")
    package static let commandName: String? = "pdf-to-text"

    package static func legacyOptions(_ map: [String: String]) -> TextOptions { .legacy(map) }
}

/// PDF → text in reading order.
package enum PDFToTextSimpleConversion: Conversion {
    package static let operation = JobOperation.pdfToTextSimple
    package static let paths = ["/pdf/convert/to/text-simple"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.textFile(extension: "txt")
    package static let commandName: String? = "pdf-to-text-simple"

    package static func legacyOptions(_ map: [String: String]) -> TextOptions { .legacy(map) }
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
