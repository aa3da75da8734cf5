// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// PNG row filtering before Flate, as PNG encoders do: per row the filter (None, Sub, Up, Average,
/// Paeth) with the smallest sum of absolute values. Photos shrink to a third or less compared
/// with plain Flate; PDF readers undo it through `/DecodeParms << /Predictor 15 … >>`.
enum PNGPredictor {
    /// The value PNG filter `filter` (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth) predicts from the
    /// byte to the left, the one above and the one above-left (PNG spec, section 9).
    @inline(__always)
    static func predict(_ filter: Int, left a: Int, up b: Int, upLeft c: Int) -> Int {
        switch filter {
        case 1: return a
        case 2: return b
        case 3: return (a + b) / 2
        case 4:
            let p = a + b - c
            let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
            return pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
        default: return 0
        }
    }

    /// Filtered rows (each prefixed by its filter type byte) of 8- or 16-bit samples.
    static func encode(_ samples: Data, width: Int, components: Int, bitsPerComponent: Int) -> Data {
        let bpp = components * bitsPerComponent / 8
        let rowBytes = width * bpp
        guard rowBytes > 0 else { return samples }
        let rows = samples.count / rowBytes
        let input = [UInt8](samples)
        var output = [UInt8](repeating: 0, count: rows * (rowBytes + 1))
        var candidate = [UInt8](repeating: 0, count: rowBytes)
        var best = [UInt8](repeating: 0, count: rowBytes)
        for row in 0..<rows {
            let base = row * rowBytes
            var bestScore = Int.max
            var bestFilter: UInt8 = 0
            for filter in 0...4 {
                var score = 0
                for i in 0..<rowBytes {
                    let x = Int(input[base + i])
                    let a = i >= bpp ? Int(input[base + i - bpp]) : 0
                    let b = row > 0 ? Int(input[base - rowBytes + i]) : 0
                    let c = (i >= bpp && row > 0) ? Int(input[base - rowBytes + i - bpp]) : 0
                    let value = UInt8((x - predict(filter, left: a, up: b, upLeft: c)) & 0xFF)
                    candidate[i] = value
                    score += value < 128 ? Int(value) : 256 - Int(value)
                }
                if score < bestScore {
                    bestScore = score
                    bestFilter = UInt8(filter)
                    swap(&best, &candidate)
                }
            }
            let out = row * (rowBytes + 1)
            output[out] = bestFilter
            output.replaceSubrange((out + 1)...(out + rowBytes), with: best)
        }
        return Data(output)
    }

    /// Filtered and deflated samples plus the dictionary entries that describe them.
    static func flateStream(_ samples: Data, width: Int, components: Int, bitsPerComponent: Int) throws -> (entries: String, data: Data) {
        let filtered = encode(samples, width: width, components: components, bitsPerComponent: bitsPerComponent)
        let entries =
            "/BitsPerComponent \(bitsPerComponent) /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors \(components) "
            + "/BitsPerComponent \(bitsPerComponent) /Columns \(width) >>"
        return (entries, try ImageCodec.deflate(filtered))
    }
}
