// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The resolution of a scanned page (cmupdf.h): the page run through a device that only looks
// at the images drawn, so OCR renders the page at the scan's own resolution instead of a fixed
// one (no upscaling a 200-dpi fax, no throwing away half of a 600-dpi scan's detail needlessly).
#include <math.h>

#include "cmupdf.h"
#include "internal.h"

typedef struct scan_device {
    fz_device super;
    float largest_area;  // of an image drawn, in square points
    float dpi;
} scan_device;

static void look_at_image(fz_context *ctx, fz_device *device, fz_image *image, fz_matrix ctm, float alpha, fz_color_params params) {
    (void)ctx;
    (void)alpha;
    (void)params;
    scan_device *scan = (scan_device *)device;
    // The image's unit square maps to its drawn box: the matrix's column lengths are its sides.
    float width = hypotf(ctm.a, ctm.b), height = hypotf(ctm.c, ctm.d);
    if (width < 1 || height < 1 || width * height <= scan->largest_area) return;
    scan->largest_area = width * height;
    scan->dpi = fminf(image->w / (width / 72.0f), image->h / (height / 72.0f));
}

static void look_at_masked_image(
    fz_context *ctx, fz_device *device, fz_image *image, fz_matrix ctm, fz_colorspace *space, const float *color, float alpha,
    fz_color_params params) {
    (void)space;
    (void)color;
    look_at_image(ctx, device, image, ctm, alpha, params);
}

int cmupdf_page_scan_resolution(
    cmupdf_context *c, cmupdf_document *d, int page, float *dpi, float *coverage, char *err, size_t errlen) {
    fz_context *ctx = c->ctx;
    *dpi = 0;
    *coverage = 0;
    int code = cmupdf_check_page(d, page, err, errlen);
    if (code != CMUPDF_OK) return code;
    scan_device *device = NULL;
    fz_page *loaded = NULL;
    fz_var(device);
    fz_var(loaded);
    fz_try(ctx) {
        loaded = fz_load_page(ctx, d->doc, page);
        device = fz_new_derived_device(ctx, scan_device);
        device->super.fill_image = look_at_image;
        device->super.fill_image_mask = look_at_masked_image;
        fz_run_page(ctx, loaded, &device->super, fz_identity, NULL);
        fz_close_device(ctx, &device->super);
        fz_rect bounds = fz_bound_page(ctx, loaded);
        float area = (bounds.x1 - bounds.x0) * (bounds.y1 - bounds.y0);
        *dpi = device->dpi;
        *coverage = area > 0 ? device->largest_area / area : 0;
    }
    fz_always(ctx) {
        fz_drop_device(ctx, &device->super);
        fz_drop_page(ctx, loaded);
    }
    fz_catch(ctx) { return cmupdf_caught(ctx, CMUPDF_ERR_DAMAGED, err, errlen); }
    return CMUPDF_OK;
}
