// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import HTTPTypes
import Hummingbird
import QuireStorage

/// Downloads from a store that clients reach directly (S3): Quire checks the link as for a
/// local file, then answers with a redirect to a short-lived presigned URL of the object.
extension FileRoutes {
    /// A 302 to a presigned `GET` (or `HEAD`) of `file`, valid for `--s3-redirect-seconds` and
    /// never past the file's own expiry.
    ///
    /// S3 serves the object from its own origin and cannot send `nosniff` or a CSP sandbox, so
    /// the type and disposition it may set carry today's safety: client uploads stay
    /// `application/octet-stream` attachments, and results a browser could run script in
    /// (HTML, XML, SVG) become attachments too.
    func redirect(to file: StoredFile, in store: any DirectAccessStore, method: HTTPRequest.Method, now: Date) -> Response {
        let lifetime = Int(services.limits.downloadRedirectLifetime.components.seconds)
        let seconds = max(1, min(lifetime, Int(file.expiresAt.timeIntervalSince(now).rounded(.down))))
        let headers = Self.downloadHeaders(for: file)
        let contentType = headers[.contentType] ?? "application/octet-stream"
        let disposition =
            headers[.contentDisposition]
            ?? "\(Self.isScriptable(contentType) ? "attachment" : "inline"); filename=\"\(Self.quotableName(file.name))\""
        let url = store.presignedReadURL(
            key: file.id, method: method == .head ? "HEAD" : "GET", expires: .seconds(seconds), contentType: contentType,
            contentDisposition: disposition, now: now)
        return Response(
            status: .found,
            headers: [
                .location: url.absoluteString,
                // The target expires within minutes: nobody may keep the redirect.
                .cacheControl: "no-store",
                HTTPField.Name("Referrer-Policy")!: "no-referrer",
            ])
    }

    /// Types a browser renders as an active document from the serving origin.
    static func isScriptable(_ contentType: String) -> Bool {
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return type.contains("html") || type.contains("xml") || type.contains("svg") || type.hasPrefix("text/javascript")
    }
}
