// SPDX-License-Identifier: AGPL-3.0-or-later
// Rendered pages → one multi-page TIFF (libtiff): RGB, 8 bits, Deflate with the horizontal
// predictor, the resolution in each page's tags. Same fz_try rules as shim.c.
#include "cmupdf.h"
#include "internal.h"

#include <stdio.h>
#include <tiffio.h>

/// Writes `pix` as the next page (directory) of `tiff`; returns 0 on success.
static int cmupdf_tiff_write_page(TIFF *tiff, fz_pixmap *pix, float dpi, int page, int pages) {
    TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, (uint32_t)pix->w);
    TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, (uint32_t)pix->h);
    TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, 3);
    TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, 8);
    TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
    TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tiff, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
    TIFFSetField(tiff, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
    TIFFSetField(tiff, TIFFTAG_ZIPQUALITY, 1);
    TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, TIFFDefaultStripSize(tiff, 0));
    TIFFSetField(tiff, TIFFTAG_XRESOLUTION, dpi);
    TIFFSetField(tiff, TIFFTAG_YRESOLUTION, dpi);
    TIFFSetField(tiff, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    TIFFSetField(tiff, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
    TIFFSetField(tiff, TIFFTAG_PAGENUMBER, (uint16_t)page, (uint16_t)pages);
    for (int y = 0; y < pix->h; y++) {
        if (TIFFWriteScanline(tiff, pix->samples + (size_t)y * pix->stride, (uint32_t)y, 0) < 0) return -1;
    }
    return TIFFWriteDirectory(tiff) ? 0 : -1;
}

int cmupdf_render_tiff(
    cmupdf_context *c, cmupdf_document *d, const int *pages, int count, float dpi, const char *path, char *err, size_t errlen) {
    fz_context *ctx = c->ctx;
    for (int i = 0; i < count; i++) {
        int code = cmupdf_check_page(d, pages[i], err, errlen);
        if (code != CMUPDF_OK) return code;
    }
    TIFF *tiff = TIFFOpen(path, "w");
    if (!tiff) {
        cmupdf_set_error(err, errlen, "cannot create the TIFF file");
        return CMUPDF_ERR_IO;
    }
    fz_pixmap *pix = NULL;
    int code = CMUPDF_OK;
    fz_var(pix);
    fz_var(code);
    for (int i = 0; i < count && code == CMUPDF_OK; i++) {
        fz_try(ctx) {
            pix = fz_new_pixmap_from_page_number(ctx, d->doc, pages[i], fz_scale(dpi / 72.0f, dpi / 72.0f), fz_device_rgb(ctx), 0);
            if (cmupdf_tiff_write_page(tiff, pix, dpi, i, count) != 0) fz_throw(ctx, FZ_ERROR_GENERIC, "cannot write the TIFF page");
        }
        fz_always(ctx) {
            fz_drop_pixmap(ctx, pix);
            pix = NULL;
        }
        fz_catch(ctx) { code = cmupdf_caught(ctx, CMUPDF_ERR_DAMAGED, err, errlen); }
    }
    TIFFClose(tiff);
    if (code != CMUPDF_OK) remove(path);
    return code;
}
