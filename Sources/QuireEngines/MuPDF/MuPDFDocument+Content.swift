// SPDX-License-Identifier: AGPL-3.0-or-later
import CMuPDF

extension MuPDFDocument {
    /// Page `index`'s characters with fonts and boxes and its ruling lines, for layout analysis.
    package func content(ofPage index: Int) throws(EngineError) -> PageContent {
        var raw = cmupdf_page_content()
        try context.check(pageAction(index)) { err, errlen in
            cmupdf_page_content_read(context.handle, handle, Int32(index), &raw, err, errlen)
        }
        defer { cmupdf_page_content_free(&raw) }
        let fonts = UnsafeBufferPointer(start: raw.fonts, count: raw.font_count).map { info in
            var info = info
            let name = withUnsafeBytes(of: &info.name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            return PageContent.Font(
                name: Self.withoutSubsetPrefix(name), isBold: info.flags & Int32(CMUPDF_FONT_BOLD) != 0,
                isItalic: info.flags & Int32(CMUPDF_FONT_ITALIC) != 0)
        }
        let chars = UnsafeBufferPointer(start: raw.chars, count: raw.char_count).map { c in
            PageContent.Char(
                // MuPDF reports glyphs it cannot map as U+FFFD; this guards against non-scalars.
                scalar: Unicode.Scalar(c.codepoint) ?? "\u{FFFD}",
                box: Box(x0: Double(c.x0), y0: Double(c.y0), x1: Double(c.x1), y1: Double(c.y1)),
                baseline: Double(c.baseline), size: Double(c.size), line: Int(c.line), block: Int(c.block),
                font: c.font >= 0 ? Int(c.font) : nil, color: c.color,
                isHorizontal: abs(c.direction_y) < 0.01 && c.direction_x > 0,
                rotation: Self.quarterTurn(Double(c.direction_x), Double(c.direction_y)), originX: Double(c.origin_x))
        }
        let rulings = UnsafeBufferPointer(start: raw.segments, count: raw.segment_count).map { s in
            PageContent.Ruling(box: Box(x0: Double(s.x0), y0: Double(s.y0), x1: Double(s.x1), y1: Double(s.y1)))
        }
        return PageContent(width: Double(raw.width), height: Double(raw.height), chars: chars, fonts: fonts, rulings: rulings)
    }

    /// The quarter turn of a writing direction, nil when it is not close to one.
    static func quarterTurn(_ x: Double, _ y: Double) -> Int? {
        switch (x, y) {
        case _ where x > 0.99: 0
        case _ where y > 0.99: 90
        case _ where x < -0.99: 180
        case _ where y < -0.99: 270
        default: nil
        }
    }

    /// "ABCDEF+Arial-BoldMT" → "Arial-BoldMT": the six capitals name the subset, not the font.
    static func withoutSubsetPrefix(_ name: String) -> String {
        let parts = name.split(separator: "+", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 6, parts[0].allSatisfy({ $0.isASCII && $0.isUppercase }) else { return name }
        return String(parts[1])
    }
}
