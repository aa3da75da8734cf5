// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// The page an e-mail is printed from: a header block (subject, from, date, recipients,
/// attachment names) above the message's own HTML, or its text in a `<pre>`; the images the
/// HTML shows by `cid:` and the image attachments to print are served from memory.
package struct MailPage {
    /// Paths under the page's address → the parts served there (`part/3`).
    package var resources: [String: MailMessage.Part] = [:]
    package var html = ""

    /// - Parameters:
    ///   - documentURL: the address the page is served at (a `/` at its end).
    ///   - printed: attachments to print after the message, a page each: images, or plain text.
    package init(_ message: MailMessage, documentURL: String, printed: [MailMessage.Part] = []) {
        var addressOfContentID: [String: String] = [:]
        for (index, part) in message.parts.enumerated() {
            guard let id = part.contentID else { continue }
            let path = "part/\(index)"
            resources[path] = part
            addressOfContentID[id] = documentURL + path
        }
        let header = Self.header(message)
        var images = ""
        for (index, part) in printed.enumerated() {
            images += #"<div style="all: initial; display: block; break-before: page; page-break-before: always; text-align: center">"#
            if part.contentType.lowercased().hasPrefix("text/") || part.fileName?.lowercased().hasSuffix(".txt") == true {
                images += Self.preformatted(String(decoding: part.data, as: UTF8.self)) + "</div>"
                continue
            }
            let path = "printed/\(index)"
            resources[path] = part
            images +=
                #"<img src="\#(documentURL + path)" alt="\#(Self.escape(part.fileName ?? ""))" style="max-width: 100%; max-height: 95vh"></div>"#
        }
        if let body = message.html {
            let shown = Self.withoutHTTPEquiv(Self.resolvingContentIDs(body, addressOfContentID))
            html = Self.insertingAfterBodyTag(header, into: shown) + images
        } else {
            let text = message.text.map(Self.preformatted)
            html =
                #"<!DOCTYPE html><html><head><meta charset="utf-8"><title>\#(Self.escape(Self.shortened(message.subject ?? "")))</title></head>"#
                + "<body>\(header)\(text ?? "")\(images)</body></html>"
        }
    }

    /// The header block, styled inline so the message's own CSS changes it as little as it can.
    static func header(_ message: MailMessage) -> String {
        var rows: [(String, String)] = []
        func row(_ label: String, _ addresses: [MailMessage.Address]) {
            guard !addresses.isEmpty else { return }
            var shown = addresses.prefix(maxListed).map(\.display).joined(separator: "; ")
            if addresses.count > maxListed { shown += " and \(addresses.count - maxListed) more" }
            rows.append((label, shown))
        }
        row("From", message.from)
        if let sent = message.sentAt { rows.append(("Sent", Self.dateFormatter.string(from: sent))) }
        row("To", message.to)
        row("Cc", message.cc)
        row("Bcc", message.bcc)
        let attachments = message.attachments.prefix(maxListed).map { $0.fileName ?? "(unnamed)" }
        if !attachments.isEmpty { rows.append(("Attachments", attachments.joined(separator: "; "))) }
        rows = rows.map { ($0, Self.shortened($1)) }
        let cell = "padding: 1px 12px 1px 0; vertical-align: top; text-align: left; border: none"
        let table = rows.map { label, value in
            #"<tr><th style="\#(cell); font-weight: bold; white-space: nowrap">\#(label):</th><td style="\#(cell); font-weight: normal; overflow-wrap: anywhere">\#(escape(value))</td></tr>"#
        }.joined()
        let subject = message.subject.map(shortened).map {
            #"<div style="font-size: 18px; font-weight: bold; margin: 0 0 6px 0">\#(escape($0))</div>"#
        }
        return
            #"<div style="all: initial; display: block; font: 13px/1.4 'DejaVu Sans', Arial, sans-serif; color: #000; border-bottom: 1px solid #888; padding-bottom: 8px; margin-bottom: 14px">"#
            + (subject ?? "") + #"<table style="border-collapse: collapse; font: inherit">\#(table)</table></div>"#
    }

    static func preformatted(_ text: String) -> String {
        #"<pre style="white-space: pre-wrap; overflow-wrap: anywhere; text-align: left; font: 13px/1.45 'DejaVu Sans Mono', monospace">"#
            + escape(text) + "</pre>"
    }

    /// Entries of an address or attachment list the header block shows; the rest are counted.
    static let maxListed = 200

    /// A header value cut to 2 000 characters: a header block is read, not searched.
    static func shortened(_ text: String) -> String {
        text.count > 2_000 ? text.prefix(2_000) + "…" : text
    }

    /// `html` with `block` right after its `<body …>` tag (before all of it when it has none).
    static func insertingAfterBodyTag(_ block: String, into html: String) -> String {
        guard let open = html.range(of: "<body", options: .caseInsensitive),
            let close = html[open.upperBound...].firstIndex(of: ">")
        else { return block + html }
        var result = html
        result.insert(contentsOf: block, at: result.index(after: close))
        return result
    }

    /// `<meta http-equiv>` turned off (renamed): a refresh would take the page elsewhere, and
    /// mail readers ignore it too. Scripts are off already.
    static func withoutHTTPEquiv(_ html: String) -> String {
        html.replacingOccurrences(of: "http-equiv", with: "data-ignored-http-equiv", options: .caseInsensitive)
    }

    /// `cid:ID` references replaced by the addresses their parts are served at.
    static func resolvingContentIDs(_ html: String, _ addresses: [String: String]) -> String {
        guard !addresses.isEmpty else { return html }
        var result = ""
        result.reserveCapacity(html.utf8.count)
        var copied = html.startIndex
        for reference in MailMessage.contentIDReferences(in: html) {
            guard let address = addresses[reference.id] else { continue }
            result += html[copied..<reference.range.lowerBound]
            result += address
            copied = reference.range.upperBound
        }
        return result + html[copied...]
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    private static var dateFormatter: DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEEE, d MMMM yyyy HH:mm 'UTC'"
        return formatter
    }
}
