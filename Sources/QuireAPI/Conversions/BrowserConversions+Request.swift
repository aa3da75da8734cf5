// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireStorage

extension HTMLToPDFConversion: RequestConvertible {
    static var resolvedParameters: [String: String] { ["templateId": "html"] }

    /// `templateId`: the HTML of the key's stored template (`/templates/html`) is the `html`.
    static func resolve(_ parameters: inout RequestParameters, services: APIServices, owner: String) async throws {
        guard let text = parameters.string("templateId")?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return }
        guard let id = Int(text), id > 0 else {
            throw APIError(
                447, "Invalid template: 'templateId' is a template's ID, a positive whole number (GET /templates/html lists them).")
        }
        guard let template = try await services.templates.template(id: id, owner: owner) else {
            throw APIError(447, "Invalid template: no template \(id) is kept for this key (GET /templates/html lists them).")
        }
        parameters.set("html", template.body)
    }

    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> BrowserOptions {
        var options = try BrowserOptions(printing: parameters)
        guard let html = parameters.string("html"), !html.isEmpty else {
            throw APIError.missing("html", "Pass the HTML to convert.")
        }
        options.html = html
        if let data = parameters.string("templateData")?.trimmingCharacters(in: .whitespacesAndNewlines), !data.isEmpty {
            // PDF.co recommends JSON (and also takes CSV, which Quire does not yet).
            guard let json = try? JSONSerialization.jsonObject(with: Data(data.utf8), options: [.fragmentsAllowed]),
                json is [String: Any] || json is [Any]
            else {
                throw APIError.badParameter("templateData", "send a JSON object or array (CSV is not supported yet).")
            }
            options.templateData = data
        }
        return options
    }
}

extension URLToPDFConversion: RequestConvertible {
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> BrowserOptions {
        var options = try BrowserOptions(printing: parameters)
        options.pageURL = try BrowserOptions.pageURL(parameters)
        if request.requestedName == nil { request.outputName = BrowserOptions.defaultName(for: options.pageURL!, extension: "pdf") }
        return options
    }
}

extension URLToPNGConversion: RequestConvertible {
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> BrowserOptions {
        try BrowserOptions.screenshot(parameters, &request, extension: "png")
    }
}

extension URLToJPGConversion: RequestConvertible {
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> BrowserOptions {
        try BrowserOptions.screenshot(parameters, &request, extension: "jpg")
    }
}

extension BrowserOptions {
    /// The page-load and print parameters PDF.co's HTML and URL endpoints share.
    init(printing parameters: RequestParameters) throws {
        self.init()
        if let size = parameters.string("paperSize"), !size.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let (width, height) = PaperSize.inches(size) else {
                throw APIError.badParameter(
                    "paperSize",
                    "use Letter, Legal, Tabloid, Ledger, A0 to A6, or a width and height such as '200mm 300mm' (px, mm, cm or in).")
            }
            (paperWidth, paperHeight) = (width, height)
        }
        if let orientation = parameters.string("orientation")?.trimmingCharacters(in: .whitespaces).lowercased(), !orientation.isEmpty {
            guard orientation == "portrait" || orientation == "landscape" else {
                throw APIError.badParameter("orientation", "use Portrait or Landscape.")
            }
            // Landscape turns the sheet: its long side runs across.
            let (short, long) = (min(paperWidth, paperHeight), max(paperWidth, paperHeight))
            (paperWidth, paperHeight) = orientation == "landscape" ? (long, short) : (short, long)
        }
        if let text = parameters.string("margins"), !text.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let margins = PaperSize.margins(text) else {
                throw APIError.badParameter("margins", "use one to four lengths such as '10px' or '10mm 5mm 10mm 5mm' (px, mm, cm or in).")
            }
            // Top + bottom and left + right must leave a strip of the sheet (Chromium fails otherwise).
            guard margins[0] + margins[2] < paperHeight - 0.1, margins[1] + margins[3] < paperWidth - 0.1 else {
                throw APIError.badParameter("margins", "they leave no room on the page.")
            }
            self.margins = margins
        }
        printBackground = try parameters.bool("printBackground", default: true)
        if let media = parameters.string("mediaType")?.trimmingCharacters(in: .whitespaces).lowercased(), !media.isEmpty {
            switch media {
            case "print", "screen": mediaType = media
            case "none": mediaType = nil
            default: throw APIError.badParameter("mediaType", "use print, screen or none.")
            }
        }
        header = try Self.template(parameters, "header")
        footer = try Self.template(parameters, "footer")
        try readWaits(parameters)
    }

    /// `DoNotWaitFullLoad` (PDF.co), `waitForExpression` and `waitDelay` (Quire's, as Gotenberg's).
    mutating func readWaits(_ parameters: RequestParameters) throws {
        waitsForFullLoad = !(try parameters.bool("DoNotWaitFullLoad", default: false))
        if let expression = parameters.string("waitForExpression"), !expression.trimmingCharacters(in: .whitespaces).isEmpty {
            guard expression.utf8.count <= 4096 else { throw APIError.badParameter("waitForExpression", "it is longer than 4 KB.") }
            waitExpression = expression
        }
        waitDelayMilliseconds = try parameters.int("waitDelay", default: 0, range: 0...60_000)
    }

    /// Header and footer HTML: Chromium lays each out in the margin; 1 MB is far more than any needs.
    private static func template(_ parameters: RequestParameters, _ name: String) throws -> String? {
        guard let text = parameters.string(name), !text.isEmpty else { return nil }
        guard text.utf8.count <= 1_048_576 else { throw APIError.badParameter(name, "it is longer than 1 MB.") }
        return text
    }

    /// `url`: an http or https address (scheme-less ones get https, as PDF.co does).
    static func pageURL(_ parameters: RequestParameters) throws -> String {
        guard var text = parameters.string("url")?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            throw APIError.missing("url", "Pass the address of the web page.")
        }
        if !text.contains("://") { text = "https://" + text }
        guard text.utf8.count <= 8192, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", url.host?.isEmpty == false
        else {
            throw APIError(448, "Invalid URL or HTML: 'url' must be an http or https address.")
        }
        return url.absoluteString
    }

    /// PDF.co names a page's result after its host: `www-wikipedia-org.png`.
    static func defaultName(for url: String, extension ext: String) -> String {
        let host = URL(string: url)?.host ?? "page"
        return OutputName.sanitize(host.replacingOccurrences(of: ".", with: "-"), extension: ext)
    }

    static func screenshot(
        _ parameters: RequestParameters, _ request: inout ConversionRequest, extension ext: String
    ) throws -> BrowserOptions {
        var options = BrowserOptions()
        options.mediaType = "screen"
        options.pageURL = try pageURL(parameters)
        options.viewportWidth = try parameters.int("width", default: options.viewportWidth, range: 16...8192)
        options.viewportHeight = try parameters.int("height", default: options.viewportHeight, range: 16...8192)
        try options.readWaits(parameters)
        if request.requestedName == nil { request.outputName = defaultName(for: options.pageURL!, extension: ext) }
        return options
    }
}

/// PDF.co's paper sizes and lengths (px at 96 per inch, mm, cm, in), in inches.
enum PaperSize {
    static let named: [String: (Double, Double)] = [
        "letter": (8.5, 11), "legal": (8.5, 14), "tabloid": (11, 17), "ledger": (17, 11),
        "a0": (33.11, 46.81), "a1": (23.39, 33.11), "a2": (16.54, 23.39), "a3": (11.69, 16.54),
        "a4": (8.27, 11.69), "a5": (5.83, 8.27), "a6": (4.13, 5.83),
    ]

    /// `A4`, `Letter`…, or a width and height: `200 300`, `200mm 300mm`, `6in 8in`, `200x300`.
    static func inches(_ text: String) -> (Double, Double)? {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let size = named[key] { return size }
        let parts = key.split(whereSeparator: { $0 == " " || $0 == "x" || $0 == "," }).map(String.init)
        guard parts.count == 2, let width = length(parts[0]), let height = length(parts[1]) else { return nil }
        // From a business card to a poster: Chromium refuses what is outside.
        guard (1...200).contains(width), (1...200).contains(height) else { return nil }
        return (width, height)
    }

    /// CSS-style margins, one to four lengths: top right bottom left.
    static func margins(_ text: String) -> [Double]? {
        let values = text.split(whereSeparator: { $0 == " " || $0 == "," }).map { length(String($0)) }
        guard (1...4).contains(values.count), values.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
        let v = values.map { $0! }
        switch v.count {
        case 1: return [v[0], v[0], v[0], v[0]]
        case 2: return [v[0], v[1], v[0], v[1]]
        case 3: return [v[0], v[1], v[2], v[1]]
        default: return v
        }
    }

    /// One length in inches; a bare number is pixels (96 per inch), as PDF.co reads `200 300`.
    static func length(_ text: String) -> Double? {
        let units: [(String, Double)] = [("px", 1.0 / 96), ("mm", 1 / 25.4), ("cm", 1 / 2.54), ("in", 1), ("pt", 1.0 / 72)]
        var number = text.trimmingCharacters(in: .whitespaces).lowercased()
        var scale = 1.0 / 96
        for (unit, factor) in units where number.hasSuffix(unit) {
            number = String(number.dropLast(unit.count))
            scale = factor
            break
        }
        guard let value = Double(number), value.isFinite, value >= 0, value < 100_000 else { return nil }
        return value * scale
    }
}
