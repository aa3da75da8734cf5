// SPDX-License-Identifier: AGPL-3.0-or-later
// The image stage of /pdf/optimize: finds how large each image is drawn, downsamples those
// stored at more than the target resolution for that size, re-encodes photos as JPEG, and saves
// with MuPDF's garbage collection (unused objects dropped, duplicates merged). The lossless
// stage (object streams) is qpdf's, in Swift (PDFOptimizer). Same fz_try rules as shim.c.
#include "cmupdf.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <mupdf/pdf.h>

/// Resample only when an image has more than this many times the target resolution, as
/// Ghostscript's DownsampleThreshold 1.5 does: a small reduction is not worth a generation of loss.
static const float resample_threshold = 1.5f;

// MARK: - Where images are drawn

/// The largest size, in points, at which one image is drawn anywhere in the document.
typedef struct {
    fz_image *image;
    float width, height;
} image_use;

typedef struct {
    fz_device super;
    image_use *uses;
    int count, capacity;
} usage_device;

static void note_use(fz_context *ctx, fz_device *dev, fz_image *image, fz_matrix ctm) {
    usage_device *usage = (usage_device *)dev;
    // An image fills the unit square: the transform's column lengths are its drawn size.
    float width = sqrtf(ctm.a * ctm.a + ctm.b * ctm.b);
    float height = sqrtf(ctm.c * ctm.c + ctm.d * ctm.d);
    for (int i = 0; i < usage->count; i++) {
        if (usage->uses[i].image == image) {
            usage->uses[i].width = fmaxf(usage->uses[i].width, width);
            usage->uses[i].height = fmaxf(usage->uses[i].height, height);
            return;
        }
    }
    if (usage->count == usage->capacity) {
        int capacity = usage->capacity ? usage->capacity * 2 : 64;
        usage->uses = fz_realloc_array(ctx, usage->uses, capacity, image_use);
        usage->capacity = capacity;
    }
    usage->uses[usage->count++] = (image_use){fz_keep_image(ctx, image), width, height};
}

static void usage_fill_image(fz_context *ctx, fz_device *dev, fz_image *image, fz_matrix ctm, float alpha, fz_color_params params) {
    (void)alpha;
    (void)params;
    note_use(ctx, dev, image, ctm);
}

static void usage_fill_image_mask(
    fz_context *ctx, fz_device *dev, fz_image *image, fz_matrix ctm, fz_colorspace *cs, const float *color, float alpha,
    fz_color_params params) {
    (void)cs;
    (void)color;
    (void)alpha;
    (void)params;
    note_use(ctx, dev, image, ctm);
}

static void usage_clip_image_mask(fz_context *ctx, fz_device *dev, fz_image *image, fz_matrix ctm, fz_rect scissor) {
    (void)scissor;
    note_use(ctx, dev, image, ctm);
}

static const image_use *find_use(const usage_device *usage, const fz_image *image) {
    for (int i = 0; i < usage->count; i++)
        if (usage->uses[i].image == image) return &usage->uses[i];
    return NULL;
}

static void drop_uses(fz_context *ctx, usage_device *usage) {
    for (int i = 0; i < usage->count; i++) fz_drop_image(ctx, usage->uses[i].image);
    fz_free(ctx, usage->uses);
    usage->uses = NULL;
    usage->count = usage->capacity = 0;
}

// MARK: - Downsampling

/// Catmull-Rom cubic (a = -0.5), the kernel of "bicubic" in Ghostscript and Pillow.
static float cubic(float x) {
    const float a = -0.5f;
    x = fabsf(x);
    if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
    if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
    return 0;
}

/// For each output sample, the input samples it reads and their weights (fixed point, 1 << 14
/// = 1.0): the cubic stretched by the reduction factor, so every input pixel contributes (no
/// aliasing on text edges).
typedef struct {
    int *first, *count;
    int32_t *weights;
    int stride;
} taps;

enum { weight_bits = 14 };

static taps make_taps(fz_context *ctx, int from, int to) {
    float factor = (float)from / to;
    float support = 2 * fmaxf(factor, 1);
    taps t = {0};
    t.stride = (int)ceilf(support) * 2 + 2;
    t.first = fz_malloc_array(ctx, to, int);
    t.count = fz_malloc_array(ctx, to, int);
    t.weights = fz_malloc_array(ctx, (size_t)to * t.stride, int32_t);
    float *w = fz_malloc_array(ctx, t.stride, float);
    for (int i = 0; i < to; i++) {
        float center = (i + 0.5f) * factor;
        int first = (int)floorf(center - support), last = (int)ceilf(center + support);
        if (first < 0) first = 0;
        if (last > from - 1) last = from - 1;
        if (last - first + 1 > t.stride) last = first + t.stride - 1;
        float sum = 0;
        for (int j = first; j <= last; j++) sum += w[j - first] = cubic((j + 0.5f - center) / fmaxf(factor, 1));
        for (int j = first; j <= last; j++)
            t.weights[(size_t)i * t.stride + j - first] = (int32_t)lroundf(w[j - first] / (sum != 0 ? sum : 1) * (1 << weight_bits));
        t.first[i] = first;
        t.count[i] = last - first + 1;
    }
    fz_free(ctx, w);
    return t;
}

static void drop_taps(fz_context *ctx, taps *t) {
    fz_free(ctx, t->first);
    fz_free(ctx, t->count);
    fz_free(ctx, t->weights);
}

static unsigned char clamp_byte(int32_t v) {
    v = (v + (1 << (weight_bits - 1))) >> weight_bits;
    return v <= 0 ? 0 : v >= 255 ? 255 : (unsigned char)v;
}

/// One row across: `n` interleaved channels.
static void resample_row(const unsigned char *in, unsigned char *out, int width, int n, const taps *t) {
    for (int x = 0; x < width; x++) {
        const int32_t *w = t->weights + (size_t)x * t->stride;
        const unsigned char *p = in + (size_t)t->first[x] * n;
        int32_t sum[4] = {0, 0, 0, 0};
        for (int k = 0; k < t->count[x]; k++, p += n)
            for (int c = 0; c < n; c++) sum[c] += w[k] * p[c];
        for (int c = 0; c < n; c++) out[x * n + c] = clamp_byte(sum[c]);
    }
}

/// `src` (gray or RGB, no alpha) resized to `width`×`height` with the bicubic filter: columns
/// first (whole rows at a time, which the compiler vectorizes), so the slower across-the-row
/// pass only runs on the `height` rows that remain.
static fz_pixmap *resample_bicubic(fz_context *ctx, const fz_pixmap *src, int width, int height) {
    int n = src->n;
    size_t in_bytes = (size_t)src->w * n;
    taps down = make_taps(ctx, src->h, height), across = {0};
    int32_t *sums = NULL;
    unsigned char *column = NULL;
    fz_pixmap *out = NULL;
    fz_var(across);
    fz_var(sums);
    fz_var(column);
    fz_var(out);
    fz_try(ctx) {
        if (n > 4) fz_throw(ctx, FZ_ERROR_GENERIC, "too many channels to resample");
        across = make_taps(ctx, src->w, width);
        sums = fz_malloc_array(ctx, in_bytes, int32_t);
        column = fz_malloc(ctx, in_bytes);
        out = fz_new_pixmap(ctx, src->colorspace, width, height, NULL, 0);
        for (int y = 0; y < height; y++) {
            const int32_t *w = down.weights + (size_t)y * down.stride;
            memset(sums, 0, in_bytes * sizeof *sums);
            for (int k = 0; k < down.count[y]; k++) {
                const unsigned char *row = src->samples + (size_t)(down.first[y] + k) * src->stride;
                int32_t weight = w[k];
                for (size_t i = 0; i < in_bytes; i++) sums[i] += weight * row[i];
            }
            for (size_t i = 0; i < in_bytes; i++) column[i] = clamp_byte(sums[i]);
            resample_row(column, out->samples + (size_t)y * out->stride, width, n, &across);
        }
    }
    fz_always(ctx) {
        fz_free(ctx, column);
        fz_free(ctx, sums);
        drop_taps(ctx, &across);
        drop_taps(ctx, &down);
    }
    fz_catch(ctx) {
        fz_drop_pixmap(ctx, out);
        fz_rethrow(ctx);
    }
    return out;
}

// MARK: - One image

/// The image's pixels as tightly packed rows, for zlib.
static unsigned char *packed_samples(fz_context *ctx, const fz_pixmap *pix, size_t *length) {
    size_t row = (size_t)pix->w * pix->n;
    unsigned char *bytes = fz_malloc(ctx, row * pix->h);
    for (int y = 0; y < pix->h; y++) memcpy(bytes + y * row, pix->samples + (size_t)y * pix->stride, row);
    *length = row * pix->h;
    return bytes;
}

static fz_buffer *encode_flate(fz_context *ctx, const fz_pixmap *pix) {
    size_t raw_length = 0;
    unsigned char *raw = packed_samples(ctx, pix, &raw_length);
    unsigned char *packed = NULL;
    size_t packed_length = 0;
    int code = cmupdf_deflate(raw, raw_length, 6, &packed, &packed_length);
    fz_free(ctx, raw);
    if (code != CMUPDF_OK) fz_throw(ctx, FZ_ERROR_MEMORY, "zlib failed");
    fz_buffer *buf = fz_new_buffer_from_copied_data(ctx, packed, packed_length);
    free(packed);
    return buf;
}

static fz_buffer *encode_jpeg(fz_context *ctx, fz_pixmap *pix, int quality) {
    size_t length = 0;
    unsigned char *bytes = cmupdf_encode_jpeg(ctx, pix, quality, &length);
    fz_buffer *buf = NULL;
    fz_try(ctx) buf = fz_new_buffer_from_copied_data(ctx, bytes, length);
    fz_always(ctx) free(bytes);
    fz_catch(ctx) fz_rethrow(ctx);
    return buf;
}

/// Whether `dict` is an image Quire may rewrite: 8-bit colour or gray pixels, no colour-key
/// mask, no alpha, no soft mask with /Matte (pre-blended with these very pixels).
static int is_rewritable(fz_context *ctx, pdf_obj *dict, fz_image *image) {
    if (image->imagemask || image->bpc < 8 || image->use_colorkey || !image->colorspace) return 0;
    if (pdf_is_array(ctx, pdf_dict_get(ctx, dict, PDF_NAME(Mask)))) return 0;
    if (pdf_dict_get(ctx, pdf_dict_get(ctx, dict, PDF_NAME(SMask)), PDF_NAME(Matte))) return 0;
    if (pdf_dict_get(ctx, dict, PDF_NAME(SMaskInData))) return 0;
    fz_colorspace *cs = image->colorspace;
    if (fz_colorspace_is_indexed(ctx, cs)) cs = cs->u.indexed.base;
    // CMYK stays as it is: CMYK JPEG means Adobe's inverted-data convention, which readers disagree on.
    return fz_colorspace_is_gray(ctx, cs) || fz_colorspace_is_rgb(ctx, cs);
}

static int filter_is(fz_context *ctx, pdf_obj *dict, pdf_obj *name) {
    pdf_obj *filter = pdf_dict_get(ctx, dict, PDF_NAME(Filter));
    if (pdf_is_array(ctx, filter)) filter = pdf_array_get(ctx, filter, pdf_array_len(ctx, filter) - 1);
    return pdf_name_eq(ctx, filter, name);
}

/// Rewrites one image stream when that makes it smaller; returns 1 if it did.
static int optimize_image(
    fz_context *ctx, pdf_document *pdf, pdf_obj *ref, fz_image *image, const image_use *use,
    const cmupdf_optimize_settings *settings, int *resampled) {
    pdf_obj *dict = pdf_resolve_indirect(ctx, ref);
    if (!is_rewritable(ctx, dict, image)) return 0;
    int was_jpeg = filter_is(ctx, dict, PDF_NAME(DCTDecode));
    int original_length = pdf_dict_get_int(ctx, dict, PDF_NAME(Length));
    fz_colorspace *cs = image->colorspace;
    int to_gray = settings->grayscale && !fz_colorspace_is_gray(ctx, cs);

    // Drawn at `use` points wide: its resolution there, per axis, in pixels per inch.
    float ppi_x = use->width > 0.01f ? image->w / (use->width / 72.0f) : 0;
    float ppi_y = use->height > 0.01f ? image->h / (use->height / 72.0f) : 0;
    float ppi = fminf(ppi_x, ppi_y);
    float scale = 1;
    if (settings->target_dpi > 0 && ppi > settings->target_dpi * resample_threshold)
        scale = settings->target_dpi / ppi;
    int width = scale < 1 ? (int)lroundf(image->w * scale) : image->w;
    int height = scale < 1 ? (int)lroundf(image->h * scale) : image->h;
    if (width < 1) width = 1;
    if (height < 1) height = 1;
    // A JPEG at its own size and colours is only re-encoded when a quality is asked for below
    // what it likely has; a lossless image at its own size is left to qpdf's Flate pass.
    if (scale >= 1 && !to_gray && !(was_jpeg && settings->recompress_jpeg)) return 0;

    fz_pixmap *pix = NULL, *scaled = NULL, *gray = NULL;
    fz_buffer *encoded = NULL;
    int rewritten = 0;
    fz_var(pix);
    fz_var(scaled);
    fz_var(gray);
    fz_var(encoded);
    fz_var(rewritten);
    fz_try(ctx) {
        // Asking for twice the target size lets MuPDF decode a much larger image at 1/2, 1/4 or
        // 1/8 of its size (libjpeg's DCT scaling: fast); the bicubic filter does the rest, which
        // keeps text edges sharp (+1.8 dB PSNR on the benchmark's scans against MuPDF's
        // triangle filter, docs/benchmarks.md).
        fz_matrix drawn = fz_scale(fminf(2.0f * width, (float)image->w), fminf(2.0f * height, (float)image->h));
        pix = fz_get_pixmap_from_image(ctx, image, NULL, &drawn, NULL, NULL);
        if (pix->alpha || (pix->n != 1 && pix->n != 3)) break;
        fz_pixmap *current = pix;
        if (width != pix->w || height != pix->h) {
            scaled = resample_bicubic(ctx, current, width, height);
            current = scaled;
        }
        if (to_gray) {
            gray = fz_convert_pixmap(ctx, current, fz_device_gray(ctx), NULL, NULL, fz_default_color_params, 0);
            current = gray;
        }
        int jpeg = settings->use_jpeg && (was_jpeg || cmupdf_looks_like_photo(current));
        if (!jpeg && width == image->w && height == image->h && !to_gray) break;
        encoded = jpeg ? encode_jpeg(ctx, current, settings->jpeg_quality) : encode_flate(ctx, current);
        if (original_length > 0 && fz_buffer_storage(ctx, encoded, NULL) >= (size_t)original_length) break;

        pdf_update_stream(ctx, pdf, ref, encoded, 1);
        pdf_dict_put(ctx, dict, PDF_NAME(Filter), jpeg ? PDF_NAME(DCTDecode) : PDF_NAME(FlateDecode));
        pdf_dict_del(ctx, dict, PDF_NAME(DecodeParms));
        pdf_dict_del(ctx, dict, PDF_NAME(Decode));  // already applied to the decoded pixels
        pdf_dict_put_int(ctx, dict, PDF_NAME(Width), current->w);
        pdf_dict_put_int(ctx, dict, PDF_NAME(Height), current->h);
        pdf_dict_put_int(ctx, dict, PDF_NAME(BitsPerComponent), 8);
        // The pixels are in the base space now (indexed images were expanded); an ICC-based
        // space with the same number of components stays, so colours are read as before.
        pdf_obj *old_cs = pdf_dict_get(ctx, dict, PDF_NAME(ColorSpace));
        int keep_cs = !to_gray && !fz_colorspace_is_indexed(ctx, cs) && fz_colorspace_n(ctx, cs) == current->n;
        if (!keep_cs || !old_cs)
            pdf_dict_put(ctx, dict, PDF_NAME(ColorSpace), current->n == 1 ? PDF_NAME(DeviceGray) : PDF_NAME(DeviceRGB));
        rewritten = 1;
        if (scaled) (*resampled)++;
    }
    fz_always(ctx) {
        fz_drop_buffer(ctx, encoded);
        fz_drop_pixmap(ctx, gray);
        fz_drop_pixmap(ctx, scaled);
        fz_drop_pixmap(ctx, pix);
    }
    fz_catch(ctx) {
        // A broken image stays as it was; the rest of the document is still optimized.
        if (fz_caught(ctx) == FZ_ERROR_MEMORY) fz_rethrow(ctx);
        return 0;
    }
    return rewritten;
}

// MARK: - The document

static void record_image_uses(fz_context *ctx, fz_document *doc, usage_device *usage) {
    int pages = fz_count_pages(ctx, doc);
    for (int i = 0; i < pages; i++) {
        fz_page *page = fz_load_page(ctx, doc, i);
        fz_try(ctx) fz_run_page(ctx, page, &usage->super, fz_identity, NULL);
        fz_always(ctx) fz_drop_page(ctx, page);
        fz_catch(ctx) fz_rethrow(ctx);
    }
}

int cmupdf_optimize_images(
    cmupdf_context *c, const char *input, const char *password, const char *output, const cmupdf_optimize_settings *settings,
    cmupdf_optimize_stats *stats, char *err, size_t errlen) {
    fz_context *ctx = c->ctx;
    fz_document *doc = NULL;
    usage_device *usage = NULL;
    int code = CMUPDF_OK;
    memset(stats, 0, sizeof *stats);
    fz_var(doc);
    fz_var(usage);
    fz_var(code);
    fz_try(ctx) {
        doc = fz_open_document(ctx, input);
        if (fz_needs_password(ctx, doc) && !fz_authenticate_password(ctx, doc, password ? password : ""))
            fz_throw(ctx, FZ_ERROR_GENERIC, "wrong password");
        pdf_document *pdf = pdf_specifics(ctx, doc);
        if (!pdf) fz_throw(ctx, FZ_ERROR_GENERIC, "not a PDF");

        usage = fz_new_derived_device(ctx, usage_device);
        usage->super.fill_image = usage_fill_image;
        usage->super.fill_image_mask = usage_fill_image_mask;
        usage->super.clip_image_mask = usage_clip_image_mask;
        record_image_uses(ctx, doc, usage);

        int objects = pdf_xref_len(ctx, pdf);
        for (int num = 1; num < objects; num++) {
            pdf_xref_entry *entry = pdf_get_xref_entry(ctx, pdf, num);
            if (!entry || (entry->type != 'n' && entry->type != 'o')) continue;
            pdf_obj *ref = pdf_new_indirect(ctx, pdf, num, entry->type == 'n' ? entry->gen : 0);
            fz_try(ctx) {
                if (pdf_is_stream(ctx, ref) && pdf_name_eq(ctx, pdf_dict_get(ctx, ref, PDF_NAME(Subtype)), PDF_NAME(Image))) {
                    stats->images++;
                    // The image the pages drew, if MuPDF still holds it: images never drawn
                    // (soft masks, unused ones) are not touched.
                    fz_image *image = pdf_find_item(ctx, fz_drop_image_imp, ref);
                    const image_use *use = image ? find_use(usage, image) : NULL;
                    if (use && optimize_image(ctx, pdf, ref, image, use, settings, &stats->resampled)) stats->rewritten++;
                    fz_drop_image(ctx, image);
                }
            }
            fz_always(ctx) pdf_drop_obj(ctx, ref);
            fz_catch(ctx) fz_rethrow(ctx);
        }

        pdf_write_options options = pdf_default_write_options;
        options.do_garbage = 3;  // drop unused objects, renumber, merge duplicates (fonts, images)
        options.do_compress = 1;
        options.do_compress_images = 1;
        options.do_compress_fonts = 1;
        options.do_encrypt = PDF_ENCRYPT_KEEP;
        pdf_save_document(ctx, pdf, output, &options);
    }
    fz_always(ctx) {
        if (usage) {
            drop_uses(ctx, usage);
            fz_drop_device(ctx, &usage->super);
        }
        fz_drop_document(ctx, doc);
    }
    fz_catch(ctx) { code = cmupdf_caught(ctx, CMUPDF_ERR_DAMAGED, err, errlen); }
    return code;
}
