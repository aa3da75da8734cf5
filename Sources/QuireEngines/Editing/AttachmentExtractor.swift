// SPDX-License-Identifier: AGPL-3.0-or-later
import CMuPDF
import Foundation
import QuireCore

/// `/pdf/attachments/extract`: the files embedded in a PDF, written under their own names
/// (made safe for URLs; a name used twice gets `-2`, `-3`…).
package struct AttachmentExtractor {
    /// Decompressed bytes of all attachments of one PDF: a few kilobytes of Flate can claim
    /// gigabytes.
    package static let maxBytes: Int64 = 512 << 20
    package static let maxFiles = 1_000

    let context: MuPDFContext

    package init(context: MuPDFContext) {
        self.context = context
    }

    /// - Returns: the written files, in the order the PDF lists them.
    package func extract(_ input: URL, password: String?, into folder: URL) throws(EngineError) -> [URL] {
        let clone = try context.makeClone()
        var names: UnsafeMutablePointer<CChar>?
        var count: Int32 = 0
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .failed("Could not write the result.")
        }
        let raw = folder.appendingPathComponent(".raw")
        try? FileManager.default.createDirectory(at: raw, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: raw) }
        do {
            try clone.check("read the attachments") { err, errlen in
                cmupdf_extract_attachments(
                    clone.handle, input.path, password, raw.path, Self.maxBytes, Int32(Self.maxFiles), &names, &count, err, errlen)
            }
        } catch .limitExceeded {
            throw .limitExceeded("The attachments add up to more than \(Self.maxBytes >> 20) MB once decompressed.")
        }
        defer { cmupdf_free(names) }
        var list: [String] = []
        if let names {
            var cursor = names
            for _ in 0..<count {
                let name = String(cString: cursor)
                list.append(name)
                cursor += name.utf8.count + 1
            }
        }
        var fileNames = UniqueFileNames(ignoringCase: true)
        var files: [URL] = []
        for (index, name) in list.enumerated() {
            let unique = fileNames.claim(OutputName.urlSafe(OutputName.sanitize(name, extension: nil, fallback: "attachment")))
            let destination = folder.appendingPathComponent(unique)
            do {
                try FileManager.default.moveItem(at: raw.appendingPathComponent("\(index)"), to: destination)
            } catch {
                throw .failed("Could not write the result.")
            }
            files.append(destination)
        }
        return files
    }
}
