// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore

extension BarcodeType {
    /// zint's BARCODE_ number (zint.h).
    var zintSymbology: Int32 {
        switch self {
        case .qrCode: 58
        case .dataMatrix: 71
        case .pdf417: 55
        case .aztec: 92
        case .code128: 20
        case .code39: 8
        case .code93: 25
        case .codabar: 18
        case .ean13, .ean8: 13
        case .upcA: 34
        case .upcE: 37
        case .interleaved2of5: 3
        case .dataBar: 29
        case .dataBarExpanded: 31
        }
    }

    /// zxing-cpp's BarcodeFormat bit (BarcodeFormat.h). EAN-13 and EAN-8 share zint's number
    /// but not this one.
    var zxingFormat: Int32 {
        switch self {
        case .aztec: 1 << 0
        case .codabar: 1 << 1
        case .code39: 1 << 2
        case .code93: 1 << 3
        case .code128: 1 << 4
        case .dataBar: 1 << 5
        case .dataBarExpanded: 1 << 6
        case .dataMatrix: 1 << 7
        case .ean8: 1 << 8
        case .ean13: 1 << 9
        case .interleaved2of5: 1 << 10
        case .pdf417: 1 << 12
        case .qrCode: 1 << 13
        case .upcA: 1 << 14
        case .upcE: 1 << 15
        }
    }

    /// The type of a zxing-cpp format bit; nil for one Quire does not report (MaxiCode, Micro QR).
    init?(zxingFormat: Int32) {
        guard let type = Self.allCases.first(where: { $0.zxingFormat == zxingFormat }) else { return nil }
        self = type
    }
}
