// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// The qpdf/MuPDF toolkit endpoints through the real server, on the fixtures of
/// Tests/Fixtures/toolkit (README.md there says what each file is); results are checked with
/// qpdf, mutool and pdfinfo.
@Suite(.serialized)
final class PDFToolkitTests {
    let temp = TemporaryDirectory()
    let server: QuireServer
    let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/toolkit")

    init() async throws {
        server = try await QuireServer(data: temp.file("data"), arguments: ["--workers", "2"])
    }

    deinit { server.kill9() }

    func upload(_ name: String) async throws -> String {
        try await HTTP.upload(try Data(contentsOf: fixtures.appendingPathComponent(name)), name: name, base: server.baseURL)
    }

    /// Calls `path`, expects 200, downloads `url` into the temp folder.
    func call(_ path: String, _ parameters: [String: Any], saveAs name: String) async throws -> (answer: [String: Any], file: URL) {
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)\(path)", parameters)
        #expect(status == 200, "\(path): \(answer)")
        let file = temp.file(name)
        try await HTTP.get(try #require(answer["url"] as? String)).0.write(to: file)
        return (answer, file)
    }

    func text(_ file: URL, password: String? = nil) async throws -> String {
        try await runCommand("mutool", ["draw", "-F", "txt", "-o", "-"] + (password.map { ["-p", $0] } ?? []) + [file.path]).output
    }

    func check(_ file: URL, password: String? = nil) async throws -> Bool {
        try await runCommand("qpdf", ["--check"] + (password.map { ["--password=\($0)"] } ?? []) + [file.path]).status == 0
    }

    @Test func mergeKeepsOrderSplitMakesOneFilePerRange() async throws {
        let a = try await upload("numbered-a.pdf")
        let b = try await upload("numbered-b.pdf")
        let (merged, file) = try await call("/pdf/merge", ["url": "\(b),\(a)", "name": "both"], saveAs: "merged.pdf")
        #expect(merged["pageCount"] as? Int == 8)
        #expect(merged["name"] as? String == "both")
        #expect(try await check(file))
        let order = try await text(file).split(separator: "\n").filter { $0.contains(" page ") }.map { String($0) }
        #expect(order == ["B page 1", "B page 2", "B page 3", "B page 4", "B page 5", "A page 1", "A page 2", "A page 3"])

        // /pdf/split counts pages from 1; each comma item is one file.
        let mergedURL = try #require(merged["url"] as? String)
        let (split, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/split", ["url": mergedURL, "pages": "1-2,6-,3"])
        #expect(status == 200)
        let urls = try #require(split["urls"] as? [String])
        #expect(urls.map { ($0 as NSString).lastPathComponent } == ["result_page1-2.pdf", "result_page6-8.pdf", "result_page3.pdf"])
        var texts: [String] = []
        for (index, url) in urls.enumerated() {
            let part = temp.file("part\(index).pdf")
            try await HTTP.get(url).0.write(to: part)
            #expect(try await check(part))
            await texts.append(try text(part).split(separator: "\n").filter { $0.contains(" page ") }.joined(separator: ","))
        }
        #expect(texts == ["B page 1,B page 2", "A page 1,A page 2,A page 3", "B page 3"])
        let (outOfRange, badStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/split", ["url": mergedURL, "pages": "9"])
        #expect(badStatus == 449, "\(outOfRange)")

        // /pdf/split2: a part starts at each page whose text matches.
        let (byText, textStatus) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/split2", ["url": mergedURL, "searchString": "PAGE 1", "name": "doc"])
        #expect(textStatus == 200, "\(byText)")
        #expect((byText["urls"] as? [String])?.map { ($0 as NSString).lastPathComponent } == ["doc_page1-5.pdf", "doc_page6-8.pdf"])
        let (excluded, _) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/split2",
            [
                "url": mergedURL, "searchString": "^[AB] page 1$", "regexSearch": true, "excludeKeyPages": true,
                "caseSensitive": true,
            ])
        #expect(
            (excluded["urls"] as? [String])?.map { ($0 as NSString).lastPathComponent } == ["result_page2-5.pdf", "result_page7-8.pdf"])
    }

    @Test func deletePagesAndRotate() async throws {
        let (deleted, file) = try await call(
            "/pdf/edit/delete-pages", ["url": try await upload("numbered-b.pdf"), "pages": "0,!0"], saveAs: "deleted.pdf")
        #expect(deleted["pageCount"] as? Int == 3)
        #expect(try await text(file).split(separator: "\n").filter { $0.contains(" page ") } == ["B page 2", "B page 3", "B page 4"])

        // rotated.pdf: pages 1 and 3 inherit /Rotate 180 from their /Pages node, page 2 has 90.
        let (_, rotated) = try await call(
            "/pdf/edit/rotate", ["url": try await upload("rotated.pdf"), "pages": "1-", "angle": "90"], saveAs: "rotated.pdf")
        #expect(try await check(rotated))
        let info = try await runCommand("pdfinfo", ["-f", "1", "-l", "3", rotated.path]).output
        let rotations = info.split(separator: "\n").filter { $0.contains("rot:") }.map {
            $0.split(separator: " ").last.map(String.init) ?? ""
        }
        #expect(rotations == ["180", "180", "270"])
    }

    @Test func encryptionInAndOut() async throws {
        let plain = try await upload("numbered-a.pdf")
        let (_, locked) = try await call(
            "/pdf/security/add",
            ["url": plain, "ownerPassword": "own3r", "userPassword": "us3r", "allowPrintDocument": false], saveAs: "locked.pdf")
        #expect(try await !check(locked))
        #expect(try await check(locked, password: "us3r"))
        let encryption = try await runCommand("qpdf", ["--show-encryption", "--password=us3r", locked.path]).output
        #expect(encryption.contains("R = 6"), "AES-256 by default: \(encryption)")
        #expect(encryption.contains("print low resolution: not allowed"))

        let lockedURL = try await HTTP.upload(try Data(contentsOf: locked), name: "locked.pdf", base: server.baseURL)
        let (wrong, wrongStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/security/remove", ["url": lockedURL, "password": "nope"])
        #expect(wrongStatus == 441, "\(wrong)")
        let (_, open) = try await call("/pdf/security/remove", ["url": lockedURL, "password": "us3r"], saveAs: "open.pdf")
        #expect(try await check(open))
        #expect(try await runCommand("qpdf", ["--show-encryption", open.path]).output.contains("File is not encrypted"))

        // Optimize and split keep an encrypted input encrypted.
        let aes = try await upload("encrypted-aes256.pdf")
        let (_, missingStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/optimize", ["url": aes])
        #expect(missingStatus == 441)
        let (_, optimized) = try await call("/pdf/optimize", ["url": aes, "password": "user123"], saveAs: "aes-optimized.pdf")
        #expect(try await !check(optimized))
        #expect(try await check(optimized, password: "user123"))
        #expect(try await text(optimized, password: "user123").contains("A page 3"))
    }

    @Test func optimizeShrinksImagesAndKeepsFormsAndAnnotations() async throws {
        let (answer, optimized) = try await call(
            "/pdf/optimize", ["url": try await upload("form.pdf"), "async": false], saveAs: "form-opt.pdf")
        let before = try #require(answer["originalFileSize"] as? Int)
        let after = try #require(answer["fileSize"] as? Int)
        #expect(after < before / 2, "the 1000×800 photo is drawn small: \(answer)")
        #expect(after == (try FileManager.default.attributesOfItem(atPath: optimized.path)[.size] as? Int))
        #expect(try await check(optimized))
        // Every annotation is still there (object streams hidden by --qdf).
        let qdf = try await runCommand("qpdf", ["--qdf", "--object-streams=disable", optimized.path, "-"]).output
        for subtype in ["/Widget", "/Text", "/Link", "/Highlight", "/Square"] {
            #expect(qdf.contains("/Subtype \(subtype)"), "\(subtype) lost")
        }
        // The form's fields and values, read back from the optimized file.
        let optimizedURL = try await HTTP.upload(try Data(contentsOf: optimized), name: "form-opt.pdf", base: server.baseURL)
        let (fields, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/info/fields", ["url": optimizedURL])
        #expect(status == 200)
        let info = try #require(fields["info"] as? [String: Any])
        let list = try #require((info["FieldsInfo"] as? [String: Any])?["Fields"] as? [[String: Any]])
        let byName = Dictionary(list.map { ($0["FieldName"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byName["name"]?["Type"] as? String == "EditBox")
        #expect(byName["name"]?["Value"] as? String == "Ada Lovelace")
        #expect(byName["agree"]?["Type"] as? String == "CheckBox")
        #expect(byName["agree"]?["Value"] as? String == "Yes")
        #expect(byName["color"]?["Type"] as? String == "ComboBox")
        #expect(byName["color"]?["Value"] as? String == "Green")
        #expect(byName["notes"]?["PageIndex"] as? Int == 1)
        #expect(info["PageCount"] as? Int == 2)

        // Nothing left to gain: the input comes back unchanged, and the answer says so.
        let (again, unchanged) = try await call("/pdf/optimize", ["url": optimizedURL], saveAs: "form-opt2.pdf")
        #expect((again["fileSize"] as? Int ?? .max) <= after)
        if again["optimized"] as? Bool == false {
            #expect(try Data(contentsOf: unchanged) == (try Data(contentsOf: optimized)))
        }
    }

    @Test func damagedXrefIsRepairedAndGarbageRefused() async throws {
        let (_, repaired) = try await call("/pdf/optimize", ["url": try await upload("damaged-xref.pdf")], saveAs: "repaired.pdf")
        #expect(try await check(repaired))
        #expect(try await text(repaired).contains("Damaged page 2"))
        let garbage = try await HTTP.upload(Data("this is no PDF".utf8), name: "x.pdf", base: server.baseURL)
        for path in ["/pdf/optimize", "/pdf/merge", "/pdf/split", "/pdf/security/add?ownerPassword=x"] {
            let (answer, status) = try await HTTP.postJSON("\(server.baseURL)\(path)", ["url": garbage])
            #expect(status == 442, "\(path): \(answer)")
            #expect((answer["message"] as? String)?.contains("/") == false, "no server paths in \(answer)")
        }
    }

    /// merge2 takes images besides PDFs (office files too, when office hosts run).
    @Test func merge2ConvertsImagesFirst() async throws {
        let jpeg = try await HTTP.upload(
            try Data(contentsOf: packageRoot.appendingPathComponent("Tests/Fixtures/images/rgb.jpg")), name: "photo.jpg",
            base: server.baseURL)
        let (answer, file) = try await call(
            "/pdf/merge2", ["url": "\(try await upload("numbered-a.pdf")),\(jpeg)"], saveAs: "mixed.pdf")
        #expect(answer["pageCount"] as? Int == 4)
        #expect(try await check(file))
        let (bad, status) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/merge2",
            ["url": "\(jpeg),\(try await HTTP.upload(Data([0, 1, 2, 3, 0xFF]), name: "blob.bin", base: server.baseURL))"])
        #expect(status == 415)
        #expect((bad["message"] as? String)?.hasPrefix("Input 2 of 2") == true)
    }
}
