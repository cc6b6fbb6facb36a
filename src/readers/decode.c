/* readers/decode.c — input encodings: a byte stream in any charset ICU knows → UTF-8.
 *
 * The readers call this first, so everything after it (unit splitting, parsing, analysis)
 * sees UTF-8.  Which charset: a forced name (--encoding), else a byte-order mark (UTF-8,
 * UTF-16LE/BE), else — for formats that legacy tools write (CSV, TSV, text) — decided at
 * the first chunk with a byte above 0x7F: UTF-8 when it is valid UTF-8, else ICU's charset
 * detection (ucsdet) on it — Big5 as Taiwanese Excel writes it, GB18030, Shift_JIS,
 * windows-125x — helped by a double-byte check where ucsdet, given few bytes, guesses a
 * Latin code page.  UTF-8 input passes through
 * untouched (no copy, no cost); other input goes through ucnv_convertEx chunk by chunk,
 * with characters split across chunks carried over by ICU.  Bytes the charset cannot map
 * become U+FFFD and set VOC_WARN_DECODING on the records that contain them. */
#include "parse.h"
#include "readers.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>

struct voc_decoder {
    UConverter *from;          /* the input's charset; NULL: the input is UTF-8 */
    UConverter *to_utf8;
    UChar pivot[4096];
    UChar *pivot_source, *pivot_target;
    char name[64];
    size_t n_substituted;      /* characters that became U+FFFD */
    bool undecided;            /* ASCII so far: detect at the first other byte */
    voc_buf sample;            /* input held from that byte until there is enough to tell */
};

/* ICU's to-Unicode callback: substitute as usual, and count. */
static void count_substitutions(const void *context, UConverterToUnicodeArgs *args,
                                const char *bytes, int32_t length, UConverterCallbackReason reason,
                                UErrorCode *status)
{
    voc_decoder *d = (voc_decoder *)context;
    if (reason <= UCNV_IRREGULAR) d->n_substituted++;
    UCNV_TO_U_CALLBACK_SUBSTITUTE(NULL, args, bytes, length, reason, status);
}

static bool label_in(const char *label, const char *const *names, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (voc__ascii_case_equal(label, names[k])) return true;
    return false;
}
#define LABEL_IN(label, names) label_in((label), (names), sizeof(names) / sizeof *(names))

/* Excel in Taiwan writes code page 950, Big5 with Microsoft's additions (ICU's detector calls
 * it "Big5"); Hong Kong's Big5-HKSCS is IBM's 1375; mail and files labelled gb2312 are GBK,
 * read by its superset GB 18030; "Latin-1" text from Windows has curly quotes in 0x80-0x9F,
 * which ISO-8859-1 reads as control characters. */
const char *voc__charset_widen(const char *label)
{
    static const char *const big5[] = {"big5", "cp950", "x-x-big5", "csbig5", "big5-tw", "windows-950"};
    static const char *const hkscs[] = {"big5-hkscs", "big5hkscs"};
    static const char *const gbk[] = {"gb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn",
                                      "x-euc-cn", "csgb2312", "gb_2312-80", "chinese"};
    static const char *const latin1[] = {"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "cp819",
                                         "ibm819", "csisolatin1"};
    static const char *const korean[] = {"ks_c_5601-1987", "euc-kr", "cp949", "windows-949", "ks_c_5601-1989",
                                         "csksc56011987"};
    if (!label) return NULL;
    if (LABEL_IN(label, big5)) return "windows-950";
    if (LABEL_IN(label, hkscs)) return "ibm-1375";
    if (LABEL_IN(label, gbk)) return "gb18030";
    if (LABEL_IN(label, latin1)) return "windows-1252";
    if (LABEL_IN(label, korean)) return "windows-949";
    return label;
}

static int open_converter(voc_decoder *d, const char *name, voc_error *err)
{
    UErrorCode e = U_ZERO_ERROR;
    d->from = ucnv_open(voc__charset_widen(name), &e);
    if (U_FAILURE(e))
        return voc__fail(err, VOC_EINVAL, "--encoding", 0, 0, "unknown encoding '%s' (%s)", name,
                         u_errorName(e));
    d->to_utf8 = ucnv_open("UTF-8", &e);
    if (U_SUCCESS(e))
        ucnv_setToUCallBack(d->from, count_substitutions, d, NULL, NULL, &e);
    if (U_FAILURE(e)) return voc__fail(err, VOC_ENOMEM, "decode", 0, 0, "ICU: %s", u_errorName(e));
    d->pivot_source = d->pivot_target = d->pivot;
    snprintf(d->name, sizeof d->name, "%s", name);
    return VOC_OK;
}

/* Valid UTF-8 except perhaps a sequence cut by the end of the sample. */
static bool looks_utf8(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t adv;
        int32_t cp = voc__utf8_decode((const unsigned char *)s, len, i, &adv);
        if (cp < 0) return len - i < 4 && (unsigned char)s[i] >= 0xC0; /* cut at the end */
        i += adv;
    }
    return true;
}

/* Do the bytes above 0x7F pair up as a double-byte CJK encoding writes them (a lead byte
 * 0x81-0xFE, then a trail byte 0x40-0x7E or 0x80-0xFE)?  Then *big5 says whether any
 * trail byte lies in 0x40-0x7E: Big5 uses that range for about 40% of its characters,
 * GB2312 never (GBK only for rare ones), so one such pair points to Big5.  Example: 退款很慢
 * in Big5 is B0 68 B4 DA AB DC BA 43 — trails 0x68 and 0x43 — where ucsdet, given so few
 * bytes, guesses ISO-8859-1. */
static bool looks_double_byte(const unsigned char *s, size_t len, bool *big5)
{
    size_t pairs = 0, low_trails = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < 0x80) continue;
        if (s[i] == 0x80 || s[i] == 0xFF) return false;
        if (i + 1 >= len) break; /* a pair cut by the end of the sample */
        unsigned char t = s[i + 1];
        if (t >= 0x40 && t <= 0x7E) low_trails++;
        else if (t < 0x80 || t == 0xFF) return false;
        pairs++;
        i++;
    }
    *big5 = low_trails > 0;
    return pairs > 0;
}

/* ICU's guess for bytes that are not UTF-8, or NULL to keep them as UTF-8 (repaired). */
static void detect_charset(const char *sample, size_t len, char *found, size_t cap)
{
    found[0] = '\0';
    UErrorCode e = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&e);
    ucsdet_setText(det, sample, (int32_t)(len > INT32_MAX ? INT32_MAX : len), &e);
    const UCharsetMatch *m = U_SUCCESS(e) ? ucsdet_detect(det, &e) : NULL;
    const char *guess = m && U_SUCCESS(e) ? ucsdet_getName(m, &e) : NULL;
    int32_t confidence = m && U_SUCCESS(e) ? ucsdet_getConfidence(m, &e) : 0;
    if (len < 512) confidence = 0; /* too few bytes for ucsdet's statistics */
    if (guess && U_SUCCESS(e)) snprintf(found, cap, "%s", guess);
    ucsdet_close(det);
    /* a short text leaves ucsdet guessing a Latin code page; double-byte pairs say
     * otherwise (a Taiwanese export is far likelier than Latin-1 mojibake) */
    bool big5;
    if ((!found[0] || confidence < 10 ||
         ((voc__ascii_case_equal_n(found, "ISO-8859", 8) || voc__ascii_case_equal_n(found, "windows-125", 11)) && confidence < 50)) &&
        looks_double_byte((const unsigned char *)sample, len, &big5))
        snprintf(found, cap, "%s", big5 ? "Big5" : "GB18030");
    if (voc__ascii_case_equal(found, "UTF-8")) found[0] = '\0';
}

int voc__decoder_open(const char *forced, bool detect, const char *head, size_t head_len,
                      voc_decoder **out, size_t *bom_len, voc_error *err)
{
    *out = NULL;
    *bom_len = 0;
    voc_decoder *d = calloc(1, sizeof *d);
    if (!d) return voc__fail(err, VOC_ENOMEM, "decode", 0, 0, "out of memory");
    const unsigned char *h = (const unsigned char *)head;
    const char *name = NULL;
    if (head_len >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF) {
        *bom_len = 3;
        name = "UTF-8";
    } else if (head_len >= 2 && h[0] == 0xFF && h[1] == 0xFE) {
        *bom_len = 2;
        name = "UTF-16LE";
    } else if (head_len >= 2 && h[0] == 0xFE && h[1] == 0xFF) {
        *bom_len = 2;
        name = "UTF-16BE";
    }
    if (forced) {
        /* a forced UTF-16/UTF-8 still drops its own BOM; a forced legacy charset keeps
         * every byte */
        if (!name || !voc__ascii_case_equal_n(forced, name, strlen(name))) *bom_len = 0;
        name = forced;
    } else if (!name && detect) {
        /* decided on the first bytes that are not ASCII (ASCII reads the same in all the
         * charsets detected), so a header row alone does not settle it */
        d->undecided = true;
    }
    if (!name || voc__ascii_case_equal(name, "UTF-8") || voc__ascii_case_equal(name, "utf8")) {
        snprintf(d->name, sizeof d->name, "UTF-8"); /* pass through */
        *out = d;
        return VOC_OK;
    }
    int rc = open_converter(d, name, err);
    if (rc) { voc__decoder_free(d); return rc; }
    *out = d;
    return VOC_OK;
}

bool voc__decoder_passthrough(const voc_decoder *d) { return !d || !d->from; }

const char *voc__decoder_name(const voc_decoder *d) { return d ? d->name : "UTF-8"; }

size_t voc__decoder_substituted(const voc_decoder *d) { return d ? d->n_substituted : 0; }

int voc__decoder_push(voc_decoder *d, const char *in, size_t len, bool flush, voc_buf *out,
                      voc_error *err)
{
    if (d->undecided) {
        size_t ascii = 0;
        if (!d->sample.len)
            while (ascii < len && !((unsigned char)in[ascii] & 0x80)) ascii++;
        if (ascii == len && !flush) /* ASCII so far: passes as it is */
            return voc__buf_append(out, in, len) ? VOC_ENOMEM : VOC_OK;
        if (voc__buf_append(out, in, ascii) || voc__buf_append(&d->sample, in + ascii, len - ascii))
            return voc__fail(err, VOC_ENOMEM, "decode", 0, 0, "out of memory");
        /* from the first byte above 0x7F, gather the rest of its line (at most 4 KiB) to
         * tell by: a live feed is answered line by line, a file gives a whole chunk */
        if (!flush && d->sample.len < 4096 && !memchr(d->sample.data, '\n', d->sample.len)) return VOC_OK;
        d->undecided = false;
        char found[64] = "";
        if (!looks_utf8(d->sample.data, d->sample.len))
            detect_charset(d->sample.data, d->sample.len, found, sizeof found);
        /* ucsdet names a few charsets ICU has no converter for (IBM420_ltr): the bytes then
         * stay as they are and are repaired as UTF-8, with a warning on the records */
        voc_error ignored;
        if (found[0] && open_converter(d, found, &ignored) != VOC_OK) {
            if (d->from) ucnv_close(d->from);
            if (d->to_utf8) ucnv_close(d->to_utf8);
            d->from = d->to_utf8 = NULL;
            snprintf(d->name, sizeof d->name, "UTF-8");
        }
        voc_buf held = d->sample;
        memset(&d->sample, 0, sizeof d->sample);
        int rc = voc__decoder_push(d, held.data, held.len, flush, out, err);
        voc__buf_free(&held);
        return rc;
    }
    if (!d->from) return voc__buf_append(out, in, len) ? VOC_ENOMEM : VOC_OK;
    const char *src = in, *src_end = in + len;
    for (;;) {
        /* UTF-16 input grows by at most 3/2, legacy double-byte charsets by 3/2 too */
        if (voc__buf_reserve(out, len + len / 2 + 64))
            return voc__fail(err, VOC_ENOMEM, "decode", 0, 0, "out of memory");
        char *dst = out->data + out->len, *dst_end = out->data + out->cap - 1;
        UErrorCode e = U_ZERO_ERROR;
        ucnv_convertEx(d->to_utf8, d->from, &dst, dst_end, &src, src_end, d->pivot,
                       &d->pivot_source, &d->pivot_target, d->pivot + 4096, false, flush, &e);
        out->len = (size_t)(dst - out->data);
        out->data[out->len] = '\0';
        if (e == U_BUFFER_OVERFLOW_ERROR) continue; /* more room, same input */
        if (U_FAILURE(e))
            return voc__fail(err, VOC_EPARSE, "decode", 0, 0, "cannot decode %s: %s", d->name,
                             u_errorName(e));
        return VOC_OK;
    }
}

void voc__decoder_free(voc_decoder *d)
{
    if (!d) return;
    voc__buf_free(&d->sample);
    if (d->from) ucnv_close(d->from);
    if (d->to_utf8) ucnv_close(d->to_utf8);
    free(d);
}
