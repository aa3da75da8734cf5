// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// The parameters every PDF.co conversion shares, read and checked once.
struct ConversionRequest {
    var inputs: [String]
    var password: String?
    var pages: String?
    var requestedName: String?
    var outputName: String
    var isAsync: Bool
    var isInline: Bool
    var expirationMinutes: Int
    var callback: String?
    /// Basic-auth credentials for fetching remote `url`s (`httpusername` / `httppassword`).
    var httpCredentials: [String: String] = [:]

    /// - Parameter multipleInputs: whether `url` may be a comma-separated list (merge, images → PDF).
    /// - Throws: `APIError` 400 naming the parameter at fault.
    init(_ parameters: RequestParameters, limits: APILimits, outputExtension: String?, multipleInputs: Bool = false) throws {
        guard let url = parameters.string("url")?.trimmingCharacters(in: .whitespacesAndNewlines), !url.isEmpty else {
            throw APIError.missing("url", "Pass the URL of the input file (upload it first with /file/upload/get-presigned-url).")
        }
        inputs = multipleInputs ? url.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : [url]
        guard inputs.count <= limits.maxInputsPerJob else {
            throw APIError.badParameter(
                "url", "it names \(inputs.count) files; this server takes at most \(limits.maxInputsPerJob) per job (--max-inputs).")
        }
        password = parameters.string("password")
        pages = parameters.string("pages")
        if let pages {
            do { _ = try PageSelection(parsing: pages) } catch let error as PageSelectionError { throw APIError(400, error.description) }
        }
        requestedName = parameters.string("name")
        outputName = OutputName.sanitize(requestedName, extension: outputExtension)
        isAsync = try parameters.bool("async", default: false)
        isInline = try parameters.bool("inline", default: false)
        expirationMinutes = try parameters.int(
            "expiration", default: limits.defaultExpirationMinutes, range: 1...limits.maxExpirationMinutes)
        callback = parameters.string("callback")
        for name in ["httpusername", "httppassword"] {
            if let value = parameters.string(name) { httpCredentials[name] = value }
        }
    }

    /// For results that are several files (page images, split parts): the result file becomes
    /// `<name>.json` (the list of their URLs); returns the base name the files are named from.
    mutating func nameFilesList(defaultBaseName: String) -> String {
        let baseName = OutputName.baseName(of: requestedName) ?? defaultBaseName
        outputName = OutputName.sanitize(baseName, extension: "json")
        return OutputName.urlSafe(baseName)
    }

    func spec(_ operation: JobOperation, options: [String: String] = [:]) -> JobSpec {
        JobSpec(
            operation: operation, inputs: inputs, password: password, pages: pages, outputName: outputName,
            requestedName: requestedName, resultFileID: RandomID.make(), expirationMinutes: expirationMinutes,
            callback: callback, options: options.merging(httpCredentials) { own, _ in own })
    }
}
