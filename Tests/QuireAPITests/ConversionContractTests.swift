// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireAPI
import QuireCore
import Testing

/// The OpenAPI document is built from the conversions' own parsing: every endpoint's parsing
/// runs to the end with the catalog's placeholders, every name it reads is described, and the
/// document and `/docs` are served without a key. (scripts/contract.sh validates the document
/// and runs schemathesis against a live server.)
struct ConversionContractTests {
    @Test func everyEndpointIsCatalogued() {
        #expect(OpenAPIDocument.incompleteEndpoints == [])
    }

    @Test func everyParameterIsDescribed() {
        #expect(OpenAPIDocument.undocumentedNames == [])
    }

    @Test func documentListsEveryMountedConversionWithWhatItsParsingReads() async throws {
        let router = try RouterHarness()
        let (status, contentType, body) = try await router.getRaw("/openapi.json")
        #expect(status == 200)
        #expect(contentType.hasPrefix("application/json"))
        let document = try JSONDecoder().decode(JSONValue.self, from: body)
        #expect(document["openapi"] == "3.1.0")
        let paths = try #require(document["paths"]?.objectValue)
        for conversion in Conversions.all where !conversion.isTestOnly {
            for path in conversion.paths { #expect(paths["/v1" + path] != nil, "\(path)") }
        }
        #expect(paths["/v1/debug/engine-crash"] == nil)
        func schema(_ path: String) -> JSONValue? { paths[path]?["post"]?["requestBody"]?["content"]?["application/json"]?["schema"] }
        // Read by the shared request, typed by how it is read.
        let text = try #require(schema("/v1/pdf/convert/to/text"))
        #expect(text["required"] == ["url"])
        #expect(text["properties"]?["lineEnding"] != nil)
        #expect(text["properties"]?["async"]?["type"] == "boolean")
        #expect(text["properties"]?["lang"] != nil, "to/text OCRs pages without text")
        #expect(schema("/v1/pdf/convert/to/text-simple")?["properties"]?["lang"] == nil)
        // Found missing by the parsing; no input file.
        let barcode = try #require(schema("/v1/barcode/generate"))
        #expect(barcode["required"] == ["value"])
        #expect(barcode["properties"]?["url"] == nil)
        // `templateId` is read before parsing (a stored template) and stands in for `html`.
        let html = try #require(schema("/v1/pdf/convert/from/html"))
        #expect(html["properties"]?["templateId"] != nil)
        #expect(html["required"] == [])
        let png = try #require(schema("/v1/url/convert/to/png"))
        #expect(png["properties"]?["width"]?["maximum"] == 8192)
        let profiles = try #require(schema("/v1/pdf/convert/to/png")?["properties"]?["profiles"]?["description"]?.stringValue)
        #expect(profiles.contains("RenderingResolution"), "\(profiles)")
    }

    @Test func docsPageIsServedWithoutAKey() async throws {
        let router = try RouterHarness()
        let (status, contentType, body) = try await router.getRaw("/docs")
        #expect(status == 200)
        #expect(contentType.hasPrefix("text/html"))
        let page = String(decoding: body, as: UTF8.self)
        #expect(page.contains("POST /v1/pdf/edit/add"))
        #expect(page.contains("<code>searchString</code> <b>required</b>"))
        #expect(!page.contains("<script"))
    }
}
