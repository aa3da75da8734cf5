// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore
import Testing

/// PDF → page images and TIFF through the router: `profiles` (`RenderingResolution`,
/// `JPEGQuality`) and `name` become typed options; out-of-range values are refused by name.
struct PageImageRouterTests {
    /// PDF.co's own example, sent every way a client sends parameters.
    @Test(arguments: RouterHarness.Delivery.allCases)
    func profilesAndNameBecomeOptions(_ delivery: RouterHarness.Delivery) async throws {
        let spec = try await RouterHarness().queued(
            "/pdf/convert/to/png", ["profiles": #"{"RenderingResolution":300,"JPEGQuality":40}"#, "name": "scan.png"], as: delivery)
        let options = try PDFToPNGConversion.options(of: spec)
        #expect(options.dpi == 300)
        #expect(options.jpegQuality == 40)
        #expect(options.baseName == "scan")
        // The result file is the JSON list of the page files.
        #expect(spec.outputName == "scan.json")
    }

    /// Lenient `profiles` (single quotes, strings for numbers, any case, nesting) and `Resolution`.
    @Test func lenientProfilesAreRead() async throws {
        let harness = try RouterHarness()
        let jpg = try await harness.queued("/pdf/convert/to/jpg", ["profiles": "{'renderingresolution': '72.4', 'jpegquality': '90',}"])
        #expect(try PDFToJPGConversion.options(of: jpg).dpi == 72)
        #expect(try PDFToJPGConversion.options(of: jpg).jpegQuality == 90)
        let webp = try await harness.queued(
            "/v1/pdf/convert/to/webp", ["PROFILES": #"{"profiles": [{"p1": {"Resolution": 200, "JPEGQuality": 1}}]}"#])
        #expect(try PDFToWebPConversion.options(of: webp).dpi == 200)
        #expect(try PDFToWebPConversion.options(of: webp).jpegQuality == 1)
        let tiff = try await harness.queued("/pdf/convert/to/tiff", ["profiles": "{'RenderingResolution': 600}"])
        #expect(try PDFToTIFFConversion.options(of: tiff).dpi == 600)
    }

    /// `profiles` sent as a JSON object inside a JSON body, not as a string, reads the same.
    @Test func profilesAsJSONObjectInABody() async throws {
        let harness = try RouterHarness()
        let answer = try await harness.send(
            "/pdf/convert/to/png",
            rawJSON: #"{"url": "\#(RouterHarness.anyURL)", "async": true, "profiles": {"RenderingResolution": 96}}"#)
        #expect(try PDFToPNGConversion.options(of: try await harness.spec(of: answer)).dpi == 96)
    }

    static let refusals: [Refusal] = [
        Refusal("/pdf/convert/to/jpg", ["profiles": #"{"JPEGQuality": 0}"#], names: "JPEGQuality"),
        Refusal("/pdf/convert/to/jpg", ["profiles": #"{"JPEGQuality": 101}"#], names: "JPEGQuality"),
        Refusal("/pdf/convert/to/webp", ["profiles": #"{"JPEGQuality": "high"}"#], names: "JPEGQuality"),
        Refusal("/pdf/convert/to/png", ["profiles": #"{"RenderingResolution": 5}"#], names: "RenderingResolution"),
        Refusal("/pdf/convert/to/png", ["profiles": #"{"RenderingResolution": 5000}"#], names: "RenderingResolution"),
        Refusal("/pdf/convert/to/png", ["profiles": #"{"RenderingResolution": "NaN"}"#], names: "RenderingResolution"),
        Refusal("/pdf/convert/to/tiff", ["profiles": #"{"Resolution": 1e300}"#], names: "RenderingResolution"),
        // PDF.co's own status for a `profiles` it cannot parse.
        Refusal("/pdf/convert/to/png", ["profiles": "{oops"], status: 444, names: "profiles"),
    ]

    /// Each bad value is a 4xx naming what is wrong, and queues nothing.
    @Test(arguments: refusals)
    func badValuesAreRefused(_ refusal: Refusal) async throws {
        try await RouterHarness().expectRefused(refusal)
    }
}
