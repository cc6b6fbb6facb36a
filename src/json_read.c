/* json_read.c — the JSON reader: one line of JSON Lines (or one stored record) → a flat tree.
 *
 * Every input line is a JSON object, so reading JSON sits on the hot path of every run.  A
 * general library builds one heap object per value, a hash table per object and frees them
 * all again — about a fifth of the whole analysis of a tweet.  This reader makes one copy of
 * the line, unescapes each string in place inside that copy (an unescaped string is never
 * longer than its escaped form, so it fits where it was, NUL-terminated where its closing
 * quote stood), and records the values in one growing array of nodes: a container's members
 * follow it, each with the index of its next sibling.  Looking a field up walks an object's
 * few members; the last of two equal names wins, as in most readers.
 *
 * What it accepts is RFC 8259 plus what the reader the CLI had before (json-c) accepted and
 * exporters write: a trailing comma before '}' or ']', raw control characters and invalid
 * UTF-8 inside strings (kept as they are: the analyzer repairs the text with a warning, the
 * JSON writer repairs other fields), single-quoted strings, true/false/null in any case,
 * NaN and ±Infinity (Python's json.dumps writes them), leading zeros and a bare trailing
 * point in numbers (01, 1.), and block and line comments (slash-star, slash-slash).  \u escapes become UTF-8, a lone
 * surrogate U+FFFD; \u0000 stays a NUL inside the string (lengths are kept).  Numbers keep
 * their text, so an id like 12345678901234567890 comes out digit for digit, and are read in
 * the C locale whatever the host program set.  Containers nest at most VOC_JSON_MAX_DEPTH
 * deep and a line holds at most VOC_JSON_MAX_NODES values (24 MB of nodes: a 64 MiB line of
 * "[0,0,0,…" would otherwise take 800 MB).  Errors say what was expected and at which byte.
 *
 * A JSONL line is read for a few of its members (voc__json_parse_only): the names are
 * prepared once per reader, each member name is matched against them as it is read (a plain
 * member's ',', name and ':' in one step, plain_member_head), and the values nobody asked
 * for are checked exactly as stored ones are — same errors, same bytes, counted toward the
 * bound — but neither unescaped nor given nodes (plain JSON in a single loop,
 * skip_value_flat; the rest through the general steps).  The copy is padded with
 * backslashes so string scans read whole blocks without bounds checks. */
#define _GNU_SOURCE 1 /* strtod_l; 1, the value -D_GNU_SOURCE gives: no redefinition warning where it is passed */
#include "internal.h"

#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* What a selective parse (voc__json_parse_only) keeps: the prepared names, and where each
 * one's member is. */
typedef struct wanted {
    const voc_json_names *names;
    uint32_t *slot;
} wanted;

typedef struct parser {
    voc_json *j;
    char *s;          /* the copy being parsed and unescaped */
    size_t len, at;
    const char *why;  /* set on a syntax error, with `at` the offending byte */
    size_t values;    /* values seen, stored or skipped: the limit counts them all */
    int depth;
    bool nomem;
    bool numbers;     /* a number was stored: parse NUL-terminates them at the end */
} parser;

static void skip_comments(parser *p);

static inline void skip_space(parser *p)
{
    /* the usual cases: no space, or the one space of ", " and ": " (the copy is NUL-ended, so
     * s[at + 1] can be read) */
    if (p->at < p->len) {
        unsigned char c = (unsigned char)p->s[p->at];
        if (c > ' ' && c != '/') return;
        if (c == ' ' && (unsigned char)p->s[p->at + 1] > ' ' && p->s[p->at + 1] != '/') {
            p->at++;
            return;
        }
    }
    skip_comments(p);
}

/* Spaces, and comments as json-c took them: block ones (slash-star to star-slash) and line
 * ones (slash-slash to the end of the line). */
static void skip_comments(parser *p)
{
    while (p->at < p->len) {
        char c = p->s[p->at];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            p->at++;
        } else if (c == '/' && p->at + 1 < p->len && p->s[p->at + 1] == '*') {
            const char *e = p->at + 2 < p->len ? memmem(p->s + p->at + 2, p->len - p->at - 2, "*/", 2) : NULL;
            p->at = e ? (size_t)(e - p->s) + 2 : p->len;
        } else if (c == '/' && p->at + 1 < p->len && p->s[p->at + 1] == '/') {
            const char *e = memchr(p->s + p->at, '\n', p->len - p->at);
            p->at = e ? (size_t)(e - p->s) + 1 : p->len;
        } else {
            break;
        }
    }
}

static bool fail(parser *p, const char *why)
{
    if (!p->why) p->why = why;
    return false;
}

static bool at_end(parser *p) { return p->at >= p->len ? fail(p, "unexpected end of line") : false; }

/* One more value, stored or skipped: false past the bound (a bound on memory and time,
 * whatever the line holds; a selective parse counts what it skips, so it refuses the same
 * lines at the same byte). */
static inline bool count_value(parser *p)
{
    if (p->values == VOC_JSON_MAX_NODES) return fail(p, "more than 1,048,576 values in one line");
    p->values++;
    return true;
}

static inline size_t new_node(parser *p, int type)
{
    voc_json *j = p->j;
    if (j->count == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 32;
        voc_json_node *n = j->node_inline ? malloc(cap * sizeof *n) : realloc(j->node, cap * sizeof *n);
        if (!n) {
            p->nomem = true;
            return SIZE_MAX;
        }
        if (j->node_inline) memcpy(n, j->node, j->count * sizeof *n); /* out of text's block */
        j->node_inline = false;
        j->node = n;
        j->cap = cap;
    }
    j->node[j->count] = (voc_json_node){.type = (unsigned char)type};
    return j->count++;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Four hex digits at s[at], or -1. */
static long hex4(const char *s, size_t len, size_t at)
{
    if (at + 4 > len) return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(s[at + i]);
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

/* The copy of the line is followed by its NUL and PAD backslashes, so a scan may read a
 * block (sixteen bytes with SSE2, else eight) at any position up to the end without a bounds
 * check: a backslash stops it. */
#define PAD 16

/* Nodes allocated with the copy of the line: more than a selective parse of a usual line
 * needs, so it costs no second allocation. */
#define INLINE_NODES 24

/* The end of the run of bytes from i (≤ len) on that are neither `quote` nor '\\', a block
 * at a time; len when the line ends first. */
static inline size_t plain_run(const char *s, size_t i, size_t len, char quote)
{
#if defined(__SSE2__) && defined(__GNUC__)
    const __m128i qs = _mm_set1_epi8(quote), bs = _mm_set1_epi8('\\');
    for (;;) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, qs), _mm_cmpeq_epi8(v, bs)));
        if (m) {
            i += (size_t)__builtin_ctz(m);
            return i < len ? i : len;
        }
        i += 16;
    }
#else
    for (;;) {
        uint64_t w = voc__load8((const unsigned char *)s + i);
        /* false positives only above a true one, so the lowest bit set is the first quote or
         * backslash */
        uint64_t m = voc__has_byte(w, (unsigned char)quote) | voc__has_byte(w, '\\');
        if (m) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            i += (size_t)__builtin_ctzll(m) >> 3;
#else
            while (s[i] != quote && s[i] != '\\') i++;
#endif
            return i < len ? i : len;
        }
        i += 8;
    }
#endif
}

/* The escape whose backslash is at r (a string's byte, r < p->len): how many bytes it spans
 * (2, or 6 for \uXXXX) and in *cp the code point it stands for; 0 after fail() when it is cut
 * short or not an escape.  string_escaped and skip_string both read escapes through here, so
 * a string gives the same error at the same byte whether it is kept or skipped. */
static size_t escape_at(parser *p, size_t r, long *cp)
{
    const char *s = p->s;
    if (r + 1 >= p->len) {
        p->at = p->len;
        fail(p, "unexpected end of line");
        return 0;
    }
    char e = s[r + 1];
    static const char short_in[] = "\"\\/bfnrt'", short_out[] = "\"\\/\b\f\n\r\t'";
    const char *k = e ? strchr(short_in, e) : NULL;
    if (k) {
        *cp = (unsigned char)short_out[k - short_in];
        return 2;
    }
    p->at = r;
    if (e != 'u') {
        fail(p, "invalid escape in a string");
        return 0;
    }
    if ((*cp = hex4(s, p->len, r + 2)) < 0) {
        fail(p, r + 6 > p->len ? "unexpected end of line" : "invalid \\u escape in a string");
        return 0;
    }
    return 6;
}

/* The rest of a string whose opening quote is at p->at and which has an escape (or ends
 * early) at r, unescaped in place: *off and *n say where its bytes now are.  An escape writes
 * at most as many bytes as it reads (\uXXXX: 6 in, ≤ 3 out; a surrogate pair: 12 in, 4 out),
 * so the write position never passes the read one. */
static bool string_escaped(parser *p, size_t r, uint32_t *off, uint32_t *n)
{
    char *s = p->s, quote = s[p->at]; /* '"', or '\'' as json-c also took */
    size_t start = p->at + 1, w = r;
    for (;;) {
        if (r >= p->len) {
            p->at = p->len;
            return fail(p, "unexpected end of line");
        }
        if (s[r] == quote) break;
        long cp; /* a backslash */
        size_t span = escape_at(p, r, &cp);
        if (!span) return false;
        r += span;
        if (span == 6 && cp >= 0xD800 && cp <= 0xDBFF && r + 1 < p->len && s[r] == '\\' && s[r + 1] == 'u') {
            long lo = hex4(s, p->len, r + 2);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                r += 6;
            }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD; /* a lone surrogate */
        w += (size_t)voc__utf8_encode((uint32_t)cp, s + w);
        /* then a run of plain bytes, moved back over what the escapes saved */
        size_t run = plain_run(s, r, p->len, quote);
        memmove(s + w, s + r, run - r);
        w += run - r;
        r = run;
    }
    s[w] = '\0'; /* w ≤ r: at worst over the closing quote, already read */
    *off = (uint32_t)start;
    *n = (uint32_t)(w - start);
    p->at = r + 1;
    return true;
}

/* The string whose opening quote is at p->at, unescaped in place: *off and *n say where its
 * bytes now are, NUL-terminated (over the closing quote when nothing was unescaped). */
static inline bool string_at(parser *p, uint32_t *off, uint32_t *n)
{
    char *s = p->s;
    size_t start = p->at + 1, r = plain_run(s, start, p->len, s[p->at]);
    if (r >= p->len || s[r] != s[p->at]) return string_escaped(p, r, off, n);
    s[r] = '\0'; /* the usual case: no escape */
    *off = (uint32_t)start;
    *n = (uint32_t)(r - start);
    p->at = r + 1;
    return true;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Does the text at p->at start with `word`, in any case?  (Unexpected end: *cut.) */
static bool word_at(const parser *p, size_t at, const char *word, size_t wl, bool *cut)
{
    size_t have = p->len - at < wl ? p->len - at : wl;
    *cut = have < wl;
    return voc__ascii_case_equal_n(p->s + at, word, have);
}

/* A number: JSON's, with leading zeros and a bare trailing point allowed (01, 1.), or NaN,
 * Infinity, -Infinity in any case.  Its text is kept (node val/len; node SIZE_MAX: skipped). */
static bool number_at(parser *p, size_t node)
{
    const char *s = p->s;
    size_t i = p->at, start = i;
    if (i < p->len && s[i] == '-') i++;
    if (i >= p->len) {
        p->at = i;
        return fail(p, "unexpected end of line");
    }
    bool cut;
    if (!is_digit(s[i])) {
        size_t wl = s[i] == 'n' || s[i] == 'N' ? 3 : 8;
        if ((wl == 3 && i > start) || !word_at(p, i, wl == 3 ? "nan" : "infinity", wl, &cut)) {
            p->at = i;
            return fail(p, wl == 3 && i == start ? "expected a value" : "invalid number");
        }
        if (cut) {
            p->at = p->len;
            return fail(p, "unexpected end of line");
        }
        i += wl;
    } else {
        while (i < p->len && is_digit(s[i])) i++;
        if (i < p->len && s[i] == '.') {
            i++;
            while (i < p->len && is_digit(s[i])) i++;
        }
        if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
            i++;
            if (i < p->len && (s[i] == '+' || s[i] == '-')) i++;
            if (i >= p->len || !is_digit(s[i])) {
                p->at = i;
                return fail(p, i >= p->len ? "unexpected end of line" : "invalid number");
            }
            while (i < p->len && is_digit(s[i])) i++;
        }
    }
    if (node != SIZE_MAX) {
        p->numbers = true;
        p->j->node[node].val = (uint32_t)start;
        p->j->node[node].len = (uint32_t)(i - start);
    }
    p->at = i;
    return true;
}

/* true, false or null, in any case. */
static bool literal_at(parser *p, const char *word, size_t wl)
{
    bool cut;
    if (!word_at(p, p->at, word, wl, &cut)) return fail(p, "expected a value");
    if (cut) {
        p->at = p->len;
        return fail(p, "unexpected end of line");
    }
    p->at += wl;
    return true;
}

/* The kind of value at p->at (a non-space byte), -1 when none can start there. */
static int value_type(const parser *p)
{
    static const unsigned char type_of[256] = { /* the type + 1 by first byte, 0: none */
        ['{'] = VOC_JSON_OBJECT + 1, ['['] = VOC_JSON_ARRAY + 1,
        ['"'] = VOC_JSON_STRING + 1, ['\''] = VOC_JSON_STRING + 1,
        ['t'] = VOC_JSON_TRUE + 1, ['T'] = VOC_JSON_TRUE + 1,
        ['f'] = VOC_JSON_FALSE + 1, ['F'] = VOC_JSON_FALSE + 1,
        ['n'] = VOC_JSON_NULL + 1, ['N'] = VOC_JSON_NULL + 1, /* or NaN */
        ['-'] = VOC_JSON_NUMBER + 1, ['i'] = VOC_JSON_NUMBER + 1, ['I'] = VOC_JSON_NUMBER + 1,
        ['0'] = VOC_JSON_NUMBER + 1, ['1'] = VOC_JSON_NUMBER + 1, ['2'] = VOC_JSON_NUMBER + 1,
        ['3'] = VOC_JSON_NUMBER + 1, ['4'] = VOC_JSON_NUMBER + 1, ['5'] = VOC_JSON_NUMBER + 1,
        ['6'] = VOC_JSON_NUMBER + 1, ['7'] = VOC_JSON_NUMBER + 1, ['8'] = VOC_JSON_NUMBER + 1,
        ['9'] = VOC_JSON_NUMBER + 1};
    int type = type_of[(unsigned char)p->s[p->at]] - 1;
    bool cut;
    if (type == VOC_JSON_NULL && word_at(p, p->at, "nan", 3, &cut)) type = VOC_JSON_NUMBER;
    return type;
}

/* A string nobody asked for, whose opening quote is at p->at: checked as string_at checks it
 * (the same errors at the same bytes) but neither unescaped nor stored.  A surrogate pair
 * needs no special case: each half is a valid \u escape on its own. */
static inline bool skip_string(parser *p)
{
    const char *s = p->s;
    char quote = s[p->at];
    size_t r = p->at + 1;
    for (;;) {
        r = plain_run(s, r, p->len, quote);
        if (r >= p->len) {
            p->at = p->len;
            return fail(p, "unexpected end of line");
        }
        if (s[r] == quote) break;
        long cp;
        size_t span = escape_at(p, r, &cp);
        if (!span) return false;
        r += span;
    }
    p->at = r + 1;
    return true;
}

static bool value_at(parser *p, uint32_t key, uint32_t key_len, size_t *out, const wanted *want);
static bool skip_value(parser *p);
static bool skip_value_flat(parser *p);
static bool plain_member_head(parser *p, bool first, uint32_t *key, uint32_t *key_len);

/* The index of the lowest bit set in x (x ≠ 0). */
static inline unsigned lowest_bit(uint32_t x)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctz(x);
#else
    unsigned k = 0;
    while (!(x & 1)) x >>= 1, k++;
    return k;
#endif
}

/* A name's first eight bytes as a word (zeros after its end); s is followed by at least
 * eight readable bytes. */
static inline uint64_t head_word(const char *s, size_t n)
{
    static const unsigned char keep[16] = {255, 255, 255, 255, 255, 255, 255, 255};
    uint64_t w, mask;
    memcpy(&w, s, 8);
    memcpy(&mask, keep + 8 - (n < 8 ? n : 8), 8);
    return w & mask;
}

/* Which of want's names the member name s (n bytes, in the padded copy, NUL-terminated) is:
 * one bit per name (a name may be asked for twice, say as the id and the text field).  The
 * names of its length and first byte are the candidates: in a tweet export "text", "time"
 * and "lang" share a length but not a first byte, so most members meet one candidate or
 * none. */
static uint32_t wanted_bits(const wanted *want, const char *s, uint32_t n)
{
    const voc_json_names *w = want->names;
    uint32_t cand = w->by_len[n < 32 ? n : 32] & w->by_first[(unsigned char)s[0]], bits = 0;
    if (!cand) return 0;
    uint64_t head = head_word(s, n);
    for (; cand; cand &= cand - 1) {
        unsigned k = lowest_bit(cand);
        if (w->len[k] == n && w->head[k] == head && (n <= 8 || !memcmp(w->name[k] + 8, s + 8, n - 8)))
            bits |= 1u << k;
    }
    return bits;
}

/* The members of an object or array whose opening bracket is at p->at, stored under `node`,
 * or only checked and skipped when node is SIZE_MAX.  With `want` (the root object of a
 * selective parse) only the members it names are stored; the others are skipped. */
static bool container_at(parser *p, size_t node, bool object, const wanted *want)
{
    if (++p->depth > VOC_JSON_MAX_DEPTH) return fail(p, "nesting too deep");
    char close = object ? '}' : ']';
    bool store = node != SIZE_MAX;
    p->at++;
    size_t prev = 0, seen = 0, members = 0;
    for (;;) {
        uint32_t key = UINT32_MAX, key_len = 0, bits = 0;
        /* the root's members in one go when plain (plain_member_head), else step by step */
        if (!(want && plain_member_head(p, seen == 0, &key, &key_len))) {
            skip_space(p);
            if (at_end(p)) return false;
            if (p->s[p->at] == close) break; /* also after a trailing comma: tolerated */
            if (seen) {
                if (p->s[p->at] != ',') return fail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
                p->at++;
                skip_space(p);
                if (at_end(p)) return false;
                if (p->s[p->at] == close) break;
            }
            if (object) {
                if (p->s[p->at] != '"' && p->s[p->at] != '\'') return fail(p, "expected '\"' to open a member name");
                if (!(store ? string_at(p, &key, &key_len) : skip_string(p))) return false;
                skip_space(p);
                if (at_end(p)) return false;
                if (p->s[p->at] != ':') return fail(p, "expected ':' after a member name");
                p->at++;
            }
        }
        seen++;
        bool keep = store;
        if (want) keep = (bits = wanted_bits(want, p->s + key, key_len)) != 0;
        if (!keep) {
            /* a member of the root nobody asked for: the fast walk, else (when it gives up)
             * the full one, which also says what is wrong */
            if (!(want && skip_value_flat(p)) && !skip_value(p)) return false;
            continue;
        }
        size_t child;
        skip_space(p);
        if (p->at < p->len && p->s[p->at] == '"') { /* the usual member, a string: value_at's steps */
            uint32_t off, n;
            if (!count_value(p) || (child = new_node(p, VOC_JSON_STRING)) == SIZE_MAX ||
                !string_at(p, &off, &n))
                return false;
            voc_json_node *v = &p->j->node[child];
            v->key = key;
            v->key_len = key_len;
            v->val = off;
            v->len = n;
        } else if (!value_at(p, key, key_len, &child, NULL)) {
            return false;
        }
        for (; bits; bits &= bits - 1) /* a later member of the same name wins */
            want->slot[lowest_bit(bits)] = (uint32_t)child;
        if (members++) p->j->node[prev].next = (uint32_t)child;
        prev = child;
    }
    p->at++;
    p->depth--;
    if (store) p->j->node[node].len = (uint32_t)members;
    return true;
}

/* A value nobody asked for: checked and counted as value_at would, not stored. */
static bool skip_value(parser *p)
{
    skip_space(p);
    if (at_end(p)) return false;
    int type = value_type(p);
    if (type < 0) return fail(p, "expected a value");
    if (!count_value(p)) return false;
    switch (type) {
    case VOC_JSON_OBJECT: return container_at(p, SIZE_MAX, true, NULL);
    case VOC_JSON_ARRAY: return container_at(p, SIZE_MAX, false, NULL);
    case VOC_JSON_STRING: return skip_string(p);
    case VOC_JSON_TRUE: return literal_at(p, "true", 4);
    case VOC_JSON_FALSE: return literal_at(p, "false", 5);
    case VOC_JSON_NULL: return literal_at(p, "null", 4);
    default: return number_at(p, SIZE_MAX);
    }
}

/* ---- skipping plain JSON fast ------------------------------------------------------------
 * A selective parse spends most of its time on members nobody asked for: SIGHAN's lines
 * carry an "aspects" array of small objects, longer than the text.  skip_value checks them
 * through the general steps (a call per value and per container, comments, every leniency,
 * the error messages).  skip_value_flat walks the plain JSON that exporters write — double-
 * quoted strings without escapes, numbers without exponents, true/false/null in lower case,
 * spaces and line breaks — in one loop over a local cursor, the open containers kept as
 * bits.  It counts values and depth as skip_value does, and accepts only what skip_value
 * accepts, ending at the same byte; at anything else (an escape, a comment, NaN, a single
 * quote, an error, a limit) it gives up without having changed the parser, and skip_value
 * reads the value from its start.  So errors come out exactly as before, and no value is
 * walked more than twice (skip_value never comes back here).  The copy's NUL and backslash
 * padding stop every scan at the end of the line. */

/* The first byte from i on that is not a space, tab or line break. */
static inline size_t plain_space(const char *s, size_t i)
{
    while (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t') i++;
    return i;
}

/* After a double-quoted string without escapes whose opening quote is at i; 0 if it is not
 * one. */
static inline size_t plain_string(const char *s, size_t len, size_t i)
{
    size_t r = plain_run(s, i + 1, len, '"');
    return r < len && s[r] == '"' ? r + 1 : 0;
}

/* After a member's name and its ':' (the name's opening quote at i); 0 if not plain. */
static inline size_t plain_name(const char *s, size_t len, size_t i)
{
    if (s[i] != '"' || !(i = plain_string(s, len, i))) return 0;
    i = plain_space(s, i);
    return i < len && s[i] == ':' ? i + 1 : 0;
}

/* The start of a member of the root object of a selective parse — its ',' (unless it is the
 * first), its name and its ':' — read in one go when they are plain: spaces, a double-quoted
 * name without escapes.  That is every member of the lines exporters write, and it spares
 * the general steps' checks of the parser's state byte by byte.  The name is NUL-terminated
 * as string_at leaves it (*key, *key_len), p->at moves to the value's first byte.  False,
 * with p unchanged, at anything else — the end of the object, a trailing comma, a comment,
 * a single quote or an escape, an error — and container_at reads the member from the same
 * byte step by step, so what it accepts and the errors it gives are unchanged. */
static bool plain_member_head(parser *p, bool first, uint32_t *key, uint32_t *key_len)
{
    char *s = p->s;
    size_t i = plain_space(s, p->at);
    if (!first) {
        if (s[i] != ',') return false; /* the padding's NUL stops it at the end of the line */
        i = plain_space(s, i + 1);
    }
    if (s[i] != '"') return false;
    size_t name = i + 1, after = plain_string(s, p->len, i);
    if (!after) return false;
    i = plain_space(s, after);
    if (s[i] != ':') return false;
    s[after - 1] = '\0'; /* over the closing quote */
    *key = (uint32_t)name;
    *key_len = (uint32_t)(after - 1 - name);
    p->at = plain_space(s, i + 1);
    return true;
}

static bool skip_value_flat(parser *p)
{
    const char *s = p->s;
    const size_t len = p->len;
    size_t i = p->at, values = p->values;
    int depth = p->depth;
    uint64_t objects = 0; /* bit 0: the innermost open container is an object */
    for (;;) {
        /* a value */
        i = plain_space(s, i);
        if (i >= len || values == VOC_JSON_MAX_NODES) return false;
        values++;
        char c = s[i];
        if (c == '"') {
            if (!(i = plain_string(s, len, i))) return false;
        } else if (c == '{' || c == '[') {
            if (++depth > VOC_JSON_MAX_DEPTH) return false;
            objects = objects << 1 | (c == '{');
            i = plain_space(s, i + 1);
            if (i >= len) return false;
            if (s[i] != (objects & 1 ? '}' : ']')) { /* its first member */
                if ((objects & 1) && !(i = plain_name(s, len, i))) return false;
                continue;
            }
            i++; /* empty */
            depth--;
            objects >>= 1;
        } else if (is_digit(c) || c == '-') { /* number_at's digits, point, digits */
            i += c == '-';
            if (!is_digit(s[i])) return false;
            while (is_digit(s[i])) i++;
            if (s[i] == '.')
                for (i++; is_digit(s[i]);) i++;
            if (s[i] == 'e' || s[i] == 'E') return false;
        } else if (c == 't' && len - i >= 4 && !memcmp(s + i, "true", 4)) {
            i += 4;
        } else if (c == 'f' && len - i >= 5 && !memcmp(s + i, "false", 5)) {
            i += 5;
        } else if (c == 'n' && len - i >= 4 && !memcmp(s + i, "null", 4)) {
            i += 4;
        } else {
            return false;
        }
        /* after a value: the next member, or the end of its container (and perhaps of the
         * ones around it) */
        for (;;) {
            if (depth == p->depth) {
                p->at = i;
                p->values = values;
                return true;
            }
            char close = objects & 1 ? '}' : ']';
            i = plain_space(s, i);
            if (i >= len) return false;
            if (s[i] == ',') {
                i = plain_space(s, i + 1);
                if (i >= len) return false;
                if (s[i] != close) break; /* a trailing comma is tolerated */
            } else if (s[i] != close) {
                return false;
            }
            i++;
            depth--;
            objects >>= 1;
        }
        if ((objects & 1) && !(i = plain_name(s, len, i))) return false;
    }
}

static bool value_at(parser *p, uint32_t key, uint32_t key_len, size_t *out, const wanted *want)
{
    skip_space(p);
    if (at_end(p)) return false;
    int type = value_type(p);
    if (type < 0) return fail(p, "expected a value");
    if (!count_value(p)) return false;
    size_t node = new_node(p, type);
    if (node == SIZE_MAX) return false;
    p->j->node[node].key = key;
    p->j->node[node].key_len = key_len;
    *out = node;
    switch (type) {
    case VOC_JSON_OBJECT: return container_at(p, node, true, want);
    case VOC_JSON_ARRAY: return container_at(p, node, false, NULL);
    case VOC_JSON_STRING: {
        uint32_t off, n;
        if (!string_at(p, &off, &n)) return false;
        p->j->node[node].val = off;
        p->j->node[node].len = n;
        return true;
    }
    case VOC_JSON_TRUE: return literal_at(p, "true", 4);
    case VOC_JSON_FALSE: return literal_at(p, "false", 5);
    case VOC_JSON_NULL: return literal_at(p, "null", 4);
    default: return number_at(p, node);
    }
}

void voc__json_free(voc_json *j)
{
    if (!j) return;
    free(j->text);
    if (!j->node_inline) free(j->node);
    memset(j, 0, sizeof *j);
}

static int parse(voc_json *j, const char *data, size_t len, wanted *want, size_t *where, const char **why)
{
    voc__json_free(j);
    *where = 0;
    *why = NULL;
    if (len >= UINT32_MAX || len > SIZE_MAX / 2) {
        *why = "line too long for the JSON reader";
        return VOC_EPARSE;
    }
    /* one allocation: the copy, its padding, and room for the first nodes (a selective
     * parse of a line needs a dozen or so) */
    size_t text_size = (len + 1 + PAD + 7) & ~(size_t)7;
    if (!(j->text = malloc(text_size + INLINE_NODES * sizeof(voc_json_node)))) return VOC_ENOMEM;
    j->node = (voc_json_node *)(void *)(j->text + text_size);
    j->cap = INLINE_NODES;
    j->node_inline = true;
    if (len) memcpy(j->text, data, len);
    j->text[len] = '\0';
    memset(j->text + len + 1, '\\', PAD);
    parser p = {.j = j, .s = j->text, .len = len};
    size_t root;
    bool ok = value_at(&p, UINT32_MAX, 0, &root, want);
    if (ok) {
        skip_space(&p);
        if (p.at < p.len) ok = fail(&p, j->node[0].type == VOC_JSON_OBJECT ? "text after the object"
                                                                           : "text after the value");
    }
    if (ok) {
        /* numbers NUL-terminated too, like strings: the byte after one (a delimiter, a space,
         * a comment's slash) has been read; most input lines store none */
        for (size_t k = 0; p.numbers && k < j->count; k++)
            if (j->node[k].type == VOC_JSON_NUMBER) j->text[j->node[k].val + j->node[k].len] = '\0';
        return VOC_OK;
    }
    int rc = p.nomem ? VOC_ENOMEM : VOC_EPARSE;
    *where = p.at;
    *why = p.why;
    voc__json_free(j);
    if (want)
        for (size_t k = 0; k < want->names->n; k++) want->slot[k] = 0;
    return rc;
}

int voc__json_parse(voc_json *j, const char *data, size_t len, size_t *where, const char **why)
{
    return parse(j, data, len, NULL, where, why);
}

int voc__json_names_init(voc_json_names *out, const char *const *names, size_t n)
{
    memset(out, 0, sizeof *out);
    if (n > VOC_JSON_MAX_WANTED) return VOC_EINVAL;
    for (size_t k = 0; k < n; k++) {
        const char *name = names[k];
        size_t l = strlen(name);
        char head[8] = {0};
        memcpy(head, name, l < 8 ? l : 8);
        out->name[k] = name;
        out->len[k] = l < UINT32_MAX ? (uint32_t)l : UINT32_MAX;
        memcpy(&out->head[k], head, 8);
        out->by_len[l < 32 ? l : 32] |= 1u << k;
        out->by_first[(unsigned char)name[0]] |= 1u << k; /* "": NUL, as a member "" reads */
    }
    out->n = n;
    return VOC_OK;
}

int voc__json_parse_only(voc_json *j, const char *data, size_t len, const voc_json_names *names,
                         uint32_t *slot, size_t *where, const char **why)
{
    wanted want = {names, slot};
    memset(slot, 0, names->n * sizeof *slot);
    return parse(j, data, len, &want, where, why);
}

const voc_json_node *voc__json_root(const voc_json *j) { return j && j->count ? &j->node[0] : NULL; }

const voc_json_node *voc__json_first(const voc_json *j, const voc_json_node *n)
{
    (void)j; /* the members follow their container */
    if (!n || (n->type != VOC_JSON_OBJECT && n->type != VOC_JSON_ARRAY) || !n->len) return NULL;
    return n + 1;
}

const voc_json_node *voc__json_next(const voc_json *j, const voc_json_node *n)
{
    return n && n->next ? &j->node[n->next] : NULL;
}

const voc_json_node *voc__json_get(const voc_json *j, const voc_json_node *obj, const char *name)
{
    if (!obj || obj->type != VOC_JSON_OBJECT || !name) return NULL;
    size_t nl = strlen(name);
    const voc_json_node *found = NULL;
    for (const voc_json_node *m = voc__json_first(j, obj); m; m = voc__json_next(j, m))
        if (m->key_len == nl && !memcmp(j->text + m->key, name, nl)) found = m;
    return found;
}

const char *voc__json_string(const voc_json *j, const voc_json_node *n, size_t *len)
{
    if (!n || n->type != VOC_JSON_STRING) return NULL;
    if (len) *len = n->len;
    return j->text + n->val;
}

const char *voc__json_key(const voc_json *j, const voc_json_node *n, size_t *len)
{
    if (!n || n->key == UINT32_MAX) return NULL;
    if (len) *len = n->key_len;
    return j->text + n->key;
}

/* The C locale for numbers: a host program's setlocale must not turn "0.5" into 0. */
static locale_t c_numeric;
static pthread_once_t c_numeric_once = PTHREAD_ONCE_INIT;
static void make_c_numeric(void) { c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0); }

/* A plain decimal of at most 15 digits and no exponent (0.25, -3, 12.5) as strtod reads it:
 * its digits as an integer below 2^53 and a power of ten up to 10^22 are both exact doubles,
 * so one division rounds once, correctly — what strtod returns (Clinger's fast path).  False
 * for anything else. */
static bool simple_decimal(const char *s, size_t len, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    size_t i = len && s[0] == '-';
    uint64_t m = 0;
    int n_digits = 0, frac = -1; /* digits after the point, -1: no point */
    for (; i < len; i++) {
        if (is_digit(s[i])) {
            if (++n_digits > 15) return false;
            m = m * 10 + (uint64_t)(s[i] - '0');
            if (frac >= 0) frac++;
        } else if (s[i] == '.' && frac < 0) {
            frac = 0;
        } else {
            return false; /* an exponent, NaN, Infinity */
        }
    }
    if (!n_digits) return false;
    double v = (double)m / pow10[frac > 0 ? frac : 0];
    *out = s[0] == '-' ? -v : v;
    return true;
}

bool voc__json_number(const voc_json *j, const voc_json_node *n, double *out)
{
    if (!n || n->type != VOC_JSON_NUMBER) return false;
    /* the number's text is NUL-terminated (voc__json_parse) */
    const char *text = j->text + n->val;
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0 /* doubles rounded as doubles (not x87) */
    if (simple_decimal(text, n->len, out)) return true;
#endif
    pthread_once(&c_numeric_once, make_c_numeric);
    *out = c_numeric ? strtod_l(text, NULL, c_numeric) : strtod(text, NULL);
    return true;
}

double voc__json_double(const voc_json *j, const voc_json_node *n)
{
    double v = 0;
    return voc__json_number(j, n, &v) ? v : 0;
}

bool voc__json_is_integer(const voc_json *j, const voc_json_node *n)
{
    if (!n || n->type != VOC_JSON_NUMBER) return false;
    const char *s = j->text + n->val;
    size_t i = n->len && s[0] == '-';
    if (i == n->len) return false;
    for (; i < n->len; i++)
        if (!is_digit(s[i])) return false; /* a point, an exponent, NaN, Infinity */
    return true;
}

long long voc__json_int(const voc_json *j, const voc_json_node *n)
{
    if (!n || n->type != VOC_JSON_NUMBER) return 0;
    if (voc__json_is_integer(j, n)) /* its digits end with a NUL, as every number's do */
        return strtoll(j->text + n->val, NULL, 10); /* clamps to LLONG_MIN/MAX */
    double v = voc__json_double(j, n);
    if (isnan(v)) return 0;
    if (v >= 9.2e18) return LLONG_MAX; /* clamped, as strtoll does: the cast would be undefined */
    if (v <= -9.2e18) return LLONG_MIN;
    return (long long)v;
}
