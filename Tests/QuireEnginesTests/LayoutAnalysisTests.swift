import Testing

// SPDX-License-Identifier: AGPL-3.0-or-later
@testable import QuireEngines

/// Layout analysis on hand-built pages: phrases and rows, ruled tables, the page grid behind
/// JSON/CSV/XML, the table finder, and turning sideways pages upright.
@Suite struct LayoutAnalysisTests {
    // MARK: - TextRows

    /// Printed spaces of normal width stay inside a phrase; a run of spaces wider than an em splits it.
    @Test func phrasesSplitAtWideGapsOnly() {
        var page = LayoutPage()
        page.text("Apples and pears", x: 72, baseline: 100)
        page.text("Item      Qty", x: 72, baseline: 130)
        #expect(TextRows.phrases(of: page.content).map(\.text) == ["Apples and pears", "Item", "Qty"])
    }

    /// A vertical ruling between two touching characters is a cell edge.
    @Test func verticalRulingSplitsAPhrase() {
        var page = LayoutPage()
        page.text("AB", x: 100, baseline: 100)
        #expect(TextRows.phrases(of: page.content).map(\.text) == ["AB"])
        page.vertical(105, 80, 110)
        #expect(TextRows.phrases(of: page.content).map(\.text) == ["A", "B"])
    }

    /// Lines on (nearly) one baseline form one row, left to right whatever order they came in;
    /// a line an em lower is the next row.
    @Test func rowsByBaseline() {
        var page = LayoutPage()
        page.text("right", x: 300, baseline: 100)
        page.text("left", x: 72, baseline: 101.5)
        page.text("below", x: 72, baseline: 112)
        let rows = TextRows.rows(of: page.content)
        #expect(rows.map { $0.phrases.map(\.text) } == [["left", "right"], ["below"]])
    }

    // MARK: - RuledTables

    @Test func threeByThreeGrid() throws {
        var page = LayoutPage()
        page.grid(columns: [50, 150, 250, 350], rows: [100, 120, 140, 160])
        let tables = RuledTables.find(in: page.content)
        let table = try #require(tables.count == 1 ? tables.first : nil, "\(tables)")
        #expect(table.rowCount == 3 && table.columnCount == 3)
        #expect(table.cells.count == 9)
        #expect(table.cells.allSatisfy { $0.rowSpan == 1 && $0.columnSpan == 1 })
        #expect(abs(table.box.x0 - 50) < 0.5 && abs(table.box.x1 - 350) < 0.5)
        #expect(abs(table.box.y0 - 100) < 0.5 && abs(table.box.y1 - 160) < 0.5)
    }

    /// The inner edge at x = 150 is missing in the first row: its first two cells are one.
    @Test func missingInnerEdgeMergesCells() throws {
        var page = LayoutPage()
        for y in [100.0, 120, 140, 160] { page.horizontal(y, 50, 350) }
        page.vertical(50, 100, 160)
        page.vertical(150, 120, 160)
        page.vertical(250, 100, 160)
        page.vertical(350, 100, 160)
        let table = try #require(RuledTables.find(in: page.content).first)
        #expect(table.cells.count == 8)
        let merged = try #require(table.cells.first { $0.row == 0 && $0.column == 0 })
        #expect(merged.columnSpan == 2 && merged.rowSpan == 1)
        #expect(abs(merged.box.x1 - 250) < 0.5)
        #expect(table.cells.filter { $0.row == 1 }.count == 3)
    }

    /// A box drawn around a paragraph, or a lone underline, is not a table.
    @Test func frameAndUnderlineAreNotTables() {
        var frame = LayoutPage()
        frame.grid(columns: [50, 350], rows: [100, 160])
        #expect(RuledTables.find(in: frame.content).isEmpty)
        var underline = LayoutPage()
        underline.horizontal(100, 50, 350)
        #expect(RuledTables.find(in: underline.content).isEmpty)
    }

    /// A point's cell comes from the edges: a merged cell answers for every position it covers,
    /// a point on a shared edge belongs to the upper or left cell, a point outside to none.
    @Test func cellLookupByPoint() throws {
        var page = LayoutPage()
        for y in [100.0, 120, 140, 160] { page.horizontal(y, 50, 350) }
        page.vertical(50, 100, 160)
        page.vertical(150, 120, 160)
        page.vertical(250, 100, 160)
        page.vertical(350, 100, 160)
        let table = try #require(RuledTables.find(in: page.content).first)
        let merged = try #require(table.cells.first { $0.row == 0 && $0.column == 0 })
        #expect(table.cell(atX: 60, y: 110) == merged && table.cell(atX: 240, y: 110) == merged)
        #expect(table.cell(atX: 150, y: 130)?.column == 0)
        #expect(table.cell(atX: 200, y: 140)?.row == 1)
        #expect(table.cell(atX: 349, y: 159).map { ($0.row, $0.column) } ?? (-1, -1) == (2, 2))
        #expect(table.cell(atX: 351, y: 130) == nil && table.cell(atX: 100, y: 99) == nil)
        for cell in table.cells { #expect(table.cell(atX: cell.box.midX, y: cell.box.midY) == cell) }
    }

    /// Past a million crossings (here 1001 × 1001 lines) a page's lines are not read as tables,
    /// instead of being joined one crossing at a time.
    @Test func crossingsAreBounded() throws {
        func lines(_ count: Int) -> [RuledTables.Line] {
            (0..<count).map { RuledTables.Line(at: 10 + 3 * Double($0), from: 10, to: 10 + 3 * Double(count)) }
        }
        #expect(RuledTables.components(lines(1001), lines(1001)) == nil)
        #expect(try #require(RuledTables.components(lines(500), lines(500))).count == 1)
    }

    // MARK: - PageGrids

    /// A title above a whitespace table: every row has the table's three columns, the title in
    /// the first.
    @Test func everyRowHasTheSameColumns() {
        var page = LayoutPage()
        page.text("Quarterly report", x: 72, baseline: 80)
        for (index, row) in [("Apples", "12", "3.50"), ("Pears", "7", "2.25"), ("Plums", "150", "0.99")].enumerated() {
            let baseline = 110 + 14 * Double(index)
            page.text(row.0, x: 72, baseline: baseline)
            page.text(row.1, x: 250, baseline: baseline)
            page.text(row.2, x: 400, baseline: baseline)
        }
        let grid = PageGrids.make(page.content)
        #expect(grid.columnCount == 3)
        #expect(grid.rows.allSatisfy { $0.count == grid.columnCount })
        #expect(
            grid.texts == [
                ["Quarterly report", "", ""], ["Apples", "12", "3.50"], ["Pears", "7", "2.25"], ["Plums", "150", "0.99"],
            ])
    }

    /// A ruled table whose first row is one merged cell with a centred heading: the heading is in
    /// that cell's (first) column, not in the column its left edge happens to fall in.
    static func tableWithCentredHeading() -> LayoutPage {
        var page = LayoutPage()
        for y in [100.0, 120, 140, 160] { page.horizontal(y, 72, 432) }
        page.vertical(72, 100, 160)
        page.vertical(192, 120, 160)
        page.vertical(312, 120, 160)
        page.vertical(432, 100, 160)
        page.text("Fruit prices", x: 222, baseline: 114)
        page.text("Apples", x: 76, baseline: 134)
        page.text("12", x: 196, baseline: 134)
        page.text("3.50", x: 316, baseline: 134)
        page.text("Pears", x: 76, baseline: 154)
        page.text("7", x: 196, baseline: 154)
        page.text("2.25", x: 316, baseline: 154)
        return page
    }

    @Test func centredHeadingLandsInItsCellsColumn() {
        let grid = PageGrids.make(Self.tableWithCentredHeading().content)
        #expect(grid.texts == [["Fruit prices", "", ""], ["Apples", "12", "3.50"], ["Pears", "7", "2.25"]])
    }

    /// A cell whose text wraps onto a second line: two grid rows, or one with `unwrap`.
    @Test func unwrapJoinsAWrappedCell() {
        var page = LayoutPage()
        page.grid(columns: [72, 192, 312, 432], rows: [100, 130, 160])
        page.text("Item", x: 76, baseline: 112)
        page.text("Description", x: 196, baseline: 112)
        page.text("Price", x: 316, baseline: 112)
        page.text("Widget", x: 76, baseline: 142)
        page.text("A long", x: 196, baseline: 142)
        page.text("9.99", x: 316, baseline: 142)
        page.text("description", x: 196, baseline: 153)
        let wrapped = PageGrids.make(page.content)
        #expect(wrapped.texts == [["Item", "Description", "Price"], ["Widget", "A long", "9.99"], ["", "description", ""]])
        let unwrapped = PageGrids.make(page.content, grouping: GridGrouping(unwrap: true))
        #expect(unwrapped.texts == [["Item", "Description", "Price"], ["Widget", "A long description", "9.99"]])
    }

    // MARK: - TableFinder

    /// Ten lines of running text in two columns: no table.
    @Test func twoColumnProseIsNotATable() {
        var page = LayoutPage()
        for index in 0..<10 {
            let baseline = 100 + 14 * Double(index)
            page.text("the quick brown fox jumps over the lazy dog", x: 50, baseline: baseline)
            page.text("pack my box with five dozen liquor jugs now", x: 320, baseline: baseline)
        }
        #expect(TableFinder.find(in: page.content).isEmpty)
    }

    @Test func threeColumnWhitespaceTableIsFound() throws {
        var page = LayoutPage()
        page.text("Prices of the week, as agreed with every supplier in the region last month", x: 72, baseline: 60)
        for (index, row) in [("Fruit", "Qty", "Price"), ("Apples", "12", "3.50"), ("Pears", "7", "2.25"), ("Plums", "150", "0.99")]
            .enumerated()
        {
            let baseline = 100 + 14 * Double(index)
            page.text(row.0, x: 72, baseline: baseline)
            page.text(row.1, x: 250, baseline: baseline)
            page.text(row.2, x: 400, baseline: baseline)
        }
        let tables = TableFinder.find(in: page.content)
        let table = try #require(tables.count == 1 ? tables.first : nil, "\(tables)")
        #expect(!table.isRuled)
        #expect(table.columnStarts.count == 3)
        #expect(abs(table.box.x0 - 72) < 0.5 && abs(table.box.y0 - 92) < 0.5)
        #expect(abs(table.box.x1 - 425) < 0.5 && abs(table.box.y1 - 144) < 0.5)
        // The sentence above is not part of it.
        #expect(table.box.y0 > 62)
    }

    @Test func ruledTableIsFoundWithItsColumnEdges() throws {
        let tables = TableFinder.find(in: Self.tableWithCentredHeading().content)
        let table = try #require(tables.first)
        #expect(tables.count == 1)
        #expect(table.isRuled)
        #expect(zip(table.columnStarts, [72.0, 192, 312]).allSatisfy { abs($0 - $1) < 0.5 } && table.columnStarts.count == 3)
    }

    // MARK: - PageOrientation

    @Test(arguments: [90, 180, 270])
    func orientationRoundTrips(rotation: Int) {
        let orientation = PageOrientation(rotation: rotation, width: 612, height: 792)
        let box = Box(x0: 100, y0: 200, x1: 150, y1: 260)
        #expect(orientation.shown(orientation.upright(box)) == box)
        #expect(orientation.upright(orientation.shown(box)) == box)
        let (x, y) = orientation.upright(x: 30, y: 40)
        #expect(orientation.shown(x: x, y: y) == (30, 40))
    }

    /// A quarter turn clockwise: a point near the top-left corner of the page as shown is near
    /// the bottom-left of the upright (landscape) page.
    @Test func quarterTurnMapsCorners() {
        let orientation = PageOrientation(rotation: 90, width: 612, height: 792)
        #expect(orientation.upright(Box(x0: 100, y0: 200, x1: 150, y1: 260)) == Box(x0: 200, y0: 462, x1: 260, y1: 512))
    }

    /// A table printed sideways reads as the same table once the page is turned upright.
    @Test(arguments: [90, 180, 270])
    func sidewaysTableReadsUpright(rotation: Int) {
        let upright = LayoutPage(width: 792, height: 612)
        var table = upright
        for (index, row) in [("Apples", "12", "3.50"), ("Pears", "7", "2.25")].enumerated() {
            let baseline = 100 + 14 * Double(index)
            table.text(row.0, x: 72, baseline: baseline)
            table.text(row.1, x: 250, baseline: baseline)
            table.text(row.2, x: 400, baseline: baseline)
        }
        let straight = table.content
        let (width, height) = rotation == 180 ? (792.0, 612.0) : (612.0, 792.0)
        let orientation = PageOrientation(rotation: rotation, width: width, height: height)
        var turned = straight
        (turned.width, turned.height) = (width, height)
        turned.chars = straight.chars.map { char in
            var char = char
            char.box = orientation.shown(char.box)
            (char.originX, char.baseline) = orientation.shown(x: char.originX, y: char.baseline)
            char.rotation = rotation
            char.isHorizontal = false
            return char
        }
        #expect(turned.dominantRotation == rotation)
        let (back, found) = turned.upright()
        #expect(found.rotation == rotation)
        #expect(back.width == 792 && back.height == 612)
        #expect(PageGrids.make(back).texts == PageGrids.make(straight).texts)
        #expect(PageGrids.make(back).texts == [["Apples", "12", "3.50"], ["Pears", "7", "2.25"]])
    }
}
