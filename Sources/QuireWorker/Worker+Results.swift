// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireJobs
import QuireStorage

extension Worker {
    /// Stores what the engine wrote at `output` as the job's result (and each page file of a
    /// page job under its own ID); returns the job's result.
    func storeResults(_ response: EngineResponse, at output: URL, of job: JobRecord) async throws -> JobResult {
        let pageCount = response.pageCount
        let result = job.spec.operation.conversion.result
        guard result.hasFile else { return JobResult(pageCount: pageCount, fields: response.fields) }
        guard result.isPageFiles else {
            return try await storeResult(output, job: job, pageCount: pageCount, fields: response.fields)
        }
        let urls = try await storePageFiles(response.fields["files"], job: job)
        // The result file is what an async client downloads: a bare JSON array of the page URLs.
        let list = output.appendingPathExtension("json")
        try JSONEncoder.quire().encode(urls).writeUnsynced(to: list)
        var fields = ["urls": JSONValue.array(urls.map { .string($0) })]
        if let body = Self.body(response.fields["body"], describingFilesAt: urls) { fields["body"] = body }
        return try await storeResult(list, job: job, pageCount: pageCount, fields: fields)
    }

    /// An engine's `body` whose `attachments` describe its files one by one
    /// (`/email/extract-attachments`), each given its file's `url`; nil when there is none.
    static func body(_ body: JSONValue?, describingFilesAt urls: [String]) -> JSONValue? {
        guard case .object(var members) = body, case .array(let items) = members["attachments"], items.count == urls.count else {
            return nil
        }
        members["attachments"] = .array(
            zip(items, urls).map { item, url in
                guard case .object(var described) = item else { return item }
                described["url"] = .string(url)
                return .object(described)
            })
        return .object(members)
    }

    /// Stores each page file under its own ID; returns their download URLs in page order.
    private func storePageFiles(_ files: JSONValue?, job: JobRecord) async throws -> [String] {
        guard case .array(let items) = files else { throw JobFailure(status: 500, message: "The engine returned no pages.") }
        var urls: [String] = []
        var names = UniqueFileNames()
        for case .string(let path) in items {
            let file = URL(fileURLWithPath: path)
            let id = RandomID.make()
            let name = names.claim(file.lastPathComponent)
            try await storeFile(file, id: id, name: name, for: job)
            urls.append(inputs.urls.downloadURL(fileID: id, name: name, expires: job.resultExpiresAt))
        }
        return urls
    }

    private func storeResult(_ output: URL, job: JobRecord, pageCount: Int?, fields: [String: JSONValue]) async throws -> JobResult {
        try await storeFile(output, id: job.spec.resultFileID, name: job.spec.outputName, for: job)
        return JobResult(fileID: job.spec.resultFileID, fileName: job.spec.outputName, pageCount: pageCount, fields: fields)
    }

    /// Moves `file` into the store under `id` and records it, owned by the job's key, until the
    /// job's result expiry.
    private func storeFile(_ file: URL, id: String, name: String, for job: JobRecord) async throws {
        let size = FileManager.default.sizeOfFile(at: file)
        try await store.put(id, movingFrom: file)
        WorkerMetrics.stored(bytes: size, kind: "result")
        // A retried job may have stored its result before the crash: replace the record.
        try await catalog.replace(
            StoredFile(
                id: id, owner: job.owner, name: name, size: size, createdAt: Date(), expiresAt: job.resultExpiresAt, isReady: true,
                // /file/upload/url stores a remote file as fetched, attachments as embedded:
                // client content, not an engine's.
                isUpload: job.spec.operation.conversion.storesClientContent))
    }
}
