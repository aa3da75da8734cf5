// SPDX-License-Identifier: AGPL-3.0-or-later
// Image decoding for images → PDF (formats whose bytes cannot go into a PDF as they are: GIF,
// BMP, TIFF, WebP, PNG with alpha or interlacing), and zlib for the PDF writer. Same fz_try rules as shim.c.
#include "cmupdf.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <webp/decode.h>
#include <zlib.h>

int cmupdf_image_subimage_count(
    cmupdf_context *c, const unsigned char *data, size_t length, int *count, char *err, size_t errlen) {
    fz_context *ctx = c->ctx;
    int code = CMUPDF_OK;
    *count = 1;
    fz_var(code);
    fz_try(ctx) {
        cmupdf_check_tiff(ctx, data, length);
        if (fz_recognize_image_format(ctx, (unsigned char *)data) == FZ_IMAGE_TIFF)
            *count = fz_load_tiff_subimage_count(ctx, (unsigned char *)data, length);
    }
    fz_catch(ctx) { code = cmupdf_caught(ctx, CMUPDF_ERR_DAMAGED, err, errlen); }
    return code;
}

int cmupdf_image_size(
    cmupdf_context *c, const unsigned char *data, size_t length, int *width, int *height, char *err, size_t errlen) {
    fz_context *ctx = c->ctx;
    fz_buffer *buf = NULL;
    fz_image *image = NULL;
    int code = CMUPDF_OK;
    *width = *height = 0;
    fz_var(buf);
    fz_var(image);
    fz_var(code);
    fz_try(ctx) {
        cmupdf_check_tiff(ctx, data, length);
        buf = fz_new_buffer_from_copied_data(ctx, data, length);
        image = fz_new_image_from_buffer(ctx, buf);  // reads the header only
        *width = image->w;
        *height = image->h;
    }
    fz_always(ctx) {
        fz_drop_image(ctx, image);
        fz_drop_buffer(ctx, buf);
    }
    fz_catch(ctx) { code = cmupdf_caught(ctx, CMUPDF_ERR_DAMAGED, err, errlen); }
    return code;
}

/// Copies `pix` into straight (not premultiplied) 8-bit color and alpha planes.
static void cmupdf_fill_raster(fz_pixmap *pix, cmupdf_raster *out) {
    int w = pix->w, h = pix->h, n = pix->n, alpha = pix->alpha, colorants = n - alpha;
    out->width = w;
    out->height = h;
    out->colorants = colorants;
    out->has_alpha = alpha;
    out->xres = pix->xres;
    out->yres = pix->yres;
    out->color_length = (size_t)w * h * colorants;
    out->color = malloc(out->color_length ? out->color_length : 1);
    out->alpha_length = alpha ? (size_t)w * h : 0;
    out->alpha = alpha ? malloc(out->alpha_length ? out->alpha_length : 1) : NULL;
    if (!out->color || (alpha && !out->alpha)) return;
    for (int y = 0; y < h; y++) {
        const unsigned char *row = pix->samples + (size_t)y * pix->stride;
        unsigned char *color = out->color + (size_t)y * w * colorants;
        for (int x = 0; x < w; x++) {
            const unsigned char *px = row + (size_t)x * n;
            unsigned a = alpha ? px[colorants] : 255;
            for (int k = 0; k < colorants; k++) {
                unsigned v = px[k];
                // MuPDF premultiplies; PDF soft masks want the straight color back.
                if (alpha) v = a ? (v * 255 + a / 2) / a : 0;
                color[(size_t)x * colorants + k] = v > 255 ? 255 : (unsigned char)v;
            }
            if (alpha) out->alpha[(size_t)y * w + x] = (unsigned char)a;
        }
    }
}

int cmupdf_image_decode(
    cmupdf_context *c, const unsigned char *data, size_t length, int subimage, cmupdf_raster *out, char *err, size_t errlen) {
    fz_context *ctx = c->ctx;
    fz_buffer *buf = NULL;
    fz_image *image = NULL;
    fz_pixmap *pix = NULL;
    fz_pixmap *converted = NULL;
    int code = CMUPDF_OK;
    memset(out, 0, sizeof *out);
    fz_var(buf);
    fz_var(image);
    fz_var(pix);
    fz_var(converted);
    fz_var(code);
    fz_try(ctx) {
        cmupdf_check_tiff(ctx, data, length);
        if (fz_recognize_image_format(ctx, (unsigned char *)data) == FZ_IMAGE_TIFF) {
            pix = fz_load_tiff_subimage(ctx, (unsigned char *)data, length, subimage);
        } else {
            buf = fz_new_buffer_from_copied_data(ctx, data, length);
            image = fz_new_image_from_buffer(ctx, buf);
            pix = fz_get_pixmap_from_image(ctx, image, NULL, NULL, NULL, NULL);
            if (pix->xres == 0 || pix->yres == 0) fz_set_pixmap_resolution(ctx, pix, image->xres, image->yres);
        }
        enum fz_colorspace_type type = pix->colorspace ? fz_colorspace_type(ctx, pix->colorspace) : FZ_COLORSPACE_NONE;
        if (type != FZ_COLORSPACE_GRAY && type != FZ_COLORSPACE_RGB && type != FZ_COLORSPACE_CMYK) {
            // BGR, Lab, separations…: PDF gets RGB.
            converted = fz_convert_pixmap(ctx, pix, fz_device_rgb(ctx), NULL, NULL, fz_default_color_params, 1);
        }
        cmupdf_fill_raster(converted ? converted : pix, out);
        if (!out->color || (out->has_alpha && !out->alpha)) fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory");
    }
    fz_always(ctx) {
        fz_drop_pixmap(ctx, converted);
        fz_drop_pixmap(ctx, pix);
        fz_drop_image(ctx, image);
        fz_drop_buffer(ctx, buf);
    }
    fz_catch(ctx) {
        cmupdf_raster_free(out);
        code = cmupdf_caught(ctx, CMUPDF_ERR_DAMAGED, err, errlen);
    }
    return code;
}

void cmupdf_raster_free(cmupdf_raster *raster) {
    free(raster->color);
    free(raster->alpha);
    raster->color = NULL;
    raster->alpha = NULL;
}

// zlib, not libdeflate (which png_writer.c uses for speed): at level 6 libdeflate was 1.7 times
// faster here but up to 75 % larger on smooth images, and optimize.c's output size counts.
int cmupdf_deflate(const unsigned char *in, size_t length, int level, unsigned char **out, size_t *out_length) {
    uLongf capacity = compressBound(length);
    unsigned char *buffer = malloc(capacity ? capacity : 1);
    *out = NULL;
    *out_length = 0;
    if (!buffer) return CMUPDF_ERR_MEMORY;
    if (compress2(buffer, &capacity, in, length, level) != Z_OK) {
        free(buffer);
        return CMUPDF_ERR_FAILED;
    }
    *out = buffer;
    *out_length = capacity;
    return CMUPDF_OK;
}

int cmupdf_inflate(const unsigned char *in, size_t length, size_t max_length, unsigned char **out, size_t *out_length) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    *out = NULL;
    *out_length = 0;
    if (inflateInit(&stream) != Z_OK) return CMUPDF_ERR_FAILED;
    unsigned char *buffer = malloc(max_length ? max_length : 1);
    if (!buffer) {
        inflateEnd(&stream);
        return CMUPDF_ERR_MEMORY;
    }
    stream.next_in = (unsigned char *)in;
    stream.avail_in = (uInt)length;
    stream.next_out = buffer;
    stream.avail_out = (uInt)max_length;
    int rc = inflate(&stream, Z_FINISH);
    size_t produced = stream.total_out;
    inflateEnd(&stream);
    // Z_BUF_ERROR with a full buffer: more data than the image needs; the caller checks the size.
    if (rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && produced == max_length)) {
        free(buffer);
        return CMUPDF_ERR_DAMAGED;
    }
    *out = buffer;
    *out_length = produced;
    return CMUPDF_OK;
}

int cmupdf_webp_decode(const unsigned char *data, size_t length, cmupdf_raster *out, char *err, size_t errlen) {
    WebPBitstreamFeatures features;
    memset(out, 0, sizeof *out);
    if (WebPGetFeatures(data, length, &features) != VP8_STATUS_OK) {
        cmupdf_set_error(err, errlen, "not a readable WebP image");
        return CMUPDF_ERR_DAMAGED;
    }
    int width = 0, height = 0;
    unsigned char *rgba = WebPDecodeRGBA(data, length, &width, &height);
    if (!rgba) {
        cmupdf_set_error(err, errlen, "the WebP image data is corrupt");
        return CMUPDF_ERR_DAMAGED;
    }
    size_t pixels = (size_t)width * height;
    out->width = width;
    out->height = height;
    out->colorants = 3;
    out->has_alpha = features.has_alpha;
    out->color_length = pixels * 3;
    out->color = malloc(out->color_length ? out->color_length : 1);
    out->alpha_length = features.has_alpha ? pixels : 0;
    out->alpha = features.has_alpha ? malloc(pixels ? pixels : 1) : NULL;
    if (!out->color || (features.has_alpha && !out->alpha)) {
        WebPFree(rgba);
        cmupdf_raster_free(out);
        return CMUPDF_ERR_MEMORY;
    }
    for (size_t i = 0; i < pixels; i++) {
        memcpy(out->color + i * 3, rgba + i * 4, 3);
        if (out->alpha) out->alpha[i] = rgba[i * 4 + 3];
    }
    WebPFree(rgba);
    return CMUPDF_OK;
}
