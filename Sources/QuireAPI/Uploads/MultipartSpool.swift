// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// A multipart/form-data body split on disk: small fields in memory, file parts in scratch files.
struct MultipartSpool {
    /// One part kept as a file: its form name, the client's file name and where its bytes are.
    struct FilePart {
        var name: String
        var filename: String?
        var file: URL
        var size: Int
    }

    var fields = RequestParameters()
    var files: [FilePart] = []

    /// Removes the scratch files of the file parts (once moved or decoded, or on failure).
    func removeFiles() {
        for part in files { try? FileManager.default.removeItem(at: part.file) }
    }

    /// Text fields together may hold this much; anything bigger is an upload in the wrong place.
    static let maxFieldBytes = 1 << 20

    /// Splits the multipart body in `body` (already on disk). Parts with a file name, or whose
    /// form name is in `fileFields`, become files under `scratch`; the caller removes them.
    /// Runs on the calling thread: call it through `OffLoop`. Delimiters are found with
    /// memmem, so a 200 MB body splits at disk speed even in a debug build.
    /// - Throws: `APIError` 400 for a body that is not multipart, 413 for oversized text fields.
    static func split(_ body: URL, boundary: String, fileFields: Set<String>, scratch: URL) throws -> MultipartSpool {
        guard !boundary.isEmpty, boundary.utf8.count <= 200 else { throw APIError(400, "The multipart boundary is missing or invalid.") }
        let input = try FileHandle(forReadingFrom: body)
        defer { try? input.close() }
        var splitter = MultipartSplitter(boundary: boundary, sink: PartSink(fileFields: fileFields, scratch: scratch))
        do {
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                try splitter.feed(chunk)
            }
            try splitter.finish()
        } catch {
            splitter.sink.discard()
            throw error
        }
        return MultipartSpool(fields: splitter.sink.fields, files: splitter.sink.files)
    }
}

/// The multipart grammar over a byte stream: preamble, then per part a delimiter line,
/// headers up to an empty line, and a body up to the next `CRLF--boundary`.
private struct MultipartSplitter {
    private enum State { case preamble, afterDelimiter, headers, body, done }
    private let delimiter: [UInt8]
    private var state = State.preamble
    /// Bytes not consumed yet; the stream is read as if it began with CRLF, so the first
    /// delimiter (which has none) is found like the others.
    private var window: [UInt8] = Array("\r\n".utf8)
    let sink: PartSink

    init(boundary: String, sink: PartSink) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        self.sink = sink
    }

    mutating func feed(_ chunk: Data) throws {
        // The epilogue after the closing delimiter is ignored, never buffered.
        guard state != .done else { return }
        chunk.withUnsafeBytes { window.append(contentsOf: $0) }
        var consumed = 0
        while state != .done, let used = try step(from: consumed) { consumed = used }
        window.removeFirst(consumed)
    }

    mutating func finish() throws {
        guard state == .done else { throw APIError(400, "The multipart body is incomplete (no closing boundary).") }
    }

    /// Advances from `start`; returns where the unconsumed bytes begin, nil when more input is needed.
    private mutating func step(from start: Int) throws -> Int? {
        switch state {
        case .preamble, .body:
            if let found = find(delimiter, from: start) {
                if state == .body { try sink.write(window, start..<found); try sink.endPart() }
                state = .afterDelimiter
                return found + delimiter.count
            }
            // Keep what could be the start of a delimiter split across chunks.
            let safe = max(start, window.count - delimiter.count + 1)
            if state == .body && safe > start { try sink.write(window, start..<safe) }
            return safe > start ? safe : nil
        case .afterDelimiter:
            guard window.count - start >= 2 else { return nil }
            if window[start] == UInt8(ascii: "-") && window[start + 1] == UInt8(ascii: "-") {
                state = .done
                return window.count
            }
            // Transport padding may follow the boundary before its line ends.
            guard let lineEnd = find(Array("\r\n".utf8), from: start) else {
                guard window.count - start < 1024 else { throw malformed() }
                return nil
            }
            state = .headers
            return lineEnd
        case .headers:
            // From the CRLF that ended the delimiter line, so a part without headers works too.
            guard let end = find(Array("\r\n\r\n".utf8), from: start) else {
                guard window.count - start < 16_384 else { throw APIError(400, "A multipart part has more than 16 KB of headers.") }
                return nil
            }
            try sink.beginPart(headers: String(decoding: window[(start + 2)..<max(start + 2, end)], as: UTF8.self))
            state = .body
            return end + 4
        case .done:
            return nil
        }
    }

    /// memchr for the first byte, memcmp for the rest (glibc's memmem is not imported into Swift).
    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        window.withUnsafeBytes { haystack in
            needle.withUnsafeBytes { needleBytes in
                guard let base = haystack.baseAddress, let first = needle.first else { return nil }
                var position = start
                while haystack.count - position >= needle.count {
                    guard let hit = memchr(base + position, Int32(first), haystack.count - position - needle.count + 1) else { return nil }
                    let index = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + index, needleBytes.baseAddress!, needle.count) == 0 { return index }
                    position = index + 1
                }
                return nil
            }
        }
    }

    private func malformed() -> APIError { APIError(400, "The multipart body is malformed.") }
}

/// Where part bodies go: scratch files for file parts, memory (capped) for text fields.
private final class PartSink {
    let fileFields: Set<String>
    let scratch: URL
    var fields = RequestParameters()
    var files: [MultipartSpool.FilePart] = []
    private var fieldBytes = 0
    private var name: String?
    private var text = Data()
    private var output: FileHandle?
    private var current: MultipartSpool.FilePart?
    private var partCount = 0

    /// Parts one body may have, and how many of them may be files: PDF.co forms carry one
    /// file and a few fields, and each file part costs a scratch file.
    static let maxParts = 1000
    static let maxFileParts = 16

    init(fileFields: Set<String>, scratch: URL) {
        self.fileFields = fileFields
        self.scratch = scratch
    }

    func beginPart(headers: String) throws {
        partCount += 1
        guard partCount <= Self.maxParts else { throw APIError(400, "The multipart body has more than \(Self.maxParts) parts.") }
        var disposition: String?
        for line in headers.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-disposition" {
                disposition = pair[1].trimmingCharacters(in: .whitespaces)
            }
        }
        name = disposition.flatMap { MultipartReader.attribute("name", in: $0) }
        let filename = disposition.flatMap { MultipartReader.attribute("filename", in: $0) }
        text = Data()
        guard filename != nil || fileFields.contains((name ?? "").lowercased()) else { return }
        guard files.count < Self.maxFileParts else {
            throw APIError(400, "The multipart body has more than \(Self.maxFileParts) file parts.")
        }
        let file = ScratchFile.make(in: scratch, prefix: "part")
        output = try ScratchFile.create(file)
        current = MultipartSpool.FilePart(name: name ?? "", filename: filename, file: file, size: 0)
    }

    func write(_ window: [UInt8], _ range: Range<Int>) throws {
        guard !range.isEmpty else { return }
        if let output {
            current?.size += range.count
            try window.withUnsafeBytes { try output.write(contentsOf: UnsafeRawBufferPointer(rebasing: $0[range])) }
        } else {
            fieldBytes += range.count
            guard fieldBytes <= MultipartSpool.maxFieldBytes else {
                throw APIError(413, "The multipart text fields are larger than 1 MB; send files as parts with a file name.")
            }
            text.append(contentsOf: window[range])
        }
    }

    func endPart() throws {
        if let output, let current {
            try output.close()
            files.append(current)
        } else if let name {
            fields.set(name, String(decoding: text, as: UTF8.self))
        }
        output = nil
        current = nil
        name = nil
    }

    func discard() {
        try? output?.close()
        if let current { try? FileManager.default.removeItem(at: current.file) }
        for part in files { try? FileManager.default.removeItem(at: part.file) }
        files = []
    }
}
