// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Set once when the worker can take jobs; read by `/healthz` from any thread.
package final class ReadinessFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    package init() {}

    package func set() { lock.withLock { value = true } }
    package var isSet: Bool { lock.withLock { value } }
}
