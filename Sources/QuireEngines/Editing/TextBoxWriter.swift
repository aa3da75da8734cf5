// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Sets one `annotations[]` text item on one page: macros expanded, lines broken at line
/// breaks and (with a `width`) wrapped at word boundaries, aligned, cut at `height`.
struct TextBoxWriter {
    /// Baseline to baseline, as a multiple of the font size.
    static let lineSpacing = 1.2

    let editor: PDFEditor
    let stamp: TextStamp
    let page: Int
    let pageCount: Int

    func write(budget: inout ContentBudget) throws(EngineError) {
        let style = TextStyle(stamp)
        let text = TextMacros.expand(stamp.text, pageNumber: page + 1, pageCount: pageCount)
        let lines = try wrapped(text, style: style)
        let lineHeight = stamp.size * Self.lineSpacing
        let ascent = editor.ascent(style)
        var widest = 0.0
        var drawn = 0
        for (index, line) in lines.enumerated() {
            let top = stamp.y + Double(index) * lineHeight
            if let height = stamp.height, index > 0, top + lineHeight > stamp.y + height + 0.01 { break }
            try budget.charge(line)
            let width = try editor.width(of: line, style: style)
            widest = max(widest, width)
            var x = stamp.x
            if let box = stamp.width {
                switch stamp.alignment {
                case .left: break
                case .center: x += (box - width) / 2
                case .right: x += box - width
                }
            }
            if !line.isEmpty { try editor.addText(line, page: page, x: x, baseline: top + ascent, style: style) }
            drawn += 1
        }
        if let link = stamp.link, drawn > 0 {
            let box = EditBox(x: stamp.x, y: stamp.y, width: stamp.width ?? widest, height: Double(drawn) * lineHeight)
            try editor.addLink(link, page: page, box: box)
        }
    }

    /// The lines to set: the text's own lines, each wrapped at `width` when one is given.
    private func wrapped(_ text: String, style: TextStyle) throws(EngineError) -> [String] {
        let paragraphs = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let width = stamp.width, width > 0 else { return paragraphs }
        var lines: [String] = []
        for paragraph in paragraphs {
            lines += LineBreaker(paragraph, advances: try editor.advances(of: paragraph, style: style)).lines(width: width)
        }
        return lines
    }
}

/// The page content one job's text may add, estimated line by line before it is drawn: the
/// items × pages bound alone let one item of 50 000 short lines on 2 000 pages grow the engine
/// host past its memory limit (a crash, after minutes).
struct ContentBudget {
    static let maxBytes = 128 << 20
    private var used = 0
    /// The client's message past the budget: what adds the content, and what to do instead.
    private let subject: String
    private let advice: String

    init(subject: String, advice: String) {
        self.subject = subject
        self.advice = advice
    }

    /// Counts a line (or a field value): at most 4 bytes a character once written, plus the
    /// operators around it.
    mutating func charge(_ text: String) throws(EngineError) {
        used += 4 * text.utf8.count + 64
        guard used <= Self.maxBytes else {
            throw .limitExceeded("\(subject) would add over \(Self.maxBytes >> 20) MB of page content; \(advice).")
        }
    }
}

/// Breaks one paragraph into lines no wider than a width: at spaces, and between characters
/// for a word wider than the line. Widths come from the characters' advances measured once,
/// so a paragraph costs its length (measuring every candidate line was quadratic: a
/// 100 000-character word in a 1-point box took minutes).
struct LineBreaker {
    private let bytes: [UInt8]
    /// `sums[i]`: the advances of bytes before `i`.
    private var sums: [Double]
    /// The byte offset of each character, then the paragraph's length.
    private var starts: [Int] = []
    /// Words: the byte ranges between space characters, empty ones kept.
    private var words: [Range<Int>] = []

    init(_ paragraph: String, advances: [Double]) {
        bytes = Array(paragraph.utf8)
        sums = [0]
        sums.reserveCapacity(bytes.count + 1)
        for index in bytes.indices { sums.append(sums[index] + (index < advances.count ? advances[index] : 0)) }
        var offset = 0
        var wordStart = 0
        for character in paragraph {
            starts.append(offset)
            if character == " " {
                words.append(wordStart..<offset)
                wordStart = offset + 1
            }
            offset += character.utf8.count
        }
        starts.append(offset)
        words.append(wordStart..<offset)
    }

    private func width(_ range: Range<Int>) -> Double { sums[range.upperBound] - sums[range.lowerBound] }

    private func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    func lines(width maxWidth: Double) -> [String] {
        var lines: [String] = []
        var line = 0..<0
        // Lines only move forward: the index in `starts` of the current line's start.
        var cursor = 0
        for word in words {
            let candidate = line.isEmpty ? word : line.lowerBound..<word.upperBound
            if width(candidate) <= maxWidth || line.isEmpty && word.isEmpty {
                line = candidate
                continue
            }
            if !line.isEmpty { lines.append(text(line)) }
            line = word
            // A word wider than the box is broken between characters, at least one a line.
            while true {
                while starts[cursor] < line.lowerBound { cursor += 1 }
                guard cursor + 1 < starts.count, starts[cursor + 1] < line.upperBound, width(line) > maxWidth else { break }
                var end = starts[cursor + 1]
                var next = cursor + 1
                while starts[next] < line.upperBound, width(line.lowerBound..<starts[next + 1]) <= maxWidth {
                    end = starts[next + 1]
                    next += 1
                }
                lines.append(text(line.lowerBound..<end))
                line = end..<line.upperBound
            }
        }
        lines.append(text(line))
        return lines
    }
}

/// PDF.co's text macros: `{{$$PageNumber}}` (from 1), `{{$$PageCount}}`, `{{$$NewLine}}`,
/// in any letter case.
package enum TextMacros {
    package static func expand(_ text: String, pageNumber: Int, pageCount: Int) -> String {
        guard text.contains("{{") else { return text }
        var result = text
        for (name, value) in [("$$PageNumber", "\(pageNumber)"), ("$$PageCount", "\(pageCount)"), ("$$NewLine", "\n")] {
            result = result.replacingOccurrences(of: "{{\(name)}}", with: value, options: .caseInsensitive)
        }
        return result
    }
}
