// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Everything a worker needs to run a job, as accepted by the API. Stored as JSON in the queue.
package struct JobSpec: Sendable, Codable, Equatable {
    package var operation: JobOperation
    /// Input URLs in order (Quire's own signed file URLs or remote http(s) URLs).
    package var inputs: [String]
    /// PDF open password, nil when none was given.
    package var password: String?
    /// The `pages` value as sent (already validated by the API).
    package var pages: String?
    /// Sanitized output file name, with extension.
    package var outputName: String
    /// The `name` as the client sent it (PDF.co echoes it in `name`).
    package var requestedName: String?
    /// File ID reserved for the result, so the async answer can carry the final URL.
    package var resultFileID: String
    /// Minutes the result (and the job record) live after the job ends.
    package var expirationMinutes: Int
    /// Webhook URL to POST the final job status to.
    package var callback: String?
    /// The conversion's options (its `Options` encoded), sent to engine hosts: never fetch
    /// credentials (those are in `secrets`). Jobs queued before typed options kept a string map
    /// here (lower-cased names) and have no `optionsVersion`: `Conversion.options(of:)` reads both.
    package var options: JSONValue
    /// `typedOptionsVersion` when `options` is the encoded options struct; nil in older jobs.
    package var optionsVersion: Int?
    /// What only the worker's fetcher reads: fetch credentials and the decryption key. Erased
    /// when the job ends; nil in jobs queued before it existed (they kept these in `options`).
    package var secrets: JobSecrets?

    package init(
        operation: JobOperation, inputs: [String], password: String? = nil, pages: String? = nil,
        outputName: String, requestedName: String? = nil, resultFileID: String,
        expirationMinutes: Int, callback: String? = nil, options: JSONValue = .object([:]), secrets: JobSecrets? = nil
    ) {
        self.operation = operation
        self.inputs = inputs
        self.password = password
        self.pages = pages
        self.outputName = outputName
        self.requestedName = requestedName
        self.resultFileID = resultFileID
        self.expirationMinutes = expirationMinutes
        self.callback = callback
        self.options = options
        self.optionsVersion = Self.typedOptionsVersion
        self.secrets = secrets
    }
}

/// Credentials a job needs before any engine runs, kept apart from the options engine hosts see.
package struct JobSecrets: Sendable, Codable, Equatable {
    /// Basic-auth user and password for remote inputs (PDF.co's `httpusername`/`httppassword`).
    package var httpUsername: String?
    package var httpPassword: String?
    /// PDF.co's user-controlled decryption of the inputs (`DataDecryptionKey`/`DataDecryptionIV`).
    package var decryptionKey: String?
    package var decryptionIV: String?

    package init(httpUsername: String? = nil, httpPassword: String? = nil, decryptionKey: String? = nil, decryptionIV: String? = nil) {
        self.httpUsername = httpUsername
        self.httpPassword = httpPassword
        self.decryptionKey = decryptionKey
        self.decryptionIV = decryptionIV
    }

    package var isEmpty: Bool { self == JobSecrets() }
}

extension JobSpec {
    package static let typedOptionsVersion = 2

    /// Basic-auth credentials for remote inputs; from `options` in jobs queued by older versions.
    package var fetchCredentials: (user: String, password: String?)? {
        if let user = secrets?.httpUsername { return (user, secrets?.httpPassword) }
        guard optionsVersion == nil else { return nil }
        let legacy = options.stringMap
        return legacy["httpusername"].map { ($0, legacy["httppassword"]) }
    }

    /// Key and IV of user-controlled input decryption; from `options` in older jobs.
    package var inputDecryption: (key: String, iv: String)? {
        if let key = secrets?.decryptionKey, let iv = secrets?.decryptionIV { return (key, iv) }
        let legacy = optionsVersion == nil ? options.stringMap : [:]
        guard let key = legacy["datadecryptionkey"], let iv = legacy["datadecryptioniv"] else { return nil }
        return (key, iv)
    }

    /// Option names that hold credentials: fetch credentials, the passwords of /pdf/security/add
    /// and the key and IV of user-controlled decryption.
    package static func isSecretOption(_ name: String) -> Bool {
        let name = name.lowercased()
        return name.contains("password") || name == "httpusername" || name.hasPrefix("datadecryption")
    }

    /// Drops every password and credential (kept while the job may still run, gone once it ended).
    package mutating func eraseSecrets() {
        password = nil
        secrets = nil
        if case .object(let members) = options { options = .object(members.filter { !Self.isSecretOption($0.key) }) }
    }
}

/// What a finished job produced; stored as JSON in the queue and turned into PDF.co fields.
package struct JobResult: Sendable, Codable, Equatable {
    /// Result file ID in storage, nil for JSON-only results (e.g. `/pdf/info`).
    package var fileID: String?
    package var fileName: String?
    package var pageCount: Int?
    /// Extra JSON fields of the answer (e.g. `info` of `/pdf/info`).
    package var fields: [String: JSONValue]

    package init(fileID: String? = nil, fileName: String? = nil, pageCount: Int? = nil, fields: [String: JSONValue] = [:]) {
        self.fileID = fileID
        self.fileName = fileName
        self.pageCount = pageCount
        self.fields = fields
    }
}

/// Why a job failed, in PDF.co terms: the HTTP-style status and a client-safe message.
package struct JobFailure: Error, Sendable, Codable, Equatable {
    package var status: Int
    package var message: String
    /// Whether another attempt may succeed (engine crash, network error) or not (wrong password).
    package var isRetryable: Bool

    package init(status: Int, message: String, isRetryable: Bool = false) {
        self.status = status
        self.message = message
        self.isRetryable = isRetryable
    }
}

/// Lifecycle of a job, as `/job/check` reports it (`queued` and `running` both read `working`).
package enum JobState: String, Sendable, Codable {
    case queued, running, success, failed, aborted

    package var isFinished: Bool { self == .success || self == .failed || self == .aborted }

    /// The PDF.co `/job/check` status string.
    package var pdfcoStatus: String {
        switch self {
        case .queued, .running: "working"
        case .success: "success"
        case .failed: "failed"
        case .aborted: "aborted"
        }
    }
}
