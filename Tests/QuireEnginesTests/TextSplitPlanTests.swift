// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireEngines
import Testing

/// `/pdf/split2`'s grouping of pages by the pages whose text matches.
struct TextSplitPlanTests {
    let pages = ["cover", "Invoice 1\nitems", "more items", "INVOICE 2", "Invoice 3", "end"]

    @Test func eachMatchStartsAPartAndLeadingPagesFormTheirOwn() throws {
        #expect(try TextSplitPlan(search: "invoice").groups(pageTexts: pages) == [[0], [1, 2], [3], [4, 5]])
    }

    @Test func caseSensitiveRegexAndExcludedKeyPages() throws {
        var plan = TextSplitPlan(search: "^Invoice \\d$")
        plan.isRegex = true
        plan.caseSensitive = true
        plan.excludeKeyPages = true
        #expect(try plan.groups(pageTexts: pages) == [[0], [2, 3], [5]])
    }

    @Test func noMatchIsOnePartAndABadRegexIsRefused() throws {
        #expect(try TextSplitPlan(search: "absent").groups(pageTexts: pages) == [[0, 1, 2, 3, 4, 5]])
        var plan = TextSplitPlan(search: "([")
        plan.isRegex = true
        #expect(throws: EngineError.self) { try plan.groups(pageTexts: pages) }
    }

    /// The rule barcode searches share: key pages start parts, or are left out.
    @Test func keyPagesGroupTheSameWay() {
        let keys = [false, true, false, true, true, false]
        #expect(TextSplitPlan.groups(keyPages: keys, excludeKeyPages: false) == [[0], [1, 2], [3], [4, 5]])
        #expect(TextSplitPlan.groups(keyPages: keys, excludeKeyPages: true) == [[0], [2], [5]])
        #expect(TextSplitPlan.groups(keyPages: [true], excludeKeyPages: true) == [])
    }
}
