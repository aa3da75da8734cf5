// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireEngines

/// Hand-built `PageContent` for the layout tests: Helvetica-like glyphs half an em wide, boxes
/// from 0.8 em above the baseline to 0.2 em below, origin top-left as MuPDF reports them.
struct LayoutPage {
    var width = 612.0
    var height = 792.0
    var chars: [PageContent.Char] = []
    var rulings: [PageContent.Ruling] = []
    private var nextLine = 0

    init(width: Double = 612, height: Double = 792) {
        self.width = width
        self.height = height
    }

    /// `text` as one engine line starting at `x` on `baseline`; spaces are glyphs, as PDFs print them.
    mutating func text(_ text: String, x: Double, baseline: Double, size: Double = 10, rotation: Int = 0) {
        let advance = size / 2
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            let left = x + Double(offset) * advance
            let box = Box(x0: left, y0: baseline - 0.8 * size, x1: left + advance, y1: baseline + 0.2 * size)
            chars.append(
                PageContent.Char(
                    scalar: scalar, box: box, baseline: baseline, size: size, line: nextLine, block: nextLine, font: 0,
                    isHorizontal: rotation == 0, rotation: rotation))
        }
        nextLine += 1
    }

    /// A horizontal ruling at `y` from `x0` to `x1` (half a point thick).
    mutating func horizontal(_ y: Double, _ x0: Double, _ x1: Double) {
        rulings.append(PageContent.Ruling(box: Box(x0: x0, y0: y - 0.25, x1: x1, y1: y + 0.25)))
    }

    /// A vertical ruling at `x` from `y0` to `y1`.
    mutating func vertical(_ x: Double, _ y0: Double, _ y1: Double) {
        rulings.append(PageContent.Ruling(box: Box(x0: x - 0.25, y0: y0, x1: x + 0.25, y1: y1)))
    }

    /// A full grid: every row and column edge drawn across the whole table.
    mutating func grid(columns xs: [Double], rows ys: [Double]) {
        for y in ys { horizontal(y, xs.first!, xs.last!) }
        for x in xs { vertical(x, ys.first!, ys.last!) }
    }

    var content: PageContent {
        PageContent(width: width, height: height, chars: chars, fonts: [PageContent.Font(name: "Helvetica")], rulings: rulings)
    }
}

extension PageGrid {
    /// Each row's cell texts, "" for an empty cell.
    var texts: [[String]] { rows.map { $0.map { $0?.text ?? "" } } }
}
