// SPDX-License-Identifier: AGPL-3.0-or-later

/// What the OCR conversions take: PDF.co's `lang` (or the `OCRLanguage` profile) and the
/// `OCRResolution` profile (nil: each scan's own resolution, `OCRPass.resolution(forScanAt:coverage:)`).
package struct OCROptions: ConversionOptions {
    package var languages = OCRLanguages.english
    package var resolution: Double?

    package init() {}
}

/// `/pdf/makesearchable`: an invisible text layer over each scanned page (pages that already
/// have text are left as they are); the page images are not touched.
package enum MakeSearchableConversion: Conversion {
    package static let operation = JobOperation("pdf.make-searchable")
    package static let paths = ["/pdf/makesearchable"]
    package static let commandName: String? = "make-searchable"
    package static let host = HostKind.mupdf
    package static let result = ResultKind.file(extension: "pdf")
    package static let readsImagesAsScans = true

    package static func ocrPass(for options: OCROptions) -> OCRPass? {
        OCRPass(languages: options.languages, resolution: options.resolution, onlyPagesWithoutText: true)
    }
}

/// `/pdf/edit/rotate/auto`: each page turned upright by its /Rotate, as Tesseract's orientation
/// detection sees it; the content is not touched.
package enum RotateAutoConversion: Conversion {
    package static let operation = JobOperation("pdf.rotate-auto")
    package static let paths = ["/pdf/edit/rotate/auto"]
    package static let commandName: String? = "rotate-auto"
    package static let host = HostKind.mupdf
    package static let result = ResultKind.file(extension: "pdf")
    package static let readsImagesAsScans = true

    package static func ocrPass(for options: OCROptions) -> OCRPass? {
        var pass = OCRPass(languages: options.languages, resolution: options.resolution, onlyPagesWithoutText: false)
        pass.orientationOnly = true
        return pass
    }
}

/// `/pdf/makeunsearchable`'s options: the resolution pages that show text are pictured at
/// (`RenderingResolution` in `profiles`).
package struct UnsearchableOptions: ConversionOptions {
    package var dpi = 200.0

    package init() {}
}

/// `/pdf/makeunsearchable`: the selected pages lose their text layer (`TextLayerRemover`).
package enum MakeUnsearchableConversion: Conversion {
    package typealias Options = UnsearchableOptions
    package static let operation = JobOperation("pdf.make-unsearchable")
    package static let paths = ["/pdf/makeunsearchable"]
    package static let commandName: String? = "make-unsearchable"
    package static let host = HostKind.mupdf
    package static let result = ResultKind.file(extension: "pdf")
}
