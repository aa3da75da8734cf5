// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Everything `quire serve` is configured with (flags or `QUIRE_*` environment variables).
package struct ServeConfig: Sendable {
    package var host = "127.0.0.1"
    package var port = 8080
    package var dataDirectory = URL(fileURLWithPath: "data")
    /// Base of returned links; default `http://<host>:<port>`.
    package var publicURL: String?
    package var apiKeys: [String] = []
    package var allowsPrivateURLs = false
    package var workers = ProcessInfo.processInfo.activeProcessorCount
    package var maxUploadMB = 200
    package var jobTimeoutSeconds = 300
    package var engineMemoryMB = 2048
    package var engineMaxJobs = 500
    package var enablesTestOperations = false
    /// LibreOffice hosts (office → PDF); 0 turns office conversions off. One per two cores:
    /// LibreOffice does not run two conversions at once in one process.
    package var officeWorkers = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
    package var officeMaxJobs = 200
    /// Resident memory after which an office host is restarted (LibreOffice never shrinks).
    package var officeMemoryMB = 1024

    package init() {}

    /// Addresses that only this machine can reach: a keyless server may bind only these.
    package var isLoopbackHost: Bool {
        ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased()) || host.hasPrefix("127.")
    }

    /// Problems that stop the server from starting, phrased for the operator (flag and variable).
    package func validate(hasKeys: Bool) throws {
        if !hasKeys && !isLoopbackHost {
            throw ConfigError(
                "Refusing to listen on \(host) without an API key: anyone on the network could use this server. Create a key with `quire keys create` (or pass --api-key / QUIRE_API_KEYS), or listen on 127.0.0.1."
            )
        }
        guard (0...65535).contains(port) else { throw ConfigError("--port (QUIRE_PORT) must be 0…65535.") }
        guard workers >= 1 else { throw ConfigError("--workers (QUIRE_WORKERS) must be at least 1.") }
        guard officeWorkers >= 0 else { throw ConfigError("--office-workers (QUIRE_OFFICE_WORKERS) must be 0 or more.") }
        guard maxUploadMB >= 1 else { throw ConfigError("--max-upload-mb (QUIRE_MAX_UPLOAD_MB) must be at least 1.") }
        guard jobTimeoutSeconds >= 1 else { throw ConfigError("--job-timeout (QUIRE_JOB_TIMEOUT) must be at least 1 second.") }
    }
}

/// A configuration problem; the message names the flag or variable to change.
package struct ConfigError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
