// SPDX-License-Identifier: AGPL-3.0-or-later
import Hummingbird
import QuireCore

/// `/debug/engine-crash` and `/debug/engine-hang`: jobs whose engine host aborts or never
/// answers, to test supervision end to end (`host=office`: in an office host). Mounted only with
/// `--enable-test-operations`.
struct DebugRoutes {
    let services: APIServices
    let submitter: JobSubmitter

    func add(to routes: RouteTable) {
        for (path, operation) in [("/debug/engine-crash", JobOperation.testCrash), ("/debug/engine-hang", .testHang)] {
            routes.add(path) { request, context in
                var request = request
                let parameters = try await request.parameters(maxBodyBytes: services.limits.maxRequestBytes)
                var input = parameters
                if input.string("url") == nil { input.set("url", "test:none") }
                let conversion = try ConversionRequest(input, limits: services.limits, outputExtension: "txt")
                let options = ["host": parameters.string("host") == "office" ? "office" : "engine"]
                return try await submitter.submit(
                    conversion.spec(operation, options: options), owner: context.owner, isAsync: conversion.isAsync)
            }
        }
    }
}
