/* patterns.c — the PCRE2 adapter: topic patterns (files in topics/ with the header
 * `name topics weight pattern`) compiled once per analyzer, matched per session.
 *
 * Most patterns cannot match unless the text holds one of a few literal strings: the
 * alternatives of their first element ("\b(refund|refunds) .{0,20}weeks" needs "refund",
 * "(沒|未)收到(貨|包裹)" needs 沒 or 未).  Those literals are taken from each pattern when it is
 * compiled (first_literals) and indexed by their first two bytes; one pass over a text
 * finds where each pattern can start, and the pattern, compiled PCRE2_ANCHORED, is tried
 * only there (a pcre2_match call per pattern per document scanning the whole text cost
 * 30 µs a tweet).  Patterns whose first element is not literal scan the text.  Patterns
 * written with Han characters only run on texts that have some.
 *
 * Patterns run on the normalized text (NFKC case-folded, full-width folded, Traditional
 * Chinese), so they are written in lower case and Traditional characters.  Each is compiled
 * with UTF and UCP (Unicode classes for \w, \d, \s), and JIT-compiled once sessions have
 * used it a few times (lazy_jit); a bad pattern is an error naming file, line, PCRE2's
 * message and the offset.  Matching uses a match limit and a depth limit, so a pattern that
 * backtracks badly on some text gives up on that text (the rest of the document is still
 * analyzed) instead of hanging the batch.  The compiled patterns are shared by threads;
 * match data is per session. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "internal.h"

#include <pcre2.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define MATCH_LIMIT 200000
#define DEPTH_LIMIT 2000

typedef struct pattern {
    pcre2_code *code;        /* compiled PCRE2_ANCHORED when it has literals (it runs where a
                              * literal stands), else as is (it scans the text) */
    uint64_t mask;
    float weight;
    const char *name;        /* in names */
    bool always;             /* no literal prefilter: always run */
    bool han;                /* written with Han characters: only runs on text that has some */
} pattern;

/* A literal some pattern needs: text[off, off + len) of lits, for pattern `pattern`. */
typedef struct literal {
    uint32_t off, len, pattern, next; /* next: the following literal with the same key */
    bool word_start;         /* only where no letter or digit comes before */
} literal;

/* The JIT-compiled copy of a pattern, made by the session that uses it JIT_AFTER times
 * (JIT-compiling all 117 patterns up front cost 5 ms of every start-up, and a short run
 * needs a handful of them).  Shared by threads: the copy is published with a
 * compare-and-swap and never changes after. */
typedef struct lazy_jit {
    _Atomic(pcre2_code *) jit;
    atomic_uint uses;
} lazy_jit;
#define JIT_AFTER 16

struct voc_patterns {
    pattern *list;
    size_t n;
    lazy_jit *lazy;          /* per pattern; mutable state behind the immutable analyzer */
    pcre2_match_context *context;
    char *names;
    /* the prefilter: literals by their first two bytes (or first byte when one long) */
    literal *lits;
    size_t n_lits, cap_lits;
    voc_buf lit_text;
    uint32_t *always;        /* the patterns without literals, which scan every text */
    size_t n_always;
    uint32_t *head2;         /* 65536 heads (index + 1, 0 none) */
    uint64_t key2[1024];     /* bit per two-byte key that has literals: stays in L1 cache */
    /* first bytes of the literals that may start anywhere (not only at a word start), of
     * all patterns [1] and of the patterns without Han characters [0] */
    bool first_anywhere[2][256];
    uint32_t head1[256];
};

/* Where a pattern's literal occurs in the text: a match can only start there. */
typedef struct start {
    uint32_t pattern, pos;
} start;

struct voc_pattern_state {
    pcre2_match_data *md;
    start *starts;
    size_t n_starts, cap_starts;
    size_t *skip_to;         /* per pattern: end of its last match in this text */
    size_t n_skip;
};

void voc__patterns_free(voc_patterns *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n; i++) {
        pcre2_code_free(p->list[i].code);
        if (p->lazy) pcre2_code_free(atomic_load(&p->lazy[i].jit));
    }
    free(p->list);
    free(p->lazy);
    free(p->names);
    free(p->lits);
    free(p->always);
    free(p->head2);
    voc__buf_free(&p->lit_text);
    pcre2_match_context_free(p->context);
    free(p);
}

size_t voc__patterns_count(const voc_patterns *p) { return p ? p->n : 0; }

/* ---- the literal prefilter ------------------------------------------------------------ */

/* End of the group opening at p[0] == '(' (the index of its ')'), or SIZE_MAX. */
static size_t group_end(const char *p, size_t len)
{
    int depth = 0;
    bool in_class = false;
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        if (c == '\\') { i++; continue; }
        if (in_class) { if (c == ']') in_class = false; continue; }
        if (c == '[') in_class = true;
        else if (c == '(') depth++;
        else if (c == ')' && --depth == 0) return i;
    }
    return SIZE_MAX;
}

static bool first_literals(voc_patterns *p, uint32_t pattern, const char *s, size_t len,
                           bool word_start);
static bool add_literal(voc_patterns *p, uint32_t pattern, const char *s, size_t n,
                        bool word_start);

/* Each character (UTF-8) of chars[0..n) as a one-character literal. */
static bool add_class(voc_patterns *p, uint32_t pattern, const char *chars, size_t n,
                      bool word_start)
{
    for (size_t i = 0; i < n;) {
        size_t cl = 1;
        while (i + cl < n && ((unsigned char)chars[i + cl] & 0xC0) == 0x80) cl++;
        if (!add_literal(p, pattern, chars + i, cl, word_start)) return false;
        i += cl;
    }
    return n > 0;
}

/* The literals a sequence must start with; word_start: a \b stands before it. */
static bool seq_literals(voc_patterns *p, uint32_t pattern, const char *s, size_t len,
                         bool word_start)
{
    while (len >= 2 && s[0] == '\\' && s[1] == 'b') { s += 2; len -= 2; word_start = true; }
    while (len && s[0] == '^') { s++; len--; }
    if (len == 0) return false;
    if (s[0] == '(') {
        size_t end = group_end(s, len);
        if (end == SIZE_MAX) return false;
        if (end + 1 < len && (s[end + 1] == '?' || s[end + 1] == '*' ||
                              (s[end + 1] == '{' && end + 2 < len && s[end + 2] == '0')))
            return false; /* an optional group: the text need not hold it */
        size_t skip = 1;
        if (end >= 3 && s[1] == '?') {
            if (s[2] != ':') return false; /* look-arounds, named groups, options */
            skip = 3;
        }
        return first_literals(p, pattern, s + skip, end - skip, word_start);
    }
    if (len >= 2 && s[0] == '\\' && s[1] == 'd') /* a digit: any of ten */
        return add_class(p, pattern, "0123456789", 10, word_start);
    if (s[0] == '[') { /* a simple class: [1-9], [五六七八九] */
        size_t end = 1;
        while (end < len && s[end] != ']' && s[end] != '\\' && s[end] != '[') end++;
        if (end >= len || s[end] != ']' || s[1] == '^' || end == 1) return false;
        char chars[256];
        size_t n = 0;
        for (size_t i = 1; i < end && n + 4 < sizeof chars;) {
            if (i + 2 < end && s[i + 1] == '-' && (unsigned char)s[i] < 0x80 && (unsigned char)s[i + 2] < 0x80) {
                for (char c = s[i]; c <= s[i + 2] && n + 1 < sizeof chars; c++) chars[n++] = c;
                i += 3;
                continue;
            }
            chars[n++] = s[i++];
        }
        return add_class(p, pattern, chars, n, word_start);
    }
    size_t n = 0; /* plain characters up to the first metacharacter */
    while (n < len && !strchr("\\.[]()*+?{}|^$", s[n])) n++;
    if (n < len && (s[n] == '?' || s[n] == '*' || s[n] == '{')) { /* last one optional */
        if (n == 0) return false;
        n--;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    }
    return n > 0 && add_literal(p, pattern, s, n, word_start);
}

static bool add_literal(voc_patterns *p, uint32_t pattern, const char *s, size_t n,
                        bool word_start)
{
    if (voc__grow((void **)&p->lits, &p->cap_lits, p->n_lits + 1, sizeof *p->lits)) return false;
    literal *l = &p->lits[p->n_lits++];
    l->off = (uint32_t)p->lit_text.len;
    l->len = (uint32_t)n;
    l->pattern = pattern;
    l->word_start = word_start && ((unsigned char)s[0] < 0x80); /* \b before an ASCII word */
    for (size_t i = 0; i < n; i++) { /* the text is case-folded: so are the literals */
        char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
        voc__buf_append(&p->lit_text, &c, 1);
    }
    return !p->lit_text.failed;
}

/* The literals an alternation must start with: every alternative's. */
static bool first_literals(voc_patterns *p, uint32_t pattern, const char *s, size_t len,
                           bool word_start)
{
    size_t start = 0;
    int depth = 0;
    bool in_class = false;
    for (size_t i = 0; i <= len; i++) {
        char c = i < len ? s[i] : '|';
        if (i < len && c == '\\') { i++; continue; }
        if (in_class) { if (c == ']') in_class = false; continue; }
        if (c == '[') in_class = true;
        else if (c == '(') depth++;
        else if (c == ')') depth--;
        else if (c == '|' && depth == 0) {
            if (!seq_literals(p, pattern, s + start, i - start, word_start)) return false;
            start = i + 1;
        }
    }
    return true;
}

static int index_literals(voc_patterns *p)
{
    p->head2 = calloc(65536, sizeof *p->head2);
    if (!p->head2) return VOC_ENOMEM;
    for (size_t i = p->n_lits; i-- > 0;) {
        literal *l = &p->lits[i];
        const unsigned char *t = (const unsigned char *)p->lit_text.data + l->off;
        uint32_t *head = l->len >= 2 ? &p->head2[t[0] << 8 | t[1]] : &p->head1[t[0]];
        if (l->len >= 2) p->key2[(t[0] << 8 | t[1]) >> 6] |= 1ull << ((t[0] << 8 | t[1]) & 63);
        if (!l->word_start) {
            p->first_anywhere[1][t[0]] = true;
            if (!p->list[l->pattern].han) p->first_anywhere[0][t[0]] = true;
        }
        l->next = *head;
        *head = (uint32_t)i + 1;
    }
    return VOC_OK;
}

/* Every place in text where some pattern's literal occurs (word starts where the pattern
 * has \b), in text order. */
static int add_start(voc_pattern_state *st, uint32_t pattern, size_t pos)
{
    for (size_t k = st->n_starts; k > 0 && st->starts[k - 1].pos == pos; k--)
        if (st->starts[k - 1].pattern == pattern) return VOC_OK; /* two literals, one place */
    if (voc__grow((void **)&st->starts, &st->cap_starts, st->n_starts + 1, sizeof *st->starts))
        return VOC_ENOMEM;
    st->starts[st->n_starts++] = (start){pattern, (uint32_t)pos};
    return VOC_OK;
}

static int prefilter(const voc_patterns *p, voc_pattern_state *st, const char *text, size_t len,
                     bool has_han)
{
    st->n_starts = 0;
    const unsigned char *t = (const unsigned char *)text;
    const bool *anywhere = p->first_anywhere[has_han];
    for (size_t i = 0; i < len; i++) {
        unsigned char b = i ? t[i - 1] : ' ';
        bool at_word_start = !((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '\'');
        /* inside a word only literals that may start anywhere can (most positions) */
        if (!at_word_start && !anywhere[t[i]]) continue;
        for (uint32_t k = p->head1[t[i]]; k; k = p->lits[k - 1].next)
            if ((at_word_start || !p->lits[k - 1].word_start) &&
                (has_han || !p->list[p->lits[k - 1].pattern].han) &&
                add_start(st, p->lits[k - 1].pattern, i))
                return VOC_ENOMEM;
        if (i + 1 >= len) break;
        unsigned key = (unsigned)t[i] << 8 | t[i + 1];
        if (!(p->key2[key >> 6] & (1ull << (key & 63)))) continue;
        for (uint32_t k = p->head2[key]; k; k = p->lits[k - 1].next) {
            const literal *l = &p->lits[k - 1];
            if ((at_word_start || !l->word_start) && (has_han || !p->list[l->pattern].han) &&
                l->len <= len - i &&
                !memcmp(p->lit_text.data + l->off, text + i, l->len) && add_start(st, l->pattern, i))
                return VOC_ENOMEM;
        }
    }
    return VOC_OK;
}

#define FLAGS (PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS)

/* ---- building and matching ---------------------------------------------------------------- */

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
    p->lazy = calloc(n ? n : 1, sizeof *p->lazy);
    p->names = malloc(names_len + 1);
    p->context = pcre2_match_context_create(NULL);
    if (!p->list || !p->lazy || !p->names || !p->context) {
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
        /* patterns with literals run anchored where a literal stands, the others scan the
         * text: only the copy that will run is compiled (and JIT-compiled, best effort) */
        size_t lits_before = p->n_lits, text_before = p->lit_text.len;
        pt->always = !first_literals(p, (uint32_t)p->n, r->text2, strlen(r->text2), false);
        if (pt->always) { /* drop what a failed extraction left */
            p->n_lits = lits_before;
            p->lit_text.len = text_before;
        }
        int code;
        PCRE2_SIZE offset;
        pcre2_code *c = pcre2_compile((PCRE2_SPTR)r->text2, PCRE2_ZERO_TERMINATED,
                                      FLAGS | (pt->always ? 0 : PCRE2_ANCHORED), &code, &offset, NULL);
        if (!c) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(code, msg, sizeof msg);
            voc__patterns_free(p);
            return voc__fail(err, VOC_ELEXICON, rows->files[r->file], r->line, offset,
                             "pattern '%s': %s at offset %zu", r->term, (const char *)msg,
                             (size_t)offset);
        }
        pt->code = c;
        pt->weight = r->a;
        for (const unsigned char *c = (const unsigned char *)r->text2; *c && !pt->han; c++)
            pt->han = *c >= 0xE3; /* lead bytes of U+3000 and up: CJK */
        size_t len = strlen(r->term);
        memcpy(p->names + used, r->term, len + 1);
        pt->name = p->names + used;
        used += len + 1;
        p->n++;
    }
    p->always = malloc(sizeof *p->always * (p->n ? p->n : 1));
    for (size_t i = 0; p->always && i < p->n; i++)
        if (p->list[i].always) p->always[p->n_always++] = (uint32_t)i;
    if (!p->always || p->lit_text.failed || index_literals(p)) {
        voc__patterns_free(p);
        return voc__fail(err, VOC_ENOMEM, "patterns", 0, 0, "out of memory");
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
    free(st->starts);
    free(st->skip_to);
    free(st);
}

/* Match pattern i at `at`: through its JIT copy when there is one; its JIT_AFTER-th use
 * makes it (best effort: no JIT on this machine, or a race lost, leaves the interpreter). */
static int match_at(const voc_patterns *p, size_t i, const char *text, size_t len, size_t at,
                    pcre2_match_data *md)
{
    lazy_jit *lz = &p->lazy[i];
    pcre2_code *jit = atomic_load_explicit(&lz->jit, memory_order_acquire);
    if (jit) return pcre2_jit_match(jit, (PCRE2_SPTR)text, len, at, 0, md, p->context);
    if (atomic_fetch_add_explicit(&lz->uses, 1, memory_order_relaxed) + 1 == JIT_AFTER) {
        pcre2_code *copy = pcre2_code_copy(p->list[i].code);
        if (copy && pcre2_jit_compile(copy, PCRE2_JIT_COMPLETE) == 0) {
            pcre2_code *none = NULL;
            if (atomic_compare_exchange_strong_explicit(&lz->jit, &none, copy, memory_order_release,
                                                        memory_order_relaxed))
                return pcre2_jit_match(copy, (PCRE2_SPTR)text, len, at, 0, md, p->context);
        }
        pcre2_code_free(copy);
    }
    /* the text is valid UTF-8 (normalize.c made it so): skip PCRE2's check */
    return pcre2_match(p->list[i].code, (PCRE2_SPTR)text, len, at, PCRE2_NO_UTF_CHECK, md, p->context);
}

int voc__patterns_scan(const voc_patterns *p, voc_pattern_state *st, const char *text,
                       size_t len, bool has_han, int (*fn)(void *user, uint64_t mask, float weight,
                                             size_t start, size_t end, const char *name),
                       void *user)
{
    if (!p || !p->n) return VOC_OK;
    int rc = prefilter(p, st, text, len, has_han);
    if (rc) return rc;
    /* patterns with literals: anchored matches where a literal starts, left to right,
     * never inside the pattern's previous match (what a scan of the text would find) */
    if (st->n_skip < p->n) {
        free(st->skip_to);
        st->n_skip = 0;
        if (!(st->skip_to = malloc(sizeof *st->skip_to * p->n))) return VOC_ENOMEM;
        st->n_skip = p->n;
    }
    memset(st->skip_to, 0, sizeof *st->skip_to * p->n);
    for (size_t k = 0; k < st->n_starts; k++) {
        const start *sp = &st->starts[k];
        const pattern *pt = &p->list[sp->pattern];
        if (sp->pos < st->skip_to[sp->pattern]) continue;
        /* compiled anchored: no start-of-match search */
        int m = match_at(p, sp->pattern, text, len, sp->pos, st->md);
        if (m == PCRE2_ERROR_MATCHLIMIT || m == PCRE2_ERROR_DEPTHLIMIT || m == PCRE2_ERROR_HEAPLIMIT)
            st->skip_to[sp->pattern] = SIZE_MAX; /* backtracks badly here: give it up */
        if (m < 0) continue;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(st->md);
        if (ov[1] <= ov[0]) continue;
        st->skip_to[sp->pattern] = ov[1];
        if ((rc = fn(user, pt->mask, pt->weight, ov[0], ov[1], pt->name))) return rc;
    }
    /* patterns without: scan the text */
    for (size_t a = 0; a < p->n_always; a++) {
        const pattern *pt = &p->list[p->always[a]];
        if (pt->han && !has_han) continue;
        size_t at = 0;
        while (at <= len) {
            int m = match_at(p, p->always[a], text, len, at, st->md);
            if (m < 0) break; /* no match, or a limit reached: give up on this pattern here */
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(st->md);
            size_t mstart = ov[0], mend = ov[1];
            if (mend > mstart) {
                if ((rc = fn(user, pt->mask, pt->weight, mstart, mend, pt->name))) return rc;
                at = mend;
            } else { /* an empty match: step over one character */
                at = mend + 1;
                while (at < len && ((unsigned char)text[at] & 0xC0) == 0x80) at++;
            }
        }
    }
    return VOC_OK;
}
