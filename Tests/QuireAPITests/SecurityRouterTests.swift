// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore
import Testing

/// `/pdf/security/add` and `/remove` through the router: passwords, algorithm, the `allow*`
/// switches and `printQuality` become `PDFProtection`; each bad value is a 4xx naming it.
struct SecurityRouterTests {
    /// Every setting PDF.co documents, as clients spell them.
    @Test(arguments: RouterHarness.Delivery.allCases)
    func everySettingIsRead(_ delivery: RouterHarness.Delivery) async throws {
        let parameters = [
            "ownerPassword": "o-pass", "USERPASSWORD": "u-pass", "encryptionAlgorithm": "rc4_128BIT",
            "allowAccessibilitySupport": "false", "allowAssemblyDocument": "0", "allowPrintDocument": "no",
            "allowFillForms": "off", "allowModifyDocument": "False", "allowContentExtraction": "false",
            "allowModifyAnnotations": "false", "printQuality": "LowResolution",
        ]
        let protection = try ProtectConversion.options(of: try await RouterHarness().queued("/pdf/security/add", parameters, as: delivery))
        #expect(protection.ownerPassword == "o-pass")
        #expect(protection.userPassword == "u-pass")
        #expect(protection.algorithm == .rc4With128Bits)
        #expect(!protection.allowAccessibility)
        #expect(!protection.allowAssembly)
        #expect(!protection.allowPrint)
        #expect(!protection.allowFillForms)
        #expect(!protection.allowModify)
        #expect(!protection.allowContentExtraction)
        #expect(!protection.allowModifyAnnotations)
        #expect(protection.lowResolutionPrintOnly)
    }

    /// A user password alone is enough; the owner password stays empty (a random one is used).
    @Test func userPasswordAlone() async throws {
        let spec = try await RouterHarness().queued(
            "/pdf/security/add", ["userPassword": "u-pass", "printQuality": "HighResolution", "encryptionAlgorithm": "AES_128bit"])
        let protection = try ProtectConversion.options(of: spec)
        #expect(protection.userPassword == "u-pass")
        #expect(protection.ownerPassword == "")
        #expect(protection.algorithm == .aesWith128Bits)
        #expect(!protection.lowResolutionPrintOnly)
        #expect(protection.allowPrint)
    }

    /// `/pdf/security/remove` takes the input's `password` as the shared parameter.
    @Test func removeKeepsThePassword() async throws {
        let spec = try await RouterHarness().queued("/pdf/security/remove", ["password": "open-me"])
        #expect(spec.operation == .pdfUnprotect)
        #expect(spec.password == "open-me")
    }

    static let refusals: [Refusal] = [
        Refusal("/pdf/security/add", [:], names: "'ownerPassword'"),
        Refusal("/pdf/security/add", ["ownerPassword": "", "userPassword": ""], names: "'ownerPassword'"),
        Refusal("/pdf/security/add", ["ownerPassword": "o", "encryptionAlgorithm": "bogus"], names: "'encryptionAlgorithm'"),
        Refusal("/pdf/security/add", ["ownerPassword": "o", "printQuality": "bogus"], names: "'printQuality'"),
    ]
    /// Each `allow*` switch refuses a value that is not a boolean, by its own name.
    static let switches = [
        "allowAccessibilitySupport", "allowAssemblyDocument", "allowPrintDocument", "allowFillForms", "allowModifyDocument",
        "allowContentExtraction", "allowModifyAnnotations",
    ]

    /// Each bad value is a 4xx naming the parameter, and queues nothing.
    @Test(arguments: refusals + switches.map { Refusal("/pdf/security/add", ["ownerPassword": "o", $0: "maybe"], names: "'\($0)'") })
    func badValuesAreRefused(_ refusal: Refusal) async throws {
        try await RouterHarness().expectRefused(refusal)
    }
}
