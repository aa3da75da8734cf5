// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

extension EditAddConversion: MuPDFHosted {
    /// The first input is the PDF; the others are the images its `images[]` items name.
    package static func run(_ options: EditAddOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        let pageCount = try engines.stamper.stamp(
            try call.input(), password: call.password, options: options, files: call.inputs, output: try call.outputURL())
        return EngineResponse(pageCount: pageCount)
    }
}

extension AttachmentsExtractConversion: MuPDFHosted {
    package static func run(_ options: NoOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        let files = try engines.attachments.extract(try call.input(), password: call.password, into: try call.outputURL())
        return EngineResponse(pageCount: files.count, fields: ["files": .array(files.map { .string($0.path) })])
    }
}

extension ReplaceTextConversion: MuPDFHosted {
    package static func run(_ options: TextReplaceOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        try replace(options, call, engines)
    }
}

extension DeleteTextConversion: MuPDFHosted {
    package static func run(_ options: TextReplaceOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        try replace(options, call, engines)
    }
}

extension ReplaceTextWithImageConversion: MuPDFHosted {
    package static func run(_ options: TextReplaceOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        try replace(options, call, engines)
    }
}

/// The three share one engine; the answer adds how many occurrences changed (`replacements`).
private func replace(_ options: TextReplaceOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
    let image = options.replaceImage.map { call.inputs.indices.contains($0) ? call.inputs[$0] : nil } ?? nil
    let (pageCount, replaced) = try engines.replacer.replace(
        try call.input(), password: call.password, pages: try call.selection(), options: options, image: image,
        output: try call.outputURL())
    return EngineResponse(pageCount: pageCount, fields: ["replacements": .int(replaced)])
}
