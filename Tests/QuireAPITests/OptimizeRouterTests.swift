// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore
import Testing

/// `/pdf/optimize` through the router: PDF.co's settings from `profiles` or as plain parameters
/// become `OptimizeSettings`; each bad value is a 4xx naming the setting.
struct OptimizeRouterTests {
    /// The settings given in `profiles`.
    @Test(arguments: RouterHarness.Delivery.allCases)
    func settingsFromProfiles(_ delivery: RouterHarness.Delivery) async throws {
        let profiles = """
            {'JPEGQuality': 60, 'ResamplingResolution': 300, 'ImageOptimizationFormat': 'Flate', \
            'ResampleImages': false, 'GrayscaleImages': true}
            """
        let spec = try await RouterHarness().queued("/pdf/optimize", ["profiles": profiles], as: delivery)
        let settings = try OptimizeConversion.options(of: spec)
        #expect(settings.jpegQuality == 60)
        #expect(settings.resolution == 300)
        #expect(!settings.useJPEG)
        #expect(!settings.resampleImages)
        #expect(settings.grayscale)
    }

    /// The same settings as plain parameters, in any case.
    @Test(arguments: RouterHarness.Delivery.allCases)
    func settingsAsPlainParameters(_ delivery: RouterHarness.Delivery) async throws {
        let parameters = [
            "jpegquality": "70", "ResamplingResolution": "96", "IMAGEOPTIMIZATIONFORMAT": "fax", "ResampleImages": "off",
            "grayscaleImages": "TRUE",
        ]
        let settings = try OptimizeConversion.options(of: try await RouterHarness().queued("/pdf/optimize", parameters, as: delivery))
        #expect(settings.jpegQuality == 70)
        #expect(settings.resolution == 96)
        #expect(!settings.useJPEG)
        #expect(!settings.resampleImages)
        #expect(settings.grayscale)
    }

    /// A setting in `profiles` wins over the same one as a plain parameter.
    @Test func profilesWinOverPlainParameters() async throws {
        let spec = try await RouterHarness().queued(
            "/pdf/optimize", ["profiles": "{'JPEGQuality': 30, 'ResampleImages': true}", "JPEGQuality": "90", "ResampleImages": "false"])
        let settings = try OptimizeConversion.options(of: spec)
        #expect(settings.jpegQuality == 30)
        #expect(settings.resampleImages)
    }

    static let refusals: [Refusal] = [
        Refusal("/pdf/optimize", ["JPEGQuality": "0"], names: "JPEGQuality"),
        Refusal("/pdf/optimize", ["profiles": "{'JPEGQuality': 101}"], names: "JPEGQuality"),
        Refusal("/pdf/optimize", ["ResamplingResolution": "abc"], names: "ResamplingResolution"),
        Refusal("/pdf/optimize", ["profiles": "{'ResamplingResolution': 5}"], names: "ResamplingResolution"),
        Refusal("/pdf/optimize", ["ResamplingResolution": "nan"], names: "ResamplingResolution"),
        Refusal("/pdf/optimize", ["ImageOptimizationFormat": "bogus"], names: "ImageOptimizationFormat"),
        Refusal("/pdf/optimize", ["ResampleImages": "maybe"], names: "ResampleImages"),
        Refusal("/pdf/optimize", ["GrayscaleImages": "maybe"], names: "GrayscaleImages"),
        Refusal("/pdf/optimize", ["profiles": "{'ResampleImages': 'maybe'}"], names: "ResampleImages"),
        Refusal("/pdf/optimize", ["profiles": "{'GrayscaleImages': 'grey'}"], names: "GrayscaleImages"),
    ]

    /// Each bad value is a 4xx naming the setting, and queues nothing.
    @Test(arguments: refusals)
    func badValuesAreRefused(_ refusal: Refusal) async throws {
        try await RouterHarness().expectRefused(refusal)
    }
}
