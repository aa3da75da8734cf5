// SPDX-License-Identifier: AGPL-3.0-or-later
// Shared between the shim's C files; not part of the Swift-facing header.
#ifndef CMUPDF_INTERNAL_H
#define CMUPDF_INTERNAL_H

#include <mupdf/fitz.h>
#include <pthread.h>

struct cmupdf_context {
    fz_context *ctx;
    /// The context this one was cloned from, NULL for a base context.
    cmupdf_context *base;
    /// Used by base contexts only. MuPDF asks for FZ_LOCK_MAX mutexes and a lock/unlock pair, and
    /// takes them around its shared allocator, FreeType and glyph cache.
    pthread_mutex_t mutexes[FZ_LOCK_MAX];
};

struct cmupdf_document {
    fz_document *doc;
    int page_count;
    int needed_password;
};

/// CMUPDF_ERR_ARGUMENT (with a message) unless 0 <= page < page count.
int cmupdf_check_page(cmupdf_document *d, int page, char *err, size_t errlen);
void cmupdf_set_error(char *err, size_t errlen, const char *message);
/// Copies the caught MuPDF error into `err` and picks the code. Call only inside fz_catch.
int cmupdf_caught(fz_context *ctx, int code, char *err, size_t errlen);
/// A malloc'd copy of `buf` (for Swift to release with cmupdf_free).
unsigned char *cmupdf_copy_buffer(fz_context *ctx, fz_buffer *buf, size_t *length);

/// The page PNG writer (png_writer.c): "Up" filter and libdeflate; malloc'd result.
unsigned char *cmupdf_encode_png_fast(fz_context *ctx, fz_pixmap *pix, size_t *length);

/// Whether the pixmap (gray or RGB first channels) has the colours of a photo (png_writer.c).
int cmupdf_looks_like_photo(const fz_pixmap *pix);

/// libjpeg into memory, baseline, from a gray or RGB pixmap without alpha; malloc'd result.
/// libjpeg's default error handler exits the process: the engine host dies and the job is
/// retried like any crash; with our own pixmaps as input that means out of memory.
unsigned char *cmupdf_encode_jpeg(fz_context *ctx, fz_pixmap *pix, int quality, size_t *length);

/// Throws unless every image directory and tag value of the TIFF `data` lies inside it (MuPDF
/// allocates from the counts the file states); other formats pass (tiff_guard.c).
void cmupdf_check_tiff(fz_context *ctx, const unsigned char *data, size_t length);

#endif
