// SPDX-License-Identifier: AGPL-3.0-or-later
import Hummingbird
import QuireCore

/// `/pdf/convert/from/image`: `url` is one image URL or a comma-separated list; each image (each
/// TIFF frame) becomes a page, in the order given.
struct ImageToPDFRoutes {
    let services: APIServices
    let submitter: JobSubmitter

    func add(to routes: RouteTable) {
        routes.add("/pdf/convert/from/image") { request, context in
            var request = request
            let parameters = try await request.parameters(maxBodyBytes: services.limits.maxRequestBytes)
            var conversion = try ConversionRequest(parameters, limits: services.limits, outputExtension: "pdf", multipleInputs: true)
            conversion.pages = nil
            return try await submitter.submit(conversion.spec(.imagesToPDF), owner: context.owner, isAsync: conversion.isAsync)
        }
    }
}
