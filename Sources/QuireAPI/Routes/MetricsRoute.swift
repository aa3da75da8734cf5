// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import HTTPTypes
import Hummingbird
import QuireCore
import QuireJobs

/// `/metrics` of a worker node, in Prometheus' text format: the shared queue's jobs per state
/// and whether this node is ready. (Request metrics of API nodes come with issue #19.)
enum MetricsRoute {
    static func response(queue: any JobQueue, isReady: () -> Bool) async throws -> Response {
        let counts = try await queue.counts()
        var lines = ["# HELP quire_jobs Jobs in the shared queue by state.", "# TYPE quire_jobs gauge"]
        for state in [JobState.queued, .running, .success, .failed, .aborted] {
            lines.append("quire_jobs{state=\"\(state.rawValue)\"} \(counts[state] ?? 0)")
        }
        lines += ["# HELP quire_node_ready Whether this node takes work.", "# TYPE quire_node_ready gauge"]
        lines.append("quire_node_ready \(isReady() ? 1 : 0)")
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\n") + "\n")))
    }
}
