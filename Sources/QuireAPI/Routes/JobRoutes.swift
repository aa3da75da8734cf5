import Foundation
import Hummingbird
// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireJobs

/// `/job/check`: the state of an async job. Always HTTP 200: the state is in `status`.
struct JobRoutes {
    let services: APIServices
    let answers: JobAnswers

    func add(to routes: RouteTable) {
        routes.add("/job/check") { request, context in
            var request = request
            let parameters = try await request.parameters(maxBodyBytes: services.limits.maxRequestBytes)
            guard let id = parameters.string("jobid")?.trimmingCharacters(in: .whitespaces) else {
                throw APIError.missing("jobid", "Pass the jobId an async request answered with.")
            }
            // Another key's job reads exactly like a job that never existed.
            guard let job = try await services.queue.job(id: id), job.owner == context.owner else {
                return JSONAnswer.make(JobAnswers.unknown(id))
            }
            return JSONAnswer.make(answers.check(job))
        }
    }
}
