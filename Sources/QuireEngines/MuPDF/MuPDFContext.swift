// SPDX-License-Identifier: AGPL-3.0-or-later
import CMuPDF
import Foundation

/// A MuPDF context (`fz_context`). Make one base context per process; it owns the locks, resource
/// store and glyph cache. Each thread works on its own clone (`makeClone()`), which shares them.
/// `makeClone()` may be called from any thread; anything else must use a context from one thread
/// at a time, and documents are opened on clones, not on the base.
package final class MuPDFContext: @unchecked Sendable {
    let handle: OpaquePointer
    /// Kept alive because a clone uses the base's mutexes: MuPDF requires clones to go first.
    private let base: MuPDFContext?
    /// Serialises cloning; MuPDF's multi-threading example clones from one thread only.
    private let cloneLock = NSLock()
    /// Receives MuPDF's own error messages, which may name paths and so never reach clients.
    let diagnostics: @Sendable (String) -> Void

    /// Creates a base context with the default resource store size (256 MB).
    /// - Parameter diagnostics: called with MuPDF's message whenever a call fails, for the log.
    /// - Throws: `EngineError.failed` when MuPDF cannot start (out of memory).
    package init(diagnostics: @escaping @Sendable (String) -> Void = { _ in }) throws(EngineError) {
        var created: OpaquePointer?
        let code = withErrorBuffer { cmupdf_context_create(&created, $0, $1) }
        guard code.status == CMUPDF_OK, let created else {
            diagnostics("mupdf: cannot create context: \(code.message)")
            throw .failed("The PDF engine could not start.")
        }
        handle = created
        base = nil
        self.diagnostics = diagnostics
    }

    private init(clone: OpaquePointer, base: MuPDFContext) {
        handle = clone
        self.base = base
        diagnostics = base.diagnostics
    }

    deinit {
        cmupdf_context_drop(handle)
    }

    /// A context for one thread that shares this one's caches; a clone of a clone clones the base.
    /// - Throws: `EngineError.failed` when MuPDF is out of memory.
    package func makeClone() throws(EngineError) -> MuPDFContext {
        let root = base ?? self
        var clone: OpaquePointer?
        let code = root.cloneLock.withLock {
            withErrorBuffer { cmupdf_context_clone(root.handle, &clone, $0, $1) }
        }
        guard code.status == CMUPDF_OK, let clone else {
            diagnostics("mupdf: cannot clone context: \(code.message)")
            throw .failed("The PDF engine could not start.")
        }
        return MuPDFContext(clone: clone, base: root)
    }

    /// Runs one `cmupdf_` call; on failure logs MuPDF's message and throws a client-safe error.
    /// - Parameter action: what was attempted, completing "Cannot …" (e.g. "read page 3").
    func check(_ action: String, _ call: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws(EngineError) {
        let result = withErrorBuffer(call)
        guard result.status != CMUPDF_OK else { return }
        diagnostics("mupdf: cannot \(action): \(result.message) (code \(result.status))")
        throw EngineError(mupdfStatus: result.status, action: action)
    }
}

/// Calls `body` with a zeroed error buffer and returns its status and the message it left there.
func withErrorBuffer(
    _ body: (UnsafeMutablePointer<CChar>, Int) -> Int32
) -> (status: Int, message: String) {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { buffer in
        let base = buffer.baseAddress!
        base.initialize(repeating: 0, count: buffer.count)
        let status = body(base, buffer.count)
        return (Int(status), String(cString: base))
    }
}

extension EngineError {
    /// The client-facing error for a `CMUPDF_ERR_` status.
    init(mupdfStatus status: Int, action: String) {
        switch status {
        case CMUPDF_ERR_NEEDS_PASSWORD:
            self = .passwordRequired
        case CMUPDF_ERR_WRONG_PASSWORD:
            self = .wrongPassword
        case CMUPDF_ERR_DAMAGED:
            self = .damaged("Cannot \(action): the file is damaged, empty or not a PDF document.")
        case CMUPDF_ERR_IO:
            // The worker wrote this file itself, so this is the operator's problem, not the client's.
            self = .failed("Cannot \(action): the input file could not be read.")
        case CMUPDF_ERR_MEMORY:
            self = .limitExceeded("Cannot \(action): the document needs more memory than is available.")
        default:
            self = .failed("Cannot \(action).")
        }
    }
}
