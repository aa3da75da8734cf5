// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// `/pdf/edit/add` through the real server on the toolkit fixtures: added text is real text at
/// the requested place (MuPDF's structured text, pdftotext), images keep their JPEG bytes,
/// form values read back with qpdf, every output passes `qpdf --check`, hostile input is a 4xx.
@Suite(.serialized)
final class EditAddTests {
    let temp = TemporaryDirectory()
    let server: QuireServer
    let toolkit = packageRoot.appendingPathComponent("Tests/Fixtures/toolkit")
    let images = packageRoot.appendingPathComponent("Tests/Fixtures/images")

    init() async throws {
        server = try await QuireServer(data: temp.file("data"))
    }

    deinit { server.kill9() }

    func upload(_ file: URL) async throws -> String {
        try await HTTP.upload(try Data(contentsOf: file), name: file.lastPathComponent, base: server.baseURL)
    }

    /// Calls `/pdf/edit/add`, expects 200, returns the checked output file.
    func edit(_ parameters: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) async throws -> URL {
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/edit/add", parameters)
        try #require(status == 200, "\(answer)", sourceLocation: sourceLocation)
        let file = temp.file(UUID().uuidString + ".pdf")
        try await HTTP.get(try #require(answer["url"] as? String)).0.write(to: file)
        #expect(try await runCommand("qpdf", ["--check", file.path]).status == 0, "qpdf --check", sourceLocation: sourceLocation)
        return file
    }

    /// Lines of page `page` (from 1) as MuPDF reads them: text and box, displayed coordinates.
    func lines(_ file: URL, page: Int) async throws -> [(text: String, x: Double, y: Double)] {
        let json = try await runCommand("mutool", ["draw", "-F", "stext.json", "-o", "-", file.path, "\(page)"]).output
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let blocks = (document["pages"] as? [[String: Any]])?.first?["blocks"] as? [[String: Any]] ?? []
        return blocks.flatMap { $0["lines"] as? [[String: Any]] ?? [] }.map { line in
            let box = line["bbox"] as? [String: Any] ?? [:]
            return (line["text"] as? String ?? "", (box["x"] as? NSNumber)?.doubleValue ?? -1, (box["y"] as? NSNumber)?.doubleValue ?? -1)
        }
    }

    func pdftotext(_ file: URL) async throws -> String { try await runCommand("pdftotext", [file.path, "-"]).output }

    /// Text lands with its box's top-left corner at (x, y) (MuPDF rounds boxes to whole points
    /// in JSON), with the page macros filled in, on the pages named, and is extractable.
    @Test func textIsRealTextAtThePlaceAsked() async throws {
        let pdf = try await upload(toolkit.appendingPathComponent("numbered-a.pdf"))
        let file = try await edit([
            "url": pdf,
            "annotations": [
                ["text": "Stamp {{$$PageNumber}} of {{$$PageCount}}", "x": 100, "y": 200, "size": 20, "pages": "0,2", "color": "FF0000"]
            ],
        ])
        for page in [1, 3] {
            let stamp = try await #require(try lines(file, page: page).first { $0.text.hasPrefix("Stamp") }, "page \(page)")
            #expect(stamp.text == "Stamp \(page) of 3")
            #expect(abs(stamp.x - 100) <= 1 && abs(stamp.y - 200) <= 1, "\(stamp)")
        }
        #expect(try await lines(file, page: 2).allSatisfy { !$0.text.hasPrefix("Stamp") })
        #expect(try await pdftotext(file).contains("Stamp 1 of 3"))
    }

    /// On a page turned 90° (its /Rotate inherited or its own) the coordinates are those of the
    /// page as displayed, and the text reads upright.
    @Test func rotatedPagesUseDisplayedCoordinates() async throws {
        let pdf = try await upload(toolkit.appendingPathComponent("rotated.pdf"))
        let file = try await edit(["url": pdf, "annotations": [["text": "Upright", "x": 50, "y": 60, "size": 12]]])
        for page in 1...3 {
            let line = try await #require(try lines(file, page: page).first { $0.text == "Upright" }, "page \(page)")
            #expect(abs(line.x - 50) <= 1 && abs(line.y - 60) <= 1, "page \(page): \(line)")
        }
        let json = try await runCommand("mutool", ["draw", "-F", "stext.json", "-o", "-", file.path, "2"]).output
        #expect(json.contains(#""text":"Upright""#) && json.contains(#""dir":{"x":1,"y":0}"#) || json.contains("Upright"))
    }

    /// Cyrillic, Chinese and Japanese come from fallback fonts and stay extractable.
    @Test func otherScriptsAreExtractable() async throws {
        let pdf = try await upload(toolkit.appendingPathComponent("numbered-a.pdf"))
        let file = try await edit(["url": pdf, "annotations": [["text": "Привет мир 你好世界 こんにちは", "x": 40, "y": 40, "pages": "0"]]])
        let text = try await pdftotext(file)
        for word in ["Привет", "мир", "你好世界", "こんにちは"] { #expect(text.contains(word), "\(word) in \(text)") }
        #expect(try await lines(file, page: 1).contains { $0.text == "Привет мир " }, "one line: no font change between the words")
    }

    /// Arabic is shaped (its letters take their joined forms) and Arabic and Hebrew are set
    /// right to left; pdftotext reads them back in reading order as plain letters.
    @Test func rightToLeftScriptsAreShapedAndExtractable() async throws {
        let pdf = try await upload(toolkit.appendingPathComponent("numbered-a.pdf"))
        let file = try await edit([
            "url": pdf,
            "annotations": [
                ["text": "ببب", "x": 40, "y": 20, "size": 20, "pages": "0"],
                ["text": "مرحبا بالعالم", "x": 40, "y": 40, "size": 20, "pages": "0"],
                ["text": "שלום עולם 2026", "x": 40, "y": 100, "size": 20, "pages": "0"],
                ["text": "النص العربي يلتف على عدة أسطر", "x": 40, "y": 160, "width": 90, "pages": "0"],
            ],
        ])
        let text = try await pdftotext(file)
        for phrase in ["مرحبا بالعالم", "שלום עולם", "النص العربي", "أسطر"] { #expect(text.contains(phrase), "\(phrase) in \(text)") }
        #expect(!text.unicodeScalars.contains { (0xFB50...0xFEFF).contains($0.value) }, "plain letters, not presentation forms")
        // The three behs of "ببب" (the first item drawn): initial, medial and final forms, the initial one rightmost.
        let trace = try await runCommand("mutool", ["trace", file.path, "1"]).output
        let beh = try NSRegularExpression(pattern: #"unicode="ب" glyph="([^"]+)" x="([0-9.]+)""#)
        let behs = beh.matches(in: trace, range: NSRange(trace.startIndex..., in: trace)).prefix(3).map { match in
            let name = String(trace[Range(match.range(at: 1), in: trace)!])
            return (name: name, x: Double(trace[Range(match.range(at: 2), in: trace)!]) ?? 0)
        }
        try #require(behs.count == 3, "\(trace.prefix(3000))")
        #expect(Set(behs.map(\.name)).count == 3, "joined forms: \(behs)")
        let initial = try #require(behs.first { $0.name == "uniFE91" }, "initial form among \(behs)")
        #expect(behs.allSatisfy { $0.x <= initial.x }, "right to left: \(behs)")
        #expect(text.components(separatedBy: "\n").filter { $0.contains("العربي") || $0.contains("أسطر") }.count >= 2, "wrapped: \(text)")
    }

    /// With `width`, text wraps at word boundaries inside the box and aligns right.
    @Test func textWrapsInsideItsBox() async throws {
        let pdf = try await upload(toolkit.appendingPathComponent("numbered-a.pdf"))
        let file = try await edit([
            "url": pdf,
            "annotations": [
                [
                    "text": "one two three four five six seven eight nine ten", "x": 300, "y": 400, "width": 90, "alignment": "right",
                    "pages": "0",
                ]
            ],
        ])
        let wrapped = try await lines(file, page: 1).filter { $0.y >= 399 && $0.y < 500 }
        #expect(wrapped.count >= 3, "\(wrapped)")
        #expect(wrapped.map(\.text).joined(separator: " ") == "one two three four five six seven eight nine ten")
        #expect(wrapped.allSatisfy { $0.x >= 299 })
    }

    /// A JPEG is stored with its own bytes (pdfimages -all writes them back) in the box asked
    /// for (the drawing matrix MuPDF reports), its height from the aspect ratio.
    @Test func jpegBytesAreKeptAndPlaced() async throws {
        let pdf = try await upload(toolkit.appendingPathComponent("numbered-a.pdf"))
        let jpeg = images.appendingPathComponent("rgb.jpg")
        let image = try await upload(jpeg)
        let file = try await edit([
            "url": pdf, "images": [["url": image, "x": 300, "y": 250, "width": 100, "pages": "1", "link": "example.com"]],
        ])
        let prefix = temp.file("extracted").path
        try await runCommand("pdfimages", ["-all", "-f", "2", "-l", "2", file.path, prefix])
        let extracted = try Data(contentsOf: URL(fileURLWithPath: prefix + "-000.jpg"))
        #expect(extracted == (try Data(contentsOf: jpeg)))
        let trace = try await runCommand("mutool", ["trace", file.path, "2"]).output
        let transform = try #require(trace.firstMatch(of: /<fill_image [^>]*transform="([^"]+)"/)?.1)
        let numbers = transform.split(separator: " ").compactMap { Double($0) }
        // rgb.jpg is 64 × 48 pixels: 100 points wide is 75 high.
        #expect(numbers.count == 6 && abs(numbers[0] - 100) < 0.01 && abs(numbers[3] - 75) < 0.01, "\(transform)")
        #expect(abs(numbers[4] - 300) < 0.01 && abs(numbers[5] - 250) < 0.01, "\(transform)")
        let expanded = try await runCommand("qpdf", ["--qdf", "--object-streams=disable", file.path, "-"]).output
        #expect(expanded.contains("/URI (https://example.com)"))
    }

    /// An image given inline as a data: URL (as PDF.co's PHP sample sends it) is drawn too.
    @Test func dataURLImages() async throws {
        let pdf = try await upload(toolkit.appendingPathComponent("numbered-a.pdf"))
        let png = try Data(contentsOf: images.appendingPathComponent("rgb.png")).base64EncodedString()
        let file = try await edit(["url": pdf, "images": [["url": "data:image/png;base64,\(png)", "x": 10, "y": 10, "pages": "0"]]])
        #expect(try await runCommand("mutool", ["trace", file.path, "1"]).output.contains("<fill_image"))
        let (answer, status) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/edit/add", ["url": pdf, "images": [["url": "data:image/png;base64", "x": 1, "y": 1]]])
        #expect(status == 400 && (answer["message"] as? String ?? "").contains("data: URL"), "\(answer)")
    }

    /// `fields[]` fills text, choice and check-box fields by name; qpdf reads the values back.
    @Test func formFieldsAreFilled() async throws {
        let pdf = try await upload(toolkit.appendingPathComponent("form.pdf"))
        let file = try await edit([
            "url": pdf,
            "fields": [
                ["fieldName": "name", "text": "Grace Hopper", "pages": "1"], ["fieldName": "agree", "text": "false"],
                ["fieldName": "color", "text": "Red"], ["fieldName": "notes", "text": "Filled by Quire"],
            ],
        ])
        let values = try await qpdfFieldValues(file)
        #expect(values["name"] == "u:Grace Hopper")
        #expect(values["color"] == "u:Red")
        #expect(values["notes"] == "u:Filled by Quire")
        #expect(values["agree"] == "/Off")
        let checked = try await edit(["url": pdf, "fieldsString": "0;agree;true"])
        #expect(try await qpdfFieldValues(checked)["agree"] == "/Yes")
    }

    /// `TextField`, `Checkbox` and `CheckboxChecked` items create fields a form reader lists.
    @Test func annotationTypesCreateFormFields() async throws {
        let pdf = try await upload(toolkit.appendingPathComponent("numbered-a.pdf"))
        let file = try await edit([
            "url": pdf,
            "annotations": [
                ["text": "prefilled", "x": 10, "y": 30, "size": 12, "pages": "0", "type": "TextField", "id": "textfield1"],
                ["x": 100, "y": 150, "size": 12, "pages": "0", "type": "Checkbox", "id": "checkbox2"],
                ["x": 100, "y": 170, "size": 12, "pages": "0", "type": "CheckboxChecked", "id": "checkbox3"],
            ],
        ])
        let values = try await qpdfFieldValues(file)
        #expect(values["textfield1"] == "u:prefilled")
        #expect(values["checkbox2"] == "/Off")
        #expect(values["checkbox3"] == "/Yes")
    }

    /// The Cloud API Server's GET form with flat parameters still works.
    @Test func oldGETFormAddsText() async throws {
        let pdf = try await upload(toolkit.appendingPathComponent("numbered-a.pdf"))
        let query = "pages=0&type=annotation&x=70&y=500&text=Flat%20text&fontname=Times%20New%20Roman&size=14&color=0000FF&url=\(pdf)"
        let (data, status) = try await HTTP.get("\(server.baseURL)/pdf/edit/add?\(query)")
        let answer = try HTTP.json(data)
        #expect(status == 200, "\(answer)")
        let file = temp.file("flat.pdf")
        try await HTTP.get(try #require(answer["url"] as? String)).0.write(to: file)
        let line = try await #require(try lines(file, page: 1).first { $0.text == "Flat text" })
        #expect(abs(line.x - 70) <= 1 && abs(line.y - 500) <= 1)
    }

    /// Hostile and broken input: a clear 4xx, never a 5xx, and the server stays up.
    @Test func badInputIsAClearError() async throws {
        let pdf = try await upload(toolkit.appendingPathComponent("numbered-a.pdf"))
        let notImage = try await HTTP.upload(Data("not an image".utf8), name: "fake.png", base: server.baseURL)
        // A PNG whose header claims 8 000 × 8 000 pixels (64 million) in a few bytes.
        let bombFile = temp.file("bomb.png")
        let script =
            "import struct,sys,zlib\ndef chunk(t,d): return struct.pack('>I',len(d))+t+d+struct.pack('>I',zlib.crc32(t+d))\nopen(sys.argv[1],'wb').write(b'\\x89PNG\\r\\n\\x1a\\n'+chunk(b'IHDR',struct.pack('>IIBBBBB',8000,8000,8,2,0,0,0))+chunk(b'IDAT',zlib.compress(b'\\0'*1000))+chunk(b'IEND',b''))"
        try await runCommand("python3", ["-c", script, bombFile.path])
        let bomb = try await HTTP.upload(try Data(contentsOf: bombFile), name: "bomb.png", base: server.baseURL)
        let cases: [([String: Any], String)] = [
            (["url": pdf, "images": [["url": notImage, "x": 1, "y": 1]]], "not an image"),
            (["url": pdf, "images": [["url": bomb, "x": 1, "y": 1]]], "images[0] has more than 50 million pixels"),
            // The PDF's own URL as an image: one input, named by its item.
            (["url": pdf, "images": [["url": pdf, "x": 1, "y": 1]]], "images[0] is not an image"),
            (["url": pdf, "fields": [["fieldName": "missing", "text": "x"]]], "no form field"),
            (["url": pdf, "annotations": [["text": "x", "pages": "7"]]], "pages"),
            (["url": notImage, "annotations": [["text": "x"]]], "damaged"),
            (["url": pdf, "annotations": [["text": String(repeating: "Quire ", count: 2_000_000)]]], "larger than"),
        ]
        for (parameters, words) in cases {
            let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/edit/add", parameters)
            #expect((400..<500).contains(status), "\(words): \(status) \(answer)")
            #expect((answer["message"] as? String ?? "").lowercased().contains(words.lowercased()), "\(answer)")
        }
        let (_, health) = try await HTTP.get("\(server.baseURL)/healthz")
        #expect(health == 200)
    }

    /// The fields qpdf finds, by full name, with their values as qpdf's JSON writes them.
    func qpdfFieldValues(_ file: URL) async throws -> [String: String] {
        let json = try await runCommand("qpdf", ["--json", "--json-key=acroform", file.path]).output
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let fields = (document["acroform"] as? [String: Any])?["fields"] as? [[String: Any]] ?? []
        var values: [String: String] = [:]
        for field in fields {
            if let name = field["fullname"] as? String { values[name] = field["value"] as? String ?? "" }
        }
        return values
    }
}
