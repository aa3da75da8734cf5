// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireStorage
import QuireTestSupport
import Testing

/// One `ObjectStore` implementation under test. A new backend joins every conformance test
/// with one more entry in `all`.
struct ObjectStoreBackend: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (_ temp: TemporaryDirectory) async throws -> any ObjectStore

    var testDescription: String { name }

    static let all: [ObjectStoreBackend] = [
        ObjectStoreBackend(name: "localDisk") { temp in try LocalDiskStore(root: temp.file("files")) },
        // A bucket of its own on the test S3 server (moto with signatures enforced).
        ObjectStoreBackend(name: "s3") { _ in try await S3TestServer.shared().makeStore(keyPrefix: "quire/") },
    ]
}

/// What every `ObjectStore` must do, run against each of `ObjectStoreBackend.all`. Keys are
/// file IDs (letters and digits), the only keys Quire uses.
struct ObjectStoreConformanceTests {
    @Test(arguments: ObjectStoreBackend.all)
    func dataRoundTrip(_ backend: ObjectStoreBackend) async throws {
        let temp = TemporaryDirectory()
        let store = try await backend.make(temp)
        try await store.put("ABCDEF1", data: Data("hello".utf8))
        #expect(try await store.size(of: "ABCDEF1") == 5)
        let file = try await store.localFile(for: "ABCDEF1", scratch: temp.url)
        #expect(try Data(contentsOf: file) == Data("hello".utf8))
    }

    /// An empty object is an object: size 0, an empty local file.
    @Test(arguments: ObjectStoreBackend.all)
    func emptyObject(_ backend: ObjectStoreBackend) async throws {
        let temp = TemporaryDirectory()
        let store = try await backend.make(temp)
        try await store.put("EMPTY01", data: Data())
        #expect(try await store.size(of: "EMPTY01") == 0)
        #expect(try Data(contentsOf: try await store.localFile(for: "EMPTY01", scratch: temp.url)).isEmpty)
        let emptyFile = temp.file("empty")
        FileManager.default.createFile(atPath: emptyFile.path, contents: nil)
        try await store.put("EMPTY02", movingFrom: emptyFile)
        #expect(try await store.size(of: "EMPTY02") == 0)
    }

    /// `put(movingFrom:)` takes the file: the source is gone and the bytes are stored.
    @Test(arguments: ObjectStoreBackend.all)
    func putMovesTheSource(_ backend: ObjectStoreBackend) async throws {
        let temp = TemporaryDirectory()
        let store = try await backend.make(temp)
        let source = temp.file("result.pdf")
        let bytes = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try bytes.write(to: source)
        try await store.put("MOVED01", movingFrom: source)
        #expect(!FileManager.default.fileExists(atPath: source.path))
        #expect(try await store.size(of: "MOVED01") == bytes.count)
        #expect(try Data(contentsOf: try await store.localFile(for: "MOVED01", scratch: temp.url)) == bytes)
    }

    /// A second put under the same key replaces the first.
    @Test(arguments: ObjectStoreBackend.all)
    func putReplaces(_ backend: ObjectStoreBackend) async throws {
        let temp = TemporaryDirectory()
        let store = try await backend.make(temp)
        try await store.put("SAMEKEY", data: Data("first version".utf8))
        try await store.put("SAMEKEY", data: Data("second".utf8))
        #expect(try await store.size(of: "SAMEKEY") == 6)
        #expect(try Data(contentsOf: try await store.localFile(for: "SAMEKEY", scratch: temp.url)) == Data("second".utf8))
    }

    /// A missing object: no size, `notFound` for its bytes, and deleting it is no error.
    @Test(arguments: ObjectStoreBackend.all)
    func missingObject(_ backend: ObjectStoreBackend) async throws {
        let temp = TemporaryDirectory()
        let store = try await backend.make(temp)
        #expect(try await store.size(of: "NOSUCH1") == nil)
        await #expect {
            _ = try await store.localFile(for: "NOSUCH1", scratch: temp.url)
        } throws: { error in
            if case StorageError.notFound = error { return true }
            return false
        }
        try await store.delete("NOSUCH1")
    }

    /// Delete removes the object and may be repeated.
    @Test(arguments: ObjectStoreBackend.all)
    func deleteRemoves(_ backend: ObjectStoreBackend) async throws {
        let temp = TemporaryDirectory()
        let store = try await backend.make(temp)
        try await store.put("GONE001", data: Data("x".utf8))
        try await store.put("KEPT001", data: Data("y".utf8))
        try await store.delete("GONE001")
        try await store.delete("GONE001")
        #expect(try await store.size(of: "GONE001") == nil)
        #expect(try await store.size(of: "KEPT001") == 1)
    }
}
