// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Hummingbird

extension Request {
    /// Time a parameters body (at most a few MB) may take to arrive.
    static let bodyDeadline = Duration.seconds(60)

    /// Every parameter of the request: query string merged with whatever body it has.
    /// - Throws: `APIError` 413 when the body is over `maxBodyBytes`.
    package mutating func parameters(maxBodyBytes: Int) async throws -> RequestParameters {
        var parameters = ParameterParsing.parseQuery(uri.query ?? "", reassembleURL: true)
        var body = ByteBuffer()
        // A body dripped a byte at a time resets the idle timeout with every byte: the whole
        // body has `bodyDeadline`, checked as each piece arrives (a silent one is idle).
        let deadline = ContinuousClock.now + Self.bodyDeadline
        let chunks: [ByteBuffer]
        do {
            chunks = try await Self.collect(self.body, maxBodyBytes: maxBodyBytes, deadline: deadline)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(400, "The request body ended before its declared length.")
        }
        for var chunk in chunks { body.writeBuffer(&chunk) }
        guard body.readableBytes > 0 else { return parameters }
        let data = Data(body.readableBytesView)
        let contentType = headers[.contentType] ?? ""
        if let boundary = MultipartReader.boundary(fromContentType: contentType) {
            for part in MultipartReader.parts(of: data, boundary: boundary) {
                if part.filename != nil {
                    parameters.addFile(part)
                } else {
                    parameters.set(part.name, String(decoding: part.body, as: UTF8.self))
                }
            }
            return parameters
        }
        // JSON is sniffed by its first character: many clients send it with no or a wrong Content-Type.
        let first = ParameterParsing.firstNonSpace(data)
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "\""), let json = ParameterParsing.parseJSON(data) {
            parameters.merge(json)
        } else {
            parameters.merge(ParameterParsing.parseForm(String(decoding: data, as: UTF8.self)))
        }
        return parameters
    }

    /// The body's pieces, checked against the size limit and the deadline as each arrives.
    /// A body over the limit is still read (and dropped) up to `maxDrainedBytes` before the 413:
    /// a connection closed with unread bytes is reset by the kernel, and the client then sees
    /// "connection reset" while sending instead of the answer (EditAddTests saw it on CI).
    private static func collect(_ stream: RequestBody, maxBodyBytes: Int, deadline: ContinuousClock.Instant) async throws -> [ByteBuffer] {
        var chunks: [ByteBuffer] = []
        var size = 0
        let drainDeadline = min(deadline, ContinuousClock.now + .seconds(10))
        for try await chunk in stream {
            size += chunk.readableBytes
            if size > maxBodyBytes {
                chunks.removeAll()
                if size > maxBodyBytes + maxDrainedBytes || ContinuousClock.now >= drainDeadline { break }
                continue
            }
            guard ContinuousClock.now < deadline else { throw APIError(408, "The request body took too long to arrive.") }
            chunks.append(chunk)
        }
        guard size <= maxBodyBytes else {
            throw APIError(
                413, "The request body is larger than \(maxBodyBytes / 1_048_576) MB. Upload big files with /file/upload/get-presigned-url."
            )
        }
        return chunks
    }

    /// How much of an over-limit body is read to answer its 413 cleanly; past it the connection is cut.
    static let maxDrainedBytes = 32 << 20
}
