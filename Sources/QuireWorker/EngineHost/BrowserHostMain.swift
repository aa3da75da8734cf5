// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

/// The child side of a browser host (`quire browser-host`): a warm Chromium that turns HTML and
/// web pages into PDFs and images, one job at a time, same protocol as `engine-host`.
///
/// It is not in the engine hosts' network sandbox: it fetches what pages load, through the
/// checks of input URLs (`CheckedPageFetcher`). Chromium itself runs in a network namespace of
/// its own (`Chromium.networkNamespace`): its every request is answered by this process.
package enum BrowserHostMain {
    package static func run() -> Never {
        let protocolOut = EngineHostMain.takeProtocolOutput()
        EngineHostMain.watchParent()
        let engines: BrowserEngines
        do {
            engines = BrowserEngines(settings: .fromEnvironment(), context: try MuPDFContext(diagnostics: { _ in }))
            try engines.warmUp()
        } catch {
            FileHandle.standardError.write(Data("browser host: cannot start: \(error)\n".utf8))
            exit(3)
        }
        guard (try? EngineFrame.write(EngineResponse.ready(Chromium.isolation), to: protocolOut)) != nil else { exit(0) }
        while true {
            guard let request = try? EngineFrame.read(EngineRequest.self, from: 0) else { exit(0) }
            guard (try? EngineFrame.write(engines.handle(request), to: protocolOut)) != nil else { exit(0) }
            engines.betweenJobs()
        }
    }
}

extension BrowserEngines {
    package func handle(_ request: EngineRequest) -> EngineResponse {
        do {
            guard let conversion = request.operation.conversion as? any BrowserHosted.Type else {
                throw EngineError.unsupported("Not an operation of the browser host.")
            }
            return try conversion.handle(request, self)
        } catch let error as EngineError {
            return EngineResponse(error: error)
        } catch {
            return EngineResponse(error: .failed("The browser failed: \(error)"))
        }
    }
}
