// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

/// Content-Type for a download, from the file name's extension.
enum ContentTypes {
    static let byExtension: [String: String] = [
        "pdf": "application/pdf", "txt": "text/plain; charset=utf-8", "json": "application/json",
        "csv": "text/csv; charset=utf-8", "xml": "application/xml", "html": "text/html; charset=utf-8",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "tif": "image/tiff", "tiff": "image/tiff",
        "webp": "image/webp", "gif": "image/gif", "bmp": "image/bmp",
        "doc": "application/msword",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls": "application/vnd.ms-excel",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "zip": "application/zip",
    ]

    static func forName(_ name: String) -> String {
        byExtension[(name as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
    }
}
