// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

/// What a browser host holds: one warm Chromium (restarted when it dies, hangs or grows past
/// its memory bound), the checked fetcher its pages load through, and MuPDF to count pages.
package final class BrowserEngines: @unchecked Sendable {
    /// Bounds read from the environment `EngineHostProcess.Settings.browser` sets.
    struct Settings {
        var folder: URL
        var fetcher: CheckedPageFetcher
        var limits: BrowserPage.Limits
        /// How long a page may take to load and print.
        var pageTimeout: Duration
        /// Chromium and its processes are restarted after a job that leaves them above this.
        var maxResidentMB: Int

        static func fromEnvironment() -> Settings {
            let environment = ProcessInfo.processInfo.environment
            func number(_ name: String, _ fallback: Int) -> Int { environment[name].flatMap(Int.init) ?? fallback }
            let checker = RemoteFetcher(
                policy: AddressPolicy(allowsPrivate: environment["QUIRE_BROWSER_ALLOW_PRIVATE"] == "1"),
                maxBytes: number("QUIRE_BROWSER_MAX_BYTES", 100 << 20))
            return Settings(
                folder: URL(fileURLWithPath: environment["QUIRE_BROWSER_PROFILE"] ?? NSTemporaryDirectory()),
                fetcher: CheckedPageFetcher(checker: checker),
                limits: BrowserPage.Limits(totalBytes: number("QUIRE_BROWSER_MAX_BYTES", 100 << 20), requests: 2000),
                pageTimeout: .seconds(number("QUIRE_BROWSER_PAGE_SECONDS", 30)),
                maxResidentMB: number("QUIRE_BROWSER_MEMORY_MB", 1536))
        }
    }

    let settings: Settings
    let context: MuPDFContext
    private var browser: Chromium?
    /// A page opened ahead of the next job (a context and a renderer cost ~130 ms to make).
    private var nextPage: BrowserPage?
    /// The last job's page, closed after its answer has gone (`betweenJobs`).
    private var usedPage: (page: BrowserPage, browser: Chromium)?

    init(settings: Settings, context: MuPDFContext) {
        self.settings = settings
        self.context = context
    }

    /// Starts Chromium now, so the first job does not wait for it.
    func warmUp() throws {
        _ = try running()
        prepareNextPage()
    }

    /// Work done after an answer has gone, so no job waits for it: the last page is closed (its
    /// renderer with it), the browser restarted if that left it hung or too big, and the next
    /// job's page opened.
    func betweenJobs() {
        if let (page, browser) = usedPage {
            usedPage = nil
            // Disposing of the context closes the page's renderer, even one stuck in a script.
            if !browser.close(page) || browser.residentMB > settings.maxResidentMB { restart() }
        }
        prepareNextPage()
    }

    private func prepareNextPage() {
        guard nextPage == nil, let browser = try? running() else { return }
        nextPage = try? browser.openPage(fetcher: settings.fetcher, limits: settings.limits)
    }

    private func running() throws -> Chromium {
        if let browser, browser.isAlive { return browser }
        restart()
        do {
            let started = try Chromium(folder: settings.folder)
            browser = started
            return started
        } catch {
            throw EngineError.failed("The browser could not be started: \(error)")
        }
    }

    /// Runs `body` on a fresh page (its own browser context) with the page's deadline. The page
    /// is closed by `betweenJobs`, after the answer has gone.
    func withPage<T>(_ body: (BrowserPage, ContinuousClock.Instant) throws -> T) throws -> T {
        let browser = try running()
        let deadline = ContinuousClock.now + settings.pageTimeout
        let page: BrowserPage
        do {
            if let prepared = nextPage {
                nextPage = nil
                page = prepared
            } else {
                page = try browser.openPage(fetcher: settings.fetcher, limits: settings.limits)
            }
        } catch {
            restart()
            throw EngineError.failed("The browser did not open a page: \(error)")
        }
        usedPage = (page, browser)
        return try body(page, deadline)
    }

    private func restart() {
        nextPage = nil
        browser?.kill()
        browser = nil
    }

    /// The number of pages of a PDF the browser printed.
    func pageCount(of file: URL) throws -> Int {
        try MuPDFDocument(contentsOf: file, password: nil, context: context).pageCount
    }
}
