// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireStorage

/// Turns a job's input URLs into local files: Quire's own file URLs are read from storage
/// directly (never fetched over HTTP); anything else goes through `RemoteFetcher`.
package struct InputResolver: Sendable {
    package let urls: FileURLs
    let catalog: any FileCatalog
    let store: any ObjectStore
    let fetcher: RemoteFetcher
    let directUploads: DirectUploads

    /// - Parameter maxUploadBytes: the largest presigned upload that went straight to the store
    ///   (`--max-upload-mb`); only an S3 store takes such uploads.
    package init(urls: FileURLs, catalog: any FileCatalog, store: any ObjectStore, fetcher: RemoteFetcher, maxUploadBytes: Int = .max) {
        self.urls = urls
        self.catalog = catalog
        self.store = store
        self.fetcher = fetcher
        self.directUploads = DirectUploads(catalog: catalog, store: store, maxBytes: maxUploadBytes)
    }

    /// A local file with the bytes behind `url`, plus the name it had. The file is in `scratch`
    /// (the job's folder, removed with it) or, for a store on local disk, the stored file itself.
    /// - Throws: `JobFailure` (404 unknown file, 403 foreign or tampered link, 413 a direct
    ///   upload over the limit, 400 download failure).
    /// `credentials` are basic-auth user and password for remote URLs (PDF.co's `httpusername`/`httppassword`);
    /// a remote download stops at `deadline` (default: the fetcher's own timeout).
    package func resolve(
        _ url: String, owner: String, scratch: URL, index: Int, credentials: (user: String, password: String?)? = nil,
        deadline: ContinuousClock.Instant? = nil
    ) async throws -> (file: URL, name: String) {
        let fileID: String?
        do {
            fileID = try urls.ownFileID(in: url)
        } catch SignedURLError.expired {
            throw JobFailure(status: 404, message: "Input #\(index + 1): the link has expired.")
        } catch {
            throw JobFailure(status: 403, message: "Input #\(index + 1): invalid or tampered file link.")
        }
        if let fileID {
            let notFound = JobFailure(status: 404, message: "Input #\(index + 1): file not found (never uploaded, deleted or expired).")
            guard var file = try await catalog.file(id: fileID, owner: owner) else { throw notFound }
            do {
                file = try await directUploads.settle(file)
            } catch StorageError.tooLarge(let limit) {
                throw JobFailure(
                    status: 413, message: "Input #\(index + 1): the uploaded file is larger than this server's limit of \(limit >> 20) MB.")
            }
            guard file.isReady else { throw notFound }
            var local: URL
            do {
                local = try await store.localFile(for: fileID, scratch: scratch)
            } catch StorageError.notFound {
                throw notFound  // deleted (/file/delete, the janitor) after the catalog was read
            }
            if !store.localFilesAreCopies {
                // The job's own link to the stored bytes: a /file/delete while the job reads them
                // (schemathesis found this in CI) removes the store's name, not the job's.
                let pinned = scratch.appendingPathComponent("input-\(index)")
                if link(local.path, pinned.path) == 0 {
                    local = pinned
                } else if errno == ENOENT {
                    throw notFound
                }
            }
            // A presigned S3 URL can be used again until it expires: bytes that changed after
            // the file became ready (and may now exceed the limit) are refused.
            if let size = file.size, FileManager.default.sizeOfFile(at: local) != size {
                if store.localFilesAreCopies { try? FileManager.default.removeItem(at: local) }
                throw JobFailure(status: 409, message: "Input #\(index + 1): the file changed after it was uploaded; upload it again.")
            }
            return (local, file.name)
        }
        let destination = scratch.appendingPathComponent("input-\(index)")
        if DataURL.matches(url) { return (destination, try DataURL.write(url, to: destination, index: index)) }
        let name = try await fetcher.fetch(
            url, to: destination, username: credentials?.user, password: credentials?.password, deadline: deadline)
        return (destination, name)
    }
}
