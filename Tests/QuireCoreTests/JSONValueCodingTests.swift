// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import Testing

/// `JSONValue(encoding:)` and `decoded(as:)` skip JSON text but must give what the JSON round
/// trip (JSONEncoder, then JSONDecoder) gives: stored options are compared and merged as JSONValue.
struct JSONValueCodingTests {
    private struct Sample: Codable, Equatable {
        enum Mode: String, Codable { case fast, slow }
        struct Inner: Codable, Equatable {
            var name: String
            var scale: Double
        }
        var text = "a \"quoted\" ü"
        var flag = true
        var whole = 3
        var wholeDouble = 2.0
        var fraction = 0.25
        var negativeZero = -0.0
        var big: Int64 = .max
        var huge: UInt64 = 1 << 63  // past Int.max: a double, still exact
        var small: Int8 = -7
        var single: Float = 0.1
        var mode = Mode.slow
        var missing: String? = nil
        var present: Int? = 5
        var list = [1, 2, 3]
        var nested = [Inner(name: "n", scale: 1.5)]
        var map = ["k": Inner(name: "m", scale: 3)]
        var link = URL(string: "https://example.com/a%20b?x=1")!
        var bytes = Data([0, 1, 254, 255])
        var when = Date(timeIntervalSinceReferenceDate: 12.5)
        var any: JSONValue = ["x": [1, "y", .null]]
    }

    private func viaText<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    @Test func encodingMatchesTheJSONRoundTrip() throws {
        let direct = try JSONValue(encoding: Sample())
        #expect(direct == (try viaText(Sample())))
        #expect(direct["wholeDouble"] == .int(2) && direct["fraction"] == .double(0.25) && direct["missing"] == nil)
        #expect(try JSONValue(encoding: [Sample.Mode.fast]) == ["fast"])
        #expect(try JSONValue(encoding: "plain") == "plain")
    }

    @Test func everyConversionsOptionsEncodeAsThroughJSONText() throws {
        func check<C: Conversion>(_ conversion: C.Type) throws {
            let options = C.Options()
            #expect(try JSONValue(encoding: options) == (try viaText(options)), "\(C.self)")
            #expect(try JSONValue(encoding: options).decoded(as: C.Options.self) == options, "\(C.self)")
        }
        for conversion in Conversions.all { try check(conversion) }
    }

    @Test func decodingGivesTheValueBack() throws {
        let sample = Sample()
        #expect(try JSONValue(encoding: sample).decoded(as: Sample.self) == sample)
        #expect(try JSONValue.int(4).decoded(as: Double.self) == 4)
        #expect(try JSONValue.double(4).decoded(as: Int.self) == 4)
    }

    @Test func badValuesThrowAsJSONDoes() {
        #expect(throws: EncodingError.self) { try JSONValue(encoding: Double.nan) }
        #expect(throws: EncodingError.self) { try JSONValue(encoding: ["x": Double.infinity]) }
        #expect(throws: DecodingError.self) { try JSONValue.string("1").decoded(as: Int.self) }
        #expect(throws: DecodingError.self) { try JSONValue.int(300).decoded(as: UInt8.self) }
        #expect(throws: DecodingError.self) { try JSONValue.double(1.5).decoded(as: Int.self) }
        #expect(throws: DecodingError.self) { try JSONValue.int(1).decoded(as: Bool.self) }
        #expect(throws: DecodingError.self) { try JSONValue.object([:]).decoded(as: Sample.self) }
        #expect(throws: DecodingError.self) { try JSONValue.array([]).decoded(as: Sample.Inner.self) }
    }
}
