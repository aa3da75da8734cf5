// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// A file catalog held in memory: for unit tests and tools that need no durability.
package actor MemoryFileCatalog: FileCatalog {
    private var files: [String: StoredFile] = [:]

    package init() {}

    package func insert(_ file: StoredFile) async throws {
        guard files[file.id] == nil else { throw StorageError.duplicateID(file.id) }
        files[file.id] = file
    }

    package func markReady(id: String, size: Int) async throws {
        files[id]?.isReady = true
        files[id]?.size = size
    }

    // An actor runs one call at a time, so the check and the claim cannot interleave.
    package func claimUpload(id: String, size: Int) async throws -> Bool {
        guard let file = files[id], !file.isReady, file.size == nil else { return false }
        files[id]?.size = size
        return true
    }

    package func releaseUpload(id: String) async throws {
        guard files[id]?.isReady == false else { return }
        files[id]?.size = nil
    }

    package func file(id: String, owner: String?) async throws -> StoredFile? {
        guard let file = files[id], owner == nil || file.owner == owner else { return nil }
        return file
    }

    package func delete(id: String) async throws {
        files[id] = nil
    }

    package func replace(_ file: StoredFile) async throws {
        files[file.id] = file
    }

    package func removeExpired(now: Date, limit: Int) async throws -> [String] {
        let ids = files.values.filter { $0.expiresAt < now }.prefix(limit).map(\.id)
        for id in ids { files[id] = nil }
        return ids
    }
}
