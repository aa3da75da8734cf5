// SPDX-License-Identifier: AGPL-3.0-or-later
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import QuireCore

/// POSTs a finished job's `/job/check` answer to its `callback` URL, with the same SSRF rules
/// as inputs (the connection is pinned to the checked address) and a few retries.
package struct WebhookSender: Sendable {
    let fetcher: RemoteFetcher
    let logger: Logger
    /// Pauses before each retry; the first attempt is immediate.
    var backoff: [Duration] = [.seconds(2), .seconds(10), .seconds(30)]

    package init(fetcher: RemoteFetcher, logger: Logger) {
        self.fetcher = fetcher
        self.logger = logger
    }

    /// Returns whether the receiver answered 2xx.
    @discardableResult
    package func send(_ payload: [String: JSONValue], to callback: String, jobID: String) async -> Bool {
        let body: Data
        do {
            body = try JSONEncoder.quire().encode(payload)
        } catch {
            return false
        }
        for (attempt, pause) in ([Duration.zero] + backoff).enumerated() {
            if attempt > 0 { try? await Task.sleep(for: pause) }
            do {
                if try await post(body, to: callback) { return true }
            } catch {
                logger.warning("webhook failed", metadata: ["job.id": "\(jobID)", "attempt": "\(attempt + 1)", "error": "\(error)"])
                // A refused address or a malformed URL will not get better with time.
                if let failure = error as? JobFailure, !failure.isRetryable { return false }
            }
        }
        return false
    }

    private func post(_ body: Data, to callback: String) async throws -> Bool {
        let url = try RemoteFetcher.normalize(callback)
        let address = try await fetcher.checkedAddress(for: url)
        let client = RemoteFetcher.pinnedClient(for: url, address: address)
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Quire")
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            try await client.shutdown()
            return (200..<300).contains(Int(response.status.code))
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
