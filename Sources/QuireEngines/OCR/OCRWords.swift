// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// A recognised word: its text and box in points on the page as displayed (origin top-left).
package struct OCRWord: Codable, Sendable, Equatable {
    package var text: String
    package var x: Double
    package var y: Double
    package var width: Double
    package var height: Double
    /// The y of its line's baseline under the word, and that line's height (the text size).
    package var baseline: Double
    package var lineHeight: Double
    /// The line it is on, counted from 0 down the page.
    package var line: Int
    /// Tesseract's confidence, 0…100.
    package var confidence: Double

    package init(
        text: String, x: Double, y: Double, width: Double, height: Double, baseline: Double, lineHeight: Double, line: Int,
        confidence: Double
    ) {
        self.text = text
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.baseline = baseline
        self.lineHeight = lineHeight
        self.line = line
        self.confidence = confidence
    }
}

/// What OCR found on one page; `recognized` is false for a page skipped because it has text.
package struct OCRPage: Codable, Sendable, Equatable {
    /// The page's index, from 0.
    package var page: Int
    package var recognized: Bool
    package var words: [OCRWord]
    /// For an orientation pass: the clockwise turn, in degrees, that makes the page upright
    /// (0 when it is, or when OSD was not sure).
    package var rotation: Int?

    package init(page: Int, recognized: Bool, words: [OCRWord], rotation: Int? = nil) {
        self.page = page
        self.recognized = recognized
        self.words = words
        self.rotation = rotation
    }
}

extension OCRPage {
    /// Whether `glyphs` are a page's own text: enough characters that are not spaces
    /// (`OCRPass.textLayerMinimum`), so a page number stamped on a scan does not count.
    package static func hasTextLayer(_ glyphs: [LayoutText.Glyph]) -> Bool {
        hasTextLayer(scalars: glyphs.lazy.map(\.scalar))
    }

    /// The rule itself, over a page's characters in any form.
    static func hasTextLayer(scalars: some Sequence<Unicode.Scalar>) -> Bool {
        scalars.lazy.filter { !isSpace($0) }.prefix(OCRPass.textLayerMinimum).count >= OCRPass.textLayerMinimum
    }

    /// Unicode's White_Space, ASCII answered without the property lookup, which was a
    /// measurable part of a short page's text job.
    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x80 ? scalar.value == 0x20 || (0x09...0x0D).contains(scalar.value) : scalar.properties.isWhitespace
    }

    /// The words as glyphs for `LayoutText`: `chars`, spaces between words included (without
    /// them the layout grid ran words together whose boxes stood closer than a column).
    package var glyphs: [LayoutText.Glyph] {
        chars.map { char in
            LayoutText.Glyph(
                scalar: char.scalar, x: char.box.x0, baseline: char.baseline, maxX: char.box.x1, fontSize: char.size, line: char.line,
                block: char.block)
        }
    }

    /// The words as a page's characters (each word's characters share its box evenly, a space
    /// between words of a line), for layout analysis: tables, find, JSON.
    package var chars: [PageContent.Char] {
        var chars: [PageContent.Char] = []
        for (index, word) in words.enumerated() {
            let scalars = Array(word.text.unicodeScalars)
            let advance = word.width / Double(max(scalars.count, 1))
            if index > 0, words[index - 1].line == word.line {
                let previous = words[index - 1]
                let gap = Box(
                    x0: previous.x + previous.width, y0: word.y, x1: max(word.x, previous.x + previous.width), y1: word.y + word.height)
                chars.append(
                    PageContent.Char(
                        scalar: " ", box: gap, baseline: word.baseline, size: word.lineHeight, line: word.line, block: word.line))
            }
            for (offset, scalar) in scalars.enumerated() {
                let x = word.x + Double(offset) * advance
                let box = Box(x0: x, y0: word.y, x1: x + advance, y1: word.y + word.height)
                chars.append(
                    PageContent.Char(
                        scalar: scalar, box: box, baseline: word.baseline, size: word.lineHeight, line: word.line, block: word.line))
            }
        }
        return chars
    }

    /// The words line by line, one space between words (`/pdf/convert/to/text-simple`'s shape).
    package var plainText: String {
        var lines: [[String]] = []
        var current = -1
        for word in words {
            if word.line != current || lines.isEmpty {
                lines.append([])
                current = word.line
            }
            lines[lines.count - 1].append(word.text)
        }
        return lines.map { $0.joined(separator: " ") + "\n" }.joined()
    }
}
