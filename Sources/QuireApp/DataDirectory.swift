// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// The layout of `--data`: database, files, scratch space, secret and keys, plus the lock
/// that keeps a second server off the same directory (the SQLite queue assumes one owner).
package struct DataDirectory: Sendable {
    package let root: URL

    package init(_ root: URL) {
        self.root = root.standardizedFileURL
    }

    package var database: URL { root.appendingPathComponent("quire.sqlite") }
    package var files: URL { root.appendingPathComponent("files") }
    package var scratch: URL { root.appendingPathComponent("tmp") }
    /// One work folder per engine and office host, the only one its sandbox lets it write (not
    /// under `scratch`: the janitor must never remove a folder a running host is confined to).
    package var hosts: URL { root.appendingPathComponent("hosts") }
    /// One LibreOffice profile per office host (kept across restarts: a fresh one costs ~1 s).
    package var officeProfiles: URL { root.appendingPathComponent("office") }
    /// One Chromium profile folder per browser host (made anew each time its browser starts).
    package var browserProfiles: URL { root.appendingPathComponent("browser") }
    package var secret: URL { root.appendingPathComponent("secret.key") }
    package var keys: URL { root.appendingPathComponent("keys.json") }
    private var lock: URL { root.appendingPathComponent("quire.lock") }
    /// Names this directory's worker in the queue across restarts (`WorkerIdentity.instance`).
    private var instanceFile: URL { root.appendingPathComponent("instance.id") }

    /// Creates the layout, readable by this user only: umask 077 for everything the process
    /// (and its engine hosts) writes from now on, and 0700/0600 on what an older version left
    /// world-readable (the database holds job specs; files are the users' documents).
    package func create() throws {
        umask(0o077)
        for directory in [root, files, scratch, hosts] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        chmod(root.path, 0o700)
        let entries = (try? FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: [.isDirectoryKey])) ?? []
        for entry in entries {
            let isDirectory = (try? entry.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
            chmod(entry.path, isDirectory ? 0o700 : 0o600)
        }
    }

    /// Takes an exclusive lock for the life of the process.
    /// - Throws: `ConfigError` when another process holds it.
    package func lockExclusively() throws {
        let fd = open(lock.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ConfigError("Cannot open \(lock.path): check --data (QUIRE_DATA).") }
        // The descriptor is never closed: the lock lasts until the process exits, however it exits.
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw ConfigError("Another quire process is using \(root.path). Stop it or choose another --data (QUIRE_DATA).")
        }
    }

    /// This directory's instance name, created on first start. Only the holder of the lock may
    /// call it: a copied data directory must get a new `instance.id`, or two live workers would
    /// share a name and each release the other's leases on start.
    package func instanceID() throws -> String {
        if let text = try? String(contentsOf: instanceFile, encoding: .utf8) {
            let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !id.isEmpty && !id.contains("/") { return id }
        }
        let id = "quire-" + RandomID.make(length: 16)
        try Data((id + "\n").utf8).write(to: instanceFile, options: .atomic)
        return id
    }
}
