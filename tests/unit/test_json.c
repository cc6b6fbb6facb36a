/* test_json.c — the JSON reader (json_read.c): values, escapes, numbers kept as text,
 * the leniencies it keeps, and errors with the byte they point at.  Each text is parsed
 * from an exact-size heap copy without a NUL, so a sanitizer build catches an over-read. */
#include "internal.h"
#include "test.h"

#include <limits.h>

/* The i-th element of an array node (NULL past its end). */
static const voc_json_node *nth(const voc_json *j, const voc_json_node *arr, size_t i)
{
    const voc_json_node *m = voc__json_first(j, arr);
    while (m && i--) m = voc__json_next(j, m);
    return m;
}

static voc_json j;

/* Parse s (exact-size copy); returns the status; where and why as the reader set them. */
static int parse(const char *s, size_t *where, const char **why)
{
    size_t len = strlen(s);
    char *copy = malloc(len ? len : 1);
    memcpy(copy, s, len);
    int rc = voc__json_parse(&j, copy, len, where, why);
    free(copy);
    return rc;
}

static void check_error(const char *s, size_t at, const char *why)
{
    size_t where = 0;
    const char *w = NULL;
    CHECK_INT(parse(s, &where, &w), VOC_EPARSE);
    CHECK_INT(where, at);
    CHECK_STR(w, why);
    CHECK(voc__json_root(&j) == NULL); /* nothing half-built is left behind */
    /* a selective parse that skips every member, or keeps one, fails the same way */
    static const char *const none[] = {"not-there"}, *const one[] = {"a"};
    for (int k = 0; k < 2; k++) {
        voc_json_names names;
        uint32_t slot[1] = {7};
        voc__json_names_init(&names, k ? one : none, 1);
        size_t len = strlen(s);
        char *copy = malloc(len ? len : 1);
        memcpy(copy, s, len);
        where = 0;
        w = NULL;
        CHECK_INT(voc__json_parse_only(&j, copy, len, &names, slot, &where, &w), VOC_EPARSE);
        free(copy);
        CHECK_INT(where, at);
        CHECK_STR(w, why);
        CHECK_INT(slot[0], 0);
        CHECK(voc__json_root(&j) == NULL);
    }
}

static const char *str(const voc_json_node *obj, const char *name, size_t *len)
{
    return voc__json_string(&j, voc__json_get(&j, obj, name), len);
}

int main(void)
{
    size_t where, len;
    const char *why;

    /* an object with every kind of value; members in order, siblings linked */
    CHECK_INT(parse(" {\"id\": \"T-1\", \"n\": -12.5e2, \"ok\": true, \"no\": false, \"z\": null,"
                    " \"list\": [1, \"two\", {\"three\": 3}, []], \"empty\": {}} ", &where, &why), VOC_OK);
    const voc_json_node *root = voc__json_root(&j);
    CHECK_INT(root->type, VOC_JSON_OBJECT);
    CHECK_INT(root->len, 7);
    CHECK_STR(str(root, "id", NULL), "T-1");
    double d = 0;
    CHECK(voc__json_number(&j, voc__json_get(&j, root, "n"), &d));
    CHECK(d == -1250.0);
    CHECK(!voc__json_is_integer(&j, voc__json_get(&j, root, "n")));
    CHECK_INT(voc__json_get(&j, root, "ok")->type, VOC_JSON_TRUE);
    CHECK_INT(voc__json_get(&j, root, "no")->type, VOC_JSON_FALSE);
    CHECK_INT(voc__json_get(&j, root, "z")->type, VOC_JSON_NULL);
    CHECK(voc__json_get(&j, root, "missing") == NULL);
    CHECK(voc__json_string(&j, voc__json_get(&j, root, "n"), NULL) == NULL); /* not a string */
    const voc_json_node *list = voc__json_get(&j, root, "list");
    CHECK_INT(list->type, VOC_JSON_ARRAY);
    CHECK_INT(list->len, 4);
    CHECK_INT(voc__json_int(&j, nth(&j, list, 0)), 1);
    CHECK_STR(voc__json_string(&j, nth(&j, list, 1), NULL), "two");
    CHECK_INT(voc__json_int(&j, voc__json_get(&j, nth(&j, list, 2), "three")), 3);
    CHECK_INT(nth(&j, list, 3)->type, VOC_JSON_ARRAY);
    CHECK(voc__json_first(&j, nth(&j, list, 3)) == NULL); /* [] has no members */
    CHECK(nth(&j, list, 4) == NULL);
    const voc_json_node *last = NULL;
    size_t members = 0;
    for (const voc_json_node *m = voc__json_first(&j, root); m; m = voc__json_next(&j, m)) members++, last = m;
    CHECK_INT(members, 7);
    size_t kl = 0;
    CHECK_MEM(voc__json_key(&j, last, &kl), kl, "empty");

    /* escapes, in place: every simple one, \u in all three UTF-8 lengths, a surrogate pair,
     * a lone surrogate (U+FFFD), \u0000 kept inside the string with its length */
    CHECK_INT(parse("{\"t\":\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t|\\u00e9\\u5ba2\\ud83d\\ude21|\\ud800|a\\u0000b\"}",
                    &where, &why), VOC_OK);
    const char *t = str(voc__json_root(&j), "t", &len);
    static const char want[] = "q\" b\\ s/ \b\f\n\r\t|\xC3\xA9\xE5\xAE\xA2\xF0\x9F\x98\xA1|\xEF\xBF\xBD|a\0b";
    CHECK_INT(len, sizeof want - 1);
    CHECK(t && memcmp(t, want, sizeof want - 1) == 0);
    CHECK(t && t[len] == '\0');

    /* escaped member names are unescaped too, and the last of two equal names wins */
    CHECK_INT(parse("{\"te\\u0078t\":\"first\",\"text\":\"second\"}", &where, &why), VOC_OK);
    CHECK_STR(str(voc__json_root(&j), "text", NULL), "second");

    /* a long plain string (the eight-bytes-at-a-time scan) ending right at an escape */
    CHECK_INT(parse("{\"t\":\"abcdefghijklmnopqrstuvwxyz0123456789\\n\"}", &where, &why), VOC_OK);
    CHECK_STR(str(voc__json_root(&j), "t", NULL), "abcdefghijklmnopqrstuvwxyz0123456789\n");

    /* numbers keep their digits: an id beyond 2^53 (and beyond 2^64) is not rounded */
    CHECK_INT(parse("{\"id\":123456789012345678901234567890,\"small\":-7,\"zero\":0}", &where, &why), VOC_OK);
    const voc_json_node *id = voc__json_get(&j, voc__json_root(&j), "id");
    CHECK(voc__json_is_integer(&j, id));
    CHECK_MEM(j.text + id->val, id->len, "123456789012345678901234567890");
    CHECK_INT(voc__json_int(&j, voc__json_get(&j, voc__json_root(&j), "small")), -7);
    CHECK_INT(voc__json_int(&j, voc__json_get(&j, voc__json_root(&j), "zero")), 0);

    /* leniencies kept: a trailing comma, raw control bytes and invalid UTF-8 in strings */
    CHECK_INT(parse("{\"a\":[1,2,],\"b\":1,}", &where, &why), VOC_OK);
    CHECK_INT(voc__json_get(&j, voc__json_root(&j), "a")->len, 2);
    CHECK_INT(parse("{\"t\":\"tab\there \xFF\xFE bytes\"}", &where, &why), VOC_OK);
    CHECK_STR(str(voc__json_root(&j), "t", NULL), "tab\there \xFF\xFE bytes");

    /* what json-c accepted and exporters write: single quotes (names too, \' inside), any
     * case for true/false/null, NaN and ±Infinity (Python's json.dumps), leading zeros and a
     * bare trailing point, comments */
    CHECK_INT(parse("{'text':'it\\'s ok', \"a\":TRUE, \"b\":False, \"c\":NULL, /* note */ \"n\":NaN,"
                    " \"i\":Infinity, \"m\":-infinity, \"z\":01, \"p\":1. // the end", &where, &why),
              VOC_EPARSE); /* the line comment ate the closing brace */
    CHECK_INT(parse("{'text':'it\\'s ok', \"a\":TRUE, \"b\":False, \"c\":NULL, /* note */ \"n\":NaN,"
                    " \"i\":Infinity, \"m\":-infinity, \"z\":01, \"p\":1.} // the end", &where, &why),
              VOC_OK);
    root = voc__json_root(&j);
    CHECK_STR(str(root, "text", NULL), "it's ok");
    CHECK_INT(voc__json_get(&j, root, "a")->type, VOC_JSON_TRUE);
    CHECK_INT(voc__json_get(&j, root, "b")->type, VOC_JSON_FALSE);
    CHECK_INT(voc__json_get(&j, root, "c")->type, VOC_JSON_NULL);
    CHECK(voc__json_number(&j, voc__json_get(&j, root, "n"), &d) && d != d); /* NaN */
    CHECK(voc__json_number(&j, voc__json_get(&j, root, "i"), &d) && d > 1e308);
    CHECK(voc__json_number(&j, voc__json_get(&j, root, "m"), &d) && d < -1e308);
    CHECK(!voc__json_is_integer(&j, voc__json_get(&j, root, "n")));
    CHECK_INT(voc__json_int(&j, voc__json_get(&j, root, "i")), LLONG_MAX); /* clamped, not undefined */
    CHECK_INT(voc__json_int(&j, voc__json_get(&j, root, "z")), 1);
    CHECK(voc__json_number(&j, voc__json_get(&j, root, "p"), &d) && d == 1.0);
    /* a long number keeps its exponent (no 63-byte copy) */
    CHECK_INT(parse("{\"x\":1.0000000000000000000000000000000000000000000000000000000000000000000000e1}",
                    &where, &why), VOC_OK);
    CHECK(voc__json_number(&j, voc__json_get(&j, voc__json_root(&j), "x"), &d) && d == 10.0);
    CHECK_INT(parse("{\"records\":1e300}", &where, &why), VOC_OK);
    CHECK_INT(voc__json_int(&j, voc__json_get(&j, voc__json_root(&j), "records")), LLONG_MAX);

    /* a value other than an object is parsed (the caller decides what it needs) */
    CHECK_INT(parse("[1,2,3]", &where, &why), VOC_OK);
    CHECK_INT(voc__json_root(&j)->type, VOC_JSON_ARRAY);
    CHECK_INT(parse("42", &where, &why), VOC_OK);
    CHECK_INT(voc__json_root(&j)->type, VOC_JSON_NUMBER);

    /* errors name what was expected and the byte */
    check_error("", 0, "unexpected end of line");
    check_error("{\"id\":\"E-2\",\"text\":", 19, "unexpected end of line");
    check_error("{\"text\":\"unterminated", 21, "unexpected end of line");
    check_error("{\"text\":\"ends in a backslash\\", 29, "unexpected end of line");
    check_error("{\"id\":\"E-7\",\"text\":\"ok\"} trailing", 25, "text after the object");
    check_error("[1] [2]", 4, "text after the value");
    check_error("{\"a\" 1}", 5, "expected ':' after a member name");
    check_error("{\"a\":1 \"b\":2}", 7, "expected ',' or '}'");
    check_error("[1 2]", 3, "expected ',' or ']'");
    check_error("{a:1}", 1, "expected '\"' to open a member name");
    check_error("{\"a\":}", 5, "expected a value");
    check_error("[,]", 1, "expected a value");
    check_error("[1,,2]", 3, "expected a value");
    check_error("{\"a\":tru}", 5, "expected a value");
    check_error("{\"a\":nul", 8, "unexpected end of line");
    check_error("{\"a\":-x}", 6, "invalid number");
    check_error("{\"a\":nab}", 5, "expected a value");
    check_error("{\"a\":Infinit", 12, "unexpected end of line");
    check_error("{\"a\":-}", 6, "invalid number");
    check_error("{\"a\":1e+}", 8, "invalid number");
    check_error("{\"a\":\"\\x\"}", 6, "invalid escape in a string");
    check_error("{\"a\":\"\\u12G4\"}", 6, "invalid \\u escape in a string");
    check_error("{\"a\":'unterminated}", 19, "unexpected end of line");
    check_error("{\"a\":1 /* a comment that never ends", 35, "unexpected end of line");
    /* nesting: 32 containers deep is fine, the 33rd opener is refused where it stands */
    char deep[80];
    memset(deep, '[', 32);
    memset(deep + 32, ']', 32);
    deep[64] = '\0';
    CHECK_INT(parse(deep, &where, &why), VOC_OK);
    memset(deep, '[', 40);
    deep[40] = '\0';
    check_error(deep, 32, "nesting too deep");

    /* at most VOC_JSON_MAX_NODES values a line: the root and its members count */
    size_t n = VOC_JSON_MAX_NODES - 1, mlen = 2 * n + 1;
    char *many = malloc(mlen + 3);
    many[0] = '[';
    for (size_t k = 0; k < n; k++) memcpy(many + 1 + 2 * k, "0,", 2);
    many[mlen - 1] = ']';
    many[mlen] = '\0';
    CHECK_INT(parse(many, &where, &why), VOC_OK); /* exactly the bound */
    memcpy(many + mlen - 1, ",0]", 4);
    CHECK_INT(parse(many, &where, &why), VOC_EPARSE); /* one more */
    CHECK_STR(why, "more than 1,048,576 values in one line");
    free(many);

    /* a selective parse: only the members asked for get nodes, each name's slot is its last
     * member, names of eight bytes and more compare whole; skipped values are still counted */
    {
        static const char *const want[] = {"text", "id", "a_long_member_name", "text", "nope"};
        static const char line[] = "{\"id\": 7, \"skip\": {\"deep\": [1, \"x\\u0041\", null]}, \"text\": \"one\","
                                   " \"a_long_member_name\": [\"k\"], \"a_long_member_namX\": 1, \"text\": \"two\"}";
        voc_json_names names;
        uint32_t slot[5];
        CHECK_INT(voc__json_names_init(&names, want, 5), VOC_OK);
        size_t len = sizeof line - 1;
        char *copy = malloc(len);
        memcpy(copy, line, len);
        CHECK_INT(voc__json_parse_only(&j, copy, len, &names, slot, &where, &why), VOC_OK);
        free(copy);
        root = voc__json_root(&j);
        CHECK_INT(root->len, 4); /* id, text, a_long_member_name, text */
        CHECK_STR(voc__json_string(&j, &j.node[slot[0]], NULL), "two");
        CHECK_INT(slot[0], slot[3]);
        CHECK_INT(voc__json_int(&j, &j.node[slot[1]]), 7);
        CHECK_INT(j.node[slot[2]].type, VOC_JSON_ARRAY);
        CHECK_INT(slot[4], 0);
        CHECK(voc__json_get(&j, root, "skip") == NULL);
        CHECK_STR(str(root, "text", NULL), "two");
        /* the bound counts what is skipped: the root, a member holding VOC_JSON_MAX_NODES - 1
         * more values, and one value too many */
        size_t m = VOC_JSON_MAX_NODES - 1, mlen = 6 + 2 * m + 2;
        char *big = malloc(mlen + 8);
        memcpy(big, "{\"s\":[", 6);
        for (size_t k = 0; k < m - 1; k++) memcpy(big + 6 + 2 * k, "0,", 2);
        memcpy(big + 6 + 2 * (m - 1), "0]}", 3);
        CHECK_INT(voc__json_parse_only(&j, big, 6 + 2 * (m - 1) + 3, &names, slot, &where, &why), VOC_EPARSE);
        CHECK_STR(why, "more than 1,048,576 values in one line");
        memcpy(big + 6 + 2 * (m - 2), "0]}", 3);
        CHECK_INT(voc__json_parse_only(&j, big, 6 + 2 * (m - 2) + 3, &names, slot, &where, &why), VOC_OK);
        free(big);
    }

    /* skipped members (json_read.c's fast walk for plain JSON, the full one for the rest)
     * are accepted and refused as a full parse takes them, errors at the same byte: plain
     * lines, every leniency inside a skipped member, and errors deep in one */
    {
        static const char *const lines[] = {
            "{\"keep\": 1, \"aspects\": [{\"aspect\": \"\xe8\x82\x89\", \"valence\": 4.0}, {\"a\": -0.25, \"b\": []}], \"s\": \"x\"}",
            "{\"s\": {\"a\": [true, false, null, {}, [], \"\", 0, -1, 1.5, 01, 1.]}, \"keep\": \"k\"}",
            "{\"s\":\n\t[ 1 ,\r\n 2 , ] , \"t\" : { \"u\" : { } , } }",
            "{\"s\": [1e5, 2E-3, NaN, -Infinity, TRUE, Null, 'q', \"e\\n\\u00e9\"], \"t\": {'k': 1}}",
            "{\"s\": [1, /* c */ 2 // d\n], \"t\": [/**/]}",
            "{\"s\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",   /* depth 32 */
            "{\"s\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", /* 33 */
            "{\"s\": [1, 2", "{\"s\": [1 2]}", "{\"s\": {\"a\" 1}}", "{\"s\": {\"a\": }}", "{\"s\": [,1]}",
            "{\"s\": [1,,2]}", "{\"s\": {\"a\": 1,}, \"t\": \"ab", "{\"s\": [tru]}", "{\"s\": [truex]}",
            "{\"s\": [-]}", "{\"s\": [1e]}", "{\"s\": [1.5.2]}", "{\"s\": [\"a\\x\"]}", "{\"s\": [\"\\u12\"]}",
            "{\"s\": {1: 2}}", "{\"s\": [1]]}", "{\"s\": {\"a\": [}]}", "{\"s\": [\"a\" /* open", "{\"s\": [1] x}",
            "{\"s\": [1", "{\"s\": {", "{\"s\": \"", "{\"s\": [\"\\", "{\"s\": [nul", "{\"s\": [1.", "{\"s\": [-1]  "};
        static const char *const keep[] = {"keep"};
        voc_json_names names;
        voc__json_names_init(&names, keep, 1);
        for (size_t k = 0; k < sizeof lines / sizeof *lines; k++) {
            size_t len = strlen(lines[k]), where_all = 0, where_some = 0;
            const char *why_all = NULL, *why_some = NULL;
            uint32_t slot[1];
            int rc_all = parse(lines[k], &where_all, &why_all);
            /* the first six are accepted (depth 32 is the limit), the rest refused: else the
             * comparison below could hold with both parses wrong the same way */
            CHECK_INT(rc_all, k < 6 ? VOC_OK : VOC_EPARSE);
            char *copy = malloc(len);
            memcpy(copy, lines[k], len);
            int rc_some = voc__json_parse_only(&j, copy, len, &names, slot, &where_some, &why_some);
            free(copy);
            if (rc_all != rc_some || where_all != where_some || (why_all != why_some && (!why_all || !why_some ||
                                                                                         strcmp(why_all, why_some)))) {
                fprintf(stderr, "selective parse differs on %s: %d at %zu (%s) vs %d at %zu (%s)\n", lines[k], rc_some,
                        where_some, why_some ? why_some : "-", rc_all, where_all, why_all ? why_all : "-");
                test_failures++;
            }
            test_checks++;
        }
    }

    /* the root's members (json_read.c reads plain ones in one go, the others step by step):
     * a selective parse finds the members a full parse finds with voc__json_get, with the same
     * names and values, and refuses a line at the same byte with the same message — spaces,
     * comments, trailing commas, escaped, single-quoted and empty names, names sharing a
     * length or a first byte with a wanted one, and errors between the members */
    {
        static const char *const lines[] = {
            "{\"id\":\"1\",\"text\":\"a\",\"time\":\"t\",\"tone\":\"x\",\"\":\"e\"}",
            "{ \"id\" : \"1\" , \"text\"\t:\n\"a\" ,\r\n\"type\": 3, \"text\": \"b\" }",
            "{\"text\": \"a\", /* c */ \"time\": \"t\" // d\n, \"id\": 7,}",
            "{'text': 'a', \"t\\u0069me\": \"t\", \"\\u0069d\": \"\\u00e9\", \"a\": [1, {\"text\": 2}]}",
            "{\"texts\": \"no\", \"tex\": \"no\", \"text\": \"yes\", \"Text\": \"no\"}",
            "{}", "{ }", "{\"text\": \"a\",}", "{\"text\": \"a\" , }", "{\"id\": 1, \"\": 2}",
            "{\"text\" \"a\"}", "{\"text\": \"a\" \"id\": 1}", "{\"text\": \"a\",, \"id\": 1}",
            "{\"text\": \"a\", id: 1}", "{\"text\": \"a\", \"id", "{\"text\": \"a\", \"id\"",
            "{\"text\": \"a\", \"id\":", "{\"text\": \"a\", \"id\": ", "{\"text\": \"a\",", "{\"text",
            "{\"te\\q\": 1}", "{\"text\": \"a\", \"id\": 1} x", "{\"text\": \"a\", \"id\": 1",
            "{\"text\": \"a\" /* open", "{\"text\": \"a\", \"time\" /**/ : \"t\"}", "[\"text\", 1]"};
        static const char *const want[] = {"text", "time", "id", ""};
        voc_json_names names;
        voc__json_names_init(&names, want, 4);
        for (size_t k = 0; k < sizeof lines / sizeof *lines; k++) {
            size_t len = strlen(lines[k]), where_all = 0, where_some = 0;
            const char *why_all = NULL, *why_some = NULL;
            int rc_all = parse(lines[k], &where_all, &why_all);
            /* what the full parse finds: each wanted name's string or number text, "" when absent */
            char found[4][32] = {{0}};
            const voc_json_node *root_all = voc__json_root(&j);
            for (size_t w = 0; rc_all == VOC_OK && w < 4; w++) {
                const voc_json_node *m = voc__json_get(&j, root_all, want[w]);
                if (m) snprintf(found[w], sizeof found[w], "%d:%s", m->type,
                                m->type == VOC_JSON_STRING || m->type == VOC_JSON_NUMBER ? j.text + m->val : "");
            }
            uint32_t slot[4];
            char *copy = malloc(len);
            memcpy(copy, lines[k], len);
            int rc_some = voc__json_parse_only(&j, copy, len, &names, slot, &where_some, &why_some);
            free(copy);
            CHECK_INT(rc_some, rc_all);
            CHECK_INT(where_some, where_all);
            CHECK_STR(why_some ? why_some : "-", why_all ? why_all : "-");
            for (size_t w = 0; rc_some == VOC_OK && rc_all == VOC_OK && w < 4; w++) {
                char got[32] = "";
                const voc_json_node *m = slot[w] ? &j.node[slot[w]] : NULL;
                if (m) {
                    size_t key_len;
                    const char *key = voc__json_key(&j, m, &key_len);
                    CHECK_INT(key_len, strlen(want[w])); /* the name, NUL-terminated */
                    CHECK(key && !memcmp(key, want[w], key_len) && key[key_len] == '\0');
                    snprintf(got, sizeof got, "%d:%s", m->type,
                             m->type == VOC_JSON_STRING || m->type == VOC_JSON_NUMBER ? j.text + m->val : "");
                }
                CHECK_STR(got, found[w]);
            }
        }
    }

    voc__json_free(&j);
    return test_exit_status("test_json");
}
