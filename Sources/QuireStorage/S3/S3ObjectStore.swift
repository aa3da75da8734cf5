// SPDX-License-Identifier: AGPL-3.0-or-later
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#endif

/// Objects in one S3 bucket (AWS or any S3-compatible server), under `keyPrefix`.
///
/// Bodies stream both ways: an upload reads its file 1 MiB at a time, a download writes each
/// buffer to disk as it arrives, so no object is ever held in memory whole. Files larger than
/// one part go up as a multipart upload (`S3ObjectStore+Multipart.swift`).
package struct S3ObjectStore: DirectAccessStore {
    package let configuration: S3Configuration
    let signer: S3Signer
    let client: HTTPClient

    /// - Parameter client: defaults to one client for the whole process, never shut down (as
    ///   `HTTPClient.shared`), which follows no redirects and decompresses nothing.
    package init(configuration: S3Configuration, client: HTTPClient? = nil) {
        self.configuration = configuration
        self.signer = S3Signer(credentials: configuration.credentials, region: configuration.region)
        self.client = client ?? Self.sharedClient
    }

    static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        // A signed request cannot be replayed elsewhere; S3's redirects (wrong region) are errors to report.
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        // No deadline bounds a whole transfer (200 MiB may take minutes); a silent peer does.
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(60))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    // MARK: - ObjectStore

    package func put(_ key: String, movingFrom source: URL) async throws {
        let size = try Self.fileSize(source)
        if size > configuration.partSizeBytes {
            try await uploadMultipart(key, from: source, size: size)
        } else {
            try await upload(key, from: source, offset: 0, length: size)
        }
        try? FileManager.default.removeItem(at: source)
    }

    package func put(_ key: String, data: Data) async throws {
        let request = configuration.request("PUT", key: key)
        let hash = configuration.signsPayload ? SHA256Hex.of(data) : S3Signer.unsignedPayload
        _ = try await send(request, body: .data(data), payloadHash: hash, isIdempotent: true)
    }

    /// Downloads the object to a new file in `scratch`; the caller deletes that file.
    package func localFile(for key: String, scratch: URL) async throws -> URL {
        let file = scratch.appendingPathComponent("s3-\(UUID().uuidString)")
        try await download(key, to: file)
        return file
    }

    /// Each call downloads a new file: callers remove it (`withLocalFile` does).
    package var localFilesAreCopies: Bool { true }

    package func delete(_ key: String) async throws {
        do {
            _ = try await send(configuration.request("DELETE", key: key), isIdempotent: true)
        } catch StorageError.notFound {}
    }

    package func size(of key: String) async throws -> Int? {
        do {
            let answer = try await send(configuration.request("HEAD", key: key), isIdempotent: true)
            guard let length = answer.headers.first(name: "content-length").flatMap(Int.init) else {
                throw S3Error.invalidResponse("HEAD without Content-Length")
            }
            return length
        } catch StorageError.notFound {
            return nil
        }
    }

    // MARK: - Beyond ObjectStore

    /// Writes the object, or bytes `range` of it, to `file` (replaced), a buffer at a time.
    /// - Throws: `StorageError.notFound`, `S3Error`, `StorageError.io` when the file cannot be written.
    package func download(_ key: String, to file: URL, range: ClosedRange<Int>? = nil) async throws {
        var request = configuration.request("GET", key: key)
        if let range { request.headers.append(("range", "bytes=\(range.lowerBound)-\(range.upperBound)")) }
        try await withRetries(isIdempotent: true) {
            let response = try await self.execute(request, body: .none, payloadHash: SHA256Hex.empty)
            let expected = response.headers.first(name: "content-length").flatMap(Int.init)
            let written = try await Self.write(response.body, to: file)
            // A connection closed early can end a body without an error: count the bytes.
            if let expected, written != expected {
                throw S3Error.unreachable("download of \(key) ended after \(written) of \(expected) bytes")
            }
        }
    }

    /// A URL that uploads one object with a plain `PUT` of its bytes, without credentials,
    /// until `expires` from now (1 s to 7 days).
    package func presignedPutURL(key: String, expires: Duration, now: Date = Date()) -> URL {
        presignedURL(configuration.request("PUT", key: key), expires: expires, now: now)
    }

    /// A URL that reads one object with a plain `GET`, without credentials, until `expires` from now.
    package func presignedGetURL(key: String, expires: Duration, now: Date = Date()) -> URL {
        presignedURL(configuration.request("GET", key: key), expires: expires, now: now)
    }

    /// A `GET` or `HEAD` URL whose answer carries the given `Content-Type` and
    /// `Content-Disposition`: S3's `response-content-type` and `response-content-disposition`
    /// parameters, which only signed requests may use and which are signed with the rest.
    package func presignedReadURL(
        key: String, method: String = "GET", expires: Duration, contentType: String?, contentDisposition: String?, now: Date = Date()
    ) -> URL {
        var query: [(name: String, value: String)] = []
        if let contentDisposition { query.append(("response-content-disposition", contentDisposition)) }
        if let contentType { query.append(("response-content-type", contentType)) }
        return presignedURL(configuration.request(method, key: key, query: query), expires: expires, now: now)
    }

    private func presignedURL(_ request: S3Request, expires: Duration, now: Date) -> URL {
        let seconds = min(max(Int(expires.components.seconds), 1), 604_800)
        return URL(string: signer.presignedURL(for: request, expiresSeconds: seconds, date: now))!
    }

    /// Lists at most one key under the prefix: proof that the bucket exists and that the
    /// credentials may read it, before a node accepts work.
    /// - Throws: `S3Error` (`NoSuchBucket`, access denied, unreachable).
    package func checkBucket() async throws {
        let query = [("list-type", "2"), ("max-keys", "1"), ("prefix", configuration.keyPrefix)]
        do {
            _ = try await send(configuration.request("GET", key: nil, query: query), isIdempotent: true)
        } catch StorageError.notFound {
            throw S3Error.service(status: 404, code: "NoSuchBucket", message: "no bucket answered at this address")
        }
    }

    /// Creates the bucket (tests and first-time setup); an existing bucket of ours is no error.
    package func createBucket() async throws {
        do {
            _ = try await send(configuration.request("PUT", key: nil), isIdempotent: true)
        } catch S3Error.service(409, "BucketAlreadyOwnedByYou", _) {}
    }

    // MARK: - Helpers

    static func fileSize(_ file: URL) throws -> Int {
        do {
            return try (FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
        } catch {
            throw StorageError.io("cannot read \(file.path): \(error)")
        }
    }

    /// Appends the body to a new file at `file`; returns the number of bytes written.
    static func write(_ body: HTTPClientResponse.Body, to file: URL) async throws -> Int {
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StorageError.io("cannot create \(file.path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var total = 0
        for try await buffer in body {
            try buffer.withUnsafeReadableBytes { bytes in
                var done = 0
                while done < bytes.count {
                    let count = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { throw StorageError.io("cannot write \(file.path): \(String(cString: strerror(errno)))") }
                    done += count
                }
            }
            total += buffer.readableBytes
        }
        return total
    }
}
