// SPDX-License-Identifier: AGPL-3.0-or-later
// A fast PNG writer for rendered pages: the "Up" row filter (cheap, and rendered pages are mostly
// runs of identical rows) and libdeflate at a low level instead of zlib. MuPDF's own writer
// (zlib, level 9 row filtering) spends ~90 % of a text page's time encoding.
#include "cmupdf.h"
#include "internal.h"

#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/// Compression level, measured on 20 text pages at 150 dpi (docs/benchmarks.md): level 1 was
/// 405 ms and 1.40× mutool's bytes, level 6 510 ms and 1.14×, level 9 1.3 s and 1.14×. Paeth
/// instead of Up was slower and no smaller.
#define CMUPDF_PNG_LEVEL 6
/// Photo pages gain little from level 6 (+18 % bytes at level 1 on the benchmark's photo pages,
/// still 0.64× mutool's) and cost a third more time: they get this level instead.
#define CMUPDF_PNG_PHOTO_LEVEL 1
static void put32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/// Writes one chunk (length, type, data, CRC) at `out`; returns the bytes written.
static size_t put_chunk(unsigned char *out, const char *type, const unsigned char *data, size_t length) {
    put32(out, (uint32_t)length);
    memcpy(out + 4, type, 4);
    if (length) memcpy(out + 8, data, length);
    uint32_t crc = libdeflate_crc32(0, out + 4, length + 4);
    put32(out + 8 + length, crc);
    return length + 12;
}

unsigned char *cmupdf_encode_png_fast(fz_context *ctx, fz_pixmap *pix, size_t *length) {
    const int w = pix->w, h = pix->h, n = pix->n;
    const size_t row = (size_t)w * n;
    const size_t filtered_size = (row + 1) * (size_t)h;
    unsigned char *filtered = malloc(filtered_size ? filtered_size : 1);
    if (!filtered) fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory encoding PNG");
    for (int y = 0; y < h; y++) {
        const unsigned char *src = pix->samples + (size_t)y * pix->stride;
        unsigned char *dst = filtered + (size_t)y * (row + 1);
        if (y == 0) {
            dst[0] = 0;  // None
            memcpy(dst + 1, src, row);
        } else {
            const unsigned char *above = src - pix->stride;
            dst[0] = 2;  // Up
            for (size_t i = 0; i < row; i++) dst[1 + i] = (unsigned char)(src[i] - above[i]);
        }
    }
    int level = cmupdf_looks_like_photo(pix) ? CMUPDF_PNG_PHOTO_LEVEL : CMUPDF_PNG_LEVEL;
    struct libdeflate_compressor *compressor = libdeflate_alloc_compressor(level);
    if (!compressor) {
        free(filtered);
        fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory encoding PNG");
    }
    size_t bound = libdeflate_zlib_compress_bound(compressor, filtered_size);
    // Signature + IHDR + pHYs + IDAT header/CRC + IEND.
    size_t capacity = 8 + 25 + 21 + 12 + bound + 12;
    unsigned char *png = malloc(capacity);
    if (!png) {
        free(filtered);
        libdeflate_free_compressor(compressor);
        fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory encoding PNG");
    }
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    size_t at = 0;
    memcpy(png, signature, 8);
    at += 8;
    unsigned char ihdr[13];
    put32(ihdr, (uint32_t)w);
    put32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;                               // bit depth
    ihdr[9] = n == 1 ? 0 : (n == 2 ? 4 : (n == 3 ? 2 : 6));  // gray, gray+alpha, RGB, RGBA
    ihdr[10] = ihdr[11] = ihdr[12] = 0;
    at += put_chunk(png + at, "IHDR", ihdr, 13);
    unsigned char phys[9];
    put32(phys, (uint32_t)(pix->xres / 0.0254 + 0.5));
    put32(phys + 4, (uint32_t)(pix->yres / 0.0254 + 0.5));
    phys[8] = 1;  // metre
    at += put_chunk(png + at, "pHYs", phys, 9);
    // IDAT: compress straight into place after its length and type.
    size_t compressed = libdeflate_zlib_compress(compressor, filtered, filtered_size, png + at + 8, bound);
    free(filtered);
    libdeflate_free_compressor(compressor);
    if (compressed == 0) {
        free(png);
        fz_throw(ctx, FZ_ERROR_GENERIC, "PNG compression failed");
    }
    put32(png + at, (uint32_t)compressed);
    memcpy(png + at + 4, "IDAT", 4);
    put32(png + at + 8 + compressed, libdeflate_crc32(0, png + at + 4, compressed + 4));
    at += compressed + 12;
    at += put_chunk(png + at, "IEND", NULL, 0);
    *length = at;
    return png;
}

/// More than 256 distinct colours among up to 4096 sampled pixels: a photo, not text, a chart,
/// a screenshot or a logo (anti-aliased text on one background stays well under 256). Used to
/// pick JPEG for images in optimize and a cheaper PNG level for photo pages.
int cmupdf_looks_like_photo(const fz_pixmap *pix) {
    enum { slots = 1024 };
    uint32_t seen[slots];
    int distinct = 0;
    memset(seen, 0, sizeof seen);
    size_t pixels = (size_t)pix->w * pix->h;
    size_t step = pixels > 4096 ? pixels / 4096 : 1;
    for (size_t i = 0; i < pixels && distinct <= 256; i += step) {
        const unsigned char *p = pix->samples + (i / pix->w) * pix->stride + (i % pix->w) * pix->n;
        uint32_t color = pix->n == 1 ? p[0] : ((uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]);
        color += 1;  // 0 marks an empty slot
        uint32_t slot = (color * 2654435761u) % slots;
        while (seen[slot] && seen[slot] != color) slot = (slot + 1) % slots;
        if (!seen[slot]) {
            seen[slot] = color;
            distinct++;
        }
    }
    return distinct > 256;
}
