// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireTestSupport
import Testing

/// Rendering stays within bounded memory on a 1000-page PDF and on a page holding a
/// 20000×20000-pixel image: measured as the peak resident size (VmHWM) of the engine hosts.
@Suite(.serialized)
final class MemoryBoundsTests {
    let temp = TemporaryDirectory()
    let server: QuireServer

    init() async throws {
        server = try await QuireServer(data: temp.file("data"), arguments: ["--workers", "1"])
    }

    deinit { server.kill9() }

    /// The largest VmHWM among the server's engine hosts, in MB.
    func enginePeakMB() throws -> Int {
        let hosts = QuireServer.childProcesses(of: try #require(server.pid))
        return hosts.compactMap { pid -> Int? in
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
            else { return nil }
            return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 / 1024 }
        }.max() ?? 0
    }

    @Test func thousandPagesRenderInBoundedMemory() async throws {
        let pdf = TestPDF.make(pages: Fixtures.pages(1000))
        let url = try await HTTP.upload(pdf, name: "thousand.pdf", base: server.baseURL)
        let (answer, status) = try await HTTP.postJSON(
            "\(server.baseURL)/pdf/convert/to/jpg", ["url": url, "profiles": "{'RenderingResolution': 24}"])
        #expect(status == 200, "\(answer)")
        #expect((answer["urls"] as? [String])?.count == 1000)
        let peak = try enginePeakMB()
        print("memory bounds: 1000 pages to JPEG, engine host peak \(peak) MB")
        // Pages are rendered and written one at a time per thread: a few pages' pixmaps, not 1000.
        #expect(peak > 0 && peak < 200, "engine host peak \(peak) MB")
    }

    @Test func pageWithA20000PixelImage() async throws {
        // A Letter page showing a 20000×20000 gray image (400 MB decoded, 0.4 MB as Flate).
        let file = temp.file("huge.pdf")
        let script = """
            import zlib, sys
            c = zlib.compressobj(9); row = bytes(range(256)) * 78 + bytes(32)
            data = b"".join(c.compress(row) for _ in range(20000)) + c.flush()
            objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im 4 0 R >> >> /Contents 5 0 R >>",
                    b"<< /Type /XObject /Subtype /Image /Width 20000 /Height 20000 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode /Length %d >>\\nstream\\n" % len(data) + data + b"\\nendstream",
                    b"<< /Length 30 >>\\nstream\\nq 612 0 0 792 0 0 cm /Im Do Q\\nendstream"]
            out = bytearray(b"%PDF-1.4\\n"); offsets = []
            for i, o in enumerate(objs):
                offsets.append(len(out)); out += b"%d 0 obj\\n" % (i + 1) + o + b"\\nendobj\\n"
            xref = len(out); out += b"xref\\n0 %d\\n0000000000 65535 f \\n" % (len(objs) + 1)
            for off in offsets: out += b"%010d 00000 n \\n" % off
            out += b"trailer << /Size %d /Root 1 0 R >>\\nstartxref\\n%d\\n%%%%EOF\\n" % (len(objs) + 1, xref)
            open(sys.argv[1], "wb").write(out)
            """
        #expect(try await runCommand("python3", ["-c", script, file.path]).status == 0)
        let url = try await HTTP.upload(try Data(contentsOf: file), name: "huge.pdf", base: server.baseURL)
        let (answer, status) = try await HTTP.postJSON("\(server.baseURL)/pdf/convert/to/png", ["url": url])
        #expect(status == 200, "\(answer)")
        #expect((answer["urls"] as? [String])?.count == 1)
        let peak = try enginePeakMB()
        print("memory bounds: 20000x20000 image page to PNG, engine host peak \(peak) MB")
        // MuPDF decodes the image subsampled to what the 150-dpi page needs (1/8 per side).
        #expect(peak > 0 && peak < 300, "engine host peak \(peak) MB")
        // The optimizer downsamples it to 120 dpi for its drawn size.
        let (optimized, optimizeStatus) = try await HTTP.postJSON("\(server.baseURL)/pdf/optimize", ["url": url])
        #expect(optimizeStatus == 200, "\(optimized)")
        #expect((optimized["imagesResampled"] as? Int) == 1)
        let optimizePeak = try enginePeakMB()
        print("memory bounds: optimize of the 20000x20000 image, engine host peak \(optimizePeak) MB")
        #expect(optimizePeak < 400)
    }
}
