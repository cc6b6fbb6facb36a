/* test_pathological.c — documents built to hurt: megabytes of one character, no spaces at
 * all, 100,000 emoji, 200,000 combining marks on one letter, a megabyte of '!', twice the
 * size limit, a million tokens, half a megabyte of Simplified Chinese through OpenCC, and
 * invalid bytes between every character.
 *
 * Each must come back VOC_OK with every span sane (the invariants of tests/fuzz/
 * fuzz_check.h: in bounds, on character boundaries, ordered, probabilities summing to 1)
 * and the counts and warnings this test works out for itself.  Inputs live in exact-size
 * heap buffers so the sanitizer build catches an over-read.  Nothing here is timed: the
 * point is that the work stays linear enough to finish, and correct. */
#define _GNU_SOURCE /* memmem */
#include "fixture.h"
#include "fuzz_check.h"

#include <stdint.h>

/* ---- building inputs ----------------------------------------------------------------- */

typedef struct text {
    char *data;
    size_t len, cap;
} text;

static void put(text *t, const void *s, size_t n)
{
    if (t->len + n > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < t->len + n) cap *= 2;
        char *p = realloc(t->data, cap);
        if (!p) abort();
        t->data = p;
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
}

static void puts_(text *t, const char *s) { put(t, s, strlen(s)); }

/* Repeat `unit` until the text is `bytes` long, or `count` times when count > 0. */
static text repeat(const char *unit, size_t bytes, size_t count)
{
    text t = {0};
    size_t n = strlen(unit);
    if (count)
        for (size_t i = 0; i < count; i++) put(&t, unit, n);
    else
        while (t.len + n <= bytes) put(&t, unit, n);
    return t;
}

/* Move into an exact-size heap block (no slack, no NUL). */
static char *exact(text *t)
{
    char *p = malloc(t->len ? t->len : 1);
    if (!p) abort();
    memcpy(p, t->data, t->len);
    free(t->data);
    t->data = p;
    t->cap = t->len;
    return p;
}

/* ---- running one document ------------------------------------------------------------ */

typedef struct stats {
    int rc;
    int invariants_failed;
    char why[512];
    size_t text_len, n_tokens, n_sentences, n_evidence, n_topics, topic_spans;
    char first_topic[48];
    size_t by_type[VOC_TOKEN_TYPE_COUNT];
    size_t covered;            /* bytes of text inside some token */
    size_t max_token;          /* longest token in bytes */
    size_t flagged_elongated, flagged_lexicon, flagged_han;
    unsigned warnings;
    size_t sarcasm;            /* "sarcasm" rule evidence */
    int label;
    double score;
    char lang[16];
    char first_norm[64], last_norm[64];
    int text_is_input;         /* result->text points at the caller's bytes */
    int norm_has_traditional;  /* the normalized text contains 軟體 (OpenCC's s2twp output) */
} stats;

typedef struct run_ctx {
    stats *st;
    const char *input;
    size_t len;
    int scored;
} run_ctx;

static int collect(void *user, const voc_doc *doc, const voc_result *r)
{
    (void)doc;
    run_ctx *c = user;
    stats *st = c->st;
    fc_report rep;
    if (fc_check_result(r, c->scored, &rep) || fc_check_text(r, c->input, c->len, 0, &rep)) {
        st->invariants_failed = rep.failed;
        snprintf(st->why, sizeof st->why, "%s", rep.why);
    }
    st->text_len = r->text_len;
    st->n_tokens = r->n_tokens;
    st->n_sentences = r->n_sentences;
    st->n_evidence = r->n_evidence;
    for (size_t i = 0; i < r->n_evidence; i++)
        st->sarcasm += r->evidence[i].kind == VOC_EVIDENCE_RULE && r->evidence[i].term &&
                       !strcmp(r->evidence[i].term, "sarcasm");
    st->n_topics = r->n_topics;
    st->topic_spans = r->n_topics ? r->topics[0].n_spans : 0;
    snprintf(st->first_topic, sizeof st->first_topic, "%s", r->n_topics ? r->topics[0].id : "");
    st->warnings = r->warnings;
    st->label = r->label;
    st->score = r->score;
    st->text_is_input = r->text == c->input;
    snprintf(st->lang, sizeof st->lang, "%s", r->lang);
    for (size_t i = 0; i < r->n_tokens; i++) {
        const voc_token *t = &r->tokens[i];
        if (t->type >= 0 && t->type < VOC_TOKEN_TYPE_COUNT) st->by_type[t->type]++;
        if (t->end > t->start) {
            st->covered += t->end - t->start;
            if (t->end - t->start > st->max_token) st->max_token = t->end - t->start;
        }
        st->flagged_elongated += !!(t->flags & VOC_TOKEN_ELONGATED);
        st->flagged_lexicon += !!(t->flags & VOC_TOKEN_LEXICON);
        st->flagged_han += !!(t->flags & VOC_TOKEN_HAN);
    }
    if (r->n_tokens) {
        const voc_token *f = &r->tokens[0], *l = &r->tokens[r->n_tokens - 1];
        snprintf(st->first_norm, sizeof st->first_norm, "%.*s", (int)(f->norm_len < 60 ? f->norm_len : 60), f->norm);
        snprintf(st->last_norm, sizeof st->last_norm, "%.*s", (int)(l->norm_len < 60 ? l->norm_len : 60), l->norm);
    }
    st->norm_has_traditional = r->normalized_len >= 6 && memmem(r->normalized, r->normalized_len,
                                                                "\xe8\xbb\x9f\xe9\xab\x94", 6) != NULL;
    return 0;
}

static voc_session *session(void)
{
    static voc_session *s;
    if (!s) {
        voc_error err;
        if (voc_session_new(fx_analyzer(), &s, &err)) {
            fprintf(stderr, "session: %s\n", err.message);
            exit(1);
        }
    }
    return s;
}

/* Analyze (or only tokenize) t; the session is shared, as a CLI worker's is. */
static stats run_text(const char *name, text *t, int scored)
{
    stats st;
    memset(&st, 0, sizeof st);
    char *buf = exact(t);
    voc_doc d = {buf, t->len, name, NULL, NULL, NULL, 0};
    run_ctx c = {&st, buf, t->len, scored};
    voc_error err;
    memset(&err, 0, sizeof err);
    st.rc = scored ? voc_analyze(session(), &d, collect, &c, &err) : voc_tokenize(session(), &d, collect, &c, &err);
    if (st.rc) fprintf(stderr, "%s: %s: %s\n", name, voc_status_name(st.rc), err.message);
    if (st.invariants_failed) fprintf(stderr, "%s: broken invariant: %s\n", name, st.why);
    printf("%-28s %9zu bytes -> %9zu tokens %7zu sentences %8zu evidence, lang %s, warnings 0x%x\n", name,
           t->len, st.n_tokens, st.n_sentences, st.n_evidence, st.lang, st.warnings);
    return st;
}

#define CHECK_SANE(st)                                                                    \
    do {                                                                                  \
        CHECK_INT((st).rc, VOC_OK);                                                       \
        CHECK_INT((st).invariants_failed, 0);                                             \
    } while (0)

/* ---- the documents ------------------------------------------------------------------- */

#define MB ((size_t)1 << 20)
#define HAO "\xe5\xa5\xbd" /* 好 */

/* 10 MB of 好: cut to the 1 MiB limit at a character boundary (not a multiple of 3), one Han
 * run, every byte inside a token. */
static void one_repeated_han(void)
{
    text t = repeat(HAO, 10 * MB, 0);
    stats st = run_text("10MB_one_han_char", &t, 1);
    CHECK_SANE(st);
    CHECK_INT(st.text_len, VOC_MAX_DOC_BYTES / 3 * 3);
    CHECK_INT(st.warnings, VOC_WARN_TRUNCATED);
    CHECK(st.text_is_input);
    CHECK_INT(st.covered, st.text_len);
    CHECK_INT(st.by_type[VOC_TOKEN_WORD], st.n_tokens);
    CHECK_INT(st.flagged_han, st.n_tokens);
    CHECK(st.n_tokens >= 1 && st.n_tokens <= st.text_len / 3);
    CHECK_STR(st.lang, "zh-Hant");
    CHECK_INT(st.n_sentences, 1);
    free(t.data);
}

/* Tokens in n copies of unit, analyzed on their own (to predict the big document). */
static size_t tokens_of_copies(const char *unit, size_t n)
{
    text t = repeat(unit, 0, n);
    char *buf = exact(&t);
    stats st;
    memset(&st, 0, sizeof st);
    run_ctx c = {&st, buf, t.len, 0};
    voc_doc d = {buf, t.len, "copies", NULL, NULL, NULL, 0};
    voc_error err;
    CHECK_INT(voc_tokenize(session(), &d, collect, &c, &err), VOC_OK);
    CHECK_INT(st.invariants_failed, 0);
    free(buf);
    return st.n_tokens;
}

/* 5 MB without one space: Latin, Han, digits, emoji and punctuation glued together. */
static void no_spaces(void)
{
    static const char unit[] = "服務很好but價格太貴了!!!😀abc123NT$99好評#讚!";
    /* tokens per copy, once copies are glued to each other (the first copy may differ) */
    size_t per_unit = tokens_of_copies(unit, 3) - tokens_of_copies(unit, 2);
    CHECK(per_unit >= 10);
    text t = repeat(unit, 5 * MB, 0);
    stats st = run_text("5MB_no_spaces", &t, 1);
    CHECK_SANE(st);
    CHECK_INT(st.warnings, VOC_WARN_TRUNCATED);
    CHECK(st.text_len <= VOC_MAX_DOC_BYTES && st.text_len + 4 > VOC_MAX_DOC_BYTES);
    size_t units = st.text_len / (sizeof unit - 1); /* whole copies kept; then a partial one */
    CHECK(st.n_tokens >= units * per_unit && st.n_tokens <= (units + 1) * per_unit + 2);
    size_t emoji = 0; /* the 😀 in the kept text, whole copies and the cut one alike */
    for (size_t k = 0; k + 4 <= st.text_len && k + 4 <= t.len; k++)
        if (!memcmp(t.data + k, "😀", 4)) emoji++;
    CHECK_INT(st.by_type[VOC_TOKEN_EMOJI], emoji);
    CHECK(emoji == units || emoji == units + 1);
    CHECK_INT(st.by_type[VOC_TOKEN_HASHTAG], units);
    CHECK(st.by_type[VOC_TOKEN_PRICE] >= units);
    CHECK(st.n_evidence > 0);
    CHECK_STR(st.lang, "mixed");
    free(t.data);

    /* and one single 5 MB ASCII word: one token, cut to exactly the limit (ASCII) */
    text w = repeat("abcdefghij", 5 * MB, 0);
    st = run_text("5MB_one_ascii_word", &w, 1);
    CHECK_SANE(st);
    CHECK_INT(st.text_len, VOC_MAX_DOC_BYTES);
    CHECK_INT(st.n_tokens, 1);
    CHECK_INT(st.max_token, VOC_MAX_DOC_BYTES);
    CHECK_STR(st.lang, "en");
    free(w.data);
}

/* Emoji of every shape, as many as fit under the size limit: each is exactly one EMOJI
 * token. */
static void many_emoji(void)
{
    static const char *const shapes[] = {
        "😀", "👍🏽", "👨‍👩‍👧‍👦", "🇹🇼", "1️⃣", "❤️", "🏳️‍🌈", "#️⃣", "👩🏻‍💻", "☎︎"};
    text t = {0};
    size_t n = 0;
    while (t.len + strlen(shapes[n % 10]) <= VOC_MAX_DOC_BYTES) puts_(&t, shapes[n++ % 10]);
    CHECK(n > 20000);
    stats st = run_text("limit_of_emoji", &t, 1);
    CHECK_SANE(st);
    CHECK_INT(st.n_tokens, n);
    CHECK_INT(st.by_type[VOC_TOKEN_EMOJI], n);
    CHECK_INT(st.covered, t.len);
    CHECK_INT(st.warnings, 0);
    CHECK_STR(st.lang, "und");
    free(t.data);
}

/* One letter and 100,000 combining marks: one normalization segment, one word. */
static void combining_marks(void)
{
    text t = {0};
    puts_(&t, "e");
    for (size_t i = 0; i < 100000; i++) puts_(&t, i % 3 ? "\xcc\x81" /* U+0301 */ : "\xcc\xa3" /* U+0323 */);
    stats st = run_text("100k_combining_marks", &t, 1);
    CHECK_SANE(st);
    CHECK_INT(st.n_tokens, 1);
    CHECK_INT(st.covered, t.len);
    CHECK_INT(st.by_type[VOC_TOKEN_WORD], 1);
    CHECK_INT(st.warnings, 0);
    free(t.data);

    /* marks with no base at all, then a word */
    text m = repeat("\xcc\x81", 0, 100000);
    puts_(&m, " ok");
    st = run_text("100k_marks_no_base", &m, 1);
    CHECK_SANE(st);
    CHECK(st.n_tokens >= 1);
    CHECK_STR(st.last_norm, "ok");
    free(m.data);
}

/* The size limit of one topic word in one clause: every word is a mention, and neither the
 * sentiment around each nor ordering their spans may be quadratic (a clause scan per
 * mention was: about a minute for a megabyte).  One topic, a span per word. */
static void topic_words(void)
{
    text t = repeat("refund ", VOC_MAX_DOC_BYTES / 7 * 7, 0); /* whole words: no cut one at the end */
    stats st = run_text("limit_of_topic_words", &t, 1);
    CHECK_SANE(st);
    CHECK_INT(st.n_tokens, VOC_MAX_DOC_BYTES / 7);
    CHECK_INT(st.n_topics, 1);
    CHECK_STR(st.first_topic, "refund_return");
    CHECK_INT(st.topic_spans, st.n_tokens); /* words do not overlap: one span each */
    free(t.data);
}

/* One sentence of 40,000 complaints, then applause: after a "but" it applauds the praise the
 * "but" brings ("… but the crew was great 👏", no sarcasm); right after them it mocks.  (The
 * concession was once tested trouble by trouble, each a scan to the cue: quadratic here.) */
static void applause_after_complaints(void)
{
    static const char *const ends[] = {"but the crew was great 👏", "great 👏"};
    for (int k = 0; k < 2; k++) {
        text t = repeat("awful ", 6 * 40000, 0);
        puts_(&t, ends[k]);
        stats st = run_text(k ? "applause_mocking" : "applause_after_concession", &t, 1);
        CHECK_SANE(st);
        CHECK_INT(st.n_tokens, 40000 + (k ? 2 : 6));
        CHECK_INT(st.sarcasm, k ? 1 : 0);
        free(t.data);
    }
}

/* A megabyte of '!' (cut to the limit): one elongated punctuation token, no sentiment. */
static void exclamations(void)
{
    text t = repeat("!", MB, 0);
    stats st = run_text("1MB_exclamation", &t, 1);
    CHECK_SANE(st);
    CHECK_INT(st.n_tokens, 1);
    CHECK_INT(st.by_type[VOC_TOKEN_PUNCT], 1);
    CHECK_INT(st.flagged_elongated, 1);
    CHECK_INT(st.covered, VOC_MAX_DOC_BYTES);
    CHECK_INT(st.label, VOC_NEUTRAL);
    CHECK_INT(st.n_evidence, 0);
    CHECK_STR(st.lang, "und");
    free(t.data);
}

/* 8 MB of text whose limit mark falls inside a four-byte character: cut before it. */
static void larger_than_limit(void)
{
    text t = {0};
    puts_(&t, "x");                             /* shifts the emoji off 4-byte alignment */
    while (t.len < 8 * MB) puts_(&t, "😀");
    stats st = run_text("8MB_cut_mid_char", &t, 0);
    CHECK_SANE(st);
    CHECK_INT(st.warnings, VOC_WARN_TRUNCATED);
    CHECK_INT(st.text_len, 1 + (VOC_MAX_DOC_BYTES - 1) / 4 * 4); /* the limit - 3 */
    CHECK(st.text_is_input);
    CHECK_INT(st.by_type[VOC_TOKEN_EMOJI], (VOC_MAX_DOC_BYTES - 1) / 4);
    free(t.data);

    /* the same cut in mixed text, two and three byte characters, analyzed */
    text m = {0};
    puts_(&m, "ab");
    while (m.len < 8 * MB) puts_(&m, "服務很好 great café ");
    stats sm = run_text("8MB_mixed", &m, 1);
    CHECK_SANE(sm);
    CHECK_INT(sm.warnings, VOC_WARN_TRUNCATED);
    CHECK(sm.text_len <= VOC_MAX_DOC_BYTES && sm.text_len + 3 >= VOC_MAX_DOC_BYTES);
    CHECK(sm.text_is_input);
    CHECK_INT(sm.label, VOC_POSITIVE);
    CHECK_STR(sm.lang, "mixed");
    free(m.data);

    /* exactly the limit is not truncated; one byte more is */
    text e = repeat("abcdefg ", VOC_MAX_DOC_BYTES, 0);
    stats se = run_text("exactly_the_limit", &e, 0);
    CHECK_SANE(se);
    CHECK_INT(se.text_len, VOC_MAX_DOC_BYTES);
    CHECK_INT(se.warnings, 0);
    CHECK_INT(se.n_tokens, VOC_MAX_DOC_BYTES / 8);
    free(e.data);
    text e1 = repeat("abcdefg ", VOC_MAX_DOC_BYTES, 0);
    puts_(&e1, "b");
    se = run_text("limit_plus_one", &e1, 0);
    CHECK_SANE(se);
    CHECK_INT(se.text_len, VOC_MAX_DOC_BYTES);
    CHECK_INT(se.warnings, VOC_WARN_TRUNCATED);
    free(e1.data);
}

/* Tokens of eight kinds in one document, as many as fit under the size limit (80,000 with
 * 256 KiB), each unit exactly one token. */
static void many_tokens(void)
{
    static const char *const units[] = {"good ", "a ", "1 ", "! ", "bad ", HAO " ", "b ", "😀 "};
    text t = {0};
    size_t n = 0;
    while (t.len + 26 <= VOC_MAX_DOC_BYTES) /* whole rounds of the eight units (26 bytes) */
        for (size_t k = 0; k < 8; k++) puts_(&t, units[n++ % 8]);
    CHECK(t.len < VOC_MAX_DOC_BYTES && n > 50000);
    stats st = run_text("limit_of_tokens", &t, 1);
    CHECK_SANE(st);
    CHECK_INT(st.n_tokens, n);
    CHECK_INT(st.by_type[VOC_TOKEN_NUMBER], n / 8);
    CHECK_INT(st.by_type[VOC_TOKEN_PUNCT], n / 8);
    CHECK_INT(st.by_type[VOC_TOKEN_EMOJI], n / 8);
    CHECK_INT(st.by_type[VOC_TOKEN_WORD], n / 8 * 5);
    CHECK(st.n_sentences >= n / 8);            /* each "!" ends a sentence */
    CHECK(st.n_evidence >= n / 4);             /* good, bad (and 好, 😀) are lexicon terms */
    CHECK_INT(st.warnings, 0);
    free(t.data);
}

/* The size limit of Simplified Chinese: OpenCC converts it, run by run. */
static void simplified_through_opencc(void)
{
    text t = repeat("这个软件太差了", VOC_MAX_DOC_BYTES / 21 * 21, 0); /* whole units (21 bytes) */
    stats st = run_text("limit_of_simplified", &t, 1);
    CHECK_SANE(st);
    CHECK_STR(st.lang, "zh-Hans");
    CHECK_INT(st.label, VOC_NEGATIVE);
    CHECK(st.norm_has_traditional);            /* 软件 came out as 軟體 */
    CHECK_INT(st.covered, t.len);
    CHECK(st.n_evidence > 0);
    CHECK_INT(st.warnings, 0);
    free(t.data);

    /* conversions that change the length (内存 → 記憶體) with punctuation between runs.
     * (Not "手机内存": tests/fuzz/known_bugs/analyze/seed_opencc_block_overlap.) */
    static const char unit[] = "内存不够用，软件老是闪退。";
    text m = repeat(unit, VOC_MAX_DOC_BYTES / (sizeof unit - 1) * (sizeof unit - 1), 0);
    st = run_text("limit_of_simplified_lengths", &m, 1);
    CHECK_SANE(st);
    CHECK_STR(st.lang, "zh-Hans");
    CHECK_INT(st.n_sentences, m.len / (sizeof unit - 1));
    CHECK_INT(st.label, VOC_NEGATIVE);
    free(m.data);
}

/* Invalid bytes between every valid character: each becomes U+FFFD, spans index the
 * repaired text. */
static void alternating_invalid(void)
{
    static const char *const valid[] = {"a", "中", "😀", "é", " ", "!"};
    static const char *const invalid[] = {"\xff", "\x80", "\xc0\xaf", "\xed\xa0\x80", "\xe4\xb8", "\xf4\x90\x80\x80"};
    text t = {0};
    size_t bad = 0;
    for (size_t i = 0; i < 60000; i++) {
        puts_(&t, valid[i % 6]);
        puts_(&t, invalid[(i / 6) % 6]);
        bad += strlen(invalid[(i / 6) % 6]); /* one U+FFFD per byte */
    }
    size_t in_len = t.len;
    stats st = run_text("alternating_invalid", &t, 1);
    CHECK_SANE(st);
    CHECK_INT(st.warnings, VOC_WARN_INVALID_UTF8);
    CHECK_INT(st.text_len, in_len + 2 * bad);
    CHECK(!st.text_is_input);
    free(t.data);

    /* with NUL bytes as well */
    text n = {0};
    for (size_t i = 0; i < 100000; i++) put(&n, i % 2 ? "\0" : "\xfe" "ok", i % 2 ? 1 : 3);
    st = run_text("alternating_nul_invalid", &n, 1);
    CHECK_SANE(st);
    CHECK_INT(st.warnings, VOC_WARN_INVALID_UTF8 | VOC_WARN_NUL_BYTES);
    CHECK_INT(st.text_len, n.len + 2 * 100000);
    free(n.data);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    one_repeated_han();
    no_spaces();
    many_emoji();
    combining_marks();
    exclamations();
    topic_words();
    applause_after_complaints();
    larger_than_limit();
    many_tokens();
    simplified_through_opencc();
    alternating_invalid();
    voc_session_free(session());
    voc_analyzer_free(fx_analyzer());
    return test_exit_status("test_pathological");
}
