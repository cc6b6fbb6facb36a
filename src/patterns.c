/* patterns.c — the PCRE2 adapter: topic patterns (files in topics/ with the header
 * `name topics weight pattern`) compiled once per analyzer, matched per session.
 *
 * Most patterns cannot match unless the text holds one of a few literal strings: the
 * alternatives of their first element ("\b(refund|refunds) .{0,20}weeks" needs "refund",
 * "(沒|未)收到(貨|包裹)" needs 沒 or 未).  Those literals are taken from each pattern when it is
 * compiled (first_literals) and indexed by their first one, two or three bytes; one pass
 * over a text finds where each pattern can start, and the pattern, compiled PCRE2_ANCHORED,
 * is tried only there (a pcre2_match call per pattern per document scanning the whole text
 * cost 30 µs a tweet) — and only if the text also holds one of the strings a later element
 * needs ("required literals" below: "weeks" for the pattern above, at or after the place
 * tried; the same pass finds most of those strings too).  Patterns whose first
 * element is not literal scan the text.  Patterns written with Han characters only run on
 * texts that have some.  The literals are kept in the compiled-lexicon cache ("the literals
 * in the cache file"), so a run of the same pattern text does not read them off again.
 *
 * Patterns run on the normalized text (NFKC case-folded, full-width folded, Traditional
 * Chinese), so they are written in lower case and Traditional characters.  Each is compiled
 * with UTF and UCP (Unicode classes for \w, \d, \s) — at build, or on first use when the
 * compiled-lexicon cache shows that an earlier run compiled these same files with this PCRE2
 * — and JIT-compiled once sessions have used it a few times (lazy_jit); a bad pattern is an error naming file, line, PCRE2's
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
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#endif

#define MATCH_LIMIT 200000
#define DEPTH_LIMIT 2000

typedef struct pattern {
    pcre2_code *code;        /* compiled PCRE2_ANCHORED when it has literals (it runs where a
                              * literal stands), else as is (it scans the text); NULL until
                              * first used when the build had `known` literals (lazy_jit.code) */
    const char *source;      /* in sources */
    uint64_t mask;
    float weight;
    const char *name;        /* in names */
    bool always;             /* no literal prefilter: always run */
    bool han;                /* written with Han characters: only runs on text that has some */
    uint32_t req_first, req_end; /* its required literals: req[req_first, req_end), none if equal */
    bool req_indexed;        /* the prefilter finds them (see "required literals") */
    bool req_apostrophe;     /* ... at word starts and after a ' (their literals' apostrophe) */
    bool req_past_start;     /* they start past a start's first byte (nested_required) */
    bool req_untested;       /* one of them is shorter than a triple: the triple test (not
                              * req_indexed) would always say yes, so it is not made (set at
                              * build; wait_waited_duration_en's "h" filled the triples of 356
                              * airline tweets for nothing) */
} pattern;

/* A literal some pattern needs: text[off, off + len) of lits, for pattern `pattern`. */
typedef struct literal {
    uint32_t off, len, pattern, next; /* next: the following literal with the same key */
    bool word_start;         /* only where no letter or digit comes before */
    bool han;                /* its pattern's `han` */
    bool required;           /* one of the pattern's required literals, not a start */
    bool apostrophe;         /* word_start, or right after a ' (a required literal after \b) */
    uint64_t head, mask;     /* its first (up to) eight bytes as loaded from memory, and which */
} literal;

/* The JIT-compiled copy of a pattern, made by the session that uses it JIT_AFTER times
 * (JIT-compiling all 117 patterns up front cost 5 ms of every start-up, and a short run
 * needs a handful of them).  Shared by threads: the copy is published with a
 * compare-and-swap and never changes after. */
typedef struct lazy_jit {
    _Atomic(pcre2_code *) jit;
    atomic_uint uses;
    _Atomic(pcre2_code *) code; /* compiled on first use (builds from `known` literals), published the same way */
} lazy_jit;
#define JIT_AFTER 16

struct voc_patterns {
    pattern *list;
    size_t n;
    lazy_jit *lazy;          /* per pattern; mutable state behind the immutable analyzer */
    pcre2_match_context *context;
    char *names;
    char *sources;           /* the patterns as written, for compiling on first use */
    /* the prefilter: literals by their first two bytes (or first byte when one long) */
    literal *lits;           /* the start literals, then the required ones the prefilter finds */
    size_t n_lits, cap_lits, n_start_lits;
    voc_buf lit_text;
    uint32_t *always;        /* the patterns without literals, which scan every text */
    size_t n_always;
    uint32_t *head2;         /* 65536 heads (index + 1, 0 none) of the two-byte literals */
    literal *req;            /* required literals (see "required literals"), by pattern */
    size_t n_req, cap_req;
    uint64_t key2[1024];     /* bit per two-byte key that has literals: stays in L1 cache */
    /* literals of three bytes or more, by a hash of their first three (KEY3_BITS): keyed by
     * two bytes, the chains of "ca" (can't, cannot, cancel...) or of the Han characters
     * U+4E00..U+4E3F (一, 不, 上...) held dozens of literals to compare at every such place */
    uint32_t head3[1u << 12];
    uint64_t key3[(1u << 12) / 64];
    /* The prefilter's step over one byte, for texts without Han [0] and with [1], indexed
     * by STEP_WORD if the byte before is a-z 0-9, STEP_APOSTROPHE if it is ' (else 0) + the
     * byte: STEP_WORD or STEP_APOSTROPHE as this byte is, + STEP_TRY if some literal (of a
     * pattern that may run on such a text) can start here — at a word start, or anywhere for
     * literals without \b, or after a ' for literal.apostrophe; never inside a UTF-8
     * character unless a literal starts with a continuation byte (never, as literals are
     * read off valid UTF-8 at element starts). */
    uint16_t step[2][768];
    uint64_t pair[1024];     /* bit per two bytes that some literal can start with */
    uint32_t head1[256];
    /* Per step table: which bytes the vectorized pass (prefilter) must stop at, SKIP_* bits;
     * 0 when it cannot be used (some literal starts with a byte other than a-z 0-9 or a
     * UTF-8 lead byte).  Set by scan_skips from the step table. */
    uint8_t skips[2];
    /* For the head3 chains (scan_skips): bit per head3 bucket that holds a three-byte literal,
     * and bit per hash of the first four bytes (key4_of) of the longer literals: a place whose
     * bucket holds only longer literals, none of them starting with its four bytes, walks no
     * chain ("nothing" is none of "not yet", "not able to"). */
    uint64_t short3[(1u << 12) / 64];
    uint64_t key4[(1u << 14) / 64];
};

enum { STEP_TRY = 1, STEP_WORD = 256, STEP_APOSTROPHE = 512 };
enum { SKIP_USABLE = 1, SKIP_IN_WORD = 2, SKIP_LEAD = 4 };
static void scan_skips(voc_patterns *p);

/* Where a pattern's literal occurs in the text: a match can only start there. */
typedef struct start {
    uint32_t pattern, pos;
} start;

/* Where the byte triples of a text last occur, for the required-literal test: per hashed
 * triple, `base` + the offset of its last occurrence, filled only for texts that need it.
 * Each text's offsets start above the previous text's (base grows by the text's length), so
 * the table is never cleared between texts: a value below this text's base is absent.
 * 4,096 slots: a tweet fills ~100 of them, so a string of one triple is wrongly found (or
 * found later than it is) in ~2% of texts, one of two triples in ~0.1%. */
#define TRIPLE_BITS 12
#define MAX_TRIPLE_TEXT ((size_t)1 << 30) /* longer texts skip the test (never, in practice) */

/* What one text showed of one pattern so far; valid when `text` is the state's. */
typedef struct pattern_seen {
    size_t skip_to;          /* end of its last match in this text */
    int64_t req_last;        /* its required literals can occur at no offset above this one
                              * (REQ_UNKNOWN: not asked yet); for req_indexed patterns, where
                              * the prefilter found the last (REQ_UNKNOWN: nowhere) */
    uint32_t text;
} pattern_seen;
#define REQ_UNKNOWN INT64_MIN

struct voc_pattern_state {
    pcre2_match_data *md;
    start *starts;
    size_t n_starts, cap_starts;
    pattern_seen *seen;      /* per pattern, stamped with the text: no clearing per text */
    size_t n_seen;
    uint32_t text;           /* counts the texts scanned, for `seen` */
    uint32_t *tri_last;      /* 1 << TRIPLE_BITS offsets (see above) */
    uint32_t base, text_base; /* the next text's base, and this text's */
    bool triples_filled;
};

void voc__patterns_free(voc_patterns *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n; i++) {
        pcre2_code_free(p->list[i].code);
        if (p->lazy) {
            pcre2_code_free(atomic_load(&p->lazy[i].jit));
            pcre2_code_free(atomic_load(&p->lazy[i].code));
        }
    }
    free(p->list);
    free(p->lazy);
    free(p->names);
    free(p->sources);
    free(p->lits);
    free(p->always);
    free(p->head2);
    free(p->req);
    voc__buf_free(&p->lit_text);
    pcre2_match_context_free(p->context);
    free(p);
}

size_t voc__patterns_count(const voc_patterns *p) { return p ? p->n : 0; }

/* ---- the literal prefilter ------------------------------------------------------------ */

/* Bytes the build-time readings of a pattern's source stop at, by what they are (tables,
 * not strchr: these readings run over every pattern's source several times at every start):
 * SRC_META the metacharacters \.[]()*+?{}|^$, SRC_ANCHOR the elements . ^ $ of one byte,
 * SRC_NOT_START what cannot start an element: )|*+?{}; SRC_GROUP what group_end looks at.
 * The NUL byte is in the first two, as it was in the strchr sets (sources never hold one). */
enum { SRC_META = 1, SRC_ANCHOR = 2, SRC_NOT_START = 4, SRC_GROUP = 8 };
static const unsigned char src_class[256] = {
    [0] = SRC_META | SRC_ANCHOR,
    ['\\'] = SRC_META | SRC_GROUP,
    ['.'] = SRC_META | SRC_ANCHOR,
    ['['] = SRC_META | SRC_GROUP,
    [']'] = SRC_META | SRC_GROUP,
    ['('] = SRC_META | SRC_GROUP,
    [')'] = SRC_META | SRC_NOT_START | SRC_GROUP,
    ['*'] = SRC_META | SRC_NOT_START,
    ['+'] = SRC_META | SRC_NOT_START,
    ['?'] = SRC_META | SRC_NOT_START,
    ['{'] = SRC_META | SRC_NOT_START,
    ['}'] = SRC_META | SRC_NOT_START,
    ['|'] = SRC_META | SRC_NOT_START,
    ['^'] = SRC_META | SRC_ANCHOR,
    ['$'] = SRC_META | SRC_ANCHOR,
};
#define SRC_IS(c, what) (src_class[(unsigned char)(c)] & (what))

/* End of the group opening at p[0] == '(' (the index of its ')'), or SIZE_MAX. */
static size_t group_end(const char *p, size_t len)
{
    int depth = 0;
    bool in_class = false;
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        if (!SRC_IS(c, SRC_GROUP)) continue; /* a plain byte: nothing below applies */
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

/* Where the first element of s[start, end) is: past any \b and ^.  seq_literals takes the
 * start literals from there, and read_literals and nested_required skip that element by it
 * (it told them nothing new), so the three must agree. */
static size_t first_element(const char *s, size_t start, size_t end)
{
    while (start + 1 < end && s[start] == '\\' && s[start + 1] == 'b') start += 2;
    while (start < end && s[start] == '^') start++;
    return start;
}

/* The literals a sequence must start with; word_start: a \b stands before it. */
static bool seq_literals(voc_patterns *p, uint32_t pattern, const char *s, size_t len,
                         bool word_start)
{
    size_t first = first_element(s, 0, len);
    if (first > 0 && s[0] == '\\') word_start = true; /* it skipped a \b */
    s += first;
    len -= first;
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
    while (n < len && !SRC_IS(s[n], SRC_META)) n++;
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
    l->required = false;
    /* PCRE2's \b holds after a ' ("x'prices went up"); the prefilter's words take the ' in,
     * so a start literal after \b is tried after one too */
    l->apostrophe = l->word_start;
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

/* ---- required literals ---------------------------------------------------------------
 *
 * How it works: a pattern's first element says where a match can start; a later element that
 * must match one of a few plain strings says what else the text must hold.  In
 * "\b(\d+|an?|one|...) ?(min|hours|h|...) (late|delay|behind|wait|...)\b" any number or
 * word starting with "a" is a place to try, but a text holding none of "late", "delay", ...
 * cannot match anywhere, and most tries fail that way (98% of them on the airline tweets).
 * So each pattern keeps the strings of one such element: the one whose shortest string is
 * longest (longer strings are rarer; ties: the later element).  Such a string lies inside the
 * match, which starts where the pattern is tried: so the text must hold one at or after that
 * place.  The text is asked once per pattern where the last of them can start, through the
 * last offset of each (hashed) byte triple of the text, set in one pass the first time a
 * text is asked: a string's last start is at most min over its triples j of (last offset of
 * triple j) - j, and it is absent when one of its triples is ("late": "ate", then "lat").
 * Example: in "an hour late at the gate" the triples of "late" last start at 8 ("lat") and
 * 21 ("ate", in "gate"): "late" starts at min(8 - 0, 21 - 1) = 8 or before, so "an" (0) is
 * tried, "at" (13) not.  The test can only err towards a try (a hash collision, or a string
 * shorter than a triple, which is not tested: a pattern with one is not asked at all,
 * pattern.req_untested), never skip a match.  Elements are read off the pattern's top
 * level — a group of plain alternatives, or a run of plain characters, without a
 * quantifier that allows zero — and a pattern with a top-level '|', options, verbs
 * or escapes this reading does not know keeps none: it is tried wherever it may start.
 * The start group itself says nothing new, except when its alternatives are sequences: then
 * each one's later element counts, and the text must hold one of their strings past the
 * start's first byte (nested_required: delivery_not_received_en was tried 237 times on the
 * airline tweets, matching none, and JIT-compiled for it).
 *
 * Most required elements need no triples: when the element comes right after a separator
 * (a plain space or other ASCII character that is not a-z 0-9 ', \s, or a group whose
 * alternatives all end with one: " (late|delay)", "(was |is )?(cancelled|canceled)"), or is
 * a run that starts with one (" cancel"), its strings stand at a word start in every match;
 * right after \b, strings that start with a \w character stand at a word start or after a '
 * (\b does not count ' as a word character; the prefilter does).  Then the strings every
 * alternative starts with ("access " of "access (my|our) account") are indexed with the
 * start literals (req_indexed, literal.required), the prefilter's pass over the text records
 * where the last of them starts (pattern_seen.req_last), and the test is exact: no fill, no
 * lookups.  The triples serve the other patterns (Chinese ones, runs after a \b or a
 * letter). */

/* The end of the element that starts at s[i] (a character, escape, class or group), or
 * SIZE_MAX when this reading does not know it; *plain: it is one plain character. */
static size_t element_end(const char *s, size_t len, size_t i, bool *plain)
{
    *plain = false;
    char c = s[i];
    if (c == '(') {
        if (i + 2 < len && s[i + 1] == '?' && !strchr(":!=<>", s[i + 2])) return SIZE_MAX;
        if (i + 1 < len && s[i + 1] == '*') return SIZE_MAX; /* (*VERB) */
        size_t e = group_end(s + i, len - i);
        return e == SIZE_MAX ? SIZE_MAX : i + e + 1;
    }
    if (c == '[') {
        size_t k = i + 1;
        if (k < len && s[k] == '^') k++;
        if (k < len && s[k] == ']') k++; /* a ']' first is a member */
        for (; k < len; k++) {
            if (s[k] == '\\') { k++; continue; }
            if (s[k] == '[') return SIZE_MAX; /* [:alpha:] and the like */
            if (s[k] == ']') return k + 1;
        }
        return SIZE_MAX;
    }
    if (c == '\\') {
        /* \d \b \s \w \. and the like; \p{..} \x{..} \Q..\E back-references: unknown */
        if (i + 1 >= len || strchr("pPxNgkoQEcu0123456789", s[i + 1])) return SIZE_MAX;
        return i + 2;
    }
    if (SRC_IS(c, SRC_ANCHOR)) return i + 1;
    if (SRC_IS(c, SRC_NOT_START)) return SIZE_MAX; /* not at an element's start */
    size_t k = i + 1; /* a plain character, one UTF-8 sequence */
    while (k < len && ((unsigned char)s[k] & 0xC0) == 0x80) k++;
    *plain = true;
    return k;
}

/* The quantifier at s[i], if any: returns its end; *quant says there is one, *optional that
 * it allows zero. */
static size_t quantifier_end(const char *s, size_t len, size_t i, bool *quant, bool *optional)
{
    *quant = *optional = false;
    if (i >= len) return i;
    if (s[i] == '?' || s[i] == '*' || s[i] == '+') {
        *quant = true;
        *optional = s[i] != '+';
        i++;
    } else if (s[i] == '{') {
        size_t k = i + 1, min = 0, digits = 0;
        while (k < len && s[k] >= '0' && s[k] <= '9') { min = min * 10 + (size_t)(s[k] - '0'); k++; digits++; }
        while (k < len && ((s[k] >= '0' && s[k] <= '9') || s[k] == ',')) k++;
        if (!digits || k >= len || s[k] != '}') return i; /* a literal '{' */
        *quant = true;
        *optional = min == 0;
        i = k + 1;
    } else {
        return i;
    }
    if (i < len && (s[i] == '?' || s[i] == '+')) i++; /* lazy, possessive */
    return i;
}

static bool add_required(voc_patterns *p, const char *s, size_t n)
{
    if (voc__grow((void **)&p->req, &p->cap_req, p->n_req + 1, sizeof *p->req)) return false;
    literal *l = &p->req[p->n_req++];
    memset(l, 0, sizeof *l);
    l->off = (uint32_t)p->lit_text.len;
    l->len = (uint32_t)n;
    for (size_t i = 0; i < n; i++) { /* the text is case-folded: so are the literals */
        char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
        voc__buf_append(&p->lit_text, &c, 1);
    }
    return !p->lit_text.failed;
}

/* A piece of the pattern's source. */
typedef struct src_span {
    size_t start, end;
} src_span;

/* spans[0..n), read relative to a group's content, into out[] relative to the text around it
 * (the content starts `by` bytes in). */
static void spans_shifted(src_span *out, const src_span *spans, size_t n, size_t by)
{
    for (size_t k = 0; k < n; k++) out[k] = (src_span){by + spans[k].start, by + spans[k].end};
}

/* The elements of the sequence s[0..len) (no top-level '|'), one at a time: *i moves past
 * the element and its quantifier.  Returns false when this reading does not know it. */
static bool next_element(const char *s, size_t len, size_t *i, size_t *end, bool *plain,
                         bool *quant, bool *optional)
{
    *end = element_end(s, len, *i, plain);
    if (*end == SIZE_MAX) return false;
    size_t q = quantifier_end(s, len, *end, quant, optional);
    *i = q;
    return true;
}

/* The longest run of plain characters every match of the sequence s[0..len) holds, as
 * *run; returns its length (0: none).  A run starting at `skip` does not count. */
static size_t longest_run(const char *s, size_t len, size_t skip, src_span *run)
{
    size_t best = 0, run_start = SIZE_MAX, run_end = 0;
    for (size_t i = 0;;) {
        size_t at = i, e = i;
        bool plain = false, quant = false, optional = false;
        if (i < len) {
            if (s[i] == '|' || !next_element(s, len, &i, &e, &plain, &quant, &optional)) return 0;
            if (plain && !optional) { /* the run goes on ("cancel+": and ends with the l) */
                if (run_start == SIZE_MAX) run_start = at;
                run_end = e;
                if (!quant) continue;
            }
        }
        if (run_start != SIZE_MAX) { /* the run ends */
            if (run_start != skip && run_end - run_start >= best) {
                best = run_end - run_start;
                *run = (src_span){run_start, run_end};
            }
            run_start = SIZE_MAX;
        }
        if (at >= len) return best;
    }
}

/* A plain character that is not a word byte to the prefilter (a-z 0-9 '), even caselessly:
 * what follows it is at a word start. */
static bool separator(char c)
{
    unsigned char u = (unsigned char)c;
    return u > 0 && u < 0x80 && !(u >= 'a' && u <= 'z') && !(u >= 'A' && u <= 'Z') &&
           !(u >= '0' && u <= '9') && u != '\'' && !SRC_IS(u, SRC_META);
}

/* The top-level alternatives of the group content g[0..n), each as [start, end) into out[]
 * (up to cap); false when there are more. */
static bool split_alternatives(const char *g, size_t n, src_span *out, size_t cap, size_t *n_out)
{
    size_t start = 0, depth = 0;
    bool in_class = false;
    *n_out = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n) {
            char c = g[i];
            if (c == '\\') { i++; continue; }
            if (in_class) { if (c == ']') in_class = false; continue; }
            if (c == '[') in_class = true;
            else if (c == '(') depth++;
            else if (c == ')') depth--;
            if (c != '|' || depth) continue;
        }
        if (*n_out == cap) return false;
        out[(*n_out)++] = (src_span){start, i};
        start = i + 1;
    }
    return true;
}

/* The alternatives of the group content g[0..n), each by its longest run, into out[] (up to
 * cap); returns the shortest run's length, 0 when some alternative has none or there are
 * more than cap. */
static size_t alternative_runs(const char *g, size_t n, src_span *out, size_t cap, size_t *n_out)
{
    if (!split_alternatives(g, n, out, cap, n_out)) return 0;
    size_t shortest = SIZE_MAX;
    for (size_t k = 0; k < *n_out; k++) {
        src_span run;
        size_t start = out[k].start;
        size_t got = longest_run(g + start, out[k].end - start, SIZE_MAX, &run);
        if (!got) return 0;
        out[k] = (src_span){start + run.start, start + run.end};
        if (got < shortest) shortest = got;
    }
    return shortest;
}


/* Does every alternative of g[0..n) end with a plain separator (a space in "(was |is )")? */
static bool alternatives_end_with_separator(const char *g, size_t n)
{
    src_span alt[64];
    size_t n_alt;
    if (!split_alternatives(g, n, alt, 64, &n_alt)) return false;
    for (size_t k = 0; k < n_alt; k++) {
        size_t e = alt[k].end;
        if (e == alt[k].start || !separator(g[e - 1]) || (e - alt[k].start >= 2 && g[e - 2] == '\\'))
            return false;
    }
    return true;
}

/* The plain characters every alternative of g[0..n) starts with ("access " of "access (my|
 * our) account"), into out[] relative to g; false when one starts otherwise. */
static bool leading_runs(const char *g, size_t n, src_span *out, size_t cap, size_t *n_out)
{
    if (!split_alternatives(g, n, out, cap, n_out)) return false;
    for (size_t k = 0; k < *n_out; k++) {
        size_t i = out[k].start, end = i;
        while (i < out[k].end) {
            size_t e;
            bool plain, quant, optional;
            if (!next_element(g, out[k].end, &i, &e, &plain, &quant, &optional) || !plain || optional)
                break;
            end = e;
            if (quant) break; /* "l+": one l for sure */
        }
        if (end == out[k].start || (unsigned char)g[out[k].start] >= 0x80) return false;
        out[k].end = end;
    }
    return true;
}

static bool top_level_alternation(const char *s, size_t len)
{
    size_t depth = 0;
    bool in_class = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\\') { i++; continue; }
        if (in_class) { if (c == ']') in_class = false; continue; }
        if (c == '[') in_class = true;
        else if (c == '(') depth++;
        else if (c == ')') depth--;
        else if (c == '|' && !depth) return true;
    }
    return false;
}

/* The strings a later element of every alternative of the start group g[0..n) requires, as
 * one set into out[] relative to g (up to cap); returns the shortest one's length, 0 when
 * some alternative has no such element or the set does not fit.  A match goes through one
 * alternative, past its first element (which gave a start literal, so it is not empty), and
 * then through that alternative's element: in "\b((never|didn't) got (my )?(order|item)|
 * (order|item)s? (has )?(never|not yet) arrived)\b" one of order, item, never, not yet
 * starts after the start's first byte (pattern.req_past_start).  Per alternative, the
 * group of plain alternatives whose shortest string is longest (ties: the later) is taken. */
static size_t nested_required(const char *g, size_t n, src_span *out, size_t cap, size_t *n_out)
{
    enum { MAX_ALTS = 64 };
    src_span alt[MAX_ALTS], cur[MAX_ALTS], pick[MAX_ALTS];
    size_t n_alt, shortest = SIZE_MAX;
    *n_out = 0;
    if (!split_alternatives(g, n, alt, MAX_ALTS, &n_alt)) return 0;
    for (size_t a = 0; a < n_alt; a++) {
        size_t best_len = 0, n_pick = 0, n_cur, first = first_element(g, alt[a].start, alt[a].end);
        for (size_t i = first; i < alt[a].end;) {
            size_t at = i, e;
            bool plain, quant, optional;
            if (!next_element(g, alt[a].end, &i, &e, &plain, &quant, &optional)) return 0;
            if (at == first || g[at] != '(' || optional || g[at + 1] == '?') continue;
            size_t got = alternative_runs(g + at + 1, e - at - 2, cur, MAX_ALTS, &n_cur);
            if (!got || got < best_len) continue;
            best_len = got;
            n_pick = n_cur;
            spans_shifted(pick, cur, n_cur, at + 1);
        }
        if (!best_len || *n_out + n_pick > cap) return 0;
        for (size_t k = 0; k < n_pick; k++) out[(*n_out)++] = pick[k];
        if (best_len < shortest) shortest = best_len;
    }
    return n_alt ? shortest : 0;
}

/* Pick pattern `index`'s required literals (see above) from its source s[0..len); `skip`:
 * the offset of its first element when that gave the start literals (no news there, but
 * for what its alternatives hold after their own first elements: nested_required). */
static bool required_literals(voc_patterns *p, uint32_t index, const char *s, size_t len, size_t skip)
{
    pattern *pt = &p->list[index];
    pt->req_first = pt->req_end = (uint32_t)p->n_req;
    enum { MAX_ALTS = 64 };
    src_span best[MAX_ALTS], cur[MAX_ALTS];
    size_t n_best = 0, best_len = 0, n_cur;
    bool best_after_space = false, best_is_run = false, run_after_space = false;
    bool best_after_b = false, run_after_b = false; /* right after a \b */
    bool best_past_start = false; /* best came from the start group (nested_required) */
    size_t best_from = 0, best_n = 0; /* the group content that gave best */
    if (top_level_alternation(s, len)) { /* one run from each alternative */
        if (!alternative_runs(s, len, best, MAX_ALTS, &n_best)) n_best = 0;
    } else {
        /* a sequence: its longest run, or a group whose alternatives all have runs */
        n_best = 0;
        src_span run = {SIZE_MAX, SIZE_MAX};
        if ((best_len = longest_run(s, len, skip, &run))) best[n_best++] = run;
        best_is_run = n_best > 0;
        bool after_space = false; /* what the elements so far consumed ends with a separator */
        bool after_b = false;
        for (size_t i = 0; i < len;) {
            size_t at = i, e;
            bool plain, quant, optional, space_before = after_space, b_before = after_b;
            if (!next_element(s, len, &i, &e, &plain, &quant, &optional)) { /* unknown */
                n_best = 0;
                break;
            }
            if (at == run.start) run_after_space = space_before, run_after_b = b_before;
            after_b = e == at + 2 && s[at] == '\\' && s[at + 1] == 'b' && !quant;
            if (after_b) /* zero-width */
                after_space = space_before;
            else if ((plain && e == at + 1 && separator(s[at])) ||
                     (e == at + 2 && s[at] == '\\' && s[at + 1] == 's') ||
                     (s[at] == '(' && at + 1 < e && s[at + 1] != '?' &&
                      alternatives_end_with_separator(s + at + 1, e - at - 2)))
                after_space = optional ? space_before : true; /* \s: ASCII, or ends >= 0x80 */
            else
                after_space = false;
            if (s[at] != '(' || optional || (s[at + 1] == '?' && s[at + 2] != ':'))
                continue;
            if (at == skip) { /* the start group: what its alternatives require after it */
                size_t got = s[at + 1] == '?' ? 0 : nested_required(s + at + 1, e - at - 2, cur, MAX_ALTS, &n_cur);
                if (got > best_len) { /* strictly: a later element that ties wins anyway */
                    best_len = got;
                    n_best = n_cur;
                    spans_shifted(best, cur, n_cur, at + 1);
                    best_after_space = best_after_b = best_is_run = false; /* not indexed: triples */
                    best_past_start = true;
                }
                continue;
            }
            size_t from = at + 1 + (s[at + 1] == '?' ? 2 : 0); /* (?:...) */
            size_t got = alternative_runs(s + from, e - 1 - from, cur, MAX_ALTS, &n_cur);
            if (got && got >= best_len) { /* ties: the later element */
                best_len = got;
                n_best = n_cur;
                spans_shifted(best, cur, n_cur, from);
                best_after_space = space_before;
                best_after_b = b_before;
                best_is_run = false;
                best_past_start = false;
                best_from = from;
                best_n = e - 1 - from;
            }
        }
    }
    /* A group right after a separator or a \b whose every alternative starts with plain
     * characters, the first ASCII as word-start literals' are (leading_runs: "access " of
     * "access (my|our) account"): in a match one of those strings starts at a word start (after
     * a \b, or after a ': then each must start with a \w byte), where the prefilter finds it;
     * they become the required literals, instead of the alternatives' longest runs. */
    pt->req_indexed = n_best > 0 && !best_is_run && (best_after_space || best_after_b) &&
                      leading_runs(s + best_from, best_n, cur, MAX_ALTS, &n_cur);
    /* after \b: each must start with a \w byte (voc__ascii_word_char: after a \b comes no \w
     * before it, so no byte the prefilter counts as a word byte but a ', literal.apostrophe) */
    if (pt->req_indexed && !best_after_space)
        for (size_t k = 0; k < n_cur && pt->req_indexed; k++)
            pt->req_indexed = voc__ascii_word_char(s[best_from + cur[k].start]);
    if (pt->req_indexed) {
        pt->req_apostrophe = !best_after_space;
        n_best = n_cur;
        spans_shifted(best, cur, n_cur, best_from);
    } else if (best_is_run && n_best == 1) { /* a run: after a separator, or from after its own */
        size_t from = best[0].start;
        if (!run_after_space)
            while (from < best[0].end && separator(s[from])) from++;
        if ((run_after_space || from > best[0].start) && from < best[0].end &&
            (unsigned char)s[from] < 0x80) {
            pt->req_indexed = true;
            best[0].start = from;
        } else if (run_after_b && voc__ascii_word_char(s[best[0].start])) {
            pt->req_indexed = pt->req_apostrophe = true;
        }
    }
    for (size_t k = 0; k < n_best; k++)
        if (!add_required(p, s + best[k].start, best[k].end - best[k].start)) return false;
    pt->req_end = (uint32_t)p->n_req;
    pt->req_past_start = best_past_start && n_best > 0;
    return true;
}

/* The slot of the triple held in the low three bytes of w (the rest is shifted out). */
static inline uint32_t triple_slot(uint32_t w)
{
    return (w << 8) * 0x9E3779B1u >> (32 - TRIPLE_BITS);
}

static void triples_fill(voc_pattern_state *st, const unsigned char *t, size_t len)
{
    if (st->base > UINT32_MAX - MAX_TRIPLE_TEXT) { /* the offsets wrap: start again */
        memset(st->tri_last, 0, sizeof *st->tri_last << TRIPLE_BITS);
        st->base = 1;
    }
    st->text_base = st->base;
    st->base += (uint32_t)len + 1;
    uint32_t *last = st->tri_last, at = st->text_base;
    if (len < 3) return;
    uint32_t w = (uint32_t)t[0] << 8 | t[1];
    for (size_t i = 2; i < len; i++) {
        w = w << 8 | t[i];
        last[triple_slot(w)] = at++;
    }
}

/* The last offset at which the text (whose triples are filled) may hold literal l, at least
 * three bytes long (pattern.req_untested): -1 when it cannot. */
static int64_t last_start(const voc_patterns *p, const voc_pattern_state *st, const literal *l)
{
    const unsigned char *s = (const unsigned char *)p->lit_text.data + l->off;
    int64_t best = INT64_MAX;
    for (size_t k = l->len; k >= 3; k--) { /* from the end: ends of phrases differ more */
        uint32_t at = st->tri_last[triple_slot((uint32_t)s[k - 3] << 16 | (uint32_t)s[k - 2] << 8 | s[k - 1])];
        if (at < st->text_base) return -1;
        int64_t start = (int64_t)(at - st->text_base) - (int64_t)(k - 3);
        if (start < best) best = start;
    }
    return best;
}

/* Where the last of pattern pt's required literals may start in text[0..len) (-1: none
 * there), through the triples (filled the first time a text asks). */
static int64_t required_last(const voc_patterns *p, voc_pattern_state *st, const pattern *pt,
                             const char *text, size_t len)
{
    if (!st->triples_filled) {
        triples_fill(st, (const unsigned char *)text, len);
        st->triples_filled = true;
    }
    int64_t last = -1;
    for (uint32_t k = pt->req_first; k < pt->req_end; k++) {
        int64_t at = last_start(p, st, &p->req[k]);
        if (at > last) last = at;
    }
    return last;
}

/* May text[0..len) hold one of pattern i's required literals at `pos` or after (or has it
 * none)?  ps: the pattern's pattern_seen for this text.  Asked at every start the scan
 * visits: inlined, as most answers are a comparison (the call cost 0.4 M instructions on
 * the airline tweets). */
static inline VOC_ALWAYS_INLINE bool required_after(const voc_patterns *p, voc_pattern_state *st, size_t i,
                                                    pattern_seen *ps, const char *text, size_t len,
                                                    size_t pos)
{
    const pattern *pt = &p->list[i];
    if (pt->req_indexed) return ps->req_last >= (int64_t)pos; /* found by the prefilter */
    if (pt->req_first == pt->req_end || pt->req_untested || len >= MAX_TRIPLE_TEXT) return true;
    if (ps->req_last == REQ_UNKNOWN) ps->req_last = required_last(p, st, pt, text, len);
    return ps->req_last >= (int64_t)pos + pt->req_past_start;
}

/* The head3 bucket of the literal or text starting at t (three bytes there). */
static inline uint32_t key3_of(const unsigned char *t)
{
    return ((uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16) * 0x9E3779B1u >> 20;
}

/* The key4 bit of the literal or text starting at t (four bytes there). */
static inline uint32_t key4_of(const unsigned char *t)
{
    uint32_t w;
    memcpy(&w, t, 4);
    return w * 0x9E3779B1u >> (32 - 14);
}

static int index_literals(voc_patterns *p)
{
    p->head2 = calloc(65536, sizeof *p->head2);
    if (!p->head2) return VOC_ENOMEM;
    bool inner_starts = false; /* some literal starts with a UTF-8 continuation byte */
    for (size_t i = p->n_lits; i-- > 0;) {
        literal *l = &p->lits[i];
        const unsigned char *t = (const unsigned char *)p->lit_text.data + l->off;
        size_t n8 = l->len < 8 ? l->len : 8;
        l->head = l->mask = 0;
        memcpy(&l->head, t, n8);
        memset(&l->mask, 0xFF, n8);
        l->han = p->list[l->pattern].han;
        if ((t[0] & 0xC0) == 0x80) inner_starts = true;
        uint32_t *head;
        if (l->len >= 3) {
            uint32_t k3 = key3_of(t);
            head = &p->head3[k3];
            p->key3[k3 >> 6] |= 1ull << (k3 & 63);
        } else if (l->len == 2) {
            head = &p->head2[t[0] << 8 | t[1]];
            p->key2[(t[0] << 8 | t[1]) >> 6] |= 1ull << ((t[0] << 8 | t[1]) & 63);
        } else {
            head = &p->head1[t[0]];
        }
        for (int h = l->han; h < 2; h++) {
            p->step[h][t[0]] |= STEP_TRY; /* at a word start */
            if (!l->word_start) p->step[h][STEP_WORD + t[0]] |= STEP_TRY;
            if (!l->word_start || l->apostrophe) p->step[h][STEP_APOSTROPHE + t[0]] |= STEP_TRY;
        }
        for (unsigned c = 0; c < 256; c++) { /* a one-byte literal: whatever follows */
            unsigned key = (unsigned)t[0] << 8 | (l->len > 1 ? t[1] : c);
            p->pair[key >> 6] |= 1ull << (key & 63);
            if (l->len > 1) break;
        }
        l->next = *head;
        *head = (uint32_t)i + 1;
    }
    for (unsigned c = 0; c < 256; c++) {
        bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'';
        for (int h = 0; h < 2; h++)
            for (unsigned prev = 0; prev <= STEP_APOSTROPHE; prev += STEP_WORD) {
                uint16_t *e = &p->step[h][prev + c];
                if ((c & 0xC0) == 0x80 && !inner_starts) *e = 0;
                if (word) *e |= c == '\'' ? STEP_APOSTROPHE : STEP_WORD;
            }
    }
    scan_skips(p);
    return VOC_OK;
}

/* Every place in text where some pattern's literal occurs (word starts where the pattern
 * has \b), in text order. */
static int add_start(voc_pattern_state *st, uint32_t pattern, size_t pos)
{
    for (size_t k = st->n_starts; k > 0 && st->starts[k - 1].pos == pos; k--)
        if (st->starts[k - 1].pattern == pattern) return VOC_OK; /* two literals, one place */
    if (st->n_starts == st->cap_starts &&
        voc__grow((void **)&st->starts, &st->cap_starts, st->n_starts + 1, sizeof *st->starts))
        return VOC_ENOMEM;
    st->starts[st->n_starts++] = (start){pattern, (uint32_t)pos};
    return VOC_OK;
}

/* Pattern i's pattern_seen for the current text. */
static inline pattern_seen *seen_of(voc_pattern_state *st, size_t i)
{
    pattern_seen *ps = &st->seen[i];
    if (ps->text != st->text) *ps = (pattern_seen){0, REQ_UNKNOWN, st->text};
    return ps;
}

/* Literal l occurs at text offset i: a start of its pattern, or where its pattern's
 * required literals last occur (offsets grow). */
static inline int add_hit(voc_pattern_state *st, const literal *l, size_t i)
{
    if (l->required) {
        seen_of(st, l->pattern)->req_last = (int64_t)i;
        return VOC_OK;
    }
    return add_start(st, l->pattern, i);
}

/* Whether literal l may start at a place: a word-start literal only at a word start or
 * (literal.apostrophe) right after a ', a Han pattern's only in a text that has Han. */
static inline bool may_start_here(const literal *l, bool at_word_start, bool after_apostrophe, bool has_han)
{
    return (at_word_start || !l->word_start || (after_apostrophe && l->apostrophe)) && (has_han || !l->han);
}

/* The starts of the literals that occur at text[i] (add_start), i a place the step table
 * let through, from the heads of its chains k1 (one-byte literals), k2 (two bytes) and k3
 * (three or more, hashed).  Inlined into the byte loops: kept out of them as a call, its
 * saving and restoring of registers cost more (0.47 M instructions in 24,324 calls on the
 * airline tweets) than the registers it left the loops saved. */
static inline VOC_ALWAYS_INLINE int literals_at(const voc_patterns *p, voc_pattern_state *st, const char *text,
                                                size_t len, size_t i, bool at_word_start, bool after_apostrophe,
                                                bool has_han, uint32_t k1, uint32_t k2, uint32_t k3)
{
    const literal *lits = p->lits;
    for (uint32_t k = k1; k; k = lits[k - 1].next)
        if (may_start_here(&lits[k - 1], at_word_start, after_apostrophe, has_han) && add_hit(st, &lits[k - 1], i))
            return VOC_ENOMEM;
    if (!k2 && !k3) return VOC_OK;
    const char *lit_text = p->lit_text.data;
    uint64_t here = 0; /* the text's next eight bytes, to compare with literals' heads */
    bool whole8 = i + 8 <= len;
    if (whole8) memcpy(&here, text + i, 8);
    if (whole8 && !(k2 && k3)) { /* one chain (most places): its heads first, tightly */
        for (uint32_t k = k2 | k3; k;) {
            const literal *l = &lits[k - 1];
            k = l->next;
            if ((here & l->mask) != l->head) continue;
            if (!may_start_here(l, at_word_start, after_apostrophe, has_han) || l->len > len - i ||
                (l->len > 8 && memcmp(lit_text + l->off + 8, text + i + 8, l->len - 8)))
                continue;
            if (add_hit(st, l, i)) return VOC_ENOMEM;
        }
        return VOC_OK;
    }
    /* both chains are in literal order: walk them as one, so the starts of one place come
     * in the order of a single chain (the order the matches are reported in) */
    while (k2 || k3) {
        uint32_t k;
        if (k2 && (!k3 || k2 < k3)) k = k2, k2 = lits[k - 1].next;
        else k = k3, k3 = lits[k - 1].next;
        const literal *l = &lits[k - 1];
        if (whole8 && (here & l->mask) != l->head) continue; /* most, at once */
        if (!may_start_here(l, at_word_start, after_apostrophe, has_han) || l->len > len - i) continue;
        const char *lit = lit_text + l->off;
        bool found = whole8 ? l->len <= 8 || !memcmp(lit + 8, text + i + 8, l->len - 8)
                            : !memcmp(lit, text + i, l->len);
        if (found && add_hit(st, l, i)) return VOC_ENOMEM;
    }
    return VOC_OK;
}

/* A place the step table let through (`word`: the step state before it): its chains, when
 * some literal starts with its two bytes; most places have none. */
static inline VOC_ALWAYS_INLINE int try_at(const voc_patterns *p, voc_pattern_state *st, const char *text, size_t len,
                         size_t i, unsigned word, bool has_han)
{
    const unsigned char *t = (const unsigned char *)text;
    uint32_t k1 = p->head1[t[i]], k2 = 0, k3 = 0;
    if (i + 1 < len) {
        unsigned key = (unsigned)t[i] << 8 | t[i + 1];
        if (!(p->pair[key >> 6] >> (key & 63) & 1)) return VOC_OK;
        if (p->key2[key >> 6] >> (key & 63) & 1) k2 = p->head2[key];
        if (i + 2 < len) {
            uint32_t k3key = key3_of(t + i);
            if (p->key3[k3key >> 6] >> (k3key & 63) & 1) {
                k3 = p->head3[k3key];
                if (!(p->short3[k3key >> 6] >> (k3key & 63) & 1)) { /* only longer literals */
                    uint32_t k4 = i + 3 < len ? key4_of(t + i) : 0;
                    if (i + 3 >= len || !(p->key4[k4 >> 6] >> (k4 & 63) & 1)) k3 = 0;
                }
            }
        }
    }
    if (!(k1 | k2 | k3)) return VOC_OK;
    return literals_at(p, st, text, len, i, !word, word == STEP_APOSTROPHE, has_han, k1, k2, k3);
}

/* The byte loop over text[from, len): one step per byte (see voc_patterns.step). */
static int prefilter_bytes(const voc_patterns *p, voc_pattern_state *st, const char *text,
                           size_t len, size_t from, bool has_han)
{
    const unsigned char *t = (const unsigned char *)text;
    const uint16_t *step = p->step[has_han];
    /* STEP_WORD after a-z 0-9, STEP_APOSTROPHE after ': the text starts at a word start */
    unsigned word = from ? step[t[from - 1]] & (STEP_WORD | STEP_APOSTROPHE) : 0;
    for (size_t i = from; i < len; i++) {
        /* inside a word only literals that may start anywhere can (most positions); inside
         * a UTF-8 character none (two of three bytes of Chinese text); and most bytes start
         * no literal at all, nor do most pairs of bytes */
        unsigned c = step[word + t[i]], before = word;
        word = c & (STEP_WORD | STEP_APOSTROPHE);
        if (!(c & STEP_TRY)) continue;
        int rc = try_at(p, st, text, len, i, before, has_han);
        if (rc) return rc;
    }
    return VOC_OK;
}

/* Which bytes the vectorized pass must stop at, from the step tables: the step of a byte
 * depends on the byte before only through its class (a-z 0-9: STEP_WORD; ': STEP_APOSTROPHE;
 * any other: 0), so when no byte outside a-z 0-9 and the UTF-8 lead bytes is ever tried, the
 * places to look at are the a-z 0-9 bytes after another class (word starts, and the bytes
 * after a '), the a-z 0-9 bytes inside words only if some of them are tried there
 * (SKIP_IN_WORD: literals without \b, as Chinese patterns have), and the lead bytes only if
 * some are tried (SKIP_LEAD).  Each place found is stepped as the byte loop would. */
static void scan_skips(voc_patterns *p)
{
    for (int h = 0; h < 2; h++) {
        unsigned skips = SKIP_USABLE;
        for (unsigned c = 0; c < 256; c++) {
            bool ld = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            unsigned want = ld ? STEP_WORD : c == '\'' ? STEP_APOSTROPHE : 0;
            for (unsigned prev = 0; prev <= STEP_APOSTROPHE; prev += STEP_WORD) {
                uint16_t e = p->step[h][prev + c];
                if ((e & (STEP_WORD | STEP_APOSTROPHE)) != want) skips = 0; /* not the classes above */
                if (!(e & STEP_TRY)) continue;
                if (ld && prev == STEP_WORD) skips |= SKIP_IN_WORD;
                else if (c >= 0xC0) skips |= SKIP_LEAD;
                else if (!ld) skips = 0;
            }
            if (!(skips & SKIP_USABLE)) break;
        }
        p->skips[h] = (uint8_t)(skips & SKIP_USABLE ? skips : 0);
    }
    for (size_t i = 0; i < p->n_lits; i++) {
        const literal *l = &p->lits[i];
        const unsigned char *t = (const unsigned char *)p->lit_text.data + l->off;
        if (l->len == 3) {
            uint32_t k3 = key3_of(t);
            p->short3[k3 >> 6] |= 1ull << (k3 & 63);
        } else if (l->len > 3) {
            uint32_t k4 = key4_of(t);
            p->key4[k4 >> 6] |= 1ull << (k4 & 63);
        }
    }
}

static int prefilter(const voc_patterns *p, voc_pattern_state *st, const char *text, size_t len,
                     bool has_han)
{
    st->n_starts = 0;
    size_t i = 0;
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
    unsigned skips = p->skips[has_han];
    if (skips) {
        /* sixteen bytes at a time: the classes of the bytes (a-z 0-9, lead bytes) as bit
         * masks, and from them the places to step (see scan_skips) */
        const unsigned char *t = (const unsigned char *)text;
        const uint16_t *step = p->step[has_han];
        const __m128i lo_bias = _mm_set1_epi8((char)(0x80 - 'a')), lo_lim = _mm_set1_epi8(-128 + 26);
        const __m128i d_bias = _mm_set1_epi8((char)(0x80 - '0')), d_lim = _mm_set1_epi8(-128 + 10);
        const __m128i h_bias = _mm_set1_epi8((char)(0x80 - 0xC0)), h_lim = _mm_set1_epi8(-128 + 64);
        unsigned carry = 0; /* the byte before the block is a-z 0-9 */
        for (; i + 16 <= len; i += 16) {
            __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
            __m128i ldv = _mm_or_si128(_mm_cmplt_epi8(_mm_add_epi8(b, lo_bias), lo_lim),
                                       _mm_cmplt_epi8(_mm_add_epi8(b, d_bias), d_lim));
            unsigned ld = (unsigned)_mm_movemask_epi8(ldv);
            unsigned look = skips & SKIP_IN_WORD ? ld : ld & ~(ld << 1 | carry);
            carry = ld >> 15;
            if (skips & SKIP_LEAD)
                look |= (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(_mm_add_epi8(b, h_bias), h_lim));
            look &= 0xFFFF;
            while (look) {
                size_t at = i + (size_t)__builtin_ctz(look);
                look &= look - 1;
                unsigned word = at ? step[t[at - 1]] & (STEP_WORD | STEP_APOSTROPHE) : 0;
                if (!(step[word + t[at]] & STEP_TRY)) continue;
                int rc = try_at(p, st, text, len, at, word, has_han);
                if (rc) return rc;
            }
        }
    }
#endif
    return prefilter_bytes(p, st, text, len, i, has_han);
}

#define FLAGS (PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS)

/* ---- building and matching ---------------------------------------------------------------- */

void voc__patterns_fingerprint(uint64_t *key)
{
    char version[64] = "";
    pcre2_config(PCRE2_CONFIG_VERSION, version);
    uint64_t parts[2] = {*key, voc__hash(version, strlen(version))};
    *key = voc__hash(parts, sizeof parts);
}

uint64_t voc__patterns_rows_hash(const voc_lexrows *rows)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL;
    for (size_t i = 0; i < rows->n; i++) {
        const voc_lexrow *r = &rows->rows[i];
        if (r->file_kind != VOC_FILE_TOPIC_PATTERNS) continue;
        uint64_t parts[5] = {h, voc__hash(r->term, strlen(r->term)), voc__hash(r->text1, strlen(r->text1)),
                             voc__hash(r->text2, strlen(r->text2)), 0};
        memcpy(&parts[4], &r->a, sizeof r->a < sizeof parts[4] ? sizeof r->a : sizeof parts[4]);
        h = voc__hash(parts, sizeof parts);
    }
    return h;
}

static pcre2_code *compile(const pattern *pt, int *code, PCRE2_SIZE *offset)
{
    return pcre2_compile((PCRE2_SPTR)pt->source, PCRE2_ZERO_TERMINATED,
                         FLAGS | (pt->always ? 0 : PCRE2_ANCHORED), code, offset, NULL);
}

/* Pattern `index`'s start and required literals, read off its source s[0..len) (see
 * "the literal prefilter" and "required literals"); false when out of memory. */
static bool read_literals(voc_patterns *p, uint32_t index, const char *s, size_t len)
{
    pattern *pt = &p->list[index];
    size_t lits_before = p->n_lits, text_before = p->lit_text.len;
    pt->always = !first_literals(p, index, s, len, false);
    if (pt->always) { /* drop what a failed extraction left */
        p->n_lits = lits_before;
        p->lit_text.len = text_before;
    }
    /* where the element that gave the start literals is */
    size_t first = pt->always ? SIZE_MAX : first_element(s, 0, len);
    return required_literals(p, index, s, len, first);
}

/* ---- the literals in the cache file ----------------------------------------------------
 *
 * Reading the literals off the sources (read_literals) costs 2.8 M instructions at every
 * start (matching the patterns against 3,000 tweets costs 23 M).  What it finds depends on
 * the pattern text only (the analyzer's patterns_hash says whether it is the same) and on
 * the code above (a change to what it finds must bump cache.c's CACHE_MAGIC), so the
 * compiled-lexicon cache keeps it (voc_pattern_literals): the literals' bytes, each start
 * literal (offset, length, pattern, LIT_* bits), each required literal (offset, length) and
 * each pattern's required range and PAT_* bits.  index_literals derives the rest at every
 * start.  The file is untrusted: every offset, length and index is checked as it is read. */
enum { LIT_WORD_START = 1, LIT_APOSTROPHE = 2 };
enum { PAT_ALWAYS = 1, PAT_REQ_INDEXED = 2, PAT_REQ_APOSTROPHE = 4, PAT_REQ_PAST_START = 8 };

/* Is text[off, off + len) a non-empty piece of a text of text_len bytes? */
static bool piece_valid(uint32_t off, uint32_t len, size_t text_len)
{
    return len > 0 && off <= text_len && len <= text_len - off;
}

void voc__patterns_put_literals(const voc_patterns *p, voc_cache_writer *w)
{
    size_t n = p ? p->n : 0, n_starts = p ? p->n_start_lits : 0, n_req = p ? p->n_req : 0;
    uint32_t *starts = malloc(sizeof *starts * 4 * (n_starts + 1));
    uint32_t *req = malloc(sizeof *req * 2 * (n_req + 1)), *pats = malloc(sizeof *pats * 3 * (n + 1));
    bool ok = starts && req && pats;
    for (size_t i = 0; ok && i < n_starts; i++) {
        const literal *l = &p->lits[i];
        uint32_t *out = starts + 4 * i;
        out[0] = l->off;
        out[1] = l->len;
        out[2] = l->pattern;
        out[3] = (l->word_start ? LIT_WORD_START : 0) | (l->apostrophe ? LIT_APOSTROPHE : 0);
    }
    for (size_t i = 0; ok && i < n_req; i++) {
        req[2 * i] = p->req[i].off;
        req[2 * i + 1] = p->req[i].len;
    }
    for (size_t i = 0; ok && i < n; i++) {
        const pattern *pt = &p->list[i];
        uint32_t *out = pats + 3 * i;
        out[0] = pt->req_first;
        out[1] = pt->req_end;
        out[2] = (pt->always ? PAT_ALWAYS : 0) | (pt->req_indexed ? PAT_REQ_INDEXED : 0) |
                 (pt->req_apostrophe ? PAT_REQ_APOSTROPHE : 0) | (pt->req_past_start ? PAT_REQ_PAST_START : 0);
    }
    if (!ok) voc__cache_put_failed(w);
    voc__cache_put(w, p ? p->lit_text.data : NULL, ok && p ? p->lit_text.len : 0);
    voc__cache_put(w, starts, ok ? sizeof *starts * 4 * n_starts : 0);
    voc__cache_put(w, req, ok ? sizeof *req * 2 * n_req : 0);
    voc__cache_put(w, pats, ok ? sizeof *pats * 3 * n : 0);
    free(starts);
    free(req);
    free(pats);
}

int voc__patterns_take_literals(voc_pattern_literals *out, voc_cache_reader *r)
{
    voc_pattern_literals c = {0};
    c.text = voc__cache_take_view(r, 1, &c.text_len);
    c.starts = voc__cache_take_view(r, sizeof(uint32_t[4]), &c.n_starts);
    c.req = voc__cache_take_view(r, sizeof(uint32_t[2]), &c.n_req);
    c.pats = voc__cache_take_view(r, sizeof(uint32_t[3]), &c.n_pats);
    bool ok = !voc__cache_failed(r) && c.text_len < UINT32_MAX && c.n_req < UINT32_MAX &&
              c.n_pats < UINT32_MAX;
    for (size_t i = 0; ok && i < c.n_starts; i++) {
        const uint32_t *l = c.starts + 4 * i;
        ok = piece_valid(l[0], l[1], c.text_len) && l[2] < c.n_pats && l[3] <= (LIT_WORD_START | LIT_APOSTROPHE);
    }
    for (size_t i = 0; ok && i < c.n_req; i++) ok = piece_valid(c.req[2 * i], c.req[2 * i + 1], c.text_len);
    for (size_t i = 0; ok && i < c.n_pats; i++) {
        const uint32_t *pt = c.pats + 3 * i;
        ok = pt[0] <= pt[1] && pt[1] <= c.n_req && pt[2] <= (PAT_ALWAYS | PAT_REQ_INDEXED | PAT_REQ_APOSTROPHE | PAT_REQ_PAST_START);
    }
    if (!ok) {
        voc__cache_fail(r);
        *out = (voc_pattern_literals){0};
        return VOC_ELEXICON;
    }
    *out = c;
    return VOC_OK;
}

/* p's literals as the cache file had them (checked when read): false without memory. */
static bool literals_from_cache(voc_patterns *p, const voc_pattern_literals *c)
{
    if (voc__grow((void **)&p->lits, &p->cap_lits, c->n_starts + 1, sizeof *p->lits) ||
        voc__grow((void **)&p->req, &p->cap_req, c->n_req + 1, sizeof *p->req) ||
        voc__buf_append(&p->lit_text, c->text, c->text_len))
        return false;
    for (size_t i = 0; i < c->n_starts; i++) {
        const uint32_t *k = c->starts + 4 * i;
        p->lits[i] = (literal){.off = k[0], .len = k[1], .pattern = k[2],
                               .word_start = k[3] & LIT_WORD_START, .apostrophe = k[3] & LIT_APOSTROPHE};
    }
    for (size_t i = 0; i < c->n_req; i++)
        p->req[i] = (literal){.off = c->req[2 * i], .len = c->req[2 * i + 1]};
    p->n_lits = c->n_starts;
    p->n_req = c->n_req;
    return true;
}

bool voc__patterns_same_literals(const voc_patterns *a, const voc_patterns *b)
{
    if (a->n != b->n || a->n_lits != b->n_lits || a->n_start_lits != b->n_start_lits ||
        a->n_req != b->n_req || a->lit_text.len != b->lit_text.len ||
        (a->lit_text.len && memcmp(a->lit_text.data, b->lit_text.data, a->lit_text.len)))
        return false;
    for (size_t i = 0; i < a->n_lits; i++) { /* index_literals made the rest: head, mask, next */
        const literal *x = &a->lits[i], *y = &b->lits[i];
        if (x->off != y->off || x->len != y->len || x->pattern != y->pattern || x->word_start != y->word_start ||
            x->apostrophe != y->apostrophe || x->required != y->required || x->next != y->next)
            return false;
    }
    for (size_t i = 0; i < a->n_req; i++)
        if (a->req[i].off != b->req[i].off || a->req[i].len != b->req[i].len) return false;
    for (size_t i = 0; i < a->n; i++) {
        const pattern *x = &a->list[i], *y = &b->list[i];
        if (x->always != y->always || x->req_first != y->req_first || x->req_end != y->req_end ||
            x->req_indexed != y->req_indexed || x->req_apostrophe != y->req_apostrophe ||
            x->req_past_start != y->req_past_start)
            return false;
    }
    return true;
}

int voc__patterns_build(voc_patterns **out, const voc_taxonomy *tx, const voc_lexrows *rows,
                        const voc_pattern_literals *known, voc_error *err)
{
    *out = NULL;
    voc_patterns *p = calloc(1, sizeof *p);
    if (!p) return voc__fail(err, VOC_ENOMEM, "patterns", 0, 0, "out of memory");
    size_t n = 0, names_len = 0, sources_len = 0;
    for (size_t i = 0; i < rows->n; i++)
        if (rows->rows[i].file_kind == VOC_FILE_TOPIC_PATTERNS) {
            n++;
            names_len += strlen(rows->rows[i].term) + 1;
            sources_len += strlen(rows->rows[i].text2) + 1;
        }
    p->list = calloc(n ? n : 1, sizeof *p->list);
    p->lazy = calloc(n ? n : 1, sizeof *p->lazy);
    p->names = malloc(names_len + 1);
    p->sources = malloc(sources_len + 1);
    p->context = pcre2_match_context_create(NULL);
    if (!p->list || !p->lazy || !p->names || !p->sources || !p->context) {
        voc__patterns_free(p);
        return voc__fail(err, VOC_ENOMEM, "patterns", 0, 0, "out of memory");
    }
    pcre2_set_match_limit(p->context, MATCH_LIMIT);
    pcre2_set_depth_limit(p->context, DEPTH_LIMIT);
    if (known && known->n_pats != n) known = NULL; /* not these patterns' (never, in practice) */
    if (known && !literals_from_cache(p, known)) {
        voc__patterns_free(p);
        return voc__fail(err, VOC_ENOMEM, "patterns", 0, 0, "out of memory");
    }
    size_t used = 0, sources_used = 0;
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
        size_t src_len = strlen(r->text2);
        if (known) {
            const uint32_t *k = known->pats + 3 * p->n;
            pt->req_first = k[0];
            pt->req_end = k[1];
            pt->always = k[2] & PAT_ALWAYS;
            pt->req_indexed = k[2] & PAT_REQ_INDEXED;
            pt->req_apostrophe = k[2] & PAT_REQ_APOSTROPHE;
            pt->req_past_start = k[2] & PAT_REQ_PAST_START;
        } else if (!read_literals(p, (uint32_t)p->n, r->text2, src_len)) {
            voc__patterns_free(p);
            return voc__fail(err, VOC_ENOMEM, "patterns", 0, 0, "out of memory");
        }
        memcpy(p->sources + sources_used, r->text2, src_len + 1);
        pt->source = p->sources + sources_used;
        sources_used += src_len + 1;
        /* compiled now (which reports a bad pattern) unless an earlier run compiled these
         * very files: then on first use (a short run needs a handful of the patterns) */
        if (!known) {
            int code;
            PCRE2_SIZE offset;
            if (!(pt->code = compile(pt, &code, &offset))) {
                PCRE2_UCHAR msg[256];
                pcre2_get_error_message(code, msg, sizeof msg);
                voc__patterns_free(p);
                return voc__fail(err, VOC_ELEXICON, rows->files[r->file], r->line, offset,
                                 "pattern '%s': %s at offset %zu", r->term, (const char *)msg,
                                 (size_t)offset);
            }
        }
        pt->weight = r->a;
        for (const unsigned char *c = (const unsigned char *)r->text2; *c && !pt->han; c++)
            pt->han = *c >= 0xE3; /* lead bytes of U+3000 and up: CJK */
        size_t len = strlen(r->term);
        memcpy(p->names + used, r->term, len + 1);
        pt->name = p->names + used;
        used += len + 1;
        p->n++;
    }
    for (size_t i = 0; i < p->n; i++) /* derived, not in the cache file */
        for (uint32_t k = p->list[i].req_first; k < p->list[i].req_end; k++)
            if (p->req[k].len < 3) p->list[i].req_untested = true;
    /* the required literals the prefilter finds: after every start literal, so the chains
     * keep the start literals in the order they had */
    p->n_start_lits = p->n_lits;
    for (size_t i = 0; i < p->n; i++) {
        if (!p->list[i].req_indexed) continue;
        for (uint32_t k = p->list[i].req_first; k < p->list[i].req_end; k++) {
            if (voc__grow((void **)&p->lits, &p->cap_lits, p->n_lits + 1, sizeof *p->lits)) {
                voc__patterns_free(p);
                return voc__fail(err, VOC_ENOMEM, "patterns", 0, 0, "out of memory");
            }
            literal *l = &p->lits[p->n_lits++];
            *l = p->req[k];
            l->pattern = (uint32_t)i;
            l->word_start = true;
            l->required = true;
            l->apostrophe = p->list[i].req_apostrophe;
        }
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
    free(st->seen);
    free(st->tri_last);
    free(st);
}

/* Pattern i's compiled code: made at build, or by the first session that needs it (several
 * may compile it at once; one copy is published with a compare-and-swap, the others freed).
 * NULL only without memory (the build checked that each pattern compiles). */
static pcre2_code *code_of(const voc_patterns *p, size_t i)
{
    if (p->list[i].code) return p->list[i].code;
    lazy_jit *lz = &p->lazy[i];
    pcre2_code *c = atomic_load_explicit(&lz->code, memory_order_acquire);
    if (c) return c;
    int code;
    PCRE2_SIZE offset;
    pcre2_code *made = compile(&p->list[i], &code, &offset), *none = NULL;
    if (!made) return NULL;
    if (atomic_compare_exchange_strong_explicit(&lz->code, &none, made, memory_order_release,
                                                memory_order_acquire))
        return made;
    pcre2_code_free(made);
    return none; /* the copy another thread published first */
}

/* Match pattern i at `at`: through its JIT copy when there is one; its JIT_AFTER-th use
 * makes it (best effort: no JIT on this machine, or a race lost, leaves the interpreter). */
static int match_at(const voc_patterns *p, size_t i, const char *text, size_t len, size_t at,
                    pcre2_match_data *md)
{
    lazy_jit *lz = &p->lazy[i];
    pcre2_code *jit = atomic_load_explicit(&lz->jit, memory_order_acquire);
    if (jit) return pcre2_jit_match(jit, (PCRE2_SPTR)text, len, at, 0, md, p->context);
    pcre2_code *code = code_of(p, i);
    if (!code) return PCRE2_ERROR_NOMEMORY;
    if (atomic_fetch_add_explicit(&lz->uses, 1, memory_order_relaxed) + 1 == JIT_AFTER) {
        pcre2_code *copy = pcre2_code_copy(code);
        if (copy && pcre2_jit_compile(copy, PCRE2_JIT_COMPLETE) == 0) {
            pcre2_code *none = NULL;
            if (atomic_compare_exchange_strong_explicit(&lz->jit, &none, copy, memory_order_release,
                                                        memory_order_relaxed))
                return pcre2_jit_match(copy, (PCRE2_SPTR)text, len, at, 0, md, p->context);
        }
        pcre2_code_free(copy);
    }
    /* the text is valid UTF-8 (normalize.c made it so): skip PCRE2's check */
    return pcre2_match(code, (PCRE2_SPTR)text, len, at, PCRE2_NO_UTF_CHECK, md, p->context);
}

static int scan(const voc_patterns *p, voc_pattern_state *st, const char *text, size_t len,
                bool has_han, int (*fn)(void *user, uint64_t mask, float weight, size_t start,
                                        size_t end, const char *name),
                void *user);

int voc__patterns_scan(const voc_patterns *p, voc_pattern_state *st, const char *text,
                       size_t len, bool has_han, int (*fn)(void *user, uint64_t mask, float weight,
                                             size_t start, size_t end, const char *name),
                       void *user)
{
    if (!p || !p->n) return VOC_OK;
    if (st->n_seen < p->n) {
        free(st->seen);
        st->n_seen = 0;
        if (!(st->seen = calloc(p->n, sizeof *st->seen))) return VOC_ENOMEM;
        st->n_seen = p->n;
        st->text = 0;
    }
    if (!st->tri_last) {
        if (!(st->tri_last = calloc((size_t)1 << TRIPLE_BITS, sizeof *st->tri_last))) return VOC_ENOMEM;
        st->base = 1;
    }
    if (++st->text == 0) { /* the stamps wrap: clear them */
        memset(st->seen, 0, sizeof *st->seen * st->n_seen);
        st->text = 1;
    }
    st->triples_filled = false;
    int rc = prefilter(p, st, text, len, has_han);
    if (rc) return rc;
    /* patterns with literals: anchored matches where a literal starts, left to right,
     * never inside the pattern's previous match (what a scan of the text would find) */
    return scan(p, st, text, len, has_han, fn, user);
}

/* voc__patterns_scan after the prefilter. */
static int scan(const voc_patterns *p, voc_pattern_state *st, const char *text, size_t len,
                bool has_han, int (*fn)(void *user, uint64_t mask, float weight, size_t start,
                                        size_t end, const char *name),
                void *user)
{
    int rc;
    for (size_t k = 0; k < st->n_starts; k++) {
        const start *sp = &st->starts[k];
        const pattern *pt = &p->list[sp->pattern];
        pattern_seen *ps = seen_of(st, sp->pattern);
        if (sp->pos < ps->skip_to) continue;
        if (!required_after(p, st, sp->pattern, ps, text, len, sp->pos)) {
            /* it cannot match here, nor at its later starts */
            ps->skip_to = SIZE_MAX;
            continue;
        }
        /* compiled anchored: no start-of-match search */
        int m = match_at(p, sp->pattern, text, len, sp->pos, st->md);
        if (m == PCRE2_ERROR_MATCHLIMIT || m == PCRE2_ERROR_DEPTHLIMIT || m == PCRE2_ERROR_HEAPLIMIT ||
            m == PCRE2_ERROR_NOMEMORY)
            ps->skip_to = SIZE_MAX; /* backtracks badly here (or no memory): give it up */
        if (m < 0) continue;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(st->md);
        if (ov[1] <= ov[0]) continue;
        ps->skip_to = ov[1];
        if ((rc = fn(user, pt->mask, pt->weight, ov[0], ov[1], pt->name))) return rc;
    }
    /* patterns without: scan the text */
    for (size_t a = 0; a < p->n_always; a++) {
        const pattern *pt = &p->list[p->always[a]];
        if ((pt->han && !has_han) ||
            !required_after(p, st, p->always[a], seen_of(st, p->always[a]), text, len, 0))
            continue;
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
