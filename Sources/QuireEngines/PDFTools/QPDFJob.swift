// SPDX-License-Identifier: AGPL-3.0-or-later
import CQPDF
import Foundation
import QuireCore

/// qpdf's command-line job run in process, described by its JSON form (`qpdf --job-json-help`).
/// The job API is what `qpdf` itself runs, so merge, split, rotate and encrypt keep form
/// fields, annotations and outlines exactly as the qpdf CLI does.
package enum QPDFJob {
    /// Runs `job`; warnings (a repaired xref, say) are fine, errors throw.
    /// - Throws: `EngineError.wrongPassword`/`.passwordRequired` when qpdf cannot decrypt an input
    ///   (`hasPassword` says which), `.damaged` for anything else qpdf refuses.
    package static func run(_ job: [String: JSONValue], hasPassword: Bool) throws(EngineError) {
        let json: String
        do {
            json = String(decoding: try JSONEncoder().encode(JSONValue.object(job)), as: UTF8.self)
        } catch {
            throw .failed("Could not describe the PDF job.")
        }
        let errors = ErrorText()
        let logger = qpdflogger_create()
        var handle = qpdfjob_init()
        defer {
            qpdfjob_cleanup(&handle)
            var l = logger
            qpdflogger_cleanup(&l)
        }
        let box = Unmanaged.passRetained(errors)
        defer { box.release() }
        // Warnings name the server's file paths: not for clients, and not needed to decide.
        qpdflogger_set_info(logger, qpdf_log_dest_discard, nil, nil)
        qpdflogger_set_warn(logger, qpdf_log_dest_discard, nil, nil)
        qpdflogger_set_error(
            logger, qpdf_log_dest_custom,
            { data, length, context in
                guard let data, let context else { return 0 }
                let text = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
                Unmanaged<ErrorText>.fromOpaque(context).takeUnretainedValue().text += text
                return 0
            }, box.toOpaque())
        qpdfjob_set_logger(handle, logger)
        guard qpdfjob_initialize_from_json(handle, json) == 0 else {
            throw .failed("qpdf refused the job: \(errors.clientText)")
        }
        let status = qpdfjob_run(handle)
        // 0 = success, 3 = success with warnings (e.g. a damaged file that qpdf repaired).
        guard status != 0 && status != 3 else { return }
        if errors.text.contains("invalid password") {
            throw hasPassword ? .wrongPassword : .passwordRequired
        }
        throw .damaged("qpdf cannot process this PDF (\(errors.clientText)).")
    }

    /// Collects qpdf's error lines; `clientText` drops the file paths they start with.
    private final class ErrorText {
        var text = ""

        var clientText: String {
            let lines = text.split(separator: "\n").map { line -> String in
                // "qpdf: /path/file.pdf: message" → "message"
                let parts = line.split(separator: ":", omittingEmptySubsequences: false)
                return parts.count >= 3 ? parts.dropFirst(2).joined(separator: ":").trimmingCharacters(in: .whitespaces) : String(line)
            }
            return lines.isEmpty ? "unknown error" : lines.joined(separator: "; ")
        }
    }
}
