// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireEngines

/// PDF.co's HTML templates: `html` is a Handlebars (and so Mustache) template, `templateData`
/// its JSON. PDF.co's own templates register their helpers in `<script>` tags of the template
/// itself (`Handlebars.registerHelper('numberFormat', …)`), so the merge runs where those
/// scripts can: in the page, with Debian's handlebars.js. The template's scripts run once first
/// (to register helpers), then the merged HTML is written into the page, whose scripts run again
/// as any page's do.
enum HTMLTemplate {
    /// handlebars.js, read once per host (75 KB); nil when it is not installed.
    private static let library: String? = libraryPath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }

    /// Where Debian's libjs-handlebars puts the library; `QUIRE_HANDLEBARS_JS` names another.
    private static var libraryPath: String? {
        if let named = ProcessInfo.processInfo.environment["QUIRE_HANDLEBARS_JS"], !named.isEmpty { return named }
        return ["/usr/share/javascript/handlebars/handlebars.min.js", "/usr/share/javascript/handlebars/handlebars.js"].first {
            FileManager.default.isReadableFile(atPath: $0)
        }
    }

    /// The page that merges `template` with `data` (JSON text) as it loads.
    /// - Throws: `EngineError.unsupported` when handlebars.js is not installed.
    static func page(template: String, data: String) throws -> String {
        guard let library else {
            throw EngineError.unsupported("HTML templates need handlebars.js on the server (apt install libjs-handlebars).")
        }
        // JSON string literals carry the template and the data into the script unchanged; `</`
        // is escaped so that neither can end the script element early.
        let templateLiteral = jsonLiteral(template)
        let dataLiteral = jsonLiteral(data)
        return """
            <!DOCTYPE html><html><head><meta charset="utf-8"><script>\(library.replacingOccurrences(of: "</script", with: "<\\/script"))</script></head><body><script>
            (function () {
              var source = \(templateLiteral);
              var scripts = source.match(/<script\\b[^>]*>([\\s\\S]*?)<\\/script>/gi) || [];
              scripts.forEach(function (tag) {
                try { (0, eval)(tag.replace(/^<script\\b[^>]*>/i, "").replace(/<\\/script>$/i, "")); } catch (e) {}
              });
              var html;
              try {
                html = Handlebars.compile(source)(JSON.parse(\(dataLiteral)));
              } catch (e) {
                window.quireTemplateError = String(e.message || e);
                html = "";
              }
              document.write(html);
            })();
            </script></body></html>
            """
    }

    /// The merge's error, read after the page loaded: nil when it merged.
    static let errorExpression = "window.quireTemplateError || ''"

    private static func jsonLiteral(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])) ?? Data("[\"\"]".utf8)
        let array = String(decoding: data, as: UTF8.self)
        // [ "…" ] → "…", with every `</` made `<\/` (the same string to JavaScript).
        return String(array.dropFirst().dropLast()).replacingOccurrences(of: "</", with: "<\\/")
    }
}
