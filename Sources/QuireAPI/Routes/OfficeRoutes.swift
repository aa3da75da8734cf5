// SPDX-License-Identifier: AGPL-3.0-or-later
import Hummingbird
import QuireCore

/// Office documents → PDF, run by LibreOffice hosts:
/// - `/pdf/convert/from/doc`: Word (doc, docx, docm, dotx), RTF, OpenDocument, WordPerfect, text,
///   and also spreadsheets and presentations (the format is found from the content);
/// - `/pdf/convert/from/csv` and `/xls/convert/to/pdf`: spreadsheets, plain text read as CSV.
/// `autosize=true` puts each sheet on one page sized to its content.
struct OfficeRoutes {
    let services: APIServices
    let submitter: JobSubmitter

    func add(to routes: RouteTable) {
        routes.add("/pdf/convert/from/doc") { request, context in try await convert(request, context, textIsCSV: false) }
        routes.add("/pdf/convert/from/csv") { request, context in try await convert(request, context, textIsCSV: true) }
        routes.add("/xls/convert/to/pdf") { request, context in try await convert(request, context, textIsCSV: true) }
    }

    private func convert(_ request: Request, _ context: QuireRequestContext, textIsCSV: Bool) async throws -> Response {
        var request = request
        let parameters = try await request.parameters(maxBodyBytes: services.limits.maxRequestBytes)
        var conversion = try ConversionRequest(parameters, limits: services.limits, outputExtension: "pdf")
        // The output of from/doc has no page selection in PDF.co; the input's `pages` is not ours to apply.
        conversion.pages = nil
        var options: [String: String] = [:]
        if textIsCSV { options["textiscsv"] = "true" }
        if try parameters.bool("autosize", default: false) { options["autosize"] = "true" }
        return try await submitter.submit(
            conversion.spec(.officeToPDF, options: options), owner: context.owner, isAsync: conversion.isAsync)
    }
}
