// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

extension OptimizeConversion: MuPDFHosted {
    package static func run(_ options: OptimizeSettings, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        let report = try engines.optimizer.optimize(
            try call.input(), password: call.password, settings: options, output: try call.outputURL())
        return EngineResponse(
            pageCount: report.pageCount,
            fields: [
                "fileSize": .int(report.sizeAfter), "originalFileSize": .int(report.sizeBefore),
                "imagesOptimized": .int(report.imagesRewritten), "imagesResampled": .int(report.imagesResampled),
                "optimized": .bool(!report.returnedInput),
            ])
    }
}

extension MergeConversion: MuPDFHosted {
    package static func run(_ options: NoOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        EngineResponse(pageCount: try engines.toolkit.merge(call.inputs, password: call.password, output: try call.outputURL()))
    }
}

extension Merge2Conversion: MuPDFHosted {
    /// The worker has turned every input into a PDF already.
    package static func run(_ options: NoOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        try MergeConversion.run(options, call, engines)
    }
}

extension SplitConversion: MuPDFHosted {
    package static func run(_ options: SplitOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        let files = try engines.toolkit.split(
            try call.input(), password: call.password, selection: try call.selection(oneBased: true), into: try call.outputURL(),
            baseName: options.baseName)
        return EngineResponse(pageCount: files.count, fields: ["files": .array(files.map { .string($0.path) })])
    }
}

extension SplitByTextConversion: MuPDFHosted {
    package static func run(_ options: SplitByTextOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        let input = try call.input()
        let groups: [[Int]]
        if let search = options.barcode {
            groups = TextSplitPlan.groups(
                keyPages: try barcodeKeyPages(input, search: search, options: options, call: call, engines: engines),
                excludeKeyPages: options.excludeKeyPages)
        } else {
            var plan = TextSplitPlan(search: options.searchString)
            plan.isRegex = options.regexSearch
            plan.caseSensitive = options.caseSensitive
            plan.excludeKeyPages = options.excludeKeyPages
            let extracted = try engines.text.extractText(from: input, password: call.password, pages: .all, layout: .simple)
            let pages = extracted.text.split(separator: "\u{0C}", omittingEmptySubsequences: false).prefix(extracted.pageCount).map(
                String.init)
            groups = try plan.groups(pageTexts: pages)
        }
        guard !groups.isEmpty else { throw EngineError.pageRange("Every page matched 'searchString' and excludeKeyPages left none.") }
        let files = try engines.toolkit.split(
            input, password: call.password, groups: groups, into: try call.outputURL(), baseName: options.baseName)
        return EngineResponse(pageCount: files.count, fields: ["files": .array(files.map { .string($0.path) })])
    }
}

extension SplitByTextConversion {
    /// Whether each page of `input` carries a code `search` asks for, read as `/barcode/read/from/url` reads.
    static func barcodeKeyPages(
        _ input: URL, search: BarcodeSplitSearch, options: SplitByTextOptions, call: EngineCall, engines: MuPDFEngines
    ) throws -> [Bool] {
        let matches: (String) -> Bool
        do { matches = try search.matcher(caseSensitive: options.caseSensitive) } catch {
            throw EngineError.unsupported("'searchString' holds a regular expression that does not compile.")
        }
        var reading = BarcodeReadOptions()
        reading.types = search.types
        let read = try engines.barcodeReader.read(file: input, password: call.password, pages: .all, options: reading)
        var keys = [Bool](repeating: false, count: read.pageCount)
        for code in read.barcodes where keys.indices.contains(code.page) && matches(code.value) { keys[code.page] = true }
        return keys
    }
}

extension DeletePagesConversion: MuPDFHosted {
    package static func run(_ options: NoOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        guard let pages = call.pages, !pages.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw EngineError.pageRange("Pass the pages to delete in 'pages', e.g. \"0,2-3\" (zero-based).")
        }
        let count = try engines.toolkit.deletePages(
            try call.input(), password: call.password, selection: try call.selection(), output: try call.outputURL())
        return EngineResponse(pageCount: count)
    }
}

extension RotateConversion: MuPDFHosted {
    package static func run(_ options: RotateOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        let count = try engines.toolkit.rotate(
            try call.input(), password: call.password, selection: try call.selection(), angle: options.angle, output: try call.outputURL())
        return EngineResponse(pageCount: count)
    }
}

extension ProtectConversion: MuPDFHosted {
    package static func run(_ options: PDFProtection, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        EngineResponse(
            pageCount: try engines.security.protect(try call.input(), password: call.password, with: options, output: try call.outputURL()))
    }
}

extension UnprotectConversion: MuPDFHosted {
    package static func run(_ options: NoOptions, _ call: EngineCall, _ engines: MuPDFEngines) throws -> EngineResponse {
        EngineResponse(pageCount: try engines.security.unprotect(try call.input(), password: call.password, output: try call.outputURL()))
    }
}
