// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// `/barcode/generate` and `/barcode/read/from/url` through the real server: what one writes the
/// other reads back, on images and PDF pages; bad and hostile input answered with a 4xx.
@Suite(.serialized)
final class BarcodeTests {
    let temp = TemporaryDirectory()
    let server: QuireServer

    init() async throws {
        server = try await QuireServer(data: temp.file("data"))
    }

    deinit { server.kill9() }

    /// A value each type takes, as a reader gives it back.
    static let samples: [(type: String, value: String)] = [
        ("QRCode", "https://quire.example/ü?id=42"), ("DataMatrix", "Quire DM 0042"), ("PDF417", "Quire PDF417 sample"),
        ("Aztec", "Quire Aztec"), ("Code128", "QUIRE-128-abc"), ("Code39", "QUIRE 39"), ("Code93", "QUIRE93"),
        ("Codabar", "40156"), ("EAN13", "5901234123457"), ("EAN8", "96385074"), ("UPCA", "036000291452"),
        ("UPCE", "01234565"), ("Interleaved2of5", "12345678"), ("GS1DataBarOmnidirectional", "09501101530010"),
        ("GS1DataBarExpanded", "(01)98898765432106(3202)012345"),
    ]

    func generate(_ parameters: [String: Any]) async throws -> ([String: Any], Int) {
        try await HTTP.postJSON("\(server.baseURL)/barcode/generate", parameters)
    }

    func read(_ parameters: [String: Any]) async throws -> ([String: Any], Int) {
        try await HTTP.postJSON("\(server.baseURL)/barcode/read/from/url", parameters)
    }

    func barcodes(_ answer: [String: Any]) -> [[String: Any]] { answer["barcodes"] as? [[String: Any]] ?? [] }

    /// The URL of a generated image of `value` as `type`.
    func generatedURL(_ type: String, _ value: String, format: String = "png") async throws -> String {
        let (answer, status) = try await generate(["type": type, "value": value, "format": format])
        #expect(status == 200, "\(type): \(answer)")
        return try #require(answer["url"] as? String, "\(type): \(answer)")
    }

    /// Every type generated as PNG reads back as the same type with the same value, in PDF.co's shape.
    @Test func everyTypeRoundTrips() async throws {
        for (type, value) in Self.samples {
            let url = try await generatedURL(type, value)
            #expect(url.hasSuffix(".png"))
            let (answer, status) = try await read(["url": url])
            #expect(status == 200, "\(type): \(answer)")
            let found = barcodes(answer)
            #expect(found.count == 1, "\(type): \(answer)")
            let code = try #require(found.first, "\(type)")
            #expect(code["TypeName"] as? String == type)
            #expect(code["Value"] as? String == value, "\(type)")
            #expect(code["Page"] as? Int == 0)
            #expect(code["File"] as? String == url)
            #expect(code["Confidence"] as? Double == 1 || code["Confidence"] as? Int == 1)
            #expect(code["Type"] is Int)
            let rect = code["Rect"] as? String ?? ""
            #expect(rect.range(of: #"^\{X=\d+,Y=\d+,Width=\d+,Height=\d+\}$"#, options: .regularExpression) != nil, "\(rect)")
            let raw = Data(Self.hexBytes(code["RawData"] as? String ?? ""))
            #expect(!raw.isEmpty, "\(type)")
        }
    }

    /// `types` limits what is reported: a QR code is not listed when only Code128 is asked for.
    @Test func typesFilterWhatIsRead() async throws {
        let url = try await generatedURL("QRCode", "only QR")
        let (onlyOther, status) = try await read(["url": url, "types": "Code128,EAN13"])
        #expect(status == 200)
        #expect(barcodes(onlyOther).isEmpty)
        let (asked, _) = try await read(["url": url, "types": "qrcode"])
        #expect(barcodes(asked).first?["Value"] as? String == "only QR")
    }

    /// `inline=true` answers the image itself as a data URL besides the link; SVG is SVG.
    @Test func inlineAnswerIsADataURL() async throws {
        let (answer, status) = try await generate(["value": "inline", "inline": true])
        #expect(status == 200)
        let body = try #require(answer["body"] as? String)
        #expect(body.hasPrefix("data:image/png;base64,"))
        let image = try #require(Data(base64Encoded: String(body.dropFirst("data:image/png;base64,".count))))
        let (file, _) = try await HTTP.get(try #require(answer["url"] as? String))
        #expect(image == file)
        #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let svgURL = try await generatedURL("QRCode", "vector", format: "svg")
        #expect(svgURL.hasSuffix(".svg"))
        let (svg, _) = try await HTTP.get(svgURL)
        #expect(String(decoding: svg, as: UTF8.self).contains("<svg"))
    }

    /// A code in an image on a PDF page is found on that page; turned 90° by `/pdf/edit/rotate`
    /// it is still found (a linear code read across).
    @Test func codesOnPDFPagesAndRotatedPages() async throws {
        for (type, value) in [("QRCode", "on a page"), ("Code128", "ROTATED-128")] {
            let image = try await generatedURL(type, value)
            let (pdf, pdfStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/from/image", ["url": image])
            #expect(pdfStatus == 200, "\(pdf)")
            let pdfURL = try #require(pdf["url"] as? String)
            let (answer, status) = try await read(["url": pdfURL])
            #expect(status == 200, "\(answer)")
            #expect(answer["pageCount"] as? Int == 1)
            #expect(barcodes(answer).map { $0["Value"] as? String } == [value], "\(type): \(answer)")
            let (rotated, rotatedStatus) = try await HTTP.postJSON(
                "\(server.baseURL)/pdf/edit/rotate", ["url": pdfURL, "angle": 90])
            #expect(rotatedStatus == 200, "\(rotated)")
            let (turned, _) = try await read(["url": try #require(rotated["url"] as? String)])
            #expect(barcodes(turned).map { $0["Value"] as? String } == [value], "\(type) rotated: \(turned)")
            #expect(barcodes(turned).first?["TypeName"] as? String == type)
        }
    }

    /// DataMatrix and Aztec codes away from the page's centre, two DataMatrix on one page, are
    /// all found (zxing-cpp 1.4 looks for these two only from the centre of the image).
    @Test func matrixCodesAnywhereOnAPage() async throws {
        var drawn: [Square] = []
        for (type, value, x, y) in [
            ("DataMatrix", "corner DM", 0.0, 0.0), ("DataMatrix", "second DM", 0, 100), ("Aztec", "low Aztec", 190, 210),
        ] {
            let svg = try await HTTP.get(try await generatedURL(type, value, format: "svg")).0
            drawn += Self.squares(inSVG: String(decoding: svg, as: UTF8.self)).map {
                Square(x: $0.x + x, y: $0.y + y, width: $0.width, height: $0.height)
            }
        }
        let url = try await HTTP.upload(Self.pdf(pages: [drawn], scale: 2), name: "corners.pdf", base: server.baseURL)
        let (answer, status) = try await read(["url": url])
        #expect(status == 200, "\(answer)")
        #expect(Set(barcodes(answer).map { $0["Value"] as? String ?? "" }) == ["corner DM", "second DM", "low Aztec"], "\(answer)")
    }

    /// A QR code drawn as vector squares on a second page reads on page 1 (0-based, as
    /// `Page` counts); with a band of its modules missing it is answered as no barcodes, not an error.
    @Test func damagedCodeIsNoBarcode() async throws {
        let svgURL = try await generatedURL("QRCode", String(repeating: "Quire damaged code ", count: 4), format: "svg")
        let squares = Self.squares(inSVG: String(decoding: try await HTTP.get(svgURL).0, as: UTF8.self))
        #expect(squares.count > 50)
        let whole = Self.pdf(pages: [[], squares], scale: 2)
        let (answer, status) = try await read(["url": try await HTTP.upload(whole, name: "whole.pdf", base: server.baseURL)])
        #expect(status == 200)
        #expect(barcodes(answer).map { $0["Page"] as? Int } == [1], "\(answer)")
        // The middle third of the rows gone: more than error correction level L can restore.
        let height = squares.map { $0.y + $0.height }.max() ?? 0
        let damaged = squares.filter { $0.y + $0.height < height / 3 || $0.y > height * 2 / 3 }
        let (broken, brokenStatus) = try await read([
            "url": try await HTTP.upload(Self.pdf(pages: [damaged], scale: 2), name: "damaged.pdf", base: server.baseURL)
        ])
        #expect(brokenStatus == 200, "\(broken)")
        #expect(broken["error"] as? Bool == false)
        #expect(barcodes(broken).isEmpty, "\(broken)")
    }

    /// An unknown type is a 400 naming the parameter and the value; a PDF.co type this server
    /// cannot handle says so.
    @Test func badTypeIsNamed() async throws {
        let (answer, status) = try await generate(["value": "x", "type": "Foo128"])
        #expect(status == 400)
        #expect((answer["message"] as? String)?.contains("'type'") == true)
        #expect((answer["message"] as? String)?.contains("Foo128") == true)
        let url = try await generatedURL("QRCode", "x")
        let (readAnswer, readStatus) = try await read(["url": url, "types": "QRCode,Bogus"])
        #expect(readStatus == 400)
        #expect((readAnswer["message"] as? String)?.contains("'types'") == true)
        #expect((readAnswer["message"] as? String)?.contains("Bogus") == true)
        let (postNet, postNetStatus) = try await read(["url": url, "types": "PostNet"])
        #expect(postNetStatus == 400)
        #expect((postNet["message"] as? String)?.contains("not supported") == true)
        // A value the type cannot hold: zint's reason, without its error number.
        let (ean, eanStatus) = try await generate(["value": "12AB", "type": "EAN13"])
        #expect(eanStatus == 400)
        #expect((ean["message"] as? String)?.contains("EAN13") == true)
        let (_, missing) = try await generate(["type": "QRCode"])
        #expect(missing == 400)
    }

    /// 10 000 characters are refused before any engine sees them; 2 900 that Code 128 cannot
    /// hold are a 400 naming the type.
    @Test func overlongValuesAreRefused() async throws {
        let (answer, status) = try await generate(["value": String(repeating: "A", count: 10_000)])
        #expect(status == 413)
        #expect((answer["message"] as? String)?.contains("'value'") == true)
        let (tooBig, tooBigStatus) = try await generate(["value": String(repeating: "x", count: 2_900), "type": "Code128"])
        #expect(tooBigStatus == 400, "\(tooBig)")
        #expect((tooBig["message"] as? String)?.contains("Code128") == true)
    }

    /// A 20 000 × 20 000 image is refused from its header (413) before it is decoded; a
    /// 200-inch PDF page is read at a lower resolution, and its code still found.
    @Test func hugeInputsAreBounded() async throws {
        let png = Self.pngHeader(width: 20_000, height: 20_000)
        let (answer, status) = try await read(["url": try await HTTP.upload(png, name: "huge.png", base: server.baseURL)])
        #expect(status == 413, "\(answer)")
        #expect((answer["message"] as? String)?.contains("20000") == true)
        let svgURL = try await generatedURL("QRCode", "huge page", format: "svg")
        let squares = Self.squares(inSVG: String(decoding: try await HTTP.get(svgURL).0, as: UTF8.self))
        let big = Self.pdf(pages: [squares], scale: 60, size: 14_400)
        let (bigAnswer, bigStatus) = try await read(["url": try await HTTP.upload(big, name: "big.pdf", base: server.baseURL)])
        #expect(bigStatus == 200, "\(bigAnswer)")
        #expect(barcodes(bigAnswer).map { $0["Value"] as? String } == ["huge page"])
    }

    /// Input that is neither a PDF nor an image, a corrupt PDF and a missing `url` are 4xx.
    @Test func invalidInputIs4xx() async throws {
        let text = try await HTTP.upload(Data("just text".utf8), name: "notes.txt", base: server.baseURL)
        let (answer, status) = try await read(["url": text])
        #expect(status == 415, "\(answer)")
        let corrupt = try await HTTP.upload(Data("%PDF-1.7\nnot really".utf8), name: "bad.pdf", base: server.baseURL)
        let (_, corruptStatus) = try await read(["url": corrupt])
        #expect((400..<500).contains(corruptStatus))
        let (_, missing) = try await read([:])
        #expect(missing == 400)
        let (_, pages) = try await read(["url": try await generatedURL("QRCode", "x"), "pages": "3"])
        #expect(pages == 449)
    }

    // MARK: - Inputs made here

    struct Square {
        var x: Double
        var y: Double
        var width: Double
        var height: Double
    }

    /// The black rectangles of a zint SVG (the first, white one is the background).
    static func squares(inSVG svg: String) -> [Square] {
        let pattern = try! NSRegularExpression(
            pattern: #"<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" />"#)
        return pattern.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)).map { match in
            let number = { (group: Int) in Double(svg[Range(match.range(at: group), in: svg)!])! }
            return Square(x: number(1), y: number(2), width: number(3), height: number(4))
        }
    }

    /// A PDF whose pages draw `squares` (SVG units times `scale`, from the top left, 36 pt in),
    /// on pages `size` points square.
    static func pdf(pages: [[Square]], scale: Double, size: Double = 612) -> Data {
        var objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
        var kids: [String] = []
        for squares in pages {
            let content = squares.map {
                let y = size - 36 - ($0.y + $0.height) * scale
                return "\(36 + $0.x * scale) \(y) \($0.width * scale) \($0.height * scale) re f"
            }.joined(separator: "\n")
            objects.append("<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream")
            objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(size) \(size)] /Contents \(objects.count) 0 R >>")
            kids.append("\(objects.count) 0 R")
        }
        objects[1] = "<< /Type /Pages /Kids [\(kids.joined(separator: " "))] /Count \(pages.count) >>"
        var pdf = "%PDF-1.7\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        pdf += offsets.map { String(format: "%010d 00000 n \n", $0) }.joined()
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(pdf.utf8)
    }

    /// The signature and IHDR of a gray PNG of `width` × `height`, with no pixel data after it:
    /// what a reader sees before it would decode.
    static func pngHeader(width: Int, height: Int) -> Data {
        var data = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var body = Data("IHDR".utf8)
        for value in [width, height] { body.append(contentsOf: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }) }
        body.append(contentsOf: [8, 0, 0, 0, 0])
        data.append(contentsOf: [0, 0, 0, 13])
        data.append(body)
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in body {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        crc ^= 0xFFFF_FFFF
        data.append(contentsOf: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: crc >> $0) })
        return data
    }

    static func hexBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex), index != text.endIndex {
            guard let byte = UInt8(text[index..<next], radix: 16) else { return [] }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
