// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines
import QuireTestSupport
import Testing

/// `MuPDFTextExtractor` on PDFs written by `TestPDF` (and encrypted by qpdf).
@Suite struct MuPDFTextExtractorTests {
    private let extractor = MuPDFTextExtractor(context: mupdf)
    private static let threePages = TestPDF.make(pages: [
        "Page one\nAlpha line", "Page two\nBravo text here", "Page three\nCharlie",
    ])

    private func extract(
        _ data: Data = threePages, pages: String = "", layout: TextLayout = .preserveLayout,
        password: String? = nil
    ) async throws -> ExtractedText {
        try await EngineFixtures.withAsync { fixtures in
            try extractor.extractText(
                from: try fixtures.file("input.pdf", data), password: password,
                pages: try PageSelection(parsing: pages), layout: layout)
        }
    }

    // MARK: - Pages

    /// Like pdftotext: every page, the last one included, is followed by a form feed.
    @Test func everyPageEndsInAFormFeed() async throws {
        let result = try await extract()
        #expect(result.pageCount == 3)
        #expect(result.text == "Page one\nAlpha line\n\u{0C}Page two\nBravo text here\n\u{0C}Page three\nCharlie\n\u{0C}")
    }

    @Test(arguments: [
        ("1", ["Page two\nBravo text here\n"]),
        ("!0", ["Page three\nCharlie\n"]),
        ("2,0", ["Page three\nCharlie\n", "Page one\nAlpha line\n"]),
        ("1-", ["Page two\nBravo text here\n", "Page three\nCharlie\n"]),
    ])
    func selectedPagesInTheOrderGiven(pages: String, expected: [String]) async throws {
        let result = try await extract(pages: pages)
        #expect(result.pageCount == expected.count)
        #expect(result.text == expected.map { $0 + "\u{0C}" }.joined())
    }

    @Test func pageOutsideTheDocumentIsAPageRangeError() async throws {
        let message = PageSelectionError.outOfRange(text: "5", pageCount: 3).description
        await #expect(throws: EngineError.pageRange(message)) { try await extract(pages: "5") }
        await #expect(throws: EngineError.pageRange(PageSelectionError.outOfRange(text: "!3", pageCount: 3).description)) {
            try await extract(pages: "!3")
        }
    }

    // MARK: - Modes and content

    /// Like pdftotext: text placed wholly off the page is not read; text that crosses the
    /// page's edge is, in both modes.
    @Test(arguments: [TextLayout.preserveLayout, .simple])
    func textWhollyOffThePageIsDropped(layout: TextLayout) async throws {
        let page = TestPDF.make(runs: [
            [
                TestPDF.Run("Visible words", x: 72, y: 700),
                TestPDF.Run("LeftOfPage", x: -400, y: 650),
                TestPDF.Run("AbovePage", x: 72, y: 900),
                TestPDF.Run("CrossingEdge", x: 580, y: 600),
            ]
        ])
        let text = try await extract(page, layout: layout).text
        #expect(text.contains("Visible words") && text.contains("Cross"), "\(text)")
        #expect(!text.contains("LeftOfPage") && !text.contains("AbovePage"), "\(text)")
    }

    @Test func simpleModeGivesMuPDFReadingOrder() async throws {
        let result = try await extract(layout: .simple)
        let pages = result.text.split(separator: "\u{0C}", omittingEmptySubsequences: false)
        #expect(pages.count == 4)
        #expect(pages[1].contains("Page two"))
        #expect(pages[1].contains("Bravo text here"))
        #expect(pages[1].hasSuffix("\n"))
        #expect(pages[3].isEmpty)
    }

    @Test(arguments: [TextLayout.preserveLayout, .simple])
    func nonASCIITextComesOutAsUTF8(layout: TextLayout) async throws {
        let result = try await extract(TestPDF.make(pages: ["Café déjà vu — naïve"]), layout: layout)
        // TestPDF writes WinAnsi, which has no em dash at that code; it becomes "?".
        #expect(result.text.contains("Café déjà vu ? naïve"))
    }

    @Test func emptyPageIsJustAFormFeed() async throws {
        let result = try await extract(TestPDF.make(pages: ["", "text"]))
        #expect(result.text == "\u{0C}text\n\u{0C}")
    }

    /// Two columns and a table, compared loosely with `pdftotext -layout`: the same words on each row.
    @Test(.enabled(if: EngineFixtures.hasPdftotext, "needs poppler-utils"))
    func layoutRowsMatchPdftotext() async throws {
        var runs = [TestPDF.Run("Quarterly Report", x: 220, y: 740, fontSize: 18)]
        let left = ["Revenue grew in every region", "during the quarter, led by", "strong demand for services."]
        let right = ["Costs stayed flat because", "the new plant opened late", "and hiring was delayed."]
        for row in 0..<3 {
            runs.append(TestPDF.Run(left[row], x: 72, y: 700 - 14 * Double(row)))
            runs.append(TestPDF.Run(right[row], x: 320, y: 700 - 14 * Double(row)))
        }
        for (row, cells) in [["Item", "Qty", "Price"], ["Apples", "12", "3.50"], ["Kiwi", "150", "0.99"]].enumerated() {
            for (column, cell) in cells.enumerated() {
                runs.append(TestPDF.Run(cell, x: [72, 250, 400][column], y: 600 - 16 * Double(row)))
            }
        }
        let pdf = TestPDF.make(runs: [runs])
        let (ours, poppler) = try await EngineFixtures.withAsync { fixtures in
            let url = try fixtures.file("layout.pdf", pdf)
            let ours = try extractor.extractText(from: url, password: nil, pages: .all, layout: .preserveLayout)
            return (ours.text, try await fixtures.pdftotextLayout(url))
        }
        func rows(_ text: String) -> [[Substring]] {
            text.split(separator: "\n").map { $0.split(separator: " ") }.filter { !$0.isEmpty && $0 != ["\u{0C}"] }
        }
        #expect(rows(ours) == rows(poppler))
        // Table columns line up: each cell of a column starts at the same offset.
        let lines = ours.split(separator: "\n").map(String.init)
        func column(of word: String, inRowStartingWith first: String) throws -> Int {
            let line = try #require(lines.first { $0.hasPrefix(first) })
            return line.distance(from: line.startIndex, to: try #require(line.range(of: word)).lowerBound)
        }
        #expect(try column(of: "Qty", inRowStartingWith: "Item") == column(of: "12", inRowStartingWith: "Apples"))
        #expect(try column(of: "Price", inRowStartingWith: "Item") == column(of: "0.99", inRowStartingWith: "Kiwi"))
    }

    // MARK: - Passwords

    @Test(.enabled(if: EngineFixtures.hasQPDF, "needs the qpdf CLI"))
    func encryptedDocumentNeedsTheRightPassword() async throws {
        try await EngineFixtures.withAsync { fixtures in
            let plain = try fixtures.file("plain.pdf", Self.threePages)
            let locked = try await fixtures.encrypted(plain, user: "user", owner: "owner")
            func text(_ password: String?) throws -> String {
                try extractor.extractText(from: locked, password: password, pages: .all, layout: .preserveLayout).text
            }
            #expect(throws: EngineError.passwordRequired) { try text(nil) }
            #expect(throws: EngineError.passwordRequired) { try text("") }
            #expect(throws: EngineError.wrongPassword) { try text("guess") }
            #expect(try text("user").contains("Bravo text here"))
            #expect(try text("owner").contains("Bravo text here"))
        }
    }

    // MARK: - Broken input

    @Test(arguments: [
        ("empty", Data()),
        ("garbage", Data("this is not a PDF at all\n".utf8)),
        ("header only", Data("%PDF-1.7\n".utf8)),
        ("binary noise", Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) })),
    ])
    func unreadableFileIsDamaged(name: String, data: Data) async throws {
        let error = try await #require(throws: EngineError.self) { try await extract(data) }
        guard case .damaged(let message) = error else {
            Issue.record("expected .damaged, got \(error)")
            return
        }
        // Client messages never carry MuPDF's own text or a path.
        #expect(!message.contains("/"))
        #expect(message.contains("damaged"))
    }

    @Test func missingFileIsAnOperatorFailure() throws {
        let url = URL(fileURLWithPath: "/nonexistent/quire-\(UUID().uuidString).pdf")
        #expect(throws: EngineError.failed("Cannot open the document: the input file could not be read.")) {
            try extractor.extractText(from: url, password: nil, pages: .all, layout: .simple)
        }
    }

    // MARK: - Threads

    /// Calls on several threads at once share the base context through clones.
    @Test func concurrentExtractionsAgree() async throws {
        let expected = try await extract().text
        let texts = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask { try await extract().text }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(texts == Array(repeating: expected, count: 8))
    }
}
