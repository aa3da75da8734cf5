// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// A flag set once and read from any thread (worker readiness for `/healthz`, an engine timeout).
package final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    package init() {}

    package func set() { lock.withLock { value = true } }
    package var isSet: Bool { lock.withLock { value } }
}
