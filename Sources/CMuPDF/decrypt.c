// SPDX-License-Identifier: AGPL-3.0-or-later
// PDF.co's user-controlled decryption of input files (`DataDecryption*` profile keys): AES-CBC
// with PKCS#7 padding, streamed so a large input never sits in memory. MuPDF's AES is used
// because it is already linked; it never throws (fitz/crypt.h), so no fz_try is needed.
#include "cmupdf.h"

#include <mupdf/fitz.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CHUNK = 1 << 20 };

int cmupdf_aes_cbc_decrypt_file(
    const unsigned char *key, int key_length, const unsigned char *iv, const char *input_path, const char *output_path, char *err,
    size_t errlen) {
    fz_aes aes;
    if (fz_aes_setkey_dec(&aes, key, key_length * 8) != 0) {
        snprintf(err, errlen, "AES keys are 16, 24 or 32 bytes");
        return CMUPDF_ERR_ARGUMENT;
    }
    unsigned char chain[16];
    memcpy(chain, iv, 16);
    FILE *in = fopen(input_path, "rb");
    FILE *out = in ? fopen(output_path, "wb") : NULL;
    unsigned char *cipher = malloc(CHUNK + 32), *plain = malloc(CHUNK + 32);
    int code = CMUPDF_OK;
    if (!in || !out || !cipher || !plain) {
        snprintf(err, errlen, "cannot open the input or output file");
        code = CMUPDF_ERR_IO;
        goto done;
    }
    // The last block is held back until the end of the file: it carries the padding.
    size_t held = 0;
    for (;;) {
        size_t n = fread(cipher + held, 1, CHUNK, in);
        size_t total = held + n;
        if (n == 0) break;
        // Keep the last whole block plus any partial one (at most 31 bytes).
        size_t keep = total % 16 + 16;
        if (keep > total) keep = total;
        size_t process = (total - keep) / 16 * 16;
        if (process > 0) {
            fz_aes_crypt_cbc(&aes, FZ_AES_DECRYPT, process, chain, cipher, plain);
            if (fwrite(plain, 1, process, out) != process) {
                snprintf(err, errlen, "cannot write the decrypted file");
                code = CMUPDF_ERR_IO;
                goto done;
            }
        }
        held = total - process;
        memmove(cipher, cipher + process, held);
    }
    if (held != 16) {
        snprintf(err, errlen, "the encrypted input is not a whole number of 16-byte AES blocks");
        code = CMUPDF_ERR_DAMAGED;
        goto done;
    }
    fz_aes_crypt_cbc(&aes, FZ_AES_DECRYPT, 16, chain, cipher, plain);
    unsigned char pad = plain[15];
    int valid = pad >= 1 && pad <= 16;
    for (int i = 16 - pad; valid && i < 16; i++) valid = plain[i] == pad;
    if (!valid) {
        snprintf(err, errlen, "wrong decryption key or IV (the PKCS#7 padding does not match)");
        code = CMUPDF_ERR_WRONG_PASSWORD;
        goto done;
    }
    if (fwrite(plain, 1, (size_t)(16 - pad), out) != (size_t)(16 - pad)) {
        snprintf(err, errlen, "cannot write the decrypted file");
        code = CMUPDF_ERR_IO;
    }
done:
    free(cipher);
    free(plain);
    if (in) fclose(in);
    if (out && fclose(out) != 0 && code == CMUPDF_OK) {
        snprintf(err, errlen, "cannot write the decrypted file");
        code = CMUPDF_ERR_IO;
    }
    return code;
}
