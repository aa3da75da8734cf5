// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// PDF.co's user-controlled decryption: an input AES-CBC-encrypted by the client (here by
/// `openssl enc`, PKCS#7 padding) is read with the `DataDecryption*` profile keys.
@Suite(.serialized)
final class InputDecryptionTests {
    let temp = TemporaryDirectory()
    let server: QuireServer

    init() async throws {
        server = try await QuireServer(data: temp.file("data"), arguments: ["--workers", "1"])
    }

    deinit { server.kill9() }

    func encrypted(_ data: Data, cipher: String, key: String, iv: String) async throws -> Data {
        let plain = temp.file("plain-\(UUID().uuidString)")
        let sealed = temp.file("sealed-\(UUID().uuidString)")
        try data.write(to: plain)
        func hex(_ text: String) -> String { text.utf8.map { String(format: "%02x", $0) }.joined() }
        let result = try await runCommand(
            "openssl", ["enc", "-\(cipher)", "-K", hex(key), "-iv", hex(iv), "-in", plain.path, "-out", sealed.path])
        #expect(result.status == 0)
        return try Data(contentsOf: sealed)
    }

    /// The documented sample profile (AES128) and an AES256 key both open the document.
    @Test(arguments: [("aes-128-cbc", "AES128", "HelloThisKey1234"), ("aes-256-cbc", "AES256", "HelloThisKey1234HelloThisKey5678")])
    func encryptedInputIsRead(cipher: String, algorithm: String, key: String) async throws {
        let iv = "TreloThisKey1234"
        let url = try await HTTP.upload(
            try encrypted(Fixtures.threePages, cipher: cipher, key: key, iv: iv), name: "sealed.pdf", base: server.baseURL)
        let profiles = "{ 'DataDecryptionAlgorithm': '\(algorithm)', 'DataDecryptionKey': '\(key)', 'DataDecryptionIV': '\(iv)' }"
        let (answer, status) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/convert/to/text", ["url": url, "profiles": profiles, "inline": true])
        #expect(status == 200, "\(answer)")
        #expect((answer["body"] as? String)?.contains("Invoice number 4711") == true)
        // Without the profile the bytes are no PDF.
        #expect(try await HTTP.postJSON("\(server.baseURL)/pdf/info", ["url": url]).1 != 200)
    }

    /// A wrong key is a 400 naming the keys; malformed settings are refused before any job runs.
    @Test func wrongOrMalformedSettingsAreRefused() async throws {
        let url = try await HTTP.upload(
            try encrypted(Fixtures.threePages, cipher: "aes-128-cbc", key: "HelloThisKey1234", iv: "TreloThisKey1234"), name: "s.pdf",
            base: server.baseURL)
        let wrong = "{'DataDecryptionAlgorithm': 'AES128', 'DataDecryptionKey': 'WrongThisKey1234', 'DataDecryptionIV': 'TreloThisKey1234'}"
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/info", ["url": url, "profiles": wrong])
        #expect(status == 400, "\(answer)")
        #expect((answer["message"] as? String)?.contains("DataDecryptionKey") == true)
        for profiles in [
            "{'DataDecryptionAlgorithm': 'AES128', 'DataDecryptionKey': 'short', 'DataDecryptionIV': 'TreloThisKey1234'}",
            "{'DataDecryptionAlgorithm': 'DES', 'DataDecryptionKey': 'HelloThisKey1234', 'DataDecryptionIV': 'TreloThisKey1234'}",
            "{'DataDecryptionAlgorithm': 'AES128', 'DataDecryptionKey': 'HelloThisKey1234'}",
        ] {
            let (refused, refusedStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/info", ["url": url, "profiles": profiles])
            #expect(refusedStatus == 400, "\(refused)")
            #expect((refused["message"] as? String)?.contains("DataDecryption") == true)
        }
    }
}
