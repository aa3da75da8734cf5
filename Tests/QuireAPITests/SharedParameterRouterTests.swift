// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore
import Testing

/// The parameters every conversion shares, through the router: `name`, `expiration`,
/// `password`, `callback`, credentials kept out of the options, and a 4xx for each bad value on
/// every conversion.
struct SharedParameterRouterTests {
    /// The shared parameters land in the spec, not in the options engine hosts see.
    @Test(arguments: RouterHarness.Delivery.allCases)
    func sharedParametersLandInTheSpec(_ delivery: RouterHarness.Delivery) async throws {
        let parameters = [
            "name": "out.pdf", "Expiration": "15", "password": "p", "callback": "https://h/hook", "httpusername": "u",
            "httppassword": "secret", "angle": "180",
        ]
        let spec = try await RouterHarness().queued("/pdf/edit/rotate", parameters, as: delivery)
        #expect(spec.outputName == "out.pdf")
        #expect(spec.requestedName == "out.pdf")
        #expect(spec.expirationMinutes == 15)
        #expect(spec.password == "p")
        #expect(spec.callback == "https://h/hook")
        #expect(spec.secrets?.httpUsername == "u")
        #expect(spec.secrets?.httpPassword == "secret")
        #expect(spec.options == .object(["angle": .int(180)]))
    }

    /// The input's decryption key from `profiles` goes to the secrets, checked.
    @Test func decryptionKeyFromProfiles() async throws {
        let key = String(repeating: "k", count: 32)
        let iv = String(repeating: "i", count: 16)
        let profiles = "{'DataDecryptionAlgorithm': 'AES256', 'DataDecryptionKey': '\(key)', 'DataDecryptionIV': '\(iv)'}"
        let spec = try await RouterHarness().queued("/pdf/convert/to/text", ["profiles": profiles])
        #expect(spec.secrets?.decryptionKey == key)
        #expect(spec.secrets?.decryptionIV == iv)
        var options = TextOptions()
        options.ocr = OCROptions()
        #expect(spec.options == options.encoded)
    }

    /// Refusals of the shared parameters, each on every conversion's first path.
    static let refusals: [Refusal] = Conversions.all.filter { !$0.isTestOnly }.flatMap { conversion in
        let path = conversion.paths[0]
        var cases = [
            Refusal(path, ["async": "maybe"], names: "'async'"),
            Refusal(path, ["expiration": "0"], names: "'expiration'"),
            Refusal(path, ["expiration": "99999999999999999999"], names: "'expiration'"),
            Refusal(path, ["expiration": "10081"], names: "'expiration'"),
            Refusal(path, ["inline": "maybe"], names: "'inline'"),
            Refusal(path, ["profiles": "{'DataDecryptionAlgorithm': 'ROT13'}"], names: "DataDecryptionAlgorithm"),
        ]
        // /pdf/split answers its own; /barcode/generate takes no input file.
        if conversion.operation != .pdfSplit && conversion.input != InputShape.none {
            cases.append(Refusal(path, ["url": ""], names: "'url'"))
        }
        return cases
    }

    /// Each bad shared value is a 400 naming the parameter on every conversion, and queues nothing.
    @Test(arguments: refusals)
    func badSharedValuesAreRefused(_ refusal: Refusal) async throws {
        try await RouterHarness().expectRefused(refusal)
    }

    /// A missing `url`, and bad `pages` syntax, are refused before any conversion-specific check.
    @Test(arguments: [RouterHarness.Delivery.query, .form, .multipart])
    func missingURLAndBadPages(_ delivery: RouterHarness.Delivery) async throws {
        let harness = try RouterHarness()
        try await harness.expectRefused(Refusal("/pdf/split", ["url": ""], names: "'url'"), as: delivery)
        try await harness.expectRefused(Refusal("/pdf/convert/to/png", ["pages": "1-2-3"], names: "'pages'"), as: delivery)
        try await harness.expectRefused(Refusal("/pdf/convert/to/png", ["pages": "a"], names: "'pages'"), as: delivery)
    }
}

extension TextOptions {
    /// These options as a job stores them.
    var encoded: JSONValue { PDFToTextConversion.encodeOptions(self) }
}
