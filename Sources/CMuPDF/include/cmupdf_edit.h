// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Editing a PDF in place (edit.c): text, images and links added over the pages, form fields
// filled. Coordinates are those of the page as displayed: points, origin at the top-left corner
// of the page after /Rotate, y down (PDF.co's convention). Added content goes into a new content
// stream after the page's own, which is wrapped in q/Q so that its graphics state cannot leak
// into ours.
#ifndef CMUPDF_EDIT_H
#define CMUPDF_EDIT_H

#include "cmupdf.h"

#ifdef __cplusplus
extern "C" {
#endif

/// An open PDF being edited, used with the context that opened it.
typedef struct cmupdf_editor cmupdf_editor;

/// The PDF base-14 families: text in them needs no embedded font.
enum {
    CMUPDF_FONT_HELVETICA = 0,
    CMUPDF_FONT_TIMES = 1,
    CMUPDF_FONT_COURIER = 2,
};

typedef struct cmupdf_text_style {
    int family;
    int bold;
    int italic;
    int underline;
    int strikeout;
    /// Font size in points.
    float size;
    /// 0...1 each.
    float red, green, blue;
    /// The writing direction on the displayed page, in quarter turns clockwise: 0 left to
    /// right, 1 down the page, 2 right to left upside down, 3 up the page. Underline and
    /// strike-out are drawn for 0 only.
    int quarter_turns;
} cmupdf_text_style;

/// Opens `path` (a PDF) for editing. `page_count` receives its page count.
int cmupdf_editor_open(
    cmupdf_context *ctx, const char *path, const char *password, cmupdf_editor **out, int *page_count, char *err, size_t errlen);
void cmupdf_editor_drop(cmupdf_editor *editor);

/// The page as displayed: its width and height in points after /Rotate.
int cmupdf_editor_page_size(cmupdf_editor *editor, int page, float *width, float *height, char *err, size_t errlen);

/// The advance width in points of `utf8` set in `style`, with the fonts drawing would pick.
int cmupdf_editor_measure(cmupdf_editor *editor, const cmupdf_text_style *style, const char *utf8, float *width, char *err, size_t errlen);

/// Each character's share of `cmupdf_editor_measure`'s width, in points: `advances[i]` is the
/// advance of the character whose UTF-8 sequence starts at byte `i`, 0 at its other bytes
/// (`advances` has room for strlen(utf8) entries). One pass, so wrapping a line costs its length.
int cmupdf_editor_advances(
    cmupdf_editor *editor, const cmupdf_text_style *style, const char *utf8, float *advances, char *err, size_t errlen);

/// How far above its baseline a line set in `style` reaches (the base font's ascender), in points.
float cmupdf_editor_ascent(cmupdf_editor *editor, const cmupdf_text_style *style);

/// Sets one line of text, its baseline starting at (x, baseline). Characters the base-14 font
/// lacks come from MuPDF's fallback fonts (CJK as non-embedded Adobe CJK fonts, others embedded);
/// every font carries its Unicode mapping, so the text stays extractable.
int cmupdf_editor_add_text(
    cmupdf_editor *editor, int page, const cmupdf_text_style *style, float x, float baseline, const char *utf8, char *err,
    size_t errlen);

/// The natural size in points of the image file at `path` (its pixels at its own resolution,
/// 72 dpi when it names none).
int cmupdf_editor_image_size(cmupdf_editor *editor, const char *path, float *width, float *height, char *err, size_t errlen);

/// Draws the image file at `path` into the box (x, y, width, height). JPEG and JPEG 2000 bytes
/// are kept as they are; one file drawn on many pages is stored once.
int cmupdf_editor_add_image(
    cmupdf_editor *editor, int page, const char *path, float x, float y, float width, float height, char *err, size_t errlen);

/// Whether page `page` shows text (filled or stroked; invisible OCR text does not count).
int cmupdf_editor_has_visible_text(cmupdf_editor *editor, int page, int *visible, char *err, size_t errlen);

/// Replaces page `page`'s content by a picture of it rendered at `dpi` (unsearchable.c); its
/// annotations stay. Call before adding anything to the page.
int cmupdf_editor_rasterize_page(cmupdf_editor *editor, int page, float dpi, char *err, size_t errlen);

/// Turns page `page` by `degrees` (a multiple of 90) clockwise more than its /Rotate says.
/// Call before adding anything to the page (its displayed coordinates change).
int cmupdf_editor_rotate_page(cmupdf_editor *editor, int page, int degrees, char *err, size_t errlen);

/// A link annotation over the box, opening `uri`.
int cmupdf_editor_add_link(
    cmupdf_editor *editor, int page, float x, float y, float width, float height, const char *uri, char *err, size_t errlen);

/// Fills every widget of the form fields named `names[i]` (full dotted names), in one pass over
/// the pages. Text and choice fields take `values[i]`; check boxes are checked when
/// `checked[i]` is 1 and cleared when 0 (-1: checked when the value is its state name); a radio
/// button is chosen when the value is its state name. `found[i]` receives how many widgets have
/// the name `names[i]`.
int cmupdf_editor_fill_fields(
    cmupdf_editor *editor, const char *const *names, const char *const *values, const int *checked, int count, int *found, char *err,
    size_t errlen);

/// Removes from the page's content every glyph that touches one of the `count` boxes
/// (`boxes` holds x0, y0, x1, y1 for each, displayed coordinates): MuPDF's redaction, with no
/// black box drawn and images left alone. Call before anything is added to the page.
int cmupdf_editor_redact(cmupdf_editor *editor, int page, const float *boxes, int count, char *err, size_t errlen);

/// Form field kinds `cmupdf_editor_add_field` creates.
enum {
    CMUPDF_FIELD_TEXT = 0,
    CMUPDF_FIELD_CHECKBOX = 1,
};

/// Creates a form field named `name` with one widget in the box: a text field holding `value`
/// (its font `size`, 0 for auto), or a check box, checked when `checked` is 1.
int cmupdf_editor_add_field(
    cmupdf_editor *editor, int page, int kind, const char *name, float x, float y, float width, float height, const char *value,
    int checked, float size, char *err, size_t errlen);

/// Writes the edited document to `path` (new objects compressed; encryption kept).
int cmupdf_editor_save(cmupdf_editor *editor, const char *path, char *err, size_t errlen);

/// A recognised word of an OCR text layer, in displayed points: its box starts at `x`, spans
/// `width`, and sits on `baseline`; `size` is its line's height.
typedef struct cmupdf_ocr_word {
    const char *text;
    float x;
    float baseline;
    float width;
    float size;
} cmupdf_ocr_word;

/// Writes `words` over page `page` as invisible text (ocr_layer.c), each stretched to its box.
/// `font_file`: Tesseract's glyphless pdf.ttf to embed, or NULL/"" for a font not embedded.
int cmupdf_editor_add_invisible_words(
    cmupdf_editor *editor, int page, const cmupdf_ocr_word *words, int count, const char *font_file, char *err, size_t errlen);

/// Writes each file embedded in the PDF at `path` (its EmbeddedFiles name tree, then file
/// attachment annotations; each once) to `folder`/0, `folder`/1, … and their names, each ended
/// by a NUL byte, to `names` (malloc'd; release with cmupdf_free). At most `max_files` files;
/// more than `max_bytes` decompressed bytes in all is CMUPDF_ERR_MEMORY.
int cmupdf_extract_attachments(
    cmupdf_context *ctx, const char *path, const char *password, const char *folder, long long max_bytes, int max_files, char **names,
    int *count, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
