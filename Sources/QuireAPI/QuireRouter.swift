// SPDX-License-Identifier: AGPL-3.0-or-later
import Hummingbird
import Logging
import QuireJobs

/// Builds the HTTP router: middleware first, then every route family at `/` and `/v1/`.
package enum QuireRouter {
    package static func build(
        services: APIServices, keys: APIKeyStore, access: AccessPolicy = AccessPolicy()
    ) -> Router<QuireRequestContext> {
        let router = Router(context: QuireRequestContext.self, options: [.caseInsensitive, .autoGenerateHeadEndpoints])
        // Outermost, so it counts the status the client gets, errors turned into answers included.
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: APIKeyMiddleware(keys: keys, access: access))
        if services.limits.requestsPerSecondPerKey > 0 {
            router.add(middleware: RateLimitMiddleware(limiter: RequestRateLimiter(perSecond: services.limits.requestsPerSecondPerKey)))
        }
        let (queue, isReady, exported) = (services.queue, services.isReady, services.exportMetrics)
        // Public, as /healthz: a scraper has no API key (docs/security.md: keep it off the internet).
        router.get("/metrics") { _, _ in try await MetricsRoute.response(queue: queue, isReady: isReady, exported: exported()) }
        // The contract, public too: a client generator or schemathesis fetches it before any key.
        router.get("/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.json)))
        }
        router.get("/docs") { _, _ in DocsPage.response() }
        let routes = RouteTable(router: router)
        let submitter = JobSubmitter(services: services)
        AccountRoutes(services: services).add(to: routes)
        TemplateRoutes(services: services).add(to: routes)
        FileRoutes(services: services).add(to: routes)
        JobRoutes(services: services, answers: JobAnswers(urls: services.urls)).add(to: routes)
        // Every conversion and the 501 of each planned PDF.co path (the debug ones only with
        // --enable-test-operations).
        ConversionRoutes(services: services, submitter: submitter).add(to: routes)
        return router
    }

    /// The router of a worker node (`quire worker`): `/healthz` and `/metrics`, no API.
    package static func buildWorkerNode(
        queue: any JobQueue, isReady: @escaping @Sendable () -> Bool, exportMetrics: @escaping @Sendable () -> String = { "" }
    ) -> Router<QuireRequestContext> {
        let router = Router(context: QuireRequestContext.self, options: [.caseInsensitive, .autoGenerateHeadEndpoints])
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.get("/healthz") { _, _ in try AccountRoutes.health(isReady: isReady) }
        router.get("/readyz") { _, _ in try await AccountRoutes.readiness(queue: queue, store: nil, isReady: isReady) }
        router.get("/metrics") { _, _ in try await MetricsRoute.response(queue: queue, isReady: isReady, exported: exportMetrics()) }
        return router
    }
}
