// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore
import QuireWorker
import Testing

/// Every registered conversion has the engine side its host kind runs.
struct ConversionEngineSideTests {
    @Test func everyConversionHasItsEngineSide() {
        #expect(EngineSides.missing == [])
        // The test operations choose their host: both sides.
        #expect(TestCrashConversion.self is any OfficeHosted.Type && TestHangConversion.self is any OfficeHosted.Type)
    }
}
