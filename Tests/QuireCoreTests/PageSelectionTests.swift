// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore
import Testing

struct PageSelectionTests {
    /// Every form PDF.co documents resolves to the right zero-based pages.
    @Test(arguments: [
        ("", 5, [0, 1, 2, 3, 4]),
        ("0", 5, [0]),
        ("0,2-3", 5, [0, 2, 3]),
        ("3-", 5, [3, 4]),
        ("!0", 5, [4]),
        ("!1-", 5, [3, 4]),
        ("1-!1", 5, [1, 2, 3]),
        (" 0 , 2 - 4 ", 5, [0, 2, 3, 4]),
        ("4,0", 5, [4, 0]),
        ("*", 3, [0, 1, 2]),
    ])
    func resolves(text: String, pageCount: Int, expected: [Int]) throws {
        #expect(try PageSelection(parsing: text).resolve(pageCount: pageCount) == expected)
    }

    /// Syntax errors name the item that could not be read.
    @Test(arguments: ["a", "1-b", "-3", "1,,2", "1.5", "!x", "--", "1-2-3"])
    func rejectsBadSyntax(text: String) {
        #expect(throws: PageSelectionError.self) { try PageSelection(parsing: text) }
    }

    /// A page past the end is an out-of-range error, not a silent skip.
    @Test(arguments: ["5", "3-7", "!5", "4-2"])
    func rejectsPagesOutsideTheDocument(text: String) throws {
        let selection = try PageSelection(parsing: text)
        #expect(throws: PageSelectionError.self) { try selection.resolve(pageCount: 5) }
    }

    /// `/pdf/split` counts from 1.
    @Test func oneBased() throws {
        #expect(try PageSelection(parsing: "1-2,3-", oneBased: true).resolveGroups(pageCount: 4) == [[0, 1], [2, 3]])
        #expect(throws: PageSelectionError.self) { try PageSelection(parsing: "0", oneBased: true) }
    }

    /// `*` gives one group per page (split).
    @Test func everyPageGroups() throws {
        #expect(try PageSelection(parsing: "*").resolveGroups(pageCount: 3) == [[0], [1], [2]])
    }
}
