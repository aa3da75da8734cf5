// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// The OpenAPI 3.1 document served at `/openapi.json`: every conversion endpoint with the
/// parameters its parsing reads (`EndpointCatalog`), described by `ParameterDocs`, plus the
/// file, job, template and health routes, and the PDF.co answer and error shapes.
package enum OpenAPIDocument {
    /// The document, encoded once: it only changes with the code.
    package static let json: Data = (try? JSONEncoder.quire().encode(build(catalog: .shared))) ?? Data("{}".utf8)

    /// Conversion paths whose parsing the catalog could not run to the end (ConversionContractTests: none).
    package static var incompleteEndpoints: [String] { EndpointCatalog.shared.endpoints.filter { !$0.isComplete }.map(\.path) }

    /// Parameter names and profile keys read somewhere but not described in `ParameterDocs` (tests: none).
    package static var undocumentedNames: [String] {
        var names: Set<String> = []
        for endpoint in EndpointCatalog.shared.endpoints {
            names.formUnion(endpoint.parameters.keys.filter { ParameterDocs.parameter($0, tag: tag(endpoint.path)) == nil })
            names.formUnion(endpoint.profileKeys.keys.filter { ParameterDocs.profileKey($0) == nil }.map { "profiles." + $0 })
        }
        return names.sorted()
    }

    static func build(catalog: EndpointCatalog) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for endpoint in catalog.endpoints {
            paths["/v1" + endpoint.path] = .object(["post": conversionOperation(endpoint)])
        }
        paths.merge(ServiceRoutesContract.paths) { conversion, _ in conversion }
        return .object([
            "openapi": "3.1.0",
            "info": .object([
                "title": "Quire",
                "version": "1",
                "description": .string(
                    """
                    A self-hosted server for the PDF.co Web API. Every endpoint answers at `/v1/…` and at the \
                    same path without `/v1`; conversion endpoints take their parameters as a JSON body (also \
                    as a JSON string), a form, multipart fields or the query string, with names in any case. \
                    Errors are `{"error": true, "status": N, "message": "…"}` with HTTP status N (PDF.co's \
                    44x codes included). Send the key in `x-api-key` when the server has keys.
                    """),
            ]),
            "servers": [.object(["url": "/"])],
            "security": [.object(["apiKey": []]), .object([:])],
            "paths": .object(paths),
            "components": .object([
                "securitySchemes": .object([
                    "apiKey": .object(["type": "apiKey", "in": "header", "name": "x-api-key"])
                ]),
                "schemas": .object(AnswerSchemas.all),
                "responses": .object(AnswerSchemas.responses),
            ]),
        ])
    }

    private static func conversionOperation(_ endpoint: EndpointCatalog.Endpoint) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for (name, kind) in endpoint.parameters {
            let doc = ParameterDocs.parameter(name, tag: tag(endpoint.path))
            var schema = doc?.schema(kind) ?? ParameterDocs.defaultSchema(kind)
            var text = doc?.text ?? ""
            if name == "profiles", !endpoint.profileKeys.isEmpty {
                text +=
                    " Keys read here: "
                    + endpoint.profileKeys.keys.sorted().map { key in
                        "`\(key)` (\(ParameterDocs.profileKey(key) ?? "see the PDF.co documentation"))"
                    }.joined(separator: "; ") + "."
            }
            if case .object(var members) = schema {
                members["description"] = .string(text)
                schema = .object(members)
            }
            properties[name] = schema
        }
        let required = endpoint.parameters.keys.filter { endpoint.required.contains($0.lowercased()) }.sorted().map { JSONValue.string($0) }
        let conversion = endpoint.conversion
        return .object([
            "operationId": .string(operationID(endpoint.path)),
            "summary": .string(summary(endpoint.path)),
            "description": .string(description(of: conversion)),
            "tags": [.string(tag(endpoint.path))],
            "requestBody": .object([
                "required": .bool(!required.isEmpty),
                "content": .object([
                    "application/json": .object([
                        "schema": .object([
                            "type": "object", "properties": .object(properties), "required": .array(required),
                        ])
                    ])
                ]),
            ]),
            "responses": AnswerSchemas.conversionResponses(hasFile: conversion.result.hasFile),
        ])
    }

    static func operationID(_ path: String) -> String {
        path.split(separator: "/").joined(separator: "_").replacingOccurrences(of: "-", with: "_")
    }

    static func summary(_ path: String) -> String {
        path.split(separator: "/").joined(separator: " ").replacingOccurrences(of: "-", with: " ")
    }

    static func tag(_ path: String) -> String { String(path.split(separator: "/").first ?? "pdf") }

    private static func description(of conversion: any RequestConvertible.Type) -> String {
        var lines: [String] = []
        switch conversion.input {
        case .one: lines.append("Input: one file in `url`.")
        case .several: lines.append("Inputs: a comma-separated list of files in `url`.")
        case .severalAsPDF: lines.append("Inputs: a comma-separated list of PDFs, images and office documents in `url`.")
        case .none: lines.append("No input file: the parameters are the input.")
        }
        switch conversion.result {
        case .file(let ext): lines.append("Result: one .\(ext) file at `url`.")
        case .textFile(let ext): lines.append("Result: one .\(ext) file at `url`; with `inline=true` its text in `body` too.")
        case .jsonFile: lines.append("Result: a JSON file at `url`; with `inline=true` the JSON in `body` too.")
        case .pageFiles: lines.append("Result: one file per page or part, listed in `urls`.")
        case .fields: lines.append("Result: fields of the answer, no file.")
        case .clientFile: lines.append("Result: the file itself, stored.")
        }
        lines.append("With `async=true` the answer carries a `jobId` to poll at `/v1/job/check`.")
        return lines.joined(separator: " ")
    }
}
