// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Presigned uploads that go straight to the object store (S3), as with PDF.co: Quire never
/// sees that PUT, so such a file becomes ready when it is first used (as a job input or a
/// download), once the store shows its bytes.
package struct DirectUploads: Sendable {
    let catalog: any FileCatalog
    let store: any ObjectStore
    /// Largest object accepted (`--max-upload-mb`); a larger one is deleted.
    let maxBytes: Int

    package init(catalog: any FileCatalog, store: any ObjectStore, maxBytes: Int) {
        self.catalog = catalog
        self.store = store
        self.maxBytes = maxBytes
    }

    /// `file` as it stands after asking the store: ready when its bytes arrived, unchanged when
    /// they have not (or the store is not reached directly, or the file is no waiting upload).
    /// - Throws: `StorageError.tooLarge` after deleting an object over `maxBytes`.
    package func settle(_ file: StoredFile, now: Date = Date()) async throws -> StoredFile {
        guard store is any DirectAccessStore, file.isUpload, !file.isReady, file.expiresAt > now else { return file }
        guard let size = try await store.size(of: file.id) else { return file }
        guard size <= maxBytes else {
            // The client's presigned PUT could not be capped in size; the object goes, the
            // record stays, so the same URL may be used again with a smaller file until it expires.
            try await store.delete(file.id)
            throw StorageError.tooLarge(limitBytes: maxBytes)
        }
        // The claim keeps a Quire-side PUT to the same record out (it answers 409). It fails
        // only when another node or request claimed first; the object is there either way,
        // and marking it ready twice with its one size is harmless.
        _ = try await catalog.claimUpload(id: file.id, size: size)
        try await catalog.markReady(id: file.id, size: size)
        var ready = file
        ready.isReady = true
        ready.size = size
        return ready
    }
}
