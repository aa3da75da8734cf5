// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireStorage
import Testing

struct URLSignerTests {
    let signer = URLSigner(secret: Data(repeating: 7, count: 32))
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func roundTrip() throws {
        let token = signer.token(fileID: "ABC123", purpose: .download, expires: now.addingTimeInterval(60))
        #expect(try signer.verify(token, purpose: .download, now: now) == "ABC123")
    }

    /// A changed ID, expiry or signature, or another purpose, is refused.
    @Test func tamperingIsRefused() throws {
        let token = signer.token(fileID: "ABC123", purpose: .download, expires: now.addingTimeInterval(60))
        let parts = token.split(separator: ".").map(String.init)
        let tampered = [
            "ABC124.\(parts[1]).\(parts[2])",
            "ABC123.\(Int(parts[1])! + 3600).\(parts[2])",
            "ABC123.\(parts[1]).\(String(parts[2].reversed()))",
        ]
        for candidate in tampered {
            #expect(throws: SignedURLError.badSignature) { try signer.verify(candidate, purpose: .download, now: now) }
        }
        #expect(throws: SignedURLError.badSignature) { try signer.verify(token, purpose: .upload, now: now) }
        #expect(throws: SignedURLError.malformed) { try signer.verify("nonsense", purpose: .download, now: now) }
        let other = URLSigner(secret: Data(repeating: 8, count: 32))
        #expect(throws: SignedURLError.badSignature) { try other.verify(token, purpose: .download, now: now) }
    }

    @Test func expiredTokensAreRefused() {
        let token = signer.token(fileID: "ABC123", purpose: .download, expires: now.addingTimeInterval(60))
        #expect(throws: SignedURLError.expired) { try signer.verify(token, purpose: .download, now: now.addingTimeInterval(61)) }
    }

    /// URLs carry nothing that breaks when pasted unencoded into a query string or a comma list.
    @Test func urlsHaveNoQueryCharacters() throws {
        let urls = FileURLs(publicBase: "http://127.0.0.1:8080/", signer: signer)
        let url = urls.downloadURL(fileID: "ABC123", name: "my file, v2&3?.pdf", expires: now.addingTimeInterval(60))
        let afterScheme = url.dropFirst("http://".count)
        for forbidden in ["&", "?", "+", ",", "%", " ", "#"] { #expect(!afterScheme.contains(forbidden)) }
        #expect(url.hasPrefix("http://127.0.0.1:8080/files/"))
        #expect(try urls.ownFileID(in: url, now: now) == "ABC123")
        // Any host: the token is the proof (a proxy may rewrite the host).
        let elsewhere = url.replacingOccurrences(of: "127.0.0.1:8080", with: "quire.internal")
        #expect(try urls.ownFileID(in: elsewhere, now: now) == "ABC123")
        #expect(try urls.ownFileID(in: "https://example.com/a.pdf", now: now) == nil)
    }
}
