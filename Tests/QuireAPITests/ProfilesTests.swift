// SPDX-License-Identifier: AGPL-3.0-or-later
import Testing

@testable import QuireAPI

/// `profiles` is lenient JSON in PDF.co clients: single quotes, comments, trailing commas, nesting.
struct ProfilesTests {
    @Test func flatLenientProfiles() throws {
        let profiles = try Profiles(parsing: "{ 'JPEGQuality': 25, // smaller files\n 'ResampleImages': true, }")
        #expect(profiles.int("jpegquality") == 25)
    }

    @Test func nestedProfilesAndStringNumbers() throws {
        let profiles = try Profiles(parsing: #"{ "profiles": [ { "profile1": { "JPEGQuality": "40" } } ] }"#)
        #expect(profiles.int("JPEGQuality") == 40)
    }

    @Test func emptyIsNothingAndGarbageIs444() throws {
        #expect(try Profiles(parsing: "").int("JPEGQuality") == nil)
        #expect(try Profiles(parsing: nil).int("JPEGQuality") == nil)
        #expect(throws: APIError.self) { try Profiles(parsing: "{oops") }
        #expect(Profiles.strictJSON("{'a': 'it\\'s', /* c */ \"b\": [1,2,],}") == #"{"a": "it's",  "b": [1,2]}"#)
    }
}
