// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

/// The child side of an engine host: reads requests from stdin, runs engines, answers on stdout.
/// It runs sandboxed from before `main` (no network, writes only to `QUIRE_ENGINE_WORK`; see
/// CLibreOfficeKit/sandbox.c) and says so in its ready frame.
package enum EngineHostMain {
    /// Runs until stdin closes (the worker is gone). Never returns.
    package static func run() -> Never {
        let protocolOut = takeProtocolOutput()
        applyMemoryLimit()
        watchParent()
        let engines: MuPDFEngines
        do {
            // MuPDF's warnings name files and objects: log them, never send them to clients.
            engines = MuPDFEngines(
                context: try MuPDFContext(diagnostics: { message in
                    FileHandle.standardError.write(Data("mupdf: \(message)\n".utf8))
                }))
        } catch {
            FileHandle.standardError.write(Data("engine host: cannot start MuPDF: \(error)\n".utf8))
            exit(3)
        }
        guard (try? EngineFrame.write(EngineResponse.ready(EngineSandbox.current), to: protocolOut)) != nil else { exit(0) }
        while true {
            let request: EngineRequest?
            do {
                request = try EngineFrame.read(EngineRequest.self, from: 0)
            } catch {
                FileHandle.standardError.write(Data("engine host: bad request frame: \(error)\n".utf8))
                exit(2)
            }
            guard let request else { exit(0) }
            let response = engines.handle(request)
            do {
                try EngineFrame.write(response, to: protocolOut)
            } catch {
                exit(0)
            }
        }
    }

    /// The protocol owns the original stdout (returned); fd 1 becomes stderr so that anything a
    /// native library prints cannot corrupt a frame.
    package static func takeProtocolOutput() -> Int32 {
        let protocolOut = dup(1)
        dup2(2, 1)
        return protocolOut
    }

    /// RLIMIT_AS from `QUIRE_ENGINE_MEMORY_MB`: a document that needs more fails its job (MuPDF
    /// reports out of memory) or kills this child, never the server.
    package static func applyMemoryLimit() {
        guard let text = ProcessInfo.processInfo.environment["QUIRE_ENGINE_MEMORY_MB"], let mb = Int(text), mb > 0 else { return }
        var limit = rlimit(rlim_cur: rlim_t(mb) << 20, rlim_max: rlim_t(mb) << 20)
        _ = withUnsafePointer(to: &limit) { setrlimit(RLIMIT_AS_VALUE, $0) }
    }

    /// Exits when the parent dies, even in the middle of a long engine call (its pipe EOF is
    /// only seen between requests). prctl(PR_SET_PDEATHSIG) is variadic and not callable from Swift.
    package static func watchParent() {
        guard let text = ProcessInfo.processInfo.environment["QUIRE_ENGINE_PARENT_PID"], let parent = Int32(text) else { return }
        if getppid() != parent { _exit(0) }
        Thread.detachNewThread {
            while true {
                usleep(250_000)
                if getppid() != parent { _exit(0) }
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
    private let RLIMIT_AS_VALUE = Int32(RLIMIT_AS.rawValue)
#else
    private let RLIMIT_AS_VALUE = RLIMIT_AS
#endif
