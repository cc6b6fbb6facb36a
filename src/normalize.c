/* normalize.c — from the text as read to the text the tokenizer sees, with an exact map back.
 *
 * Two passes, each writing a new text plus, for every output byte, the half-open range of
 * original bytes it came from (map_start/map_end):
 *
 *   1. NFKC_Casefold (ICU) with width folding: "ＡＰＰ閃退" → "app閃退".  Characters that
 *      NFKC_CF leaves alone (all of CJK, most emoji, lower-case ASCII) are copied; the rest
 *      are normalized one *segment* at a time — a character plus the combining marks after
 *      it — so "e" + U+0301 becomes "é" and both output bytes map to the three input bytes.
 *      Typographic apostrophes fold to "'", ZWJ/VS16 are kept so emoji sequences survive,
 *      and HTML character references (&amp; &#39; &#x1F621;) are decoded.
 *   2. OpenCC s2twp, only for Han runs whose Simplified-only characters (GB2312 but not
 *      Big5) outnumber their Traditional-only ones (Big5 but not GB2312).  OpenCC may change length ("内存" → "記憶體"), so the run's input and output
 *      characters are aligned by edit distance: equal or 1:1 substituted characters map one to
 *      one, and a block of unequal length maps as a whole to the input characters it replaced.
 *
 * Worked example: input "ＡＰＰ发" (12 bytes).  Pass 1 gives "app发": 'a' maps to [0,3),
 * 'p' to [3,6) and [6,9), "发" to [9,12).  Pass 2 converts the run "发" to "發", whose three
 * bytes map to [9,12).  A token over "app" maps back to [0,9): the original "ＡＰＰ".
 *
 * On the way it notes two facts that let segment.c skip work: whether the original holds an
 * upper-case ASCII letter (ALL-CAPS words need two), and whether any unit became several code
 * points (only then can a token boundary fall inside one). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Bytes that map to themselves: ms[k] = from + k, me[k] = from + k + 1 for k < n (the ASCII
 * runs of pass 1, most of an English text), four at a time where the compiler has vectors. */
static void map_identity(uint32_t *ms, uint32_t *me, size_t from, size_t n)
{
    size_t k = 0;
#if defined(__GNUC__)
    typedef uint32_t u32x4 __attribute__((vector_size(16)));
    uint32_t v = (uint32_t)from;
    u32x4 at = {v, v + 1, v + 2, v + 3}, one = {1, 1, 1, 1}, four = {4, 4, 4, 4};
    for (; k + 4 <= n; k += 4) {
        u32x4 after = at + one;
        memcpy(ms + k, &at, sizeof at);
        memcpy(me + k, &after, sizeof after);
        at += four;
    }
#endif
    for (; k < n; k++) {
        ms[k] = (uint32_t)(from + k);
        me[k] = (uint32_t)(from + k + 1);
    }
}

bool voc__is_simplified_only(const voc_analyzer *a, int32_t cp)
{
    if (cp < 0x4E00 || cp >= 0xA000) return false;
    uint32_t k = (uint32_t)(cp - 0x4E00);
    return (a->simplified_bits[k >> 3] >> (k & 7)) & 1;
}

static bool is_traditional_only(const voc_analyzer *a, int32_t cp)
{
    if (cp < 0x4E00 || cp >= 0xA000) return false;
    uint32_t k = (uint32_t)(cp - 0x4E00);
    return (a->traditional_bits[k >> 3] >> (k & 7)) & 1;
}

bool voc__is_simplified_ambiguous(const voc_analyzer *a, int32_t cp)
{
    if (cp < 0x4E00 || cp >= 0xA000) return false;
    uint32_t k = (uint32_t)(cp - 0x4E00);
    return (a->ambiguous_bits[k >> 3] >> (k & 7)) & 1;
}

/* Make room for `extra` more bytes in a (text, maps) pair. */
static int reserve_mapped(voc_buf *b, uint32_t **ms, uint32_t **me, size_t *cap, size_t extra)
{
    if (voc__buf_reserve(b, extra) != VOC_OK) return VOC_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need > *cap) {
        size_t c1 = *cap, c2 = *cap;
        void *p1 = *ms, *p2 = *me;
        if (voc__grow(&p1, &c1, need, sizeof(uint32_t)) != VOC_OK) return VOC_ENOMEM;
        *ms = p1;
        if (voc__grow(&p2, &c2, need, sizeof(uint32_t)) != VOC_OK) return VOC_ENOMEM;
        *me = p2;
        *cap = c1 < c2 ? c1 : c2;
    }
    return VOC_OK;
}

/* Pass 1 helper: the bytes appended to s->norm since `from` all map to [src_start, src_end). */
static void map_tail(voc_session *s, size_t from, size_t src_start, size_t src_end)
{
    for (size_t k = from; k < s->norm.len; k++) {
        s->map_start[k] = (uint32_t)src_start;
        s->map_end[k] = (uint32_t)src_end;
    }
}

/* "&amp;", "&#39;", "&#x1F621;" … at t: the code point and the reference's length, or 0.
 * Only references that decode to a printable character are taken; NUL, surrogates and
 * control characters stay as text. */
static size_t html_entity(const unsigned char *t, size_t n, uint32_t *cp)
{
    static const struct { const char *name; uint32_t cp; } named[] = {
        {"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''},
        {"nbsp;", 0xA0}};
    if (n < 4) return 0;
    for (size_t k = 0; k < sizeof named / sizeof *named; k++) {
        size_t l = strlen(named[k].name);
        if (n > l && !memcmp(t + 1, named[k].name, l)) { *cp = named[k].cp; return l + 1; }
    }
    if (t[1] != '#') return 0;
    bool hex = t[2] == 'x' || t[2] == 'X';
    size_t i = hex ? 3 : 2;
    uint32_t v = 0;
    size_t digits = 0;
    for (; i < n && digits < 7; i++, digits++) {
        unsigned d = t[i];
        if (d >= '0' && d <= '9') d -= '0';
        else if (hex && (d | 0x20) >= 'a' && (d | 0x20) <= 'f') d = (d | 0x20) - 'a' + 10;
        else break;
        v = v * (hex ? 16 : 10) + d;
    }
    if (!digits || i >= n || t[i] != ';') return 0;
    if (v < 0x20 || (v >= 0x7F && v < 0xA0) || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return i + 1;
}

/* The end of the run of CJK Unified Ideographs (U+4E00..U+9FFF: lead byte E4 with a second
 * byte from B8, or E5..E9, and two continuation bytes) at t[i].  NFKC_Casefold leaves them
 * alone and each starts a normalization unit (ICU 72 says so for every one of them), so the
 * general path below would copy them one by one; this copies the run at once. */
static size_t uro_run_end(const unsigned char *t, size_t len, size_t i)
{
    while (voc__uro_at(t, len, i) >= 0) i += 3;
    return i;
}

/* The end of the run of ASCII bytes other than '&' from i on, eight bytes at a time. */
static size_t ascii_run_end(const unsigned char *t, size_t len, size_t i)
{
    while (i + 8 <= len) {
        uint64_t w = voc__load8(t + i);
        if ((w & VOC_BYTES(0x80)) | voc__has_byte(w, '&')) break; /* a non-ASCII byte or an '&' */
        i += 8;
    }
    while (i < len && t[i] < 0x80 && t[i] != '&') i++;
    return i;
}

/* ASCII case folding of n bytes, eight at a time: 'A'..'Z' get 0x20.  Says whether it
 * folded any (the capitals test of segment.c is skipped in texts without one). */
static bool fold_ascii(char *out, const unsigned char *in, size_t n)
{
    uint64_t any_upper = 0;
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {
        uint64_t w = voc__load8(in + k);
        /* the high bit of each byte: set where the byte is >= 'A' and not >= 'Z' + 1 (the
         * bytes are ASCII, so adding never carries into the next byte) */
        uint64_t ge_a = w + VOC_BYTES(0x80 - 'A'), ge_z1 = w + VOC_BYTES(0x80 - 'Z' - 1);
        uint64_t upper = ge_a & ~ge_z1 & VOC_BYTES(0x80);
        w |= upper >> 2; /* 0x80 >> 2 = 0x20 */
        any_upper |= upper;
        memcpy(out + k, &w, 8);
    }
    for (; k < n; k++) {
        unsigned b = in[k];
        bool is_upper = b >= 'A' && b <= 'Z';
        any_upper |= is_upper;
        out[k] = (char)(is_upper ? b + 32 : b);
    }
    return any_upper != 0;
}

/* Whether t[0..n) holds an upper-case ASCII letter (an HTML reference's bytes: "&#X41;"). */
static bool has_ascii_upper(const unsigned char *t, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (t[k] >= 'A' && t[k] <= 'Z') return true;
    return false;
}

/* Whether t[0..n) holds more than one code point (counts the bytes that are no UTF-8
 * continuation byte). */
static bool several_code_points(const char *t, size_t n)
{
    size_t n_cps = 0;
    for (size_t k = 0; k < n; k++) n_cps += ((unsigned char)t[k] & 0xC0) != 0x80;
    return n_cps > 1;
}

static int pass_nfkc(voc_session *s)
{
    const unsigned char *t = (const unsigned char *)s->text;
    size_t len = s->text_len;
    s->norm.len = 0;
    if (reserve_mapped(&s->norm, &s->map_start, &s->map_end, &s->map_cap, len + 16) != VOC_OK)
        return VOC_ENOMEM;
    size_t unit_src = 0, unit_out = 0; /* start of the last unit, for combining marks */
    size_t i = 0;
    while (i < len) {
        unsigned c = t[i];
        if (c == '&') { /* HTML character references, as tweets and exports carry them */
            uint32_t ref;
            size_t ref_len = html_entity(t + i, len - i, &ref);
            if (ref_len) {
                char enc[4];
                int n = voc__utf8_encode(ref, enc);
                if (reserve_mapped(&s->norm, &s->map_start, &s->map_end, &s->map_cap, 4))
                    return VOC_ENOMEM;
                size_t out0 = s->norm.len;
                for (int k = 0; k < n; k++) /* ASCII results are folded like ASCII input */
                    s->norm.data[s->norm.len++] =
                        (char)(n == 1 && enc[0] >= 'A' && enc[0] <= 'Z' ? enc[0] + 32 : enc[k]);
                map_tail(s, out0, i, i + ref_len);
                s->text_has_ascii_upper |= has_ascii_upper(t + i, ref_len);
                unit_src = i;
                unit_out = out0;
                i += ref_len;
                continue;
            }
        }
        if (c < 0x80) { /* a run of plain ASCII: one byte to one byte, case folded */
            size_t j = ascii_run_end(t, len, i + 1);
            if (reserve_mapped(&s->norm, &s->map_start, &s->map_end, &s->map_cap, j - i + 1))
                return VOC_ENOMEM;
            s->text_has_ascii_upper |= fold_ascii(s->norm.data + s->norm.len, t + i, j - i);
            map_identity(s->map_start + s->norm.len, s->map_end + s->norm.len, i, j - i);
            s->norm.len += j - i;
            unit_src = j - 1;
            unit_out = s->norm.len - 1;
            i = j;
            continue;
        }
        if (c >= 0xE4 && c <= 0xE9) { /* a run of CJK Unified Ideographs, copied as is */
            size_t j = uro_run_end(t, len, i);
            if (j > i) {
                if (reserve_mapped(&s->norm, &s->map_start, &s->map_end, &s->map_cap, j - i + 1))
                    return VOC_ENOMEM;
                memcpy(s->norm.data + s->norm.len, t + i, j - i);
                uint32_t *ms = s->map_start + s->norm.len, *me = s->map_end + s->norm.len;
                for (size_t k = i; k < j; k += 3) { /* each byte maps to its character */
                    ms[0] = ms[1] = ms[2] = (uint32_t)k;
                    me[0] = me[1] = me[2] = (uint32_t)(k + 3);
                    ms += 3;
                    me += 3;
                }
                s->norm.len += j - i;
                unit_src = j - 3;
                unit_out = s->norm.len - 3;
                i = j;
                continue;
            }
        }
        size_t adv;
        int32_t cp = voc__utf8_decode(t, len, i, &adv);
        if (cp < 0) { cp = 0xFFFD; } /* cannot happen after repair; stay total anyway */
        if (reserve_mapped(&s->norm, &s->map_start, &s->map_end, &s->map_cap, adv + 8))
            return VOC_ENOMEM;
        size_t out0 = s->norm.len;
        if (cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0xFF07) {
            s->norm.data[s->norm.len++] = '\'';
            map_tail(s, out0, i, i + adv);
            unit_src = i;
            unit_out = out0;
            i += adv;
            continue;
        }
        if (voc__is_emoji_part(cp) || !voc__changes_when_nfkc_cf(cp)) {
            if (i > 0 && !voc__is_emoji_part(cp) && !voc__nfkc_boundary_before(cp))
                goto segment; /* a combining mark: renormalize with its base */
            memcpy(s->norm.data + s->norm.len, t + i, adv);
            s->norm.len += adv;
            map_tail(s, out0, i, i + adv);
            unit_src = i;
            unit_out = out0;
            i += adv;
            continue;
        }
    segment:;
        size_t seg_start = i, seg_end = i + adv;
        if (i > 0 && !voc__nfkc_boundary_before(cp)) {
            seg_start = unit_src;   /* join the previous unit: base + marks */
            s->norm.len = unit_out;
        }
        while (seg_end < len) {
            size_t a2;
            int32_t cp2 = voc__utf8_decode(t, len, seg_end, &a2);
            if (cp2 < 0 || voc__nfkc_boundary_before(cp2)) break;
            seg_end += a2;
        }
        out0 = s->norm.len;
        int rc = voc__nfkc_cf_append(s->text + seg_start, seg_end - seg_start, &s->norm);
        if (rc) return rc;
        if (reserve_mapped(&s->norm, &s->map_start, &s->map_end, &s->map_cap, 1))
            return VOC_ENOMEM;
        map_tail(s, out0, seg_start, seg_end);
        s->norm_has_multi_cp_units |= several_code_points(s->norm.data + out0, s->norm.len - out0);
        unit_src = seg_start;
        unit_out = out0;
        i = seg_end;
    }
    s->norm.data[s->norm.len] = '\0';
    return VOC_OK;
}

/* Append norm[a..b) to norm_tmp with its maps (pass 2, unchanged parts). */
static int copy_mapped(voc_session *s, size_t a, size_t b)
{
    size_t n = b - a;
    if (reserve_mapped(&s->norm_tmp, &s->tmp_start, &s->tmp_end, &s->tmp_cap, n + 1))
        return VOC_ENOMEM;
    memcpy(s->norm_tmp.data + s->norm_tmp.len, s->norm.data + a, n);
    memcpy(s->tmp_start + s->norm_tmp.len, s->map_start + a, n * sizeof(uint32_t));
    memcpy(s->tmp_end + s->norm_tmp.len, s->map_end + a, n * sizeof(uint32_t));
    s->norm_tmp.len += n;
    return VOC_OK;
}

typedef struct charpos {
    int32_t cp;
    uint32_t off, len; /* bytes in its own text */
} charpos;

static size_t split_chars(const char *text, size_t len, charpos *out, size_t cap)
{
    size_t n = 0, i = 0;
    while (i < len && n < cap) {
        size_t adv;
        int32_t cp = voc__utf8_decode((const unsigned char *)text, len, i, &adv);
        out[n].cp = cp;
        out[n].off = (uint32_t)i;
        out[n].len = (uint32_t)adv;
        n++;
        i += adv;
    }
    return n;
}

/* Emit output chars out[o0..o1) of the converted run, all mapped to the original range
 * covered by input chars in[i0..i1) (norm offsets base + in[].off). */
static int emit_block(voc_session *s, size_t base, const charpos *in, size_t i0, size_t i1,
                      const char *conv, const charpos *out, size_t o0, size_t o1)
{
    if (o0 == o1) return VOC_OK;
    size_t a = base + in[i0].off, z = base + in[i1 - 1].off + in[i1 - 1].len - 1;
    uint32_t src_start = s->map_start[a], src_end = s->map_end[z];
    size_t bytes = 0;
    for (size_t k = o0; k < o1; k++) bytes += out[k].len;
    if (reserve_mapped(&s->norm_tmp, &s->tmp_start, &s->tmp_end, &s->tmp_cap, bytes + 1))
        return VOC_ENOMEM;
    for (size_t k = o0; k < o1; k++) {
        memcpy(s->norm_tmp.data + s->norm_tmp.len, conv + out[k].off, out[k].len);
        for (uint32_t q = 0; q < out[k].len; q++) {
            s->tmp_start[s->norm_tmp.len + q] = src_start;
            s->tmp_end[s->norm_tmp.len + q] = src_end;
        }
        s->norm_tmp.len += out[k].len;
    }
    return VOC_OK;
}

#define RUN_CHARS 128 /* OpenCC is fed runs of at most this many characters */

/* Convert norm[a..b) (a Han run of at most RUN_CHARS characters) and append it. */
static int convert_run(voc_session *s, size_t a, size_t b)
{
    charpos in[RUN_CHARS], out[RUN_CHARS * 3];
    size_t n_in = split_chars(s->norm.data + a, b - a, in, RUN_CHARS);
    s->scratch.len = 0;
    int rc = voc__opencc_convert(s->opencc, s->norm.data + a, b - a, &s->scratch);
    if (rc) return rc;
    size_t n_out = split_chars(s->scratch.data, s->scratch.len, out, RUN_CHARS * 3);
    const char *conv = s->scratch.data;
    if (n_out == n_in) {
        for (size_t k = 0; k < n_in; k++)
            if ((rc = emit_block(s, a, in, k, k + 1, conv, out, k, k + 1))) return rc;
        return VOC_OK;
    }
    /* Edit-distance alignment (Levenshtein); ops: 0 match, 1 substitute, 2 insert (output
     * only), 3 delete (input only). */
    size_t W = n_out + 1;
    if (voc__grow((void **)&s->align_cost, &s->cap_align_cost, (n_in + 1) * W, sizeof *s->align_cost))
        return VOC_ENOMEM;
    unsigned short *d = s->align_cost;
    for (size_t i = 0; i <= n_in; i++) d[i * W] = (unsigned short)i;
    for (size_t j = 0; j <= n_out; j++) d[j] = (unsigned short)j;
    for (size_t i = 1; i <= n_in; i++)
        for (size_t j = 1; j <= n_out; j++) {
            unsigned short best = d[(i - 1) * W + j - 1] + (in[i - 1].cp != out[j - 1].cp);
            unsigned short del = d[(i - 1) * W + j] + 1, ins = d[i * W + j - 1] + 1;
            if (del < best) best = del;
            if (ins < best) best = ins;
            d[i * W + j] = best;
        }
    /* Walk back, collecting blocks: a block closes at each match. */
    size_t i = n_in, j = n_out;
    size_t bi_end = i, bj_end = j; /* current block's exclusive ends */
    /* blocks are discovered right to left; store them to emit left to right */
    size_t cap_blocks = n_in + n_out + 2, n_blocks = 0;
    if (voc__grow((void **)&s->align_blocks, &s->cap_align_blocks, 4 * cap_blocks, sizeof *s->align_blocks))
        return VOC_ENOMEM;
    size_t *blocks = s->align_blocks;
#define PUSH_BLOCK(i0, i1, j0, j1)                                                      \
    do {                                                                                \
        blocks[4 * n_blocks] = (i0); blocks[4 * n_blocks + 1] = (i1);                   \
        blocks[4 * n_blocks + 2] = (j0); blocks[4 * n_blocks + 3] = (j1); n_blocks++;   \
    } while (0)
    while (i > 0 || j > 0) {
        if (i > 0 && j > 0 && in[i - 1].cp == out[j - 1].cp &&
            d[i * W + j] == d[(i - 1) * W + j - 1]) {
            if (bi_end != i || bj_end != j) PUSH_BLOCK(i, bi_end, j, bj_end);
            PUSH_BLOCK(i - 1, i, j - 1, j);
            i--; j--;
            bi_end = i; bj_end = j;
        } else if (i > 0 && j > 0 && d[i * W + j] == d[(i - 1) * W + j - 1] + 1) {
            i--; j--;
        } else if (i > 0 && d[i * W + j] == d[(i - 1) * W + j] + 1) {
            i--;
        } else {
            j--;
        }
    }
    if (bi_end != 0 || bj_end != 0) PUSH_BLOCK(0, bi_end, 0, bj_end);
#undef PUSH_BLOCK
    rc = VOC_OK;
    for (size_t k = n_blocks; k-- > 0 && !rc;) {
        size_t i0 = blocks[4 * k], i1 = blocks[4 * k + 1];
        size_t j0 = blocks[4 * k + 2], j1 = blocks[4 * k + 3];
        if (i0 == i1) { /* pure insertion: attach to a neighbouring input character */
            if (i0 > 0) i0--; else i1++;
        }
        if (i1 - i0 == j1 - j0) {
            for (size_t q = 0; q < i1 - i0 && !rc; q++)
                rc = emit_block(s, a, in, i0 + q, i0 + q + 1, conv, out, j0 + q, j0 + q + 1);
        } else {
            rc = emit_block(s, a, in, i0, i1, conv, out, j0, j1);
        }
    }
    return rc;
}

static int pass_opencc(voc_session *s)
{
    const voc_analyzer *an = s->analyzer;
    const unsigned char *t = (const unsigned char *)s->norm.data;
    size_t len = s->norm.len, i = 0, copied = 0;
    bool converting = false;
    /* Is there any strictly Simplified character?  Then characters that are only probably
     * Simplified (发) are converted too; a Traditional text with a rare shared character
     * (客家糍粑) is left alone and never pays for OpenCC. */
    size_t n_han = 0, doc_strict = 0, doc_ambiguous = 0, doc_trad = 0;
    for (size_t k = 0; k < len;) {
        if (t[k] < 0x80) { /* skip ASCII eight bytes at a time */
            while (k + 8 <= len && !(voc__load8(t + k) & VOC_BYTES(0x80))) k += 8;
            if (k < len && t[k] < 0x80) k++;
            continue;
        }
        size_t adv;
        int32_t cp = voc__utf8_decode(t, len, k, &adv);
        if (voc__is_han(cp)) {
            n_han++;
            if (voc__is_simplified_only(an, cp)) doc_strict++;
            else if (voc__is_simplified_ambiguous(an, cp)) doc_ambiguous++;
            else if (is_traditional_only(an, cp)) doc_trad++;
        }
        k += adv;
    }
    bool doc_simplified = doc_strict > 0;
    if (!doc_simplified) {
        s->n_han = n_han;
        return VOC_OK;
    }
    /* A text written in Simplified (its Simplified-only characters outnumber its
     * Traditional-only ones) has runs whose every character also exists in Big5 (房价, 适合:
     * 价 and 适 are rare Traditional characters too): those are converted as well, unless
     * they hold a Traditional-only character. */
    bool doc_is_simplified = doc_strict + doc_ambiguous > doc_trad;
    while (i < len) {
        if (t[i] < 0x80) { i++; continue; }
        size_t adv;
        int32_t cp = voc__utf8_decode(t, len, i, &adv);
        if (!voc__is_han(cp)) { i += adv; continue; }
        /* a Han run: [i, j), at most RUN_CHARS characters */
        size_t j = i, n_chars = 0, n_simp = 0, n_trad = 0;
        while (j < len && n_chars < RUN_CHARS) {
            size_t a2;
            int32_t c2 = voc__utf8_decode(t, len, j, &a2);
            if (!voc__is_han(c2)) break;
            s->n_han++;
            if (voc__is_simplified_only(an, c2) || voc__is_simplified_ambiguous(an, c2)) n_simp++;
            else if (is_traditional_only(an, c2)) n_trad++;
            n_chars++;
            j += a2;
        }
        s->n_simplified += n_simp;
        /* A run is Simplified when its Simplified-only characters outnumber its
         * Traditional-only ones: 鲍魚 (a stray 鲍 beside 魚) stays as written, and a
         * Traditional text never pays for OpenCC's dictionaries because of one typo. */
        bool convert = !s->no_opencc && (n_simp > n_trad || (doc_is_simplified && n_trad == 0));
        if (convert && !s->opencc && !s->opencc_failed) {
            s->opencc = voc__opencc_open(&s->opencc_error);
            /* out of memory is this document's error, and the next Simplified run tries
             * again; only a missing library or s2twp data reads Simplified as written */
            if (!s->opencc && s->opencc_error.code == VOC_ENOMEM) return VOC_ENOMEM;
            s->opencc_failed = !s->opencc;
        }
        if (convert && s->opencc_failed) { /* OpenCC missing: read as written, said so */
            s->warnings |= VOC_WARN_UNCONVERTED;
        } else if (convert) {
            if (!converting) {
                s->norm_tmp.len = 0;
                converting = true;
            }
            int rc = copy_mapped(s, copied, i);
            if (!rc) rc = convert_run(s, i, j);
            if (rc) return rc;
            s->n_converted++;
            copied = j;
        }
        i = j;
    }
    if (!converting) return VOC_OK;
    int rc = copy_mapped(s, copied, len);
    if (rc) return rc;
    if (reserve_mapped(&s->norm_tmp, &s->tmp_start, &s->tmp_end, &s->tmp_cap, 1))
        return VOC_ENOMEM;
    s->norm_tmp.data[s->norm_tmp.len] = '\0';
    /* swap pass-2 output into place */
    voc_buf tb = s->norm; s->norm = s->norm_tmp; s->norm_tmp = tb;
    uint32_t *p = s->map_start; s->map_start = s->tmp_start; s->tmp_start = p;
    p = s->map_end; s->map_end = s->tmp_end; s->tmp_end = p;
    size_t c = s->map_cap; s->map_cap = s->tmp_cap; s->tmp_cap = c;
    return VOC_OK;
}

int voc__normalize(voc_session *s)
{
    s->n_han = s->n_simplified = s->n_converted = 0;
    s->text_has_ascii_upper = s->norm_has_multi_cp_units = false;
    int rc = pass_nfkc(s);
    if (!rc) rc = pass_opencc(s);
    /* OpenCC's blocks of unequal length map as a whole: units of several code points */
    if (s->n_converted) s->norm_has_multi_cp_units = true;
    return rc;
}
