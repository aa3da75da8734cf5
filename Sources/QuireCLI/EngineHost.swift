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

/// `quire office-host`: the LibreOffice child process; same protocol as `engine-host`.
struct OfficeHost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "office-host", abstract: "Internal: LibreOffice child process.", shouldDisplay: false)

    func run() throws {
        LocalConversion.runOfficeHost()
    }
}

/// `quire browser-host`: the Chromium child process; same protocol as `engine-host`.
struct BrowserHost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "browser-host", abstract: "Internal: Chromium child process.", shouldDisplay: false)

    func run() throws {
        LocalConversion.runBrowserHost()
    }
}

/// `quire ocr-host`: the MuPDF + Tesseract child process; same protocol as `engine-host`.
struct OCRHost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr-host", abstract: "Internal: OCR child process.", shouldDisplay: false)

    func run() throws {
        LocalConversion.runOCRHost()
    }
}
