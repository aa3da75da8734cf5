// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Files embedded in a PDF (cmupdf_edit.h): the EmbeddedFiles name tree and file attachment
// annotations, each written out through a bounded stream. MuPDF's exception rules apply as in
// shim.c.
#include "cmupdf_edit.h"

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct attachment_list {
    pdf_obj **specs;
    int count;
    int capacity;
} attachment_list;

/// Adds the file specification once (by object number; direct ones always).
static void add_spec(fz_context *ctx, attachment_list *list, pdf_obj *spec) {
    if (!pdf_is_dict(ctx, spec) || !pdf_dict_get(ctx, spec, PDF_NAME(EF))) return;
    int num = pdf_to_num(ctx, spec);
    for (int i = 0; num > 0 && i < list->count; i++)
        if (pdf_to_num(ctx, list->specs[i]) == num) return;
    if (list->count == list->capacity) {
        int capacity = list->capacity ? list->capacity * 2 : 8;
        list->specs = fz_realloc_array(ctx, list->specs, capacity, pdf_obj *);
        list->capacity = capacity;
    }
    list->specs[list->count++] = pdf_keep_obj(ctx, spec);
}

static void collect(fz_context *ctx, pdf_document *doc, attachment_list *list, int max_files) {
    pdf_obj *tree = pdf_load_name_tree(ctx, doc, PDF_NAME(EmbeddedFiles));
    fz_try(ctx) {
        for (int i = 0; i < pdf_dict_len(ctx, tree) && list->count < max_files; i++) add_spec(ctx, list, pdf_dict_get_val(ctx, tree, i));
    }
    fz_always(ctx) { pdf_drop_obj(ctx, tree); }
    fz_catch(ctx) { fz_rethrow(ctx); }
    int pages = pdf_count_pages(ctx, doc);
    for (int page = 0; page < pages && list->count < max_files; page++) {
        pdf_obj *annots = pdf_dict_get(ctx, pdf_lookup_page_obj(ctx, doc, page), PDF_NAME(Annots));
        for (int i = 0; i < pdf_array_len(ctx, annots) && list->count < max_files; i++) {
            pdf_obj *annot = pdf_array_get(ctx, annots, i);
            if (pdf_name_eq(ctx, pdf_dict_get(ctx, annot, PDF_NAME(Subtype)), PDF_NAME(FileAttachment)))
                add_spec(ctx, list, pdf_dict_get(ctx, annot, PDF_NAME(FS)));
        }
    }
}

/// The embedded stream of a file specification: /EF /UF, else /F, else the platform keys.
static pdf_obj *embedded_stream(fz_context *ctx, pdf_obj *spec) {
    pdf_obj *ef = pdf_dict_get(ctx, spec, PDF_NAME(EF));
    pdf_obj *keys[] = { PDF_NAME(UF), PDF_NAME(F), PDF_NAME(Unix), PDF_NAME(DOS), PDF_NAME(Mac) };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        pdf_obj *stream = pdf_dict_get(ctx, ef, keys[i]);
        if (pdf_is_stream(ctx, stream)) return stream;
    }
    return NULL;
}

/// Copies the stream to `path`, at most `*budget` bytes (decompressed); lowers the budget.
static void write_stream(fz_context *ctx, pdf_obj *stream, const char *path, long long *budget) {
    fz_stream *in = NULL;
    fz_output *out = NULL;
    fz_var(in);
    fz_var(out);
    fz_try(ctx) {
        in = pdf_open_stream(ctx, stream);
        out = fz_new_output_with_path(ctx, path, 0);
        unsigned char chunk[65536];
        size_t n;
        while ((n = fz_read(ctx, in, chunk, sizeof chunk)) > 0) {
            if ((long long)n > *budget) {
                *budget = -1;  // tells the caller why
                fz_throw(ctx, FZ_ERROR_GENERIC, "the attachments are larger than the limit");
            }
            *budget -= (long long)n;
            fz_write_data(ctx, out, chunk, n);
        }
        fz_close_output(ctx, out);
    }
    fz_always(ctx) {
        fz_drop_output(ctx, out);
        fz_drop_stream(ctx, in);
    }
    fz_catch(ctx) { fz_rethrow(ctx); }
}

int cmupdf_extract_attachments(
    cmupdf_context *c, const char *path, const char *password, const char *folder, long long max_bytes, int max_files, char **names,
    int *count, char *err, size_t errlen) {
    fz_context *ctx = c->ctx;
    pdf_document *doc = NULL;
    attachment_list list = { 0 };
    fz_buffer *joined = NULL;
    int code = CMUPDF_OK;
    long long budget = max_bytes;
    int written = 0;
    fz_var(doc);
    fz_var(joined);
    fz_var(code);
    fz_var(budget);
    fz_var(written);
    *names = NULL;
    *count = 0;
    fz_try(ctx) {
        doc = pdf_open_document(ctx, path);
        if (pdf_needs_password(ctx, doc)) {
            code = password && password[0] ? CMUPDF_ERR_WRONG_PASSWORD : CMUPDF_ERR_NEEDS_PASSWORD;
            if (!password || !password[0] || !pdf_authenticate_password(ctx, doc, password))
                fz_throw(ctx, FZ_ERROR_GENERIC, "cannot open the encrypted document");
            code = CMUPDF_OK;
        }
        collect(ctx, doc, &list, max_files);
        joined = fz_new_buffer(ctx, 256);
        code = CMUPDF_ERR_DAMAGED;
        for (int i = 0; i < list.count; i++) {
            pdf_obj *stream = embedded_stream(ctx, list.specs[i]);
            if (!stream) continue;
            char file[4096];
            snprintf(file, sizeof file, "%s/%d", folder, written);
            write_stream(ctx, stream, file, &budget);
            pdf_embedded_file_params params;
            pdf_get_embedded_file_params(ctx, list.specs[i], &params);
            fz_append_string(ctx, joined, params.filename && params.filename[0] ? params.filename : "attachment");
            fz_append_byte(ctx, joined, 0);
            written++;
        }
        code = CMUPDF_OK;
        size_t length = 0;
        *names = (char *)cmupdf_copy_buffer(ctx, joined, &length);
    }
    fz_always(ctx) {
        for (int i = 0; i < list.count; i++) pdf_drop_obj(ctx, list.specs[i]);
        fz_free(ctx, list.specs);
        fz_drop_buffer(ctx, joined);
        pdf_drop_document(ctx, doc);
    }
    fz_catch(ctx) {
        return cmupdf_caught(ctx, budget < 0 ? CMUPDF_ERR_MEMORY : (code == CMUPDF_OK ? CMUPDF_ERR_DAMAGED : code), err, errlen);
    }
    *count = written;
    return CMUPDF_OK;
}
