// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Why an engine could not do its work. Messages are safe to show to clients: no paths,
/// no engine stderr (those are logged by the engine host instead).
package enum EngineError: Error, Sendable, Codable, Equatable {
    /// The document is encrypted and no password was given.
    case passwordRequired
    /// The password given does not open the document.
    case wrongPassword
    /// The input is not a readable document of the expected type (corrupt, empty, wrong format).
    case damaged(String)
    /// The `pages` value does not fit the document.
    case pageRange(String)
    /// A parameter does not fit the document (a worksheet it does not have); the detail names it.
    case badParameter(String)
    /// A limit (pages, pixels, memory) was exceeded.
    case limitExceeded(String)
    /// The operation is not supported for this input.
    case unsupported(String)
    /// A web page (or what it needs) could not be loaded; the detail says what and why.
    case unreachable(String)
    /// A page or step took longer than its limit; the detail says what was still going on.
    case timedOut(String)
    /// An HTML template that does not merge (PDF.co's 447); the detail is the template engine's message.
    case invalidTemplate(String)
    /// Anything else. Not retried: an engine that answered gives the same answer to the same input.
    case failed(String)
}
