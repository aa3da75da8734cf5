// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import Testing

/// Credentials live apart from the options engine hosts see, and jobs queued by older versions still run.
struct JobSpecTests {
    /// A spec JSON as the previous version wrote it: credentials inside `options`, no `secrets`.
    static let legacy = #"""
        {"operation": "pdf.to-text", "inputs": ["https://example.com/a.pdf"], "outputName": "a.txt",
         "resultFileID": "R1", "expirationMinutes": 60,
         "options": {"httpusername": "u", "httppassword": "p", "lineending": "crlf"}}
        """#

    @Test func legacySpecDecodesAndKeepsItsCredentials() throws {
        let spec = try JSONDecoder().decode(JobSpec.self, from: Data(Self.legacy.utf8))
        #expect(spec.secrets == nil)
        #expect(spec.fetchCredentials?.user == "u")
        #expect(spec.fetchCredentials?.password == "p")
        #expect(spec.inputDecryption == nil)
    }

    @Test func secretsAreErasedWhenTheJobEnds() throws {
        var spec = JobSpec(
            operation: .pdfProtect, inputs: ["x"], password: "open", outputName: "a.pdf", resultFileID: "R", expirationMinutes: 1,
            options: ["ownerpassword": "o", "userpassword": "u", "angle": "90"],
            secrets: JobSecrets(httpUsername: "u", httpPassword: "p", decryptionKey: "k", decryptionIV: "i"))
        #expect(spec.inputDecryption?.key == "k")
        spec.eraseSecrets()
        #expect(spec.secrets == nil && spec.password == nil)
        #expect(spec.options == ["angle": "90"])
        let text = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
        #expect(!text.contains("\"o\"") && !text.contains("\"p\"") && !text.contains("\"k\""))
    }
}
