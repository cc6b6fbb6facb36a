/* readers/email.c — one RFC 5322 message → the text the customer wrote, plus subject,
 * sender, date and Message-ID: the adapter over GMime (MIME structure, RFC 2047 encoded
 * words, quoted-printable, base64, addresses, dates) and ICU (charsets).
 *
 * The input pipeline hands it one message's bytes (an mbox is split before); it picks the
 * body part (text/plain over text/html), undoes the transfer encoding with GMime, converts
 * the part's charset to UTF-8 with ICU's converters (any charset ICU knows; none or an
 * unknown one → ICU's detector, else UTF-8 with repair), turns HTML into text
 * (html_text.c), unwraps format=flowed, and keeps the customer's own words
 * (reply_strip.c).  GMime is opened (dlopen) and initialized once, by the first call;
 * afterwards each call owns every GMime object it touches and only reads the shared,
 * never-modified parser options, so threads parse different messages at the same time. */
#include "readers.h"

#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>

/* Decoded bytes read from one part at most (HTML shrinks a lot when its tags go), and the
 * text gathered over all parts at most; the customer's own text is cut at
 * VOC_MAX_DOC_BYTES after stripping.  Past either: VOC_WARN_TRUNCATED. */
#define RAW_PART_CAP ((size_t)8 << 20)
#define TEXT_CAP ((size_t)4 << 20)
#define MAX_MIME_DEPTH 32

/* ---- GMime and GLib, loaded when the first message is read ------------------------------
 * GMime brings GLib, GObject, GIO, gpgme and a dozen more shared libraries that every
 * vocmine process would otherwise map and relocate at start-up (6.7 million instructions
 * with libxml2, as many as the analysis of a hundred tweets), although most runs read no
 * e-mail.  So the functions below — GMime's, and the GLib and GObject ones its handle
 * reaches — are looked up on first use (voc__library_ready), as store_pg.c does for libpq;
 * the macros after the table route every call in this file, and in GMime's own macros
 * such as GMIME_IS_PART, through it, so the code reads as plain GMime.  A function missing
 * from the list is a link error (the library is not linked), never a silent fallback. */
#define GMIME_FUNCTIONS(X)                                                                       \
    X(g_mime_init) X(g_mime_parser_options_new)                                                  \
    X(g_mime_parser_options_set_rfc2047_compliance_mode)                                         \
    X(g_mime_parser_options_set_address_compliance_mode)                                         \
    X(g_mime_parser_options_set_parameter_compliance_mode)                                       \
    X(g_mime_parser_options_set_fallback_charsets) X(g_mime_stream_mem_new_with_buffer)          \
    X(g_mime_parser_new_with_stream) X(g_mime_parser_set_format)                                 \
    X(g_mime_parser_construct_message)                                                           \
    X(g_mime_message_get_mime_part) X(g_mime_message_get_message_id)                             \
    X(g_mime_object_get_type) X(g_mime_object_get_header_list)                                   \
    X(g_mime_object_get_content_type) X(g_mime_object_get_content_type_parameter)                \
    X(g_mime_object_get_content_disposition) X(g_mime_header_list_get_count)                     \
    X(g_mime_header_list_get_header) X(g_mime_header_get_raw_value)                              \
    X(g_mime_content_type_is_type) X(g_mime_content_type_get_mime_type)                          \
    X(g_mime_content_disposition_is_attachment) X(g_mime_multipart_get_type)                     \
    X(g_mime_multipart_encrypted_get_type) X(g_mime_multipart_signed_get_type)                   \
    X(g_mime_multipart_get_count) X(g_mime_multipart_get_part) X(g_mime_part_get_type)           \
    X(g_mime_part_get_content)                                                                   \
    X(g_mime_data_wrapper_get_stream) X(g_mime_data_wrapper_get_encoding)                        \
    X(g_mime_stream_filter_get_type) X(g_mime_stream_filter_new) X(g_mime_stream_filter_add)     \
    X(g_mime_filter_basic_new) X(g_mime_stream_read) X(g_mime_stream_reset)                      \
    X(g_mime_utils_header_unfold) X(g_mime_utils_header_decode_text)                             \
    X(g_mime_utils_header_decode_date) X(internet_address_list_parse)                            \
    X(internet_address_list_length) X(internet_address_list_get_address)                         \
    X(internet_address_group_get_type) X(internet_address_group_get_members)                     \
    X(internet_address_mailbox_get_type) X(internet_address_mailbox_get_addr)                    \
    X(internet_address_get_name)                                                                 \
    X(g_type_check_instance_is_a) X(g_type_check_instance_cast) X(g_object_unref) X(g_free)      \
    X(g_strdup) X(g_strchug) X(g_strchomp) X(g_ascii_table) X(g_date_time_to_utc)                \
    X(g_date_time_unref) X(g_date_time_get_year) X(g_date_time_get_month)                        \
    X(g_date_time_get_day_of_month) X(g_date_time_get_hour) X(g_date_time_get_minute)            \
    X(g_date_time_get_second)

VOC_LIBRARY_DEFINE(GMIME_FUNCTIONS, "GMime", "apt-get install libgmime-3.0-0", NULL, VOCMINE_GMIME_SONAME);

#define g_mime_init voc_lib_table.g_mime_init
#define g_mime_parser_options_new voc_lib_table.g_mime_parser_options_new
#define g_mime_parser_options_set_rfc2047_compliance_mode voc_lib_table.g_mime_parser_options_set_rfc2047_compliance_mode
#define g_mime_parser_options_set_address_compliance_mode voc_lib_table.g_mime_parser_options_set_address_compliance_mode
#define g_mime_parser_options_set_parameter_compliance_mode voc_lib_table.g_mime_parser_options_set_parameter_compliance_mode
#define g_mime_parser_options_set_fallback_charsets voc_lib_table.g_mime_parser_options_set_fallback_charsets
#define g_mime_stream_mem_new_with_buffer voc_lib_table.g_mime_stream_mem_new_with_buffer
#define g_mime_parser_new_with_stream voc_lib_table.g_mime_parser_new_with_stream
#define g_mime_parser_set_format voc_lib_table.g_mime_parser_set_format
#define g_mime_parser_construct_message voc_lib_table.g_mime_parser_construct_message
#define g_mime_message_get_mime_part voc_lib_table.g_mime_message_get_mime_part
#define g_mime_message_get_message_id voc_lib_table.g_mime_message_get_message_id
#define g_mime_object_get_type voc_lib_table.g_mime_object_get_type
#define g_mime_object_get_header_list voc_lib_table.g_mime_object_get_header_list
#define g_mime_object_get_content_type voc_lib_table.g_mime_object_get_content_type
#define g_mime_object_get_content_type_parameter voc_lib_table.g_mime_object_get_content_type_parameter
#define g_mime_object_get_content_disposition voc_lib_table.g_mime_object_get_content_disposition
#define g_mime_header_list_get_count voc_lib_table.g_mime_header_list_get_count
#define g_mime_header_list_get_header voc_lib_table.g_mime_header_list_get_header
#define g_mime_header_get_raw_value voc_lib_table.g_mime_header_get_raw_value
#define g_mime_content_type_is_type voc_lib_table.g_mime_content_type_is_type
#define g_mime_content_type_get_mime_type voc_lib_table.g_mime_content_type_get_mime_type
#define g_mime_content_disposition_is_attachment voc_lib_table.g_mime_content_disposition_is_attachment
#define g_mime_multipart_get_type voc_lib_table.g_mime_multipart_get_type
#define g_mime_multipart_encrypted_get_type voc_lib_table.g_mime_multipart_encrypted_get_type
#define g_mime_multipart_signed_get_type voc_lib_table.g_mime_multipart_signed_get_type
#define g_mime_multipart_get_count voc_lib_table.g_mime_multipart_get_count
#define g_mime_multipart_get_part voc_lib_table.g_mime_multipart_get_part
#define g_mime_part_get_type voc_lib_table.g_mime_part_get_type
#define g_mime_part_get_content voc_lib_table.g_mime_part_get_content
#define g_mime_data_wrapper_get_stream voc_lib_table.g_mime_data_wrapper_get_stream
#define g_mime_data_wrapper_get_encoding voc_lib_table.g_mime_data_wrapper_get_encoding
#define g_mime_stream_filter_get_type voc_lib_table.g_mime_stream_filter_get_type
#define g_mime_stream_filter_new voc_lib_table.g_mime_stream_filter_new
#define g_mime_stream_filter_add voc_lib_table.g_mime_stream_filter_add
#define g_mime_filter_basic_new voc_lib_table.g_mime_filter_basic_new
#define g_mime_stream_read voc_lib_table.g_mime_stream_read
#define g_mime_stream_reset voc_lib_table.g_mime_stream_reset
#define g_mime_utils_header_unfold voc_lib_table.g_mime_utils_header_unfold
#define g_mime_utils_header_decode_text voc_lib_table.g_mime_utils_header_decode_text
#define g_mime_utils_header_decode_date voc_lib_table.g_mime_utils_header_decode_date
#define internet_address_list_parse voc_lib_table.internet_address_list_parse
#define internet_address_list_length voc_lib_table.internet_address_list_length
#define internet_address_list_get_address voc_lib_table.internet_address_list_get_address
#define internet_address_group_get_type voc_lib_table.internet_address_group_get_type
#define internet_address_group_get_members voc_lib_table.internet_address_group_get_members
#define internet_address_mailbox_get_type voc_lib_table.internet_address_mailbox_get_type
#define internet_address_mailbox_get_addr voc_lib_table.internet_address_mailbox_get_addr
#define internet_address_get_name voc_lib_table.internet_address_get_name
#define g_type_check_instance_is_a voc_lib_table.g_type_check_instance_is_a
#define g_type_check_instance_cast voc_lib_table.g_type_check_instance_cast
#define g_object_unref voc_lib_table.g_object_unref
#define g_free voc_lib_table.g_free
#define g_strdup voc_lib_table.g_strdup
#define g_strchug voc_lib_table.g_strchug
#define g_strchomp voc_lib_table.g_strchomp
#define g_ascii_table (*voc_lib_table.g_ascii_table) /* data: the table g_ascii_isspace reads */
#define g_date_time_to_utc voc_lib_table.g_date_time_to_utc
#define g_date_time_unref voc_lib_table.g_date_time_unref
#define g_date_time_get_year voc_lib_table.g_date_time_get_year
#define g_date_time_get_month voc_lib_table.g_date_time_get_month
#define g_date_time_get_day_of_month voc_lib_table.g_date_time_get_day_of_month
#define g_date_time_get_hour voc_lib_table.g_date_time_get_hour
#define g_date_time_get_minute voc_lib_table.g_date_time_get_minute
#define g_date_time_get_second voc_lib_table.g_date_time_get_second

/* ---- one-time initialization --------------------------------------------------------------- */

static GMimeParserOptions *parser_options; /* built once after loading, read-only afterwards */

/* After loading, once: GMime's own initialization and the parser options every message
 * uses. */
static bool gmime_setup(voc_library_state *st)
{
    g_mime_init();
    GMimeParserOptions *o = g_mime_parser_options_new();
    if (!o) {
        snprintf(st->problem, sizeof st->problem, "GMime did not initialize");
        return false;
    }
    /* lenient like mail clients: encoded words glued to text ("=?big5?B?...?=退款"),
     * unquoted parameters, odd addresses */
    g_mime_parser_options_set_rfc2047_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_address_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
    /* raw 8-bit header text is converted with ICU before GMime sees it (header_utf8); this
     * only covers encoded words in a charset iconv lacks — fixed, not the locale's */
    const char *fallback[] = {"UTF-8", "windows-1252", NULL};
    g_mime_parser_options_set_fallback_charsets(o, fallback);
    parser_options = o;
    return true;
}

/* ---- charsets (ICU) ------------------------------------------------------------------------ */

/* A declared charset as ICU should read it (voc__charset_widen: the table the other readers
 * use), or NULL for "none worth trusting". */
static const char *icu_charset_name(const char *declared)
{
    if (!declared || !*declared) return NULL;
    static const char *const none[] = {"us-ascii", "ascii", "ansi_x3.4-1968", "unknown-8bit",
                                       "x-unknown", "unknown", "default", "x-user-defined"};
    for (size_t k = 0; k < sizeof none / sizeof *none; k++)
        if (voc__ascii_case_equal(declared, none[k])) return NULL;
    return voc__charset_widen(declared);
}

static int is_utf8_name(const char *name)
{
    return voc__ascii_case_equal(name, "utf-8") || voc__ascii_case_equal(name, "utf8");
}

/* The to-Unicode callback: every unmappable or illegal sequence becomes U+FFFD, counted. */
static void count_replacements(const void *context, UConverterToUnicodeArgs *args,
                               const char *units, int32_t n_units, UConverterCallbackReason reason,
                               UErrorCode *e)
{
    (void)units;
    (void)n_units;
    if (reason > UCNV_IRREGULAR) return; /* reset, close, clone */
    (*(size_t *)context)++;
    static const UChar sub = 0xFFFD;
    *e = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, &sub, 1, 0, e);
}

/* Convert src[0..len) from `charset` to UTF-8, appended to out.  *n_replaced counts the
 * sequences that became U+FFFD; *canon (may be NULL) gets ICU's name for the charset (a
 * malloc'd copy).  VOC_EINVAL when ICU does not know the charset. */
static int icu_convert(const char *charset, const char *src, size_t len, voc_buf *out,
                       size_t *n_replaced, char **canon)
{
    UErrorCode e = U_ZERO_ERROR;
    *n_replaced = 0;
    UConverter *from = ucnv_open(charset, &e);
    if (U_FAILURE(e)) return VOC_EINVAL;
    UConverter *to = ucnv_open("UTF-8", &e);
    if (U_SUCCESS(e))
        ucnv_setToUCallBack(from, count_replacements, n_replaced, NULL, NULL, &e);
    int rc = U_SUCCESS(e) ? VOC_OK : VOC_EDEPENDENCY;
    UChar pivot[1024], *pivot_src = pivot, *pivot_tgt = pivot;
    const char *s = src, *s_end = src + len;
    size_t start_len = out->len;
    for (UBool reset = TRUE; rc == VOC_OK; reset = FALSE) {
        size_t want = (size_t)(s_end - s) * 3 / 2 + 64;
        if (voc__buf_reserve(out, want > ((size_t)1 << 20) ? ((size_t)1 << 20) : want)) {
            rc = VOC_ENOMEM;
            break;
        }
        char *t = out->data + out->len, *t_end = out->data + out->cap - 1;
        e = U_ZERO_ERROR;
        ucnv_convertEx(to, from, &t, t_end, &s, s_end, pivot, &pivot_src, &pivot_tgt,
                       pivot + sizeof pivot / sizeof *pivot, reset, TRUE, &e);
        out->len = (size_t)(t - out->data);
        out->data[out->len] = '\0';
        if (e == U_BUFFER_OVERFLOW_ERROR) continue;
        if (U_FAILURE(e)) rc = VOC_EDEPENDENCY;
        break;
    }
    if (rc == VOC_OK && canon) {
        e = U_ZERO_ERROR;
        const char *name = ucnv_getName(from, &e);
        *canon = voc__strndup(name ? name : charset, strlen(name ? name : charset));
        if (!*canon) rc = VOC_ENOMEM;
    }
    if (rc != VOC_OK) out->len = start_len;
    if (out->data) out->data[out->len] = '\0';
    ucnv_close(from);
    if (to) ucnv_close(to);
    return rc;
}

/* What one piece of text was read as. */
typedef struct decoded {
    char *charset;       /* ICU's name, malloc'd */
    int guessed;
    unsigned warnings;
} decoded;

/* Guess with ICU's detector (best first) and convert with the first guess that reads the
 * bytes without a replacement, else the guess with the fewest.  VOC_EINVAL: no guess. */
static int icu_guess(const char *src, size_t len, int html, voc_buf *out, decoded *d)
{
    UErrorCode e = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&e);
    if (U_FAILURE(e)) return VOC_EINVAL;
    int32_t sample = len > 65536 ? 65536 : (int32_t)len;
    ucsdet_enableInputFilter(det, html ? TRUE : FALSE); /* ignore <tags> */
    ucsdet_setText(det, src, sample, &e);
    int32_t n_matches = 0;
    const UCharsetMatch **m = U_SUCCESS(e) ? ucsdet_detectAll(det, &n_matches, &e) : NULL;
    const char *best = NULL;
    size_t best_bad = (size_t)-1;
    for (int32_t k = 0; U_SUCCESS(e) && m && k < n_matches && k < 6; k++) {
        UErrorCode me = U_ZERO_ERROR;
        const char *name = ucsdet_getName(m[k], &me);
        if (U_FAILURE(me) || !name || ucsdet_getConfidence(m[k], &me) < 10) continue;
        size_t bad;
        size_t mark = out->len;
        if (icu_convert(name, src, len, out, &bad, NULL) != VOC_OK) continue;
        out->len = mark;
        if (bad < best_bad) {
            best = name;
            best_bad = bad;
        }
        if (bad == 0) break;
    }
    int rc = VOC_EINVAL;
    if (best) {
        size_t bad;
        rc = icu_convert(best, src, len, out, &bad, &d->charset);
        if (rc == VOC_OK) {
            d->guessed = 1;
            if (bad) d->warnings |= VOC_WARN_INVALID_UTF8;
        }
    }
    ucsdet_close(det);
    return rc;
}

/* "charset=..." in the first bytes of an HTML document (<meta charset> or http-equiv). */
static int html_meta_charset(const char *html, size_t len, char *name, size_t cap)
{
    size_t n = len < 4096 ? len : 4096;
    for (size_t i = 0; i + 8 <= n; i++) {
        if (!voc__ascii_case_equal_n(html + i, "charset=", 8)) continue;
        size_t j = i + 8, k = 0;
        while (j < n && (html[j] == '"' || html[j] == '\'' || html[j] == ' ')) j++;
        while (j < n && k + 1 < cap && (g_ascii_isalnum(html[j]) || strchr("-_.:", html[j])))
            name[k++] = html[j++];
        name[k] = '\0';
        return k > 0;
    }
    return 0;
}

/* Private-use characters (U+E000..U+F8FF) in UTF-8 text: what windows-950 makes of the
 * Big5-HKSCS characters it lacks, without calling them errors. */
static size_t count_private_use(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i + 2 < len; i++) {
        unsigned char c = (unsigned char)s[i], d = (unsigned char)s[i + 1];
        n += (c == 0xEE) || (c == 0xEF && d >= 0x80 && d <= 0xA3);
    }
    return n;
}

/* Does invalid UTF-8 dominate the non-ASCII bytes?  A few broken bytes in UTF-8 text are
 * repaired; text where most is invalid (Big5 or GBK labelled utf-8) is another charset. */
static int mostly_not_utf8(const char *s, size_t len)
{
    size_t good = 0, bad = 0;
    for (size_t i = 0; i < len;) {
        size_t adv;
        int32_t cp = voc__utf8_decode((const unsigned char *)s, len, i, &adv);
        if (cp < 0) bad++;
        else if (cp >= 0x80) good += adv;
        i += adv;
    }
    return bad > good;
}

/* Append src[0..len) as UTF-8 to out, read as `declared` (may be NULL).  Valid UTF-8
 * without NUL bytes comes out; what was repaired or guessed is in *d. */
static int to_utf8(const char *declared, const char *src, size_t len, int html, voc_buf *out,
                   decoded *d)
{
    memset(d, 0, sizeof *d);
    char meta[48];
    const char *name = icu_charset_name(declared);
    if (!name && html && html_meta_charset(src, len, meta, sizeof meta))
        name = icu_charset_name(meta);
    int valid = voc__utf8_valid(src, len);
    int rc = VOC_EINVAL;
    size_t bad = 0, mark = out->len;
    if (name && !is_utf8_name(name)) {
        rc = icu_convert(name, src, len, out, &bad, &d->charset);
        /* Big5 mail from Hong Kong uses HKSCS characters under the plain "big5" label;
         * windows-950 reads them as errors or private-use characters */
        size_t odd = rc == VOC_OK && d->charset && strcmp(d->charset, "windows-950-2000") == 0
                         ? bad + count_private_use(out->data + mark, out->len - mark) : 0;
        if (odd) {
            size_t bad2;
            char *canon2 = NULL;
            voc_buf alt = {0};
            if (icu_convert("big5-hkscs", src, len, &alt, &bad2, &canon2) == VOC_OK &&
                bad2 + count_private_use(alt.data, alt.len) < odd) {
                out->len = mark;
                voc__buf_append(out, alt.data, alt.len);
                free(d->charset);
                d->charset = canon2;
                canon2 = NULL;
                bad = bad2;
            }
            free(canon2);
            voc__buf_free(&alt);
        }
        if (rc == VOC_OK && bad) d->warnings |= VOC_WARN_INVALID_UTF8;
        if (rc == VOC_ENOMEM) return rc;
    }
    if (rc != VOC_OK) {
        /* UTF-8 declared, or nothing ICU knows: the bytes as they are when they are valid
         * UTF-8; else ICU's detector decides (an unlabelled GBK mail, a Big5 one labelled
         * utf-8 — but not UTF-8 with a few broken bytes, which is repaired) */
        int declared_utf8 = name && is_utf8_name(name), any8bit = 0;
        for (size_t i = 0; i < len && !any8bit; i++) any8bit = (unsigned char)src[i] >= 0x80;
        if (!valid && (!declared_utf8 || mostly_not_utf8(src, len))) {
            rc = icu_guess(src, len, html, out, d);
            if (rc == VOC_OK && declared_utf8 && (d->warnings & VOC_WARN_INVALID_UTF8)) {
                out->len = mark; /* the guess is no better than repairing the declared UTF-8 */
                free(d->charset);
                memset(d, 0, sizeof *d);
                rc = VOC_EINVAL;
            }
            if (rc == VOC_ENOMEM) return rc;
        }
        if (rc != VOC_OK) {
            out->len = mark;
            d->charset = voc__strndup("UTF-8", 5);
            if (!d->charset) return VOC_ENOMEM;
            d->guessed = !declared_utf8 && any8bit;
            if (voc__buf_append(out, src, len)) return VOC_ENOMEM;
            rc = VOC_OK;
        }
    }
    if (out->failed) return VOC_ENOMEM;
    /* NUL characters (any charset can encode them) and, for UTF-8 read as is, bad bytes */
    if (!voc__utf8_valid(out->data + mark, out->len - mark)) {
        voc_buf fixed = {0};
        int w = voc__utf8_repair(out->data + mark, out->len - mark, &fixed);
        if (w < 0) return w;
        d->warnings |= (unsigned)w;
        out->len = mark;
        voc__buf_append(out, fixed.data, fixed.len);
        voc__buf_free(&fixed);
    }
    return out->failed ? VOC_ENOMEM : VOC_OK;
}

/* ---- format=flowed (RFC 3676) ---------------------------------------------------------- */

/* Join soft line breaks (a line ending in a space continues on the next line of the same
 * quote depth; "-- " stays a line), undo space-stuffing, and write quotes as "> ". */
static int unflow(const char *s, size_t len, int delsp, voc_buf *out)
{
    int open = 0, open_depth = 0; /* a paragraph continues on the next line */
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(s + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - s) : len, next = nl ? end + 1 : len;
        if (end > pos && s[end - 1] == '\r') end--;
        size_t a = pos;
        int depth = 0;
        while (a < end && s[a] == '>') { depth++; a++; }
        if (a < end && s[a] == ' ') a++; /* space-stuffing */
        int soft = end > a && s[end - 1] == ' ' && !(end - a == 3 && memcmp(s + a, "-- ", 3) == 0);
        if (open && depth != open_depth) voc__buf_append(out, "\n", 1);
        if (!open || depth != open_depth)
            for (int q = 0; q < depth; q++) voc__buf_append(out, "> ", 2);
        size_t b = soft && delsp ? end - 1 : end;
        voc__buf_append(out, s + a, b - a);
        if (!soft) voc__buf_append(out, "\n", 1);
        open = soft;
        open_depth = depth;
        pos = next;
        if (!nl) break;
    }
    return out->failed ? VOC_ENOMEM : VOC_OK;
}

/* ---- the MIME tree ------------------------------------------------------------------------- */

/* The text gathered from the parts read. */
typedef struct body {
    voc_buf text;
    unsigned warnings;
    char *charset;       /* of the first part read */
    int guessed;
    int n_parts;         /* text parts read (even empty ones) */
} body;

static void body_free(body *b)
{
    voc__buf_free(&b->text);
    free(b->charset);
    memset(b, 0, sizeof *b);
}

static int is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!g_ascii_isspace(s[i])) return 0;
    return 1;
}

/* Append `more` to `b` (parts apart by a blank line), taking its charset if b has none. */
static int body_merge(body *b, body *more)
{
    if (more->text.len && !is_blank(more->text.data, more->text.len)) {
        size_t room = b->text.len >= TEXT_CAP ? 0 : TEXT_CAP - b->text.len;
        if (b->text.len) voc__buf_append(&b->text, "\n\n", 2);
        size_t n = more->text.len;
        if (n > room) {
            n = voc__utf8_truncate(more->text.data, room);
            b->warnings |= VOC_WARN_TRUNCATED;
        }
        voc__buf_append(&b->text, more->text.data, n);
    }
    b->warnings |= more->warnings;
    b->n_parts += more->n_parts;
    if (!b->charset && more->charset) {
        b->charset = more->charset;
        b->guessed = more->guessed;
        more->charset = NULL;
    }
    return b->text.failed ? VOC_ENOMEM : VOC_OK;
}

/* The decoded bytes of a part (GMime's transfer-encoding filters), read in chunks and at
 * most `cap` + 1 of them, however long the part: the caller sees whether there was more. */
static int decode_part(GMimePart *part, size_t cap, voc_buf *out)
{
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    GMimeStream *raw = content ? g_mime_data_wrapper_get_stream(content) : NULL;
    if (!raw) return VOC_OK;
    GMimeStream *filtered = g_mime_stream_filter_new(raw);
    if (!filtered) return VOC_ENOMEM;
    GMimeContentEncoding enc = g_mime_data_wrapper_get_encoding(content);
    if (enc == GMIME_CONTENT_ENCODING_BASE64 || enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
        enc == GMIME_CONTENT_ENCODING_UUENCODE) {
        GMimeFilter *f = g_mime_filter_basic_new(enc, FALSE);
        g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), f);
        g_object_unref(f);
    }
    g_mime_stream_reset(raw);
    char chunk[16384];
    ssize_t n;
    while (out->len <= cap && (n = g_mime_stream_read(filtered, chunk, sizeof chunk)) > 0)
        if (voc__buf_append(out, chunk, (size_t)n)) break;
    g_object_unref(filtered);
    g_mime_stream_reset(raw);
    return out->failed ? VOC_ENOMEM : VOC_OK;
}

/* A leaf text part: decoded (GMime), converted (ICU), HTML → text or flowed unwrapped.
 * VOC_OK, VOC_ENOMEM, or voc__html_to_text's error with `why` filled (libxml2 missing). */
static int read_text_part(GMimePart *part, int html, body *b, voc_error *why)
{
    b->n_parts++;
    voc_buf bytes = {0}, utf8 = {0};
    int rc = decode_part(part, RAW_PART_CAP, &bytes);
    if (bytes.len > RAW_PART_CAP) {
        bytes.len = RAW_PART_CAP;
        b->warnings |= VOC_WARN_TRUNCATED;
    }
    GMimeObject *obj = GMIME_OBJECT(part);
    const char *charset = g_mime_object_get_content_type_parameter(obj, "charset");
    decoded d = {0};
    if (rc == VOC_OK)
        rc = to_utf8(charset, bytes.data ? bytes.data : "", bytes.len, html, &utf8, &d);
    voc__buf_free(&bytes);
    if (rc == VOC_OK) {
        b->warnings |= d.warnings;
        if (!b->charset) {
            b->charset = d.charset;
            b->guessed = d.guessed;
            d.charset = NULL;
        }
        if (html) {
            rc = voc__html_to_text(utf8.data, utf8.len, &b->text, why);
        } else {
            const char *format = g_mime_object_get_content_type_parameter(obj, "format");
            const char *delsp = g_mime_object_get_content_type_parameter(obj, "delsp");
            int del = delsp && voc__ascii_case_equal(delsp, "yes");
            if (format && voc__ascii_case_equal(format, "flowed"))
                rc = unflow(utf8.data, utf8.len, del, &b->text);
            else if (voc__buf_append(&b->text, utf8.data ? utf8.data : "", utf8.len))
                rc = VOC_ENOMEM;
        }
    }
    free(d.charset);
    voc__buf_free(&utf8);
    return rc;
}

static int is_attachment(GMimeObject *obj)
{
    GMimeContentDisposition *cd = g_mime_object_get_content_disposition(obj);
    return cd && g_mime_content_disposition_is_attachment(cd);
}

static int collect(GMimeObject *obj, int depth, body *b, voc_error *why);

/* multipart/alternative: the first child, in order of preference, whose text is not
 * blank: text/plain, then nested multiparts (related HTML, another alternative), then
 * text/html. */
static int collect_alternative(GMimeMultipart *mp, int depth, body *b, voc_error *why)
{
    int n = g_mime_multipart_get_count(mp), parts = 0;
    for (int rank = 0; rank < 3; rank++) {
        for (int i = 0; i < n; i++) {
            GMimeObject *child = g_mime_multipart_get_part(mp, i);
            GMimeContentType *ct = child ? g_mime_object_get_content_type(child) : NULL;
            if (!ct || is_attachment(child)) continue;
            int r = g_mime_content_type_is_type(ct, "text", "plain") ? 0
                    : GMIME_IS_MULTIPART(child)                       ? 1
                    : g_mime_content_type_is_type(ct, "text", "html") ? 2
                                                                      : -1;
            if (r != rank) continue;
            body tmp = {0};
            int rc = collect(child, depth + 1, &tmp, why);
            parts += tmp.n_parts;
            if (rc == VOC_OK && tmp.text.len && !is_blank(tmp.text.data, tmp.text.len)) {
                tmp.n_parts = parts;
                rc = body_merge(b, &tmp);
                body_free(&tmp);
                return rc;
            }
            body_free(&tmp);
            if (rc != VOC_OK) return rc;
        }
    }
    b->n_parts += parts; /* text parts, all empty */
    return VOC_OK;
}

/* The text of obj's tree into b, as read_text_part returns. */
static int collect(GMimeObject *obj, int depth, body *b, voc_error *why)
{
    if (!obj || depth > MAX_MIME_DEPTH || b->text.len >= TEXT_CAP) return VOC_OK;
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        if (GMIME_IS_MULTIPART_ENCRYPTED(obj)) return VOC_OK;
        if (ct && g_mime_content_type_is_type(ct, "multipart", "alternative"))
            return collect_alternative(mp, depth, b, why);
        int n = g_mime_multipart_get_count(mp);
        /* signed: the first child is the content; related: the first is the root */
        if (GMIME_IS_MULTIPART_SIGNED(obj) ||
            (ct && g_mime_content_type_is_type(ct, "multipart", "related")))
            n = n > 0 ? 1 : 0;
        for (int i = 0; i < n; i++) { /* mixed and the rest: every inline text part */
            GMimeObject *child = g_mime_multipart_get_part(mp, i);
            if (!child || is_attachment(child)) continue;
            body tmp = {0};
            int rc = collect(child, depth + 1, &tmp, why);
            if (rc == VOC_OK) rc = body_merge(b, &tmp);
            body_free(&tmp);
            if (rc != VOC_OK) return rc;
        }
        return VOC_OK;
    }
    if (!GMIME_IS_PART(obj) || !ct) return VOC_OK; /* attached messages are not the customer's */
    if (g_mime_content_type_is_type(ct, "text", "plain"))
        return read_text_part(GMIME_PART(obj), 0, b, why);
    if (g_mime_content_type_is_type(ct, "text", "html"))
        return read_text_part(GMIME_PART(obj), 1, b, why);
    return VOC_OK;
}

/* ---- headers --------------------------------------------------------------------------- */

/* The unfolded value of header `name` as UTF-8 (GLib-allocated), NULL if absent.  Raw 8-bit
 * text — RFC 6532 UTF-8, or a Taiwanese client's Big5 — is read as UTF-8 when valid, else
 * in the body's declared charset, else as ICU's detector guesses; encoded words stay for
 * GMime to decode. */
static char *header_utf8(GMimeMessage *msg, const char *name, const char *hint, unsigned *warnings)
{
    GMimeHeaderList *list = g_mime_object_get_header_list(GMIME_OBJECT(msg));
    GMimeHeader *h = list ? g_mime_header_list_get_header(list, name) : NULL;
    const char *raw = h ? g_mime_header_get_raw_value(h) : NULL;
    if (!raw) return NULL;
    char *value = g_mime_utils_header_unfold(raw);
    if (!value) return NULL;
    g_strstrip(value);
    size_t len = strlen(value);
    if (voc__utf8_valid(value, len)) return value;
    voc_buf out = {0};
    decoded d = {0};
    size_t bad = 0;
    int rc = hint ? icu_convert(hint, value, len, &out, &bad, NULL) : VOC_EINVAL;
    if (rc == VOC_OK && bad) {
        out.len = 0;
        rc = VOC_EINVAL;
    }
    if (rc != VOC_OK) rc = icu_guess(value, len, 0, &out, &d);
    free(d.charset);
    if (rc != VOC_OK) {
        out.len = 0;
        int w = voc__utf8_repair(value, len, &out);
        if (w > 0) *warnings |= (unsigned)w;
    } else if (bad || (d.warnings & VOC_WARN_INVALID_UTF8)) {
        *warnings |= VOC_WARN_INVALID_UTF8;
    }
    g_free(value);
    value = out.failed || !out.data ? NULL : g_strdup(out.data);
    voc__buf_free(&out);
    return value;
}

/* A malloc'd, valid UTF-8 copy of s (NUL-free), trimmed; NULL for NULL. */
static char *clean_copy(const char *s, unsigned *warnings, int *rc)
{
    if (!s) return NULL;
    while (g_ascii_isspace(*s)) s++;
    size_t len = strlen(s);
    while (len && g_ascii_isspace(s[len - 1])) len--;
    char *copy;
    if (voc__utf8_valid(s, len)) {
        copy = voc__strndup(s, len);
    } else {
        voc_buf fixed = {0};
        int w = voc__utf8_repair(s, len, &fixed);
        if (w > 0) *warnings |= (unsigned)w;
        copy = w < 0 ? NULL : voc__strndup(fixed.data ? fixed.data : "", fixed.len);
        voc__buf_free(&fixed);
    }
    if (!copy) *rc = VOC_ENOMEM;
    return copy;
}

/* Date: → "2026-11-02T09:14:00Z" (malloc'd), NULL when GMime cannot read it. */
static char *iso_date(const char *value)
{
    if (!value) return NULL;
    GDateTime *dt = g_mime_utils_header_decode_date(value);
    if (!dt) return NULL;
    GDateTime *utc = g_date_time_to_utc(dt);
    g_date_time_unref(dt);
    if (!utc) return NULL;
    char buf[32];
    int year = g_date_time_get_year(utc);
    char *iso = NULL;
    if (year >= 1000 && year <= 9999) {
        snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", year,
                 g_date_time_get_month(utc), g_date_time_get_day_of_month(utc),
                 g_date_time_get_hour(utc), g_date_time_get_minute(utc),
                 g_date_time_get_second(utc));
        iso = voc__strndup(buf, strlen(buf));
    }
    g_date_time_unref(utc);
    return iso;
}

/* ---- the message ----------------------------------------------------------------------- */

void voc__email_clear(voc_email *e)
{
    if (!e) return;
    free(e->subject);
    free(e->body);
    free(e->message_id);
    free(e->from_addr);
    free(e->from_name);
    free(e->date);
    free(e->charset);
    memset(e, 0, sizeof *e);
}

int voc__email_parse(const char *data, size_t len, voc_email *out, voc_error *err)
{
    if (!out) return voc__fail(err, VOC_EINVAL, "<email>", 0, 0, "NULL output");
    memset(out, 0, sizeof *out);
    if (!data && len) return voc__fail(err, VOC_EINVAL, "<email>", 0, 0, "NULL data");
    if (!voc__library_ready(&voc_lib, &voc_lib_state, gmime_setup))
        return voc__fail(err, VOC_EDEPENDENCY, "<email>", 0, 0, "%s", voc_lib_state.problem);

    /* an mbox "From " line and blank lines before the headers are not part of the message */
    size_t skip = 0;
    if (len >= 5 && memcmp(data, "From ", 5) == 0) {
        const char *nl = memchr(data, '\n', len);
        skip = nl ? (size_t)(nl - data) + 1 : len;
    }
    while (skip < len && (data[skip] == '\n' || data[skip] == '\r')) skip++;
    if (skip >= len) return voc__fail(err, VOC_EPARSE, "<email>", 0, 0, "empty message");

    int rc = VOC_OK;
    body b = {0};
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(data + skip, len - skip);
    GMimeParser *parser = stream ? g_mime_parser_new_with_stream(stream) : NULL;
    GMimeMessage *msg = NULL;
    if (parser) {
        g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
        msg = g_mime_parser_construct_message(parser, parser_options);
    }
    GMimeHeaderList *headers = msg ? g_mime_object_get_header_list(GMIME_OBJECT(msg)) : NULL;
    if (!msg || !headers || g_mime_header_list_get_count(headers) == 0) {
        rc = voc__fail(err, VOC_EPARSE, "<email>", 0, skip,
                       "not an e-mail message: no header lines (\"Name: value\") at the start");
        goto done;
    }

    voc_error why = {0}; /* filled only when collect fails for another reason than memory */
    rc = collect(g_mime_message_get_mime_part(msg), 0, &b, &why);
    if (rc == VOC_ENOMEM) goto nomem;
    if (rc) {
        rc = voc__fail(err, rc, "<email>", 0, 0, "cannot read the body: %s", why.message);
        goto done;
    }
    if (b.n_parts == 0) {
        GMimeObject *top = g_mime_message_get_mime_part(msg);
        GMimeContentType *ct = top ? g_mime_object_get_content_type(top) : NULL;
        char *type = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
        rc = voc__fail(err, VOC_EPARSE, "<email>", 0, 0,
                       "no text/plain or text/html part to read (the message is %s)",
                       type ? type : "empty");
        g_free(type);
        goto done;
    }
    out->warnings |= b.warnings;
    out->charset = b.charset;
    out->charset_guessed = b.guessed;
    b.charset = NULL;

    /* 8-bit header text is most likely in the charset the body was read as */
    const char *hint = out->charset;
    char *subject_raw = header_utf8(msg, "Subject", hint, &out->warnings);
    if (subject_raw) {
        char *decoded_subject = g_mime_utils_header_decode_text(parser_options, subject_raw);
        out->subject =
            clean_copy(decoded_subject ? decoded_subject : subject_raw, &out->warnings, &rc);
        g_free(decoded_subject);
        g_free(subject_raw);
    }
    const char *mid = g_mime_message_get_message_id(msg);
    if (mid && *mid) out->message_id = clean_copy(mid, &out->warnings, &rc);
    char *from_raw = header_utf8(msg, "From", hint, &out->warnings);
    if (from_raw) {
        InternetAddressList *from = internet_address_list_parse(parser_options, from_raw);
        InternetAddress *ia = from && internet_address_list_length(from) > 0
                                  ? internet_address_list_get_address(from, 0) : NULL;
        if (ia && INTERNET_ADDRESS_IS_GROUP(ia)) { /* "Team: a@x, b@y;" — its first member */
            InternetAddressList *members =
                internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia));
            ia = members && internet_address_list_length(members) > 0
                     ? internet_address_list_get_address(members, 0) : NULL;
        }
        if (ia && INTERNET_ADDRESS_IS_MAILBOX(ia)) {
            const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
            const char *name = internet_address_get_name(ia);
            if (addr && *addr) out->from_addr = clean_copy(addr, &out->warnings, &rc);
            if (name && *name) out->from_name = clean_copy(name, &out->warnings, &rc);
        }
        if (from) g_object_unref(from);
        g_free(from_raw);
    }
    char *date_raw = header_utf8(msg, "Date", NULL, &out->warnings);
    out->date = iso_date(date_raw);
    g_free(date_raw);
    if (rc) goto nomem;

    voc_buf own = {0};
    voc_strip_info info;
    rc = voc__strip_reply(b.text.data ? b.text.data : "", b.text.len, &own, &info);
    if (rc) {
        voc__buf_free(&own);
        goto nomem;
    }
    out->quoted_bytes = info.quoted_bytes;
    out->signature_bytes = info.signature_bytes;
    if (own.len > VOC_MAX_DOC_BYTES) {
        own.len = voc__utf8_truncate(own.data, VOC_MAX_DOC_BYTES);
        own.data[own.len] = '\0';
        out->warnings |= VOC_WARN_TRUNCATED;
    }
    out->body = own.data;
    out->body_len = own.len;
    if (!out->body && !(out->body = calloc(1, 1))) goto nomem;
    goto done;
nomem:
    rc = voc__fail(err, VOC_ENOMEM, "<email>", 0, 0, "out of memory");
done:
    body_free(&b);
    if (msg) g_object_unref(msg);
    if (parser) g_object_unref(parser);
    if (stream) g_object_unref(stream);
    if (rc != VOC_OK) voc__email_clear(out);
    return rc;
}
