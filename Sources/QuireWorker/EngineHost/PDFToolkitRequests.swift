// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

/// The engine-host side of the PDF toolkit endpoints: reads each request's options (names
/// lower-cased by the API) and calls the qpdf/MuPDF tools.
struct PDFToolkitRequests {
    let optimizer: PDFOptimizer
    let toolkit = PDFToolkit()
    let security = PDFSecurity()
    let forms = FormFieldReader()
    let inspector: MuPDFDocumentInspector
    let text: MuPDFTextExtractor

    func perform(_ request: EngineRequest) throws -> EngineResponse {
        let inputs = request.inputs.map { URL(fileURLWithPath: $0) }
        guard let input = inputs.first else { throw EngineError.unsupported("No input file.") }
        guard let outputPath = request.output else { throw EngineError.failed("No output path.") }
        let output = URL(fileURLWithPath: outputPath)
        let options = request.options
        switch request.operation {
        case .pdfOptimize:
            let report = try optimizer.optimize(input, password: request.password, settings: Self.optimizeSettings(options), output: output)
            return EngineResponse(
                pageCount: report.pageCount,
                fields: [
                    "fileSize": .int(report.sizeAfter), "originalFileSize": .int(report.sizeBefore),
                    "imagesOptimized": .int(report.imagesRewritten), "imagesResampled": .int(report.imagesResampled),
                    "optimized": .bool(!report.returnedInput),
                ])
        case .pdfMerge, .pdfMerge2:
            return EngineResponse(pageCount: try toolkit.merge(inputs, password: request.password, output: output))
        case .pdfSplit:
            let files = try toolkit.split(
                input, password: request.password, selection: try Self.selection(request.pages, oneBased: true), into: output,
                baseName: options["basename"] ?? "result")
            return EngineResponse(pageCount: files.count, fields: ["files": .array(files.map { .string($0.path) })])
        case .pdfSplit2:
            var plan = TextSplitPlan(search: options["searchstring"] ?? "")
            plan.isRegex = options["regexsearch"] == "true"
            plan.caseSensitive = options["casesensitive"] == "true"
            plan.excludeKeyPages = options["excludekeypages"] == "true"
            let extracted = try text.extractText(from: input, password: request.password, pages: .all, layout: .simple)
            let pages = extracted.text.split(separator: "\u{0C}", omittingEmptySubsequences: false).prefix(extracted.pageCount).map(
                String.init)
            let groups = try plan.groups(pageTexts: pages)
            guard !groups.isEmpty else { throw EngineError.pageRange("Every page matched 'searchString' and excludeKeyPages left none.") }
            let files = try toolkit.split(
                input, password: request.password, groups: groups, into: output, baseName: options["basename"] ?? "result")
            return EngineResponse(pageCount: files.count, fields: ["files": .array(files.map { .string($0.path) })])
        case .pdfDeletePages:
            guard let pages = request.pages, !pages.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw EngineError.pageRange("Pass the pages to delete in 'pages', e.g. \"0,2-3\" (zero-based).")
            }
            let count = try toolkit.deletePages(input, password: request.password, selection: try Self.selection(pages), output: output)
            return EngineResponse(pageCount: count)
        case .pdfRotate:
            let angle = Int(options["angle"] ?? "90") ?? 90
            let count = try toolkit.rotate(
                input, password: request.password, selection: try Self.selection(request.pages), angle: angle, output: output)
            return EngineResponse(pageCount: count)
        case .pdfProtect:
            return EngineResponse(
                pageCount: try security.protect(input, password: request.password, with: Self.protection(options), output: output))
        case .pdfUnprotect:
            return EngineResponse(pageCount: try security.unprotect(input, password: request.password, output: output))
        case .pdfFormFields:
            let read = try forms.fields(of: input, password: request.password)
            var info = PDFInfoFields.make(try inspector.inspect(file: input, password: request.password))
            if case .object(var object) = info {
                object["FieldsInfo"] = .object(["Fields": .array(read.fields.map(Self.json))])
                info = .object(object)
            }
            return EngineResponse(pageCount: read.pageCount, fields: ["info": info])
        default:
            throw EngineError.unsupported("Not a PDF toolkit operation.")
        }
    }

    static func selection(_ text: String?, oneBased: Bool = false) throws -> PageSelection {
        do {
            return try PageSelection(parsing: text ?? "", oneBased: oneBased)
        } catch {
            throw EngineError.pageRange("\(error)")
        }
    }

    /// PDF.co's optimize profiles (validated by the API, so unreadable values fall back to defaults).
    static func optimizeSettings(_ options: [String: String]) -> OptimizeSettings {
        var settings = OptimizeSettings()
        if let quality = options["jpegquality"].flatMap(Int.init) { settings.jpegQuality = quality }
        if let resample = options["resampleimages"] { settings.resampleImages = resample == "true" }
        if let resolution = options["resamplingresolution"].flatMap(Double.init) { settings.resolution = resolution }
        if let format = options["imageoptimizationformat"] { settings.useJPEG = format.lowercased() == "jpeg" }
        if let gray = options["grayscaleimages"] { settings.grayscale = gray == "true" }
        return settings
    }

    /// `/pdf/security/add` parameters; the allow* switches default to true.
    static func protection(_ options: [String: String]) -> PDFProtection {
        var protection = PDFProtection()
        protection.userPassword = options["userpassword"] ?? ""
        protection.ownerPassword = options["ownerpassword"] ?? ""
        if let name = options["encryptionalgorithm"],
            let algorithm = PDFProtection.Algorithm.allCases.first(where: {
                $0.rawValue.lowercased() == name.lowercased()
            })
        {
            protection.algorithm = algorithm
        }
        func allowed(_ key: String) -> Bool { options[key].map { $0 == "true" } ?? true }
        protection.allowAccessibility = allowed("allowaccessibilitysupport")
        protection.allowAssembly = allowed("allowassemblydocument")
        protection.allowPrint = allowed("allowprintdocument")
        protection.allowFillForms = allowed("allowfillforms")
        protection.allowModify = allowed("allowmodifydocument")
        protection.allowContentExtraction = allowed("allowcontentextraction")
        protection.allowModifyAnnotations = allowed("allowmodifyannotations")
        protection.lowResolutionPrintOnly = options["printquality"]?.lowercased() == "lowresolution"
        return protection
    }

    private static func json(_ field: FormField) -> JSONValue {
        .object([
            "PageIndex": .int(field.pageIndex), "Type": .string(field.type), "FieldName": .string(field.name),
            "Value": .string(field.value), "Left": .double(field.left), "Top": .double(field.top),
            "Width": .double(field.width), "Height": .double(field.height),
        ])
    }
}
