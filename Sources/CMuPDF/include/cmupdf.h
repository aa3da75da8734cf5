// SPDX-License-Identifier: AGPL-3.0-or-later
//
// A small C face over MuPDF 1.21 for Swift. MuPDF reports errors with fz_try/fz_catch, which are
// setjmp/longjmp and must never unwind through Swift frames, so every call that can throw is made
// in shim.c and comes back here as an error code plus a message in the caller's buffer.
// Swift sees only these opaque handles and plain structs, never <mupdf/fitz.h>.
#ifndef CMUPDF_H
#define CMUPDF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Result codes of every cmupdf_ function that can fail; the message goes to `err`.
enum {
    CMUPDF_OK = 0,
    /// Anything not listed below (MuPDF's generic errors, aborted work).
    CMUPDF_ERR_FAILED = 1,
    /// The document is encrypted with a user password and none was given.
    CMUPDF_ERR_NEEDS_PASSWORD = 2,
    /// A password was given and it opens neither as user nor as owner password.
    CMUPDF_ERR_WRONG_PASSWORD = 3,
    /// The bytes are not a readable document: empty, truncated beyond repair, not a PDF.
    CMUPDF_ERR_DAMAGED = 4,
    /// The file itself could not be opened or read (missing, permissions).
    CMUPDF_ERR_IO = 5,
    /// An argument is out of range, such as a page number the document lacks.
    CMUPDF_ERR_ARGUMENT = 6,
    /// MuPDF ran out of memory.
    CMUPDF_ERR_MEMORY = 7,
};

/// Permission bits, the PDF /P flags as named in ISO 32000 table 22.
enum {
    CMUPDF_PERM_PRINT = 1 << 2,
    CMUPDF_PERM_MODIFY = 1 << 3,
    CMUPDF_PERM_COPY = 1 << 4,
    CMUPDF_PERM_ANNOTATE = 1 << 5,
    CMUPDF_PERM_FILL_FORMS = 1 << 8,
    CMUPDF_PERM_ACCESSIBILITY = 1 << 9,
    CMUPDF_PERM_ASSEMBLE = 1 << 10,
    CMUPDF_PERM_PRINT_HQ = 1 << 11,
};

/// A MuPDF context. The base one owns the locks, resource store and caches; clones share them
/// and each may be used by one thread at a time.
typedef struct cmupdf_context cmupdf_context;

/// An open document, used with the context that opened it (or a clone of its base).
typedef struct cmupdf_document cmupdf_document;

/// One character of a page's structured text. Coordinates are in points, origin top-left, y down.
typedef struct cmupdf_char {
    /// Unicode scalar value (ligatures already expanded; whitespace normalised to U+0020).
    uint32_t codepoint;
    /// Where the glyph's origin sits on the baseline.
    float x;
    float baseline;
    /// The right edge of the glyph box, i.e. origin x plus the advance width.
    float max_x;
    /// Font size in points.
    float size;
    /// Index of the MuPDF line on the page (lines share one baseline); counts across blocks.
    int32_t line;
    /// Index of the MuPDF text block on the page.
    int32_t block;
} cmupdf_char;

// MARK: - Contexts

/// A base context with its own mutexes (fz_locks_context), so that clones may run on other threads.
int cmupdf_context_create(cmupdf_context **out, char *err, size_t errlen);

/// A clone sharing `base`'s store and caches. Make clones one at a time; drop them before `base`.
int cmupdf_context_clone(cmupdf_context *base, cmupdf_context **out, char *err, size_t errlen);

/// Frees a context made by either function above. NULL is ignored.
void cmupdf_context_drop(cmupdf_context *ctx);

// MARK: - Documents

/// Opens `path` (PDF, or anything else MuPDF recognises by name; unknown names are tried as PDF).
/// `password` may be NULL or empty. Returns CMUPDF_ERR_NEEDS_PASSWORD, _WRONG_PASSWORD, _DAMAGED or _IO.
int cmupdf_document_open(
    cmupdf_context *ctx, const char *path, const char *password, cmupdf_document **out,
    char *err, size_t errlen);

/// Frees a document with the context it is used with. NULL is ignored.
void cmupdf_document_drop(cmupdf_context *ctx, cmupdf_document *doc);

/// Whether opening needed a user password (an encrypted file with an empty user password does not).
int cmupdf_document_needed_password(
    cmupdf_context *ctx, cmupdf_document *doc, int *out, char *err, size_t errlen);

/// The number of pages, counted when the document was opened (at least 1).
int cmupdf_document_page_count(cmupdf_context *ctx, cmupdf_document *doc, int *out, char *err, size_t errlen);

/// Looks up a metadata key ("format", "encryption", "info:Title", ...). `*out` is a malloc'd UTF-8
/// string to release with cmupdf_free, or NULL when the document has no such entry.
int cmupdf_document_metadata(
    cmupdf_context *ctx, cmupdf_document *doc, const char *key, char **out, char *err, size_t errlen);

/// The CMUPDF_PERM_ bits the document grants (all of them when it is not encrypted).
int cmupdf_document_permissions(cmupdf_context *ctx, cmupdf_document *doc, int *out, char *err, size_t errlen);

/// The bounds of page `page` (zero-based) in points, after /Rotate and the crop box.
int cmupdf_page_bounds(
    cmupdf_context *ctx, cmupdf_document *doc, int page, float *x0, float *y0, float *x1, float *y1,
    char *err, size_t errlen);

// MARK: - Text

/// The characters of page `page`, in MuPDF's block/line order. `*out` is malloc'd (NULL when the page
/// has no text) and is released with cmupdf_free.
int cmupdf_page_chars(
    cmupdf_context *ctx, cmupdf_document *doc, int page, cmupdf_char **out, size_t *count,
    char *err, size_t errlen);

/// MuPDF's own plain text of page `page`: each line ends in "\n", each block in one more "\n".
/// `*out` is malloc'd UTF-8 (not NUL-terminated), released with cmupdf_free.
int cmupdf_page_text(
    cmupdf_context *ctx, cmupdf_document *doc, int page, char **out, size_t *length,
    char *err, size_t errlen);

/// A character with its font, colour and box, for layout analysis (points, origin top-left, y down).
typedef struct cmupdf_text_char {
    uint32_t codepoint;
    /// The glyph's box (its quad's bounds): font ascent to descent, origin to advance.
    float x0, y0, x1, y1;
    float origin_x, baseline;
    float size;
    /// MuPDF's line and block on the page, as in cmupdf_char.
    int32_t line, block;
    /// Index into cmupdf_page_content.fonts, or -1.
    int32_t font;
    /// sRGB as 0xRRGGBB.
    uint32_t color;
    /// The line's writing direction (1, 0 for horizontal text).
    float direction_x, direction_y;
} cmupdf_text_char;

enum {
    CMUPDF_FONT_BOLD = 1,
    CMUPDF_FONT_ITALIC = 2,
    CMUPDF_FONT_MONOSPACED = 4,
    CMUPDF_FONT_SERIF = 8,
    /// Distinct fonts kept per page; characters in more fonts get font -1.
    CMUPDF_MAX_FONTS = 256,
    /// Ruling segments kept per page (a hostile page gets the first ones).
    CMUPDF_MAX_SEGMENTS = 200000,
};

typedef struct cmupdf_font_info {
    /// As the PDF names it, subset prefix included ("ABCDEF+Arial-BoldMT"), cut at 63 bytes.
    char name[64];
    int32_t flags;
} cmupdf_font_info;

/// A horizontal or vertical line drawn on the page (a stroke, a thin filled rectangle, or an edge
/// of a filled rectangle). x0 <= x1, y0 <= y1; one of the two extents is zero.
typedef struct cmupdf_segment {
    float x0, y0, x1, y1;
    float width;
} cmupdf_segment;

/// What cmupdf_page_content_read fills; release with cmupdf_page_content_free.
typedef struct cmupdf_page_content {
    float width, height;
    cmupdf_text_char *chars;
    size_t char_count;
    cmupdf_font_info *fonts;
    size_t font_count;
    cmupdf_segment *segments;
    size_t segment_count;
} cmupdf_page_content;

/// Page `page`'s characters (MuPDF block/line order), fonts and ruling lines.
int cmupdf_page_content_read(
    cmupdf_context *ctx, cmupdf_document *doc, int page, cmupdf_page_content *content, char *err, size_t errlen);
void cmupdf_page_content_free(cmupdf_page_content *content);

/// Output formats of cmupdf_page_render_image.
enum {
    CMUPDF_IMAGE_PNG = 0,
    CMUPDF_IMAGE_JPEG = 1,
    CMUPDF_IMAGE_WEBP = 2,
};

/// Page `page` rendered at `dpi` (RGB, no alpha) as PNG, JPEG or WebP (`quality` 1…100 for the
/// lossy two). `*out` is malloc'd, released with cmupdf_free.
int cmupdf_page_render_image(
    cmupdf_context *ctx, cmupdf_document *doc, int page, float dpi, int format, int quality, unsigned char **out, size_t *length,
    char *err, size_t errlen);

/// Page `page` rendered at `dpi` as 8-bit gray, rows `*width` bytes apart (what barcode reading
/// needs: a third of RGB's memory). `*out` is malloc'd, released with cmupdf_free.
int cmupdf_page_render_gray(
    cmupdf_context *ctx, cmupdf_document *doc, int page, float dpi, unsigned char **out, int *width, int *height, char *err,
    size_t errlen);

/// The resolution (dpi, the lower of its two) of the largest image drawn on page `page`, and the
/// share of the page's area it covers (0 and 0 when the page draws no image).
int cmupdf_page_scan_resolution(
    cmupdf_context *ctx, cmupdf_document *doc, int page, float *dpi, float *coverage, char *err, size_t errlen);

/// Decrypts `input_path` (AES-CBC, `key_length` 16/24/32 bytes, 16-byte `iv`, PKCS#7 padding)
/// into `output_path`, streaming. Returns CMUPDF_ERR_ARGUMENT (key size), _DAMAGED (not whole
/// blocks), _WRONG_PASSWORD (padding does not match: wrong key or IV) or _IO.
int cmupdf_aes_cbc_decrypt_file(
    const unsigned char *key, int key_length, const unsigned char *iv, const char *input_path, const char *output_path, char *err,
    size_t errlen);

/// A decoded image: 8-bit samples, straight (not premultiplied) color, alpha in its own plane.
typedef struct cmupdf_raster {
    int width;
    int height;
    /// 1 gray, 3 RGB, 4 CMYK.
    int colorants;
    int has_alpha;
    /// Resolution in dpi the file states, 0 when it states none.
    int xres;
    int yres;
    unsigned char *color;
    size_t color_length;
    /// NULL when `has_alpha` is 0.
    unsigned char *alpha;
    size_t alpha_length;
} cmupdf_raster;

/// Frames in an image file: TIFF pages; 1 for every other format.
int cmupdf_image_subimage_count(
    cmupdf_context *ctx, const unsigned char *data, size_t length, int *count, char *err, size_t errlen);

/// Width and height of an image file (its first frame) from its header, without decoding it.
int cmupdf_image_size(
    cmupdf_context *ctx, const unsigned char *data, size_t length, int *width, int *height, char *err, size_t errlen);

/// Decodes frame `subimage` of an image file (PNG, JPEG, GIF, BMP, TIFF, PNM, JPX…). Release the
/// planes with cmupdf_raster_free.
int cmupdf_image_decode(
    cmupdf_context *ctx, const unsigned char *data, size_t length, int subimage, cmupdf_raster *out, char *err, size_t errlen);

void cmupdf_raster_free(cmupdf_raster *raster);

/// Decodes a WebP image (libwebp: MuPDF 1.21 has no WebP reader).
int cmupdf_webp_decode(const unsigned char *data, size_t length, cmupdf_raster *out, char *err, size_t errlen);

/// zlib (RFC 1950) compression at `level` 0…9; `*out` released with cmupdf_free.
int cmupdf_deflate(const unsigned char *in, size_t length, int level, unsigned char **out, size_t *out_length);

/// zlib decompression of at most `max_length` bytes; `*out` released with cmupdf_free.
int cmupdf_inflate(const unsigned char *in, size_t length, size_t max_length, unsigned char **out, size_t *out_length);

/// PNG row filtering: `rows` rows of `row_bytes` bytes (`bpp` bytes per pixel, at least 1) into
/// `out`, rows * (row_bytes + 1) bytes, each row prefixed by the filter (None, Sub, Up, Average,
/// Paeth) whose residuals sum smallest. CMUPDF_ERR_MEMORY at worst.
int cmupdf_png_filter_rows(const unsigned char *in, size_t rows, size_t row_bytes, size_t bpp, unsigned char *out);

/// The reverse: filtered rows (rows * (row_bytes + 1) bytes) into `out` (rows * row_bytes).
/// CMUPDF_ERR_DAMAGED for an unknown filter type.
int cmupdf_png_unfilter_rows(const unsigned char *in, size_t rows, size_t row_bytes, size_t bpp, unsigned char *out);

/// Interleaved pixels of `color_bytes` then `alpha_bytes` bytes into two planes.
void cmupdf_split_alpha(const unsigned char *in, size_t pixels, size_t color_bytes, size_t alpha_bytes, unsigned char *color,
                        unsigned char *alpha);

/// A palette image's alpha plane (`width` bytes per row): each pixel's index (`depth` 1, 2, 4
/// or 8 bits, rows of `row_bytes`) looked up in `table`.
void cmupdf_palette_alpha(const unsigned char *rows, size_t width, size_t height, size_t row_bytes, int depth,
                          const unsigned char table[256], unsigned char *mask);

/// Pages `pages[0..<count]` rendered at `dpi` into one multi-page RGB TIFF at `path`
/// (Deflate + horizontal predictor). Removes the file on failure.
int cmupdf_render_tiff(
    cmupdf_context *ctx, cmupdf_document *doc, const int *pages, int count, float dpi, const char *path, char *err, size_t errlen);

/// Frees memory that a cmupdf_ function handed out. NULL is ignored.
void cmupdf_free(void *p);

// MARK: - Optimize

/// What the image stage of /pdf/optimize may do.
typedef struct cmupdf_optimize_settings {
    /// JPEG quality 1…100 for re-encoded photos.
    int jpeg_quality;
    /// Images drawn at more than 1.5× this resolution (pixels per inch at their largest drawn
    /// size) are downsampled to it; 0 keeps every image's size.
    float target_dpi;
    /// Photos may be (re-)encoded as JPEG; otherwise resampled images are stored with Flate.
    int use_jpeg;
    /// JPEG images may be re-encoded at `jpeg_quality` even at their own size (kept only if smaller).
    int recompress_jpeg;
    /// Colour images become gray.
    int grayscale;
} cmupdf_optimize_settings;

typedef struct cmupdf_optimize_stats {
    /// Image streams in the file, those rewritten, and those of them downsampled.
    int images;
    int rewritten;
    int resampled;
} cmupdf_optimize_stats;

/// Rewrites the images of the PDF `input` as `settings` allow (each kept only when smaller) and
/// saves it to `output` with unused objects dropped and duplicates merged; encryption is kept.
int cmupdf_optimize_images(
    cmupdf_context *ctx, const char *input, const char *password, const char *output, const cmupdf_optimize_settings *settings,
    cmupdf_optimize_stats *stats, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
