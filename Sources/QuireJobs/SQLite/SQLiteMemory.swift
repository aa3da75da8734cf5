// SPDX-License-Identifier: AGPL-3.0-or-later
import GRDBSQLite

/// Bytes SQLite's allocator holds in this process: page caches (up to 2 MB for each of the
/// pool's connections) and prepared statements. `/metrics` shows it, so a soak can tell a
/// filling cache from a leak.
package enum SQLiteMemory {
    package static var bytesInUse: Int64 { sqlite3_memory_used() }
}
