// SPDX-License-Identifier: AGPL-3.0-or-later
import Crypto
import Foundation
import QuireCore

extension FileHashConversion: WorkerPerformed {
    /// Reads the fetched input in 1 MiB pieces: memory stays flat for a file of any size.
    package static func perform(_ options: NoOptions, _ call: EngineCall) async throws -> EngineResponse {
        let file = try FileHandle(forReadingFrom: try call.input())
        defer { try? file.close() }
        var hasher = SHA256()
        while let piece = try file.read(upToCount: 1 << 20), !piece.isEmpty {
            hasher.update(data: piece)
            try Task.checkCancellation()
        }
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return EngineResponse(fields: ["hash": .string(hex)])
    }
}
