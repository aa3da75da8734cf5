// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireTestSupport
import QuireWorker
import Testing

/// Remote inputs against a real HTTP server on loopback.
struct RemoteFetcherTests {
    let server: LoopbackFileServer
    let temp = TemporaryDirectory()

    /// A fetcher whose own deadline is not under test: generous, because at the start of a CI
    /// run, with every suite starting at once on 2 cores, this process has been starved for a
    /// minute (each test of this suite took 60 s there, and a 60 s download deadline passed).
    static func fetcher(allowsPrivate: Bool = true, maxBytes: Int = 1 << 20) -> RemoteFetcher {
        RemoteFetcher(policy: AddressPolicy(allowsPrivate: allowsPrivate), maxBytes: maxBytes, timeout: .seconds(600))
    }

    init() throws {
        server = try LoopbackFileServer()
        try server.put("a.pdf", Data(repeating: 0x41, count: 10_000))
        try server.put("sub/index.html", Data("hi".utf8))
    }

    @Test func downloadsWhenPrivateAddressesAreAllowed() async throws {
        let fetcher = Self.fetcher()
        let name = try await fetcher.fetch(server.url("a.pdf"), to: temp.file("out"))
        #expect(name == "a.pdf")
        #expect(try Data(contentsOf: temp.file("out")).count == 10_000)
    }

    /// SSRF: loopback is refused by default, for literals and for names that resolve to it.
    @Test(arguments: ["127.0.0.1", "localhost"])
    func refusesLoopbackByDefault(host: String) async throws {
        let fetcher = Self.fetcher(allowsPrivate: false)
        await #expect(throws: JobFailure.self) {
            _ = try await fetcher.fetch("http://\(host):\(server.port)/a.pdf", to: temp.file("out"))
        }
        do {
            _ = try await fetcher.fetch("http://\(host):\(server.port)/a.pdf", to: temp.file("out"))
        } catch let failure as JobFailure {
            #expect(failure.status == 403)
        }
    }

    @Test func enforcesTheSizeLimit() async throws {
        let fetcher = Self.fetcher(maxBytes: 1000)
        do {
            _ = try await fetcher.fetch(server.url("a.pdf"), to: temp.file("out"))
            Issue.record("expected a size error")
        } catch let failure as JobFailure {
            #expect(failure.status == 413)
        }
    }

    @Test func followsRedirectsAndReportsHTTPErrors() async throws {
        let fetcher = Self.fetcher()
        // http.server answers /sub with a 301 to /sub/.
        _ = try await fetcher.fetch(server.url("sub"), to: temp.file("out"))
        #expect(try String(contentsOf: temp.file("out"), encoding: .utf8) == "hi")
        do {
            _ = try await fetcher.fetch(server.url("missing.pdf"), to: temp.file("out"))
            Issue.record("expected an HTTP error")
        } catch let failure as JobFailure {
            #expect(failure.status == 400)
            #expect(failure.message.contains("404"))
        }
    }

    @Test(arguments: ["ftp://example.com/a.pdf", "file:///etc/passwd", "gopher://x/"])
    func refusesOtherSchemes(url: String) async {
        let fetcher = Self.fetcher()
        await #expect(throws: JobFailure.self) { _ = try await fetcher.fetch(url, to: temp.file("out")) }
    }

    /// A body that trickles in (2 bytes/s against a minimum of 100 bytes in 2 s) is stopped, not
    /// read for ever.
    @Test func stopsADownloadSlowerThanTheMinimumRate() async throws {
        let fetcher = RemoteFetcher(
            policy: AddressPolicy(allowsPrivate: true), maxBytes: 1 << 20, timeout: .seconds(600),
            minimumRate: TransferRate(bytes: 100, window: .seconds(2)))
        do {
            _ = try await fetcher.fetch(server.drip(bytes: 1000, interval: 0.5), to: temp.file("out"))
            Issue.record("expected a too-slow error")
        } catch let failure as JobFailure {
            #expect(failure.status == 400)
            #expect(failure.message.contains("too slow"))
            #expect(!failure.isRetryable)
        }
    }

    /// The deadline covers the body, not only the response head.
    @Test func deadlineCoversTheWholeBody() async throws {
        let fetcher = Self.fetcher()
        do {
            _ = try await fetcher.fetch(server.drip(bytes: 1000, interval: 0.2), to: temp.file("out"), deadline: .now + .seconds(2))
            Issue.record("expected a deadline error")
        } catch let failure as JobFailure {
            #expect(failure.status == 400)
            #expect(failure.message.contains("job timeout"))
        }
    }

    /// Cancelling the fetch (server shutdown) ends it at once with `CancellationError`.
    @Test func cancellationEndsTheDownload() async throws {
        let fetcher = Self.fetcher()
        let target = temp.file("out")
        let download = Task { try await fetcher.fetch(server.drip(bytes: 1000, interval: 0.2), to: target) }
        let deadline = Date().addingTimeInterval(10)
        while !server.authorizations().contains(where: { $0.path.hasPrefix("/drip") }) && Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        download.cancel()
        await #expect(throws: CancellationError.self) { _ = try await download.value }
    }
}
