// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

extension Data {
    /// Writes the bytes to `file` (created or truncated) without `fsync`, for job results and
    /// intermediate files. Foundation's `write(to:)` syncs every file to disk: about a
    /// millisecond on each small job's critical path. A process crash (kill -9) loses nothing
    /// either way (the bytes are in the page cache); only an OS crash or power loss can, as it
    /// can lose the queue's last transactions (SQLite runs `synchronous = NORMAL`) and the
    /// uploads streamed through a `FileHandle` (README.md says so).
    package func writeUnsynced(to file: URL) throws {
        let descriptor = Foundation.open(file.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { Foundation.close(descriptor) }
        try withUnsafeBytes { try POSIXFile.writeAll($0, to: descriptor) }
    }
}

/// Plain POSIX writes, shared by files and the engine hosts' pipes.
package enum POSIXFile {
    /// Writes all of `buffer` to `descriptor`, again after short writes and EINTR.
    /// - Throws: `POSIXError` with the failing call's errno.
    package static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) throws {
        var offset = 0
        while offset < buffer.count {
            let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            offset += written
        }
    }
}
