// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

extension EngineHostProcess {
    /// How to start and bound the hosts of one pool.
    package struct Settings: Sendable {
        /// The `quire` binary to start (the running one, normally).
        package var executable: URL
        /// Address-space limit of the child in MiB (0 = none).
        package var memoryLimitMB: Int
        /// Restart the child after this many jobs, to bound leaks in native libraries.
        package var maxJobsPerProcess: Int
        /// Resident memory in MiB the child may not exceed while it works: it is killed (its job
        /// fails) when it does, and restarted after a job that left it above (0 = no bound).
        package var maxResidentMB: Int = 0
        /// The `quire` subcommand the child runs.
        package var arguments = ["engine-host"]
        /// Extra environment of the child.
        package var environment: [String: String] = [:]
        /// Where each host gets its work folder (`<subcommand>-<index>`): the one folder its
        /// sandbox lets it write. Never under the janitor's scratch folder.
        package var workFolders: URL
        /// Whether the host refuses jobs when its sandbox could not be applied (office hosts);
        /// MuPDF hosts run on, with a warning in the log.
        package var requiresSandbox = false
        /// How long a child may take to send its ready frame (LibreOffice takes seconds to load).
        package var startTimeout: Duration = .seconds(120)

        package init(executable: URL, memoryLimitMB: Int, maxJobsPerProcess: Int, workFolders: URL) {
            self.executable = executable
            self.memoryLimitMB = memoryLimitMB
            self.maxJobsPerProcess = maxJobsPerProcess
            self.workFolders = workFolders
        }

        /// An office host (`quire office-host`) with its own LibreOffice profile under `profiles`.
        package static func office(
            executable: URL, index: Int, profiles: URL, workFolders: URL, maxJobsPerProcess: Int, maxResidentMB: Int
        ) -> Settings {
            var settings = Settings(
                executable: executable, memoryLimitMB: 0, maxJobsPerProcess: maxJobsPerProcess, workFolders: workFolders)
            let profile = profiles.appendingPathComponent("office-\(index)")
            settings.arguments = ["office-host"]
            settings.maxResidentMB = maxResidentMB
            settings.requiresSandbox = true
            settings.environment = [
                "QUIRE_OFFICE_PROFILE": profile.path,
                // LibreOffice's temporary files and fontconfig's cache stay inside what its sandbox may write.
                "TMPDIR": profile.appendingPathComponent("tmp").path, "HOME": profile.path,
            ]
            try? FileManager.default.createDirectory(at: profile.appendingPathComponent("tmp"), withIntermediateDirectories: true)
            return settings
        }

        /// An OCR host (`quire ocr-host`): MuPDF and Tesseract, one OpenMP thread (pages run in
        /// parallel across hosts instead; OpenMP's threads on top made OCR 6× slower on 2 cores).
        package static func ocr(executable: URL, memoryLimitMB: Int, maxJobsPerProcess: Int, workFolders: URL) -> Settings {
            var settings = Settings(
                executable: executable, memoryLimitMB: memoryLimitMB, maxJobsPerProcess: maxJobsPerProcess, workFolders: workFolders)
            settings.arguments = ["ocr-host"]
            settings.environment = ["OMP_THREAD_LIMIT": "1"]
            return settings
        }
    }
}

extension EngineHostProcess.Settings {
    /// A browser host (`quire browser-host`): Chromium with its profile under `profiles`, its
    /// pages' requests checked like input URLs (private addresses only with `allowsPrivate`).
    package static func browser(
        executable: URL, index: Int, profiles: URL, workFolders: URL, allowsPrivate: Bool, pageSeconds: Int, maxBytes: Int,
        maxJobsPerProcess: Int
    ) -> EngineHostProcess.Settings {
        var settings = EngineHostProcess.Settings(
            executable: executable, memoryLimitMB: 0, maxJobsPerProcess: maxJobsPerProcess, workFolders: workFolders)
        settings.arguments = ["browser-host"]
        settings.startTimeout = .seconds(60)
        settings.environment = [
            "QUIRE_BROWSER_PROFILE": profiles.appendingPathComponent("browser-\(index)").path,
            "QUIRE_BROWSER_ALLOW_PRIVATE": allowsPrivate ? "1" : "0",
            "QUIRE_BROWSER_PAGE_SECONDS": String(pageSeconds),
            "QUIRE_BROWSER_MAX_BYTES": String(maxBytes),
        ]
        return settings
    }
}

extension EngineHostProcess {
    /// What a host inherits of the server's environment: search paths, locale, time zone and
    /// the hosts' own switches. Nothing else: `QUIRE_URL_SECRET`, `QUIRE_API_KEYS`, cloud
    /// credentials and anything named like a secret stay in the server.
    package static func inheritedEnvironment(_ environment: [String: String]) -> [String: String] {
        environment.filter { name, _ in
            let upper = name.uppercased()
            let isAllowed =
                ["PATH", "LANG", "LANGUAGE", "TZ", "LD_LIBRARY_PATH", "TESSDATA_PREFIX"].contains(name) || name.hasPrefix("LC_")
                || name.hasPrefix("QUIRE_ENGINE_") || name.hasPrefix("QUIRE_OFFICE_") || name.hasPrefix("QUIRE_OCR_")
                || name == "QUIRE_CHROMIUM"
            let looksSecret = ["SECRET", "KEY", "TOKEN", "PASSW", "CREDENTIAL", "AUTH"].contains { upper.contains($0) }
            return isAllowed && !looksSecret
        }
    }
}
