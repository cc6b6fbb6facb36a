/* test_record.c — the JSON writer and record builder (json_writer.c, record.c): escaping,
 * numbers, the record's fields parsed back with json-c, stable record ids, error records. */
#include "fixture.h"
#include "internal.h"

#include <json-c/json.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>

static int buf_sink(void *user, const char *data, size_t len)
{
    return voc__buf_append(user, data, len);
}

/* Writes the record inside the callback, where the result is valid. */
static int write_record(void *u, const voc_doc *doc, const voc_result *r)
{
    char rid[96];
    voc_record_id(doc, 1, rid, sizeof rid);
    return voc_record_write_json(fx_analyzer(), doc, rid, r, buf_sink, u);
}

static json_object *record_of(const char *text, const char *id, const char *customer, voc_buf *out)
{
    voc_session *s;
    voc_error err;
    voc_session_new(fx_analyzer(), &s, &err);
    voc_doc d = {text, strlen(text), id, customer, "survey", "2026-11-02T09:14:00Z", 0};
    out->len = 0;
    int rc = voc_analyze(s, &d, write_record, out, &err);
    CHECK_INT(rc, 0);
    voc_session_free(s);
    json_object *j = json_tokener_parse(out->data);
    if (!j) {
        fprintf(stderr, "record is not JSON:\n%.*s\n", (int)out->len, out->data);
        test_failures++;
    }
    return j;
}

static json_object *get(json_object *o, const char *key)
{
    json_object *v = NULL;
    json_object_object_get_ex(o, key, &v);
    return v;
}

static const char *get_str(json_object *o, const char *key)
{
    json_object *v = get(o, key);
    return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* The numbers' rules said plainly: v * 10000 rounded half away from zero (llround), printed
 * as an integer part and four decimals with the trailing zeros dropped; printf's "%.4f" past
 * 9e17; NaN and the infinities as 0. */
static void plain_num(char *out, size_t cap, double v)
{
    double x = v * 10000.0;
    if (!isfinite(v)) {
        snprintf(out, cap, "0");
        return;
    }
    if (!(fabs(x) <= 9e17)) {
        snprintf(out, cap, "%.4f", v);
        return;
    }
    long long q = llround(x);
    unsigned long long uq = q < 0 ? 0 - (unsigned long long)q : (unsigned long long)q;
    int n = snprintf(out, cap, "%s%llu.%04llu", q < 0 ? "-" : "", uq / 10000, uq % 10000);
    while (out[n - 1] == '0') out[--n] = '\0';
    if (out[n - 1] == '.') out[n - 1] = '\0';
}

/* voc__json_put_num and voc__json_put_size against printf, around every place their fast
 * paths end: sizes near each power of ten, numbers near 0, ±1 (where the integer part
 * starts) and the halves that round. */
static void check_numbers(void)
{
    char got[VOC_JSON_NUM_ROOM], want[VOC_JSON_NUM_ROOM];
    size_t sizes[400], n_sizes = 0;
    for (size_t p = 1; n_sizes + 3 <= 400; p *= 10) {
        sizes[n_sizes++] = p - 1;
        sizes[n_sizes++] = p;
        sizes[n_sizes++] = p + 1;
        if (p > SIZE_MAX / 10) break;
    }
    sizes[n_sizes++] = SIZE_MAX;
    for (size_t k = 0; k < n_sizes + 20000; k++) {
        size_t v = k < n_sizes ? sizes[k] : k - n_sizes;
        *voc__json_put_size(got, v) = '\0';
        snprintf(want, sizeof want, "%zu", v);
        CHECK_STR(got, want);
    }
    double nums[] = {0, -0.0, 1, -1, 0.99995, 0.99994999, -0.99995, -0.99994999, 0.00005,
                     -0.00005, 0.00004999, 0.999949999999, 9999.99995, 1e13, -1e14, 9e13,
                     1e300, -1e300, INFINITY, -INFINITY, NAN, 0.1, 0.2, 0.3, 1.0 / 3.0, -2.0 / 3.0};
    for (size_t k = 0; k < sizeof nums / sizeof *nums; k++) {
        *voc__json_put_num(got, nums[k]) = '\0';
        plain_num(want, sizeof want, nums[k]);
        CHECK_STR(got, want);
    }
    uint64_t seed = 88172645463325252ULL;
    for (int k = 0; k < 200000; k++) { /* xorshift: magnitudes from 1e-6 to 1e6 */
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        double v = (double)(seed >> 11) / 9007199254740992.0 * pow(10, (int)(seed % 13) - 6);
        if (seed & 1) v = -v;
        if (k % 3 == 0) v = round(v * 20000) / 20000; /* halves of the last decimal */
        *voc__json_put_num(got, v) = '\0';
        plain_num(want, sizeof want, v);
        if (strcmp(got, want)) {
            CHECK_STR(got, want);
            break;
        }
        test_checks++;
    }
}

/* Short strings (1 to 12 bytes: each way plain_prefix tests a string under sixteen bytes)
 * written by voc__json_put_str and voc__json_put_str_utf8, against their escaping said
 * plainly piece by piece: every string of up to four pieces from a set of plain characters,
 * the characters JSON escapes, U+2028, non-ASCII ones and (for the writer of unknown bytes) a
 * byte that is not UTF-8. */
static void check_short_strings(void)
{
    static const struct {
        const char *in, *out;
    } piece[] = {{"a", "a"},   {"~", "~"},   {" ", " "},       {"\"", "\\\""},  {"\\", "\\\\"},
                 {"\n", "\\n"}, {"\x01", "\\u0001"}, {"\x1f", "\\u001f"}, {"\x7f", "\x7f"},
                 {"\xC3\xA9", "\xC3\xA9"}, {"\xE2\x80\xA8", "\\u2028"}, {"\xE5\xAE\xA2", "\xE5\xAE\xA2"},
                 {"\xFF", "\xEF\xBF\xBD"}};
    const size_t n_piece = sizeof piece / sizeof *piece, n_valid = n_piece - 1; /* \xFF last */
    for (size_t n = 1; n <= 4; n++) {
        size_t total = 1;
        for (size_t k = 0; k < n; k++) total *= n_piece;
        for (size_t code = 0; code < total; code++) {
            char in[16] = "", want[64] = "\"", got[VOC_JSON_STR_ROOM(16)];
            bool valid = true;
            for (size_t k = 0, c = code; k < n; k++, c /= n_piece) {
                strcat(in, piece[c % n_piece].in);
                strcat(want, piece[c % n_piece].out);
                valid &= c % n_piece < n_valid;
            }
            strcat(want, "\"");
            *voc__json_put_str(got, in, strlen(in)) = '\0';
            if (strcmp(got, want)) {
                CHECK_STR(got, want);
                return;
            }
            if (valid) {
                *voc__json_put_str_utf8(got, in, strlen(in)) = '\0';
                if (strcmp(got, want)) {
                    CHECK_STR(got, want);
                    return;
                }
            }
            test_checks++;
        }
    }
}

/* Evidence entries as the record writer makes room for them (record.c: once per entry), with
 * the rare ones around that: a text and a term longer than the writer's 4,096-byte piece (written
 * through the buffer, room made again after them), no term, a kind out of range, spans in a
 * chat's turns; each read back with json-c. */
static void check_evidence_entries(void)
{
    size_t n_units = 2000, text_len = 4 * n_units, term_len = 4 * 1500;
    char *text = malloc(text_len), *term = malloc(term_len + 1);
    for (size_t k = 0; k < n_units; k++) memcpy(text + 4 * k, "\xE5\xAE\xA2\"", 4); /* 客" */
    for (size_t k = 0; k < term_len / 4; k++) memcpy(term + 4 * k, "\xE5\xA5\xBD\\", 4); /* 好\ */
    term[term_len] = '\0';
    voc_turn turns[2] = {{0, 4000, 0}, {4000, text_len - 4000, 2}};
    voc_doc doc = {text, text_len, "E-1", NULL, "chat", NULL, 0, turns, 2};
    voc_evidence ev[] = {{4008, 4020, VOC_EVIDENCE_LEXICON, 0.5, "good"},
                         {0, text_len, VOC_EVIDENCE_NGRAM, -0.25, term},
                         {4, 8, 99, 1.5, NULL},
                         {100, 5100, VOC_EVIDENCE_RULE, 2, "wish"}};
    const size_t want_turn[] = {2, 0, 0, 0}, want_start[] = {8, 0, 4, 100}, want_end[] = {20, text_len, 8, 5100};
    const char *want_kind[] = {"lexicon", "ngram", "unknown", "rule"};
    voc_result r = {0};
    r.text = text;
    r.text_len = text_len;
    r.lang = "zh-Hant";
    r.label = VOC_NEGATIVE;
    r.evidence = ev;
    r.n_evidence = sizeof ev / sizeof *ev;
    voc_buf out = {0};
    CHECK_INT(voc_record_write_json(fx_analyzer(), &doc, "chat:1", &r, buf_sink, &out), VOC_OK);
    json_object *j = out.data ? json_tokener_parse(out.data) : NULL;
    CHECK(j != NULL);
    json_object *arr = j ? get(j, "evidence") : NULL;
    CHECK(arr && json_object_array_length(arr) == r.n_evidence);
    for (size_t i = 0; arr && i < r.n_evidence && i < json_object_array_length(arr); i++) {
        json_object *e = json_object_array_get_idx(arr, i);
        CHECK_INT(json_object_get_int64(get(e, "turn")), (long long)want_turn[i]);
        CHECK_INT(json_object_get_int64(get(e, "start")), (long long)want_start[i]);
        CHECK_INT(json_object_get_int64(get(e, "end")), (long long)want_end[i]);
        const char *et = get_str(e, "text");
        size_t len = ev[i].end - ev[i].start;
        CHECK(et && strlen(et) == len && !memcmp(et, text + ev[i].start, len));
        CHECK_STR(get_str(e, "kind"), want_kind[i]);
        if (ev[i].term) CHECK_STR(get_str(e, "term"), ev[i].term);
        else CHECK(json_object_object_get_ex(e, "term", NULL) && get(e, "term") == NULL); /* null */
        CHECK(json_object_get_double(get(e, "weight")) == ev[i].weight);
    }
    if (j) json_object_put(j);
    voc__buf_free(&out);
    free(text);
    free(term);
}

int main(void)
{
    check_numbers();
    check_short_strings();
    check_evidence_entries();
    voc_buf b = {0};
    const char *raw = "a\"b\\c\nd\te\x01" "f\xE2\x80\xA8g\xFFh";
    voc__json_str(&b, raw, strlen(raw));
    CHECK_MEM(b.data, b.len, "\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028g\xEF\xBF\xBDh\"");
    /* the valid-UTF-8 writer escapes the same characters: quotes, backslashes, controls,
     * U+2028/U+2029 (also where eight-byte words of Chinese run up to them), and leaves
     * every other character — 客服, 😡, the U+2000 block's other members — as it is */
    const char *valid[] = {"a\"b\\c\nd\te\001f\xE2\x80\xA8g\xE2\x80\xA9h",
                           "退款等了三個禮拜\xE2\x80\xA8還沒收到，客服態度\"很差\" 😡 \xE2\x80\x94 ok",
                           "客服客服客服客服客服客服客服客服客服\r", ""};
    for (size_t k = 0; k < sizeof valid / sizeof *valid; k++) {
        voc_buf general = {0};
        voc__json_str(&general, valid[k], strlen(valid[k]));
        b.len = 0;
        voc__json_str_utf8(&b, valid[k], strlen(valid[k]));
        CHECK_MEM(b.data, b.len, general.data);
        voc__buf_free(&general);
    }
    voc_buf big = {0}; /* longer than the writer's 4,096-byte chunk, a character across each cut */
    for (int k = 0; k < 3000; k++) voc__buf_append(&big, k % 7 ? "客" : "\"", k % 7 ? 3 : 1);
    voc_buf general = {0};
    voc__json_str(&general, big.data, big.len);
    b.len = 0;
    voc__json_str_utf8(&b, big.data, big.len);
    CHECK(general.data && b.len == general.len && !memcmp(b.data, general.data, b.len));
    voc__buf_free(&general);
    voc__buf_free(&big);
    b.len = 0;
    {
        char num[4 * VOC_JSON_NUM_ROOM], *o = num;
        const double v[] = {-0.71, 1.0 / 3.0, -0.00001, 2};
        for (size_t k = 0; k < 4; k++) {
            if (k) *o++ = ' ';
            o = voc__json_put_num(o, v[k]);
        }
        CHECK_MEM(num, (size_t)(o - num), "-0.71 0.3333 0 2");
    }
    b.len = 0;
    voc__json_integer(&b, 0);
    voc__json_raw(&b, " ");
    voc__json_integer(&b, -42);
    voc__json_raw(&b, " ");
    voc__json_integer(&b, LLONG_MIN);
    voc__json_raw(&b, " ");
    voc__json_integer(&b, LLONG_MAX);
    CHECK_MEM(b.data, b.len, "0 -42 -9223372036854775808 9223372036854775807");

    const char *text = "退款等了三個禮拜還沒收到，客服態度\"很差\" 😡";
    json_object *j = record_of(text, "T-1", "C-9", &b);
    if (j) {
        CHECK_STR(get_str(j, "schema"), "vocmine.record/1");
        CHECK_STR(get_str(j, "id"), "T-1");
        CHECK_STR(get_str(j, "customer_id"), "C-9");
        CHECK_STR(get_str(j, "channel"), "survey");
        CHECK_STR(get_str(j, "time"), "2026-11-02T09:14:00Z");
        CHECK_STR(get_str(j, "lang"), "zh-Hant");
        json_object *sent = get(j, "sentiment");
        CHECK_STR(get_str(sent, "label"), "negative");
        CHECK(json_object_get_double(get(sent, "score")) < 0);
        const char *rid = get_str(j, "record_id");
        CHECK(rid && !strncmp(rid, "survey:", 7) && strlen(rid) == 7 + 16);
        json_object *ev = get(j, "evidence");
        CHECK(json_object_array_length(ev) > 0);
        for (size_t i = 0; i < json_object_array_length(ev); i++) {
            json_object *e = json_object_array_get_idx(ev, i);
            /* the text field is exactly the bytes its span names */
            size_t s = (size_t)json_object_get_int64(get(e, "start"));
            size_t en = (size_t)json_object_get_int64(get(e, "end"));
            const char *et = get_str(e, "text");
            CHECK(en <= strlen(text) && et && strlen(et) == en - s && !memcmp(text + s, et, en - s));
        }
        CHECK(json_object_array_length(get(j, "warnings")) == 0);
        json_object_put(j);
    }
    /* deterministic: same input, same bytes */
    voc_buf b2 = {0};
    j = record_of(text, "T-1", "C-9", &b2);
    CHECK(b.len == b2.len && !memcmp(b.data, b2.data, b.len));
    json_object_put(j);

    /* record ids: own id decides; content decides when there is none */
    voc_doc d1 = {"hello", 5, "A-1", NULL, "email", NULL, 0}, d2 = {"other text", 10, "A-1", NULL, "email", NULL, 0};
    char r1[96], r2[96];
    voc_record_id(&d1, 1, r1, sizeof r1);
    voc_record_id(&d2, 1, r2, sizeof r2);
    CHECK_STR(r1, r2);
    voc_record_id(&d1, 0, r1, sizeof r1);
    voc_record_id(&d2, 0, r2, sizeof r2);
    CHECK(strcmp(r1, r2) != 0);
    CHECK(!strncmp(r1, "email:", 6));

    b.len = 0;
    CHECK_INT(voc_error_write_json(NULL, "in.jsonl:7", "invalid JSON: \"x\"", buf_sink, &b), 0);
    CHECK_MEM(b.data, b.len,
              "{\"schema\":\"vocmine.error/1\",\"id\":null,\"input\":\"in.jsonl:7\",\"error\":\"invalid JSON: \\\"x\\\"\"}");
    voc__buf_free(&b);
    voc__buf_free(&b2);
    return test_exit_status("test_record");
}
