// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// Several codes on one PDF page, where documents put them, all read through the real server.
@Suite(.serialized)
final class BarcodeLayoutTests {
    let temp = TemporaryDirectory()
    let server: QuireServer

    init() async throws {
        server = try await QuireServer(data: temp.file("data"))
    }

    deinit { server.kill9() }

    /// Generated `type` code as vector squares moved by (`x`, `y`) SVG units.
    func squares(_ type: String, _ value: String, x: Double, y: Double) async throws -> [BarcodeTests.Square] {
        let (answer, status) = try await HTTP.postJSON(
            "\(server.baseURL)/barcode/generate", ["type": type, "value": value, "format": "svg"])
        #expect(status == 200, "\(answer)")
        let svg = String(decoding: try await HTTP.get(try #require(answer["url"] as? String)).0, as: UTF8.self)
        return BarcodeTests.squares(inSVG: svg).map { .init(x: $0.x + x, y: $0.y + y, width: $0.width, height: $0.height) }
    }

    /// Three linear codes one above the other on a page and a QR code beside them are all reported
    /// (zxing-cpp 1.4 is asked for one linear code at a time; each is painted out before the next).
    @Test func severalLinearCodesOnOnePage() async throws {
        var page: [BarcodeTests.Square] = []
        page += try await squares("Code128", "FIRST-128", x: 0, y: 0)
        page += try await squares("EAN13", "5901234123457", x: 0, y: 220)
        page += try await squares("Code39", "THIRD 39", x: 0, y: 440)
        page += try await squares("QRCode", "beside", x: 600, y: 0)
        let url = try await HTTP.upload(BarcodeTests.pdf(pages: [page], scale: 0.5), name: "stack.pdf", base: server.baseURL)
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/barcode/read/from/url", ["url": url])
        #expect(status == 200, "\(answer)")
        let values = (answer["barcodes"] as? [[String: Any]] ?? []).map { $0["Value"] as? String ?? "" }
        #expect(values.sorted() == ["5901234123457", "FIRST-128", "THIRD 39", "beside"], "\(answer)")
        // `MaxNumberOfBarcodesPerPage` still bounds what is answered.
        let (limited, _) = try await HTTP.postJSON(
            "\(server.baseURL)/barcode/read/from/url", ["url": url, "profiles": #"{"MaxNumberOfBarcodesPerPage": 2}"#])
        #expect((limited["barcodes"] as? [Any])?.count == 2, "\(limited)")
    }

    /// With two engine hosts a 20-page PDF is read in two halves at once; the answer is the same
    /// as one host's: every page's code, in page order, `Page` counting the whole document.
    @Test func pagesReadAcrossHostsComeBackInOrder() async throws {
        let wide = try await QuireServer(data: temp.file("wide"), arguments: ["--workers", "2"])
        defer { wide.stop() }
        var pages: [[BarcodeTests.Square]] = []
        for index in 0..<20 { pages.append(index % 4 == 3 ? [] : try await squares("QRCode", "page \(index)", x: 0, y: 0)) }
        let url = try await HTTP.upload(BarcodeTests.pdf(pages: pages, scale: 1, size: 300), name: "twenty.pdf", base: wide.baseURL)
        for (selection, expected) in [(nil, Array(0..<20)), ("2-17", Array(2...17))] as [(String?, [Int])] {
            var parameters: [String: Any] = ["url": url]
            if let selection { parameters["pages"] = selection }
            let (answer, status) = try await HTTP.postJSON("\(wide.baseURL)/barcode/read/from/url", parameters)
            #expect(status == 200, "\(answer)")
            #expect(answer["pageCount"] as? Int == expected.count)
            let codes = answer["barcodes"] as? [[String: Any]] ?? []
            let withCodes = expected.filter { $0 % 4 != 3 }
            #expect(codes.map { $0["Page"] as? Int ?? -1 } == withCodes, "\(answer)")
            #expect(codes.map { $0["Value"] as? String ?? "" } == withCodes.map { "page \($0)" })
        }
    }

    /// Small, soft photographed codes (Tests/Fixtures/barcodes) read once enlarged.
    @Test func softPhotographedMatrixCodes() async throws {
        let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/barcodes")
        for (name, value) in [("photo-datamatrix.jpg", "DM-4m7HQgfTKpFard6"), ("photo-aztec.jpg", "AZGBQhrOlR")] {
            let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
            let url = try await HTTP.upload(data, name: name, base: server.baseURL)
            let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/barcode/read/from/url", ["url": url])
            #expect(status == 200, "\(answer)")
            #expect((answer["barcodes"] as? [[String: Any]])?.map { $0["Value"] as? String } == [value], "\(name): \(answer)")
        }
    }
}
