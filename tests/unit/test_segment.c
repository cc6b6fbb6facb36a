/* test_segment.c — sentences and typed tokens (segment.c) and Han segmentation with the
 * lexicon (segment_han.c). */
#include "fixture.h"
#include <ctype.h>
#include "internal.h"

#include <math.h>

static void expect(const char *text, const fx_result *r, const char *orig, int type, const char *norm)
{
    int i = fx_find(r, text, orig);
    if (i < 0) {
        fprintf(stderr, "expected a token \"%s\" in \"%s\"; tokens:", orig, text);
        for (size_t k = 0; k < r->n_tokens; k++)
            fprintf(stderr, " [%.*s]", (int)(r->tokens[k].end - r->tokens[k].start), text + r->tokens[k].start);
        fprintf(stderr, "\n");
        test_failures++;
        return;
    }
    CHECK_STR(voc_token_type_name(r->tokens[i].type), voc_token_type_name(type));
    if (norm) CHECK_STR(r->tokens[i].norm, norm);
}

/* Each of words (NULL-ended) is a word token of text. */
static void expect_words(const char *text, const char *const *words)
{
    fx_result *r = fx_run(text, 0);
    for (size_t k = 0; words[k]; k++) expect(text, r, words[k], VOC_TOKEN_WORD, NULL);
}

/* Whether a lexicon key is written like an emoticon: ASCII without spaces that starts with
 * punctuation other than # @ $ (hashtags, mentions, prices), or a letter emoticon (t_t, o.o). */
static bool emoticon_like(const char *k, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)k[i] >= 0x80 || k[i] == ' ') return false;
    if (n >= 2 && !isalnum((unsigned char)k[0]) && !strchr("#@$&'-", k[0])) return true;
    if (n >= 2 && k[0] == '-' && strchr("_.", k[1])) return true; /* -_- -.- */
    return n == 3 && isalnum((unsigned char)k[0]) && strchr("_.^:", k[1]);
}

/* Every emoticon a lexicon file lists comes out of the tokenizer as one emoticon token, so
 * the scorer can find it ("=/" once came out as "=" and "/" and was never scored). */
static void check_lexicon_emoticons(const char *file)
{
    FILE *f = fopen(file, "r");
    CHECK(f != NULL);
    if (!f) return;
    char line[512];
    int n_emoticons = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        size_t n = strcspn(line, "\t\n");
        if (!emoticon_like(line, n)) continue;
        char text[600];
        snprintf(text, sizeof text, "so %.*s ok", (int)n, line);
        fx_result *r = fx_run(text, 0);
        int i = fx_find(r, text, (line[n] = 0, line));
        if (i < 0 || r->tokens[i].type != VOC_TOKEN_EMOTICON) {
            fprintf(stderr, "%s: \"%s\" is not one emoticon token\n", file, line);
            test_failures++;
        }
        test_checks++;
        n_emoticons++;
    }
    fclose(f);
    CHECK(n_emoticons > 0);
}

/* ---- the Han best path, written out plainly as segment_han.c first had it -------------
 * A reference for the differential test below: the trie read through its hash table
 * directly, every word starting at each character tried, an unknown character found by
 * asking the trie again, and the lexicon flag by walking the chosen word once more. */
static int32_t ref_child(const voc_handict *d, uint32_t node, int32_t cp)
{
    uint64_t key = (((uint64_t)node) << 21 | (uint64_t)(uint32_t)cp) + 1;
    for (size_t i = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 20) & (d->n_slots - 1);; i = (i + 1) & (d->n_slots - 1)) {
        if (d->keys[i] == 0) return -1;
        if (d->keys[i] == key) return (int32_t)d->vals[i];
    }
}

/* The tokens of the pure-Han text norm (no other characters), as [start, end) byte pairs
 * with their flags into out; a run of unknown characters (ICU's to split) is one entry
 * with flags ~0u.  Returns the number of entries. */
static size_t ref_segment_han(const voc_handict *d, const char *norm, size_t len, size_t out[][2],
                              unsigned *flags, size_t cap)
{
    int32_t cps[256];
    uint32_t off[257], best_len[256];
    float best[257];
    size_t n = 0;
    for (size_t i = 0, adv; i < len && n < 256; i += adv) {
        cps[n] = voc__utf8_decode((const unsigned char *)norm, len, i, &adv);
        off[n++] = (uint32_t)i;
    }
    off[n] = (uint32_t)len;
    best[n] = 0;
    for (size_t i = n; i-- > 0;) {
        float b = INFINITY;
        uint32_t bl = 1, node = 0;
        for (size_t j = i; j < n; j++) {
            int32_t c = ref_child(d, node, cps[j]);
            if (c < 0) break;
            node = (uint32_t)c;
            if (isfinite(d->node_cost[node]) && d->node_cost[node] + best[j + 1] <= b) {
                b = d->node_cost[node] + best[j + 1];
                bl = (uint32_t)(j + 1 - i);
            }
        }
        best[i] = isfinite(b) ? b : d->unknown_cost + best[i + 1];
        best_len[i] = bl;
    }
    size_t m = 0;
    for (size_t i = 0; i < n && m < cap;) {
        size_t u = i;
        while (u < n && best_len[u] == 1) {
            int32_t c = ref_child(d, 0, cps[u]);
            if (c >= 0 && isfinite(d->node_cost[c])) break; /* a known character */
            u++;
        }
        if (u - i >= 2) {
            out[m][0] = off[i], out[m][1] = off[u], flags[m++] = ~0u;
            i = u;
            continue;
        }
        size_t j = i + best_len[i];
        int32_t c = 0;
        uint32_t node = 0;
        for (size_t k = i; k < j && c >= 0; k++)
            if ((c = ref_child(d, node, cps[k])) >= 0) node = (uint32_t)c;
        out[m][0] = off[i], out[m][1] = off[j];
        flags[m++] = VOC_TOKEN_HAN | (c >= 0 && d->node_lexicon[node] ? VOC_TOKEN_LEXICON : 0);
        i = j;
    }
    return m;
}

/* Tokenize `text` in both sessions (one of them with icu_words_only) and say whether they
 * give the same tokens: bounds and type, and the flags too when `flags`. */
static bool same_tokens(voc_session *s1, voc_session *s2, const char *text, bool flags)
{
    voc_error err;
    voc_doc d = {.text = text, .text_len = strlen(text), .id = "x"};
    CHECK_INT(voc_tokenize(s1, &d, NULL, NULL, &err), 0);
    CHECK_INT(voc_tokenize(s2, &d, NULL, NULL, &err), 0);
    bool same = s1->n_toks == s2->n_toks;
    for (size_t i = 0; same && i < s1->n_toks; i++)
        same = s1->toks[i].nstart == s2->toks[i].nstart && s1->toks[i].nend == s2->toks[i].nend &&
               s1->toks[i].type == s2->toks[i].type && (!flags || s1->toks[i].flags == s2->toks[i].flags);
    return same;
}

/* A check that both sessions give the same tokens for `text` (see same_tokens); `what` names
 * the comparison in the failure message. */
static void expect_same_tokens(voc_session *s1, voc_session *s2, const char *text, bool flags,
                               const char *what)
{
    if (!same_tokens(s1, s2, text, flags)) {
        fprintf(stderr, "%s: tokens of \"%s\" differ\n", what, text);
        test_failures++;
    }
    test_checks++;
}

/* Tokenize text[0..len) in both sessions (one of them with icu_sentences_only) and say
 * whether they give the same sentences. */
static bool same_sentences(voc_session *s1, voc_session *s2, const char *text, size_t len)
{
    voc_error err;
    voc_doc d = {.text = text, .text_len = len, .id = "x"};
    CHECK_INT(voc_tokenize(s1, &d, NULL, NULL, &err), 0);
    CHECK_INT(voc_tokenize(s2, &d, NULL, NULL, &err), 0);
    bool same = s1->n_sent == s2->n_sent;
    for (size_t i = 0; same && i < s1->n_sent; i++)
        same = s1->nsent[i].start == s2->nsent[i].start && s1->nsent[i].end == s2->nsent[i].end;
    return same;
}

/* Two sessions on the fixture analyzer for the comparisons above: *s1 on the fast paths,
 * *s2 on ICU's words (or, when `sentences`, ICU's sentences), which never take them. */
static void icu_pair(voc_session **s1, voc_session **s2, bool sentences)
{
    voc_error err;
    CHECK_INT(voc_session_new(fx_analyzer(), s1, &err), 0);
    CHECK_INT(voc_session_new(fx_analyzer(), s2, &err), 0);
    if (sentences) (*s2)->icu_sentences_only = true;
    else (*s2)->icu_words_only = true;
}

int main(void)
{
    const char *t = "Mail me at jo.lee@example.com or see https://acme.example.com/help?id=3, "
                    "@AcmeAir #neveragain #好評 paid NT$1,299 and $20, got 300元 back :) :-( T_T orz "
                    "3:30pm";
    fx_result *r = fx_run(t, 0);
    expect(t, r, "jo.lee@example.com", VOC_TOKEN_EMAIL, NULL);
    expect(t, r, "https://acme.example.com/help?id=3", VOC_TOKEN_URL, NULL); /* trailing , excluded */
    expect(t, r, "@AcmeAir", VOC_TOKEN_MENTION, "@acmeair");
    expect(t, r, "#neveragain", VOC_TOKEN_HASHTAG, NULL);
    expect(t, r, "#好評", VOC_TOKEN_HASHTAG, NULL);
    expect(t, r, "NT$1,299", VOC_TOKEN_PRICE, "nt$1,299");
    expect(t, r, "$20", VOC_TOKEN_PRICE, NULL);
    expect(t, r, "300元", VOC_TOKEN_PRICE, NULL);
    expect(t, r, ":)", VOC_TOKEN_EMOTICON, NULL);
    expect(t, r, ":-(", VOC_TOKEN_EMOTICON, NULL);
    expect(t, r, "T_T", VOC_TOKEN_EMOTICON, "t_t");
    expect(t, r, "orz", VOC_TOKEN_EMOTICON, NULL);
    expect(t, r, "3", VOC_TOKEN_NUMBER, NULL); /* "3:30" is a time, not the emoticon ":3" */

    /* every emoticon of segment.c's tables, between words, is one emoticon token (its first
     * two bytes, and a letter emoticon's second letter, are tested inline before the rest) */
    {
        static const char *const all[] = {
            ":'-(", ":'(", ":')", ":-))", ":-)", ":-(", ":-d", ":-p", ":-/", ":-o", ":-*", ":-]",
            ":-s", ":-|", ":(((", ":((", ":)))", ":))", ":o)", ":^)", ":)", ":(", ":d", ":p", ":/",
            ":o", ":|", ":3", ":*", ":$", ":[", ":]", ":s", ">:-(", ">:(", ">.<", ">_<", ";-)",
            ";-;", ";_;", ";)", ";d", ";p", "^_^", "^o^", "^-^", "^.^", "^^", "</3", "<333", "<33",
            "<3", "-_-", "-.-", "=_=", "=)", "=(", "=/", "=]", "=d", "=|", "@@", "\\o/", "t_t",
            "t.t", "t^t", "orz", "o_o", "o.o", "o:)", "xd", "x_x", "xp", "qq", "q_q", "u_u"};
        for (size_t k = 0; k < sizeof all / sizeof *all; k++) {
            char text[32];
            snprintf(text, sizeof text, "ok %s ok", all[k]);
            fx_result *re = fx_run(text, 0);
            expect(text, re, all[k], VOC_TOKEN_EMOTICON, NULL);
        }
    }

    /* mentions and hashtags run over ASCII letters, digits and '_' (tested inline) and on
     * over other letters (tested by ICU), up to anything else */
    const char *m = "cc @Ana_Mar\xc3\xad" "a2! @_x9.ok #d\xc3\xa9j\xc3\xa0_vu2?";
    r = fx_run(m, 0);
    expect(m, r, "@Ana_Mar\xc3\xad" "a2", VOC_TOKEN_MENTION, "@ana_mar\xc3\xad" "a2");
    expect(m, r, "@_x9", VOC_TOKEN_MENTION, "@_x9");
    expect(m, r, "#d\xc3\xa9j\xc3\xa0_vu2", VOC_TOKEN_HASHTAG, NULL);

    /* contractions split, with their apostrophe or without it as tweets write them
     * ("want" and "ant" are words, not contractions) */
    static const struct {
        const char *text, *orig, *norm;
    } contractions[] = {
        {"I don't, can't, won't, isn't.", "do", "do"}, {"I don't, can't, won't, isn't.", "ca", "can"},
        {"I don't, can't, won't, isn't.", "wo", "will"}, {"I don't, can't, won't, isn't.", "n't", "not"},
        {"I dont know, cant go", "do", "do"}, {"I dont know, cant go", "ca", "can"},
        {"I dont know, cant go", "nt", "not"}, {"WONT stay", "WO", "will"},
        {"shouldnt ask", "should", "should"}, {"it aint fixed", "ai", "is"},
        {"it ain't fixed", "ai", "is"}, {"it aint fixed", "nt", "not"},
        {"you shant hear", "sha", "shall"}, {"you shant hear", "nt", "not"},
        {"I want an ant", "want", "want"},
        {"I want an ant", "ant", "ant"},
        /* a verb and its "not" run together, from a closed list of verbs: "slipknot" (a word
         * long enough to be read so) and "cannot" (a lexicon word of its own) stay whole */
        {"the agents werenot helpful", "were", "were"}, {"the agents werenot helpful", "not", "not"},
        {"it isnot working", "is", "is"}, {"ISNOT ok", "IS", "is"}, {"tie a knot", "knot", "knot"},
        {"a slipknot here", "slipknot", "slipknot"}, {"I cannot go", "cannot", "cannot"},
        /* a modal and "have" run together: could + have, as "could've" is read */
        {"it couldve been worse", "could", "could"}, {"it couldve been worse", "ve", "have"},
        {"SHOULDVE flown", "SHOULD", "should"}, {"the sleeve", "sleeve", "sleeve"},
        {"a groove", "groove", "groove"}};
    for (size_t k = 0; k < sizeof contractions / sizeof *contractions; k++) {
        r = fx_run(contractions[k].text, 0);
        expect(contractions[k].text, r, contractions[k].orig, VOC_TOKEN_WORD, contractions[k].norm);
    }

    const char *c = "SOOOO HAPPY!!! goooood";
    r = fx_run(c, 0);
    int i = fx_find(r, c, "SOOOO");
    CHECK(i >= 0 && (r->tokens[i].flags & VOC_TOKEN_ELONGATED) && (r->tokens[i].flags & VOC_TOKEN_CAPS));
    if (i >= 0) CHECK_STR(r->tokens[i].norm, "so");
    i = fx_find(r, c, "goooood");
    if (i >= 0) CHECK_STR(r->tokens[i].norm, "good");
    CHECK(i >= 0);
    i = fx_find(r, c, "!!!");
    CHECK(i >= 0 && r->tokens[i].type == VOC_TOKEN_PUNCT && (r->tokens[i].flags & VOC_TOKEN_ELONGATED));
    i = fx_find(r, c, "HAPPY");
    CHECK(i >= 0 && r->tokens[i].has_stem);
    if (i >= 0) CHECK_STR(r->tokens[i].stem, "happi");

    /* a phrase OpenCC rewrites whose last character carries a mark (内存 + U+0308 →
     * 記憶體 over all eight bytes) is one token: tokens never share original bytes */
    {
        const char *m = "\xe5\x86\x85\xe5\xad\x98\xcc\x88 ok";
        fx_result *mr = fx_run(m, 0);
        for (size_t k = 1; k < mr->n_tokens; k++) CHECK(mr->tokens[k].start >= mr->tokens[k - 1].end);
        CHECK(mr->n_tokens >= 1 && mr->tokens[0].start == 0 && mr->tokens[0].end == 8);
    }

    /* Han: lexicon terms whole, negators and degree words separate */
    const char *h = "客服說APP會閃退，結果又踩雷，CP值超低，真的不推，退款也沒有很快，有點失望";
    r = fx_run(h, 0);
    expect(h, r, "客服", VOC_TOKEN_WORD, "客服");
    expect(h, r, "CP值", VOC_TOKEN_WORD, "cp值");
    static const char *const h_words[] = {"閃退", "踩雷", "不推", "退款", "超", "沒有", "很", "有點", "失望", NULL};
    expect_words(h, h_words);
    /* a lexicon word in 好 before a sentiment word gives its 好 up as the degree word (服務|好|差:
     * "the service is very bad"); before anything else, and for 還好, the word stays whole */
    static const char *const hao_words[] = {"服務", "好", "差", "髒", "服務好", "還好", NULL};
    expect_words("服務好差，環境好髒，服務好，還好不貴", hao_words);
    /* a character NFKC spells as words with a space between (U+FDFB → "جل جلاله") is one
     * token with the word before it, never two tokens over one character (libFuzzer found
     * "hﷻ" giving [0,4) and [1,4)) */
    {
        const char *lig = "h\xEF\xB7\xBB root";
        fx_result *lr = fx_run(lig, 0);
        CHECK_INT(lr->n_tokens, 2);
        CHECK_INT(lr->tokens[0].start, 0);
        CHECK_INT(lr->tokens[0].end, 4);
        CHECK_INT(lr->tokens[1].start, 5);
        for (size_t k = 1; k < lr->n_tokens; k++) CHECK(lr->tokens[k].start >= lr->tokens[k - 1].end);
    }
    /* laptop and food-blog words of words-team.tsv come out whole: 效能|夠用, not 效|能夠|用 */
    static const char *const laptop_words[] = {"筆電", "散熱", "續航力", "處理器", "效能", "夠用", "觸控板", NULL};
    expect_words("這台筆電散熱不錯，續航力夠，處理器效能夠用，觸控板很順", laptop_words);

    /* sentences: ICU plus 。！？； and line breaks */
    const char *s = "第一句。第二句！第三句？第四句；第五句\nLast one. And this";
    r = fx_run(s, 0);
    CHECK_INT(r->n_sentences, 7);
    if (r->n_sentences == 7) {
        CHECK_INT(r->sentences[0].start, 0);
        CHECK_INT(r->sentences[0].end, strlen("第一句。"));
        CHECK_INT(r->sentences[3].end, strlen("第一句。第二句！第三句？第四句；"));
        CHECK_INT(r->sentences[5].start, strlen("第一句。第二句！第三句？第四句；第五句\n"));
    }
    /* an informal full stop before lower case ends a sentence (UAX #29 runs on), not after a
     * single letter, a number, an ellipsis or a lower-case abbreviation */
    static const struct { const char *text; size_t n; } informal[] = {
        {"called me before I even noticed. thank u!!", 2},
        {"templates deleted. hours of work gone. pls fix", 3},
        {"Arrived at 5 p.m. today", 1}, {"the U.S. and Canada", 1}, {"Gate 12. then nothing", 1},
        {"it was like... whatever", 1}, {"fees, taxes etc. are extra", 1}, {"approx. two hours", 1},
        {"called twice.  still nothing", 2}, {"å¥½. ok", 1}, {"wow. Great", 2},
        /* ... and before an emoticon or emoji that opens the next one (UAX #29's SB8a runs on
         * past "-" and ":"); not after an abbreviation, nor before a comma */
        {"no big or sumthin. -_- now i'm worried", 2}, {"sold out again. :( now what", 2},
        {"sold out again. \xF0\x9F\x98\xA1 now what", 2}, {"fees etc. :) fine", 1}, {"it broke., then", 1}};
    for (size_t k = 0; k < sizeof informal / sizeof *informal; k++) {
        r = fx_run(informal[k].text, 0);
        if (r->n_sentences != informal[k].n)
            fprintf(stderr, "\"%s\": %zu sentences, expected %zu\n", informal[k].text, r->n_sentences, informal[k].n);
        CHECK_INT(r->n_sentences, informal[k].n);
    }
    /* a URL's '?' does not end a sentence */
    const char *u = "see https://x.example.com/a?b=1 now. Ok";
    r = fx_run(u, 0);
    CHECK_INT(r->n_sentences, 2);

    /* the ASCII fast paths give ICU's boundaries */
    {
        static const char *const ascii[] = {
            "I don't think it's e.g. fine, it cost $1,299.50 or 3;4 or 90's dogs' bones",
            "U.S.A. end.Next word_with_underscore _lead a:b 10:30 x.y.z 1.2.3 rock'n'roll",
            "Tweets: @AcmeAir!!! #fail... don''t 'quoted' \"dq\" (paren) [b] {c} a-b a/b",
            "mixed CAPS and numb3rs 2nd 3rd 4th 1st; ok? yes! no. MAYBE... fine :) :-( xd",
            ("\xe5\xa5\xbd\xe3\x80\x82\xe3\x80\x8c\xe4\xb8\x8d\xe9\x8c\xaf\xe3\x80\x8d\xe3\x80\x81ok\xe2\x80\x94"
             "\xe2\x80\x9cx\xe2\x80\x9d\xe2\x8b\xaf\xe3\x80\x8a\xe6\x9b\xb8\xe3\x80\x8b\xe3\x80\x82\xef\xb8\x8f end")};
        voc_session *s1, *s2;
        icu_pair(&s1, &s2, false);
        for (size_t k = 0; k < sizeof ascii / sizeof *ascii; k++) {
            expect_same_tokens(s1, s2, ascii[k], false, "fast path vs ICU");
        }
        voc_session_free(s1);
        voc_session_free(s2);
    }

    /* The byte classes' shortcuts (a lower-case letter that starts no typed pattern straight
     * to the word path, punctuation that starts none straight to its token) against the way
     * through every pattern test, which icu_words_only sessions take: every pair of printable
     * ASCII bytes, inside a word, between words, after a digit and alone, must give the same
     * tokens of the same types.  Pairs with '@' are left out: ICU glues it into a word
     * ("eye.@anonymous") where the fast word path ends the word before it. */
    {
        voc_session *s1, *s2;
        icu_pair(&s1, &s2, false);
        size_t n_diff = 0;
        for (int x = 0x21; x < 0x7F; x++)
            for (int y = 0x21; y < 0x7F; y++) {
                if (x == '@' || y == '@') continue;
                char text[64];
                snprintf(text, sizeof text, "a%c%cb %c%c %c%cz 1%c%c2 %c%c%c", x, y, x, y, x, y, x, y, x, y, x);
                if (!same_tokens(s1, s2, text, true) && n_diff++ < 10) {
                    fprintf(stderr, "byte-class shortcuts: tokens of \"%s\" differ:", text);
                    for (size_t i = 0; i < s1->n_toks; i++)
                        fprintf(stderr, " [%.*s]", (int)(s1->toks[i].nend - s1->toks[i].nstart),
                                s1->norm.data + s1->toks[i].nstart);
                    fprintf(stderr, " vs");
                    for (size_t i = 0; i < s2->n_toks; i++)
                        fprintf(stderr, " [%.*s]", (int)(s2->toks[i].nend - s2->toks[i].nstart),
                                s2->norm.data + s2->toks[i].nstart);
                    fprintf(stderr, "\n");
                }
                test_checks++;
            }
        CHECK_INT(n_diff, 0);
        voc_session_free(s1);
        voc_session_free(s2);
    }

    /* normalize.c's two facts that let segment.c skip work (no upper-case ASCII in the text:
     * no ALL-CAPS test; no unit of several code points: no merging of split units) against
     * icu_words_only sessions, which never skip: the same tokens with the same flags.  The
     * texts hold units of several code points (½ → 1⁄2, ㈱ → (株), OpenCC's 内存 → 記憶體),
     * capitals only inside HTML references (&#X41;&#X42; → "ab", ALL-CAPS by its bytes), and
     * neither. */
    {
        static const char *const texts[] = {
            "paid \xc2\xbd price, \xe3\x88\xb1 ok",
            "\xe5\x86\x85\xe5\xad\x98\xe4\xb8\x8d\xe5\xa4\x9f \xe5\x86\x85\xe5\xad\x98",
            "ok &#X41;&#X42; ok &#x1F621; fine",
            "all lower case words here, e\xcc\x81t\xc3\xa9 \xef\xbc\xaf\xef\xbc\xab",
            "SO BAD \xc2\xbd &amp; GOOD"};
        voc_session *s1, *s2;
        icu_pair(&s1, &s2, false);
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
            expect_same_tokens(s1, s2, texts[k], true, "normalization facts");
        }
        /* and the cases above do exercise both: one token over ㈱'s "(株)" (merged from
         * three), ALL-CAPS "ab" */
        CHECK(same_tokens(s1, s2, texts[0], true));
        bool unit_whole = false;
        for (size_t i = 0; i < s1->n_toks; i++)
            unit_whole |= s1->toks[i].nend - s1->toks[i].nstart == 5 &&
                          !memcmp(s1->norm.data + s1->toks[i].nstart, "(\xe6\xa0\xaa)", 5);
        CHECK(unit_whole);
        CHECK(same_tokens(s1, s2, texts[2], true));
        bool caps_ab = false;
        for (size_t i = 0; i < s1->n_toks; i++)
            caps_ab |= s1->toks[i].nend - s1->toks[i].nstart == 2 &&
                       !memcmp(s1->norm.data + s1->toks[i].nstart, "ab", 2) &&
                       (s1->toks[i].flags & VOC_TOKEN_CAPS);
        CHECK(caps_ab);
        voc_session_free(s1);
        voc_session_free(s2);
    }

    /* A plain word of the ASCII fast path that the word memo knows is pushed from the memo
     * (push_plain_word), past the elongation and contraction checks: each text is analyzed
     * twice by one session (its words new, then known) and once by a session on ICU's word
     * path (which never takes that way), and every token must come out the same — flags,
     * norm, stem and what the lexicon and word lists say. */
    {
        static const char *const texts[] = {
            "sooo so soooo good goood gooood GOOD Good happy HAPPY happyyy haaappy",
            "refunds refund Refunds REFUNDS delayed delays hours two wait waited worst",
            "I don't can't won't it's they're we've I'll he'd I'm the the THE a.m. e.g. u.s",
            "cool coool cooool bookkeeper aaa aa a zzz zz cooooooooooooooooooooooooool",
            "supercalifragilisticexpialidocious supercalifragilisticexpialidocious NOT not"};
        voc_session *s1, *s2;
        voc_error err;
        icu_pair(&s1, &s2, false);
        for (size_t round = 0; round < 2; round++)
            for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
                voc_doc d = {.text = texts[k], .text_len = strlen(texts[k]), .id = "x"};
                CHECK_INT(voc_analyze(s1, &d, NULL, NULL, &err), 0);
                CHECK_INT(voc_analyze(s2, &d, NULL, NULL, &err), 0);
                CHECK_INT(s1->n_toks, s2->n_toks);
                for (size_t i = 0; i < s1->n_toks && i < s2->n_toks; i++) {
                    const voc_tok *a = &s1->toks[i], *b = &s2->toks[i];
                    bool same = a->nstart == b->nstart && a->nend == b->nend && a->type == b->type &&
                                a->flags == b->flags && a->norm_len == b->norm_len &&
                                !memcmp(voc__tok_norm(s1, a), voc__tok_norm(s2, b), a->norm_len) &&
                                a->stem_len == b->stem_len &&
                                !memcmp(s1->strings.data + a->stem_off, s2->strings.data + b->stem_off, a->stem_len) &&
                                a->lookup == b->lookup && a->looked_up == b->looked_up &&
                                a->stem_entry == b->stem_entry && a->stem_looked_up == b->stem_looked_up &&
                                a->word_lists == b->word_lists && a->entry == b->entry;
                    if (!same) {
                        fprintf(stderr, "memo path vs ICU path: token %zu [%u,%u) of \"%s\" (round %zu) differs\n",
                                i, a->nstart, a->nend, texts[k], round + 1);
                        test_failures++;
                    }
                    test_checks++;
                }
            }
        voc_session_free(s1);
        voc_session_free(s2);
    }

    /* the ASCII sentence path gives ICU's boundaries, abbreviations included */
    {
        static const char *const texts[] = {
            "Mr. Smith was rude. Bad service.", "It's on your app. Just fix it.", "Sat @12am.Today again",
            "Use e.g. This one. Or that", "The U.S. Army is here. Ok. Fine", "Hi!Bob is here? yes! No",
            "Wait... What? (great!) Next one.", "ok?! fine. 3.5 stars. a!b", "no; really! end. 'Quote' here",
            "vs. them. pp. 12. exec. Done", "I paid $20. Then $30! Then? more", "Flight 512. Delayed - again.",
            "I \xe2\x9d\xa4\xef\xb8\x8f flying. \xe2\x98\xba\xef\xb8\x8f\xf0\x9f\x91\x8d Next",
            "\xe2\x80\x9cGreat flight.\xe2\x80\x9d Then \xe2\x80\x94 delays! Again\xe2\x80\xa6 Fine",
            "It\xe2\x80\x99s late.\xc2\xa0Really. \xf0\x9f\x98\xa1\xf0\x9f\x98\xa1 ok? \xe2\x80\x9cno.\xe2\x80\x9d yes",
            "Wait... Then. \xe2\x80\x9cSo...\xe2\x80\x9d now! x\xe2\x80\x8b.Yes Hi!\xef\xb8\x8f Then", "Mr. \xf0\x9f\x98\x8a Smith. e.g.. Next",
            /* ICU's abbreviation filter: matched backwards inside words (SFO. ends in "O."),
             * partial ones (7AM. ends in "M." of "M.I.T.") read forwards, one space skipped */
            "to SFO. Just needs", "seat 7AM. Need it", "receipt ASAP. Could you", "Go. Go", "The U.S. Army is",
            "Ph.D. Smith", "at 5 p.m. Then", "a.m. Today", "Mr.  Smith", "I. Then", "Lt.Cdr. Smith came",
            "S.p.A. Next", "etc. Then", "Etc. Then", "to LAX. Might", "end. 'Quote' here", "No. 5 now. Yes",
            /* line breaks and ';' */
            "Mr.\nSmith", "ok. 5\nNext", "Hi!\n\nThere", "a.\r\nb", "a\rb. C", "wait. \n ok",
            "x. ;Y", "Hi. ;x", "Hi! ;x", "trip yet! ;p", "tab.\t Then", "\nHi. There\n",
            /* line breaks without terminators (the ASCII path's cuts, no second scan for
             * them) and white space trimmed at both ends of each sentence */
            "line one\nline two\n\n", "no stop\nnext line\r\nthird\rfourth\n", " \t lead\v\f\n\r\n  trail \t",
            /* Latin-1 letters and marks */
            "Bogot\xc3\xa1. Then", "cr\xc3\xaape! Ok", ("Caf\xc3\xa9. \xc3\x89" "cole"), "e\xcc\x81. Next", ("\xc5\x81\xc3\xb3" "d\xc5\xba. Ok"),
            /* Chinese with ASCII full stops, line breaks and full-width forms */
            "\xe6\x88\xbf\xe9\x96\x93\xe5\xa4\xa7.\xe6\x9c\x8d\xe5\x8b\x99\xe5\xa5\xbd.Ok. ok",
            "\xe5\xa5\xbd.\n\xe5\xa5\xbd\xe3\x80\x82 a. b", "\xef\xbc\xa1\xef\xbc\x8e \xef\xbc\xa2\xe3\x80\x82x",
            "\xe6\xaf\x8f\xe3\x84\xa7\xe5\x8f\xa3\xe3\x80\x82\xe2\x96\xbc\xe5\xa5\xbd"};
        voc_session *s1, *s2;
        icu_pair(&s1, &s2, true); /* ICU's sentences, the same tokens */
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
            if (!same_sentences(s1, s2, texts[k], strlen(texts[k]))) {
                fprintf(stderr, "sentences differ from ICU's in \"%s\" (%zu vs %zu)\n", texts[k],
                        s1->n_sent, s2->n_sent);
                test_failures++;
            }
            test_checks++;
            for (size_t i = 0; i < s1->n_sent; i++) /* trimmed: no white space at either end */
                CHECK(!strchr(" \t\n\v\f\r", s1->norm.data[s1->nsent[i].start]) &&
                      !strchr(" \t\n\v\f\r", s1->norm.data[s1->nsent[i].end - 1]));
        }
        /* the fast paths decided every one of them (else this compared ICU with ICU) */
        CHECK_INT(s1->n_icu_sentences, 0);
        CHECK_INT(s2->n_icu_sentences, sizeof texts / sizeof *texts);
        voc_session_free(s1);
        voc_session_free(s2);
    }

    /* ascii_boundaries jumps to the next terminator or line break sixteen bytes at a time
     * (next_term_or_break): each of the five bytes at every offset of the first blocks, alone
     * and followed by a second one in the same block, must cut where ICU cuts. */
    {
        static const char marks[] = ".!?\n\r";
        voc_session *s1, *s2;
        icu_pair(&s1, &s2, true);
        size_t n_diff = 0, n_texts = 0;
        for (size_t at = 0; at < 40; at++)
            for (size_t m = 0; m < 5; m++)
                for (size_t gap = 0; gap < 18; gap += 5) {
                    char text[128];
                    size_t len = 0;
                    for (size_t i = 0; i < at; i++) text[len++] = i % 6 == 5 ? ' ' : 'a' + (char)(i % 6);
                    text[len++] = marks[m];
                    len += (size_t)snprintf(text + len, 40, " Next%.*s", (int)gap, "wordsandmorewords");
                    text[len++] = marks[(m + 1) % 5];
                    len += (size_t)snprintf(text + len, 40, " Then the rest of it here");
                    if (!same_sentences(s1, s2, text, len) && n_diff++ < 10)
                        fprintf(stderr, "sentences differ from ICU's in \"%.*s\"\n", (int)len, text);
                    n_texts++;
                    test_checks++;
                }
        CHECK_INT(n_diff, 0);
        CHECK_INT(s1->n_icu_sentences, 0); /* the fast path decided them all */
        CHECK_INT(s2->n_icu_sentences, n_texts);
        voc_session_free(s1);
        voc_session_free(s2);
    }

    /* each token's sentence is the first whose end lies after the token's start (the rule
     * before the sentence merge and the token walk were one loop), a URL's '?' included */
    {
        static const char *const texts[] = {
            "see https://x.example.com/a?b=1 now. Ok", "One. Two! Three? Four", "a\nb\n\nc. d",
            "\xe7\xac\xac\xe4\xb8\x80\xe5\x8f\xa5\xe3\x80\x82\xe7\xac\xac\xe4\xba\x8c\xef\xbc\x81 x. y",
            "Mr. Smith was rude. Bad service.  ", "no end", "?! ... . Hi"};
        voc_session *s1;
        voc_error err;
        voc_session_new(fx_analyzer(), &s1, &err);
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
            voc_doc d = {.text = texts[k], .text_len = strlen(texts[k]), .id = "x"};
            CHECK_INT(voc_tokenize(s1, &d, NULL, NULL, &err), 0);
            for (size_t i = 0, want = 0; i < s1->n_toks; i++) {
                while (want + 1 < s1->n_sent && s1->toks[i].nstart >= s1->nsent[want].end) want++;
                CHECK_INT(s1->toks[i].sentence, want);
            }
        }
        voc_session_free(s1);
    }

    check_lexicon_emoticons(VOCMINE_SOURCE_DIR "/lexicons/common/sentiment.tsv");

    /* the Han segmenter against the reference above: the same words, the same lexicon flags,
     * the same runs of unknown characters handed to ICU (澎湃, 霹靂; 㐀 is CJK Extension A,
     * Han by ICU's script property), runs longer than the session's first arrays */
    {
        static const char *const han[] = {
            "肉粿每一塊都好脆好恰好喜歡", "口感有點微妙", "很夠味起司也很香", "客服說會閃退結果又踩雷真的不推",
            "退款也沒有很快有點失望", "心情澎湃看了霹靂布袋戲", "㐀㐀好吃", "好吃㐀", "粿",
            ("服務很好餐點也好吃但是價格有點貴停車不方便下次還會再來因為老闆人很親切環境乾淨舒適"
             "服務很好餐點也好吃但是價格有點貴停車不方便下次還會再來因為老闆人很親切環境乾淨舒適")};
        voc_session *hs;
        voc_error err;
        CHECK_INT(voc_session_new(fx_analyzer(), &hs, &err), 0);
        const voc_handict *d = &fx_analyzer()->handict;
        size_t n_icu_runs = 0, n_lexicon = 0; /* the texts do reach both */
        for (size_t k = 0; k < sizeof han / sizeof *han; k++) {
            voc_doc doc = {.text = han[k], .text_len = strlen(han[k]), .id = "x"};
            CHECK_INT(voc_tokenize(hs, &doc, NULL, NULL, &err), 0);
            size_t ref[256][2], t = 0;
            unsigned ref_flags[256];
            size_t m = ref_segment_han(d, hs->norm.data, hs->norm.len, ref, ref_flags, 256);
            bool same = true;
            for (size_t i = 0; i < m && same; i++) {
                if (ref_flags[i] == ~0u) { /* ICU's words, inside the run and covering its end */
                    size_t t0 = t;
                    while (t < hs->n_toks && hs->toks[t].nend <= ref[i][1]) same = hs->toks[t++].nstart >= ref[i][0] && same;
                    same = same && t > t0 && hs->toks[t - 1].nend == ref[i][1];
                    n_icu_runs++;
                    continue;
                }
                n_lexicon += (ref_flags[i] & VOC_TOKEN_LEXICON) != 0;
                same = t < hs->n_toks && hs->toks[t].nstart == ref[i][0] && hs->toks[t].nend == ref[i][1] &&
                       (hs->toks[t].flags & (VOC_TOKEN_HAN | VOC_TOKEN_LEXICON)) == ref_flags[i];
                t++;
            }
            if (!same || t != hs->n_toks) {
                fprintf(stderr, "Han segmentation differs from the reference in \"%s\" (token %zu)\n", han[k], t);
                test_failures++;
            }
            test_checks++;
        }
        CHECK(n_icu_runs > 0);
        CHECK(n_lexicon > 0);
        voc_session_free(hs);
    }

    /* tokenize() sends the main Han block straight to the Han segmenter, past the tests for
     * spaces and emoji: none of its characters may be either; and it asks ICU about white
     * space only up to U+3000 */
    {
        size_t emoji_or_space = 0, space_above = 0;
        for (int32_t cp = 0x4E00; cp <= 0x9FFF; cp++)
            if (voc__is_emoji_start(cp) || voc__is_space(cp)) emoji_or_space++;
        CHECK_INT(emoji_or_space, 0);
        for (int32_t cp = 0x3001; cp <= 0x10FFFF; cp++)
            if (voc__is_space(cp)) space_above++;
        CHECK_INT(space_above, 0);
    }

    /* CJK punctuation is a token of its own, tested before prices, emoji, Han and kana: the
     * same tokens, of the same types, as ICU's word break (where an emoji start or a Han
     * character would have come out otherwise) */
    {
        static const char *const marks[] = {"、", "。", "〈", "〉", "《", "》", "「", "」", "『", "』",
                                            "【", "】", "–", "—", "“", "”", "•", "⋯"};
        voc_session *s1, *s2;
        icu_pair(&s1, &s2, false);
        for (size_t k = 0; k < sizeof marks / sizeof *marks; k++) {
            char text[64];
            snprintf(text, sizeof text, "好%s好%s%sok %s", marks[k], marks[k], marks[k], marks[k]);
            expect_same_tokens(s1, s2, text, false, "CJK marks vs ICU");
        }
        voc_session_free(s1);
        voc_session_free(s2);
    }

    /* empty and whitespace-only text: no tokens, a warning */
    r = fx_run("   ", 0);
    CHECK_INT(r->n_tokens, 0);
    CHECK(r->warnings & VOC_WARN_EMPTY_TEXT);
    return test_exit_status("test_segment");
}
