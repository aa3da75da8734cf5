// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

extension BarcodeGenerateConversion: RequestConvertible {
    static var inlinesAsDataURL: Bool { true }

    static func options(
        from parameters: RequestParameters, path: String, request: inout ConversionRequest
    ) throws
        -> BarcodeGenerateOptions
    {
        var options = BarcodeGenerateOptions()
        let profiles = try parameters.profiles()
        guard let value = parameters.string("value"), !value.isEmpty else {
            throw APIError.missing("value", "Pass the text to encode in the barcode.")
        }
        guard value.utf8.count <= BarcodeGenerateOptions.maxValueBytes else {
            throw APIError(
                413,
                "Invalid 'value': it is \(value.utf8.count) bytes long; a barcode holds at most \(BarcodeGenerateOptions.maxValueBytes).")
        }
        options.value = value
        if let name = parameters.string("type"), !name.isEmpty { options.type = try BarcodeType.parse(name, parameter: "type") }
        if let format = parameters.string("format"), !format.isEmpty {
            guard let chosen = BarcodeImageFormat(rawValue: format.lowercased()) else {
                throw APIError.badParameter("format", "use png or svg.")
            }
            options.format = chosen
        }
        if options.format != .png { request.outputName = OutputName.sanitize(request.requestedName, extension: options.format.rawValue) }
        if let level = profiles.string("Options.QRErrorCorrectionLevel") ?? profiles.string("QRErrorCorrectionLevel") {
            let names: [String: QRErrorCorrection] = [
                "l": .low, "low": .low, "m": .medium, "medium": .medium, "q": .quarter, "quarter": .quarter, "h": .high, "high": .high,
            ]
            guard let chosen = names[level.lowercased()] else {
                throw APIError(400, "QRErrorCorrectionLevel in 'profiles' must be Low, Medium, Quarter or High.")
            }
            options.qrErrorCorrection = chosen
        }
        if let angle = profiles.int("Angle") {
            guard [0, 90, 180, 270].contains(angle) else { throw APIError(400, "Angle in 'profiles' must be 0, 90, 180 or 270.") }
            options.angle = angle
        }
        if let width = profiles.int("NarrowBarWidth") {
            guard (1...20).contains(width) else { throw APIError(400, "NarrowBarWidth in 'profiles' must be 1 to 20 pixels.") }
            options.narrowBarWidth = width
        }
        options.showCaption = profiles.bool("ShowCaption") ?? profiles.bool("CaptionVisible") ?? true
        return options
    }
}

extension BarcodeReadConversion: RequestConvertible {
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> BarcodeReadOptions {
        var options = BarcodeReadOptions()
        let profiles = try parameters.profiles()
        // PDF.co documents both: `types` (a list) and the older `type` (one name).
        let (list, parameter) = parameters.string("types").map { ($0, "types") } ?? (parameters.string("type") ?? "", "type")
        var types: [BarcodeType] = []
        for name in list.split(separator: ",").map(String.init) where !name.trimmingCharacters(in: .whitespaces).isEmpty {
            let type = try BarcodeType.parse(name, parameter: parameter)
            if !types.contains(type) { types.append(type) }
        }
        options.types = types
        options.fastMode = profiles.bool("FastMode") ?? false
        if let limit = profiles.int("MaxNumberOfBarcodesPerPage") {
            guard (0...255).contains(limit) else {
                throw APIError(400, "MaxNumberOfBarcodesPerPage in 'profiles' must be 0 (no limit) to 255.")
            }
            options.maxPerPage = limit
        }
        if let dpi = profiles.int("RenderingResolution") {
            guard (72...600).contains(dpi) else { throw APIError(400, "RenderingResolution in 'profiles' must be 72 to 600 dpi.") }
            options.dpi = Double(dpi)
        }
        options.file = request.inputs.first ?? ""
        return options
    }
}

extension BarcodeType {
    /// The type `name` names, or a 400 naming `parameter` and what it accepts.
    static func parse(_ name: String, parameter: String) throws -> BarcodeType {
        if let type = BarcodeType(named: name) { return type }
        let shown = String(name.trimmingCharacters(in: .whitespaces).prefix(40))
        let known = BarcodeType.allCases.map(\.rawValue).joined(separator: ", ")
        if BarcodeType.unsupportedPDFCoNames.contains(shown.lowercased()) {
            throw APIError.badParameter(parameter, "\(shown) is not supported by this server; use one of \(known).")
        }
        throw APIError.badParameter(parameter, "\(shown) is not a barcode type; use one of \(known).")
    }
}
