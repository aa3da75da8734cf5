// SPDX-License-Identifier: AGPL-3.0-or-later
import CMuPDF
import Foundation
import QuireCore

/// The outcome of an optimization, reported in the answer.
package struct OptimizeReport: Sendable, Equatable {
    package var pageCount: Int
    package var sizeBefore: Int
    package var sizeAfter: Int
    package var imagesRewritten: Int
    package var imagesResampled: Int
    /// Nothing made the file smaller, so the input was returned as it was.
    package var returnedInput: Bool
}

/// `/pdf/optimize` in two stages: MuPDF rewrites images (downsampled to their drawn size,
/// photos as JPEG, each kept only when smaller) and drops unused and duplicate objects; then
/// qpdf packs objects into object streams.
/// The result is never larger than the input, and an encrypted input stays encrypted.
package struct PDFOptimizer {
    let context: MuPDFContext

    package init(context: MuPDFContext) {
        self.context = context
    }

    package func optimize(_ input: URL, password: String?, settings: OptimizeSettings, output: URL) throws(EngineError) -> OptimizeReport {
        // qpdf classifies the input first (wrong password, not a PDF) with clear errors.
        let document = try QPDFDocument(contentsOf: input, password: password)
        let imagesStage = output.deletingLastPathComponent().appendingPathComponent(output.lastPathComponent + ".images.pdf")
        defer { try? FileManager.default.removeItem(at: imagesStage) }
        var stats = cmupdf_optimize_stats()
        var source = input
        do {
            var options = cmupdf_optimize_settings(
                jpeg_quality: Int32(min(max(settings.jpegQuality, 1), 100)),
                target_dpi: settings.resampleImages ? Float(settings.resolution) : 0,
                use_jpeg: settings.useJPEG ? 1 : 0, recompress_jpeg: settings.useJPEG ? 1 : 0, grayscale: settings.grayscale ? 1 : 0)
            let clone = try context.makeClone()
            try clone.check("optimize the images") { err, errlen in
                cmupdf_optimize_images(clone.handle, input.path, password, imagesStage.path, &options, &stats, err, errlen)
            }
            source = imagesStage
        } catch {
            // MuPDF could not rewrite this file (its message is logged); qpdf's lossless pass still runs.
            stats = cmupdf_optimize_stats()
        }
        var job = PDFToolkit.job(source, password: password, output: output)
        // Not --recompress-flate: it re-encodes PNG-predicted images without their predictor and
        // makes them larger (+51% on the benchmark's Flate photos), for 1% on text documents.
        job["objectStreams"] = .string("generate")
        try QPDFJob.run(job, hasPassword: password != nil)

        let before = FileManager.default.sizeOfFile(at: input)
        var after = FileManager.default.sizeOfFile(at: output)
        let returnedInput = after >= before
        if returnedInput {
            do {
                try? FileManager.default.removeItem(at: output)
                try FileManager.default.copyItem(at: input, to: output)
            } catch {
                throw .failed("Could not write the result.")
            }
            after = before
        }
        return OptimizeReport(
            pageCount: document.pageCount, sizeBefore: before, sizeAfter: after,
            imagesRewritten: returnedInput ? 0 : Int(stats.rewritten), imagesResampled: returnedInput ? 0 : Int(stats.resampled),
            returnedInput: returnedInput)
    }
}
