// SPDX-License-Identifier: AGPL-3.0-or-later
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A request body that can be made again for each attempt.
enum S3Body: Sendable {
    case none
    case data(Data)
    /// `length` bytes of a file from `offset`, read as they are sent.
    case file(path: String, offset: Int, length: Int)
}

extension S3ObjectStore {
    /// Signs and sends `request`, repeating it after a transient failure when it is safe to;
    /// returns a 2xx answer's headers and (small) body.
    /// - Throws: `StorageError.notFound` for 404 (NoSuchKey), `S3Error` for the rest.
    func send(
        _ request: S3Request, body: S3Body = .none, payloadHash: String = SHA256Hex.empty, isIdempotent: Bool
    ) async throws -> (headers: HTTPHeaders, body: Data) {
        try await withRetries(isIdempotent: isIdempotent) {
            let response = try await self.execute(request, body: body, payloadHash: payloadHash)
            // Read to the end, so the connection goes back to the pool rather than being closed.
            let answer = try await Self.collect(response.body)
            return (response.headers, answer)
        }
    }

    /// A small body (an XML answer), read whole.
    static func collect(_ body: HTTPClientResponse.Body) async throws -> Data {
        do {
            return Data(try await body.collect(upTo: 1 << 20).readableBytesView)
        } catch {
            throw S3Error.unreachable("answer cut short: \(error)")
        }
    }

    /// One attempt: signed now (a retry must not reuse an old timestamp), error answers thrown.
    func execute(_ request: S3Request, body: S3Body, payloadHash: String) async throws -> HTTPClientResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in signer.signedHeaders(for: request, payloadHash: payloadHash, date: Date()) {
            outgoing.headers.add(name: name, value: value)
        }
        switch body {
        case .none: break
        case .data(let data): outgoing.body = .bytes(ByteBuffer(bytes: data))
        case .file(let path, let offset, let length):
            outgoing.body = .stream(FileChunks(path: path, offset: offset, length: length), length: .known(Int64(length)))
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(outgoing, deadline: .distantFuture)
        } catch let error as StorageError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw S3Error.unreachable("\(request.method) \(request.host): \(error)")
        }
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            // HEAD answers carry no body; error bodies are small XML documents.
            let errorBody = (try? await Self.collect(response.body)) ?? Data()
            let error = S3Error.from(status: status, body: errorBody)
            // A missing bucket is a setting to fix, not a missing object (HEAD answers carry no code to tell).
            if status == 404, error != .service(status: 404, code: "NoSuchBucket", message: error.message) {
                throw StorageError.notFound(request.path)
            }
            throw error
        }
        return response
    }

    /// Runs `attempt` up to `maxAttempts` times while it fails transiently and `isIdempotent`.
    func withRetries<T>(isIdempotent: Bool, _ attempt: () async throws -> T) async throws -> T {
        var tries = 0
        while true {
            tries += 1
            do {
                return try await attempt()
            } catch let error as S3Error where error.isTransient && isIdempotent && tries < configuration.maxAttempts {
                // 0.2 s, then 0.4 s: long enough for a restarting gateway, short for a caller waiting.
                try await Task.sleep(for: .milliseconds(200 << (tries - 1)))
            }
        }
    }

    /// One PUT of `length` bytes of `source` from `offset`; returns the answer's ETag.
    @discardableResult
    func upload(
        _ key: String, from source: URL, offset: Int, length: Int, query: [(name: String, value: String)] = []
    )
        async throws -> String
    {
        let chunks = FileChunks(path: source.path, offset: offset, length: length)
        let hash = configuration.signsPayload ? try await chunks.sha256() : S3Signer.unsignedPayload
        let request = configuration.request("PUT", key: key, query: query)
        let answer = try await send(
            request, body: .file(path: source.path, offset: offset, length: length), payloadHash: hash, isIdempotent: true)
        return answer.headers.first(name: "etag") ?? ""
    }
}
