// SPDX-License-Identifier: AGPL-3.0-or-later
// zint is a plain C library; this header keeps its large `zint_symbol` struct (fixed arrays of
// 28 KB) away from Swift behind one function. Tested with zint 2.11.1 (docs/engines.md).
#include <stdio.h>
#include <string.h>
#include <zint.h>

/// Result codes of czint_write.
enum {
    CZINT_OK = 0,
    /// The value does not fit the symbology (wrong characters, length or check digit).
    CZINT_ERR_DATA = 1,
    /// An option does not fit the symbology.
    CZINT_ERR_OPTION = 2,
    /// The file could not be written (or its path is longer than zint takes).
    CZINT_ERR_IO = 3,
    CZINT_ERR_OTHER = 4,
};

/// Encodes `length` bytes of `data` as `symbology` (a BARCODE_ number) and writes the symbol to
/// `path`, whose extension (.png, .svg) chooses the format. `option_1` is the symbology's first
/// option (QR Code's error correction level 1…4; -1 leaves the default); `scale` multiplies the
/// module size (zint's default is 1: a module of 2 pixels in PNG); `rotate` is 0, 90, 180 or 270.
/// zint's message (safe: it names the data rule, never a path) goes to `err`.
static inline int czint_write(
    int symbology, const unsigned char *data, int length, int option_1, float scale, int show_text, int rotate,
    const char *path, char *err, size_t errlen) {
    struct zint_symbol *symbol = NULL;
    int status;
    if (err && errlen) err[0] = 0;
    // zint copies `outfile` into a char[256]; a longer path would be cut and written elsewhere.
    if (strlen(path) >= sizeof(symbol->outfile)) {
        if (err && errlen) snprintf(err, errlen, "output path too long");
        return CZINT_ERR_IO;
    }
    symbol = ZBarcode_Create();
    if (!symbol) {
        if (err && errlen) snprintf(err, errlen, "out of memory");
        return CZINT_ERR_OTHER;
    }
    symbol->symbology = symbology;
    if (option_1 >= 0) symbol->option_1 = option_1;
    if (scale > 0) symbol->scale = scale;
    symbol->show_hrt = show_text;
    // UTF-8 input: zint converts it to the symbology's character set (ISO 8859-1 for QR Code
    // when it fits, an ECI otherwise).
    symbol->input_mode = UNICODE_MODE;
    symbol->output_options |= BARCODE_QUIET_ZONES;
    strcpy(symbol->outfile, path);
    status = ZBarcode_Encode_and_Print(symbol, data, length, rotate);
    if (status >= ZINT_ERROR && err && errlen) snprintf(err, errlen, "%s", symbol->errtxt);
    ZBarcode_Delete(symbol);
    if (status < ZINT_ERROR) return CZINT_OK;
    switch (status) {
    case ZINT_ERROR_TOO_LONG:
    case ZINT_ERROR_INVALID_DATA:
    case ZINT_ERROR_INVALID_CHECK:
    case ZINT_ERROR_USES_ECI:
    case ZINT_ERROR_NONCOMPLIANT: return CZINT_ERR_DATA;
    case ZINT_ERROR_INVALID_OPTION: return CZINT_ERR_OPTION;
    case ZINT_ERROR_FILE_ACCESS:
    case ZINT_ERROR_FILE_WRITE: return CZINT_ERR_IO;
    default: return CZINT_ERR_OTHER;
    }
}
