// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// An XML element tree, written as XML or as the JSON that Newtonsoft.Json makes of that XML
/// (PDF.co's JSON is its XML converted that way: attributes as "@name", text as "#text", one
/// child as an object and repeated children as an array).
package struct MarkupElement: Sendable, Equatable {
    package var name: String
    package var attributes: [(String, String)]
    package var children: [MarkupElement]
    /// Text content; "" writes an empty element as `<name></name>` and JSON `""`.
    package var text: String?

    package init(_ name: String, _ attributes: [(String, String)] = [], children: [MarkupElement] = [], text: String? = nil) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    package static func == (lhs: MarkupElement, rhs: MarkupElement) -> Bool {
        lhs.name == rhs.name && lhs.attributes.map { [$0.0, $0.1] } == rhs.attributes.map { [$0.0, $0.1] }
            && lhs.children == rhs.children && lhs.text == rhs.text
    }

    /// The document as .NET writes it: declaration, two-space indent, CRLF line ends.
    package func xmlDocument() -> String {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
        writeXML(into: &out, depth: 0)
        return out
    }

    private func writeXML(into out: inout String, depth: Int) {
        let indent = String(repeating: "  ", count: depth)
        out += indent + "<" + name
        for (key, value) in attributes { out += " \(key)=\"\(Self.escape(value, attribute: true))\"" }
        if children.isEmpty {
            if let text {
                out += ">" + Self.escape(text, attribute: false) + "</\(name)>\r\n"
            } else {
                out += " />\r\n"
            }
            return
        }
        out += ">\r\n"
        for child in children { child.writeXML(into: &out, depth: depth + 1) }
        out += indent + "</\(name)>\r\n"
    }

    static func escape(_ text: String, attribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            // XML 1.0 cannot carry most control characters, even escaped: drop them.
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// How JSON keys are spelled.
    package enum JSONStyle: Sendable {
        /// PDF.co's `/to/json`: "@attribute", "#text".
        case newtonsoft
        /// PDF.co's `/to/json2`: attribute names bare, the text under "text".
        case plain
    }

    /// `{"name": …}` as pretty-printed JSON (two-space indent, CRLF line ends, keys in order).
    package func jsonDocument(style: JSONStyle) -> String {
        var out = "{\r\n  \(Self.quote(name)): "
        writeJSONValue(into: &out, depth: 1, style: style)
        out += "\r\n}"
        return out
    }

    private func writeJSONValue(into out: inout String, depth: Int, style: JSONStyle) {
        if attributes.isEmpty && children.isEmpty {
            out += text.map(Self.quote) ?? "null"
            return
        }
        var members: [(String, (inout String, Int) -> Void)] = []
        for (key, value) in attributes {
            members.append(((style == .newtonsoft ? "@" : "") + key, { out, _ in out += Self.quote(value) }))
        }
        if let text, children.isEmpty || !text.isEmpty {
            members.append((style == .newtonsoft ? "#text" : "text", { out, _ in out += Self.quote(text) }))
        }
        var order: [String] = []
        var groups: [String: [MarkupElement]] = [:]
        for child in children {
            if groups[child.name] == nil { order.append(child.name) }
            groups[child.name, default: []].append(child)
        }
        for key in order {
            let group = groups[key]!
            members.append(
                (
                    key,
                    { out, depth in
                        if group.count == 1 {
                            group[0].writeJSONValue(into: &out, depth: depth, style: style)
                            return
                        }
                        let inner = String(repeating: "  ", count: depth + 1)
                        out += "[\r\n"
                        for (index, element) in group.enumerated() {
                            out += inner
                            element.writeJSONValue(into: &out, depth: depth + 1, style: style)
                            out += index < group.count - 1 ? ",\r\n" : "\r\n"
                        }
                        out += String(repeating: "  ", count: depth) + "]"
                    }
                ))
        }
        let inner = String(repeating: "  ", count: depth + 1)
        out += "{\r\n"
        for (index, (key, write)) in members.enumerated() {
            out += inner + Self.quote(key) + ": "
            write(&out, depth + 1)
            out += index < members.count - 1 ? ",\r\n" : "\r\n"
        }
        out += String(repeating: "  ", count: depth) + "}"
    }

    /// A JSON string literal.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
