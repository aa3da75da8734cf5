// SPDX-License-Identifier: AGPL-3.0-or-later
import ArgumentParser

/// The `quire` executable: parses commands and hands over to `QuireApp`.
@main
struct Quire: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quire",
        abstract: "Self-hosted document conversion server speaking the PDF.co Web API.",
        subcommands: [
            Serve.self, WorkerNode.self, Convert.self, Keys.self, EngineHost.self, OfficeHost.self, OCRHost.self, BrowserHost.self,
        ])
}
