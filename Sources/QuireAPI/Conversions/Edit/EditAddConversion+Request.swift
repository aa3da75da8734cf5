// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

extension EditAddConversion: RequestConvertible {
    /// Items one request may add: each is drawn on every page it names, so this and the
    /// engine's items × pages bound keep a job's work in proportion to its file.
    static let maxItems = 1_000
    /// Characters of one `text`.
    static let maxTextLength = 100_000

    /// `annotations[]`, `images[]` and `fields[]` (JSON), their legacy `;`/`|` strings
    /// (`annotationsString`, `imagesString`, `fieldsString`) and the old flat parameters
    /// (`type`, `x`, `y`, `text`, `fontname`, `size`, `color`, `urlimage`…) all add up.
    static func options(from parameters: RequestParameters, path: String, request: inout ConversionRequest) throws -> EditAddOptions {
        let template = try TextTemplate(parameters.string("templateData"))
        var annotations = try EditItem.items(parameters, "annotations")
        annotations += EditItem.legacyItems(
            parameters, "annotationsString",
            keys: ["x", "y", "pages", "text", "size", "fontName", "color", "link", "transparent", "width", "height", "alignment"])
        var images = try EditItem.items(parameters, "images")
        images += EditItem.legacyItems(parameters, "imagesString", keys: ["x", "y", "pages", "url", "link", "width", "height"])
        var fields = try EditItem.items(parameters, "fields")
        fields += EditItem.legacyItems(parameters, "fieldsString", keys: ["pages", "fieldName", "text"])
        let flat = EditItem.flatItem(
            parameters,
            keys: ["x", "y", "text", "fontname", "size", "color", "urlimage", "width", "height", "pages", "link", "alignment"])
        if flat.string("text") != nil || flat.string("urlimage") != nil {
            // PDF.co's old single-item form: `type=annotation` adds text, anything else an image.
            if parameters.string("type")?.lowercased() == "annotation" || flat.string("urlimage") == nil {
                annotations.append(flat)
            } else {
                images.append(flat)
            }
        }
        let count = annotations.count + images.count + fields.count
        guard count > 0 else {
            throw APIError.missing("annotations", "Give what to add: 'annotations' (text), 'images' or 'fields' (form values).")
        }
        guard count <= maxItems else {
            throw APIError(400, "The request adds \(count) items; at most \(maxItems) are allowed in one request.")
        }
        var options = EditAddOptions()
        options.texts = try annotations.map { try textStamp($0, template: template) }
        options.images = try images.map { try imageStamp($0, request: &request) }
        options.fields = try fields.map { try fieldValue($0) }
        return options
    }

    private static func textStamp(_ item: EditItem, template: TextTemplate) throws -> TextStamp {
        var stamp = TextStamp()
        if let type = item.string("type") {
            switch type.lowercased() {
            case "text", "annotation": stamp.kind = .text
            case "textfield", "textfieldmultiline": stamp.kind = .textField
            case "checkbox": stamp.kind = .checkbox
            case "checkboxchecked": stamp.kind = .checkboxChecked
            default:
                throw APIError.badParameter(
                    item.name("type"), "\"\(type.prefix(40))\" is not Text, TextField, Checkbox or CheckboxChecked.")
            }
        }
        let text = item.string("text") ?? ""
        guard text.count <= maxTextLength else {
            throw APIError.badParameter(item.name("text"), "it has \(text.count) characters; at most \(maxTextLength) are allowed.")
        }
        // A character has at most 4 UTF-8 bytes: past that many bytes, it is surely too long.
        guard let rendered = template.render(text, maxBytes: 4 * maxTextLength), rendered.count <= maxTextLength else {
            throw APIError.badParameter(
                item.name("text"),
                "with 'templateData' filled in it has over \(maxTextLength) characters; at most \(maxTextLength) are allowed.")
        }
        stamp.text = rendered
        stamp.x = try item.number("x") ?? 0
        stamp.y = try item.number("y") ?? 0
        stamp.pages = try item.pages()
        stamp.width = try item.number("width", range: 0...EditItem.maxCoordinate)
        stamp.height = try item.number("height", range: 0...EditItem.maxCoordinate)
        stamp.id = item.string("id")
        // The name is written into every field the item creates, once per page it names.
        guard (stamp.id?.utf8.count ?? 0) <= 1024 else {
            throw APIError.badParameter(item.name("id"), "a form field name may have at most 1024 bytes.")
        }
        stamp.link = try link(item, "link")
        if let color = item.string("color") {
            guard let parsed = HTMLColor.parse(color) else {
                throw APIError.badParameter(item.name("color"), "\"\(color.prefix(40))\" is not a colour such as FF0000, #FF0000 or red.")
            }
            stamp.color = parsed
        }
        if let alignment = item.string("alignment") {
            guard let parsed = TextAlignment(rawValue: alignment.lowercased()) else {
                throw APIError.badParameter(item.name("alignment"), "\"\(alignment.prefix(40))\" is not left, center or right.")
            }
            stamp.alignment = parsed
        }
        try readFont(item, into: &stamp)
        return stamp
    }

    /// `fontName` picks the base-14 family by look; `size` may carry `+bold+italic…` (the
    /// legacy string's form); `fontBold`… set the rest.
    private static func readFont(_ item: EditItem, into stamp: inout TextStamp) throws {
        if let name = item.string("fontName")?.lowercased() {
            stamp.font = FontFamily(closestTo: name)
            if name.contains("bold") { stamp.bold = true }
            if name.contains("italic") || name.contains("oblique") { stamp.italic = true }
        }
        if let size = item.string("size") {
            var parts = size.split(separator: "+").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let number = parts.isEmpty ? "" : parts.removeFirst()
            guard let value = Double(number), value.isFinite, (0.5...1000).contains(value) else {
                throw APIError.badParameter(item.name("size"), "\"\(size.prefix(40))\" is not a font size from 0.5 to 1000 points.")
            }
            stamp.size = value
            for flag in parts {
                switch flag {
                case "bold": stamp.bold = true
                case "italic": stamp.italic = true
                case "underline": stamp.underline = true
                case "strikeout": stamp.strikeout = true
                default:
                    throw APIError.badParameter(item.name("size"), "\"\(flag.prefix(40))\" is not bold, italic, underline or strikeout.")
                }
            }
        }
        stamp.bold = try item.bool("fontBold") ?? stamp.bold
        stamp.italic = try item.bool("fontItalic") ?? stamp.italic
        stamp.underline = try item.bool("fontUnderline") ?? stamp.underline
        stamp.strikeout = try item.bool("fontStrikeout") ?? stamp.strikeout
    }

    private static func imageStamp(_ item: EditItem, request: inout ConversionRequest) throws -> ImageStamp {
        var stamp = ImageStamp()
        guard let url = item.string("url") ?? item.string("urlimage") else {
            throw APIError.missing(item.name("url"), "Each image needs the URL of a PNG or JPEG file.")
        }
        stamp.input = try request.addInput(url, parameter: item.name("url"))
        stamp.x = try item.number("x") ?? 0
        stamp.y = try item.number("y") ?? 0
        stamp.width = try item.number("width", range: 0.01...EditItem.maxCoordinate)
        stamp.height = try item.number("height", range: 0.01...EditItem.maxCoordinate)
        stamp.pages = try item.pages()
        stamp.link = try link(item, "link")
        stamp.keepAspectRatio = try item.bool("keepAspectRatio") ?? stamp.keepAspectRatio
        return stamp
    }

    private static func fieldValue(_ item: EditItem) throws -> FieldValue {
        var value = FieldValue()
        guard let name = item.string("fieldName") else { throw APIError.missing(item.name("fieldName"), "Name the form field to fill.") }
        value.fieldName = name
        value.text = item.string("text") ?? ""
        guard value.text.count <= maxTextLength else {
            throw APIError.badParameter(item.name("text"), "it has \(value.text.count) characters; at most \(maxTextLength) are allowed.")
        }
        return value
    }

    /// A link target: a URL, given a scheme when it has none (`www.pdf.co`).
    private static func link(_ item: EditItem, _ key: String) throws -> String? {
        guard let link = item.string(key)?.trimmingCharacters(in: .whitespaces), !link.isEmpty else { return nil }
        guard link.utf8.count <= 4096 else { throw APIError.badParameter(item.name(key), "a link may have at most 4096 bytes.") }
        if link.contains("://") || link.lowercased().hasPrefix("mailto:") { return link }
        return "https://" + link
    }
}
