// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// What a PDF needs to embed a JPEG as it is (DCTDecode): size, components, resolution,
/// orientation, and whether Adobe-style inverted CMYK is used.
struct JPEGHeader {
    var width = 0
    var height = 0
    var components = 0
    var bitsPerComponent = 8
    var dpi: (x: Double, y: Double)?
    /// EXIF orientation 1…8 (1 when absent).
    var orientation = 1
    /// An Adobe APP14 segment: Photoshop writes CMYK inverted, so the PDF needs /Decode [1 0 …].
    var hasAdobeMarker = false

    /// Parses markers up to the first SOFn. - Returns: nil when the file is not a usable JPEG.
    init?(_ data: Data) {
        var offset = 2
        while offset + 4 <= data.count {
            guard data.byte(at: offset) == 0xFF, let marker = data.byte(at: offset + 1) else { return nil }
            if marker == 0xFF { offset += 1; continue }  // fill byte
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { offset += 2; continue }
            guard let length = data.uint16BE(at: offset + 2), length >= 2 else { return nil }
            let segment = offset + 4
            switch marker {
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                guard let bits = data.byte(at: segment), let height = data.uint16BE(at: segment + 1),
                    let width = data.uint16BE(at: segment + 3), let components = data.byte(at: segment + 5)
                else { return nil }
                self.bitsPerComponent = bits
                self.width = width
                self.height = height
                self.components = components
                guard width > 0 && height > 0 && [1, 3, 4].contains(components) else { return nil }
                return
            case 0xE0:
                readJFIF(data, at: segment)
            case 0xE1:
                if let exif = data.slice(segment, length - 2) { readExif(exif) }
            case 0xEE:
                hasAdobeMarker = data.slice(segment, 5) == Data("Adobe".utf8)
            case 0xDA, 0xD9:
                return nil  // scan data before any frame header
            default:
                break
            }
            offset += 2 + length
        }
        return nil
    }

    private mutating func readJFIF(_ data: Data, at segment: Int) {
        guard data.slice(segment, 5) == Data("JFIF\0".utf8), let units = data.byte(at: segment + 7),
            let x = data.uint16BE(at: segment + 8), let y = data.uint16BE(at: segment + 10), x > 0, y > 0
        else { return }
        if units == 1 { dpi = (Double(x), Double(y)) }
        if units == 2 { dpi = (Double(x) * 2.54, Double(y) * 2.54) }
    }

    /// EXIF: the orientation tag (0x0112) and, when JFIF gave none, X/YResolution (0x011A/B).
    private mutating func readExif(_ exif: Data) {
        guard exif.slice(0, 6) == Data("Exif\0\0".utf8), let tiff = exif.slice(6, exif.count - 6) else { return }
        let little = tiff.slice(0, 2) == Data("II".utf8)
        func u16(_ at: Int) -> Int? { tiff.uint16BE(at: at).map { little ? (($0 & 0xFF) << 8 | $0 >> 8) : $0 } }
        func u32(_ at: Int) -> Int? {
            guard let a = u16(at), let b = u16(at + 2) else { return nil }
            return little ? (b << 16 | a) : (a << 16 | b)
        }
        guard let ifd = u32(4), let entries = u16(ifd) else { return }
        var resolution: (x: Double?, y: Double?, unit: Int) = (nil, nil, 2)
        for index in 0..<min(entries, 64) {
            let entry = ifd + 2 + index * 12
            guard let tag = u16(entry) else { return }
            switch tag {
            case 0x0112: if let value = u16(entry + 8), (1...8).contains(value) { orientation = value }
            case 0x011A, 0x011B:
                if let at = u32(entry + 8), let numerator = u32(at), let denominator = u32(at + 4), denominator > 0 {
                    let value = Double(numerator) / Double(denominator)
                    if tag == 0x011A { resolution.x = value } else { resolution.y = value }
                }
            case 0x0128: if let unit = u16(entry + 8) { resolution.unit = unit }
            default: break
            }
        }
        if dpi == nil, let x = resolution.x, let y = resolution.y, x > 0, y > 0, resolution.unit == 2 || resolution.unit == 3 {
            dpi = resolution.unit == 3 ? (x * 2.54, y * 2.54) : (x, y)
        }
    }
}
