// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireEngines
import QuireTestSupport
import Testing

/// Images → PDF: every format, pixels compared with what Pillow decodes (expected/*.ppm),
/// JPEG bytes kept as they are.
struct ImagesToPDFTests {
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/images")
    let temp = TemporaryDirectory()

    func convert(_ names: [String]) throws -> URL {
        let output = temp.file("out-\(UUID().uuidString).pdf")
        _ = try ImagesToPDF(context: try MuPDFContext()).convert(
            inputs: names.map { Self.fixtures.appendingPathComponent($0) }, output: output)
        return output
    }

    /// Pixels of a binary PPM (P6, 8-bit) after its header.
    func pixels(_ ppm: Data) -> (width: Int, height: Int, samples: [UInt8])? {
        var fields: [Int] = []
        var index = 2
        var number = ""
        while fields.count < 3, index < ppm.count {
            let byte = ppm[index]
            if byte >= 0x30 && byte <= 0x39 {
                number.append(Character(UnicodeScalar(byte)))
            } else if !number.isEmpty {
                fields.append(Int(number)!)
                number = ""
            }
            index += 1
        }
        guard fields.count == 3 else { return nil }
        return (fields[0], fields[1], [UInt8](ppm[index...]))
    }

    /// Renders `page` of `pdf` at the expected image's pixel size and returns the largest
    /// difference of any sample.
    func maxDifference(_ pdf: URL, page: Int, expected name: String) async throws -> Int {
        let expected = try #require(pixels(try Data(contentsOf: Self.fixtures.appendingPathComponent("expected/\(name).ppm"))))
        let rendered = temp.file("page-\(UUID().uuidString).ppm")
        let draw = try await runCommand(
            "mutool", ["draw", "-q", "-o", rendered.path, "-w", "\(expected.width)", "-h", "\(expected.height)", pdf.path, "\(page)"])
        #expect(draw.status == 0)
        let actual = try #require(pixels(try Data(contentsOf: rendered)))
        #expect(actual.width == expected.width && actual.height == expected.height, "\(name): page is \(actual.width)×\(actual.height)")
        guard actual.samples.count == expected.samples.count else { return 255 }
        return zip(actual.samples, expected.samples).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }

    @Test(arguments: [
        "rgb.jpg", "gray.jpg", "cmyk.jpg", "rot6.jpg", "rgb.png", "pal.png", "paltrns.png", "gray16.png", "anim.gif", "rgb.bmp",
        "rgba.png", "rgba.webp",
    ])
    func pagesMatchTheImages(name: String) async throws {
        let pdf = try convert([name])
        // Soft masks are composited with rounding; everything else is exact.
        #expect(try await maxDifference(pdf, page: 1, expected: name) <= (name.hasPrefix("rgba") ? 2 : 0))
        #expect(try await runCommand("qpdf", ["--check", pdf.path]).status == 0)
    }

    @Test func multiFrameTIFFBecomesOnePagePerFrameInOrder() async throws {
        let pdf = try convert(["rgb.png", "multi.tiff", "rgb.jpg"])
        #expect(try await runCommand("mutool", ["info", pdf.path]).output.contains("Pages: 5"))
        for frame in 0..<3 {
            #expect(try await maxDifference(pdf, page: 2 + frame, expected: "multi.tiff-\(frame)") == 0)
        }
        #expect(try await maxDifference(pdf, page: 5, expected: "rgb.jpg") == 0)
    }

    @Test func jpegBytesAreEmbeddedUnchanged() throws {
        let pdf = try Data(contentsOf: try convert(["rgb.jpg", "cmyk.jpg", "rot6.jpg"]))
        for name in ["rgb.jpg", "cmyk.jpg", "rot6.jpg"] {
            #expect(pdf.range(of: try Data(contentsOf: Self.fixtures.appendingPathComponent(name))) != nil, "\(name) was re-encoded")
        }
    }

    /// Page size from the image's resolution: 150 dpi JFIF → 64 px = 30.72 pt; none → 96 dpi.
    @Test func pageSizeFollowsTheImageResolution() async throws {
        let info = try await runCommand("pdfinfo", ["-f", "1", "-l", "3", try convert(["rgb.jpg", "gray.jpg", "rot6.jpg"]).path]).output
        let sizes = info.split(separator: "\n").filter { $0.hasPrefix("Page ") && $0.contains("size:") }.map {
            $0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)
        }
        #expect(sizes == ["30.72 x 23.04 pts", "48 x 36 pts", "36 x 48 pts"], "EXIF orientation 6 turns the third page")
    }

    @Test func badInputsAreNamed() throws {
        #expect(throws: EngineError.self) { try convert(["rgb.png", "corrupt.png"]) }
        do {
            _ = try convert(["rgb.png", "corrupt.png"])
        } catch let error as EngineError {
            guard case .damaged(let message) = error else { Issue.record("\(error)"); return }
            #expect(message.contains("Input 2 of 2"))
        }
        do {
            _ = try convert(["../../Fixtures/office/plain.txt"])
        } catch let error as EngineError {
            #expect(error == .unsupported("The input: not a supported image (JPEG, PNG, GIF, BMP, TIFF or WebP)."))
        }
    }

    /// A PNG file of these chunks (CRCs zero: the reader does not check them).
    static func png(_ chunks: [(type: String, body: [UInt8])]) -> Data {
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        for (type, body) in chunks {
            png.append(contentsOf: (0..<4).map { UInt8(body.count >> (24 - $0 * 8) & 0xFF) } + Array(type.utf8) + body + [0, 0, 0, 0])
        }
        return png
    }

    /// A 10 kB TIFF whose StripByteCounts claims 866 million values: MuPDF would allocate 3.4 GB
    /// for them (the fuzzer found it, fuzz/regressions/pdf/). Refused as damaged from its header
    /// (MuPDF's reason, "a TIFF tag's values lie past the end of the file", goes to the log).
    @Test func tiffWhoseTagsOverrunTheFileIsDamaged() throws {
        let file = temp.file("tags.tif")
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("fuzz/regressions/pdf/tiff-huge-tag-count.tif"), to: file)
        let output = temp.file("tags.pdf")
        do {
            _ = try ImagesToPDF(context: try MuPDFContext()).convert(inputs: [file], output: output)
            Issue.record("the TIFF was converted")
        } catch let error as EngineError {
            guard case .damaged(let message) = error else { Issue.record("\(error)"); return }
            #expect(message == "The input is not a readable image: the image data is damaged or truncated.")
        }
    }

    /// A palette PNG with 16-bit indexes (the spec allows 1 to 8) and a tRNS chunk: its indexes
    /// would be looked up far past the 256-entry alpha table. Refused from its header.
    @Test func paletteIndexesWiderThanEightBitsAreRefused() throws {
        // One row of two 16-bit indexes 0xFFFF, filter None, in a stored (uncompressed) zlib block.
        let row: [UInt8] = [0, 0xFF, 0xFF, 0xFF, 0xFF]
        var (a, b) = (1, 0)
        for byte in row { (a, b) = ((a + Int(byte)) % 65521, (b + (a + Int(byte)) % 65521) % 65521) }
        let adler = [UInt8(b >> 8), UInt8(b & 0xFF), UInt8(a >> 8), UInt8(a & 0xFF)]
        let png = Self.png([
            ("IHDR", [0, 0, 0, 2, 0, 0, 0, 1, 16, 3, 0, 0, 0]), ("PLTE", [0, 0, 0, 255, 255, 255]), ("tRNS", [0, 255]),
            ("IDAT", [0x78, 0x01, 0x01, 5, 0, 0xFA, 0xFF] + row + adler), ("IEND", []),
        ])
        let file = temp.file("pal16.png")
        try png.write(to: file)
        #expect(throws: EngineError.damaged("The input is not a readable image: the PNG header is invalid.")) {
            try ImagesToPDF(context: try MuPDFContext()).convert(inputs: [file], output: temp.file("pal16.pdf"))
        }
    }

    /// Headers that claim 20000×20000 (PNG) or 30000×30000 (BMP) pixels are refused before
    /// anything is decoded.
    @Test func hugeImagesAreRefused() throws {
        let side: [UInt8] = [0, 0, 0x4E, 0x20]  // 20000
        let png = Self.png([
            ("IHDR", side + side + [8, 2, 0, 0, 0]), ("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]), ("IEND", []),
        ])
        let file = temp.file("huge.png")
        try png.write(to: file)
        // And a BMP whose header claims 30000×30000 (decoded formats are checked from their header).
        var bmp = Data("BM".utf8)
        func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(value >> ($0 * 8) & 0xFF) } }
        bmp.append(contentsOf: le32(54) + [0, 0, 0, 0] + le32(54))
        bmp.append(
            contentsOf: le32(40) + le32(30000) + le32(30000) + [1, 0, 24, 0] + le32(0) + le32(0) + le32(2835) + le32(2835) + le32(0)
                + le32(0))
        let bomb = temp.file("bomb.bmp")
        try bmp.write(to: bomb)
        for input in [file, bomb] {
            #expect {
                _ = try ImagesToPDF(context: try MuPDFContext()).convert(inputs: [input], output: temp.file("huge.pdf"))
            } throws: { error in
                guard case EngineError.limitExceeded = error else { return false }
                return true
            }
        }
    }
}
