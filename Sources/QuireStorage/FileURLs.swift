// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Builds and reads the file URLs Quire hands out:
/// `<public>/files/<token>/<name>` to download, `<public>/upload/<token>/<name>` to PUT.
package struct FileURLs: Sendable {
    package static let downloadPrefix = "files"
    package static let uploadPrefix = "upload"

    private let base: @Sendable () -> String
    package let signer: URLSigner

    /// `publicBase` is read at each use: with `--port 0` the port is known only once the server listens.
    package init(publicBase: @escaping @Sendable () -> String, signer: URLSigner) {
        self.base = publicBase
        self.signer = signer
    }

    package init(publicBase: String, signer: URLSigner) {
        self.init(publicBase: { publicBase }, signer: signer)
    }

    /// Base URL without a trailing slash, e.g. `http://127.0.0.1:8080`.
    package var publicBase: String {
        var base = base()
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    package func downloadURL(fileID: String, name: String, expires: Date) -> String {
        "\(publicBase)/\(Self.downloadPrefix)/\(signer.token(fileID: fileID, purpose: .download, expires: expires))/\(OutputName.urlSafe(name))"
    }

    package func uploadURL(fileID: String, name: String, expires: Date) -> String {
        "\(publicBase)/\(Self.uploadPrefix)/\(signer.token(fileID: fileID, purpose: .upload, expires: expires))/\(OutputName.urlSafe(name))"
    }

    /// The file ID of a Quire download URL, whatever host it names (the token is the proof),
    /// nil when `url` is not shaped like one. Tampered or expired tokens throw.
    package func ownFileID(in url: String, now: Date = Date()) throws -> String? {
        guard let token = Self.token(in: url, prefix: Self.downloadPrefix) else { return nil }
        return try signer.verify(token, purpose: .download, now: now)
    }

    /// The token segment of a path `…/<prefix>/<token>/<name>`, nil for any other shape.
    package static func token(in url: String, prefix: String) -> String? {
        var path = url
        if let scheme = path.range(of: "://") {
            path = String(path[scheme.upperBound...])
            guard let slash = path.firstIndex(of: "/") else { return nil }
            path = String(path[slash...])
        }
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<query]) }
        let parts = path.split(separator: "/").map(String.init)
        // Accept an optional `v1` (or any proxy prefix) before `files`.
        guard parts.count >= 3, parts[parts.count - 3] == prefix else { return nil }
        return parts[parts.count - 2]
    }
}
