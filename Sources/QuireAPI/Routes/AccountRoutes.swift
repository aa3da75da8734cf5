// SPDX-License-Identifier: AGPL-3.0-or-later
import Hummingbird
import QuireCore

/// `/account/credit/balance`, `/license/info` and `/healthz`: probes integrations and operators send.
struct AccountRoutes {
    let services: APIServices

    func add(to routes: RouteTable) {
        routes.add("/account/credit/balance") { _, _ in
            JSONAnswer.make(["remainingCredits": .int(JobAnswers.remainingCredits), "error": .bool(false), "status": .int(200)])
        }
        routes.add("/license/info") { _, _ in
            let module: JSONValue = .object([
                "moduleName": .string("Quire"), "enabled": .bool(true),
                "licenseInfo": .object(["LimitType": .string("None"), "Limit": .int(-1), "Remainder": .int(-1)]),
            ])
            return JSONAnswer.make(["body": .object(["modules": .array([module])]), "error": .bool(false), "status": .int(200)])
        }
        let isReady = services.isReady
        routes.add("/healthz", methods: [.get]) { _, _ in try Self.health(isReady: isReady) }
    }

    /// 200 once the node can do its work, 503 before (load balancers and tests wait on it).
    static func health(isReady: () -> Bool) throws -> Response {
        guard isReady() else { throw APIError(503, "Starting: the worker is not ready yet.") }
        return JSONAnswer.make(["error": .bool(false), "status": .int(200), "message": .string("ready")])
    }
}
