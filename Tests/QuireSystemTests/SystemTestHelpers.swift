// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// Fixture PDFs made once per test run from `TestPDF`, plus qpdf for encryption.
enum Fixtures {
    static func pages(_ count: Int, prefix: String = "Page") -> [String] {
        (0..<count).map { "\(prefix) \($0 + 1) of \(count)\nInvoice number 4711\nTotal: \($0 * 10) EUR" }
    }

    static let threePages = TestPDF.make(pages: pages(3), title: "Three pages", author: "Quire tests")

    /// `threePages` encrypted with AES-256, user password `user`, owner password `owner`.
    static func encrypted(in directory: TemporaryDirectory) async throws -> Data {
        let plain = directory.file("plain.pdf")
        let locked = directory.file("locked.pdf")
        try threePages.write(to: plain)
        let result = try await runCommand("qpdf", ["--encrypt", "user", "owner", "256", "--", plain.path, locked.path])
        #expect(result.status == 0)
        return try Data(contentsOf: locked)
    }
}

/// Polls `/job/check` until the job leaves `working` (at most `timeout`).
func waitForJob(_ base: String, _ jobID: String, headers: [String: String] = [:], timeout: TimeInterval = 120) async throws -> [String: Any]
{
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        let (answer, status) = try await HTTP.getJSON("\(base)/job/check?jobid=\(jobID)", headers: headers)
        #expect(status == 200)
        if answer["status"] as? String != "working" || Date() > deadline { return answer }
        try await Task.sleep(for: .milliseconds(100))
    }
}
