// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Small HTTP helpers for system tests: raw bytes and JSON objects.
public enum HTTP {
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 600
        return URLSession(configuration: configuration)
    }()

    public static func request(
        _ method: String, _ url: String, body: Data? = nil, headers: [String: String] = [:], timeout: TimeInterval = 600
    ) async throws -> (Data, Int) {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = timeout
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        return (data, (response as! HTTPURLResponse).statusCode)
    }

    public static func get(_ url: String, headers: [String: String] = [:]) async throws -> (Data, Int) {
        try await request("GET", url, headers: headers)
    }

    /// POST of a JSON object; answers the decoded JSON object and the HTTP status.
    public static func postJSON(
        _ url: String, _ object: [String: Any], headers: [String: String] = [:]
    ) async throws -> ([String: Any], Int) {
        var headers = headers
        headers["Content-Type"] = "application/json"
        let (data, status) = try await request("POST", url, body: try JSONSerialization.data(withJSONObject: object), headers: headers)
        return (try json(data), status)
    }

    /// POST of a form-urlencoded body, as Python `requests.post(data=…)` sends.
    public static func postForm(
        _ url: String, _ fields: [String: String], headers: [String: String] = [:]
    ) async throws -> ([String: Any], Int) {
        var headers = headers
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        let (data, status) = try await request("POST", url, body: Data(body.utf8), headers: headers)
        return (try json(data), status)
    }

    public static func getJSON(_ url: String, headers: [String: String] = [:]) async throws -> ([String: Any], Int) {
        let (data, status) = try await get(url, headers: headers)
        return (try json(data), status)
    }

    public static func json(_ data: Data) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw URLError(.cannotParseResponse)
        }
        return object
    }

    /// Uploads `data` through the presigned-URL dance; returns the file's URL.
    public static func upload(_ data: Data, name: String, base: String, headers: [String: String] = [:]) async throws -> String {
        let (presign, status) = try await getJSON(
            "\(base)/file/upload/get-presigned-url?name=\(name)&contenttype=application/octet-stream", headers: headers)
        guard status == 200, let putURL = presign["presignedUrl"] as? String, let url = presign["url"] as? String else {
            throw UploadError(step: "presign", status: status, body: "\(presign)")
        }
        // One more try when the connection breaks (a loaded CI machine once starved the client
        // past the server's 10 s header timeout): a PUT whose bytes did not arrive may come again.
        let put = { try await request("PUT", putURL, body: data, headers: ["Content-Type": "application/octet-stream"]) }
        let (answer, putStatus): (Data, Int)
        do {
            (answer, putStatus) = try await put()
        } catch let error as URLError {
            guard [.networkConnectionLost, .badServerResponse, .cannotConnectToHost].contains(error.code) else { throw error }
            (answer, putStatus) = try await put()
        }
        guard putStatus == 200 else { throw UploadError(step: "PUT", status: putStatus, body: String(decoding: answer, as: UTF8.self)) }
        return url
    }
}

/// An upload step that did not answer 200, with what it answered.
public struct UploadError: Error, CustomStringConvertible {
    public let step: String
    public let status: Int
    public let body: String
    public var description: String { "\(step) answered \(status): \(body)" }
}
