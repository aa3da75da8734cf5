// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// What `/pdf/convert/from/email` does with each attachment: printed as pages after the
/// message (images Chromium shows, plain text), appended (PDFs, and office documents an office
/// host turned into PDFs), or embedded as a file.
package struct MailAttachmentPlan {
    /// A PDF to append: the part's own bytes, or the file its conversion made.
    package struct Appended {
        package var part: MailMessage.Part
        package var convertedFile: URL?
    }

    package var printed: [MailMessage.Part] = []
    package var appended: [Appended] = []
    package var embedded: [MailMessage.Part] = []

    /// - Parameters:
    ///   - embeds: `embedAttachments`; false leaves every attachment out.
    ///   - converts: `convertAttachments`; false embeds every attachment as it is.
    ///   - converted: PDFs made of parts, by part index (office attachments).
    package init(_ message: MailMessage, embeds: Bool, converts: Bool, converted: [Int: URL] = [:]) {
        guard embeds else { return }
        for index in message.attachmentIndices {
            let part = message.parts[index]
            if converts, let file = converted[index] {
                appended.append(Appended(part: part, convertedFile: file))
                continue
            }
            switch converts ? Self.kind(of: part) : .other {
            case .printable: printed.append(part)
            case .pdf: appended.append(Appended(part: part))
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
