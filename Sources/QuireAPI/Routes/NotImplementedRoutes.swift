// SPDX-License-Identifier: AGPL-3.0-or-later
import Hummingbird

/// PDF.co endpoints this version of Quire does not serve yet: a clear 501 instead of a 404,
/// so a client learns the endpoint is known and what to expect. Each moves out of this list
/// when its issue lands (docs/api.md tracks them).
struct NotImplementedRoutes {
    static let paths: [String] = [
        "/pdf/convert/from/html",
        "/pdf/convert/from/url", "/pdf/convert/from/email",
        "/pdf/convert/to/json", "/pdf/convert/to/json2", "/pdf/convert/to/json-meta", "/pdf/convert/to/csv",
        "/pdf/convert/to/xls", "/pdf/convert/to/xlsx", "/pdf/convert/to/xml", "/pdf/convert/to/html",
        "/v2/pdf/compress", "/pdf/edit/add", "/pdf/edit/replace-text", "/pdf/edit/replace-text-with-image",
        "/pdf/edit/delete-text", "/pdf/edit/rotate/auto",
        "/pdf/find", "/pdf/find/table", "/pdf/attachments/extract",
        "/pdf/makesearchable", "/pdf/makeunsearchable", "/pdf/documentparser", "/pdf/classifier",
        "/barcode/generate", "/barcode/read/from/url", "/file/hash",
        "/xls/convert/to/csv", "/xls/convert/to/json", "/xls/convert/to/html", "/xls/convert/to/txt",
        "/xls/convert/to/xml", "/url/convert/to/png", "/url/convert/to/jpg",
        "/email/send", "/email/decode", "/email/extract-attachments", "/text/ocr",
        "/ai-invoice-parser", "/pdf/invoiceparser",
    ]

    func add(to routes: RouteTable) {
        for path in Self.paths {
            routes.add(path) { _, _ in
                throw APIError(501, "\(path) is part of the PDF.co API but not implemented by this version of Quire yet.")
            }
        }
    }
}
