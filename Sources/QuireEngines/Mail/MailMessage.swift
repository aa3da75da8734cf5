// SPDX-License-Identifier: AGPL-3.0-or-later
import CMail
import Foundation

/// An e-mail message (.eml or Outlook .msg) as read by CMail: headers decoded to UTF-8, its
/// bodies, and every other part (attachments and the images its HTML shows).
package struct MailMessage: Sendable {
    package struct Address: Sendable, Equatable {
        package var name: String?
        package var address: String?

        /// "Name <address>", or whichever of the two there is.
        package var display: String {
            switch (name, address) {
            case (let name?, let address?): "\(name) <\(address)>"
            case (let name?, nil): name
            case (nil, let address?): address
            case (nil, nil): ""
            }
        }
    }

    package struct Part: Sendable {
        package var fileName: String?
        package var contentType: String
        package var contentID: String?
        package var isInline: Bool
        package var data: Data
    }

    /// Decoded parts of one message may add up to this much: its input is capped already, and
    /// decoding base64 only shrinks it, but a .msg can point many entries at the same bytes.
    package static let maxBytes: Int64 = 512 << 20
    package static let maxParts = 1_000

    package var subject: String?
    package var from: [Address] = []
    package var to: [Address] = []
    package var cc: [Address] = []
    package var bcc: [Address] = []
    package var replyTo: [Address] = []
    package var sentAt: Date?
    package var receivedAt: Date?
    package var html: String?
    package var text: String?
    package var parts: [Part] = []

    /// Reads the message at `url`.
    /// - Throws: `.damaged` for a file that is no e-mail, `.limitExceeded` past the limits.
    package init(contentsOf url: URL) throws(EngineError) {
        var raw: UnsafeMutablePointer<cmail_message>?
        var error = [CChar](repeating: 0, count: 512)
        let status = Int(cmail_read(url.path, Self.maxBytes, Int32(Self.maxParts), &raw, &error, error.count))
        let detail = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard status == Int(CMAIL_OK), let raw else {
            if status == Int(CMAIL_TOO_LARGE) {
                throw .limitExceeded(
                    "The e-mail's attachments add up to more than \(Self.maxBytes >> 20) MB or \(Self.maxParts) parts.")
            }
            throw .damaged("Cannot read the e-mail: \(detail.isEmpty ? "the file is damaged" : detail).")
        }
        defer { cmail_free(raw) }
        let message = raw.pointee
        subject = Self.string(message.subject)
        from = Self.addresses(message.from)
        to = Self.addresses(message.to)
        cc = Self.addresses(message.cc)
        bcc = Self.addresses(message.bcc)
        replyTo = Self.addresses(message.reply_to)
        sentAt = message.sent_at >= 0 ? Date(timeIntervalSince1970: TimeInterval(message.sent_at)) : nil
        receivedAt = message.received_at >= 0 ? Date(timeIntervalSince1970: TimeInterval(message.received_at)) : nil
        html = Self.string(message.html)
        text = Self.string(message.text)
        parts = (0..<Int(message.part_count)).map { index in
            let part = message.parts[index]
            return Part(
                fileName: Self.string(part.file_name), contentType: Self.string(part.content_type) ?? "application/octet-stream",
                contentID: Self.string(part.content_id), isInline: part.is_inline != 0,
                data: part.size > 0 ? Data(bytes: part.data, count: part.size) : Data())
        }
    }

    /// The parts a reader sees as attachments: all but the images the HTML body shows by `cid:`.
    package var attachments: [Part] { attachmentIndices.map { parts[$0] } }

    /// Where in `parts` the attachments are.
    package var attachmentIndices: [Int] {
        let shown = shownContentIDs
        return parts.indices.filter { !(parts[$0].contentID.map { shown.contains($0) } ?? false) }
    }

    /// The content IDs the HTML body refers to (`cid:` URLs), as written there.
    package var shownContentIDs: Set<String> {
        Set((html.map(Self.contentIDReferences) ?? []).map(\.id))
    }

    /// Each `cid:ID` in `html`, in order: its range (`cid:` to the end of the ID) and the ID,
    /// percent-decoded. An ID ends at a quote, a space, `)` or `>`.
    package static func contentIDReferences(in html: String) -> [(range: Range<String.Index>, id: String)] {
        var found: [(range: Range<String.Index>, id: String)] = []
        var rest = html[...]
        while let range = rest.range(of: "cid:", options: .caseInsensitive) {
            let id = rest[range.upperBound...].prefix { !"\"' )>\t\r\n".contains($0) }
            if let decoded = String(id).removingPercentEncoding, !decoded.isEmpty {
                found.append((range.lowerBound..<id.endIndex, decoded))
            }
            rest = rest[id.endIndex...]
        }
        return found
    }

    private static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
    }

    private static func addresses(_ list: cmail_address_list) -> [Address] {
        (0..<Int(list.count)).map { Address(name: string(list.items[$0].name), address: string(list.items[$0].address)) }
    }
}
