// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import QuireAPI
import QuireCore
import QuireJobs
import QuireStorage
import QuireTestSupport
import Testing

/// The real router (`QuireRouter.build`) over the memory queue, signals and catalog and a
/// `LocalDiskStore` in a temp dir, driven in process by HummingbirdTesting; no worker runs, so
/// an `async=true` job stays queued for the test to read.
struct RouterHarness {
    static let apiKey = "router-test-key"
    static let anyURL = "https://files.example/in.pdf"
    let queue = MemoryJobQueue()
    let app: Application<RouterResponder<QuireRequestContext>>

    init(enablesTestOperations: Bool = false) throws {
        let temp = TemporaryDirectory("quire-router")
        let services = APIServices(
            queue: queue, signals: InProcessJobSignals(), catalog: MemoryFileCatalog(),
            store: try LocalDiskStore(root: temp.file("files")),
            urls: FileURLs(publicBase: "http://quire.test", signer: URLSigner(secret: Data(repeating: 7, count: 32))),
            limits: APILimits(maxUploadBytes: 1 << 20, jobTimeout: .seconds(30)), scratch: temp.url,
            enablesTestOperations: enablesTestOperations, isReady: { true })
        // No keys file: the one key is given as `--api-key` would give it.
        let keys = try APIKeyStore(file: temp.file("keys.json"), plainKeys: [Self.apiKey])
        app = Application(router: QuireRouter.build(services: services, keys: keys))
    }

    // MARK: - Requests

    /// How a request carries its parameters; PDF.co clients use all four.
    enum Delivery: String, CaseIterable, CustomTestStringConvertible {
        case query, json, form, multipart

        var testDescription: String { rawValue }
    }

    /// An answer: its HTTP status and JSON object.
    struct Answer {
        var status: Int
        var json: [String: JSONValue]

        /// The PDF.co error message, "" when there is none.
        var message: String { if case .string(let text) = json["message"] { text } else { "" } }
    }

    /// POSTs `parameters` to `path` the way `delivery` says.
    func send(_ path: String, _ parameters: [String: String], as delivery: Delivery = .json) async throws -> Answer {
        var uri = path
        var headers: HTTPFields = [HTTPField.Name("x-api-key")!: Self.apiKey]
        var body: ByteBuffer?
        switch delivery {
        case .query:
            uri += "?" + Self.formEncoded(parameters)
        case .json:
            body = ByteBuffer(bytes: try JSONEncoder().encode(parameters))
            headers[.contentType] = "application/json"
        case .form:
            body = ByteBuffer(string: Self.formEncoded(parameters))
            headers[.contentType] = "application/x-www-form-urlencoded"
        case .multipart:
            let boundary = "quire-router-test"
            var text = ""
            for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
                text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
            }
            body = ByteBuffer(string: text + "--\(boundary)--\r\n")
            headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        }
        return try await send(uri, headers: headers, body: body)
    }

    /// POSTs a raw JSON body (numbers and booleans as JSON, not text).
    func send(_ path: String, rawJSON: String) async throws -> Answer {
        try await send(
            path, headers: [HTTPField.Name("x-api-key")!: Self.apiKey, .contentType: "application/json"],
            body: ByteBuffer(string: rawJSON))
    }

    private func send(_ uri: String, method: HTTPRequest.Method = .post, headers: HTTPFields, body: ByteBuffer?) async throws -> Answer {
        let response = try await app.test(.router) { client in
            try await client.execute(uri: uri, method: method, headers: headers, body: body)
        }
        let json = try JSONDecoder().decode([String: JSONValue].self, from: Data(response.body.readableBytesView))
        return Answer(status: Int(response.status.code), json: json)
    }

    /// GETs `path` without a key: the status, Content-Type and body as they come.
    func getRaw(_ path: String) async throws -> (status: Int, contentType: String, body: Data) {
        let response = try await app.test(.router) { client in try await client.execute(uri: path, method: .get) }
        return (Int(response.status.code), response.headers[.contentType] ?? "", Data(response.body.readableBytesView))
    }

    /// GETs `path` with the API key.
    func get(_ path: String) async throws -> Answer {
        try await send(path, method: .get, headers: [HTTPField.Name("x-api-key")!: Self.apiKey], body: nil)
    }

    private static func formEncoded(_ parameters: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return parameters.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }

    // MARK: - The queued job

    /// Sends an `async=true` request that must be accepted; returns the spec of the job it queued.
    func queued(
        _ path: String, _ parameters: [String: String] = [:], as delivery: Delivery = .json,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> JobSpec {
        var parameters = parameters
        parameters["async"] = parameters["async"] ?? "true"
        parameters["url"] = parameters["url"] ?? Self.anyURL
        return try await spec(of: try await send(path, parameters, as: delivery), sourceLocation: sourceLocation)
    }

    /// The spec of the job an accepted answer names.
    func spec(of answer: Answer, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JobSpec {
        try #require(answer.status == 200, "\(answer.status): \(answer.message)", sourceLocation: sourceLocation)
        guard case .string(let id) = answer.json["jobId"] else {
            Issue.record("no jobId in \(answer.json)", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        return try #require(try await queue.job(id: id), sourceLocation: sourceLocation).spec
    }

    /// Jobs in the queue, whatever their state.
    func jobCount() async throws -> Int {
        try await queue.counts().values.reduce(0, +)
    }
}

/// A request the router must refuse: the status and a name its PDF.co message must mention.
/// `url` and `async=true` are added; give a parameter as "" to leave it out (empty is absent).
struct Refusal: Sendable, CustomTestStringConvertible {
    var path: String
    var parameters: [String: String]
    var status = 400
    var names: String

    init(_ path: String, _ parameters: [String: String], status: Int = 400, names: String) {
        self.path = path
        self.parameters = ["url": RouterHarness.anyURL, "async": "true"].merging(parameters) { _, given in given }
        self.status = status
        self.names = names
    }

    var testDescription: String {
        let given = parameters.filter { ($0.key, $0.value) != ("url", RouterHarness.anyURL) && ($0.key, $0.value) != ("async", "true") }
        return "\(path) " + given.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.prefix(60))" }.joined(separator: "&")
    }
}

extension RouterHarness {
    /// Sends `refusal` and checks the PDF.co error answer: status, shape, the name in the
    /// message, and that nothing was queued.
    func expectRefused(_ refusal: Refusal, as delivery: Delivery = .json, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let answer = try await send(refusal.path, refusal.parameters, as: delivery)
        #expect(answer.status == refusal.status, "\(answer.message)", sourceLocation: sourceLocation)
        #expect(answer.json["error"] == .bool(true), sourceLocation: sourceLocation)
        #expect(answer.json["status"] == .int(refusal.status), sourceLocation: sourceLocation)
        #expect(answer.message.contains(refusal.names), "\(answer.message)", sourceLocation: sourceLocation)
        #expect(try await jobCount() == 0, sourceLocation: sourceLocation)
    }
}
