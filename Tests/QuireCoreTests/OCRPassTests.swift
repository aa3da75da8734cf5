// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore
import Testing

/// The resolution OCR reads a page at, and `lang`'s syntax.
struct OCRPassTests {
    @Test func resolutionFollowsTheScan() throws {
        let pass = OCRPass(languages: .english, onlyPagesWithoutText: false)
        #expect(pass.resolution(forScanAt: 200, coverage: 0.98) == 200, "a 200-dpi scan is read at 200")
        #expect(pass.resolution(forScanAt: 600, coverage: 0.98) == 400, "a 600-dpi scan is not read at more than 400")
        #expect(pass.resolution(forScanAt: 72, coverage: 0.98) == 150, "a 72-dpi image is read at 150")
        #expect(pass.resolution(forScanAt: 600, coverage: 0.1) == 300, "a small picture on a page is not a scan")
        #expect(pass.resolution(forScanAt: nil, coverage: 0) == 300)
        var fixed = pass
        fixed.resolution = 500
        #expect(fixed.resolution(forScanAt: 200, coverage: 1) == 500, "OCRResolution wins")
    }

    @Test func languageLists() throws {
        #expect(try OCRLanguages(parsing: "eng+deu").codes == ["eng", "deu"])
        #expect(try OCRLanguages(parsing: "eng deu").codes == ["eng", "deu"], "a + in a query string is a space")
        #expect(try OCRLanguages(parsing: "chi_sim").codes == ["chi_sim"])
        #expect(throws: OCRLanguagesError.self) { try OCRLanguages(parsing: "") }
        #expect(throws: OCRLanguagesError.self) { try OCRLanguages(parsing: "../eng") }
        #expect(throws: OCRLanguagesError.self) { try OCRLanguages(parsing: Array(repeating: "eng", count: 9).joined(separator: "+")) }
        #expect(OCRLanguages.english.missing(installed: ["deu"]) == "eng")
    }
}
