// SPDX-License-Identifier: AGPL-3.0-or-later
// MuPDF 1.21's TIFF reader allocates each tag's value array from the count the file states,
// before it reads a value: a 10 kB file asked for 3.4 GB (found by fuzz/pdf_fuzzer.c; kept as
// fuzz/regressions/pdf/tiff-huge-tag-count.tif), and would then read 866 million values past
// the end of the file. A TIFF is let through only when its IFD chain and every entry's values
// lie inside the file.
#include "cmupdf.h"
#include "internal.h"

#include <stdint.h>

/// More IFDs than this is a loop in the chain (or a bomb of frames): refused.
enum { CMUPDF_TIFF_MAX_IFDS = 10000 };

static uint32_t read16(const unsigned char *p, int big) { return big ? (uint32_t)(p[0] << 8 | p[1]) : (uint32_t)(p[1] << 8 | p[0]); }

static uint32_t read32(const unsigned char *p, int big) {
    return big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
               : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/// Bytes per value of a TIFF field type (TIFF 6.0, section 2); 1 for types it does not define.
static uint64_t type_size(uint32_t type) {
    switch (type) {
    case 3: case 8: return 2;          // SHORT, SSHORT
    case 4: case 9: case 11: case 13: return 4;  // LONG, SLONG, FLOAT, IFD
    case 5: case 10: case 12: return 8;  // RATIONAL, SRATIONAL, DOUBLE
    default: return 1;
    }
}

/// Whether `data` starts like a classic (not Big-) TIFF, the only kind MuPDF 1.21 reads.
static int is_tiff(const unsigned char *data, size_t length) {
    return length >= 4 && ((data[0] == 'I' && data[1] == 'I' && data[2] == 42 && data[3] == 0) ||
                           (data[0] == 'M' && data[1] == 'M' && data[2] == 0 && data[3] == 42));
}

void cmupdf_check_tiff(fz_context *ctx, const unsigned char *data, size_t length) {
    if (!is_tiff(data, length)) return;
    if (length < 8) fz_throw(ctx, FZ_ERROR_GENERIC, "the TIFF header is truncated");
    int big = data[0] == 'M';
    uint64_t offset = read32(data + 4, big);
    for (int ifds = 0; offset != 0; ifds++) {
        if (ifds >= CMUPDF_TIFF_MAX_IFDS) fz_throw(ctx, FZ_ERROR_GENERIC, "the TIFF has more than 10000 images, or its image list loops");
        if (offset + 2 > length) fz_throw(ctx, FZ_ERROR_GENERIC, "a TIFF image directory lies past the end of the file");
        uint64_t entries = read16(data + offset, big);
        uint64_t end = offset + 2 + entries * 12;
        if (end + 4 > length) fz_throw(ctx, FZ_ERROR_GENERIC, "a TIFF image directory lies past the end of the file");
        for (uint64_t i = 0; i < entries; i++) {
            const unsigned char *entry = data + offset + 2 + i * 12;
            uint64_t bytes = (uint64_t)read32(entry + 4, big) * type_size(read16(entry + 2, big));
            if (bytes > length || (bytes > 4 && (uint64_t)read32(entry + 8, big) + bytes > length))
                fz_throw(ctx, FZ_ERROR_GENERIC, "a TIFF tag's values lie past the end of the file");
        }
        offset = read32(data + end, big);
    }
}
