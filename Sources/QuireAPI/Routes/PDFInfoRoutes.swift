// SPDX-License-Identifier: AGPL-3.0-or-later
import Hummingbird
import QuireCore

/// `/pdf/info`: page count, page size, metadata, encryption and permissions.
struct PDFInfoRoutes {
    let services: APIServices
    let submitter: JobSubmitter

    func add(to routes: RouteTable) {
        routes.add("/pdf/info") { request, context in
            var request = request
            let parameters = try await request.parameters(maxBodyBytes: services.limits.maxRequestBytes)
            let conversion = try ConversionRequest(parameters, limits: services.limits, outputExtension: nil)
            return try await submitter.submit(conversion.spec(.pdfInfo), owner: context.owner, isAsync: conversion.isAsync)
        }
    }
}
