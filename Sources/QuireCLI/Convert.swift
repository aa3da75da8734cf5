// SPDX-License-Identifier: AGPL-3.0-or-later
import ArgumentParser
import Foundation
import QuireApp

/// `quire convert`: one conversion on local files, without a server.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert local files with Quire's engines (no server).",
        subcommands: [
            PDFToText.self, PDFToPNG.self, PDFInfo.self, OfficeToPDF.self, ImagesToPDF.self, Optimize.self, Merge.self, Split.self,
        ])

    struct PDFToText: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pdf-to-text", abstract: "PDF → UTF-8 text.")
        @Argument(help: "Input PDF.") var input: String
        @Option(name: .shortAndLong, help: "Output file; - for stdout.") var output: String = "-"
        @Option(help: "Pages, zero-based (\"0,2-5,7-\", \"!0\").") var pages: String?
        @Option(help: "Password of an encrypted PDF.") var password: String?
        @Flag(help: "Reading order instead of layout-preserving columns (PDF.co's text-simple).") var simple = false

        func run() throws {
            let text = try LocalConversion.pdfToText(input: URL(fileURLWithPath: input), password: password, pages: pages, simple: simple)
            try write(Data(text.utf8), to: output)
        }
    }

    struct PDFToPNG: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pdf-to-png", abstract: "PDF → one PNG per page.")
        @Argument(help: "Input PDF.") var input: String
        @Option(name: .shortAndLong, help: "Output folder.") var output: String = "."
        @Option(help: "Pages, zero-based (\"0,2-5,7-\", \"!0\").") var pages: String?
        @Option(help: "Password of an encrypted PDF.") var password: String?
        @Option(help: "Resolution in dpi.") var dpi: Double = 150

        func run() throws {
            let files = try LocalConversion.pdfToPNG(
                input: URL(fileURLWithPath: input), password: password, pages: pages, dpi: dpi,
                directory: URL(fileURLWithPath: output))
            for file in files { print(file.path) }
        }
    }

    struct OfficeToPDF: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "office-to-pdf",
            abstract: "Word, Excel, PowerPoint, OpenDocument, RTF, text or CSV → PDF (LibreOffice; format found from the content).")
        @Argument(help: "Input document.") var input: String
        @Option(name: .shortAndLong, help: "Output PDF.") var output: String
        @Option(help: "Password of an encrypted document.") var password: String?
        @Flag(help: "Read plain text as CSV.") var csv = false
        @Flag(help: "Spreadsheets: one page per sheet, sized to its content.") var autosize = false

        func run() async throws {
            signal(SIGPIPE, SIG_IGN)
            let pages = try await LocalConversion.officeToPDF(
                input: URL(fileURLWithPath: input), output: URL(fileURLWithPath: output), password: password, csv: csv,
                autosize: autosize, executable: ExecutablePath.current)
            print("\(output): \(pages.map { "\($0) pages" } ?? "written")")
        }
    }

    struct ImagesToPDF: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "images-to-pdf", abstract: "JPEG, PNG, GIF, BMP, TIFF → one PDF, a page per image (JPEG bytes kept as they are).")
        @Argument(help: "Input images, in page order.") var inputs: [String]
        @Option(name: .shortAndLong, help: "Output PDF.") var output: String

        func run() throws {
            let pages = try LocalConversion.imagesToPDF(
                inputs: inputs.map { URL(fileURLWithPath: $0) }, output: URL(fileURLWithPath: output))
            print("\(output): \(pages) pages")
        }
    }

    struct Optimize: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "optimize", abstract: "PDF → smaller PDF (images downsampled and recompressed, objects packed); never larger.")
        @Argument(help: "Input PDF.") var input: String
        @Option(name: .shortAndLong, help: "Output PDF.") var output: String
        @Option(help: "Password of an encrypted PDF (the result stays encrypted).") var password: String?
        @Option(help: "JPEG quality of recompressed photos, 1-100 (PDF.co's JPEGQuality).") var jpegQuality = LocalConversion
            .defaultOptimizeSettings.jpegQuality
        @Option(help: "Downsample images above this resolution for their drawn size; 0 keeps sizes.")
        var resolution = LocalConversion.defaultOptimizeSettings.resolution
        @Flag(help: "Keep images lossless (Flate) instead of JPEG.") var lossless = false
        @Flag(help: "Turn colour images gray.") var grayscale = false

        func run() throws {
            print(
                try LocalConversion.optimize(
                    input: URL(fileURLWithPath: input), output: URL(fileURLWithPath: output), password: password,
                    jpegQuality: jpegQuality, resolution: resolution, lossless: lossless, grayscale: grayscale))
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "merge", abstract: "PDFs → one PDF, pages in the order given.")
        @Argument(help: "Input PDFs, in order.") var inputs: [String]
        @Option(name: .shortAndLong, help: "Output PDF.") var output: String
        @Option(help: "Password of encrypted inputs.") var password: String?

        func run() throws {
            let pages = try LocalConversion.merge(
                inputs: inputs.map { URL(fileURLWithPath: $0) }, output: URL(fileURLWithPath: output), password: password)
            print("\(output): \(pages) pages")
        }
    }

    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "split", abstract: "PDF → one PDF per page range.")
        @Argument(help: "Input PDF.") var input: String
        @Option(name: .shortAndLong, help: "Output folder.") var output: String = "."
        @Option(help: "Ranges, 1-based as PDF.co's /pdf/split: \"1-2,3-\" makes two files; default: every page.") var pages: String?
        @Option(help: "Password of an encrypted PDF.") var password: String?

        func run() throws {
            let files = try LocalConversion.split(
                input: URL(fileURLWithPath: input), directory: URL(fileURLWithPath: output), pages: pages, password: password)
            for file in files { print(file.path) }
        }
    }

    struct PDFInfo: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pdf-info", abstract: "PDF → page count, metadata, encryption (JSON).")
        @Argument(help: "Input PDF.") var input: String
        @Option(help: "Password of an encrypted PDF.") var password: String?

        func run() throws {
            print(try LocalConversion.pdfInfo(input: URL(fileURLWithPath: input), password: password))
        }
    }
}

private func write(_ data: Data, to output: String) throws {
    if output == "-" {
        FileHandle.standardOutput.write(data)
    } else {
        try data.write(to: URL(fileURLWithPath: output))
    }
}
