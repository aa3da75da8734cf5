// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

/// One job's tab, in a browser context of its own. Every request the page makes is paused by
/// the DevTools `Fetch` domain and answered here: the HTML of `/pdf/convert/from/html` from
/// memory, anything else through `PageResourceFetcher` (address checks, size limits), never by
/// Chromium's own network stack.
final class BrowserPage: @unchecked Sendable {
    /// Bounds on what one page may load.
    struct Limits: Sendable {
        /// Bytes of all responses together.
        var totalBytes: Int
        /// Requests in all.
        var requests: Int
    }

    /// The address inline HTML is served at: `.invalid` never resolves, so nothing else answers for it.
    static let documentURL = "http://document.quire.invalid/"
    private static let documentHost = URL(string: documentURL)?.host

    let session: String
    let contextID: String
    private let targetID: String
    private let connection: DevToolsConnection
    private let fetcher: any PageResourceFetcher
    private let limits: Limits

    // Guarded by `state`.
    private let state = NSCondition()
    private var document: String?
    private var resources: [String: PageResource] = [:]
    private var domReady = false
    private var loaded = false
    private var crashed = false
    private var inFlight: [String: String] = [:]
    private var requestCount = 0
    private var bytes = 0
    private var refused: [String] = []
    private var documentFailure: String?

    init(
        connection: DevToolsConnection, session: String, targetID: String, contextID: String, fetcher: any PageResourceFetcher,
        limits: Limits
    ) {
        self.connection = connection
        self.session = session
        self.targetID = targetID
        self.contextID = contextID
        self.fetcher = fetcher
        self.limits = limits
    }

    /// Turns on request interception and page events (before anything loads).
    func prepare() throws {
        let deadline = ContinuousClock.now + .seconds(10)
        try command("Fetch.enable", ["patterns": [["urlPattern": "*", "requestStage": "Request"]]], deadline)
        try command("Page.enable", [:], deadline)
    }

    /// What the page shows: inline HTML or a web address.
    enum Source: Sendable {
        case html(String)
        case url(String)
        /// An e-mail: its HTML with scripts off (as in a mail reader), and the parts it shows
        /// (`cid:` images) served under `documentURL` by path.
        case mail(String, resources: [String: PageResource])
    }

    /// Loads `source` and waits until it is ready: the `load` event and no request of ours
    /// still open (`waitsForFullLoad`), or only the DOM parsed.
    /// - Throws: `EngineError.unreachable` when the page cannot be loaded, `.timedOut` naming
    ///   what was still loading at `deadline`.
    func load(
        _ source: Source, media: String?, viewport: (width: Int, height: Int)?, waitsForFullLoad: Bool,
        until expression: String? = nil, delay: Duration = .zero, deadline: ContinuousClock.Instant
    ) throws {
        // PDF.co's mediaType: print (default), screen, or none (the browser's own choice).
        try command("Emulation.setEmulatedMedia", ["media": media ?? ""], deadline)
        if let viewport {
            try command(
                "Emulation.setDeviceMetricsOverride",
                ["width": viewport.width, "height": viewport.height, "deviceScaleFactor": 1, "mobile": false], deadline)
        }
        let address: String
        switch source {
        case .html(let html):
            state.withLock { document = html }
            address = Self.documentURL
        case .url(let url):
            address = url
        case .mail(let html, let parts):
            try command("Emulation.setScriptExecutionDisabled", ["value": true], deadline)
            state.withLock {
                document = html
                resources = parts
            }
            address = Self.documentURL
        }
        let navigation = try command("Page.navigate", ["url": address], deadline)
        if let failure = state.withLock({ documentFailure }) { throw EngineError.unreachable(failure) }
        if let error = navigation["errorText"] as? String, !error.isEmpty {
            throw EngineError.unreachable("The page could not be loaded (\(error)).")
        }
        try waitUntilReady(full: waitsForFullLoad, deadline: deadline)
        // Scripts often fetch right after `load`: a page with scripts is done once 50 ms pass
        // with no new request. A page without scripts is done at once.
        if waitsForFullLoad, try hasScripts(deadline) { try waitUntilReady(full: true, settling: true, deadline: deadline) }
        if let expression { try waitUntilTrue(expression, deadline: deadline) }
        if delay > .zero {
            guard ContinuousClock.now + delay < deadline else {
                throw EngineError.timedOut("waitDelay goes past the page's time limit (--browser-page-seconds).")
            }
            Thread.sleep(forTimeInterval: delay.timeInterval)
        }
    }

    /// Polls `expression` every 50 ms until it is true; a script error in it is the job's error.
    private func waitUntilTrue(_ expression: String, deadline: ContinuousClock.Instant) throws {
        while true {
            let answer = try command(
                "Runtime.evaluate",
                ["expression": "Promise.resolve((\(expression)\n)).then(v => !!v)", "returnByValue": true, "awaitPromise": true],
                deadline)
            if let exception = answer["exceptionDetails"] as? DevToolsConnection.Message {
                let message =
                    ((exception["exception"] as? DevToolsConnection.Message)?["description"] as? String) ?? exception["text"] as? String
                    ?? "error"
                throw EngineError.badParameter("waitForExpression failed in the page: \(message.prefix(300))")
            }
            if (answer["result"] as? DevToolsConnection.Message)?["value"] as? Bool == true { return }
            guard ContinuousClock.now + .milliseconds(50) < deadline else {
                throw EngineError.timedOut("waitForExpression was still false when the page's time limit ran out.")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    private func hasScripts(_ deadline: ContinuousClock.Instant) throws -> Bool {
        (try evaluate("document.scripts.length", deadline: deadline) as? Int ?? 1) > 0
    }

    /// The value of a JavaScript expression in the page (JSON types), nil when it has none.
    func evaluate(_ expression: String, deadline: ContinuousClock.Instant) throws -> Any? {
        let answer = try command("Runtime.evaluate", ["expression": expression, "returnByValue": true], deadline)
        return (answer["result"] as? DevToolsConnection.Message)?["value"]
    }

    /// Waits for `load` and no open request (`full`) or the DOM; `settling`: then for 50 ms
    /// without a new request, for at most a second (a page that polls never goes quiet).
    private func waitUntilReady(full: Bool, settling: Bool = false, deadline: ContinuousClock.Instant) throws {
        state.lock()
        defer { state.unlock() }
        var settledAt: Int?
        let settleLimit = min(deadline, .now + .seconds(1))
        while true {
            if crashed { throw EngineError.limitExceeded("The page crashed while loading (out of memory?).") }
            if let documentFailure { throw EngineError.unreachable(documentFailure) }
            let ready = full ? loaded && inFlight.isEmpty : domReady
            if ready {
                if !settling || settledAt == requestCount || ContinuousClock.now >= settleLimit { return }
                settledAt = requestCount
                _ = state.wait(until: Date(timeIntervalSinceNow: 0.05))
                continue
            }
            settledAt = nil
            let left = deadline - .now
            if left <= .zero || !state.wait(until: Date(timeIntervalSinceNow: left.timeInterval)) {
                if crashed || documentFailure != nil || (full ? loaded && inFlight.isEmpty : domReady) { continue }
                let loading = inFlight.values.sorted().prefix(5).map { String($0.prefix(200)) }
                let what = loading.isEmpty ? "the page's own load event" : loading.joined(separator: ", ")
                throw EngineError.timedOut("The page did not finish loading in time; still waiting for: \(what).")
            }
        }
    }

    /// Prints the page to `file` with `Page.printToPDF` `parameters`, streamed (no size in memory).
    func printPDF(_ parameters: DevToolsConnection.Message, to file: URL, deadline: ContinuousClock.Instant) throws {
        var parameters = parameters
        parameters["transferMode"] = "ReturnAsStream"
        let printed = try command("Page.printToPDF", parameters, deadline)
        guard let stream = printed["stream"] as? String else { throw EngineError.failed("The browser returned no PDF.") }
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        while true {
            let chunk = try command("IO.read", ["handle": stream, "size": 1 << 20], deadline)
            if let text = chunk["data"] as? String, !text.isEmpty {
                let data = (chunk["base64Encoded"] as? Bool ?? false) ? Data(base64Encoded: text) ?? Data() : Data(text.utf8)
                try handle.write(contentsOf: data)
            }
            if chunk["eof"] as? Bool ?? true { break }
        }
        _ = try? command("IO.close", ["handle": stream], deadline)
    }

    /// Captures the page as PNG or JPEG (`format`: "png" or "jpeg") into `file`.
    func screenshot(format: String, quality: Int?, to file: URL, deadline: ContinuousClock.Instant) throws {
        var parameters: DevToolsConnection.Message = ["format": format]
        if let quality, format == "jpeg" { parameters["quality"] = quality }
        let shot = try command("Page.captureScreenshot", parameters, deadline)
        guard let text = shot["data"] as? String, let data = Data(base64Encoded: text) else {
            throw EngineError.failed("The browser returned no image.")
        }
        try data.writeUnsynced(to: file)
    }

    /// What the page was refused (private addresses, limits), for the log and error messages.
    var refusedRequests: [String] { state.withLock { refused } }

    @discardableResult
    private func command(
        _ method: String, _ params: DevToolsConnection.Message, _ deadline: ContinuousClock.Instant
    ) throws
        -> DevToolsConnection.Message
    {
        let left = deadline - .now
        guard left > .zero else { throw EngineError.timedOut("The page took longer than its time limit (during \(method)).") }
        do {
            return try connection.send(method, params, session: session, timeout: left)
        } catch .timedOut {
            throw EngineError.timedOut("The page took longer than its time limit (during \(method)).")
        } catch {
            if state.withLock({ crashed }) { throw EngineError.limitExceeded("The page crashed (out of memory?).") }
            throw EngineError.failed("The browser failed: \(error)")
        }
    }

    // MARK: events (reader thread: must not block)

    func handle(_ method: String, _ params: DevToolsConnection.Message) {
        switch method {
        case "Fetch.requestPaused":
            requestPaused(params)
        case "Page.domContentEventFired":
            state.withLock { domReady = true }
        case "Page.loadEventFired":
            state.withLock {
                domReady = true
                loaded = true
            }
        case "Inspector.targetCrashed":
            state.withLock { crashed = true }
        default:
            return
        }
        state.broadcast()
    }

    private func requestPaused(_ params: DevToolsConnection.Message) {
        guard let id = params["requestId"] as? String, let request = params["request"] as? DevToolsConnection.Message,
            let url = request["url"] as? String
        else { return }
        let isDocument = params["resourceType"] as? String == "Document" && params["frameId"] as? String == targetID
        if isDocument, url == Self.documentURL,
            let html = state.withLock({ () -> String? in
                defer { document = nil }
                return document
            })
        {
            fulfill(id, status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], body: Data(html.utf8))
            return
        }
        if let parsed = URL(string: url), parsed.host == Self.documentHost,
            let resource = state.withLock({ resources[String(parsed.path.dropFirst())] })
        {
            fulfill(id, status: 200, headers: [("Content-Type", resource.contentType)], body: resource.data)
            return
        }
        // Nothing else lives at the inline document's made-up address, and a PDF shows no icon:
        // refused at once, without a lookup, so they hold up nothing.
        if let parsed = URL(string: url), parsed.host == Self.documentHost || parsed.path == "/favicon.ico" {
            connection.post("Fetch.failRequest", ["requestId": id, "errorReason": "BlockedByClient"], session: session)
            return
        }
        let admitted = state.withLock { () -> Bool in
            requestCount += 1
            guard requestCount <= limits.requests else { return false }
            inFlight[id] = url
            return true
        }
        guard admitted else {
            refuse(id, url, "more than \(limits.requests) requests", isDocument: isDocument)
            return
        }
        let pageRequest = PageRequest(
            url: url, method: request["method"] as? String ?? "GET",
            headers: (request["headers"] as? [String: String]) ?? [:], body: (request["postData"] as? String).map { Data($0.utf8) })
        let budget = state.withLock { limits.totalBytes - bytes }
        Task {
            let outcome = await fetcher.fetch(pageRequest, maxBytes: max(budget, 0))
            switch outcome {
            case .response(let status, let headers, let body):
                let overBudget = state.withLock { () -> Bool in
                    bytes += body.count
                    return bytes > limits.totalBytes
                }
                if overBudget {
                    refuse(id, url, "the page's resources exceed \(limits.totalBytes / 1_048_576) MB", isDocument: isDocument)
                } else if isDocument && status >= 400 {
                    refuse(id, url, "it answered HTTP \(status)", isDocument: true)
                } else {
                    fulfill(id, status: status, headers: headers, body: body)
                }
            case .refused(let reason):
                refuse(id, url, reason, isDocument: isDocument)
            }
            state.withLock { _ = inFlight.removeValue(forKey: id) }
            state.broadcast()
        }
    }

    private func fulfill(_ id: String, status: Int, headers: [(String, String)], body: Data) {
        connection.post(
            "Fetch.fulfillRequest",
            [
                "requestId": id, "responseCode": status, "responseHeaders": headers.map { ["name": $0.0, "value": $0.1] },
                "body": body.base64EncodedString(),
            ], session: session)
    }

    private func refuse(_ id: String, _ url: String, _ reason: String, isDocument: Bool) {
        state.withLock {
            if refused.count < 100 { refused.append("\(url.prefix(200)): \(reason)") }
            if isDocument && documentFailure == nil { documentFailure = "The page \(url.prefix(200)) could not be loaded: \(reason)." }
        }
        connection.post("Fetch.failRequest", ["requestId": id, "errorReason": "AccessDenied"], session: session)
        state.broadcast()
    }
}

/// A file an inline page shows, served from memory.
struct PageResource: Sendable {
    var contentType: String
    var data: Data
}

/// A request a page made, as Chromium paused it.
struct PageRequest: Sendable {
    var url: String
    var method: String
    var headers: [String: String]
    var body: Data?
}

/// What Quire answers a paused request with.
enum PageResponse: Sendable {
    case response(status: Int, headers: [(String, String)], body: Data)
    /// Not fetched; the reason is for the log and the job's error.
    case refused(String)
}

/// Fetches what a page asks for (`BrowserHostMain` gives the address-checked one).
protocol PageResourceFetcher: Sendable {
    func fetch(_ request: PageRequest, maxBytes: Int) async -> PageResponse
}
