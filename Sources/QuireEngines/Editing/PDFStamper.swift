// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore

/// `/pdf/edit/add`: fills form fields, then draws images, then text (so text stays readable
/// over a picture), each on the pages its item names.
package struct PDFStamper {
    /// Items × pages drawn by one job at most: 1 000 items on a 1 000-page file is a million
    /// content operations, minutes of work for a file no viewer can open quickly.
    package static let maxPlacements = 200_000

    let context: MuPDFContext

    package init(context: MuPDFContext) {
        self.context = context
    }

    /// - Parameters:
    ///   - files: the job's inputs; `ImageStamp.input` indexes them.
    /// - Returns: the page count.
    package func stamp(_ input: URL, password: String?, options: EditAddOptions, files: [URL], output: URL) throws(EngineError) -> Int {
        let editor = try PDFEditor(contentsOf: input, password: password, context: context)
        let pageCount = editor.pageCount
        let imagePages = try options.images.map { image throws(EngineError) in
            try Self.pages(image.pages, pageCount: pageCount, item: "images")
        }
        let textPages = try options.texts.map { text throws(EngineError) in
            try Self.pages(text.pages, pageCount: pageCount, item: "annotations")
        }
        let placements = (imagePages + textPages).reduce(0) { $0 + $1.count }
        guard placements <= Self.maxPlacements else {
            throw .limitExceeded(
                "The items would be drawn \(placements) times (items × pages); at most \(Self.maxPlacements) are allowed per job.")
        }
        let found = try editor.fillFields(options.fields.map { ($0.fieldName, $0.text, FormValue.checked($0.text)) })
        if let missing = zip(options.fields, found).first(where: { $0.1 == 0 })?.0 {
            throw .badParameter("The PDF has no form field named \"\(missing.fieldName)\"; /pdf/info/fields lists its fields.")
        }
        for (item, (image, pages)) in zip(options.images, imagePages).enumerated() {
            guard image.input < files.count else { throw .failed("An image input is missing.") }
            let file = files[image.input]
            let box = try Self.box(for: image, natural: try naturalSize(file, editor: editor, item: item))
            for page in pages {
                try editor.addImage(file, page: page, box: box)
                if let link = image.link { try editor.addLink(link, page: page, box: box) }
            }
        }
        var fieldNames = FieldNamer()
        var budget = ContentBudget(
            subject: "The text items (their lines × the pages they are on)", advice: "add less text or name fewer pages")
        for (stamp, pages) in zip(options.texts, textPages) {
            for page in pages {
                if stamp.kind == .text {
                    try TextBoxWriter(editor: editor, stamp: stamp, page: page, pageCount: pageCount).write(budget: &budget)
                } else {
                    try budget.charge(stamp.text)
                    try addField(stamp, page: page, editor: editor, name: fieldNames.next(stamp.id, page: page, pages: pages.count))
                }
            }
        }
        try editor.save(to: output)
        return pageCount
    }

    /// `TextField`, `Checkbox` and `CheckboxChecked` items: a new form field. A text field
    /// without a size is 150 × 1.5 lines of its font; a check box is `size` points square.
    private func addField(_ stamp: TextStamp, page: Int, editor: PDFEditor, name: String) throws(EngineError) {
        let isCheckbox = stamp.kind != .textField
        let width = stamp.width ?? (isCheckbox ? stamp.size : 150)
        let height = stamp.height ?? (isCheckbox ? stamp.size : stamp.size * 1.5)
        let box = EditBox(x: stamp.x, y: stamp.y, width: width, height: height)
        try editor.addField(
            name, page: page, box: box, checkbox: isCheckbox, value: stamp.text, checked: stamp.kind == .checkboxChecked,
            fontSize: stamp.size)
        if let link = stamp.link { try editor.addLink(link, page: page, box: box) }
    }

    /// - Parameter item: the `images[]` index, for the message.
    private func naturalSize(_ file: URL, editor: PDFEditor, item: Int) throws(EngineError) -> (width: Double, height: Double) {
        do {
            return try editor.imageSize(file)
        } catch .limitExceeded {
            throw .limitExceeded("images[\(item)] has more than 50 million pixels; scale it down first.")
        } catch .damaged, .failed {
            throw .damaged("images[\(item)] is not an image this server reads (PNG, JPEG, GIF, BMP, TIFF, JPEG 2000).")
        }
    }

    /// The drawn box: the given size; one side given, the other from the aspect ratio; neither,
    /// the natural size. With both given and `keepAspectRatio`, the image fits inside the box.
    static func box(for image: ImageStamp, natural: (width: Double, height: Double)) throws(EngineError) -> EditBox {
        let aspect = natural.height > 0 ? natural.width / natural.height : 1
        var width = natural.width
        var height = natural.height
        switch (image.width, image.height) {
        case (let w?, let h?):
            width = w
            height = h
            if image.keepAspectRatio {
                if w / max(h, 0.0001) > aspect { width = h * aspect } else { height = w / aspect }
            }
        case (let w?, nil):
            width = w
            height = w / aspect
        case (nil, let h?):
            height = h
            width = h * aspect
        case (nil, nil):
            break
        }
        return EditBox(x: image.x, y: image.y, width: width, height: height)
    }

    static func pages(_ text: String, pageCount: Int, item: String) throws(EngineError) -> [Int] {
        do {
            return try PageSelection(parsing: text).resolve(pageCount: pageCount)
        } catch {
            throw .pageRange("'pages' of an item of '\(item)': \(error)")
        }
    }
}

/// Names for created form fields: the item's `id` (with the page number when the item is on
/// several pages, since one name is one value), or field1, field2…
struct FieldNamer {
    private var counter = 0

    mutating func next(_ id: String?, page: Int, pages: Int) -> String {
        counter += 1
        let base = id ?? "field\(counter)"
        return pages > 1 ? "\(base)_page\(page)" : base
    }
}

/// How a form value reads for check boxes and radio buttons.
package enum FormValue {
    /// true / false for the usual spellings, nil for anything else (a state name such as "Choice2").
    package static func checked(_ text: String) -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "yes", "on", "1", "checked", "x": true
        case "false", "no", "off", "0", "unchecked", "": false
        default: nil
        }
    }
}
