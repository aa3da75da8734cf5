// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

/// A conversion whose engine request the worker completes first, with the help of other hosts.
protocol WorkerPrepared: Conversion {
    static func prepare(_ request: EngineRequest, worker: Worker, in directory: URL) async throws -> EngineRequest
}

extension EmailToPDFConversion: WorkerPrepared {
    /// Office attachments one message may have converted; the rest are embedded as they are.
    static let maxConvertedAttachments = 20

    /// `convertAttachments`: office attachments (Word, Excel, PowerPoint, OpenDocument, RTF) are
    /// turned into PDFs by office hosts before the browser host prints the message, which then
    /// appends them like PDF attachments. A MuPDF host reads the message's parts out first (the
    /// worker never parses a message itself); an attachment LibreOffice cannot convert stays an
    /// embedded file. At most `maxConvertedAttachments` are converted, and none once the job
    /// has spent its timeout on them (each conversion has that timeout too).
    static func prepare(_ request: EngineRequest, worker: Worker, in directory: URL) async throws -> EngineRequest {
        var options = try decodeOptions(request.options)
        guard options.embedsAttachments, options.convertsAttachments, !worker.offices.isEmpty, let message = request.inputs.first
        else { return request }
        let folder = directory.appendingPathComponent("email-parts")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let parts = try await worker.runInHost(
            EngineRequest(EmailExtractAttachmentsConversion.self, inputs: [message], output: folder.path), kind: .mupdf)
        // A message that cannot be read fails in the browser host with the same error.
        guard parts.error == nil, case .array(let files) = parts.fields["files"] else { return request }
        var request = request
        let deadline = ContinuousClock.now + worker.settings.jobTimeout
        for (index, item) in files.enumerated() {
            guard options.convertedParts.count < maxConvertedAttachments, ContinuousClock.now < deadline else { break }
            guard case .string(let path) = item,
                let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe),
                let format = OfficeFormat.detect(data), ![.txt, .csv].contains(format)
            else { continue }
            let output = directory.appendingPathComponent("email-part-\(index).pdf")
            let converted = try? await worker.runInHost(
                EngineRequest(OfficeToPDFConversion.self, inputs: [path], output: output.path), kind: .office)
            guard let converted, converted.error == nil, FileManager.default.fileExists(atPath: output.path) else { continue }
            options.convertedParts.append(.init(part: index, input: request.inputs.count))
            request.inputs.append(output.path)
        }
        request.options = encodeOptions(options)
        return request
    }
}
