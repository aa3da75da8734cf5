// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Wake-ups across nodes with PostgreSQL's LISTEN/NOTIFY.
///
/// `jobEnqueued` and `jobFinished` NOTIFY every node, this one included; `run()` keeps one
/// connection per process LISTENing and wakes this process's waiters on each notification. Waiters still return at their timeout, so while the listener is down
/// (database restart, network) workers and sync requests fall back to polling.
package final class PostgresJobSignals: JobSignals, Service, Sendable {
    /// Channel of "a job was enqueued" (empty payload).
    static let enqueuedChannel = "quire_job_enqueued"
    /// Channel of "job <payload> finished".
    static let finishedChannel = "quire_job_finished"
    /// The listening connection's `application_name` in `pg_stat_activity`.
    package static let applicationName = "quire-listener"

    private let client: PostgresClient
    private let listenerConfiguration: PostgresConnection.Configuration
    private let logger: Logger
    private let local = InProcessJobSignals()
    private let listening = ListenerState()

    /// `client` sends the NOTIFYs; the listener opens its own connection with `listenerConfiguration`
    /// (a pooled one may be closed when idle, and would miss notifications meanwhile).
    package init(client: PostgresClient, listenerConfiguration: PostgresConnection.Configuration, logger: Logger) {
        self.client = client
        self.listenerConfiguration = listenerConfiguration
        self.logger = logger
    }

    // This process's waiters are woken by the notification too, not here: woken here as well,
    // a waiter registered after this call would be woken again by the late echo, for an
    // event that came before it.
    package func jobEnqueued() async {
        await notify(Self.enqueuedChannel, payload: "")
    }

    package func jobFinished(_ id: String) async {
        await notify(Self.finishedChannel, payload: id)
    }

    package func waitForWork(timeout: Duration) async {
        await local.waitForWork(timeout: timeout)
    }

    package func waitForFinish(of id: String, timeout: Duration) async {
        await local.waitForFinish(of: id, timeout: timeout)
    }

    // A lost NOTIFY costs other nodes a poll interval, never a job: logged, not thrown.
    private func notify(_ channel: String, payload: String) async {
        do {
            _ = try await client.query("SELECT pg_notify(\(channel), \(payload))", logger: logger).collect()
        } catch {
            logger.warning("postgres notify failed", metadata: ["channel": "\(channel)", "error": "\(String(reflecting: error))"])
        }
    }

    /// Whether the listener is subscribed right now (tests wait for it before signalling).
    package var isListening: Bool { listening.value }

    /// Listens until cancelled, reconnecting after a second when the connection fails.
    package func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.listen()
                } catch {
                    if Task.isCancelled { break }
                    self.logger.warning(
                        "postgres listener lost; polling until it is back", metadata: ["error": "\(String(reflecting: error))"])
                }
                self.listening.value = false
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func listen() async throws {
        let connection = try await PostgresConnection.connect(configuration: listenerConfiguration, id: 0, logger: logger)
        do {
            try await listen(on: connection)
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }

    private func listen(on connection: PostgresConnection) async throws {
        try await connection.listen(on: Self.enqueuedChannel) { enqueued in
            try await connection.listen(on: Self.finishedChannel) { finished in
                // LISTEN is asynchronous on the wire; a query answered after it proves the server took it.
                _ = try await connection.query("SELECT 1", logger: logger).collect()
                listening.value = true
                // Jobs enqueued while the listener was down would wait for the workers' next poll.
                await local.wakeWaitingWorkers()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { for try await _ in enqueued { await self.local.jobEnqueued() } }
                    group.addTask { for try await note in finished { await self.local.jobFinished(note.payload) } }
                    // A connection that died silently (no RST through a firewall) fails this
                    // query, and the listener reconnects instead of waiting forever.
                    group.addTask {
                        while true {
                            try await Task.sleep(for: .seconds(30))
                            _ = try await connection.query("SELECT 1", logger: self.logger).collect()
                        }
                    }
                    // Each task ends only when the connection does (or on cancellation).
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
    }
}

/// A flag shared between the listener and its readers.
private final class ListenerState: @unchecked Sendable {
    private let lock = NSLock()
    private var isOn = false

    var value: Bool {
        get { lock.withLock { isOn } }
        set { lock.withLock { isOn = newValue } }
    }
}
