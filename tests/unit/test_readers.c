/* test_readers.c — the input side: cutting streams into units (reader.c), encodings
 * (decode.c), CSV fields and header mapping (csv.c), chats (chat.c), metrics and times
 * (input.c, time_norm.c).  Streams are fed from memory in small, odd-sized pieces so units,
 * quoted line breaks and multi-byte characters fall across read boundaries. */
#include "test.h"
#include "readers/parse.h"
#include "readers/readers.h"
#include "mem_source.h" /* tests/fuzz: a read function over memory */

#include <stdlib.h>
#include <string.h>


/* Read every unit of `data` (with `format`, or guessed from `name`), parse each, and
 * describe them as "line:id:text|" (or "line:ERR:message|") into out. */
static void read_all(const voc_reader_options *opts, const char *name, const char *data,
                     size_t len, size_t step, char *out, size_t cap)
{
    mem_source m = {data, len, 0, step};
    voc_reader *r;
    voc_error err;
    size_t used = 0;
    out[0] = '\0';
    if (voc_reader_new(opts, name, mem_source_read, &m, &r, &err)) {
        snprintf(out, cap, "NEW:%s", err.message);
        return;
    }
    voc_unit u;
    int rc;
    while ((rc = voc_reader_next(r, &u, &err)) > 0) {
        voc_input in;
        if (voc_reader_parse(r, &u, &in, &err)) {
            used += (size_t)snprintf(out + used, cap - used, "%zu:ERR:%s|", u.line, err.message);
        } else {
            used += (size_t)snprintf(out + used, cap - used, "%zu:%s:%.*s|", u.line, in.doc.id,
                                     (int)in.doc.text_len, in.doc.text);
            voc_input_clear(&in);
        }
        if (used >= cap) break;
    }
    if (rc < 0) snprintf(out + used, cap - used, "FAIL:%s", err.message);
    voc_reader_free(r);
}

static void test_lines(void)
{
    char out[2048];
    const char *jsonl = "\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"one\"}\r\n\n   \n{\"id\":\"b\",\"text\":\"two\"}";
    for (size_t step = 1; step < 40; step += 7) {
        read_all(NULL, "x.jsonl", jsonl, strlen(jsonl), step, out, sizeof out);
        CHECK_STR(out, "1:a:one|4:b:two|"); /* BOM dropped, blank lines not units, no final \n */
    }
    voc_reader_options text = {.format = "text"};
    read_all(&text, "x", "first\n\nthird\r\n", 14, 3, out, sizeof out);
    CHECK_STR(out, "1:x:1:first|2:x:2:|3:x:3:third|"); /* text: every line is a document */
}

/* How many bytes a and b share from their start (a failed comparison of long strings says
 * where, rather than printing both). */
static size_t same_prefix(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] && a[i] == b[i]) i++;
    return i;
}

/* A stream of several 64 KiB chunks, JSON Lines (read straight into the reader's buffer,
 * not through its decode copy) and text (ASCII until its last line, so the decoder is left
 * undecided until there: copied), in pieces of every size: each unit whole and in order. */
static void test_long_stream(void)
{
    enum { N = 8000 };
    size_t cap = (size_t)N * 64, len = 0, want_len = 0;
    char *jsonl = malloc(cap), *text = malloc(cap), *want = malloc(cap), *want_text = malloc(cap);
    char *out = malloc(cap);
    CHECK(jsonl && text && want && want_text && out);
    if (!jsonl || !text || !want || !want_text || !out) return;
    for (int k = 1; k <= N; k++) {
        len += (size_t)snprintf(jsonl + len, cap - len, "{\"id\":\"d%d\",\"text\":\"line %d \xC3\xBC\"}\n", k, k);
        want_len += (size_t)snprintf(want + want_len, cap - want_len, "%d:d%d:line %d \xC3\xBC|", k, k, k);
    }
    CHECK(len > 3 * 65536);
    static const size_t steps[] = {1, 4093, 65536, 200000};
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        read_all(NULL, "long.jsonl", jsonl, len, steps[i], out, cap);
        CHECK_INT(same_prefix(out, want), want_len);
        CHECK_INT(strlen(out), want_len);
    }
    size_t text_len = 0, want_text_len = 0;
    voc_reader_options as_text = {.format = "text"};
    for (int k = 1; k <= N; k++) {
        const char *tail = k == N ? " \xC3\xBC" : "";
        text_len += (size_t)snprintf(text + text_len, cap - text_len, "line %d%s\n", k, tail);
        want_text_len += (size_t)snprintf(want_text + want_text_len, cap - want_text_len,
                                          "%d:long.txt:%d:line %d%s|", k, k, k, tail);
    }
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        read_all(&as_text, "long.txt", text, text_len, steps[i], out, cap);
        CHECK_INT(same_prefix(out, want_text), want_text_len);
        CHECK_INT(strlen(out), want_text_len);
    }
    free(jsonl);
    free(text);
    free(want);
    free(want_text);
    free(out);
}

static void test_csv(void)
{
    char out[4096];
    /* quoted comma, doubled quotes, CRLF inside quotes, a stray quote, CRLF rows, a short
     * row, a row without final newline */
    const char *csv = "id,customer,評論\r\n"
                      "1,C1,\"late, again\"\r\n"
                      "2,C2,\"she said \"\"never\"\"\r\nagain\"\r\n"
                      "3,C3,32\" screen\r\n"
                      "4,C4\r\n"
                      "5,C5,last";
    for (size_t step = 1; step < 64; step += 5) {
        read_all(NULL, "s.csv", csv, strlen(csv), step, out, sizeof out);
        CHECK_STR(out, "2:1:late, again|3:2:she said \"never\"\nagain|5:3:32\" screen|6:4:|7:5:last|");
    }
    /* an unterminated quote at the end: the rows before it stand, it is an error */
    const char *open = "id,text\n1,fine\n2,\"never closed\nstill\n";
    read_all(NULL, "o.csv", open, strlen(open), 4, out, sizeof out);
    CHECK_STR(out, "2:1:fine|3:ERR:quoted field opened here is never closed (the input ends inside it)|");
    /* two text columns joined, metrics, field-count warning */
    voc_reader_options o = {.text_field = "comment", .metric_field = "NPS", .metric_kind = VOC_METRIC_NPS};
    o.text_fields[0] = "more";
    o.n_text_fields = 1;
    const char *two = "NPS,comment,more,extra\n9,great,really,x\n11,meh,,\nten,,also\n";
    mem_source m = {two, strlen(two), 0, 5};
    voc_reader *r;
    voc_error err;
    CHECK_INT(voc_reader_new(&o, "t.csv", mem_source_read, &m, &r, &err), 0);
    voc_unit u;
    voc_input in;
    int kinds[3], warns[3];
    double values[3];
    const char *texts[3] = {"great\nreally", "meh", "also"};
    for (int k = 0; k < 3; k++) {
        CHECK_INT(voc_reader_next(r, &u, &err), 1);
        CHECK_INT(voc_reader_parse(r, &u, &in, &err), 0);
        CHECK_MEM(in.doc.text, in.doc.text_len, texts[k]);
        kinds[k] = in.doc.metric_kind;
        values[k] = in.doc.metric_value;
        warns[k] = (int)in.doc.input_warnings;
        CHECK_STR(in.doc.channel, "survey");
        voc_input_clear(&in);
    }
    CHECK_INT(voc_reader_next(r, &u, &err), 0);
    voc_reader_free(r);
    CHECK_INT(kinds[0], VOC_METRIC_NPS);
    CHECK(values[0] == 9);
    CHECK_INT(warns[0], 0);
    CHECK_INT(kinds[1], VOC_METRIC_NONE); /* 11 is off the 0-10 scale */
    CHECK_INT(warns[1] & VOC_WARN_METRIC_RANGE, VOC_WARN_METRIC_RANGE);
    CHECK_INT(kinds[2], VOC_METRIC_NONE); /* "ten" is not a number */
    CHECK_INT(warns[2] & VOC_WARN_METRIC_RANGE, VOC_WARN_METRIC_RANGE);
    /* no "text" column: a survey question that asks for comments is taken, in any case (the
     * folding is ASCII's own; this runs in the C locale, so it shows the guess, not the
     * locale independence) */
    const char *asked = "id,What could we do BETTER?\n1,faster refunds\n", *none = "id,score\n1,9\n";
    read_all(NULL, "q.csv", asked, strlen(asked), 64, out, sizeof out);
    CHECK_STR(out, "2:1:faster refunds|");
    read_all(NULL, "q.csv", none, strlen(none), 64, out, sizeof out);
    CHECK(!strncmp(out, "FAIL:", 5));
    CHECK(voc__ascii_case_contains("Any FEEDBACK?", "feedback"));
    CHECK(!voc__ascii_case_contains("feed", "feedback"));
    CHECK(voc__ascii_case_contains("x", ""));
    /* a header without the named column fails with the columns listed */
    voc_reader_options bad = {.text_field = "Comments"};
    read_all(&bad, "b.csv", "id,Comment\n1,x\n", 15, 64, out, sizeof out);
    CHECK_STR(out, "FAIL:no column named \"Comments\" (--text-field); columns: \"id\", \"Comment\"");
}

static void test_encodings(void)
{
    char out[2048];
    /* UTF-16LE with BOM, tab-separated: Excel's "Unicode text" (format guessed) */
    const char *utf8 = "id\ttext\r\n7\t退款\r\n";
    char u16[64];
    size_t n = 0;
    u16[n++] = (char)0xFF;
    u16[n++] = (char)0xFE;
    for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
        size_t adv;
        int32_t cp = voc__utf8_decode(p, strlen((const char *)p), 0, &adv);
        u16[n++] = (char)(cp & 0xFF);
        u16[n++] = (char)(cp >> 8);
        p += adv;
    }
    for (size_t step = 1; step < 9; step += 3) {
        read_all(NULL, "excel.txt", u16, n, step, out, sizeof out);
        CHECK_STR(out, "2:7:退款|");
    }
    /* Big5 退款很慢 in a CSV, detected; the same forced */
    const char big5[] = "id,text\n1,\xB0\x68\xB4\xDA\xAB\xDC\xBA\x43\n";
    read_all(NULL, "b.csv", big5, sizeof big5 - 1, 5, out, sizeof out);
    CHECK_STR(out, "2:1:退款很慢|");
    voc_reader_options forced = {.encoding = "big5"};
    read_all(&forced, "b.csv", big5, sizeof big5 - 1, 3, out, sizeof out);
    CHECK_STR(out, "2:1:退款很慢|");
    /* "Latin-1" from Windows: 0x93/0x94 are curly quotes (windows-1252), not C1 controls */
    const char latin[] = "id,text\n1,\x93" "caf\xe9\x94 \x96 ok\n";
    voc_reader_options latin1 = {.encoding = "latin1"};
    read_all(&latin1, "l.csv", latin, sizeof latin - 1, 4, out, sizeof out);
    CHECK_STR(out, "2:1:\u201ccaf\u00e9\u201d \u2013 ok|");
    /* one label table for every reader (e-mail included) */
    CHECK_STR(voc__charset_widen("Big5"), "windows-950");
    CHECK_STR(voc__charset_widen("cp950"), "windows-950");
    CHECK_STR(voc__charset_widen("BIG5-HKSCS"), "ibm-1375");
    CHECK_STR(voc__charset_widen("gb2312"), "gb18030");
    CHECK_STR(voc__charset_widen("ISO-8859-1"), "windows-1252");
    CHECK_STR(voc__charset_widen("ks_c_5601-1987"), "windows-949");
    CHECK_STR(voc__charset_widen("shift_jis"), "shift_jis");
    voc_reader_options unknown = {.encoding = "no-such-charset"};
    read_all(&unknown, "b.csv", big5, sizeof big5 - 1, 3, out, sizeof out);
    CHECK(strncmp(out, "FAIL:unknown encoding 'no-such-charset'", 39) == 0);
}

static void test_mbox(void)
{
    char out[4096];
    const char *mbox = "From a@example.com Mon Nov  2 09:14:00 2026\n"
                       "From: A <a@example.com>\nMessage-ID: <m1@example.com>\nSubject: one\n\n"
                       "Refund please.\n>From the start it was wrong.\n\n"
                       "From b@example.com Mon Nov  2 10:00:00 2026\n"
                       "From: b@example.com\nMessage-ID: <m2@example.com>\nSubject: two\n\nThanks!\n";
    for (size_t step = 3; step < 80; step += 19) {
        read_all(NULL, "box.mbox", mbox, strlen(mbox), step, out, sizeof out);
        CHECK_STR(out, "1:m1@example.com:one\n\nRefund please.\nFrom the start it was wrong.|"
                       "9:m2@example.com:two\n\nThanks!|");
    }
}

static void test_chat(void)
{
    voc_input in;
    voc_error err;
    const char *line = "{\"id\":\"c1\",\"time\":\"2026-11-02 09:14:05\",\"turns\":["
                       "{\"role\":\"bot\",\"text\":\"Hi! 😊\"},"
                       "{\"role\":\"customer\",\"text\":\"my order is late\"},"
                       "{\"role\":\"agent\",\"text\":\"so sorry for the terrible delay\"},"
                       "{\"role\":\"note\",\"text\":\"angry customer\"},"
                       "{\"role\":\"customer\"},"
                       "{\"role\":\"customer\",\"text\":\"I will cancel\"}]}";
    voc_reader_options o = {.format = "chat"};
    CHECK_INT(voc_input_parse(&o, "c.jsonl", 1, line, strlen(line), &in, &err), 0);
    CHECK_MEM(in.doc.text, in.doc.text_len, "my order is late\nI will cancel");
    CHECK_INT(in.doc.n_turns, 2);
    CHECK_INT(in.doc.turns[0].index, 1);
    CHECK_INT(in.doc.turns[1].index, 5);
    CHECK_INT(in.doc.turns[1].start, 17);
    CHECK_INT(in.doc.input_warnings, VOC_WARN_SKIPPED_TURNS); /* the note and the text-less turn */
    CHECK_STR(in.doc.channel, "chat");
    CHECK_STR(in.doc.time, "2026-11-02T09:14:05");
    voc_input_clear(&in);
    const char *none = "{\"id\":\"c2\",\"turns\":[{\"role\":\"bot\",\"text\":\"Hello\"}]}";
    CHECK_INT(voc_input_parse(&o, "c.jsonl", 2, none, strlen(none), &in, &err), 0);
    CHECK_INT(in.doc.text_len, 0);
    CHECK_INT(in.doc.n_turns, 0);
    voc_input_clear(&in);
    const char *no_turns = "{\"id\":\"c3\",\"text\":\"x\"}";
    CHECK_INT(voc_input_parse(&o, "c.jsonl", 3, no_turns, strlen(no_turns), &in, &err), VOC_EFIELD);
}

/* A PTT post is its author's words: the footer ("--", then the site stamp or other users'
 * pushes) is cut; a "--" line inside the text is not a footer. */
static void test_social_ptt(void)
{
    static const char pushes[] = "{\"id\":\"M.1\",\"handle\":\"@a\",\"platform\":\"ptt\","
                                 "\"text\":\"外送晚了一個半小時\\n\\n--\\n推 k1ngk0ng: 不意外 11/02 21:58\\n推 qq: 讚\"}";
    static const struct {
        const char *line, *text;
    } cases[] = {
        {pushes, "外送晚了一個半小時\n"},
        {"{\"id\":\"M.2\",\"handle\":\"@b\",\"text\":\"客服很好\\r\\n--\\r\\n"
         "\xE2\x80\xBB \xE7\x99\xBC\xE4\xBF\xA1\xE7\xAB\x99: 批踢踢實業坊\"}", /* the site stamp ※ 發信站 */
         "客服很好"},
        {"{\"id\":\"M.3\",\"handle\":\"@c\",\"text\":\"first part\\n--\\nsecond part\"}", "first part\n--\nsecond part"},
        /* a push names a user id of ASCII letters, digits and '_', then ':'; a "--" line
         * before anything else is the author's */
        {"{\"id\":\"M.4\",\"handle\":\"@d\",\"text\":\"好吃\\n--\\n推 這家: 真的"
         "\\n--\\n推 a_1 說\\n--\\n推 : 空\\n--\\n推 a_1: 讚\"}",
         "好吃\n--\n推 這家: 真的\n--\n推 a_1 說\n--\n推 : 空"},
    };
    voc_input in;
    voc_error err;
    voc_reader_options o = {.format = "social"};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        CHECK_INT(voc_input_parse(&o, "s.jsonl", k + 1, cases[k].line, strlen(cases[k].line), &in, &err), 0);
        CHECK_MEM(in.doc.text, in.doc.text_len, cases[k].text);
        if (k == 0) CHECK_STR(in.doc.platform, "ptt");
        voc_input_clear(&in);
    }
    /* the same post read as plain JSONL keeps its whole text */
    voc_reader_options plain = {.format = "jsonl"};
    CHECK_INT(voc_input_parse(&plain, "s.jsonl", 1, pushes, strlen(pushes), &in, &err), 0);
    CHECK(in.doc.text_len > strlen("外送晚了一個半小時\n"));
    CHECK_MEM(in.doc.text, in.doc.text_len, "外送晚了一個半小時\n\n--\n推 k1ngk0ng: 不意外 11/02 21:58\n推 qq: 讚");
    CHECK(in.doc.platform == NULL); /* a platform field is read for social posts only */
    voc_input_clear(&in);
}

static void test_times(void)
{
    static const struct { const char *in, *out; } cases[] = {
        {"2026-11-02T09:14:00Z", "2026-11-02T09:14:00Z"},
        {"2026-11-02T17:14:00+08:00", "2026-11-02T09:14:00Z"},
        {"2026-11-01T02:00:00+08:00", "2026-10-31T18:00:00Z"},     /* back across a month */
        {"2026-12-31T23:30:00-0100", "2027-01-01T00:30:00Z"},      /* forward across a year */
        {"2026-11-02 09:14:05", "2026-11-02T09:14:05"},
        {"2026-11-02T09:14:05.123Z", "2026-11-02T09:14:05Z"},
        {"2026/11/2 10:02", "2026-11-02T10:02:00"},
        {"2026/11/4 下午 02:47", "2026-11-04T14:47:00"},
        {"2026/11/4 上午 12:05", "2026-11-04T00:05:00"},
        {"11/2/2026 9:14", "2026-11-02T09:14:00"},                 /* US Excel: month first */
        {"25/12/2026 9:14 PM", "2026-12-25T21:14:00"},             /* 25 cannot be a month */
        {"11/2/2026 9:14 a.m.", "2026-11-02T09:14:00"},
        {"11/2/2026 12:05 am", "2026-11-02T00:05:00"},
        {"2026-11-02 09:14:05 p.m. +01:00", "2026-11-02T20:14:05Z"},
        {"2026-11-05", "2026-11-05"},
        {"2024-02-29", "2024-02-29"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[32] = "";
        size_t n = voc__time_normalize(cases[i].in, strlen(cases[i].in), out, sizeof out);
        CHECK_INT(n, strlen(cases[i].out));
        CHECK_STR(out, cases[i].out);
    }
    static const char *const rejected[] = {"2026-02-29", "yesterday", "2026-13-01", "12:30",
                                           "2026-11-02 25:00", "2026-11-02 09:14 tomorrow",
                                           "2026-11-02 09:14 Pacific", "2026-11-02 09:14 a", ""};
    for (size_t i = 0; i < sizeof rejected / sizeof *rejected; i++) {
        char out[32];
        CHECK_INT(voc__time_normalize(rejected[i], strlen(rejected[i]), out, sizeof out), 0);
    }
}

int main(void)
{
    test_lines();
    test_long_stream();
    test_csv();
    test_encodings();
    test_mbox();
    test_chat();
    test_social_ptt();
    test_times();
    return test_exit_status("test_readers");
}
