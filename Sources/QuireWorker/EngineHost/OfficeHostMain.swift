// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

/// The child side of an office host (`quire office-host`): loads LibreOffice once, sandboxes
/// itself, converts a warm-up document, says it is ready, then serves requests like an engine host.
///
/// Environment (set by EngineHostProcess): `QUIRE_OFFICE_PROFILE` (this host's own LibreOffice
/// profile), `QUIRE_OFFICE_SCRATCH` (where job files live: the only place besides the profile it
/// may write), `QUIRE_OFFICE_SANDBOX` (`0` turns the sandbox off, for debugging only).
package enum OfficeHostMain {
    package static func run() -> Never {
        let protocolOut = EngineHostMain.takeProtocolOutput()
        EngineHostMain.watchParent()
        let environment = ProcessInfo.processInfo.environment
        guard let profilePath = environment["QUIRE_OFFICE_PROFILE"], let scratch = environment["QUIRE_OFFICE_SCRATCH"] else {
            log("QUIRE_OFFICE_PROFILE and QUIRE_OFFICE_SCRATCH must be set")
            exit(3)
        }
        let profile = URL(fileURLWithPath: profilePath)
        let sandboxed = environment["QUIRE_OFFICE_SANDBOX"] != "0"
        if sandboxed {
            do { try OfficeSandbox.isolateNetwork() } catch { log("no network isolation: \(error)") }
        }
        let office: LibreOffice
        do {
            office = try LibreOffice(profile: profile)
        } catch {
            log("cannot start LibreOffice: \(error)")
            exit(3)
        }
        if sandboxed {
            do {
                _ = try OfficeSandbox.restrictFiles(readable: readablePaths(), writable: [profilePath, scratch])
            } catch {
                log("no file sandbox: \(error)")
            }
        }
        let host = OfficeHost(office: office, inspector: (try? MuPDFContext()).map { MuPDFDocumentInspector(context: $0) })
        host.warmUp(in: profile.appendingPathComponent("warm-up"))
        // The ready frame: EngineHostProcess waits for it before the server reports ready.
        guard (try? EngineFrame.write(EngineResponse(), to: protocolOut)) != nil else { office.exitProcess(0) }
        while true {
            guard let request = try? EngineFrame.read(EngineRequest.self, from: 0) else { office.exitProcess(0) }
            let response = host.handle(request)
            guard (try? EngineFrame.write(response, to: protocolOut)) != nil else { office.exitProcess(0) }
        }
    }

    /// What LibreOffice may read once started: its installation, fonts and system libraries, not
    /// the rest of /etc, /home, /root, /tmp or /srv.
    private static func readablePaths() -> [String] {
        [
            "/usr", "/lib", "/lib64", "/bin", "/opt", "/proc", "/sys", "/dev",
            "/etc/fonts", "/etc/libreoffice", "/etc/ld.so.cache", "/etc/localtime", "/etc/passwd", "/etc/group",
            "/etc/nsswitch.conf", "/var/cache/fontconfig", "/var/lib/libreoffice",
            Bundle.main.bundlePath,
        ]
    }

    private static func log(_ message: String) {
        FileHandle.standardError.write(Data("office host: \(message)\n".utf8))
    }
}

/// LibreOffice plus what one request needs.
private struct OfficeHost {
    let office: LibreOffice
    let inspector: MuPDFDocumentInspector?

    var converter: OfficeConverter { OfficeConverter(office: office) }

    /// Loads Writer and Calc now (the first document of each costs ~250 ms more than the next).
    func warmUp(in directory: URL) {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text, csv) in [("text", "Quire warm-up\n", false), ("sheet", "a,b\n1,2\n", true)] {
            let input = directory.appendingPathComponent(name)
            try? Data(text.utf8).write(to: input)
            _ = try? converter.convert(
                input: input, output: directory.appendingPathComponent(name + ".pdf"), password: nil,
                options: OfficeConversionOptions(textIsCSV: csv))
        }
    }

    func handle(_ request: EngineRequest) -> EngineResponse {
        do {
            switch request.operation {
            case .officeToPDF: break
            case .testCrash: abort()
            case .testHang: while true { sleep(3600) }
            default: throw EngineError.unsupported("Not an office operation.")
            }
            guard let input = request.inputs.first, let output = request.output else { throw EngineError.failed("No input or output.") }
            let options = OfficeConversionOptions(
                textIsCSV: request.options["textiscsv"] == "true", autosize: request.options["autosize"] == "true")
            let outputURL = URL(fileURLWithPath: output)
            try converter.convert(
                input: URL(fileURLWithPath: input), output: outputURL, password: request.password, options: options)
            let pageCount = try? inspector?.inspect(file: outputURL, password: nil).pageCount
            return EngineResponse(pageCount: pageCount)
        } catch let error as EngineError {
            return EngineResponse(error: error)
        } catch {
            return EngineResponse(error: .failed("The office engine failed: \(error)"))
        }
    }
}
