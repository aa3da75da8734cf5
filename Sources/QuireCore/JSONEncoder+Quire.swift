// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

extension JSONEncoder {
    /// How Quire writes JSON for clients (answers, webhooks, URL lists): keys sorted, so logs and
    /// diffs stay stable, and slashes unescaped, since PDF.co clients read the URLs as they are.
    package static func quire() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
