// SPDX-License-Identifier: AGPL-3.0-or-later
import CMuPDF
import Foundation

/// PNG row filtering before Flate, as PNG encoders do: per row the filter (None, Sub, Up, Average,
/// Paeth) with the smallest sum of absolute values. Photos shrink to a third or less compared
/// with plain Flate; PDF readers undo it through `/DecodeParms << /Predictor 15 … >>`.
enum PNGPredictor {
    /// Filtered rows (each prefixed by its filter type byte) of 8- or 16-bit samples.
    static func encode(_ samples: Data, width: Int, components: Int, bitsPerComponent: Int) throws -> Data {
        let bpp = components * bitsPerComponent / 8
        let rowBytes = width * bpp
        guard rowBytes > 0 else { return samples }
        let rows = samples.count / rowBytes
        let (output, status) = samples.transformed(toCount: rows * (rowBytes + 1)) {
            cmupdf_png_filter_rows($0, rows, rowBytes, bpp, $1)
        }
        guard status == CMUPDF_OK else { throw EngineError.failed("Out of memory filtering image rows.") }
        return output
    }

    /// Filtered and deflated samples plus the dictionary entries that describe them.
    static func flateStream(_ samples: Data, width: Int, components: Int, bitsPerComponent: Int) throws -> (entries: String, data: Data) {
        let filtered = try encode(samples, width: width, components: components, bitsPerComponent: bitsPerComponent)
        let entries =
            "/BitsPerComponent \(bitsPerComponent) /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors \(components) "
            + "/BitsPerComponent \(bitsPerComponent) /Columns \(width) >>"
        return (entries, try ImageCodec.deflate(filtered))
    }
}
