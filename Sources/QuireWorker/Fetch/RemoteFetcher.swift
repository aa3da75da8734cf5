// SPDX-License-Identifier: AGPL-3.0-or-later
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import QuireCore
import QuireJobs

/// Downloads remote http(s) inputs with limits and SSRF protection.
///
/// The host name is resolved here, every address is checked by `AddressPolicy`, and the
/// connection goes to exactly the address that was checked (AsyncHTTPClient's `dnsOverride`),
/// so a DNS answer that changes between check and connect cannot reach a private address.
/// Redirects are followed by hand so each hop is checked the same way, and credentials go only
/// to the origin they were given for. A download ends at its deadline (the whole body, not only
/// the headers) or when it is slower than `minimumRate`.
package struct RemoteFetcher: Sendable {
    package var policy: AddressPolicy
    package var maxBytes: Int
    /// The deadline of a download whose caller gives none.
    package var timeout: Duration
    package var maxRedirects: Int
    package var minimumRate: TransferRate

    package init(
        policy: AddressPolicy, maxBytes: Int, timeout: Duration = .seconds(60), maxRedirects: Int = 5,
        minimumRate: TransferRate = .default
    ) {
        self.policy = policy
        self.maxBytes = maxBytes
        self.timeout = timeout
        self.maxRedirects = maxRedirects
        self.minimumRate = minimumRate
    }

    /// Downloads `urlText` into `destination` by `deadline` (default: `timeout` from now);
    /// returns the file name the URL suggests. `username`/`password` (basic auth) are sent only
    /// to the scheme, host and port of `urlText`, never to another origin a redirect leads to.
    /// - Throws: `JobFailure` with a client-safe message (400 unreachable, too slow or past the
    ///   deadline, 403 forbidden address, 413 too large); `CancellationError` when cancelled.
    package func fetch(
        _ urlText: String, to destination: URL, username: String? = nil, password: String? = nil,
        deadline: ContinuousClock.Instant? = nil
    ) async throws -> String {
        let watchdog = DownloadWatchdog(deadline: deadline ?? .now + timeout, rate: minimumRate)
        let meter = DownloadMeter()
        let credentials = username.flatMap { $0.isEmpty ? nil : "\($0):\(password ?? "")" }
        do {
            return try await withThrowingTaskGroup(of: String?.self) { group in
                group.addTask { try await self.follow(urlText, to: destination, credentials: credentials, meter: meter) }
                group.addTask {
                    try await watchdog.watch(meter)
                    return nil
                }
                defer { group.cancelAll() }
                while let result = try await group.next() {
                    if let name = result { return name }
                }
                throw CancellationError()
            }
        } catch let failure as JobFailure where !Task.isCancelled {
            throw failure
        } catch {
            try Task.checkCancellation()
            throw error
        }
    }

    /// Follows redirects from `urlText` until a hop answers with a body.
    private func follow(_ urlText: String, to destination: URL, credentials: String?, meter: DownloadMeter) async throws -> String {
        let origin = try Origin(Self.normalize(urlText))
        var url = try Self.normalize(urlText)
        for _ in 0...maxRedirects {
            let address = try await checkedAddress(for: url)
            // As browsers and curl do: a redirect to another origin must not carry the
            // credentials of the first one (they would leak to whoever the redirect names).
            let authorization = Origin(url) == origin ? credentials : nil
            switch try await download(url, via: address, to: destination, credentials: authorization, meter: meter) {
            case .done:
                return url.lastPathComponent
            case .redirect(let location):
                guard let next = URL(string: location, relativeTo: url)?.absoluteURL else {
                    throw JobFailure(status: 400, message: "The input URL redirected to an invalid location.")
                }
                url = try Self.normalize(next.absoluteString)
            }
        }
        throw JobFailure(status: 400, message: "The input URL redirected more than \(maxRedirects) times.")
    }

    /// Adds `https://` to scheme-less URLs (PDF.co accepts them) and refuses other schemes.
    package static func normalize(_ text: String) throws -> URL {
        var text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.contains("://") { text = "https://" + text }
        guard let url = URL(string: text) ?? URL(string: text.addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed) ?? ""),
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else {
            throw JobFailure(status: 400, message: "Invalid input URL: only http and https URLs are accepted.")
        }
        return url
    }

    /// The address to connect to for `url`, after every address its host resolves to passed the policy.
    package func checkedAddress(for url: URL) async throws -> String {
        let host = url.host!.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let addresses = try await Self.resolve(host)
        guard !addresses.isEmpty else {
            throw JobFailure(status: 400, message: "Cannot resolve the host of the input URL.", isRetryable: true)
        }
        // Every address must pass: a name that also resolves to a private address is refused
        // rather than raced.
        guard addresses.allSatisfy(policy.allows) else {
            throw JobFailure(
                status: 403,
                message:
                    "The input URL points to a private, loopback or link-local address, which this server does not fetch (start it with --allow-private-urls to allow)."
            )
        }
        return addresses[0]
    }

    /// getaddrinfo on a thread of its own: it blocks.
    static func resolve(_ host: String) async throws -> [String] {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                var hints = addrinfo()
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var result: UnsafeMutablePointer<addrinfo>?
                guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else {
                    continuation.resume(returning: [])
                    return
                }
                defer { freeaddrinfo(first) }
                var addresses: [String] = []
                var cursor: UnsafeMutablePointer<addrinfo>? = first
                while let info = cursor {
                    var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                    if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST)
                        == 0
                    {
                        let text = String(cString: buffer)
                        if !addresses.contains(text) { addresses.append(text) }
                    }
                    cursor = info.pointee.ai_next
                }
                continuation.resume(returning: addresses)
            }
        }
    }

    private enum Outcome { case done, redirect(String) }

    /// A client that connects to `address` (already checked) for `url`'s host, follows no
    /// redirects by itself and gives up on silent peers.
    static func pinnedClient(for url: URL, address: String) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.dnsOverride = [url.host!: address]
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(30))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    private func download(
        _ url: URL, via address: String, to destination: URL, credentials: String?, meter: DownloadMeter
    ) async throws -> Outcome {
        let client = Self.pinnedClient(for: url, address: address)
        do {
            let outcome = try await perform(client, url, destination: destination, credentials: credentials, meter: meter)
            try await client.shutdown()
            return outcome
        } catch {
            try? await client.shutdown()
            if let failure = error as? JobFailure { throw failure }
            try Task.checkCancellation()
            throw JobFailure(status: 400, message: "Could not download the input URL: \(Self.describe(error)).", isRetryable: true)
        }
    }

    private func perform(
        _ client: HTTPClient, _ url: URL, destination: URL, credentials: String?, meter: DownloadMeter
    ) async throws -> Outcome {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "User-Agent", value: "Quire")
        if let credentials {
            request.headers.add(name: "Authorization", value: "Basic \(Data(credentials.utf8).base64EncodedString())")
        }
        // The watchdog bounds the whole transfer; this deadline only covers the response head.
        let response = try await client.execute(request, timeout: .seconds(Int64(timeout.timeInterval)))
        if (300..<400).contains(Int(response.status.code)), let location = response.headers.first(name: "location") {
            return .redirect(location)
        }
        guard (200..<300).contains(Int(response.status.code)) else {
            throw JobFailure(status: 400, message: "The input URL answered HTTP \(response.status.code).")
        }
        if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > maxBytes {
            throw tooLarge()
        }
        FileManager.default.createFile(atPath: destination.path, contents: nil)
        let handle = try FileHandle(forWritingTo: destination)
        defer { try? handle.close() }
        meter.startBody()
        var received = 0
        for try await chunk in response.body {
            received += chunk.readableBytes
            meter.add(chunk.readableBytes)
            if received > maxBytes { throw tooLarge() }
            try handle.write(contentsOf: Data(chunk.readableBytesView))
        }
        return .done
    }

    private func tooLarge() -> JobFailure {
        JobFailure(status: 413, message: "The input file is larger than the limit of \(maxBytes / 1_048_576) MB.")
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout { return "timed out" }
        if error is HTTPClientError { return "connection failed" }
        return "connection failed"
    }
}

/// Scheme, host and port of a URL (the port made explicit): what credentials are bound to.
private struct Origin: Equatable {
    let scheme: String
    let host: String
    let port: Int

    init(_ url: URL) {
        scheme = url.scheme?.lowercased() ?? ""
        host = url.host?.lowercased() ?? ""
        port = url.port ?? (scheme == "https" ? 443 : 80)
    }
}
