/* fuzz_utf8.c — libFuzzer target for src/utf8.c: voc__utf8_decode, voc__utf8_encode,
 * voc__utf8_valid, voc__utf8_repair and voc__utf8_truncate on arbitrary bytes.
 *
 * Invariants (compared with the independent reference validator in fuzz_check.h):
 *   - valid(s) holds exactly when s is well-formed UTF-8 (RFC 3629) without NUL bytes;
 *   - decode agrees with the reference at every position, and encode(decode(x)) == x;
 *   - repair returns only INVALID_UTF8 / NUL_BYTES bits, its output is valid, is the input
 *     when nothing needed repair, and is exactly the reference repair otherwise;
 *   - truncate(s, n) cuts at most three bytes, never inside a well-formed character, and
 *     for valid input is the last character boundary at or before n.
 * Build: see tests/CMakeLists.txt (replay driver by default, -DVOCMINE_FUZZ=ON for libFuzzer). */
#include "internal.h"
#include "fuzz_check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Reference decode of a well-formed sequence of length n at s. */
static int32_t ref_cp(const unsigned char *s, size_t n)
{
    if (n == 1) return s[0];
    uint32_t cp = s[0] & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    for (size_t k = 1; k < n; k++) cp = cp << 6 | (s[k] & 0x3F);
    return (int32_t)cp;
}

static void check_decode(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        size_t adv = 0;
        int32_t cp = voc__utf8_decode(s, len, i, &adv);
        size_t n = fc_seq_len(s, len, i);
        if (!n) {
            FUZZ_ASSERT(cp == -1 && adv == 1, "at %zu: malformed byte decoded as %d (adv %zu)", i, cp, adv);
            continue;
        }
        FUZZ_ASSERT(adv == n && cp == ref_cp(s + i, n), "at %zu: decode %d/%zu, reference %d/%zu", i,
                    cp, adv, ref_cp(s + i, n), n);
        char enc[4];
        int m = voc__utf8_encode((uint32_t)cp, enc);
        FUZZ_ASSERT((size_t)m == n && memcmp(enc, s + i, n) == 0, "at %zu: encode(U+%04X) differs", i,
                    (unsigned)cp);
    }
}

static void check_repair(const char *data, size_t size)
{
    bool valid = voc__utf8_valid(data, size);
    FUZZ_ASSERT(valid == (bool)fc_utf8_ok(data, size), "valid() says %d for %zu bytes", valid, size);
    voc_buf out = {0};
    int w = voc__utf8_repair(data, size, &out);
    FUZZ_ASSERT(w >= 0, "repair failed: %d", w);
    FUZZ_ASSERT(!(w & ~(VOC_WARN_INVALID_UTF8 | VOC_WARN_NUL_BYTES)), "repair returned bits 0x%x", w);
    FUZZ_ASSERT(out.len == 0 || out.data, "repair output NULL");
    const char *o = out.data ? out.data : "";
    FUZZ_ASSERT(voc__utf8_valid(o, out.len), "repair output not valid per voc__utf8_valid");
    FUZZ_ASSERT(fc_utf8_ok(o, out.len), "repair output not valid per the reference");
    FUZZ_ASSERT((w == 0) == valid, "repair warned 0x%x for a text valid()=%d", w, valid);
    if (w == 0) FUZZ_ASSERT(out.len == size && memcmp(o, data, size) == 0, "nothing to repair, yet bytes changed");
    size_t rl;
    unsigned rw;
    char *ref = fc_repair(data, size, &rl, &rw);
    FUZZ_ASSERT(rw == (unsigned)w, "repair warned 0x%x, reference 0x%x", w, rw);
    FUZZ_ASSERT(rl == out.len && memcmp(ref, o, rl) == 0, "repair output (%zu bytes) differs from the reference (%zu)",
                out.len, rl);
    free(ref);
    /* repairing the output again changes nothing */
    voc_buf again = {0};
    FUZZ_ASSERT(voc__utf8_repair(o, out.len, &again) == 0, "repaired text needs repair again");
    FUZZ_ASSERT(again.len == out.len && (!again.len || memcmp(again.data, o, again.len) == 0),
                "second repair changed the text");
    voc__buf_free(&again);
    voc__buf_free(&out);
}

static void check_truncate_at(const char *data, size_t size, size_t n, bool whole_valid)
{
    size_t t = voc__utf8_truncate(data, n);
    FUZZ_ASSERT(t <= n && t + 3 >= n, "truncate(%zu) = %zu", n, t);
    FUZZ_ASSERT(!fc_splits_char(data, size, t), "truncate(%zu) = %zu cuts a well-formed character", n, t);
    if (whole_valid) {
        FUZZ_ASSERT(t == fc_walk_cut(data, size, n), "truncate(%zu) = %zu, last boundary is %zu", n, t,
                    fc_walk_cut(data, size, n));
        FUZZ_ASSERT(voc__utf8_truncate(data, t) == t, "truncate not idempotent at %zu", t);
        FUZZ_ASSERT(fc_utf8_ok(data, t), "valid text cut at %zu is not valid", t);
    }
}

static void check_truncate(const char *data, size_t size)
{
    bool whole_valid = fc_utf8_ok(data, size) != 0;
    if (size <= 512) {
        for (size_t n = 0; n <= size; n++) check_truncate_at(data, size, n, whole_valid);
    } else { /* long inputs: the ends and a spread of cut points */
        for (size_t n = 0; n < 8; n++) check_truncate_at(data, size, n, whole_valid);
        for (size_t n = size - 8; n <= size; n++) check_truncate_at(data, size, n, whole_valid);
        for (size_t n = 8; n < size - 8; n += size / 61 + 1) check_truncate_at(data, size, n, whole_valid);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    check_decode(data, size);
    check_repair(text, size);
    check_truncate(text, size);
    return 0;
}
