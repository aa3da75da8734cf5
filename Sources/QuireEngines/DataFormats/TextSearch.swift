// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Finds text on a page, line by line (a match does not cross lines), with its box.
package struct TextSearch: Sendable {
    package struct Match: Sendable, Equatable {
        package var text: String
        package var box: Box
        package var pageIndex: Int
        /// The characters matched, without white space.
        package var chars: [PageContent.Char] = []
    }

    private let expression: NSRegularExpression
    private let wordMatching: WordMatching
    /// Longest a search may run on one line of text: a pattern that backtracks exponentially
    /// (`(a+)+$`) is stopped here instead of holding the engine until the job timeout.
    package static let maxSecondsPerLine = 1.0

    /// - Throws: `EngineError.unsupported` when `regex` is not a valid expression.
    package init(_ pattern: String, regex: Bool, caseSensitive: Bool, wordMatching: WordMatching) throws(EngineError) {
        let source = regex ? pattern : NSRegularExpression.escapedPattern(for: pattern)
        do {
            expression = try NSRegularExpression(pattern: source, options: caseSensitive ? [] : [.caseInsensitive])
        } catch {
            throw .unsupported("The regular expression in 'searchString' is not valid.")
        }
        self.wordMatching = wordMatching
    }

    /// - Throws: `EngineError.limitExceeded` when the expression runs too long on a line.
    package func matches(on page: PageContent, pageIndex: Int) throws(EngineError) -> [Match] {
        var matches: [Match] = []
        var start = 0
        while start < page.chars.count {
            var end = start
            while end < page.chars.count, page.chars[end].line == page.chars[start].line { end += 1 }
            matches += try self.matches(in: page.chars[start..<end], pageIndex: pageIndex)
            start = end
        }
        return matches
    }

    private func matches(in line: ArraySlice<PageContent.Char>, pageIndex: Int) throws(EngineError) -> [Match] {
        // The line as UTF-16 (NSRegularExpression's unit), remembering each unit's character.
        var text = String.UnicodeScalarView()
        var owner: [Int] = []
        for (index, char) in zip(line.indices, line) {
            text.append(char.scalar)
            owner += repeatElement(index, count: char.scalar.utf16.count)
        }
        let string = String(text)
        let units = Array(string.utf16)
        var results: [NSTextCheckingResult] = []
        var timedOut = false
        let deadline = Date().addingTimeInterval(Self.maxSecondsPerLine)
        // `.reportProgress` calls back while a match runs, so a runaway one can be stopped.
        expression.enumerateMatches(in: string, options: [.reportProgress], range: NSRange(location: 0, length: units.count)) {
            result, _, stop in
            if let result { results.append(result) }
            if Date() > deadline {
                timedOut = true
                stop.pointee = true
            }
        }
        if timedOut {
            throw .limitExceeded(
                "The regular expression in 'searchString' ran for over \(Int(Self.maxSecondsPerLine)) s on one line of text and was stopped; simplify it."
            )
        }
        var found: [Match] = []
        for result in results {
            let range = result.range
            guard range.length > 0, isWordMatch(units, range) else { continue }
            let chars = line[owner[range.location]...owner[range.location + range.length - 1]]
            let visible = chars.filter { !$0.scalar.properties.isWhitespace }
            guard let first = visible.first else { continue }
            let box = visible.dropFirst().reduce(first.box) { $0.union($1.box) }
            let matched = String(decoding: units[range.location..<(range.location + range.length)], as: UTF16.self)
            found.append(Match(text: matched, box: box, pageIndex: pageIndex, chars: visible))
        }
        return found
    }

    private func isWordMatch(_ units: [UInt16], _ range: NSRange) -> Bool {
        func isWordUnit(_ index: Int) -> Bool {
            guard index >= 0, index < units.count, let scalar = Unicode.Scalar(units[index]) else { return false }
            return scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_"
        }
        switch wordMatching {
        case .none: return true
        case .smartMatch: return !isWordUnit(range.location - 1)
        case .exactMatch: return !isWordUnit(range.location - 1) && !isWordUnit(range.location + range.length)
        }
    }
}
