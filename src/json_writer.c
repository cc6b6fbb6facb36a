/* json_writer.c — a small JSON writer: escaped strings, deterministic numbers.
 *
 * Records are written by hand rather than through a DOM so a record costs one pass over a
 * reused buffer.  Strings are escaped per RFC 8259 (quote, backslash, control characters)
 * plus U+2028/U+2029 for JavaScript consumers; bytes that are not valid UTF-8 (file names
 * can hold anything) become U+FFFD, so the output is always valid UTF-8 JSON.  Numbers are
 * printed with at most four decimals and trailing zeros removed: the same input gives the
 * same bytes on every machine. */
#include "internal.h"

#include <math.h>
#include <string.h>

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
    uint64_t quo = w ^ 0x2222222222222222ULL, bsl = w ^ 0x5C5C5C5C5C5C5C5CULL;
    quo = (quo - 0x0101010101010101ULL) & ~quo;                      /* bytes == '"' */
    bsl = (bsl - 0x0101010101010101ULL) & ~bsl;                      /* bytes == '\\' */
    return !((ctl | quo | bsl | w) & 0x8080808080808080ULL);
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
#define STR_CHUNK 4096
#define STR_SLACK 16

/* The steps below are inlined into each writer's loop, so the output pointer stays in a
 * register (GCC and Clang; other compilers may inline them or not). */
#if defined(__GNUC__)
#define VOC_ALWAYS_INLINE __attribute__((always_inline))
#else
#define VOC_ALWAYS_INLINE
#endif

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
    const uint64_t ones = 0x0101010101010101ULL;
    uint64_t ctl = (w - 0x2020202020202020ULL) & ~w;
    uint64_t quo = w ^ (ones * '"'), bsl = w ^ (ones * '\\'), e2 = w ^ (ones * 0xE2);
    quo = (quo - ones) & ~quo;
    bsl = (bsl - ones) & ~bsl;
    e2 = (e2 - ones) & ~e2;
    return !((ctl | quo | bsl | e2) & 0x8080808080808080ULL);
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

/* A quoted JSON string, written a chunk at a time so a long string does not reserve six
 * times its size; `valid`: s is known to be valid UTF-8 (a constant in each caller, so each
 * gets its own loop). */
VOC_ALWAYS_INLINE static inline void put_string(voc_buf *b, const char *s, size_t len, bool valid)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    char *o = room(b, (len < STR_CHUNK ? len : STR_CHUNK) * 6 + STR_SLACK);
    if (!o) return;
    *o++ = '"';
    while (i < len) {
        size_t end = len - i > STR_CHUNK ? i + STR_CHUNK : len;
        if (i > 0) {
            b->len = (size_t)(o - b->data);
            if (!(o = room(b, STR_CHUNK * 6 + STR_SLACK))) return;
        }
        if (valid)
            while (i < end) i = step_valid(p, i, end, len, &o);
        else
            while (i < end) i = step_any(p, i, end, len, &o);
    }
    *o++ = '"';
    *o = '\0';
    b->len = (size_t)(o - b->data);
}

void voc__json_str(voc_buf *b, const char *s, size_t len) { put_string(b, s, len, false); }

/* For a string known to be valid UTF-8 (the analyzed text, lexicon terms): eight bytes at a
 * time whatever the script, so Chinese costs what ASCII does. */
void voc__json_str_utf8(voc_buf *b, const char *s, size_t len) { put_string(b, s, len, true); }

/* "00" "01" ... "99": two digits per table lookup. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* The decimal digits of v at o; returns the end. */
static char *put_u64(char *o, uint64_t v)
{
    if (v < 10) {
        *o++ = (char)('0' + v);
        return o;
    }
    if (v < 100) {
        memcpy(o, digit_pairs + 2 * v, 2);
        return o + 2;
    }
    char digits[24];
    size_t nd = 0;
    do { digits[nd++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (nd) *o++ = digits[--nd];
    return o;
}

/* Fixed point, four decimals, trailing zeros trimmed: -0.71, 0.3333, 2.  Hand-formatted:
 * snprintf("%.4f") was a visible share of the time per record. */
void voc__json_num(voc_buf *b, double v)
{
    if (!isfinite(v)) v = 0;
    double r = round(v * 10000.0);
    if (fabs(r) > 9e17) { /* out of range for the integer path: rare, use printf */
        char tmp[64];
        int n = snprintf(tmp, sizeof tmp, "%.4f", v);
        if (n > 0) voc__buf_append(b, tmp, (size_t)n);
        return;
    }
    char *o = room(b, 32);
    if (!o) return;
    long long q = (long long)r;
    if (q < 0) { *o++ = '-'; q = -q; }
    uint64_t uq = (uint64_t)q;
    o = put_u64(o, uq / 10000);
    unsigned fp = (unsigned)(uq % 10000);
    if (fp) { /* four digits, then drop the trailing zeros */
        unsigned hi = fp / 100, lo = fp % 100;
        *o = '.';
        memcpy(o + 1, digit_pairs + 2 * hi, 2);
        memcpy(o + 3, digit_pairs + 2 * lo, 2);
        o += lo ? (lo % 10 ? 5 : 4) : (hi % 10 ? 3 : 2);
    }
    done(b, o);
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
