// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// Flags out of range stop `quire serve` at start with the flag and its range, never a trap later
/// (a huge --header-timeout used to crash converting to nanoseconds).
struct ServeFlagTests {
    @Test(arguments: [
        ("--header-timeout", "9223372036854775807"), ("--idle-timeout", "0"), ("--max-upload-mb", "9223372036854775807"),
        ("--max-job-input-mb", "9223372036854775807"), ("--max-inputs", "0"), ("--max-uploads", "100000"),
        ("--max-connections", "9223372036854775807"), ("--anonymous-from", "10.0.0.0/99"), ("--trusted-proxy", "not-an-address"),
    ])
    func outOfRangeFlagIsRefusedAtStart(flag: String, value: String) async throws {
        let temp = TemporaryDirectory()
        let result = try await runCommand(
            "sh",
            [
                "-c", "\"$0\" serve --port 0 --data \"$1\" --office-workers 0 \"$2\" \"$3\" 2>&1", QuireServer.binary.path,
                temp.file("data").path,
                flag, value,
            ])
        #expect(result.status != 0)
        #expect(result.output.contains(flag), "\(result.output)")
        #expect(!result.output.contains("Fatal error"), "\(result.output)")
    }
}
