// SPDX-License-Identifier: AGPL-3.0-or-later
import CZint
import Foundation
import QuireCore

/// Barcode images through zint, which writes PNG and SVG itself.
package struct ZintBarcodeWriter: Sendable {
    package init() {}

    /// Writes `options.value` as `options.type` to `output` in `options.format`.
    /// - Throws: `EngineError.badParameter` when the value does not fit the type (zint's reason,
    ///   which names the rule and never a path), `.failed` when the file cannot be written.
    package func write(_ options: BarcodeGenerateOptions, to output: URL) throws(EngineError) {
        // zint picks the format from the file's extension.
        let target = output.deletingPathExtension().appendingPathExtension(options.format.rawValue)
        var value = options.value
        if options.type == .codabar, let first = value.first, !"ABCDabcd".contains(first) {
            // Codabar needs start and stop characters; readers leave them out of the value, so a
            // value given without them reads back as given.
            value = "A\(value)A"
        }
        var symbology = options.type.zintSymbology
        if options.type == .ean8 || options.type == .ean13 {
            // zint's EANX picks EAN-8 or EAN-13 by length (7 or 12 digits, the check digit added);
            // EANX_CHK takes 8 or 13 with the check digit. Any other length would silently make
            // the other type (8 digits under EANX become an EAN-13).
            let lengths = options.type == .ean8 ? [7, 8] : [12, 13]
            guard value.allSatisfy(\.isASCIIDigit), lengths.contains(value.count) else {
                throw EngineError.badParameter(
                    "Invalid 'value' for \(options.type.rawValue): use \(lengths[0]) digits, or \(lengths[1]) with the check digit.")
            }
            if value.count == lengths[1] { symbology = 14 }
        }
        if options.type == .dataBarExpanded {
            // Readers show GS1 application identifiers in parentheses; zint wants brackets.
            value = value.replacingOccurrences(of: "(", with: "[").replacingOccurrences(of: ")", with: "]")
        }
        let option1 = options.type == .qrCode ? Int32(options.qrErrorCorrection?.level ?? -1) : -1
        // zint's raster module is 2 pixels at scale 1.
        let scale = Float(options.narrowBarWidth) / 2
        let bytes = Array(value.utf8)
        var message = [CChar](repeating: 0, count: 160)
        let status = czint_write(
            symbology, bytes, Int32(bytes.count), option1, scale, options.showCaption ? 1 : 0, Int32(options.angle),
            target.path, &message, message.count)
        let reason = String(cString: message)
        switch Int(status) {
        case Int(CZINT_OK): break
        case Int(CZINT_ERR_DATA), Int(CZINT_ERR_OPTION):
            throw EngineError.badParameter("Invalid 'value' for \(options.type.rawValue): \(Self.clientText(reason))")
        default:
            throw EngineError.failed("Could not write the barcode image.")
        }
        guard target != output else { return }
        do {
            try? FileManager.default.removeItem(at: output)
            try FileManager.default.moveItem(at: target, to: output)
        } catch {
            throw EngineError.failed("Could not write the barcode image.")
        }
    }

    /// zint's "Error 775: Symbol size too big…" without the number, which means nothing to a client.
    static func clientText(_ reason: String) -> String {
        guard let colon = reason.firstIndex(of: ":"), reason.hasPrefix("Error ") || reason.hasPrefix("Warning ") else {
            return reason.isEmpty ? "zint refused it." : reason
        }
        return reason[reason.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
