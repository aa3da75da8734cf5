// SPDX-License-Identifier: AGPL-3.0-or-later
// Right-to-left lines for edit.c (bidi_text.c); not part of the Swift-facing header.
#ifndef CMUPDF_BIDI_TEXT_H
#define CMUPDF_BIDI_TEXT_H

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

/// Whether the text has a right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko…).
int cmupdf_text_has_rtl(const char *utf8);

/// A stretch of one line in one direction: bytes [start, end) of the line's UTF-8, at a bidi
/// embedding level (odd: right to left).
typedef struct cmupdf_bidi_run {
    int start;
    int end;
    int level;
} cmupdf_bidi_run;

/// The line's runs in display order, left to right (the caller frees `*out` with fz_free).
size_t cmupdf_bidi_runs(fz_context *ctx, const char *utf8, cmupdf_bidi_run **out);

/// One shaped glyph; lengths in text space units (1 = the font size).
typedef struct cmupdf_shaped_glyph {
    int gid;
    /// The byte offset, in the shaped text, of the first character the glyph shows.
    int cluster;
    float advance;
    float x_offset;
    float y_offset;
} cmupdf_shaped_glyph;

/// HarfBuzz fonts made once per fz_font (the editor holds one cache).
typedef struct cmupdf_shapers cmupdf_shapers;
void cmupdf_drop_shapers(fz_context *ctx, cmupdf_shapers *shapers);

/// Shapes `length` bytes of right-to-left text in `font`: glyphs in display order (the caller
/// frees `*out` with fz_free). 0 glyphs when the font's bytes are not in memory.
size_t cmupdf_shape_rtl(
    fz_context *ctx, cmupdf_shapers **cache, fz_font *font, const char *utf8, int length, cmupdf_shaped_glyph **out);

/// Gives each font that shaped text a ToUnicode naming its joined and ligature glyphs' letters
/// (call before saving; the fonts were added by pdf_add_cid_font).
void cmupdf_write_shaped_to_unicode(fz_context *ctx, pdf_document *doc, cmupdf_shapers *shapers);

#endif
