// SPDX-License-Identifier: AGPL-3.0-or-later
import Hummingbird

/// Per-request state: who is calling (set by `APIKeyMiddleware`).
package struct QuireRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// ID of the API key that authenticated the request, or `anonymous` on a keyless server.
    package var owner: String = APIKeyStore.anonymousOwner

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
