// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// `/readyz`: ready when the node is up and its queue and store answer; needs no key.
struct ReadinessTests {
    @Test func readyWhenQueueAndStoreAnswer() async throws {
        let temp = TemporaryDirectory()
        let server = try await QuireServer(data: temp.file("data"), arguments: ["--api-key", "secret-key-1234567890"])
        defer { server.stop() }
        for path in ["/readyz", "/v1/readyz"] {
            let (answer, status) = try await HTTP.getJSON("\(server.baseURL)\(path)")
            #expect(status == 200, "\(path): \(answer)")
            #expect((answer["message"] as? String ?? "").contains("queue and store"), "\(answer)")
        }
        #expect(try await HTTP.getJSON("\(server.baseURL)/account/credit/balance").1 == 401, "other routes still need the key")
    }
}
