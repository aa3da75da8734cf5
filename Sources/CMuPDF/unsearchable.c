// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Taking a page's text layer away (cmupdf_edit.h, /pdf/makeunsearchable). A page whose text is
// all invisible (an OCR layer: render mode 3, which MuPDF hands to devices as ignore_text) loses
// that text by redaction and keeps everything it shows, its scan byte for byte. A page with
// visible text is replaced by a picture of itself: its look stays, its text goes.
#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "edit_internal.h"
#include "internal.h"

typedef struct text_counter {
    fz_device super;
    int visible;
} text_counter;

static void count_filled(
    fz_context *ctx, fz_device *device, const fz_text *text, fz_matrix ctm, fz_colorspace *space, const float *color, float alpha,
    fz_color_params params) {
    (void)ctx, (void)text, (void)ctm, (void)space, (void)color, (void)alpha, (void)params;
    ((text_counter *)device)->visible++;
}

static void count_stroked(
    fz_context *ctx, fz_device *device, const fz_text *text, const fz_stroke_state *stroke, fz_matrix ctm, fz_colorspace *space,
    const float *color, float alpha, fz_color_params params) {
    (void)ctx, (void)text, (void)stroke, (void)ctm, (void)space, (void)color, (void)alpha, (void)params;
    ((text_counter *)device)->visible++;
}

int cmupdf_editor_has_visible_text(cmupdf_editor *editor, int page, int *visible, char *err, size_t errlen) {
    *visible = 0;
    int code = cmupdf_edit_check_page(editor, page, err, errlen);
    if (code != CMUPDF_OK) return code;
    fz_context *ctx = editor->ctx;
    fz_page *loaded = NULL;
    text_counter *counter = NULL;
    fz_var(loaded);
    fz_var(counter);
    fz_try(ctx) {
        loaded = fz_load_page(ctx, &editor->doc->super, page);
        counter = fz_new_derived_device(ctx, text_counter);
        counter->super.fill_text = count_filled;
        counter->super.stroke_text = count_stroked;
        fz_run_page_contents(ctx, loaded, &counter->super, fz_identity, NULL);
        fz_close_device(ctx, &counter->super);
        *visible = counter->visible > 0;
    }
    fz_always(ctx) {
        fz_drop_device(ctx, &counter->super);
        fz_drop_page(ctx, loaded);
    }
    fz_catch(ctx) { return cmupdf_caught(ctx, CMUPDF_ERR_DAMAGED, err, errlen); }
    return CMUPDF_OK;
}

int cmupdf_editor_rasterize_page(cmupdf_editor *editor, int page, float dpi, char *err, size_t errlen) {
    int code = cmupdf_edit_check_page(editor, page, err, errlen);
    if (code != CMUPDF_OK) return code;
    fz_context *ctx = editor->ctx;
    pdf_document *doc = editor->doc;
    pdf_page *current = NULL;
    fz_pixmap *pixmap = NULL;
    fz_image *image = NULL;
    fz_buffer *contents = NULL;
    pdf_obj *ref = NULL;
    fz_var(current);
    fz_var(pixmap);
    fz_var(image);
    fz_var(contents);
    fz_var(ref);
    fz_try(ctx) {
        current = pdf_load_page(ctx, doc, page);
        // The page's own content, not its annotations: those stay on the page (links keep working).
        pixmap = fz_new_pixmap_from_page_contents(ctx, &current->super, fz_scale(dpi / 72, dpi / 72), fz_device_rgb(ctx), 0);
        image = fz_new_image_from_pixmap(ctx, pixmap, NULL);
        ref = pdf_add_image(ctx, doc, image);
        // The picture is of the page as shown (/Rotate applied): drawn back through the inverse.
        fz_rect mediabox;
        fz_matrix shown_from_pdf;
        pdf_page_transform(ctx, current, &mediabox, &shown_from_pdf);
        fz_rect shown = fz_transform_rect(mediabox, shown_from_pdf);
        fz_matrix in_shown = { shown.x1 - shown.x0, 0, 0, -(shown.y1 - shown.y0), shown.x0, shown.y1 };
        fz_matrix m = fz_concat(in_shown, fz_invert_matrix(shown_from_pdf));
        contents = fz_new_buffer(ctx, 96);
        fz_append_printf(ctx, contents, "q %g %g %g %g %g %g cm /QuirePage Do Q\n", m.a, m.b, m.c, m.d, m.e, m.f);
        pdf_obj *resources = pdf_new_dict(ctx, doc, 1);
        pdf_dict_put_drop(ctx, current->obj, PDF_NAME(Resources), resources);
        pdf_obj *xobjects = pdf_dict_put_dict(ctx, resources, PDF_NAME(XObject), 1);
        pdf_dict_puts(ctx, xobjects, "QuirePage", ref);
        pdf_dict_put_drop(ctx, current->obj, PDF_NAME(Contents), pdf_add_stream(ctx, doc, contents, NULL, 0));
    }
    fz_always(ctx) {
        pdf_drop_obj(ctx, ref);
        fz_drop_buffer(ctx, contents);
        fz_drop_image(ctx, image);
        fz_drop_pixmap(ctx, pixmap);
        if (current) fz_drop_page(ctx, &current->super);
    }
    fz_catch(ctx) { return cmupdf_caught(ctx, CMUPDF_ERR_FAILED, err, errlen); }
    return CMUPDF_OK;
}
