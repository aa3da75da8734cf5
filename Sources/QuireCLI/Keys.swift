// SPDX-License-Identifier: AGPL-3.0-or-later
import ArgumentParser
import Foundation
import QuireAPI

/// `quire keys`: API keys in `<data>/keys.json` (hashes only; a key is shown once, at creation).
struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke API keys.", subcommands: [Create.self, List.self, Revoke.self])

    struct DataOption: ParsableArguments {
        @Option(name: .customLong("data"), help: "Data directory (QUIRE_DATA). Default ./data.") var data: String?

        var keysFile: URL {
            let root = data ?? ProcessInfo.processInfo.environment["QUIRE_DATA"] ?? "data"
            try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            return URL(fileURLWithPath: root).appendingPathComponent("keys.json")
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it (only this once).")
        @OptionGroup var options: DataOption
        @Option(help: "A label for the key.") var name: String = "default"

        func run() throws {
            let (key, entry) = try APIKeyStore.create(name: name, in: options.keysFile)
            print(key)
            FileHandle.standardError.write(Data("created key \(entry.id) (\(entry.name)); it is not stored in clear, keep it now\n".utf8))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (IDs and labels, never the keys).")
        @OptionGroup var options: DataOption

        func run() throws {
            for entry in try APIKeyStore.load(options.keysFile) {
                print("\(entry.id)\t\(entry.name)\t\(ISO8601DateFormatter().string(from: entry.createdAt))")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by ID (restart the server to apply).")
        @OptionGroup var options: DataOption
        @Argument(help: "Key ID, as `quire keys list` shows it.") var id: String

        func run() throws {
            guard try APIKeyStore.revoke(id: id, in: options.keysFile) else { throw ValidationError("No key with ID \(id).") }
            print("revoked \(id)")
        }
    }
}
