// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore
import Testing

struct OutputNameTests {
    /// Path parts, control characters and missing extensions are fixed.
    @Test(arguments: [
        ("result.txt", "txt", "result.txt"),
        ("result", "txt", "result.txt"),
        ("RESULT.TXT", "txt", "RESULT.TXT"),
        ("report.pdf", "txt", "report.pdf.txt"),
        ("../../etc/passwd", "txt", "passwd.txt"),
        ("C:\\Users\\me\\out.txt", "txt", "out.txt"),
        (".\\result.txt", "txt", "result.txt"),
        ("a\u{0}b\nc.txt", "txt", "abc.txt"),
        ("", "txt", "result.txt"),
        ("...", "txt", "result.txt"),
        ("C:evil.txt", "txt", "evil.txt"),
    ])
    func sanitizes(raw: String, ext: String, expected: String) {
        #expect(OutputName.sanitize(raw, extension: ext) == expected)
    }

    @Test func nilNameUsesFallback() {
        #expect(OutputName.sanitize(nil, extension: "txt") == "result.txt")
        #expect(OutputName.sanitize(nil, extension: nil, fallback: "file") == "file")
    }

    /// Names in URLs carry none of the characters clients would misread in a query string.
    @Test func urlSafeNames() {
        #expect(OutputName.urlSafe("my report, v2 & final?.pdf") == "my_report__v2___final_.pdf")
        #expect(OutputName.urlSafe("100%+.txt") == "100__.txt")
        #expect(OutputName.urlSafe("Übersicht.pdf") == "_bersicht.pdf")
    }
}
