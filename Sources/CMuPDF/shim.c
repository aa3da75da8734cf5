// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The only file that includes <mupdf/fitz.h>. MuPDF's exception rules (fitz/context.h, "Exception
// handling") apply to every function below:
//   - never return (or goto/break out) from inside fz_try: it would leave MuPDF's exception stack
//     unbalanced;
//   - a local that is changed inside fz_try and read after it must be declared with fz_var, because
//     longjmp may restore a stale register copy;
//   - release resources in fz_always, which runs on both paths;
//   - fz_caught_message is only valid inside fz_catch, so it is copied out there.
#include "cmupdf.h"

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <webp/encode.h>

#include "internal.h"


// Ligatures expanded (no FZ_STEXT_PRESERVE_LIGATURES), so "ﬁ" reads as "fi". Whitespace is not
// preserved: MuPDF turns tabs and other horizontal spaces into U+0020 and adds a space where a wide
// gap separates glyphs, which the simple mode needs and the layout mode ignores (it measures gaps
// itself). No FZ_STEXT_DEHYPHENATE: hyphens stay as printed. FZ_STEXT_MEDIABOX_CLIP drops glyphs
// entirely off the page, as pdftotext does.
static const fz_stext_options cmupdf_stext_options = { FZ_STEXT_MEDIABOX_CLIP, 1.0f };
// For character lists: the same, but clipped here by each character's box (`cmupdf_on_page`).
// MuPDF's clip measures every glyph's outline through FreeType, which was a tenth of a small
// to/text job's engine time in perf; the box MuPDF already has for each character answers the
// same question for text.
static const fz_stext_options cmupdf_char_options = { 0, 1.0f };

// MARK: - Errors

void cmupdf_set_error(char *err, size_t errlen, const char *message) {
    if (err != NULL && errlen > 0) snprintf(err, errlen, "%s", message != NULL ? message : "unknown error");
}

/// Copies the caught MuPDF error into `err` and picks the code. Call only inside fz_catch.
int cmupdf_caught(fz_context *ctx, int code, char *err, size_t errlen) {
    cmupdf_set_error(err, errlen, fz_caught_message(ctx));
    return fz_caught(ctx) == FZ_ERROR_MEMORY ? CMUPDF_ERR_MEMORY : code;
}

// MuPDF prints errors and warnings to stderr as they happen ("trying to repair broken xref").
// Callers get the error through the return code and `err`; the warnings are noise on a server.
static void cmupdf_discard_message(void *user, const char *message) {
    (void)user;
    (void)message;
}

static void cmupdf_quiet(fz_context *ctx) {
    fz_set_error_callback(ctx, cmupdf_discard_message, NULL);
    fz_set_warning_callback(ctx, cmupdf_discard_message, NULL);
}

// MARK: - Contexts

static void cmupdf_lock(void *user, int lock) { pthread_mutex_lock(&((pthread_mutex_t *)user)[lock]); }

static void cmupdf_unlock(void *user, int lock) { pthread_mutex_unlock(&((pthread_mutex_t *)user)[lock]); }

int cmupdf_context_create(cmupdf_context **out, char *err, size_t errlen) {
    *out = NULL;
    cmupdf_context *c = calloc(1, sizeof *c);
    if (c == NULL) {
        cmupdf_set_error(err, errlen, "out of memory");
        return CMUPDF_ERR_MEMORY;
    }
    for (int i = 0; i < FZ_LOCK_MAX; i++) pthread_mutex_init(&c->mutexes[i], NULL);
    fz_locks_context locks = { c->mutexes, cmupdf_lock, cmupdf_unlock };
    // fz_new_context copies `locks`; the mutexes it points at must outlive every clone.
    c->ctx = fz_new_context(NULL, &locks, FZ_STORE_DEFAULT);
    if (c->ctx == NULL) {
        for (int i = 0; i < FZ_LOCK_MAX; i++) pthread_mutex_destroy(&c->mutexes[i]);
        free(c);
        cmupdf_set_error(err, errlen, "cannot create MuPDF context");
        return CMUPDF_ERR_MEMORY;
    }
    cmupdf_quiet(c->ctx);
    int code = CMUPDF_OK;
    fz_try(c->ctx) {
        fz_register_document_handlers(c->ctx);
    }
    fz_catch(c->ctx) {
        code = cmupdf_caught(c->ctx, CMUPDF_ERR_FAILED, err, errlen);
    }
    if (code != CMUPDF_OK) {
        cmupdf_context_drop(c);
        return code;
    }
    *out = c;
    return CMUPDF_OK;
}

int cmupdf_context_clone(cmupdf_context *base, cmupdf_context **out, char *err, size_t errlen) {
    *out = NULL;
    cmupdf_context *c = calloc(1, sizeof *c);
    if (c == NULL) {
        cmupdf_set_error(err, errlen, "out of memory");
        return CMUPDF_ERR_MEMORY;
    }
    // "The two contexts will share the memory allocator, resource store, locks and lock/unlock
    // functions. They will each have their own exception stacks though." (fitz/context.h)
    c->ctx = fz_clone_context(base->ctx);
    if (c->ctx == NULL) {
        free(c);
        cmupdf_set_error(err, errlen, "cannot clone MuPDF context");
        return CMUPDF_ERR_MEMORY;
    }
    c->base = base;
    cmupdf_quiet(c->ctx);
    *out = c;
    return CMUPDF_OK;
}

void cmupdf_context_drop(cmupdf_context *c) {
    if (c == NULL) return;
    fz_drop_context(c->ctx);
    if (c->base == NULL) {
        for (int i = 0; i < FZ_LOCK_MAX; i++) pthread_mutex_destroy(&c->mutexes[i]);
    }
    free(c);
}

// MARK: - Documents

int cmupdf_document_open(
    cmupdf_context *c, const char *path, const char *password, cmupdf_document **out,
    char *err, size_t errlen) {
    fz_context *ctx = c->ctx;
    fz_stream *stm = NULL;
    fz_document *doc = NULL;
    int code = CMUPDF_OK;
    int needed = 0;
    int pages = 0;
    fz_var(stm);
    fz_var(doc);
    fz_var(code);
    fz_var(needed);
    fz_var(pages);
    *out = NULL;

    // Opening the file first tells "cannot read the file" (an operator problem) apart from
    // "cannot read the document" (the client's file).
    fz_try(ctx) {
        stm = fz_open_file(ctx, path);
    }
    fz_catch(ctx) {
        return cmupdf_caught(ctx, CMUPDF_ERR_IO, err, errlen);
    }

    fz_try(ctx) {
        // The path doubles as the "magic": MuPDF picks a handler by its extension and falls back
        // to PDF for names it does not know, so a stored upload needs no extension.
        doc = fz_open_document_with_stream(ctx, path, stm);
    }
    fz_always(ctx) {
        fz_drop_stream(ctx, stm);  // the document keeps its own reference
    }
    fz_catch(ctx) {
        code = cmupdf_caught(ctx, CMUPDF_ERR_DAMAGED, err, errlen);
    }
    if (code != CMUPDF_OK) return code;

    fz_try(ctx) {
        // fz_needs_password: "Check if a document is encrypted with a non-blank password."
        if (fz_needs_password(ctx, doc)) {
            needed = 1;
            if (password == NULL || password[0] == '\0') {
                code = CMUPDF_ERR_NEEDS_PASSWORD;
                cmupdf_set_error(err, errlen, "document needs a password");
            } else if (!fz_authenticate_password(ctx, doc, password)) {
                // "Returns 0 for failure to authenticate" (user or owner password).
                code = CMUPDF_ERR_WRONG_PASSWORD;
                cmupdf_set_error(err, errlen, "password does not open the document");
            }
        }
        if (code == CMUPDF_OK) {
            // A repaired file can open yet have no usable page tree; counting now reports that as
            // damage rather than as a failure of a later call.
            pages = fz_count_pages(ctx, doc);
            if (pages <= 0) {
                code = CMUPDF_ERR_DAMAGED;
                cmupdf_set_error(err, errlen, "document has no pages");
            }
        }
    }
    fz_catch(ctx) {
        code = cmupdf_caught(ctx, CMUPDF_ERR_DAMAGED, err, errlen);
    }
    if (code != CMUPDF_OK) {
        fz_drop_document(ctx, doc);
        return code;
    }

    cmupdf_document *d = malloc(sizeof *d);
    if (d == NULL) {
        fz_drop_document(ctx, doc);
        cmupdf_set_error(err, errlen, "out of memory");
        return CMUPDF_ERR_MEMORY;
    }
    d->doc = doc;
    d->page_count = pages;
    d->needed_password = needed;
    *out = d;
    return CMUPDF_OK;
}

void cmupdf_document_drop(cmupdf_context *c, cmupdf_document *d) {
    if (d == NULL) return;
    // fz_drop_document: "Never throws exceptions."
    fz_drop_document(c->ctx, d->doc);
    free(d);
}

int cmupdf_document_needed_password(cmupdf_context *c, cmupdf_document *d, int *out, char *err, size_t errlen) {
    (void)c;
    (void)err;
    (void)errlen;
    *out = d->needed_password;
    return CMUPDF_OK;
}

int cmupdf_document_page_count(cmupdf_context *c, cmupdf_document *d, int *out, char *err, size_t errlen) {
    (void)c;
    (void)err;
    (void)errlen;
    // Counted once at open; MuPDF caches it too, but a second count could throw on a damaged tree.
    *out = d->page_count;
    return CMUPDF_OK;
}

int cmupdf_document_metadata(
    cmupdf_context *c, cmupdf_document *d, const char *key, char **out, char *err, size_t errlen) {
    fz_context *ctx = c->ctx;
    char *value = NULL;
    int code = CMUPDF_OK;
    fz_var(value);
    fz_var(code);
    *out = NULL;
    fz_try(ctx) {
        // "Returns the number of bytes need to store the string plus terminator ..., or -1 if the
        // key is not recognized or found."
        int size = fz_lookup_metadata(ctx, d->doc, key, NULL, 0);
        if (size > 0) {
            value = malloc((size_t)size);
            if (value == NULL) fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory for metadata");
            fz_lookup_metadata(ctx, d->doc, key, value, size);
        }
    }
    fz_catch(ctx) {
        free(value);
        value = NULL;
        code = cmupdf_caught(ctx, CMUPDF_ERR_FAILED, err, errlen);
    }
    *out = value;
    return code;
}

int cmupdf_document_permissions(cmupdf_context *c, cmupdf_document *d, int *out, char *err, size_t errlen) {
    fz_context *ctx = c->ctx;
    int bits = 0;
    int code = CMUPDF_OK;
    fz_var(bits);
    fz_var(code);
    fz_try(ctx) {
        pdf_document *pdf = pdf_specifics(ctx, d->doc);
        if (pdf != NULL) {
            // The /P flags as stored; every bit is set when the file is not encrypted.
            bits = pdf_document_permissions(ctx, pdf);
        } else {
            // Other formats only know MuPDF's four coarse permissions.
            if (fz_has_permission(ctx, d->doc, FZ_PERMISSION_PRINT)) bits |= CMUPDF_PERM_PRINT | CMUPDF_PERM_PRINT_HQ;
            if (fz_has_permission(ctx, d->doc, FZ_PERMISSION_COPY)) bits |= CMUPDF_PERM_COPY | CMUPDF_PERM_ACCESSIBILITY;
            if (fz_has_permission(ctx, d->doc, FZ_PERMISSION_EDIT))
                bits |= CMUPDF_PERM_MODIFY | CMUPDF_PERM_ASSEMBLE | CMUPDF_PERM_FILL_FORMS;
            if (fz_has_permission(ctx, d->doc, FZ_PERMISSION_ANNOTATE)) bits |= CMUPDF_PERM_ANNOTATE;
        }
    }
    fz_catch(ctx) {
        code = cmupdf_caught(ctx, CMUPDF_ERR_FAILED, err, errlen);
    }
    *out = bits;
    return code;
}

int cmupdf_check_page(cmupdf_document *d, int page, char *err, size_t errlen) {
    if (page >= 0 && page < d->page_count) return CMUPDF_OK;
    if (err != NULL && errlen > 0) snprintf(err, errlen, "page %d out of range (document has %d)", page, d->page_count);
    return CMUPDF_ERR_ARGUMENT;
}

int cmupdf_page_bounds(
    cmupdf_context *c, cmupdf_document *d, int page, float *x0, float *y0, float *x1, float *y1,
    char *err, size_t errlen) {
    fz_context *ctx = c->ctx;
    fz_page *p = NULL;
    fz_rect r = fz_empty_rect;
    int code = cmupdf_check_page(d, page, err, errlen);
    if (code != CMUPDF_OK) return code;
    fz_var(p);
    fz_var(r);
    fz_var(code);
    fz_try(ctx) {
        p = fz_load_page(ctx, d->doc, page);
        r = fz_bound_page(ctx, p);
    }
    fz_always(ctx) {
        fz_drop_page(ctx, p);
    }
    fz_catch(ctx) {
        code = cmupdf_caught(ctx, CMUPDF_ERR_DAMAGED, err, errlen);
    }
    *x0 = r.x0;
    *y0 = r.y0;
    *x1 = r.x1;
    *y1 = r.y1;
    return code;
}

// MARK: - Text

/* Whether any of `ch`'s box touches the page (the stext page's media box). */
static int cmupdf_on_page(const fz_stext_page *text, const fz_stext_char *ch) {
    fz_rect box = fz_rect_from_quad(ch->quad);
    fz_rect page = text->mediabox;
    return box.x1 >= page.x0 && box.x0 <= page.x1 && box.y1 >= page.y0 && box.y0 <= page.y1;
}

static size_t cmupdf_count_chars(fz_stext_page *text) {
    size_t n = 0;
    for (fz_stext_block *b = text->first_block; b != NULL; b = b->next) {
        if (b->type != FZ_STEXT_BLOCK_TEXT) continue;
        for (fz_stext_line *l = b->u.t.first_line; l != NULL; l = l->next)
            for (fz_stext_char *ch = l->first_char; ch != NULL; ch = ch->next) n += cmupdf_on_page(text, ch);
    }
    return n;
}

static void cmupdf_fill_chars(fz_stext_page *text, cmupdf_char *out) {
    size_t i = 0;
    int32_t block = 0, line = 0;
    for (fz_stext_block *b = text->first_block; b != NULL; b = b->next) {
        if (b->type != FZ_STEXT_BLOCK_TEXT) continue;
        for (fz_stext_line *l = b->u.t.first_line; l != NULL; l = l->next, line++) {
            for (fz_stext_char *ch = l->first_char; ch != NULL; ch = ch->next) {
                if (!cmupdf_on_page(text, ch)) continue;
                out[i].codepoint = (uint32_t)ch->c;
                out[i].x = ch->origin.x;
                out[i].baseline = ch->origin.y;
                out[i].max_x = fz_max(ch->quad.ur.x, ch->quad.lr.x);
                out[i].size = ch->size;
                out[i].line = line;
                out[i].block = block;
                i++;
            }
        }
        block++;
    }
}

int cmupdf_page_chars(
    cmupdf_context *c, cmupdf_document *d, int page, cmupdf_char **out, size_t *count,
    char *err, size_t errlen) {
    fz_context *ctx = c->ctx;
    fz_stext_page *text = NULL;
    cmupdf_char *chars = NULL;
    size_t n = 0;
    int code = cmupdf_check_page(d, page, err, errlen);
    *out = NULL;
    *count = 0;
    if (code != CMUPDF_OK) return code;
    fz_var(text);
    fz_var(chars);
    fz_var(n);
    fz_var(code);
    fz_try(ctx) {
        text = fz_new_stext_page_from_page_number(ctx, d->doc, page, &cmupdf_char_options);
        n = cmupdf_count_chars(text);
        if (n > 0) {
            chars = malloc(n * sizeof *chars);
            if (chars == NULL) fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory for %zu characters", n);
            cmupdf_fill_chars(text, chars);
        }
    }
    fz_always(ctx) {
        fz_drop_stext_page(ctx, text);
    }
    fz_catch(ctx) {
        free(chars);
        chars = NULL;
        n = 0;
        code = cmupdf_caught(ctx, CMUPDF_ERR_DAMAGED, err, errlen);
    }
    *out = chars;
    *count = n;
    return code;
}

/* The bytes of `buf` in a malloc'd copy, so that callers free with plain free() whatever
 * allocator the context uses. Called inside fz_try: throws FZ_ERROR_MEMORY on failure. */
unsigned char *cmupdf_copy_buffer(fz_context *ctx, fz_buffer *buf, size_t *length) {
    unsigned char *data = NULL;
    size_t n = fz_buffer_storage(ctx, buf, &data);
    unsigned char *copy = malloc(n > 0 ? n : 1);
    if (copy == NULL) fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory copying %zu bytes", n);
    if (n > 0) memcpy(copy, data, n);
    *length = n;
    return copy;
}

int cmupdf_page_text(
    cmupdf_context *c, cmupdf_document *d, int page, char **out, size_t *length,
    char *err, size_t errlen) {
    fz_context *ctx = c->ctx;
    fz_stext_page *text = NULL;
    fz_buffer *buf = NULL;
    char *bytes = NULL;
    size_t n = 0;
    int code = cmupdf_check_page(d, page, err, errlen);
    *out = NULL;
    *length = 0;
    if (code != CMUPDF_OK) return code;
    fz_var(text);
    fz_var(buf);
    fz_var(bytes);
    fz_var(n);
    fz_var(code);
    fz_try(ctx) {
        text = fz_new_stext_page_from_page_number(ctx, d->doc, page, &cmupdf_stext_options);
        buf = fz_new_buffer_from_stext_page(ctx, text);
        bytes = (char *)cmupdf_copy_buffer(ctx, buf, &n);
    }
    fz_always(ctx) {
        fz_drop_buffer(ctx, buf);
        fz_drop_stext_page(ctx, text);
    }
    fz_catch(ctx) {
        free(bytes);
        bytes = NULL;
        n = 0;
        code = cmupdf_caught(ctx, CMUPDF_ERR_DAMAGED, err, errlen);
    }
    *out = bytes;
    *length = n;
    return code;
}

void cmupdf_free(void *p) { free(p); }

/// libwebp, lossy at `quality`.
static unsigned char *cmupdf_encode_webp(fz_context *ctx, fz_pixmap *pix, int quality, size_t *length);

int cmupdf_page_render_image(
    cmupdf_context *c, cmupdf_document *d, int page, float dpi, int format, int quality, unsigned char **out, size_t *length,
    char *err, size_t errlen) {
    fz_context *ctx = c->ctx;
    fz_pixmap *pix = NULL;
    unsigned char *bytes = NULL;
    size_t n = 0;
    int code = cmupdf_check_page(d, page, err, errlen);
    *out = NULL;
    *length = 0;
    if (code != CMUPDF_OK) return code;
    fz_var(pix);
    fz_var(bytes);
    fz_var(n);
    fz_var(code);
    fz_try(ctx) {
        pix = fz_new_pixmap_from_page_number(ctx, d->doc, page, fz_scale(dpi / 72.0f, dpi / 72.0f), fz_device_rgb(ctx), 0);
        // Encoders write the pixmap's resolution (pHYs, JFIF density).
        fz_set_pixmap_resolution(ctx, pix, (int)dpi, (int)dpi);
        if (format == CMUPDF_IMAGE_JPEG) {
            bytes = cmupdf_encode_jpeg(ctx, pix, quality, &n);
        } else if (format == CMUPDF_IMAGE_WEBP) {
            bytes = cmupdf_encode_webp(ctx, pix, quality, &n);
        } else {
            bytes = cmupdf_encode_png_fast(ctx, pix, &n);
        }
    }
    fz_always(ctx) {
        fz_drop_pixmap(ctx, pix);
    }
    fz_catch(ctx) {
        free(bytes);
        bytes = NULL;
        n = 0;
        code = cmupdf_caught(ctx, CMUPDF_ERR_DAMAGED, err, errlen);
    }
    *out = bytes;
    *length = n;
    return code;
}

int cmupdf_page_render_gray(
    cmupdf_context *c, cmupdf_document *d, int page, float dpi, unsigned char **out, int *width, int *height, char *err,
    size_t errlen) {
    fz_context *ctx = c->ctx;
    fz_pixmap *pix = NULL;
    unsigned char *bytes = NULL;
    int code = cmupdf_check_page(d, page, err, errlen);
    *out = NULL;
    *width = 0;
    *height = 0;
    if (code != CMUPDF_OK) return code;
    fz_var(pix);
    fz_var(bytes);
    fz_var(code);
    fz_try(ctx) {
        pix = fz_new_pixmap_from_page_number(ctx, d->doc, page, fz_scale(dpi / 72.0f, dpi / 72.0f), fz_device_gray(ctx), 0);
        int w = fz_pixmap_width(ctx, pix), h = fz_pixmap_height(ctx, pix), stride = fz_pixmap_stride(ctx, pix);
        bytes = malloc((size_t)w * (size_t)h);
        if (!bytes) fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory");
        // MuPDF may pad rows; the caller gets them packed.
        for (int y = 0; y < h; y++) memcpy(bytes + (size_t)y * w, fz_pixmap_samples(ctx, pix) + (size_t)y * stride, (size_t)w);
        *width = w;
        *height = h;
    }
    fz_always(ctx) {
        fz_drop_pixmap(ctx, pix);
    }
    fz_catch(ctx) {
        free(bytes);
        bytes = NULL;
        *width = 0;
        *height = 0;
        code = cmupdf_caught(ctx, CMUPDF_ERR_DAMAGED, err, errlen);
    }
    *out = bytes;
    return code;
}

/// libjpeg's default error_exit calls exit(): a bad image would end the whole engine host (and
/// its job be retried). This one jumps back to cmupdf_encode_jpeg, which throws a MuPDF error.
struct cmupdf_jpeg_error {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

static void cmupdf_jpeg_error_exit(j_common_ptr cinfo) {
    struct cmupdf_jpeg_error *error = (struct cmupdf_jpeg_error *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, error->message);
    longjmp(error->jump, 1);
}

unsigned char *cmupdf_encode_jpeg(fz_context *ctx, fz_pixmap *pix, int quality, size_t *length) {
    if (pix->alpha || (pix->n != 1 && pix->n != 3)) fz_throw(ctx, FZ_ERROR_GENERIC, "JPEG encoder takes gray or RGB without alpha");
    struct jpeg_compress_struct cinfo;
    struct cmupdf_jpeg_error jerr;
    // volatile: read after longjmp; libjpeg's memory destination updates it as it grows.
    unsigned char *volatile mem = NULL;
    unsigned long size = 0;
    cinfo.err = jpeg_std_error(&jerr.base);
    jerr.base.error_exit = cmupdf_jpeg_error_exit;
    if (setjmp(jerr.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(mem);
        fz_throw(ctx, FZ_ERROR_GENERIC, "JPEG encoder: %s", jerr.message);
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, (unsigned char **)&mem, &size);
    cinfo.image_width = (JDIMENSION)pix->w;
    cinfo.image_height = (JDIMENSION)pix->h;
    cinfo.input_components = pix->n;
    cinfo.in_color_space = pix->n == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    // Huffman tables fitted to the image: about 5 % smaller at the same quality, for little time.
    cinfo.optimize_coding = TRUE;
    cinfo.density_unit = 1;
    cinfo.X_density = (UINT16)pix->xres;
    cinfo.Y_density = (UINT16)pix->yres;
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = pix->samples + (size_t)cinfo.next_scanline * pix->stride;
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    if (!mem) fz_throw(ctx, FZ_ERROR_MEMORY, "JPEG encoder out of memory");
    // jpeg_mem_dest allocates with malloc: the caller frees with cmupdf_free (free).
    *length = size;
    return mem;
}

static unsigned char *cmupdf_encode_webp(fz_context *ctx, fz_pixmap *pix, int quality, size_t *length) {
    uint8_t *webp = NULL;
    size_t size = WebPEncodeRGB(pix->samples, pix->w, pix->h, (int)pix->stride, (float)quality, &webp);
    if (size == 0 || !webp) fz_throw(ctx, FZ_ERROR_GENERIC, "WebP encoder failed (page too large for WebP's 16383 px limit?)");
    unsigned char *copy = malloc(size);
    if (!copy) {
        WebPFree(webp);
        fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory");
    }
    memcpy(copy, webp, size);
    WebPFree(webp);
    *length = size;
    return copy;
}
