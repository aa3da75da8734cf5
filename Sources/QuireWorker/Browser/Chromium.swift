// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

/// A warm headless Chromium, started once per browser host and driven over its DevTools pipe.
///
/// Nothing it loads reaches the network by itself: every request of a page is paused by the
/// DevTools `Fetch` domain and answered by Quire (`BrowserPage`), which fetches it through the
/// same address checks as input URLs. Whatever escapes interception (a WebSocket, a worker's
/// request) meets a proxy that does not exist and fails. Site isolation is off so that frames of
/// other sites stay in the page's process, where its interception sees them.
final class Chromium: @unchecked Sendable {
    let connection: DevToolsConnection
    private let process: ChildProcess
    private let router = SessionRouter()

    /// Where Debian installs it; `QUIRE_CHROMIUM` names another binary.
    static var executable: String? {
        if let named = ProcessInfo.processInfo.environment["QUIRE_CHROMIUM"], !named.isEmpty { return named }
        return ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/google-chrome"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Starts Chromium with its profile (and everything it writes) in `folder`.
    init(folder: URL) throws {
        guard let executable = Self.executable else {
            throw EngineHostError.spawnFailed("Chromium is not installed (apt install chromium, or set QUIRE_CHROMIUM)")
        }
        let profile = folder.appendingPathComponent("chromium-profile")
        try? FileManager.default.removeItem(at: profile)
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment.filter {
            ["PATH", "LANG", "LC_ALL", "TZ", "FONTCONFIG_PATH"].contains($0.key)
        }
        environment["HOME"] = profile.path
        // Chromium puts a socket in TMPDIR: a path under a deep data folder is past the 108 bytes
        // a socket's path may have, and Chromium dies.
        environment["TMPDIR"] = "/tmp"
        let (launcher, launcherArguments) =
            Self.networkNamespace.map { ("/usr/bin/unshare", $0 + ["--", executable]) } ?? (executable, [])
        process = try ChildProcess(
            executable: launcher, arguments: launcherArguments + Self.arguments(profile: profile), environment: environment,
            errorOutput: folder.appendingPathComponent("chromium.log").path, devToolsPipe: true)
        let pipe = process.devTools!
        connection = DevToolsConnection(input: pipe.input, output: pipe.output)
        let router = self.router
        connection.onEvent { method, session, params in router.route(method, session, params) }
        // The first answer proves the browser is up.
        do {
            try connection.send("Browser.getVersion", timeout: .seconds(30))
        } catch {
            process.kill()
            process.wait()
            throw EngineHostError.spawnFailed("\(error); its log ends: \(Self.logTail(folder.appendingPathComponent("chromium.log")))")
        }
    }

    /// `unshare` options that start Chromium in a network namespace of its own, with no interface
    /// up: nothing but the DevTools pipe leads out of it, whatever a page makes it do. A user
    /// namespace where the kernel allows one (any user), else a plain one (root); nil where
    /// neither can be made (Chromium then starts as it is, its requests still all answered by Quire).
    static let networkNamespace: [String]? = {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return nil }
        return [["--user", "--map-root-user", "--net"], ["--net"]].first { options in
            guard
                let probe = try? ChildProcess(
                    executable: "/usr/bin/unshare", arguments: options + ["--", "/bin/true"], environment: [:])
            else { return false }
            probe.closeInput()
            return probe.wait() == "exited with status 0"
        }
    }()

    /// What keeps Chromium off the network, for the host's ready frame and the log.
    static var isolation: EngineSandbox {
        guard let options = networkNamespace else {
            return .failed(
                "Chromium has no network namespace of its own (unshare failed); its requests still go only through Quire's address checks")
        }
        return .applied(
            "Chromium in its own network namespace (unshare \(options.joined(separator: " "))); its requests go only through Quire's address checks"
        )
    }

    /// The last lines of Chromium's log that are not about D-Bus (which a server has none of).
    private static func logTail(_ file: URL) -> String {
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.contains("dbus") }.suffix(5).joined(separator: " | ")
    }

    static func arguments(profile: URL) -> [String] {
        [
            "--headless", "--remote-debugging-pipe", "--user-data-dir=\(profile.path)",
            // Root cannot use Chromium's own sandbox; the browser host is Quire's boundary.
            "--no-sandbox",
            "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-sync", "--disable-component-update",
            "--disable-default-apps", "--disable-breakpad", "--disable-domain-reliability", "--mute-audio",
            "--hide-scrollbars", "--font-render-hinting=none", "--disable-site-isolation-trials",
            "--disable-features=IsolateOrigins,site-per-process,Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
            // A proxy nothing listens on: only what Quire answers reaches a page.
            "--proxy-server=socks5://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            // A page that allocates without end hits this heap limit and its tab crashes, not the host.
            "--js-flags=--max-old-space-size=512",
            "about:blank",
        ]
    }

    /// Whether the browser is still running and answering.
    var isAlive: Bool { !connection.isClosed }

    /// Resident memory of the browser and all its processes, in MiB.
    var residentMB: Int { ProcessStatus.treeResidentMB(under: process.pid) }

    /// Opens a page in a fresh browser context (no cookies, storage or cache of another job).
    func openPage(fetcher: any PageResourceFetcher, limits: BrowserPage.Limits) throws -> BrowserPage {
        let timeout = Duration.seconds(10)
        let context = try connection.send("Target.createBrowserContext", ["disposeOnDetach": true], timeout: timeout)
        guard let contextID = context["browserContextId"] as? String else {
            throw DevToolsError.failed("Target.createBrowserContext", "no context")
        }
        let target = try connection.send("Target.createTarget", ["url": "about:blank", "browserContextId": contextID], timeout: timeout)
        guard let targetID = target["targetId"] as? String else { throw DevToolsError.failed("Target.createTarget", "no target") }
        let attached = try connection.send("Target.attachToTarget", ["targetId": targetID, "flatten": true], timeout: timeout)
        guard let session = attached["sessionId"] as? String else { throw DevToolsError.failed("Target.attachToTarget", "no session") }
        let page = BrowserPage(
            connection: connection, session: session, targetID: targetID, contextID: contextID, fetcher: fetcher, limits: limits)
        router.register(page, for: session)
        try page.prepare()
        return page
    }

    /// Closes `page` and drops its browser context; false when the browser did not answer.
    func close(_ page: BrowserPage) -> Bool {
        router.unregister(page.session)
        return (try? connection.send("Target.disposeBrowserContext", ["browserContextId": page.contextID], timeout: .seconds(10))) != nil
    }

    /// Kills the browser and all its processes.
    func kill() {
        process.kill()
        process.wait()
    }
}

/// Events to the page whose session they name.
private final class SessionRouter: @unchecked Sendable {
    private let lock = NSLock()
    private var pages: [String: BrowserPage] = [:]

    func register(_ page: BrowserPage, for session: String) { lock.withLock { pages[session] = page } }
    func unregister(_ session: String) { lock.withLock { _ = pages.removeValue(forKey: session) } }

    func route(_ method: String, _ session: String?, _ params: DevToolsConnection.Message) {
        guard let session, let page = lock.withLock({ pages[session] }) else { return }
        page.handle(method, params)
    }
}
