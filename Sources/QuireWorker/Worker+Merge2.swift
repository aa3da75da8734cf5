// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

extension Worker {
    /// `/pdf/merge2` takes PDFs, images and office documents: each non-PDF input is turned into a
    /// PDF first (images in an engine host, office files in an office host), in input order.
    /// - Throws: `JobFailure` 415 naming an input that is none of those; engine errors prefixed
    ///   with the input's position.
    func convertForMerge(_ files: [String], in directory: URL) async throws -> [String] {
        var converted: [String] = []
        for (index, path) in files.enumerated() {
            let label = "Input \(index + 1) of \(files.count)"
            let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
            if data.prefix(1024).range(of: Data("%PDF-".utf8)) != nil {
                converted.append(path)
                continue
            }
            let conversion: any Conversion.Type
            let refusal = JobFailure(status: 415, message: "\(label) is not a PDF, an image or an office document Quire can convert.")
            let isKnownOffice = OfficeFormat.detect(data) != nil
            if ImageFormat.detect(data) != nil {
                conversion = ImagesToPDFConversion.self
            } else if isKnownOffice || !OfficeFormat.isClearlyNotADocument(data) {
                // Unknown bytes too: LibreOffice's own type detection decides (and refuses with 415).
                conversion = OfficeToPDFConversion.self
            } else {
                throw refusal
            }
            let output = directory.appendingPathComponent("merge-part-\(index).pdf")
            let response: EngineResponse
            do {
                response = try await runInHost(
                    EngineRequest(
                        operation: conversion.operation, inputs: [path], output: output.path, password: nil, pages: nil, options: [:]),
                    kind: conversion.host)
            } catch let failure as JobFailure where failure.status == 503 && !isKnownOffice {
                // No office host to ask: unknown bytes stay what they were before, not a document.
                throw refusal
            }
            if let error = response.error {
                var failure = Self.failure(for: error)
                failure.message = "\(label): \(failure.message)"
                throw failure
            }
            converted.append(output.path)
        }
        return converted
    }
}
