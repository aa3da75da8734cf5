// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore
import Testing

/// The PDF → data parameters through the router: `rect` in both PDF.co spellings, the CSV
/// profiles, find's options; bad values are 400s naming the parameter and queue nothing.
struct DataRouterTests {
    @Test func rectAcceptsSpacesAndCommas() async throws {
        let harness = try RouterHarness()
        for rect in ["51.8 114.8 235.5 204.0", "51.8, 114.8, 235.5, 204.0", "51.8,114.8,235.5,204"] {
            let spec = try await harness.queued("/pdf/convert/to/csv", ["rect": rect])
            #expect(try PDFToCSVConversion.options(of: spec).rect == [51.8, 114.8, 235.5, 204.0], "\(rect)")
        }
    }

    @Test func profilesAndFindOptionsAreRead() async throws {
        let harness = try RouterHarness()
        let csv = try PDFToCSVConversion.options(
            of: try await harness.queued(
                "/pdf/convert/to/csv", ["profiles": "{'CSVSeparatorSymbol': ';', 'CSVQuotaionSymbol': \"'\"}", "unwrap": "true"]))
        #expect(csv.csvSeparator == ";" && csv.csvQuote == "'" && csv.unwrap)
        let find = try FindTextConversion.options(
            of: try await harness.queued(
                "/pdf/find", ["searchString": "a+b", "regexSearch": "true", "wordMatchingMode": "exactmatch", "caseSensitive": "1"]))
        #expect(find.searchString == "a+b" && find.regexSearch && find.caseSensitive && find.wordMatching == .exactMatch)
    }

    static let refusals: [Refusal] = [
        Refusal("/pdf/convert/to/csv", ["rect": "garbage"], names: "'rect'"),
        Refusal("/pdf/convert/to/json", ["rect": "1 2 3"], names: "'rect'"),
        Refusal("/pdf/convert/to/xml", ["rect": "10 10 -5 20"], names: "'rect'"),
        Refusal("/pdf/convert/to/html", ["rect": "nan 0 10 10"], names: "'rect'"),
        Refusal("/pdf/convert/to/json2", ["rect": "0 0 1e300 10"], names: "'rect'"),
        Refusal("/pdf/find/table", ["rect": "0 0 10 infinity"], names: "'rect'"),
        Refusal("/pdf/convert/to/csv", ["lineGrouping": "7"], names: "'lineGrouping'"),
        Refusal("/pdf/convert/to/csv", ["unwrap": "maybe"], names: "'unwrap'"),
        Refusal("/pdf/convert/to/csv", ["profiles": "{'CSVSeparatorSymbol': ''}"], names: "CSVSeparatorSymbol"),
        Refusal("/pdf/convert/to/csv", ["profiles": "{'CSVQuotaionSymbol': '<<'}"], names: "CSVQuotaionSymbol"),
        Refusal("/pdf/convert/to/html", ["simple": "perhaps"], names: "'simple'"),
        Refusal("/pdf/find", [:], names: "'searchString'"),
        Refusal("/pdf/find", ["searchString": String(repeating: "x", count: 10_001)], names: "'searchString'"),
        Refusal("/pdf/find", ["searchString": "([a-", "regexSearch": "true"], names: "'searchString'"),
        Refusal("/pdf/find", ["searchString": "a", "regexSearch": "sometimes"], names: "'regexSearch'"),
        Refusal("/pdf/find", ["searchString": "a", "wordMatchingMode": "Fuzzy"], names: "'wordMatchingMode'"),
        Refusal("/pdf/find/table", ["inline": "perhaps"], names: "'inline'"),
    ]

    @Test(arguments: refusals)
    func badValuesAreRefused(_ refusal: Refusal) async throws {
        try await RouterHarness().expectRefused(refusal)
    }
}
