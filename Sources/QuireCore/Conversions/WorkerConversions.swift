// SPDX-License-Identifier: AGPL-3.0-or-later

/// Copies a remote URL into storage (`/file/upload/url`); the worker fetches it with the same
/// rules as any input.
package enum UploadFromURLConversion: Conversion {
    package typealias Options = NoOptions
    package static let operation = JobOperation.uploadFromURL
    package static let paths = ["/file/upload/url"]
    package static let host = HostKind.worker
    package static let result = ResultKind.clientFile
    package static let usesPages = false
}

/// Which host a test operation breaks.
package struct TestOperationOptions: ConversionOptions {
    /// An office host instead of an engine host (`host=office`).
    package var office = false

    package init() {}

    static func legacy(_ map: [String: String]) -> TestOperationOptions {
        var options = TestOperationOptions()
        options.office = map["host"] == "office"
        return options
    }
}

/// What the two test-only conversions share: no input, a text result never delivered (so
/// tests can watch a pending result URL answer 404), the host chosen by `host=office`.
package protocol TestOperationConversion: Conversion where Options == TestOperationOptions {}

extension TestOperationConversion {
    package static var host: HostKind { .mupdf }
    package static var result: ResultKind { .textFile(extension: "txt") }
    package static var isTestOnly: Bool { true }
    package static func host(for options: TestOperationOptions) -> HostKind { options.office ? .office : .mupdf }
    package static func legacyOptions(_ map: [String: String]) -> TestOperationOptions { .legacy(map) }
}

/// Test-only: the engine host aborts (a crashing engine).
package enum TestCrashConversion: TestOperationConversion {
    package static let operation = JobOperation.testCrash
    package static let paths = ["/debug/engine-crash"]
}

/// Test-only: the engine host never answers (a hung engine).
package enum TestHangConversion: TestOperationConversion {
    package static let operation = JobOperation.testHang
    package static let paths = ["/debug/engine-hang"]
}

extension JobOperation {
    package static let uploadFromURL = JobOperation("file.upload-url")
    package static let testCrash = JobOperation("test.crash")
    package static let testHang = JobOperation("test.hang")
}
