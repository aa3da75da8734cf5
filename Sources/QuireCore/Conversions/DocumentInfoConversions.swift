// SPDX-License-Identifier: AGPL-3.0-or-later

/// PDF → page count, page size, metadata, encryption and permissions (`info`).
package enum PDFInfoConversion: Conversion {
    package typealias Options = NoOptions
    package static let operation = JobOperation.pdfInfo
    package static let paths = ["/pdf/info"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.fields
    package static let commandName: String? = "pdf-info"
}

/// PDF → its form fields and document info (`info.FieldsInfo.Fields`).
package enum PDFFormFieldsConversion: Conversion {
    package typealias Options = NoOptions
    package static let operation = JobOperation.pdfFormFields
    package static let paths = ["/pdf/info/fields"]
    package static let host = HostKind.mupdf
    package static let result = ResultKind.fields
    package static let usesPages = false
    package static let commandName: String? = "pdf-form-fields"
}

extension JobOperation {
    package static let pdfInfo = JobOperation("pdf.info")
    package static let pdfFormFields = JobOperation("pdf.info-fields")
}
