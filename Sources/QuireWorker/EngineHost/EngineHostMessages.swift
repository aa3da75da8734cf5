// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

/// A request from the worker to an engine host: one operation on local files.
package struct EngineRequest: Sendable, Codable {
    package var operation: JobOperation
    package var inputs: [String]
    /// Where the host writes its result file (when the operation has one).
    package var output: String?
    package var password: String?
    package var pages: String?
    /// The conversion's options, encoded (`Conversion.encodeOptions`); for an OCR host, the
    /// `OCRPass`.
    package var options: JSONValue
    /// The words the job's OCR pass found (a JSON list of `OCRPage`), for conversions that ask
    /// for one (`Conversion.ocrPass`).
    package var ocrWords: String?
    /// Whether the worker reads pages by OCR when the engine reports them without text
    /// (`EngineResponse.pagesWithoutText`); when false the engine does as if OCR did not exist.
    package var ocrFallback = false

    package init(operation: JobOperation, inputs: [String], output: String?, password: String?, pages: String?, options: JSONValue) {
        self.operation = operation
        self.inputs = inputs
        self.output = output
        self.password = password
        self.pages = pages
        self.options = options
    }
}

/// The engine host's answer: a result or an engine error.
package struct EngineResponse: Sendable, Codable {
    package var pageCount: Int?
    package var fields: [String: JSONValue]
    package var error: EngineError?

    package init(pageCount: Int? = nil, fields: [String: JSONValue] = [:], error: EngineError? = nil) {
        self.pageCount = pageCount
        self.fields = fields
        self.error = error
    }
}

extension EngineResponse {
    /// The field in which an engine lists the pages it found without text, for the worker's
    /// OCR fallback (`Conversion.ocrFallback`); never part of the client's answer.
    package static let pagesWithoutText = "pagesWithoutText"

    /// The frame a host sends once started: it is ready, and how it is sandboxed.
    static func ready(_ sandbox: EngineSandbox) -> EngineResponse {
        let (state, detail): (String, String) =
            switch sandbox {
            case .applied(let text): ("applied", text)
            case .off(let text): ("off", text)
            case .failed(let text): ("failed", text)
            case .none: ("none", "")
            }
        return EngineResponse(fields: ["sandbox": .string(state), "sandboxDetail": .string(detail)])
    }

    /// The sandbox a ready frame reports (`.none` when it says nothing).
    var sandbox: EngineSandbox {
        guard case .string(let state) = fields["sandbox"] else { return .none }
        let detail: String = if case .string(let text) = fields["sandboxDetail"] { text } else { "" }
        return switch state {
        case "applied": .applied(detail)
        case "off": .off(detail)
        case "failed": .failed(detail)
        default: .none
        }
    }
}

/// Frames on the pipes: a 4-byte big-endian length, then that many bytes of JSON.
package enum EngineFrame {
    package static let maxBytes = 64 << 20

    package static func write<T: Encodable>(_ value: T, to fd: Int32) throws {
        // JSONText, not JSONEncoder/JSONDecoder: a small job's frames were ~3 % of the server's CPU.
        let body = Data(try JSONText.encode(value).utf8)
        var length = UInt32(body.count).bigEndian
        var frame = Data(bytes: &length, count: 4)
        frame.append(body)
        try frame.withUnsafeBytes { try writeAll($0, to: fd) }
    }

    /// The next frame, nil at end of file (the other side is gone).
    package static func read<T: Decodable>(_ type: T.Type, from fd: Int32) throws -> T? {
        guard let header = try readExactly(4, from: fd) else { return nil }
        let length = header.withUnsafeBytes { Int(UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self))) }
        guard length <= maxBytes else { throw EngineHostError.protocolViolation("frame of \(length) bytes") }
        guard let body = try readExactly(length, from: fd) else { return nil }
        return try JSONText.decode(T.self, from: body)
    }

    /// Writes all of `buffer` to the pipe `fd` (also the DevTools pipe's writer).
    /// - Throws: `EngineHostError.pipeClosed` when the reader is gone.
    static func writeAll(_ buffer: UnsafeRawBufferPointer, to fd: Int32) throws {
        do {
            try POSIXFile.writeAll(buffer, to: fd)
        } catch {
            throw EngineHostError.pipeClosed
        }
    }

    private static func readExactly(_ count: Int, from fd: Int32) throws -> Data? {
        var data = Data(count: count)
        var offset = 0
        while offset < count {
            let n = data.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + offset, count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw EngineHostError.pipeClosed
            }
            if n == 0 { return nil }
            offset += n
        }
        return data
    }
}

/// Why an engine host could not answer.
package enum EngineHostError: Error, Equatable {
    /// The host died (crash, abort, out of memory) while working; `detail` says how.
    case crashed(String)
    /// The host did not answer within the job timeout and was killed.
    case timedOut(seconds: Int)
    case pipeClosed
    case protocolViolation(String)
    case spawnFailed(String)
    /// An office host went over its resident-memory limit (MiB) during the job and was killed.
    case memoryExceeded(megabytes: Int)
    /// The host's sandbox could not be applied, and this kind of host runs only sandboxed.
    case sandboxUnavailable(String)
}
