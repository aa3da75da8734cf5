// SPDX-License-Identifier: AGPL-3.0-or-later
// libFuzzer target: any bytes through CMuPDF's input paths as the engine hosts use them on a
// client's file: open as a PDF (repair included), page count, metadata, then for the first two
// pages bounds, characters, text, the scan check and a gray render at 20 dpi; and the same
// bytes as an image file (header size, frames, decode when small). Built and run by
// scripts/fuzz.sh. MuPDF itself is Debian's uninstrumented build: the fuzzer's coverage is
// Quire's shim, the inputs reach MuPDF all the same, and ASan checks the shim's memory use.
#include "input_file.h"

#include "cmupdf.h"

static cmupdf_context *context;

static void read_pages(cmupdf_document *doc) {
    char error[256];
    int pages = 0;
    if (cmupdf_document_page_count(context, doc, &pages, error, sizeof error) != 0) return;
    char *value = NULL;
    if (cmupdf_document_metadata(context, doc, "info:Title", &value, error, sizeof error) == 0) cmupdf_free(value);
    int permissions = 0;
    cmupdf_document_permissions(context, doc, &permissions, error, sizeof error);
    for (int page = 0; page < pages && page < 2; page++) {
        float x0, y0, x1, y1, dpi, coverage;
        if (cmupdf_page_bounds(context, doc, page, &x0, &y0, &x1, &y1, error, sizeof error) != 0) continue;
        cmupdf_char *chars = NULL;
        size_t count = 0;
        if (cmupdf_page_chars(context, doc, page, &chars, &count, error, sizeof error) == 0) cmupdf_free(chars);
        char *text = NULL;
        size_t length = 0;
        if (cmupdf_page_text(context, doc, page, &text, &length, error, sizeof error) == 0) cmupdf_free(text);
        cmupdf_page_scan_resolution(context, doc, page, &dpi, &coverage, error, sizeof error);
        // Pages of absurd size are what the hosts refuse before rendering; the fuzzer skips them too.
        if ((x1 - x0) * (y1 - y0) > 14400.0f * 14400.0f) continue;
        unsigned char *gray = NULL;
        int width = 0, height = 0;
        if (cmupdf_page_render_gray(context, doc, page, 20, &gray, &width, &height, error, sizeof error) == 0) cmupdf_free(gray);
    }
}

static void read_image(const uint8_t *data, size_t size) {
    char error[256];
    int width = 0, height = 0, frames = 0;
    if (cmupdf_image_size(context, data, size, &width, &height, error, sizeof error) != 0) return;
    cmupdf_image_subimage_count(context, data, size, &frames, error, sizeof error);
    // Decoding is bounded by the pixel count in the hosts (`images[]` over 50 million is refused).
    if ((int64_t)width * height > 4000000) return;
    cmupdf_raster raster = {0};
    if (cmupdf_image_decode(context, data, size, 0, &raster, error, sizeof error) == 0) cmupdf_raster_free(&raster);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char error[256];
    if (!context && cmupdf_context_create(&context, error, sizeof error) != 0) return 0;
    char path[64];
    int fd = input_file(data, size, path);
    if (fd < 0) return 0;
    cmupdf_document *doc = NULL;
    if (cmupdf_document_open(context, path, NULL, &doc, error, sizeof error) == 0) {
        read_pages(doc);
        cmupdf_document_drop(context, doc);
    }
    close(fd);
    if (size) read_image(data, size);
    return 0;
}
