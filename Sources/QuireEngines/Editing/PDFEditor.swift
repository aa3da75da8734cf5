// SPDX-License-Identifier: AGPL-3.0-or-later
import CMuPDF
import Foundation
import QuireCore

/// A PDF open for editing (CMuPDF's edit.c): text, images and links drawn over pages, form
/// fields filled, then saved as a new file. Coordinates are points from the top-left corner of
/// the page as displayed, y down. One editor is used from one thread.
package final class PDFEditor {
    private let context: MuPDFContext
    private let handle: OpaquePointer
    package let pageCount: Int

    /// - Throws: `EngineError` for a damaged file, a missing or wrong password.
    package init(contentsOf file: URL, password: String?, context: MuPDFContext) throws(EngineError) {
        let clone = try context.makeClone()
        var opened: OpaquePointer?
        var count: Int32 = 0
        try clone.check("open the PDF") { err, errlen in
            cmupdf_editor_open(clone.handle, file.path, password, &opened, &count, err, errlen)
        }
        guard let opened else { throw .failed("Cannot open the PDF.") }
        self.context = clone
        handle = opened
        pageCount = Int(count)
    }

    deinit {
        cmupdf_editor_drop(handle)
    }

    /// The page's width and height as displayed.
    package func pageSize(_ page: Int) throws(EngineError) -> (width: Double, height: Double) {
        var width: Float = 0
        var height: Float = 0
        try context.check("read page \(page)") { err, errlen in cmupdf_editor_page_size(handle, Int32(page), &width, &height, err, errlen) }
        return (Double(width), Double(height))
    }

    package func width(of text: String, style: TextStyle) throws(EngineError) -> Double {
        var cStyle = style.cStyle
        var width: Float = 0
        try context.check("measure text") { err, errlen in cmupdf_editor_measure(handle, &cStyle, text, &width, err, errlen) }
        return Double(width)
    }

    /// Each UTF-8 byte's share of `width(of:style:)`: a character's advance at its first byte, 0
    /// at the others.
    package func advances(of text: String, style: TextStyle) throws(EngineError) -> [Double] {
        var cStyle = style.cStyle
        var advances = [Float](repeating: 0, count: text.utf8.count + 1)
        try context.check("measure text") { err, errlen in
            advances.withUnsafeMutableBufferPointer { buffer in
                cmupdf_editor_advances(handle, &cStyle, text, buffer.baseAddress, err, errlen)
            }
        }
        return advances.dropLast().map(Double.init)
    }

    /// How far a line in `style` reaches above its baseline.
    package func ascent(_ style: TextStyle) -> Double {
        var cStyle = style.cStyle
        return Double(cmupdf_editor_ascent(handle, &cStyle))
    }

    /// One line of text with its baseline starting at (x, baseline).
    package func addText(_ text: String, page: Int, x: Double, baseline: Double, style: TextStyle) throws(EngineError) {
        var cStyle = style.cStyle
        try context.check("add text to page \(page)") { err, errlen in
            cmupdf_editor_add_text(handle, Int32(page), &cStyle, Float(x), Float(baseline), text, err, errlen)
        }
    }

    /// Recognised words as invisible text over page `page` (an OCR text layer), in the glyphless
    /// font read from `fontFile` (embedded; not embedded when nil).
    package func addInvisibleWords(_ words: [OCRWord], page: Int, fontFile: String?) throws(EngineError) {
        // The C strings live as long as the call: one buffer of NUL-ended texts.
        var bytes: [CChar] = []
        var offsets: [Int] = []
        for word in words {
            offsets.append(bytes.count)
            bytes += word.text.utf8CString
        }
        try context.check("add the text layer to page \(page)") { err, errlen in
            bytes.withUnsafeBufferPointer { buffer in
                let items = zip(words, offsets).map { word, offset in
                    cmupdf_ocr_word(
                        text: buffer.baseAddress! + offset, x: Float(word.x), baseline: Float(word.baseline), width: Float(word.width),
                        size: Float(word.lineHeight))
                }
                return cmupdf_editor_add_invisible_words(handle, Int32(page), items, Int32(items.count), fontFile, err, errlen)
            }
        }
    }

    /// Whether the page shows text (invisible OCR text does not count).
    package func hasVisibleText(_ page: Int) throws(EngineError) -> Bool {
        var visible: Int32 = 0
        try context.check("read page \(page)") { err, errlen in cmupdf_editor_has_visible_text(handle, Int32(page), &visible, err, errlen) }
        return visible != 0
    }

    /// Replaces the page's content by a picture of it at `dpi` (its annotations stay).
    package func rasterize(_ page: Int, dpi: Double) throws(EngineError) {
        try context.check("render page \(page)") { err, errlen in cmupdf_editor_rasterize_page(handle, Int32(page), Float(dpi), err, errlen)
        }
    }

    /// Turns the page `degrees` (a multiple of 90) further clockwise.
    package func rotatePage(_ page: Int, by degrees: Int) throws(EngineError) {
        try context.check("rotate page \(page)") { err, errlen in
            cmupdf_editor_rotate_page(handle, Int32(page), Int32(degrees), err, errlen)
        }
    }

    /// The image's natural size in points.
    /// - Throws: `EngineError.damaged` when the file is not an image MuPDF reads.
    package func imageSize(_ file: URL) throws(EngineError) -> (width: Double, height: Double) {
        var width: Float = 0
        var height: Float = 0
        try context.check("read the image") { err, errlen in cmupdf_editor_image_size(handle, file.path, &width, &height, err, errlen) }
        return (Double(width), Double(height))
    }

    package func addImage(_ file: URL, page: Int, box: EditBox) throws(EngineError) {
        try context.check("add the image") { err, errlen in
            cmupdf_editor_add_image(
                handle, Int32(page), file.path, Float(box.x), Float(box.y), Float(box.width), Float(box.height), err, errlen)
        }
    }

    package func addLink(_ uri: String, page: Int, box: EditBox) throws(EngineError) {
        try context.check("add a link") { err, errlen in
            cmupdf_editor_add_link(
                handle, Int32(page), Float(box.x), Float(box.y), Float(box.width), Float(box.height), uri, err, errlen)
        }
    }

    /// Removes the glyphs touching `boxes` from the page's content (before anything is added to it).
    package func redact(page: Int, boxes: [EditBox]) throws(EngineError) {
        let flat = boxes.flatMap { [Float($0.x), Float($0.y), Float($0.x + $0.width), Float($0.y + $0.height)] }
        try context.check("remove text from page \(page)") { err, errlen in
            cmupdf_editor_redact(handle, Int32(page), flat, Int32(boxes.count), err, errlen)
        }
    }

    /// Fills form fields by full name in one pass over the pages; returns, per field, how many
    /// widgets have its name.
    /// - Parameter fields: `checked` for check boxes and radio buttons: true, false, or nil to
    ///   match the value against the button's own state name.
    package func fillFields(_ fields: [(name: String, value: String, checked: Bool?)]) throws(EngineError) -> [Int] {
        guard !fields.isEmpty else { return [] }
        var found = [Int32](repeating: 0, count: fields.count)
        let flags = fields.map { field -> Int32 in field.checked.map { $0 ? 1 : 0 } ?? -1 }
        let names = fields.map { strdup($0.name) }
        let values = fields.map { strdup($0.value) }
        defer {
            names.forEach { free($0) }
            values.forEach { free($0) }
        }
        let nameArray = names.map { UnsafePointer($0) }
        let valueArray = values.map { UnsafePointer($0) }
        try context.check("fill the form fields") { err, errlen in
            cmupdf_editor_fill_fields(handle, nameArray, valueArray, flags, Int32(fields.count), &found, err, errlen)
        }
        return found.map(Int.init)
    }

    /// Creates a text field holding `value`, or a check box, with one widget in `box`.
    package func addField(
        _ name: String, page: Int, box: EditBox, checkbox: Bool, value: String, checked: Bool, fontSize: Double
    ) throws(EngineError) {
        try context.check("add a form field") { err, errlen in
            cmupdf_editor_add_field(
                handle, Int32(page), Int32(checkbox ? CMUPDF_FIELD_CHECKBOX : CMUPDF_FIELD_TEXT), name, Float(box.x), Float(box.y),
                Float(box.width), Float(box.height), value, checked ? 1 : 0, Float(fontSize), err, errlen)
        }
    }

    package func save(to output: URL) throws(EngineError) {
        try context.check("save the PDF") { err, errlen in cmupdf_editor_save(handle, output.path, err, errlen) }
    }
}

/// A box in displayed page coordinates.
package struct EditBox: Sendable, Equatable {
    package var x: Double
    package var y: Double
    package var width: Double
    package var height: Double

    package init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// How added text looks.
package struct TextStyle: Sendable, Equatable {
    package var family = FontFamily.helvetica
    package var bold = false
    package var italic = false
    package var underline = false
    package var strikeout = false
    package var size = 12.0
    package var color = RGBColor.black
    /// The writing direction as displayed, in quarter turns clockwise (0: left to right).
    package var quarterTurns = 0

    package init() {}

    package init(_ stamp: TextStamp) {
        family = stamp.font
        bold = stamp.bold
        italic = stamp.italic
        underline = stamp.underline
        strikeout = stamp.strikeout
        size = stamp.size
        color = stamp.color
    }

    var cStyle: cmupdf_text_style {
        let familyCode: Int32 =
            switch family {
            case .helvetica: Int32(CMUPDF_FONT_HELVETICA)
            case .times: Int32(CMUPDF_FONT_TIMES)
            case .courier: Int32(CMUPDF_FONT_COURIER)
            }
        return cmupdf_text_style(
            family: familyCode, bold: bold ? 1 : 0, italic: italic ? 1 : 0, underline: underline ? 1 : 0, strikeout: strikeout ? 1 : 0,
            size: Float(size), red: Float(color.red), green: Float(color.green), blue: Float(color.blue),
            quarter_turns: Int32(quarterTurns))
    }
}
