// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

extension ReplaceTextConversion: RequestConvertible {
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> TextReplaceOptions {
        try TextReplaceRequest.options(parameters, replacing: true)
    }
}

extension DeleteTextConversion: RequestConvertible {
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> TextReplaceOptions {
        try TextReplaceRequest.options(parameters, replacing: false)
    }
}

extension ReplaceTextWithImageConversion: RequestConvertible {
    /// `replaceImage`: the URL of the image, fetched as the job's second input.
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> TextReplaceOptions {
        var options = try TextReplaceRequest.options(parameters, replacing: false)
        guard let image = parameters.string("replaceImage") else {
            throw APIError.missing("replaceImage", "Give the URL of the image that replaces the text.")
        }
        options.replaceImage = try request.addInput(image, parameter: "replaceImage")
        return options
    }
}

extension AttachmentsExtractConversion: RequestConvertible {
    /// Each attachment is a result file; asynchronously `url` is the JSON list of their URLs.
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> NoOptions {
        _ = request.nameFilesList(defaultBaseName: "attachments")
        return NoOptions()
    }
}

/// The parameters the three text-replacing endpoints share.
enum TextReplaceRequest {
    /// Search strings one request may give, and characters in each.
    static let maxStrings = 1_000
    static let maxLength = 10_000

    /// `searchString` or `searchStrings` (a JSON array, repeated `searchStrings[]`, or a JSON
    /// array in a string), `replaceString`/`replaceStrings` likewise, `regex` (or `/pdf/find`'s
    /// `regexSearch`), `caseSensitive` (default true, as PDF.co's current reference says),
    /// `replacementLimit` (per search string, 0 = all).
    static func options(_ parameters: RequestParameters, replacing: Bool) throws -> TextReplaceOptions {
        var options = TextReplaceOptions()
        options.searchStrings = try strings(parameters, list: "searchStrings", single: "searchString") ?? []
        guard !options.searchStrings.isEmpty, options.searchStrings.allSatisfy({ !$0.isEmpty }) else {
            throw APIError.missing("searchString", "Give the text to find in 'searchString' or 'searchStrings'.")
        }
        if replacing {
            options.replaceStrings = try strings(parameters, list: "replaceStrings", single: "replaceString") ?? []
            guard options.replaceStrings.count <= options.searchStrings.count else {
                throw APIError.badParameter(
                    "replaceStrings", "it has \(options.replaceStrings.count) items for \(options.searchStrings.count) search strings.")
            }
        }
        options.regex = try parameters.bool("regex", default: try parameters.bool("regexSearch", default: false))
        options.caseSensitive = try parameters.bool("caseSensitive", default: options.caseSensitive)
        options.replacementLimit = try parameters.int("replacementLimit", default: 0, range: 0...1_000_000)
        if options.regex {
            for pattern in options.searchStrings {
                guard (try? NSRegularExpression(pattern: pattern)) != nil else {
                    throw APIError.badParameter("searchStrings", "\"\(pattern.prefix(60))\" is not a valid regular expression.")
                }
            }
        }
        return options
    }

    /// A list parameter in any of its forms, or the single one; nil when neither is given.
    private static func strings(_ parameters: RequestParameters, list name: String, single: String) throws -> [String]? {
        var items: [String]?
        if let list = parameters.list(name) {
            items = list
        } else if let text = parameters.string(name) {
            if text.hasPrefix("["), let data = text.data(using: .utf8), let array = try? JSONDecoder().decode([String].self, from: data) {
                items = array
            } else {
                items = [text]
            }
        } else if let text = parameters.string(single) {
            items = [text]
        }
        // A NUL would end the replacement where the C engine reads it.
        guard let items = items?.map({ $0.replacingOccurrences(of: "\0", with: "") }) else { return nil }
        guard items.count <= maxStrings else {
            throw APIError.badParameter(name, "it has \(items.count) items; at most \(maxStrings) are allowed.")
        }
        if let long = items.first(where: { $0.count > maxLength }) {
            throw APIError.badParameter(name, "an item has \(long.count) characters; at most \(maxLength) are allowed.")
        }
        return items
    }
}
