// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// The shared PostgreSQL database of a cluster of nodes: one connection pool, one listening
/// connection for the wake-ups, and the schema migrations.
///
/// A `Service`: `run()` must be running (first in the `ServiceGroup`) for any query to be
/// answered. Queries made before it starts wait for it.
package final class PostgresBackend: Service, Sendable {
    /// The pool every query goes through, `poolSize` connections at most.
    package let client: PostgresClient
    /// Wake-ups across nodes (LISTEN/NOTIFY), over a connection of their own.
    package let signals: PostgresJobSignals
    package let poolSize: Int
    private let logger: Logger

    /// Opens nothing yet: connections are made by `run()` and on demand.
    /// - Parameters:
    ///   - url: `postgres://USER:PASS@HOST:PORT/DB` (user and password percent-encoded).
    ///   - poolSize: the most connections the pool opens (the listening connection is one more).
    /// - Throws: `PostgresBackendError.invalidURL` when `url` is not of that form.
    package init(url: String, poolSize: Int = 10, logger: Logger = Logger(label: "quire.postgres")) throws {
        let configuration = try Self.configuration(url: url)
        var poolConfiguration = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: .disable)
        poolConfiguration.options.maximumConnections = max(1, poolSize)
        // Named in pg_stat_activity, so operators see whose connections these are.
        poolConfiguration.options.additionalStartupParameters = [("application_name", "quire")]
        self.client = PostgresClient(configuration: poolConfiguration, backgroundLogger: logger)
        self.signals = PostgresJobSignals(client: client, listenerConfiguration: configuration.connection, logger: logger)
        self.poolSize = max(1, poolSize)
        self.logger = logger
    }

    /// Runs the pool and the listener until cancelled (or a graceful shutdown).
    package func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.client.run() }
            group.addTask { await self.signals.run() }
        }
    }

    /// Applies the migrations not applied yet, in order; safe when several nodes start at once.
    package func migrate(_ migrations: [PostgresMigration]) async throws {
        try await PostgresMigrator(client: client, logger: logger).migrate(migrations)
    }

    /// Every migration Quire keeps in PostgreSQL: the queue's, then `others` (the file catalog's,
    /// which lives in QuireStorage), for `migrate`.
    package static func migrations(with others: [(id: String, statements: [String])]) -> [PostgresMigration] {
        PostgresJobQueue.migrations + others.map { PostgresMigration(id: $0.id, statements: $0.statements) }
    }
}

/// A PostgreSQL URL that cannot be used; the message names the setting, never the password.
package enum PostgresBackendError: Error, Equatable, CustomStringConvertible {
    case invalidURL(String)

    package var description: String {
        switch self {
        case .invalidURL(let reason): "--database-url (QUIRE_DATABASE_URL) is not postgres://USER:PASS@HOST:PORT/DB: \(reason)"
        }
    }
}

// MARK: - URL

extension PostgresBackend {
    /// Where and as whom to connect, read from a URL.
    package struct ConnectionSettings: Equatable, Sendable {
        package var host: String
        package var port: Int
        package var username: String
        package var password: String?
        package var database: String?

        package init(host: String, port: Int, username: String, password: String?, database: String?) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
        }

        /// The same settings for a single connection (the listener's).
        var connection: PostgresConnection.Configuration {
            var configuration = PostgresConnection.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: .disable)
            configuration.options.additionalStartupParameters = [("application_name", PostgresJobSignals.applicationName)]
            return configuration
        }
    }

    /// Parses `postgres://USER:PASS@HOST:PORT/DB` (or `postgresql://`): user and password are
    /// percent-decoded, the port defaults to 5432 and the database to the user's name.
    // TODO(#13): sslmode; TLS is off until the URL can ask for it.
    package static func configuration(url: String) throws -> ConnectionSettings {
        guard let components = URLComponents(string: url) else { throw PostgresBackendError.invalidURL("not a URL") }
        guard components.scheme == "postgres" || components.scheme == "postgresql" else {
            throw PostgresBackendError.invalidURL("the scheme must be postgres://")
        }
        guard let host = components.host, !host.isEmpty else { throw PostgresBackendError.invalidURL("no host") }
        guard let username = components.user, !username.isEmpty else { throw PostgresBackendError.invalidURL("no user") }
        // `path`, `user` and `password` come percent-decoded.
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.contains("/") else { throw PostgresBackendError.invalidURL("the path must be one database name") }
        // URLComponents keeps the brackets of an IPv6 literal; the socket address must not have them.
        let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return ConnectionSettings(
            host: bareHost, port: components.port ?? 5432, username: username, password: components.password,
            database: path.isEmpty ? nil : path)
    }
}
