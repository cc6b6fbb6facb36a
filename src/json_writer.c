/* json_writer.c — a small JSON writer: escaped strings, deterministic numbers.
 *
 * Records are written by hand rather than through a DOM so a record costs one pass over a
 * reused buffer.  Strings are escaped per RFC 8259 (quote, backslash, control characters)
 * plus U+2028/U+2029 for JavaScript consumers; bytes that are not valid UTF-8 (file names
 * can hold anything) become U+FFFD, so the output is always valid UTF-8 JSON.  Numbers are
 * printed with at most four decimals and trailing zeros removed: the same input gives the
 * same bytes on every machine.  Each writer has a pointer form (voc__json_put_*) for callers
 * that check room once for several pieces, as the record writer does. */
#include "internal.h"

#include <math.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void voc__json_raw(voc_buf *b, const char *s)
{
    voc__buf_append(b, s, strlen(s));
}

/* Room for n more bytes at the end of b (NULL when it cannot grow); the caller writes there
 * and then calls done(). */
static inline char *room(voc_buf *b, size_t n)
{
    if (b->len + n >= b->cap || b->failed) {
        if (voc__buf_reserve(b, n) != VOC_OK) return NULL;
    }
    return b->data + b->len;
}

static inline void done(voc_buf *b, char *end)
{
    *end = '\0';
    b->len = (size_t)(end - b->data);
}

/* Is each of the eight bytes of w plain: printable ASCII other than '"' and '\\'? */
static inline bool plain8(uint64_t w)
{
    uint64_t ctl = (w - 0x2020202020202020ULL) & ~w;               /* bytes < 0x20 */
    return !(((ctl | w) & VOC_BYTES(0x80)) | voc__has_byte(w, '"') | voc__has_byte(w, '\\'));
}

/* The bytes p[i, end) (fewer than eight) as a word padded with spaces (plain bytes). */
static inline uint64_t tail_word(const unsigned char *p, size_t i, size_t end)
{
    size_t r = end - i;
    uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (end >= 8) { /* the eight bytes that end there, shifted down: one load */
        memcpy(&w, p + end - 8, 8);
        return w >> (8 * (8 - r)) | 0x2020202020202020ULL << (8 * r);
    }
    for (size_t k = r; k-- > 0;) w = w << 8 | p[i + k];
    return w | 0x2020202020202020ULL << (8 * r);
#else
    w = 0x2020202020202020ULL;
    memcpy(&w, p + i, r);
    return w;
#endif
}

/* How it works: the output is written straight into the buffer, reserved up front for the
 * worst case of a chunk (each byte escaped as \u00XX: six bytes), so the common pieces — eight
 * plain ASCII bytes from an ASCII byte on, a valid 2- or 3-byte UTF-8 character from a lead
 * byte on — cost a test and a copy each, with no per-piece bounds check.  A string's last bytes are tested as one word padded with spaces
 * (plain), and that word may be stored whole: the slack of the reservation covers the bytes
 * past the string's end, which the closing quote and NUL then overwrite or leave unused. */
#define STR_CHUNK VOC_JSON_PUT_MAX
#define STR_SLACK 16

/* The steps below are inlined into each writer's loop, so the output pointer stays in a
 * register (GCC and Clang; other compilers may inline them or not). */

static const char hex_digits[] = "0123456789abcdef";

/* One step of a string of unknown bytes at p[i] (i < end ≤ len): eight plain ASCII bytes, or
 * one character, escaped as needed (invalid UTF-8 → U+FFFD).  Writes at *o; the new i. */
VOC_ALWAYS_INLINE static inline size_t step_any(const unsigned char *p, size_t i, size_t end, size_t len, char **out)
{
    char *o = *out;
    unsigned c = p[i];
    if (c < 0x80) {
        uint64_t w;
        if (i + 8 <= end) memcpy(&w, p + i, 8);
        else w = tail_word(p, i, end); /* the chunk's last bytes */
        if (plain8(w)) {
            memcpy(o, &w, 8); /* past `end` only spaces, inside the slack */
            size_t n = end - i < 8 ? end - i : 8;
            *out = o + n;
            return i + n;
        }
        if (c >= 0x20 && c != '"' && c != '\\') { *o = (char)c; *out = o + 1; return i + 1; }
    }
    if (c >= 0xC2 && c <= 0xDF && i + 1 < len && (p[i + 1] & 0xC0) == 0x80) {
        o[0] = (char)c; o[1] = (char)p[i + 1]; /* no U+2028/2029 among them */
        *out = o + 2;
        return i + 2;
    }
    /* E1..EC and EE..EF lead bytes: any two continuation bytes make a valid character (E0 has
     * overlongs, ED surrogates: the general path below); only U+2028/U+2029 (E2 80 A8/A9) are
     * escaped */
    if (c >= 0xE1 && c <= 0xEF && c != 0xED && i + 2 < len && (p[i + 1] & 0xC0) == 0x80 &&
        (p[i + 2] & 0xC0) == 0x80 && !(c == 0xE2 && p[i + 1] == 0x80 && (p[i + 2] & 0xFE) == 0xA8)) {
        o[0] = (char)c; o[1] = (char)p[i + 1]; o[2] = (char)p[i + 2];
        *out = o + 3;
        return i + 3;
    }
    size_t adv = 1;
    int32_t cp = c < 0x80 ? (int32_t)c : voc__utf8_decode(p, len, i, &adv);
    if (cp >= 0x80 && cp != 0x2028 && cp != 0x2029) {
        for (size_t k = 0; k < adv; k++) *o++ = (char)p[i + k];
    } else if (cp < 0) {
        memcpy(o, "\xEF\xBF\xBD", 3);
        o += 3;
    } else if (cp == '"' || cp == '\\') {
        o[0] = '\\'; o[1] = (char)cp; o += 2;
    } else if (cp == '\n') { memcpy(o, "\\n", 2); o += 2; }
    else if (cp == '\r') { memcpy(o, "\\r", 2); o += 2; }
    else if (cp == '\t') { memcpy(o, "\\t", 2); o += 2; }
    else {
        o[0] = '\\'; o[1] = 'u';
        o[2] = hex_digits[(cp >> 12) & 15]; o[3] = hex_digits[(cp >> 8) & 15];
        o[4] = hex_digits[(cp >> 4) & 15]; o[5] = hex_digits[cp & 15];
        o += 6;
    }
    *out = o;
    return i + adv;
}

/* Is each of the eight bytes of w one a valid UTF-8 string can carry as it is: anything but
 * '"', '\\', a control character and 0xE2 (the lead byte of U+2028/U+2029 among others)? */
static inline bool plain8_utf8(uint64_t w)
{
    uint64_t ctl = (w - 0x2020202020202020ULL) & ~w;
    return !((ctl & VOC_BYTES(0x80)) | voc__has_byte(w, '"') | voc__has_byte(w, '\\') | voc__has_byte(w, 0xE2));
}

/* One step of a string known to be valid UTF-8: eight bytes in any script, or one byte. */
VOC_ALWAYS_INLINE static inline size_t step_valid(const unsigned char *p, size_t i, size_t end, size_t len, char **out)
{
    char *o = *out;
    uint64_t w;
    if (i + 8 <= end) memcpy(&w, p + i, 8);
    else w = tail_word(p, i, end);
    if (plain8_utf8(w)) {
        memcpy(o, &w, 8); /* past `end` only spaces, inside the slack */
        size_t n = end - i < 8 ? end - i : 8;
        *out = o + n;
        return i + n;
    }
    unsigned c = p[i];
    if (c == '"' || c == '\\') {
        o[0] = '\\'; o[1] = (char)c; o += 2;
    } else if (c == '\n') { memcpy(o, "\\n", 2); o += 2; }
    else if (c == '\r') { memcpy(o, "\\r", 2); o += 2; }
    else if (c == '\t') { memcpy(o, "\\t", 2); o += 2; }
    else if (c < 0x20) {
        memcpy(o, "\\u00", 4);
        o[4] = hex_digits[c >> 4]; o[5] = hex_digits[c & 15];
        o += 6;
    } else if (c == 0xE2 && i + 2 < len && p[i + 1] == 0x80 && (p[i + 2] & 0xFE) == 0xA8) {
        memcpy(o, p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6); /* for JavaScript */
        *out = o + 6;
        return i + 3;
    } else {
        *o++ = (char)c; /* any other byte of valid UTF-8 */
    }
    *out = o;
    return i + 1;
}

#if defined(__SSE2__)
/* One bit per byte of v that is not plain: '"', '\\', a control character, and for a string
 * of unknown bytes (!valid) any byte from 0x80 (its UTF-8 is to be checked), for a valid one
 * 0xE2 (the lead byte of U+2028/U+2029). */
static inline unsigned not_plain16(__m128i v, bool valid)
{
    __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
    if (valid) {
        __m128i ctl = _mm_cmplt_epi8(_mm_xor_si128(v, _mm_set1_epi8((char)0x80)), _mm_set1_epi8((char)(0x20 ^ 0x80)));
        m = _mm_or_si128(m, _mm_or_si128(ctl, _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE2))));
    } else {
        m = _mm_or_si128(m, _mm_cmplt_epi8(v, _mm_set1_epi8(0x20))); /* signed: also 0x80-0xFF */
    }
    return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* Is each of the eight bytes of w plain (for a string of unknown bytes, or a valid one)?  With
 * SSE2 the test of sixteen bytes, on the low eight: fewer instructions and constants than the
 * word tricks. */
static inline bool plain_word(uint64_t w, bool valid)
{
#if defined(__SSE2__)
    __m128i v = _mm_unpacklo_epi32(_mm_cvtsi32_si128((int)(uint32_t)w), _mm_cvtsi32_si128((int)(uint32_t)(w >> 32)));
    return !(not_plain16(v, valid) & 0xFF);
#else
    return valid ? plain8_utf8(w) : plain8(w);
#endif
}

/* The plain bytes that open s (len of them when all are), copied to *out: whole blocks while
 * they are plain, then the string's last block as one overlapping block; a string shorter
 * than a block is tested as one built from two overlapping halves, or for fewer than four
 * bytes from its first, middle and last bytes.  (Blocks are sixteen bytes with SSE2, eight
 * without.)  Most strings of a record — ids, labels, names, the words of evidence — are short
 * and plain, and cost a test and a copy. */
VOC_ALWAYS_INLINE static inline size_t plain_prefix(const unsigned char *p, size_t len, char **out, bool valid)
{
    char *o = *out;
    uint64_t w;
#if defined(__SSE2__)
    if (len >= 16) {
        size_t i = 0;
        for (; i + 16 <= len; i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            if (not_plain16(v, valid)) {
                *out = o + i;
                return i;
            }
            _mm_storeu_si128((__m128i *)(void *)(o + i), v);
        }
        if (i < len) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + len - 16));
            if (not_plain16(v, valid)) {
                *out = o + i;
                return i;
            }
            _mm_storeu_si128((__m128i *)(void *)(o + len - 16), v); /* over bytes already written, with the same bytes */
        }
        *out = o + len;
        return len;
    }
    if (len >= 8) {
        __m128i lo = _mm_loadl_epi64((const __m128i *)(const void *)p);
        __m128i hi = _mm_loadl_epi64((const __m128i *)(const void *)(p + len - 8));
        if (not_plain16(_mm_unpacklo_epi64(lo, hi), valid)) return 0;
        _mm_storel_epi64((__m128i *)(void *)o, lo);
        _mm_storel_epi64((__m128i *)(void *)(o + len - 8), hi);
        *out = o + len;
        return len;
    }
#else
    if (len >= 8) {
        size_t i = 0;
        for (; i + 8 <= len; i += 8) {
            memcpy(&w, p + i, 8);
            if (!plain_word(w, valid)) {
                *out = o + i;
                return i;
            }
            memcpy(o + i, &w, 8);
        }
        if (i < len) {
            memcpy(&w, p + len - 8, 8);
            if (!plain_word(w, valid)) {
                *out = o + i;
                return i;
            }
            memcpy(o + len - 8, &w, 8); /* over bytes already written, with the same bytes */
        }
        *out = o + len;
        return len;
    }
#endif
    if (len >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, p, 4);
        memcpy(&hi, p + len - 4, 4);
        w = (uint64_t)lo | (uint64_t)hi << 32;
        if (!plain_word(w, valid)) return 0;
        memcpy(o, &lo, 4);
        memcpy(o + len - 4, &hi, 4);
    } else if (len) {
        unsigned char b0 = p[0], b1 = p[len / 2], b2 = p[len - 1];
        w = 0x2020202020000000ULL | (uint64_t)b0 | (uint64_t)b1 << 8 | (uint64_t)b2 << 16;
        if (!plain_word(w, valid)) return 0;
        o[0] = (char)b0;
        o[len / 2] = (char)b1;
        o[len - 1] = (char)b2;
    }
    *out = o + len;
    return len;
}

/* The rest of a quoted string from p[i] on (an escape or a byte to check there), and the
 * closing quote; kept out of line so the usual plain string costs no register saves. */
VOC_NOINLINE static char *quoted_rest(char *o, const unsigned char *p, size_t i, size_t len, bool valid)
{
    if (valid)
        while (i < len) i = step_valid(p, i, len, len, &o);
    else
        while (i < len) i = step_any(p, i, len, len, &o);
    *o++ = '"';
    return o;
}

/* A quoted JSON string at o, which has room for VOC_JSON_STR_ROOM(len): its plain opening
 * (usually all of it) in one pass, then the rest a character at a time; `valid`: s is known
 * to be valid UTF-8 (a constant in each caller, so each gets its own loop).  Returns the end. */
VOC_ALWAYS_INLINE static inline char *put_quoted(char *o, const char *s, size_t len, bool valid)
{
    const unsigned char *p = (const unsigned char *)s;
    *o++ = '"';
    size_t i = plain_prefix(p, len, &o, valid);
    if (i < len) return quoted_rest(o, p, i, len, valid);
    *o++ = '"';
    return o;
}

char *voc__json_put_str(char *o, const char *s, size_t len) { return put_quoted(o, s, len, false); }
char *voc__json_put_str_utf8(char *o, const char *s, size_t len) { return put_quoted(o, s, len, true); }

/* The same into a buffer, a chunk at a time so a long string does not reserve six times its
 * size (a chunk's output is the chunk escaped: the steps never look past `end` but to
 * complete a character, which they may read up to `len`). */
static void put_string(voc_buf *b, const char *s, size_t len, bool valid)
{
    const unsigned char *p = (const unsigned char *)s;
    if (len <= STR_CHUNK) {
        char *o = room(b, VOC_JSON_STR_ROOM(len));
        if (o) done(b, valid ? voc__json_put_str_utf8(o, s, len) : voc__json_put_str(o, s, len));
        return;
    }
    char *o = room(b, len + STR_SLACK);
    if (!o) return;
    *o++ = '"';
    size_t i = plain_prefix(p, len, &o, valid);
    while (i < len) {
        size_t end = len - i > STR_CHUNK ? i + STR_CHUNK : len;
        b->len = (size_t)(o - b->data);
        if (!(o = room(b, (end - i) * 6 + STR_SLACK))) return;
        if (valid)
            while (i < end) i = step_valid(p, i, end, len, &o);
        else
            while (i < end) i = step_any(p, i, end, len, &o);
    }
    *o++ = '"';
    done(b, o);
}

void voc__json_str(voc_buf *b, const char *s, size_t len) { put_string(b, s, len, false); }

/* For a string known to be valid UTF-8 (the analyzed text, lexicon terms): eight bytes at a
 * time whatever the script, so Chinese costs what ASCII does. */
void voc__json_str_utf8(voc_buf *b, const char *s, size_t len) { put_string(b, s, len, true); }

/* "00" "01" ... "99": two digits per table lookup (internal.h: voc__json_put_size's inline
 * part uses it too). */
const char voc__digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* The decimal digits of v at o; returns the end.  The digits are counted first, so they are
 * written in place from the right, two a step. */
static inline char *put_u64(char *o, uint64_t v)
{
    if (v < 100) return voc__json_put_size(o, (size_t)v);
    size_t n = 3;
    for (uint64_t p = 1000; n < 20 && v >= p; p *= 10) n++; /* 10^19 is the last power in range */
    char *end = o + n;
    o = end;
    while (v >= 100) {
        o -= 2;
        memcpy(o, voc__digit_pairs + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v >= 10) memcpy(o - 2, voc__digit_pairs + 2 * v, 2);
    else o[-1] = (char)('0' + v);
    return end;
}

char *voc__json_put_size_long(char *o, size_t v) { return put_u64(o, v); }

/* The four decimals fp (1 to 9999) of a fixed-point number at o, as ".dddd" without its
 * trailing zeros; returns the end. */
static inline char *put_decimals(char *o, unsigned fp)
{
    unsigned hi = fp / 100, lo = fp - hi * 100;
    *o = '.';
    memcpy(o + 1, voc__digit_pairs + 2 * hi, 2);
    memcpy(o + 3, voc__digit_pairs + 2 * lo, 2);
    return o + (lo ? (o[4] != '0' ? 5 : 4) : (o[2] != '0' ? 3 : 2));
}

/* v * 10000 rounded half away from zero, as round() does, but without the call: the fraction
 * x - trunc(x) of a double is exact, and the cast truncates.  For |x| <= 9e17. */
static inline long long round_fixed(double x)
{
    long long q = (long long)x; /* toward zero */
    double frac = x - (double)q;
    if (frac >= 0.5) q++;
    else if (frac <= -0.5) q--;
    return q;
}

/* voc__json_put_num for the numbers of 1 and more in magnitude (once rounded), NaN and the
 * infinities: out of line, so the usual call saves no registers for put_u64 and snprintf. */
VOC_NOINLINE static char *put_num_wide(char *o, double v, double x)
{
    if (!(fabs(x) <= 9e17)) { /* out of range for the integer path: rare, use printf (an x this
                               * large is an integer, so round(x) is x: the same bound) */
        if (!isfinite(v)) { /* NaN and infinities as 0 */
            *o = '0';
            return o + 1;
        }
        int n = snprintf(o, VOC_JSON_NUM_ROOM, "%.4f", v); /* at most 315 bytes */
        return n > 0 ? o + n : o;
    }
    long long q = round_fixed(x);
    if (q < 0) { *o++ = '-'; q = -q; }
    uint64_t uq = (uint64_t)q;
    o = put_u64(o, uq / 10000);
    unsigned fp = (unsigned)(uq % 10000);
    return fp ? put_decimals(o, fp) : o;
}

/* Fixed point, four decimals, trailing zeros trimmed: -0.71, 0.3333, 2, at o (room for
 * VOC_JSON_NUM_ROOM); returns the end.  Hand-formatted: snprintf("%.4f") was a visible share
 * of the time per record.  Scores, probabilities and weights are mostly under 1 in
 * magnitude (0, 0.5, -0.0123): those are written here with no call and no saved register. */
char *voc__json_put_num(char *o, double v)
{
    double x = v * 10000.0;
    if (!(x > -9999.5 && x < 9999.5)) return put_num_wide(o, v, x); /* rounds to |q| >= 10000 */
    long long q = round_fixed(x);
    if (q < 0) { *o++ = '-'; q = -q; }
    *o++ = '0';
    return q ? put_decimals(o, (unsigned)q) : o;
}

void voc__json_integer(voc_buf *b, long long v)
{
    char *o = room(b, 24);
    if (!o) return;
    if (v < 0) *o++ = '-';
    done(b, put_u64(o, v < 0 ? 0 - (uint64_t)v : (uint64_t)v));
}

void voc__json_size(voc_buf *b, size_t v)
{
    char *o = room(b, 24);
    if (!o) return;
    done(b, put_u64(o, v));
}

int voc__json_ok(const voc_buf *b)
{
    return b->failed ? VOC_ENOMEM : VOC_OK;
}
