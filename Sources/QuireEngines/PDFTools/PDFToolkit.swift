// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Page-level PDF edits on qpdf: merge, split, delete pages, rotate. Outputs keep the
/// input's encryption (a password-protected PDF stays protected), forms and annotations.
package struct PDFToolkit: Sendable {
    package init() {}

    /// Appends every page of `inputs`, in order, into `output`. `password` opens any input
    /// that needs one (PDF.co takes a single password for all).
    /// - Returns: the page count of the result.
    package func merge(_ inputs: [URL], password: String?, output: URL) throws(EngineError) -> Int {
        var pages: [JSONValue] = []
        var total = 0
        for (index, input) in inputs.enumerated() {
            let document: QPDFDocument
            do {
                document = try QPDFDocument(contentsOf: input, password: password)
            } catch .damaged(let detail) {
                throw .damaged("Input \(index + 1) of \(inputs.count): \(detail)")
            }
            total += document.pageCount
            pages.append(Self.pageSource(input, password: password, range: "1-z"))
        }
        try QPDFJob.run(["empty": .string(""), "pages": .array(pages), "outputFile": .string(output.path)], hasPassword: password != nil)
        return total
    }

    /// Writes one PDF per comma item of `selection`, every page on its own when it is empty or
    /// `*` (1-based `/pdf/split` semantics are the caller's parsing).
    /// - Returns: the files written, named `<baseName>_page<first>-<last>.pdf` (1-based), in order.
    package func split(
        _ input: URL, password: String?, selection: PageSelection, into directory: URL, baseName: String
    ) throws(EngineError) -> [URL] {
        let document = try QPDFDocument(contentsOf: input, password: password)
        let groups: [[Int]]
        do {
            groups =
                selection.items.isEmpty
                ? (0..<document.pageCount).map { [$0] } : try selection.resolveGroups(pageCount: document.pageCount)
        } catch {
            throw .pageRange("\(error)")
        }
        return try split(input, password: password, groups: groups, into: directory, baseName: baseName)
    }

    /// Writes one PDF per group of zero-based page indexes, named as above.
    package func split(_ input: URL, password: String?, groups: [[Int]], into directory: URL, baseName: String) throws(EngineError) -> [URL]
    {
        var files: [URL] = []
        for group in groups {
            let first = group[0] + 1
            let last = group[group.count - 1] + 1
            let label = first == last ? "\(first)" : "\(first)-\(last)"
            var name = "\(baseName)_page\(label).pdf"
            // The same range asked twice still gets two files.
            if files.contains(where: { $0.lastPathComponent == name }) { name = "\(baseName)_page\(label)_\(files.count + 1).pdf" }
            let file = directory.appendingPathComponent(name)
            try keepPages(group, of: input, password: password, output: file)
            files.append(file)
        }
        return files
    }

    /// Writes `input` without the pages `selection` names.
    /// - Returns: the page count of the result.
    package func deletePages(_ input: URL, password: String?, selection: PageSelection, output: URL) throws(EngineError) -> Int {
        let document = try QPDFDocument(contentsOf: input, password: password)
        let doomed = Set(try Self.resolve(selection, pageCount: document.pageCount))
        let kept = (0..<document.pageCount).filter { !doomed.contains($0) }
        guard !kept.isEmpty else {
            throw .pageRange("The 'pages' value \"\(selection.description)\" names every page: a PDF must keep at least one.")
        }
        try keepPages(kept, of: input, password: password, output: output)
        return kept.count
    }

    /// Turns the pages `selection` names (all when empty) by `angle` degrees clockwise, a
    /// multiple of 90, on top of their current rotation.
    package func rotate(_ input: URL, password: String?, selection: PageSelection, angle: Int, output: URL) throws(EngineError) -> Int {
        guard angle % 90 == 0 else { throw .unsupported("'angle' must be a multiple of 90 degrees, e.g. 90, 180 or 270.") }
        let document = try QPDFDocument(contentsOf: input, password: password)
        let pages = try Self.resolve(selection, pageCount: document.pageCount)
        let turn = ((angle % 360) + 360) % 360
        var job = Self.job(input, password: password, output: output)
        if turn != 0 {
            job["rotate"] = .string("+\(turn):" + Self.qpdfRange(Array(Set(pages)).sorted()))
        }
        try QPDFJob.run(job, hasPassword: password != nil)
        return document.pageCount
    }

    private func keepPages(_ pages: [Int], of input: URL, password: String?, output: URL) throws(EngineError) {
        var job = Self.job(input, password: password, output: output)
        job["pages"] = .array([Self.pageSource(input, password: password, range: Self.qpdfRange(pages))])
        try QPDFJob.run(job, hasPassword: password != nil)
    }

    /// A job that reads `input` (keeping its encryption) and writes `output`.
    static func job(_ input: URL, password: String?, output: URL) -> [String: JSONValue] {
        var job: [String: JSONValue] = ["inputFile": .string(input.path), "outputFile": .string(output.path)]
        if let password, !password.isEmpty { job["password"] = .string(password) }
        return job
    }

    private static func pageSource(_ file: URL, password: String?, range: String) -> JSONValue {
        var source: [String: JSONValue] = ["file": .string(file.path), "range": .string(range)]
        if let password, !password.isEmpty { source["password"] = .string(password) }
        return .object(source)
    }

    /// qpdf's 1-based page list for zero-based indexes, runs collapsed: [0,1,2,5] → "1-3,6".
    static func qpdfRange(_ pages: [Int]) -> String {
        var parts: [String] = []
        var index = 0
        while index < pages.count {
            var end = index
            while end + 1 < pages.count && pages[end + 1] == pages[end] + 1 { end += 1 }
            parts.append(end == index ? "\(pages[index] + 1)" : "\(pages[index] + 1)-\(pages[end] + 1)")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }

    private static func resolve(_ selection: PageSelection, pageCount: Int) throws(EngineError) -> [Int] {
        do {
            return try selection.resolve(pageCount: pageCount)
        } catch {
            throw .pageRange("\(error)")
        }
    }
}
