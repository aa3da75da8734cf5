// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore

/// What each parameter name means, once for every endpoint that reads it. The names come from
/// `EndpointCatalog`; ConversionContractTests fails on a name read anywhere and missing here.
enum ParameterDocs {
    struct Doc {
        let text: String
        /// The JSON type clients send where the parser reads text (numbers, JSON arrays).
        var type: ValueType = .string

        func schema(_ kind: ParameterReads.Kind) -> JSONValue {
            guard kind == .text else { return ParameterDocs.defaultSchema(kind) }
            return type.schema
        }
    }

    enum ValueType {
        case string, number, json, urlList

        var schema: JSONValue {
            switch self {
            case .string: ["type": "string"]
            case .number: ["type": ["number", "string"]]
            case .json: ["type": ["array", "object", "string"]]
            case .urlList: ["type": ["string", "array"], "items": ["type": "string"]]
            }
        }
    }

    /// The description of `name` at endpoints under `tag` (the path's first segment).
    static func parameter(_ name: String, tag: String = "") -> Doc? {
        parameters["\(tag)/\(name.lowercased())"] ?? parameters[name.lowercased()]
    }

    static func profileKey(_ key: String) -> String? { profileKeys[key.lowercased()] }

    static func defaultSchema(_ kind: ParameterReads.Kind) -> JSONValue {
        switch kind {
        case .text: return ["type": "string"]
        case .list: return ["type": ["array", "string"], "items": ["type": "string"]]
        case .boolean(let fallback):
            var schema: [String: JSONValue] = ["type": "boolean"]
            if let fallback { schema["default"] = .bool(fallback) }
            return .object(schema)
        case .integer(let fallback, let range):
            var schema: [String: JSONValue] = ["type": "integer"]
            if let fallback { schema["default"] = .int(fallback) }
            if let range {
                schema["minimum"] = .int(range.lowerBound)
                schema["maximum"] = .int(range.upperBound)
            }
            return .object(schema)
        }
    }

    /// By lower-cased name; "tag/name" (the path's first segment) where one name means two things.
    private static let parameters: [String: Doc] = [
        // Shared by every conversion (ConversionRequest).
        "url": Doc(
            text:
                "The input: a URL Quire gave (upload first with /v1/file/upload/get-presigned-url) or a remote http(s) URL; a comma-separated list where the endpoint takes several.",
            type: .urlList),
        "pages": Doc(text: "Zero-based pages and ranges, e.g. \"0,2-5,7-\"; \"!0\" counts from the end. All pages when absent."),
        "password": Doc(text: "The password of an encrypted input."),
        "name": Doc(text: "The result file's name (sanitized; the extension is added)."),
        "async": Doc(text: "true: answer at once with a `jobId` to poll at /v1/job/check."),
        "inline": Doc(text: "true: the text or JSON result in the answer's `body` too."),
        "expiration": Doc(text: "Minutes the result stays downloadable.", type: .number),
        "callback": Doc(text: "A URL Quire POSTs the finished job's answer to (webhook)."),
        "httpusername": Doc(text: "User name for HTTP basic authentication when fetching a remote `url`."),
        "httppassword": Doc(text: "Password for HTTP basic authentication when fetching a remote `url`."),
        "profiles": Doc(text: "Advanced settings as (lenient) JSON, e.g. {\"JPEGQuality\": 25}.", type: .json),
        // Text and data.
        "lineending": Doc(text: "CRLF for Windows line ends; \\n otherwise."),
        "linegrouping": Doc(text: "1 (group by rows), 2 (by columns) or 3 (join orphaned rows)."),
        "unwrap": Doc(text: "Join lines wrapped inside one table cell."),
        "rect": Doc(text: "Only the area \"x y width height\", in points from the page's top-left corner."),
        "lang": Doc(text: "OCR languages for pages without text, e.g. eng or eng+deu (Tesseract codes; 400 names the installed ones)."),
        "simple": Doc(text: "Simpler HTML without positioning (to/html)."),
        "worksheetindex": Doc(text: "One-based worksheet of a spreadsheet input.", type: .number),
        "autosize": Doc(text: "Fit each sheet's columns to one page width."),
        "searchstring": Doc(text: "The text to find (a regular expression with `regexSearch`/`regex`)."),
        "searchstrings": Doc(text: "Several texts to find, each replaced by the `replaceStrings` item at its index.", type: .urlList),
        "regexsearch": Doc(text: "Read `searchString` as a regular expression."),
        "regex": Doc(text: "Read the search strings as regular expressions."),
        "casesensitive": Doc(text: "Match letter case exactly."),
        "wordmatchingmode": Doc(text: "None, SmartMatch or ExactMatch (whole words)."),
        // Page tools and security.
        "angle": Doc(text: "Degrees clockwise, a multiple of 90.", type: .number),
        "excludekeypages": Doc(text: "Leave the pages that hold the split text out of the parts."),
        "ownerpassword": Doc(text: "The password that lifts the permissions below."),
        "userpassword": Doc(text: "The password that opens the document."),
        "encryptionalgorithm": Doc(text: "AES_256bit (default), AES_128bit, RC4_128bit or RC4_40bit."),
        "allowaccessibilitysupport": Doc(text: "Permission: screen readers may extract text."),
        "allowassemblydocument": Doc(text: "Permission: pages may be inserted, rotated and deleted."),
        "allowcontentextraction": Doc(text: "Permission: text and images may be copied."),
        "allowfillforms": Doc(text: "Permission: form fields may be filled."),
        "allowmodifyannotations": Doc(text: "Permission: annotations may be added and changed."),
        "allowmodifydocument": Doc(text: "Permission: the document may be changed."),
        "allowprintdocument": Doc(text: "Permission: the document may be printed."),
        "printquality": Doc(text: "HighResolution or LowResolution printing."),
        "jpegquality": Doc(text: "JPEG quality of recompressed images, 1–100.", type: .number),
        "grayscaleimages": Doc(text: "Convert images to grayscale."),
        "imageoptimizationformat": Doc(text: "JPEG, Flate or Fax: how recompressed images are stored (Fax images are kept losslessly)."),
        "resampleimages": Doc(text: "Downsample images above `ResamplingResolution`."),
        "resamplingresolution": Doc(text: "Target image resolution in dpi when resampling.", type: .number),
        // Editing.
        "annotations": Doc(
            text:
                "Text to add: a JSON array of {text, x, y, size, color, fontName, fontBold, fontItalic, pages, link, width, height, alignment, …}.",
            type: .json),
        "images": Doc(text: "Images to add: a JSON array of {url, x, y, width, height, pages, link, keepAspectRatio}.", type: .json),
        "fields": Doc(text: "Form values to set: a JSON array of {fieldName, pages, text}.", type: .json),
        "annotationsstring": Doc(
            text: "The old text form: \"x;y;pages;text;size;fontName;color;link;transparent;width;height;alignment|…\"."),
        "imagesstring": Doc(text: "The old image form: \"x;y;pages;url;link;width;height|…\"."),
        "fieldsstring": Doc(text: "The old form-value form: \"page;fieldName;value|…\"."),
        "type": Doc(text: "The old flat form's item: annotation (text) or image."),
        "x": Doc(text: "The old flat form: left edge in points from the page's left.", type: .number),
        "y": Doc(text: "The old flat form: top edge in points from the page's top.", type: .number),
        "text": Doc(text: "The old flat form: the text to add."),
        "fontname": Doc(text: "The old flat form: the font (fallback to one that covers the text)."),
        "size": Doc(text: "The old flat form: font size in points.", type: .number),
        "color": Doc(text: "The old flat form: text colour, e.g. FF0000."),
        "urlimage": Doc(text: "The old flat form: the image's URL."),
        "link": Doc(text: "The old flat form: a link the added item opens."),
        "alignment": Doc(text: "The old flat form: left, center or right within `width`."),
        "width": Doc(text: "Width in points (edit) or of the browser window in pixels (url → image).", type: .number),
        "height": Doc(text: "Height in points (edit) or of the browser window in pixels (url → image).", type: .number),
        "replacestring": Doc(text: "The text put where `searchString` was (empty deletes it)."),
        "replacestrings": Doc(text: "Replacements, one per `searchStrings` item.", type: .urlList),
        "replacementlimit": Doc(text: "At most this many replacements (0: all).", type: .number),
        "replaceimage": Doc(text: "The URL of the image put where the text was."),
        // HTML, web pages and e-mail.
        "html": Doc(text: "The HTML to print (or `templateId`)."),
        "templateid": Doc(text: "A stored template (/v1/templates/html) whose HTML is printed with `templateData`."),
        "templatedata": Doc(text: "JSON merged into the Handlebars template.", type: .json),
        "margins": Doc(text: "CSS lengths: one to four, e.g. \"10mm\" or \"10mm 5mm 10mm 5mm\"."),
        "papersize": Doc(text: "Letter, A4, … or \"width height\" in CSS lengths."),
        "orientation": Doc(text: "Portrait or Landscape."),
        "printbackground": Doc(text: "Print background colours and images."),
        "mediatype": Doc(text: "print, screen or none: the CSS media the page is laid out for."),
        "header": Doc(text: "HTML printed at the top of each page; pageNumber and totalPages classes are filled in."),
        "footer": Doc(text: "HTML printed at the bottom of each page; pageNumber and totalPages classes are filled in."),
        "donotwaitfullload": Doc(text: "Print once the document is parsed, without waiting for every resource."),
        "waitdelay": Doc(text: "Milliseconds to wait after loading before printing.", type: .number),
        "waitforexpression": Doc(text: "A JavaScript expression; printing waits until it is true (or the job times out naming it)."),
        "embedattachments": Doc(text: "Append or embed the e-mail's attachments in the PDF."),
        "convertattachments": Doc(text: "Convert office, image and text attachments to pages (others stay embedded files)."),
        // Barcodes.
        "value": Doc(text: "The text the barcode encodes."),
        "barcode/type": Doc(text: "The barcode type, e.g. QRCode, Code128, DataMatrix, PDF417."),
        "types": Doc(text: "Barcode types to look for, comma-separated (all when absent)."),
        "format": Doc(text: "png or svg."),
        "quotationsymbol": Doc(text: "CSV quotation character."),
        "separatorsymbol": Doc(text: "CSV separator character."),
    ]

    /// `profiles` keys by lower-cased name.
    private static let profileKeys: [String: String] = [
        "angle": "rotation of the barcode in degrees",
        "autodetectnumbers": "numbers become numeric cells",
        "csvquotaionsymbol": "CSV quotation character (PDF.co's spelling)",
        "csvquotationsymbol": "CSV quotation character",
        "csvseparatorsymbol": "CSV separator character",
        "captionvisible": "show the text under the barcode",
        "showcaption": "show the text under the barcode",
        "datadecryptionalgorithm": "AES128, AES192 or AES256: the input was encrypted before upload",
        "datadecryptioniv": "the IV of the encrypted input",
        "datadecryptionkey": "the key of the encrypted input",
        "fastmode": "faster barcode reading that may miss damaged codes",
        "grayscaleimages": "convert images to grayscale",
        "imageoptimizationformat": "JPEG, Flate or Fax",
        "jpegquality": "JPEG quality 1–100",
        "linegroupingmode": "as `lineGrouping`",
        "maxnumberofbarcodesperpage": "stop after this many per page",
        "narrowbarwidth": "width of the narrowest bar in pixels",
        "ocrlanguage": "as `lang`",
        "ocrresolution": "dpi pages are rendered at for OCR",
        "options.qrerrorcorrectionlevel": "QR error correction: L, M, Q or H",
        "qrerrorcorrectionlevel": "QR error correction: L, M, Q or H",
        "pagetoworksheet": "one worksheet per page",
        "renderingresolution": "dpi of rendered pages",
        "resolution": "dpi of rendered pages",
        "resampleimages": "downsample large images",
        "resamplingresolution": "target image dpi",
        "richtextformatting": "keep fonts and colours in the cells",
        "unwrap": "as `unwrap`",
    ]
}
