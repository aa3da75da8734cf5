// SPDX-License-Identifier: AGPL-3.0-or-later
import ArgumentParser
import Foundation
import QuireApp

/// `quire convert NAME INPUT…`: one conversion on local files, without a server. The names are
/// the conversions' (`Conversions.all`); parameters are the API's, by their PDF.co names.
struct Convert: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert local files with Quire's engines (no server).",
        discussion: """
            NAME is one of these (a short name or a PDF.co path), and any API parameter can be given with
            -p name=value, e.g. -p profiles='{"RenderingResolution": 300}' or -p lineEnding=crlf:

            \(LocalConversion.catalog)
            """)

    @Argument(help: "The conversion, e.g. pdf-to-text or /pdf/convert/from/csv.") var name: String
    @Argument(help: "Input files, in order.") var inputs: [String]
    @Option(name: .shortAndLong, help: "Output file (- for stdout, the default), or the folder for page files (default .).")
    var output: String?
    @Option(help: "Pages, zero-based (\"0,2-5,7-\", \"!0\"); 1-based for split.") var pages: String?
    @Option(help: "Password of encrypted inputs.") var password: String?
    @Option(name: [.customShort("p"), .customLong("param")], help: "An API parameter, name=value (repeatable).")
    var parameters: [String] = []

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        var values: [String: String] = [:]
        for item in parameters {
            guard let equals = item.firstIndex(of: "=") else { throw ValidationError("-p takes name=value, not \"\(item)\".") }
            values[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        if let pages { values["pages"] = pages }
        if let password { values["password"] = password }
        do {
            let lines = try await LocalConversion.run(
                named: name, inputs: inputs, output: output, parameters: values, executable: ExecutablePath.current)
            for line in lines { print(line) }
        } catch {
            FileHandle.standardError.write(Data("quire convert: \(LocalConversion.message(for: error))\n".utf8))
            throw ExitCode.failure
        }
    }
}
