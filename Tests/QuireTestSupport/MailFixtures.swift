// SPDX-License-Identifier: AGPL-3.0-or-later
import CMailFixtures
import Foundation

/// E-mail test inputs: a MIME message (.eml) with the parts real mail has (alternative bodies,
/// an inline image, attachments, RFC 2047 headers), and an Outlook message (.msg) written
/// through libgsf's OLE2 writer with the MAPI property streams Outlook writes.
package enum MailFixtures {
    /// A 1 × 1 red PNG.
    package static let png = Data(
        base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")!

    /// multipart/mixed: alternative (text, related (HTML showing `cid:logo@quire`, the logo)),
    /// then report.pdf, notes.txt and data.bin as attachments.
    package static func eml(attachedPDF: Data, extra: [(name: String, type: String, data: Data)] = []) -> Data {
        let boundary = ["mixed-b0", "alt-b1", "rel-b2"]
        func base64(_ data: Data) -> String {
            data.base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        }
        let lines = [
            "From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.com>",
            "To: Ann Lee <ann@example.com>, bob@example.org",
            "Cc: =?UTF-8?B?0JDQvdC90LA=?= <anna@example.ru>",
            "Subject: =?UTF-8?B?R3LDvMOfZSDigJMgUXVhcnRhbHNiZXJpY2h0?=",
            "Date: Tue, 03 Mar 2026 10:15:00 +0100",
            "Received: from mx.example.com by mail.example.org; Tue, 03 Mar 2026 10:15:07 +0100",
            "Message-ID: <fixture-1@example.com>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"\(boundary[0])\"",
            "",
            "--\(boundary[0])",
            "Content-Type: multipart/alternative; boundary=\"\(boundary[1])\"",
            "",
            "--\(boundary[1])",
            "Content-Type: text/plain; charset=iso-8859-1",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "Hallo Ann, der Bericht f=FCr das erste Quartal ist angeh=E4ngt.",
            "--\(boundary[1])",
            "Content-Type: multipart/related; boundary=\"\(boundary[2])\"",
            "",
            "--\(boundary[2])",
            "Content-Type: text/html; charset=utf-8",
            "",
            "<html><head><style>p { color: #123 }</style></head><body><p>Hallo Ann, der Bericht für das erste Quartal ist angehängt.</p>"
                + "<img src=\"cid:logo@quire\" width=\"40\" height=\"40\"><script>document.body.innerHTML = 'SCRIPT RAN'</script></body></html>",
            "--\(boundary[2])",
            "Content-Type: image/png",
            "Content-ID: <logo@quire>",
            "Content-Disposition: inline",
            "Content-Transfer-Encoding: base64",
            "",
            base64(png),
            "--\(boundary[2])--",
            "--\(boundary[1])--",
            "--\(boundary[0])",
            "Content-Type: application/pdf; name=\"report.pdf\"",
            "Content-Disposition: attachment; filename=\"report.pdf\"",
            "Content-Transfer-Encoding: base64",
            "",
            base64(attachedPDF),
            "--\(boundary[0])",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Disposition: attachment; filename*=UTF-8''Notizen%20%C3%BCber.txt",
            "",
            "Zahlen im Anhang geprüft.",
            "--\(boundary[0])",
            "Content-Type: application/octet-stream",
            "Content-Disposition: attachment; filename=\"data.bin\"",
            "Content-Transfer-Encoding: base64",
            "",
            base64(Data([0, 1, 2, 3, 254, 255])),
        ]
        let attachments = extra.flatMap { file in
            [
                "--\(boundary[0])", "Content-Type: \(file.type)", "Content-Disposition: attachment; filename=\"\(file.name)\"",
                "Content-Transfer-Encoding: base64", "", base64(file.data),
            ]
        }
        return Data((lines + attachments + ["--\(boundary[0])--", ""]).joined(separator: "\r\n").utf8)
    }

    package struct MSGAttachment {
        package var name: String
        package var mimeType: String
        package var data: Data

        package init(name: String, mimeType: String, data: Data) {
            self.name = name
            self.mimeType = mimeType
            self.data = data
        }
    }

    /// An Outlook message: Unicode string properties, an HTML body (PR_HTML, bytes), a To and a
    /// Cc recipient, the submit time, and `attachments`.
    package static func msg(
        to file: URL, subject: String, senderName: String, senderAddress: String, text: String, html: String,
        sent: Date, attachments: [MSGAttachment]
    ) throws {
        var streams: [(String, Data)] = []
        func unicode(_ folder: String, _ id: UInt16, _ text: String) {
            let bytes = Data(text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            streams.append((folder + String(format: "__substg1.0_%04X001F", id), bytes))
        }
        /// `__properties_version1.0`: `header` zero bytes, then 16-byte fixed-size entries.
        func properties(_ folder: String, header: Int, _ entries: [(tag: UInt32, value: UInt64)]) {
            var data = Data(count: header)
            for entry in entries {
                for shift in stride(from: 0, to: 32, by: 8) { data.append(UInt8((entry.tag >> UInt32(shift)) & 0xFF)) }
                data.append(contentsOf: [6, 0, 0, 0])  // readable, writable
                for shift in stride(from: 0, to: 64, by: 8) { data.append(UInt8((entry.value >> UInt64(shift)) & 0xFF)) }
            }
            streams.append((folder + "__properties_version1.0", data))
        }

        let filetime = UInt64((sent.timeIntervalSince1970 + 11_644_473_600) * 10_000_000)
        properties("", header: 32, [(0x0039_0040, filetime), (0x3FDE_0003, 65001)])
        unicode("", 0x0037, subject)
        unicode("", 0x0C1A, senderName)
        unicode("", 0x5D01, senderAddress)
        unicode("", 0x1000, text)
        streams.append(("__substg1.0_10130102", Data(html.utf8)))
        for (index, recipient) in [("Ann Lee", "ann@example.com", 1), ("Carl Cole", "carl@example.com", 2)].enumerated() {
            let folder = String(format: "__recip_version1.0_#%08X/", index)
            properties(folder, header: 8, [(0x0C15_0003, UInt64(recipient.2))])
            unicode(folder, 0x3001, recipient.0)
            unicode(folder, 0x39FE, recipient.1)
        }
        for (index, attachment) in attachments.enumerated() {
            let folder = String(format: "__attach_version1.0_#%08X/", index)
            properties(folder, header: 8, [(0x3705_0003, 1)])
            unicode(folder, 0x3707, attachment.name)
            unicode(folder, 0x370E, attachment.mimeType)
            streams.append((folder + "__substg1.0_37010102", attachment.data))
        }
        try writeOLE(streams, to: file)
    }

    /// Writes `streams` ("storage/stream" names) as an OLE2 compound file.
    private static func writeOLE(_ streams: [(String, Data)], to file: URL) throws {
        let names = streams.map { strdup($0.0) }
        defer { names.forEach { free($0) } }
        let buffers = streams.map { stream in
            let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(stream.1.count, 1))
            stream.1.copyBytes(to: buffer, count: stream.1.count)
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        let status = names.map { UnsafePointer($0) }.withUnsafeBufferPointer { namePointers in
            buffers.map { UnsafePointer($0) }.withUnsafeBufferPointer { dataPointers in
                streams.map { $0.1.count }.withUnsafeBufferPointer { sizes in
                    cmail_fixture_write_ole(
                        file.path, Int32(streams.count), namePointers.baseAddress, dataPointers.baseAddress, sizes.baseAddress)
                }
            }
        }
        guard status == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
