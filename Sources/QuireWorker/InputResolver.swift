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

    package init(urls: FileURLs, catalog: any FileCatalog, store: any ObjectStore, fetcher: RemoteFetcher) {
        self.urls = urls
        self.catalog = catalog
        self.store = store
        self.fetcher = fetcher
    }

    /// A local file with the bytes behind `url`, plus the name it had.
    /// - Throws: `JobFailure` (404 unknown file, 403 foreign or tampered link, 400 download failure).
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
            guard let file = try await catalog.file(id: fileID, owner: owner), file.isReady else {
                throw JobFailure(status: 404, message: "Input #\(index + 1): file not found (never uploaded, deleted or expired).")
            }
            return (try await store.localFile(for: fileID, scratch: scratch), file.name)
        }
        let destination = scratch.appendingPathComponent("input-\(index)")
        let name = try await fetcher.fetch(
            url, to: destination, username: credentials?.user, password: credentials?.password, deadline: deadline)
        return (destination, name)
    }
}
