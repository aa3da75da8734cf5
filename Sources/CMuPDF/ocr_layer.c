// SPDX-License-Identifier: AGPL-3.0-or-later
//
// OCR text layers (cmupdf_edit.h): recognised words written over a scanned page as invisible
// text (render mode 3), each stretched to its word's box, so the page can be searched, selected
// and copied while what it shows stays exactly as it was. Like Tesseract's own PDF renderer,
// the text is in a glyphless font whose codes are the characters themselves (Identity-H, a
// ToUnicode that maps every code to itself), so any script works without embedding its font.
#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <string.h>

#include "edit_internal.h"
#include "internal.h"

/// Each code's width in the glyphless font, in thousandths of the size.
#define GLYPHLESS_WIDTH 500

static const char *identity_to_unicode =
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
    "/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n"
    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    "1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\n"
    "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

/// The Type0 font of the text layer. With `font_file` (Tesseract's pdf.ttf, one blank glyph)
/// the font is embedded and every code shows that glyph; without it, it is not embedded,
/// which viewers accept for text that is never drawn.
static pdf_obj *invisible_font(fz_context *ctx, cmupdf_editor *editor, const char *font_file) {
    if (editor->invisible_font) return editor->invisible_font;
    pdf_document *doc = editor->doc;
    fz_buffer *buffer = NULL;
    pdf_obj *font = NULL;
    fz_var(buffer);
    fz_var(font);
    fz_try(ctx) {
        pdf_obj *descriptor = pdf_add_new_dict(ctx, doc, 10);
        pdf_dict_put(ctx, descriptor, PDF_NAME(Type), PDF_NAME(FontDescriptor));
        pdf_dict_put_name(ctx, descriptor, PDF_NAME(FontName), "GlyphLessFont");
        pdf_dict_put_int(ctx, descriptor, PDF_NAME(Flags), 5);
        pdf_dict_put_rect(ctx, descriptor, PDF_NAME(FontBBox), fz_make_rect(0, 0, GLYPHLESS_WIDTH, 1000));
        pdf_dict_put_int(ctx, descriptor, PDF_NAME(ItalicAngle), 0);
        pdf_dict_put_int(ctx, descriptor, PDF_NAME(Ascent), 1000);
        pdf_dict_put_int(ctx, descriptor, PDF_NAME(Descent), 0);
        pdf_dict_put_int(ctx, descriptor, PDF_NAME(CapHeight), 1000);
        pdf_dict_put_int(ctx, descriptor, PDF_NAME(StemV), 80);

        pdf_obj *cid_font = pdf_add_new_dict(ctx, doc, 8);
        pdf_dict_put_drop(ctx, cid_font, PDF_NAME(FontDescriptor), descriptor);
        pdf_dict_put(ctx, cid_font, PDF_NAME(Type), PDF_NAME(Font));
        pdf_dict_put(ctx, cid_font, PDF_NAME(Subtype), PDF_NAME(CIDFontType2));
        pdf_dict_put_name(ctx, cid_font, PDF_NAME(BaseFont), "GlyphLessFont");
        pdf_obj *system_info = pdf_dict_put_dict(ctx, cid_font, PDF_NAME(CIDSystemInfo), 3);
        pdf_dict_put_string(ctx, system_info, PDF_NAME(Registry), "Adobe", 5);
        pdf_dict_put_string(ctx, system_info, PDF_NAME(Ordering), "Identity", 8);
        pdf_dict_put_int(ctx, system_info, PDF_NAME(Supplement), 0);
        pdf_dict_put_int(ctx, cid_font, PDF_NAME(DW), GLYPHLESS_WIDTH);
        if (font_file && font_file[0]) {
            buffer = fz_read_file(ctx, font_file);
            pdf_dict_put_drop(ctx, descriptor, PDF_NAME(FontFile2), pdf_add_stream(ctx, doc, buffer, NULL, 0));
            fz_drop_buffer(ctx, buffer);
            buffer = NULL;
            // Every code shows glyph 1, the blank one (compressed when the file is saved).
            buffer = fz_new_buffer(ctx, 2 * 65536);
            for (int i = 0; i < 65536; i++) {
                fz_append_byte(ctx, buffer, 0);
                fz_append_byte(ctx, buffer, 1);
            }
            pdf_dict_put_drop(ctx, cid_font, PDF_NAME(CIDToGIDMap), pdf_add_stream(ctx, doc, buffer, NULL, 0));
            fz_drop_buffer(ctx, buffer);
            buffer = NULL;
        }

        font = pdf_add_new_dict(ctx, doc, 6);
        pdf_dict_put(ctx, font, PDF_NAME(Type), PDF_NAME(Font));
        pdf_dict_put(ctx, font, PDF_NAME(Subtype), PDF_NAME(Type0));
        pdf_dict_put_name(ctx, font, PDF_NAME(BaseFont), "GlyphLessFont");
        pdf_dict_put(ctx, font, PDF_NAME(Encoding), PDF_NAME(Identity_H));
        pdf_obj *descendants = pdf_dict_put_array(ctx, font, PDF_NAME(DescendantFonts), 1);
        pdf_array_push_drop(ctx, descendants, cid_font);
        buffer = fz_new_buffer_from_copied_data(ctx, (const unsigned char *)identity_to_unicode, strlen(identity_to_unicode));
        pdf_dict_put_drop(ctx, font, PDF_NAME(ToUnicode), pdf_add_stream(ctx, doc, buffer, NULL, 0));
    }
    fz_always(ctx) { fz_drop_buffer(ctx, buffer); }
    fz_catch(ctx) {
        pdf_drop_obj(ctx, font);
        fz_rethrow(ctx);
    }
    editor->invisible_font = font;
    return font;
}

int cmupdf_editor_add_invisible_words(
    cmupdf_editor *editor, int page, const cmupdf_ocr_word *words, int count, const char *font_file, char *err, size_t errlen) {
    int code = cmupdf_edit_check_page(editor, page, err, errlen);
    if (code != CMUPDF_OK) return code;
    fz_context *ctx = editor->ctx;
    fz_try(ctx) {
        pdf_obj *font = invisible_font(ctx, editor, font_file);
        char name[48];
        cmupdf_edit_resource_name(ctx, editor, page, PDF_NAME(Font), 1, font, name, sizeof name);
        fz_buffer *buffer = cmupdf_edit_page_buffer(ctx, editor, page);
        fz_append_string(ctx, buffer, "BT\n3 Tr\n");
        for (int i = 0; i < count; i++) {
            const cmupdf_ocr_word *word = &words[i];
            int length = 0;
            for (const char *p = word->text; *p;) {
                int u;
                p += fz_chartorune(&u, p);
                length++;
            }
            if (length == 0 || word->size <= 0 || word->width <= 0) continue;
            // Stretched so that the word's codes span its box: selection and search hits
            // cover the word on the scan.
            float scale = 100 * word->width / (length * word->size * GLYPHLESS_WIDTH / 1000.0f);
            // Displayed coordinates run downwards: the text matrix flips y back (as edit.c does).
            fz_append_printf(ctx, buffer, "/%s %g Tf\n%g Tz\n1 0 0 -1 %g %g Tm\n<", name, word->size, scale, word->x, word->baseline);
            for (const char *p = word->text; *p;) {
                int u;
                p += fz_chartorune(&u, p);
                // Codes are 2 bytes: a character beyond the BMP cannot be one.
                fz_append_printf(ctx, buffer, "%04x", u <= 0xFFFF ? u : 0xFFFD);
            }
            fz_append_string(ctx, buffer, "> Tj\n");
        }
        fz_append_string(ctx, buffer, "ET\n");
    }
    fz_catch(ctx) { return cmupdf_caught(ctx, CMUPDF_ERR_FAILED, err, errlen); }
    return CMUPDF_OK;
}
