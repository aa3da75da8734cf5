// SPDX-License-Identifier: AGPL-3.0-or-later
import Hummingbird
import QuireCore
import QuireJobs
import QuireStorage

/// `/account/credit/balance`, `/license/info`, `/healthz` and `/readyz`: probes integrations and operators send.
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
        let (queue, store) = (services.queue, services.store)
        routes.add("/readyz", methods: [.get]) { _, _ in try await Self.readiness(queue: queue, store: store, isReady: isReady) }
    }

    /// `/readyz`: `/healthz`, and the job queue and the file store answer within 2 s each (a
    /// lost database or bucket takes the node out of its load balancer, which `/healthz` alone
    /// would not).
    static func readiness(queue: any JobQueue, store: (any ObjectStore)?, isReady: () -> Bool) async throws -> Response {
        _ = try health(isReady: isReady)
        do {
            try await answersWithin(.seconds(2)) { _ = try await queue.counts() }
        } catch {
            throw APIError(503, "Not ready: the job queue does not answer (\(error)).")
        }
        if let store {
            do {
                try await answersWithin(.seconds(2)) { _ = try await store.size(of: "readyz-probe") }
            } catch {
                throw APIError(503, "Not ready: the file store does not answer (\(error)).")
            }
        }
        return JSONAnswer.make(["error": .bool(false), "status": .int(200), "message": .string("ready: queue and store answer")])
    }

    /// Runs `body`, throwing `CancellationError` when it takes longer than `limit`.
    private static func answersWithin(_ limit: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await body()
                return true
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return false
            }
            let finished = try await group.next() ?? false
            group.cancelAll()
            if !finished { throw CancellationError() }
        }
    }

    /// 200 once the node can do its work, 503 before (load balancers and tests wait on it).
    static func health(isReady: () -> Bool) throws -> Response {
        guard isReady() else { throw APIError(503, "Starting: the worker is not ready yet.") }
        return JSONAnswer.make(["error": .bool(false), "status": .int(200), "message": .string("ready")])
    }
}
