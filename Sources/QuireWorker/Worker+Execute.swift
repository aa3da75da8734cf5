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
        if spec.operation == .testCrash || spec.operation == .testHang { return try await runTestOperation(spec) }
        let files = try await prepareInputs(of: job, in: directory)
        let output = directory.appendingPathComponent("result")
        if spec.operation.hasPageFiles { try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true) }
        let response = try await produce(spec, from: files, into: output)
        return try await storeResults(response, at: output, of: job)
    }

    /// Whether `spec` runs in a LibreOffice host rather than a MuPDF one.
    private func runsInOffice(_ spec: JobSpec) -> Bool {
        spec.operation.needsOffice || spec.options["host"] == "office"
    }

    /// The test-only operations (`--enable-test-operations`): a host that aborts or never answers.
    private func runTestOperation(_ spec: JobSpec) async throws -> JobResult {
        let response = try await runInHost(
            EngineRequest(operation: spec.operation, inputs: ["/dev/null"], output: nil, password: nil, pages: nil, options: [:]),
            office: runsInOffice(spec))
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
        if job.spec.operation == .pdfMerge2 { files = try await convertForMerge(files, in: directory) }
        return files
    }

    // MARK: - Hosts

    /// Runs the job's operation on `files`, writing to `output`; an operation without an engine
    /// (`/file/upload/url`) just copies its input there.
    /// - Throws: the engine's error when it answered with one.
    private func produce(_ spec: JobSpec, from files: [String], into output: URL) async throws -> EngineResponse {
        guard spec.operation.needsEngine else {
            try FileManager.default.copyItem(at: URL(fileURLWithPath: files[0]), to: output)
            return EngineResponse()
        }
        let office = runsInOffice(spec)
        let request = EngineRequest(
            operation: spec.operation, inputs: files, output: output.path, password: spec.password, pages: spec.pages,
            options: spec.options)
        let response: EngineResponse
        // Page images of a long document: several engine hosts at once.
        if spec.operation.rendersPageImages && !office, let split = try await renderAcrossHosts(request, hostCount: engines.hosts.count) {
            response = split
        } else {
            response = try await runInHost(request, office: office)
        }
        if let error = response.error { throw error }
        return response
    }

    /// Runs `request` in a host of the right kind (office jobs in LibreOffice hosts).
    func runInHost(_ request: EngineRequest, office: Bool) async throws -> EngineResponse {
        let pool = office ? offices : engines
        guard !pool.isEmpty else {
            throw JobFailure(status: 503, message: "Office conversions are turned off on this server (--office-workers 0).")
        }
        let timeout = settings.jobTimeout
        return try await pool.withHost { host in try await host.run(request, timeout: timeout) }
    }
}
