// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines
import QuireJobs

extension Worker {
    /// The client-facing failure for anything a job attempt threw.
    ///
    /// Only what another attempt may fix is retried: an engine host that crashed, and the
    /// transient download errors `RemoteFetcher` marks. An engine that answered with an error,
    /// or any other error, will answer the same again: the job fails at once instead of using
    /// up its attempts (and engine hosts) on the same input.
    package static func failure(for error: any Error) -> JobFailure {
        switch error {
        case let failure as JobFailure:
            return failure
        case let error as EngineError:
            return failure(for: error)
        case EngineHostError.timedOut(let seconds):
            return JobFailure(
                status: 445,
                message: "Processing took longer than the job timeout of \(seconds) s and was stopped. Try fewer pages or a smaller file.")
        case EngineHostError.memoryExceeded(let megabytes):
            return JobFailure(
                status: 413, message: "The document needed more than \(megabytes) MB of memory to convert, the limit of this server.")
        case EngineHostError.sandboxUnavailable:
            // The reason (kernel, namespaces) is in the server log, not for clients.
            return JobFailure(
                status: 503,
                message: "Office conversions are unavailable on this server: its sandbox cannot be applied (see the server log).")
        case EngineHostError.crashed:
            return JobFailure(
                status: 500, message: "The conversion engine crashed while processing this document.", isRetryable: true)
        default:
            return JobFailure(status: 500, message: "Internal error while processing the job.")
        }
    }

    static func failure(for error: EngineError) -> JobFailure {
        switch error {
        case .passwordRequired:
            JobFailure(status: 441, message: "The document is password-protected: pass its password in 'password'.")
        case .wrongPassword:
            JobFailure(status: 441, message: "The password given in 'password' does not open this document.")
        case .damaged(let detail):
            JobFailure(status: 442, message: "The input file cannot be processed: \(detail)")
        case .pageRange(let detail):
            JobFailure(status: 449, message: detail)
        case .badParameter(let detail):
            JobFailure(status: 400, message: detail)
        case .limitExceeded(let detail):
            JobFailure(status: 413, message: detail)
        case .unsupported(let detail):
            JobFailure(status: 415, message: detail)
        case .unreachable(let detail):
            // PDF.co's 448: "Invalid URL or HTML".
            JobFailure(status: 448, message: detail)
        case .timedOut(let detail):
            JobFailure(status: 445, message: detail)
        case .invalidTemplate(let detail):
            JobFailure(status: 447, message: "Invalid template: \(detail)")
        case .failed(let detail):
            JobFailure(status: 500, message: detail)
        }
    }
}
