// SPDX-License-Identifier: AGPL-3.0-or-later

/// A table found from the lines drawn around its cells: a grid of row and column edges, and the
/// cells on it (a merged cell spans several grid positions).
package struct RuledTable: Sendable, Equatable {
    package struct Cell: Sendable, Equatable {
        package var row: Int
        package var column: Int
        package var rowSpan: Int
        package var columnSpan: Int
        package var box: Box
    }

    package var box: Box
    /// Row edges top to bottom (one more than the rows).
    package var rowEdges: [Double]
    /// Column edges left to right (one more than the columns).
    package var columnEdges: [Double]
    package var cells: [Cell]
    /// For each grid position (`row * columnCount + column`), the index in `cells` of the cell
    /// covering it: a point's cell is found without a scan (a table may have 250 000 cells).
    package var cellIndex: [Int]

    package var rowCount: Int { rowEdges.count - 1 }
    package var columnCount: Int { columnEdges.count - 1 }

    /// The cell whose box holds the point (edges included; on a shared edge, the upper or left one).
    package func cell(atX x: Double, y: Double) -> Cell? {
        guard box.contains(x: x, y: y) else { return nil }
        return cells[cellIndex[Self.slot(of: y, in: rowEdges) * columnCount + Self.slot(of: x, in: columnEdges)]]
    }

    /// The index of the last edge below `value` (0 at the first edge), at most the last slot.
    static func slot(of value: Double, in edges: [Double]) -> Int {
        min(max(0, edges.partitioningIndex { $0 >= value } - 1), edges.count - 2)
    }
}

/// Finds ruled tables: rulings are joined into lines, lines that cross form a component, and a
/// component with at least two lines each way is a grid whose missing inner edges merge cells.
package enum RuledTables {
    /// Ends closer than this (points) meet; lines closer than this are one line.
    static let tolerance = 2.0
    /// More lines than this on a page (after joining) are not read as tables: the search is
    /// quadratic in the worst case and no real table has them.
    static let maxLines = 20_000
    /// More crossings than this on a page are not read as tables either: finding them costs one
    /// step per crossing (a page of 7 000 × 7 000 lines has 49 million), while the largest table
    /// read (`maxCells`) has about 250 000.
    static let maxCrossings = 1_000_000
    /// Grid positions a table may have at most.
    static let maxCells = 250_000

    package static func find(in page: PageContent) -> [RuledTable] {
        let horizontal = join(page.rulings.filter(\.isHorizontal).map { Line(at: $0.box.midY, from: $0.box.x0, to: $0.box.x1) })
        let vertical = join(page.rulings.filter { !$0.isHorizontal }.map { Line(at: $0.box.midX, from: $0.box.y0, to: $0.box.y1) })
        guard horizontal.count >= 2, vertical.count >= 2, horizontal.count + vertical.count <= maxLines else { return [] }
        guard let components = components(horizontal, vertical) else { return [] }
        return components.compactMap { table(horizontal: $0.0, vertical: $0.1) }
            .sorted { ($0.box.y0, $0.box.x0) < ($1.box.y0, $1.box.x0) }
    }

    /// A horizontal line at y = `at` from x `from` to `to`, or a vertical one with x and y swapped.
    struct Line: Equatable {
        var at: Double
        var from: Double
        var to: Double
    }

    /// Collinear lines that overlap or touch, joined.
    static func join(_ lines: [Line]) -> [Line] {
        var joined: [Line] = []
        var group: [Line] = []
        func flush() {
            var merged: [Line] = []
            for line in group.sorted(by: { $0.from < $1.from }) {
                if var last = merged.last, line.from <= last.to + tolerance {
                    last.to = max(last.to, line.to)
                    last.at = (last.at + line.at) / 2
                    merged[merged.count - 1] = last
                } else {
                    merged.append(line)
                }
            }
            joined += merged
            group.removeAll()
        }
        for line in lines.sorted(by: { $0.at < $1.at }) {
            if let first = group.first, line.at - first.at > tolerance { flush() }
            group.append(line)
        }
        flush()
        return joined
    }

    /// Groups of crossing lines; nil when the lines cross more than `maxCrossings` times.
    static func components(_ horizontal: [Line], _ vertical: [Line]) -> [([Line], [Line])]? {
        var parent = Array(0..<(horizontal.count + vertical.count))
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        let byX = vertical.indices.sorted { vertical[$0].at < vertical[$1].at }
        var crossings = 0
        for (h, line) in horizontal.enumerated() {
            var index = byX.partitioningIndex { vertical[$0].at >= line.from - tolerance }
            while index < byX.count, vertical[byX[index]].at <= line.to + tolerance {
                let v = vertical[byX[index]]
                if line.at >= v.from - tolerance && line.at <= v.to + tolerance {
                    crossings += 1
                    if crossings > maxCrossings { return nil }
                    parent[root(h)] = root(horizontal.count + byX[index])
                }
                index += 1
            }
        }
        var groups: [Int: ([Line], [Line])] = [:]
        for (h, line) in horizontal.enumerated() { groups[root(h), default: ([], [])].0.append(line) }
        for (v, line) in vertical.enumerated() { groups[root(horizontal.count + v), default: ([], [])].1.append(line) }
        return groups.values.filter { $0.0.count >= 2 && $0.1.count >= 2 }
    }

    /// Values closer than `tolerance` merged into their mean, ascending.
    static func edges(_ values: [Double]) -> [Double] {
        var clusters: [[Double]] = []
        for value in values.sorted() {
            if let last = clusters.last?.last, value - last <= tolerance {
                clusters[clusters.count - 1].append(value)
            } else {
                clusters.append([value])
            }
        }
        return clusters.map { $0.reduce(0, +) / Double($0.count) }
    }

    static func table(horizontal: [Line], vertical: [Line]) -> RuledTable? {
        // Lines running past the outermost crossing lines (open sides) add an edge at their ends.
        let xs = edges(vertical.map(\.at) + [horizontal.map(\.from).min()!, horizontal.map(\.to).max()!])
        let ys = edges(horizontal.map(\.at) + [vertical.map(\.from).min()!, vertical.map(\.to).max()!])
        let rows = ys.count - 1
        let columns = xs.count - 1
        guard rows >= 1, columns >= 1, rows * columns >= 2, rows * columns <= maxCells else { return nil }

        // The lines on each edge, found once: asking every cell's edges of all lines is quadratic.
        let verticalsAt = xs.map { x in vertical.filter { abs($0.at - x) <= tolerance } }
        let horizontalsAt = ys.map { y in horizontal.filter { abs($0.at - y) <= tolerance } }
        func hasVertical(at edge: Int, y: Double) -> Bool {
            verticalsAt[edge].contains { $0.from - tolerance <= y && $0.to + tolerance >= y }
        }
        func hasHorizontal(at edge: Int, x: Double) -> Bool {
            horizontalsAt[edge].contains { $0.from - tolerance <= x && $0.to + tolerance >= x }
        }
        var parent = Array(0..<(rows * columns))
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        for row in 0..<rows {
            let midY = (ys[row] + ys[row + 1]) / 2
            for column in 0..<columns {
                let midX = (xs[column] + xs[column + 1]) / 2
                let here = row * columns + column
                if column + 1 < columns, !hasVertical(at: column + 1, y: midY) { parent[root(here)] = root(here + 1) }
                if row + 1 < rows, !hasHorizontal(at: row + 1, x: midX) { parent[root(here)] = root(here + columns) }
            }
        }
        var spans: [Int: (minRow: Int, maxRow: Int, minColumn: Int, maxColumn: Int)] = [:]
        for row in 0..<rows {
            for column in 0..<columns {
                let key = root(row * columns + column)
                let span = spans[key] ?? (row, row, column, column)
                spans[key] = (min(span.minRow, row), max(span.maxRow, row), min(span.minColumn, column), max(span.maxColumn, column))
            }
        }
        let cells = spans.values.map { span in
            RuledTable.Cell(
                row: span.minRow, column: span.minColumn, rowSpan: span.maxRow - span.minRow + 1,
                columnSpan: span.maxColumn - span.minColumn + 1,
                box: Box(x0: xs[span.minColumn], y0: ys[span.minRow], x1: xs[span.maxColumn + 1], y1: ys[span.maxRow + 1]))
        }.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
        // One cell covering the whole grid is a frame, not a table.
        guard cells.count >= 2 else { return nil }
        var cellIndex = [Int](repeating: 0, count: rows * columns)
        for (index, cell) in cells.enumerated() {
            for row in cell.row..<(cell.row + cell.rowSpan) {
                for column in cell.column..<(cell.column + cell.columnSpan) { cellIndex[row * columns + column] = index }
            }
        }
        return RuledTable(
            box: Box(x0: xs.first!, y0: ys.first!, x1: xs.last!, y1: ys.last!), rowEdges: ys, columnEdges: xs, cells: cells,
            cellIndex: cellIndex)
    }
}
