// SPDX-License-Identifier: AGPL-3.0-or-later
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import QuireCore
import QuireJobs

/// Fetches a page's requests with the input URLs' rules (`RemoteFetcher`): http and https only,
/// every address the host resolves to checked by `AddressPolicy`, the connection pinned to the
/// address checked. One hop per request: a redirect goes back to Chromium, whose next request
/// is paused and checked like the first.
struct CheckedPageFetcher: PageResourceFetcher {
    var checker: RemoteFetcher
    /// How long one request may take.
    var timeout: Duration = .seconds(30)

    /// Request headers passed on; the rest (cookies of other sites, encodings we would have to
    /// undo) stay behind.
    private static let forwarded: Set<String> = ["accept", "accept-language", "content-type", "referer", "user-agent", "origin"]
    /// Response headers not passed back: the body is already whole and decoded.
    private static let dropped: Set<String> = [
        "content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive", "set-cookie",
    ]

    func fetch(_ request: PageRequest, maxBytes: Int) async -> PageResponse {
        let url: URL
        do {
            url = try RemoteFetcher.normalize(request.url)
        } catch {
            let scheme = request.url.split(separator: ":").first.map(String.init) ?? "?"
            return .refused("\(scheme.prefix(20)): addresses are not loaded")
        }
        let address: String
        do {
            address = try await checker.checkedAddress(for: url)
        } catch let failure as JobFailure {
            return .refused(failure.status == 403 ? "a private, loopback or link-local address" : failure.message)
        } catch {
            return .refused("its host cannot be resolved")
        }
        let client = RemoteFetcher.pinnedClient(for: url, address: address)
        let response = await fetch(request, url: url, maxBytes: maxBytes, with: client)
        try? await client.shutdown()
        return response
    }

    private func fetch(_ request: PageRequest, url: URL, maxBytes: Int, with client: HTTPClient) async -> PageResponse {
        do {
            var outgoing = HTTPClientRequest(url: url.absoluteString)
            outgoing.method = HTTPMethod(rawValue: request.method)
            for (name, value) in request.headers where Self.forwarded.contains(name.lowercased()) {
                outgoing.headers.add(name: name, value: value)
            }
            if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
            let response = try await client.execute(outgoing, timeout: .seconds(Int64(timeout.timeInterval)))
            if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > maxBytes {
                return .refused("larger than the page's byte budget")
            }
            var body = Data()
            for try await chunk in response.body {
                body.append(contentsOf: chunk.readableBytesView)
                if body.count > maxBytes { return .refused("larger than the page's byte budget") }
            }
            let headers = response.headers.filter { !Self.dropped.contains($0.name.lowercased()) }.map { ($0.name, $0.value) }
            return .response(status: Int(response.status.code), headers: headers, body: body)
        } catch {
            return .refused("the connection failed")
        }
    }
}
