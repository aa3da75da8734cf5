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

/// Wires `quire serve`: API and worker in one process over SQLite and the local disk.
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
        let database = try QuireDatabase.open(
            at: data.database, schemas: SQLiteFileCatalog.migrations + SQLiteJobQueue.migrations)
        let signals = InProcessJobSignals()
        let queue: any JobQueue = SQLiteJobQueue(database: database, signals: signals)
        // This process holds the data lock, so a lease of an earlier run of this instance was
        // left by a process that died: hand it back now instead of after its lease expires.
        // Leases of other instances (workers elsewhere) only come back when they expire.
        let identity = WorkerIdentity(instance: try data.instanceID())
        let released = try await queue.releaseLeases(ofEarlierRunsOf: identity)
        if released > 0 { logger.notice("requeued jobs of a previous run", metadata: ["jobs": "\(released)"]) }

        let catalog: any FileCatalog = SQLiteFileCatalog(database: database)
        let store = try LocalDiskStore(root: data.files)
        let publicBase = PublicBase(configured: config.publicURL, host: config.host, port: config.port)
        let urls = FileURLs(publicBase: { publicBase.value }, signer: URLSigner(secret: secret))
        let maxUploadBytes = config.maxUploadMB << 20
        let jobTimeout = Duration.seconds(config.jobTimeoutSeconds)
        let readiness = OnceFlag()

        let fetcher = RemoteFetcher(policy: AddressPolicy(allowsPrivate: config.allowsPrivateURLs), maxBytes: maxUploadBytes)
        let officeHosts = (0..<config.officeWorkers).map {
            EngineHostProcess.Settings.office(
                executable: executable, index: $0, profiles: data.officeProfiles, workFolders: data.hosts,
                maxJobsPerProcess: config.officeMaxJobs, maxResidentMB: config.officeMemoryMB)
        }
        var workerSettings = WorkerSettings(jobTimeout: jobTimeout)
        workerSettings.maxJobInputBytes = config.maxJobInputMB << 20
        let engineHost = EngineHostProcess.Settings(
            executable: executable, memoryLimitMB: config.engineMemoryMB, maxJobsPerProcess: config.engineMaxJobs,
            workFolders: data.hosts)
        let worker = Worker(
            settings: workerSettings, identity: identity,
            queue: queue, signals: signals, catalog: catalog, store: store,
            engines: .processes(count: config.workers, settings: engineHost, logger: logger),
            offices: .processes(officeHosts, logger: logger),
            inputs: InputResolver(urls: urls, catalog: catalog, store: store, fetcher: fetcher),
            scratch: data.scratch, readiness: readiness, logger: logger,
            webhooks: WebhookSender(fetcher: fetcher, logger: logger), report: { JobAnswers(urls: urls).check($0) })
        let janitor = Janitor(queue: queue, catalog: catalog, store: store, scratch: data.scratch, interval: .seconds(60), logger: logger)

        var limits = APILimits(maxUploadBytes: maxUploadBytes, jobTimeout: jobTimeout)
        limits.maxInputsPerJob = config.maxInputsPerJob
        limits.maxConcurrentUploads = config.maxConcurrentUploads
        let services = APIServices(
            queue: queue, signals: signals, catalog: catalog, store: store, urls: urls,
            limits: limits, scratch: data.scratch,
            enablesTestOperations: config.enablesTestOperations, isReady: { readiness.isSet })
        let router = QuireRouter.build(services: services, keys: keys, access: access)
        let connections = ConnectionGuard(maxConnections: config.maxConnections, headerTimeout: .seconds(config.headerTimeoutSeconds))
        let app = Application(
            router: router,
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [connections.makeHandler()], idleTimeout: .seconds(Int64(config.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Quire"),
            services: [worker, janitor],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.port
                publicBase.setPort(port)
                print("listening on \(config.host):\(port)")
                fflush(nil)
            },
            logger: logger)
        try await app.runService()
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
