// SPDX-License-Identifier: AGPL-3.0-or-later
import Dispatch
import Foundation
import QuireCore

#if canImport(Glibc)
    import Glibc
#endif

/// Chromium's DevTools protocol over `--remote-debugging-pipe`: JSON messages ended by a NUL
/// byte, commands written to the browser's descriptor 3, answers and events read from its 4.
///
/// `send` blocks its thread until the answer comes (the browser host runs one job at a time on
/// its own threads, never on Swift's cooperative pool). Events go to `onEvent`, called on the
/// reader thread: it must not block (an answer it waited for could never be read).
final class DevToolsConnection: @unchecked Sendable {
    typealias Message = [String: Any]

    private let input: Int32
    private let output: Int32
    private let lock = NSLock()
    private var nextID = 1
    private var waiting: [Int: Waiter] = [:]
    private var closedReason: String?
    private var eventHandler: (@Sendable (_ method: String, _ session: String?, _ params: Message) -> Void)?

    private final class Waiter: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        var result: Result<Message, DevToolsError>?
    }

    /// Starts reading `output`; writes commands to `input` (the child's 3 and 4, `ChildProcess.devTools`).
    init(input: Int32, output: Int32) {
        self.input = input
        self.output = output
        let thread = Thread { [self] in readLoop() }
        thread.name = "devtools-reader"
        thread.start()
    }

    /// Called for every event, on the reader thread.
    func onEvent(_ handler: @escaping @Sendable (_ method: String, _ session: String?, _ params: Message) -> Void) {
        lock.withLock { eventHandler = handler }
    }

    /// Whether the pipe has closed (the browser died or was killed).
    var isClosed: Bool { lock.withLock { closedReason != nil } }

    /// Sends `method` and waits for its answer's `result`, at most `timeout`.
    /// - Throws: `DevToolsError.failed` with the browser's message, `.timedOut`, `.closed`.
    @discardableResult
    func send(_ method: String, _ params: Message = [:], session: String? = nil, timeout: Duration) throws(DevToolsError) -> Message {
        let waiter = Waiter()
        let id = try post(method, params, session: session, waiter: waiter)
        if waiter.done.wait(timeout: .now() + timeout.timeInterval) == .timedOut {
            lock.withLock { _ = waiting.removeValue(forKey: id) }
            throw DevToolsError.timedOut(method)
        }
        return try waiter.result!.get()
    }

    /// Sends `method` without waiting for its answer (from event handlers).
    func post(_ method: String, _ params: Message = [:], session: String? = nil) {
        _ = try? post(method, params, session: session, waiter: nil)
    }

    private func post(_ method: String, _ params: Message, session: String?, waiter: Waiter?) throws(DevToolsError) -> Int {
        lock.lock()
        if let closedReason {
            lock.unlock()
            throw DevToolsError.closed(closedReason)
        }
        let id = nextID
        nextID += 1
        if let waiter { waiting[id] = waiter }
        lock.unlock()
        var message: Message = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        guard var data = try? JSONSerialization.data(withJSONObject: message) else {
            lock.withLock { _ = waiting.removeValue(forKey: id) }
            throw DevToolsError.failed(method, "cannot encode its parameters")
        }
        data.append(0)
        // One whole message per write call sequence: writers take turns.
        let written = lock.withLock { (try? data.withUnsafeBytes { try EngineFrame.writeAll($0, to: input) }) != nil }
        guard written else {
            lock.withLock { _ = waiting.removeValue(forKey: id) }
            throw DevToolsError.closed("the browser's pipe is closed")
        }
        return id
    }

    private func readLoop() {
        var pending = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(output, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending.append(contentsOf: chunk[0..<count])
            while let end = pending.firstIndex(of: 0) {
                let message = pending[pending.startIndex..<end]
                pending = Data(pending[(end + 1)...])
                dispatch(message)
            }
        }
        let waiters = lock.withLock {
            closedReason = "the browser closed its DevTools pipe"
            defer { waiting.removeAll() }
            return Array(waiting.values)
        }
        for waiter in waiters {
            waiter.result = .failure(.closed("the browser closed its DevTools pipe"))
            waiter.done.signal()
        }
    }

    private func dispatch(_ data: Data) {
        guard let message = (try? JSONSerialization.jsonObject(with: data)) as? Message else { return }
        if let id = message["id"] as? Int {
            guard let waiter = lock.withLock({ waiting.removeValue(forKey: id) }) else { return }
            if let error = message["error"] as? Message {
                waiter.result = .failure(.failed("command \(id)", error["message"] as? String ?? "unknown error"))
            } else {
                waiter.result = .success(message["result"] as? Message ?? [:])
            }
            waiter.done.signal()
        } else if let method = message["method"] as? String {
            let handler = lock.withLock { eventHandler }
            handler?(method, message["sessionId"] as? String, message["params"] as? Message ?? [:])
        }
    }
}

/// How a DevTools command failed.
enum DevToolsError: Error, CustomStringConvertible {
    /// The browser answered with an error.
    case failed(String, String)
    case timedOut(String)
    case closed(String)

    var description: String {
        switch self {
        case .failed(let method, let message): "\(method) failed: \(message)"
        case .timedOut(let method): "\(method) got no answer in time"
        case .closed(let reason): reason
        }
    }
}
