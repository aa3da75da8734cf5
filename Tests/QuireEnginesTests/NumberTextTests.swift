// SPDX-License-Identifier: AGPL-3.0-or-later
import Testing

@testable import QuireEngines

/// Which table texts `/to/xlsx` writes as numbers, and the Excel format that prints them as the
/// PDF did.
struct NumberTextTests {
    @Test(
        arguments: [
            ("12", 12.0, nil), ("3.50", 3.5, "0.00"), ("1,200.50", 1200.5, "#,##0.00"), ("-35.00", -35.0, "0.00"),
            ("(1,234)", -1234.0, "#,##0;(#,##0)"), ("$12", 12.0, "\"$\"0"), ("12.5%", 0.125, "0.0%"), ("+5", 5.0, nil),
            ("\u{2212}7", -7.0, nil),
        ] as [(String, Double, String?)])
    func numbers(text: String, value: Double, format: String?) throws {
        let number = try #require(NumberText.value(of: text))
        #expect(abs(number.value - value) < 1e-9)
        #expect(number.format == format)
    }

    @Test(arguments: ["", "Apples", "12a", "1,2", "1,2345", ",123", "1.2.3", "12.", "--5", "1e5", "NaN", "inf", "$", "%"])
    func notNumbers(text: String) {
        #expect(NumberText.value(of: text) == nil, "\(text)")
    }
}
