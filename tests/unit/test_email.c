/* test_email.c — the e-mail reading core: one message → the customer's own text and its
 * metadata (readers/email.c over GMime and ICU), HTML to text (html_text.c over libxml2)
 * and quoted-reply and signature stripping (reply_strip.c).  The samples in
 * corpora/samples/mail/ are read into exact-size heap buffers; every expectation is the
 * exact text.  Broken and hostile inputs must give text or a clean error, and four threads
 * parsing the samples at once must get what one thread gets — the first of them loading
 * GMime and libxml2, which nothing loads before (voc__library_open and voc__library_ready,
 * also tested here). */
#include "readers/readers.h"
#include "test.h" /* also library_loaded (dlopen) */

#include <pthread.h>

#define MAIL_DIR VOCMINE_SOURCE_DIR "/corpora/samples/mail/"

static char *read_sample(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s%s", MAIL_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc(n > 0 ? (size_t)n : 1);
    if (!p || fread(p, 1, (size_t)n, f) != (size_t)n) { perror(path); exit(1); }
    fclose(f);
    *len = (size_t)n;
    return p;
}

/* Parse bytes copied into an exact-size heap buffer. */
static int parse_mem(const char *data, size_t len, voc_email *e, voc_error *err)
{
    char *copy = malloc(len ? len : 1);
    if (!copy) abort();
    memcpy(copy, data, len);
    int rc = voc__email_parse(copy, len, e, err);
    free(copy);
    return rc;
}

static int parse_str_err(const char *s, voc_email *e, voc_error *err)
{
    return parse_mem(s, strlen(s), e, err);
}

static int parse_str(const char *s, voc_email *e)
{
    voc_error err;
    return parse_mem(s, strlen(s), e, &err);
}

static void check_strip(const char *in, const char *want)
{
    size_t len;
    char *text = test_exact(in, &len);
    voc_buf out = {0};
    voc_strip_info info;
    CHECK_INT(voc__strip_reply(text, len, &out, &info), VOC_OK);
    CHECK_MEM(out.data, out.len, want);
    voc__buf_free(&out);
    free(text);
}

static void check_html(const char *in, const char *want)
{
    size_t len;
    char *html = test_exact(in, &len);
    voc_buf out = {0};
    CHECK_INT(voc__html_to_text(html, len, &out, NULL), VOC_OK);
    CHECK_MEM(out.data ? out.data : "", out.len, want);
    voc__buf_free(&out);
    free(html);
}

/* ---- the samples --------------------------------------------------------------------- */

static const char big5_body[] =
    "遠達電信客服您好：\n"
    "\n"
    "我的門號 0912-345-678 在十月份的帳單被重複扣款兩次，每筆都是 NT$1,299。\n"
    "上週已經打過客服專線，等了四十分鐘才有人接，對方說會在三個工作天內退款，\n"
    "但到今天還是沒有看到退款，也沒有任何人回覆我。\n"
    "\n"
    "這已經是我第三次反映了，如果這週五前還是沒有處理，我會考慮解約並向消保官申訴。";

static const char html_body[] =
    "Hello AcmeAir team,\n"
    "\n"
    "My flight AC512 from Taipei to Seattle on October 30 was cancelled two hours before "
    "boarding, and nobody at the gate could tell us why. I was rebooked on a flight two days "
    "later & had to pay for a hotel myself.\n"
    "\n"
    "Your app kept showing \"on time\" until the very last minute. I even tried your Chinese "
    "site (中文版) and it crashed too.\n"
    "\n"
    "I would like a full refund of the ticket and the hotel costs (USD 184.20). It has been "
    "four days and I haven't heard back.";

static const char base64_body[] =
    "Hi Qmall,\n"
    "\n"
    "Thanks for the quick reply, but the replacement blender you sent (order Q-20261019-5521)\n"
    "arrived with the same cracked jar as the first one. The box was fine, so it must have\n"
    "been packed that way.\n"
    "\n"
    "I don't want a third blender. Please refund the NT$2,490 to my card ending 4417.";

static const char gbk_body[] =
    "熊快送客服你好：\n"
    "\n"
    "我是陈喆，11月5日晚上7点下的订单（订单号 FB-702214），App 显示 30 分钟送达，\n"
    "结果等了一个半小时才送到，汤全洒了，饭也是冷的。\n"
    "\n"
    "打电话给客服一直占线，在线客服只回复“请耐心等待”。希望给个说法，退还这一单的费用。";

static const char broken_body[] =
    "The router you sent me stops working every night around 11pm.\n"
    "I have restarted it ten times this week.";

static void test_big5_alternative(void)
{
    size_t len;
    char *data = read_sample("big5_alternative_qp.eml", &len);
    voc_email e;
    voc_error err;
    CHECK_INT(parse_mem(data, len, &e, &err), VOC_OK);
    CHECK_STR(e.subject, "第三次反映：十月帳單重複扣款，退款至今未入帳");
    CHECK_STR(e.from_addr, "mei.chen@example.net");
    CHECK_STR(e.from_name, "陳美玲");
    CHECK_STR(e.date, "2026-11-02T09:14:00Z");
    CHECK_STR(e.message_id, "20261102091400.4821@mail.example.net");
    CHECK_STR(e.charset, "windows-950-2000");
    CHECK_INT(e.charset_guessed, 0);
    CHECK_INT(e.warnings, 0);
    CHECK_MEM(e.body, e.body_len, big5_body);
    CHECK_INT(strlen(e.body), e.body_len);
    CHECK(e.quoted_bytes > 300);      /* -----原始郵件----- and the agent's reply */
    CHECK(e.signature_bytes > 30);    /* 敬祝 商祺 / 陳美玲 敬上 / phone */
    CHECK(!strstr(e.body, "敬祝") && !strstr(e.body, "原始郵件") && !strstr(e.body, "感謝您的來信"));
    voc__email_clear(&e);

    /* the HTML alternative (Big5, base64, Outlook's 寄件者 block) says the same */
    for (size_t i = 0; i + 25 <= len; i++)
        if (memcmp(data + i, "Content-Type: text/plain;", 25) == 0)
            memcpy(data + i, "Content-Type: text/x-old;", 25);
    CHECK_INT(parse_mem(data, len, &e, &err), VOC_OK);
    CHECK_MEM(e.body, e.body_len, big5_body);
    CHECK(e.quoted_bytes > 300);
    CHECK(e.signature_bytes > 30);
    voc__email_clear(&e);

    /* every prefix of the message (a truncated download) parses or fails cleanly */
    for (size_t cut = 0; cut < len; cut += 7) {
        int rc = parse_mem(data, cut, &e, &err);
        CHECK(rc == VOC_OK || rc == VOC_EPARSE);
        if (rc == VOC_OK) CHECK(e.body && strlen(e.body) == e.body_len);
        voc__email_clear(&e);
    }
    free(data);
}

static void test_html_only(void)
{
    size_t len;
    char *data = read_sample("html_only_utf8.eml", &len);
    voc_email e;
    voc_error err;
    CHECK_INT(parse_mem(data, len, &e, &err), VOC_OK);
    CHECK_STR(e.subject, "Re: Flight AC512 cancelled & still no refund");
    CHECK_STR(e.from_addr, "dpark@example.com");
    CHECK_STR(e.from_name, "Daniel Park");
    CHECK_STR(e.date, "2026-11-03T13:30:12Z");
    CHECK_STR(e.message_id, "CAF9x2k+7Qm1pQ@mail.example.com");
    CHECK_STR(e.charset, "UTF-8");
    CHECK_INT(e.warnings, 0);
    CHECK_MEM(e.body, e.body_len, html_body);
    CHECK(!strstr(e.body, "tracking") && !strstr(e.body, "font-family")); /* script, style */
    CHECK(!strstr(e.body, "Best regards") && !strstr(e.body, "specialist"));
    CHECK(e.quoted_bytes > 0 && e.signature_bytes > 0);
    voc__email_clear(&e);
    free(data);
}

static void test_base64_quote(void)
{
    size_t len;
    char *data = read_sample("base64_utf8_quote.eml", &len);
    voc_email e;
    voc_error err;
    CHECK_INT(parse_mem(data, len, &e, &err), VOC_OK);
    CHECK_STR(e.subject, "Re: [Case #Q-77310] Cracked blender jar - again");
    CHECK_STR(e.from_addr, "sarah.lin@example.com");
    CHECK_STR(e.from_name, "Sarah Lin");
    CHECK_STR(e.date, "2026-11-04T13:47:33Z");
    CHECK_STR(e.message_id, "5e1c0b7a-3f2d-4c1e-9a55-2b1f0d6c8e41@example.com");
    CHECK_INT(e.warnings, 0);
    CHECK_MEM(e.body, e.body_len, base64_body);
    CHECK(!strstr(e.body, "wrote:") && !strstr(e.body, "> ") && !strstr(e.body, "Taipei, Taiwan"));
    CHECK(e.quoted_bytes > 200 && e.signature_bytes > 40);
    voc__email_clear(&e);
    free(data);
}

static void test_gbk(void)
{
    size_t len;
    char *data = read_sample("gbk_subject.eml", &len);
    voc_email e;
    voc_error err;
    CHECK_INT(parse_mem(data, len, &e, &err), VOC_OK);
    CHECK_STR(e.subject, "投诉：外卖迟到一个半小时，汤洒了");
    CHECK_STR(e.from_addr, "chenzhe88@example.net");
    CHECK_STR(e.from_name, "陈先生");
    CHECK_STR(e.date, "2026-11-05T12:41:09Z");
    CHECK_STR(e.message_id, "1730810469.3317.chenzhe88@example.net");
    CHECK_STR(e.charset, "gb18030"); /* labelled gb2312, read as its superset: 喆 is GBK-only */
    CHECK_INT(e.warnings, 0);
    CHECK_MEM(e.body, e.body_len, gbk_body);
    CHECK(!strstr(e.body, "谢谢") && !strstr(e.body, "iPhone"));
    voc__email_clear(&e);
    free(data);
}

/* The mbox sample, split the simple way (a "From " line after a blank line or at the
 * start); the real splitter belongs to the input pipeline. */
static void test_mbox(void)
{
    size_t len;
    char *data = read_sample("four_messages.mbox", &len);
    size_t starts[8], n = 0;
    for (size_t i = 0; i + 5 <= len && n < 8; i++)
        if ((i == 0 || (i >= 2 && data[i - 1] == '\n' && data[i - 2] == '\n')) &&
            memcmp(data + i, "From ", 5) == 0)
            starts[n++] = i;
    CHECK_INT(n, 4);
    static const char *const subjects[] = {"訊號很差", "Card blocked while travelling",
                                           "Re: Card blocked while travelling", "優惠券無法使用"};
    static const char *const bodies[] = {
        "這個月在家裡收訊一直很差，電話常常斷線。\n已經重開機很多次了，還是一樣。",
        "Hello,\n\n>From the moment I landed in Tokyo my card has been declined everywhere.\n"
        "I called the hotline twice and was told to wait for an SMS that never came.",
        "Never mind, it works again. The branch in Taipei unblocked it within five minutes.\n"
        "Really appreciate the quick help!",
        "結帳時輸入優惠碼 QMALL100 一直顯示「已過期」，可是活動頁寫到 11/30。\n麻煩幫我確認一下，謝謝。"};
    static const char *const names[] = {"Mei Chen", "Tom Wu", "Tom Wu", "何于琴"};
    static const char *const dates[] = {"2026-11-02T09:14:00Z", "2026-11-03T02:05:44Z",
                                        "2026-11-03T02:40:10Z", "2026-11-04T11:20:00Z"};
    for (size_t k = 0; k < n && k < 4; k++) {
        size_t end = k + 1 < n ? starts[k + 1] : len;
        voc_email e;
        voc_error err;
        CHECK_INT(parse_mem(data + starts[k], end - starts[k], &e, &err), VOC_OK);
        CHECK_STR(e.subject, subjects[k]);
        CHECK_MEM(e.body, e.body_len, bodies[k]);
        CHECK_STR(e.from_name, names[k]);
        CHECK_STR(e.date, dates[k]);
        voc__email_clear(&e);
    }
    /* the pipeline unescapes ">From " (mboxrd) before parsing: the line is the customer's */
    voc_email e;
    CHECK_INT(parse_str("From: t@example.com\n\nHi,\n\nFrom the moment I landed it failed.\n", &e), VOC_OK);
    CHECK_STR(e.body, "Hi,\n\nFrom the moment I landed it failed.");
    voc__email_clear(&e);
    free(data);
}

static void test_broken(void)
{
    size_t len;
    char *data = read_sample("broken_truncated.eml", &len);
    voc_email e;
    voc_error err;
    /* no closing boundary, junk inside the base64: the text still comes through */
    CHECK_INT(parse_mem(data, len, &e, &err), VOC_OK);
    CHECK_STR(e.subject, "router keeps dropping");
    CHECK_MEM(e.body, e.body_len, broken_body);
    voc__email_clear(&e);
    for (size_t cut = 0; cut < len; cut += 3) {
        int rc = parse_mem(data, cut, &e, &err);
        CHECK(rc == VOC_OK || rc == VOC_EPARSE);
        voc__email_clear(&e);
    }
    /* byte flips at pseudo-random places (a fixed LCG: the same run every time) */
    uint32_t seed = 12345;
    for (int round = 0; round < 300; round++) {
        char *copy = malloc(len);
        memcpy(copy, data, len);
        for (int k = 0; k < 8; k++) {
            seed = seed * 1103515245u + 12345u;
            copy[(seed >> 8) % len] = (char)(seed >> 24);
        }
        int rc = parse_mem(copy, len, &e, &err);
        CHECK(rc == VOC_OK || rc == VOC_EPARSE);
        if (rc == VOC_OK) CHECK(voc__utf8_valid(e.body, e.body_len) || e.body_len == 0);
        voc__email_clear(&e);
        free(copy);
    }
    free(data);

    /* bad quoted-printable: soft breaks and stray '=' are kept as text, never a failure */
    CHECK_INT(parse_str("From: q@example.com\nContent-Type: text/plain; charset=utf-8\n"
                        "Content-Transfer-Encoding: quoted-printable\n\n"
                        "The fee is =ZZ 50% =E5=A4=AA=E8=B2=B4 and=\nfair=\n", &e), VOC_OK);
    CHECK(e.body && strstr(e.body, "太貴") && strstr(e.body, "andfair"));
    voc__email_clear(&e);
}

/* ---- charsets --------------------------------------------------------------------------- */

static void test_charsets(void)
{
    voc_email e;
    /* Big5 mail from Hong Kong, labelled big5, with HKSCS characters: read as Big5-HKSCS */
    CHECK_INT(parse_str("From: hk@example.com\nContent-Type: text/plain; charset=big5\n\n"
                        "\xCA\x5C\x92\x5D\xB8\xDC\xC9\x4E\xB3\x66\x9D\xEE\xA1\x41\xB5\xA5\x9D\xF7"
                        "\xA6\xA8\xAD\xD3\xA4\xEB\xA1\x43\n", &e), VOC_OK);
    CHECK_STR(e.body, "佢哋話冇貨㗎，等咗成個月。");
    CHECK_INT(e.warnings, 0);
    voc__email_clear(&e);

    /* Big5 bytes labelled utf-8: ICU's detector reads them, the record says it guessed */
    CHECK_INT(parse_str("From: tw@example.com\nSubject: \xB1\x62\xB3\xE6\n"
                        "Content-Type: text/plain; charset=utf-8\n\n"
                        "\xB0\x68\xB3\x66\xA4\x40\xAA\xBD\xA8\x53\xA6\xB3\xA4\x55\xA4\xE5\xA1\x41"
                        "\xAB\xC8\xAA\x41\xA4\x5D\xA4\xA3\xA6\x5E\xAB\x48\xA1\x43\n", &e), VOC_OK);
    CHECK_STR(e.body, "退貨一直沒有下文，客服也不回信。");
    CHECK_STR(e.subject, "帳單");  /* raw 8-bit header: read as the body was */
    CHECK_INT(e.charset_guessed, 1);
    CHECK_INT(e.warnings, 0);
    voc__email_clear(&e);

    /* an unknown charset label and no label: detection, never a failure */
    CHECK_INT(parse_str("From: x@example.com\nContent-Type: text/plain; charset=x-klingon\n\n"
                        "\xB0\x68\xB3\x66\xA4\x40\xAA\xBD\xA8\x53\xA6\xB3\xA4\x55\xA4\xE5\xA1\x41"
                        "\xAB\xC8\xAA\x41\xA4\x5D\xA4\xA3\xA6\x5E\xAB\x48\xA1\x43\n", &e), VOC_OK);
    CHECK_STR(e.body, "退貨一直沒有下文，客服也不回信。");
    CHECK_INT(e.charset_guessed, 1);
    voc__email_clear(&e);
    CHECK_INT(parse_str("From: x@example.com\nContent-Type: text/plain; charset=us-ascii\n\n"
                        "caf\xC3\xA9 is UTF-8 under a us-ascii label\n", &e), VOC_OK);
    CHECK_STR(e.body, "café is UTF-8 under a us-ascii label");
    CHECK_INT(e.charset_guessed, 1);
    CHECK_INT(e.warnings, 0);
    voc__email_clear(&e);
    CHECK_INT(parse_str("From: x@example.com\n\nplain ascii, no charset\n", &e), VOC_OK);
    CHECK_STR(e.body, "plain ascii, no charset");
    CHECK_INT(e.charset_guessed, 0);
    CHECK_INT(e.warnings, 0);
    voc__email_clear(&e);

    /* UTF-8 with a few bad bytes and a NUL: repaired with warnings */
    static const char nul_mail[] = "From: x@example.com\nContent-Type: text/plain; charset=utf-8\n\n"
                                   "bad \xFF byte, \xE9\x80\x80\xE6\xAC\xBE\x00 ok\n";
    CHECK_INT(parse_mem(nul_mail, sizeof nul_mail - 1, &e, NULL), VOC_OK);
    CHECK_STR(e.body, "bad \xEF\xBF\xBD byte, 退款\xEF\xBF\xBD ok");
    CHECK_INT(e.warnings, VOC_WARN_INVALID_UTF8 | VOC_WARN_NUL_BYTES);
    voc__email_clear(&e);

    /* windows-1252 behind an iso-8859-1 label (the curly quote is 0x92) */
    CHECK_INT(parse_str("From: x@example.com\nContent-Type: text/plain; charset=iso-8859-1\n\n"
                        "I\x92m not happy \x96 caf\xE9\n", &e), VOC_OK);
    CHECK_STR(e.body, "I’m not happy – café");
    voc__email_clear(&e);

    /* RFC 2047 in several charsets, Q and B, glued to text (loose mode) */
    CHECK_INT(parse_str("From: =?utf-8?Q?Jos=C3=A9?= <jose@example.com>\n"
                        "Subject: =?big5?B?sGi02g==?=: =?gb2312?B?zcu/7g==?= =?UTF-8?Q?done?=\n"
                        "Date: Mon, 2 Nov 2026 9:14:00 -0800\n\nhi\n", &e), VOC_OK);
    CHECK_STR(e.from_name, "José");
    CHECK_STR(e.subject, "退款: 退款done");
    CHECK_STR(e.date, "2026-11-02T17:14:00Z");
    CHECK(!e.message_id);
    voc__email_clear(&e);
}

/* ---- MIME structure --------------------------------------------------------------------- */

static void test_structure(void)
{
    voc_email e;
    voc_error err;
    /* alternative inside mixed, with an attachment; plain text wins over HTML */
    CHECK_INT(parse_str("From: a@example.com\nMIME-Version: 1.0\n"
                        "Content-Type: multipart/mixed; boundary=outer\n\n"
                        "--outer\nContent-Type: multipart/alternative; boundary=inner\n\n"
                        "--inner\nContent-Type: text/plain; charset=utf-8\n\nPlain version.\n"
                        "--inner\nContent-Type: text/html; charset=utf-8\n\n<p>HTML version.</p>\n"
                        "--inner--\n"
                        "--outer\nContent-Type: text/plain; name=log.txt\n"
                        "Content-Disposition: attachment; filename=log.txt\n\nATTACHED LOG\n"
                        "--outer\nContent-Type: message/rfc822\n\nFrom: old@example.com\n\nOLD MAIL\n"
                        "--outer--\n", &e), VOC_OK);
    CHECK_STR(e.body, "Plain version.");
    voc__email_clear(&e);

    /* an empty text/plain alternative falls back to the HTML one (inside related) */
    CHECK_INT(parse_str("From: a@example.com\nContent-Type: multipart/alternative; boundary=b\n\n"
                        "--b\nContent-Type: text/plain\n\n \n"
                        "--b\nContent-Type: multipart/related; boundary=r\n\n"
                        "--r\nContent-Type: text/html\n\n<div>Only&nbsp;in HTML</div>\n"
                        "--r\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"
                        "--r--\n--b--\n", &e), VOC_OK);
    CHECK_STR(e.body, "Only in HTML");
    voc__email_clear(&e);

    /* inline text parts of a mixed message are joined */
    CHECK_INT(parse_str("From: a@example.com\nContent-Type: multipart/mixed; boundary=m\n\n"
                        "--m\nContent-Type: text/plain\n\nFirst part.\n"
                        "--m\nContent-Type: image/jpeg\nContent-Disposition: inline\n\nxx\n"
                        "--m\nContent-Type: text/plain\n\nSecond part.\n--m--\n", &e), VOC_OK);
    CHECK_STR(e.body, "First part.\n\nSecond part.");
    voc__email_clear(&e);

    /* format=flowed: soft breaks joined, quotes kept apart (then stripped), DelSp */
    CHECK_INT(parse_str("From: a@example.com\nContent-Type: text/plain; format=flowed; delsp=yes\n\n"
                        "The refund was prom \nised on Monday  \nand never came.\n"
                        ">Quoted line that \n>goes on.\n", &e), VOC_OK);
    CHECK_STR(e.body, "The refund was promised on Monday and never came.");
    CHECK(e.quoted_bytes > 0);
    voc__email_clear(&e);

    /* no usable content: clean errors that say why */
    memset(&err, 0, sizeof err);
    CHECK_INT(parse_str_err("just a line of text\nand another\n", &e, &err), VOC_EPARSE);
    CHECK(strstr(err.message, "no header") != NULL);
    CHECK_INT(parse_str_err("From: a@example.com\nContent-Type: application/pdf\n\n%PDF-1.4\n", &e, &err),
              VOC_EPARSE);
    CHECK(strstr(err.message, "application/pdf") != NULL);
    CHECK_INT(parse_mem("", 0, &e, &err), VOC_EPARSE);
    CHECK_INT(parse_mem("\r\n\r\n", 4, &e, &err), VOC_EPARSE);
    CHECK_INT(voc__email_parse(NULL, 5, &e, &err), VOC_EINVAL);
    CHECK_INT(voc__email_parse("x", 1, NULL, &err), VOC_EINVAL);
    voc__email_clear(NULL);

    /* headers only: an empty body, not an error */
    CHECK_INT(parse_str("From: a@example.com\nSubject: only a subject\n", &e), VOC_OK);
    CHECK_STR(e.subject, "only a subject");
    CHECK_STR(e.body, "");
    CHECK_INT(e.body_len, 0);
    CHECK(!e.date);
    voc__email_clear(&e);

    /* an unparseable Date is NULL, the rest still comes */
    CHECK_INT(parse_str("From: a@example.com\nDate: 週一 上午\n\nhi\n", &e), VOC_OK);
    CHECK(!e.date);
    CHECK_STR(e.body, "hi");
    voc__email_clear(&e);
}

/* ---- limits ----------------------------------------------------------------------------- */

static void test_limits(void)
{
    voc_email e;
    voc_error err;
    /* 3 MiB of text: cut at VOC_MAX_DOC_BYTES on a character boundary */
    const char *head = "From: big@example.com\nContent-Type: text/plain; charset=utf-8\n\n";
    size_t hl = strlen(head), n = 3u << 20;
    char *big = malloc(hl + n);
    memcpy(big, head, hl);
    for (size_t i = 0; i < n; i += 3) memcpy(big + hl + i, i % 300 == 297 ? "\n\n\n" : "退", 3);
    CHECK_INT(voc__email_parse(big, hl + n, &e, &err), VOC_OK);
    CHECK(e.body_len <= VOC_MAX_DOC_BYTES && e.body_len > VOC_MAX_DOC_BYTES - 4);
    CHECK(voc__utf8_valid(e.body, e.body_len));
    CHECK(e.warnings & VOC_WARN_TRUNCATED);
    voc__email_clear(&e);
    free(big);

    /* multipart nested 5000 deep, and 20000 sibling parts */
    size_t cap = 6u << 20, used = 0;
    char *deep = malloc(cap);
    used += (size_t)snprintf(deep, cap, "From: deep@example.com\n");
    for (int i = 0; i < 5000; i++)
        used += (size_t)snprintf(deep + used, cap - used,
                                 "Content-Type: multipart/mixed; boundary=\"d%d\"\n\n--d%d\n", i, i);
    used += (size_t)snprintf(deep + used, cap - used, "Content-Type: text/plain\n\nvery deep\n");
    int rc = voc__email_parse(deep, used, &e, &err);
    CHECK(rc == VOC_OK || rc == VOC_EPARSE);
    voc__email_clear(&e);
    used = (size_t)snprintf(deep, cap, "From: many@example.com\nContent-Type: multipart/mixed; boundary=x\n\n");
    for (int i = 0; i < 20000; i++)
        used += (size_t)snprintf(deep + used, cap - used, "--x\nContent-Type: text/plain\n\npart %d\n", i);
    CHECK_INT(voc__email_parse(deep, used, &e, &err), VOC_OK);
    CHECK(e.body_len > 0 && strncmp(e.body, "part 0\n\npart 1\n", 15) == 0);
    voc__email_clear(&e);

    /* HTML nested far deeper than any mail: the text before the depth limit is kept */
    used = (size_t)snprintf(deep, cap, "From: h@example.com\nContent-Type: text/html\n\n<p>Before.</p>");
    for (int i = 0; i < 100000; i++) used += (size_t)snprintf(deep + used, cap - used, "<div><blockquote>");
    used += (size_t)snprintf(deep + used, cap - used, "inside");
    CHECK_INT(voc__email_parse(deep, used, &e, &err), VOC_OK);
    CHECK_STR(e.body, "Before.");
    voc__email_clear(&e);
    free(deep);
}

/* ---- HTML to text ---------------------------------------------------------------------- */

static void test_html_to_text(void)
{
    check_html("<html><head><title>T</title><style>p{color:red}</style>"
               "<script>alert('x')</script></head><body><p>Hello&nbsp;&nbsp; world &amp; "
               "&lt;friends&gt; &#x4E2D;&#25991; &eacute;t&eacute;</p></body></html>",
               "Hello world & <friends> 中文 été");
    /* block elements and <br> become line breaks; white space collapses */
    check_html("<div>one</div><div>two<br>three</div><p>para</p>  <p>  next \n\t para  </p>"
               "<ul><li>a</li><li>b</li></ul><h2>Title</h2>tail",
               "one\ntwo\nthree\n\npara\n\nnext para\n\na\nb\n\nTitle\n\ntail");
    check_html("<div>a</div><div><br></div><div>b</div>", "a\n\nb");          /* Gmail */
    check_html("<table><tr><td>Order</td><td>Q-1</td></tr><tr><td>Total</td><td>$5</td></tr></table>",
               "Order Q-1\nTotal $5");
    check_html("<pre>  keep   this\n  layout</pre>", "  keep   this\n  layout");
    /* blockquotes are quoted lines, level by level */
    check_html("<div>mine</div><blockquote>theirs<br>more<blockquote>older</blockquote></blockquote>",
               "mine\n> theirs\n> more\n> > older");
    /* forgiving: unclosed tags, stray '<', comments, Outlook's <o:p>, a meta charset that
     * must not switch the encoding, invalid UTF-8 */
    check_html("<p>unclosed <b>bold <i>both<p>2 < 3<!-- hidden --><o:p></o:p>",
               "unclosed bold both\n\n2 < 3");
    check_html("<meta charset=\"big5\"><p>退款</p>", "退款");
    check_html("<p>bad \xFF byte</p>", "bad \xEF\xBF\xBD byte");
    check_html("", "");
    check_html("<script>only script</script>", "");
    check_html("plain text, no tags", "plain text, no tags");
    voc_buf out = {0};
    CHECK_INT(voc__html_to_text(NULL, 0, &out, NULL), VOC_OK);
    CHECK_INT(voc__html_to_text("x", 1, NULL, NULL), VOC_EINVAL);
    voc__buf_free(&out);
}

/* ---- quoted replies and signatures ------------------------------------------------------ */

static void test_strip_reply(void)
{
    /* look-alikes that must stay */
    check_strip("Your agent hung up on me twice.\nThanks for nothing.",
                "Your agent hung up on me twice.\nThanks for nothing.");
    check_strip("Thanks for the refund, but it was the wrong amount.\nPlease fix it.",
                "Thanks for the refund, but it was the wrong amount.\nPlease fix it.");
    check_strip("請盡快處理，謝謝！", "請盡快處理，謝謝！");
    check_strip("Thanks!", "Thanks!");                       /* nothing else: the message */
    check_strip("Booking details:\nFrom: Taipei\nTo: Kaohsiung\nDate: 2026-11-02\nThe train never came.",
                "Booking details:\nFrom: Taipei\nTo: Kaohsiung\nDate: 2026-11-02\nThe train never came.");
    check_strip("On Monday I wrote to you about the charge.\nNo answer yet.",
                "On Monday I wrote to you about the charge.\nNo answer yet.");
    check_strip("The app crashed.\n\nThanks,\nI have attached a long explanation of every step I took "
                "to reproduce the crash, including the version and the phone model I use.",
                "The app crashed.\n\nThanks,\nI have attached a long explanation of every step I took "
                "to reproduce the crash, including the version and the phone model I use.");
    check_strip("a > b is what the price table says.", "a > b is what the price table says.");
    check_strip("The parcel never came.\nSent from Kaohsiung on Nov 2, tracking says delivered.",
                "The parcel never came.\nSent from Kaohsiung on Nov 2, tracking says delivered.");
    check_strip("我要申訴。\n從我的帳戶被扣了兩次錢", "我要申訴。\n從我的帳戶被扣了兩次錢");

    /* replies and signatures that must go */
    check_strip("Still broken.\n\nOn Mon, Nov 2, 2026 at 9:14 AM Support <help@example.com> wrote:\n"
                "> Please restart the router.\n> Regards",
                "Still broken.");
    check_strip("Still broken.\n\nOn Mon, Nov 2, 2026 at 9:14 AM FarReach Support <\n"
                "help@example.com> wrote:\n\n> Please restart the router.",
                "Still broken.");
    check_strip("還是不能用。\n\n在 2026年11月2日 週一 上午9:14，遠達客服 <help@example.com> 寫道：\n\n"
                "> 請重新開機。",
                "還是不能用。");
    check_strip("No.\n\n________________________________\nFrom: Support <help@example.com>\n"
                "Sent: Monday, November 2, 2026 9:14 AM\nTo: Mei <mei@example.net>\n"
                "Subject: RE: refund\n\nWe are sorry.",
                "No.");
    check_strip("沒有收到。\n\n寄件者: 客服 <help@example.com>\n寄件日期: 2026年11月2日 上午 09:14\n"
                "收件者: mei@example.net\n主旨: 回覆: 退款\n\n已處理。",
                "沒有收到。");
    check_strip("Nope.\nFrom: Support Sent: Monday To: Mei Subject: RE: refund\nWe are sorry.",
                "Nope.");
    check_strip("Where is it?\n----- Original Message -----\nFrom: x\nold text", "Where is it?");
    check_strip("退款呢？\n-----原始郵件-----\n舊的內容", "退款呢？");
    check_strip("Broken again.\n\n---------- Forwarded message ---------\nFrom: shop\n\nYour order",
                "Broken again.");
    /* an attribution with unquoted text after it: top-posting, everything after goes */
    check_strip("See below.\nOn Mon, Nov 2, 2026, Support <help@example.com> wrote:\nRestart it.",
                "See below.");
    /* inline answers between quotes (bottom-posting) stay, the quotes go */
    check_strip("> What is your order number?\nQ-1234.\n> When did it arrive?\nYesterday, broken.",
                "Q-1234.\n\nYesterday, broken.");

    /* signatures */
    check_strip("The bill is wrong.\n-- \nMei Chen\nFarReach customer since 2019", "The bill is wrong.");
    check_strip("The bill is wrong.\n\nSent from my iPhone", "The bill is wrong.");
    check_strip("帳單錯了。\n\n從我的 iPhone 傳送", "帳單錯了。");
    check_strip("The bill is wrong.\n\nBest regards,\nMei Chen\nSenior Engineer\n+886 2 1234 5678",
                "The bill is wrong.");
    check_strip("The bill is wrong.\n\nThanks,\nMei\n\nSent from my iPhone", "The bill is wrong.");
    check_strip("帳單錯了，請處理。\n\n敬祝\n商祺\n\n王小明 敬上", "帳單錯了，請處理。");
    check_strip("帳單錯了，請處理。\n祝 順心\n王小明", "帳單錯了，請處理。");
    check_strip("帳單錯了，請處理。\n\n謝謝", "帳單錯了，請處理。");

    /* the worked example of reply_strip.c's header comment */
    {
        static const char ex[] = "Hi,\nThe refund I was promised never came.\n\nThanks,\nMei\n\n"
                                 "On Mon, Nov 2, 2026 at 9:14 AM FarReach Support <\n"
                                 "support@example.com> wrote:\n> We have processed your refund.\n";
        size_t n;
        char *t = test_exact(ex, &n);
        voc_buf o = {0};
        voc_strip_info in;
        CHECK_INT(voc__strip_reply(t, n, &o, &in), VOC_OK);
        CHECK_MEM(o.data, o.len, "Hi,\nThe refund I was promised never came.");
        CHECK_INT(in.signature_bytes, strlen("Thanks,\nMei\n\n"));
        CHECK_INT(in.quoted_bytes, strlen("On Mon, Nov 2, 2026 at 9:14 AM FarReach Support <\n"
                                          "support@example.com> wrote:\n> We have processed your refund.\n"));
        voc__buf_free(&o);
        free(t);
    }

    /* line endings, blank runs, byte counts */
    size_t len;
    char *text = test_exact("\r\n\r\nLine one.\r\n\r\n\r\n\r\nLine two.\r\n\r\nThanks,\r\nAl\r\n"
                            "> quoted\r\n", &len);
    voc_buf out = {0};
    voc_strip_info info;
    CHECK_INT(voc__strip_reply(text, len, &out, &info), VOC_OK);
    CHECK_MEM(out.data, out.len, "Line one.\n\nLine two.");
    CHECK_INT(info.signature_bytes, strlen("Thanks,\r\nAl\r\n"));
    CHECK_INT(info.quoted_bytes, strlen("> quoted\r\n"));
    voc__buf_free(&out);
    free(text);
    CHECK_INT(voc__strip_reply("", 0, &out, &info), VOC_OK);
    CHECK_INT(out.len, 0);
    voc__buf_free(&out);
}

/* ---- threads ---------------------------------------------------------------------------- */

static const char *const sample_names[] = {"big5_alternative_qp.eml", "html_only_utf8.eml",
                                           "base64_utf8_quote.eml", "gbk_subject.eml",
                                           "broken_truncated.eml"};
#define N_SAMPLES (sizeof sample_names / sizeof *sample_names)
#define N_THREADS 4
static char *sample_data[N_SAMPLES];
static size_t sample_len[N_SAMPLES];
static voc_email first[N_THREADS][N_SAMPLES]; /* each thread's first result per sample */

static int same_email(const voc_email *a, const voc_email *b)
{
#define SAME(f) ((!a->f && !b->f) || (a->f && b->f && strcmp(a->f, b->f) == 0))
    return SAME(subject) && SAME(body) && SAME(message_id) && SAME(from_addr) &&
           SAME(from_name) && SAME(date) && SAME(charset) && a->body_len == b->body_len &&
           a->warnings == b->warnings && a->quoted_bytes == b->quoted_bytes &&
           a->signature_bytes == b->signature_bytes;
#undef SAME
}

/* Parse every sample 40 times, each thread starting at another one; later rounds must give
 * what the first gave. */
static void *worker(void *arg)
{
    size_t id = (size_t)arg;
    long bad = 0;
    for (int round = 0; round < 40; round++)
        for (size_t k = 0; k < N_SAMPLES; k++) {
            size_t s = (k + id) % N_SAMPLES;
            voc_email e;
            voc_error err;
            if (voc__email_parse(sample_data[s], sample_len[s], &e, &err) != VOC_OK) bad++;
            if (round == 0) {
                first[id][s] = e;
                continue;
            }
            if (!same_email(&e, &first[id][s])) bad++;
            voc__email_clear(&e);
        }
    return (void *)bad;
}

/* Runs first in main, so that the threads also race GMime's and libxml2's one-time setup
 * (dlopen, then their own initialization); then one thread's results must equal each of
 * the four's.  Before it, neither library is in the process: vocmine links neither, so
 * runs that read no mail never load them. */
static void test_threads(void)
{
    CHECK(!library_loaded(VOCMINE_GMIME_SONAME));
    CHECK(!library_loaded(VOCMINE_XML2_SONAME));
    for (size_t k = 0; k < N_SAMPLES; k++) sample_data[k] = read_sample(sample_names[k], &sample_len[k]);
    pthread_t t[N_THREADS];
    for (size_t i = 0; i < N_THREADS; i++) CHECK_INT(pthread_create(&t[i], NULL, worker, (void *)i), 0);
    for (size_t i = 0; i < N_THREADS; i++) {
        void *bad = NULL;
        pthread_join(t[i], &bad);
        CHECK_INT((long)bad, 0);
    }
    for (size_t k = 0; k < N_SAMPLES; k++) {
        voc_email e;
        voc_error err;
        CHECK_INT(voc__email_parse(sample_data[k], sample_len[k], &e, &err), VOC_OK);
        for (size_t i = 0; i < N_THREADS; i++) {
            CHECK(same_email(&e, &first[i][k]));
            voc__email_clear(&first[i][k]);
        }
        voc__email_clear(&e);
        free(sample_data[k]);
    }
    CHECK(library_loaded(VOCMINE_GMIME_SONAME));
    CHECK(library_loaded(VOCMINE_XML2_SONAME)); /* html_only_utf8.eml */
}

/* ---- libraries opened on first use ---------------------------------------------------- */

static int setups;
static bool count_setup(voc_library_state *st)
{
    (void)st;
    setups++;
    return true;
}
static bool refuse_setup(voc_library_state *st)
{
    snprintf(st->problem, sizeof st->problem, "libm did not initialize");
    return false;
}

/* voc__library_open on libm, which the tests link anyway: the symbols land in their slots
 * and work; a library that is not there and a symbol it lacks give messages naming them. */
static void test_library_open(void)
{
    double (*cosine)(double) = NULL, (*root)(double) = NULL;
    void **slots[] = {(void **)&cosine, (void **)&root};
    const char *const libm[] = {"libvocmine-absent.so.9", "libm.so.6", NULL};
    const char *const math_names[] = {"cos", "sqrt", NULL};
    voc_library lib = {"libm", "apt-get install libc6", NULL, libm, math_names, slots};
    char problem[256] = "";
    CHECK(voc__library_open(&lib, problem, sizeof problem)); /* the second soname */
    CHECK_STR(problem, "");
    CHECK(cosine && cosine(0.0) == 1.0);
    CHECK(root && root(16.0) == 4.0);

    const char *const absent[] = {"libvocmine-absent.so.9", NULL};
    lib.sonames = absent;
    CHECK(!voc__library_open(&lib, problem, sizeof problem));
    CHECK(strncmp(problem, "cannot load libm (apt-get install libc6): libvocmine-absent.so.9",
                  strlen("cannot load libm (apt-get install libc6): libvocmine-absent.so.9")) == 0);

    const char *const lacking[] = {"cos", "voc_no_such_function", NULL};
    lib.sonames = libm;
    lib.symbols = lacking;
    lib.version_note = "glibc 9 needed";
    CHECK(!voc__library_open(&lib, problem, sizeof problem));
    CHECK_STR(problem, "libm lacks voc_no_such_function (glibc 9 needed)");
    lib.version_note = NULL;
    CHECK(!voc__library_open(&lib, problem, sizeof problem));
    CHECK_STR(problem, "libm lacks voc_no_such_function");

    /* voc__library_ready opens and sets up once, and answers the same ever after */
    lib.symbols = math_names;
    cosine = root = NULL;
    voc_library_state st = VOC_LIBRARY_STATE_INIT;
    setups = 0;
    CHECK(voc__library_ready(&lib, &st, count_setup));
    CHECK(voc__library_ready(&lib, &st, count_setup));
    CHECK_INT(setups, 1);
    CHECK(cosine && cosine(0.0) == 1.0);
    lib.sonames = absent; /* not opened again: the first answer stands */
    CHECK(voc__library_ready(&lib, &st, count_setup));
    /* a setup that fails makes the library not ready, with its problem, for good */
    voc_library_state failing = VOC_LIBRARY_STATE_INIT;
    lib.sonames = libm;
    CHECK(!voc__library_ready(&lib, &failing, refuse_setup));
    CHECK_STR(failing.problem, "libm did not initialize");
    CHECK(!voc__library_ready(&lib, &failing, NULL));
    /* a library that cannot load says so */
    voc_library_state missing = VOC_LIBRARY_STATE_INIT;
    lib.sonames = absent;
    CHECK(!voc__library_ready(&lib, &missing, count_setup));
    CHECK(strncmp(missing.problem, "cannot load libm", strlen("cannot load libm")) == 0);
    CHECK_INT(setups, 1);
}

int main(void)
{
    test_threads();
    test_big5_alternative();
    test_html_only();
    test_base64_quote();
    test_gbk();
    test_mbox();
    test_broken();
    test_charsets();
    test_structure();
    test_limits();
    test_html_to_text();
    test_strip_reply();
    test_library_open();
    return test_exit_status("test_email");
}
