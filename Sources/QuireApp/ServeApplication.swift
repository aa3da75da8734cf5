// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Hummingbird
import Logging
import QuireAPI
import QuireCore
import QuireJobs
import QuireStorage
import QuireWorker
import ServiceLifecycle

/// Wires `quire serve` (API and worker in one process) and the single-role nodes.
package enum ServeApplication {
    /// Builds and runs the server until SIGTERM/SIGINT. Prints `listening on HOST:PORT` on stdout
    /// once bound (tests read the port from it).
    package static func run(_ config: ServeConfig, executable: URL, logger: Logger) async throws {
        let data = DataDirectory(config.dataDirectory)
        try data.create()
        try data.lockExclusively()
        let keys = try APIKeyStore(file: data.keys, plainKeys: config.apiKeys)
        try config.validate(hasKeys: !keys.isEmpty)
        var access = AccessPolicy()
        access.anonymousNetworks = config.anonymousNetworks.compactMap(IPNetwork.init)
        access.trustedProxies = config.trustedProxies.compactMap(IPNetwork.init)
        if let publicHost = config.publicURL.flatMap({ URL(string: $0)?.host?.lowercased() }) { access.serverHostNames.insert(publicHost) }
        if config.publicURL == nil && ["0.0.0.0", "::", "[::]"].contains(config.host) {
            logger.warning(
                "listening on every address without --public-url: returned links name 127.0.0.1, which other machines cannot reach; set --public-url (QUIRE_PUBLIC_URL)"
            )
        }
        if !access.anonymousNetworks.isEmpty {
            logger.warning(
                "requests from these networks need no API key and share one anonymous owner (--anonymous-from)",
                metadata: ["networks": "\(config.anonymousNetworks.joined(separator: ","))", "trusted.proxies": "\(config.trustedProxies)"])
        } else if keys.isEmpty {
            logger.notice("no API key configured: listening on loopback only, every request is accepted")
        }

        let secret: Data
        if let text = ProcessInfo.processInfo.environment["QUIRE_URL_SECRET"], text.utf8.count >= 32 {
            secret = Data(text.utf8)
        } else {
            secret = try SecretFile.loadOrCreate(at: data.secret)
        }
        let backends = try await Backends.open(config, data: data, logger: logger)
        try await backends.whileRunning {
            try await run(
                config, backends: backends, data: data, keys: keys, access: access, secret: secret, executable: executable, logger: logger)
        }
    }

    /// The node itself, once its backends run.
    private static func run(
        _ config: ServeConfig, backends: Backends, data: DataDirectory, keys: APIKeyStore, access: AccessPolicy, secret: Data,
        executable: URL, logger: Logger
    ) async throws {
        let identity = WorkerIdentity(instance: try data.instanceID())
        let publicBase = PublicBase(configured: config.publicURL, host: config.host, port: config.port)
        let urls = FileURLs(publicBase: { publicBase.value }, signer: URLSigner(secret: secret))
        let readiness = OnceFlag()
        var services: [any Service] = [
            Janitor(
                queue: backends.queue, catalog: backends.catalog, store: backends.store, scratch: data.scratch,
                interval: .seconds(config.janitorIntervalSeconds),
                logger: logger)
        ]
        if config.role.runsWorker {
            // This process holds the data lock, so a lease of an earlier run of this instance was
            // left by a process that died: hand it back now instead of after its lease expires.
            // Leases of other instances (workers elsewhere) only come back when they expire.
            let released = try await backends.queue.releaseLeases(ofEarlierRunsOf: identity)
            if released > 0 { logger.notice("requeued jobs of a previous run", metadata: ["jobs": "\(released)"]) }
            services.append(
                makeWorker(
                    config, backends: backends, data: data, identity: identity, urls: urls, readiness: readiness, executable: executable,
                    logger: logger))
        } else {
            readiness.set()
        }
        let router: Router<QuireRequestContext>
        if config.role.runsAPI {
            var limits = APILimits(maxUploadBytes: config.maxUploadMB << 20, jobTimeout: .seconds(config.jobTimeoutSeconds))
            limits.maxInputsPerJob = config.maxInputsPerJob
            limits.maxConcurrentUploads = config.maxConcurrentUploads
            limits.maxQueuedJobs = config.maxQueuedJobs
            limits.maxActiveJobsPerKey = config.maxJobsPerKey
            limits.requestsPerSecondPerKey = config.rateLimit
            limits.downloadRedirectLifetime = .seconds(config.s3RedirectSeconds)
            var api = APIServices(
                queue: backends.queue, signals: backends.signals, catalog: backends.catalog, store: backends.store, urls: urls,
                limits: limits, scratch: data.scratch,
                enablesTestOperations: config.enablesTestOperations, templates: backends.templates, isReady: { readiness.isSet })
            api.exportMetrics = config.exportMetrics
            router = QuireRouter.build(services: api, keys: keys, access: access)
        } else {
            router = QuireRouter.buildWorkerNode(queue: backends.queue, isReady: { readiness.isSet }, exportMetrics: config.exportMetrics)
        }
        let connections = ConnectionGuard(maxConnections: config.maxConnections, headerTimeout: .seconds(config.headerTimeoutSeconds))
        let app = Application(
            router: router,
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [connections.makeHandler()], idleTimeout: .seconds(Int64(config.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Quire"),
            services: services,
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.port
                publicBase.setPort(port)
                print("listening on \(config.host):\(port)")
                fflush(nil)
            },
            logger: logger)
        try await app.runService()
    }

    /// The worker: engine and office hosts, the fetcher, webhooks.
    private static func makeWorker(
        _ config: ServeConfig, backends: Backends, data: DataDirectory, identity: WorkerIdentity, urls: FileURLs,
        readiness: OnceFlag, executable: URL, logger: Logger
    ) -> Worker {
        let fetcher = RemoteFetcher(policy: AddressPolicy(allowsPrivate: config.allowsPrivateURLs), maxBytes: config.maxUploadMB << 20)
        let officeHosts = (0..<config.officeWorkers).map {
            EngineHostProcess.Settings.office(
                executable: executable, index: $0, profiles: data.officeProfiles, workFolders: data.hosts,
                maxJobsPerProcess: config.officeMaxJobs, maxResidentMB: config.officeMemoryMB)
        }
        var settings = WorkerSettings(jobTimeout: .seconds(config.jobTimeoutSeconds))
        settings.maxJobInputBytes = config.maxJobInputMB << 20
        let engineHost = EngineHostProcess.Settings(
            executable: executable, memoryLimitMB: config.engineMemoryMB, maxJobsPerProcess: config.engineMaxJobs,
            workFolders: data.hosts)
        return Worker(
            settings: settings, identity: identity,
            queue: backends.queue, signals: backends.signals, catalog: backends.catalog, store: backends.store,
            engines: .processes(count: config.workers, settings: engineHost, logger: logger),
            offices: .processes(officeHosts, logger: logger),
            ocrs: .processes(
                (0..<config.ocrWorkers).map { _ in
                    EngineHostProcess.Settings.ocr(
                        executable: executable, memoryLimitMB: config.engineMemoryMB, maxJobsPerProcess: config.engineMaxJobs,
                        workFolders: data.hosts)
                }, logger: logger),
            browsers: .processes(
                (0..<config.browserWorkers).map {
                    EngineHostProcess.Settings.browser(
                        executable: executable, index: $0, profiles: data.browserProfiles, workFolders: data.hosts,
                        allowsPrivate: config.allowsPrivateURLs, pageSeconds: min(config.browserPageSeconds, config.jobTimeoutSeconds),
                        maxBytes: config.maxUploadMB << 20, maxJobsPerProcess: config.engineMaxJobs)
                }, logger: logger),
            inputs: InputResolver(
                urls: urls, catalog: backends.catalog, store: backends.store, fetcher: fetcher, maxUploadBytes: config.maxUploadMB << 20),
            scratch: data.scratch, readiness: readiness, logger: logger,
            webhooks: WebhookSender(fetcher: fetcher, logger: logger), report: { JobAnswers(urls: urls).check($0) })
    }
}

/// The base of returned links; with `--port 0` its port is filled in once the server listens.
final class PublicBase: @unchecked Sendable {
    private let lock = NSLock()
    private let configured: String?
    private let host: String
    private var port: Int

    init(configured: String?, host: String, port: Int) {
        self.configured = configured
        // A wildcard address is no address to hand out; --public-url is the real fix.
        self.host = ["0.0.0.0", "::", "[::]"].contains(host) ? "127.0.0.1" : (host.contains(":") ? "[\(host)]" : host)
        self.port = port
    }

    func setPort(_ port: Int) { lock.withLock { self.port = port } }

    var value: String {
        if let configured, !configured.isEmpty { return configured }
        return lock.withLock { "http://\(host):\(port)" }
    }
}
