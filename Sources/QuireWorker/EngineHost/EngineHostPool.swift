// SPDX-License-Identifier: AGPL-3.0-or-later

/// A set of interchangeable engine hosts: a job borrows one, and waits when all are busy.
actor EngineHostPool {
    let hosts: [EngineHostProcess]
    private var idle: [EngineHostProcess]
    private var waiting: [CheckedContinuation<EngineHostProcess, Never>] = []

    init(_ hosts: [EngineHostProcess]) {
        self.hosts = hosts
        self.idle = hosts
    }

    nonisolated var isEmpty: Bool { hosts.isEmpty }

    /// Runs `body` with a host of its own, waiting for one to be free first.
    func withHost<T: Sendable>(_ body: @Sendable (EngineHostProcess) async throws -> T) async throws -> T {
        let host = await acquire()
        defer { release(host) }
        return try await body(host)
    }

    private func acquire() async -> EngineHostProcess {
        if let host = idle.popLast() { return host }
        return await withCheckedContinuation { waiting.append($0) }
    }

    private func release(_ host: EngineHostProcess) {
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
