// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore
import Testing

/// Rotate, split, split by text and delete pages through the router: PDF.co parameters in any
/// case and delivery become typed options; each bad value is a 4xx naming the parameter.
struct PageToolRouterTests {
    /// `angle` (any case, any delivery) is the rotation; `pages` is kept for the engine.
    @Test(arguments: RouterHarness.Delivery.allCases)
    func rotateAngle(_ delivery: RouterHarness.Delivery) async throws {
        let spec = try await RouterHarness().queued("/pdf/edit/rotate", ["Angle": "-270", "pages": "0,2-"], as: delivery)
        #expect(try RotateConversion.options(of: spec).angle == -270)
        #expect(spec.pages == "0,2-")
    }

    /// A JSON number and a whole decimal read as the same angle.
    @Test func rotateAngleAsJSONNumber() async throws {
        let harness = try RouterHarness()
        for (json, angle) in [("180", 180), ("1.8e2", 180), ("-90", -90)] {
            let answer = try await harness.send(
                "/pdf/edit/rotate", rawJSON: #"{"url": "\#(RouterHarness.anyURL)", "async": true, "angle": \#(json)}"#)
            #expect(try RotateConversion.options(of: try await harness.spec(of: answer)).angle == angle, "\(json)")
        }
    }

    /// Huge and fractional JSON numbers are refused by name rather than trapping in `Int(_:)`.
    @Test func outOfRangeJSONNumbersAreRefused() async throws {
        let harness = try RouterHarness()
        for (name, json) in [("angle", "1e300"), ("angle", "-1.7976931348623157e308"), ("angle", "45.0"), ("expiration", "1e19")] {
            let answer = try await harness.send(
                "/pdf/edit/rotate", rawJSON: #"{"url": "\#(RouterHarness.anyURL)", "async": true, "\#(name)": \#(json)}"#)
            #expect(answer.status == 400, "\(name)=\(json): \(answer.message)")
            #expect(answer.message.contains("'\(name)'"), "\(answer.message)")
        }
        #expect(try await harness.jobCount() == 0)
    }

    /// `searchString` and its three switches, as clients spell them.
    @Test(arguments: RouterHarness.Delivery.allCases)
    func splitByTextSettings(_ delivery: RouterHarness.Delivery) async throws {
        let spec = try await RouterHarness().queued(
            "/pdf/split2",
            ["searchString": "Invoice \\d+", "REGEXSEARCH": "true", "caseSensitive": "1", "excludeKeyPages": "yes", "name": "part.pdf"],
            as: delivery)
        let options = try SplitByTextConversion.options(of: spec)
        #expect(options.searchString == "Invoice \\d+")
        #expect(options.regexSearch)
        #expect(options.caseSensitive)
        #expect(options.excludeKeyPages)
        #expect(options.baseName == "part")
    }

    /// PDF.co's barcode form of `searchString` becomes a typed search: types, regex or plain value.
    @Test func splitByBarcodeSearch() async throws {
        let harness = try RouterHarness()
        let cases: [(String, BarcodeSplitSearch)] = [
            (
                "[[barcode:qrcode,datamatrix /bytescout\\.com/]]",
                .init(types: [.qrCode, .dataMatrix], value: "bytescout\\.com", isRegex: true)
            ),
            ("[[barcode:QRCode]]", .init(types: [.qrCode])),
            ("[[Barcode:qrcode, code128 INV-001]]", .init(types: [.qrCode, .code128], value: "INV-001")),
            ("[[barcode: /x/]]", .init(value: "x", isRegex: true)),
        ]
        for (search, expected) in cases {
            let spec = try await harness.queued("/pdf/split2", ["searchString": search])
            #expect(try SplitByTextConversion.options(of: spec).barcode == expected, "\(search)")
        }
        let text = try await harness.queued("/pdf/split2", ["searchString": "barcode: qrcode"])
        #expect(try SplitByTextConversion.options(of: text).barcode == nil)
    }

    /// `/pdf/split` keeps its one-based `pages` and names the parts after `name`.
    @Test func splitPagesAndName() async throws {
        let spec = try await RouterHarness().queued("/pdf/split", ["pages": "1-2,3-", "name": "chapter"])
        #expect(spec.pages == "1-2,3-")
        #expect(try SplitConversion.options(of: spec).baseName == "chapter")
        #expect(spec.outputName == "chapter.json")
    }

    /// `pages` names the pages to delete.
    @Test func deletePagesKeepsPages() async throws {
        let spec = try await RouterHarness().queued("/pdf/edit/delete-pages", ["pages": "!0"])
        #expect(spec.operation == .pdfDeletePages)
        #expect(spec.pages == "!0")
    }

    static let refusals: [Refusal] = [
        Refusal("/pdf/edit/rotate", ["angle": "45"], names: "'angle'"),
        Refusal("/pdf/edit/rotate", ["angle": "1e300"], names: "'angle'"),
        Refusal("/pdf/edit/rotate", ["angle": "NaN"], names: "'angle'"),
        Refusal("/pdf/edit/rotate", ["angle": "90.5"], names: "'angle'"),
        Refusal("/pdf/edit/rotate", ["angle": "0x5A"], names: "'angle'"),
        Refusal("/pdf/split2", [:], names: "'searchString'"),
        Refusal("/pdf/split2", ["searchString": "[[barcode:qrcode,Invoice]]"], names: "Invoice"),
        Refusal("/pdf/split2", ["searchString": "[[barcode:PostNet]]"], names: "not supported"),
        Refusal("/pdf/split2", ["searchString": "[[barcode:qrcode /([a-/]]"], names: "regular expression"),
        Refusal("/pdf/split2", ["searchString": "[[barcode:qrcode /INV/i]]"], names: "slashes"),
        Refusal("/pdf/split2", ["searchString": "[[barcode:qrcode"], names: "'searchString'"),
        Refusal("/pdf/split2", ["searchString": "[[barcode:qrcode /" + String(repeating: "a", count: 5000) + "/]]"], names: "4096"),
        Refusal("/pdf/split2", ["searchString": "x", "regexSearch": "maybe"], names: "'regexSearch'"),
        Refusal("/pdf/split2", ["searchString": "x", "caseSensitive": "maybe"], names: "'caseSensitive'"),
        Refusal("/pdf/split2", ["searchString": "x", "excludeKeyPages": "maybe"], names: "'excludeKeyPages'"),
        Refusal("/pdf/edit/delete-pages", [:], names: "'pages'"),
        Refusal("/pdf/edit/delete-pages", ["pages": " "], names: "'pages'"),
        // /pdf/split counts pages from 1.
        Refusal("/pdf/split", ["pages": "0"], names: "'pages'"),
        Refusal("/pdf/split", ["pages": "0-2"], names: "'pages'"),
        Refusal("/pdf/edit/delete-pages", ["pages": "1-x"], names: "'pages'"),
        Refusal("/pdf/edit/rotate", ["pages": "two"], names: "'pages'"),
    ]

    /// Each bad value is a 4xx naming the parameter, and queues nothing.
    @Test(arguments: refusals)
    func badValuesAreRefused(_ refusal: Refusal) async throws {
        try await RouterHarness().expectRefused(refusal)
    }
}
