// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// The one folder an engine host may write, and besides system files the only one it may read
/// (its sandbox): a request's inputs are linked in before it runs, its results moved out after,
/// and the folder is emptied in between. A host thus never sees another job's files.
///
/// The folder itself is never replaced while its host runs: the host's Landlock rule holds
/// this very directory, and a new one of the same name would be out of its reach.
package struct HostWorkFolder {
    package let url: URL

    package init(url: URL) { self.url = url }

    /// Empties the folder (creating it if needed).
    package func reset() throws {
        try ReusedFolder(url: url).empty()
    }

    /// `request` with its input files linked into the folder and its output pointed into it
    /// (a folder there when `request.output` is a folder).
    package func stage(_ request: EngineRequest) throws -> EngineRequest {
        var staged = request
        // Plain system calls here and in `move`: FileManager's checks around each link and
        // rename were a visible share of a small job's cost in perf.
        staged.inputs = try request.inputs.enumerated().map { index, path in
            // Not a regular file (the test operations' /dev/null): nothing to stage.
            guard Self.isRegularFile(path), let source = Self.realPath(path) else { return path }
            let extensionPart = URL(fileURLWithPath: source).pathExtension
            let linked = folderPath + "/input-\(index)" + (extensionPart.isEmpty ? "" : ".\(extensionPart)")
            // Same file system as the data folder: a link, no copy.
            if link(source, linked) != 0 {
                try FileManager.default.copyItem(atPath: source, toPath: linked)
            }
            return linked
        }
        if let words = request.ocrWords {
            let linked = url.appendingPathComponent("ocr-words.json")
            try FileManager.default.copyItem(at: URL(fileURLWithPath: words), to: linked)
            staged.ocrWords = linked.path
        }
        if let output = request.output {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: output, isDirectory: &isFolder), isFolder.boolValue {
                let folder = url.appendingPathComponent("result")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                staged.output = folder.path
            } else {
                let extensionPart = URL(fileURLWithPath: output).pathExtension
                staged.output = url.appendingPathComponent(extensionPart.isEmpty ? "result" : "result.\(extensionPart)").path
            }
        }
        return staged
    }

    /// Moves the results of `staged` to where `original` wanted them and returns `response` with
    /// its page-file paths rewritten to match.
    /// - Throws: `EngineHostError.protocolViolation` for a result that is not a regular file
    ///   directly in the staged output (a symbolic link to DATA/secret.key, say).
    package func collect(_ response: EngineResponse, staged: EngineRequest, original: EngineRequest) throws -> EngineResponse {
        guard response.error == nil, let stagedOutput = staged.output, let output = original.output else { return response }
        var response = response
        guard case .array(let files)? = response.fields["files"] else {
            // A result file, if the operation wrote one (form fields and info write none).
            if Self.exists(stagedOutput) && !Self.isFolder(stagedOutput) { try move(stagedOutput, to: output) }
            return response
        }
        let folder = URL(fileURLWithPath: stagedOutput).standardizedFileURL.path
        response.fields["files"] = .array(
            try files.map { item in
                guard case .string(let path) = item else { throw EngineHostError.protocolViolation("a page file that is no path") }
                let file = URL(fileURLWithPath: path).standardizedFileURL
                guard file.deletingLastPathComponent().path == folder else {
                    throw EngineHostError.protocolViolation("a page file outside its work folder")
                }
                let destination = URL(fileURLWithPath: output).appendingPathComponent(file.lastPathComponent).path
                try move(file.path, to: destination)
                return .string(destination)
            })
        return response
    }

    private func move(_ path: String, to destination: String) throws {
        guard Self.isRegularFile(path, followingLinks: false) else {
            throw EngineHostError.protocolViolation("a result that is no regular file")
        }
        // rename replaces a file at the destination; a folder there, or another file system,
        // takes the long way.
        guard rename(path, destination) != 0 else { return }
        try? FileManager.default.removeItem(atPath: destination)
        try FileManager.default.moveItem(atPath: path, toPath: destination)
    }

    private var folderPath: String { url.path }

    /// `path` with every symbolic link resolved, or nil if it does not exist.
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    private static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    private static func isRegularFile(_ path: String, followingLinks: Bool = true) -> Bool {
        var info = stat()
        let result = followingLinks ? stat(path, &info) : lstat(path, &info)
        return result == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}
