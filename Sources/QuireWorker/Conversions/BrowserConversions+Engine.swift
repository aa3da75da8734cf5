// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

extension HTMLToPDFConversion: BrowserHosted {
    package static func run(_ options: BrowserOptions, _ call: EngineCall, _ browser: BrowserEngines) throws -> EngineResponse {
        let html = options.html ?? ""
        guard let data = options.templateData else { return try browser.printPDF(.html(html), options, to: try call.outputURL()) }
        return try browser.printPDF(
            .html(try HTMLTemplate.page(template: html, data: data)), options, to: try call.outputURL(), merging: true)
    }
}

extension URLToPDFConversion: BrowserHosted {
    package static func run(_ options: BrowserOptions, _ call: EngineCall, _ browser: BrowserEngines) throws -> EngineResponse {
        try browser.printPDF(.url(options.pageURL ?? ""), options, to: try call.outputURL())
    }
}

extension URLToPNGConversion: BrowserHosted {
    package static func run(_ options: BrowserOptions, _ call: EngineCall, _ browser: BrowserEngines) throws -> EngineResponse {
        try browser.screenshot(options, format: "png", to: try call.outputURL())
    }
}

extension URLToJPGConversion: BrowserHosted {
    package static func run(_ options: BrowserOptions, _ call: EngineCall, _ browser: BrowserEngines) throws -> EngineResponse {
        try browser.screenshot(options, format: "jpeg", to: try call.outputURL())
    }
}

extension BrowserEngines {
    /// Loads `source` and prints it as `options` say.
    /// `merging`: the page merges a template as it loads (`HTMLTemplate`); its error fails the job.
    func printPDF(_ source: BrowserPage.Source, _ options: BrowserOptions, to output: URL, merging: Bool = false) throws -> EngineResponse {
        try withPage { page, deadline in
            try page.load(
                source, media: options.mediaType, viewport: nil, waitsForFullLoad: options.waitsForFullLoad,
                until: options.waitExpression, delay: .milliseconds(options.waitDelayMilliseconds), deadline: deadline)
            if merging, let error = try page.evaluate(HTMLTemplate.errorExpression, deadline: deadline) as? String, !error.isEmpty {
                throw EngineError.invalidTemplate(String(error.prefix(500)))
            }
            try page.printPDF(Self.printParameters(options), to: output, deadline: deadline)
        }
        return EngineResponse(pageCount: try pageCount(of: output))
    }

    func screenshot(_ options: BrowserOptions, format: String, to output: URL) throws -> EngineResponse {
        try withPage { page, deadline in
            try page.load(
                .url(options.pageURL ?? ""), media: options.mediaType, viewport: (options.viewportWidth, options.viewportHeight),
                waitsForFullLoad: options.waitsForFullLoad, until: options.waitExpression,
                delay: .milliseconds(options.waitDelayMilliseconds), deadline: deadline)
            try page.screenshot(format: format, quality: options.jpegQuality, to: output, deadline: deadline)
        }
        return EngineResponse()
    }

    /// `Page.printToPDF`'s parameters: sizes in inches; a header or footer turns both on (the
    /// other one empty, or Chromium would print its own date and title there).
    static func printParameters(_ options: BrowserOptions) -> DevToolsConnection.Message {
        var parameters: DevToolsConnection.Message = [
            "paperWidth": options.paperWidth, "paperHeight": options.paperHeight, "printBackground": options.printBackground,
            "preferCSSPageSize": false,
        ]
        if let margins = options.margins, margins.count == 4 {
            parameters["marginTop"] = margins[0]
            parameters["marginRight"] = margins[1]
            parameters["marginBottom"] = margins[2]
            parameters["marginLeft"] = margins[3]
        }
        if options.header != nil || options.footer != nil {
            parameters["displayHeaderFooter"] = true
            parameters["headerTemplate"] = options.header ?? "<span></span>"
            parameters["footerTemplate"] = options.footer ?? "<span></span>"
        }
        return parameters
    }
}
