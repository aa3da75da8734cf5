// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Objects as files under `<data>/files/<first two chars>/<key>`.
package struct LocalDiskStore: ObjectStore {
    package let root: URL

    package init(root: URL) throws {
        self.root = root
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// The path of `key`. Keys come from `RandomID`, but are checked anyway so a bad key can
    /// never name a file outside the store.
    package func path(for key: String) throws -> URL {
        guard key.count >= 2, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw StorageError.notFound(key)
        }
        return root.appendingPathComponent(String(key.prefix(2))).appendingPathComponent(key)
    }

    package func put(_ key: String, movingFrom source: URL) async throws {
        let target = try path(for: key)
        // rename(2) is atomic within one file system and replaces an older file of the key. Its
        // folder is made only when missing (once per two-character prefix), not tried per file.
        if rename(source.path, target.path) == 0 { return }
        if errno == ENOENT {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            if rename(source.path, target.path) == 0 { return }
        }
        // Across devices (or any other refusal): a copy.
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: source, to: target)
        try? FileManager.default.removeItem(at: source)
    }

    package func put(_ key: String, data: Data) async throws {
        let target = try path(for: key)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: target, options: .atomic)
    }

    package func localFile(for key: String, scratch: URL) async throws -> URL {
        let file = try path(for: key)
        guard FileManager.default.fileExists(atPath: file.path) else { throw StorageError.notFound(key) }
        return file
    }

    /// The stored file itself: callers must not remove it.
    package var localFilesAreCopies: Bool { false }

    package func delete(_ key: String) async throws {
        guard let file = try? path(for: key) else { return }
        try? FileManager.default.removeItem(at: file)
    }

    package func size(of key: String) async throws -> Int? {
        guard let file = try? path(for: key),
            let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
        else { return nil }
        return (attributes[.size] as? NSNumber)?.intValue
    }
}
