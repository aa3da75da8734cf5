// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Where input and result bytes live (local disk now, S3-compatible later). Keys are file IDs.
package protocol ObjectStore: Sendable {
    /// Moves the file at `source` into the store under `key` (the source is gone afterwards).
    func put(_ key: String, movingFrom source: URL) async throws
    /// Stores `data` under `key`.
    func put(_ key: String, data: Data) async throws
    /// A local file holding the object's bytes, valid until the object is deleted.
    /// Stores that keep objects elsewhere download a new file to `scratch` at each call, which
    /// the caller must remove: prefer `withLocalFile`, which does.
    func localFile(for key: String, scratch: URL) async throws -> URL
    /// Whether `localFile` hands out a copy in `scratch` (to remove) rather than the stored file itself.
    var localFilesAreCopies: Bool { get }
    /// Removes the object; no error when it is already gone.
    func delete(_ key: String) async throws
    /// Size in bytes, nil when there is no such object.
    func size(of key: String) async throws -> Int?
}

extension ObjectStore {
    /// Runs `body` with a local file holding the object's bytes; a downloaded copy is removed
    /// when `body` returns or throws, so scratch space never fills up with them.
    package func withLocalFile<T>(for key: String, scratch: URL, _ body: (URL) async throws -> T) async throws -> T {
        let file = try await localFile(for: key, scratch: scratch)
        defer { if localFilesAreCopies { try? FileManager.default.removeItem(at: file) } }
        return try await body(file)
    }
}

/// A store that clients reach directly through presigned URLs (S3): uploads go there without
/// passing through Quire, and Quire's download URLs redirect there.
package protocol DirectAccessStore: ObjectStore {
    /// A URL that stores one object with a plain `PUT` of its bytes, until `expires` from `now`.
    func presignedPutURL(key: String, expires: Duration, now: Date) -> URL
    /// A URL that answers `method` (`GET` or `HEAD`) for one object until `expires` from `now`,
    /// with the answer's `Content-Type` and `Content-Disposition` set to those given.
    func presignedReadURL(
        key: String, method: String, expires: Duration, contentType: String?, contentDisposition: String?, now: Date
    ) -> URL
}

/// Storage failures. Messages are for logs; the API shows clients a generic text.
package enum StorageError: Error, Equatable {
    case notFound(String)
    case tooLarge(limitBytes: Int)
    case io(String)
    /// A catalog record with this ID exists already.
    case duplicateID(String)
}
