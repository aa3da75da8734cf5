// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines
import QuireTestSupport
import Testing

/// Page runs extracted on several threads come back in page order, identical to one thread.
struct ParallelExtractionTests {
    @Test(arguments: [TextLayout.preserveLayout, .simple])
    func sameTextAsOneThread(layout: TextLayout) async throws {
        let pages = (1...100).map { "Page \($0)\nLine a of page \($0)\nItem \($0 * 7)" }
        try await EngineFixtures.withAsync { fixtures in
            let file = try fixtures.file("hundred.pdf", TestPDF.make(pages: pages))
            for selection in ["", "!0,0-60,3"] {
                let parsed = try PageSelection(parsing: selection)
                let one = try MuPDFTextExtractor(context: mupdf, maxThreads: 1).extractText(
                    from: file, password: nil, pages: parsed, layout: layout)
                let four = try MuPDFTextExtractor(context: mupdf, maxThreads: 4).extractText(
                    from: file, password: nil, pages: parsed, layout: layout)
                #expect(four == one)
            }
            let all = try MuPDFTextExtractor(context: mupdf, maxThreads: 4).extractText(
                from: file, password: nil, pages: .all, layout: layout)
            let texts = all.text.split(separator: "\u{0C}")
            #expect(texts.count == 100)
            for (index, text) in texts.enumerated() { #expect(text.contains("Page \(index + 1)\n")) }
        }
    }
}
