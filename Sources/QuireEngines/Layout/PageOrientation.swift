// SPDX-License-Identifier: AGPL-3.0-or-later

/// A page turned so that most of its text reads left to right: a landscape table printed
/// sideways, or a page with /Rotate, is analysed upright. Maps boxes between the page as shown
/// and the upright frame.
package struct PageOrientation: Sendable, Equatable {
    /// The quarter turn of the text on the page as shown (0, 90, 180 or 270).
    package var rotation: Int
    /// The page's size as shown.
    package var width: Double
    package var height: Double

    package init(rotation: Int, width: Double, height: Double) {
        self.rotation = rotation
        self.width = width
        self.height = height
    }

    /// The point as shown → upright.
    func upright(x: Double, y: Double) -> (Double, Double) {
        switch rotation {
        case 90: (y, width - x)
        case 180: (width - x, height - y)
        case 270: (height - y, x)
        default: (x, y)
        }
    }

    /// The upright point → as shown.
    func shown(x: Double, y: Double) -> (Double, Double) {
        switch rotation {
        case 90: (width - y, x)
        case 180: (width - x, height - y)
        case 270: (y, height - x)
        default: (x, y)
        }
    }

    package func upright(_ box: Box) -> Box { map(box, upright) }
    package func shown(_ box: Box) -> Box { map(box, shown) }

    private func map(_ box: Box, _ point: (Double, Double) -> (Double, Double)) -> Box {
        let (ax, ay) = point(box.x0, box.y0)
        let (bx, by) = point(box.x1, box.y1)
        return Box(x0: min(ax, bx), y0: min(ay, by), x1: max(ax, bx), y1: max(ay, by))
    }
}

extension PageContent {
    /// The quarter turn most characters run at (0 when the page has none).
    package var dominantRotation: Int {
        var counts: [Int: Int] = [:]
        for char in chars { if let rotation = char.rotation { counts[rotation, default: 0] += 1 } }
        return counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? 0
    }

    /// The page turned so that its dominant text reads left to right, and how it was turned.
    package func upright() -> (PageContent, PageOrientation) {
        let orientation = PageOrientation(rotation: dominantRotation, width: width, height: height)
        guard orientation.rotation != 0 else { return (self, orientation) }
        var turned = self
        if orientation.rotation != 180 { (turned.width, turned.height) = (height, width) }
        turned.chars = chars.map { char in
            var char = char
            char.box = orientation.upright(char.box)
            let (originX, baseline) = orientation.upright(x: char.originX, y: char.baseline)
            (char.originX, char.baseline) = (originX, baseline)
            char.isHorizontal = char.rotation == orientation.rotation
            char.rotation = char.rotation.map { ($0 - orientation.rotation + 360) % 360 }
            return char
        }
        turned.rulings = rulings.map { Ruling(box: orientation.upright($0.box)) }
        return (turned, orientation)
    }
}
