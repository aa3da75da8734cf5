// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Hummingbird
import QuireCore
import QuireJobs
import QuireStorage

/// `/pdf/convert/to/*`: PDF → text and page images; JSON and CSV come with their issues.
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
        routes.add("/pdf/convert/to/png") { request, context in try await convertToImages(request, context, .pdfToPNG) }
        routes.add("/pdf/convert/to/jpg") { request, context in try await convertToImages(request, context, .pdfToJPG) }
        routes.add("/pdf/convert/to/webp") { request, context in try await convertToImages(request, context, .pdfToWebP) }
        routes.add("/pdf/convert/to/tiff") { request, context in
            var request = request
            let parameters = try await request.parameters(maxBodyBytes: services.limits.maxRequestBytes)
            let conversion = try ConversionRequest(parameters, limits: services.limits, outputExtension: "tiff")
            // One multi-page TIFF in `url`, as PDF.co answers.
            let profiles = try Profiles(parsing: parameters.string("profiles"))
            return try await submitter.submit(
                conversion.spec(.pdfToTIFF, options: ["dpi": String(try Self.resolution(profiles))]), owner: context.owner,
                isAsync: conversion.isAsync)
        }
    }

    /// One image per page, named `<name>-<page>.<ext>`: sync answers carry `urls`; the result file
    /// (`url`, the async answer's too) is a JSON array of those URLs. Profiles: `JPEGQuality`
    /// (1–100, default 85) for JPEG and WebP.
    private func convertToImages(_ request: Request, _ context: QuireRequestContext, _ operation: JobOperation) async throws -> Response {
        var request = request
        let parameters = try await request.parameters(maxBodyBytes: services.limits.maxRequestBytes)
        var conversion = try ConversionRequest(parameters, limits: services.limits, outputExtension: "json")
        let profiles = try Profiles(parsing: parameters.string("profiles"))
        var options = ["basename": conversion.nameFilesList(defaultBaseName: "page"), "dpi": String(try Self.resolution(profiles))]
        if let quality = try Profiles.jpegQuality(profiles.string("JPEGQuality")) { options["jpegquality"] = String(quality) }
        return try await submitter.submit(conversion.spec(operation, options: options), owner: context.owner, isAsync: conversion.isAsync)
    }

    /// Rendering resolution in dpi, 150 unless `profiles` gives `RenderingResolution` (or
    /// `Resolution`), 10–1200. PDF.co's own name for this setting is not documented in what we
    /// found, so Quire reads these two; pages over 100 MP are refused by the renderer either way.
    static func resolution(_ profiles: Profiles) throws -> Int {
        guard let text = profiles.string("RenderingResolution") ?? profiles.string("Resolution") else { return 150 }
        guard let dpi = Double(text), dpi.isFinite, (10...1200).contains(dpi) else {
            throw APIError(400, "RenderingResolution in 'profiles' must be a resolution in dpi from 10 to 1200, not \"\(text)\".")
        }
        return Int(dpi.rounded())
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
