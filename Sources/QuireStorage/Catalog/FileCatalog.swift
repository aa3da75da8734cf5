// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// The list of files Quire holds, with owner, name and expiry; the bytes live in an `ObjectStore`.
package protocol FileCatalog: Sendable {
    /// Records a new file. Throws when `file.id` is already recorded.
    func insert(_ file: StoredFile) async throws
    /// Records the bytes as stored: the file becomes downloadable.
    func markReady(id: String, size: Int) async throws
    /// Claims a presigned upload for one PUT: true for the first caller only, atomically, so two
    /// PUTs racing to the same URL cannot both store bytes. A claimed upload has a size and is
    /// not ready until `markReady`; `releaseUpload` undoes a failed store.
    func claimUpload(id: String, size: Int) async throws -> Bool
    /// Gives a claimed upload back (its bytes could not be stored), so the client may PUT again.
    func releaseUpload(id: String) async throws
    /// The file `id`, nil when unknown. With `owner`, a file of another owner is unknown too.
    func file(id: String, owner: String?) async throws -> StoredFile?
    func delete(id: String) async throws
    /// Records `file`, replacing any record with its ID (a retried job stores its result again).
    func replace(_ file: StoredFile) async throws
    /// Removes up to `limit` records past their expiry and returns their IDs, so the caller
    /// can delete the bytes.
    func removeExpired(now: Date, limit: Int) async throws -> [String]
}

extension FileCatalog {
    /// The file `id` whoever owns it, nil when unknown.
    package func file(id: String) async throws -> StoredFile? {
        try await file(id: id, owner: nil)
    }

    /// Removes up to 500 expired records; see `removeExpired(now:limit:)`.
    package func removeExpired(now: Date) async throws -> [String] {
        try await removeExpired(now: now, limit: 500)
    }
}
