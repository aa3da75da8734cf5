// SPDX-License-Identifier: AGPL-3.0-or-later
import CQPDF
import Foundation

/// A PDF opened with qpdf's C API (`qpdf_data`): page count, encryption, and objects for
/// reading form fields. One thread at a time.
package final class QPDFDocument {
    let handle: qpdf_data
    package let pageCount: Int
    package let isEncrypted: Bool

    /// Opens `file`; qpdf repairs a damaged cross-reference table on the way (silently).
    /// - Throws: `EngineError.passwordRequired`/`.wrongPassword`, or `.damaged` when qpdf cannot
    ///   read it as a PDF.
    package init(contentsOf file: URL, password: String?) throws(EngineError) {
        var handle: qpdf_data? = qpdf_init()
        qpdf_silence_errors(handle)
        qpdf_set_suppress_warnings(handle, QPDF_TRUE)
        let status = qpdf_read(handle, file.path, password ?? "")
        if status & QPDF_ERRORS != 0 {
            let error = qpdf_get_error(handle)
            let code = qpdf_get_error_code(handle, error)
            let detail = qpdf_get_error_message_detail(handle, error).map { String(cString: $0) } ?? "unreadable"
            qpdf_cleanup(&handle)
            if code == qpdf_e_password {
                throw (password ?? "").isEmpty ? .passwordRequired : .wrongPassword
            }
            throw .damaged("it is not a readable PDF (\(detail)).")
        }
        let count = qpdf_get_num_pages(handle)
        guard count > 0 else {
            qpdf_cleanup(&handle)
            throw .damaged("the PDF has no pages.")
        }
        self.handle = handle!
        self.pageCount = Int(count)
        self.isEncrypted = qpdf_is_encrypted(handle) != 0
    }

    deinit {
        var handle: qpdf_data? = handle
        qpdf_cleanup(&handle)
    }
}
