// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// One part of a multipart/form-data body.
package struct MultipartPart: Sendable {
    package var name: String
    package var filename: String?
    package var contentType: String?
    package var body: Data
}

/// A small multipart/form-data reader for bodies already in memory (size-limited by the caller).
package enum MultipartReader {
    /// The boundary from a `multipart/form-data; boundary=…` content type, nil for other types.
    package static func boundary(fromContentType contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    /// The parts of `body`. Malformed input yields the parts read before the damage.
    package static func parts(of body: Data, boundary: String) -> [MultipartPart] {
        let delimiter = Data("--\(boundary)".utf8)
        var parts: [MultipartPart] = []
        guard var cursor = body.range(of: delimiter)?.upperBound else { return [] }
        while true {
            // After a delimiter: "--" ends the body, otherwise CRLF then headers.
            if body[cursor...].starts(with: Data("--".utf8)) { break }
            guard let headerEnd = body.range(of: Data("\r\n\r\n".utf8), in: cursor..<body.endIndex) else { break }
            let headerText = String(decoding: body[cursor..<headerEnd.lowerBound], as: UTF8.self)
            let contentStart = headerEnd.upperBound
            guard let next = body.range(of: Data("\r\n--\(boundary)".utf8), in: contentStart..<body.endIndex) else { break }
            if let part = makePart(headers: headerText, body: body[contentStart..<next.lowerBound]) { parts.append(part) }
            cursor = next.upperBound
        }
        return parts
    }

    private static func makePart(headers: String, body: Data) -> MultipartPart? {
        var name: String?
        var filename: String?
        var contentType: String?
        for line in headers.split(whereSeparator: \.isNewline) {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let value = pair[1].trimmingCharacters(in: .whitespaces)
            switch pair[0].trimmingCharacters(in: .whitespaces).lowercased() {
            case "content-disposition":
                name = attribute("name", in: value)
                filename = attribute("filename", in: value)
            case "content-type":
                contentType = value
            default: break
            }
        }
        guard let name else { return nil }
        return MultipartPart(name: name, filename: filename, contentType: contentType, body: Data(body))
    }

    static func attribute(_ key: String, in header: String) -> String? {
        for item in header.split(separator: ";") {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == key {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}
