// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Image file formats accepted by images → PDF, told apart by their magic bytes.
package enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg, png, gif, bmp, tiff, webp

    package static func detect(_ data: Data) -> ImageFormat? {
        let b = [UInt8](data.prefix(12))
        if b.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if b.starts(with: Array("GIF87a".utf8)) || b.starts(with: Array("GIF89a".utf8)) { return .gif }
        if b.starts(with: Array("BM".utf8)) { return .bmp }
        if b.starts(with: [0x49, 0x49, 0x2A, 0x00]) || b.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if b.count == 12, b.starts(with: Array("RIFF".utf8)), Array(b[8..<12]) == Array("WEBP".utf8) { return .webp }
        return nil
    }
}

/// Big-endian reads over `Data` with bounds checks (headers come from clients).
extension Data {
    func uint16BE(at offset: Int) -> Int? {
        guard offset >= 0, offset + 2 <= count else { return nil }
        let base = startIndex + offset
        return Int(self[base]) << 8 | Int(self[base + 1])
    }

    func uint32BE(at offset: Int) -> Int? {
        guard let high = uint16BE(at: offset), let low = uint16BE(at: offset + 2) else { return nil }
        return high << 16 | low
    }

    func byte(at offset: Int) -> Int? {
        guard offset >= 0, offset < count else { return nil }
        return Int(self[startIndex + offset])
    }

    func slice(_ offset: Int, _ length: Int) -> Data? {
        guard offset >= 0, length >= 0, offset + length <= count else { return nil }
        return self[(startIndex + offset)..<(startIndex + offset + length)]
    }
}
