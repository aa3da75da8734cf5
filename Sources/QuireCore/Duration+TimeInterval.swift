// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

extension Duration {
    /// The duration in (fractional) seconds, for `Date` arithmetic and APIs that take seconds.
    package var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
