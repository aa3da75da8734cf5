// SPDX-License-Identifier: AGPL-3.0-or-later

/// Options of the conversions a browser host runs: what to load, how to wait, how to print.
package struct BrowserOptions: ConversionOptions {
    /// Inline HTML (`html`), or nil when `pageURL` is loaded.
    package var html: String?
    /// `templateData`: JSON merged into `html` as a Handlebars template; nil: `html` as it is.
    package var templateData: String?
    /// The web page (`url` of `/pdf/convert/from/url` and `/url/convert/to/*`).
    package var pageURL: String?
    /// Paper width and height in inches (`paperSize`, A4 by default, `orientation` applied).
    package var paperWidth = 8.27
    package var paperHeight = 11.69
    /// Margins in inches, top right bottom left (`margins`); nil: Chromium's own (1 cm).
    package var margins: [Double]?
    package var printBackground = true
    /// `mediaType`: "print" (default), "screen", or nil for none.
    package var mediaType: String? = "print"
    /// `header` / `footer` HTML, with Chromium's classes (`pageNumber`, `totalPages`, `date`, `title`, `url`).
    package var header: String?
    package var footer: String?
    /// Wait for `load` and every request of the page (`DoNotWaitFullLoad` false, the default).
    package var waitsForFullLoad = true
    /// Quire's own (as Gotenberg's): after the page is ready, wait until this JavaScript
    /// expression is true (`waitForExpression`)…
    package var waitExpression: String?
    /// …and then this many milliseconds more (`waitDelay`).
    package var waitDelayMilliseconds = 0
    /// Screenshot viewport (`width`, `height`).
    package var viewportWidth = 1366
    package var viewportHeight = 768
    /// JPEG quality of `/url/convert/to/jpg`.
    package var jpegQuality = 85

    package init() {}
}

/// What browser conversions share: a browser host, no input file (the parameters name the page).
package protocol BrowserConversion: Conversion where Options == BrowserOptions {}

extension BrowserConversion {
    package static var host: HostKind { .browser }
    package static var input: InputShape { .none }
    package static var usesPages: Bool { false }
}

/// HTML → PDF (`/pdf/convert/from/html`).
package enum HTMLToPDFConversion: BrowserConversion {
    package static let operation = JobOperation.htmlToPDF
    package static let paths = ["/pdf/convert/from/html"]
    package static let result = ResultKind.file(extension: "pdf")
}

/// A web page → PDF (`/pdf/convert/from/url`).
package enum URLToPDFConversion: BrowserConversion {
    package static let operation = JobOperation.urlToPDF
    package static let paths = ["/pdf/convert/from/url"]
    package static let result = ResultKind.file(extension: "pdf")
}

/// A web page → PNG (`/url/convert/to/png`).
package enum URLToPNGConversion: BrowserConversion {
    package static let operation = JobOperation.urlToPNG
    package static let paths = ["/url/convert/to/png"]
    package static let result = ResultKind.file(extension: "png")
}

/// A web page → JPEG (`/url/convert/to/jpg`).
package enum URLToJPGConversion: BrowserConversion {
    package static let operation = JobOperation.urlToJPG
    package static let paths = ["/url/convert/to/jpg"]
    package static let result = ResultKind.file(extension: "jpg")
}

extension JobOperation {
    package static let htmlToPDF = JobOperation("html.to-pdf")
    package static let urlToPDF = JobOperation("url.to-pdf")
    package static let urlToPNG = JobOperation("url.to-png")
    package static let urlToJPG = JobOperation("url.to-jpg")
}
