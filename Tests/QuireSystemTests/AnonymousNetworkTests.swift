// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// `--anonymous-from`: clients of the Cloud API Server send no key; from a listed network they
/// need none, from anywhere else they get 401 naming the flag, and keys keep working.
@Suite(.serialized)
struct AnonymousNetworkTests {
    /// A non-loopback IPv4 address of this machine, nil when it has none.
    static let machineAddress: String? = {
        let output = (try? runCommandBlocking("hostname", ["-I"]).output) ?? ""
        return output.split(separator: " ").map(String.init).first { $0.contains(".") && !$0.hasPrefix("127.") }
    }()

    @Test(.enabled(if: machineAddress != nil, "this machine has no non-loopback IPv4 address"))
    func listedNetworkNeedsNoKey() async throws {
        let address = try #require(Self.machineAddress)
        let temp = TemporaryDirectory()
        let server = try await QuireServer(
            data: temp.file("data"),
            arguments: ["--host", "0.0.0.0", "--anonymous-from", "\(address)/32", "--api-key", "the-only-key-4711"])
        defer { server.stop() }
        let outside = server.baseURL  // 127.0.0.1: not in the listed network
        let inside = "http://\(address):\(server.port)"

        let url = try await HTTP.upload(Fixtures.threePages, name: "a.pdf", base: inside)
        let (answer, status) = try await HTTP.postJSON("\(inside)/pdf/convert/to/text", ["url": url])
        #expect(status == 200, "\(answer)")
        #expect((answer["body"] as? String ?? "").isEmpty)

        let (refused, refusedStatus) = try await HTTP.postJSON("\(outside)/pdf/convert/to/text", ["url": url])
        #expect(refusedStatus == 401)
        #expect((refused["message"] as? String)?.contains("--anonymous-from") == true, "\(refused)")

        // The key works from anywhere; the anonymous owner's file is not the key's.
        let key = ["x-api-key": "the-only-key-4711"]
        let (foreign, foreignStatus) = try await HTTP.postJSON("\(outside)/pdf/convert/to/text", ["url": url], headers: key)
        #expect(foreignStatus == 404, "\(foreign)")
        let own = try await HTTP.upload(Fixtures.threePages, name: "b.pdf", base: outside, headers: key)
        #expect(try await HTTP.postJSON("\(outside)/pdf/convert/to/text", ["url": own], headers: key).1 == 200)
        // A wrong key is refused even from the listed network.
        #expect(try await HTTP.postJSON("\(inside)/pdf/info", ["url": url], headers: ["x-api-key": "wrong"]).1 == 401)
    }

    /// Without keys and without the flag, Quire still refuses to listen beyond loopback, and says which flag to use.
    @Test func nonLoopbackWithoutKeyIsRefusedAtStart() async throws {
        let temp = TemporaryDirectory()
        let result = try await runCommand(
            "sh",
            [
                "-c", "\"$0\" serve --host 0.0.0.0 --port 0 --data \"$1\" --office-workers 0 2>&1", QuireServer.binary.path,
                temp.file("data").path,
            ])
        #expect(result.status != 0)
        #expect(result.output.contains("--anonymous-from"), "\(result.output)")
    }
}
