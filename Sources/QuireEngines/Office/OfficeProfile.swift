// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// The LibreOffice user profile of one office host: settings that make documents inert.
enum OfficeProfile {
    /// Writes `user/registrymodifications.xcu` (LibreOffice merges it over its defaults) unless
    /// the profile already has one from an earlier start.
    static func prepare(_ profile: URL) throws {
        let user = profile.appendingPathComponent("user")
        let settings = user.appendingPathComponent("registrymodifications.xcu")
        try FileManager.default.createDirectory(at: user, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: settings.path) { return }
        try Data(registry.utf8).write(to: settings)
    }

    private static func item(_ path: String, _ name: String, _ value: String) -> String {
        "<item oor:path=\"\(path)\"><prop oor:name=\"\(name)\" oor:op=\"fuse\"><value>\(value)</value></prop></item>"
    }

    /// Link update modes: Writer 0 = never, Calc 1 = never (their enums differ).
    /// Macros never run (security level "very high" and execution disabled); links to other
    /// files and to the web are never updated on load. The office host's sandbox enforces the
    /// latter too: no network, no files outside its allowlist.
    private static let registry = """
        <?xml version="1.0" encoding="UTF-8"?>
        <oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
        \(item("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"))
        \(item("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"))
        \(item("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"))
        \(item("/org.openoffice.Office.Writer/Content/Update", "Link", "0"))
        \(item("/org.openoffice.Office.Calc/Content/Update", "Link", "1"))
        \(item("/org.openoffice.Office.Common/Misc", "FirstRun", "false"))
        \(item("/org.openoffice.Office.Common/Misc", "UseDocumentSystemFileLocking", "false"))
        \(item("/org.openoffice.Office.Common/Misc", "UseLocking", "false"))
        </oor:items>

        """
}
