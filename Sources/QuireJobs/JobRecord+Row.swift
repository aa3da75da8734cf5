// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import GRDB
import QuireCore

// The SQLite row of a job, column by column, its JSON columns through `JSONText`: GRDB's
// Codable mapping decodes them with JSONDecoder, which with the record's re-encoding was about
// a tenth of the server's CPU on small jobs. Stored text is the same JSON, so rows written by
// either mapping read back alike (and the PostgreSQL queue writes the same text).
extension JobRecord {
    package init(row: Row) throws {
        let state: String = row["state"]
        guard let jobState = JobState(rawValue: state) else { throw JobRecordRowError.unknownState(state) }
        self.init(
            id: row["id"], owner: row["owner"], spec: try JSONText.decode(JobSpec.self, from: row["spec"] as String),
            maxAttempts: row["maxAttempts"], createdAt: row["createdAt"])
        self.state = jobState
        attempts = row["attempts"]
        leaseOwner = row["leaseOwner"]
        leaseExpiresAt = row["leaseExpiresAt"]
        result = try (row["result"] as String?).map { try JSONText.decode(JobResult.self, from: $0) }
        failure = try (row["failure"] as String?).map { try JSONText.decode(JobFailure.self, from: $0) }
        startedAt = row["startedAt"]
        finishedAt = row["finishedAt"]
        expiresAt = row["expiresAt"]
    }

    package func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["owner"] = owner
        container["spec"] = try JSONText.encode(spec)
        container["state"] = state.rawValue
        container["attempts"] = attempts
        container["maxAttempts"] = maxAttempts
        container["leaseOwner"] = leaseOwner
        container["leaseExpiresAt"] = leaseExpiresAt
        container["result"] = try result.map { try JSONText.encode($0) }
        container["failure"] = try failure.map { try JSONText.encode($0) }
        container["createdAt"] = createdAt
        container["startedAt"] = startedAt
        container["finishedAt"] = finishedAt
        container["expiresAt"] = expiresAt
    }
}

/// What a stored job row can hold that this version cannot read.
package enum JobRecordRowError: Error, Equatable {
    /// A `state` this version does not know (written by a newer version).
    case unknownState(String)
}
