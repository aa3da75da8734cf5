// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// What /proc/PID/status says of a process: its parent and resident memory.
package struct ProcessStatus {
    package var parent: pid_t
    /// Resident memory in KiB (0 for a zombie, which has none).
    package var residentKB: Int

    /// The status of `pid`, nil when it is gone or unreadable.
    package init?(of pid: pid_t) {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        var parent: pid_t?
        var resident = 0
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2 else { continue }
            if fields[0] == "PPid:" {
                parent = pid_t(fields[1])
            } else if fields[0] == "VmRSS:" {
                resident = Int(fields[1]) ?? 0
            }
        }
        guard let parent else { return nil }
        self.parent = parent
        self.residentKB = resident
    }

    /// Resident memory of `root` and all its descendants, in MiB.
    package static func treeResidentMB(under root: pid_t) -> Int {
        var statuses: [pid_t: ProcessStatus] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            if let pid = pid_t(entry), let status = ProcessStatus(of: pid) { statuses[pid] = status }
        }
        func descends(_ pid: pid_t) -> Bool {
            var current = pid
            for _ in 0..<64 {
                if current == root { return true }
                guard let parent = statuses[current]?.parent, parent > 1 else { return false }
                current = parent
            }
            return false
        }
        return statuses.filter { descends($0.key) }.values.reduce(0) { $0 + $1.residentKB } / 1024
    }
}
