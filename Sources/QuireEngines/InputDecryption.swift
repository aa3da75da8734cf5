// SPDX-License-Identifier: AGPL-3.0-or-later
import CMuPDF
import Foundation

/// PDF.co's user-controlled decryption of input files: the `DataDecryptionAlgorithm` (AES128,
/// AES192, AES256; CBC), `DataDecryptionKey` (16/24/32 characters) and `DataDecryptionIV` (16
/// characters) profile keys. The API checks the values; this runs before an engine reads the input.
package enum InputDecryption {
    /// Decrypts `input` into `output` (PKCS#7 padding removed), streaming.
    /// - Throws: `EngineError.wrongPassword` when the padding does not match (wrong key or IV),
    ///   `.damaged` when the input is not whole AES blocks.
    package static func decrypt(_ input: URL, to output: URL, key: String, iv: String) throws(EngineError) {
        let keyBytes = Array(key.utf8)
        let ivBytes = Array(iv.utf8)
        guard [16, 24, 32].contains(keyBytes.count), ivBytes.count == 16 else {
            throw .failed("DataDecryptionKey must be 16, 24 or 32 characters and DataDecryptionIV 16.")
        }
        let result = withErrorBuffer { err, length in
            cmupdf_aes_cbc_decrypt_file(keyBytes, Int32(keyBytes.count), ivBytes, input.path, output.path, err, length)
        }
        switch result.status {
        case Int(CMUPDF_OK): return
        case Int(CMUPDF_ERR_WRONG_PASSWORD):
            throw .wrongPassword
        case Int(CMUPDF_ERR_DAMAGED):
            throw .damaged("The input is not AES-encrypted data (not whole 16-byte blocks); check DataDecryptionAlgorithm.")
        default:
            throw .failed("The input could not be decrypted.")
        }
    }
}
