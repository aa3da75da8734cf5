// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireStorage
import QuireWorker

/// The S3-compatible server of this test process: `Tests/Scripts/s3_test_server.py` (moto,
/// signatures enforced, one IAM user and key) on a free loopback port, started at first use
/// and ended with the process. `QUIRE_TEST_S3_ENDPOINT`, `QUIRE_TEST_S3_ACCESS_KEY_ID`,
/// `QUIRE_TEST_S3_SECRET_ACCESS_KEY` (and optionally `QUIRE_TEST_S3_REGION`) name another
/// server instead.
public final class S3TestServer: Sendable {
    public let endpoint: URL
    public let region: String
    public let accessKeyID: String
    public let secretAccessKey: String
    // Held so the server lives as long as the process: it stops when its stdin (our pipe) closes.
    private let child: ChildProcess?

    private init(endpoint: URL, region: String, accessKeyID: String, secretAccessKey: String, child: ChildProcess?) {
        self.endpoint = endpoint
        self.region = region
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.child = child
    }

    /// The server, started by the first caller.
    public static func shared() async throws -> S3TestServer { try await starting.value }

    private static let starting = Task { try start() }

    private static func start() throws -> S3TestServer {
        let environment = ProcessInfo.processInfo.environment
        if let endpoint = environment["QUIRE_TEST_S3_ENDPOINT"].flatMap(URL.init(string:)),
            let id = environment["QUIRE_TEST_S3_ACCESS_KEY_ID"], let secret = environment["QUIRE_TEST_S3_SECRET_ACCESS_KEY"]
        {
            return S3TestServer(
                endpoint: endpoint, region: environment["QUIRE_TEST_S3_REGION"] ?? "us-east-1", accessKeyID: id, secretAccessKey: secret,
                child: nil)
        }
        let script = packageRoot.appendingPathComponent("Tests/Scripts/s3_test_server.py").path
        let log = TemporaryDirectory("quire-s3").file("server.log")
        let child = try ChildProcess(
            executable: "/usr/bin/env", arguments: ["python3", script], environment: environment, errorOutput: log.path)
        let line = FileHandle(fileDescriptor: child.output, closeOnDealloc: false).readLine()
        guard let info = try? JSONDecoder().decode(Info.self, from: Data(line.utf8)), let endpoint = URL(string: info.endpoint) else {
            let detail = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw StartError(message: "s3_test_server.py did not start (pip install 'moto[server]'): \(line)\n\(detail.suffix(2000))")
        }
        return S3TestServer(
            endpoint: endpoint, region: info.region, accessKeyID: info.accessKeyID, secretAccessKey: info.secretAccessKey, child: child)
    }

    /// A configuration for `bucket` with this server's key (or `secretAccessKey`, to be refused).
    package func configuration(bucket: String, secretAccessKey: String? = nil, partSizeBytes: Int = 16 << 20) -> S3Configuration {
        S3Configuration(
            bucket: bucket, endpoint: endpoint, region: region, pathStyle: true,
            credentials: S3Credentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey ?? self.secretAccessKey),
            partSizeBytes: partSizeBytes)
    }

    /// A store over a new, empty bucket of its own.
    package func makeStore(partSizeBytes: Int = 16 << 20, keyPrefix: String = "") async throws -> S3ObjectStore {
        var configuration = configuration(bucket: "quire-test-\(UUID().uuidString.lowercased())", partSizeBytes: partSizeBytes)
        configuration.keyPrefix = keyPrefix
        let store = S3ObjectStore(configuration: configuration)
        try await store.createBucket()
        return store
    }

    /// `quire serve`/`quire worker` flags for `bucket` on this server.
    public func nodeArguments(bucket: String) -> [String] {
        ["--s3-bucket", bucket, "--s3-endpoint", endpoint.absoluteString, "--s3-region", region, "--s3-path-style"]
    }

    /// The environment a node reads this server's key from (the AWS names, as operators set them).
    public var nodeEnvironment: [String: String] {
        ["AWS_ACCESS_KEY_ID": accessKeyID, "AWS_SECRET_ACCESS_KEY": secretAccessKey]
    }

    /// A node's flags and environment for a new bucket of its own, plus a store over that bucket
    /// for the test to look inside.
    package func makeNodeBucket() async throws -> (arguments: [String], environment: [String: String], store: S3ObjectStore) {
        let store = try await makeStore()
        return (nodeArguments(bucket: store.configuration.bucket), nodeEnvironment, store)
    }

    private struct Info: Decodable {
        var endpoint: String
        var region: String
        var accessKeyID: String
        var secretAccessKey: String
    }

    struct StartError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

extension FileHandle {
    /// Bytes up to the next newline (or the end), read one at a time so nothing after it is consumed.
    fileprivate func readLine() -> String {
        var line = Data()
        while true {
            let byte = readData(ofLength: 1)
            if byte.isEmpty || byte.first == UInt8(ascii: "\n") { break }
            line.append(byte)
        }
        return String(decoding: line, as: UTF8.self)
    }
}
