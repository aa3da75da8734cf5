// SPDX-License-Identifier: AGPL-3.0-or-later

/// The work a job does. Raw values are stored in the job queue: never rename one. Everything
/// else about an operation is declared by its conversion (`Conversions`).
package enum JobOperation: String, Sendable, Codable, CaseIterable {
    /// PDF → layout-preserving text (`/pdf/convert/to/text`).
    case pdfToText = "pdf.to-text"
    /// PDF → reading-order text (`/pdf/convert/to/text-simple`).
    case pdfToTextSimple = "pdf.to-text-simple"
    /// PDF → one PNG per page (`/pdf/convert/to/png`); the result file is the JSON array of page URLs.
    case pdfToPNG = "pdf.to-png"
    /// PDF → one JPEG per page (`/pdf/convert/to/jpg`), like `pdfToPNG`.
    case pdfToJPG = "pdf.to-jpg"
    /// PDF → one WebP per page (`/pdf/convert/to/webp`), like `pdfToPNG`.
    case pdfToWebP = "pdf.to-webp"
    /// PDF → one multi-page TIFF (`/pdf/convert/to/tiff`).
    case pdfToTIFF = "pdf.to-tiff"
    /// PDF → page count, metadata, encryption (`/pdf/info`).
    case pdfInfo = "pdf.info"
    /// Images (JPEG, PNG, GIF, BMP, TIFF) → one PDF, one page per image (`/pdf/convert/from/image`).
    case imagesToPDF = "images.to-pdf"
    /// Office document (Word, Excel, PowerPoint, OpenDocument, RTF, text, CSV) → PDF, in an office host.
    case officeToPDF = "office.to-pdf"
    /// PDF → smaller PDF: images downsampled and recompressed, objects packed (`/pdf/optimize`).
    case pdfOptimize = "pdf.optimize"
    /// PDFs → one PDF, in the order given (`/pdf/merge`).
    case pdfMerge = "pdf.merge"
    /// PDFs, images and office documents → one PDF; the worker converts the non-PDFs first (`/pdf/merge2`).
    case pdfMerge2 = "pdf.merge2"
    /// PDF → one PDF per page range (`/pdf/split`, 1-based `pages`); the result file is the JSON array of URLs.
    case pdfSplit = "pdf.split"
    /// PDF → one PDF per part, a part starting at each page whose text matches (`/pdf/split2`).
    case pdfSplit2 = "pdf.split2"
    /// PDF → the same PDF without the pages named (`/pdf/edit/delete-pages`).
    case pdfDeletePages = "pdf.delete-pages"
    /// PDF → the same PDF with pages turned (`/pdf/edit/rotate`).
    case pdfRotate = "pdf.rotate"
    /// PDF → encrypted PDF with permissions (`/pdf/security/add`).
    case pdfProtect = "pdf.security-add"
    /// Encrypted PDF → PDF without encryption (`/pdf/security/remove`).
    case pdfUnprotect = "pdf.security-remove"
    /// PDF → its form fields and document info (`/pdf/info/fields`).
    case pdfFormFields = "pdf.info-fields"
    /// Copy a remote URL into storage (`/file/upload/url`).
    case uploadFromURL = "file.upload-url"
    /// Test-only: the engine host aborts (a crashing engine). Enabled by `--enable-test-operations`.
    case testCrash = "test.crash"
    /// Test-only: the engine host never answers (a hung engine).
    case testHang = "test.hang"
}
