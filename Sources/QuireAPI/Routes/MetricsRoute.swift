// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import HTTPTypes
import Hummingbird
import QuireCore
import QuireJobs

/// `/metrics` in Prometheus' text format: the shared queue's jobs per state, whether this node
/// is ready, and what this process recorded through swift-metrics (`exported`): requests by
/// route, method and status with their durations, job attempts by operation and outcome with
/// their durations, engine host restarts by cause, bytes stored; and this process's resident
/// memory and the part of it SQLite's caches hold.
enum MetricsRoute {
    static func response(queue: any JobQueue, isReady: () -> Bool, exported: String) async throws -> Response {
        let counts = try await queue.counts()
        var lines = ["# HELP quire_jobs Jobs in the shared queue by state.", "# TYPE quire_jobs gauge"]
        for state in [JobState.queued, .running, .success, .failed, .aborted] {
            lines.append("quire_jobs{state=\"\(state.rawValue)\"} \(counts[state] ?? 0)")
        }
        lines += ["# HELP quire_node_ready Whether this node takes work.", "# TYPE quire_node_ready gauge"]
        lines.append("quire_node_ready \(isReady() ? 1 : 0)")
        if let resident = ProcessStatus(of: getpid())?.residentKB {
            lines += [
                "# HELP process_resident_memory_bytes Resident memory of this process.", "# TYPE process_resident_memory_bytes gauge",
            ]
            lines.append("process_resident_memory_bytes \(resident * 1024)")
        }
        lines += [
            "# HELP quire_sqlite_memory_bytes Bytes SQLite holds in this process (page caches, statements).",
            "# TYPE quire_sqlite_memory_bytes gauge",
        ]
        lines.append("quire_sqlite_memory_bytes \(SQLiteMemory.bytesInUse)")
        if !exported.isEmpty { lines.append(exported.trimmingCharacters(in: .newlines)) }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\n") + "\n")))
    }
}
