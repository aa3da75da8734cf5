// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Testing

@testable import QuireEngines

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// PDF.co's data outputs of a laid-out page: XML escaping, the Newtonsoft JSON image of that XML,
/// and CSV quoting.
@Suite struct DataFormatTests {
    static func run(_ text: String, x: Double = 72) -> TextRun {
        TextRun(
            text: text, box: Box(x: x, y: 100, width: 40, height: 12), baseline: 110, fontSize: 10,
            font: PageContent.Font(name: "Arial-BoldMT", isBold: true), color: 0x11_2233)
    }

    static func document(pages: Int, rows: [[TextRun?]]) -> GridDocument {
        GridDocument(
            pages: (0..<pages).map { index in
                GridDocument.Page(
                    index: index,
                    grid: PageGrid(
                        width: 595.3, height: 841.9, columnStarts: Array(stride(from: 0.0, to: Double(rows[0].count) * 100, by: 100)),
                        rows: rows))
            })
    }

    /// Markup characters are escaped in text and attributes; control characters XML cannot carry
    /// are dropped; the result is well-formed.
    @Test func xmlEscaping() throws {
        let element = MarkupElement(
            "document", [("name", "a \"quoted\" <b> & c")],
            children: [MarkupElement("text", text: "x < y & \"z\" > w\u{1}\u{0}\u{FFFE}!")])
        let xml = element.xmlDocument()
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<document "))
        #expect(xml.contains(#"name="a &quot;quoted&quot; &lt;b&gt; &amp; c""#))
        #expect(xml.contains(#"<text>x &lt; y &amp; "z" &gt; w!</text>"#))
        let parser = XMLParser(data: Data(xml.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    }

    /// One page: `page` is an object; its two rows an array; a row's single column an object; an
    /// empty cell `"text": ""`; every value a string; keys in XML order; CRLF and two spaces.
    @Test func newtonsoftJSONRules() throws {
        let document = Self.document(pages: 1, rows: [[Self.run("Total")], [nil]])
        let text = document.markup().jsonDocument(style: .newtonsoft)
        #expect(text.hasPrefix("{\r\n  \"document\": {\r\n    \"@pageCount\": \"1\",\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let root = try #require(json["document"] as? [String: Any])
        #expect(root["@pageCount"] as? String == "1")
        let page = try #require(root["page"] as? [String: Any], "one page is an object")
        #expect(page["@index"] as? String == "0")
        #expect(page["@width"] as? String == "595" && page["@height"] as? String == "842")
        let rows = try #require(page["row"] as? [[String: Any]], "two rows are an array")
        let first = try #require(rows[0]["column"] as? [String: Any], "one column is an object")
        let cell = try #require(first["text"] as? [String: Any])
        #expect(cell["#text"] as? String == "Total")
        #expect(cell["@fontName"] as? String == "Arial")
        #expect(cell["@fontSize"] as? String == "10.0")
        #expect(cell["@fontStyle"] as? String == "Bold")
        #expect(cell["@color"] as? String == "#112233")
        #expect(cell["@x"] as? String == "72.00" && cell["@y"] as? String == "100.00")
        #expect(cell["@width"] as? String == "40.00" && cell["@height"] as? String == "12.00")
        let empty = try #require(rows[1]["column"] as? [String: Any])
        #expect(empty["text"] as? String == "")
        // Attribute order as a PHP client's regular expression expects it.
        let order = [
            "\"@fontName\"", "\"@fontSize\"", "\"@fontStyle\"", "\"@color\"", "\"@x\"", "\"@y\"", "\"@width\"", "\"@height\"", "\"#text\"",
        ]
        let cellText = try #require(text.range(of: "\"text\": {").map { text[$0.lowerBound...] })
        let positions = order.map { cellText.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(zip(positions, positions.dropFirst()).allSatisfy { $0! < $1! })
    }

    /// Two pages are an array; json2 spells the same tree without "@" and "#".
    @Test func repeatedPagesAreAnArrayAndJSON2IsPlain() throws {
        let document = Self.document(pages: 2, rows: [[Self.run("A"), Self.run("B", x: 150)]])
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(document.markup().jsonDocument(style: .newtonsoft).utf8)) as? [String: Any])
        let pages = try #require((json["document"] as? [String: Any])?["page"] as? [[String: Any]])
        #expect(pages.map { $0["@index"] as? String } == ["0", "1"])
        let row = try #require(pages[0]["row"] as? [String: Any], "one row is an object")
        #expect((row["column"] as? [Any])?.count == 2)

        let plain = document.markup().jsonDocument(style: .plain)
        #expect(!plain.contains("\"@") && !plain.contains("#text"))
        let tree = try #require(try JSONSerialization.jsonObject(with: Data(plain.utf8)) as? [String: Any])
        let page = try #require(((tree["document"] as? [String: Any])?["page"] as? [[String: Any]])?.first)
        let cells = try #require((page["row"] as? [String: Any])?["column"] as? [[String: Any]])
        #expect((cells[0]["text"] as? [String: Any])?["text"] as? String == "A")
        #expect((cells[0]["text"] as? [String: Any])?["fontName"] as? String == "Arial")
    }

    /// JSON string escaping: quotes, backslashes, newlines and control characters.
    @Test func jsonEscaping() throws {
        let element = MarkupElement("document", children: [MarkupElement("text", text: "a\"b\\c\nd\u{1}e")])
        let text = element.jsonDocument(style: .newtonsoft)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect((json["document"] as? [String: Any])?["text"] as? String == "a\"b\\c\nd\u{1}e")
    }

    /// Every cell quoted, a quote inside doubled, the separator inside a cell kept in its quotes.
    @Test func csvQuotingAndSeparator() {
        let document = Self.document(pages: 1, rows: [[Self.run("say \"hi\""), nil], [Self.run("a;b"), Self.run("c", x: 150)]])
        #expect(document.csv() == "\"say \"\"hi\"\"\",\"\"\r\n\"a;b\",\"c\"\r\n")
        #expect(document.csv(separator: ";") == "\"say \"\"hi\"\"\";\"\"\r\n\"a;b\";\"c\"\r\n")
        #expect(document.csv(separator: "|", quote: "'") == "'say \"hi\"'|''\r\n'a;b'|'c'\r\n")
        #expect(document.csv(separator: "\t", quote: "") == "say \"hi\"\t\r\na;b\tc\r\n")
    }

    /// HTML cells are escaped: text from a PDF cannot inject markup.
    @Test func htmlEscapesCells() {
        let document = Self.document(pages: 1, rows: [[Self.run("<script>alert(1)</script>")]])
        for simple in [false, true] {
            let html = document.html(simple: simple)
            #expect(!html.contains("<script>"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }
}
