// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireStorage
import QuireTestSupport
import Testing

struct LocalStorageTests {
    @Test func storeRoundTrip() async throws {
        let temp = TemporaryDirectory()
        let store = try LocalDiskStore(root: temp.file("files"))
        try await store.put("ABCDEF", data: Data("hello".utf8))
        #expect(try await store.size(of: "ABCDEF") == 5)
        let file = try await store.localFile(for: "ABCDEF", scratch: temp.url)
        #expect(try String(contentsOf: file, encoding: .utf8) == "hello")
        let source = temp.file("moved")
        try Data("moved".utf8).write(to: source)
        try await store.put("XYZ123", movingFrom: source)
        #expect(!FileManager.default.fileExists(atPath: source.path))
        try await store.delete("ABCDEF")
        #expect(try await store.size(of: "ABCDEF") == nil)
    }

    /// Keys that could escape the store's folder never name a file.
    @Test(arguments: ["../etc", "a/b", "", "x", "..", "AB.CD"])
    func badKeysAreRejected(key: String) throws {
        let temp = TemporaryDirectory()
        let store = try LocalDiskStore(root: temp.url)
        #expect(throws: StorageError.self) { try store.path(for: key) }
    }
}
