// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The PDF → data endpoints through the real server, on hand-written PDFs with a ruled table:
/// the shapes PDF.co clients read (docs/notes: pdfco-data-shapes.md), cell values, `rect`, and
/// `/pdf/find` boxes against MuPDF's own search (`mutool run`).
@Suite(.serialized)
final class DataConversionTests {
    let temp = TemporaryDirectory()
    let server: QuireServer

    init() async throws {
        server = try await QuireServer(data: temp.file("data"), arguments: ["--workers", "2", "--job-timeout", "120"])
    }

    deinit { server.kill9() }

    func post(_ path: String, _ parameters: [String: Any]) async throws -> ([String: Any], Int) {
        try await HTTP.postJSON(server.baseURL + path, parameters)
    }

    func upload(_ data: Data = DataPDF.table, name: String = "table.pdf") async throws -> String {
        try await HTTP.upload(data, name: name, base: server.baseURL)
    }

    static let tableCSV = DataPDF.tableValues.map { row in row.map { "\"\($0)\"" }.joined(separator: ",") + "\r\n" }.joined()

    // MARK: - /to/json

    @Test func jsonShape() async throws {
        let url = try await upload()
        let (answer, status) = try await post("/pdf/convert/to/json", ["url": url, "inline": true])
        #expect(status == 200, "\(answer)")
        #expect(answer["pageCount"] as? Int == 1)
        let body = try #require(answer["body"] as? [String: Any], "inline body is an object")
        let document = try #require(body["document"] as? [String: Any])
        #expect(document["@pageCount"] as? String == "1")
        let page = try #require(document["page"] as? [String: Any], "one page is an object")
        #expect(page["@index"] as? String == "0")
        #expect(page["@width"] as? String == "612" && page["@height"] as? String == "792")
        let rows = try #require(page["row"] as? [[String: Any]])
        let cells = try rows.map { try #require($0["column"] as? [[String: Any]]) }
        #expect(Set(cells.map(\.count)) == [3], "every row has the same column count")
        #expect(cells.joined().contains { $0["text"] as? String == "" }, "the title row has empty cells")
        let texts = cells.map { row in row.map { (($0["text"] as? [String: Any])?["#text"] as? String) ?? "" } }
        for values in DataPDF.tableValues { #expect(texts.contains(values), "\(values) in \(texts)") }
        let apples = try #require(cells.joined().compactMap { $0["text"] as? [String: Any] }.first { $0["#text"] as? String == "Apples" })
        #expect(apples["@fontName"] as? String == "Helvetica")
        #expect(apples["@fontSize"] as? String == "12.0")
        for key in ["@x", "@y", "@width", "@height"] {
            let value = try #require(apples[key] as? String, "\(key)")
            #expect(value.range(of: #"^[0-9]+\.[0-9]{2}$"#, options: .regularExpression) != nil, "\(key) = \(value)")
        }
        #expect(abs(Double(apples["@x"] as! String)! - 76) < 0.5)
        // y from the top: the baseline is 14 pt below the row's top edge at 170.
        let y = Double(apples["@y"] as! String)!
        #expect(y > 170 && y < 184, "\(y)")

        // The file behind `url` is the same JSON, pretty-printed with CRLF as PDF.co writes it.
        let (file, fileStatus) = try await post("/v1/pdf/convert/to/json", ["url": url])
        #expect(fileStatus == 200)
        #expect(file["body"] == nil)
        let resultURL = try #require(file["url"] as? String)
        #expect(resultURL.hasSuffix(".json"))
        let data = try await HTTP.get(resultURL).0
        let downloaded = try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
        #expect(downloaded.isEqual(to: body))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        // The expression a PHP client runs on this file (pdfco-data-shapes.md §1.2).
        let php =
            ##""text":\s+\{\r\n.*"@fontName":\s+.*\r\n.*"@fontSize":\s+.*\r\n.*"@fontStyle":\s+.*\r\n.*"@color":\s+.*\r\n.*"@x":\s+"(.*)",\r\n.*"@y":\s+"(.*)",\r\n.*"@width":\s+.*\r\n.*"@height":\s+.*\r\n.*"#text":\s+"(.*)"\r\n"##
        let matches = try NSRegularExpression(pattern: php).matches(in: text, range: NSRange(text.startIndex..., in: text))
        let phpTexts = matches.map { (text as NSString).substring(with: $0.range(at: 3)) }
        #expect(phpTexts.contains("Apples") && phpTexts.contains("3.50"), "\(phpTexts)")
    }

    /// Two pages: `page` is an array of both, in order; json2 has the same tree with plain keys.
    @Test func twoPagesAreAnArray() async throws {
        var second = DataPDF.Page()
        second.text("Second page", x: 72, top: 100)
        let url = try await upload(DataPDF.make([DataPDF.tablePage(), second]), name: "two.pdf")
        let (answer, status) = try await post("/v1/pdf/convert/to/json", ["url": url, "inline": true])
        #expect(status == 200, "\(answer)")
        let document = try #require((answer["body"] as? [String: Any])?["document"] as? [String: Any])
        #expect(document["@pageCount"] as? String == "2")
        let pages = try #require(document["page"] as? [[String: Any]], "two pages are an array")
        #expect(pages.map { $0["@index"] as? String } == ["0", "1"])
        // The second page's single row with its single column: objects, not arrays.
        let cell = (((pages[1]["row"] as? [String: Any])?["column"] as? [String: Any])?["text"] as? [String: Any])
        #expect(cell?["#text"] as? String == "Second page")

        let (plain, plainStatus) = try await post("/pdf/convert/to/json2", ["url": url, "inline": true, "pages": "1"])
        #expect(plainStatus == 200, "\(plain)")
        let page = try #require(((plain["body"] as? [String: Any])?["document"] as? [String: Any])?["page"] as? [String: Any])
        #expect(page["index"] as? String == "1")
        let text = ((page["row"] as? [String: Any])?["column"] as? [String: Any])?["text"] as? [String: Any]
        #expect(text?["text"] as? String == "Second page")
    }

    // MARK: - /to/csv

    @Test func csvCellsAndSeparator() async throws {
        let url = try await upload()
        let (answer, status) = try await post("/pdf/convert/to/csv", ["url": url, "inline": true])
        #expect(status == 200, "\(answer)")
        let csv = try #require(answer["body"] as? String, "inline body is a string")
        #expect(csv.hasSuffix("\r\n"))
        #expect(!csv.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "rows end in CRLF")
        #expect(csv.contains(Self.tableCSV), "\(csv)")
        #expect(csv.hasPrefix("\"Fruit report for the week\",\"\",\"\"\r\n"), "\(csv)")

        let (semicolon, _) = try await post(
            "/pdf/convert/to/csv", ["url": url, "inline": true, "profiles": "{'CSVSeparatorSymbol': ';', 'CSVQuotaionSymbol': \"'\"}"])
        let custom = try #require(semicolon["body"] as? String, "\(semicolon)")
        #expect(custom.contains("'Apples';'12';'3.50'\r\n"), "\(custom)")

        // Without inline: the file behind `url` holds the same text.
        let (file, _) = try await post("/pdf/convert/to/csv", ["url": url])
        let resultURL = try #require(file["url"] as? String)
        #expect(resultURL.hasSuffix(".csv"))
        #expect(String(decoding: try await HTTP.get(resultURL).0, as: UTF8.self) == csv)
    }

    // MARK: - /to/xml, /to/html

    /// The XML parses and has `<document><page index="0"><row><column><text …>` with the cells.
    @Test func xmlParses() async throws {
        let url = try await upload()
        let (answer, status) = try await post("/pdf/convert/to/xml", ["url": url, "inline": true])
        #expect(status == 200, "\(answer)")
        let xml = try #require(answer["body"] as? String)
        let outline = try XMLOutline(xml)
        #expect(outline.paths.contains("document/page/row/column/text"))
        #expect(outline.attributes["document/page"]?.first?["index"] == "0")
        let apples = try #require(outline.texts.first { $0.text == "Apples" })
        #expect(apples.attributes["fontName"] == "Helvetica" && apples.attributes["fontSize"] == "12.0")
        #expect(outline.texts.filter { $0.text == "" }.count >= 2)
    }

    /// Text with markup characters and bytes that map to control characters still gives
    /// well-formed XML and escaped HTML.
    @Test func hostileTextStaysWellFormed() async throws {
        var page = DataPDF.Page()
        page.text("<b>&amp; \"quoted\" </text>]]>", x: 72, top: 100)
        page.content += "BT /F1 12 Tf 72 600 Td (ctl\\001\\002\\013\\037end) Tj ET\n"
        let url = try await upload(DataPDF.make([page]), name: "hostile.pdf")
        let (answer, status) = try await post("/pdf/convert/to/xml", ["url": url, "inline": true])
        #expect(status == 200, "\(answer)")
        let outline = try XMLOutline(try #require(answer["body"] as? String))
        #expect(outline.texts.contains { $0.text == "<b>&amp; \"quoted\" </text>]]>" }, "\(outline.texts.map(\.text))")
        let (html, htmlStatus) = try await post("/pdf/convert/to/html", ["url": url, "inline": true])
        #expect(htmlStatus == 200)
        let body = try #require(html["body"] as? String)
        #expect(body.contains("&lt;b&gt;&amp;amp;") && !body.contains("<b>"))
    }

    // MARK: - /pdf/find

    /// Every match's box is MuPDF's own search box within a point.
    @Test(arguments: ["pric", "Apples", "3.50"])
    func findMatchesMuPDFSearch(_ needle: String) async throws {
        let file = temp.file("table.pdf")
        try DataPDF.table.write(to: file)
        let script = temp.file("search.js")
        try "var doc = new Document(scriptArgs[0]); print(JSON.stringify(doc.loadPage(0).search(scriptArgs[1])));"
            .write(to: script, atomically: true, encoding: .utf8)
        let run = try await runCommand("mutool", ["run", script.path, file.path, needle])
        #expect(run.status == 0, "\(run.output)")
        let hits = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [[[Double]]])
        let expected = hits.map { quads in
            let xs = quads.flatMap { [$0[0], $0[2], $0[4], $0[6]] }
            let ys = quads.flatMap { [$0[1], $0[3], $0[5], $0[7]] }
            return (left: xs.min()!, top: ys.min()!, width: xs.max()! - xs.min()!, height: ys.max()! - ys.min()!)
        }
        #expect(!expected.isEmpty)

        let (answer, status) = try await post("/pdf/find", ["url": try await upload(), "searchString": needle])
        #expect(status == 200, "\(answer)")
        let found = try #require(answer["body"] as? [[String: Any]], "body is an array (inline by default)")
        #expect(found.count == expected.count, "\(found) vs \(expected)")
        for (match, box) in zip(found, expected) {
            #expect((match["text"] as? String)?.lowercased() == needle.lowercased())
            #expect(match["pageIndex"] as? Int == 0)
            for (key, value) in [("left", box.left), ("top", box.top), ("width", box.width), ("height", box.height)] {
                let got = try #require(match[key] as? Double, "\(key)")
                #expect(abs(got - value) <= 1, "\(key): \(got) vs mutool \(value)")
            }
        }
    }

    @Test func findModes() async throws {
        let url = try await upload()
        func texts(_ parameters: [String: Any]) async throws -> [String] {
            let (answer, status) = try await post("/pdf/find", parameters.merging(["url": url]) { a, _ in a })
            #expect(status == 200, "\(answer)")
            return (answer["body"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        }
        #expect(try await texts(["searchString": #"\d+\.\d\d"#, "regexSearch": true]) == ["3.50", "2.25", "0.99"])
        #expect(try await texts(["searchString": "ice"]) == ["ice", "ice"])
        #expect(try await texts(["searchString": "ice", "wordMatchingMode": "ExactMatch"]).isEmpty)
        #expect(try await texts(["searchString": "price", "wordMatchingMode": "ExactMatch"]) == ["Price"])
        #expect(try await texts(["searchString": "pri", "wordMatchingMode": "SmartMatch"]) == ["Pri", "pri"])
        #expect(try await texts(["searchString": "PRICE", "caseSensitive": true]) == [])
        #expect(try await texts(["searchString": "Price", "caseSensitive": true]) == ["Price"])
    }

    @Test func findRefusals() async throws {
        let url = try await upload()
        let (badRegex, badStatus) = try await post("/pdf/find", ["url": url, "searchString": "(unclosed", "regexSearch": true])
        #expect(badStatus == 400)
        #expect(badRegex["error"] as? Bool == true)
        #expect((badRegex["message"] as? String)?.contains("searchString") == true, "\(badRegex)")
        let (missing, missingStatus) = try await post("/pdf/find", ["url": url])
        #expect(missingStatus == 400)
        #expect((missing["message"] as? String)?.contains("searchString") == true, "\(missing)")
        let (mode, modeStatus) = try await post("/pdf/find", ["url": url, "searchString": "a", "wordMatchingMode": "Fuzzy"])
        #expect(modeStatus == 400)
        #expect((mode["message"] as? String)?.contains("wordMatchingMode") == true)
        // The same text is fine as a plain search: only regexSearch parses it.
        #expect(try await post("/pdf/find", ["url": url, "searchString": "(unclosed"]).1 == 200)
    }

    // MARK: - /pdf/find/table and rect

    @Test func findTableRectFeedsCSV() async throws {
        let url = try await upload()
        let (answer, status) = try await post("/pdf/find/table", ["url": url])
        #expect(status == 200, "\(answer)")
        let tables = try #require((answer["body"] as? [String: Any])?["tables"] as? [[String: Any]], "\(answer)")
        #expect(tables.count == 1)
        let table = try #require(tables.first)
        let box = DataPDF.tableBox
        #expect(table["PageIndex"] as? Int == 0)
        for (key, value) in [("X", box.x), ("Y", box.y), ("Width", box.width), ("Height", box.height)] {
            let got = try #require(table[key] as? Double, "\(key) in \(table)")
            #expect(abs(got - value) <= 1.5, "\(key): \(got)")
        }
        let columns = try #require(table["Columns"] as? [Double])
        #expect(columns.count == 3 && zip(columns, [72.0, 192, 312]).allSatisfy { abs($0 - $1) <= 1.5 }, "\(columns)")
        let rect = try #require(table["rect"] as? String)

        let (csv, csvStatus) = try await post("/pdf/convert/to/csv", ["url": url, "inline": true, "rect": rect])
        #expect(csvStatus == 200, "\(csv)")
        #expect(csv["body"] as? String == Self.tableCSV)
    }

    /// Spaces or commas between the four numbers; anything else is a 400 naming `rect`.
    @Test func rectParsing() async throws {
        let url = try await upload()
        let spaced = try await post("/pdf/convert/to/csv", ["url": url, "inline": true, "rect": "70 148 364 84"])
        let commas = try await post("/pdf/convert/to/csv", ["url": url, "inline": true, "rect": "70, 148, 364, 84"])
        #expect(spaced.1 == 200 && commas.1 == 200)
        #expect(spaced.0["body"] as? String == Self.tableCSV)
        #expect(commas.0["body"] as? String == Self.tableCSV)
        for bad in [
            "garbage", "70 148 364", "70 148 -364 84", "70 148 0 84", "nan 148 364 84", "70 inf 364 84", "1e308 0 10 10", "1 2 3 4 5",
        ] {
            let (answer, status) = try await post("/pdf/convert/to/json", ["url": url, "rect": bad])
            #expect(status == 400, "\(bad): \(answer)")
            #expect((answer["message"] as? String)?.contains("'rect'") == true, "\(bad): \(answer)")
        }
    }
}

/// Elements of an XML document, read with Foundation's parser (it fails on malformed XML).
final class XMLOutline: NSObject, XMLParserDelegate {
    struct Text {
        var text: String
        var attributes: [String: String]
    }

    private(set) var paths: Set<String> = []
    private(set) var attributes: [String: [[String: String]]] = [:]
    private(set) var texts: [Text] = []
    private var stack: [String] = []
    private var current = ""

    init(_ xml: String) throws {
        super.init()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = self
        guard parser.parse() else { throw parser.parserError ?? URLError(.cannotParseResponse) }
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]
    ) {
        stack.append(name)
        let path = stack.joined(separator: "/")
        paths.insert(path)
        self.attributes[path, default: []].append(attributes)
        if name == "text" { texts.append(Text(text: "", attributes: attributes)) }
        current = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts[texts.count - 1].text = current }
        current = ""
        stack.removeLast()
    }
}
