// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// PDF.co's `profiles` parameter: a string of lenient JSON (single quotes, `//` and `/* */`
/// comments, trailing commas, string-typed numbers and booleans), either flat
/// (`{'JPEGQuality': 25}`) or nested (`{"profiles": [{"profile1": {…}}]}`). Keys are
/// matched case-insensitively.
struct Profiles {
    private var values: [String: Any] = [:]
    /// When set, every key read is recorded (`EndpointCatalog`).
    var reads: ParameterReads?

    /// - Throws: `APIError` 444 (PDF.co's code for a profiles parse error).
    init(parsing text: String?) throws {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
        guard let data = Self.strictJSON(text).data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any]
        else {
            throw APIError(444, "The 'profiles' parameter is not valid JSON.")
        }
        flatten(object)
    }

    private mutating func flatten(_ object: [String: Any]) {
        for (key, value) in object {
            if key.lowercased() == "profiles", let list = value as? [Any] {
                for case let entry as [String: Any] in list {
                    for case let inner as [String: Any] in entry.values { flatten(inner) }
                }
            } else {
                values[key.lowercased()] = value
            }
        }
    }

    func int(_ key: String) -> Int? {
        reads?.profileKey(key, .integer(default: nil, range: nil))
        return switch values[key.lowercased()] {
        case let number as NSNumber: number.intValue
        case let text as String: Int(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    /// A boolean given as a JSON boolean or number, or as text RequestParameters reads as one.
    func bool(_ key: String) -> Bool? {
        reads?.profileKey(key, .boolean(default: nil))
        return switch values[key.lowercased()] {
        case let number as NSNumber: number.boolValue
        case let text as String: RequestParameters.boolean(text)
        default: nil
        }
    }

    func string(_ key: String) -> String? {
        reads?.profileKey(key, .text)
        return switch values[key.lowercased()] {
        case let text as String: text
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }

    /// PDF.co's `JPEGQuality` (given in `profiles` or as a parameter), checked: 1–100, nil when absent.
    /// - Throws: `APIError` 400 naming the accepted range.
    static func jpegQuality(_ text: String?) throws -> Int? {
        guard let text else { return nil }
        guard let quality = Int(text.trimmingCharacters(in: .whitespaces)), (1...100).contains(quality) else {
            throw APIError(400, "JPEGQuality must be a whole number from 1 to 100, not \"\(text)\".")
        }
        return quality
    }

    /// Rewrites lenient JSON as strict JSON: comments dropped, single-quoted strings turned into
    /// double-quoted ones, trailing commas removed.
    static func strictJSON(_ text: String) -> String {
        // Unicode scalars, not Characters: a quote followed by a combining mark (a text that
        // starts with U+0301) is one Character, and the string it opens was never seen to open.
        var out = String.UnicodeScalarView()
        var characters = Array(text.unicodeScalars)[...]
        while let c = characters.popFirst() {
            switch c {
            case "/" where characters.first == "/":
                while let next = characters.first, next != "\n" { characters.removeFirst() }
            case "/" where characters.first == "*":
                characters.removeFirst()
                while let next = characters.popFirst(), !(next == "*" && characters.first == "/") {}
                _ = characters.popFirst()
            case "\"", "'":
                out.append("\"")
                while let next = characters.popFirst(), next != c {
                    if next == "\\", let escaped = characters.popFirst() {
                        if escaped != "'" { out.append("\\") }
                        out.append(escaped)
                    } else {
                        if next == "\"" { out.append("\\") }
                        out.append(next)
                    }
                }
                out.append("\"")
            case ",":
                let rest = characters.drop { $0.properties.isWhitespace }
                if rest.first != "}" && rest.first != "]" { out.append(",") }
            default:
                out.append(c)
            }
        }
        return String(out)
    }
}
