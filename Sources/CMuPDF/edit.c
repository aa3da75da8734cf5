// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Editing a PDF in place: text, images and links over the pages, form fields filled
// (cmupdf_edit.h). MuPDF's exception rules apply as in shim.c.
#include "cmupdf.h"
#include "cmupdf_edit.h"
#include "internal.h"

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <mupdf/ucdn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bidi_text.h"
#include "edit_internal.h"
#include "internal.h"

/// Images above this many pixels are refused: PNG and other non-JPEG images are decoded whole
/// before they are stored, so a 100 000 × 100 000 PNG of a few kilobytes would take 40 GB.
#define CMUPDF_EDIT_MAX_IMAGE_PIXELS (50LL * 1000 * 1000)

// MARK: - Opening and closing

int cmupdf_editor_open(
    cmupdf_context *c, const char *path, const char *password, cmupdf_editor **out, int *page_count, char *err, size_t errlen) {
    fz_context *ctx = c->ctx;
    pdf_document *doc = NULL;
    cmupdf_editor *editor = NULL;
    int code = CMUPDF_OK;
    fz_var(doc);
    fz_var(editor);
    fz_var(code);
    *out = NULL;
    fz_try(ctx) {
        doc = pdf_open_document(ctx, path);
        if (pdf_needs_password(ctx, doc)) {
            if (password == NULL || password[0] == '\0') {
                code = CMUPDF_ERR_NEEDS_PASSWORD;
                fz_throw(ctx, FZ_ERROR_GENERIC, "the document is protected by a password");
            }
            if (!pdf_authenticate_password(ctx, doc, password)) {
                code = CMUPDF_ERR_WRONG_PASSWORD;
                fz_throw(ctx, FZ_ERROR_GENERIC, "wrong password");
            }
        }
        editor = fz_malloc_struct(ctx, cmupdf_editor);
        editor->ctx = ctx;
        editor->page_count = pdf_count_pages(ctx, doc);
        editor->contents = fz_calloc(ctx, editor->page_count + 1, sizeof *editor->contents);
        editor->resources = fz_calloc(ctx, editor->page_count + 1, sizeof *editor->resources);
        editor->owned_subdicts = fz_calloc(ctx, editor->page_count + 1, 1);
        editor->to_pdf = fz_calloc(ctx, editor->page_count + 1, sizeof *editor->to_pdf);
        editor->doc = doc;
        doc = NULL;
    }
    fz_catch(ctx) {
        if (editor) {
            fz_free(ctx, editor->contents);
            fz_free(ctx, editor->resources);
            fz_free(ctx, editor->owned_subdicts);
            fz_free(ctx, editor->to_pdf);
            fz_free(ctx, editor);
        }
        pdf_drop_document(ctx, doc);
        return cmupdf_caught(ctx, code == CMUPDF_OK ? CMUPDF_ERR_DAMAGED : code, err, errlen);
    }
    *page_count = editor->page_count;
    *out = editor;
    return CMUPDF_OK;
}

void cmupdf_editor_drop(cmupdf_editor *editor) {
    if (editor == NULL) return;
    fz_context *ctx = editor->ctx;
    for (int i = 0; i < editor->page_count; i++) {
        fz_drop_buffer(ctx, editor->contents[i]);
        pdf_drop_obj(ctx, editor->resources[i]);
    }
    for (int i = 0; i < 12; i++) fz_drop_font(ctx, editor->fonts[i]);
    cmupdf_drop_shapers(ctx, editor->shapers);
    pdf_drop_obj(ctx, editor->invisible_font);
    for (int i = 0; i < editor->image_count; i++) {
        fz_free(ctx, editor->images[i].path);
        pdf_drop_obj(ctx, editor->images[i].ref);
    }
    fz_free(ctx, editor->images);
    fz_free(ctx, editor->contents);
    fz_free(ctx, editor->resources);
    fz_free(ctx, editor->owned_subdicts);
    fz_free(ctx, editor->to_pdf);
    pdf_drop_document(ctx, editor->doc);
    fz_free(ctx, editor);
}

int cmupdf_edit_check_page(cmupdf_editor *editor, int page, char *err, size_t errlen) {
    if (page >= 0 && page < editor->page_count) return CMUPDF_OK;
    cmupdf_set_error(err, errlen, "page out of range");
    return CMUPDF_ERR_ARGUMENT;
}

// MARK: - Pages

/// The page's displayed box and the matrix from PDF space to it (y down, /Rotate applied).
static fz_matrix displayed_transform(fz_context *ctx, pdf_obj *page_obj, fz_rect *displayed) {
    fz_rect box;
    fz_matrix ctm;
    pdf_page_obj_transform(ctx, page_obj, &box, &ctm);
    *displayed = fz_transform_rect(box, ctm);
    return ctm;
}

int cmupdf_editor_page_size(cmupdf_editor *editor, int page, float *width, float *height, char *err, size_t errlen) {
    int code = cmupdf_edit_check_page(editor, page, err, errlen);
    if (code != CMUPDF_OK) return code;
    fz_context *ctx = editor->ctx;
    fz_try(ctx) {
        fz_rect displayed;
        displayed_transform(ctx, pdf_lookup_page_obj(ctx, editor->doc, page), &displayed);
        *width = displayed.x1 - displayed.x0;
        *height = displayed.y1 - displayed.y0;
    }
    fz_catch(ctx) { return cmupdf_caught(ctx, CMUPDF_ERR_DAMAGED, err, errlen); }
    return CMUPDF_OK;
}

/// The buffer collecting the page's added content; the first call starts it with the matrix
/// that lets everything after it be written in displayed coordinates.
fz_buffer *cmupdf_edit_page_buffer(fz_context *ctx, cmupdf_editor *editor, int page) {
    if (editor->contents[page]) return editor->contents[page];
    fz_rect displayed;
    fz_matrix ctm = displayed_transform(ctx, pdf_lookup_page_obj(ctx, editor->doc, page), &displayed);
    // Displayed coordinates start at the top-left corner of the visible box.
    ctm = fz_concat(ctm, fz_translate(-displayed.x0, -displayed.y0));
    fz_matrix to_pdf = fz_invert_matrix(ctm);
    fz_buffer *buffer = fz_new_buffer(ctx, 256);
    fz_append_printf(ctx, buffer, "q\n%g %g %g %g %g %g cm\n", to_pdf.a, to_pdf.b, to_pdf.c, to_pdf.d, to_pdf.e, to_pdf.f);
    editor->to_pdf[page] = to_pdf;
    editor->contents[page] = buffer;
    return buffer;
}

/// The page's own resource dictionary: a copy of the (possibly inherited or shared) one,
/// so that names added for this page do not land on other pages.
static pdf_obj *page_resources(fz_context *ctx, cmupdf_editor *editor, int page) {
    if (editor->resources[page]) return editor->resources[page];
    pdf_obj *page_obj = pdf_lookup_page_obj(ctx, editor->doc, page);
    pdf_obj *inherited = pdf_dict_get_inheritable(ctx, page_obj, PDF_NAME(Resources));
    pdf_obj *own = inherited ? pdf_copy_dict(ctx, inherited) : pdf_new_dict(ctx, editor->doc, 2);
    pdf_dict_put(ctx, page_obj, PDF_NAME(Resources), own);
    editor->resources[page] = own;  // our reference, dropped with the editor
    return own;
}

/// A name for `ref` in the page's `kind` (Font or XObject) resources, added when missing.
void cmupdf_edit_resource_name(
    fz_context *ctx, cmupdf_editor *editor, int page, pdf_obj *kind, int kind_bit, pdf_obj *ref, char *name, size_t length) {
    pdf_obj *resources = page_resources(ctx, editor, page);
    pdf_obj *sub = pdf_dict_get(ctx, resources, kind);
    if (!(editor->owned_subdicts[page] & kind_bit)) {
        pdf_obj *copy = sub ? pdf_copy_dict(ctx, sub) : pdf_new_dict(ctx, editor->doc, 4);
        pdf_dict_put_drop(ctx, resources, kind, copy);
        sub = copy;
        editor->owned_subdicts[page] |= kind_bit;
    }
    for (int attempt = 0;; attempt++) {
        if (attempt == 0)
            snprintf(name, length, "Quire%d", pdf_to_num(ctx, ref));
        else
            snprintf(name, length, "Quire%d_%d", pdf_to_num(ctx, ref), attempt);
        pdf_obj *existing = pdf_dict_gets(ctx, sub, name);
        if (existing == NULL) {
            pdf_dict_puts(ctx, sub, name, ref);
            return;
        }
        if (pdf_to_num(ctx, existing) == pdf_to_num(ctx, ref)) return;
    }
}

// MARK: - Text

static const char *base14_names[12] = {
    "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
    "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic",
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
};

static fz_font *base_font(fz_context *ctx, cmupdf_editor *editor, const cmupdf_text_style *style) {
    int family = style->family >= 0 && style->family <= 2 ? style->family : 0;
    int index = family * 4 + (style->bold ? 1 : 0) + (style->italic ? 2 : 0);
    if (!editor->fonts[index]) editor->fonts[index] = fz_new_base14_font(ctx, base14_names[index]);
    return editor->fonts[index];
}

/// How a character is written: a byte of a WinAnsi base-14 font, a UTF-16 code of a
/// non-embedded Adobe CJK font, or a glyph id of an embedded fallback font.
enum { RUN_SIMPLE, RUN_CJK, RUN_EMBEDDED };

typedef struct text_char {
    int kind;
    fz_font *font;
    int code;  // WinAnsi byte, Unicode scalar, or glyph id
    float advance;  // in text space units (1 = the font size)
    /// Where a shaped glyph sits from its pen position (0 for the others).
    float x_offset;
    float y_offset;
    /// The byte offset, in the line, of the first character the entry shows.
    int byte;
} text_char;

/// A line's characters (and shaped glyphs) in display order, left to right.
typedef struct text_line {
    text_char *items;
    size_t count;
    size_t capacity;
} text_line;

static void push_char(fz_context *ctx, text_line *line, text_char c) {
    if (line->count == line->capacity) {
        size_t capacity = line->capacity ? line->capacity * 2 : 16;
        line->items = fz_realloc_array(ctx, line->items, capacity, text_char);
        line->capacity = capacity;
    }
    line->items[line->count++] = c;
}

static int is_cjk(int u) {
    switch (ucdn_get_script(u)) {
    case UCDN_SCRIPT_HAN:
    case UCDN_SCRIPT_HIRAGANA:
    case UCDN_SCRIPT_KATAKANA:
    case UCDN_SCRIPT_HANGUL:
    case UCDN_SCRIPT_BOPOMOFO: return 1;
    default: break;
    }
    // CJK punctuation and full-width forms are "common" script but set in CJK fonts.
    return (u >= 0x3000 && u <= 0x303F) || (u >= 0xFF00 && u <= 0xFFEF);
}

/// The Adobe CJK collection for the text: Japanese when it has kana, Korean when it has
/// Hangul, else simplified Chinese.
static int cjk_ordering(const char *utf8) {
    int ordering = FZ_ADOBE_GB;
    while (*utf8) {
        int u;
        utf8 += fz_chartorune(&u, utf8);
        int script = ucdn_get_script(u);
        if (script == UCDN_SCRIPT_HIRAGANA || script == UCDN_SCRIPT_KATAKANA) return FZ_ADOBE_JAPAN;
        if (script == UCDN_SCRIPT_HANGUL) ordering = FZ_ADOBE_KOREA;
    }
    return ordering;
}

static text_char classify(fz_context *ctx, fz_font *base, int u) {
    text_char c = { RUN_SIMPLE, base, '?', 0, 0, 0, 0 };
    if (u == '\t') u = ' ';
    int byte = fz_windows_1252_from_unicode(u);
    int gid = byte > 0 ? fz_encode_character(ctx, base, u) : 0;
    if (byte > 0 && (gid > 0 || u == ' ')) {
        c.code = byte;
        c.advance = fz_advance_glyph(ctx, base, gid, 0);
        return c;
    }
    if (is_cjk(u) && u <= 0x10FFFF) {
        c.kind = RUN_CJK;
        c.code = u;
        c.advance = 1;  // the CJK fonts' default width (DW 1000): full-width
        return c;
    }
    fz_font *fallback = NULL;
    gid = fz_encode_character_with_fallback(ctx, base, u, ucdn_get_script(u), FZ_LANG_UNSET, &fallback);
    if (gid > 0 && fallback && pdf_font_writing_supported(fallback)) {
        c.kind = RUN_EMBEDDED;
        c.font = fallback;
        c.code = gid;
        c.advance = fz_advance_glyph(ctx, fallback, gid, 0);
        return c;
    }
    // No font has it: a question mark keeps the text's length visible.
    c.advance = fz_advance_glyph(ctx, base, fz_encode_character(ctx, base, '?'), 0);
    return c;
}

/// Classifies the characters of bytes [start, end) of `utf8` one by one, left to right.
static void classify_span(fz_context *ctx, fz_font *base, const char *utf8, int start, int end, text_line *line) {
    for (const char *p = utf8 + start; p < utf8 + end;) {
        int u;
        int offset = (int)(p - utf8);
        p += fz_chartorune(&u, p);
        text_char c = classify(ctx, base, u);
        c.byte = offset;
        // Spaces and punctuation between words of a fallback font stay in that font when it has
        // them: a font change splits the line for text extractors.
        text_char *previous = line->count > 0 ? &line->items[line->count - 1] : NULL;
        if (c.kind == RUN_SIMPLE && previous && previous->kind == RUN_EMBEDDED && ucdn_get_script(u) == UCDN_SCRIPT_COMMON) {
            int gid = fz_encode_character(ctx, previous->font, u);
            if (gid > 0) {
                c.kind = RUN_EMBEDDED;
                c.font = previous->font;
                c.code = gid;
                c.advance = fz_advance_glyph(ctx, previous->font, gid, 0);
            }
        }
        push_char(ctx, line, c);
    }
}

/// Shapes bytes [start, end) of `utf8`, a right-to-left run, in the fallback font of its first
/// right-to-left letter; classified one by one when no font has that letter.
static void shape_span(fz_context *ctx, cmupdf_editor *editor, fz_font *base, const char *utf8, int start, int end, text_line *line) {
    fz_font *font = NULL;
    for (const char *p = utf8 + start; p < utf8 + end && !font;) {
        int u;
        p += fz_chartorune(&u, p);
        int bidi = ucdn_get_bidi_class(u);
        if (bidi != UCDN_BIDI_CLASS_R && bidi != UCDN_BIDI_CLASS_AL) continue;
        text_char c = classify(ctx, base, u);
        if (c.kind != RUN_EMBEDDED) break;
        font = c.font;
    }
    cmupdf_shaped_glyph *glyphs = NULL;
    size_t count = font ? cmupdf_shape_rtl(ctx, &editor->shapers, font, utf8 + start, end - start, &glyphs) : 0;
    if (count == 0) {
        classify_span(ctx, base, utf8, start, end, line);
        return;
    }
    fz_try(ctx) {
        for (size_t i = 0; i < count; i++) {
            text_char c = { RUN_EMBEDDED, font, glyphs[i].gid, glyphs[i].advance, glyphs[i].x_offset, glyphs[i].y_offset,
                start + glyphs[i].cluster };
            push_char(ctx, line, c);
        }
    }
    fz_always(ctx) { fz_free(ctx, glyphs); }
    fz_catch(ctx) { fz_rethrow(ctx); }
}

/// The line's characters in display order: right-to-left runs reordered and shaped.
static void layout_line(fz_context *ctx, cmupdf_editor *editor, fz_font *base, const char *utf8, text_line *line) {
    int length = (int)strlen(utf8);
    if (!cmupdf_text_has_rtl(utf8)) {
        classify_span(ctx, base, utf8, 0, length, line);
        return;
    }
    cmupdf_bidi_run *runs = NULL;
    fz_var(runs);
    fz_try(ctx) {
        size_t count = cmupdf_bidi_runs(ctx, utf8, &runs);
        for (size_t i = 0; i < count; i++) {
            if (runs[i].level & 1) shape_span(ctx, editor, base, utf8, runs[i].start, runs[i].end, line);
            else classify_span(ctx, base, utf8, runs[i].start, runs[i].end, line);
        }
    }
    fz_always(ctx) { fz_free(ctx, runs); }
    fz_catch(ctx) { fz_rethrow(ctx); }
}

int cmupdf_editor_measure(cmupdf_editor *editor, const cmupdf_text_style *style, const char *utf8, float *width, char *err, size_t errlen) {
    fz_context *ctx = editor->ctx;
    text_line line = { 0 };
    fz_var(line);
    fz_try(ctx) {
        layout_line(ctx, editor, base_font(ctx, editor, style), utf8, &line);
        float sum = 0;
        for (size_t i = 0; i < line.count; i++) sum += line.items[i].advance;
        *width = sum * style->size;
    }
    fz_always(ctx) { fz_free(ctx, line.items); }
    fz_catch(ctx) { return cmupdf_caught(ctx, CMUPDF_ERR_FAILED, err, errlen); }
    return CMUPDF_OK;
}

int cmupdf_editor_advances(
    cmupdf_editor *editor, const cmupdf_text_style *style, const char *utf8, float *advances, char *err, size_t errlen) {
    fz_context *ctx = editor->ctx;
    text_line line = { 0 };
    fz_var(line);
    fz_try(ctx) {
        size_t length = strlen(utf8);
        layout_line(ctx, editor, base_font(ctx, editor, style), utf8, &line);
        memset(advances, 0, length * sizeof *advances);
        // A shaped glyph's advance goes to the first character it shows (a ligature's to its
        // first letter): breaking inside a cluster is not offered.
        for (size_t i = 0; i < line.count; i++) {
            int byte = line.items[i].byte;
            if (byte >= 0 && (size_t)byte < length) advances[byte] += line.items[i].advance * style->size;
        }
    }
    fz_always(ctx) { fz_free(ctx, line.items); }
    fz_catch(ctx) { return cmupdf_caught(ctx, CMUPDF_ERR_FAILED, err, errlen); }
    return CMUPDF_OK;
}

float cmupdf_editor_ascent(cmupdf_editor *editor, const cmupdf_text_style *style) {
    fz_context *ctx = editor->ctx;
    float ascent = 0.8f;
    fz_try(ctx) { ascent = fz_font_ascender(ctx, base_font(ctx, editor, style)); }
    fz_catch(ctx) { ascent = 0.8f; }
    return ascent * style->size;
}

/// The font resource for a run of `kind`.
static pdf_obj *run_font(fz_context *ctx, cmupdf_editor *editor, int kind, fz_font *font, int ordering) {
    switch (kind) {
    case RUN_SIMPLE: return pdf_add_simple_font(ctx, editor->doc, font, PDF_SIMPLE_ENCODING_LATIN);
    case RUN_CJK: return pdf_add_cjk_font(ctx, editor->doc, font, ordering, 0, 0);
    default: return pdf_add_cid_font(ctx, editor->doc, font);
    }
}

static void append_code(fz_context *ctx, fz_buffer *buffer, const text_char *c) {
    switch (c->kind) {
    case RUN_SIMPLE: fz_append_printf(ctx, buffer, "%02x", c->code & 0xFF); break;
    case RUN_EMBEDDED: fz_append_printf(ctx, buffer, "%04x", c->code & 0xFFFF); break;
    default:
        if (c->code >= 0x10000) {
            int v = c->code - 0x10000;
            fz_append_printf(ctx, buffer, "%04x%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
        } else {
            fz_append_printf(ctx, buffer, "%04x", c->code);
        }
    }
}

/// A TJ displacement of `shift` text space units, if there is one to make.
static void append_shift(fz_context *ctx, fz_buffer *buffer, float shift) {
    if (shift > 0.0005f || shift < -0.0005f) fz_append_printf(ctx, buffer, "> %g <", -shift * 1000);
}

/// Writes one run of characters in one font as a TJ array. Shaped glyphs are moved from the pen
/// by their offsets (a TJ displacement across, the text rise up) and advance by their shaped
/// advance, which differs from the font's own width for joined and marked letters.
static void append_run(fz_context *ctx, fz_buffer *buffer, const text_char *chars, size_t count, float size) {
    float rise = 0;
    fz_append_string(ctx, buffer, "[<");
    for (size_t i = 0; i < count; i++) {
        const text_char *c = &chars[i];
        if (c->y_offset != rise) {
            rise = c->y_offset;
            fz_append_printf(ctx, buffer, ">] TJ\n%g Ts\n[<", rise * size);
        }
        append_shift(ctx, buffer, c->x_offset);
        append_code(ctx, buffer, c);
        if (c->kind == RUN_EMBEDDED) {
            float width = fz_advance_glyph(ctx, c->font, c->code, 0);
            append_shift(ctx, buffer, c->advance - c->x_offset - width);
        }
    }
    fz_append_string(ctx, buffer, ">] TJ\n");
    if (rise != 0) fz_append_string(ctx, buffer, "0 Ts\n");
}

int cmupdf_editor_add_text(
    cmupdf_editor *editor, int page, const cmupdf_text_style *style, float x, float baseline, const char *utf8, char *err,
    size_t errlen) {
    int code = cmupdf_edit_check_page(editor, page, err, errlen);
    if (code != CMUPDF_OK) return code;
    fz_context *ctx = editor->ctx;
    text_line line = { 0 };
    fz_var(line);
    fz_try(ctx) {
        fz_font *base = base_font(ctx, editor, style);
        fz_buffer *buffer = cmupdf_edit_page_buffer(ctx, editor, page);
        int ordering = cjk_ordering(utf8);
        layout_line(ctx, editor, base, utf8, &line);
        text_char *chars = line.items;
        size_t count = line.count;
        float size = style->size;
        int turns = ((style->quarter_turns % 4) + 4) % 4;
        float dx = turns == 0 ? 1 : turns == 2 ? -1 : 0;
        float dy = turns == 1 ? 1 : turns == 3 ? -1 : 0;
        fz_append_printf(ctx, buffer, "%g %g %g rg\nBT\n", style->red, style->green, style->blue);
        float pen = x;
        for (size_t start = 0; start < count;) {
            size_t end = start + 1;
            while (end < count && chars[end].kind == chars[start].kind && chars[end].font == chars[start].font) end++;
            // pdf_add_*_font return a reference the caller owns (a kept one when cached).
            pdf_obj *font = run_font(ctx, editor, chars[start].kind, chars[start].font, ordering);
            char name[48];
            fz_try(ctx) { cmupdf_edit_resource_name(ctx, editor, page, PDF_NAME(Font), 1, font, name, sizeof name); }
            fz_always(ctx) { pdf_drop_obj(ctx, font); }
            fz_catch(ctx) { fz_rethrow(ctx); }
            // The text matrix turns text space's x axis to the writing direction and its y axis to
            // the glyphs' up, which flips y back for upright text: displayed coordinates run downwards.
            float along = pen - x;
            fz_append_printf(
                ctx, buffer, "/%s %g Tf\n%g %g %g %g %g %g Tm\n", name, size, dx, dy, dy, -dx, x + along * dx, baseline + along * dy);
            append_run(ctx, buffer, chars + start, end - start, size);
            for (size_t i = start; i < end; i++) pen += chars[i].advance * size;
            start = end;
        }
        fz_append_string(ctx, buffer, "ET\n");
        float thickness = size * 0.06f;
        if (style->underline && turns == 0)
            fz_append_printf(ctx, buffer, "%g %g %g %g re f\n", x, baseline + size * 0.12f, pen - x, thickness);
        if (style->strikeout && turns == 0)
            fz_append_printf(ctx, buffer, "%g %g %g %g re f\n", x, baseline - size * 0.3f, pen - x, thickness);
    }
    fz_always(ctx) { fz_free(ctx, line.items); }
    fz_catch(ctx) { return cmupdf_caught(ctx, CMUPDF_ERR_FAILED, err, errlen); }
    return CMUPDF_OK;
}

// MARK: - Images and links

/// Reads the image's header (without decoding its pixels) and refuses pixel bombs.
static fz_image *open_image(fz_context *ctx, const char *path) {
    fz_buffer *buffer = fz_read_file(ctx, path);
    fz_image *image = NULL;
    fz_var(image);
    fz_try(ctx) {
        unsigned char *data = NULL;
        size_t length = fz_buffer_storage(ctx, buffer, &data);
        cmupdf_check_tiff(ctx, data, length);
        image = fz_new_image_from_buffer(ctx, buffer);
    }
    fz_always(ctx) { fz_drop_buffer(ctx, buffer); }
    fz_catch(ctx) { fz_rethrow(ctx); }
    if ((long long)image->w * image->h > CMUPDF_EDIT_MAX_IMAGE_PIXELS) {
        fz_drop_image(ctx, image);
        fz_throw(ctx, FZ_ERROR_GENERIC, "the image has more than 50 million pixels");
    }
    return image;
}

int cmupdf_editor_image_size(cmupdf_editor *editor, const char *path, float *width, float *height, char *err, size_t errlen) {
    fz_context *ctx = editor->ctx;
    fz_image *image = NULL;
    fz_var(image);
    fz_try(ctx) {
        image = open_image(ctx, path);
        int xres = 0, yres = 0;
        fz_image_resolution(image, &xres, &yres);
        *width = image->w * 72.0f / (xres > 0 ? xres : 72);
        *height = image->h * 72.0f / (yres > 0 ? yres : 72);
    }
    fz_always(ctx) { fz_drop_image(ctx, image); }
    fz_catch(ctx) {
        // The pixel limit is the client's file being too large, not a file MuPDF cannot read.
        // MuPDF refuses some itself ("image dimensions might overflow", "image too large").
        const char *message = fz_caught_message(ctx);
        int too_large = strstr(message, "million pixels") || strstr(message, "overflow") || strstr(message, "too large");
        int code = too_large ? CMUPDF_ERR_MEMORY : CMUPDF_ERR_DAMAGED;
        return cmupdf_caught(ctx, code, err, errlen);
    }
    return CMUPDF_OK;
}

/// The image object for the file at `path`, added to the document on first use.
static pdf_obj *image_object(fz_context *ctx, cmupdf_editor *editor, const char *path) {
    for (int i = 0; i < editor->image_count; i++)
        if (strcmp(editor->images[i].path, path) == 0) return editor->images[i].ref;
    fz_image *image = open_image(ctx, path);
    pdf_obj *ref = NULL;
    fz_var(ref);  // set inside fz_try, read in fz_catch
    fz_try(ctx) {
        ref = pdf_add_image(ctx, editor->doc, image);
        if (editor->image_count == editor->image_capacity) {
            int capacity = editor->image_capacity ? editor->image_capacity * 2 : 8;
            editor->images = fz_realloc_array(ctx, editor->images, capacity, edit_image);
            editor->image_capacity = capacity;
        }
        editor->images[editor->image_count].path = fz_strdup(ctx, path);
        editor->images[editor->image_count].ref = ref;
        editor->image_count++;
    }
    fz_always(ctx) { fz_drop_image(ctx, image); }
    fz_catch(ctx) {
        pdf_drop_obj(ctx, ref);
        fz_rethrow(ctx);
    }
    return ref;
}

int cmupdf_editor_add_image(
    cmupdf_editor *editor, int page, const char *path, float x, float y, float width, float height, char *err, size_t errlen) {
    int code = cmupdf_edit_check_page(editor, page, err, errlen);
    if (code != CMUPDF_OK) return code;
    fz_context *ctx = editor->ctx;
    fz_var(code);
    fz_try(ctx) {
        code = CMUPDF_ERR_DAMAGED;  // an input that is not an image is the client's file
        pdf_obj *image = image_object(ctx, editor, path);
        code = CMUPDF_ERR_FAILED;
        fz_buffer *buffer = cmupdf_edit_page_buffer(ctx, editor, page);
        char name[48];
        cmupdf_edit_resource_name(ctx, editor, page, PDF_NAME(XObject), 2, image, name, sizeof name);
        // The unit square's top (v = 1) goes to y: displayed coordinates run downwards.
        fz_append_printf(ctx, buffer, "q\n%g 0 0 %g %g %g cm\n/%s Do\nQ\n", width, -height, x, y + height, name);
    }
    fz_catch(ctx) { return cmupdf_caught(ctx, code, err, errlen); }
    return CMUPDF_OK;
}

int cmupdf_editor_rotate_page(cmupdf_editor *editor, int page, int degrees, char *err, size_t errlen) {
    int code = cmupdf_edit_check_page(editor, page, err, errlen);
    if (code != CMUPDF_OK) return code;
    fz_context *ctx = editor->ctx;
    fz_try(ctx) {
        pdf_obj *page_obj = pdf_lookup_page_obj(ctx, editor->doc, page);
        int rotate = pdf_to_int(ctx, pdf_dict_get_inheritable(ctx, page_obj, PDF_NAME(Rotate)));
        pdf_dict_put_int(ctx, page_obj, PDF_NAME(Rotate), (((rotate + degrees) % 360) + 360) % 360);
    }
    fz_catch(ctx) { return cmupdf_caught(ctx, CMUPDF_ERR_DAMAGED, err, errlen); }
    return CMUPDF_OK;
}

int cmupdf_editor_add_link(
    cmupdf_editor *editor, int page, float x, float y, float width, float height, const char *uri, char *err, size_t errlen) {
    int code = cmupdf_edit_check_page(editor, page, err, errlen);
    if (code != CMUPDF_OK) return code;
    fz_context *ctx = editor->ctx;
    pdf_obj *annot = NULL;
    fz_var(annot);
    fz_try(ctx) {
        pdf_document *doc = editor->doc;
        cmupdf_edit_page_buffer(ctx, editor, page);  // sets to_pdf
        fz_rect box = fz_transform_rect(fz_make_rect(x, y, x + width, y + height), editor->to_pdf[page]);
        annot = pdf_new_dict(ctx, doc, 6);
        pdf_dict_put(ctx, annot, PDF_NAME(Type), PDF_NAME(Annot));
        pdf_dict_put(ctx, annot, PDF_NAME(Subtype), PDF_NAME(Link));
        pdf_dict_put_rect(ctx, annot, PDF_NAME(Rect), box);
        pdf_obj *border = pdf_dict_put_array(ctx, annot, PDF_NAME(Border), 3);
        pdf_array_push_int(ctx, border, 0);
        pdf_array_push_int(ctx, border, 0);
        pdf_array_push_int(ctx, border, 0);
        pdf_obj *action = pdf_dict_put_dict(ctx, annot, PDF_NAME(A), 2);
        pdf_dict_put(ctx, action, PDF_NAME(S), PDF_NAME(URI));
        pdf_dict_put_string(ctx, action, PDF_NAME(URI), uri, strlen(uri));
        pdf_obj *page_obj = pdf_lookup_page_obj(ctx, doc, page);
        pdf_obj *annots = pdf_dict_get(ctx, page_obj, PDF_NAME(Annots));
        if (!pdf_is_array(ctx, annots)) annots = pdf_dict_put_array(ctx, page_obj, PDF_NAME(Annots), 1);
        pdf_array_push_drop(ctx, annots, pdf_add_object(ctx, doc, annot));
    }
    fz_always(ctx) { pdf_drop_obj(ctx, annot); }
    fz_catch(ctx) { return cmupdf_caught(ctx, CMUPDF_ERR_FAILED, err, errlen); }
    return CMUPDF_OK;
}

// MARK: - Redaction

int cmupdf_editor_redact(cmupdf_editor *editor, int page, const float *boxes, int count, char *err, size_t errlen) {
    int code = cmupdf_edit_check_page(editor, page, err, errlen);
    if (code != CMUPDF_OK) return code;
    if (editor->contents[page] || editor->resources[page]) {
        cmupdf_set_error(err, errlen, "redaction after the page was edited");
        return CMUPDF_ERR_ARGUMENT;
    }
    fz_context *ctx = editor->ctx;
    pdf_page *current = NULL;
    pdf_annot *annot = NULL;
    fz_quad *quads = NULL;
    fz_var(current);
    fz_var(annot);
    fz_var(quads);
    fz_try(ctx) {
        current = pdf_load_page(ctx, editor->doc, page);
        annot = pdf_create_annot(ctx, current, PDF_ANNOT_REDACT);
        quads = fz_malloc_array(ctx, count > 0 ? count : 1, fz_quad);
        fz_rect all = fz_empty_rect;
        for (int i = 0; i < count; i++) {
            fz_rect box = fz_make_rect(boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]);
            quads[i] = fz_quad_from_rect(box);
            all = fz_union_rect(all, box);
        }
        // Both take displayed coordinates and store PDF ones.
        pdf_set_annot_rect(ctx, annot, all);
        pdf_set_annot_quad_points(ctx, annot, count, quads);
        pdf_redact_options options = { 0, PDF_REDACT_IMAGE_NONE };
        pdf_redact_page(ctx, editor->doc, current, &options);
    }
    fz_always(ctx) {
        fz_free(ctx, quads);
        pdf_drop_annot(ctx, annot);
        if (current) fz_drop_page(ctx, &current->super);
    }
    fz_catch(ctx) { return cmupdf_caught(ctx, CMUPDF_ERR_FAILED, err, errlen); }
    return CMUPDF_OK;
}

// MARK: - Forms

static int is_on(fz_context *ctx, pdf_obj *widget) {
    pdf_obj *state = pdf_dict_get(ctx, widget, PDF_NAME(AS));
    return state != NULL && !pdf_name_eq(ctx, state, PDF_NAME(Off));
}

/// Sets one widget; returns whether it changed.
static int fill_widget(fz_context *ctx, pdf_annot *widget, const char *value, int checked) {
    pdf_obj *obj = pdf_annot_obj(ctx, widget);
    switch (pdf_field_type(ctx, obj)) {
    case PDF_WIDGET_TYPE_TEXT: return pdf_set_text_field_value(ctx, widget, value) ? 1 : 0;
    case PDF_WIDGET_TYPE_COMBOBOX:
    case PDF_WIDGET_TYPE_LISTBOX: return pdf_set_choice_field_value(ctx, widget, value) ? 1 : 0;
    case PDF_WIDGET_TYPE_CHECKBOX: {
        const char *on_state = pdf_to_name(ctx, pdf_button_field_on_state(ctx, obj));
        int want = checked >= 0 ? checked : strcmp(value, on_state) == 0;
        if (want == is_on(ctx, obj)) return 0;
        pdf_toggle_widget(ctx, widget);
        return 1;
    }
    case PDF_WIDGET_TYPE_RADIOBUTTON: {
        const char *on_state = pdf_to_name(ctx, pdf_button_field_on_state(ctx, obj));
        if (strcmp(value, on_state) != 0) return 0;
        if (is_on(ctx, obj)) return 0;
        pdf_toggle_widget(ctx, widget);
        return 1;
    }
    default: return 0;
    }
}

int cmupdf_editor_fill_fields(
    cmupdf_editor *editor, const char *const *names, const char *const *values, const int *checked, int count, int *found, char *err,
    size_t errlen) {
    fz_context *ctx = editor->ctx;
    pdf_page *current = NULL;
    char *field_name = NULL;
    fz_var(current);
    fz_var(field_name);
    for (int i = 0; i < count; i++) found[i] = 0;
    // One pass over the pages: each widget is matched against every name (a field given twice
    // is set twice, the later value last).
    fz_try(ctx) {
        for (int index = 0; index < editor->page_count; index++) {
            current = pdf_load_page(ctx, editor->doc, index);
            for (pdf_annot *widget = pdf_first_widget(ctx, current); widget; widget = pdf_next_widget(ctx, widget)) {
                field_name = pdf_field_name(ctx, pdf_annot_obj(ctx, widget));
                for (int i = 0; field_name && i < count; i++) {
                    if (strcmp(field_name, names[i]) != 0) continue;
                    fill_widget(ctx, widget, values[i], checked[i]);
                    found[i]++;
                }
                fz_free(ctx, field_name);
                field_name = NULL;
            }
            pdf_update_page(ctx, current);
            fz_drop_page(ctx, &current->super);
            current = NULL;
        }
    }
    fz_always(ctx) {
        fz_free(ctx, field_name);
        if (current) fz_drop_page(ctx, &current->super);
    }
    fz_catch(ctx) { return cmupdf_caught(ctx, CMUPDF_ERR_FAILED, err, errlen); }
    return CMUPDF_OK;
}

/// The document's AcroForm /Fields array, created when missing, with /Helv in its default
/// resources for the fields' DA strings.
static pdf_obj *form_fields(fz_context *ctx, pdf_document *doc) {
    pdf_obj *root = pdf_dict_get(ctx, pdf_trailer(ctx, doc), PDF_NAME(Root));
    pdf_obj *form = pdf_dict_get(ctx, root, PDF_NAME(AcroForm));
    if (!form) form = pdf_dict_put_dict(ctx, root, PDF_NAME(AcroForm), 2);
    pdf_obj *fields = pdf_dict_get(ctx, form, PDF_NAME(Fields));
    if (!fields) fields = pdf_dict_put_array(ctx, form, PDF_NAME(Fields), 1);
    pdf_obj *resources = pdf_dict_get(ctx, form, PDF_NAME(DR));
    if (!resources) resources = pdf_dict_put_dict(ctx, form, PDF_NAME(DR), 1);
    pdf_obj *fonts = pdf_dict_get(ctx, resources, PDF_NAME(Font));
    if (!fonts) fonts = pdf_dict_put_dict(ctx, resources, PDF_NAME(Font), 1);
    if (!pdf_dict_get(ctx, fonts, PDF_NAME(Helv))) {
        fz_font *helvetica = fz_new_base14_font(ctx, "Helvetica");
        fz_try(ctx) { pdf_dict_put_drop(ctx, fonts, PDF_NAME(Helv), pdf_add_simple_font(ctx, doc, helvetica, PDF_SIMPLE_ENCODING_LATIN)); }
        fz_always(ctx) { fz_drop_font(ctx, helvetica); }
        fz_catch(ctx) { fz_rethrow(ctx); }
    }
    return fields;
}

int cmupdf_editor_add_field(
    cmupdf_editor *editor, int page, int kind, const char *name, float x, float y, float width, float height, const char *value,
    int checked, float size, char *err, size_t errlen) {
    int code = cmupdf_edit_check_page(editor, page, err, errlen);
    if (code != CMUPDF_OK) return code;
    fz_context *ctx = editor->ctx;
    pdf_page *current = NULL;
    pdf_annot *widget = NULL;
    fz_var(current);
    fz_var(widget);
    fz_try(ctx) {
        pdf_document *doc = editor->doc;
        pdf_obj *fields = form_fields(ctx, doc);
        current = pdf_load_page(ctx, doc, page);
        widget = pdf_create_annot(ctx, current, PDF_ANNOT_WIDGET);  // a reference we own
        pdf_obj *obj = pdf_annot_obj(ctx, widget);
        // pdf_set_annot_rect takes displayed coordinates and undoes /Rotate itself.
        pdf_set_annot_rect(ctx, widget, fz_make_rect(x, y, x + width, y + height));
        pdf_dict_put_int(ctx, obj, PDF_NAME(F), PDF_ANNOT_IS_PRINT);
        pdf_dict_put_text_string(ctx, obj, PDF_NAME(T), name);
        char appearance[64];
        snprintf(appearance, sizeof appearance, "/Helv %g Tf 0 g", size);
        pdf_dict_put_text_string(ctx, obj, PDF_NAME(DA), appearance);
        // A thin black border, and the page's rotation so the field reads upright as displayed.
        pdf_obj *characteristics = pdf_dict_put_dict(ctx, obj, PDF_NAME(MK), 3);
        pdf_obj *border_color = pdf_dict_put_array(ctx, characteristics, PDF_NAME(BC), 3);
        for (int i = 0; i < 3; i++) pdf_array_push_int(ctx, border_color, 0);
        int rotate = pdf_to_int(ctx, pdf_dict_get_inheritable(ctx, pdf_lookup_page_obj(ctx, doc, page), PDF_NAME(Rotate)));
        rotate = ((rotate % 360) + 360) % 360;
        if (rotate % 90 == 0 && rotate != 0) pdf_dict_put_int(ctx, characteristics, PDF_NAME(R), rotate);
        pdf_obj *border_style = pdf_dict_put_dict(ctx, obj, PDF_NAME(BS), 1);
        pdf_dict_put_int(ctx, border_style, PDF_NAME(W), 1);
        if (kind == CMUPDF_FIELD_CHECKBOX) {
            pdf_dict_put(ctx, obj, PDF_NAME(FT), PDF_NAME(Btn));
            pdf_obj *state = checked ? PDF_NAME(Yes) : PDF_NAME(Off);
            pdf_dict_put(ctx, obj, PDF_NAME(V), state);
            pdf_dict_put(ctx, obj, PDF_NAME(AS), state);
            // The "on" state's name comes from the appearance dictionary; MuPDF draws both states.
            pdf_obj *normal = pdf_dict_put_dict(ctx, pdf_dict_put_dict(ctx, obj, PDF_NAME(AP), 1), PDF_NAME(N), 2);
            pdf_dict_put(ctx, normal, PDF_NAME(Yes), PDF_NULL);
            pdf_dict_put(ctx, normal, PDF_NAME(Off), PDF_NULL);
            pdf_dict_put_text_string(ctx, characteristics, PDF_NAME(CA), "4");  // ZapfDingbats check mark
        } else {
            pdf_dict_put(ctx, obj, PDF_NAME(FT), PDF_NAME(Tx));
            pdf_dict_put_text_string(ctx, obj, PDF_NAME(V), value);
        }
        pdf_array_push(ctx, fields, obj);
        pdf_dirty_annot(ctx, widget);
        pdf_update_page(ctx, current);
    }
    fz_always(ctx) {
        pdf_drop_annot(ctx, widget);
        if (current) fz_drop_page(ctx, &current->super);
    }
    fz_catch(ctx) { return cmupdf_caught(ctx, CMUPDF_ERR_FAILED, err, errlen); }
    return CMUPDF_OK;
}

// MARK: - Saving

/// Puts each touched page's added content after its own, the own wrapped in q/Q.
static void attach_contents(fz_context *ctx, cmupdf_editor *editor) {
    pdf_document *doc = editor->doc;
    pdf_obj *opening = NULL;
    fz_buffer *q = NULL;
    fz_var(opening);
    fz_var(q);
    fz_try(ctx) {
        for (int page = 0; page < editor->page_count; page++) {
            fz_buffer *added = editor->contents[page];
            if (!added) continue;
            if (!opening) {
                q = fz_new_buffer_from_shared_data(ctx, (const unsigned char *)"q\n", 2);
                opening = pdf_add_stream(ctx, doc, q, NULL, 0);
            }
            pdf_obj *page_obj = pdf_lookup_page_obj(ctx, doc, page);
            pdf_obj *own = pdf_dict_get(ctx, page_obj, PDF_NAME(Contents));
            fz_buffer *closing = fz_new_buffer(ctx, fz_buffer_storage(ctx, added, NULL) + 8);
            fz_try(ctx) {
                fz_append_string(ctx, closing, "Q\n");
                fz_append_buffer(ctx, closing, added);
                fz_append_string(ctx, closing, "Q\n");
                pdf_obj *contents = pdf_new_array(ctx, doc, 3);
                pdf_array_push(ctx, contents, opening);
                if (pdf_is_array(ctx, own)) {
                    for (int i = 0; i < pdf_array_len(ctx, own); i++) pdf_array_push(ctx, contents, pdf_array_get(ctx, own, i));
                } else if (own) {
                    pdf_array_push(ctx, contents, own);
                }
                pdf_array_push_drop(ctx, contents, pdf_add_stream(ctx, doc, closing, NULL, 0));
                pdf_dict_put_drop(ctx, page_obj, PDF_NAME(Contents), contents);
            }
            fz_always(ctx) { fz_drop_buffer(ctx, closing); }
            fz_catch(ctx) { fz_rethrow(ctx); }
            fz_drop_buffer(ctx, added);
            editor->contents[page] = NULL;
        }
    }
    fz_always(ctx) {
        pdf_drop_obj(ctx, opening);
        fz_drop_buffer(ctx, q);
    }
    fz_catch(ctx) { fz_rethrow(ctx); }
}

int cmupdf_editor_save(cmupdf_editor *editor, const char *path, char *err, size_t errlen) {
    fz_context *ctx = editor->ctx;
    fz_try(ctx) {
        attach_contents(ctx, editor);
        cmupdf_write_shaped_to_unicode(ctx, editor->doc, editor->shapers);
        pdf_write_options options = pdf_default_write_options;
        options.do_garbage = 1;  // drop objects nothing points at any more
        options.do_compress = 1;  // the new content streams
        options.do_compress_fonts = 1;
        options.do_encrypt = PDF_ENCRYPT_KEEP;
        pdf_save_document(ctx, editor->doc, path, &options);
    }
    fz_catch(ctx) { return cmupdf_caught(ctx, CMUPDF_ERR_FAILED, err, errlen); }
    return CMUPDF_OK;
}
