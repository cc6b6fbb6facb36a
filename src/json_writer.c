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

void voc__json_str(voc_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    if (voc__buf_reserve(b, len + 2) != VOC_OK) return;
    voc__buf_append(b, "\"", 1);
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0; /* start of bytes that need no escaping */
    size_t i = 0;
    while (i < len) {
        /* eight plain bytes at a time: no control, quote, backslash or non-ASCII byte */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            uint64_t ctl = (w - 0x2020202020202020ULL) & ~w;               /* bytes < 0x20 */
            uint64_t quo = w ^ 0x2222222222222222ULL, bsl = w ^ 0x5C5C5C5C5C5C5C5CULL;
            quo = (quo - 0x0101010101010101ULL) & ~quo;                      /* bytes == '"' */
            bsl = (bsl - 0x0101010101010101ULL) & ~bsl;                      /* bytes == '\\' */
            if ((ctl | quo | bsl | w) & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= len) break;
        unsigned c = p[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) { i++; continue; }
        if (c >= 0xC2 && c <= 0xDF && i + 1 < len && (p[i + 1] & 0xC0) == 0x80) {
            i += 2; /* a valid 2-byte character (no U+2028/2029 among them) */
            continue;
        }
        size_t adv = 1;
        int32_t cp = c < 0x80 ? (int32_t)c : voc__utf8_decode(p, len, i, &adv);
        if (cp >= 0x80 && cp != 0x2028 && cp != 0x2029) { i += adv; continue; }
        voc__buf_append(b, s + run, i - run);
        char esc[8];
        size_t n = 0;
        if (cp < 0) {
            voc__buf_append(b, "\xEF\xBF\xBD", 3);
        } else if (cp == '"' || cp == '\\') {
            esc[0] = '\\'; esc[1] = (char)cp; n = 2;
        } else if (cp == '\n') { memcpy(esc, "\\n", 2); n = 2; }
        else if (cp == '\r') { memcpy(esc, "\\r", 2); n = 2; }
        else if (cp == '\t') { memcpy(esc, "\\t", 2); n = 2; }
        else {
            esc[0] = '\\'; esc[1] = 'u';
            esc[2] = hex[(cp >> 12) & 15]; esc[3] = hex[(cp >> 8) & 15];
            esc[4] = hex[(cp >> 4) & 15]; esc[5] = hex[cp & 15];
            n = 6;
        }
        if (n) voc__buf_append(b, esc, n);
        i += adv;
        run = i;
    }
    voc__buf_append(b, s + run, len - run);
    voc__buf_append(b, "\"", 1);
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
    long long q = (long long)r;
    char tmp[32];
    size_t n = 0;
    if (q < 0) { tmp[n++] = '-'; q = -q; }
    long long ip = q / 10000, fp = q % 10000;
    char digits[24];
    size_t nd = 0;
    do { digits[nd++] = (char)('0' + ip % 10); ip /= 10; } while (ip);
    while (nd) tmp[n++] = digits[--nd];
    if (fp) {
        tmp[n++] = '.';
        char f[4];
        for (int i = 3; i >= 0; i--) { f[i] = (char)('0' + fp % 10); fp /= 10; }
        int last = 3;
        while (f[last] == '0') last--;
        for (int i = 0; i <= last; i++) tmp[n++] = f[i];
    }
    voc__buf_append(b, tmp, n);
}

void voc__json_size(voc_buf *b, size_t v)
{
    char digits[24];
    size_t nd = 0;
    do { digits[nd++] = (char)('0' + v % 10); v /= 10; } while (v);
    char tmp[24];
    for (size_t i = 0; i < nd; i++) tmp[i] = digits[nd - 1 - i];
    voc__buf_append(b, tmp, nd);
}

int voc__json_ok(const voc_buf *b)
{
    return b->failed ? VOC_ENOMEM : VOC_OK;
}
