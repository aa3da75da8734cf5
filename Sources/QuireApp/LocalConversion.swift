// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Logging
import QuireAPI
import QuireCore
import QuireEngines
import QuireWorker

/// `quire convert`: one conversion of `Conversions.all` on local files, no server, the same
/// parameters, checks and engines as the API.
package enum LocalConversion {
    /// The names `quire convert` takes, one line each, for its help.
    package static var catalog: String {
        Conversions.all.filter(runsLocally).map { conversion in
            ([conversion.commandName].compactMap { $0 } + conversion.paths).joined(separator: ", ")
        }.joined(separator: "\n")
    }

    /// merge2 converts its inputs through the worker, and storing a file (`/file/upload/url`)
    /// means nothing without a server.
    private static func runsLocally(_ conversion: any Conversion.Type) -> Bool {
        !conversion.isTestOnly && conversion.input != .severalAsPDF && conversion.result != .clientFile
    }

    /// Runs conversion `name` (a command name or a PDF.co path) on `inputs`.
    /// - Parameters:
    ///   - output: the result file (stdout when nil or `-`), or the folder of page files (`.` when nil).
    ///   - parameters: PDF.co parameters by name (`pages`, `password`, `profiles`, `lineEnding`…).
    /// - Returns: the lines to print.
    package static func run(
        named name: String, inputs: [String], output: String?, parameters: [String: String], executable: URL
    ) async throws -> [String] {
        var parameters = parameters
        // Page files are named after the first input, as the API names them after `name`.
        if parameters["name"] == nil, let first = inputs.first { parameters["name"] = URL(fileURLWithPath: first).lastPathComponent }
        let spec = try LocalConversionRequest.spec(named: name, inputs: inputs, parameters: parameters)
        let conversion = spec.operation.conversion
        guard runsLocally(conversion), spec.inputDecryption == nil else {
            throw EngineError.unsupported("\(name) is available through the server only.")
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("quire-convert-\(RandomID.make(length: 10))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let result: URL
        if conversion.result.isPageFiles {
            result = URL(fileURLWithPath: output ?? ".")
            try FileManager.default.createDirectory(at: result, withIntermediateDirectories: true)
        } else {
            result = work.appendingPathComponent("result")
        }
        let plan = try conversion.plan(of: spec)
        var request = EngineRequest(
            operation: spec.operation, inputs: inputs.map { URL(fileURLWithPath: $0).path }, output: result.path, password: spec.password,
            pages: spec.pages, options: plan.options)
        request.ocrFallback = plan.ocrFallback != nil
        if let pass = plan.ocrPass {
            request.ocrWords = try await recognize(request, pass: pass, executable: executable, work: work)
        }
        var response = try await run(request, kind: plan.host, executable: executable, work: work)
        // Pages without text, for a conversion that reads them by OCR: OCR, then the conversion again.
        if case .array(let items)? = response.fields.removeValue(forKey: EngineResponse.pagesWithoutText), !items.isEmpty,
            let pass = plan.ocrFallback
        {
            var scanned = request
            scanned.pages = items.compactMap { if case .int(let page) = $0 { String(page) } else { nil } }.joined(separator: ",")
            request.ocrWords = try await recognize(scanned, pass: pass, executable: executable, work: work)
            response = try await run(request, kind: plan.host, executable: executable, work: work)
            response.fields.removeValue(forKey: EngineResponse.pagesWithoutText)
        }
        if let error = response.error { throw error }
        return try deliver(response, conversion: conversion, result: result, output: output)
    }

    /// Runs `request` in this process (MuPDF, worker) or in an office host started for it
    /// (LibreOffice must live in its own process).
    private static func run(_ request: EngineRequest, kind: HostKind, executable: URL, work: URL) async throws -> EngineResponse {
        switch kind {
        case .mupdf:
            return MuPDFEngines(context: try MuPDFContext()).handle(request)
        case .worker:
            guard let performed = request.operation.conversion as? any WorkerPerformed.Type else {
                throw EngineError.unsupported("\(request.operation.rawValue) has no worker side.")
            }
            return try await performed.handle(request)
        case .office:
            // A profile kept between runs saves LibreOffice ~1 s of first-start work.
            let profiles = FileManager.default.temporaryDirectory.appendingPathComponent("quire-office-profiles-\(getuid())")
            let settings = EngineHostProcess.Settings.office(
                executable: executable, index: 0, profiles: profiles, workFolders: work, maxJobsPerProcess: 1, maxResidentMB: 0)
            let host = EngineHostProcess(index: 0, settings: settings, logger: Logger(label: "quire.convert"))
            defer { host.stop() }
            // The host links the input into its work folder (the only one its sandbox reaches)
            // and moves its result back to `request.output`.
            return try await host.run(request, timeout: .seconds(600))
        case .browser:
            let profiles = FileManager.default.temporaryDirectory.appendingPathComponent("quire-browser-profiles-\(getuid())")
            let settings = EngineHostProcess.Settings.browser(
                executable: executable, index: 0, profiles: profiles, workFolders: work, allowsPrivate: false, pageSeconds: 60,
                maxBytes: 200 << 20, maxJobsPerProcess: 1)
            let host = EngineHostProcess(index: 0, settings: settings, logger: Logger(label: "quire.convert"))
            defer { host.stop() }
            return try await host.run(request, timeout: .seconds(120))
        }
    }

    /// The OCR pass in one OCR host (its own process: Tesseract needs `OMP_THREAD_LIMIT=1` before
    /// it loads); returns the words file.
    private static func recognize(_ request: EngineRequest, pass: OCRPass, executable: URL, work: URL) async throws -> String {
        let settings = EngineHostProcess.Settings.ocr(executable: executable, memoryLimitMB: 0, maxJobsPerProcess: 1, workFolders: work)
        let host = EngineHostProcess(index: 0, settings: settings, logger: Logger(label: "quire.convert"))
        defer { host.stop() }
        let words = work.appendingPathComponent("ocr-words.json")
        var part = request
        part.output = words.path
        part.options = try JSONValue(encoding: pass)
        let response = try await host.run(part, timeout: .seconds(3600))
        if let error = response.error { throw error }
        return words.path
    }

    /// Puts the result where it was asked for; returns what to print.
    private static func deliver(
        _ response: EngineResponse, conversion: any Conversion.Type, result: URL, output: String?
    ) throws -> [String] {
        switch conversion.result {
        case .pageFiles:
            guard case .array(let files) = response.fields["files"] else { return [] }
            return files.compactMap { if case .string(let path) = $0 { path } else { nil } }
        case .fields:
            let value = response.fields.count == 1 ? response.fields.values.first! : .object(response.fields)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return [String(decoding: try encoder.encode(value), as: UTF8.self)]
        case .file, .textFile, .jsonFile, .clientFile:
            guard let output, output != "-" else {
                FileHandle.standardOutput.write(try Data(contentsOf: result))
                return []
            }
            try place(result, at: output)
            let pages = response.pageCount.map { "\($0) pages" } ?? "written"
            return ["\(output): " + (conversion.summary(of: response.fields) ?? pages)]
        }
    }

    /// Moves `result` to `output`, replacing a regular file. Anything else that is already there
    /// is written into, never replaced: `-o /dev/null` run as root once replaced the device with
    /// a file (and a folder given by mistake would have been deleted with its contents).
    /// - Throws: `APIError` 400 when `output` is a folder.
    static func place(_ result: URL, at output: String) throws {
        let type = (try? FileManager.default.attributesOfItem(atPath: output))?[.type] as? FileAttributeType
        switch type {
        case nil, .typeRegular?:
            try? FileManager.default.removeItem(atPath: output)
            try FileManager.default.moveItem(at: result, to: URL(fileURLWithPath: output))
        case .typeDirectory?:
            throw APIError(400, "\(output) is a folder: give the file to write (-o FOLDER/NAME).")
        default:
            // A device, a pipe or a link: write through it, truncating what a link points at.
            guard let handle = FileHandle(forWritingAtPath: output) else {
                throw APIError(400, "\(output) cannot be written.")
            }
            defer { try? handle.close() }
            // A link to a file is truncated first; to a pipe or terminal (/dev/stdout) it cannot be.
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: output)) != nil { try? handle.truncate(atOffset: 0) }
            let input = try FileHandle(forReadingFrom: result)
            defer { try? input.close() }
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try handle.write(contentsOf: chunk) }
        }
    }

    /// What to tell the user about `error`: the API's message for it.
    package static func message(for error: any Error) -> String {
        if let error = error as? APIError { return error.message }
        return Worker.failure(for: error).message
    }

    /// Runs the engine-host loop (hidden `quire engine-host` command).
    package static func runEngineHost() -> Never {
        EngineHostMain.run()
    }

    /// Runs the OCR-host loop (hidden `quire ocr-host` command).
    package static func runOCRHost() -> Never {
        OCRHostMain.run()
    }

    /// Runs the browser-host loop (hidden `quire browser-host` command).
    package static func runBrowserHost() -> Never {
        BrowserHostMain.run()
    }

    /// Runs the office-host loop (hidden `quire office-host` command).
    package static func runOfficeHost() -> Never {
        OfficeHostMain.run()
    }
}
