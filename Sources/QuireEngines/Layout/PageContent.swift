// SPDX-License-Identifier: AGPL-3.0-or-later

/// A rectangle on a page in points, origin top-left, y growing downwards (PDF.co's convention).
package struct Box: Sendable, Equatable, Codable {
    package var x0: Double
    package var y0: Double
    package var x1: Double
    package var y1: Double

    package init(x0: Double, y0: Double, x1: Double, y1: Double) {
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
    }

    /// PDF.co's `rect` form: left, top, width, height.
    package init(x: Double, y: Double, width: Double, height: Double) {
        self.init(x0: x, y0: y, x1: x + width, y1: y + height)
    }

    package var width: Double { x1 - x0 }
    package var height: Double { y1 - y0 }
    package var midX: Double { (x0 + x1) / 2 }
    package var midY: Double { (y0 + y1) / 2 }

    package func union(_ other: Box) -> Box {
        Box(x0: min(x0, other.x0), y0: min(y0, other.y0), x1: max(x1, other.x1), y1: max(y1, other.y1))
    }

    /// Whether the point lies inside, edges included.
    package func contains(x: Double, y: Double) -> Bool {
        x >= x0 && x <= x1 && y >= y0 && y <= y1
    }

    /// Whether `other`'s centre lies inside this box.
    package func containsCentre(of other: Box) -> Bool { contains(x: other.midX, y: other.midY) }
}

/// What layout analysis reads from one page: characters with fonts and boxes, and ruling lines.
package struct PageContent: Sendable {
    /// One character. `line` and `block` are the text engine's grouping, in reading order.
    package struct Char: Sendable, Equatable {
        package var scalar: Unicode.Scalar
        package var box: Box
        package var baseline: Double
        package var size: Double
        package var line: Int
        package var block: Int
        /// Index into `fonts`, or nil when unknown.
        package var font: Int?
        /// sRGB as 0xRRGGBB.
        package var color: UInt32
        /// Whether its line runs left to right (not rotated text).
        package var isHorizontal: Bool
        /// The quarter turn its line runs at: 0 left to right, 90 down the page, 180 right to
        /// left upside down, 270 up the page; nil for other angles.
        package var rotation: Int?
        /// Where the glyph's origin sits on its baseline (x).
        package var originX: Double

        package init(
            scalar: Unicode.Scalar, box: Box, baseline: Double, size: Double, line: Int, block: Int, font: Int? = nil,
            color: UInt32 = 0, isHorizontal: Bool = true, rotation: Int? = 0, originX: Double? = nil
        ) {
            self.scalar = scalar
            self.box = box
            self.baseline = baseline
            self.size = size
            self.line = line
            self.block = block
            self.font = font
            self.color = color
            self.isHorizontal = isHorizontal
            self.rotation = rotation
            self.originX = originX ?? box.x0
        }
    }

    package struct Font: Sendable, Equatable {
        /// Without the subset prefix ("ABCDEF+").
        package var name: String
        package var isBold: Bool
        package var isItalic: Bool

        package init(name: String, isBold: Bool = false, isItalic: Bool = false) {
            self.name = name
            self.isBold = isBold
            self.isItalic = isItalic
        }
    }

    /// A horizontal or vertical line drawn on the page.
    package struct Ruling: Sendable, Equatable {
        package var box: Box
        package var isHorizontal: Bool { box.height <= box.width }

        package init(box: Box) { self.box = box }
    }

    package var width: Double
    package var height: Double
    package var chars: [Char]
    package var fonts: [Font]
    package var rulings: [Ruling]
    /// Whether `chars` are OCR's words rather than the page's own text layer.
    package var isOCR = false

    package init(width: Double, height: Double, chars: [Char], fonts: [Font] = [], rulings: [Ruling] = []) {
        self.width = width
        self.height = height
        self.chars = chars
        self.fonts = fonts
        self.rulings = rulings
    }

    /// Only what lies in `area` (characters by their centre, rulings clipped to it).
    package func cropped(to area: Box) -> PageContent {
        var copy = self
        copy.chars = chars.filter { area.containsCentre(of: $0.box) }
        copy.rulings = rulings.compactMap { ruling in
            let b = ruling.box
            let clipped = Box(x0: max(b.x0, area.x0), y0: max(b.y0, area.y0), x1: min(b.x1, area.x1), y1: min(b.y1, area.y1))
            return clipped.x1 >= clipped.x0 && clipped.y1 >= clipped.y0 ? Ruling(box: clipped) : nil
        }
        return copy
    }
}
