// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

extension FileManager {
    /// The size of `file` in bytes, 0 when it cannot be read.
    package func sizeOfFile(at file: URL) -> Int {
        ((try? attributesOfItem(atPath: file.path)[.size]) as? NSNumber)?.intValue ?? 0
    }
}
