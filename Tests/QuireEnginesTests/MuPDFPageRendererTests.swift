// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireTestSupport
import Testing

@testable import QuireEngines

/// `MuPDFPageRenderer`: files per page in the order asked, the pixel limit, bad resolutions.
struct MuPDFPageRendererTests {
    @Test func rendersSelectedPagesInOrder() async throws {
        let pages = (1...6).map { "Page \($0)" }
        try await EngineFixtures.withAsync { fixtures in
            let file = try fixtures.file("six.pdf", TestPDF.make(pages: pages))
            let output = file.deletingLastPathComponent().appendingPathComponent("out")
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            let files = try MuPDFPageRenderer(context: mupdf, maxThreads: 2).renderPNG(
                from: file, password: nil, pages: try PageSelection(parsing: "5,0-3"), dpi: 72, into: output, baseName: "p")
            #expect(files.map(\.lastPathComponent) == ["p-6.png", "p-1.png", "p-2.png", "p-3.png", "p-4.png"])
            for file in files {
                let data = try Data(contentsOf: file)
                #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
                // 612 × 792 points at 72 dpi: the IHDR width is 612.
                #expect(data[16..<20].reduce(0) { $0 << 8 | Int($1) } == 612)
            }
        }
    }

    /// A page over the pixel limit is refused before anything is allocated for it.
    @Test func pixelLimit() async throws {
        try await EngineFixtures.withAsync { fixtures in
            let file = try fixtures.file("one.pdf", TestPDF.make(pages: ["Big"]))
            let renderer = MuPDFPageRenderer(context: mupdf, maxPixelsPerPage: 1_000_000)
            #expect(throws: EngineError.self) {
                try renderer.renderPNG(
                    from: file, password: nil, pages: .all, dpi: 600, into: file.deletingLastPathComponent(), baseName: "p")
            }
            #expect(throws: EngineError.self) {
                try renderer.renderPNG(
                    from: file, password: nil, pages: .all, dpi: 0, into: file.deletingLastPathComponent(), baseName: "p")
            }
        }
    }

    /// Quire's fast PNG writer keeps every pixel: the decoded rows equal those of `mutool draw`
    /// at the same resolution (60 dpi: unfiltering in a debug build is slow).
    @Test func pixelsMatchMutoolDraw() async throws {
        try await EngineFixtures.withAsync { fixtures in
            let file = try fixtures.file("two.pdf", TestPDF.make(pages: ["First page, some text", "Second page\nwith two lines"]))
            let output = file.deletingLastPathComponent().appendingPathComponent("pixels")
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            let ours = try MuPDFPageRenderer(context: mupdf).renderPNG(
                from: file, password: nil, pages: .all, dpi: 60, into: output, baseName: "q")
            for (index, page) in ours.enumerated() {
                let reference = output.appendingPathComponent("m-\(index + 1).png")
                #expect(
                    try await runCommand("mutool", ["draw", "-q", "-r", "60", "-o", reference.path, file.path, "\(index + 1)"]).status == 0)
                func rows(_ url: URL) throws -> Data {
                    let png = try #require(PNGImage(try Data(contentsOf: url)))
                    #expect(png.colorType == 2 && png.bitDepth == 8)
                    return try png.unfilteredRows { try ImageCodec.inflate($0, maxLength: $1) }
                }
                #expect(try rows(page) == (try rows(reference)), "page \(index + 1) differs from mutool draw")
            }
        }
    }
}
