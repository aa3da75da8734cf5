// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireEngines
import Testing

/// `LayoutText` on hand-built glyphs: every glyph 6 pt wide in a 12 pt font, so one column is 6 pt
/// and column N starts at x = 72 + 6N.
@Suite struct LayoutTextTests {
    private static let advance = 6.0

    /// Glyphs of `text` from `x`, one engine line; spaces are glyphs too, as engines emit them.
    private static func line(
        _ text: String, x: Double, baseline: Double, line: Int, block: Int = 0, size: Double = 12
    ) -> [LayoutText.Glyph] {
        text.unicodeScalars.enumerated().map { offset, scalar in
            let left = x + Double(offset) * advance * size / 12
            return LayoutText.Glyph(
                scalar: scalar, x: left, baseline: baseline, maxX: left + advance * size / 12,
                fontSize: size, line: line, block: block)
        }
    }

    @Test func emptyPageIsEmpty() {
        #expect(LayoutText.render([]) == "")
        #expect(LayoutText.render(Self.line("   ", x: 72, baseline: 100, line: 0)) == "")
    }

    @Test func linesEndInNewlineWithoutTrailingSpaces() {
        let glyphs =
            Self.line("Hello world  ", x: 72, baseline: 100, line: 0)
            + Self.line("Second", x: 72, baseline: 114, line: 1)
        #expect(LayoutText.render(glyphs) == "Hello world\nSecond\n")
    }

    /// Table cells in separate blocks land in the same columns on every row.
    @Test func tableColumnsAlign() {
        var glyphs: [LayoutText.Glyph] = []
        let rows = [("Item", "Qty", "Price"), ("Apples", "12", "3.50"), ("Kiwi", "150", "0.99")]
        for (index, row) in rows.enumerated() {
            let baseline = 100 + 16 * Double(index)
            glyphs += Self.line(row.0, x: 72, baseline: baseline, line: 3 * index, block: 0)
            glyphs += Self.line(row.1, x: 252, baseline: baseline, line: 3 * index + 1, block: 1)
            glyphs += Self.line(row.2, x: 402, baseline: baseline, line: 3 * index + 2, block: 2)
        }
        let lines = LayoutText.render(glyphs).split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "Item" + String(repeating: " ", count: 26) + "Qty" + String(repeating: " ", count: 22) + "Price",
                "Apples" + String(repeating: " ", count: 24) + "12" + String(repeating: " ", count: 23) + "3.50",
                "Kiwi" + String(repeating: " ", count: 26) + "150" + String(repeating: " ", count: 22) + "0.99",
            ])
    }

    /// Two columns of running text: lines from different blocks on (nearly) one baseline share a row.
    @Test func twoBlocksOnOneBaselineShareARow() {
        let glyphs =
            Self.line("left one", x: 72, baseline: 100, line: 0, block: 0)
            + Self.line("left two", x: 72, baseline: 114, line: 1, block: 0)
            + Self.line("right one", x: 312, baseline: 100.3, line: 2, block: 1)
            + Self.line("right two", x: 312, baseline: 114, line: 3, block: 1)
        let pad = String(repeating: " ", count: 40 - 8)
        #expect(LayoutText.render(glyphs) == "left one\(pad)right one\nleft two\(pad)right two\n")
    }

    @Test func superscriptStaysOnItsLine() {
        let glyphs =
            Self.line("E=mc", x: 72, baseline: 100, line: 0)
            + Self.line("2", x: 96, baseline: 96, line: 1, size: 7)
            + Self.line("next", x: 72, baseline: 114, line: 2)
        #expect(LayoutText.render(glyphs) == "E=mc2\nnext\n")
    }

    /// Words of a phrase get one space even in a large font; a column gap goes to its column.
    @Test func wordAndColumnGaps() {
        // 18 pt glyphs are 9 pt wide; the word gap of 5 pt is less than an em.
        let title =
            Self.line("Big", x: 72, baseline: 100, line: 0, size: 18)
            + Self.line("Title", x: 72 + 27 + 5, baseline: 100, line: 0, size: 18)
        #expect(LayoutText.render(title) == "Big Title\n")
        // Glyphs closer than 0.15 em stay together; a gap of 2 pt (0.17 em) is a word break.
        let tight = [
            LayoutText.Glyph(scalar: "a", x: 72, baseline: 100, maxX: 78, fontSize: 12, line: 0, block: 0),
            LayoutText.Glyph(scalar: "b", x: 79, baseline: 100, maxX: 85, fontSize: 12, line: 0, block: 0),
            LayoutText.Glyph(scalar: "c", x: 87, baseline: 100, maxX: 93, fontSize: 12, line: 0, block: 0),
        ]
        #expect(LayoutText.render(tight) == "ab c\n")
        // A gap of 30 pt (2.5 em) inside one engine line goes to the column of its x: 4 + 30 / 6.
        let gapped =
            Self.line("Name", x: 72, baseline: 100, line: 0)
            + Self.line("Value", x: 72 + 24 + 30, baseline: 100, line: 0)
        #expect(LayoutText.render(gapped) == "Name     Value\n")
    }

    /// A space glyph marks a word break even when the glyphs touch.
    @Test func spaceGlyphSeparatesTouchingWords() {
        var glyphs = Self.line("ab", x: 72, baseline: 100, line: 0)
        glyphs.append(LayoutText.Glyph(scalar: " ", x: 84, baseline: 100, maxX: 84, fontSize: 12, line: 0, block: 0))
        glyphs += Self.line("cd", x: 84, baseline: 100, line: 0)
        #expect(LayoutText.render(glyphs) == "ab cd\n")
    }

    @Test func verticalGapsBecomeBoundedBlankLines() {
        let glyphs =
            Self.line("one", x: 72, baseline: 100, line: 0)
            + Self.line("two", x: 72, baseline: 114, line: 1)
            + Self.line("three", x: 72, baseline: 128, line: 2)
            + Self.line("paragraph", x: 72, baseline: 156, line: 3)  // two line pitches down
            + Self.line("far below", x: 72, baseline: 700, line: 4)
        #expect(LayoutText.render(glyphs) == "one\ntwo\nthree\n\nparagraph\n\n\nfar below\n")
        #expect(LayoutText.maxBlankLines == 2)
    }

    /// Fake bold (the same glyph drawn twice, slightly offset) prints once.
    @Test func overprintedGlyphsPrintOnce() {
        let glyphs =
            Self.line("Bold", x: 72, baseline: 100, line: 0)
            + Self.line("Bold", x: 72.4, baseline: 100, line: 1)
        #expect(LayoutText.render(glyphs) == "Bold\n")
    }

    /// Glyphs at infinity, far away or at size 0 (damaged files) neither trap nor blow up the output.
    @Test func hostileCoordinatesStayBounded() {
        let glyphs = [
            LayoutText.Glyph(scalar: "a", x: .infinity, baseline: 100, maxX: .infinity, fontSize: 12, line: 0, block: 0),
            LayoutText.Glyph(scalar: "b", x: 72, baseline: .nan, maxX: 78, fontSize: 12, line: 1, block: 0),
            LayoutText.Glyph(scalar: "c", x: 72, baseline: 100, maxX: 72, fontSize: 0, line: 2, block: 0),
            LayoutText.Glyph(scalar: "d", x: 3e38, baseline: 100, maxX: 3e38, fontSize: 0, line: 3, block: 0),
            LayoutText.Glyph(scalar: "e", x: 72, baseline: 3e38, maxX: 78, fontSize: 12, line: 4, block: 0),
        ]
        let text = LayoutText.render(glyphs)
        #expect(text.hasPrefix("c"))
        #expect(text.hasSuffix("d\n\n\ne\n"))
        #expect(text.count <= LayoutText.maxColumn + 10)
    }

    /// Indented lines keep their indent relative to the leftmost text on the page.
    @Test func indentIsRelativeToLeftmostText() {
        let glyphs =
            Self.line("Title", x: 72, baseline: 100, line: 0)
            + Self.line("indented", x: 72 + 24, baseline: 114, line: 1)
        #expect(LayoutText.render(glyphs) == "Title\n    indented\n")
    }
}
