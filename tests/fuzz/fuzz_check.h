/* fuzz_check.h — invariants every voc_result must satisfy, shared by the fuzz targets
 * (which abort on a violation) and tests/pathological (which count it as a failed check).
 *
 * A reference UTF-8 validator lives here too, written independently of src/utf8.c (a
 * table-free transcription of RFC 3629 §4), so the fuzzers compare two implementations
 * rather than one with itself. */
#ifndef VOCMINE_FUZZ_CHECK_H
#define VOCMINE_FUZZ_CHECK_H

#include "vocmine.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Abort with the file, line, condition and a formatted explanation when cond is false. */
#define FUZZ_ASSERT(cond, ...)                                                            \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, #cond);                    \
            fprintf(stderr, __VA_ARGS__);                                                 \
            fputc('\n', stderr);                                                          \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

/* Length of the well-formed UTF-8 sequence at s[i] per RFC 3629, or 0 if malformed
 * (overlong, surrogate, > U+10FFFF, truncated, stray continuation).  NUL counts as
 * well-formed here; callers that reject NUL check it themselves. */
static inline size_t fc_seq_len(const unsigned char *s, size_t len, size_t i)
{
    unsigned c = s[i];
    size_t left = len - i;
    if (c <= 0x7F) return 1;
    if (c >= 0xC2 && c <= 0xDF) return left >= 2 && (s[i + 1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (left < 3) return 0;
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        if (s[i + 1] < lo || s[i + 1] > hi || (s[i + 2] & 0xC0) != 0x80) return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (left < 4) return 0;
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        if (s[i + 1] < lo || s[i + 1] > hi || (s[i + 2] & 0xC0) != 0x80 ||
            (s[i + 3] & 0xC0) != 0x80)
            return 0;
        return 4;
    }
    return 0;
}

/* Valid UTF-8 with no NUL byte (the library's definition of "needs no repair"). */
static inline int fc_utf8_ok(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        size_t n = fc_seq_len(s, len, i);
        if (!n || s[i] == 0) return 0;
        i += n;
    }
    return 1;
}

/* What the library's repair should produce: each malformed byte and each NUL becomes
 * U+FFFD (one replacement per byte).  Returns a malloc'd buffer (caller frees), its length
 * in *out_len, and the VOC_WARN_* bits in *warn. */
static inline char *fc_repair(const char *text, size_t len, size_t *out_len, unsigned *warn)
{
    const unsigned char *s = (const unsigned char *)text;
    char *out = malloc(len * 3 + 1);
    if (!out) abort();
    size_t o = 0;
    *warn = 0;
    for (size_t i = 0; i < len;) {
        size_t n = fc_seq_len(s, len, i);
        if (!n || s[i] == 0) {
            *warn |= n ? VOC_WARN_NUL_BYTES : VOC_WARN_INVALID_UTF8;
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
            continue;
        }
        memcpy(out + o, s + i, n);
        o += n;
        i += n;
    }
    *out_len = o;
    return out;
}

/* Where a document longer than `max` must be cut, by walking it from the start: the end
 * of the last sequence (well-formed, or one malformed byte) that fits in [0, max).  For
 * valid UTF-8 this is the one right answer; for invalid bytes the library may also cut
 * up to three bytes earlier (see fc_cut_ok). */
static inline size_t fc_walk_cut(const char *text, size_t len, size_t max)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        size_t n = fc_seq_len(s, len, i);
        if (!n) n = 1;
        if (i + n > max) break;
        i += n;
    }
    return i;
}

/* Does a well-formed sequence of text[0..len) start before `cut` and end after it? */
static inline int fc_splits_char(const char *text, size_t len, size_t cut)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len && i < cut) {
        size_t n = fc_seq_len(s, len, i);
        if (!n) n = 1;
        if (i + n > cut) return 1; /* n > 1: a well-formed sequence straddles cut */
        i += n;
    }
    return 0;
}

static inline int fc_is_boundary(const char *text, size_t len, size_t off)
{
    return off == 0 || off == len || ((unsigned char)text[off] & 0xC0) != 0x80;
}

/* ---- result invariants ------------------------------------------------------------------ */

typedef struct fc_report {
    char why[512];
    int failed;
} fc_report;

static inline void fc_fail(fc_report *rep, const char *fmt, ...)
{
    if (rep->failed++) return; /* keep the first */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rep->why, sizeof rep->why, fmt, ap);
    va_end(ap);
}

static inline int fc_span_ok(fc_report *rep, const voc_result *r, const char *what, size_t i,
                             size_t start, size_t end)
{
    if (!(start < end)) {
        fc_fail(rep, "%s %zu: empty or reversed span [%zu,%zu)", what, i, start, end);
        return 0;
    }
    if (end > r->text_len) {
        fc_fail(rep, "%s %zu: span [%zu,%zu) past text_len %zu", what, i, start, end, r->text_len);
        return 0;
    }
    if (!fc_is_boundary(r->text, r->text_len, start) || !fc_is_boundary(r->text, r->text_len, end)) {
        fc_fail(rep, "%s %zu: span [%zu,%zu) not on UTF-8 character boundaries", what, i, start, end);
        return 0;
    }
    return 1;
}

/* Checks everything the public header promises about a result.  `scored` is 0 for
 * voc_tokenize.  Returns 0 when all holds, else the number of violations (first in rep). */
static inline int fc_check_result(const voc_result *r, int scored, fc_report *rep)
{
    memset(rep, 0, sizeof *rep);
    if (!r->text && r->text_len) fc_fail(rep, "text NULL with text_len %zu", r->text_len);
    if (r->text && !fc_utf8_ok(r->text, r->text_len))
        fc_fail(rep, "result text (after repair) is not valid NUL-free UTF-8");
    if (r->text_len > VOC_MAX_DOC_BYTES * 3)
        fc_fail(rep, "text_len %zu larger than a repaired VOC_MAX_DOC_BYTES", r->text_len);
    if (!r->lang || (strcmp(r->lang, "en") && strcmp(r->lang, "zh-Hant") && strcmp(r->lang, "zh-Hans") &&
                     strcmp(r->lang, "mixed") && strcmp(r->lang, "und")))
        fc_fail(rep, "lang '%s' not one of en, zh-Hant, zh-Hans, mixed, und", r->lang ? r->lang : "(null)");
    if (r->label < VOC_NEGATIVE || r->label > VOC_POSITIVE) fc_fail(rep, "label %d out of range", r->label);
    if (!isfinite(r->score) || r->score < -1 || r->score > 1) fc_fail(rep, "score %g not in [-1,1]", r->score);
    double sum = 0;
    for (int k = 0; k < 3; k++) {
        if (!isfinite(r->probs[k]) || r->probs[k] < 0 || r->probs[k] > 1)
            fc_fail(rep, "probs[%d] = %g not in [0,1]", k, r->probs[k]);
        sum += r->probs[k];
    }
    if (fabs(sum - 1.0) > 1e-9) fc_fail(rep, "probs sum to %.17g, not 1", sum);
    if (r->label >= 0 && r->label <= 2) {
        if (r->confidence != r->probs[r->label])
            fc_fail(rep, "confidence %g != probs[label] %g", r->confidence, r->probs[r->label]);
        for (int k = 0; k < 3; k++)
            if (r->probs[k] > r->probs[r->label]) fc_fail(rep, "label %d is not the most probable", r->label);
    }
    if (!scored) {
        if (r->label != VOC_NEUTRAL || r->n_evidence) fc_fail(rep, "tokenize gave a label or evidence");
    }
    if ((r->n_tokens == 0) != !!(r->warnings & VOC_WARN_EMPTY_TEXT))
        fc_fail(rep, "empty_text warning (%u) disagrees with n_tokens %zu", r->warnings, r->n_tokens);
    if (r->warnings >> VOC_WARNING_COUNT) fc_fail(rep, "unknown warning bits 0x%x", r->warnings);

    /* tokens: in bounds, on boundaries, in increasing non-overlapping order.  One exception
     * is unavoidable: when one original character (or one OpenCC phrase) becomes several
     * tokens — "㈱" → ( 株 ), "㍿" → 株式 會社 — a span cannot split it, so those tokens
     * share the very same span.  Any other overlap is a mapping error. */
    size_t prev_start = 0, prev_end = 0;
    for (size_t i = 0; i < r->n_tokens; i++) {
        const voc_token *t = &r->tokens[i];
        if (!fc_span_ok(rep, r, "token", i, t->start, t->end)) continue;
        int same_unit = i > 0 && t->start == prev_start && t->end == prev_end;
        if (t->start < prev_end && !same_unit)
            fc_fail(rep, "token %zu [%zu,%zu) overlaps or precedes token %zu [%zu,%zu)", i, t->start, t->end,
                    i - 1, prev_start, prev_end);
        prev_start = t->start;
        prev_end = t->end;
        if (t->type < 0 || t->type >= VOC_TOKEN_TYPE_COUNT) fc_fail(rep, "token %zu type %d", i, t->type);
        if (t->flags >> 5) fc_fail(rep, "token %zu unknown flags 0x%x", i, t->flags);
        if (!t->norm || !t->norm_len) fc_fail(rep, "token %zu has an empty norm", i);
        else if (!fc_utf8_ok(t->norm, t->norm_len))
            fc_fail(rep, "token %zu [%zu,%zu) norm is not valid UTF-8", i, t->start, t->end);
        if (!t->stem != !t->stem_len) fc_fail(rep, "token %zu stem %p with length %zu", i, (const void *)t->stem, t->stem_len);
        else if (t->stem && !fc_utf8_ok(t->stem, t->stem_len))
            fc_fail(rep, "token %zu [%zu,%zu) stem is not valid UTF-8", i, t->start, t->end);
    }
    /* sentences: in bounds, ordered, and every token inside one */
    size_t prev_sent_start = 0, prev_sent_end = 0;
    for (size_t i = 0; i < r->n_sentences; i++) {
        const voc_span *sp = &r->sentences[i];
        if (!fc_span_ok(rep, r, "sentence", i, sp->start, sp->end)) continue;
        if (sp->start < prev_sent_end)
            fc_fail(rep, "sentence %zu [%zu,%zu) overlaps sentence %zu [%zu,%zu)", i, sp->start, sp->end, i - 1,
                    prev_sent_start, prev_sent_end);
        prev_sent_start = sp->start;
        prev_sent_end = sp->end;
    }
    if (r->n_tokens && !r->n_sentences) fc_fail(rep, "%zu tokens but no sentence", r->n_tokens);
    /* evidence */
    for (size_t i = 0; i < r->n_evidence; i++) {
        const voc_evidence *e = &r->evidence[i];
        fc_span_ok(rep, r, "evidence", i, e->start, e->end);
        if (e->kind < 0 || e->kind >= VOC_EVIDENCE_KIND_COUNT) fc_fail(rep, "evidence %zu kind %d", i, e->kind);
        if (!isfinite(e->weight)) fc_fail(rep, "evidence %zu weight %g", i, e->weight);
        if (e->kind == VOC_EVIDENCE_LEXICON && (e->weight < -1 || e->weight > 1))
            fc_fail(rep, "evidence %zu lexicon weight %g not in [-1,1]", i, e->weight);
        if (!e->term) fc_fail(rep, "evidence %zu has no term", i);
    }
    if (!r->normalized && r->normalized_len) fc_fail(rep, "normalized NULL");
    else if (r->normalized && !fc_utf8_ok(r->normalized, r->normalized_len))
        fc_fail(rep, "normalized text is not valid NUL-free UTF-8");
    return rep->failed;
}

/* Checks that tie a result to the document it came from: the text is the input (repaired
 * and truncated as documented) and the warnings say what happened. */
static inline int fc_check_text(const voc_result *r, const char *input, size_t len, unsigned input_warnings,
                                fc_report *rep)
{
    unsigned want = input_warnings;
    size_t cut = len;
    if (len > VOC_MAX_DOC_BYTES) {
        want |= VOC_WARN_TRUNCATED;
        cut = fc_walk_cut(input, len, VOC_MAX_DOC_BYTES);
    }
    size_t rl;
    unsigned rw;
    char *fixed = fc_repair(input, cut, &rl, &rw);
    int same = r->text_len == rl && (!rl || memcmp(r->text, fixed, rl) == 0);
    free(fixed);
    /* with invalid bytes just before the limit the library may cut a little earlier
     * (never inside a well-formed character, never more than three bytes) */
    for (size_t c = VOC_MAX_DOC_BYTES; !same && len > VOC_MAX_DOC_BYTES &&
                                       !fc_utf8_ok(input, cut) && c + 3 >= VOC_MAX_DOC_BYTES; c--) {
        if (fc_splits_char(input, len, c)) continue;
        fixed = fc_repair(input, c, &rl, &rw);
        same = r->text_len == rl && (!rl || memcmp(r->text, fixed, rl) == 0);
        free(fixed);
        if (same) cut = c;
    }
    if (!same)
        fc_fail(rep, "result text (%zu bytes) is not the input (%zu bytes) repaired and cut at %zu",
                r->text_len, len, cut);
    fixed = fc_repair(input, cut, &rl, &rw);
    free(fixed);
    want |= rw;
    unsigned got = r->warnings & ~(unsigned)VOC_WARN_EMPTY_TEXT;
    if (got != want) fc_fail(rep, "warnings 0x%x, expected 0x%x", got, want);
    return rep->failed;
}

#endif
