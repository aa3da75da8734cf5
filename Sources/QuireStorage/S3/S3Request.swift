// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// One S3 request before signing: its method, where it goes, and the headers the caller sets.
package struct S3Request: Sendable {
    package var method: String
    package var scheme: String
    /// Host name, with `:port` when the port is not the scheme's default.
    package var host: String
    /// Already URI-encoded, starting with `/`.
    package var path: String
    /// Unencoded names and values, in the order they go into the URL.
    package var query: [(name: String, value: String)]
    /// Extra headers to send and sign (e.g. `range`); host and the `x-amz-*` ones are the signer's.
    package var headers: [(name: String, value: String)]

    package init(
        method: String, scheme: String, host: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = []
    ) {
        self.method = method
        self.scheme = scheme
        self.host = host
        self.path = path
        self.query = query
        self.headers = headers
    }

    /// The query as it goes into the URL: encoded pairs in the caller's order.
    package var encodedQuery: String { Self.encode(query) }

    /// The URL to send the request to.
    package var url: String {
        "\(scheme)://\(host)\(path)" + (query.isEmpty ? "" : "?\(encodedQuery)")
    }

    package static func encode(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { "\(uriEncode($0.name))=\(uriEncode($0.value))" }.joined(separator: "&")
    }

    /// SigV4's UriEncode: every byte of the UTF-8 form except `A-Z a-z 0-9 - _ . ~` becomes `%XX`
    /// (upper-case hex). Object keys keep their `/`: S3 signs the path with its slashes as sent.
    package static func uriEncode(_ text: String, keepingSlashes: Bool = false) -> String {
        var encoded = ""
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlashes:
                encoded.append("/")
            default:
                encoded += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return encoded
    }
}
