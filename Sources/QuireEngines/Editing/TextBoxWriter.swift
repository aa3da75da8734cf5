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

    func write() throws(EngineError) {
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
            var line = ""
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                let candidate = line.isEmpty ? String(word) : line + " " + word
                if try editor.width(of: candidate, style: style) <= width || line.isEmpty && word.isEmpty {
                    line = candidate
                    continue
                }
                if !line.isEmpty { lines.append(line) }
                line = String(word)
                // A word wider than the box is broken between characters.
                while line.count > 1, try editor.width(of: line, style: style) > width {
                    var head = ""
                    for character in line {
                        if !head.isEmpty, try editor.width(of: head + String(character), style: style) > width { break }
                        head.append(character)
                    }
                    lines.append(head)
                    line = String(line.dropFirst(head.count))
                }
            }
            lines.append(line)
        }
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
