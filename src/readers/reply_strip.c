/* readers/reply_strip.c — the customer's own words of an e-mail body: quoted replies, reply
 * headers and the signature are removed.  email.c calls it on the decoded body text (also
 * on HTML turned into text, where a <blockquote> became "> " lines); no library does this,
 * so these few heuristics are written by hand and kept conservative: when in doubt, keep.
 *
 * How it works.  The text is split into lines and each line gets a kind, in three passes:
 *   1. quotes: a line starting with ">" is QUOTED (except ">From ", an mbox escape of the
 *      customer's own line);
 *   2. reply headers, top to bottom: a separator ("-----原始郵件-----", "----- Original
 *      Message -----", "---------- Forwarded message ---------"), an Outlook header block
 *      (a From:/寄件者: line followed by Subject:/主旨: and Sent:/Date:/To:/收件者: lines,
 *      or all of them on one line) or an attribution ("On … wrote:" on one or two lines,
 *      "在 2026年11月2日 週一 上午9:14，… 寫道：") start the quoted message.  A separator or
 *      header block cuts everything after it (top-posting: the old mail follows).  An
 *      attribution followed by ">" lines is removed on its own and reading goes on, so text
 *      the customer wrote below or between the quotes (bottom-posting) stays; one followed
 *      by unquoted text cuts the rest like a header block;
 *   3. signature, among the remaining own lines: the first "-- " line (RFC 3676; a bare
 *      "--" only with ten lines or fewer after it), a mobile footer ("Sent from my iPhone",
 *      "從我的 iPhone 傳送") among the last three lines, or a sign-off line among the last
 *      six — a line that is nothing but "Best regards,", "Thanks!", "謝謝", "敬祝 商祺",
 *      "祝 順心", "王小明 敬上" … — followed by at most five short lines (a name block).
 *      A sign-off with no own text above it stays ("Thanks!" alone is the message), and a
 *      line that merely contains a sign-off word ("Thanks for nothing.", "請盡快處理，謝謝")
 *      never matches.
 * Worked example:
 *      0  Hi,                                                   own
 *      1  The refund I was promised never came.                 own
 *      2                                                        own (blank)
 *      3  Thanks,                                               signature: sign-off,
 *      4  Mei                                                   one short line after it
 *      5                                                        signature (blank)
 *      6  On Mon, Nov 2, 2026 at 9:14 AM FarReach Support <     quoted: attribution over
 *      7  support@example.com> wrote:                          two lines, then ">" lines
 *      8  > We have processed your refund.                      quoted
 * gives "Hi,\nThe refund I was promised never came." (quoted_bytes: lines 6-8,
 * signature_bytes: lines 3-5, line ends included).  Each line is looked at a bounded
 * number of times, so the pass is linear in the text.  Mail clients in other languages
 * ("Le … a écrit :") are not recognized: their quotes stay unless marked with ">". */
#include "readers.h"

#include <stdlib.h>
#include <string.h>

enum { LINE_OWN = 0, LINE_QUOTED, LINE_SIGNATURE };

/* One line, or one run of blank lines (they act alike).  32-bit offsets keep the array
 * small: a message body is a few MiB at most (voc__strip_reply refuses 4 GiB). */
typedef struct line {
    uint32_t start, end; /* the line's bytes, without "\r\n" / "\n" */
    uint32_t next;       /* start of the next line (end plus its terminator) */
    unsigned char kind;
    unsigned char blank;
} line;

/* ---- small byte helpers ---------------------------------------------------------------- */

/* Width of a white-space character at s[i] (ASCII blanks, U+00A0, U+3000), else 0. */
static size_t space_at(const char *s, size_t i, size_t end)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') return 1;
    if (c == 0xC2 && i + 1 < end && (unsigned char)s[i + 1] == 0xA0) return 2;
    if (c == 0xE3 && i + 2 < end && (unsigned char)s[i + 1] == 0x80 &&
        (unsigned char)s[i + 2] == 0x80)
        return 3;
    return 0;
}

/* Trim white space from both ends of s[*a..*b). */
static void trim(const char *s, size_t *a, size_t *b)
{
    size_t w;
    while (*a < *b && (w = space_at(s, *a, *b)) != 0) *a += w;
    while (*a < *b) {
        unsigned char c = (unsigned char)s[*b - 1];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') (*b)--;
        else if (*b - *a >= 2 && c == 0xA0 && (unsigned char)s[*b - 2] == 0xC2) *b -= 2;
        else if (*b - *a >= 3 && c == 0x80 && (unsigned char)s[*b - 2] == 0x80 &&
                 (unsigned char)s[*b - 3] == 0xE3) *b -= 3;
        else break;
    }
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* s[a..b) starts with `lit`, ASCII case-insensitively. */
static int starts_ci(const char *s, size_t a, size_t b, const char *lit)
{
    size_t n = strlen(lit);
    if (b - a < n) return 0;
    for (size_t k = 0; k < n; k++)
        if (lower((unsigned char)s[a + k]) != lower((unsigned char)lit[k])) return 0;
    return 1;
}

static int ends_with(const char *s, size_t a, size_t b, const char *lit)
{
    size_t n = strlen(lit);
    return b - a >= n && memcmp(s + b - n, lit, n) == 0;
}

static int has_byte(const char *s, size_t a, size_t b, char c)
{
    return memchr(s + a, c, b - a) != NULL;
}

static int has_digit(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (s[i] >= '0' && s[i] <= '9') return 1;
    return 0;
}

/* Contains `lit` (ASCII case-insensitive). */
static int contains_ci(const char *s, size_t a, size_t b, const char *lit)
{
    size_t n = strlen(lit);
    for (size_t i = a; i + n <= b; i++)
        if (starts_ci(s, i, b, lit)) return 1;
    return 0;
}

/* ---- reply headers --------------------------------------------------------------------- */

/* Outlook's header keys.  FROM keys open a block; the others follow it. */
static const char *const from_keys[] = {"From", "寄件者", "寄件人", "發件人", "发件人", "寄信人"};
static const char *const subject_keys[] = {"Subject", "主旨", "主題", "主题"};
static const char *const other_keys[] = {"Sent", "Date", "To", "Cc", "寄件日期", "傳送時間",
                                         "傳送日期", "日期", "時間", "收件者", "收件人", "副本",
                                         "发送时间", "发送日期", "时间", "抄送"};
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* s[a..b) (trimmed) starts with one of keys followed by ':' or '：', allowing the "*From:*"
 * bold marks some clients write in plain text. */
static int starts_with_key(const char *s, size_t a, size_t b, const char *const *keys, size_t n)
{
    if (a < b && s[a] == '*') a++;
    for (size_t k = 0; k < n; k++) {
        size_t kl = strlen(keys[k]);
        if (!starts_ci(s, a, b, keys[k])) continue;
        size_t i = a + kl;
        if (i < b && s[i] == '*') i++;
        while (i < b && s[i] == ' ') i++;
        if (i < b && s[i] == ':') return 1;
        if (b - i >= 3 && memcmp(s + i, "\xEF\xBC\x9A", 3) == 0) return 1; /* ： */
    }
    return 0;
}

/* "-----Original Message-----", "----- 原始郵件 -----", "---------- Forwarded message
 * ---------", "Begin forwarded message:". */
static int is_separator(const char *s, size_t a, size_t b)
{
    static const char *const names[] = {"original message", "原始郵件", "原始邮件", "原始訊息",
                                        "原始信件", "forwarded message", "轉寄郵件", "已轉寄郵件",
                                        "轉寄的郵件", "转发的邮件", "已转发邮件", "reply message"};
    if (starts_ci(s, a, b, "Begin forwarded message")) return 1;
    size_t lead = 0, tail = 0;
    while (a < b && (s[a] == '-' || s[a] == ' ')) { lead += s[a] == '-'; a++; }
    while (b > a && (s[b - 1] == '-' || s[b - 1] == ' ')) { tail += s[b - 1] == '-'; b--; }
    if (lead < 2 || tail < 2) return 0;
    for (size_t k = 0; k < N_OF(names); k++)
        if (b - a == strlen(names[k]) && starts_ci(s, a, b, names[k])) return 1;
    return 0;
}

/* A line of ten or more '_' or '-' (Outlook draws one above its header block). */
static int is_rule(const char *s, size_t a, size_t b)
{
    if (b - a < 10) return 0;
    for (size_t i = a; i < b; i++)
        if (s[i] != '_' && s[i] != '-') return 0;
    return 1;
}

/* Outlook's header block starting at line i: a From key, then (blank lines aside) a run of
 * header lines that holds a Subject key and another key.  All on one line counts too.
 * A "From: Taipei / To: Kaohsiung" in a complaint has no Subject line and stays. */
static int is_header_block(const char *s, const line *ln, size_t n, size_t i)
{
    size_t a = ln[i].start, b = ln[i].end;
    trim(s, &a, &b);
    if (!starts_with_key(s, a, b, from_keys, N_OF(from_keys))) return 0;
    /* one line: "From: X Sent: Monday… To: Y Subject: Z" */
    if ((contains_ci(s, a, b, " Sent:") || contains_ci(s, a, b, "寄件日期")) &&
        (contains_ci(s, a, b, " Subject:") || contains_ci(s, a, b, "主旨")))
        return 1;
    int subject = 0, other = 0;
    for (size_t j = i + 1, seen = 0; j < n && seen < 8; j++) {
        if (ln[j].blank) continue;
        seen++;
        size_t c = ln[j].start, d = ln[j].end;
        trim(s, &c, &d);
        if (starts_with_key(s, c, d, subject_keys, N_OF(subject_keys))) subject = 1;
        else if (starts_with_key(s, c, d, other_keys, N_OF(other_keys))) other = 1;
        else break;
    }
    return subject && other;
}

/* An attribution line ending at `b`: "On <date>, <name> wrote:", "<name> <addr> wrote:",
 * "在 2026年11月2日 … 寫道：", "… 於 2026/11/2 … 寫道:".  s[a..b) may span two lines. */
static int is_attribution(const char *s, size_t a, size_t b)
{
    if (b - a > 320) return 0;
    if (ends_with(s, a, b, "wrote:"))
        return (starts_ci(s, a, b, "On ") && has_digit(s, a, b)) || has_byte(s, a, b, '@');
    static const char *const zh_ends[] = {"寫道：", "寫道:", "写道：", "写道:", "寫道", "写道"};
    for (size_t k = 0; k < N_OF(zh_ends); k++)
        if (ends_with(s, a, b, zh_ends[k])) return has_digit(s, a, b);
    return 0;
}

/* ---- signatures ------------------------------------------------------------------------ */

/* A sign-off: the whole line (trimmed, trailing punctuation and, for Chinese, inner spaces
 * dropped) is one of these. */
static const char *const signoffs_en[] = {
    "regards", "best regards", "kind regards", "warm regards", "warmest regards",
    "best", "best wishes", "all the best", "thanks", "thank you", "thanks again",
    "many thanks", "thanks in advance", "thank you in advance", "thanks so much",
    "thank you so much", "thx", "cheers", "sincerely", "yours sincerely", "sincerely yours",
    "yours truly", "yours faithfully", "respectfully", "rgds", "br", "with thanks",
    "with best regards", "take care", "thanks and regards", "thanks & regards"};
static const char *const signoffs_zh[] = {
    "謝謝", "謝謝您", "謝謝你", "感謝", "感謝您", "感恩", "多謝", "敬祝", "敬祝商祺", "順頌商祺",
    "順頌時祺", "順祝商祺", "祝順心", "敬祝順心", "祝好", "祝商祺", "祝平安", "敬祝平安", "此致",
    "此致敬禮", "敬上", "謹上", "商祺", "時祺", "順心", "谢谢", "谢谢您", "感谢", "此致敬礼",
    "祝顺心", "顺颂商祺", "顺颂时祺"};

/* Copy s[a..b) trimmed, without trailing punctuation and without inner spaces when it holds
 * non-ASCII text, into buf (cap bytes); 0 when too long to be a sign-off. */
static size_t signoff_key(const char *s, size_t a, size_t b, char *buf, size_t cap)
{
    static const char *const punct[] = {",", ".", "!", "~", ":", ";", "，", "。", "！", "～",
                                        "：", "、", "…"};
    trim(s, &a, &b);
    for (int again = 1; again && b > a;) {
        again = 0;
        for (size_t k = 0; k < N_OF(punct); k++)
            if (ends_with(s, a, b, punct[k])) { b -= strlen(punct[k]); again = 1; }
        size_t b2 = b;
        trim(s, &a, &b2);
        if (b2 != b) { b = b2; again = 1; }
    }
    if (b - a >= cap) return 0;
    int ascii = 1;
    for (size_t i = a; i < b; i++)
        if ((unsigned char)s[i] >= 0x80) ascii = 0;
    size_t n = 0;
    for (size_t i = a; i < b;) {
        size_t w = space_at(s, i, b);
        if (w && !ascii) { i += w; continue; }      /* 敬祝 商祺 → 敬祝商祺 */
        buf[n++] = (char)lower((unsigned char)s[i]);
        i++;
    }
    buf[n] = '\0';
    return n;
}

static int is_signoff(const char *s, size_t a, size_t b)
{
    char key[96];
    size_t n = signoff_key(s, a, b, key, sizeof key);
    if (!n) return 0;
    for (size_t k = 0; k < N_OF(signoffs_en); k++)
        if (strcmp(key, signoffs_en[k]) == 0) return 1;
    for (size_t k = 0; k < N_OF(signoffs_zh); k++)
        if (strcmp(key, signoffs_zh[k]) == 0) return 1;
    /* "陳美玲 敬上", "客戶 王小明 謹上": a short name then 敬上/謹上 */
    if (n <= 30 && (ends_with(key, 0, n, "敬上") || ends_with(key, 0, n, "謹上") ||
                    ends_with(key, 0, n, "谨上")))
        return 1;
    return 0;
}

/* "Sent from my iPhone", "Sent from Mail for Windows", "Get Outlook for Android",
 * "從我的 iPhone 傳送", "發自我的 iPhone" — but not "Sent from Kaohsiung on Monday, never
 * arrived" or "從我的帳戶扣了兩次": the Chinese ones need a device name or 傳送/发送. */
static int is_mobile_footer(const char *s, size_t a, size_t b)
{
    trim(s, &a, &b);
    if (b - a > 80) return 0;
    static const char *const en[] = {"Sent from my ", "Sent from Mail for ", "Sent from Outlook",
                                     "Sent from Yahoo", "Sent from Samsung", "Sent from Gmail",
                                     "Sent via ", "Get Outlook for "};
    static const char *const zh[] = {"從我的", "从我的", "發自我的", "发自我的", "寄自我的",
                                     "傳送自我的", "由我的"};
    static const char *const devices[] = {"iphone", "ipad", "android", "galaxy", "samsung",
                                          "asus", "xiaomi", "htc", "sony", "手機", "手机"};
    for (size_t k = 0; k < N_OF(en); k++)
        if (starts_ci(s, a, b, en[k])) return 1;
    for (size_t k = 0; k < N_OF(zh); k++) {
        if (!starts_ci(s, a, b, zh[k])) continue;
        if (ends_with(s, a, b, "傳送") || ends_with(s, a, b, "发送") || ends_with(s, a, b, "發送"))
            return 1;
        for (size_t d = 0; d < N_OF(devices); d++)
            if (contains_ci(s, a, b, devices[d])) return 1;
    }
    return 0;
}

/* A line of a name block after a sign-off: name, title, company, phone, address. */
static int is_short(const line *l) { return l->end - l->start <= 64; }

/* ---- the pass -------------------------------------------------------------------------- */

static void cut_from(line *ln, size_t n, size_t i)
{
    for (; i < n; i++) ln[i].kind = LINE_QUOTED;
}

/* Index of the own non-blank line before `i` (n when none). */
static size_t own_before(const line *ln, size_t n, size_t i)
{
    while (i > 0) {
        i--;
        if (ln[i].kind == LINE_OWN && !ln[i].blank) return i;
    }
    return n;
}

static void mark_signature(const char *s, line *ln, size_t n)
{
    /* the own non-blank lines, newest last: walk back over at most a few of them */
    size_t n_own = 0;
    for (size_t i = 0; i < n; i++) n_own += ln[i].kind == LINE_OWN && !ln[i].blank;
    if (!n_own) return;
    size_t sig = n; /* first line of the signature */

    /* 1. "-- " delimiter: the first one; a bare "--" only near the end */
    size_t seen = 0;
    for (size_t i = 0; i < n && sig == n; i++) {
        if (ln[i].kind != LINE_OWN || ln[i].blank) continue;
        seen++;
        size_t a = ln[i].start, b = ln[i].end; /* line ends (CR too) are off already */
        if (b - a == 3 && memcmp(s + a, "-- ", 3) == 0) sig = i;
        else if (b - a == 2 && memcmp(s + a, "--", 2) == 0 && n_own - seen <= 10) sig = i;
    }

    /* 2. a mobile footer among the last three own lines, 3. a sign-off among the last six
     * with only short lines after it (before a "-- " signature, if any); the earliest
     * match wins: "Thanks,\nMei\nSent from my iPhone" goes from "Thanks," on */
    size_t cut = sig, i = sig;
    int all_short = 1;
    for (size_t after = 0; after < 6; after++) {
        i = own_before(ln, n, i);
        if (i == n) break;
        size_t a = ln[i].start, b = ln[i].end;
        if (after < 3 && is_mobile_footer(s, a, b)) cut = i;
        else if (all_short && is_signoff(s, a, b) && own_before(ln, n, i) != n) cut = i;
        all_short &= is_short(&ln[i]);
    }
    sig = cut;
    for (size_t j = sig; j < n; j++)
        if (ln[j].kind == LINE_OWN) ln[j].kind = LINE_SIGNATURE;
}

int voc__strip_reply(const char *text, size_t len, voc_buf *out, voc_strip_info *info)
{
    if (info) info->quoted_bytes = info->signature_bytes = 0;
    if (!out) return VOC_EINVAL;
    if (!text || !len) return voc__buf_append(out, "", 0);
    if (len >= UINT32_MAX) return VOC_ETOOBIG;
    size_t n = 1;
    for (const char *p = text, *e = text + len; (p = memchr(p, '\n', (size_t)(e - p))); p++) n++;
    line *ln = NULL;
    size_t cap = 0;
    if (voc__grow((void **)&ln, &cap, n, sizeof *ln) != VOC_OK) return VOC_ENOMEM;

    /* split; pass 1: quotes */
    size_t n_lines = 0;
    for (size_t pos = 0; pos < len || n_lines == 0;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len, next = nl ? end + 1 : len;
        while (end > pos && text[end - 1] == '\r') end--;
        size_t a = pos, b = end;
        trim(text, &a, &b);
        if (a == b && n_lines && ln[n_lines - 1].blank) { /* one more blank line */
            ln[n_lines - 1].end = (uint32_t)end;
            ln[n_lines - 1].next = (uint32_t)next;
            pos = next;
            if (!nl) break;
            continue;
        }
        line *l = &ln[n_lines++];
        l->start = (uint32_t)pos;
        l->next = (uint32_t)next;
        l->end = (uint32_t)end;
        l->blank = a == b;
        l->kind = LINE_OWN;
        size_t q = l->start;
        while (q < l->end && q < l->start + 3 && text[q] == ' ') q++;
        if (q < l->end && text[q] == '>' && !starts_ci(text, q, l->end, ">From "))
            l->kind = LINE_QUOTED;
        pos = l->next;
        if (!nl) break;
    }
    n = n_lines;

    /* pass 2: reply headers */
    for (size_t i = 0; i < n; i++) {
        if (ln[i].kind != LINE_OWN || ln[i].blank) continue;
        size_t a = ln[i].start, b = ln[i].end;
        trim(text, &a, &b);
        if (is_separator(text, a, b)) { cut_from(ln, n, i); break; }
        if (is_header_block(text, ln, n, i)) {
            size_t c = i; /* take the rule Outlook draws above the block with it */
            for (size_t j = i; j > 0;) {
                j--;
                if (ln[j].blank) continue;
                size_t p = ln[j].start, q = ln[j].end;
                trim(text, &p, &q);
                if (ln[j].kind == LINE_OWN && is_rule(text, p, q)) c = j;
                break;
            }
            cut_from(ln, n, c);
            break;
        }
        size_t last = n; /* last line of an attribution starting at i */
        if (is_attribution(text, a, b)) {
            last = i;
        } else if (i + 1 < n && ln[i + 1].kind == LINE_OWN && !ln[i + 1].blank &&
                   (starts_ci(text, a, b, "On ") || starts_ci(text, a, b, "在") ||
                    starts_ci(text, a, b, "於"))) {
            size_t c = ln[i + 1].start, d = ln[i + 1].end;
            trim(text, &c, &d);
            if (d - a <= 320 && is_attribution(text, a, d)) last = i + 1;
        }
        if (last == n) continue;
        size_t j = last + 1;
        while (j < n && ln[j].blank) j++;
        if (j < n && ln[j].kind == LINE_QUOTED) {
            for (size_t k = i; k <= last; k++) ln[k].kind = LINE_QUOTED;
            i = last;
            continue;
        }
        cut_from(ln, n, i);
        break;
    }

    /* pass 3: signature */
    mark_signature(text, ln, n);

    /* output the own lines; blank runs (and removed quotes between own lines) become one
     * blank line, none at either end */
    int emitted = 0, gap = 0, rc = VOC_OK;
    for (size_t i = 0; i < n; i++) {
        line *l = &ln[i];
        size_t bytes = l->next - l->start;
        if (l->kind == LINE_QUOTED) {
            if (info) info->quoted_bytes += bytes;
            gap |= emitted;
            continue;
        }
        if (l->kind == LINE_SIGNATURE) {
            if (info) info->signature_bytes += bytes;
            continue;
        }
        if (l->blank) {
            gap |= emitted;
            continue;
        }
        size_t b = l->end;
        while (b > l->start && (text[b - 1] == ' ' || text[b - 1] == '\t')) b--;
        if (emitted) voc__buf_append(out, gap ? "\n\n" : "\n", gap ? 2 : 1);
        voc__buf_append(out, text + l->start, b - l->start);
        emitted = 1;
        gap = 0;
    }
    if (!emitted) rc = voc__buf_append(out, "", 0); /* out->data non-NULL even when empty */
    if (out->failed) rc = VOC_ENOMEM;
    free(ln);
    return rc;
}
