// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Each conversion endpoint's parameters, learned by running its request parsing (the same
/// `spec` a request runs) on recorded parameters: what it reads, with which type, default and
/// range, and which it reports missing. The OpenAPI document and `/docs` are built from it.
struct EndpointCatalog {
    struct Endpoint {
        let path: String
        let conversion: any RequestConvertible.Type
        /// Lower-cased parameter names and how they are read.
        let parameters: [String: ParameterReads.Kind]
        /// The parameters the endpoint answers "Missing required parameter" without.
        let required: Set<String>
        let profileKeys: [String: ParameterReads.Kind]
        /// Whether the parsing ran to the end; false means a parameter the placeholders could
        /// not satisfy stopped it, and parameters read after it are missing (a test checks none).
        let isComplete: Bool
    }

    let endpoints: [Endpoint]

    /// Every path of every conversion that a production server mounts.
    static let shared = EndpointCatalog(
        conversions: Conversions.all.filter { !$0.isTestOnly }.compactMap { $0 as? any RequestConvertible.Type })

    init(conversions: [any RequestConvertible.Type]) {
        endpoints = conversions.flatMap { conversion in conversion.paths.map { Self.discover(conversion, path: $0) } }
    }

    /// Runs `conversion`'s parsing until it succeeds, giving each parameter it reports missing a
    /// placeholder and trying again (at most a few times: each try can only add one).
    static func discover(_ conversion: any RequestConvertible.Type, path: String) -> Endpoint {
        let reads = ParameterReads()
        var given = RequestParameters()
        given.reads = reads
        var required: Set<String> = []
        if conversion.input != .none {
            given.set("url", placeholderURL)
            required.insert("url")
        }
        var isComplete = false
        for _ in 0..<8 {
            do {
                _ = try conversion.spec(given, path: path, limits: APILimits(maxUploadBytes: 1 << 30, jobTimeout: .seconds(60)))
                isComplete = true
                break
            } catch let error as APIError {
                guard let name = missingName(in: error.message), given.string(name) == nil else { break }
                required.insert(name.lowercased())
                given.set(name, placeholder(for: name))
            } catch {
                break
            }
        }
        for (resolver, filled) in conversion.resolvedParameters {
            reads.parameter(resolver, .text)
            required.remove(filled.lowercased())
        }
        return Endpoint(
            path: path, conversion: conversion, parameters: reads.parameters, required: required,
            profileKeys: reads.profileKeys, isComplete: isComplete)
    }

    static let placeholderURL = "https://files.example/input.pdf"

    /// A value that passes a required parameter's check: a URL where one is expected, a page
    /// list for `pages`, else a word.
    private static func placeholder(for name: String) -> String {
        switch name.lowercased() {
        case let url where url.contains("url") || url.contains("image"): placeholderURL
        case "pages": "0"
        case "annotations": #"[{"text":"x","x":1,"y":1}]"#
        default: "placeholder"
        }
    }

    /// The name in `APIError.missing`'s message.
    private static func missingName(in message: String) -> String? {
        let prefix = "Missing required parameter '"
        guard message.hasPrefix(prefix) else { return nil }
        let rest = message.dropFirst(prefix.count)
        guard let end = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<end])
    }
}
