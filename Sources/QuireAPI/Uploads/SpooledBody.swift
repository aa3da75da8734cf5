// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Hummingbird
import QuireCore

/// A request body written to a scratch file as it arrives, so an upload costs disk, not memory.
/// The caller removes the file (`remove()`, in a `defer`) unless it moved it into the store.
struct SpooledBody: Sendable {
    let file: URL
    let size: Int

    private init(file: URL, size: Int) {
        self.file = file
        self.size = size
    }

    /// Streams `body` into a new file under `scratch`.
    /// - Throws: `tooLarge` once more than `maxBytes` arrived (the rest is not read).
    static func receive(
        _ body: RequestBody, in scratch: URL, maxBytes: Int, tooLarge: @autoclosure () -> APIError
    ) async throws
        -> SpooledBody
    {
        let file = ScratchFile.make(in: scratch, prefix: "upload")
        let handle = try ScratchFile.create(file)
        var size = 0
        let started = ContinuousClock.now
        do {
            defer { try? handle.close() }
            for try await chunk in body {
                size += chunk.readableBytes
                guard size <= maxBytes else { throw tooLarge() }
                try handle.write(contentsOf: chunk.readableBytesView)
                // A drip of bytes resets the idle timeout each time: past a grace period the
                // upload must average `minBytesPerSecond` (a silent one is closed as idle).
                let seconds = (ContinuousClock.now - started).timeInterval
                if seconds > graceSeconds && Double(size) / seconds < minBytesPerSecond {
                    throw APIError(408, "The upload arrived slower than \(Int(minBytesPerSecond) >> 10) KB/s.")
                }
                guard seconds < maxSeconds else {
                    throw APIError(408, "The upload took longer than \(Int(maxSeconds) / 60) minutes.")
                }
            }
        } catch let error as APIError {
            try? FileManager.default.removeItem(at: file)
            throw error
        } catch {
            // The client closed or broke the stream mid-body: its fault, and it may try again.
            try? FileManager.default.removeItem(at: file)
            throw APIError(400, "The request body ended before its declared length.")
        }
        return SpooledBody(file: file, size: size)
    }

    func remove() { try? FileManager.default.removeItem(at: file) }
}

/// Uploads slower than this on average, after `graceSeconds`, are cut off.
private let minBytesPerSecond = 16_384.0
private let graceSeconds = 30.0
/// No upload may take longer, whatever its rate: it holds one of the `--max-uploads` slots.
private let maxSeconds = 1800.0

/// New files in the scratch folder, readable by this user only.
enum ScratchFile {
    static func make(in scratch: URL, prefix: String) -> URL {
        scratch.appendingPathComponent("\(prefix)-\(RandomID.make(length: 16))")
    }

    /// Creates `file` (0600) and opens it for writing.
    static func create(_ file: URL) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw APIError(500, "Could not store the upload.")
        }
        return try FileHandle(forWritingTo: file)
    }
}
