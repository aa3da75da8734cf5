// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// PDF.co's `templateData`: a JSON object (sent as a string) whose values replace `{{name}}`
/// (or `{{a.b}}`) in `annotations[].text`, as Mustache variables do. A text that starts with
/// `##replaceSquareBracketsToCurlyBrackets##` writes `[[name]]` instead, for clients whose
/// tools eat braces. PDF.co's own macros (`{{$$PageNumber}}`…) are left for the engine.
struct TextTemplate {
    static let squareBracketsMarker = "##replaceSquareBracketsToCurlyBrackets##"

    private let data: JSONValue?

    /// - Throws: `APIError` 400 when `templateData` is not a JSON object.
    init(_ text: String?) throws {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            data = nil
            return
        }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(Profiles.strictJSON(text).utf8)),
            case .object = value
        else {
            throw APIError.badParameter("templateData", "it is not a JSON object, e.g. {\"name\": \"value\"}.")
        }
        data = value
    }

    /// - Parameter maxBytes: the most UTF-8 bytes the result may have: `{{name}}` repeated
    ///   20 000 times over a 4 MB value would otherwise build 80 GB in this process.
    /// - Returns: nil when the result would be longer than `maxBytes`.
    func render(_ text: String, maxBytes: Int) -> String? {
        var text = text
        if text.hasPrefix(Self.squareBracketsMarker) {
            text = String(text.dropFirst(Self.squareBracketsMarker.count))
                .replacingOccurrences(of: "[[", with: "{{").replacingOccurrences(of: "]]", with: "}}")
        }
        guard let data, text.contains("{{") else { return text.utf8.count <= maxBytes ? text : nil }
        var result = ""
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            result += rest[..<open.lowerBound]
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("$$") {
                result += rest[open.lowerBound..<close.upperBound]
            } else {
                result += Self.text(of: Self.lookup(name, in: data))
            }
            guard result.utf8.count <= maxBytes else { return nil }
            rest = rest[close.upperBound...]
        }
        result += rest
        return result.utf8.count <= maxBytes ? result : nil
    }

    private static func lookup(_ path: String, in data: JSONValue) -> JSONValue? {
        var current: JSONValue? = data
        for key in path.split(separator: ".") {
            guard case .object(let members)? = current else { return nil }
            current = members[String(key)]
        }
        return current
    }

    private static func text(of value: JSONValue?) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        default: ""
        }
    }
}

/// Colours as PDF.co clients write them: `RRGGBB`, `#RRGGBB`, `RGB`, `RRGGBBAA` (alpha
/// ignored) or a basic HTML colour name.
enum HTMLColor {
    static let names: [String: String] = [
        "black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "008000", "blue": "0000FF", "yellow": "FFFF00",
        "gray": "808080", "grey": "808080", "silver": "C0C0C0", "maroon": "800000", "olive": "808000", "lime": "00FF00",
        "aqua": "00FFFF", "cyan": "00FFFF", "teal": "008080", "navy": "000080", "fuchsia": "FF00FF", "magenta": "FF00FF",
        "purple": "800080", "orange": "FFA500",
    ]

    static func parse(_ text: String) -> RGBColor? {
        var hex = text.trimmingCharacters(in: .whitespaces)
        if let named = names[hex.lowercased()] { hex = named }
        if hex.hasPrefix("#") { hex.removeFirst() }
        if hex.count == 3 { hex = hex.map { "\($0)\($0)" }.joined() }
        if hex.count == 8 { hex = String(hex.prefix(6)) }
        guard hex.count == 6, let value = UInt32(hex, radix: 16) else { return nil }
        return RGBColor(
            red: Double((value >> 16) & 0xFF) / 255, green: Double((value >> 8) & 0xFF) / 255, blue: Double(value & 0xFF) / 255)
    }
}
