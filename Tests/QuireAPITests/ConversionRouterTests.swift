// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireAPI
import QuireCore
import Testing

/// Every conversion of `Conversions.all`, called through the real router: it is mounted at each
/// of its paths with and without `/v1`, queues its operation with its default options, keeps
/// `pages` only when it uses them; every planned path answers 501 the PDF.co way.
struct ConversionRouterTests {
    /// A conversion added without a router case fails here rather than going untested.
    @Test func everyOperationHasARouterCase() {
        #expect(Set(ConversionRouterCase.all.keys) == Set(Conversions.all.map { $0.operation }))
    }

    /// Only the required parameters in, the declared defaults out, at every path and prefix.
    @Test(arguments: Conversions.all.map { $0.operation })
    func defaultsWhenNothingElseIsGiven(_ operation: JobOperation) async throws {
        let conversion = operation.conversion
        let routerCase = try #require(ConversionRouterCase.all[operation])
        let harness = try RouterHarness(enablesTestOperations: conversion.isTestOnly)
        for path in conversion.paths {
            for prefix in ["", "/v1"] {
                let spec = try await harness.queued(prefix + path, routerCase.required)
                #expect(spec.operation == operation, "\(prefix + path)")
                #expect(spec.optionsVersion == JobSpec.typedOptionsVersion)
                #expect(spec.options == routerCase.defaults(path), "\(prefix + path)")
                // The worker reads them back through the same declaration.
                #expect(try conversion.currentOptions(of: spec) == routerCase.defaults(path))
                // A conversion without an input file (`/barcode/generate`) ignores `url`.
                #expect(spec.inputs == (conversion.input == .none ? [] : [RouterHarness.anyURL] + routerCase.extraInputs))
                #expect(spec.expirationMinutes == 60)
            }
        }
    }

    /// `pages` reaches the job only for conversions that select pages with it (`usesPages`).
    @Test(arguments: Conversions.all.map { $0.operation })
    func pagesAreDroppedWhereUnused(_ operation: JobOperation) async throws {
        let conversion = operation.conversion
        var parameters = try #require(ConversionRouterCase.all[operation]).required
        // "1" reads the same zero-based and one-based (/pdf/split).
        parameters["pages"] = "1"
        let spec = try await RouterHarness(enablesTestOperations: conversion.isTestOnly).queued(conversion.paths[0], parameters)
        #expect(spec.pages == (conversion.usesPages ? "1" : nil))
    }

    /// Each planned PDF.co path answers 501 with the error shape, by GET and POST, and queues nothing.
    @Test func plannedPathsAnswer501() async throws {
        let harness = try RouterHarness()
        for path in Conversions.planned {
            for uri in [path, "/v1" + path] {
                for answer in [try await harness.get(uri), try await harness.send(uri, ["url": RouterHarness.anyURL])] {
                    #expect(answer.status == 501, "\(uri)")
                    #expect(answer.json["error"] == .bool(true))
                    #expect(answer.json["status"] == .int(501))
                    #expect(answer.message.contains(path), "\(uri): \(answer.message)")
                }
            }
        }
        #expect(try await harness.jobCount() == 0)
    }

    /// The engine-breaking operations exist only with `--enable-test-operations`.
    @Test func testOperationsAreMountedOnlyWhenEnabled() async throws {
        for path in TestCrashConversion.paths + TestHangConversion.paths {
            let answer = try await RouterHarness().send(path, ["async": "true"])
            #expect(answer.status == 404, "\(path)")
            #expect(answer.json["error"] == .bool(true))
        }
        let spec = try await RouterHarness(enablesTestOperations: true).queued(TestCrashConversion.paths[0], ["host": "office"])
        #expect(try TestCrashConversion.options(of: spec).office)
        #expect(try TestCrashConversion.host(of: spec) == .office)
    }

    /// An unknown path is a PDF.co 404, not a conversion.
    @Test func unknownPathIs404() async throws {
        let harness = try RouterHarness()
        let answer = try await harness.send("/pdf/convert/to/nothing", ["url": RouterHarness.anyURL])
        #expect(answer.status == 404)
        #expect(answer.json["status"] == .int(404))
        #expect(try await harness.jobCount() == 0)
    }
}
