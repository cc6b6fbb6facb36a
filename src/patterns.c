/* patterns.c — the PCRE2 adapter: topic patterns (files in topics/ with the header
 * `name topics weight pattern`) compiled once per analyzer, matched per session.
 *
 * Patterns run on the normalized text (NFKC case-folded, full-width folded, Traditional
 * Chinese), so they are written in lower case and Traditional characters.  Each is
 * compiled with UTF and UCP (Unicode classes for \w, \d, \s) and JIT-compiled when PCRE2
 * has a JIT; a bad pattern is an error naming file, line, PCRE2's message and the offset.
 * Matching uses a match limit and a depth limit, so a pattern that backtracks badly on some
 * text gives up on that text (the rest of the document is still analyzed) instead of
 * hanging the batch.  The compiled patterns are shared by threads; match data is per
 * session. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "internal.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#define MATCH_LIMIT 200000
#define DEPTH_LIMIT 2000

typedef struct pattern {
    pcre2_code *code;
    uint64_t mask;
    float weight;
    const char *name;        /* in names */
} pattern;

struct voc_patterns {
    pattern *list;
    size_t n;
    pcre2_match_context *context;
    char *names;
};

struct voc_pattern_state {
    pcre2_match_data *md;
};

void voc__patterns_free(voc_patterns *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n; i++) pcre2_code_free(p->list[i].code);
    free(p->list);
    free(p->names);
    pcre2_match_context_free(p->context);
    free(p);
}

size_t voc__patterns_count(const voc_patterns *p) { return p ? p->n : 0; }

int voc__patterns_build(voc_patterns **out, const voc_taxonomy *tx, const voc_lexrows *rows,
                        voc_error *err)
{
    *out = NULL;
    voc_patterns *p = calloc(1, sizeof *p);
    if (!p) return voc__fail(err, VOC_ENOMEM, "patterns", 0, 0, "out of memory");
    size_t n = 0, names_len = 0;
    for (size_t i = 0; i < rows->n; i++)
        if (rows->rows[i].file_kind == VOC_FILE_TOPIC_PATTERNS) {
            n++;
            names_len += strlen(rows->rows[i].term) + 1;
        }
    p->list = calloc(n ? n : 1, sizeof *p->list);
    p->names = malloc(names_len + 1);
    p->context = pcre2_match_context_create(NULL);
    if (!p->list || !p->names || !p->context) {
        voc__patterns_free(p);
        return voc__fail(err, VOC_ENOMEM, "patterns", 0, 0, "out of memory");
    }
    pcre2_set_match_limit(p->context, MATCH_LIMIT);
    pcre2_set_depth_limit(p->context, DEPTH_LIMIT);
    size_t used = 0;
    for (size_t i = 0; i < rows->n; i++) {
        const voc_lexrow *r = &rows->rows[i];
        if (r->file_kind != VOC_FILE_TOPIC_PATTERNS) continue;
        pattern *pt = &p->list[p->n];
        int rc = voc__taxonomy_mask(tx, rows, r, r->text1, &pt->mask, err);
        if (rc) {
            voc__patterns_free(p);
            return rc;
        }
        int code;
        PCRE2_SIZE offset;
        pt->code = pcre2_compile((PCRE2_SPTR)r->text2, PCRE2_ZERO_TERMINATED,
                                 PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &code, &offset, NULL);
        if (!pt->code) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(code, msg, sizeof msg);
            voc__patterns_free(p);
            return voc__fail(err, VOC_ELEXICON, rows->files[r->file], r->line, offset,
                             "pattern '%s': %s at offset %zu", r->term, (const char *)msg,
                             (size_t)offset);
        }
        pcre2_jit_compile(pt->code, PCRE2_JIT_COMPLETE); /* best effort: interpreted otherwise */
        pt->weight = r->a;
        size_t len = strlen(r->term);
        memcpy(p->names + used, r->term, len + 1);
        pt->name = p->names + used;
        used += len + 1;
        p->n++;
    }
    *out = p;
    return VOC_OK;
}

voc_pattern_state *voc__pattern_state_new(void)
{
    voc_pattern_state *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    st->md = pcre2_match_data_create(1, NULL);
    if (!st->md) {
        free(st);
        return NULL;
    }
    return st;
}

void voc__pattern_state_free(voc_pattern_state *st)
{
    if (!st) return;
    pcre2_match_data_free(st->md);
    free(st);
}

int voc__patterns_scan(const voc_patterns *p, voc_pattern_state *st, const char *text,
                       size_t len, int (*fn)(void *user, uint64_t mask, float weight,
                                             size_t start, size_t end, const char *name),
                       void *user)
{
    if (!p || !p->n) return VOC_OK;
    for (size_t i = 0; i < p->n; i++) {
        const pattern *pt = &p->list[i];
        size_t at = 0;
        while (at <= len) {
            /* the text is valid UTF-8 (normalize.c made it so): skip PCRE2's check */
            int rc = pcre2_match(pt->code, (PCRE2_SPTR)text, len, at, PCRE2_NO_UTF_CHECK, st->md,
                                 p->context);
            if (rc < 0) break; /* no match, or a limit reached: give up on this pattern here */
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(st->md);
            size_t start = ov[0], end = ov[1];
            if (end > start) {
                int r = fn(user, pt->mask, pt->weight, start, end, pt->name);
                if (r) return r;
                at = end;
            } else { /* an empty match: step over one character */
                at = end + 1;
                while (at < len && ((unsigned char)text[at] & 0xC0) == 0x80) at++;
            }
        }
    }
    return VOC_OK;
}
