// SPDX-License-Identifier: AGPL-3.0-or-later
// zxing-cpp 1.4 has only a C++ API (its C API came in 2.2); this C face is what Swift calls.
#ifndef CZXING_H
#define CZXING_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Result codes of czxing_read.
enum {
    CZXING_OK = 0,
    CZXING_ERR_ARGUMENT = 1,
    /// zxing-cpp threw (out of memory or an internal error); the message is in `err`.
    CZXING_ERR_ENGINE = 2,
};

/// One decoded symbol. Corners are in pixels of the image read, clockwise from the symbol's own
/// top-left.
typedef struct czxing_symbol {
    /// zxing-cpp's BarcodeFormat bit (Aztec = 1 << 0 … MicroQRCode = 1 << 16).
    int format;
    /// The content as UTF-8 (character set from ECI or guessed), NUL-terminated.
    char *text;
    /// The content's bytes before any character set conversion.
    unsigned char *bytes;
    size_t bytes_length;
    int x[4];
    int y[4];
    /// Degrees, as zxing-cpp reports it.
    int orientation;
} czxing_symbol;

/// Reads the symbols of `formats` (BarcodeFormat bits; 0: all) in an 8-bit gray image of
/// `width` × `height` pixels, rows `stride` bytes apart. `try_harder` also looks at rotated
/// and downscaled copies (slower); `max_symbols` 0 is no limit (zxing-cpp stops at 255).
/// `*out` (`*count` symbols) is released with czxing_free.
int czxing_read(
    const unsigned char *gray, int width, int height, int stride, int formats, int try_harder, int max_symbols,
    czxing_symbol **out, int *count, char *err, size_t errlen);

void czxing_free(czxing_symbol *symbols, int count);

#ifdef __cplusplus
}
#endif

#endif
