// SPDX-License-Identifier: AGPL-3.0-or-later
// The editor's state, shared by edit.c and ocr_layer.c; not part of the Swift-facing header.
#ifndef CMUPDF_EDIT_INTERNAL_H
#define CMUPDF_EDIT_INTERNAL_H

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "bidi_text.h"
#include "cmupdf_edit.h"

typedef struct edit_image {
    char *path;
    pdf_obj *ref;
} edit_image;

struct cmupdf_editor {
    fz_context *ctx;
    pdf_document *doc;
    int page_count;
    /// Per page: the added content (NULL until the page is touched), the page's own resource
    /// dictionary (copied onto the page when first touched), which of its Font / XObject
    /// sub-dictionaries are already the page's own copy, and the displayed → PDF space matrix.
    fz_buffer **contents;
    pdf_obj **resources;
    unsigned char *owned_subdicts;
    fz_matrix *to_pdf;
    /// Base-14 fonts by family × bold × italic, loaded once.
    fz_font *fonts[12];
    /// HarfBuzz fonts for right-to-left text, made on first use.
    cmupdf_shapers *shapers;
    /// The glyphless font of OCR text layers (ocr_layer.c), made on first use.
    pdf_obj *invisible_font;
    edit_image *images;
    int image_count;
    int image_capacity;
};

/// CMUPDF_ERR_ARGUMENT (with a message) unless 0 <= page < the page count.
int cmupdf_edit_check_page(cmupdf_editor *editor, int page, char *err, size_t errlen);

/// The buffer collecting the page's added content; the first call starts it with the matrix
/// that lets everything after it be written in displayed coordinates.
fz_buffer *cmupdf_edit_page_buffer(fz_context *ctx, cmupdf_editor *editor, int page);

/// A name for `ref` in the page's `kind` (Font or XObject, `kind_bit` 1 or 2) resources, added
/// when missing.
void cmupdf_edit_resource_name(
    fz_context *ctx, cmupdf_editor *editor, int page, pdf_obj *kind, int kind_bit, pdf_obj *ref, char *name, size_t length);

#endif
