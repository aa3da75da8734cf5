// SPDX-License-Identifier: AGPL-3.0-or-later
// What Profiles.swift uses from the rest of QuireAPI, for fuzz/profiles_fuzzer.swift: the
// fuzzer needs the parser, not Hummingbird (APIError's home) or the request parameters.
struct APIError: Error {
    init(_ code: Int, _ message: String) {}
}

enum RequestParameters {
    static func boolean(_ text: String) -> Bool? { text == "true" ? true : text == "false" ? false : nil }
}
