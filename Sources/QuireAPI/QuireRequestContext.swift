// SPDX-License-Identifier: AGPL-3.0-or-later
import Hummingbird

/// Per-request state: who is calling (set by `APIKeyMiddleware`) and from where.
package struct QuireRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// ID of the API key that authenticated the request, or `anonymous` for keyless callers.
    package var owner: String = APIKeyStore.anonymousOwner
    /// The connected peer's IP address (a proxy's, behind one), nil when unknown (tests).
    package var peerAddress: String?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }
}
