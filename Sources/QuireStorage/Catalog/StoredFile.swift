// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import GRDB

/// One file Quire holds: an upload or a job result. Its bytes live in the `ObjectStore` under `id`.
package struct StoredFile: Sendable, Codable, Equatable, FetchableRecord, PersistableRecord {
    package static let databaseTableName = "files"

    package var id: String
    /// The API key ID that made the file; other keys cannot see it.
    package var owner: String
    /// Sanitized file name, with extension.
    package var name: String
    package var size: Int?
    package var createdAt: Date
    package var expiresAt: Date
    /// False until the bytes are stored (a presigned upload before its PUT, an async result before the job ends).
    package var isReady: Bool
    /// Whether the bytes came from a client (an upload, or a URL it had fetched) rather than
    /// from an engine: such files are only ever served as opaque attachments.
    package var isUpload: Bool

    package init(
        id: String, owner: String, name: String, size: Int? = nil, createdAt: Date, expiresAt: Date, isReady: Bool,
        isUpload: Bool = false
    ) {
        self.id = id
        self.owner = owner
        self.name = name
        self.size = size
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.isReady = isReady
        self.isUpload = isUpload
    }
}
