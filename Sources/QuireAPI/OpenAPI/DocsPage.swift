// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Hummingbird
import QuireCore

/// `/docs`: the OpenAPI document as one plain HTML page, rendered here (no script, nothing
/// fetched from elsewhere: Quire runs where there may be no internet).
enum DocsPage {
    static let html: String = render(catalog: .shared)

    static func response() -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func render(catalog: EndpointCatalog) -> String {
        var page = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Quire API</title>
            <style>body{font:15px/1.45 system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em}
            table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.25em .5em;
            text-align:left;vertical-align:top}code{background:#f4f4f4;padding:0 .2em}h2{margin-top:2em}</style>
            </head><body><h1>Quire API</h1>
            <p>The PDF.co Web API, self-hosted. Every path answers at <code>/v1/…</code> and without <code>/v1</code>;
            parameters come as a JSON body, a form, multipart fields or the query string, names in any case.
            Errors are <code>{"error": true, "status": N, "message": "…"}</code>. Machine-readable:
            <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>

            """
        let byTag = Dictionary(grouping: catalog.endpoints) { OpenAPIDocument.tag($0.path) }
        for tag in byTag.keys.sorted() {
            page += "<h2>\(escape(tag))</h2>\n"
            for endpoint in byTag[tag]!.sorted(by: { $0.path < $1.path }) {
                page += "<h3><code>POST /v1\(escape(endpoint.path))</code></h3>\n"
                page += "<table><tr><th>Parameter</th><th>Type</th><th>Description</th></tr>\n"
                for name in endpoint.parameters.keys.sorted(by: { $0.lowercased() < $1.lowercased() }) {
                    let kind = endpoint.parameters[name]!
                    let doc = ParameterDocs.parameter(name, tag: tag)
                    let required = endpoint.required.contains(name.lowercased()) ? " <b>required</b>" : ""
                    page += "<tr><td><code>\(escape(name))</code>\(required)</td><td>\(escape(typeText(kind, doc)))</td>"
                    page += "<td>\(escape(doc?.text ?? ""))</td></tr>\n"
                }
                page += "</table>\n"
                if !endpoint.profileKeys.isEmpty {
                    let keys = endpoint.profileKeys.keys.sorted().map { "<code>\(escape($0))</code>" }
                    page += "<p><code>profiles</code> keys: \(keys.joined(separator: ", "))</p>\n"
                }
            }
        }
        return page + "</body></html>\n"
    }

    private static func typeText(_ kind: ParameterReads.Kind, _ doc: ParameterDocs.Doc?) -> String {
        switch kind {
        case .boolean(let fallback): return fallback.map { "boolean (default \($0))" } ?? "boolean"
        case .integer(let fallback, let range):
            let bounds = range.map { " \($0.lowerBound)…\($0.upperBound)" } ?? ""
            return "integer\(bounds)" + (fallback.map { ", default \($0)" } ?? "")
        case .list: return "list"
        case .text:
            switch doc?.type ?? .string {
            case .string: return "string"
            case .number: return "number"
            case .json: return "JSON"
            case .urlList: return "list"
            }
        }
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
