// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Hummingbird
import QuireCore
import QuireStorage

/// `/file/*` (PDF.co's upload and delete endpoints) plus the signed URLs Quire hands out:
/// `GET /files/<token>/<name>` downloads, `PUT /upload/<token>/<name>` is the presigned upload.
struct FileRoutes {
    let services: APIServices
    let submitter: JobSubmitter
    let fileIO = FileIO()

    func add(to routes: RouteTable) {
        routes.add("/file/upload/get-presigned-url") { request, context in try await presign(request, context) }
        routes.add(FileRoutes.uploadPath, methods: [.put, .post]) { request, context in try await receivePresigned(request, context) }
        routes.add("/file/upload", methods: [.post]) { request, context in try await uploadMultipart(request, context) }
        routes.add("/file/upload/base64", methods: [.post]) { request, context in try await uploadBase64(request, context) }
        routes.add("/file/upload/url") { request, context in try await uploadFromURL(request, context) }
        routes.add("/file/delete") { request, context in try await delete(request, context) }
        routes.add(FileRoutes.downloadPath, methods: [.get, .head]) { request, context in try await download(request, context) }
    }

    static let uploadPath = "/\(FileURLs.uploadPrefix)/:token/:name"
    static let downloadPath = "/\(FileURLs.downloadPrefix)/:token/:name"

    // MARK: - Presigned upload

    private func presign(_ request: Request, _ context: QuireRequestContext) async throws -> Response {
        var request = request
        let parameters = try await request.parameters(maxBodyBytes: services.limits.maxRequestBytes)
        let name = OutputName.sanitize(parameters.string("name"), extension: nil, fallback: "file")
        let minutes = try parameters.int(
            "expiration", default: services.limits.defaultExpirationMinutes, range: 1...services.limits.maxExpirationMinutes)
        let now = Date()
        let file = StoredFile(
            id: RandomID.make(), owner: context.owner, name: name, createdAt: now,
            expiresAt: now.addingTimeInterval(Double(minutes) * 60), isReady: false)
        try await services.catalog.insert(file)
        let uploadExpiry = min(file.expiresAt, now.addingTimeInterval(services.limits.presignedUploadLifetime.timeInterval))
        return JSONAnswer.make([
            "presignedUrl": .string(services.urls.uploadURL(fileID: file.id, name: name, expires: uploadExpiry)),
            "url": .string(services.urls.downloadURL(fileID: file.id, name: name, expires: file.expiresAt)),
            "name": .string(name), "error": .bool(false), "status": .int(200),
            "remainingCredits": .int(JobAnswers.remainingCredits),
        ])
    }

    /// The PUT to a presigned URL: a raw body of any type, or a multipart body with a `file` part
    /// (the on-prem server's own sample sends that). The body streams to disk under the size limit.
    private func receivePresigned(_ request: Request, _ context: QuireRequestContext) async throws -> Response {
        let fileID = try verify(context.parameters.get("token") ?? "", purpose: .upload)
        guard let file = try await services.catalog.file(id: fileID) else { throw APIError(404, "Upload URL unknown or expired.") }
        let temporary = services.scratch.appendingPathComponent("upload-\(RandomID.make(length: 16))")
        defer { try? FileManager.default.removeItem(at: temporary) }
        var size = try await stream(request.body, to: temporary)
        if let boundary = MultipartReader.boundary(fromContentType: request.headers[.contentType] ?? "") {
            let parts = MultipartReader.parts(of: try Data(contentsOf: temporary), boundary: boundary)
            guard let part = parts.first(where: { $0.name.lowercased() == "file" }) ?? parts.first(where: { $0.filename != nil }) else {
                throw APIError(400, "The multipart upload has no 'file' part.")
            }
            try part.body.write(to: temporary)
            size = part.body.count
        }
        try await services.store.put(file.id, movingFrom: temporary)
        try await services.catalog.markReady(id: file.id, size: size)
        return Response(status: .ok)
    }

    private func stream(_ body: RequestBody, to destination: URL) async throws -> Int {
        FileManager.default.createFile(atPath: destination.path, contents: nil)
        let handle = try FileHandle(forWritingTo: destination)
        defer { try? handle.close() }
        var size = 0
        for try await chunk in body {
            size += chunk.readableBytes
            guard size <= services.limits.maxUploadBytes else { throw tooLarge() }
            try handle.write(contentsOf: chunk.readableBytesView)
        }
        return size
    }

    // MARK: - Direct uploads

    private func uploadMultipart(_ request: Request, _ context: QuireRequestContext) async throws -> Response {
        var request = request
        let parameters = try await request.parameters(maxBodyBytes: services.limits.maxUploadBytes + 65_536)
        guard let part = parameters.files.first(where: { $0.name.lowercased() == "file" }) ?? parameters.files.first else {
            throw APIError.missing("file", "Send the file as a multipart/form-data part named 'file'.")
        }
        let name = OutputName.sanitize(parameters.string("name") ?? part.filename, extension: nil, fallback: "file")
        return try await storeUpload(part.body, name: name, parameters: parameters, owner: context.owner)
    }

    private func uploadBase64(_ request: Request, _ context: QuireRequestContext) async throws -> Response {
        var request = request
        let parameters = try await request.parameters(maxBodyBytes: services.limits.maxUploadBytes / 3 * 4 + 65_536)
        guard var text = parameters.string("file") else { throw APIError.missing("file", "Send the file's bytes as base64 in 'file'.") }
        // Samples send data URIs: `data:image/gif;base64,R0lGOD…`.
        if text.hasPrefix("data:"), let comma = text.firstIndex(of: ",") { text = String(text[text.index(after: comma)...]) }
        // A form body sent without percent-encoding turns `+` into a space: take spaces back as
        // `+`, drop line breaks, and accept the URL-safe alphabet too.
        let compact = text.replacingOccurrences(of: " ", with: "+").filter { !$0.isWhitespace }
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let padded = compact + String(repeating: "=", count: (4 - compact.count % 4) % 4)
        guard let data = Data(base64Encoded: padded) else { throw APIError.badParameter("file", "it is not valid base64.") }
        let name = OutputName.sanitize(parameters.string("name"), extension: nil, fallback: "file")
        return try await storeUpload(data, name: name, parameters: parameters, owner: context.owner)
    }

    private func storeUpload(_ data: Data, name: String, parameters: RequestParameters, owner: String) async throws -> Response {
        guard data.count <= services.limits.maxUploadBytes else { throw tooLarge() }
        let minutes = try parameters.int(
            "expiration", default: services.limits.defaultExpirationMinutes, range: 1...services.limits.maxExpirationMinutes)
        let now = Date()
        let file = StoredFile(
            id: RandomID.make(), owner: owner, name: name, size: data.count, createdAt: now,
            expiresAt: now.addingTimeInterval(Double(minutes) * 60), isReady: true)
        try await services.store.put(file.id, data: data)
        try await services.catalog.insert(file)
        return JSONAnswer.make([
            "url": .string(services.urls.downloadURL(fileID: file.id, name: name, expires: file.expiresAt)),
            "name": .string(name), "error": .bool(false), "status": .int(200),
            "remainingCredits": .int(JobAnswers.remainingCredits),
        ])
    }

    /// `/file/upload/url`: the worker fetches the URL (with the same SSRF rules as any input).
    private func uploadFromURL(_ request: Request, _ context: QuireRequestContext) async throws -> Response {
        var request = request
        let parameters = try await request.parameters(maxBodyBytes: services.limits.maxRequestBytes)
        var conversion = try ConversionRequest(parameters, limits: services.limits, outputExtension: nil)
        let fromURL = conversion.inputs[0].split(separator: "?").first.map { String($0.split(separator: "/").last ?? "") }
        conversion.outputName = OutputName.sanitize(conversion.requestedName ?? fromURL, extension: nil, fallback: "file")
        return try await submitter.submit(conversion.spec(.uploadFromURL), owner: context.owner, isAsync: conversion.isAsync)
    }

    // MARK: - Delete and download

    private func delete(_ request: Request, _ context: QuireRequestContext) async throws -> Response {
        var request = request
        let parameters = try await request.parameters(maxBodyBytes: services.limits.maxRequestBytes)
        guard let url = parameters.string(anyOf: "url", "file") else {
            throw APIError.missing("url", "Pass the URL of the file to delete.")
        }
        guard let token = FileURLs.token(in: url, prefix: FileURLs.downloadPrefix) else {
            throw APIError(404, "Not a file URL of this server.")
        }
        let fileID = try verify(token, purpose: .download)
        guard let file = try await services.catalog.file(id: fileID, owner: context.owner) else { throw APIError(404, "File not found.") }
        try await services.store.delete(file.id)
        try await services.catalog.delete(id: file.id)
        return JSONAnswer.make(["error": .bool(false), "status": .int(200), "message": .string("File deleted.")])
    }

    private func download(_ request: Request, _ context: QuireRequestContext) async throws -> Response {
        let fileID = try verify(context.parameters.get("token") ?? "", purpose: .download)
        guard let file = try await services.catalog.file(id: fileID), file.isReady, file.expiresAt > Date() else {
            throw APIError(404, "File not found: the job has not finished yet, failed, or the file expired.")
        }
        let path = try await services.store.localFile(for: file.id, scratch: services.scratch)
        let body = try await fileIO.loadFile(path: path.path, context: context)
        var headers: HTTPFields = [.contentType: ContentTypes.forName(file.name)]
        if let size = file.size { headers[.contentLength] = String(size) }
        return Response(status: .ok, headers: headers, body: request.method == .head ? .init() : body)
    }

    private func verify(_ token: String, purpose: URLPurpose) throws -> String {
        do {
            return try services.urls.signer.verify(token, purpose: purpose)
        } catch SignedURLError.expired {
            throw APIError(404, "This link has expired.")
        } catch {
            throw APIError(403, "Invalid or tampered link.")
        }
    }

    private func tooLarge() -> APIError {
        APIError(
            413, "The file is larger than this server's upload limit of \(services.limits.maxUploadBytes / 1_048_576) MB (--max-upload-mb)."
        )
    }
}
