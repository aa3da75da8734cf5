// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

extension S3ObjectStore {
    /// Uploads `source` in parts of `partSizeBytes`, `partConcurrency` at a time. On any
    /// failure the upload is aborted, so the bucket keeps no orphaned parts (which S3 would bill).
    func uploadMultipart(_ key: String, from source: URL, size: Int) async throws {
        let created = try await send(configuration.request("POST", key: key, query: [("uploads", "")]), isIdempotent: false)
        guard let uploadID = S3XML.value(of: "UploadId", in: String(decoding: created.body, as: UTF8.self)) else {
            throw S3Error.invalidResponse("CreateMultipartUpload without UploadId")
        }
        do {
            let etags = try await uploadParts(key, uploadID: uploadID, from: source, size: size)
            try await complete(key, uploadID: uploadID, etags: etags)
        } catch {
            // Best effort: the original error is the one worth reporting.
            _ = try? await send(configuration.request("DELETE", key: key, query: [("uploadId", uploadID)]), isIdempotent: true)
            throw error
        }
    }

    /// ETags of parts 1…n, in order.
    private func uploadParts(_ key: String, uploadID: String, from source: URL, size: Int) async throws -> [String] {
        let partSize = configuration.partSizeBytes
        let count = (size + partSize - 1) / partSize
        return try await withThrowingTaskGroup(of: (Int, String).self) { group in
            var etags = [String](repeating: "", count: count)
            var next = 0
            // Keeps `partConcurrency` parts in flight; each streams from disk, so memory stays at a few chunks per part.
            func startPart() {
                let index = next
                next += 1
                group.addTask {
                    let offset = index * partSize
                    let etag = try await self.upload(
                        key, from: source, offset: offset, length: min(partSize, size - offset),
                        query: [("partNumber", String(index + 1)), ("uploadId", uploadID)])
                    return (index, etag)
                }
            }
            while next < min(count, max(1, configuration.partConcurrency)) { startPart() }
            while let (index, etag) = try await group.next() {
                guard !etag.isEmpty else { throw S3Error.invalidResponse("UploadPart \(index + 1) without ETag") }
                etags[index] = etag
                if next < count { startPart() }
            }
            return etags
        }
    }

    private func complete(_ key: String, uploadID: String, etags: [String]) async throws {
        let parts = etags.enumerated().map {
            "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\(S3XML.escape($0.element))</ETag></Part>"
        }
        let document = Data("<CompleteMultipartUpload>\(parts.joined())</CompleteMultipartUpload>".utf8)
        let request = configuration.request("POST", key: key, query: [("uploadId", uploadID)])
        // Not repeated: a repeat after a lost success answer finds the upload gone (NoSuchUpload).
        let answer = try await send(request, body: .data(document), payloadHash: SHA256Hex.of(document), isIdempotent: false)
        // S3 may answer 200 and report the failure in the body (it streams whitespace while it assembles).
        let text = String(decoding: answer.body, as: UTF8.self)
        if text.contains("<Error>") { throw S3Error.from(status: 500, body: answer.body) }
    }
}

extension S3ObjectStore {
    /// Unfinished multipart uploads under the key prefix: parts S3 keeps (and bills) until the
    /// upload is completed or aborted. Counts the first page (up to 1,000), which is enough
    /// to tell none from some.
    package func multipartUploadsInProgress() async throws -> Int {
        let query: [(name: String, value: String)] = [("prefix", configuration.keyPrefix), ("uploads", "")]
        let answer = try await send(configuration.request("GET", key: nil, query: query), isIdempotent: true)
        return String(decoding: answer.body, as: UTF8.self).components(separatedBy: "<Upload>").count - 1
    }
}
