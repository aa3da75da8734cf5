// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// One bag of request parameters merged from the query string, a JSON body (sniffed whatever
/// the Content-Type), a form body and multipart fields. Names are case-insensitive and an empty
/// value counts as absent, as PDF.co clients expect. Later sources win: body over query.
package struct RequestParameters: Sendable {
    private var values: [String: String] = [:]
    /// Lists as sent: JSON arrays of strings, and repeated `name[]=` form fields
    /// (`searchStrings[]`), whose items may themselves hold commas.
    private var lists: [String: [String]] = [:]
    /// Multipart parts that carry a file name (uploads).
    package private(set) var files: [MultipartPart] = []
    /// When set, every read is recorded here (`EndpointCatalog`); nil in requests.
    var reads: ParameterReads?

    package init() {}

    package init(_ values: [String: String]) {
        for (name, value) in values { set(name, value) }
    }

    package mutating func set(_ name: String, _ value: String) {
        var key = Self.normalized(name)
        if key.hasSuffix("[]") {
            key.removeLast(2)
            // Joined when read, not here: re-joining the list on every item made a 4 MB form of
            // repeated `a[]=` quadratic, hours of one request thread.
            lists[key, default: []].append(value)
            values.removeValue(forKey: key)
            return
        }
        if value.isEmpty { values.removeValue(forKey: key) } else { values[key] = value }
    }

    /// Sets `name` to a list: its items, and their comma-joined text for `string(_:)`.
    /// A parameter name trimmed and lower-cased (Foundation's trimming only when there is space to trim).
    private static func normalized(_ name: String) -> String {
        guard let first = name.unicodeScalars.first, let last = name.unicodeScalars.last,
            first.properties.isWhitespace || last.properties.isWhitespace
        else { return name.lowercased() }
        return name.trimmingCharacters(in: .whitespaces).lowercased()
    }

    package mutating func set(_ name: String, list: [String]) {
        let key = Self.normalized(name)
        lists[key] = list
        set(key, list.joined(separator: ","))
    }

    package mutating func merge(_ other: RequestParameters) {
        for (name, value) in other.values {
            values[name] = value
            lists[name] = other.lists[name]
        }
        for (name, list) in other.lists where other.values[name] == nil {
            values.removeValue(forKey: name)
            lists[name] = list
        }
        files += other.files
    }

    /// The items of a list parameter as sent (a JSON array, or repeated `name[]` fields); nil
    /// when `name` came as a single value.
    package func list(_ name: String) -> [String]? {
        reads?.parameter(name, .list)
        return lists[name.lowercased()]
    }

    package mutating func addFile(_ part: MultipartPart) { files.append(part) }

    package var names: [String] { Set(values.keys).union(lists.keys).sorted() }

    /// The value of `name` (any case), nil when absent or empty; a list's items joined with commas.
    package func string(_ name: String) -> String? {
        reads?.parameter(name, .text)
        let key = name.lowercased()
        if let value = values[key] { return value }
        guard let joined = lists[key]?.joined(separator: ","), !joined.isEmpty else { return nil }
        return joined
    }

    /// The `profiles` parameter, parsed.
    /// - Throws: `APIError` 444 when it is not (lenient) JSON.
    func profiles() throws -> Profiles {
        var profiles = try Profiles(parsing: string("profiles"))
        profiles.reads = reads
        return profiles
    }

    /// First present value among alternative spellings (`file` / `url`).
    package func string(anyOf names: String...) -> String? { names.lazy.compactMap { string($0) }.first }

    /// A PDF.co boolean: true/false in any case, 1/0, yes/no.
    /// - Throws: `APIError` 400 naming the parameter and the accepted values.
    package func bool(_ name: String, default defaultValue: Bool) throws -> Bool {
        reads?.parameter(name, .boolean(default: defaultValue))
        guard let text = string(name) else { return defaultValue }
        guard let value = Self.boolean(text) else {
            throw APIError.badParameter(name, "\"\(text)\" is not a boolean; use true or false.")
        }
        return value
    }

    /// true/false in any case, 1/0, yes/no, on/off; nil for anything else.
    package static func boolean(_ text: String) -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "1", "yes", "on": true
        case "false", "0", "no", "off": false
        default: nil
        }
    }

    /// Like `bool(_:default:)`, nil when the parameter is absent.
    package func optionalBool(_ name: String) throws -> Bool? {
        reads?.parameter(name, .boolean(default: nil))
        return string(name) == nil ? nil : try bool(name, default: false)
    }

    /// An integer within `range`; numbers sent as strings ("10") and whole decimals ("10.0",
    /// "1e2") are accepted. The range is checked on the decimal value before it becomes an
    /// `Int`: `Int(1e300)` traps, and one request must never stop the server.
    /// - Throws: `APIError` 400 naming the parameter and its range (NaN and infinities included).
    package func int(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws -> Int {
        reads?.parameter(name, .integer(default: defaultValue, range: range))
        guard let text = string(name) else { return defaultValue }
        guard let value = Self.integer(text, in: range) else {
            throw APIError.badParameter(
                name, "\"\(text.prefix(40))\" is not a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return value
    }

    /// `text` as a whole number within `range`, nil for anything else (NaN, ±inf, fractions, overflow).
    package static func integer(_ text: String, in range: ClosedRange<Int>) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // Decimal digits, sign, point and exponent only: Double() also reads hex ("0x10") and "nan".
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ "0123456789+-.eE".utf8.contains($0) }) else { return nil }
        if let exact = Int(trimmed) { return range.contains(exact) ? exact : nil }
        guard let number = Double(trimmed), number.isFinite, number == number.rounded(),
            number >= Double(range.lowerBound), number <= Double(range.upperBound)
        else { return nil }
        // Double(Int.max) rounds up past Int.max: Int(exactly:) refuses rather than traps.
        return Int(exactly: number).flatMap { range.contains($0) ? $0 : nil }
    }
}

/// Parsers for each way parameters arrive.
package enum ParameterParsing {
    /// Parameter names PDF.co defines. After `url=` in a query string, a piece whose name is not
    /// one of these is taken as part of an unencoded URL (`…&url=https://h/x?a=1&b=2`).
    static let knownNames: Set<String> = [
        "async", "name", "password", "pages", "url", "expiration", "inline", "profiles", "callback",
        "httpusername", "httppassword", "lang", "rect", "unwrap", "linegrouping", "lineending", "jobid",
        "force", "file", "contenttype", "encrypt", "x-api-key", "timeout", "worksheetindex", "autosize",
        "angle", "searchstring", "regexsearch", "casesensitive", "outputdataformat", "templateid", "html",
        "papersize", "orientation", "margins", "printbackground", "mediatype", "header", "footer", "type",
        "types", "value", "ownerpassword", "userpassword", "encryptionalgorithm", "permanent", "simple",
        "columns", "resolution", "dpi", "width", "height", "quality",
        // /pdf/edit/*: the old flat form puts `type` and `urlimage` after `url`.
        "x", "y", "text", "fontname", "size", "color", "urlimage", "link", "alignment", "transparent", "annotations", "images",
        "fields", "annotationsstring", "imagesstring", "fieldsstring", "templatedata", "searchstrings", "replacestrings",
        "replacestring", "regex", "replacementlimit", "replaceimage",
    ]

    /// `a=1&b=2` with `+` as space and percent-decoding; `reassembleURL` keeps raw URLs whole.
    package static func parseQuery(_ query: String, reassembleURL: Bool) -> RequestParameters {
        var result = RequestParameters()
        var urlValue: String?
        for piece in query.split(separator: "&", omittingEmptySubsequences: true) {
            let (rawName, rawValue) = splitPair(piece)
            let name = decode(rawName).lowercased()
            let bareName = name.hasSuffix("[]") ? String(name.dropLast(2)) : name
            if reassembleURL, urlValue != nil, !knownNames.contains(bareName) {
                urlValue! += "&" + String(piece)
                continue
            }
            if name == "url" && reassembleURL {
                urlValue = rawValue
                continue
            }
            result.set(name, decode(rawValue))
        }
        if let urlValue { result.set("url", decode(urlValue, plusIsSpace: false)) }
        return result
    }

    /// The first byte of `bytes` that is not JSON whitespace: `{` or `"` makes a body JSON, whatever
    /// its Content-Type says (many clients send none or a wrong one).
    package static func firstNonSpace(_ bytes: Data) -> UInt8? {
        bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    }

    /// A form-urlencoded body: the same format, without URL reassembly (bodies are encoded properly).
    package static func parseForm(_ body: String) -> RequestParameters {
        parseQuery(body, reassembleURL: false)
    }

    /// A JSON object body, or a JSON string holding one (double-encoded, as some samples send).
    /// Numbers and booleans become their text; arrays of strings join with commas (URL lists);
    /// other arrays and objects keep their JSON text. Returns nil when the body is not JSON.
    package static func parseJSON(_ data: Data) -> RequestParameters? {
        // JSONText first (strict, and several times faster than JSONDecoder into JSONValue); some
        // official samples end objects and arrays with a comma, which JSONDecoder reads.
        guard
            var value = (try? JSONText.parse(data)) ?? (try? JSONDecoder().decode(JSONValue.self, from: data))
                ?? (try? JSONDecoder().decode(JSONValue.self, from: Data(Profiles.strictJSON(String(decoding: data, as: UTF8.self)).utf8)))
        else { return nil }
        if case .string(let text) = value,
            let inner = (try? JSONText.parse(text)) ?? (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)))
        {
            value = inner
        }
        guard case .object(let dictionary) = value else { return nil }
        var result = RequestParameters()
        for (name, value) in dictionary {
            if case .array(let items) = value, let strings = stringItems(items) {
                result.set(name, list: strings)
            } else if let text = jsonText(value) {
                result.set(name, text)
            }
        }
        return result
    }

    /// The items as text when each is a string or a number.
    private static func stringItems(_ items: [JSONValue]) -> [String]? {
        var strings: [String] = []
        for item in items {
            switch item {
            case .string(let text): strings.append(text)
            case .int(let number): strings.append(String(number))
            case .double(let number): strings.append(String(number))
            default: return nil
            }
        }
        return strings
    }

    private static func jsonText(_ value: JSONValue) -> String? {
        switch value {
        case .null: return nil
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .array(let items) where items.allSatisfy({ if case .string = $0 { true } else { false } }):
            return items.compactMap { if case .string(let s) = $0 { s } else { nil } }.joined(separator: ",")
        case .array, .object:
            return try? JSONText.serialize(value)
        }
    }

    private static func splitPair(_ piece: Substring) -> (String, String) {
        guard let eq = piece.firstIndex(of: "=") else { return (String(piece), "") }
        return (String(piece[..<eq]), String(piece[piece.index(after: eq)...]))
    }

    static func decode(_ text: String, plusIsSpace: Bool = true) -> String {
        // Most names and values have neither: Foundation's two passes were a tenth of a poll.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || ($0 == UInt8(ascii: "+") && plusIsSpace) }) else { return text }
        let spaced = plusIsSpace ? text.replacingOccurrences(of: "+", with: " ") : text
        return spaced.removingPercentEncoding ?? spaced
    }
}
