// SPDX-License-Identifier: AGPL-3.0-or-later

/// A page laid out as PDF.co lays it for JSON, CSV and XML: rows of the same number of columns,
/// each cell empty or holding one phrase. Columns come from the page's ruled tables and from
/// the gaps that rows of several phrases leave open (whitespace alignment).
package struct PageGrid: Sendable, Equatable {
    package var width: Double
    package var height: Double
    /// Left edge of each column (the first is the page's left side).
    package var columnStarts: [Double]
    package var rows: [[TextRun?]]

    package var columnCount: Int { columnStarts.count }
}

/// How rows are grouped: PDF.co's `lineGrouping` and `unwrap`.
package struct GridGrouping: Sendable, Equatable {
    /// Join a row's continuation lines (a cell's wrapped text) into the row above.
    package var unwrap = false

    package init(unwrap: Bool = false) { self.unwrap = unwrap }
}

package enum PageGrids {
    /// Of the rows with several phrases, at most this share may cross a gap that is still taken as
    /// a column edge, so that one heading spanning two columns does not join them.
    static let spanningShare = 0.1
    /// Column histogram bins per page at most (a 14 400 pt page gets coarser bins).
    static let maxBins = 20_000

    package static func make(_ page: PageContent, grouping: GridGrouping = GridGrouping()) -> PageGrid {
        let tables = RuledTables.find(in: page)
        let textRows = TextRows.rows(of: page)
        let starts = columnStarts(textRows, tables: tables, width: page.width)
        var rows: [[TextRun?]] = textRows.map { row in
            var cells = [TextRun?](repeating: nil, count: starts.count)
            for phrase in row.phrases {
                let column = column(of: phrase, in: starts, tables: tables)
                if cells[column] == nil { cells[column] = phrase } else { cells[column]!.append(phrase) }
            }
            return cells
        }
        var bands = textRows.map { band(of: $0, in: tables) }
        if grouping.unwrap { unwrap(&rows, bands: &bands, textRows: textRows) }
        // Drop columns no row uses.
        let used = starts.indices.filter { column in rows.contains { $0[column] != nil } }
        return PageGrid(
            width: page.width, height: page.height, columnStarts: used.map { starts[$0] },
            rows: rows.map { row in used.map { row[$0] } })
    }

    /// Inside a ruled table, the column of the cell holding the phrase; elsewhere the column its
    /// left edge falls in (a centred heading does not start a column of its own).
    static func column(of phrase: TextRun, in starts: [Double], tables: [RuledTable]) -> Int {
        for table in tables where table.box.containsCentre(of: phrase.box) {
            guard let cell = table.cell(atX: phrase.box.midX, y: phrase.box.midY) else { break }
            return column(of: cell.box.x0, in: starts)
        }
        return column(of: phrase.box.x0, in: starts)
    }

    /// The column whose start is the last at or left of `x`.
    static func column(of x: Double, in starts: [Double]) -> Int {
        max(0, starts.partitioningIndex { $0 > x + 0.5 } - 1)
    }

    /// Column starts: the page's left side, every ruled table's column edges, and the middle of
    /// each gap that (almost) no row of several phrases crosses.
    static func columnStarts(_ rows: [TextRow], tables: [RuledTable], width: Double) -> [Double] {
        var starts: [Double] = [-Double.infinity]
        for table in tables { starts += table.columnEdges.dropLast() }
        // Ruled tables have their columns: their phrases do not vote.
        let multi = rows.map { row in
            TextRow(
                phrases: row.phrases.filter { phrase in !tables.contains { $0.box.containsCentre(of: phrase.box) } }, box: row.box,
                baseline: row.baseline)
        }.filter { $0.phrases.count >= 2 }
        if !multi.isEmpty, width > 0 {
            let scale = max(1, width / Double(maxBins))
            let bins = Int((width / scale).rounded(.up)) + 1
            var coverage = [Int](repeating: 0, count: bins)
            for row in multi {
                for phrase in row.phrases {
                    let from = max(0, min(bins - 1, Int(phrase.box.x0 / scale)))
                    let to = max(0, min(bins - 1, Int(phrase.box.x1 / scale)))
                    if from <= to { for bin in from...to { coverage[bin] += 1 } }
                }
            }
            let threshold = Int(Double(multi.count) * spanningShare)
            var bin = 0
            var seenCovered = false
            while bin < bins {
                if coverage[bin] > threshold {
                    seenCovered = true
                    bin += 1
                    continue
                }
                let gapStart = bin
                while bin < bins, coverage[bin] <= threshold { bin += 1 }
                if seenCovered, bin < bins { starts.append(Double(gapStart + bin) / 2 * scale) }
            }
        }
        return ReadingOrder.deduplicated(starts.sorted(), tolerance: 1)
    }

    /// Which ruled table row (table, row) a text row sits in, if any.
    static func band(of row: TextRow, in tables: [RuledTable]) -> (Int, Int)? {
        for (index, table) in tables.enumerated() where table.box.containsCentre(of: row.box) {
            // The last row edge at or above the row's middle (edges ascend): a binary search, as a
            // hostile table may have a quarter of a million rows.
            let below = table.rowEdges.partitioningIndex { $0 > row.box.midY }
            return (index, min(max(0, below - 1), table.rowCount - 1))
        }
        return nil
    }

    /// How far (in line heights, baseline to baseline) a wrapped line may sit from its row.
    static let maxContinuationDistance = 3.5

    /// Joins each cell's wrapped lines into one row. In a ruled table: the lines of one table row.
    /// Elsewhere: a line that fills fewer columns than a nearby line and not that line's first
    /// column joins the nearest such line (above when equally near): a wrapped description below
    /// its row, or around it when the row is centred vertically.
    static func unwrap(_ rows: inout [[TextRun?]], bands: inout [(Int, Int)?], textRows: [TextRow]) {
        let filled = rows.map { row in row.indices.filter { row[$0] != nil } }
        var target = Array(rows.indices)
        var firstLineOfBand: [Int: Int] = [:]
        for index in rows.indices {
            if let (table, row) = bands[index] {
                // The first line of the same table row (keyed as one number: tables × rows is bounded).
                let key = table << 32 | row
                if let first = firstLineOfBand[key] { target[index] = first } else { firstLineOfBand[key] = index }
                continue
            }
            guard let first = filled[index].first else { continue }
            func owner(in candidates: some Sequence<Int>) -> (Int, Double)? {
                for other in candidates {
                    guard bands[other] == nil else { return nil }
                    let height = max(textRows[other].box.height, textRows[index].box.height, 1)
                    let distance = abs(textRows[other].baseline - textRows[index].baseline) / height
                    guard distance <= maxContinuationDistance else { return nil }
                    if let otherFirst = filled[other].first, filled[other].count > filled[index].count, otherFirst < first,
                        !filled[index].contains(otherFirst)
                    {
                        return (other, distance)
                    }
                }
                return nil
            }
            let above = owner(in: stride(from: index - 1, through: max(0, index - 4), by: -1))
            let below = owner(in: (index + 1)..<min(rows.count, index + 5))
            switch (above, below) {
            case (let above?, let below?):
                if abs(below.1 - above.1) > 0.15 {
                    target[index] = below.1 < above.1 ? below.0 : above.0
                } else {
                    // Equally near: the line goes with the row below when that row's text in the
                    // same column carries on from it (starts in lower case), as in a cell centred
                    // vertically; else with the row above (a cell aligned to its top).
                    let carriesOn = filled[index].contains { column in
                        rows[below.0][column]?.text.first.map { $0.isLowercase } ?? false
                    }
                    target[index] = carriesOn ? below.0 : above.0
                }
            case (let above?, nil): target[index] = above.0
            case (nil, let below?): target[index] = below.0
            case (nil, nil): break
            }
        }
        // Rows joined in page order, each group where its owner stands.
        var merged: [[TextRun?]] = []
        var mergedBands: [(Int, Int)?] = []
        var slot: [Int: Int] = [:]
        for index in rows.indices where target[index] == index {
            slot[index] = merged.count
            merged.append([TextRun?](repeating: nil, count: rows[index].count))
            mergedBands.append(bands[index])
        }
        for index in rows.indices {
            var owner = target[index]
            while target[owner] != owner { owner = target[owner] }
            let at = slot[owner]!
            for column in rows[index].indices {
                guard let cell = rows[index][column] else { continue }
                if merged[at][column] == nil { merged[at][column] = cell } else { merged[at][column]!.append(cell) }
            }
        }
        rows = merged
        bands = mergedBands
    }
}

enum ReadingOrder {
    /// Sorted values with those within `tolerance` of the previous kept one dropped.
    static func deduplicated(_ sorted: [Double], tolerance: Double) -> [Double] {
        var kept: [Double] = []
        for value in sorted where kept.last.map({ value - $0 > tolerance }) ?? true { kept.append(value) }
        return kept
    }
}
