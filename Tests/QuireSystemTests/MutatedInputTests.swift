// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// Broken files, made reproducibly from the real fixtures: each truncated at a random point or
/// with random bytes flipped, sent to text extraction (with OCR), page rendering, info and, for
/// the scan, makesearchable. Every answer is a 200
/// or a PDF.co 4xx with a message, never a 5xx, and the server answers `/healthz` after them all
/// (issue #19's hostile-input suite, first part).
@Suite(.serialized)
final class MutatedInputTests {
    let temp = TemporaryDirectory()
    let server: QuireServer

    init() async throws {
        server = try await QuireServer(data: temp.file("data"), arguments: ["--ocr-workers", "1"])
    }

    deinit { server.kill9() }

    /// A fixed-seed generator (SplitMix64), so a failure names a mutation that can be made again.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let sources = [
        "Tests/Fixtures/toolkit/numbered-a.pdf", "Tests/Fixtures/toolkit/form.pdf", "Tests/Fixtures/toolkit/rotated.pdf",
        "Tests/Fixtures/ocr/text.pdf", "Tests/Fixtures/ocr/scan.pdf", "Tests/Fixtures/images/gray.jpg",
    ]

    /// `count` mutations of each source: even ones truncated, odd ones with 1–64 bytes flipped.
    static func mutations(count: Int) throws -> [(name: String, data: Data)] {
        var random = Seeded(state: 2026)
        var result: [(String, Data)] = []
        for source in sources {
            let url = packageRoot.appendingPathComponent(source)
            guard let original = try? Data(contentsOf: url) else { continue }
            for index in 0..<count {
                var data = original
                if index % 2 == 0 {
                    data = data.prefix(Int.random(in: 0..<max(1, data.count), using: &random))
                } else {
                    for _ in 0..<Int.random(in: 1...64, using: &random) {
                        let at = Int.random(in: 0..<data.count, using: &random)
                        data[at] ^= UInt8.random(in: 1...255, using: &random)
                    }
                }
                result.append(("\(url.lastPathComponent)#\(index)", data))
            }
        }
        return result
    }

    @Test func brokenFilesGetClearAnswers() async throws {
        let cases = try Self.mutations(count: 20)
        #expect(cases.count >= 100)
        var outcomes: [Int: Int] = [:]
        for (name, data) in cases {
            let url = try await HTTP.upload(data, name: "broken.pdf", base: server.baseURL)
            // The broken scans go through OCR too (to/text reads a scan by OCR already).
            let paths =
                ["/pdf/convert/to/text", "/pdf/convert/to/png", "/pdf/info"] + (name.hasPrefix("scan") ? ["/pdf/makesearchable"] : [])
            for path in paths {
                let (answer, status) = try await HTTP.postJSON("\(server.baseURL)\(path)", ["url": url, "pages": "0"])
                outcomes[status, default: 0] += 1
                #expect(status == 200 || (400..<500).contains(status), "\(name) \(path): \(status) \(answer)")
                if status != 200 { #expect((answer["message"] as? String)?.isEmpty == false, "\(name) \(path): \(answer)") }
            }
        }
        #expect(try await HTTP.get("\(server.baseURL)/healthz").1 == 200)
        #expect((outcomes[200] ?? 0) > 0 && outcomes.keys.contains { $0 >= 400 }, "\(outcomes)")
    }
}
