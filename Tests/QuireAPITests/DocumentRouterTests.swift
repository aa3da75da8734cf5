// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore
import Testing

/// Office → PDF, text, merge and upload-from-URL through the router: path-dependent options,
/// `autosize`, `lineEnding`, URL lists and the stored name.
struct DocumentRouterTests {
    /// The CSV and XLS paths read plain text as CSV, the Word path does not; `autosize` is read on all three.
    @Test(arguments: OfficeToPDFConversion.paths)
    func officeTextIsCSVByPathAndAutosize(_ path: String) async throws {
        let harness = try RouterHarness()
        let options = try OfficeToPDFConversion.options(of: try await harness.queued(path, ["AutoSize": "true"], as: .form))
        #expect(options.textIsCSV == (path != "/pdf/convert/from/doc"))
        #expect(options.autosize)
        // The router matches paths in any case; the option follows the route, not the spelling.
        let shouted = try OfficeToPDFConversion.options(of: try await harness.queued("/V1" + path.uppercased()))
        #expect(shouted.textIsCSV == (path != "/pdf/convert/from/doc"))
        #expect(!shouted.autosize)
    }

    /// `lineEnding=CRLF` in any case gives Windows line ends on both text conversions.
    @Test(arguments: PDFToTextConversion.paths + PDFToTextSimpleConversion.paths)
    func textLineEnding(_ path: String) async throws {
        let harness = try RouterHarness()
        let crlf = try await harness.queued(path, ["LineEnding": "crlf", "inline": "true"], as: .query)
        #expect(try PDFToTextConversion.options(of: crlf).crlf)
        let lf = try await harness.queued(path, ["lineEnding": "LF"])
        #expect(try !PDFToTextConversion.options(of: lf).crlf)
        #expect(crlf.outputName == "result.txt")
    }

    /// Merge takes a comma list in order, and a JSON array of URLs as the same list.
    @Test func mergeTakesAURLList() async throws {
        let harness = try RouterHarness()
        let list = try await harness.queued("/pdf/merge", ["url": "https://h/a.pdf, https://h/b.pdf,,https://h/c.pdf"], as: .form)
        #expect(list.inputs == ["https://h/a.pdf", "https://h/b.pdf", "https://h/c.pdf"])
        let answer = try await harness.send("/pdf/merge2", rawJSON: #"{"url": ["https://h/a.docx", "https://h/b.png"], "async": true}"#)
        #expect(try await harness.spec(of: answer).inputs == ["https://h/a.docx", "https://h/b.png"])
        // A one-input conversion takes a URL with commas whole.
        let one = try await harness.queued("/pdf/convert/to/text", ["url": "https://h/x?a=1,2"])
        #expect(one.inputs == ["https://h/x?a=1,2"])
    }

    /// `/file/upload/url` stores the file under `name`, else the URL's last path segment.
    @Test func uploadFromURLNamesTheFile() async throws {
        let harness = try RouterHarness()
        let fromURL = try await harness.queued("/file/upload/url", ["url": "https://h/dir/report.docx?sig=1"])
        #expect(fromURL.outputName == "report.docx")
        let named = try await harness.queued("/file/upload/url", ["url": "https://h/dir/report.docx", "name": "../my.docx"])
        #expect(named.outputName == "my.docx")
    }

    static let refusals: [Refusal] = [
        Refusal("/pdf/convert/from/csv", ["autosize": "maybe"], names: "'autosize'"),
        Refusal("/pdf/merge", ["url": " , ,"], names: "'url'"),
        Refusal("/pdf/convert/from/image", ["url": ","], names: "'url'"),
        Refusal("/pdf/merge", ["url": Array(repeating: "https://h/a.pdf", count: 101).joined(separator: ",")], names: "'url'"),
    ]

    /// Each bad value is a 4xx naming the parameter, and queues nothing.
    @Test(arguments: refusals)
    func badValuesAreRefused(_ refusal: Refusal) async throws {
        try await RouterHarness().expectRefused(refusal)
    }
}
