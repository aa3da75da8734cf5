// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines
import Testing

@testable import QuireWorker

/// Which failures get another attempt: only those another attempt may fix.
struct JobFailureClassificationTests {
    @Test(arguments: [
        (EngineError.failed("Could not write the rendered page.") as any Error, false),
        (EngineError.damaged("x"), false),
        (EngineHostError.timedOut(seconds: 5), false),
        (CocoaError(.fileNoSuchFile), false),
        (EngineHostError.crashed("signal 11"), true),
        (JobFailure(status: 400, message: "Could not download the input URL: timed out.", isRetryable: true), true),
    ])
    func onlyTransientFailuresAreRetried(error: any Error, retried: Bool) {
        #expect(Worker.failure(for: error).isRetryable == retried)
    }
}
