// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// An input given inline as `data:[<media type>][;base64],<data>` (PDF.co's samples put
/// images for `/pdf/edit/add` this way). The request body limit bounds its size.
enum DataURL {
    static func matches(_ text: String) -> Bool { text.prefix(5).lowercased() == "data:" }

    private static let extensions = [
        "image/png": "png", "image/jpeg": "jpg", "image/jpg": "jpg", "image/gif": "gif", "image/bmp": "bmp", "image/tiff": "tif",
        "image/webp": "webp", "application/pdf": "pdf", "text/plain": "txt",
    ]

    /// Writes the decoded bytes to `destination`; returns a file name for them.
    /// - Throws: `JobFailure` 400 when the URL is malformed or holds nothing.
    static func write(_ text: String, to destination: URL, index: Int) throws -> String {
        let malformed = JobFailure(status: 400, message: "Input #\(index + 1): the data: URL is malformed (data:[type][;base64],…).")
        guard let comma = text.firstIndex(of: ",") else { throw malformed }
        let header = text[text.index(text.startIndex, offsetBy: 5)..<comma].lowercased()
        let payload = String(text[text.index(after: comma)...])
        let bytes: Data?
        if header.hasSuffix(";base64") {
            bytes = Data(base64Encoded: payload.filter { !$0.isWhitespace && $0 != "%" }, options: .ignoreUnknownCharacters)
        } else {
            bytes = payload.removingPercentEncoding.map { Data($0.utf8) }
        }
        guard let bytes, !bytes.isEmpty else { throw malformed }
        do {
            try bytes.writeUnsynced(to: destination)
        } catch {
            throw JobFailure(status: 500, message: "Could not store input #\(index + 1).", isRetryable: true)
        }
        let type = header.split(separator: ";").first.map(String.init) ?? ""
        return "input-\(index + 1).\(extensions[type] ?? "bin")"
    }
}
