// SPDX-License-Identifier: AGPL-3.0-or-later
import Logging

/// A set of interchangeable engine hosts: a job borrows one, and waits when all are busy.
package actor EngineHostPool {
    let hosts: [any EngineHost]
    private var idle: [any EngineHost]
    private var waiting: [CheckedContinuation<any EngineHost, Never>] = []

    package init(_ hosts: [any EngineHost]) {
        self.hosts = hosts
        self.idle = hosts
    }

    /// `count` child processes started with `settings` (at least one).
    package static func processes(count: Int, settings: EngineHostProcess.Settings, logger: Logger) -> EngineHostPool {
        EngineHostPool((0..<max(1, count)).map { EngineHostProcess(index: $0, settings: settings, logger: logger) })
    }

    /// One child process per entry of `settings` (office hosts each have their own profile); may be empty.
    package static func processes(_ settings: [EngineHostProcess.Settings], logger: Logger) -> EngineHostPool {
        EngineHostPool(settings.enumerated().map { EngineHostProcess(index: $0.offset, settings: $0.element, logger: logger) })
    }

    nonisolated var isEmpty: Bool { hosts.isEmpty }

    /// Runs `body` with a host of its own, waiting for one to be free first.
    func withHost<T: Sendable>(_ body: @Sendable (any EngineHost) async throws -> T) async throws -> T {
        let host = await acquire()
        defer { release(host) }
        return try await body(host)
    }

    private func acquire() async -> any EngineHost {
        if let host = idle.popLast() { return host }
        return await withCheckedContinuation { waiting.append($0) }
    }

    private func release(_ host: any EngineHost) {
        if waiting.isEmpty {
            idle.append(host)
        } else {
            waiting.removeFirst().resume(returning: host)
        }
    }

    /// Starts every host at once (pre-warm); LibreOffice hosts take a second or more each.
    nonisolated func startAll() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for host in hosts { group.addTask { try await host.start() } }
            try await group.waitForAll()
        }
    }

    nonisolated func stopAll() {
        for host in hosts { host.stop() }
    }
}
