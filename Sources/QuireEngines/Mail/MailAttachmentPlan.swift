// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// What `/pdf/convert/from/email` does with each attachment: printed as pages after the
/// message (images Chromium shows, plain text), appended (PDFs), or embedded as a file.
package struct MailAttachmentPlan {
    package var printed: [MailMessage.Part] = []
    package var appendedPDFs: [MailMessage.Part] = []
    package var embedded: [MailMessage.Part] = []

    /// - Parameters:
    ///   - embeds: `embedAttachments`; false leaves every attachment out.
    ///   - converts: `convertAttachments`; false embeds every attachment as it is.
    package init(_ message: MailMessage, embeds: Bool, converts: Bool) {
        guard embeds else { return }
        for part in message.attachments {
            switch converts ? Self.kind(of: part) : .other {
            case .printable: printed.append(part)
            case .pdf: appendedPDFs.append(part)
            case .other: embedded.append(part)
            }
        }
    }

    enum Kind { case printable, pdf, other }

    static func kind(of part: MailMessage.Part) -> Kind {
        let type = part.contentType.lowercased()
        let ext = (part.fileName.map { ($0 as NSString).pathExtension.lowercased() }) ?? ""
        if type == "application/pdf" || ext == "pdf" {
            // Only what starts as a PDF: a mislabelled file is embedded, not merged.
            return part.data.prefix(1024).range(of: Data("%PDF-".utf8)) != nil ? .pdf : .other
        }
        if isShownImage(type: type, extension: ext) || type == "text/plain" || (type == "application/octet-stream" && ext == "txt") {
            return .printable
        }
        return .other
    }

    /// Images every Chromium shows (TIFF and HEIC are not among them).
    static func isShownImage(type: String, extension ext: String) -> Bool {
        ["image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp", "image/bmp"].contains(type)
            || (type == "application/octet-stream" && ["png", "jpg", "jpeg", "gif", "webp", "bmp"].contains(ext))
    }
}
