// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// File names handed out once each: the second copy of `page-1.png` is named `page-1-2.png`,
/// the third `page-1-3.png`, in the order claimed. Serves a job's page files (a page asked for
/// twice, `pages=0,0`) and a PDF's attachments (two embedded `notes.txt`).
package struct UniqueFileNames {
    private var taken: Set<String> = []
    private let ignoringCase: Bool

    /// - Parameter ignoringCase: `Notes.txt` and `notes.txt` count as the same name (clients
    ///   that save files under their names may be on case-insensitive file systems).
    package init(ignoringCase: Bool = false) {
        self.ignoringCase = ignoringCase
    }

    /// `name`, or the first of `<base>-2.<ext>`, `<base>-3.<ext>`… not handed out yet.
    package mutating func claim(_ name: String) -> String {
        var candidate = name
        let base = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        var copy = 1
        while taken.contains(key(candidate)) {
            copy += 1
            candidate = ext.isEmpty ? "\(base)-\(copy)" : "\(base)-\(copy).\(ext)"
        }
        taken.insert(key(candidate))
        return candidate
    }

    private func key(_ name: String) -> String { ignoringCase ? name.lowercased() : name }
}
