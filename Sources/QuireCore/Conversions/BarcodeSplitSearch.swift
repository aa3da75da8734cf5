// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// `/pdf/split2`'s barcode search, PDF.co's `[[barcode:TYPES VALUE]]` in `searchString` (e.g.
/// `[[barcode:qrcode,datamatrix /bytescout\.com/]]`): a part starts at each page carrying a code
/// of one of TYPES whose value matches VALUE. docs/api.md says what Quire chose where PDF.co is silent.
package struct BarcodeSplitSearch: Sendable, Codable, Equatable {
    /// Longest barcode search taken, in bytes of UTF-8: far more than a list of every type and a
    /// pattern for a code's value (at most about 3 000 bytes) need.
    package static let maxBytes = 4096
    private static let prefix = "[[barcode:"

    /// The types looked for; empty: every type Quire reads.
    package var types: [BarcodeType] = []
    /// What a code's value must match; nil: any value.
    package var value: String?
    /// Whether `value` is a regular expression (written between slashes) or the whole value.
    package var isRegex = false

    package init(types: [BarcodeType] = [], value: String? = nil, isRegex: Bool = false) {
        self.types = types
        self.value = value
        self.isRegex = isRegex
    }

    /// Whether `search` is written in the barcode form (PDF.co's prefix, any case).
    package static func isWritten(_ search: String) -> Bool {
        search.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().hasPrefix(prefix)
    }

    /// Reads `[[barcode:TYPES VALUE]]`: TYPES a comma list (empty: all), VALUE `/regex/`, a plain
    /// value the code must equal, or nothing (any value).
    /// - Throws: `BarcodeSearchError` naming what is wrong.
    package init(parsing search: String) throws(BarcodeSearchError) {
        guard search.utf8.count <= Self.maxBytes else {
            throw .syntax("a barcode search is at most \(Self.maxBytes) bytes long, this one is \(search.utf8.count).")
        }
        let text = search.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.lowercased().hasPrefix(Self.prefix), text.hasSuffix("]]"), text.count >= Self.prefix.count + 2 else {
            throw .syntax("write a barcode search as [[barcode:qrcode,datamatrix /regex/]].")
        }
        let inner = String(text.dropFirst(Self.prefix.count).dropLast(2))
        // Spaces around the commas of the type list are allowed; the first other space ends it.
        let list = inner.replacingOccurrences(of: #"\s*,\s*"#, with: ",", options: .regularExpression)
            .drop { $0 == " " || $0 == "\t" }
        let typeText = String(list.prefix { !$0.isWhitespace && $0 != "/" })
        let rest = list.dropFirst(typeText.count).trimmingCharacters(in: .whitespacesAndNewlines)
        for name in typeText.split(separator: ",", omittingEmptySubsequences: true).map(String.init) {
            guard let type = BarcodeType(named: name) else { throw .unknownType(name) }
            if !types.contains(type) { types.append(type) }
        }
        guard !rest.isEmpty else { return }
        if rest.hasPrefix("/") {
            guard rest.count >= 2, rest.hasSuffix("/") else {
                throw .syntax(
                    "a regular expression for the value is written between slashes, as /INV-\\d+/, with nothing after the closing one.")
            }
            let pattern = String(rest.dropFirst().dropLast())
            do { _ = try NSRegularExpression(pattern: pattern) } catch {
                throw .syntax("/\(pattern.prefix(80))/ is not a valid regular expression.")
            }
            value = pattern
            isRegex = true
        } else {
            value = rest
        }
    }

    /// Whether a code whose value is `code` matches (`caseSensitive` as `/pdf/split2`'s switch).
    package func matcher(caseSensitive: Bool) throws(BarcodeSearchError) -> (String) -> Bool {
        guard let value else { return { _ in true } }
        guard isRegex else {
            return caseSensitive ? { $0 == value } : { $0.caseInsensitiveCompare(value) == .orderedSame }
        }
        let expression: NSRegularExpression
        do { expression = try NSRegularExpression(pattern: value, options: caseSensitive ? [] : [.caseInsensitive]) } catch {
            throw .syntax("/\(value.prefix(80))/ is not a valid regular expression.")
        }
        return { code in expression.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) != nil }
    }
}

/// Why a barcode search in `searchString` was refused.
package enum BarcodeSearchError: Error, Equatable {
    /// The form is wrong; the message says how to write it.
    case syntax(String)
    /// A name in the type list that is no type Quire reads.
    case unknownType(String)
}
