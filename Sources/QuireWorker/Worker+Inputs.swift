// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireJobs
import ServiceLifecycle

extension Worker {
    /// The job's inputs as local files, in order. All remote downloads of the job share one
    /// deadline, the job timeout, so a slow server cannot hold a slot longer than a slow engine
    /// could; graceful shutdown cancels them (`CancellationError`) instead of waiting.
    func fetchInputs(of job: JobRecord, into directory: URL) async throws -> [(file: URL, name: String)] {
        let spec = job.spec
        let credentials = spec.options["httpusername"].map { (user: $0, password: spec.options["httppassword"]) }
        let deadline = ContinuousClock.now + settings.jobTimeout
        let inputs = self.inputs
        return try await cancelWhenGracefulShutdown {
            var files: [(file: URL, name: String)] = []
            for (index, url) in spec.inputs.enumerated() {
                files.append(
                    try await inputs.resolve(
                        url, owner: job.owner, scratch: directory, index: index, credentials: credentials, deadline: deadline))
            }
            return files
        }
    }
}
