// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

extension EmailToPDFConversion: BrowserHosted {
    /// The message is printed as a page (`MailPage`, scripts off); then PDF attachments are
    /// appended and the rest embedded as files, as `MailAttachmentPlan` sorts them.
    package static func run(_ options: EmailToPDFOptions, _ call: EngineCall, _ browser: BrowserEngines) throws -> EngineResponse {
        let message = try MailMessage(contentsOf: try call.input())
        let output = try call.outputURL()
        let converted = Dictionary(
            options.convertedParts.compactMap { call.inputs.indices.contains($0.input) ? ($0.part, call.inputs[$0.input]) : nil },
            uniquingKeysWith: { first, _ in first })
        var plan = MailAttachmentPlan(
            message, embeds: options.embedsAttachments, converts: options.convertsAttachments, converted: converted)
        let page = MailPage(message, documentURL: BrowserPage.documentURL, printed: plan.printed)
        let resources = page.resources.mapValues { PageResource(contentType: $0.contentType, data: $0.data) }
        guard !plan.appended.isEmpty || !plan.embedded.isEmpty else {
            return try browser.printPDF(.mail(page.html, resources: resources), options.printing, to: output)
        }

        let folder = output.deletingLastPathComponent().appendingPathComponent("mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let printed = folder.appendingPathComponent("message.pdf")
        _ = try browser.printPDF(.mail(page.html, resources: resources), options.printing, to: printed)

        var pdfs = [printed]
        for (index, appended) in plan.appended.enumerated() {
            var file = folder.appendingPathComponent("appended-\(index).pdf")
            if let converted = appended.convertedFile { file = converted } else { try appended.part.data.writeUnsynced(to: file) }
            // A PDF that qpdf cannot open (damaged, or locked with a password) is embedded instead.
            if (try? QPDFDocument(contentsOf: file, password: nil)) != nil {
                pdfs.append(file)
            } else {
                plan.embedded.append(appended.part)
            }
        }
        // With nothing to append, some attachment is to be embedded (else the guard above returned).
        var document = printed
        let pageCount: Int
        if pdfs.count > 1 {
            document = plan.embedded.isEmpty ? output : folder.appendingPathComponent("merged.pdf")
            pageCount = try PDFToolkit().merge(pdfs, password: nil, output: document)
        } else {
            pageCount = try browser.pageCount(of: printed)
        }
        if !plan.embedded.isEmpty { try embed(plan.embedded, into: document, output: output, folder: folder) }
        return EngineResponse(pageCount: pageCount)
    }

    /// Writes `input` with each part as an embedded file (qpdf's `addAttachment`) to `output`.
    static func embed(_ parts: [MailMessage.Part], into input: URL, output: URL, folder: URL) throws {
        var names = UniqueFileNames(ignoringCase: true)
        var attachments: [JSONValue] = []
        for (index, part) in parts.enumerated() {
            let file = folder.appendingPathComponent("embedded-\(index)")
            try part.data.writeUnsynced(to: file)
            let name = names.claim(OutputName.sanitize(part.fileName ?? "", extension: nil, fallback: "attachment-\(index + 1)"))
            attachments.append(
                .object([
                    "file": .string(file.path), "key": .string("attachment-\(index + 1)"), "filename": .string(name),
                    "mimetype": .string(part.contentType),
                ]))
        }
        try QPDFJob.run(
            ["inputFile": .string(input.path), "outputFile": .string(output.path), "addAttachment": .array(attachments)],
            hasPassword: false)
    }
}

extension EmailDecodeConversion: MuPDFHosted {
    /// PDF.co's fields: `from` (the address), `fromName`, `to`/`cc`/`bcc` as `{address, name}`,
    /// `subject`, `bodyHtml`, `bodyText`, `sentAt`/`receivedAt` (ISO 8601 or null), `attachmentCount`.
    package static func run(_ options: NoOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        let message = try MailMessage(contentsOf: try call.input())
        var fields = message.summaryFields
        fields["fromName"] = .string(message.from.first?.name ?? "")
        for (key, list) in [("to", message.to), ("cc", message.cc), ("bcc", message.bcc)] {
            fields[key] = .array(list.map { .object(["address": .string($0.address ?? ""), "name": .string($0.name ?? "")]) })
        }
        fields["sentAt"] = message.sentAt.map { .string(Self.timestamp($0)) } ?? .null
        fields["receivedAt"] = message.receivedAt.map { .string(Self.timestamp($0)) } ?? .null
        fields["attachmentCount"] = .int(message.parts.count)
        try call.write(try JSONEncoder.quire().encode(JSONValue.object(fields)))
        return EngineResponse()
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

extension EmailExtractAttachmentsConversion: MuPDFHosted {
    /// Every part that is not a body (attachments and inline images), a result file each; the
    /// answer's `body` describes them (the worker adds each one's `url`).
    package static func run(_ options: NoOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        let message = try MailMessage(contentsOf: try call.input())
        let folder = try call.outputURL()
        var names = UniqueFileNames(ignoringCase: true)
        var files: [JSONValue] = []
        var described: [JSONValue] = []
        for (index, part) in message.parts.enumerated() {
            let name = names.claim(
                OutputName.urlSafe(OutputName.sanitize(part.fileName ?? "", extension: nil, fallback: "attachment-\(index + 1)")))
            let file = folder.appendingPathComponent(name)
            do {
                try part.data.writeUnsynced(to: file)
            } catch {
                throw EngineError.failed("Could not write the result.")
            }
            files.append(.string(file.path))
            described.append(
                .object([
                    "filename": .string(part.fileName ?? name), "contentid": .string(part.contentID ?? ""),
                    "filesizeinbytes": .int(part.data.count),
                ]))
        }
        var body = message.summaryFields
        body["attachments"] = .array(described)
        return EngineResponse(pageCount: files.count, fields: ["files": .array(files), "body": .object(body)])
    }
}

extension MailMessage {
    /// What `/email/decode` and `/email/extract-attachments` both answer.
    var summaryFields: [String: JSONValue] {
        [
            "from": .string(from.first?.address ?? ""), "subject": .string(subject ?? ""), "bodyHtml": .string(html ?? ""),
            "bodyText": .string(text ?? ""),
        ]
    }
}
