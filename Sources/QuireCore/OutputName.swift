// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// File names clients send (`name`): reduced to a safe last path component with the right extension.
package enum OutputName {
    /// Keeps only the last component of a Unix or Windows path, drops control characters and
    /// characters that are unsafe in a URL path, and makes sure the name ends in `.ext`.
    /// An empty result falls back to `fallback` (e.g. "result").
    package static func sanitize(_ raw: String?, extension ext: String?, fallback: String = "result") -> String {
        var base = lastComponent(raw ?? "")
        base = String(base.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) })
        base = base.trimmingCharacters(in: .whitespaces)
        while base.hasPrefix(".") { base.removeFirst() }
        if base.isEmpty { base = fallback }
        if base.count > 200 { base = String(base.prefix(200)) }
        guard let ext, !ext.isEmpty else { return base }
        if (base as NSString).pathExtension.lowercased() == ext.lowercased() { return base }
        return base + "." + ext
    }

    /// The sanitized name without its extension (`result.png` → `result`), nil when none was sent.
    package static func baseName(of raw: String?) -> String? {
        guard let raw, !raw.isEmpty else { return nil }
        let name = sanitize(raw, extension: nil, fallback: "")
        let base = (name as NSString).deletingPathExtension
        return base.isEmpty ? nil : base
    }

    /// The form of a (sanitized) name used in URL paths Quire hands out. Clients paste those URLs
    /// unencoded into query strings and comma lists, so anything but `[A-Za-z0-9._-]` becomes `_`.
    package static func urlSafe(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let mapped = String(name.map { allowed.contains($0) ? $0 : "_" })
        return mapped.isEmpty ? "file" : mapped
    }

    private static func lastComponent(_ path: String) -> String {
        let parts = path.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        var last = parts.last.map(String.init) ?? ""
        // `C:name` on Windows is a drive-relative path.
        if let colon = last.lastIndex(of: ":") { last = String(last[last.index(after: colon)...]) }
        return last
    }
}
