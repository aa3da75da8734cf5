// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// A folder that serves one job after another: emptied between jobs rather than made and
/// removed for each. A folder per job costs an inode allocated and freed every time; on ext4
/// without a journal each later file creation then scans past the recently freed inodes
/// (`recently_deleted` in perf: 13 % of a 2-core machine at 230 small jobs/s).
package struct ReusedFolder: Sendable {
    package let url: URL

    package init(url: URL) { self.url = url }

    /// Removes everything in the folder, creating the folder if it is missing.
    package func empty() throws {
        let manager = FileManager.default
        guard let items = try? manager.contentsOfDirectory(atPath: url.path) else {
            try manager.createDirectory(at: url, withIntermediateDirectories: true)
            return
        }
        for item in items {
            try manager.removeItem(at: url.appendingPathComponent(item))
        }
    }
}
