// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireJobs

/// One job attempt in three steps: its inputs as local files, the engine run in one host or
/// several, the results into the store.
extension Worker {
    /// Runs `job` in `directory` (its own scratch folder) and returns what it produced.
    /// - Throws: `JobFailure`, `EngineError`, `EngineHostError` (turned into the client's error by
    ///   `failure(for:)`), or `CancellationError` when shutdown stopped a download.
    func execute(_ job: JobRecord, in directory: URL) async throws -> JobResult {
        let spec = job.spec
        let conversion = spec.operation.conversion
        if conversion.isTestOnly { return try await runTestOperation(spec) }
        let files = try await prepareInputs(of: job, in: directory)
        let output = directory.appendingPathComponent("result")
        if conversion.result.isPageFiles { try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true) }
        let response = try await produce(spec, from: files, into: output)
        return try await storeResults(response, at: output, of: job)
    }

    /// The test-only operations (`--enable-test-operations`): a host that aborts or never answers.
    private func runTestOperation(_ spec: JobSpec) async throws -> JobResult {
        let plan = try spec.operation.conversion.plan(of: spec)
        let request = EngineRequest(
            operation: spec.operation, inputs: ["/dev/null"], output: nil, password: nil, pages: nil, options: plan.options)
        let response = try await runInHost(request, kind: plan.host)
        return JobResult(pageCount: response.pageCount)
    }

    // MARK: - Inputs

    /// The job's inputs as the engines must read them, in order: fetched, decrypted when asked,
    /// and for `/pdf/merge2` each turned into a PDF.
    private func prepareInputs(of job: JobRecord, in directory: URL) async throws -> [String] {
        var files: [String] = []
        for (index, input) in try await fetchInputs(of: job, into: directory).enumerated() {
            // A host sees none of these paths: EngineHostProcess links the inputs into its own work folder.
            files.append(try decryptedIfAsked(input.file, spec: job.spec, in: directory, index: index).path)
        }
        if job.spec.operation.conversion.input == .severalAsPDF { files = try await convertForMerge(files, in: directory) }
        if job.spec.operation.conversion.readsImagesAsScans { files = try await scansAsPDF(files, in: directory) }
        return files
    }

    // MARK: - Hosts

    /// Runs the job's conversion on `files`, writing to `output`: in the worker itself, in one
    /// host, or for page images of a long document in several.
    /// - Throws: the engine's error when it answered with one.
    private func produce(_ spec: JobSpec, from files: [String], into output: URL) async throws -> EngineResponse {
        let conversion = spec.operation.conversion
        let plan = try conversion.plan(of: spec)
        var request = EngineRequest(
            operation: spec.operation, inputs: files, output: output.path, password: spec.password, pages: spec.pages,
            options: plan.options)
        request.ocrFallback = !ocrs.isEmpty && plan.ocrFallback != nil
        if let pass = plan.ocrPass {
            request.ocrWords = try await recognize(request, pass: pass, in: output.deletingLastPathComponent())
        }
        if let prepared = conversion as? any WorkerPrepared.Type {
            request = try await prepared.prepare(request, worker: self, in: output.deletingLastPathComponent())
        }
        let kind = plan.host
        var response: EngineResponse
        if kind == .worker {
            guard let performed = conversion as? any WorkerPerformed.Type else {
                throw JobFailure(status: 500, message: "\(spec.operation.rawValue) has no worker side.")
            }
            response = try await performed.handle(request)
        } else if conversion.fansOutPages && kind == .mupdf,
            let split = try await renderAcrossHosts(request, hostCount: engines.hosts.count)
        {
            response = split
        } else {
            response = try await runInHost(request, kind: kind)
            response = try await withOCRFallback(response, spec, request, kind: kind, in: output.deletingLastPathComponent())
        }
        if let error = response.error { throw error }
        guard let (options, host) = plan.finishing else { return response }
        // A second run on the first one's result (XLSX → XLS), which moves aside as its input.
        let first = output.deletingLastPathComponent().appendingPathComponent("first-result")
        try FileManager.default.moveItem(at: output, to: first)
        let finish = try await runInHost(
            EngineRequest(
                operation: spec.operation, inputs: [first.path], output: output.path, password: nil, pages: nil, options: options),
            kind: host)
        if let error = finish.error { throw error }
        return EngineResponse(pageCount: response.pageCount, fields: response.fields.merging(finish.fields) { $1 })
    }

    /// Runs `request` in a host of `kind`.
    func runInHost(_ request: EngineRequest, kind: HostKind) async throws -> EngineResponse {
        let pool: EngineHostPool
        switch kind {
        case .mupdf: pool = engines
        case .office: pool = offices
        case .browser: pool = browsers
        case .worker: throw JobFailure(status: 500, message: "\(request.operation.rawValue) runs in no host.")
        }
        guard !pool.isEmpty else {
            let message =
                kind == .browser
                ? "HTML and web page conversions are turned off on this server (--browser-workers 0, or Chromium is not installed)."
                : "Office conversions are turned off on this server (--office-workers 0)."
            throw JobFailure(status: 503, message: message)
        }
        let timeout = settings.jobTimeout
        return try await pool.withHost { host in try await host.run(request, timeout: timeout) }
    }
}
