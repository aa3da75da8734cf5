// SPDX-License-Identifier: AGPL-3.0-or-later

/// Rebuilds one page's plain text with its physical layout, like `pdftotext -layout`: lines that
/// share a baseline form one row, and characters sit in fixed-width columns by their x position.
/// Pure: it knows nothing of MuPDF, so it is tested with hand-built glyphs.
package enum LayoutText {
    /// One character as a text engine placed it. Points, origin top-left, y grows downwards.
    package struct Glyph: Sendable, Equatable {
        package var scalar: Unicode.Scalar
        /// Left end of the glyph on its baseline.
        package var x: Double
        package var baseline: Double
        /// Right edge: `x` plus the advance width.
        package var maxX: Double
        package var fontSize: Double
        /// The engine's line on the page: glyphs that it set on one baseline, in reading order.
        package var line: Int
        /// The engine's block (paragraph or column cell) on the page.
        package var block: Int

        package init(
            scalar: Unicode.Scalar, x: Double, baseline: Double, maxX: Double, fontSize: Double,
            line: Int, block: Int
        ) {
            self.scalar = scalar
            self.x = x
            self.baseline = baseline
            self.maxX = maxX
            self.fontSize = fontSize
            self.line = line
            self.block = block
        }
    }

    /// At most this many blank lines stand for one vertical gap, however tall.
    package static let maxBlankLines = 2
    /// No glyph is moved right of this column to reach its x: a page with a tiny font or a huge
    /// media box must not turn into megabytes of spaces.
    package static let maxColumn = 2000
    /// A horizontal gap wider than this (in ems) separates words. MuPDF uses the same figure when
    /// it inserts spaces (`SPACE_DIST` in stext-device.c).
    static let wordGap = 0.15
    /// A gap wider than this (in ems) separates columns rather than words: the next glyph goes to
    /// the column of its x. Narrower gaps, the spaces of running text, print as exactly one space,
    /// as pdftotext does, so a large font does not spread its words apart.
    static let columnGap = 1.0
    /// Lines whose baselines differ by at most this (in ems of the larger font) share a row, so a
    /// superscript stays with its line while the next line (1.0 em or more below) does not.
    static let rowTolerance = 0.4
    /// A glyph repeated this close (in ems) to the same glyph is a fake-bold overprint and is
    /// dropped, as poppler's TextOutputDev does (`dupMaxPriDelta`, `dupMaxSecDelta`).
    static let duplicateDeltaX = 0.1
    static let duplicateDeltaY = 0.2

    /// The page's text: one `\n`-terminated string per row, trailing spaces trimmed, at most
    /// `maxBlankLines` blank lines for a vertical gap. An empty page gives "".
    package static func render(_ glyphs: [Glyph]) -> String {
        let segments = makeSegments(glyphs)
        guard !segments.isEmpty else { return "" }
        let rows = makeRows(segments)
        let metrics = PageMetrics(segments: segments, rows: rows)

        // UTF-8 bytes, made a String once: appending scalar by scalar to a String was a tenth of
        // a small text job's engine time.
        var output: [UInt8] = []
        output.reserveCapacity(glyphs.count * 2)
        var previousBaseline: Double?
        for row in rows {
            if let previousBaseline {
                let blanks = metrics.blankLines(between: previousBaseline, and: row.baseline)
                output.append(contentsOf: repeatElement(UInt8(ascii: "\n"), count: blanks))
            }
            for scalar in place(row, metrics: metrics) {
                if scalar.isASCII {
                    output.append(UInt8(truncatingIfNeeded: scalar.value))
                } else {
                    UTF8.encode(scalar) { output.append($0) }
                }
            }
            output.append(UInt8(ascii: "\n"))
            previousBaseline = row.baseline
        }
        return String(decoding: output, as: UTF8.self)
    }

    // MARK: - Segments and rows

    /// A printable glyph and whether the engine put whitespace right before it.
    private struct Placed {
        var glyph: Glyph
        var isAfterSpace: Bool
    }

    /// One engine line without its whitespace glyphs.
    private struct Segment {
        var line: Int
        var glyphs: [Placed] = []
        /// The first glyph's, which the others share within the engine's tolerance.
        var baseline = 0.0
        var fontSize = 0.0
        var minX = Double.infinity
        var maxX = -Double.infinity

        init(line: Int) {
            self.line = line
        }

        mutating func add(_ glyph: Glyph, isAfterSpace: Bool) {
            if glyphs.isEmpty { baseline = glyph.baseline }
            glyphs.append(Placed(glyph: glyph, isAfterSpace: isAfterSpace && !glyphs.isEmpty))
            fontSize = max(fontSize, glyph.fontSize)
            minX = min(minX, glyph.x)
            maxX = max(maxX, glyph.maxX)
        }
    }

    private struct Row {
        var segments: [Segment]
        var baseline: Double
        var fontSize: Double
    }

    private static func makeSegments(_ glyphs: [Glyph]) -> [Segment] {
        var segments: [Segment] = []
        var segmentOfLine: [Int: Int] = [:]
        var current = -1
        var sawSpace: [Bool] = []
        for glyph in glyphs {
            // A damaged or hostile file can put glyphs at infinity; they have no place on a grid.
            guard glyph.x.isFinite, glyph.maxX.isFinite, glyph.baseline.isFinite, glyph.fontSize.isFinite
            else { continue }
            // Engines emit a line's glyphs together, so the dictionary is only consulted when the
            // line changes.
            if current < 0 || segments[current].line != glyph.line {
                if let index = segmentOfLine[glyph.line] {
                    current = index
                } else {
                    current = segments.count
                    segmentOfLine[glyph.line] = current
                    segments.append(Segment(line: glyph.line))
                    sawSpace.append(false)
                }
            }
            // Whitespace carries no position we trust (engines synthesise it), only the fact that
            // a word ends there; gaps are measured between the printable glyphs.
            if isBlank(glyph.scalar) {
                sawSpace[current] = true
                continue
            }
            segments[current].add(glyph, isAfterSpace: sawSpace[current])
            sawSpace[current] = false
        }
        return segments.filter { !$0.glyphs.isEmpty }
    }

    private static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x80 ? scalar.value <= 0x20 || scalar.value == 0x7F : scalar.properties.isWhitespace
    }

    private static func makeRows(_ segments: [Segment]) -> [Row] {
        // Stable order: top to bottom, and engine order for equal baselines.
        let sorted = segments.enumerated().sorted {
            ($0.element.baseline, $0.offset) < ($1.element.baseline, $1.offset)
        }.map(\.element)
        var rows: [Row] = []
        for segment in sorted {
            if var row = rows.last,
                segment.baseline - row.baseline <= rowTolerance * max(segment.fontSize, row.fontSize)
            {
                row.segments.append(segment)
                row.fontSize = max(row.fontSize, segment.fontSize)
                rows[rows.count - 1] = row
            } else {
                rows.append(Row(segments: [segment], baseline: segment.baseline, fontSize: segment.fontSize))
            }
        }
        return rows
    }

    // MARK: - Placement

    /// Lays out one row. Glyphs of a word stay together, words of a phrase get one space, and a
    /// glyph after a column gap (or starting another engine line) goes to the column of its x,
    /// never over what is already printed.
    private static func place(_ row: Row, metrics: PageMetrics) -> [Unicode.Scalar] {
        var cells: [Unicode.Scalar] = []
        var previous: Glyph?
        var printed: [Glyph] = []
        var printedMaxX = -Double.infinity
        for segment in row.segments.sorted(by: { $0.minX < $1.minX }) {
            // Only a segment that overlaps what is printed can repeat it; checking just those
            // keeps the common case linear.
            let mayOverprint = segment.minX < printedMaxX
            for (offset, placed) in segment.glyphs.enumerated() {
                let glyph = placed.glyph
                if mayOverprint && isOverprint(glyph, of: printed) { continue }
                let target = metrics.column(of: glyph.x)
                let column: Int
                if let previous {
                    let gap = glyph.x - previous.maxX
                    let em = max(glyph.fontSize, previous.fontSize)
                    let isWordBreak = placed.isAfterSpace || gap > wordGap * em
                    if gap > columnGap * em || (offset == 0 && isWordBreak) {
                        column = max(target, cells.count + 1)
                    } else {
                        column = isWordBreak ? cells.count + 1 : cells.count
                    }
                } else {
                    column = target
                }
                cells.append(contentsOf: repeatElement(" ", count: column - cells.count))
                cells.append(glyph.scalar)
                previous = glyph
            }
            printed += segment.glyphs.lazy.map(\.glyph)
            printedMaxX = max(printedMaxX, segment.maxX)
        }
        while cells.last == " " { cells.removeLast() }
        return cells
    }

    private static func isOverprint(_ glyph: Glyph, of earlier: [Glyph]) -> Bool {
        earlier.contains {
            $0.scalar == glyph.scalar
                && abs($0.x - glyph.x) < duplicateDeltaX * glyph.fontSize
                && abs($0.baseline - glyph.baseline) < duplicateDeltaY * glyph.fontSize
        }
    }

    /// The page-wide grid: where column 0 is, how wide a column is, how tall a line is.
    private struct PageMetrics {
        var originX: Double
        var cellWidth: Double
        var linePitch: Double

        init(segments: [Segment], rows: [Row]) {
            let glyphs = sample(segments)
            originX = segments.map(\.minX).min() ?? 0
            // At least 1 pt, so that text drawn at size 0 still gives a usable grid.
            let fontSize = max(median(glyphs.map(\.fontSize)) ?? 10, 1)
            // The median advance is the width of a typical letter, which keeps a column of
            // figures or a table cell at one column whatever the font. Bounded so that a page of
            // narrow glyphs ("iiii", digits in a condensed face) does not spread out too far.
            let advance = median(glyphs.map { $0.maxX - $0.x }.filter { $0 > 0 }) ?? fontSize * 0.5
            cellWidth = min(max(advance, fontSize * 0.4), fontSize * 0.7)
            // The typical distance between rows, within one to 1.6 ems, is what one line costs.
            let steps = zip(rows, rows.dropFirst()).map { $1.baseline - $0.baseline }.filter { $0 > 0 }
            let step = median(steps) ?? fontSize * 1.2
            linePitch = min(max(step, fontSize), fontSize * 1.6)
        }

        // Both clamp before converting: Int(_:) traps on values beyond its range.
        func column(of x: Double) -> Int {
            Int(min(max(((x - originX) / cellWidth).rounded(), 0), Double(LayoutText.maxColumn)))
        }

        func blankLines(between upper: Double, and lower: Double) -> Int {
            let lines = ((lower - upper) / linePitch).rounded() - 1
            return Int(min(max(lines, 0), Double(LayoutText.maxBlankLines)))
        }
    }

    /// Up to `sampleSize` glyphs spread evenly over the page: enough for medians, and it saves
    /// sorting every glyph of a dense page.
    private static func sample(_ segments: [Segment]) -> [Glyph] {
        let sampleSize = 512
        let total = segments.reduce(0) { $0 + $1.glyphs.count }
        let stride = max(total / sampleSize, 1)
        var sample: [Glyph] = []
        sample.reserveCapacity(min(total, sampleSize + 1))
        var index = 0
        for segment in segments {
            for placed in segment.glyphs {
                if index % stride == 0 { sample.append(placed.glyph) }
                index += 1
            }
        }
        return sample
    }

    /// The lower median, so that on a short page two normal line steps outweigh one paragraph gap.
    private static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[(sorted.count - 1) / 2]
    }
}
