// SPDX-License-Identifier: AGPL-3.0-or-later
import CQPDF
import Foundation

/// One widget of an AcroForm field, in PDF.co's `/pdf/info/fields` terms.
package struct FormField: Sendable, Equatable {
    /// Zero-based page of the widget, -1 when no page shows it.
    package var pageIndex: Int
    /// EditBox, CheckBox, RadioButton, PushButton, ComboBox, ListBox or Signature.
    package var type: String
    /// The fully qualified name (`parent.child`).
    package var name: String
    package var value: String
    /// The widget's rectangle in points from the page's top-left corner.
    package var left, top, width, height: Double
}

/// Reads the AcroForm field tree with qpdf: each terminal field's widgets, with inherited
/// type, flags and value resolved as ISO 32000 §12.7.3.1 says.
package struct FormFieldReader {
    package init() {}

    package func fields(of file: URL, password: String?) throws(EngineError) -> (pageCount: Int, fields: [FormField]) {
        let document = try QPDFDocument(contentsOf: file, password: password)
        let q = document.handle
        // Widget object number → (page index, page height) from each page's /Annots.
        var pages: [Int32: (index: Int, height: Double)] = [:]
        for index in 0..<document.pageCount {
            let page = qpdf_get_page_n(q, index)
            let height = Self.mediaBoxHeight(q, page)
            let annots = qpdf_oh_get_key(q, page, "/Annots")
            for item in 0..<max(0, qpdf_oh_get_array_n_items(q, annots)) {
                let id = qpdf_oh_get_object_id(q, qpdf_oh_get_array_item(q, annots, item))
                if id > 0 && pages[id] == nil { pages[id] = (index, height) }
            }
        }
        var found: [FormField] = []
        let fields = qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_get_root(q), "/AcroForm"), "/Fields")
        var visited = Set<Int32>()
        for item in 0..<max(0, qpdf_oh_get_array_n_items(q, fields)) {
            walk(
                q, qpdf_oh_get_array_item(q, fields, item), parentName: "", inherited: Inherited(), pages: pages, visited: &visited,
                into: &found)
        }
        return (document.pageCount, found)
    }

    private struct Inherited {
        var type = ""
        var flags: Int64 = 0
        var value = ""
    }

    private func walk(
        _ q: qpdf_data, _ field: qpdf_oh, parentName: String, inherited: Inherited, pages: [Int32: (index: Int, height: Double)],
        visited: inout Set<Int32>, into found: inout [FormField]
    ) {
        let id = qpdf_oh_get_object_id(q, field)
        // A field tree that loops back on itself (a broken file) is read once.
        if id > 0 { guard visited.insert(id).inserted else { return } }
        guard qpdf_oh_is_dictionary(q, field) != 0 else { return }
        let partial = Self.string(q, qpdf_oh_get_key(q, field, "/T"))
        let name = partial.map { parentName.isEmpty ? $0 : parentName + "." + $0 } ?? parentName
        var own = inherited
        let type = qpdf_oh_get_key(q, field, "/FT")
        if qpdf_oh_is_name(q, type) != 0 { own.type = String(cString: qpdf_oh_get_name(q, type)) }
        let flags = qpdf_oh_get_key(q, field, "/Ff")
        if qpdf_oh_is_number(q, flags) != 0 { own.flags = qpdf_oh_get_int_value(q, flags) }
        let value = qpdf_oh_get_key(q, field, "/V")
        if qpdf_oh_is_null(q, value) == 0 { own.value = Self.text(q, value) }

        let kids = qpdf_oh_get_key(q, field, "/Kids")
        var widgets: [qpdf_oh] = []
        for item in 0..<max(0, qpdf_oh_get_array_n_items(q, kids)) {
            let kid = qpdf_oh_get_array_item(q, kids, item)
            if qpdf_oh_has_key(q, kid, "/T") != 0 {
                walk(q, kid, parentName: name, inherited: own, pages: pages, visited: &visited, into: &found)
            } else {
                widgets.append(kid)
            }
        }
        // A terminal field is its own widget when it has no widget kids.
        if widgets.isEmpty && qpdf_oh_get_array_n_items(q, kids) <= 0 { widgets = [field] }
        for widget in widgets {
            let place = pages[qpdf_oh_get_object_id(q, widget)]
            let rect = Self.numbers(q, qpdf_oh_get_key(q, widget, "/Rect"))
            var field = FormField(
                pageIndex: place?.index ?? -1, type: Self.typeName(own.type, flags: own.flags), name: name, value: own.value,
                left: 0, top: 0, width: 0, height: 0)
            if rect.count == 4 {
                let (x0, x1) = (min(rect[0], rect[2]), max(rect[0], rect[2]))
                let (y0, y1) = (min(rect[1], rect[3]), max(rect[1], rect[3]))
                field.left = x0
                field.top = (place?.height ?? y1) - y1
                field.width = x1 - x0
                field.height = y1 - y0
            }
            found.append(field)
        }
    }

    /// PDF.co's type names for /FT and the button and choice flags.
    static func typeName(_ type: String, flags: Int64) -> String {
        switch type {
        case "/Tx": "EditBox"
        case "/Btn": flags & (1 << 16) != 0 ? "PushButton" : flags & (1 << 15) != 0 ? "RadioButton" : "CheckBox"
        case "/Ch": flags & (1 << 17) != 0 ? "ComboBox" : "ListBox"
        case "/Sig": "Signature"
        default: "Unknown"
        }
    }

    private static func string(_ q: qpdf_data, _ oh: qpdf_oh) -> String? {
        qpdf_oh_is_string(q, oh) != 0 ? qpdf_oh_get_utf8_value(q, oh).map { String(cString: $0) } : nil
    }

    /// A value as text: strings as they are, names without the slash (`/Yes` → `Yes`), arrays
    /// (multi-select lists) joined with commas.
    private static func text(_ q: qpdf_data, _ oh: qpdf_oh) -> String {
        if let text = string(q, oh) { return text }
        if qpdf_oh_is_name(q, oh) != 0 { return String(String(cString: qpdf_oh_get_name(q, oh)).dropFirst()) }
        if qpdf_oh_is_array(q, oh) != 0 {
            return (0..<qpdf_oh_get_array_n_items(q, oh)).map { text(q, qpdf_oh_get_array_item(q, oh, $0)) }.joined(separator: ",")
        }
        return ""
    }

    private static func numbers(_ q: qpdf_data, _ oh: qpdf_oh) -> [Double] {
        (0..<max(0, qpdf_oh_get_array_n_items(q, oh))).compactMap { index in
            let item = qpdf_oh_get_array_item(q, oh, index)
            return qpdf_oh_is_number(q, item) != 0 ? qpdf_oh_get_numeric_value(q, item) : nil
        }
    }

    /// The page's height from its (possibly inherited) MediaBox; 792 when it has none.
    private static func mediaBoxHeight(_ q: qpdf_data, _ page: qpdf_oh) -> Double {
        var node = page
        for _ in 0..<32 {
            let box = numbers(q, qpdf_oh_get_key(q, node, "/MediaBox"))
            if box.count == 4 { return abs(box[3] - box[1]) }
            node = qpdf_oh_get_key(q, node, "/Parent")
            if qpdf_oh_is_dictionary(q, node) == 0 { break }
        }
        return 792
    }
}
