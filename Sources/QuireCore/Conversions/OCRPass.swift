// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// What a conversion asks OCR for: the worker runs this pass on OCR hosts (Tesseract), page
/// ranges in parallel, before the conversion itself, which then gets the words found.
package struct OCRPass: Codable, Sendable, Equatable {
    package var languages: OCRLanguages
    /// The resolution pages are rendered at for Tesseract, in dpi; nil: each scan's own
    /// (`OCRPass.resolution(forScanAt:coverage:)`).
    package var resolution: Double?
    /// Whether pages that already have a text layer are left alone (fewer than
    /// `OCRPass.textLayerMinimum` characters counts as none).
    package var onlyPagesWithoutText: Bool
    /// Only each page's orientation is detected (Tesseract's OSD), no words read.
    package var orientationOnly = false

    /// A page with at least this many characters of text (not spaces) has a text layer.
    package static let textLayerMinimum = 20
    package static let defaultResolution = 300.0
    /// A scan's own resolution is used within these bounds: under 150 dpi Tesseract misreads
    /// small print (the page is upscaled to 150), over 400 it gains little for 2–4× the time.
    package static let scanResolutions = 150.0...400.0

    /// The resolution to read a page at: `resolution` when the job set one; else, for a page that
    /// is mostly one image (a scan, covering over half the page), that image's own resolution
    /// within `scanResolutions`; else 300 dpi.
    package func resolution(forScanAt dpi: Double?, coverage: Double) -> Double {
        if let resolution { return resolution }
        guard let dpi, coverage > 0.5 else { return Self.defaultResolution }
        return min(max(dpi, Self.scanResolutions.lowerBound), Self.scanResolutions.upperBound)
    }
    /// OSD's confidence below which a page is left as it is (Tesseract gives 10–13 for a short
    /// clean page in any of the four orientations, under 2 for a page without text).
    package static let orientationMinimumConfidence = 5.0

    package init(languages: OCRLanguages, resolution: Double? = nil, onlyPagesWithoutText: Bool) {
        self.languages = languages
        self.resolution = resolution
        self.onlyPagesWithoutText = onlyPagesWithoutText
    }
}

/// The languages of a job's OCR, as PDF.co's `lang` names them: Tesseract codes joined by `+`.
package struct OCRLanguages: Codable, Sendable, Equatable, CustomStringConvertible {
    package let codes: [String]

    package static let english = OCRLanguages(codes: ["eng"])

    private init(codes: [String]) { self.codes = codes }

    /// - Throws: `OCRLanguagesError` for an empty list or a code that is not a Tesseract name.
    package init(parsing text: String) throws(OCRLanguagesError) {
        let codes = text.split(whereSeparator: { $0 == "+" || $0 == "," || $0 == " " }).map(String.init)
        guard !codes.isEmpty else { throw .empty }
        guard codes.count <= 8 else { throw .tooMany }
        for code in codes where code.count > 32 || !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
            throw .notALanguage(String(code.prefix(40)))
        }
        self.codes = codes
    }

    package var description: String { codes.joined(separator: "+") }
}

package enum OCRLanguagesError: Error, Equatable, CustomStringConvertible {
    case empty
    case tooMany
    case notALanguage(String)

    package var description: String {
        switch self {
        case .empty: "no language is named"
        case .tooMany: "at most 8 languages can be combined"
        case .notALanguage(let code): "\"\(code)\" is not a language code (Tesseract's: eng, deu, chi_sim…)"
        }
    }
}

extension OCRLanguages {
    /// Where Tesseract's models are: `TESSDATA_PREFIX` when set, else Debian's folder.
    package static var dataFolder: String {
        ProcessInfo.processInfo.environment["TESSDATA_PREFIX"] ?? "/usr/share/tesseract-ocr/5/tessdata"
    }

    /// The languages installed (`<code>.traineddata`, orientation detection left out), sorted;
    /// nil when the model folder is not on this machine (an API node without OCR). The folder
    /// is listed at most every 10 s: every text request checks its OCR languages, and a
    /// listing per request was a measurable part of a small job; a model installed while the
    /// server runs is seen within 10 s.
    package static func installed() -> [String]? {
        InstalledLanguages.shared.current { () -> [String]? in
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dataFolder) else { return nil }
            return names.filter { $0.hasSuffix(".traineddata") }.map { String($0.dropLast(".traineddata".count)) }
                .filter { $0 != "osd" }.sorted()
        }
    }

    /// The first code that is not installed, with the installed ones; nil when all are.
    package func missing(installed: [String]) -> String? {
        codes.first { !installed.contains($0) }
    }
}

/// The last listing of the model folder and when it was made.
private final class InstalledLanguages: @unchecked Sendable {
    static let shared = InstalledLanguages()
    private let lock = NSLock()
    private var last: (languages: [String]?, at: ContinuousClock.Instant)?

    func current(_ list: () -> [String]?) -> [String]? {
        let now = ContinuousClock.now
        if let last = lock.withLock({ last }), now - last.at < .seconds(10) { return last.languages }
        let languages = list()
        lock.withLock { last = (languages, now) }
        return languages
    }
}
