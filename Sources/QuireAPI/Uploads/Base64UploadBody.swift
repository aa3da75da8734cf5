// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Reads a `/file/upload/base64` body from disk in pieces: the `file` value is decoded
/// straight into a file, every other parameter (small) is parsed as usual. JSON objects and
/// form bodies are scanned by hand because the one big value must never be held whole.
enum Base64UploadBody {
    /// Text of the other parameters together; more is not a parameter but an abuse.
    static let maxOtherBytes = 1 << 20

    /// Decodes the `file` value of the JSON or form body in `body` into `output`; returns the
    /// other parameters and the decoded size. Runs on the calling thread: call it through `OffLoop`.
    /// - Throws: `APIError` 400 (no `file`, not base64, malformed JSON), 413 (too large).
    static func decode(
        _ body: URL, to output: URL, maxBytes: Int, tooLarge: @escaping () -> APIError
    ) throws -> (
        RequestParameters, Int
    ) {
        let input = try FileHandle(forReadingFrom: body)
        defer { try? input.close() }
        var writer: Base64FileWriter?
        var scanner: (any BodyScanner)?
        while let chunk = try input.read(upToCount: 1 << 18), !chunk.isEmpty {
            if scanner == nil {
                let first = ParameterParsing.firstNonSpace(chunk)
                // In JSON a space is a space (skipped); in a form body it was a `+`.
                let isJSON = first == UInt8(ascii: "{") || first == UInt8(ascii: "\"")
                let created = try Base64FileWriter(to: output, maxBytes: maxBytes, spaceIsPlus: !isJSON, tooLarge: tooLarge)
                writer = created
                if first == UInt8(ascii: "\"") {
                    // A JSON string holding JSON (double-encoded, as some samples send): small bodies only.
                    return try decodeDoubleEncoded(body, writer: created)
                }
                scanner = isJSON ? JSONBodyScanner(writer: created) : FormBodyScanner(writer: created)
            }
            try chunk.withUnsafeBytes { try scanner!.scan($0) }
        }
        guard let scanner, let writer else { throw APIError.missing("file", "Send the file's bytes as base64 in 'file'.") }
        let parameters = try scanner.finish()
        guard scanner.sawFile else { throw APIError.missing("file", "Send the file's bytes as base64 in 'file'.") }
        return (parameters, try writer.finish())
    }

    private static func decodeDoubleEncoded(_ body: URL, writer: Base64FileWriter) throws -> (RequestParameters, Int) {
        guard FileManager.default.sizeOfFile(at: body) <= 4 << 20, let parameters = ParameterParsing.parseJSON(try Data(contentsOf: body))
        else {
            throw APIError(400, "The body is not a JSON object; send {\"file\": \"<base64>\", \"name\": \"…\"}.")
        }
        guard let text = parameters.string("file") else { throw APIError.missing("file", "Send the file's bytes as base64 in 'file'.") }
        var value = FileValueDecoder(writer: writer)
        try Array(text.utf8).withUnsafeBytes { try value.feed($0) }
        try value.end()
        return (parameters, try writer.finish())
    }

    /// Decodes a bare `file` value (base64 or a data URI), given as text (a query parameter) or
    /// as a file (a multipart field split to disk); returns the decoded size.
    static func decodeValue(_ source: Source, to output: URL, maxBytes: Int, tooLarge: @escaping () -> APIError) throws -> Int {
        let writer = try Base64FileWriter(to: output, maxBytes: maxBytes, tooLarge: tooLarge)
        var value = FileValueDecoder(writer: writer)
        switch source {
        case .text(let text):
            try Array(text.utf8).withUnsafeBytes { try value.feed($0) }
        case .file(let file):
            let input = try FileHandle(forReadingFrom: file)
            defer { try? input.close() }
            while let chunk = try input.read(upToCount: 1 << 18), !chunk.isEmpty {
                try chunk.withUnsafeBytes { try value.feed($0) }
            }
        }
        try value.end()
        return try writer.finish()
    }

    /// Where a bare `file` value is.
    enum Source {
        case text(String)
        case file(URL)
    }
}

/// A scanner of one body format, fed in pieces.
private protocol BodyScanner {
    var sawFile: Bool { get }
    /// The file value on its way to the decoder.
    var value: FileValueDecoder { get set }
    /// While inside the file value (past its data-URI prefix, no escape pending): the two bytes
    /// that end a run the decoder can take whole. nil: go byte by byte.
    var runStops: (UInt8, UInt8)? { get }
    mutating func step(_ byte: UInt8) throws
    /// The parameters other than `file`.
    func finish() throws -> RequestParameters
}

extension BodyScanner {
    /// Feeds `bytes`: runs of the file value straight to the decoder (memchr finds their ends, at
    /// C speed even in debug builds), everything else through `step`.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) throws {
        var index = 0
        while index < bytes.count {
            if value.takesRuns, let (first, second) = runStops {
                let end = min(RunScanner.find(first, in: bytes, from: index), RunScanner.find(second, in: bytes, from: index))
                if end > index {
                    try value.emit(run: UnsafeRawBufferPointer(rebasing: bytes[index..<end]))
                    index = end
                    continue
                }
            }
            try step(bytes[index])
            index += 1
        }
        try value.flush()
    }
}

/// Strips a `data:…;base64,` prefix from the start of the file value before the decoder sees it.
private struct DataURIPrefix {
    private var head: [UInt8] = []
    private var isSkipping = false
    private(set) var isDone = false

    /// Passes `byte` on to `emit` unless it belongs to the prefix.
    mutating func feed(_ byte: UInt8, _ emit: (UInt8) throws -> Void) throws {
        if isDone { return try emit(byte) }
        if isSkipping {
            if byte == UInt8(ascii: ",") { isDone = true }
            return
        }
        head.append(byte)
        if Array("data:".utf8).starts(with: head) {
            if head.count == 5 { isSkipping = true }
            return
        }
        isDone = true
        for held in head { try emit(held) }
    }

    mutating func end(_ emit: (UInt8) throws -> Void) throws {
        if !isDone && !isSkipping { for held in head { try emit(held) } }
        isDone = true
    }
}

/// The `file` value on its way to the decoder: its data-URI prefix dropped, single bytes
/// gathered into runs, long runs passed straight through.
private struct FileValueDecoder {
    let writer: Base64FileWriter
    private var prefix = DataURIPrefix()
    private var pending: [UInt8] = []

    init(writer: Base64FileWriter) {
        self.writer = writer
        pending.reserveCapacity(1 << 16)
    }

    /// Whether the prefix is behind us, so runs may skip `emit`.
    var takesRuns: Bool { prefix.isDone }

    mutating func emit(_ byte: UInt8) throws {
        if prefix.isDone {
            pending.append(byte)
        } else {
            var held: [UInt8] = []
            try prefix.feed(byte) { held.append($0) }
            pending += held
        }
        if pending.count >= 1 << 16 { try flush() }
    }

    mutating func emit(run bytes: UnsafeRawBufferPointer) throws {
        try flush()
        try writer.write(bytes)
    }

    /// A piece of a bare value: byte by byte while the data-URI prefix may still be in it, then whole.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) throws {
        var index = 0
        while index < bytes.count && !takesRuns {
            try emit(bytes[index])
            index += 1
        }
        if index < bytes.count { try emit(run: UnsafeRawBufferPointer(rebasing: bytes[index...])) }
    }

    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        try writer.write(pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// The value ended: whatever is held goes to the decoder.
    mutating func end() throws {
        try flush()
        try prefix.end { try writer.write([$0]) }
    }
}

/// A top-level JSON object: the string value of key `file` (any case) streams to the decoder;
/// every other member's raw JSON text is kept and parsed at the end.
private struct JSONBodyScanner: BodyScanner {
    var value: FileValueDecoder
    private(set) var sawFile = false

    private enum State {
        case start, keyOrEnd, key, colon, value, fileValue, otherValue, afterValue, end
    }
    private var state = State.start
    private var key: [UInt8] = []
    private var isEscaped = false
    private var others: [UInt8] = []
    private var member: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var unicode: [UInt8]?

    init(writer: Base64FileWriter) {
        value = FileValueDecoder(writer: writer)
    }

    var runStops: (UInt8, UInt8)? {
        state == .fileValue && unicode == nil && !isEscaped ? (UInt8(ascii: "\""), UInt8(ascii: "\\")) : nil
    }

    private func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    mutating func step(_ byte: UInt8) throws {
        switch state {
        case .start:
            if isSpace(byte) { return }
            guard byte == UInt8(ascii: "{") else { throw malformed() }
            state = .keyOrEnd
        case .keyOrEnd:
            if isSpace(byte) || byte == UInt8(ascii: ",") { return }
            if byte == UInt8(ascii: "}") { state = .end; return }
            guard byte == UInt8(ascii: "\"") else { throw malformed() }
            key = []
            state = .key
        case .key:
            if isEscaped {
                isEscaped = false
            } else if byte == UInt8(ascii: "\\") {
                isEscaped = true
            } else if byte == UInt8(ascii: "\"") {
                state = .colon
                return
            }
            key.append(byte)
            guard key.count <= 256 else { throw malformed() }
        case .colon:
            if isSpace(byte) { return }
            guard byte == UInt8(ascii: ":") else { throw malformed() }
            state = .value
        case .value:
            if isSpace(byte) { return }
            if byte == UInt8(ascii: "\""), String(decoding: key, as: UTF8.self).lowercased() == "file" {
                guard !sawFile else { throw APIError(400, "The body has more than one 'file'.") }
                sawFile = true
                state = .fileValue
                return
            }
            member = Array("\"".utf8) + key + Array("\":".utf8)
            depth = 0
            inString = false
            state = .otherValue
            try other(byte)
        case .fileValue:
            try fileByte(byte)
        case .otherValue:
            try other(byte)
        case .afterValue:
            if isSpace(byte) { return }
            if byte == UInt8(ascii: ",") { state = .keyOrEnd; return }
            guard byte == UInt8(ascii: "}") else { throw malformed() }
            state = .end
        case .end:
            guard isSpace(byte) else { throw malformed() }
        }
    }

    /// One byte of the file's string value: JSON escapes resolved, then base64.
    private mutating func fileByte(_ byte: UInt8) throws {
        if var hex = unicode {
            hex.append(byte)
            unicode = hex
            guard hex.count == 4 else { return }
            unicode = nil
            guard let code = UInt8(String(decoding: hex, as: UTF8.self), radix: 16), code < 0x80 else { throw malformed() }
            return try value.emit(code)
        }
        if isEscaped {
            isEscaped = false
            switch byte {
            case UInt8(ascii: "/"), UInt8(ascii: "\\"): try value.emit(byte)
            case UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"): return
            case UInt8(ascii: "u"): unicode = []
            default: throw malformed()
            }
            return
        }
        if byte == UInt8(ascii: "\\") {
            isEscaped = true
        } else if byte == UInt8(ascii: "\"") {
            try value.end()
            state = .afterValue
        } else {
            try value.emit(byte)
        }
    }

    /// One byte of another member's value, kept as raw JSON until the value ends.
    private mutating func other(_ byte: UInt8) throws {
        if inString {
            if isEscaped {
                isEscaped = false
            } else if byte == UInt8(ascii: "\\") {
                isEscaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
            }
        } else {
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 {
                    try endMember()
                    state = .end
                    return
                }
                depth -= 1
            case UInt8(ascii: ",") where depth == 0:
                try endMember()
                state = .keyOrEnd
                return
            default: break
            }
        }
        member.append(byte)
        guard others.count + member.count <= Base64UploadBody.maxOtherBytes else {
            throw APIError(413, "The parameters besides 'file' are larger than 1 MB.")
        }
    }

    private mutating func endMember() throws {
        if !others.isEmpty { others.append(UInt8(ascii: ",")) }
        others += member
        member = []
    }

    func finish() throws -> RequestParameters {
        guard state == .end else { throw malformed() }
        guard let parameters = ParameterParsing.parseJSON(Data("{".utf8 + others + "}".utf8)) else { throw malformed() }
        return parameters
    }

    private func malformed() -> APIError {
        APIError(400, "The body is not a valid JSON object; send {\"file\": \"<base64>\", \"name\": \"…\"}.")
    }
}

/// A form-urlencoded body: the value of `file` is percent-decoded into the decoder as it
/// arrives; the other pairs are kept and parsed at the end.
private struct FormBodyScanner: BodyScanner {
    var value: FileValueDecoder
    private(set) var sawFile = false
    private var name: [UInt8] = []
    private var inValue = false
    private var isFileValue = false
    private var others: [UInt8] = []
    private var percent: [UInt8]?

    init(writer: Base64FileWriter) {
        value = FileValueDecoder(writer: writer)
    }

    var runStops: (UInt8, UInt8)? { isFileValue && percent == nil ? (UInt8(ascii: "&"), UInt8(ascii: "%")) : nil }

    mutating func step(_ byte: UInt8) throws {
        if byte == UInt8(ascii: "&") {
            try endPair()
            return
        }
        if isFileValue { return try fileByte(byte) }
        if !inValue && byte == UInt8(ascii: "=") {
            inValue = true
            if ParameterParsing.decode(String(decoding: name, as: UTF8.self)).trimmingCharacters(in: .whitespaces).lowercased() == "file" {
                guard !sawFile else { throw APIError(400, "The body has more than one 'file'.") }
                // The name's bytes went into `others` as they came: this pair is not one of them.
                others.removeLast(name.count)
                isFileValue = true
                sawFile = true
                return
            }
        }
        if !inValue {
            name.append(byte)
            guard name.count <= 256 else { throw APIError(400, "A parameter name in the body is longer than 256 characters.") }
        }
        others.append(byte)
        guard others.count <= Base64UploadBody.maxOtherBytes else {
            throw APIError(413, "The parameters besides 'file' are larger than 1 MB.")
        }
    }

    private mutating func fileByte(_ byte: UInt8) throws {
        if var hex = percent {
            hex.append(byte)
            percent = hex
            guard hex.count == 2 else { return }
            percent = nil
            guard let decoded = UInt8(String(decoding: hex, as: UTF8.self), radix: 16) else {
                throw APIError.badParameter("file", "it is not valid base64.")
            }
            return try value.emit(decoded)
        }
        if byte == UInt8(ascii: "%") {
            percent = []
        } else {
            // `+` in a form body is a space; the decoder reads a space as `+` again.
            try value.emit(byte)
        }
    }

    private mutating func endPair() throws {
        if isFileValue {
            guard percent == nil else { throw APIError.badParameter("file", "it ends inside a %-escape.") }
            try value.end()
        } else {
            others.append(UInt8(ascii: "&"))
        }
        name = []
        inValue = false
        isFileValue = false
        percent = nil
    }

    func finish() throws -> RequestParameters {
        var copy = self
        try copy.endPair()
        return ParameterParsing.parseForm(String(decoding: copy.others, as: UTF8.self))
    }
}

/// memchr over a raw buffer: C speed even in debug builds, where a Swift loop is slow.
enum RunScanner {
    /// Index of the first `byte` at or after `start`, or `bytes.count`.
    static func find(_ byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        guard let base = bytes.baseAddress, start < bytes.count else { return bytes.count }
        guard let found = memchr(base + start, Int32(byte), bytes.count - start) else { return bytes.count }
        return base.distance(to: UnsafeRawPointer(found))
    }
}
