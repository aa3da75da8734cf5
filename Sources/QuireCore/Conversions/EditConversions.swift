// SPDX-License-Identifier: AGPL-3.0-or-later

/// An RGB colour, each channel 0...1.
package struct RGBColor: Codable, Sendable, Equatable {
    package var red: Double
    package var green: Double
    package var blue: Double

    package init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    package static let black = RGBColor(red: 0, green: 0, blue: 0)
}

/// The PDF base-14 family added text is set in (PDF.co's `fontName`, mapped by look).
package enum FontFamily: String, Codable, Sendable {
    case helvetica, times, courier
}

extension FontFamily {
    /// The family closest in look to a font name (a client's `fontName`, or a PDF font's name):
    /// Courier for typewriter and mono names, Times for serif names, Helvetica otherwise.
    package init(closestTo fontName: String) {
        let name = fontName.lowercased()
        if ["courier", "mono", "consolas", "typewriter"].contains(where: name.contains) {
            self = .courier
        } else if ["times", "georgia", "garamond", "cambria", "roman", "book"].contains(where: name.contains)
            || (name.contains("serif") && !name.contains("sans"))
        {
            self = .times
        } else {
            self = .helvetica
        }
    }
}

/// Where lines of a text box sit between its left and right edges.
package enum TextAlignment: String, Codable, Sendable {
    case left, center, right
}

/// What an `annotations[]` item adds: text, or a new form field.
package enum AnnotationKind: String, Codable, Sendable {
    case text, textField, checkbox, checkboxChecked
}

/// One `annotations[]` item of `/pdf/edit/add`. `x`, `y` are the top-left corner of the text
/// box in points from the page's top-left corner (as displayed).
package struct TextStamp: Codable, Sendable, Equatable {
    package var kind = AnnotationKind.text
    package var text = ""
    package var x = 0.0
    package var y = 0.0
    package var size = 12.0
    package var color = RGBColor.black
    package var font = FontFamily.helvetica
    package var bold = false
    package var italic = false
    package var underline = false
    package var strikeout = false
    /// Zero-based PDF.co page selection; empty means every page.
    package var pages = ""
    package var link: String?
    /// The text box: lines wrap at `width`; lines below `height` are left out.
    package var width: Double?
    package var height: Double?
    package var alignment = TextAlignment.left
    /// The name of the form field a `textField` or `checkbox` item creates.
    package var id: String?

    package init() {}
}

/// One `images[]` item: the job's input at `input` (its first input is the PDF) drawn in a box.
package struct ImageStamp: Codable, Sendable, Equatable {
    package var input = 1
    package var x = 0.0
    package var y = 0.0
    /// Nil: the image's natural size, or the given one with the aspect ratio kept.
    package var width: Double?
    package var height: Double?
    package var pages = ""
    package var link: String?
    package var keepAspectRatio = true

    package init() {}
}

/// One `fields[]` item: a form field filled by its full name on whatever page it is.
package struct FieldValue: Codable, Sendable, Equatable {
    package var fieldName = ""
    package var text = ""

    package init() {}
}

/// `/pdf/edit/add`: everything it adds, in the order drawn (images first, then text, so that
/// text stays readable over a picture).
package struct EditAddOptions: ConversionOptions {
    package var texts: [TextStamp] = []
    package var images: [ImageStamp] = []
    package var fields: [FieldValue] = []

    package init() {}
}

/// PDF → the same PDF with text, images, links and form fields added or filled.
package enum EditAddConversion: Conversion {
    package typealias Options = EditAddOptions
    package static let operation = JobOperation.pdfEditAdd
    package static let paths = ["/pdf/edit/add"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.file(extension: "pdf")
    /// Each item has its own `pages`; the request's is not read.
    package static let usesPages = false
}

/// `/pdf/edit/replace-text`, `/delete-text` and `/replace-text-with-image`: what to find and
/// what takes its place. Found text is removed from the content stream (MuPDF redaction), not
/// covered.
package struct TextReplaceOptions: ConversionOptions {
    package var searchStrings: [String] = []
    /// One per search string; missing or empty ones delete.
    package var replaceStrings: [String] = []
    package var regex = false
    package var caseSensitive = true
    /// Occurrences changed per search string, in page order; 0 = all.
    package var replacementLimit = 0
    /// The input (index into the job's inputs) drawn where the text was.
    package var replaceImage: Int?

    package init() {}
}

/// PDF → the same PDF with each occurrence of the search strings replaced by new text.
package enum ReplaceTextConversion: Conversion {
    package typealias Options = TextReplaceOptions
    package static let operation = JobOperation.pdfReplaceText
    package static let paths = ["/pdf/edit/replace-text"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.file(extension: "pdf")
}

/// PDF → the same PDF with each occurrence of the search strings removed.
package enum DeleteTextConversion: Conversion {
    package typealias Options = TextReplaceOptions
    package static let operation = JobOperation.pdfDeleteText
    package static let paths = ["/pdf/edit/delete-text"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.file(extension: "pdf")
}

/// PDF → the same PDF with an image where each occurrence of the search string was.
package enum ReplaceTextWithImageConversion: Conversion {
    package typealias Options = TextReplaceOptions
    package static let operation = JobOperation.pdfReplaceTextWithImage
    package static let paths = ["/pdf/edit/replace-text-with-image"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.file(extension: "pdf")
}

/// PDF → the files embedded in it (attachments), one result file each, named as embedded.
package enum AttachmentsExtractConversion: Conversion {
    package typealias Options = NoOptions
    package static let operation = JobOperation.pdfAttachmentsExtract
    package static let paths = ["/pdf/attachments/extract"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.pageFiles
    package static let usesPages = false
    /// Attachments are whatever the PDF's author put in: served as downloads, like uploads.
    package static let storesClientContent = true
}

extension JobOperation {
    package static let pdfAttachmentsExtract = JobOperation("pdf.attachments-extract")
    package static let pdfEditAdd = JobOperation("pdf.edit.add")
    package static let pdfReplaceText = JobOperation("pdf.edit.replace-text")
    package static let pdfDeleteText = JobOperation("pdf.edit.delete-text")
    package static let pdfReplaceTextWithImage = JobOperation("pdf.edit.replace-text-with-image")
}
