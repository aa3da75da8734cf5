// SPDX-License-Identifier: AGPL-3.0-or-later
import CTesseract
import Foundation
import QuireCore

/// Tesseract through its C API, one model per language set loaded on first use and kept for the
/// host's life (loading `eng` takes ~100 ms and ~100 MB). Used from one thread.
///
/// The host that owns it must run with `OMP_THREAD_LIMIT=1`: Debian's Tesseract is built with
/// OpenMP, whose threads fight over the cores other hosts use (6× slower on 2 cores,
/// docs/engines.md); pages run in parallel across hosts instead.
package final class TesseractReader {
    /// Models kept at once: each language set is a model of its own, 100 MB or more.
    private static let maxModels = 3
    private var models: [(languages: OCRLanguages, api: OpaquePointer)] = []
    /// The orientation and script detection model (`osd`), loaded on first use.
    private var osd: OpaquePointer?

    package init() {}

    deinit {
        for model in models { TessBaseAPIDelete(model.api) }
        if let osd { TessBaseAPIDelete(osd) }
    }

    /// The clockwise turn (0, 90, 180 or 270 degrees) that makes the page on the image upright,
    /// and OSD's confidence in it; nil when OSD finds too little text to tell.
    package func orientation(
        gray pixels: UnsafePointer<UInt8>, width: Int, height: Int, dpi: Double
    ) throws(EngineError) -> (rotation: Int, confidence: Double)? {
        if osd == nil {
            guard let api = TessBaseAPICreate() else { throw .failed("Cannot start Tesseract.") }
            guard TessBaseAPIInit3(api, OCRLanguages.dataFolder, "osd") == 0 else {
                TessBaseAPIDelete(api)
                throw .failed("Tesseract's orientation model (osd) is not installed on this server.")
            }
            osd = api
        }
        guard let api = osd else { return nil }
        defer { TessBaseAPIClear(api) }
        TessBaseAPISetImage(api, pixels, Int32(width), Int32(height), 1, Int32(width))
        TessBaseAPISetSourceResolution(api, Int32(dpi.rounded()))
        // Tesseract 5.3 still warns "Invalid resolution 0 dpi" on every OSD call: not worth a log line.
        TessBaseAPISetVariable(api, "debug_file", "/dev/null")
        var degrees: Int32 = 0
        var confidence: Float = 0
        var script: UnsafePointer<CChar>?
        var scriptConfidence: Float = 0
        guard TessBaseAPIDetectOrientationScript(api, &degrees, &confidence, &script, &scriptConfidence) != 0 else { return nil }
        // Tesseract names the orientation the text is in; the turn that undoes it is the opposite.
        return ((360 - Int(degrees)) % 360, Double(confidence))
    }

    /// The words on an 8-bit gray image (rows `width` bytes apart) rendered at `dpi`, in points
    /// of the page (the image's top-left is the page's).
    /// - Throws: `EngineError.badParameter` for a language that is not installed,
    ///   `.limitExceeded` when recognition took longer than `deadline`.
    package func words(
        gray pixels: UnsafePointer<UInt8>, width: Int, height: Int, dpi: Double, languages: OCRLanguages, deadline: Duration
    ) throws(EngineError) -> [OCRWord] {
        let api = try model(for: languages)
        let page = try DeskewedPage(gray: pixels, width: width, height: height)
        // Tesseract keeps the image until it is cleared: the page lives at least as long.
        defer { withExtendedLifetime(page) { TessBaseAPIClear(api) } }
        TessBaseAPISetImage2(api, page.image)
        TessBaseAPISetSourceResolution(api, Int32(dpi.rounded()))
        let monitor = TessMonitorCreate()
        defer { TessMonitorDelete(monitor) }
        let milliseconds = Int32(clamping: deadline.components.seconds * 1000 + deadline.components.attoseconds / 1_000_000_000_000_000)
        TessMonitorSetDeadlineMSecs(monitor, milliseconds)
        let started = ContinuousClock.now
        guard TessBaseAPIRecognize(api, monitor) == 0 else {
            if ContinuousClock.now - started >= deadline {
                throw .limitExceeded("A page took longer than \(deadline.components.seconds) s to recognise.")
            }
            throw .failed("Text recognition failed on a page.")
        }
        if ContinuousClock.now - started >= deadline {
            throw .limitExceeded("A page took longer than \(deadline.components.seconds) s to recognise.")
        }
        return collectWords(api, scale: 72 / dpi).map { page.unskewed($0, scale: 72 / dpi) }
    }

    /// Walks the result word by word; each word gets its line's baseline and height.
    private func collectWords(_ api: OpaquePointer, scale: Double) -> [OCRWord] {
        guard let iterator = TessBaseAPIGetIterator(api) else { return [] }
        defer { TessResultIteratorDelete(iterator) }
        let page = TessResultIteratorGetPageIteratorConst(iterator)
        var words: [OCRWord] = []
        var line = -1
        var lineBox = (left: Int32(0), top: Int32(0), right: Int32(0), bottom: Int32(0))
        var baseline = (x1: Int32(0), y1: Int32(0), x2: Int32(0), y2: Int32(0))
        repeat {
            if TessPageIteratorIsAtBeginningOf(page, RIL_TEXTLINE) != 0 {
                line += 1
                TessPageIteratorBoundingBox(page, RIL_TEXTLINE, &lineBox.left, &lineBox.top, &lineBox.right, &lineBox.bottom)
                if TessPageIteratorBaseline(page, RIL_TEXTLINE, &baseline.x1, &baseline.y1, &baseline.x2, &baseline.y2) == 0 {
                    baseline = (lineBox.left, lineBox.bottom, lineBox.right, lineBox.bottom)
                }
            }
            guard let text = TessResultIteratorGetUTF8Text(iterator, RIL_WORD) else { continue }
            let word = String(cString: text)
            TessDeleteText(text)
            guard !word.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            var box = (left: Int32(0), top: Int32(0), right: Int32(0), bottom: Int32(0))
            TessPageIteratorBoundingBox(page, RIL_WORD, &box.left, &box.top, &box.right, &box.bottom)
            // The baseline under the word's middle (lines are rarely quite level on a scan).
            let middle = Double(box.left + box.right) / 2
            let run = Double(baseline.x2 - baseline.x1)
            let baselineY =
                run == 0
                ? Double(baseline.y1) : Double(baseline.y1) + (middle - Double(baseline.x1)) * Double(baseline.y2 - baseline.y1) / run
            words.append(
                OCRWord(
                    text: word, x: Double(box.left) * scale, y: Double(box.top) * scale, width: Double(box.right - box.left) * scale,
                    height: Double(box.bottom - box.top) * scale, baseline: baselineY * scale,
                    lineHeight: Double(lineBox.bottom - lineBox.top) * scale, line: line,
                    confidence: Double(TessResultIteratorConfidence(iterator, RIL_WORD))))
        } while TessResultIteratorNext(iterator, RIL_WORD) != 0
        return words
    }

    /// The model for `languages`, loaded now when it is not yet (the oldest dropped past `maxModels`).
    private func model(for languages: OCRLanguages) throws(EngineError) -> OpaquePointer {
        if let model = models.first(where: { $0.languages == languages }) { return model.api }
        if let installed = OCRLanguages.installed(), let missing = languages.missing(installed: installed) {
            throw .badParameter(
                "Invalid 'lang': \"\(missing)\" is not installed on this server; it has \(installed.joined(separator: ", ")).")
        }
        guard let api = TessBaseAPICreate() else { throw .failed("Cannot start Tesseract.") }
        guard TessBaseAPIInit3(api, OCRLanguages.dataFolder, languages.description) == 0 else {
            TessBaseAPIDelete(api)
            throw .badParameter("Cannot load the OCR model for '\(languages)'.")
        }
        TessBaseAPISetPageSegMode(api, PSM_AUTO)
        if models.count == Self.maxModels { TessBaseAPIDelete(models.removeFirst().api) }
        models.append((languages, api))
        return api
    }
}

/// A page image as Tesseract gets it: straightened when Leptonica finds it skewed (Tesseract
/// read a clean page turned 2° without an error, and lost 93% of it turned 5°), with the way
/// back for the words found on it.
final class DeskewedPage {
    /// The image to read (the page itself when it is not skewed).
    let image: UnsafeMutablePointer<PIX>
    private var original: UnsafeMutablePointer<PIX>?
    private var straightened: UnsafeMutablePointer<PIX>?
    /// The clockwise turn Leptonica gave the page, in radians (0: none), about the image's centre.
    let angle: Double
    private let centre: (x: Double, y: Double)

    init(gray pixels: UnsafePointer<UInt8>, width: Int, height: Int) throws(EngineError) {
        // Leptonica packs pixels into big-endian words: a PGM in memory is the simplest way in.
        var pgm = Data("P5\n\(width) \(height)\n255\n".utf8)
        pgm.append(pixels, count: width * height)
        original = pgm.withUnsafeBytes { pixReadMemPnm($0.bindMemory(to: UInt8.self).baseAddress, $0.count) }
        guard let original else { throw .failed("Cannot hand the page to Tesseract.") }
        var degrees: Float = 0
        var confidence: Float = 0
        straightened = pixFindSkewAndDeskew(original, 0, &degrees, &confidence)
        // Leptonica returns the page itself (a clone) when it finds no skew worth turning.
        if let straightened, straightened != original {
            image = straightened
            angle = Double(degrees) * .pi / 180
        } else {
            image = original
            angle = 0
        }
        centre = (Double(width) / 2, Double(height) / 2)
    }

    deinit {
        pixDestroy(&straightened)
        pixDestroy(&original)
    }

    /// `word` (found on the straightened image, in points at `scale` points a pixel) where it is
    /// on the page: its box's corners turned back, the box around them.
    func unskewed(_ word: OCRWord, scale: Double) -> OCRWord {
        guard angle != 0 else { return word }
        let (sin, cos) = (Foundation.sin(-angle), Foundation.cos(-angle))
        let (cx, cy) = (centre.x * scale, centre.y * scale)
        func back(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
            (cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos)
        }
        let corners = [
            back(word.x, word.y), back(word.x + word.width, word.y), back(word.x, word.y + word.height),
            back(word.x + word.width, word.y + word.height),
        ]
        var moved = word
        moved.x = corners.map(\.x).min()!
        moved.y = corners.map(\.y).min()!
        moved.width = corners.map(\.x).max()! - moved.x
        moved.height = corners.map(\.y).max()! - moved.y
        moved.baseline = back(word.x + word.width / 2, word.baseline).y
        return moved
    }
}
