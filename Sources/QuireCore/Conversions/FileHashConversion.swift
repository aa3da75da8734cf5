// SPDX-License-Identifier: AGPL-3.0-or-later

/// `/file/hash`: the SHA-256 of the file at `url`, as lower-case hex in `hash`. PDF.co's page
/// says "MD5" but its example is 64 hex digits, SHA-256's length (docs/api.md). Clients use it
/// to tell whether a source document changed.
package enum FileHashConversion: Conversion {
    package typealias Options = NoOptions
    package static let operation = JobOperation.fileHash
    package static let paths = ["/file/hash"]
    package static let host = HostKind.worker
    package static let result = ResultKind.fields
    package static let usesPages = false
    package static let commandName: String? = "file-hash"
}

extension JobOperation {
    package static let fileHash = JobOperation("file.hash")
}
