// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// One object of `annotations[]`, `images[]` or `fields[]`, its keys matched in any letter case
/// and its values read whether they came as JSON numbers, booleans or strings (`"x": "10"`).
struct EditItem {
    /// Coordinates and sizes beyond this many points (about 35 m) are refused as typos.
    static let maxCoordinate = 100_000.0

    let parameter: String
    let index: Int
    private let values: [String: JSONValue]

    init(_ values: [String: JSONValue], parameter: String, index: Int) {
        self.values = Dictionary(values.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.parameter = parameter
        self.index = index
    }

    /// "annotations[2].size", for error messages.
    func name(_ key: String) -> String { parameter.isEmpty ? key : "\(parameter)[\(index)].\(key)" }

    /// The value as text; nil when absent, null or empty.
    func string(_ key: String) -> String? {
        let text: String? =
            switch values[key.lowercased()] {
            case .string(let text): text
            case .int(let number): String(number)
            case .double(let number): String(number)
            case .bool(let flag): flag ? "true" : "false"
            default: nil
            }
        // A NUL would end the string where the C engine reads it: "name\0x" would fill "name".
        guard let text = text?.replacingOccurrences(of: "\0", with: ""), !text.isEmpty else { return nil }
        return text
    }

    /// A number of points within ±`maxCoordinate` (or `range`).
    func number(_ key: String, range: ClosedRange<Double>? = nil) throws -> Double? {
        guard let text = string(key) else { return nil }
        let allowed = range ?? -Self.maxCoordinate...Self.maxCoordinate
        guard let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite, allowed.contains(number) else {
            throw APIError.badParameter(
                name(key),
                "\"\(text.prefix(40))\" is not a number from \(Self.format(allowed.lowerBound)) to \(Self.format(allowed.upperBound)).")
        }
        return number
    }

    func bool(_ key: String) throws -> Bool? {
        guard let text = string(key) else { return nil }
        guard let flag = RequestParameters.boolean(text) else {
            throw APIError.badParameter(name(key), "\"\(text.prefix(40))\" is not true or false.")
        }
        return flag
    }

    /// Zero-based PDF.co pages, checked for syntax; empty means every page.
    func pages() throws -> String {
        guard let text = string("pages") else { return "" }
        do {
            _ = try PageSelection(parsing: text)
        } catch let error as PageSelectionError {
            throw APIError(400, "\(name("pages")): \(error.description)")
        }
        return text
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// The items of a JSON array parameter, objects only.
    /// - Throws: `APIError` 400 when it is not a JSON array of objects.
    static func items(_ parameters: RequestParameters, _ parameter: String) throws -> [EditItem] {
        guard let text = parameters.string(parameter) else { return [] }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(Profiles.strictJSON(text).utf8)) else {
            throw APIError.badParameter(parameter, "it is not a JSON array of objects.")
        }
        let array: [JSONValue]
        switch value {
        case .array(let items): array = items
        case .object: array = [value]
        default: throw APIError.badParameter(parameter, "it is not a JSON array of objects.")
        }
        return try array.enumerated().map { index, item in
            guard case .object(let members) = item else {
                throw APIError.badParameter("\(parameter)[\(index)]", "each item must be a JSON object.")
            }
            return EditItem(members, parameter: parameter, index: index)
        }
    }

    /// Items of a legacy `;`-separated string (`annotationsString`): `|` separates objects, and
    /// each field lands under the key at its position.
    static func legacyItems(_ parameters: RequestParameters, _ parameter: String, keys: [String]) -> [EditItem] {
        guard let text = parameters.string(parameter) else { return [] }
        return text.split(separator: "|").enumerated().map { index, object in
            let fields = object.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            var values: [String: JSONValue] = [:]
            for (key, field) in zip(keys, fields) where !field.isEmpty { values[key] = .string(field) }
            return EditItem(values, parameter: parameter, index: index)
        }
    }

    /// A one-item list from the old flat parameters (`x`, `y`, `text`, `urlimage`…) when given.
    static func flatItem(_ parameters: RequestParameters, keys: [String]) -> EditItem {
        var values: [String: JSONValue] = [:]
        for key in keys { if let value = parameters.string(key) { values[key] = .string(value) } }
        return EditItem(values, parameter: "", index: 0)
    }

    var isEmpty: Bool { values.isEmpty }
}
