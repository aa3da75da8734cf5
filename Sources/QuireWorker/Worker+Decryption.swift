// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation
import QuireCore
import QuireEngines

extension Worker {
    /// The input as the engines must read it: decrypted first when the job asks for PDF.co's
    /// user-controlled decryption (`DataDecryption*` profile keys), else unchanged.
    /// - Throws: `JobFailure` 400 when the key or IV does not decrypt it.
    func decryptedIfAsked(_ file: URL, spec: JobSpec, in directory: URL, index: Int) throws -> URL {
        guard let (key, iv) = spec.inputDecryption else { return file }
        let output = directory.appendingPathComponent("decrypted-\(index)")
        do {
            try InputDecryption.decrypt(file, to: output, key: key, iv: iv)
        } catch .wrongPassword {
            throw JobFailure(status: 400, message: "Input #\(index + 1): DataDecryptionKey and DataDecryptionIV do not decrypt it.")
        } catch {
            throw Self.failure(for: error)
        }
        return output
    }
}
