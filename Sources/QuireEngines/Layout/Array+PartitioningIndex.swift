// SPDX-License-Identifier: AGPL-3.0-or-later

extension Array {
    /// The first index whose element satisfies `belongsAfter`, which must be false for a prefix
    /// and true for the rest (a binary search).
    func partitioningIndex(where belongsAfter: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if belongsAfter(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
