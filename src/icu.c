/* icu.c — the one place that talks to ICU: character properties, NFKC_Casefold, break
 * iterators and converter tables, translated into vocmine's types and status codes.
 *
 * Break iterators are opened once per session (voc__icu_new) and re-pointed at each text
 * through a reused UText over UTF-8, so native indexes are byte offsets into our own
 * buffer and nothing is converted to UTF-16 or re-opened per document. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/ures.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uset.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

bool voc__is_han(int32_t cp)
{
    if (cp >= 0x4E00 && cp <= 0x9FFF) return true; /* fast path: URO */
    if (cp < 0x2E80) return false;
    UErrorCode e = U_ZERO_ERROR;
    return uscript_getScript(cp, &e) == USCRIPT_HAN;
}

bool voc__is_kana(int32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF);
}

bool voc__is_letter(int32_t cp)
{
    if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    return u_isUAlphabetic(cp) && !voc__is_han(cp);
}

bool voc__is_digit(int32_t cp)
{
    if (cp < 0x80) return cp >= '0' && cp <= '9';
    return u_isdigit(cp);
}

bool voc__is_space(int32_t cp)
{
    if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
    return u_isUWhiteSpace(cp);
}

bool voc__is_emoji_start(int32_t cp)
{
    if (cp < 0xA9) return false;
    if (cp >= 0x1F1E6 && cp <= 0x1F1FF) return true; /* regional indicators (flags) */
    return u_hasBinaryProperty(cp, UCHAR_EXTENDED_PICTOGRAPHIC);
}

bool voc__is_emoji_part(int32_t cp)
{
    return cp == 0x200D || cp == 0xFE0F || cp == 0xFE0E || cp == 0x20E3 ||
           (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F);
}

bool voc__changes_when_nfkc_cf(int32_t cp)
{
    /* CJK Unified Ideographs and kana are stable under NFKC_Casefold: skip the lookup for
     * the bulk of Chinese text (compatibility ideographs live elsewhere, at U+F900) */
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3041 && cp <= 0x3096) ||
        (cp >= 0x30A1 && cp <= 0x30FA))
        return false;
    return u_hasBinaryProperty(cp, UCHAR_CHANGES_WHEN_NFKC_CASEFOLDED);
}

static const UNormalizer2 *nfkc_cf(void)
{
    UErrorCode e = U_ZERO_ERROR;
    return unorm2_getNFKCCasefoldInstance(&e); /* ICU-owned singleton, thread-safe */
}

bool voc__nfkc_boundary_before(int32_t cp)
{
    const UNormalizer2 *n = nfkc_cf();
    return n ? unorm2_hasBoundaryBefore(n, cp) : true;
}

int voc__nfkc_cf_append(const char *src, size_t len, voc_buf *out)
{
    /* Segments are a base character and its combining marks: small.  Stack buffers cover
     * them; a pathological run of marks falls back to the heap. */
    UChar in_stack[64], out_stack[192];
    UChar *in = in_stack, *res = out_stack;
    int32_t in_cap = 64, res_cap = 192, in_len = 0;
    UErrorCode e = U_ZERO_ERROR;
    int rc = VOC_OK;
    if (len > (size_t)INT32_MAX / 4) return VOC_ETOOBIG;
    u_strFromUTF8(in, in_cap, &in_len, src, (int32_t)len, &e);
    if (e == U_BUFFER_OVERFLOW_ERROR) {
        in = malloc(sizeof(UChar) * ((size_t)in_len + 1));
        if (!in) return VOC_ENOMEM;
        in_cap = in_len + 1;
        e = U_ZERO_ERROR;
        u_strFromUTF8(in, in_cap, &in_len, src, (int32_t)len, &e);
    }
    if (U_FAILURE(e)) { rc = VOC_EDEPENDENCY; goto done; }
    const UNormalizer2 *n = nfkc_cf();
    if (!n) { rc = VOC_EDEPENDENCY; goto done; }
    int32_t res_len = unorm2_normalize(n, in, in_len, res, res_cap, &e);
    if (e == U_BUFFER_OVERFLOW_ERROR) {
        res = malloc(sizeof(UChar) * ((size_t)res_len + 1));
        if (!res) { rc = VOC_ENOMEM; goto done; }
        res_cap = res_len + 1;
        e = U_ZERO_ERROR;
        res_len = unorm2_normalize(n, in, in_len, res, res_cap, &e);
    }
    if (U_FAILURE(e)) { rc = VOC_EDEPENDENCY; goto done; }
    int32_t u8_len = 0;
    e = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &u8_len, res, res_len, &e);
    e = U_ZERO_ERROR;
    if (voc__buf_reserve(out, (size_t)u8_len + 1) != VOC_OK) { rc = VOC_ENOMEM; goto done; }
    u_strToUTF8(out->data + out->len, u8_len + 1, &u8_len, res, res_len, &e);
    if (U_FAILURE(e)) { rc = VOC_EDEPENDENCY; goto done; }
    out->len += (size_t)u8_len;
    out->data[out->len] = '\0';
done:
    if (in != in_stack) free(in);
    if (res != out_stack) free(res);
    return rc;
}

/* Bits for the members of `set` within U+4E00..U+9FFF. */
static void set_bits(const USet *set, uint8_t *bits)
{
    UErrorCode e = U_ZERO_ERROR;
    memset(bits, 0, (0xA000 - 0x4E00) / 8);
    for (int32_t k = 0, n = uset_getItemCount(set); k < n; k++) {
        UChar32 lo, hi;
        if (uset_getItem(set, k, &lo, &hi, NULL, 0, &e) != 0) continue; /* a string item */
        if (lo < 0x4E00) lo = 0x4E00;
        if (hi > 0x9FFF) hi = 0x9FFF;
        for (UChar32 cp = lo; cp <= hi; cp++)
            bits[(cp - 0x4E00) >> 3] |= (uint8_t)(1u << ((cp - 0x4E00) & 7));
    }
}

int voc__icu_simplified_bits(uint8_t *strict, uint8_t *ambiguous, uint8_t *traditional,
                             voc_error *err)
{
    UErrorCode e = U_ZERO_ERROR;
    UConverter *gb = ucnv_open("gb2312", &e);
    UConverter *big5 = U_SUCCESS(e) ? ucnv_open("windows-950", &e) : NULL;
    UConverter *hkscs = U_SUCCESS(e) ? ucnv_open("ibm-1375", &e) : NULL; /* Big5-HKSCS */
    USet *sgb = uset_openEmpty(), *sbig5 = uset_openEmpty(), *shk = uset_openEmpty();
    int rc = VOC_OK;
    if (U_FAILURE(e) || !gb || !big5 || !hkscs || !sgb || !sbig5 || !shk) {
        rc = voc__fail(err, VOC_EDEPENDENCY, "ICU", 0, 0,
                       "cannot open the gb2312/windows-950/ibm-1375 converters: %s", u_errorName(e));
        goto done;
    }
    ucnv_getUnicodeSet(gb, sgb, UCNV_ROUNDTRIP_SET, &e);
    ucnv_getUnicodeSet(big5, sbig5, UCNV_ROUNDTRIP_SET, &e);
    ucnv_getUnicodeSet(hkscs, shk, UCNV_ROUNDTRIP_SET, &e);
    if (U_FAILURE(e)) {
        rc = voc__fail(err, VOC_EDEPENDENCY, "ICU", 0, 0, "converter sets: %s", u_errorName(e));
        goto done;
    }
    /* each set as a bitmap over U+4E00..U+9FFF, filled range by range, then combined */
    uint8_t in_gb[(0xA000 - 0x4E00) / 8], in_b5[sizeof in_gb], in_hk[sizeof in_gb];
    set_bits(sgb, in_gb);
    set_bits(sbig5, in_b5);
    set_bits(shk, in_hk);
    for (size_t k = 0; k < sizeof in_gb; k++) {
        strict[k] = (uint8_t)(in_gb[k] & ~in_b5[k] & ~in_hk[k]);
        ambiguous[k] = (uint8_t)(in_gb[k] & ~in_b5[k] & in_hk[k]);
        traditional[k] = (uint8_t)(in_b5[k] & ~in_gb[k]);
    }
    /* HKSCS also holds everyday Simplified characters (复, 两, 银, 发): those in GB2312's
     * level 1, its 3,755 most frequent characters (lead bytes 0xB0-0xD7), are Simplified
     * whatever HKSCS says — a Taiwanese text never has them, while the rare shared ones
     * (糍, 珉: level 2) stay ambiguous */
    for (UChar32 cp = 0x4E00; cp < 0xA000; cp++) {
        size_t k = (size_t)(cp - 0x4E00) >> 3;
        uint8_t bit = (uint8_t)(1u << ((cp - 0x4E00) & 7));
        if (!(ambiguous[k] & bit)) continue;
        UChar u = (UChar)cp;
        char out[8];
        UErrorCode ce = U_ZERO_ERROR;
        int32_t n = ucnv_fromUChars(gb, out, sizeof out, &u, 1, &ce);
        if (U_SUCCESS(ce) && n == 2 && (unsigned char)out[0] >= 0xB0 && (unsigned char)out[0] <= 0xD7) {
            ambiguous[k] &= (uint8_t)~bit;
            strict[k] |= bit;
        }
    }
done:
    if (gb) ucnv_close(gb);
    if (big5) ucnv_close(big5);
    if (hkscs) ucnv_close(hkscs);
    if (sgb) uset_close(sgb);
    if (sbig5) uset_close(sbig5);
    if (shk) uset_close(shk);
    return rc;
}

struct voc_icu {
    UBreakIterator *word;
    UBreakIterator *sentence; /* opened on first use */
    UBreakIterator *han;     /* zh word break (dictionary), for the ICU segmenter option */
    UText word_text;
    UText sentence_text;
    UText han_text;
};

int voc__icu_new(voc_icu **out, voc_error *err)
{
    *out = NULL;
    voc_icu *icu = calloc(1, sizeof *icu);
    if (!icu) return voc__fail(err, VOC_ENOMEM, "ICU", 0, 0, "out of memory");
    UText init = UTEXT_INITIALIZER;
    icu->word_text = init;
    icu->sentence_text = init;
    icu->han_text = init;
    UErrorCode e = U_ZERO_ERROR;
    icu->word = ubrk_open(UBRK_WORD, "en", NULL, 0, &e);
    if (U_FAILURE(e)) {
        voc__icu_free(icu);
        return voc__fail(err, VOC_EDEPENDENCY, "ICU", 0, 0, "ubrk_open: %s", u_errorName(e));
    }
    *out = icu;
    return VOC_OK;
}

void voc__icu_free(voc_icu *icu)
{
    if (!icu) return;
    if (icu->word) ubrk_close(icu->word);
    if (icu->sentence) ubrk_close(icu->sentence);
    if (icu->han) ubrk_close(icu->han);
    utext_close(&icu->han_text);
    utext_close(&icu->word_text);
    utext_close(&icu->sentence_text);
    free(icu);
}

int voc__icu_word_set(voc_icu *icu, const char *text, size_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    if (len > INT32_MAX) return VOC_ETOOBIG;
    utext_openUTF8(&icu->word_text, text, (int64_t)len, &e);
    if (U_SUCCESS(e)) ubrk_setUText(icu->word, &icu->word_text, &e);
    return U_FAILURE(e) ? VOC_EDEPENDENCY : VOC_OK;
}

size_t voc__icu_word_following(voc_icu *icu, size_t pos)
{
    int32_t b = ubrk_following(icu->word, (int32_t)pos);
    if (b == UBRK_DONE) return (size_t)utext_nativeLength(&icu->word_text);
    return (size_t)b;
}

/* Point `bi` at text[0..len) through the reused UText `ut` and call fn per boundary. */
static int each_boundary(UBreakIterator *bi, UText *ut, const char *text, size_t len,
                         int (*fn)(void *user, size_t boundary), void *user)
{
    UErrorCode e = U_ZERO_ERROR;
    if (len > INT32_MAX) return VOC_ETOOBIG;
    utext_openUTF8(ut, text, (int64_t)len, &e);
    if (U_SUCCESS(e)) ubrk_setUText(bi, ut, &e);
    if (U_FAILURE(e)) return VOC_EDEPENDENCY;
    for (int32_t b = ubrk_next(bi); b != UBRK_DONE; b = ubrk_next(bi)) {
        int rc = fn(user, (size_t)b);
        if (rc) return rc;
    }
    return VOC_OK;
}

int voc__icu_sentences(voc_icu *icu, const char *text, size_t len,
                       int (*fn)(void *user, size_t boundary), void *user)
{
    if (!icu->sentence) { /* opened on first use: building the suppressions costs ~0.5 ms */
        UErrorCode e = U_ZERO_ERROR;
        icu->sentence = ubrk_open(UBRK_SENTENCE, "en@ss=standard", NULL, 0, &e);
        if (U_FAILURE(e)) return VOC_EDEPENDENCY;
    }
    return each_boundary(icu->sentence, &icu->sentence_text, text, len, fn, user);
}

int voc__icu_han_breaks(voc_icu *icu, const char *text, size_t len,
                        int (*fn)(void *user, size_t boundary), void *user)
{
    if (!icu->han) { /* opened on first use: only the ICU segmenter option needs it */
        UErrorCode e = U_ZERO_ERROR;
        icu->han = ubrk_open(UBRK_WORD, "zh_Hant", NULL, 0, &e);
        if (U_FAILURE(e)) return VOC_EDEPENDENCY;
    }
    return each_boundary(icu->han, &icu->han_text, text, len, fn, user);
}

int voc__icu_abbreviations(char ***out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    UErrorCode e = U_ZERO_ERROR;
    UResourceBundle *root = ures_open(U_ICUDATA_NAME "-brkitr", "en", &e);
    UResourceBundle *ex = U_SUCCESS(e) ? ures_getByKey(root, "exceptions", NULL, &e) : NULL;
    UResourceBundle *sb = U_SUCCESS(e) ? ures_getByKey(ex, "SentenceBreak", NULL, &e) : NULL;
    int rc = U_SUCCESS(e) ? VOC_OK : VOC_EDEPENDENCY;
    char **list = NULL;
    size_t n = 0, cap = 0;
    for (int32_t i = 0; rc == VOC_OK && i < ures_getSize(sb); i++) {
        int32_t len = 0;
        const UChar *u = ures_getStringByIndex(sb, i, &len, &e);
        char buf[128];
        int32_t blen = 0;
        if (U_SUCCESS(e)) u_strToUTF8(buf, sizeof buf, &blen, u, len, &e);
        if (U_FAILURE(e) || blen <= 0 || blen >= (int32_t)sizeof buf) { e = U_ZERO_ERROR; continue; }
        char *copy = voc__strndup(buf, (size_t)blen);
        if (!copy || voc__grow((void **)&list, &cap, n + 1, sizeof *list)) { free(copy); rc = VOC_ENOMEM; break; }
        list[n++] = copy;
    }
    if (sb) ures_close(sb);
    if (ex) ures_close(ex);
    if (root) ures_close(root);
    if (rc) {
        for (size_t i = 0; i < n; i++) free(list[i]);
        free(list);
        return rc;
    }
    *out = list;
    *n_out = n;
    return VOC_OK;
}
