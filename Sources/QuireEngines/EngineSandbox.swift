// SPDX-License-Identifier: AGPL-3.0-or-later
import CLibreOfficeKit

/// The sandbox this process runs in: applied before `main` to engine and office hosts (no
/// network, Landlock file allowlist, no_new_privs; see CLibreOfficeKit/sandbox.c).
package enum EngineSandbox: Sendable, Equatable {
    /// Every thread of this process is sandboxed; the text says what was applied.
    case applied(String)
    /// Turned off on purpose (`QUIRE_ENGINE_SANDBOX=0` / `QUIRE_OFFICE_SANDBOX=0`).
    case off(String)
    /// Could not be applied (fully); the text says why, for the operator.
    case failed(String)
    /// This process is no host (the server, `quire convert`).
    case none

    /// The outcome for this process.
    package static var current: EngineSandbox {
        var detail = [CChar](repeating: 0, count: 512)
        let result = clok_sandbox_result(&detail, detail.count)
        let text = String(cBuffer: detail)
        switch Int(result) {
        case Int(CLOK_SANDBOX_APPLIED): return .applied(text)
        case Int(CLOK_SANDBOX_OFF): return .off(text)
        case Int(CLOK_SANDBOX_FAILED): return .failed(text)
        default: return .none
        }
    }
}
