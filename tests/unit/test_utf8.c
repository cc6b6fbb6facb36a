/* test_utf8.c — UTF-8 decoding, validation, repair and truncation (utf8.c). */
#include "internal.h"
#include "test.h"

static void check_decode(const char *bytes, size_t len, int32_t cp, size_t adv)
{
    size_t a;
    int32_t got = voc__utf8_decode((const unsigned char *)bytes, len, 0, &a);
    CHECK_INT(got, cp);
    CHECK_INT(a, adv);
}

int main(void)
{
    check_decode("A", 1, 'A', 1);
    check_decode("\xC3\xA9", 2, 0xE9, 2);                /* é */
    check_decode("\xE5\xAE\xA2", 3, 0x5BA2, 3);          /* 客 */
    check_decode("\xF0\x9F\x98\xA1", 4, 0x1F621, 4);     /* 😡 */
    check_decode("\xC0\x80", 2, -1, 1);                  /* overlong NUL */
    check_decode("\xE0\x80\xAF", 3, -1, 1);              /* overlong / */
    check_decode("\xED\xA0\x80", 3, -1, 1);              /* surrogate */
    check_decode("\xF4\x90\x80\x80", 4, -1, 1);          /* > U+10FFFF */
    check_decode("\xF5\x80\x80\x80", 4, -1, 1);
    check_decode("\xE5\xAE", 2, -1, 1);                  /* truncated */
    check_decode("\x80", 1, -1, 1);                      /* stray continuation */

    CHECK(voc__utf8_valid("plain ascii text, long enough for the fast path", 47));
    CHECK(voc__utf8_valid("\xE5\xAE\xA2\xE6\x9C\x8D ok", 9));
    CHECK(!voc__utf8_valid("abc\0def", 7));
    CHECK(!voc__utf8_valid("abcdefghijk\xFF", 12));
    CHECK(voc__utf8_valid("", 0));

    voc_buf out = {0};
    int w = voc__utf8_repair("a\xFF" "b\xE5\xAE" "c", 6, &out);
    CHECK_INT(w, VOC_WARN_INVALID_UTF8);
    /* each bad byte becomes one U+FFFD: a, FFFD, b, FFFD, FFFD, c */
    CHECK_MEM(out.data, out.len, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD" "c");
    w = voc__utf8_repair("x\0y", 3, &out);
    CHECK_INT(w, VOC_WARN_NUL_BYTES);
    CHECK_MEM(out.data, out.len, "x\xEF\xBF\xBDy");
    voc__buf_free(&out);

    /* truncation never splits a character */
    CHECK_INT(voc__utf8_truncate("ab\xE5\xAE\xA2", 4), 2);
    CHECK_INT(voc__utf8_truncate("ab\xE5\xAE\xA2", 5), 5);
    CHECK_INT(voc__utf8_truncate("ab\xF0\x9F\x98", 5), 2);
    CHECK_INT(voc__utf8_truncate("abc", 3), 3);

    char enc[4];
    CHECK_INT(voc__utf8_encode(0x1F621, enc), 4);
    CHECK(memcmp(enc, "\xF0\x9F\x98\xA1", 4) == 0);
    /* voc__uro_at against the general decoder: every lead byte with every two bytes after
     * it, whole and cut short — the main Han block's code point, else -1 */
    {
        size_t wrong = 0;
        for (unsigned b0 = 0; b0 <= 0xFF; b0++)
            for (unsigned b1 = 0; b1 <= 0xFF; b1++)
                for (unsigned b2 = 0; b2 <= 0xFF; b2++) {
                    const unsigned char seq[3] = {(unsigned char)b0, (unsigned char)b1, (unsigned char)b2};
                    for (size_t len = 1; len <= 3; len++) {
                        size_t adv;
                        int32_t cp = voc__utf8_decode(seq, len, 0, &adv);
                        int32_t want = cp >= 0x4E00 && cp <= 0x9FFF ? cp : -1;
                        if (voc__uro_at(seq, len, 0) != want && wrong++ < 5)
                            fprintf(stderr, "voc__uro_at(%02X %02X %02X, len %zu) = %d, want %d\n", b0, b1, b2,
                                    len, (int)voc__uro_at(seq, len, 0), (int)want);
                    }
                }
        CHECK_INT(wrong, 0);
    }
    return test_exit_status("test_utf8");
}
