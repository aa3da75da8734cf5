// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

/// The child side of an office host (`quire office-host`): loads LibreOffice once, converts a
/// warm-up document, says it is ready, then serves requests like an engine host.
///
/// It runs sandboxed from before `main`, so LibreOffice loads already confined: no network, and
/// of the data folder only its work folder and its profile (see CLibreOfficeKit/sandbox.c). When
/// the sandbox could not be applied it never loads LibreOffice and refuses every request.
///
/// Environment (set by EngineHostProcess): `QUIRE_OFFICE_PROFILE` (this host's own LibreOffice
/// profile), `QUIRE_ENGINE_WORK` (its work folder), `QUIRE_OFFICE_SANDBOX` (`0` turns the
/// sandbox off, for debugging only).
package enum OfficeHostMain {
    package static func run() -> Never {
        let protocolOut = EngineHostMain.takeProtocolOutput()
        EngineHostMain.watchParent()
        guard let profilePath = ProcessInfo.processInfo.environment["QUIRE_OFFICE_PROFILE"] else {
            log("QUIRE_OFFICE_PROFILE must be set")
            exit(3)
        }
        let sandbox = EngineSandbox.current
        switch sandbox {
        case .applied, .off: break
        case .failed, .none: refuseEverything(sandbox, protocolOut: protocolOut)
        }
        let profile = URL(fileURLWithPath: profilePath)
        let office: LibreOffice
        do {
            office = try LibreOffice(profile: profile)
        } catch {
            log("cannot start LibreOffice: \(error)")
            exit(3)
        }
        let host = OfficeEngines(office: office, inspector: (try? MuPDFContext()).map { MuPDFDocumentInspector(context: $0) })
        host.warmUp(in: profile.appendingPathComponent("warm-up"))
        // The ready frame: EngineHostProcess waits for it before the server reports ready.
        guard (try? EngineFrame.write(EngineResponse.ready(sandbox), to: protocolOut)) != nil else { office.exitProcess(0) }
        while true {
            guard let request = try? EngineFrame.read(EngineRequest.self, from: 0) else { office.exitProcess(0) }
            let response = host.handle(request)
            guard (try? EngineFrame.write(response, to: protocolOut)) != nil else { office.exitProcess(0) }
        }
    }

    /// Without its sandbox the host never loads LibreOffice: it says so, then refuses every request.
    private static func refuseEverything(_ sandbox: EngineSandbox, protocolOut: Int32) -> Never {
        log("sandbox not applied, refusing office jobs: \(sandbox)")
        guard (try? EngineFrame.write(EngineResponse.ready(sandbox), to: protocolOut)) != nil else { exit(0) }
        let refusal = EngineResponse(error: .failed("Office conversions are unavailable on this server: its sandbox cannot be applied."))
        while (try? EngineFrame.read(EngineRequest.self, from: 0)) != nil {
            guard (try? EngineFrame.write(refusal, to: protocolOut)) != nil else { exit(0) }
        }
        exit(0)
    }

    private static func log(_ message: String) {
        FileHandle.standardError.write(Data("office host: \(message)\n".utf8))
    }
}

extension OfficeEngines {
    /// Loads Writer and Calc now (the first document of each costs ~250 ms more than the next).
    func warmUp(in directory: URL) {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text, csv) in [("text", "Quire warm-up\n", false), ("sheet", "a,b\n1,2\n", true)] {
            let input = directory.appendingPathComponent(name)
            try? Data(text.utf8).writeUnsynced(to: input)
            _ = try? converter.convert(
                input: input, output: directory.appendingPathComponent(name + ".pdf"), password: nil,
                options: OfficeConversionOptions(textIsCSV: csv))
        }
    }
}
