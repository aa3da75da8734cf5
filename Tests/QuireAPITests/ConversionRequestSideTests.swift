// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireAPI
import Testing

/// Every registered conversion has its request side, so the router can mount it.
struct ConversionRequestSideTests {
    @Test func everyConversionHasARequestSide() {
        #expect(ConversionRoutes.withoutRequestSide == [])
    }
}
