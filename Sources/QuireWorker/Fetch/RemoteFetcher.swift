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
/// Redirects are followed by hand so each hop is checked the same way.
package struct RemoteFetcher: Sendable {
    package var policy: AddressPolicy
    package var maxBytes: Int
    package var timeout: Duration
    package var maxRedirects: Int

    package init(policy: AddressPolicy, maxBytes: Int, timeout: Duration = .seconds(60), maxRedirects: Int = 5) {
        self.policy = policy
        self.maxBytes = maxBytes
        self.timeout = timeout
        self.maxRedirects = maxRedirects
    }

    /// Downloads `urlText` into `destination`; returns the file name the URL suggests.
    /// - Throws: `JobFailure` with a client-safe message (400 unreachable, 403 forbidden address, 413 too large).
    package func fetch(_ urlText: String, to destination: URL, username: String? = nil, password: String? = nil) async throws -> String {
        var url = try Self.normalize(urlText)
        for _ in 0...maxRedirects {
            let address = try await checkedAddress(for: url)
            switch try await download(url, via: address, to: destination, username: username, password: password) {
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
        _ url: URL, via address: String, to destination: URL, username: String?, password: String?
    ) async throws -> Outcome {
        let client = Self.pinnedClient(for: url, address: address)
        do {
            let outcome = try await perform(client, url, destination: destination, username: username, password: password)
            try await client.shutdown()
            return outcome
        } catch {
            try? await client.shutdown()
            if let failure = error as? JobFailure { throw failure }
            throw JobFailure(status: 400, message: "Could not download the input URL: \(Self.describe(error)).", isRetryable: true)
        }
    }

    private func perform(_ client: HTTPClient, _ url: URL, destination: URL, username: String?, password: String?) async throws -> Outcome {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "User-Agent", value: "Quire")
        if let username, !username.isEmpty {
            let credentials = Data("\(username):\(password ?? "")".utf8).base64EncodedString()
            request.headers.add(name: "Authorization", value: "Basic \(credentials)")
        }
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
        var received = 0
        for try await chunk in response.body {
            received += chunk.readableBytes
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
