/* utf8.c — UTF-8 decoding, validation and repair.
 *
 * The first stage of every document: text must be valid UTF-8 before ICU or OpenCC see it.
 * Invalid sequences (overlong forms, surrogates, code points past U+10FFFF, truncated
 * sequences, stray continuation bytes) and NUL bytes are replaced one byte at a time with
 * U+FFFD, and the record carries a warning.  The repaired text is what spans index. */
#include "internal.h"

#include <string.h>

int voc__utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

bool voc__utf8_valid(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        /* ASCII fast path, eight bytes at a time */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ULL) break;
            /* a zero byte in w? */
            if ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL) return false;
            i += 8;
        }
        if (i >= len) break;
        if (s[i] == 0) return false;
        if (s[i] < 0x80) { i++; continue; }
        size_t adv;
        if (voc__utf8_decode(s, len, i, &adv) < 0) return false;
        i += adv;
    }
    return true;
}

int voc__utf8_repair(const char *text, size_t len, voc_buf *out)
{
    static const char replacement[3] = {(char)0xEF, (char)0xBF, (char)0xBD};
    const unsigned char *s = (const unsigned char *)text;
    int warn = 0;
    out->len = 0;
    if (voc__buf_reserve(out, len + len / 2 + 16) != VOC_OK) return VOC_ENOMEM;
    size_t i = 0;
    while (i < len) {
        size_t adv;
        int32_t cp = voc__utf8_decode(s, len, i, &adv);
        if (cp < 0 || cp == 0) {
            warn |= cp < 0 ? VOC_WARN_INVALID_UTF8 : VOC_WARN_NUL_BYTES;
            if (voc__buf_append(out, replacement, 3) != VOC_OK) return VOC_ENOMEM;
            i += 1;
            continue;
        }
        if (voc__buf_append(out, s + i, adv) != VOC_OK) return VOC_ENOMEM;
        i += adv;
    }
    return warn;
}

size_t voc__utf8_truncate(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = len;
    /* step back over continuation bytes to a lead byte, then keep it only if complete */
    size_t k = n;
    while (k > 0 && (s[k - 1] & 0xC0) == 0x80 && n - k < 3) k--;
    if (k > 0 && s[k - 1] >= 0xC0) {
        size_t need = s[k - 1] >= 0xF0 ? 4 : s[k - 1] >= 0xE0 ? 3 : 2;
        if (n - (k - 1) < need) return k - 1;
    }
    return n;
}
