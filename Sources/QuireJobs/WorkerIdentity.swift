// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// Who holds a lease: an instance (one data directory, so one live process at a time) and
/// the run of that instance (one process start).
///
/// A restarted process may hand back the leases of earlier runs of its own instance at once,
/// because the data directory lock proves that run is dead; a lease of any other instance is
/// only ever reclaimed when it expires.
package struct WorkerIdentity: Sendable, Equatable {
    package let instance: String
    package let run: String

    package init(instance: String, run: String = RandomID.make(length: 12)) {
        self.instance = instance
        self.run = run
    }

    /// The `leaseOwner` written in the queue.
    package var leaseOwner: String { "\(instance)/\(run)" }

    /// The prefix every lease of this instance starts with, whatever its run.
    package var instancePrefix: String { "\(instance)/" }

    /// Whether `owner` is a lease of an earlier run of this instance.
    package func isEarlierRun(_ owner: String?) -> Bool {
        guard let owner else { return false }
        return owner.hasPrefix(instancePrefix) && owner != leaseOwner
    }
}
