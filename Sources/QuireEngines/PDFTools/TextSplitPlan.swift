// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// `/pdf/split2` by text: every page whose text matches starts a new part; pages before the
/// first match form a part of their own. With `excludeKeyPages` the matching pages are left
/// out of the parts.
package struct TextSplitPlan: Sendable {
    package var search: String
    package var isRegex = false
    package var caseSensitive = false
    package var excludeKeyPages = false

    package init(search: String) {
        self.search = search
    }

    /// The groups of zero-based pages for documents whose pages have `pageTexts`.
    /// - Throws: `EngineError.unsupported` for a regular expression that does not compile.
    package func groups(pageTexts: [String]) throws(EngineError) -> [[Int]] {
        let matcher = try self.matcher()
        return Self.groups(keyPages: pageTexts.map(matcher), excludeKeyPages: excludeKeyPages)
    }

    /// The groups of zero-based pages when `keyPages[i]` says whether page i starts a part (the
    /// same rule for text and barcode searches).
    package static func groups(keyPages: [Bool], excludeKeyPages: Bool) -> [[Int]] {
        var groups: [[Int]] = []
        var current: [Int] = []
        for (index, isKey) in keyPages.enumerated() {
            if isKey && !current.isEmpty {
                groups.append(current)
                current = []
            }
            if !(isKey && excludeKeyPages) { current.append(index) }
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }

    private func matcher() throws(EngineError) -> (String) -> Bool {
        if isRegex {
            let expression: NSRegularExpression
            do {
                // ^ and $ match at line ends: a page's text has many lines.
                expression = try NSRegularExpression(
                    pattern: search, options: caseSensitive ? [.anchorsMatchLines] : [.caseInsensitive, .anchorsMatchLines])
            } catch {
                throw .unsupported("'searchString' is not a valid regular expression.")
            }
            return { text in expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }
        }
        let needle = search
        let options: String.CompareOptions = caseSensitive ? [] : [.caseInsensitive]
        return { text in text.range(of: needle, options: options) != nil }
    }
}
