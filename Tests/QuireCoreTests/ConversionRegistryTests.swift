// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import Testing

/// `Conversions.all` is the one list: every operation has exactly one conversion, every path
/// one owner, and nothing served is also answered 501. (Each layer's test checks its own side:
/// QuireAPITests for the request side, QuireWorkerTests for the engine side.)
struct ConversionRegistryTests {
    /// The IDs queued by earlier versions: each must still name a conversion (never rename one).
    static let storedIDs = [
        "pdf.to-text", "pdf.to-text-simple", "pdf.to-png", "pdf.to-jpg", "pdf.to-webp", "pdf.to-tiff", "pdf.info", "images.to-pdf",
        "office.to-pdf", "pdf.optimize", "pdf.merge", "pdf.merge2", "pdf.split", "pdf.split2", "pdf.delete-pages", "pdf.rotate",
        "pdf.security-add", "pdf.security-remove", "pdf.info-fields", "file.upload-url", "test.crash", "test.hang",
    ]

    @Test func everyOperationHasExactlyOneConversion() throws {
        let ids = Conversions.all.map { $0.operation.rawValue }
        #expect(Set(ids).count == ids.count, "an operation ID is declared twice")
        for id in Self.storedIDs {
            #expect(Conversions.isKnown(JobOperation(id)), "\(id) was renamed or removed")
            let decoded = try JSONDecoder().decode(JobOperation.self, from: Data("\"\(id)\"".utf8))
            #expect(decoded.conversion.operation.rawValue == id)
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(JobOperation.self, from: Data("\"pdf.unknown\"".utf8)) }
    }

    @Test func everyPathHasOneOwnerAndServedPathsAreNotPlanned() {
        let served = Conversions.all.flatMap { $0.paths }
        #expect(Set(served).count == served.count, "a path is declared twice")
        #expect(Set(served).isDisjoint(with: Conversions.planned), "a served path is still in the 501 list")
        #expect(Set(Conversions.planned).count == Conversions.planned.count)
        for path in served + Conversions.planned { #expect(path.hasPrefix("/") && path == path.lowercased(), "\(path)") }
    }

    @Test func commandNamesAreUniqueAndFindTheirConversion() {
        let names = Conversions.all.compactMap { $0.commandName }
        #expect(Set(names).count == names.count)
        for conversion in Conversions.all where !conversion.isTestOnly {
            for path in conversion.paths { #expect(Conversions.conversion(named: path)?.path == path) }
            if let name = conversion.commandName { #expect(Conversions.conversion(named: name)?.conversion == conversion) }
        }
        #expect(Conversions.conversion(named: "/debug/engine-crash") == nil)
    }

    /// Defaults live in the options types: a record missing a member (written before the option
    /// existed) decodes with the default, and every options type survives its own round trip.
    @Test func optionsRoundTripAndMissingMembersTakeDefaults() throws {
        for conversion in Conversions.all { try roundTrip(conversion) }
        let rotate = try RotateConversion.decodeOptions(.object([:]))
        #expect(rotate.angle == 90)
        let images = try PDFToPNGConversion.decodeOptions(["baseName": "scan"])
        #expect(images.baseName == "scan" && images.dpi == 150 && images.jpegQuality == 85)
    }

    private func roundTrip<C: Conversion>(_ conversion: C.Type) throws {
        let options = C.Options()
        #expect(try C.decodeOptions(C.encodeOptions(options)) == options, "\(C.self)")
    }

    /// Jobs queued by the previous version kept options as lower-cased strings: each family reads them.
    @Test func legacyStringOptionsAreRead() throws {
        func spec(_ operation: JobOperation, _ options: [String: String]) throws -> JobSpec {
            let json = try JSONSerialization.data(withJSONObject: [
                "operation": operation.rawValue, "inputs": ["a"], "outputName": "a", "resultFileID": "R", "expirationMinutes": 1,
                "options": options,
            ])
            return try JSONDecoder().decode(JobSpec.self, from: json)
        }
        let text = try spec(.pdfToText, ["lineending": "CRLF"])
        #expect(text.optionsVersion == nil)
        #expect(try PDFToTextConversion.options(of: text).crlf)
        let png = try PDFToJPGConversion.options(of: try spec(.pdfToJPG, ["dpi": "300", "jpegquality": "40", "basename": "doc"]))
        #expect(png.dpi == 300 && png.jpegQuality == 40 && png.baseName == "doc")
        #expect(try RotateConversion.options(of: try spec(.pdfRotate, ["angle": "270"])).angle == 270)
        let optimize = try OptimizeConversion.options(
            of: try spec(.pdfOptimize, ["jpegquality": "50", "imageoptimizationformat": "flate", "resampleimages": "false"]))
        #expect(optimize.jpegQuality == 50 && !optimize.useJPEG && !optimize.resampleImages)
        let protect = try ProtectConversion.options(
            of: try spec(.pdfProtect, ["ownerpassword": "o", "encryptionalgorithm": "rc4_128bit", "allowprintdocument": "false"]))
        #expect(protect.ownerPassword == "o" && protect.algorithm == .rc4With128Bits && !protect.allowPrint && protect.allowModify)
        let split = try SplitByTextConversion.options(of: try spec(.pdfSplit2, ["searchstring": "Invoice", "regexsearch": "true"]))
        #expect(split.searchString == "Invoice" && split.regexSearch && !split.caseSensitive)
        #expect(try OfficeToPDFConversion.options(of: try spec(.officeToPDF, ["textiscsv": "true"])).textIsCSV)
        #expect(try TestCrashConversion.host(of: try spec(.testCrash, ["host": "office"])) == .office)
        // Re-encoded, an old job's options are typed like a new one's.
        #expect(try PDFToTextConversion.currentOptions(of: text) == ["crlf": .bool(true)])
    }
}
