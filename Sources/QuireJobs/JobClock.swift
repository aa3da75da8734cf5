// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Where a queue reads the time its leases and expiries are measured in.
///
/// Every worker must judge a lease by the same clock, or a worker whose clock runs ahead takes
/// live leases: that clock is the database's (PostgreSQL's `now()`, SQLite's `strftime('now')`
/// read inside the transaction). SQLite is embedded, so its clock is the host's; it is still
/// read in SQL so that every backend follows one rule.
package struct JobClock: Sendable {
    /// The time to use instead of the backend's own clock; nil for the backend's clock.
    package let override: (@Sendable () -> Date)?

    /// The backend's own clock (the system clock for the in-memory queue, which has no database).
    package static let database = JobClock(override: nil)

    /// A clock the caller sets, so tests expire leases without sleeping.
    package static func manual(_ now: @escaping @Sendable () -> Date) -> JobClock {
        JobClock(override: now)
    }
}
