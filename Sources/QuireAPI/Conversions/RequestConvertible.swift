// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Hummingbird
import QuireCore
import QuireJobs
import QuireStorage

/// The request side of a conversion: its options read and checked once from the parameters,
/// with PDF.co's names. Every conversion in `Conversions.all` conforms (ConversionRegistryTests).
protocol RequestConvertible: Conversion {
    /// - Parameters:
    ///   - path: which of `paths` was called (without `/v1`).
    ///   - request: the shared parameters, already read; a conversion may adjust them (the
    ///     output name, the name of page files).
    /// - Throws: `APIError` 4xx naming the parameter at fault.
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> Options

    /// Fills in parameters before the shared ones are read (the test operations need no `url`).
    static func prepare(_ parameters: inout RequestParameters)

    /// Fills in parameters from what the server keeps for `owner` (a stored template's HTML),
    /// before anything is read.
    static func resolve(_ parameters: inout RequestParameters, services: APIServices, owner: String) async throws

    /// Each parameter `resolve` reads, with the one it fills in (`templateId` → `html`), for
    /// the OpenAPI document: its catalog runs the parsing, not `resolve`, which reads stores.
    static var resolvedParameters: [String: String] { get }

    /// Whether `inline=true` puts the result file in the answer's `body` as a `data:` URL
    /// (`/barcode/generate`'s image).
    static var inlinesAsDataURL: Bool { get }
}

extension RequestConvertible {
    static func prepare(_ parameters: inout RequestParameters) {}
    static func resolve(_ parameters: inout RequestParameters, services: APIServices, owner: String) async throws {}
    static var resolvedParameters: [String: String] { [:] }
    static var inlinesAsDataURL: Bool { false }

    /// The job `parameters` ask for at `path`.
    static func spec(_ parameters: RequestParameters, path: String, limits: APILimits) throws -> (JobSpec, ConversionRequest) {
        var parameters = parameters
        prepare(&parameters)
        var request = try ConversionRequest(
            parameters, limits: limits, outputExtension: result.outputExtension, input: input)
        if !usesPages { request.pages = nil }
        let options = try options(from: parameters, path: path, request: &request)
        return (request.spec(operation, options: encodeOptions(options)), request)
    }
}

extension RequestConvertible where Options == NoOptions {
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> NoOptions {
        NoOptions()
    }
}

/// Mounts every conversion of `Conversions.all` at its paths, and a 501 at each planned one.
package struct ConversionRoutes {
    /// Conversions of `Conversions.all` without a request side (ConversionRegistryTests: none).
    package static var withoutRequestSide: [String] {
        Conversions.all.filter { !($0 is any RequestConvertible.Type) }.map { "\($0)" }
    }

    let services: APIServices
    let submitter: JobSubmitter

    func add(to routes: RouteTable) {
        for conversion in Conversions.all where services.enablesTestOperations || !conversion.isTestOnly {
            guard let convertible = conversion as? any RequestConvertible.Type else {
                preconditionFailure("\(conversion) has no request side (RequestConvertible)")
            }
            for path in conversion.paths {
                routes.add(path) { request, context in try await submit(convertible, path: path, request, context) }
            }
        }
        for path in Conversions.planned {
            routes.add(path) { _, _ in
                throw APIError(501, "\(path) is part of the PDF.co API but not implemented by this version of Quire yet.")
            }
        }
    }

    private func submit(
        _ conversion: any RequestConvertible.Type, path: String, _ request: Request, _ context: QuireRequestContext
    ) async throws -> Response {
        var request = request
        var parameters = try await request.parameters(maxBodyBytes: services.limits.maxRequestBytes)
        try await conversion.resolve(&parameters, services: services, owner: context.owner)
        let (spec, shared) = try conversion.spec(parameters, path: path, limits: services.limits)
        let asDataURL = conversion.inlinesAsDataURL
        guard shared.isInline, conversion.result.inlinesBody || asDataURL else {
            return try await submitter.submit(spec, owner: context.owner, isAsync: shared.isAsync)
        }
        let store = services.store
        let scratch = services.scratch
        // Downloads of .svg stay application/octet-stream (ContentTypes): a browser would run
        // scripts in an SVG served from this origin. A data: URL has no origin to attack.
        let mediaType =
            shared.outputName.lowercased().hasSuffix(".svg") ? "image/svg+xml" : ContentTypes.forName(shared.outputName)
        return try await submitter.submit(spec, owner: context.owner, isAsync: shared.isAsync) { job, fields in
            // `inline=true` puts the text (or JSON, or an image as a data URL) itself in `body`, besides the URL.
            guard let fileID = job.result?.fileID else { return }
            let data = try await store.withLocalFile(for: fileID, scratch: scratch) { try Data(contentsOf: $0) }
            if asDataURL {
                fields["body"] = .string("data:\(mediaType);base64,\(data.base64EncodedString())")
            } else if conversion.result == .jsonFile {
                fields["body"] = try JSONDecoder().decode(JSONValue.self, from: data)
            } else {
                fields["body"] = .string(String(decoding: data, as: UTF8.self))
            }
        }
    }
}

/// Job specs for `quire convert`: the same parameters and checks as the HTTP API.
package enum LocalConversionRequest {
    /// The job `quire convert NAME` asks for: `inputs` as `url`, `parameters` by their PDF.co names.
    /// - Throws: `APIError` for an unknown name or a bad parameter.
    package static func spec(named name: String, inputs: [String], parameters: [String: String]) throws -> JobSpec {
        guard let (conversion, path) = Conversions.conversion(named: name),
            let convertible = conversion as? any RequestConvertible.Type
        else {
            throw APIError(404, "No conversion is called \"\(name)\".")
        }
        var values = RequestParameters(parameters)
        values.set("url", inputs.joined(separator: ","))
        return try convertible.spec(values, path: path, limits: APILimits(maxUploadBytes: .max, jobTimeout: .seconds(3600))).0
    }
}
