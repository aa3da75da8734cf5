// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// E-mail through the real server: `/email/decode` and `/email/extract-attachments` (MuPDF
/// hosts, GMime and libgsf), and `/pdf/convert/from/email` printed by a real Chromium, from a
/// MIME message with RFC 2047 headers, an inline image and three attachments, and from an
/// Outlook .msg.
@Suite(.serialized, .enabled(if: chromiumIsInstalled, "Chromium is not installed (scripts/bootstrap.sh installs it)"))
final class EmailConversionTests {
    let temp = TemporaryDirectory()
    let www: LoopbackFileServer
    let server: QuireServer
    let attachedPDF = TestPDF.make(pages: ["Attached report page one", "Attached report page two"])

    init() async throws {
        www = try LoopbackFileServer()
        server = try await QuireServer(
            data: temp.file("data"),
            arguments: ["--browser-workers", "1", "--office-workers", "1", "--allow-private-urls", "--browser-page-seconds", "10"])
        try www.put("message.eml", MailFixtures.eml(attachedPDF: attachedPDF))
        let msg = temp.file("outlook.msg")
        try MailFixtures.msg(
            to: msg, subject: "Angebot Nr. 7 – Übersicht", senderName: "Zoë Ćirić", senderAddress: "zoe@example.com",
            text: "Plain body of the Outlook message", html: "<html><body><p>HTML body of the Outlook message</p></body></html>",
            sent: Date(timeIntervalSince1970: 1_772_532_000),
            attachments: [.init(name: "offer.pdf", mimeType: "application/pdf", data: attachedPDF)])
        try www.put("outlook.msg", try Data(contentsOf: msg))
    }

    deinit { server.kill9() }

    func post(_ path: String, _ parameters: [String: Any]) async throws -> ([String: Any], Int) {
        try await HTTP.postJSON("\(server.baseURL)\(path)", parameters)
    }

    func text(of answer: [String: Any]) async throws -> String {
        let file = temp.file(UUID().uuidString + ".pdf")
        try await HTTP.get(try #require(answer["url"] as? String, "\(answer)")).0.write(to: file)
        return try await runCommand("pdftotext", [file.path, "-"]).output
    }

    func attachmentNames(of answer: [String: Any]) async throws -> [String] {
        let file = temp.file(UUID().uuidString + ".pdf")
        try await HTTP.get(try #require(answer["url"] as? String, "\(answer)")).0.write(to: file)
        let list = try await runCommand("pdfdetach", ["-list", file.path]).output
        return list.split(separator: "\n").dropFirst().map { String($0.split(separator: " ", maxSplits: 1).last ?? "") }
    }

    @Test func decodeGivesHeadersAndBodies() async throws {
        let (answer, status) = try await post("/email/decode", ["url": www.url("message.eml"), "inline": true])
        try #require(status == 200, "\(answer)")
        let body = try #require(answer["body"] as? [String: Any], "\(answer)")
        #expect(body["subject"] as? String == "Grüße – Quartalsbericht")
        #expect(body["from"] as? String == "juergen@example.com")
        #expect(body["fromName"] as? String == "Jürgen Müller")
        let to = try #require(body["to"] as? [[String: Any]])
        #expect(to.map { $0["address"] as? String } == ["ann@example.com", "bob@example.org"])
        #expect(to.first?["name"] as? String == "Ann Lee")
        #expect((body["cc"] as? [[String: Any]])?.first?["name"] as? String == "Анна")
        #expect(body["sentAt"] as? String == "2026-03-03T09:15:00Z")
        #expect(body["receivedAt"] as? String == "2026-03-03T09:15:07Z")
        #expect((body["bodyText"] as? String)?.contains("für das erste Quartal ist angehängt") == true, "latin-1 decoded")
        #expect((body["bodyHtml"] as? String)?.contains("<img src=\"cid:logo@quire\"") == true)
        #expect(body["attachmentCount"] as? Int == 4, "the inline logo and three attachments")

        let (outlook, outlookStatus) = try await post("/email/decode", ["url": www.url("outlook.msg"), "inline": true])
        try #require(outlookStatus == 200, "\(outlook)")
        let msg = try #require(outlook["body"] as? [String: Any], "\(outlook)")
        #expect(msg["subject"] as? String == "Angebot Nr. 7 – Übersicht")
        #expect(msg["from"] as? String == "zoe@example.com" && msg["fromName"] as? String == "Zoë Ćirić")
        #expect((msg["to"] as? [[String: Any]])?.map { $0["address"] as? String } == ["ann@example.com"])
        #expect((msg["cc"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Carl Cole"])
        #expect(msg["sentAt"] as? String == "2026-03-03T10:00:00Z")
        #expect(msg["bodyText"] as? String == "Plain body of the Outlook message")
        #expect((msg["bodyHtml"] as? String)?.contains("HTML body of the Outlook message") == true)
        #expect(msg["attachmentCount"] as? Int == 1)
    }

    @Test func attachmentsAreExtractedWithTheirURLs() async throws {
        let (answer, status) = try await post("/email/extract-attachments", ["url": www.url("message.eml")])
        try #require(status == 200, "\(answer)")
        let body = try #require(answer["body"] as? [String: Any], "\(answer)")
        let attachments = try #require(body["attachments"] as? [[String: Any]])
        #expect(attachments.count == 4, "the inline logo and three attachments: \(attachments)")
        #expect(attachments.compactMap { $0["filename"] as? String }.contains("report.pdf"))
        #expect(attachments.compactMap { $0["filename"] as? String }.contains("Notizen über.txt"), "RFC 2231 name decoded: \(attachments)")
        #expect(attachments.first { $0["contentid"] as? String == "logo@quire" } != nil)
        let report = try #require(attachments.first { $0["filename"] as? String == "report.pdf" })
        #expect(report["filesizeinbytes"] as? Int == attachedPDF.count)
        let downloaded = try await HTTP.get(try #require(report["url"] as? String)).0
        #expect(downloaded == attachedPDF, "the attachment comes back byte for byte")
        #expect((answer["urls"] as? [String])?.count == 4)
    }

    /// The message is printed with its header block (decoded names, subject), its HTML body
    /// with the inline image and no script run; the text attachment is printed, the PDF one
    /// appended, the binary one embedded.
    @Test func emailBecomesAPDFWithItsAttachments() async throws {
        let (answer, status) = try await post("/pdf/convert/from/email", ["url": www.url("message.eml"), "name": "mail.pdf"])
        try #require(status == 200, "\(answer)")
        #expect(answer["pageCount"] as? Int == 4, "message, notes, two report pages: \(answer)")
        let printed = try await text(of: answer)
        for expected in [
            "Grüße – Quartalsbericht", "Jürgen Müller <juergen@example.com>", "Ann Lee <ann@example.com>", "Анна",
            "für das erste Quartal ist angehängt", "Zahlen im Anhang geprüft", "Attached report page two",
        ] {
            #expect(printed.contains(expected), "\(expected) missing from: \(printed)")
        }
        #expect(!printed.contains("SCRIPT RAN"), "scripts in a message never run")
        #expect(try await attachmentNames(of: answer) == ["data.bin"])

        // convertAttachments=false: the three attachments embedded as they are, one page.
        let (embedded, embeddedStatus) = try await post(
            "/pdf/convert/from/email", ["url": www.url("message.eml"), "convertAttachments": false])
        try #require(embeddedStatus == 200, "\(embedded)")
        #expect(embedded["pageCount"] as? Int == 1)
        #expect(Set(try await attachmentNames(of: embedded)) == ["report.pdf", "Notizen über.txt", "data.bin"])
        // embedAttachments=false: the message only.
        let (bare, _) = try await post("/pdf/convert/from/email", ["url": www.url("message.eml"), "embedAttachments": "false"])
        #expect(bare["pageCount"] as? Int == 1)
        #expect(try await attachmentNames(of: bare).isEmpty)

        let (outlook, outlookStatus) = try await post("/pdf/convert/from/email", ["url": www.url("outlook.msg")])
        try #require(outlookStatus == 200, "\(outlook)")
        let outlookText = try await text(of: outlook)
        #expect(
            outlookText.contains("Angebot Nr. 7 – Übersicht") && outlookText.contains("HTML body of the Outlook message"), "\(outlookText)")
        #expect(outlook["pageCount"] as? Int == 3)
    }

    /// Office attachments are converted by an office host and appended after the message;
    /// one LibreOffice cannot read stays an embedded file.
    @Test func officeAttachmentsAreConvertedAndAppended() async throws {
        let office = packageRoot.appendingPathComponent("Tests/Fixtures/office")
        let docx = try Data(contentsOf: office.appendingPathComponent("report.docx"))
        let xlsx = try Data(contentsOf: office.appendingPathComponent("sheet.xlsx"))
        let broken = try Data(contentsOf: office.appendingPathComponent("garbage.docx"))
        let wordType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        try www.put(
            "office.eml",
            MailFixtures.eml(
                attachedPDF: attachedPDF,
                extra: [
                    ("report.docx", wordType, docx),
                    ("sheet.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx),
                    ("broken.docx", wordType, broken),
                ]))
        let (answer, status) = try await post("/pdf/convert/from/email", ["url": www.url("office.eml")])
        try #require(status == 200, "\(answer)")
        let printed = try await text(of: answer)
        #expect(printed.contains("Quire Test Report") && printed.contains("Cell-B2"), "the Word attachment's text: \(printed)")
        #expect(printed.contains("Attached report page two"))
        #expect(Set(try await attachmentNames(of: answer)) == ["data.bin", "broken.docx"])
        let pages = try #require(answer["pageCount"] as? Int)
        #expect(pages > 5, "message, notes, two report pages, the Word and Excel pages: \(pages)")
    }

    /// Files that are no e-mail get a clear 4xx; the server goes on.
    @Test func notAnEmailIsRefused() async throws {
        try www.put("report.pdf", attachedPDF)
        try www.put("empty.eml", Data())
        try www.put("noise.eml", Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }))
        for name in ["report.pdf", "empty.eml", "noise.eml"] {
            for path in ["/email/decode", "/pdf/convert/from/email", "/email/extract-attachments"] {
                let (answer, status) = try await post(path, ["url": www.url(name)])
                #expect((400..<500).contains(status), "\(path) \(name): \(answer)")
                #expect((answer["message"] as? String ?? "").contains("e-mail"), "\(path) \(name): \(answer)")
            }
        }
    }

    /// Hostile messages: 20 000 nested multiparts, 20 000 parts, a 5 MB subject, 200 000
    /// recipients, an OLE2 file of noise, a meta refresh. Each gets an answer (the limits' 413,
    /// a 442, or a PDF), and the server goes on.
    @Test func hostileMessagesGetClearAnswers() async throws {
        func message(_ headers: [String], _ body: [String]) -> Data {
            Data((headers + [""] + body).joined(separator: "\r\n").utf8)
        }
        let depth = 20_000
        var nested = (1..<depth).flatMap { ["--b\($0 - 1)", "Content-Type: multipart/mixed; boundary=\"b\($0)\"", ""] }
        nested += ["--b\(depth - 1)", "Content-Type: text/plain", "", "deep body"] + (0..<depth).reversed().map { "--b\($0)--" }
        try www.put("deep.eml", message(["From: a@example.com", "Content-Type: multipart/mixed; boundary=\"b0\""], nested))
        let many = (0..<20_000).flatMap { ["--b", "Content-Disposition: attachment; filename=\"f\($0).bin\"", "", "x"] } + ["--b--"]
        try www.put("many.eml", message(["From: a@example.com", "Content-Type: multipart/mixed; boundary=\"b\""], many))
        try www.put("subject.eml", message(["From: a@example.com", "Subject: " + String(repeating: "A", count: 5_000_000)], ["body"]))
        let crowd = (0..<200_000).map { "u\($0)@example.com" }.joined(separator: ", ")
        try www.put("crowd.eml", message(["From: a@example.com", "To: " + crowd], ["body"]))
        try www.put(
            "noise.msg",
            Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
        let refresh =
            #"<html><head><meta http-equiv="refresh" content="0; url=\#(www.url("elsewhere"))"></head><body>Stay here</body></html>"#
        try www.put("refresh.eml", message(["From: a@example.com", "Content-Type: text/html"], [refresh]))

        let (deep, deepStatus) = try await post("/pdf/convert/from/email", ["url": www.url("deep.eml")])
        #expect(deepStatus == 200, "\(deep)")
        let (manyAnswer, manyStatus) = try await post("/email/decode", ["url": www.url("many.eml")])
        #expect(manyStatus == 413, "\(manyAnswer)")
        let (subject, subjectStatus) = try await post("/pdf/convert/from/email", ["url": www.url("subject.eml")])
        #expect(subjectStatus == 200 && subject["pageCount"] as? Int == 1, "the header block shows 2 000 characters: \(subject)")
        let (crowdAnswer, crowdStatus) = try await post("/email/decode", ["url": www.url("crowd.eml"), "inline": true])
        #expect(crowdStatus == 200 && ((crowdAnswer["body"] as? [String: Any])?["to"] as? [Any])?.count == 10_000, "lists stop at 10 000")
        let (noise, noiseStatus) = try await post("/email/decode", ["url": www.url("noise.msg")])
        #expect(noiseStatus == 442, "\(noise)")
        let (stayed, stayedStatus) = try await post("/pdf/convert/from/email", ["url": www.url("refresh.eml")])
        try #require(stayedStatus == 200, "\(stayed)")
        #expect(try await text(of: stayed).contains("Stay here"))
        #expect(!www.authorizations().contains { $0.path == "/elsewhere" }, "a meta refresh is not followed")
    }
}
