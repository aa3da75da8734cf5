// SPDX-License-Identifier: AGPL-3.0-or-later
import Crypto
import Foundation
import NIOCore

/// A byte range of a file as 1 MiB buffers, read when asked for: an upload body that never
/// holds more than one chunk of the file.
///
/// Reads are plain pread(2) calls on the caller's task. A chunk comes from the page cache in
/// well under a millisecond, so a thread pool hand-off would cost more than it saves.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let path: String
    let offset: Int
    let length: Int
    var chunkBytes = 1 << 20

    func makeAsyncIterator() -> Iterator { Iterator(chunks: self) }

    final class Iterator: AsyncIteratorProtocol {
        private let chunks: FileChunks
        private var descriptor: Int32 = -1
        private var position: Int
        private let end: Int

        init(chunks: FileChunks) {
            self.chunks = chunks
            position = chunks.offset
            end = chunks.offset + chunks.length
        }

        func next() async throws -> ByteBuffer? {
            guard position < end else {
                closeFile()
                return nil
            }
            if descriptor < 0 {
                descriptor = open(chunks.path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else { throw StorageError.io("open \(chunks.path): \(String(cString: strerror(errno)))") }
            }
            let wanted = Swift.min(chunks.chunkBytes, end - position)
            var buffer = ByteBufferAllocator().buffer(capacity: wanted)
            let count = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { bytes in
                let count = pread(descriptor, bytes.baseAddress, wanted, off_t(position))
                guard count >= 0 else { throw StorageError.io("read \(chunks.path): \(String(cString: strerror(errno)))") }
                return count
            }
            // A file that shrank under us would send fewer bytes than the Content-Length promised.
            guard count > 0 else { throw StorageError.io("\(chunks.path) ended early (it changed during the upload)") }
            position += count
            return buffer
        }

        private func closeFile() {
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
        }

        deinit { closeFile() }
    }

    /// Lower-case hex SHA-256 of the range, read chunk by chunk.
    func sha256() async throws -> String {
        var hasher = SHA256()
        for try await chunk in self { chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) } }
        return hasher.finalize().lowercaseHex
    }
}
