/* test_normalize.c — NFKC/width/case folding and OpenCC with exact offset maps
 * (normalize.c), seen through tokens and their spans. */
#include "fixture.h"
#include "internal.h"

/* Every span lies on character boundaries, inside the text, in order, without overlap. */
static void check_spans_sane(const char *text, const fx_result *r)
{
    size_t len = strlen(text), prev_end = 0;
    for (size_t i = 0; i < r->n_tokens; i++) {
        const fx_token *t = &r->tokens[i];
        CHECK(t->start < t->end);
        CHECK(t->end <= len);
        CHECK(t->start >= prev_end);
        CHECK(((unsigned char)text[t->start] & 0xC0) != 0x80);
        CHECK(t->end == len || ((unsigned char)text[t->end] & 0xC0) != 0x80);
        prev_end = t->end;
    }
}

static void check_token(const char *text, const fx_result *r, const char *orig, const char *norm)
{
    int i = fx_find(r, text, orig);
    if (i < 0) {
        fprintf(stderr, "no token with original text \"%s\" in \"%s\"\n", orig, text);
        test_failures++;
        return;
    }
    CHECK_STR(r->tokens[i].norm, norm);
}

int main(void)
{
    const char *t1 = "ＡＰＰ閃退，ＮＴ＄１２３";
    fx_result *r = fx_run(t1, 0);
    check_spans_sane(t1, r);
    check_token(t1, r, "ＡＰＰ", "app");          /* width + case folding, span [0,9) */
    CHECK_INT(r->tokens[0].start, 0);
    CHECK_INT(r->tokens[0].end, 9);
    check_token(t1, r, "ＮＴ＄１２３", "nt$123");

    const char *t2 = "Cafe\xCC\x81 au lait"; /* e + combining acute → é */
    r = fx_run(t2, 0);
    check_token(t2, r, "Cafe\xCC\x81", "caf\xC3\xA9");

    const char *t3 = "I\xE2\x80\x99m fine"; /* typographic apostrophe */
    r = fx_run(t3, 0);
    check_token(t3, r, "\xE2\x80\x99m", "am");

    /* Simplified → Traditional, spans point at the Simplified original; OpenCC is opened
     * (dlopen) by the first Simplified run, not before (the runs above are not Simplified) */
    CHECK(!library_loaded(VOCMINE_OPENCC_SONAME));
    const char *t4 = "发票开错了，这个客服不专业";
    r = fx_run(t4, 0);
    CHECK(library_loaded(VOCMINE_OPENCC_SONAME));
    check_spans_sane(t4, r);
    CHECK_STR(r->lang, "zh-Hans");
    check_token(t4, r, "发票", "發票");
    check_token(t4, r, "这个", "這個");

    /* OpenCC changes length (内存 → 記憶體): both output pieces map to the whole source */
    const char *t5 = "内存不够";
    r = fx_run(t5, 0);
    CHECK(r->n_tokens >= 2);
    CHECK_INT(r->tokens[0].start, 0);
    CHECK_INT(r->tokens[0].end, 6);

    /* Traditional input is never converted: OpenCC is not even opened */
    {
        voc_session *s;
        voc_error err;
        CHECK_INT(voc_session_new(fx_analyzer(), &s, &err), 0);
        const char *trad = "皇后的頭髮很漂亮、干貝也好吃。台灣只有這家";
        voc_doc d = {.text = trad, .text_len = strlen(trad), .id = "x"};
        CHECK_INT(voc_tokenize(s, &d, NULL, NULL, &err), 0);
        CHECK(s->opencc == NULL);
        CHECK_INT(s->n_simplified, 0);
        CHECK_MEM(s->norm.data, s->norm.len, trad); /* untouched */
        /* a rare character Big5 lacks (糍) does not make a text Simplified */
        const char *rare = "再來上一口客家糍粑，順口又好吃";
        voc_doc d3 = {.text = rare, .text_len = strlen(rare), .id = "z"};
        CHECK_INT(voc_tokenize(s, &d3, NULL, NULL, &err), 0);
        CHECK(s->opencc == NULL);
        /* a stray Simplified character beside Traditional ones (鲍魚) is left as written */
        const char *stray = "招牌鲍魚粥料多實在";
        voc_doc d4 = {.text = stray, .text_len = strlen(stray), .id = "w"};
        CHECK_INT(voc_tokenize(s, &d4, NULL, NULL, &err), 0);
        CHECK(s->opencc == NULL);
        CHECK_INT(s->n_converted, 0);
        const char *simp = "这个APP很好用";
        voc_doc d2 = {.text = simp, .text_len = strlen(simp), .id = "y"};
        CHECK_INT(voc_tokenize(s, &d2, NULL, NULL, &err), 0);
        CHECK(s->opencc != NULL);
        CHECK_INT(s->n_converted, 2); /* 这个 and, the text being Simplified, 很好用 */
        CHECK_MEM(s->norm.data, s->norm.len, "這個app很好用");
        /* map: every normalized byte points back into the original */
        for (size_t i = 0; i < s->norm.len; i++) CHECK(s->map_end[i] <= strlen(simp));
        /* in a Simplified text, runs of characters Big5 also has (价, 适) are converted too */
        const char *hotel = "这家酒店，房价略高，很适合度假";
        voc_doc d5 = {.text = hotel, .text_len = strlen(hotel), .id = "h"};
        CHECK_INT(voc_tokenize(s, &d5, NULL, NULL, &err), 0);
        CHECK(s->norm.len > 0 && strstr(s->norm.data, "房價") != NULL);
        CHECK(strstr(s->norm.data, "適合") != NULL);

        voc_session_free(s);
    }

    /* the two facts normalization notes for segment.c (text_has_ascii_upper,
     * norm_has_multi_cp_units), in one session so each text must also clear what the one
     * before it set: capitals in the eight-byte blocks and the tail of fold_ascii and in an
     * HTML reference's bytes (not full-width ones), expansions (½ → 1⁄2, ㈱ → (株)) and
     * OpenCC's phrases (内存 → 記憶體), but not a mark joined to one code point (é) */
    {
        static const struct {
            const char *text;
            bool upper, multi;
        } cases[] = {
            {"all lower case ascii", false, false},
            {"Zabcdefgh ok", true, false},
            {"plain again", false, false},
            {"abcdefgh ok Z", true, false},
            {"ok &#X41; ok", true, false},
            {"\xef\xbc\xa1\xef\xbc\xa2 full width", false, false},
            {"paid \xc2\xbd price", false, true},
            {"e\xcc\x81t\xc3\xa9 ok", false, false},
            {"\xe3\x88\xb1 OK", true, true},
            {"\xe5\x86\x85\xe5\xad\x98\xe4\xb8\x8d\xe5\xa4\x9f", false, true},
            {"plain at the end", false, false}};
        voc_session *s;
        voc_error err;
        CHECK_INT(voc_session_new(fx_analyzer(), &s, &err), 0);
        for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
            voc_doc d = {.text = cases[k].text, .text_len = strlen(cases[k].text), .id = "x"};
            CHECK_INT(voc_tokenize(s, &d, NULL, NULL, &err), 0);
            if (s->text_has_ascii_upper != cases[k].upper || s->norm_has_multi_cp_units != cases[k].multi) {
                fprintf(stderr, "normalization facts of \"%s\": upper %d multi %d, want %d %d\n", cases[k].text,
                        s->text_has_ascii_upper, s->norm_has_multi_cp_units, cases[k].upper, cases[k].multi);
                test_failures++;
            }
            test_checks++;
        }
        voc_session_free(s);
    }

    /* the Simplified-only table: 发 这 们 yes; 后 干 台 只 (also Traditional) no */
    const voc_analyzer *a = fx_analyzer();
    /* 发 and 银 are also in Big5-HKSCS, but among GB2312's 3,755 most frequent characters: a
     * Taiwanese text never has them, so they count as Simplified */
    CHECK(voc__is_simplified_only(a, 0x53D1) && !voc__is_simplified_ambiguous(a, 0x53D1)); /* 发 */
    CHECK(voc__is_simplified_only(a, 0x94F6));      /* 银 */
    CHECK(voc__is_simplified_ambiguous(a, 0x7CCD)); /* 糍: rare, shared by both scripts */
    CHECK(voc__is_simplified_only(a, 0x8FD9));  /* 这 */
    CHECK(voc__is_simplified_only(a, 0x4EEC));  /* 们 */
    CHECK(!voc__is_simplified_only(a, 0x540E)); /* 后 */
    CHECK(!voc__is_simplified_only(a, 0x5E72)); /* 干 */
    CHECK(!voc__is_simplified_only(a, 0x53F0)); /* 台 */
    CHECK(!voc__is_simplified_only(a, 0x5BA2)); /* 客 */

    /* emoji keep ZWJ and VS16 in the token; the norm drops VS16 */
    const char *t6 = "\xE2\x9D\xA4\xEF\xB8\x8F ok \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";
    r = fx_run(t6, 0);
    check_spans_sane(t6, r);
    CHECK_INT(r->n_tokens, 3);
    CHECK_INT(r->tokens[0].type, VOC_TOKEN_EMOJI);
    CHECK_INT(r->tokens[0].end, 6);
    CHECK_STR(r->tokens[0].norm, "\xE2\x9D\xA4");
    CHECK_INT(r->tokens[2].type, VOC_TOKEN_EMOJI);
    CHECK_INT(r->tokens[2].end, strlen(t6));

    /* HTML character references decode, and map back to the whole reference */
    const char *t7 = "AT&amp;T rocks &#x1F621; &lt;3 &#39;ok&#39; &bogus; &#0;";
    r = fx_run(t7, 0);
    check_spans_sane(t7, r);
    check_token(t7, r, "&#x1F621;", "\xF0\x9F\x98\xA1");
    check_token(t7, r, "&lt;3", "<3");
    check_token(t7, r, "bogus", "bogus"); /* unknown names stay text */

    /* invalid bytes: repaired, warned, spans index the repaired text */
    r = fx_run("bad \xFF byte", 0);
    CHECK(r->warnings & VOC_WARN_INVALID_UTF8);
    return test_exit_status("test_normalize");
}
