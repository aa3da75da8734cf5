// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// Hostile inputs to the PDF → data endpoints: a scan without text, a page of 10 000 ruled
/// cells, a 14 400 pt wide page, oversized and catastrophic search expressions, absurd page
/// ranges. Each must end in an answer (a result or a PDF.co error), never a 500 or a hung server.
@Suite(.serialized)
final class DataAttackTests {
    let temp = TemporaryDirectory()
    let server: QuireServer

    init() async throws {
        server = try await QuireServer(data: temp.file("data"), arguments: ["--workers", "1", "--job-timeout", "120"])
    }

    deinit { server.kill9() }

    func post(_ path: String, _ parameters: [String: Any], on server: QuireServer? = nil) async throws -> ([String: Any], Int) {
        try await HTTP.postJSON((server ?? self.server).baseURL + path, parameters)
    }

    func upload(_ data: Data, on server: QuireServer? = nil) async throws -> String {
        try await HTTP.upload(data, name: "attack.pdf", base: (server ?? self.server).baseURL)
    }

    /// The largest VmHWM among the server's engine hosts, in MB.
    func enginePeakMB() throws -> Int {
        QuireServer.childProcesses(of: try #require(server.pid)).compactMap { pid -> Int? in
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
            else { return nil }
            return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 / 1024 }
        }.max() ?? 0
    }

    /// A PDF.co error: the status, `error: true`, a message that names no server path.
    func expectError(
        _ answer: [String: Any], _ status: Int, _ expected: Int, mentioning: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(status == expected, "\(answer)", sourceLocation: sourceLocation)
        #expect(answer["error"] as? Bool == true, sourceLocation: sourceLocation)
        #expect(answer["status"] as? Int == expected, sourceLocation: sourceLocation)
        let message = answer["message"] as? String ?? ""
        #expect(message.contains(mentioning), "\(message)", sourceLocation: sourceLocation)
        #expect(!message.contains(temp.url.path) && !message.contains("/tmp/"), "\(message)", sourceLocation: sourceLocation)
    }

    /// An image-only page (a scan): every data endpoint answers a 4xx saying there is no text.
    @Test func scanWithoutTextLayer() async throws {
        var page = DataPDF.Page()
        page.hasImage = true
        page.content = "q 400 0 0 500 100 100 cm /Im1 Do Q\n"
        let url = try await upload(DataPDF.make([page]))
        for path in ["/pdf/convert/to/json", "/pdf/convert/to/csv", "/pdf/convert/to/xml", "/pdf/convert/to/html", "/pdf/find/table"] {
            let (answer, status) = try await post(path, ["url": url, "inline": true])
            expectError(answer, status, 415, mentioning: "no text layer")
        }
        let (find, findStatus) = try await post("/pdf/find", ["url": url, "searchString": "x"])
        expectError(find, findStatus, 415, mentioning: "no text layer")
    }

    /// 100 × 100 cells of 5 pt, each drawn as its own rectangle (40 000 segments) with a digit
    /// inside: the grid is read whole, in bounded engine memory, within the job timeout.
    @Test func tenThousandRuledCells() async throws {
        var page = DataPDF.Page()
        var content = "0.2 w\n"
        for row in 0..<100 {
            for column in 0..<100 {
                let x = 50 + 5 * Double(column)
                let y = 700 - 5 * Double(row)
                content += "\(x) \(y - 5) 5 5 re S\n"
            }
        }
        for row in 0..<100 {
            content += "BT /F1 3 Tf\n"
            for column in 0..<100 {
                content += "1 0 0 1 \(51 + 5 * Double(column)) \(700 - 5 * Double(row) - 4) Tm (\(column % 10)) Tj\n"
            }
            content += "ET\n"
        }
        page.content = content
        let url = try await upload(DataPDF.make([page]))

        let (csv, csvStatus) = try await post("/pdf/convert/to/csv", ["url": url, "inline": true])
        #expect(csvStatus == 200, "\(csv)")
        let lines = (csv["body"] as? String ?? "").components(separatedBy: "\r\n").dropLast()
        #expect(lines.count == 100)
        let expectedRow = (0..<100).map { "\"\($0 % 10)\"" }.joined(separator: ",")
        #expect(lines.allSatisfy { $0 == expectedRow }, "\(lines.first ?? "")")

        let (tables, tableStatus) = try await post("/pdf/find/table", ["url": url])
        #expect(tableStatus == 200, "\(tables)")
        let found = (tables["body"] as? [String: Any])?["tables"] as? [[String: Any]] ?? []
        #expect(found.count == 1)
        #expect((found.first?["Columns"] as? [Any])?.count == 100)

        let (json, jsonStatus) = try await post("/pdf/convert/to/json", ["url": url])
        #expect(jsonStatus == 200, "\(json)")
        let peak = try enginePeakMB()
        print("data attacks: 10 000 ruled cells, engine host peak \(peak) MB")
        #expect(peak > 0 && peak < 400, "engine host peak \(peak) MB")
    }

    /// Pages whose layout analysis was quadratic: 200 × 200 ruled cells with a digit in each
    /// (each phrase searched all 40 000 cells for its own; 69 s per page in a debug build), 7 000
    /// × 7 000 crossing lines (49 million crossings joined one by one; 18 s per page), and a row
    /// of 10 000 phrases (the row copied at each phrase). Now each takes a second or less. The
    /// bound is on the engine hosts' CPU time, not on a job timeout: a loaded 2-core CI run
    /// stretched the wall time of the same work past 30 s.
    @Test func quadraticPagesEndWithinTheJobTimeout() async throws {
        let strict = try await QuireServer(data: temp.file("strict"), arguments: ["--workers", "1", "--job-timeout", "600"])
        defer { strict.kill9() }
        let hosts = QuireServer.childProcesses(of: try #require(strict.pid))
        let cpuBefore = hosts.map(Self.cpuSeconds).reduce(0, +)
        var cells = DataPDF.Page(width: 2_100, height: 2_100)
        cells.content = "0.2 w\n"
        for index in 0...200 {
            let at = 50 + 10 * Double(index)
            cells.content += "50 \(at) m 2050 \(at) l S\n\(at) 50 m \(at) 2050 l S\n"
        }
        cells.content += "BT /F1 4 Tf\n"
        for row in 0..<200 {
            for column in 0..<200 { cells.content += "1 0 0 1 \(51 + 10 * column) \(51 + 10 * row) Tm (\(column % 10)) Tj\n" }
        }
        cells.content += "ET\n"
        var crossing = DataPDF.Page(width: 14_400, height: 14_400)
        crossing.content = "0.2 w\n"
        for index in 0..<7_000 {
            let at = 10 + 2.05 * Double(index)
            crossing.content += "10 \(at) m 14360 \(at) l S\n\(at) 10 m \(at) 14360 l S\n"
        }
        crossing.text("Crossing", x: 100, top: 14_395)
        var long = DataPDF.Page(width: 14_400, height: 792)
        long.content = "BT /F1 1 Tf\n"
        for index in 0..<10_000 { long.content += "1 0 0 1 \(10 + 1.4 * Double(index)) 400 Tm (\(index % 10)) Tj\n" }
        long.content += "ET\n"
        let url = try await upload(DataPDF.make([cells, crossing, long]), on: strict)

        let (answer, status) = try await post("/pdf/convert/to/csv", ["url": url, "inline": true], on: strict)
        #expect(status == 200, "\(answer)")
        let lines = (answer["body"] as? String ?? "").components(separatedBy: "\r\n")
        let digits = (0..<200).map { "\"\($0 % 10)\"" }.joined(separator: ",")
        #expect(lines.filter { $0 == digits }.count == 200)
        #expect(lines.contains { $0.hasPrefix("\"Crossing") } || lines.contains { $0.hasPrefix("\"C r o s s") })
        let (tables, tableStatus) = try await post("/pdf/find/table", ["url": url, "pages": "0"], on: strict)
        #expect(tableStatus == 200, "\(tables)")
        #expect(((tables["body"] as? [String: Any])?["tables"] as? [[String: Any]])?.first?["Columns"] as? [Any] != nil)
        let cpu = QuireServer.childProcesses(of: try #require(strict.pid)).map(Self.cpuSeconds).reduce(0, +) - cpuBefore
        print("data attacks: three quadratic pages, CSV and table search, engine hosts' CPU \(cpu) s")
        #expect(QuireServer.childProcesses(of: try #require(strict.pid)) == hosts, "no host was restarted (its CPU time would be lost)")
        #expect(cpu < 20, "engine hosts used \(cpu) s of CPU: the layout analysis is quadratic again")
    }

    /// User plus system CPU seconds of process `pid` (fields 14 and 15 of /proc/PID/stat, in ticks).
    static func cpuSeconds(_ pid: Int32) -> Double {
        guard let fields = QuireServer.statFields(of: pid), fields.count > 13, let user = Double(fields[11]),
            let system = Double(fields[12])
        else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A page 14 400 pt wide (PDF's largest): text at both ends is read and placed.
    @Test func veryWidePage() async throws {
        var page = DataPDF.Page(width: 14_400, height: 792)
        page.text("Left", x: 72, top: 100)
        page.text("Middle", x: 7_000, top: 100)
        page.text("Far right", x: 14_000, top: 100)
        let url = try await upload(DataPDF.make([page]))
        let (answer, status) = try await post("/pdf/convert/to/json", ["url": url, "inline": true])
        #expect(status == 200, "\(answer)")
        let pageJSON = try #require(((answer["body"] as? [String: Any])?["document"] as? [String: Any])?["page"] as? [String: Any])
        #expect(pageJSON["@width"] as? String == "14400")
        let (csv, _) = try await post("/pdf/convert/to/csv", ["url": url, "inline": true])
        #expect(csv["body"] as? String == "\"Left\",\"Middle\",\"Far right\"\r\n")
        let (find, _) = try await post("/pdf/find", ["url": url, "searchString": "Far right"])
        let left = try #require((find["body"] as? [[String: Any]])?.first?["left"] as? Double)
        #expect(abs(left - 14_000) < 1)
    }

    /// A 1 MB search string is refused before any job runs.
    @Test func megabyteSearchString() async throws {
        let url = try await upload(DataPDF.table)
        let (answer, status) = try await post("/pdf/find", ["url": url, "searchString": String(repeating: "a", count: 1 << 20)])
        expectError(answer, status, 400, mentioning: "searchString")
    }

    /// `(a+)+$` against a line of a's ending in "b" backtracks exponentially: the search is
    /// stopped after its per-line limit (`TextSearch.maxSecondsPerLine`) with a 413 naming
    /// `searchString`, long before the job timeout, and the server goes on answering.
    @Test func catastrophicRegexIsStopped() async throws {
        let short = try await QuireServer(data: temp.file("short"), arguments: ["--workers", "1", "--job-timeout", "120"])
        defer { short.stop() }
        var page = DataPDF.Page()
        page.text(String(repeating: "a", count: 60) + "b", x: 20, top: 100, size: 6)
        page.text("Invoice", x: 72, top: 200)
        let url = try await upload(DataPDF.make([page]), on: short)
        let started = Date()
        let (answer, status) = try await post("/pdf/find", ["url": url, "searchString": "(a+)+$", "regexSearch": true], on: short)
        expectError(answer, status, 413, mentioning: "searchString")
        // A generous bound: stopped by the limit, not by the job timeout (2^60 steps never finish).
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(try await HTTP.get("\(short.baseURL)/healthz").1 == 200)
        let (after, afterStatus) = try await post("/pdf/find", ["url": url, "searchString": "Invoice"], on: short)
        #expect(afterStatus == 200, "\(after)")
        #expect((after["body"] as? [[String: Any]])?.count == 1)
    }

    /// Pages past the end of a one-page document: PDF.co's 449, whatever the range's size.
    @Test(arguments: ["0-9999", "9999", "1-", "0,5000-99999999"])
    func pagesPastTheEnd(_ pages: String) async throws {
        let url = try await upload(DataPDF.table)
        let (answer, status) = try await post("/pdf/convert/to/csv", ["url": url, "pages": pages, "inline": true])
        expectError(answer, status, 449, mentioning: "page")
    }
}
