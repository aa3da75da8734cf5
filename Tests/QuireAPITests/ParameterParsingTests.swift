// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireAPI
import Testing

/// The five body shapes PDF.co clients send, and their quirks (pdfco-api.md §1.3).
struct ParameterParsingTests {
    @Test func queryNamesAreCaseInsensitiveAndEmptyIsAbsent() throws {
        let p = ParameterParsing.parseQuery("JobId=ABC&password=&Async=True&pages=0%2C2-3", reassembleURL: true)
        #expect(p.string("jobid") == "ABC")
        #expect(p.string("JOBID") == "ABC")
        #expect(p.string("password") == nil)
        #expect(try p.bool("async", default: false))
        #expect(p.string("pages") == "0,2-3")
    }

    /// On-prem samples paste URLs raw: `&` inside the URL must not split it.
    @Test func rawURLInQueryIsReassembled() {
        let p = ParameterParsing.parseQuery(
            "async=True&url=https://host/get?id=5&sig=a+b&name=out.txt", reassembleURL: true)
        #expect(p.string("url") == "https://host/get?id=5&sig=a+b")
        #expect(p.string("name") == "out.txt")
        #expect(p.string("async") == "True")
    }

    @Test func formBodyDecodesPlusAsSpace() {
        let p = ParameterParsing.parseForm("lang=eng+deu&name=my%20file.txt&url=http%3A%2F%2Fh%2Fa.pdf")
        #expect(p.string("lang") == "eng deu")
        #expect(p.string("name") == "my file.txt")
        #expect(p.string("url") == "http://h/a.pdf")
        // Names are trimmed and lower-cased, encoded or not; plain values pass as they are.
        let q = ParameterParsing.parseForm("%20JobID%20=abc&Pages=1-2&x+y=%41")
        #expect(q.string("jobid") == "abc" && q.string("pages") == "1-2" && q.string("x y") == "A")
    }

    @Test func jsonValuesBecomeText() throws {
        let body = #"{"url": ["a.pdf", "b.pdf"], "async": true, "expiration": 30, "Inline": "false", "password": "", "profiles": {"a": 1}}"#
        let p = try #require(ParameterParsing.parseJSON(Data(body.utf8)))
        #expect(p.string("url") == "a.pdf,b.pdf")
        #expect(p.string("async") == "true")
        #expect(p.string("expiration") == "30")
        #expect(try p.bool("inline", default: true) == false)
        #expect(p.string("password") == nil)
        #expect(p.string("profiles") == #"{"a":1}"#)
    }

    /// `requests.post(json=json.dumps(x))` double-encodes: a JSON string holding the object.
    @Test func doubleEncodedJSON() throws {
        let inner = #"{"url":"x.pdf"}"#
        let outer = try JSONEncoder().encode(inner)
        let p = try #require(ParameterParsing.parseJSON(outer))
        #expect(p.string("url") == "x.pdf")
    }

    @Test(arguments: [("true", true), ("True", true), ("1", true), ("FALSE", false), ("0", false), ("False", false)])
    func booleans(text: String, expected: Bool) throws {
        #expect(try RequestParameters(["async": text]).bool("async", default: !expected) == expected)
    }

    @Test func badBooleanAndNumberAreClearErrors() {
        #expect(throws: APIError.self) { try RequestParameters(["async": "maybe"]).bool("async", default: false) }
        #expect(throws: APIError.self) { try RequestParameters(["expiration": "soon"]).int("expiration", default: 60, range: 1...100) }
        #expect(throws: APIError.self) { try RequestParameters(["expiration": "0"]).int("expiration", default: 60, range: 1...100) }
        #expect((try? RequestParameters(["expiration": "30"]).int("expiration", default: 60, range: 1...100)) == 30)
    }

    @Test func multipartFieldsAndFiles() throws {
        let boundary = "XyZ"
        let body = """
            --XyZ\r
            Content-Disposition: form-data; name="url"\r
            \r
            http://h/a.pdf\r
            --XyZ\r
            Content-Disposition: form-data; name="file"; filename="a b.pdf"\r
            Content-Type: application/pdf\r
            \r
            %PDF-1.4 data\r\nmore\r
            --XyZ--\r

            """
        let parts = MultipartReader.parts(of: Data(body.utf8), boundary: boundary)
        try #require(parts.count == 2)
        #expect(parts[0].name == "url")
        #expect(String(decoding: parts[0].body, as: UTF8.self) == "http://h/a.pdf")
        #expect(parts[1].filename == "a b.pdf")
        #expect(String(decoding: parts[1].body, as: UTF8.self) == "%PDF-1.4 data\r\nmore")
        #expect(MultipartReader.boundary(fromContentType: "multipart/form-data; boundary=\"XyZ\"") == "XyZ")
        #expect(MultipartReader.boundary(fromContentType: "application/json") == nil)
    }

    /// Repeated `name[]` fields keep their items, and a body that is nothing but them (a 4 MB
    /// form holds 800 000) parses in one pass: re-joining the list per item took hours.
    @Test(.timeLimit(.minutes(1))) func repeatedListFieldsParseInLinearTime() {
        let count = 300_000
        let p = ParameterParsing.parseForm(String(repeating: "searchStrings[]=x&", count: count) + "searchStrings[]=y%2Cz")
        #expect(p.list("searchStrings")?.count == count + 1)
        #expect(p.list("searchStrings")?.last == "y,z")
        #expect(p.string("searchStrings")?.hasSuffix("x,x,y,z") == true)
        let empty = ParameterParsing.parseForm("a[]=")
        #expect(empty.list("a") == [""] && empty.string("a") == nil)
        // A list sent in the body replaces the query's single value of the same name.
        var merged = ParameterParsing.parseQuery("a=q", reassembleURL: false)
        merged.merge(ParameterParsing.parseForm("a[]=1&a[]=2"))
        #expect(merged.string("a") == "1,2" && merged.list("a") == ["1", "2"])
    }
}

/// Numbers are range-checked before they become `Int`: `Int(1e300)` would trap.
struct IntegerParameterTests {
    @Test(
        arguments: [
            ("10", 10), ("10.0", 10), ("1e2", 100), (" 7 ", 7), ("-5", nil), ("1e300", nil), ("-1e300", nil), ("9.3e18", nil),
            ("9223372036854775807", nil), ("NaN", nil), ("inf", nil), ("-inf", nil), ("1.5", nil), ("abc", nil), ("", nil),
        ] as [(String, Int?)])
    func integerWithinRange(text: String, expected: Int?) {
        #expect(RequestParameters.integer(text, in: 0...1000) == expected)
    }

    @Test func fullIntRangeNeverTraps() {
        #expect(RequestParameters.integer("9.2e18", in: Int.min...Int.max) == 9_200_000_000_000_000_000)
        #expect(RequestParameters.integer("9.3e18", in: Int.min...Int.max) == nil)
        // Double(Int.max) is 2^63, one past Int.max: refused, not trapped.
        #expect(RequestParameters.integer("9223372036854775808.0", in: Int.min...Int.max) == nil)
        #expect(RequestParameters.integer("-9.2e18", in: Int.min...Int.max) == -9_200_000_000_000_000_000)
    }
}
