// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Writes a PDF object by object, straight to a file, and the cross-reference table at the end.
/// Just enough PDF for pages made of images.
final class PDFWriter {
    private let handle: FileHandle
    private var offset = 0
    private var objectOffsets: [Int: Int] = [:]
    private var nextID = 1

    init(creating url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw EngineError.failed("Could not create the output PDF.")
        }
        handle = try FileHandle(forWritingTo: url)
        // The binary comment line tells transfer tools the file is binary.
        write(Data("%PDF-1.5\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8))
    }

    /// Reserves an object number (for forward references such as /Parent).
    func reserveID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    /// Writes object `id` with `dictionary` (PDF syntax, without << >>) and, if given, `stream`.
    func writeObject(_ id: Int, _ dictionary: String, stream: Data? = nil) {
        objectOffsets[id] = offset
        if let stream {
            write(Data("\(id) 0 obj\n<< \(dictionary) /Length \(stream.count) >>\nstream\n".utf8))
            write(stream)
            write(Data("\nendstream\nendobj\n".utf8))
        } else {
            write(Data("\(id) 0 obj\n<< \(dictionary) >>\nendobj\n".utf8))
        }
    }

    /// Writes the xref table and trailer, and closes the file.
    func finish(root: Int, info: Int?) throws {
        let xref = offset
        var table = "xref\n0 \(nextID)\n0000000000 65535 f \n"
        for id in 1..<nextID {
            table += String(format: "%010d 00000 n \n", objectOffsets[id] ?? 0)
        }
        let infoEntry = info.map { " /Info \($0) 0 R" } ?? ""
        table += "trailer\n<< /Size \(nextID) /Root \(root) 0 R\(infoEntry) >>\nstartxref\n\(xref)\n%%EOF\n"
        write(Data(table.utf8))
        try handle.close()
    }

    private func write(_ data: Data) {
        handle.write(data)
        offset += data.count
    }

    /// A PDF literal-free name/number formatting helper: `12.5` → "12.5", `12.0` → "12".
    static func number(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// `<…>` hex string.
    static func hexString(_ data: Data) -> String {
        "<" + data.map { String(format: "%02X", $0) }.joined() + ">"
    }
}
