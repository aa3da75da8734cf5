// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Hummingbird
import QuireCore
import QuireJobs

/// `/job/check`: the state of an async job. Always HTTP 200: the state is in `status`.
struct JobRoutes {
    let services: APIServices
    let answers: JobAnswers
    let finished = FinishedJobAnswers()

    func add(to routes: RouteTable) {
        routes.add("/job/check") { request, context in
            var request = request
            let parameters = try await request.parameters(maxBodyBytes: services.limits.maxRequestBytes)
            guard let id = parameters.string("jobid")?.trimmingCharacters(in: .whitespaces) else {
                throw APIError.missing("jobid", "Pass the jobId an async request answered with.")
            }
            if let body = finished.answer(for: id, owner: context.owner) { return JSONAnswer.make(encoded: body) }
            // Another key's job reads exactly like a job that never existed.
            guard let job = try await services.queue.job(id: id), job.owner == context.owner else {
                return JSONAnswer.make(JobAnswers.unknown(id))
            }
            let body = JSONAnswer.encode(answers.check(job))
            if job.state.isFinished, let expiresAt = job.expiresAt {
                finished.store(body, for: id, owner: job.owner, expiresAt: expiresAt)
            }
            return JSONAnswer.make(encoded: body)
        }
    }
}
