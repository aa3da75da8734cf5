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

    deinit { server.stop() }

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
}
