// SPDX-License-Identifier: AGPL-3.0-or-later

/// Somewhere engine requests run, one at a time: a supervised child process in the server
/// (`EngineHostProcess`), a scripted fake in the worker's unit tests.
package protocol EngineHost: AnyObject, Sendable {
    /// Gets ready for the first request (pre-warm), so that request does not pay for it.
    func start() async throws
    /// Runs `request` and returns the engine's answer, waiting at most `timeout`.
    /// - Throws: `EngineHostError` when the host could not answer (`.crashed`, `.timedOut`, …);
    ///   an engine that refused the input answers with `EngineResponse.error` instead.
    func run(_ request: EngineRequest, timeout: Duration) async throws -> EngineResponse
    /// Releases what the host holds (server shutdown).
    func stop()
}
