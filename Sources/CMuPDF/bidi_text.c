// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Right-to-left text for the editor (edit.c): a line cut into runs in display order (MuPDF's
// Unicode bidi algorithm), and right-to-left runs shaped by HarfBuzz, so Arabic letters take
// their joined forms and Hebrew marks sit on their letters. Left-to-right runs stay with
// edit.c's own character-by-character path.
#include "bidi_text.h"

#include <harfbuzz/hb.h>
#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <mupdf/ucdn.h>
#include <string.h>

int cmupdf_text_has_rtl(const char *utf8) {
    while (*utf8) {
        int u;
        utf8 += fz_chartorune(&u, utf8);
        int bidi = ucdn_get_bidi_class(u);
        if (bidi == UCDN_BIDI_CLASS_R || bidi == UCDN_BIDI_CLASS_AL) return 1;
    }
    return 0;
}

// MARK: - Runs in display order

typedef struct fragment_sink {
    const uint32_t *text;
    const int *byte_offsets;  // per code point, then the text's byte length
    cmupdf_bidi_run *runs;
    size_t count;
} fragment_sink;

static void collect_fragment(const uint32_t *fragment, size_t length, int level, int script, void *arg) {
    (void)script;
    fragment_sink *sink = arg;
    size_t first = (size_t)(fragment - sink->text);
    cmupdf_bidi_run *run = &sink->runs[sink->count++];
    run->start = sink->byte_offsets[first];
    run->end = sink->byte_offsets[first + length];
    run->level = level;
}

/// Rule L2 of the bidi algorithm over whole runs: from the highest level down to the lowest
/// odd one, every stretch of runs at that level or above is reversed.
static void reorder_for_display(cmupdf_bidi_run *runs, size_t count) {
    int highest = 0, lowest_odd = 255;
    for (size_t i = 0; i < count; i++) {
        if (runs[i].level > highest) highest = runs[i].level;
        if ((runs[i].level & 1) && runs[i].level < lowest_odd) lowest_odd = runs[i].level;
    }
    for (int level = highest; level >= lowest_odd && level > 0; level--) {
        for (size_t i = 0; i < count;) {
            if (runs[i].level < level) {
                i++;
                continue;
            }
            size_t end = i;
            while (end < count && runs[end].level >= level) end++;
            for (size_t a = i, b = end - 1; a < b; a++, b--) {
                cmupdf_bidi_run swap = runs[a];
                runs[a] = runs[b];
                runs[b] = swap;
            }
            i = end;
        }
    }
}

size_t cmupdf_bidi_runs(fz_context *ctx, const char *utf8, cmupdf_bidi_run **out) {
    size_t length = strlen(utf8);
    uint32_t *text = fz_malloc_array(ctx, length + 1, uint32_t);
    int *byte_offsets = NULL;
    cmupdf_bidi_run *runs = NULL;
    size_t count = 0;
    fz_var(byte_offsets);
    fz_var(runs);
    fz_try(ctx) {
        byte_offsets = fz_malloc_array(ctx, length + 1, int);
        for (const char *p = utf8; *p;) {
            int u;
            byte_offsets[count] = (int)(p - utf8);
            p += fz_chartorune(&u, p);
            text[count++] = (uint32_t)u;
        }
        byte_offsets[count] = (int)length;
        // At most one run per code point.
        runs = fz_malloc_array(ctx, count + 1, cmupdf_bidi_run);
        fragment_sink sink = { text, byte_offsets, runs, 0 };
        fz_bidi_direction direction = FZ_BIDI_NEUTRAL;  // from the line's first strong character
        if (count > 0) fz_bidi_fragment_text(ctx, text, count, &direction, collect_fragment, &sink, 0);
        count = sink.count;
        reorder_for_display(runs, count);
    }
    fz_always(ctx) {
        fz_free(ctx, text);
        fz_free(ctx, byte_offsets);
    }
    fz_catch(ctx) {
        fz_free(ctx, runs);
        fz_rethrow(ctx);
    }
    *out = runs;
    return count;
}

// MARK: - Shaping

/// One font's shaper, and the text each glyph it produced stands for: joined and ligature
/// glyphs are not in the font's character map, so MuPDF's ToUnicode cannot name them.
typedef struct shaper {
    fz_font *font;
    hb_font_t *hb;
    int glyph_count;
    char **texts;  // per glyph id: UTF-8, NULL until shaped; allocated on first use
} shaper;

struct cmupdf_shapers {
    shaper *items;
    int count;
    int capacity;
};

void cmupdf_drop_shapers(fz_context *ctx, cmupdf_shapers *shapers) {
    if (!shapers) return;
    for (int i = 0; i < shapers->count; i++) {
        shaper *s = &shapers->items[i];
        hb_font_destroy(s->hb);
        fz_drop_font(ctx, s->font);
        if (s->texts)
            for (int g = 0; g < s->glyph_count; g++) fz_free(ctx, s->texts[g]);
        fz_free(ctx, s->texts);
    }
    fz_free(ctx, shapers->items);
    fz_free(ctx, shapers);
}

/// HarfBuzz's font over the bytes MuPDF already holds (the fallback fonts are in memory), made
/// once per font; NULL for a font without its bytes in memory.
static shaper *shaper_for(fz_context *ctx, cmupdf_shapers **cache, fz_font *font) {
    if (!font->buffer) return NULL;
    if (!*cache) *cache = fz_malloc_struct(ctx, cmupdf_shapers);
    cmupdf_shapers *shapers = *cache;
    for (int i = 0; i < shapers->count; i++)
        if (shapers->items[i].font == font) return &shapers->items[i];
    if (shapers->count == shapers->capacity) {
        int capacity = shapers->capacity ? shapers->capacity * 2 : 4;
        shapers->items = fz_realloc_array(ctx, shapers->items, capacity, shaper);
        shapers->capacity = capacity;
    }
    hb_blob_t *blob = hb_blob_create(
        (const char *)font->buffer->data, (unsigned int)font->buffer->len, HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_t *face = hb_face_create(blob, 0);
    hb_blob_destroy(blob);
    hb_font_t *hb = hb_font_create(face);
    unsigned int units = hb_face_get_upem(face);
    int glyph_count = (int)hb_face_get_glyph_count(face);
    hb_face_destroy(face);
    hb_font_set_scale(hb, (int)units, (int)units);
    // The font's bytes outlive the shaper: the cache keeps the font too.
    shaper *s = &shapers->items[shapers->count++];
    *s = (shaper){ fz_keep_font(ctx, font), hb, glyph_count, NULL };
    return s;
}

/// Remembers that glyph `gid` shows `length` bytes of `utf8` (the first text seen wins).
static void remember_text(fz_context *ctx, shaper *s, int gid, const char *utf8, int length) {
    if (gid <= 0 || gid >= s->glyph_count || length <= 0) return;
    if (!s->texts) s->texts = fz_calloc(ctx, s->glyph_count, sizeof(char *));
    if (s->texts[gid]) return;
    char *text = fz_malloc(ctx, length + 1);
    memcpy(text, utf8, length);
    text[length] = 0;
    s->texts[gid] = text;
}

size_t cmupdf_shape_rtl(
    fz_context *ctx, cmupdf_shapers **cache, fz_font *font, const char *utf8, int length, cmupdf_shaped_glyph **out) {
    *out = NULL;
    shaper *s = shaper_for(ctx, cache, font);
    if (!s) return 0;
    hb_font_t *shaper = s->hb;
    hb_buffer_t *buffer = hb_buffer_create();
    cmupdf_shaped_glyph *glyphs = NULL;
    unsigned int count = 0;
    fz_var(glyphs);
    fz_try(ctx) {
        hb_buffer_add_utf8(buffer, utf8, length, 0, length);
        hb_buffer_set_direction(buffer, HB_DIRECTION_RTL);
        hb_buffer_guess_segment_properties(buffer);
        // Marks keep clusters of their own, so each glyph names the characters it shows.
        hb_buffer_set_cluster_level(buffer, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
        hb_shape(shaper, buffer, NULL, 0);
        if (!hb_buffer_allocation_successful(buffer)) fz_throw(ctx, FZ_ERROR_GENERIC, "out of memory shaping text");
        hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buffer, &count);
        hb_glyph_position_t *position = hb_buffer_get_glyph_positions(buffer, NULL);
        float units = (float)hb_face_get_upem(hb_font_get_face(shaper));
        glyphs = fz_malloc_array(ctx, count + 1, cmupdf_shaped_glyph);
        // HarfBuzz gives right-to-left glyphs in display order, left to right.
        for (unsigned int i = 0; i < count; i++) {
            glyphs[i].gid = (int)info[i].codepoint;
            glyphs[i].cluster = (int)info[i].cluster;
            glyphs[i].advance = position[i].x_advance / units;
            glyphs[i].x_offset = position[i].x_offset / units;
            glyphs[i].y_offset = position[i].y_offset / units;
            // Right to left, clusters fall along the glyphs: a cluster ends where the glyph
            // before it (or the text) does.
            int next = length;
            for (unsigned int j = i; j-- > 0;)
                if ((int)info[j].cluster > (int)info[i].cluster) {
                    next = (int)info[j].cluster;
                    break;
                }
            remember_text(ctx, s, glyphs[i].gid, utf8 + info[i].cluster, next - (int)info[i].cluster);
        }
    }
    fz_always(ctx) { hb_buffer_destroy(buffer); }
    fz_catch(ctx) {
        fz_free(ctx, glyphs);
        fz_rethrow(ctx);
    }
    *out = glyphs;
    return count;
}

// MARK: - ToUnicode

static void append_utf16(fz_context *ctx, fz_buffer *buffer, int u) {
    if (u >= 0x10000) {
        int v = u - 0x10000;
        fz_append_printf(ctx, buffer, "%04x%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
    } else {
        fz_append_printf(ctx, buffer, "%04x", u);
    }
}

static void flush_block(fz_context *ctx, fz_buffer *cmap, fz_buffer *block, int *count) {
    if (*count == 0) return;
    fz_append_printf(ctx, cmap, "%d beginbfchar\n", *count);
    fz_append_buffer(ctx, cmap, block);
    fz_append_string(ctx, cmap, "endbfchar\n");
    fz_clear_buffer(ctx, block);
    *count = 0;
}

/// The ToUnicode CMap of one shaped font: each glyph's shaped text, else what MuPDF's map says.
static fz_buffer *to_unicode_cmap(fz_context *ctx, shaper *s, pdf_cmap *existing) {
    fz_buffer *cmap = fz_new_buffer(ctx, 8192);
    fz_buffer *block = NULL;
    fz_var(block);
    fz_try(ctx) {
        block = fz_new_buffer(ctx, 8192);
        fz_append_string(ctx, cmap,
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
        int in_block = 0;  // bfchar blocks hold at most 100 entries
        for (int gid = 1; gid < s->glyph_count && gid <= 0xFFFF; gid++) {
            int values[PDF_MRANGE_CAP];
            int count = 0;
            if (s->texts && s->texts[gid]) {
                for (const char *p = s->texts[gid]; *p && count < PDF_MRANGE_CAP;) p += fz_chartorune(&values[count++], p);
            } else if (existing) {
                count = pdf_lookup_cmap_full(existing, (unsigned int)gid, values);
            }
            if (count <= 0) continue;
            fz_append_printf(ctx, block, "<%04x> <", gid);
            for (int i = 0; i < count; i++) append_utf16(ctx, block, values[i]);
            fz_append_string(ctx, block, ">\n");
            if (++in_block == 100) flush_block(ctx, cmap, block, &in_block);
        }
        flush_block(ctx, cmap, block, &in_block);
        fz_append_string(ctx, cmap, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    }
    fz_always(ctx) { fz_drop_buffer(ctx, block); }
    fz_catch(ctx) {
        fz_drop_buffer(ctx, cmap);
        fz_rethrow(ctx);
    }
    return cmap;
}

void cmupdf_write_shaped_to_unicode(fz_context *ctx, pdf_document *doc, cmupdf_shapers *shapers) {
    if (!shapers) return;
    for (int i = 0; i < shapers->count; i++) {
        shaper *s = &shapers->items[i];
        if (!s->texts) continue;
        pdf_obj *font = pdf_add_cid_font(ctx, doc, s->font);  // the same object the pages use
        pdf_cmap *existing = NULL;
        fz_buffer *cmap = NULL;
        fz_var(existing);
        fz_var(cmap);
        fz_try(ctx) {
            pdf_obj *old = pdf_dict_get(ctx, font, PDF_NAME(ToUnicode));
            if (old) existing = pdf_load_embedded_cmap(ctx, doc, old);
            cmap = to_unicode_cmap(ctx, s, existing);
            pdf_dict_put_drop(ctx, font, PDF_NAME(ToUnicode), pdf_add_stream(ctx, doc, cmap, NULL, 0));
        }
        fz_always(ctx) {
            pdf_drop_cmap(ctx, existing);
            fz_drop_buffer(ctx, cmap);
            pdf_drop_obj(ctx, font);
        }
        fz_catch(ctx) { fz_rethrow(ctx); }
    }
}
