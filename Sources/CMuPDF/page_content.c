// SPDX-License-Identifier: AGPL-3.0-or-later
// A page's text with fonts, colours and boxes, and its ruling lines, for layout analysis (tables,
// PDF → JSON/CSV/XML). The exception rules at the top of shim.c apply here too.
#include "cmupdf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

// Ligatures expanded, as in shim.c, but no spaces made up by MuPDF (FZ_STEXT_INHIBIT_SPACES):
// layout analysis tells a space the PDF printed (a word gap) from a gap it only skipped (often a
// cell edge), and measures gaps itself.
static const fz_stext_options content_stext_options = { FZ_STEXT_MEDIABOX_CLIP | FZ_STEXT_INHIBIT_SPACES, 1.0f };

/// A stroke or fill thinner than this (points) is one ruling line; a wider filled rectangle gives
/// its four edges (shaded cells are bounded by them).
static const float thin_line = 2.5f;
/// A segment whose ends differ by less than this across its axis counts as straight.
static const float straight_tolerance = 0.75f;

typedef struct {
    fz_device base;
    cmupdf_segment *segments;
    size_t count, capacity;
    // Path walk state, in device space.
    fz_matrix ctm;
    fz_point start, current;
    float width;
    int all_straight;
    // Points of the path walked, to tell a rectangle from other shapes.
    int points;
} ruling_device;

static void add_segment(fz_context *ctx, ruling_device *dev, float x0, float y0, float x1, float y1, float width) {
    if (dev->count >= CMUPDF_MAX_SEGMENTS) return;  // bounded: a hostile page gets the first ones
    if (dev->count == dev->capacity) {
        size_t capacity = dev->capacity ? dev->capacity * 2 : 256;
        cmupdf_segment *grown = realloc(dev->segments, capacity * sizeof *grown);
        if (grown == NULL) fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory for ruling lines");
        dev->segments = grown;
        dev->capacity = capacity;
    }
    cmupdf_segment s = { fz_min(x0, x1), fz_min(y0, y1), fz_max(x0, x1), fz_max(y0, y1), width };
    dev->segments[dev->count++] = s;
}

/// Records the straight part of a stroked line from the current point to (x, y).
static void stroke_line_to(fz_context *ctx, ruling_device *dev, fz_point to) {
    fz_point from = dev->current;
    if (fabsf(from.y - to.y) < straight_tolerance && fabsf(from.x - to.x) >= straight_tolerance) {
        float y = (from.y + to.y) / 2;
        add_segment(ctx, dev, from.x, y, to.x, y, dev->width);
    } else if (fabsf(from.x - to.x) < straight_tolerance && fabsf(from.y - to.y) >= straight_tolerance) {
        float x = (from.x + to.x) / 2;
        add_segment(ctx, dev, x, from.y, x, to.y, dev->width);
    }
}

static void walk_moveto(fz_context *ctx, void *arg, float x, float y) {
    ruling_device *dev = arg;
    dev->start = dev->current = fz_transform_point_xy(x, y, dev->ctm);
    dev->points++;
}

static void walk_stroke_lineto(fz_context *ctx, void *arg, float x, float y) {
    ruling_device *dev = arg;
    fz_point to = fz_transform_point_xy(x, y, dev->ctm);
    stroke_line_to(ctx, dev, to);
    dev->current = to;
    dev->points++;
}

static void walk_stroke_closepath(fz_context *ctx, void *arg) {
    ruling_device *dev = arg;
    stroke_line_to(ctx, dev, dev->start);
    dev->current = dev->start;
}

static void walk_curveto(fz_context *ctx, void *arg, float x1, float y1, float x2, float y2, float x3, float y3) {
    ruling_device *dev = arg;
    dev->current = fz_transform_point_xy(x3, y3, dev->ctm);
    dev->all_straight = 0;
    dev->points++;
}

static void walk_fill_lineto(fz_context *ctx, void *arg, float x, float y) {
    ruling_device *dev = arg;
    fz_point to = fz_transform_point_xy(x, y, dev->ctm);
    if (fabsf(dev->current.x - to.x) >= straight_tolerance && fabsf(dev->current.y - to.y) >= straight_tolerance)
        dev->all_straight = 0;
    dev->current = to;
    dev->points++;
}

static void walk_closepath(fz_context *ctx, void *arg) {
    ruling_device *dev = arg;
    dev->current = dev->start;
}

/// Whether a colour is (near) white: invisible on a white page, so no ruling.
static int is_white(fz_context *ctx, fz_colorspace *cs, const float *color) {
    float rgb[3] = { 0, 0, 0 };
    if (cs == NULL || color == NULL) return 0;
    fz_convert_color(ctx, cs, color, fz_device_rgb(ctx), rgb, NULL, fz_default_color_params);
    return rgb[0] > 0.95f && rgb[1] > 0.95f && rgb[2] > 0.95f;
}

static void ruling_stroke_path(
    fz_context *ctx, fz_device *d, const fz_path *path, const fz_stroke_state *stroke, fz_matrix ctm,
    fz_colorspace *cs, const float *color, float alpha, fz_color_params params) {
    ruling_device *dev = (ruling_device *)d;
    static const fz_path_walker walker = { walk_moveto, walk_stroke_lineto, walk_curveto, walk_stroke_closepath };
    if (alpha < 0.1f || is_white(ctx, cs, color)) return;
    dev->ctm = ctm;
    dev->width = stroke->linewidth * fz_matrix_expansion(ctm);
    dev->points = 0;
    dev->all_straight = 1;
    fz_walk_path(ctx, path, &walker, dev);
}

static void ruling_fill_path(
    fz_context *ctx, fz_device *d, const fz_path *path, int even_odd, fz_matrix ctm, fz_colorspace *cs,
    const float *color, float alpha, fz_color_params params) {
    ruling_device *dev = (ruling_device *)d;
    static const fz_path_walker walker = { walk_moveto, walk_fill_lineto, walk_curveto, walk_closepath };
    if (alpha < 0.1f || is_white(ctx, cs, color)) return;
    dev->ctm = ctm;
    dev->points = 0;
    dev->all_straight = 1;
    fz_walk_path(ctx, path, &walker, dev);
    // Only rectangles (up to 5 points with the closing one, all edges straight) are rulings.
    if (!dev->all_straight || dev->points > 5) return;
    fz_rect r = fz_bound_path(ctx, path, NULL, ctm);
    float w = r.x1 - r.x0, h = r.y1 - r.y0;
    if (w <= thin_line && h <= thin_line) return;  // a dot
    if (h <= thin_line) {
        add_segment(ctx, dev, r.x0, (r.y0 + r.y1) / 2, r.x1, (r.y0 + r.y1) / 2, h);
    } else if (w <= thin_line) {
        add_segment(ctx, dev, (r.x0 + r.x1) / 2, r.y0, (r.x0 + r.x1) / 2, r.y1, w);
    } else {
        add_segment(ctx, dev, r.x0, r.y0, r.x1, r.y0, 0);
        add_segment(ctx, dev, r.x0, r.y1, r.x1, r.y1, 0);
        add_segment(ctx, dev, r.x0, r.y0, r.x0, r.y1, 0);
        add_segment(ctx, dev, r.x1, r.y0, r.x1, r.y1, 0);
    }
}

/// The index of `font` in `content->fonts`, adding it when new (NULL or past the cap: -1).
static int32_t font_index(fz_context *ctx, cmupdf_page_content *content, fz_font **seen, fz_font *font) {
    if (font == NULL) return -1;
    for (size_t i = 0; i < content->font_count; i++)
        if (seen[i] == font) return (int32_t)i;
    if (content->font_count >= CMUPDF_MAX_FONTS) return -1;
    size_t i = content->font_count++;
    seen[i] = font;
    cmupdf_font_info *info = &content->fonts[i];
    const char *name = fz_font_name(ctx, font);
    snprintf(info->name, sizeof info->name, "%s", name ? name : "");
    info->flags = (fz_font_is_bold(ctx, font) ? CMUPDF_FONT_BOLD : 0) | (fz_font_is_italic(ctx, font) ? CMUPDF_FONT_ITALIC : 0) |
        (fz_font_is_monospaced(ctx, font) ? CMUPDF_FONT_MONOSPACED : 0) | (fz_font_is_serif(ctx, font) ? CMUPDF_FONT_SERIF : 0);
    return (int32_t)i;
}

static void fill_text(fz_context *ctx, fz_stext_page *text, cmupdf_page_content *content, fz_font **seen) {
    size_t n = 0;
    for (fz_stext_block *b = text->first_block; b != NULL; b = b->next) {
        if (b->type != FZ_STEXT_BLOCK_TEXT) continue;
        for (fz_stext_line *l = b->u.t.first_line; l != NULL; l = l->next)
            for (fz_stext_char *ch = l->first_char; ch != NULL; ch = ch->next) n++;
    }
    if (n == 0) return;
    content->chars = malloc(n * sizeof *content->chars);
    if (content->chars == NULL) fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory for %zu characters", n);
    size_t i = 0;
    int32_t block = 0, line = 0;
    for (fz_stext_block *b = text->first_block; b != NULL; b = b->next) {
        if (b->type != FZ_STEXT_BLOCK_TEXT) continue;
        for (fz_stext_line *l = b->u.t.first_line; l != NULL; l = l->next, line++) {
            for (fz_stext_char *ch = l->first_char; ch != NULL; ch = ch->next, i++) {
                fz_rect box = fz_rect_from_quad(ch->quad);
                cmupdf_text_char *out = &content->chars[i];
                out->codepoint = (uint32_t)ch->c;
                out->x0 = box.x0;
                out->y0 = box.y0;
                out->x1 = box.x1;
                out->y1 = box.y1;
                out->origin_x = ch->origin.x;
                out->baseline = ch->origin.y;
                out->size = ch->size;
                out->line = line;
                out->block = block;
                out->font = font_index(ctx, content, seen, ch->font);
                out->color = (uint32_t)ch->color;
                out->direction_x = l->dir.x;
                out->direction_y = l->dir.y;
            }
        }
        block++;
    }
    content->char_count = n;
}

void cmupdf_page_content_free(cmupdf_page_content *content) {
    free(content->chars);
    free(content->fonts);
    free(content->segments);
    memset(content, 0, sizeof *content);
}

int cmupdf_page_content_read(
    cmupdf_context *c, cmupdf_document *d, int page, cmupdf_page_content *content, char *err, size_t errlen) {
    fz_context *ctx = c->ctx;
    fz_page *p = NULL;
    fz_stext_page *text = NULL;
    fz_device *text_device = NULL;
    ruling_device *rulings = NULL;
    fz_font **seen = NULL;
    int code = cmupdf_check_page(d, page, err, errlen);
    memset(content, 0, sizeof *content);
    if (code != CMUPDF_OK) return code;
    fz_var(p);
    fz_var(text);
    fz_var(text_device);
    fz_var(rulings);
    fz_var(seen);
    fz_var(code);
    fz_try(ctx) {
        p = fz_load_page(ctx, d->doc, page);
        fz_rect bounds = fz_bound_page(ctx, p);
        content->width = bounds.x1 - bounds.x0;
        content->height = bounds.y1 - bounds.y0;

        text = fz_new_stext_page(ctx, bounds);
        text_device = fz_new_stext_device(ctx, text, &content_stext_options);
        fz_run_page_contents(ctx, p, text_device, fz_identity, NULL);
        fz_close_device(ctx, text_device);

        content->fonts = calloc(CMUPDF_MAX_FONTS, sizeof *content->fonts);
        seen = calloc(CMUPDF_MAX_FONTS, sizeof *seen);
        if (content->fonts == NULL || seen == NULL) fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory for fonts");
        fill_text(ctx, text, content, seen);

        rulings = fz_new_derived_device(ctx, ruling_device);
        rulings->base.fill_path = ruling_fill_path;
        rulings->base.stroke_path = ruling_stroke_path;
        fz_run_page_contents(ctx, p, &rulings->base, fz_identity, NULL);
        fz_close_device(ctx, &rulings->base);
        content->segments = rulings->segments;
        content->segment_count = rulings->count;
        rulings->segments = NULL;
    }
    fz_always(ctx) {
        if (rulings != NULL) free(rulings->segments);
        fz_drop_device(ctx, rulings ? &rulings->base : NULL);
        fz_drop_device(ctx, text_device);
        fz_drop_stext_page(ctx, text);
        fz_drop_page(ctx, p);
        free(seen);
    }
    fz_catch(ctx) {
        cmupdf_page_content_free(content);
        code = cmupdf_caught(ctx, CMUPDF_ERR_DAMAGED, err, errlen);
    }
    return code;
}
