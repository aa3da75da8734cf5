// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// `/pdf/edit/replace-text`, `/delete-text` and `/replace-text-with-image`: finds the search
/// strings line by line (as `/pdf/find` does), removes the matched glyphs from the content
/// stream with MuPDF's redaction (the text is gone, not covered), then sets the replacement at
/// the old text's baseline, size and colour, or draws the image at its top-left corner.
package struct TextReplacer {
    let context: MuPDFContext
    let contents: MuPDFPageContents

    package init(context: MuPDFContext) {
        self.context = context
        contents = MuPDFPageContents(context: context)
    }

    /// - Parameter image: the file drawn in place of each match (`replace-text-with-image`).
    /// - Returns: the page count and how many occurrences were changed.
    package func replace(
        _ input: URL, password: String?, pages: PageSelection, options: TextReplaceOptions, image: URL?, output: URL
    ) throws -> (pageCount: Int, replaced: Int) {
        let searches = try options.searchStrings.map { text throws(EngineError) in
            try TextSearch(text, regex: options.regex, caseSensitive: options.caseSensitive, wordMatching: .none)
        }
        let (_, found) = try contents.map(file: input, password: password, pages: pages) { index, content in
            let perRule = try searches.map { search in
                try search.matches(on: content, pageIndex: index).filter(Self.isReplaceable).map { match in
                    Found(match: match, font: match.chars[0].font.flatMap { content.fonts.indices.contains($0) ? content.fonts[$0] : nil })
                }
            }
            return (index, perRule)
        }
        // Each search string's first `replacementLimit` occurrences, in page order.
        var remaining = options.searchStrings.map { _ in options.replacementLimit > 0 ? options.replacementLimit : Int.max }
        var chosen: [Int: [(found: Found, rule: Int)]] = [:]
        for (page, perRule) in found {
            var taken = TakenSpans()
            for (rule, matches) in perRule.enumerated() {
                // Text an earlier search string (or the same one listed twice) already replaces is
                // left to it: two replacements would be drawn over each other, and every
                // duplicate adds a redaction box MuPDF checks each glyph against.
                for match in matches where remaining[rule] > 0 && taken.take(match.match) {
                    chosen[page, default: []].append((match, rule))
                    remaining[rule] -= 1
                }
            }
        }
        let editor = try PDFEditor(contentsOf: input, password: password, context: context)
        for page in chosen.keys.sorted() {
            try editor.redact(page: page, boxes: chosen[page]!.map { Self.redactionBox($0.found.match) })
        }
        let imageSize = try image.map { file throws(EngineError) in
            do {
                return try editor.imageSize(file)
            } catch EngineError.limitExceeded {
                throw EngineError.limitExceeded("'replaceImage' has more than 50 million pixels; scale it down first.")
            } catch {
                throw .damaged("'replaceImage' is not an image this server reads (PNG, JPEG, GIF, BMP, TIFF, JPEG 2000).")
            }
        }
        var budget = ContentBudget(
            subject: "The replacements (each replaceString × its occurrences)",
            advice: "use shorter replacements or set 'replacementLimit'")
        for page in chosen.keys.sorted() {
            for (found, rule) in chosen[page]! {
                let match = found.match
                let first = match.chars[0]
                if let image, let imageSize {
                    let box = EditBox(x: match.box.x0, y: match.box.y0, width: imageSize.width, height: imageSize.height)
                    try editor.addImage(image, page: page, box: box)
                } else if rule < options.replaceStrings.count, !options.replaceStrings[rule].isEmpty {
                    try budget.charge(options.replaceStrings[rule])
                    try editor.addText(
                        options.replaceStrings[rule], page: page, x: first.originX, baseline: first.baseline,
                        style: Self.style(of: first, font: found.font))
                }
            }
        }
        try editor.save(to: output)
        return (editor.pageCount, chosen.values.reduce(0) { $0 + $1.count })
    }

    /// The spans of one page's lines already matched.
    struct TakenSpans {
        private var spans: [Int: [ClosedRange<Double>]] = [:]

        /// Marks the match's span of its line as taken; false when it overlaps one taken before.
        mutating func take(_ match: TextSearch.Match) -> Bool {
            let line = match.chars[0].line
            let extent = TextReplacer.extent(of: match)
            let span = extent.start...max(extent.start, extent.end)
            if spans[line, default: []].contains(where: { $0.overlaps(span) }) { return false }
            spans[line, default: []].append(span)
            return true
        }
    }

    /// A match and the font of its first character.
    struct Found {
        var match: TextSearch.Match
        var font: PageContent.Font?
    }

    /// Text written in a quarter turn on the displayed page (left to right, down, upside down or
    /// up, as on pages turned by /Rotate); text at other angles is left.
    static func isReplaceable(_ match: TextSearch.Match) -> Bool {
        guard let rotation = match.chars.first?.rotation else { return false }
        return match.chars.allSatisfy { $0.rotation == rotation }
    }

    /// The writing direction of a quarter turn in displayed coordinates (y down).
    static func direction(_ rotation: Int?) -> (x: Double, y: Double) {
        switch rotation {
        case 90: (0, 1)
        case 180: (-1, 0)
        case 270: (0, -1)
        default: (1, 0)
        }
    }

    /// Where a match starts (its first glyph's origin) and ends (just short of its last glyph's
    /// far edge) along its writing direction.
    static func extent(of match: TextSearch.Match) -> (start: Double, end: Double) {
        let first = match.chars[0]
        let last = match.chars[match.chars.count - 1]
        let d = direction(first.rotation)
        func along(_ x: Double, _ y: Double) -> Double { x * d.x + y * d.y }
        let start = along(first.originX, first.baseline)
        let box = last.box
        let lastStart = along(last.originX, last.baseline)
        let lastEnd = [along(box.x0, box.y0), along(box.x1, box.y0), along(box.x0, box.y1), along(box.x1, box.y1)].max()!
        return (start, max(lastEnd - max(lastEnd - lastStart, 0) * 0.15, start + 0.1))
    }

    /// A thin band along the matched glyphs' baseline, from the first glyph's origin to just
    /// short of the last glyph's far edge. MuPDF removes a glyph when its origin lies in the
    /// band (older versions) or its box, shrunk by a tenth, touches it (newer): either way the
    /// matched glyphs go and their neighbours on the line, and the lines beside it, stay.
    static func redactionBox(_ match: TextSearch.Match) -> EditBox {
        let first = match.chars[0]
        let size = max(first.size, 1)
        let d = direction(first.rotation)
        // The glyphs' up in displayed coordinates: for left-to-right text, (0, -1).
        let up = (x: d.y, y: -d.x)
        let (start, end) = extent(of: match)
        let length = end - start
        var xs: [Double] = []
        var ys: [Double] = []
        for t in [-0.05, length] {
            for u in [-0.02 * size, 0.25 * size] {
                xs.append(first.originX + t * d.x + u * up.x)
                ys.append(first.baseline + t * d.y + u * up.y)
            }
        }
        return EditBox(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()!, height: ys.max()! - ys.min()!)
    }

    /// The replacement is set in the base-14 family closest to the old text's font, at its size
    /// and colour (the old font itself may lack the new characters).
    static func style(of char: PageContent.Char, font: PageContent.Font?) -> TextStyle {
        var style = TextStyle()
        if let font {
            style.family = FontFamily(closestTo: font.name)
            style.bold = font.isBold
            style.italic = font.isItalic
        }
        style.size = char.size
        style.quarterTurns = (char.rotation ?? 0) / 90
        style.color = RGBColor(
            red: Double((char.color >> 16) & 0xFF) / 255, green: Double((char.color >> 8) & 0xFF) / 255,
            blue: Double(char.color & 0xFF) / 255)
        return style
    }
}
