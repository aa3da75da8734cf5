// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Hummingbird
import QuireCore
import QuireJobs
import QuireStorage

/// `/pdf/convert/to/*`: PDF → text now; images, JSON and CSV come with their issues.
struct PDFConvertToRoutes {
    let services: APIServices
    let submitter: JobSubmitter

    func add(to routes: RouteTable) {
        routes.add("/pdf/convert/to/text") { request, context in
            try await convertToText(request, context, operation: .pdfToText)
        }
        routes.add("/pdf/convert/to/text-simple") { request, context in
            try await convertToText(request, context, operation: .pdfToTextSimple)
        }
        routes.add("/pdf/convert/to/png") { request, context in try await convertToPNG(request, context) }
    }

    /// One PNG per page, named `<name>-<page>.png`: sync answers carry `urls`; the result file
    /// (`url`, the async answer's too) is a JSON array of those URLs.
    private func convertToPNG(_ request: Request, _ context: QuireRequestContext) async throws -> Response {
        var request = request
        let parameters = try await request.parameters(maxBodyBytes: services.limits.maxRequestBytes)
        var conversion = try ConversionRequest(parameters, limits: services.limits, outputExtension: "json")
        let baseName = OutputName.baseName(of: conversion.requestedName) ?? "page"
        conversion.outputName = OutputName.sanitize(baseName, extension: "json")
        // TODO(#6): PDF.co's render profiles (resolution, JPEG quality); 150 dpi until then.
        let options = ["basename": OutputName.urlSafe(baseName), "dpi": "150"]
        return try await submitter.submit(conversion.spec(.pdfToPNG, options: options), owner: context.owner, isAsync: conversion.isAsync)
    }

    private func convertToText(_ request: Request, _ context: QuireRequestContext, operation: JobOperation) async throws -> Response {
        var request = request
        let parameters = try await request.parameters(maxBodyBytes: services.limits.maxRequestBytes)
        let conversion = try ConversionRequest(parameters, limits: services.limits, outputExtension: "txt")
        var options: [String: String] = [:]
        if let lineEnding = parameters.string("lineending") { options["lineending"] = lineEnding }
        let store = services.store
        let scratch = services.scratch
        return try await submitter.submit(conversion.spec(operation, options: options), owner: context.owner, isAsync: conversion.isAsync) {
            job, fields in
            // `inline=true` puts the text itself in `body`, besides the URL.
            guard conversion.isInline, let fileID = job.result?.fileID else { return }
            let file = try await store.localFile(for: fileID, scratch: scratch)
            fields["body"] = .string(String(decoding: try Data(contentsOf: file), as: UTF8.self))
        }
    }
}
