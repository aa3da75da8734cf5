// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Decodes base64 text fed in pieces and writes the bytes to a file, holding at most one
/// buffer of output in memory. Accepts what PDF.co clients send: the standard and URL-safe
/// alphabets, line breaks, spaces that a form body made of `+`, missing padding.
final class Base64FileWriter {
    private let output: FileHandle
    private let maxBytes: Int
    private let tooLarge: () -> APIError
    /// Decoded bytes not yet written; raw memory because this loop runs per input byte, and in
    /// debug builds Array appends would make a 100 MB upload take minutes.
    private let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: Base64FileWriter.flushBytes + 4)
    private var buffered = 0
    private var quad: UInt32 = 0
    private var quadCount = 0
    private var paddingSeen = 0
    /// Bytes decoded so far.
    private(set) var size = 0

    private let table: UnsafePointer<UInt8>

    /// - Parameters:
    ///   - spaceIsPlus: a space stands for `+` (form bodies decode `+` to a space); else it is skipped.
    ///   - tooLarge: the error once more than `maxBytes` decoded bytes arrive.
    init(to file: URL, maxBytes: Int, spaceIsPlus: Bool = true, tooLarge: @escaping () -> APIError) throws {
        output = try ScratchFile.create(file)
        self.maxBytes = maxBytes
        self.tooLarge = tooLarge
        table = spaceIsPlus ? Self.formTable : Self.plainTable
    }

    deinit { buffer.deallocate() }

    private static let flushBytes = 1 << 20
    private static let skip: UInt8 = 64
    private static let padding: UInt8 = 65
    private static let invalid: UInt8 = 255

    /// Sextet values by byte; line breaks and tabs are skipped; a space is `+` or skipped.
    private static func makeTable(spaceIsPlus: Bool) -> UnsafePointer<UInt8> {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        table.initialize(repeating: invalid, count: 256)
        for (index, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        table[Int(UInt8(ascii: " "))] = spaceIsPlus ? 62 : skip
        for byte in "\r\n\t".utf8 { table[Int(byte)] = skip }
        table[Int(UInt8(ascii: "="))] = padding
        return UnsafePointer(table)
    }

    // Written once, before first use, then only read.
    nonisolated(unsafe) private static let formTable = makeTable(spaceIsPlus: true)
    nonisolated(unsafe) private static let plainTable = makeTable(spaceIsPlus: false)

    /// Decodes `bytes`.
    /// - Throws: `APIError` 400 for a character outside base64, `tooLarge` past the limit.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let start = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let table = self.table
        // Locals, stored back at the end: class properties cost an exclusivity check per access.
        var quad = self.quad
        var quadCount = self.quadCount
        var buffered = self.buffered
        defer {
            self.quad = quad
            self.quadCount = quadCount
            self.buffered = buffered
        }
        var index = 0
        while index < bytes.count {
            let value = table[Int(start[index])]
            index += 1
            if value < 64 {
                guard paddingSeen == 0 else { throw Self.notBase64() }
                quad = quad << 6 | UInt32(value)
                quadCount += 1
                if quadCount == 4 {
                    buffer[buffered] = UInt8(truncatingIfNeeded: quad >> 16)
                    buffer[buffered + 1] = UInt8(truncatingIfNeeded: quad >> 8)
                    buffer[buffered + 2] = UInt8(truncatingIfNeeded: quad)
                    buffered += 3
                    quad = 0
                    quadCount = 0
                    if buffered >= Self.flushBytes {
                        try flush(buffered)
                        buffered = 0
                    }
                }
            } else if value == Self.padding {
                paddingSeen += 1
            } else if value != Self.skip {
                throw Self.notBase64()
            }
        }
    }

    func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    /// Decodes what is left (a last group of 2 or 3 characters, padded or not) and closes the file.
    /// - Returns: the number of decoded bytes.
    func finish() throws -> Int {
        defer { try? output.close() }
        switch quadCount {
        case 0: break
        case 2:
            buffer[buffered] = UInt8(truncatingIfNeeded: quad >> 4)
            buffered += 1
        case 3:
            buffer[buffered] = UInt8(truncatingIfNeeded: quad >> 10)
            buffer[buffered + 1] = UInt8(truncatingIfNeeded: quad >> 2)
            buffered += 2
        default: throw Self.notBase64()
        }
        try flush(buffered)
        buffered = 0
        guard size > 0 else { throw APIError.badParameter("file", "it holds no data.") }
        return size
    }

    private func flush(_ count: Int) throws {
        size += count
        guard size <= maxBytes else { throw tooLarge() }
        try output.write(contentsOf: UnsafeRawBufferPointer(start: buffer, count: count))
    }

    private static func notBase64() -> APIError { APIError.badParameter("file", "it is not valid base64.") }
}
