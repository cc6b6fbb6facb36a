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
 * "[0,0,0,…" would otherwise take 800 MB).  Errors say what was expected and at which byte. */
#define _GNU_SOURCE /* strtod_l */
#include "internal.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct parser {
    voc_json *j;
    char *s;          /* the copy being parsed and unescaped */
    size_t len, at;
    const char *why;  /* set on a syntax error, with `at` the offending byte */
    int depth;
    bool nomem;
} parser;

static void skip_comments(parser *p);

static inline void skip_space(parser *p)
{
    if (p->at < p->len && (unsigned char)p->s[p->at] > ' ' && p->s[p->at] != '/') return; /* the usual case */
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

static inline size_t new_node(parser *p, int type)
{
    voc_json *j = p->j;
    if (j->count == VOC_JSON_MAX_NODES) { /* a bound on memory, whatever the line holds */
        fail(p, "more than 1,048,576 values in one line");
        return SIZE_MAX;
    }
    if (j->count == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 32;
        voc_json_node *n = realloc(j->node, cap * sizeof *n);
        if (!n) {
            p->nomem = true;
            return SIZE_MAX;
        }
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

/* The end of the run of bytes from i on that are neither '"' nor '\\', eight at a time. */
static size_t plain_run(const char *s, size_t i, size_t len)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
        /* a zero byte in q or b sets its high bit here (false positives only above a true
         * one, so a word without either character passes whole) */
        if ((((q - ones) & ~q) | ((b - ones) & ~b)) & highs) break;
        i += 8;
    }
    while (i < len && s[i] != '"' && s[i] != '\\') i++;
    return i;
}

/* plain_run for a single-quoted string. */
static size_t plain_run_quote(const char *s, size_t i, size_t len, char quote)
{
    while (i < len && s[i] != quote && s[i] != '\\') i++;
    return i;
}

/* The string whose opening quote is at p->at, unescaped in place: *off and *n say where its
 * bytes now are.  An escape writes at most as many bytes as it reads (\uXXXX: 6 in, ≤ 3
 * out; a surrogate pair: 12 in, 4 out), so the write position never passes the read one. */
static bool string_at(parser *p, uint32_t *off, uint32_t *n)
{
    char *s = p->s, quote = s[p->at]; /* '"', or '\'' as json-c also took */
    size_t r = ++p->at, w = r;
    for (;;) {
        /* the common case: a run of plain bytes, copied only once an escape shifted them */
        size_t run = quote == '"' ? plain_run(s, r, p->len) : plain_run_quote(s, r, p->len, quote);
        if (w != r) memmove(s + w, s + r, run - r);
        w += run - r;
        r = run;
        if (r >= p->len) {
            p->at = p->len;
            return fail(p, "unexpected end of line");
        }
        if (s[r] == quote) break;
        /* a backslash */
        if (r + 1 >= p->len) {
            p->at = p->len;
            return fail(p, "unexpected end of line");
        }
        char e = s[r + 1];
        static const char plain_in[] = "\"\\/bfnrt'", plain_out[] = "\"\\/\b\f\n\r\t'";
        const char *k = e ? strchr(plain_in, e) : NULL;
        if (k) {
            s[w++] = plain_out[k - plain_in];
            r += 2;
            continue;
        }
        if (e != 'u') {
            p->at = r;
            return fail(p, "invalid escape in a string");
        }
        long cp = hex4(s, p->len, r + 2);
        if (cp < 0) {
            p->at = r;
            return fail(p, r + 6 > p->len ? "unexpected end of line" : "invalid \\u escape in a string");
        }
        r += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF && r + 1 < p->len && s[r] == '\\' && s[r + 1] == 'u') {
            long lo = hex4(s, p->len, r + 2);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                r += 6;
            }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD; /* a lone surrogate */
        w += (size_t)voc__utf8_encode((uint32_t)cp, s + w);
    }
    s[w] = '\0'; /* w ≤ r: at worst over the closing quote, already read */
    *off = (uint32_t)(p->at);
    *n = (uint32_t)(w - p->at);
    p->at = r + 1;
    return true;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Does the text at p->at start with `word`, in any case?  (Unexpected end: *cut.) */
static bool word_at(const parser *p, size_t at, const char *word, size_t wl, bool *cut)
{
    size_t have = p->len - at < wl ? p->len - at : wl;
    *cut = have < wl;
    return !strncasecmp(p->s + at, word, have);
}

/* A number: JSON's, with leading zeros and a bare trailing point allowed (01, 1.), or NaN,
 * Infinity, -Infinity in any case.  Its text is kept (node val/len). */
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
    p->j->node[node].val = (uint32_t)start;
    p->j->node[node].len = (uint32_t)(i - start);
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

static bool value_at(parser *p, uint32_t key, uint32_t key_len, size_t *out);

/* The members of an object or array whose opening bracket is at p->at. */
static bool container_at(parser *p, size_t node, bool object)
{
    if (++p->depth > VOC_JSON_MAX_DEPTH) return fail(p, "nesting too deep");
    char close = object ? '}' : ']';
    p->at++;
    size_t prev = 0, members = 0;
    for (;;) {
        skip_space(p);
        if (at_end(p)) return false;
        if (p->s[p->at] == close) break; /* also after a trailing comma: tolerated */
        if (members) {
            if (p->s[p->at] != ',') return fail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
            p->at++;
            skip_space(p);
            if (at_end(p)) return false;
            if (p->s[p->at] == close) break;
        }
        uint32_t key = UINT32_MAX, key_len = 0;
        if (object) {
            if (p->s[p->at] != '"' && p->s[p->at] != '\'') return fail(p, "expected '\"' to open a member name");
            if (!string_at(p, &key, &key_len)) return false;
            skip_space(p);
            if (at_end(p)) return false;
            if (p->s[p->at] != ':') return fail(p, "expected ':' after a member name");
            p->at++;
        }
        size_t child;
        if (!value_at(p, key, key_len, &child)) return false;
        if (members++) p->j->node[prev].next = (uint32_t)child;
        prev = child;
    }
    p->at++;
    p->depth--;
    p->j->node[node].len = (uint32_t)members;
    return true;
}

static bool value_at(parser *p, uint32_t key, uint32_t key_len, size_t *out)
{
    skip_space(p);
    if (at_end(p)) return false;
    char c = p->s[p->at];
    bool cut;
    int type = c == '{'                                   ? VOC_JSON_OBJECT
               : c == '['                                 ? VOC_JSON_ARRAY
               : c == '"' || c == '\''                     ? VOC_JSON_STRING
               : c == 't' || c == 'T'                     ? VOC_JSON_TRUE
               : c == 'f' || c == 'F'                     ? VOC_JSON_FALSE
               : (c == 'n' || c == 'N') && !word_at(p, p->at, "nan", 3, &cut) ? VOC_JSON_NULL
               : c == '-' || is_digit(c) || c == 'n' || c == 'N' || c == 'i' || c == 'I' ? VOC_JSON_NUMBER
                                                          : -1;
    if (type < 0) return fail(p, "expected a value");
    size_t node = new_node(p, type);
    if (node == SIZE_MAX) return false;
    p->j->node[node].key = key;
    p->j->node[node].key_len = key_len;
    *out = node;
    switch (type) {
    case VOC_JSON_OBJECT: return container_at(p, node, true);
    case VOC_JSON_ARRAY: return container_at(p, node, false);
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
    free(j->node);
    memset(j, 0, sizeof *j);
}

int voc__json_parse(voc_json *j, const char *data, size_t len, size_t *where, const char **why)
{
    voc__json_free(j);
    *where = 0;
    *why = NULL;
    if (len >= UINT32_MAX) {
        *why = "line too long for the JSON reader";
        return VOC_EPARSE;
    }
    if (!(j->text = malloc(len + 1))) return VOC_ENOMEM;
    if (len) memcpy(j->text, data, len);
    j->text[len] = '\0';
    parser p = {.j = j, .s = j->text, .len = len};
    size_t root;
    bool ok = value_at(&p, UINT32_MAX, 0, &root);
    if (ok) {
        skip_space(&p);
        if (p.at < p.len) ok = fail(&p, j->node[0].type == VOC_JSON_OBJECT ? "text after the object"
                                                                           : "text after the value");
    }
    if (ok) {
        /* numbers NUL-terminated too, like strings: the byte after one (a delimiter, a space,
         * a comment's slash) has been read */
        for (size_t k = 0; k < j->count; k++)
            if (j->node[k].type == VOC_JSON_NUMBER) j->text[j->node[k].val + j->node[k].len] = '\0';
        return VOC_OK;
    }
    int rc = p.nomem ? VOC_ENOMEM : VOC_EPARSE;
    *where = p.at;
    *why = p.why;
    voc__json_free(j);
    return rc;
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

const voc_json_node *voc__json_at(const voc_json *j, const voc_json_node *arr, size_t i)
{
    if (!arr || arr->type != VOC_JSON_ARRAY) return NULL;
    const voc_json_node *m = voc__json_first(j, arr);
    while (m && i--) m = voc__json_next(j, m);
    return m;
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

bool voc__json_number(const voc_json *j, const voc_json_node *n, double *out)
{
    if (!n || n->type != VOC_JSON_NUMBER) return false;
    /* the number's text is NUL-terminated (voc__json_parse) */
    const char *text = j->text + n->val;
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
    if (voc__json_is_integer(j, n)) {
        char tmp[32];
        if (n->len < sizeof tmp) {
            memcpy(tmp, j->text + n->val, n->len);
            tmp[n->len] = '\0';
            return strtoll(tmp, NULL, 10); /* clamps to LLONG_MIN/MAX */
        }
    }
    double v = voc__json_double(j, n);
    if (isnan(v)) return 0;
    if (v >= 9.2e18) return LLONG_MAX; /* clamped, as strtoll does: the cast would be undefined */
    if (v <= -9.2e18) return LLONG_MIN;
    return (long long)v;
}
