// SPDX-License-Identifier: AGPL-3.0-or-later
import ArgumentParser
import QuireApp

/// `quire engine-host`: the child process the worker starts; speaks framed JSON on stdin/stdout.
struct EngineHost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine-host", abstract: "Internal: engine child process.", shouldDisplay: false)

    func run() throws {
        LocalConversion.runEngineHost()
    }
}
