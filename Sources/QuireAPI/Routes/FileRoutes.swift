// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import HTTPTypes
import Hummingbird
import QuireCore
import QuireStorage

/// `/file/*` (PDF.co's upload and delete endpoints) plus the signed URLs Quire hands out:
/// `GET /files/<token>/<name>` downloads, `PUT /upload/<token>/<name>` is the presigned upload.
struct FileRoutes {
    let services: APIServices
    let uploads: UploadGate
    let fileIO = FileIO()

    init(services: APIServices) {
        self.services = services
        self.uploads = UploadGate(limit: services.limits.maxConcurrentUploads)
    }

    func add(to routes: RouteTable) {
        routes.add("/file/upload/get-presigned-url") { request, context in try await presign(request, context) }
        routes.add(FileRoutes.uploadPath, methods: [.put, .post]) { request, context in try await receivePresigned(request, context) }
        routes.add("/file/upload", methods: [.post]) { request, context in try await uploadMultipart(request, context) }
        routes.add("/file/upload/base64", methods: [.post]) { request, context in try await uploadBase64(request, context) }
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
        let minutes = try services.limits.expirationMinutes(parameters)
        let now = Date()
        let file = StoredFile(
            id: RandomID.make(), owner: context.owner, name: name, createdAt: now,
            expiresAt: now.addingTimeInterval(Double(minutes) * 60), isReady: false, isUpload: true)
        try await services.catalog.insert(file)
        let uploadExpiry = min(file.expiresAt, now.addingTimeInterval(services.limits.presignedUploadLifetime.timeInterval))
        let uploadURL: String
        if let direct = services.store as? any DirectAccessStore {
            // Straight to S3, as PDF.co does; the file becomes ready at first use (`DirectUploads`).
            let seconds = Int(uploadExpiry.timeIntervalSince(now).rounded(.down))
            uploadURL = direct.presignedPutURL(key: file.id, expires: .seconds(seconds), now: now).absoluteString
        } else {
            uploadURL = services.urls.uploadURL(fileID: file.id, name: name, expires: uploadExpiry)
        }
        return JSONAnswer.make([
            "presignedUrl": .string(uploadURL),
            "url": .string(services.urls.downloadURL(fileID: file.id, name: name, expires: file.expiresAt)),
            "name": .string(name), "error": .bool(false), "status": .int(200),
            "remainingCredits": .int(JobAnswers.remainingCredits),
        ])
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
        // The record first: a job that finds it then finds the bytes, or is told "not found".
        try await services.catalog.delete(id: file.id)
        try await services.store.delete(file.id)
        return JSONAnswer.make(["error": .bool(false), "status": .int(200), "message": .string("File deleted.")])
    }

    private func download(_ request: Request, _ context: QuireRequestContext) async throws -> Response {
        let fileID = try verify(context.parameters.get("token") ?? "", purpose: .download)
        let now = Date()
        let notFound = APIError(404, "File not found: the job has not finished yet, failed, or the file expired.")
        guard var file = try await services.catalog.file(id: fileID), file.expiresAt > now else { throw notFound }
        do {
            file = try await services.directUploads.settle(file, now: now)
        } catch StorageError.tooLarge {
            throw tooLarge()
        }
        guard file.isReady else { throw notFound }
        if let direct = services.store as? any DirectAccessStore {
            return redirect(to: file, in: direct, method: request.method, now: now)
        }
        let path: URL
        do {
            path = try await services.store.localFile(for: file.id, scratch: services.scratch)
        } catch StorageError.notFound {
            throw notFound  // deleted between the catalog read and here
        }
        let body = try await fileIO.loadFile(path: path.path, context: context)
        var headers = Self.downloadHeaders(for: file)
        if let size = file.size { headers[.contentLength] = String(size) }
        return Response(status: .ok, headers: headers, body: request.method == .head ? .init() : body)
    }

    /// Headers of a download. What a client uploaded is opaque bytes, offered as an attachment:
    /// served as `text/html` from this origin it could run script in a browser. Engine results
    /// keep their real type. Every download is sandboxed and never sniffed.
    static func downloadHeaders(for file: StoredFile) -> HTTPFields {
        var headers: HTTPFields = [
            .contentType: file.isUpload ? "application/octet-stream" : ContentTypes.forName(file.name),
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            .contentSecurityPolicy: "sandbox",
        ]
        if file.isUpload { headers[.contentDisposition] = "attachment; filename=\"\(quotableName(file.name))\"" }
        return headers
    }

    /// The name as a quoted-string parameter: ASCII without quotes, backslashes or controls.
    static func quotableName(_ name: String) -> String {
        String(
            name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 && $0.value != 0x7F ? Character($0) : "_" }
        )
    }

    func verify(_ token: String, purpose: URLPurpose) throws -> String {
        do {
            return try services.urls.signer.verify(token, purpose: purpose)
        } catch SignedURLError.expired {
            throw APIError(404, "This link has expired.")
        } catch {
            throw APIError(403, "Invalid or tampered link.")
        }
    }

    func tooLarge() -> APIError {
        APIError(
            413, "The file is larger than this server's upload limit of \(services.limits.maxUploadBytes / 1_048_576) MB (--max-upload-mb)."
        )
    }
}
