// SPDX-License-Identifier: AGPL-3.0-or-later

/// A table located on a page, for `/pdf/find/table`: its box and the left edge of each column.
package struct FoundTable: Sendable, Equatable {
    package var box: Box
    package var columnStarts: [Double]
    /// Whether lines are drawn around its cells (else it was found from whitespace alignment).
    package var isRuled: Bool
}

/// Finds tables: ruled ones from their lines, then unruled ones from runs of rows whose phrases
/// line up in at least two columns. Running text in two columns is not a table: its phrases are
/// long lines of words.
package enum TableFinder {
    /// Rows of several phrases a whitespace table needs at least.
    static let minRows = 2
    /// Phrases of more words than this on average are prose, not cells.
    static let maxWordsPerCell = 6.0
    /// A vertical gap larger than this many row heights ends a table.
    static let maxRowGap = 1.8

    package static func find(in page: PageContent) -> [FoundTable] {
        let rows = TextRows.rows(of: page)
        let ruled = RuledTables.find(in: page).filter { table in rows.contains { table.box.containsCentre(of: $0.box) } }
        var found = ruled.map { FoundTable(box: $0.box, columnStarts: Array($0.columnEdges.dropLast()), isRuled: true) }
        let free = rows.filter { row in !ruled.contains { $0.box.containsCentre(of: row.box) } }
        for block in textColumns(free).flatMap(blocks) {
            let starts = PageGrids.columnStarts(block, tables: [], width: page.width).dropFirst()
            let box = block.dropFirst().reduce(block[0].box) { $0.union($1.box) }
            let columns = [box.x0] + starts.filter { $0 > box.x0 && $0 < box.x1 }
            guard columns.count >= 2 else { continue }
            found.append(FoundTable(box: box, columnStarts: columns, isRuled: false))
        }
        return found.sorted { ($0.box.y0, $0.box.x0) < ($1.box.y0, $1.box.x0) }
    }

    /// A gutter between columns of running text is at least this wide (points).
    static let minGutter = 8.0

    /// The rows of each column of running text: a page set in two columns is cut at the widest
    /// gap that no phrase crosses and that has prose on both sides, so that a table inside one
    /// column is not mixed with the other column's lines. A page without one stays whole.
    static func textColumns(_ rows: [TextRow]) -> [[TextRow]] {
        let phrases = rows.flatMap(\.phrases).sorted { $0.box.x0 < $1.box.x0 }
        guard phrases.count >= 4 else { return [rows] }
        var gaps: [(from: Double, to: Double)] = []
        var reach = phrases[0].box.x1
        for phrase in phrases.dropFirst() {
            if phrase.box.x0 - reach >= minGutter { gaps.append((reach, phrase.box.x0)) }
            reach = max(reach, phrase.box.x1)
        }
        func side(_ keep: (TextRun) -> Bool) -> [TextRow] {
            rows.compactMap { row in
                let kept = row.phrases.filter(keep)
                guard let first = kept.first else { return nil }
                return TextRow(phrases: kept, box: kept.dropFirst().reduce(first.box) { $0.union($1.box) }, baseline: row.baseline)
            }
        }
        for gap in gaps.sorted(by: { $0.to - $0.from > $1.to - $1.from }) {
            let left = side { $0.box.x1 <= gap.from }
            let right = side { $0.box.x0 >= gap.to }
            if left.contains(where: isProse), right.contains(where: isProse) { return [left, right] }
        }
        return [rows]
    }

    /// Single-phrase rows (wrapped cells) a table may hold between two rows of several phrases.
    static let maxSingleRowsInside = 4

    /// Runs of close rows with several phrases; up to `maxSingleRowsInside` single-phrase rows
    /// between two of them (a wrapped cell) stay in the run; prose rows end it.
    static func blocks(_ rows: [TextRow]) -> [[TextRow]] {
        var blocks: [[TextRow]] = []
        var current = Block()
        func close() {
            if current.isTable { blocks.append(current.rows) }
            current = Block()
        }
        for row in rows {
            if let last = current.last {
                let height = max(last.box.height, row.box.height, 1)
                if row.box.y0 - last.box.y1 > maxRowGap * height || current.breaksPitch(row) { close() }
            }
            // A long line inside one column of the table is a wrapped cell, not running text.
            let insideOneColumn = !current.rows.isEmpty && row.phrases.count == 1 && current.straddles(row) == 0
            if isProse(row) && !insideOneColumn {
                close()
            } else if row.phrases.count >= 2 {
                if current.straddles(row) >= 2 || current.outgrows(row) { close() }
                current.append(row)
            } else if !current.rows.isEmpty, current.pending.count < maxSingleRowsInside {
                current.appendPending(row)  // kept only if a row of several phrases follows
            } else {
                close()
            }
        }
        close()
        return blocks
    }

    /// A baseline step this many times the block's usual one ends it: the blank line and heading
    /// between two tables, where wrapped cells only vary the step a little.
    static let maxPitchRatio = 2.2

    /// A table being gathered row by row. What the checks of the next row need (baseline steps,
    /// column extents, widest row) is kept up to date as rows join, instead of a pass over all
    /// the block's rows for each new row (quadratic in a hostile page's thousands of rows).
    struct Block {
        /// Rows taken so far.
        private(set) var rows: [TextRow] = []
        /// Single-phrase rows after them, kept only if a row of several phrases follows.
        private(set) var pending: [TextRow] = []
        /// Baseline steps between consecutive rows of `rows` and `pending`, ascending.
        private var pitches: [Double] = []
        /// The x extents of the phrases of the rows of several phrases, merged where they touch.
        private var columns: [(from: Double, to: Double)] = []
        private var multiRows = 0
        private var widestRow = 0
        private var phrases = 0
        private var words = 0

        var last: TextRow? { pending.last ?? rows.last }

        /// Whether the rows make a table: enough rows of several phrases, short cells.
        var isTable: Bool { multiRows >= minRows && Double(words) / Double(max(phrases, 1)) <= maxWordsPerCell }

        mutating func appendPending(_ row: TextRow) {
            addPitch(to: row)
            pending.append(row)
        }

        /// Takes `row` (of several phrases) and the pending rows before it.
        mutating func append(_ row: TextRow) {
            addPitch(to: row)
            rows += pending
            pending.removeAll()
            rows.append(row)
            multiRows += 1
            widestRow = max(widestRow, row.phrases.count)
            phrases += row.phrases.count
            for phrase in row.phrases {
                words += wordCount(phrase)
                addColumn(from: phrase.box.x0, to: phrase.box.x1)
            }
        }

        /// Whether `row` is further below than `maxPitchRatio` times the usual baseline step.
        func breaksPitch(_ row: TextRow) -> Bool {
            guard pitches.count >= 2, let last else { return false }
            let usual = pitches[pitches.count / 2]
            return usual > 0 && row.baseline - last.baseline > maxPitchRatio * usual
        }

        /// How many of `row`'s phrases cross a gap between the block's columns: a row of another
        /// table (a heading spanning columns crosses one).
        func straddles(_ row: TextRow) -> Int {
            guard multiRows >= 2 else { return 0 }
            return row.phrases.filter { phrase in
                columns.filter { $0.from < phrase.box.x1 - 0.5 && $0.to > phrase.box.x0 + 0.5 }.count >= 2
            }.count
        }

        /// Whether `row` has at least two phrases more than any row of an established block: the
        /// header of a wider table that follows without a gap.
        func outgrows(_ row: TextRow) -> Bool {
            multiRows >= 3 && row.phrases.count >= widestRow + 2
        }

        private mutating func addPitch(to row: TextRow) {
            guard let last else { return }
            let pitch = row.baseline - last.baseline
            pitches.insert(pitch, at: pitches.partitioningIndex { $0 > pitch })
        }

        /// Merges [from, to] into `columns` (closed intervals: touching ones join).
        private mutating func addColumn(from: Double, to: Double) {
            let first = columns.partitioningIndex { $0.to >= from }
            var end = first
            var merged = (from: from, to: to)
            while end < columns.count, columns[end].from <= merged.to {
                merged = (min(merged.from, columns[end].from), max(merged.to, columns[end].to))
                end += 1
            }
            columns.replaceSubrange(first..<end, with: [merged])
        }
    }

    /// A line of running text: one or two long phrases (two columns of text), or a very long one.
    static func isProse(_ row: TextRow) -> Bool {
        let longest = row.phrases.map(wordCount).max() ?? 0
        return (row.phrases.count <= 2 && longest >= 6) || longest >= 10
    }

    static func wordCount(_ phrase: TextRun) -> Int { phrase.text.split(separator: " ").count }
}
