// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore
import Testing

/// PDF.co's `[[barcode:TYPES VALUE]]` read into a typed search, and what it matches.
struct BarcodeSplitSearchTests {
    @Test(arguments: [
        (
            "[[barcode:qrcode,datamatrix /bytescout\\.com/]]",
            BarcodeSplitSearch(types: [.qrCode, .dataMatrix], value: "bytescout\\.com", isRegex: true)
        ),
        ("[[barcode:qrcode]]", BarcodeSplitSearch(types: [.qrCode])),
        ("  [[BARCODE:QRCode , Code128 ,qrcode INV 001]] ", BarcodeSplitSearch(types: [.qrCode, .code128], value: "INV 001")),
        ("[[barcode:/^A/]]", BarcodeSplitSearch(value: "^A", isRegex: true)),
        ("[[barcode:]]", BarcodeSplitSearch()),
    ])
    func parses(_ text: String, _ expected: BarcodeSplitSearch) throws {
        #expect(BarcodeSplitSearch.isWritten(text))
        #expect(try BarcodeSplitSearch(parsing: text) == expected)
    }

    @Test(arguments: [
        ("[[barcode:qrcode,nope]]", BarcodeSearchError.unknownType("nope")),
        ("[[barcode:qrcode /a(/]]", .syntax("/a(/ is not a valid regular expression.")),
    ])
    func refuses(_ text: String, _ expected: BarcodeSearchError) {
        #expect(throws: expected) { try BarcodeSplitSearch(parsing: text) }
    }

    @Test func refusesBrokenForms() {
        for text in [
            "[[barcode:qrcode", "[[barcode:qrcode /x/i]]", "[[barcode:qrcode /x]]", "[[barcode:qrcode]] tail",
            "[[barcode:qrcode /" + String(repeating: "x", count: 5000) + "/]]",
        ] {
            #expect(throws: BarcodeSearchError.self, "\(text.prefix(40))") { try BarcodeSplitSearch(parsing: text) }
        }
        #expect(!BarcodeSplitSearch.isWritten("barcode:qrcode"))
    }

    @Test func matchesValues() throws {
        let regex = try BarcodeSplitSearch(parsing: "[[barcode:qrcode /inv-\\d+/]]")
        #expect(try regex.matcher(caseSensitive: false)("Ref INV-42"))
        #expect(try !regex.matcher(caseSensitive: true)("Ref INV-42"))
        let plain = try BarcodeSplitSearch(parsing: "[[barcode:qrcode INV-42]]")
        #expect(try plain.matcher(caseSensitive: false)("inv-42"))
        #expect(try !plain.matcher(caseSensitive: false)("INV-420"))
        #expect(try BarcodeSplitSearch(parsing: "[[barcode:qrcode]]").matcher(caseSensitive: true)("anything"))
    }
}
