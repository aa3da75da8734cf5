// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Where input and result bytes live (local disk now, S3-compatible later). Keys are file IDs.
package protocol ObjectStore: Sendable {
    /// Moves the file at `source` into the store under `key` (the source is gone afterwards).
    func put(_ key: String, movingFrom source: URL) async throws
    /// Stores `data` under `key`.
    func put(_ key: String, data: Data) async throws
    /// A local file holding the object's bytes, valid until the object is deleted.
    /// Stores that keep objects elsewhere download to `scratch` first.
    func localFile(for key: String, scratch: URL) async throws -> URL
    /// Removes the object; no error when it is already gone.
    func delete(_ key: String) async throws
    /// Size in bytes, nil when there is no such object.
    func size(of key: String) async throws -> Int?
}

/// Storage failures. Messages are for logs; the API shows clients a generic text.
package enum StorageError: Error, Equatable {
    case notFound(String)
    case tooLarge(limitBytes: Int)
    case io(String)
    /// A catalog record with this ID exists already.
    case duplicateID(String)
}
