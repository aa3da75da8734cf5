// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Logging
import QuireCore
import QuireEngines
import QuireJobs
import QuireStorage
import QuireTestSupport
import QuireWorker
import Testing

/// The worker's job loop (lease, run, store, complete, retry, webhook) with fake engine hosts:
/// the real queue rules, catalog and disk store, no engine process.
struct WorkerTests {
    /// A job is leased, its input reaches the host, and the host's output is stored as the
    /// job's result file, owned by the job's key.
    @Test func runsAJobAndStoresItsResult() async throws {
        let host = FakeEngineHost { request, _ in
            let input = try String(contentsOf: URL(fileURLWithPath: request.inputs[0]), encoding: .utf8)
            return try FakeEngineHost.writeResult("text of \(input)", for: request)
        }
        let harness = try WorkerHarness(hosts: [host])
        let input = try await harness.upload(Data("%PDF-1.7 one page".utf8))
        let job = try await harness.enqueue(.pdfToText, inputs: [input], outputName: "out.txt")

        let done = try await harness.run(until: job.id)
        #expect(done.state == .success)
        #expect(done.attempts == 1)
        let result = try #require(done.result)
        #expect(result.fileID == job.spec.resultFileID)
        #expect(result.fileName == "out.txt")
        #expect(result.pageCount == 1)
        #expect(try await harness.stored(job.spec.resultFileID) == Data("text of %PDF-1.7 one page".utf8))
        let file = try #require(try await harness.catalog.file(id: job.spec.resultFileID, owner: WorkerHarness.owner))
        #expect(file.name == "out.txt" && file.isReady)
        #expect(host.requests.map(\.operation) == [.pdfToText])
        #expect(host.isStarted && host.isStopped)
        // The slot's scratch folder is empty once the job is done.
        let scratch = harness.temp.file("scratch").path
        let slots = try FileManager.default.contentsOfDirectory(atPath: scratch)
        #expect(!slots.isEmpty && slots.allSatisfy { $0.hasPrefix("slot-") })
        for slot in slots { #expect(try FileManager.default.contentsOfDirectory(atPath: "\(scratch)/\(slot)").isEmpty) }
    }

    /// A host that crashes is retried on every attempt, then the job fails with the crash message.
    @Test func retriesACrashUpToTheAttemptLimit() async throws {
        let host = FakeEngineHost.crashing()
        let harness = try WorkerHarness(hosts: [host])
        let job = try await harness.enqueue(.pdfToText, inputs: [try await harness.upload(Data("%PDF-1.7".utf8))], maxAttempts: 3)

        let done = try await harness.run(until: job.id)
        #expect(done.state == .failed)
        #expect(done.attempts == 3)
        #expect(host.requests.count == 3)
        #expect(done.failure?.status == 500)
        #expect(done.failure?.message == "The conversion engine crashed while processing this document.")
        #expect(done.result == nil)
    }

    /// An engine that refuses the input will refuse it again: the job fails on its first attempt.
    @Test func failsAnEngineErrorAtOnce() async throws {
        let host = FakeEngineHost { _, _ in EngineResponse(error: .damaged("the cross-reference table is broken")) }
        let harness = try WorkerHarness(hosts: [host])
        let job = try await harness.enqueue(.pdfToText, inputs: [try await harness.upload(Data("%PDF-1.7".utf8))], maxAttempts: 3)

        let done = try await harness.run(until: job.id)
        #expect(done.state == .failed)
        #expect(done.attempts == 1)
        #expect(host.requests.count == 1)
        #expect(done.failure?.status == 442)
        #expect(done.failure?.message == "The input file cannot be processed: the cross-reference table is broken")
    }

    /// A host stopped at the job timeout fails the job with 445, naming the timeout, without retry.
    @Test func failsATimeoutWith445() async throws {
        let host = FakeEngineHost.hanging()
        let harness = try WorkerHarness(hosts: [host], jobTimeout: .seconds(7))
        let job = try await harness.enqueue(.pdfToText, inputs: [try await harness.upload(Data("%PDF-1.7".utf8))], maxAttempts: 3)

        let done = try await harness.run(until: job.id)
        #expect(done.state == .failed)
        #expect(done.attempts == 1)
        #expect(done.failure?.status == 445)
        #expect(done.failure?.message.contains("job timeout of 7 s") == true)
    }

    /// A long page-image job is cut into ranges run on several hosts at once; the pages come
    /// back in document order although the ranges finish last-first.
    @Test func fansPageImagesOutAcrossHosts() async throws {
        let pageCount = 24
        let progress = RenderProgress()
        let hosts = (0..<3).map { index in
            FakeEngineHost("host-\(index)") { request, _ in
                if request.operation == .pdfInfo { return EngineResponse(pageCount: pageCount) }
                let first = try PageSelection(parsing: request.pages ?? "").resolve(pageCount: pageCount)[0]
                await progress.arrive()
                // All three ranges are in flight at once, so each holds a host of its own.
                _ = try await poll(timeout: .seconds(5)) { await progress.arrived == 3 ? true : nil }
                let response = try FakeEngineHost.renderPages(of: request, pageCount: pageCount)
                // A range finishes only after every later one: the worker must not keep finishing order.
                _ = try await poll(timeout: .seconds(5)) {
                    await progress.finished.filter { $0 > first }.count == (16 - first) / 8 ? true : nil
                }
                await progress.finish(first)
                return response
            }
        }
        let harness = try WorkerHarness(hosts: hosts)
        let job = try await harness.enqueue(.pdfToPNG, inputs: [try await harness.upload(Data("%PDF-1.7".utf8))])

        let done = try await harness.run(until: job.id)
        #expect(done.state == .success)
        let renders = hosts.map { $0.requests.filter { $0.operation == .pdfToPNG } }
        #expect(renders.allSatisfy { $0.count == 1 })
        #expect(Set(renders.flatMap { $0 }.compactMap(\.pages)) == ["0,1,2,3,4,5,6,7", "8,9,10,11,12,13,14,15", "16,17,18,19,20,21,22,23"])
        #expect(await progress.finished == [16, 8, 0])
        guard case .array(let urls)? = done.result?.fields["urls"] else {
            Issue.record("no page URLs in \(String(describing: done.result))")
            return
        }
        var pages: [String] = []
        for case .string(let url) in urls {
            let id = try #require(try harness.urls.ownFileID(in: url))
            pages.append(String(decoding: try await harness.stored(id), as: UTF8.self))
        }
        #expect(pages == (1...pageCount).map { "page \($0)" })
        // The async result file lists the same URLs.
        let listed = try JSONDecoder().decode([String].self, from: try await harness.stored(job.spec.resultFileID))
        #expect(listed == urls.compactMap { if case .string(let url) = $0 { url } else { nil } })
    }

    /// A long PDF's barcodes are read on two hosts at once, each given half the pages; the codes
    /// come back in page order although the second half finishes first. An image is read whole.
    @Test func fansBarcodeReadsOutAcrossHosts() async throws {
        let pageCount = 20
        let progress = RenderProgress()
        let hosts = (0..<2).map { index in
            FakeEngineHost("host-\(index)") { request, _ in
                if request.operation == .pdfInfo { return EngineResponse(pageCount: pageCount) }
                // Unsplit (the image): no page list.
                guard let selected = request.pages else { return EngineResponse(pageCount: 1, fields: ["barcodes": .array([])]) }
                let pages = try PageSelection(parsing: selected).resolve(pageCount: pageCount)
                await progress.arrive()
                _ = try await poll(timeout: .seconds(5)) { await progress.arrived == 2 ? true : nil }
                if pages[0] == 0 { _ = try await poll(timeout: .seconds(5)) { await progress.finished == [10] ? true : nil } }
                await progress.finish(pages[0])
                let codes = pages.filter { $0 % 3 == 0 }.map { JSONValue.object(["Value": .string("code \($0)"), "Page": .int($0)]) }
                return EngineResponse(pageCount: pages.count, fields: ["barcodes": .array(codes)])
            }
        }
        let harness = try WorkerHarness(hosts: hosts)
        let job = try await harness.enqueue(.barcodeRead, inputs: [try await harness.upload(Data("%PDF-1.7".utf8))])

        let done = try await harness.run(until: job.id)
        #expect(done.state == .success, "\(String(describing: done.failure))")
        let reads = hosts.map { $0.requests.filter { $0.operation == .barcodeRead } }
        #expect(Set(reads.flatMap { $0 }.compactMap(\.pages)) == ["0,1,2,3,4,5,6,7,8,9", "10,11,12,13,14,15,16,17,18,19"])
        #expect(await progress.finished == [10, 0])
        guard case .array(let codes)? = done.result?.fields["barcodes"] else {
            Issue.record("no barcodes in \(String(describing: done.result))")
            return
        }
        let values = codes.compactMap { code -> String? in
            guard case .object(let fields) = code, case .string(let value)? = fields["Value"] else { return nil }
            return value
        }
        #expect(values == stride(from: 0, to: pageCount, by: 3).map { "code \($0)" })

        let image = try await harness.enqueue(.barcodeRead, inputs: [try await harness.upload(Data([0x89, 0x50, 0x4E, 0x47]))])
        #expect(try await harness.run(until: image.id).state == .success)
        #expect(hosts.flatMap(\.requests).filter { $0.operation == .barcodeRead }.count == 3, "the image went to one host, unsplit")
        #expect(hosts.flatMap(\.requests).filter { $0.operation == .pdfInfo }.count == 1)
    }

    /// A job with a `callback` POSTs its final status there once it has finished.
    @Test func sendsTheWebhookOfAFinishedJob() async throws {
        let receiver = try LoopbackFileServer()
        let webhooks = WebhookSender(
            fetcher: RemoteFetcher(policy: AddressPolicy(allowsPrivate: true), maxBytes: 1 << 20),
            logger: Logger(label: "quire.test") { _ in SwiftLogNoOpLogHandler() })
        let host = FakeEngineHost { request, _ in try FakeEngineHost.writeResult("done", for: request) }
        let harness = try WorkerHarness(hosts: [host], webhooks: webhooks)
        let job = try await harness.enqueue(
            .pdfToText, inputs: [try await harness.upload(Data("%PDF-1.7".utf8))], callback: receiver.url("hook"))

        let done = try await harness.run(until: job.id)
        #expect(done.state == .success)
        let body = try #require(try await poll { receiver.posted().first }, "no webhook arrived")
        let payload = try JSONDecoder().decode([String: String].self, from: body)
        #expect(payload == ["jobId": job.id, "status": "success"])
    }
}

/// Which page ranges of a fanned-out job have reached a host, and which have finished.
private actor RenderProgress {
    private(set) var arrived = 0
    /// The first page of each finished range, in finishing order.
    private(set) var finished: [Int] = []

    func arrive() { arrived += 1 }
    func finish(_ firstPage: Int) { finished.append(firstPage) }
}
