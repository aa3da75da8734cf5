// SPDX-License-Identifier: AGPL-3.0-or-later
// PNG row filters (PNG spec, section 9) over raw samples, for images embedded in PDFs with
// /Predictor 15 and for PNG rows that must be split or masked. In C because these loops touch
// every byte of images up to 200 megapixels: Swift's checked loops in a debug build took 39 s
// for one 34-megapixel page, longer than a sync request waits.
#include <stdlib.h>
#include <string.h>

#include "cmupdf.h"

static inline int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : (pb <= pc ? b : c);
}

static inline int predict(int filter, int a, int b, int c) {
    switch (filter) {
    case 1: return a;
    case 2: return b;
    case 3: return (a + b) >> 1;
    case 4: return paeth(a, b, c);
    default: return 0;
    }
}

/// A residual's cost: its distance from zero as a signed byte (the PNG heuristic).
static inline unsigned cost(unsigned char v) { return v < 128 ? v : 256u - v; }

int cmupdf_png_filter_rows(const unsigned char *in, size_t rows, size_t row_bytes, size_t bpp, unsigned char *out) {
    unsigned char *zeros = calloc(row_bytes ? row_bytes : 1, 1);
    if (!zeros) return CMUPDF_ERR_MEMORY;
    for (size_t y = 0; y < rows; y++) {
        const unsigned char *row = in + y * row_bytes;
        const unsigned char *up = y > 0 ? row - row_bytes : zeros;
        // Each filter's cost in one pass; the cheapest is written after.
        unsigned long score[5] = {0, 0, 0, 0, 0};
        for (size_t i = 0; i < row_bytes; i++) {
            int x = row[i], b = up[i];
            int a = i >= bpp ? row[i - bpp] : 0;
            int c = i >= bpp ? up[i - bpp] : 0;
            score[0] += cost((unsigned char)x);
            score[1] += cost((unsigned char)(x - a));
            score[2] += cost((unsigned char)(x - b));
            score[3] += cost((unsigned char)(x - ((a + b) >> 1)));
            score[4] += cost((unsigned char)(x - paeth(a, b, c)));
        }
        int best = 0;
        for (int f = 1; f < 5; f++)
            if (score[f] < score[best]) best = f;
        unsigned char *dst = out + y * (row_bytes + 1);
        dst[0] = (unsigned char)best;
        for (size_t i = 0; i < row_bytes; i++) {
            int a = i >= bpp ? row[i - bpp] : 0;
            int c = i >= bpp ? up[i - bpp] : 0;
            dst[1 + i] = (unsigned char)(row[i] - predict(best, a, up[i], c));
        }
    }
    free(zeros);
    return CMUPDF_OK;
}

int cmupdf_png_unfilter_rows(const unsigned char *in, size_t rows, size_t row_bytes, size_t bpp, unsigned char *out) {
    unsigned char *zeros = calloc(row_bytes ? row_bytes : 1, 1);
    if (!zeros) return CMUPDF_ERR_MEMORY;
    for (size_t y = 0; y < rows; y++) {
        const unsigned char *src = in + y * (row_bytes + 1);
        unsigned char *row = out + y * row_bytes;
        const unsigned char *up = y > 0 ? row - row_bytes : zeros;
        int filter = src[0];
        if (filter > 4) {
            free(zeros);
            return CMUPDF_ERR_DAMAGED;
        }
        for (size_t i = 0; i < row_bytes; i++) {
            int a = i >= bpp ? row[i - bpp] : 0;
            int c = i >= bpp ? up[i - bpp] : 0;
            row[i] = (unsigned char)(src[1 + i] + predict(filter, a, up[i], c));
        }
    }
    free(zeros);
    return CMUPDF_OK;
}

void cmupdf_split_alpha(const unsigned char *in, size_t pixels, size_t color_bytes, size_t alpha_bytes, unsigned char *color,
                        unsigned char *alpha) {
    const size_t pixel_bytes = color_bytes + alpha_bytes;
    for (size_t p = 0; p < pixels; p++) {
        memcpy(color + p * color_bytes, in + p * pixel_bytes, color_bytes);
        memcpy(alpha + p * alpha_bytes, in + p * pixel_bytes + color_bytes, alpha_bytes);
    }
}

void cmupdf_palette_alpha(const unsigned char *rows, size_t width, size_t height, size_t row_bytes, int depth,
                          const unsigned char table[256], unsigned char *mask) {
    if (depth != 1 && depth != 2 && depth != 4 && depth != 8) {
        memset(mask, 255, width * height);  // not a palette depth: opaque rather than a wild shift
        return;
    }
    const int values = (1 << depth) - 1;
    for (size_t y = 0; y < height; y++) {
        const unsigned char *row = rows + y * row_bytes;
        unsigned char *dst = mask + y * width;
        for (size_t x = 0; x < width; x++) {
            size_t bit = x * (size_t)depth;
            int index = (row[bit / 8] >> (8 - depth - (int)(bit % 8))) & values;
            dst[x] = table[index];
        }
    }
}
