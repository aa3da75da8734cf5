// SPDX-License-Identifier: AGPL-3.0-or-later

/// PDFs → one PDF, in the order given.
package enum MergeConversion: Conversion {
    package typealias Options = NoOptions
    package static let operation = JobOperation.pdfMerge
    package static let paths = ["/pdf/merge"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.file(extension: "pdf")
    package static let input = InputShape.several
    package static let usesPages = false
    package static let commandName: String? = "merge"
}

/// PDFs, images and office documents → one PDF; the worker converts the non-PDFs first.
package enum Merge2Conversion: Conversion {
    package typealias Options = NoOptions
    package static let operation = JobOperation.pdfMerge2
    package static let paths = ["/pdf/merge2"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.file(extension: "pdf")
    package static let input = InputShape.severalAsPDF
    package static let usesPages = false
}

/// How split parts are named: `<baseName>-<n>.pdf`.
package struct SplitOptions: ConversionOptions {
    package var baseName = "result"

    package init() {}
}

/// PDF → one PDF per page range; `pages` counts from 1 here only.
package enum SplitConversion: Conversion {
    package static let operation = JobOperation.pdfSplit
    package static let paths = ["/pdf/split"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.pageFiles
    package static let commandName: String? = "split"

    package static func legacyOptions(_ map: [String: String]) -> SplitOptions {
        var options = SplitOptions()
        if let baseName = map["basename"] { options.baseName = baseName }
        return options
    }
}

/// `/pdf/split2`: where parts start.
package struct SplitByTextOptions: ConversionOptions {
    package var searchString = ""
    package var regexSearch = false
    package var caseSensitive = false
    package var excludeKeyPages = false
    package var baseName = "result"
    /// Set when `searchString` is PDF.co's barcode form: pages are split by their codes, not their text.
    package var barcode: BarcodeSplitSearch?

    package init() {}
}

/// PDF → one PDF per part, a part starting at each page whose text (or barcode) matches.
package enum SplitByTextConversion: Conversion {
    package static let operation = JobOperation.pdfSplit2
    package static let paths = ["/pdf/split2"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.pageFiles
    package static let usesPages = false

    package static func legacyOptions(_ map: [String: String]) -> SplitByTextOptions {
        var options = SplitByTextOptions()
        options.searchString = map["searchstring"] ?? ""
        options.regexSearch = map["regexsearch"] == "true"
        options.caseSensitive = map["casesensitive"] == "true"
        options.excludeKeyPages = map["excludekeypages"] == "true"
        if let baseName = map["basename"] { options.baseName = baseName }
        return options
    }
}

/// PDF → the same PDF without the pages named (zero-based `pages`, required).
package enum DeletePagesConversion: Conversion {
    package typealias Options = NoOptions
    package static let operation = JobOperation.pdfDeletePages
    package static let paths = ["/pdf/edit/delete-pages"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.file(extension: "pdf")
}

/// `/pdf/edit/rotate`: degrees clockwise, a multiple of 90.
package struct RotateOptions: ConversionOptions {
    package var angle = 90

    package init() {}
}

/// PDF → the same PDF with the selected pages turned.
package enum RotateConversion: Conversion {
    package static let operation = JobOperation.pdfRotate
    package static let paths = ["/pdf/edit/rotate"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.file(extension: "pdf")

    package static func legacyOptions(_ map: [String: String]) -> RotateOptions {
        var options = RotateOptions()
        if let angle = map["angle"].flatMap(Int.init) { options.angle = angle }
        return options
    }
}

extension JobOperation {
    package static let pdfMerge = JobOperation("pdf.merge")
    package static let pdfMerge2 = JobOperation("pdf.merge2")
    package static let pdfSplit = JobOperation("pdf.split")
    package static let pdfSplit2 = JobOperation("pdf.split2")
    package static let pdfDeletePages = JobOperation("pdf.delete-pages")
    package static let pdfRotate = JobOperation("pdf.rotate")
}
