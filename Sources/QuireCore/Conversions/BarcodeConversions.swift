// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// The barcode symbologies Quire writes (zint) and reads (zxing-cpp), by PDF.co's type names.
/// Only those both engines handle are listed, so every type that can be generated can be read.
package enum BarcodeType: String, Sendable, Codable, CaseIterable {
    case qrCode = "QRCode"
    case dataMatrix = "DataMatrix"
    case pdf417 = "PDF417"
    case aztec = "Aztec"
    case code128 = "Code128"
    case code39 = "Code39"
    case code93 = "Code93"
    case codabar = "Codabar"
    case ean13 = "EAN13"
    case ean8 = "EAN8"
    case upcA = "UPCA"
    case upcE = "UPCE"
    case interleaved2of5 = "Interleaved2of5"
    case dataBar = "GS1DataBarOmnidirectional"
    case dataBarExpanded = "GS1DataBarExpanded"

    /// The type named `name`, case-insensitively (PDF.co's names, plus a few common spellings).
    package init?(named name: String) {
        let key = name.trimmingCharacters(in: .whitespaces).lowercased()
        let aliases: [String: BarcodeType] = [
            "qr": .qrCode, "itf": .interleaved2of5, "i2of5": .interleaved2of5, "gs1databar": .dataBar,
            "databar": .dataBar, "databarexpanded": .dataBarExpanded, "upc-a": .upcA, "upc-e": .upcE, "ean-13": .ean13,
            "ean-8": .ean8,
        ]
        guard let type = Self.allCases.first(where: { $0.rawValue.lowercased() == key }) ?? aliases[key] else { return nil }
        self = type
    }

    /// `Type` in the reader's answer: a number per type. PDF.co's are ByteScout's own and not
    /// documented; these are Quire's, stable (never renumbered).
    package var number: Int {
        switch self {
        case .qrCode: 16
        case .dataMatrix: 15
        case .pdf417: 14
        case .aztec: 17
        case .code128: 4
        case .code39: 2
        case .code93: 6
        case .codabar: 1
        case .ean13: 10
        case .ean8: 9
        case .upcA: 11
        case .upcE: 12
        case .interleaved2of5: 7
        case .dataBar: 20
        case .dataBarExpanded: 21
        }
    }

    /// PDF.co type names this server knows but cannot read or write (a 400 names them as such,
    /// not as unknown).
    package static let unsupportedPDFCoNames: Set<String> = [
        "australianpostcode", "circulari2of5", "codablockf", "code16k", "code39extended", "code39mod43",
        "code39mod43extended", "ean2", "ean5", "gs1", "gs1databarexpandedstacked", "gs1databarlimited",
        "gs1databarstacked", "gtin12", "gtin13", "gtin14", "gtin8", "intelligentmail", "itf14", "maxicode", "micr",
        "micropdf", "msi", "patchcode", "pharmacode", "postnet", "pzn", "royalmail", "royalmailkix", "trioptic", "upu",
        "checkbox", "radiobox", "segment", "underlinedfield", "rectangle", "oval", "horizontalline", "verticalline",
        "borderedtable",
    ]
}

/// The image format of a generated barcode.
package enum BarcodeImageFormat: String, Sendable, Codable, CaseIterable {
    case png, svg
}

/// QR Code's error correction level (`QRErrorCorrectionLevel` in `profiles`).
package enum QRErrorCorrection: String, Sendable, Codable, CaseIterable {
    case low = "Low", medium = "Medium", quarter = "Quarter", high = "High"

    /// zint's `option_1` for QR Code (1 = L … 4 = H).
    package var level: Int {
        switch self {
        case .low: 1
        case .medium: 2
        case .quarter: 3
        case .high: 4
        }
    }
}

/// Options of `/barcode/generate`.
package struct BarcodeGenerateOptions: ConversionOptions {
    /// Longest `value` taken, in bytes of UTF-8: more than the largest symbol holds (QR Code:
    /// 2953 bytes; PDF417: 1850 characters), so a longer value is refused before it reaches zint.
    package static let maxValueBytes = 3000

    package var value = ""
    package var type = BarcodeType.qrCode
    package var format = BarcodeImageFormat.png
    /// nil: zint's default for the type (QR Code: chosen by size, at least L).
    package var qrErrorCorrection: QRErrorCorrection?
    /// Clockwise rotation in degrees: 0, 90, 180 or 270 (`Angle` in `profiles`).
    package var angle = 0
    /// Width of the narrowest bar or module in pixels (`NarrowBarWidth` in `profiles`), 1…20.
    package var narrowBarWidth = 3
    /// The human-readable text under linear codes (`ShowCaption`/`CaptionVisible` in `profiles`).
    package var showCaption = true

    package init() {}
}

/// Options of `/barcode/read/from/url`.
package struct BarcodeReadOptions: ConversionOptions {
    /// Highest resolution pages are rendered at; smaller codes need more dots per module.
    package static let defaultDPI = 300.0

    /// The types to look for; empty: all.
    package var types: [BarcodeType] = []
    /// Faster, fewer passes: no rotated or downscaled copies (`FastMode` in `profiles`).
    package var fastMode = false
    /// At most this many codes per page (`MaxNumberOfBarcodesPerPage` in `profiles`); 0: no limit.
    package var maxPerPage = 0
    /// Resolution PDF pages are rendered at (`RenderingResolution` in `profiles`), 72…600.
    package var dpi = defaultDPI
    /// The input's URL, repeated in each answer's `File` as PDF.co does.
    package var file = ""

    package init() {}
}

/// Makes a barcode image from `value` (no input file).
package enum BarcodeGenerateConversion: Conversion {
    package typealias Options = BarcodeGenerateOptions
    package static let operation = JobOperation.barcodeGenerate
    package static let paths = ["/barcode/generate"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.file(extension: "png")
    package static let input = InputShape.none
    package static let usesPages = false
    package static let commandName: String? = "barcode-generate"
}

/// Finds and decodes the barcodes of a PDF's pages or of an image.
package enum BarcodeReadConversion: Conversion {
    package typealias Options = BarcodeReadOptions
    package static let operation = JobOperation.barcodeRead
    package static let paths = ["/barcode/read/from/url"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.fields
    package static let commandName: String? = "barcode-read"
    /// A long PDF's pages are read on several hosts at once (images are read in one).
    package static var fansOutPages: Bool { true }
}

extension JobOperation {
    package static let barcodeGenerate = JobOperation("barcode.generate")
    package static let barcodeRead = JobOperation("barcode.read")
}
