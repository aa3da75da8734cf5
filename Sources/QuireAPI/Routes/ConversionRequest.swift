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
    /// `--max-inputs`: a conversion that adds inputs of its own (images to stamp) stays within it.
    var maxInputs: Int
    /// Fetch credentials (`httpusername` / `httppassword`) and the inputs' decryption key
    /// (`DataDecryption*` in `profiles`): stored apart from the options engine hosts see.
    var secrets = JobSecrets()

    /// - Parameter input: how many files `url` names: one, a comma-separated list (merge, images →
    ///   PDF), or none (`/barcode/generate`: `url` is not read).
    /// - Throws: `APIError` 400 naming the parameter at fault.
    init(_ parameters: RequestParameters, limits: APILimits, outputExtension: String?, input: InputShape = .one) throws {
        try self.init(parameters, limits: limits, outputExtension: outputExtension, inputs: try Self.inputs(parameters, input, limits))
    }

    private init(_ parameters: RequestParameters, limits: APILimits, outputExtension: String?, inputs: [String]) throws {
        self.inputs = inputs
        maxInputs = limits.maxInputsPerJob
        password = parameters.string("password")
        pages = parameters.string("pages")
        if let pages {
            do { _ = try PageSelection(parsing: pages) } catch let error as PageSelectionError { throw APIError(400, error.description) }
        }
        requestedName = parameters.string("name")
        outputName = OutputName.sanitize(requestedName, extension: outputExtension)
        isAsync = try parameters.bool("async", default: false)
        isInline = try parameters.bool("inline", default: false)
        expirationMinutes = try limits.expirationMinutes(parameters)
        callback = parameters.string("callback")
        secrets.httpUsername = parameters.string("httpusername")
        secrets.httpPassword = parameters.string("httppassword")
        if let (key, iv) = try Self.decryption(try parameters.profiles()) {
            secrets.decryptionKey = key
            secrets.decryptionIV = iv
        }
    }

    /// The files `url` names, checked against `--max-inputs`.
    private static func inputs(_ parameters: RequestParameters, _ shape: InputShape, _ limits: APILimits) throws -> [String] {
        if shape == .none { return [] }
        let multipleInputs = shape != .one
        guard let url = parameters.string("url")?.trimmingCharacters(in: .whitespacesAndNewlines), !url.isEmpty else {
            throw APIError.missing("url", "Pass the URL of the input file (upload it first with /file/upload/get-presigned-url).")
        }
        let inputs =
            multipleInputs ? url.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : [url]
        // A list of commas only (`url=","`) names no file: the job would run on nothing.
        guard !inputs.isEmpty else { throw APIError.missing("url", "The comma-separated list names no file.") }
        guard inputs.count <= limits.maxInputsPerJob else {
            throw APIError.badParameter(
                "url", "it names \(inputs.count) files; this server takes at most \(limits.maxInputsPerJob) per job (--max-inputs).")
        }
        return inputs
    }

    /// `DataDecryptionAlgorithm` (AES128/192/256, CBC), `DataDecryptionKey` (16/24/32 characters
    /// to match) and `DataDecryptionIV` (16 characters), checked; nil when not asked for.
    /// - Throws: `APIError` 400 naming the key at fault.
    static func decryption(_ profiles: Profiles) throws -> (key: String, iv: String)? {
        let algorithm = profiles.string("DataDecryptionAlgorithm")
        let key = profiles.string("DataDecryptionKey")
        let iv = profiles.string("DataDecryptionIV")
        guard algorithm != nil || key != nil || iv != nil else { return nil }
        let keyLengths = ["aes128": 16, "aes192": 24, "aes256": 32]
        guard let algorithm, let length = keyLengths[algorithm.lowercased()] else {
            throw APIError(400, "DataDecryptionAlgorithm in 'profiles' must be AES128, AES192 or AES256.")
        }
        guard let key, key.utf8.count == length else {
            throw APIError(400, "DataDecryptionKey in 'profiles' must be \(length) characters for \(algorithm.uppercased()).")
        }
        guard let iv, iv.utf8.count == 16 else { throw APIError(400, "DataDecryptionIV in 'profiles' must be 16 characters.") }
        return (key, iv)
    }

    /// The index in `inputs` of another file the job fetches (an image to stamp): an earlier
    /// index when the same URL is already there.
    /// - Throws: `APIError` 400 beyond `--max-inputs`.
    mutating func addInput(_ url: String, parameter: String) throws -> Int {
        if let index = inputs.firstIndex(of: url) { return index }
        guard inputs.count < maxInputs else {
            throw APIError.badParameter(
                parameter,
                "the job would fetch more than \(maxInputs) files; this server takes at most \(maxInputs) per job (--max-inputs).")
        }
        inputs.append(url)
        return inputs.count - 1
    }

    /// For results that are several files (page images, split parts): the result file becomes
    /// `<name>.json` (the list of their URLs); returns the base name the files are named from.
    mutating func nameFilesList(defaultBaseName: String) -> String {
        let baseName = OutputName.baseName(of: requestedName) ?? defaultBaseName
        outputName = OutputName.sanitize(baseName, extension: "json")
        return OutputName.urlSafe(baseName)
    }

    func spec(_ operation: JobOperation, options: JSONValue) -> JobSpec {
        JobSpec(
            operation: operation, inputs: inputs, password: password, pages: pages, outputName: outputName,
            requestedName: requestedName, resultFileID: RandomID.make(), expirationMinutes: expirationMinutes,
            callback: callback, options: options, secrets: secrets.isEmpty ? nil : secrets)
    }
}
