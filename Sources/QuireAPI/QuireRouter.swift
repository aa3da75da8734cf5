// SPDX-License-Identifier: AGPL-3.0-or-later
import Hummingbird
import Logging

/// Builds the HTTP router: middleware first, then every route family at `/` and `/v1/`.
package enum QuireRouter {
    package static func build(
        services: APIServices, keys: APIKeyStore, access: AccessPolicy = AccessPolicy()
    ) -> Router<QuireRequestContext> {
        let router = Router(context: QuireRequestContext.self, options: [.caseInsensitive, .autoGenerateHeadEndpoints])
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: APIKeyMiddleware(keys: keys, access: access))
        let routes = RouteTable(router: router)
        let submitter = JobSubmitter(services: services)
        AccountRoutes(services: services).add(to: routes)
        FileRoutes(services: services, submitter: submitter).add(to: routes)
        JobRoutes(services: services, answers: JobAnswers(urls: services.urls)).add(to: routes)
        PDFConvertToRoutes(services: services, submitter: submitter).add(to: routes)
        PDFInfoRoutes(services: services, submitter: submitter).add(to: routes)
        OfficeRoutes(services: services, submitter: submitter).add(to: routes)
        ImageToPDFRoutes(services: services, submitter: submitter).add(to: routes)
        PDFToolkitRoutes(services: services, submitter: submitter).add(to: routes)
        NotImplementedRoutes().add(to: routes)
        if services.enablesTestOperations { DebugRoutes(services: services, submitter: submitter).add(to: routes) }
        return router
    }
}
