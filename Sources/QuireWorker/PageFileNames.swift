// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// The download names of a job's page files: each name once. A page asked for twice
/// (`pages=0,0`) gives two files; the second copy of `page-1.png` is named `page-1-2.png`,
/// the third `page-1-3.png`, in output order.
struct PageFileNames {
    private var taken: Set<String> = []

    /// `name`, or the first of `<base>-2.<ext>`, `<base>-3.<ext>`… not handed out yet.
    mutating func claim(_ name: String) -> String {
        var candidate = name
        let base = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        var copy = 1
        while taken.contains(candidate) {
            copy += 1
            candidate = ext.isEmpty ? "\(base)-\(copy)" : "\(base)-\(copy).\(ext)"
        }
        taken.insert(candidate)
        return candidate
    }
}
