// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import Testing

/// `JSONText` reads what JSONDecoder reads into `JSONValue`, refuses what it refuses, and writes
/// JSON that both read back the same.
struct JSONTextTests {
    private func viaDecoder(_ text: String) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    static let samples = [
        #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#, #"  [ 1 , -2 , 3.5 , -0 , 0.0 , 2.0 , 1e2 , 1.5E-3 , -7e+1 ]  "#,
        #""\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20ac \ud83d\ude00""#, #"{"url":"http:\/\/x\/a?b=1","é":"ü😀"}"#,
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "123456789012345678901234567890", "1e300",
        #"{"dup":1,"dup":2}"#, "[]", "{}", #"[[[[]]],{}]"#, #""""#, "0.1", "5e-324",
    ]

    @Test(arguments: samples) func readsAsJSONDecoderDoes(text: String) throws {
        #expect(try JSONText.parse(text) == (try viaDecoder(text)), "\(text)")
    }

    @Test(arguments: samples) func writesWhatReadsBackTheSame(text: String) throws {
        let value = try JSONText.parse(text)
        let written = try JSONText.serialize(value)
        #expect(try JSONText.parse(written) == value)
        #expect(try viaDecoder(written) == value, "\(written)")
    }

    static let invalid = [
        "", " ", "{", "[1 2]", #"{"a" 1}"#, #"{"a":}"#, #"{a:1}"#, "01", "[01]", "-", "1.", ".5", "1e", "+1", "tru", "nul",
        "[1] x", #""a"#, "\"a\u{1}b\"", #""\x""#, #""\u12""#, #""\ud800""#, #""\udc00x""#, #""\ud800\u0041""#, "1e400", "NaN", "[1,,2]",
    ]

    @Test(arguments: invalid) func refusesWhatJSONDecoderRefuses(text: String) {
        #expect(throws: JSONTextError.self, "\(text)") { try JSONText.parse(text) }
        #expect(throws: (any Error).self, "\(text)") { try viaDecoder(text) }
    }

    /// Stricter than JSONDecoder, which reads a trailing comma.
    @Test func refusesTrailingCommas() {
        #expect(throws: JSONTextError.self) { try JSONText.parse("[1,]") }
        #expect(throws: JSONTextError.self) { try JSONText.parse(#"{"a":1,}"#) }
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        let bytes = Data([0x22, 0x61, 0xFF, 0x62, 0x22])  // "a\xFFb"
        #expect(throws: JSONTextError.self) { try JSONText.parse(bytes) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONTextError.self) { try JSONText.parse(deep) }
        let fine = String(repeating: "[", count: JSONText.maxDepth) + String(repeating: "]", count: JSONText.maxDepth)
        #expect(throws: Never.self) { try JSONText.parse(fine) }
    }

    /// Clients' answers are written by JSONText now: the same bytes JSONEncoder.quire() wrote.
    @Test func writesAnswersAsJSONEncoderQuireDid() throws {
        let answer: JSONValue = [
            "url": "http://127.0.0.1:8080/files/ABC.1796/result é.pdf?x=1&y=2", "error": false, "status": 200, "pageCount": 3,
            "duration": 12, "credits": 2, "remainingCredits": 1_000_000_000, "name": "résumé \"final\".pdf", "ratio": .double(0.25),
            "urls": ["a/b", "c\\d"], "nested": ["z": .null, "a": [true, false]],
        ]
        let expected = String(decoding: try JSONEncoder.quire().encode(answer), as: UTF8.self)
        #expect(try JSONText.serialize(answer) == expected)
    }

    @Test func writesCompactSortedAndEscaped() throws {
        let value: JSONValue = ["b": [1, .double(2.5), .null], "a": "q\"\\\n\u{1}é/", "c": true]
        #expect(try JSONText.serialize(value) == #"{"a":"q\"\\\n\u0001é/","b":[1,2.5,null],"c":true}"#)
        #expect(throws: EncodingError.self) { try JSONText.serialize(.double(.infinity)) }
    }

    /// Bit flips and cuts of a real record's JSON: never a crash, and whatever both accept reads the same.
    @Test func mutationsAgreeWithJSONDecoder() throws {
        let spec = JobSpec(
            operation: .pdfToText, inputs: ["http://127.0.0.1/files/A/b.pdf"], password: "pw", pages: "1-2", outputName: "r é.txt",
            resultFileID: "R", expirationMinutes: 60, callback: "https://example.com/hook",
            options: ["x": [1, .double(2.5), "y"], "z": .null])
        let original = Array(try JSONText.encode(spec).utf8)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<3_000 {
            var bytes = original
            if round % 3 == 0 {
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator)))
            } else {
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &generator))
            }
            let data = Data(bytes)
            let ours = try? JSONText.parse(data)
            let theirs = try? JSONDecoder().decode(JSONValue.self, from: data)
            if let ours { #expect(ours == theirs, "\(String(decoding: bytes, as: UTF8.self))") }
        }
        #expect(try JSONText.decode(JobSpec.self, from: String(decoding: original, as: UTF8.self)) == spec)
    }
}
