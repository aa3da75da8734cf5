// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Hummingbird
import Metrics
import QuireCore
import QuireStorage

/// The three ways bytes arrive: a PUT to a presigned URL, a multipart `/file/upload` and a
/// base64 `/file/upload/base64`. Every body streams to a scratch file first; splitting and
/// decoding run off the request threads (`OffLoop`), at most `--max-uploads` at once.
extension FileRoutes {
    /// The PUT to a presigned URL: a raw body of any type, or a multipart body with a `file` part
    /// (the on-prem server's own sample sends that). Only the first complete PUT is kept.
    func receivePresigned(_ request: Request, _ context: QuireRequestContext) async throws -> Response {
        let fileID = try verify(context.parameters.get("token") ?? "", purpose: .upload)
        guard let file = try await services.catalog.file(id: fileID) else { throw APIError(404, "Upload URL unknown or expired.") }
        guard !file.isReady, file.size == nil else { throw alreadyUploaded() }
        return try await uploads.admit(client: Self.uploader(context)) {
            let body = try await SpooledBody.receive(
                request.body, in: services.scratch, maxBytes: services.limits.maxUploadBytes, tooLarge: tooLarge())
            defer { body.remove() }
            var source = body.file
            var size = body.size
            var spool: MultipartSpool?
            if let boundary = MultipartReader.boundary(fromContentType: request.headers[.contentType] ?? "") {
                let split = try await OffLoop.run { [scratch = services.scratch] in
                    try MultipartSpool.split(body.file, boundary: boundary, fileFields: ["file"], scratch: scratch)
                }
                spool = split
                guard let part = split.files.first(where: { $0.name.lowercased() == "file" }) ?? split.files.first else {
                    throw APIError(400, "The multipart upload has no 'file' part.")
                }
                source = part.file
                size = part.size
            }
            defer { spool?.removeFiles() }
            // Claimed before the bytes move in: a second PUT, even one racing this one, gets 409.
            guard try await services.catalog.claimUpload(id: file.id, size: size) else { throw alreadyUploaded() }
            do {
                try await services.store.put(file.id, movingFrom: source)
                try await services.catalog.markReady(id: file.id, size: size)
            } catch {
                try? await services.catalog.releaseUpload(id: file.id)
                throw error
            }
            return Response(status: .ok)
        }
    }

    /// `/file/upload`: multipart/form-data with the file in a part named `file` (or any part with a file name).
    func uploadMultipart(_ request: Request, _ context: QuireRequestContext) async throws -> Response {
        guard let boundary = MultipartReader.boundary(fromContentType: request.headers[.contentType] ?? "") else {
            throw APIError.missing("file", "Send the file as a multipart/form-data part named 'file'.")
        }
        return try await uploads.admit(client: Self.uploader(context)) {
            let body = try await SpooledBody.receive(
                request.body, in: services.scratch, maxBytes: services.limits.maxUploadBytes + 65_536, tooLarge: tooLarge())
            defer { body.remove() }
            let spool = try await OffLoop.run { [scratch = services.scratch] in
                try MultipartSpool.split(body.file, boundary: boundary, fileFields: ["file"], scratch: scratch)
            }
            defer { spool.removeFiles() }
            guard let part = spool.files.first(where: { $0.name.lowercased() == "file" }) ?? spool.files.first else {
                throw APIError.missing("file", "Send the file as a multipart/form-data part named 'file'.")
            }
            guard part.size <= services.limits.maxUploadBytes else { throw tooLarge() }
            var parameters = ParameterParsing.parseQuery(request.uri.query ?? "", reassembleURL: false)
            parameters.merge(spool.fields)
            let name = OutputName.sanitize(parameters.string("name") ?? part.filename, extension: nil, fallback: "file")
            return try await storeUpload(part.file, size: part.size, name: name, parameters: parameters, owner: context.owner)
        }
    }

    /// `/file/upload/base64`: `file` holds the bytes as base64 (a data URI too), in a JSON, form or multipart body.
    func uploadBase64(_ request: Request, _ context: QuireRequestContext) async throws -> Response {
        let maxBytes = services.limits.maxUploadBytes
        return try await uploads.admit(client: Self.uploader(context)) {
            let body = try await SpooledBody.receive(
                request.body, in: services.scratch, maxBytes: maxBytes / 3 * 4 + 65_536, tooLarge: tooLarge())
            defer { body.remove() }
            let decoded = ScratchFile.make(in: services.scratch, prefix: "decoded")
            defer { try? FileManager.default.removeItem(at: decoded) }
            let boundary = MultipartReader.boundary(fromContentType: request.headers[.contentType] ?? "")
            let tooLarge = tooLarge()
            var query = ParameterParsing.parseQuery(request.uri.query ?? "", reassembleURL: false)
            // Small files may come in the query string, as before bodies were streamed.
            let queryFile = body.size == 0 ? query.string("file") : nil
            let (fields, size) = try await OffLoop.run { [scratch = services.scratch] in
                if let queryFile {
                    return (
                        RequestParameters(),
                        try Base64UploadBody.decodeValue(.text(queryFile), to: decoded, maxBytes: maxBytes, tooLarge: { tooLarge })
                    )
                }
                guard let boundary else {
                    return try Base64UploadBody.decode(body.file, to: decoded, maxBytes: maxBytes, tooLarge: { tooLarge })
                }
                // Multipart: the `file` field is split to disk, then decoded from there.
                let spool = try MultipartSpool.split(body.file, boundary: boundary, fileFields: ["file"], scratch: scratch)
                defer { spool.removeFiles() }
                guard let part = spool.files.first(where: { $0.name.lowercased() == "file" }) else {
                    throw APIError.missing("file", "Send the file's bytes as base64 in 'file'.")
                }
                return (
                    spool.fields,
                    try Base64UploadBody.decodeValue(.file(part.file), to: decoded, maxBytes: maxBytes, tooLarge: { tooLarge })
                )
            }
            query.merge(fields)
            let name = OutputName.sanitize(query.string("name"), extension: nil, fallback: "file")
            return try await storeUpload(decoded, size: size, name: name, parameters: query, owner: context.owner)
        }
    }

    private func storeUpload(_ file: URL, size: Int, name: String, parameters: RequestParameters, owner: String) async throws -> Response {
        guard size <= services.limits.maxUploadBytes else { throw tooLarge() }
        let minutes = try services.limits.expirationMinutes(parameters)
        let now = Date()
        let stored = StoredFile(
            id: RandomID.make(), owner: owner, name: name, size: size, createdAt: now,
            expiresAt: now.addingTimeInterval(Double(minutes) * 60), isReady: true, isUpload: true)
        try await services.store.put(stored.id, movingFrom: file)
        Counter(label: "quire_stored_bytes_total", dimensions: [("kind", "upload")]).increment(by: Int64(size))
        try await services.catalog.insert(stored)
        return JSONAnswer.make([
            "url": .string(services.urls.downloadURL(fileID: stored.id, name: name, expires: stored.expiresAt)),
            "name": .string(name), "error": .bool(false), "status": .int(200),
            "remainingCredits": .int(JobAnswers.remainingCredits),
        ])
    }

    /// Who an upload counts against in `UploadGate`: the API key, or the address of a keyless caller.
    static func uploader(_ context: QuireRequestContext) -> String {
        context.owner == APIKeyStore.anonymousOwner ? "address:" + (context.peerAddress ?? "unknown") : "key:" + context.owner
    }

    private func alreadyUploaded() -> APIError {
        APIError(409, "This upload URL has already been used: request a new one with /file/upload/get-presigned-url.")
    }
}
