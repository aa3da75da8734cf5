// SPDX-License-Identifier: AGPL-3.0-or-later

/// Options of `/pdf/convert/from/email`: how the message's page is printed, and what becomes of
/// its attachments.
package struct EmailToPDFOptions: ConversionOptions {
    /// Paper, orientation, margins (as `/pdf/convert/from/html` takes them).
    package var printing = BrowserOptions()
    /// `embedAttachments` (default true): attachments go into the PDF; false: the message only.
    package var embedsAttachments = true
    /// `convertAttachments` (default true): PDFs, images and text are appended as pages, the
    /// rest embedded as files; false: every attachment embedded as a file.
    package var convertsAttachments = true
    /// Office attachments the worker had an office host turn into PDFs before the job ran
    /// (never set by a request): the message's part index → the job input that is its PDF.
    package var convertedParts: [ConvertedPart] = []

    package struct ConvertedPart: Codable, Sendable, Equatable {
        package var part: Int
        package var input: Int

        package init(part: Int, input: Int) {
            self.part = part
            self.input = input
        }
    }

    package init() {}
}

/// An e-mail (.eml or Outlook .msg) → PDF, printed by a browser host (`/pdf/convert/from/email`).
package enum EmailToPDFConversion: Conversion {
    package typealias Options = EmailToPDFOptions
    package static let operation = JobOperation.emailToPDF
    package static let paths = ["/pdf/convert/from/email"]
    package static let host = HostKind.browser
    package static let result = ResultKind.file(extension: "pdf")
    package static let usesPages = false
}

/// An e-mail → its headers and bodies as JSON (`/email/decode`).
package enum EmailDecodeConversion: Conversion {
    package typealias Options = NoOptions
    package static let operation = JobOperation.emailDecode
    package static let paths = ["/email/decode"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.jsonFile
    package static let usesPages = false
}

/// An e-mail → each attachment a result file, described in the answer's `body`
/// (`/email/extract-attachments`).
package enum EmailExtractAttachmentsConversion: Conversion {
    package typealias Options = NoOptions
    package static let operation = JobOperation.emailExtractAttachments
    package static let paths = ["/email/extract-attachments"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.pageFiles
    package static let usesPages = false
    /// Attachments are whatever the sender attached: served as downloads, like uploads.
    package static let storesClientContent = true
}

extension JobOperation {
    package static let emailToPDF = JobOperation("email.to-pdf")
    package static let emailDecode = JobOperation("email.decode")
    package static let emailExtractAttachments = JobOperation("email.extract-attachments")
}
