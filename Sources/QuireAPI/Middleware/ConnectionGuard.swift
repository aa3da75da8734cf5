// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import HummingbirdCore
import NIOCore
import NIOHTTPTypes
import QuireCore

/// Per-connection limits that no route can enforce, because they apply before a request
/// exists: at most `maxConnections` open at once (more are closed at once), and a client
/// that has not finished its first request's headers within `headerTimeout` of connecting is
/// disconnected. Later requests on a kept-alive connection fall to Hummingbird's idle
/// timeout, which only whole request parts reset (a drip of header bytes does not); together
/// they stop a few sockets from holding the server. (Re-arming the header deadline after each
/// response would also close idle keep-alive connections just as clients reuse them.)
package struct ConnectionGuard: Sendable {
    package let maxConnections: Int
    package let headerTimeout: TimeAmount
    private let open = ConnectionCounter()

    package init(maxConnections: Int, headerTimeout: Duration) {
        self.maxConnections = maxConnections
        self.headerTimeout = .nanoseconds(Int64(headerTimeout.timeInterval * 1e9))
    }

    /// Open connections now (for tests and logs).
    package var openConnections: Int { open.value }

    /// The channel handler for one new connection (Hummingbird's `additionalChannelHandlers`).
    package func makeHandler() -> any RemovableChannelHandler {
        ConnectionGuardHandler(limit: maxConnections, headerTimeout: headerTimeout, counter: open)
    }
}

final class ConnectionCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }

    /// Counts one more connection; false (and not counted) when `limit` are already open.
    func enter(limit: Int) -> Bool {
        lock.withLock {
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func leave() { lock.withLock { count -= 1 } }
}

/// Sits after the HTTP codec, so it sees whole request heads.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limit: Int
    private let headerTimeout: TimeAmount
    private let counter: ConnectionCounter
    private var isCounted = false
    private var headDeadline: Scheduled<Void>?
    /// For each request whose answer has not ended yet, oldest first: whether its end arrived.
    /// A queue, not one flag: a keep-alive client sends its next request as soon as it has read
    /// an answer's bytes, so that request's head can arrive before the answer's `.end` passes
    /// here, and a single flag then read the new request as the answered one's unfinished body
    /// and closed the connection under the client (RemoteDisconnected for 4 of 8 clients in 20 s).
    private var requestsEnded: [Bool] = []

    init(limit: Int, headerTimeout: TimeAmount, counter: ConnectionCounter) {
        self.limit = limit
        self.headerTimeout = headerTimeout
        self.counter = counter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard counter.enter(limit: limit) else {
            context.close(promise: nil)
            return
        }
        isCounted = true
        armHeadDeadline(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        headDeadline?.cancel()
        headDeadline = nil
        if isCounted {
            isCounted = false
            counter.leave()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        headDeadline?.cancel()
        if isCounted {
            isCounted = false
            counter.leave()
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            headDeadline?.cancel()
            headDeadline = nil
            requestsEnded.append(false)
        case .end:
            // Parts arrive in order: an end belongs to the latest head.
            if !requestsEnded.isEmpty { requestsEnded[requestsEnded.count - 1] = true }
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data), !requestsEnded.isEmpty else { return context.write(data, promise: promise) }
        // Answers go out in request order: this one answers the oldest open request.
        guard !requestsEnded.removeFirst() else { return context.write(data, promise: promise) }
        // The answer (408, 413, 429, 409…) ends before its request's body did. Hummingbird would
        // read and discard the rest for as long as the client sends it, a byte at a time if it
        // likes: close the connection once the answer is out instead.
        let channel = context.channel
        context.writeAndFlush(data).whenComplete { result in
            promise?.completeWith(result)
            channel.close(promise: nil)
        }
    }

    private func armHeadDeadline(_ context: ChannelHandlerContext) {
        headDeadline?.cancel()
        let channel = context.channel
        headDeadline = context.eventLoop.scheduleTask(in: headerTimeout) { channel.close(promise: nil) }
    }
}
