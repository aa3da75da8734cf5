// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

extension Data {
    /// `count` new bytes that `fill` writes from these bytes (one of png_filters.c's loops), and
    /// the status `fill` returned.
    func transformed(
        toCount count: Int, _ fill: (UnsafePointer<UInt8>?, UnsafeMutablePointer<UInt8>?) -> Int32
    ) -> (data: Data, status: Int32) {
        var output = Data(count: count)
        let status = withUnsafeBytes { input in
            output.withUnsafeMutableBytes { fill(input.bindMemory(to: UInt8.self).baseAddress, $0.bindMemory(to: UInt8.self).baseAddress) }
        }
        return (output, status)
    }
}
