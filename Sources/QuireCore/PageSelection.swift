// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// A PDF.co `pages` value: comma-separated zero-based items such as `0`, `2-5`, `7-`, `!0`
/// (the last page), `1-!1` or `*`. Parsed without knowing the page count; `resolve(pageCount:)`
/// turns it into page indexes once the document is open.
package struct PageSelection: Sendable, Hashable, Codable, CustomStringConvertible {
    /// One end of a range: counted from the start, or from the end (`!N`, `!0` = last page).
    package enum Bound: Sendable, Hashable, Codable {
        case fromStart(Int)
        case fromEnd(Int)

        func index(pageCount: Int) -> Int {
            switch self {
            case .fromStart(let n): n
            case .fromEnd(let n): pageCount - 1 - n
            }
        }
    }

    /// One comma item: a single page (`first == last`), a closed range, or an open one (`last == nil`).
    package struct Item: Sendable, Hashable, Codable {
        package var first: Bound
        package var last: Bound?
        package var isOpenEnded: Bool
    }

    package var items: [Item]
    /// Whether the text was `*` ("every page separately", meaningful for split).
    package var isEveryPage: Bool
    package let description: String

    /// All pages, in order.
    package static let all = PageSelection(items: [], isEveryPage: false, description: "")

    package init(items: [Item], isEveryPage: Bool, description: String) {
        self.items = items
        self.isEveryPage = isEveryPage
        self.description = description
    }

    /// Parses `text`; an empty or blank value means every page. `oneBased` serves `/pdf/split`,
    /// the one PDF.co endpoint that counts from 1.
    /// - Throws: `PageSelectionError.syntax` naming the item that could not be read.
    package init(parsing text: String, oneBased: Bool = false) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        description = trimmed
        isEveryPage = trimmed == "*"
        items = []
        if trimmed.isEmpty || isEveryPage { return }
        for raw in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let item = raw.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { throw PageSelectionError.syntax(item: String(raw), text: trimmed) }
            items.append(try Self.parseItem(item, oneBased: oneBased, text: trimmed))
        }
    }

    private static func parseItem(_ item: String, oneBased: Bool, text: String) throws -> Item {
        // A dash separates the ends; `!` never contains one, so the first dash is the separator.
        if let dash = item.firstIndex(of: "-") {
            let left = item[..<dash].trimmingCharacters(in: .whitespaces)
            let right = item[item.index(after: dash)...].trimmingCharacters(in: .whitespaces)
            guard let first = parseBound(left, oneBased: oneBased) else {
                throw PageSelectionError.syntax(item: item, text: text)
            }
            if right.isEmpty { return Item(first: first, last: nil, isOpenEnded: true) }
            guard let last = parseBound(right, oneBased: oneBased) else {
                throw PageSelectionError.syntax(item: item, text: text)
            }
            return Item(first: first, last: last, isOpenEnded: false)
        }
        guard let page = parseBound(item, oneBased: oneBased) else {
            throw PageSelectionError.syntax(item: item, text: text)
        }
        return Item(first: page, last: page, isOpenEnded: false)
    }

    private static func parseBound(_ text: String, oneBased: Bool) -> Bound? {
        if text.hasPrefix("!") {
            guard let n = Int(text.dropFirst()), n >= 0 else { return nil }
            return .fromEnd(n)
        }
        guard !text.isEmpty, text.allSatisfy(\.isASCII), let n = Int(text), n >= 0 else { return nil }
        if oneBased {
            guard n >= 1 else { return nil }
            return .fromStart(n - 1)
        }
        return .fromStart(n)
    }

    /// The zero-based page indexes this selection names in a document of `pageCount` pages,
    /// in the order given (duplicates kept, as PDF.co does for repeated items).
    /// - Throws: `PageSelectionError.outOfRange` when an item names a page the document lacks.
    package func resolve(pageCount: Int) throws -> [Int] {
        if items.isEmpty { return Array(0..<pageCount) }
        return try resolveGroups(pageCount: pageCount).flatMap { $0 }
    }

    /// Like `resolve`, but one array per comma item (split writes one file per item).
    package func resolveGroups(pageCount: Int) throws -> [[Int]] {
        if isEveryPage { return (0..<pageCount).map { [$0] } }
        if items.isEmpty { return [Array(0..<pageCount)] }
        return try items.map { item in
            let first = item.first.index(pageCount: pageCount)
            let last = item.last.map { $0.index(pageCount: pageCount) } ?? (pageCount - 1)
            guard first >= 0, first < pageCount, last >= 0, last < pageCount else {
                throw PageSelectionError.outOfRange(text: description, pageCount: pageCount)
            }
            guard first <= last else {
                throw PageSelectionError.outOfRange(text: description, pageCount: pageCount)
            }
            return Array(first...last)
        }
    }
}

/// Why a `pages` value was refused.
package enum PageSelectionError: Error, Equatable, CustomStringConvertible {
    case syntax(item: String, text: String)
    case outOfRange(text: String, pageCount: Int)

    package var description: String {
        switch self {
        case .syntax(let item, let text):
            "Invalid 'pages' value \"\(text)\": cannot read \"\(item)\". Use zero-based page numbers and ranges separated by commas, e.g. \"0,2-5,7-\", \"!0\" for the last page, or \"*\"."
        case .outOfRange(let text, let pageCount):
            "The 'pages' value \"\(text)\" names pages the document does not have: it has \(pageCount) page\(pageCount == 1 ? "" : "s") (0 to \(max(pageCount - 1, 0)))."
        }
    }
}
