// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

extension OfficeFormat {
    /// Whether `data` is plainly no office document, by its signature: a PDF, an image, an
    /// executable or an archive. Such files are refused without asking LibreOffice, which would
    /// import many of them (PDFs and images as drawings, anything as text).
    package static func isClearlyNotADocument(_ data: Data) -> Bool {
        if ImageFormat.detect(data) != nil { return true }
        if data.prefix(1024).range(of: Data("%PDF-".utf8)) != nil { return true }
        let head = [UInt8](data.prefix(16))
        if signatures.contains(where: { head.starts(with: $0) }) { return true }
        // A ZIP that is no OOXML or OpenDocument file (detect found none) is an archive.
        if head.starts(with: [0x50, 0x4B]) { return true }
        // tar: "ustar" at offset 257.
        if data.count > 262, data[data.startIndex + 257..<data.startIndex + 262] == Data("ustar".utf8) { return true }
        // ISO media (HEIC, AVIF, MP4): "ftyp" after a 4-byte box size.
        if data.count > 8, data[data.startIndex + 4..<data.startIndex + 8] == Data("ftyp".utf8) { return true }
        // EMF: " EMF" at offset 40.
        if data.count > 44, data[data.startIndex + 40..<data.startIndex + 44] == Data(" EMF".utf8) { return true }
        return false
    }

    private static let signatures: [[UInt8]] = [
        // Executables: ELF, PE ("MZ"), Mach-O (both byte orders, 32/64 bit), Java class or
        // universal Mach-O, WebAssembly.
        [0x7F, 0x45, 0x4C, 0x46], [0x4D, 0x5A], [0xFE, 0xED, 0xFA, 0xCE], [0xFE, 0xED, 0xFA, 0xCF],
        [0xCE, 0xFA, 0xED, 0xFE], [0xCF, 0xFA, 0xED, 0xFE], [0xCA, 0xFE, 0xBA, 0xBE], [0x00, 0x61, 0x73, 0x6D],
        // Archives and compressed streams: gzip, bzip2, xz, 7-Zip, RAR, zstd, CAB, LZ4, ar (.deb).
        [0x1F, 0x8B], Array("BZh".utf8), [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C],
        Array("Rar!".utf8), [0x28, 0xB5, 0x2F, 0xFD], Array("MSCF".utf8), [0x04, 0x22, 0x4D, 0x18], Array("!<arch>".utf8),
        // Images LibreOffice Draw would import: WMF (placeable), ICO, Photoshop, JPEG 2000 (not
        // CUR, 00 00 02 00: Lotus 1-2-3 worksheets start so).
        [0xD7, 0xCD, 0xC6, 0x9A], [0x00, 0x00, 0x01, 0x00], Array("8BPS".utf8),
        [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20], [0xFF, 0x4F, 0xFF, 0x51],
    ]
}
