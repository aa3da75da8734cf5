// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireJobs
import ServiceLifecycle

extension Worker {
    /// The job's inputs as local files, in order. All remote downloads of the job share one
    /// deadline, the job timeout, so a slow server cannot hold a slot longer than a slow engine
    /// could; graceful shutdown cancels them (`CancellationError`) instead of waiting. Together
    /// they may hold `--max-job-input-mb`.
    func fetchInputs(of job: JobRecord, into directory: URL) async throws -> [(file: URL, name: String)] {
        let spec = job.spec
        let credentials = spec.fetchCredentials
        let deadline = ContinuousClock.now + settings.jobTimeout
        let inputs = self.inputs
        let maxBytes = settings.maxJobInputBytes
        return try await cancelWhenGracefulShutdown {
            var files: [(file: URL, name: String)] = []
            var bytes = 0
            for (index, url) in spec.inputs.enumerated() {
                let input = try await inputs.resolve(
                    url, owner: job.owner, scratch: directory, index: index, credentials: credentials, deadline: deadline)
                // Checked as each input arrives: a merge of many large URLs stops at the cap, not after it.
                bytes += FileManager.default.sizeOfFile(at: input.file)
                guard bytes <= maxBytes else {
                    throw JobFailure(
                        status: 413, message: "The job's input files add up to more than \(maxBytes >> 20) MB (--max-job-input-mb).")
                }
                files.append(input)
            }
            return files
        }
    }
}
