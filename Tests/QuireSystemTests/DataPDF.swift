// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Hand-written PDFs for the PDF → data tests: pages of any size whose content streams draw
/// Helvetica text and ruling lines, optionally an image (a scan with no text layer).
enum DataPDF {
    /// One page: its size in points and its content stream (PDF operators, origin bottom-left).
    struct Page {
        var width = 612.0
        var height = 792.0
        var content = ""
        /// Draws an 8×8 gray image named /Im1 (the content must `Do` it).
        var hasImage = false

        /// Text at `x`, with its baseline `top` points below the page's top edge.
        mutating func text(_ text: String, x: Double, top: Double, size: Double = 12) {
            content += "BT /F1 \(size) Tf \(x) \(height - top) Td \(Self.literal(text)) Tj ET\n"
        }

        /// A stroked line between two points given from the top-left corner.
        mutating func line(_ x0: Double, _ top0: Double, _ x1: Double, _ top1: Double) {
            content += "\(x0) \(height - top0) m \(x1) \(height - top1) l S\n"
        }

        /// A ruled grid: every edge drawn across the whole table; `rows` are row edges from the top.
        mutating func grid(columns xs: [Double], rows ys: [Double]) {
            for y in ys { line(xs.first!, y, xs.last!, y) }
            for x in xs { line(x, ys.first!, x, ys.last!) }
        }

        static func literal(_ text: String) -> String {
            var out = "("
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"): out += "\\" + String(UnicodeScalar(byte))
                case 0x20...0x7E: out += String(UnicodeScalar(byte))
                default: out += "\\" + String(byte, radix: 8)
                }
            }
            return out + ")"
        }
    }

    static func make(_ pages: [Page]) -> Data {
        var objects: [Data] = [
            Data("<< /Type /Catalog /Pages 2 0 R >>".utf8),
            Data(
                "<< /Type /Pages /Kids [\((0..<pages.count).map { "\(5 + 2 * $0) 0 R" }.joined(separator: " "))] /Count \(pages.count) >>"
                    .utf8),
            Data("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".utf8),
            stream(
                "<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8",
                Data((0..<64).map { UInt8($0 * 4) })),
        ]
        for page in pages {
            let resources = "<< /Font << /F1 3 0 R >>" + (page.hasImage ? " /XObject << /Im1 4 0 R >>" : "") + " >>"
            objects.append(
                Data(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(page.width) \(page.height)] /Resources \(resources) /Contents \(objects.count + 2) 0 R >>"
                        .utf8))
            objects.append(stream("<<", Data(page.content.utf8)))
        }
        var out = Data("%PDF-1.4\n".utf8)
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(out.count)
            out += Data("\(index + 1) 0 obj\n".utf8) + object + Data("\nendobj\n".utf8)
        }
        let xref = out.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(format: "%010d 00000 n \n", offset) }
        table += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return out + Data(table.utf8)
    }

    private static func stream(_ dictionaryStart: String, _ bytes: Data) -> Data {
        Data("\(dictionaryStart) /Length \(bytes.count) >>\nstream\n".utf8) + bytes + Data("\nendstream".utf8)
    }

    // MARK: - The documents the tests use

    /// A ruled table of 3 columns × 4 rows under a title, with a sentence below it.
    static let tableValues = [["Item", "Qty", "Price"], ["Apples", "12", "3.50"], ["Pears", "7", "2.25"], ["Plums", "150", "0.99"]]
    static let tableBox = (x: 72.0, y: 150.0, width: 360.0, height: 80.0)

    static func tablePage() -> Page {
        var page = Page()
        page.text("Fruit report for the week", x: 72, top: 100, size: 16)
        let xs = [72.0, 192, 312, 432]
        let ys = [150.0, 170, 190, 210, 230]
        page.grid(columns: xs, rows: ys)
        for (row, values) in tableValues.enumerated() {
            for (column, value) in values.enumerated() { page.text(value, x: xs[column] + 4, top: ys[row] + 14) }
        }
        page.text("All prices are in euros and include taxes of every kind that apply.", x: 72, top: 300)
        return page
    }

    static let table = make([tablePage()])
}
