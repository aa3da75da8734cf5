// SPDX-License-Identifier: AGPL-3.0-or-later

/// A run of characters printed together: a word, or several words separated by normal spaces (a
/// phrase, what PDF.co calls a text object). Carries the font of its first character.
package struct TextRun: Sendable, Equatable {
    package var text: String
    package var box: Box
    package var baseline: Double
    package var fontSize: Double
    package var font: PageContent.Font?
    package var color: UInt32

    /// Appends `other`, separated by `separator`.
    package mutating func append(_ other: TextRun, separator: String = " ") {
        text += separator + other.text
        box = box.union(other.box)
        fontSize = max(fontSize, other.fontSize)
    }
}

/// One printed line across the page: the phrases sharing a baseline, left to right.
package struct TextRow: Sendable, Equatable {
    package var phrases: [TextRun]
    package var box: Box
    package var baseline: Double
}

/// Groups a page's characters into phrases and rows. Pure, so it is tested with built pages.
package enum TextRows {
    /// A gap wider than this (in ems) between two characters separates phrases (cells, columns)
    /// even where the PDF printed a space; narrower gaps are spaces inside a phrase. The same
    /// figure splits columns in `LayoutText`.
    static let phraseGap = 1.0
    /// Where no space was printed, a gap wider than this (in ems) separates phrases: the PDF moved
    /// to a new position, as it does between cells. Narrower: a word gap of a PDF that positions
    /// words without space characters (TeX stretches those to about 0.5 em).
    static let unspacedPhraseGap = 0.55
    /// Lines whose baselines differ by at most this (in ems of the larger font) share a row.
    static let rowTolerance = 0.4

    /// Phrases by the text engine's lines, split at wide gaps and at vertical rulings.
    package static func phrases(of page: PageContent) -> [TextRun] {
        let verticals = VerticalRulings(page.rulings)
        var phrases: [TextRun] = []
        var current: TextRun?
        var lastChar: PageContent.Char?
        var pendingSpace = false

        func close() {
            if let run = current, !run.text.isEmpty { phrases.append(run) }
            current = nil
            pendingSpace = false
        }

        for char in page.chars {
            if let last = lastChar, last.line != char.line { close() }
            defer { lastChar = char }
            if char.scalar.properties.isWhitespace {
                pendingSpace = current != nil
                continue
            }
            let em = max(char.size, 1)
            if let run = current, let last = lastChar {
                let gap = char.box.x0 - run.box.x1
                let crossesRuling = verticals.anyBetween(last.box.midX, char.box.midX, at: char.box.midY)
                let limit = pendingSpace ? phraseGap : unspacedPhraseGap
                if gap > limit * em || gap < -em * 2 || crossesRuling || !char.isHorizontal {
                    close()
                }
            }
            let font = char.font.flatMap { $0 < page.fonts.count ? page.fonts[$0] : nil }
            if current == nil {
                current = TextRun(
                    text: String(Character(char.scalar)), box: char.box, baseline: char.baseline, fontSize: char.size, font: font,
                    color: char.color)
            } else {
                if pendingSpace || spacing(from: current!, to: char) > 0.15 * em { current!.text += " " }
                current!.text.unicodeScalars.append(char.scalar)
                current!.box = current!.box.union(char.box)
                current!.fontSize = max(current!.fontSize, char.size)
            }
            pendingSpace = false
        }
        close()
        return phrases
    }

    /// The horizontal gap from a run to the next character.
    private static func spacing(from run: TextRun, to char: PageContent.Char) -> Double { char.box.x0 - run.box.x1 }

    /// Rows of phrases, top to bottom, each row's phrases left to right.
    package static func rows(of page: PageContent) -> [TextRow] {
        rows(from: phrases(of: page))
    }

    package static func rows(from phrases: [TextRun]) -> [TextRow] {
        var rows: [TextRow] = []
        for phrase in phrases.sorted(by: { ($0.baseline, $0.box.x0) < ($1.baseline, $1.box.x0) }) {
            let joins = rows.last.map { last in
                abs(last.baseline - phrase.baseline) <= rowTolerance * max(phrase.fontSize, last.box.height * 0.8, 1)
            }
            if joins == true {
                // In place: a copy of the row would copy its phrases each time (quadratic in a long row).
                rows[rows.count - 1].phrases.append(phrase)
                rows[rows.count - 1].box = rows[rows.count - 1].box.union(phrase.box)
            } else {
                rows.append(TextRow(phrases: [phrase], box: phrase.box, baseline: phrase.baseline))
            }
        }
        for index in rows.indices { rows[index].phrases.sort { $0.box.x0 < $1.box.x0 } }
        return rows
    }
}

/// Vertical rulings sorted by x, to ask quickly whether one stands between two characters.
struct VerticalRulings {
    private let lines: [Box]

    init(_ rulings: [PageContent.Ruling]) {
        lines = rulings.filter { !$0.isHorizontal }.map(\.box).sorted { $0.x0 < $1.x0 }
    }

    /// Whether a ruling with left < x < right crosses height `y`.
    func anyBetween(_ left: Double, _ right: Double, at y: Double) -> Bool {
        guard left < right else { return false }
        var index = lines.partitioningIndex { $0.x0 > left }
        while index < lines.count, lines[index].x0 < right {
            if lines[index].y0 <= y && lines[index].y1 >= y { return true }
            index += 1
        }
        return false
    }
}
