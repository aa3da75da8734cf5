// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Hummingbird
import QuireCore

/// The PDF toolkit endpoints on qpdf and MuPDF: optimize, merge, merge2, split, delete pages,
/// rotate, security add/remove, form fields.
struct PDFToolkitRoutes {
    let services: APIServices
    let submitter: JobSubmitter

    func add(to routes: RouteTable) {
        routes.add("/pdf/optimize") { request, context in try await optimize(request, context) }
        routes.add("/pdf/merge") { request, context in
            try await submit(request, context, .pdfMerge, multipleInputs: true, ignoresPages: true)
        }
        routes.add("/pdf/merge2") { request, context in
            try await submit(request, context, .pdfMerge2, multipleInputs: true, ignoresPages: true)
        }
        routes.add("/pdf/split") { request, context in try await split(request, context) }
        routes.add("/pdf/split2") { request, context in try await splitByText(request, context) }
        routes.add("/pdf/edit/delete-pages") { request, context in
            try await submit(request, context, .pdfDeletePages) { conversion, _ in
                guard conversion.pages?.trimmingCharacters(in: .whitespaces).isEmpty == false else {
                    throw APIError.missing("pages", "Name the pages to delete, zero-based, e.g. \"0,2-3\" or \"!0\" for the last.")
                }
                return [:]
            }
        }
        routes.add("/pdf/edit/rotate") { request, context in
            try await submit(request, context, .pdfRotate) { _, parameters in
                let angle = try parameters.int("angle", default: 90, range: -3600...3600)
                guard angle % 90 == 0 else { throw APIError.badParameter("angle", "\(angle) is not a multiple of 90 degrees.") }
                return ["angle": String(angle)]
            }
        }
        routes.add("/pdf/security/add") { request, context in try await protect(request, context) }
        routes.add("/pdf/security/remove") { request, context in
            try await submit(request, context, .pdfUnprotect, ignoresPages: true)
        }
        routes.add("/pdf/info/fields") { request, context in
            try await submit(request, context, .pdfFormFields, outputExtension: nil, ignoresPages: true)
        }
    }

    /// Reads the common parameters, lets `configure` check and add its own, and submits.
    /// - Parameter ignoresPages: the operation works on whole documents, so `pages` is dropped.
    private func submit(
        _ request: Request, _ context: QuireRequestContext, _ operation: JobOperation, outputExtension: String? = "pdf",
        multipleInputs: Bool = false, ignoresPages: Bool = false,
        _ configure: (inout ConversionRequest, RequestParameters) throws -> [String: String] = { _, _ in [:] }
    ) async throws -> Response {
        var request = request
        let parameters = try await request.parameters(maxBodyBytes: services.limits.maxRequestBytes)
        var conversion = try ConversionRequest(
            parameters, limits: services.limits, outputExtension: outputExtension, multipleInputs: multipleInputs)
        if ignoresPages { conversion.pages = nil }
        let options = try configure(&conversion, parameters)
        return try await submitter.submit(conversion.spec(operation, options: options), owner: context.owner, isAsync: conversion.isAsync)
    }

    /// PDF.co's optimize settings, from `profiles` or as plain parameters.
    private func optimize(_ request: Request, _ context: QuireRequestContext) async throws -> Response {
        try await submit(request, context, .pdfOptimize, ignoresPages: true) { _, parameters in
            let profiles = try Profiles(parsing: parameters.string("profiles"))
            func setting(_ name: String) -> String? { profiles.string(name) ?? parameters.string(name) }
            var options: [String: String] = [:]
            if let quality = try Profiles.jpegQuality(setting("JPEGQuality")) { options["jpegquality"] = String(quality) }
            if let text = setting("ResamplingResolution") {
                guard let dpi = Double(text), (10...2400).contains(dpi) else {
                    throw APIError(400, "ResamplingResolution must be a resolution in dpi from 10 to 2400, not \"\(text)\".")
                }
                options["resamplingresolution"] = String(dpi)
            }
            if let format = setting("ImageOptimizationFormat") {
                // PDF.co also names "Fax" (bilevel images): Quire keeps those as they are, losslessly.
                guard ["jpeg", "flate", "fax"].contains(format.lowercased()) else {
                    throw APIError(400, "ImageOptimizationFormat must be JPEG, Flate or Fax, not \"\(format)\".")
                }
                options["imageoptimizationformat"] = format.lowercased()
            }
            for name in ["ResampleImages", "GrayscaleImages"] {
                let value = try profiles.bool(name) ?? parameters.optionalBool(name)
                if let value { options[name.lowercased()] = String(value) }
            }
            return options
        }
    }

    /// `/pdf/split`: `pages` is 1-based here only; each comma item is one file, `*` every page.
    private func split(_ request: Request, _ context: QuireRequestContext) async throws -> Response {
        try await submit(request, context, .pdfSplit, outputExtension: "json") { conversion, _ in
            if let pages = conversion.pages {
                do {
                    _ = try PageSelection(parsing: pages, oneBased: true)
                } catch {
                    throw APIError(
                        400, "Invalid 'pages' value \"\(pages)\" for /pdf/split: its pages count from 1, e.g. \"1-2,3-\" or \"*\".")
                }
            }
            return ["basename": conversion.nameFilesList(defaultBaseName: "result")]
        }
    }

    /// `/pdf/split2`: a new file starts at each page whose text contains `searchString`
    /// (`regexSearch`, `caseSensitive`, `excludeKeyPages`). Barcode searches are not supported yet.
    private func splitByText(_ request: Request, _ context: QuireRequestContext) async throws -> Response {
        try await submit(request, context, .pdfSplit2, outputExtension: "json", ignoresPages: true) { conversion, parameters in
            guard let search = parameters.string("searchString"), !search.isEmpty else {
                throw APIError.missing("searchString", "Give the text that starts each part, e.g. \"Invoice No\".")
            }
            guard !search.lowercased().hasPrefix("[[barcode:") else {
                throw APIError(501, "Splitting by barcode is part of the PDF.co API but not implemented by this version of Quire yet.")
            }
            var options = ["searchstring": search]
            for name in ["regexSearch", "caseSensitive", "excludeKeyPages"] {
                if let value = try parameters.optionalBool(name) { options[name.lowercased()] = String(value) }
            }
            options["basename"] = conversion.nameFilesList(defaultBaseName: "result")
            return options
        }
    }

    private func protect(_ request: Request, _ context: QuireRequestContext) async throws -> Response {
        try await submit(request, context, .pdfProtect, ignoresPages: true) { _, parameters in
            var options: [String: String] = [:]
            options["ownerpassword"] = parameters.string("ownerPassword")
            options["userpassword"] = parameters.string("userPassword")
            guard options["ownerpassword"] != nil || options["userpassword"] != nil else {
                throw APIError.missing("ownerPassword", "Give ownerPassword (permissions) and/or userPassword (to open the file).")
            }
            if let algorithm = parameters.string("encryptionAlgorithm") {
                let known = ["RC4_40bit", "RC4_128bit", "AES_128bit", "AES_256bit"]
                guard known.contains(where: { $0.lowercased() == algorithm.lowercased() }) else {
                    throw APIError.badParameter("encryptionAlgorithm", "\"\(algorithm)\" is not one of \(known.joined(separator: ", ")).")
                }
                options["encryptionalgorithm"] = algorithm
            }
            for name in [
                "allowAccessibilitySupport", "allowAssemblyDocument", "allowPrintDocument", "allowFillForms", "allowModifyDocument",
                "allowContentExtraction", "allowModifyAnnotations",
            ] {
                if let allowed = try parameters.optionalBool(name) { options[name.lowercased()] = String(allowed) }
            }
            if let quality = parameters.string("printQuality") {
                guard ["highresolution", "lowresolution"].contains(quality.lowercased()) else {
                    throw APIError.badParameter("printQuality", "\"\(quality)\" is not HighResolution or LowResolution.")
                }
                options["printquality"] = quality
            }
            return options
        }
    }
}
