// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import Hummingbird

/// `--rate-limit`: each key (the anonymous owner counts as one) may send this many requests a
/// second, in bursts of up to a second's worth; more get 429 with `Retry-After`. Counted on this
/// API node (behind several nodes a key may send that many to each). Capability URLs and
/// `/healthz` are not counted, as they need no key.
package struct RateLimitMiddleware: RouterMiddleware {
    package typealias Context = QuireRequestContext
    let limiter: RequestRateLimiter

    package init(limiter: RequestRateLimiter) { self.limiter = limiter }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if APIKeyMiddleware.isPublic(request.uri.path) { return try await next(request, context) }
        if let wait = limiter.admit(context.owner) {
            throw APIError(
                429, "Too many requests for this API key (--rate-limit \(limiter.perSecond) a second); try again in \(wait) s.",
                retryAfter: wait)
        }
        return try await next(request, context)
    }
}

/// A token bucket per owner: `perSecond` tokens a second, at most `perSecond` kept.
package final class RequestRateLimiter: @unchecked Sendable {
    let perSecond: Int
    private let lock = NSLock()
    private var buckets: [String: (tokens: Double, at: ContinuousClock.Instant)] = [:]

    package init(perSecond: Int) { self.perSecond = perSecond }

    /// Takes a token for `owner`: nil when there was one, else the whole seconds until there is.
    func admit(_ owner: String, now: ContinuousClock.Instant = .now) -> Int? {
        guard perSecond > 0 else { return nil }
        let rate = Double(perSecond)
        return lock.withLock {
            var bucket = buckets[owner] ?? (rate, now)
            let elapsed = now - bucket.at
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(rate, bucket.tokens + seconds * rate)
            bucket.at = now
            defer { buckets[owner] = bucket }
            guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))) }
            bucket.tokens -= 1
            return nil
        }
    }
}
