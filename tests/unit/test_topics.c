/* test_topics.c — topics (topics.c) and their PCRE2 patterns (patterns.c), from a topic
 * directory written here (voc_analyzer_options.topic_dir), never the default
 * lexicons/topics: taxonomy with a child topic, topic terms in both languages, patterns;
 * aspect sentiment per clause, spans, parents, and errors naming file and line. */
#define _POSIX_C_SOURCE 200809L /* setenv, mkdtemp */
#include "test.h"
#include "internal.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmproot[256];


/* A fresh topic directory `name` with the three files (NULL: left out). */
static void topic_dir(char *out, size_t cap, const char *name, const char *taxonomy,
                      const char *terms, const char *patterns)
{
    snprintf(out, cap, "%s/%s", tmproot, name);
    if (mkdir(out, 0700)) { perror(out); exit(1); }
    char path[600];
    if (taxonomy) { snprintf(path, sizeof path, "%s/taxonomy.tsv", out); test_write_file(path, taxonomy); }
    if (terms) { snprintf(path, sizeof path, "%s/terms.tsv", out); test_write_file(path, terms); }
    if (patterns) { snprintf(path, sizeof path, "%s/patterns.tsv", out); test_write_file(path, patterns); }
}

static voc_analyzer *analyzer(const char *topics, voc_error *err)
{
    voc_analyzer_options o = {VOCMINE_SOURCE_DIR "/lexicons", NULL, 0, VOC_SEGMENTER_DICT, 1, topics};
    voc_analyzer *a = NULL;
    memset(err, 0, sizeof *err);
    err->code = voc_analyzer_new(&o, &a, err);
    return a;
}

/* ---- running a text and keeping its topics ----------------------------------------------- */

#define MAX_TOPICS 16
typedef struct topic_copy {
    char id[48];
    double score, sentiment;
    voc_span spans[8];
    size_t n_spans;
} topic_copy;

typedef struct topics_out {
    int rc;
    size_t n;
    topic_copy t[MAX_TOPICS];
} topics_out;

static int take(void *user, const voc_doc *doc, const voc_result *r)
{
    (void)doc;
    topics_out *o = user;
    o->n = r->n_topics < MAX_TOPICS ? r->n_topics : MAX_TOPICS;
    for (size_t i = 0; i < o->n; i++) {
        topic_copy *c = &o->t[i];
        snprintf(c->id, sizeof c->id, "%s", r->topics[i].id);
        c->score = r->topics[i].score;
        c->sentiment = r->topics[i].sentiment;
        c->n_spans = r->topics[i].n_spans < 8 ? r->topics[i].n_spans : 8;
        memcpy(c->spans, r->topics[i].spans, c->n_spans * sizeof *c->spans);
        /* every span lies in the text */
        for (size_t k = 0; k < r->topics[i].n_spans; k++)
            CHECK(r->topics[i].spans[k].start < r->topics[i].spans[k].end &&
                  r->topics[i].spans[k].end <= r->text_len);
    }
    return 0;
}

static topics_out *run(voc_analyzer *a, const char *text, size_t len)
{
    static topics_out out;
    memset(&out, 0, sizeof out);
    out.rc = -100;
    if (!a) return &out;
    voc_session *s;
    voc_error err;
    if (voc_session_new(a, &s, &err)) { test_failures++; return &out; }
    voc_doc d = {.text = text, .text_len = len, .id = "t"};
    out.rc = voc_analyze(s, &d, take, &out, &err);
    voc_session_free(s);
    return &out;
}

static const topic_copy *find(const topics_out *o, const char *id)
{
    for (size_t i = 0; i < o->n; i++)
        if (!strcmp(o->t[i].id, id)) return &o->t[i];
    return NULL;
}

/* Does a span of topic t cover the first occurrence of `word` in text? */
static int covers(const topic_copy *t, const char *text, const char *word)
{
    const char *w = t ? strstr(text, word) : NULL;
    if (!w) return 0;
    size_t ws = (size_t)(w - text), we = ws + strlen(word);
    for (size_t k = 0; k < t->n_spans; k++)
        if (t->spans[k].start <= ws && t->spans[k].end >= we) return 1;
    return 0;
}

static void dump(const char *text, const topics_out *o)
{
    fprintf(stderr, "  topics of \"%.80s\" (rc %d):", text, o->rc);
    for (size_t i = 0; i < o->n; i++)
        fprintf(stderr, " %s(score %.2f, sentiment %.2f, %zu spans)", o->t[i].id, o->t[i].score,
                o->t[i].sentiment, o->t[i].n_spans);
    fprintf(stderr, "\n");
}

/* Topic `id` found in text with the sign of its sentiment (1, -1, 0 = any) and a span over
 * `word` (NULL: not checked). */
#define CHECK_TOPIC(a, text, id, sign, word)                                              \
    do {                                                                                  \
        topics_out *o_ = run((a), (text), strlen(text));                                  \
        const topic_copy *t_ = find(o_, (id));                                            \
        test_checks++;                                                                    \
        if (o_->rc != VOC_OK || !t_ || !(t_->score > 0 && t_->score <= 1) ||              \
            ((sign) > 0 && !(t_->sentiment > 0)) || ((sign) < 0 && !(t_->sentiment < 0)) || \
            !(t_->sentiment >= -1 && t_->sentiment <= 1) ||                               \
            ((word) && !covers(t_, (text), (word) ? (word) : ""))) {                      \
            fprintf(stderr, "%s:%d: want topic %s (sentiment sign %d, span over %s)\n",   \
                    __FILE__, __LINE__, id, sign, (word) ? (word) : "-");                 \
            dump(text, o_);                                                               \
            test_failures++;                                                              \
        }                                                                                 \
    } while (0)

#define CHECK_NO_TOPIC(a, text, id)                                                       \
    do {                                                                                  \
        topics_out *o_ = run((a), (text), strlen(text));                                  \
        test_checks++;                                                                    \
        if (o_->rc != VOC_OK || find(o_, (id))) {                                         \
            fprintf(stderr, "%s:%d: want no topic %s\n", __FILE__, __LINE__, id);         \
            dump(text, o_);                                                               \
            test_failures++;                                                              \
        }                                                                                 \
    } while (0)

static const char *taxonomy = "# a small taxonomy for the tests\n"
                              "topic\tparent\tdescription\n"
                              "late_refund\trefund\tA refund that took long\n"
                              "refund\t-\tRefunds\n"
                              "staff\t-\tStaff and their manner\n";
static const char *terms = "term\ttopics\tweight\n"
                           "refund\trefund\t1.0\n"
                           "staff\tstaff\t1.0\n"
                           "店員\tstaff\t1\n"
                           "退款\trefund\t1\n";
static const char *patterns = "name\ttopics\tweight\tpattern\n"
                              "late_money_back\tlate_refund\t1\tmoney back.{0,30}weeks\n"
                              "late_refund_en\tlate_refund\t1\trefund.{0,20}weeks\n";

/* An analyzer whose topic files hold one bad line: it fails with VOC_ELEXICON at `line` of
 * `file`, and the message holds `in_message`. */
static void check_bad(const char *name, const char *tax, const char *trm, const char *pat,
                      const char *file, size_t line, const char *in_message)
{
    char dir[512], path[600];
    topic_dir(dir, sizeof dir, name, tax, trm, pat);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    voc_error err;
    voc_analyzer *a = analyzer(dir, &err);
    CHECK(a == NULL);
    voc_analyzer_free(a);
    CHECK_INT(err.code, VOC_ELEXICON);
    test_checks++;
    if (!strstr(err.source, path) || err.line != line || !strstr(err.message, in_message)) {
        fprintf(stderr, "%s:%d: error %s:%zu: %s; want %s:%zu naming %s\n", __FILE__, __LINE__,
                err.source, err.line, err.message, path, line, in_message);
        test_failures++;
    }
}

/* ---- the prefilter never hides a match ---------------------------------------------------
 *
 * patterns.c decides which patterns to hand to PCRE2 from the literals it finds in one pass
 * over the text (start literals, and required strings after a space, a separator group, a
 * \b or an apostrophe).  Each pattern below is its own topic; for each text, the topic must
 * be reported exactly when PCRE2 alone, with the flags patterns.c compiles with, matches the
 * text (lower-case ASCII, so the normalized text is the text itself). */
static const char *const prefilter_patterns[] = {
    "\\b(?:sat|stuck|waited|delayed)\\b.{0,40}\\bfor\\s+(?:\\d+|an?)\\s+(?:hours?|mins?|minutes)",
    "(?:cancel|cancelled)\\s+my\\s+(?:subscription|account)",
    "\\bcharged\\s+(?:me\\s+)?twice",
    "(?:an?|\\d+)\\s+hours?[\\s_-]+late",
    "money\\s+back",
    "(?:can't|cannot|unable\\s+to)\\s+(?:log\\s*in|login|sign\\s+in)",
    "\\bprices?\\s+(?:went|have\\s+gone)\\s+up",
    "(?:was|is)\\s*'?cancelled",
    /* a start group of sequences: each alternative's later group, tested past the start */
    "\\b((never|didn't) (got|received) (my )?(order|item)|(order|item)s? (has )?(never|not yet) (arrived|came))\\b",
    "(\\bsee (you|me)|bye (now|then))",
    "(me (see|me)|you (me|you))",
    "(q(abc|abd)|w(xyz|xyw))", /* the required string right after a one-byte start */
    "(\\b(abcd|abce)(xyz|xyw)|q(abc|xyz))", /* the first element after a \b is not required */
    /* required strings not at a word start (after " ?"), one shorter than a triple ("h"):
     * the triple test is not made, the pattern is tried at every start */
    "\\b(?:waited|stuck) ?(?:\\d+|an?)\\+? ?(?:mins?|h|hours?)\\b",
    /* the same with all of them triple-tested */
    "\\b(?:waited|stuck) ?(?:\\d+|an?)\\+? ?(?:mins|hour)\\b",
};
static const char *const prefilter_texts[] = {
    "we sat on the plane'for 3 hours and then delayed'for 2 hours",
    "stuck at the gate for over 2 hours",
    "stuck at the gate for 2 hours",
    "plane was late 'for 45 minutes",
    "the flight'was cancelled and then it was'cancelled",
    "i can't'cancel my subscription, cannot cancel",
    "please cancel my  account",
    "they charged me'twice! charged me twice",
    "charged'me twice",
    "an hour'late, a hour late, 2 hours_late, 3 hours-late",
    "2 hours_late",
    "i want my'money back, give me my money back",
    "refund'money back... want'my money",
    "money'back",
    "couldn't'log in, can't login, unable to sign in",
    "can't'login",
    "price'went up, prices went up, fees have'gone up",
    "x'prices went up",
    "the_prices went up",
    "waited 2 hours; waiting for'3 hours; delayed for an hour",
    "never got my order", "order never arrived", "items not yet came", "never got it, order pending",
    "didn't received item", "order order never arrived", "never never got my order", "item came never",
    "didn't get my order, never", "orders has not yet arrived", "my order never came",
    "see me", "see you later", "bye now", "goodbye then", "see  me", "bye then see", "xsee me",
    "me me", "me see", "me", "me you", "you you", "you", "you me me", "some see",
    "qabc", "wxyw", "qxyz", "qabd qabc", "wqabc", "abcdxyw", "abcexyz", "x abcdxyw", "qxyz abcd",
    "waited 2h", "stuck an+ h", "waited 3 mins", "waited 2 days", "waited a hour", "stuck 10hours",
    "waited 5h then 2 mins", "h waited 2", "waited2h", "stuck a mins", "hour waited 1", "waited 1 minute",
};

/* Every pattern of pats[] (its own topic p<k>) on every text of texts[]: the topic is
 * reported exactly when PCRE2 alone matches. */
static void check_prefilter_set(const char *name, const char *const *pats, size_t n_pat,
                                const char *const *texts, size_t n_texts)
{
    char dir[512];
    char tax[2048] = "topic\tparent\tdescription\n", pat[4096] = "name\ttopics\tweight\tpattern\n";
    for (size_t k = 0; k < n_pat; k++) {
        char line[512];
        snprintf(line, sizeof line, "p%zu\t-\tpattern %zu\n", k, k);
        strcat(tax, line);
        snprintf(line, sizeof line, "n%zu\tp%zu\t1\t%s\n", k, k, pats[k]);
        strcat(pat, line);
    }
    topic_dir(dir, sizeof dir, name, tax, "term\ttopics\tweight\n", pat);
    voc_error err;
    voc_analyzer *a = analyzer(dir, &err);
    if (!a) fprintf(stderr, "analyzer: %s:%zu: %s\n", err.source, err.line, err.message);
    CHECK(a != NULL);
    if (!a) return;
    size_t n_want[2] = {0, 0}; /* texts PCRE2 does not match, and does: both must occur */
    for (size_t k = 0; k < n_pat; k++) {
        int ec;
        PCRE2_SIZE eo;
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)pats[k], PCRE2_ZERO_TERMINATED,
                                       PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &ec, &eo, NULL);
        CHECK(re != NULL);
        if (!re) continue;
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
        char topic[16];
        snprintf(topic, sizeof topic, "p%zu", k);
        for (size_t t = 0; t < n_texts; t++) {
            const char *text = texts[t];
            size_t len = strlen(text);
            char *exact = malloc(len ? len : 1); /* exact size: over-reads show */
            if (!exact) continue;
            memcpy(exact, text, len);
            bool want = pcre2_match(re, (PCRE2_SPTR)text, len, 0, 0, md, NULL) >= 0;
            topics_out *o = run(a, exact, len);
            bool got = find(o, topic) != NULL;
            free(exact);
            n_want[want]++;
            test_checks++;
            if (got != want) {
                fprintf(stderr, "%s:%d: %s: pattern %s on \"%s\": topic %s, PCRE2 %s\n", __FILE__, __LINE__,
                        name, pats[k], text, got ? "found" : "not found", want ? "matches" : "does not");
                test_failures++;
            }
        }
        pcre2_match_data_free(md);
        pcre2_code_free(re);
    }
    /* a set whose patterns match nothing (or everything) would agree with any prefilter */
    if (!n_want[0] || !n_want[1]) fprintf(stderr, "%s: %zu texts matched, %zu not\n", name, n_want[1], n_want[0]);
    CHECK(n_want[0] > 0 && n_want[1] > 0);
    voc_analyzer_free(a);
}

/* Patterns whose literals all follow a \b: the prefilter looks at word starts only (sixteen
 * bytes at a time where it can); with Han, lead bytes too; with a literal that starts with
 * '#', at every byte. */
static const char *const word_start_patterns[] = {
    "\\bcharged\\s+(?:me\\s+)?twice",
    "\\bprices?\\s+(?:went|have\\s+gone)\\s+up",
    "\\b(?:refund|refunds)\\b.{0,20}\\bweeks",
    "\\bno\\s+(?:wifi|signal)",
    "\\b\\d+\\s+hours?\\s+late",
};
static const char *const han_patterns[] = {
    "\\bcharged\\s+(?:me\\s+)?twice",
    "(?:沒|未)收到(?:貨|包裹)",
    "\\b\\d+\\s+hours?\\s+late",
};
static const char *const hash_patterns[] = {
    "\\bcharged\\s+(?:me\\s+)?twice",
    "#refund\\b",
};

/* The phrases of the patterns above, each after prefixes of 0..40 bytes (spaces, then the
 * fill: spaces, letters or digits — inside a word, no match after \b —, two- and three-byte
 * UTF-8 characters, apostrophes), so their first byte falls on every place of a sixteen-byte
 * block, the text's first byte included, and each phrase ends at the text's last byte or a
 * little before. */
static void check_prefilter_blocks(void)
{
    static const char *const phrases[] = {
        "charged me twice", "charged twice!", "prices went up", "price have gone up",
        "refund took 3 weeks", "refunds, weeks", "no wifi", "no signal.", "12 hours late",
        "3 hour late", "沒收到貨", "未收到包裹", "#refund", "x#refund please", "chargedtwice",
    };
    static const char *const fills[] = {" ", "a", "\xc3\xa9", "\xe2\x80\x94", "'", "9", "\xe6\x88\x91"};
    size_t n_phrases = sizeof phrases / sizeof *phrases, n_fills = sizeof fills / sizeof *fills;
    size_t n = 0, cap = n_phrases * n_fills * 41;
    char **texts = calloc(cap, sizeof *texts);
    CHECK(texts != NULL);
    if (!texts) return;
    for (size_t ph = 0; ph < n_phrases; ph++)
        for (size_t f = 0; f < n_fills; f++)
            for (size_t bytes = 0; bytes <= 40; bytes++) {
                /* spaces, then as many fill characters as fit, right before the phrase */
                size_t fill_len = strlen(fills[f]), n_fill = bytes / fill_len, len = 0;
                char *t = malloc(bytes + strlen(phrases[ph]) + 1);
                if (!t) continue;
                while (len < bytes - n_fill * fill_len) t[len++] = ' ';
                for (size_t k = 0; k < n_fill; k++, len += fill_len) memcpy(t + len, fills[f], fill_len);
                strcpy(t + len, phrases[ph]);
                texts[n++] = t;
            }
    check_prefilter_set("blocks-word-starts", word_start_patterns,
                        sizeof word_start_patterns / sizeof *word_start_patterns, (const char *const *)texts, n);
    check_prefilter_set("blocks-han", han_patterns, sizeof han_patterns / sizeof *han_patterns,
                        (const char *const *)texts, n);
    check_prefilter_set("blocks-hash", hash_patterns, sizeof hash_patterns / sizeof *hash_patterns,
                        (const char *const *)texts, n);
    check_prefilter_set("blocks-mixed", prefilter_patterns, sizeof prefilter_patterns / sizeof *prefilter_patterns,
                        (const char *const *)texts, n);
    for (size_t i = 0; i < n; i++) free(texts[i]);
    free(texts);
}

static void check_prefilter(void)
{
    check_prefilter_set("prefilter", prefilter_patterns, sizeof prefilter_patterns / sizeof *prefilter_patterns,
                        prefilter_texts, sizeof prefilter_texts / sizeof *prefilter_texts);
    check_prefilter_blocks();
}

int main(void)
{
    setenv("VOCMINE_CACHE_DIR", "off", 1);
    snprintf(tmproot, sizeof tmproot, "%s/vocmine-topics-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmproot)) { perror("mkdtemp"); return 1; }

    char dir[512];
    topic_dir(dir, sizeof dir, "good", taxonomy, terms, patterns);
    voc_error err;
    voc_analyzer *a = analyzer(dir, &err);
    if (!a) fprintf(stderr, "analyzer: %s:%zu: %s\n", err.source, err.line, err.message);
    CHECK(a != NULL);
    if (a) {
        CHECK_INT(a->taxonomy.n, 3);
        CHECK_INT(voc__patterns_count(a->patterns), 2);
    }

    /* aspect sentiment: each topic takes its own clause's sentiment */
    const char *en = "The staff were lovely but the refund took six weeks";
    CHECK_TOPIC(a, en, "staff", 1, "staff");
    CHECK_TOPIC(a, en, "refund", -1, "refund");
    const char *zh = "店員很親切，但是退款等了三週";
    CHECK_TOPIC(a, zh, "staff", 1, "店員");
    CHECK_TOPIC(a, zh, "refund", -1, "退款");
    /* the other order, the other signs */
    const char *en2 = "The refund was quick, but the staff were rude.";
    CHECK_TOPIC(a, en2, "refund", 1, "refund");
    CHECK_TOPIC(a, en2, "staff", -1, "staff");
    /* a stem finds the term ("refunds" → refund) */
    CHECK_TOPIC(a, "Two refunds are missing.", "refund", 0, "refunds");
    /* Simplified text reaches the Traditional term */
    CHECK_TOPIC(a, "店员很亲切", "staff", 1, "店员");

    /* a pattern reports its topic and that topic's parent */
    const char *late = "I got my money back after five weeks.";
    CHECK_TOPIC(a, late, "late_refund", 0, "money back");
    CHECK_TOPIC(a, late, "refund", 0, "money back");
    CHECK_TOPIC(a, "The refund took weeks.", "late_refund", 0, "refund");
    CHECK_TOPIC(a, "The refund took weeks.", "refund", 0, "refund");
    /* patterns run on the normalized text: case and width folded */
    CHECK_TOPIC(a, "MONEY BACK after six WEEKS", "late_refund", 0, "MONEY BACK");
    CHECK_TOPIC(a, "ｍｏｎｅｙ ｂａｃｋ after six weeks", "late_refund", 0, "ｍｏｎｅｙ");
    /* the parent does not report its children */
    CHECK_NO_TOPIC(a, "Where is my refund?", "late_refund");
    CHECK_TOPIC(a, "Where is my refund?", "refund", 0, "refund");
    CHECK_NO_TOPIC(a, "Where is my refund?", "staff");

    /* no topic words: no topics */
    topics_out *o = run(a, "The weather is nice today.", strlen("The weather is nice today."));
    CHECK_INT(o->rc, VOC_OK);
    CHECK_INT(o->n, 0);
    /* results are strongest first */
    o = run(a, en, strlen(en));
    for (size_t i = 1; i < o->n; i++) CHECK(o->t[i - 1].score >= o->t[i].score);
    voc_analyzer_free(a);

    /* topic ids not in the taxonomy: the file and line that used them */
    check_bad("bad-term", taxonomy, "term\ttopics\tweight\nrefund\trefund\t1\nstaff\tstaf\t1\n", NULL,
              "terms.tsv", 3, "staf");
    check_bad("bad-pattern-topic", taxonomy, terms,
              "# patterns\nname\ttopics\tweight\tpattern\nlate\trefund,late_refnd\t1\trefund.*weeks\n",
              "patterns.tsv", 3, "late_refnd");
    check_bad("bad-parent", "topic\tparent\tdescription\nrefund\t-\tRefunds\nstaff\tpeople\tStaff\n", NULL,
              NULL, "taxonomy.tsv", 3, "people");
    /* a cycle of parents is refused, naming the taxonomy file (vocmine.h: "err says which
     * file and line was bad") */
    topic_dir(dir, sizeof dir, "cycle", "topic\tparent\tdescription\nrefund\tstaff\tRefunds\nstaff\trefund\tStaff\n",
              NULL, NULL);
    a = analyzer(dir, &err);
    CHECK(a == NULL);
    CHECK_INT(err.code, VOC_ELEXICON);
    CHECK(strstr(err.message, "ancestor") != NULL);
    CHECK(strstr(err.source, "/cycle/taxonomy.tsv") != NULL);
    CHECK(err.line == 2 || err.line == 3);
    /* a bad PCRE2 pattern: its name, its file and line */
    check_bad("bad-regex", taxonomy, terms,
              "name\ttopics\tweight\tpattern\nfine\trefund\t1\trefund\nbroken_one\tstaff\t0.5\t(unclosed\n",
              "patterns.tsv", 3, "broken_one");

    /* a pattern that backtracks badly gives up at its match limit: the text is analyzed,
     * without error, and the rest of the topics still found */
    topic_dir(dir, sizeof dir, "pathological", taxonomy, terms,
              "name\ttopics\tweight\tpattern\nbacktrack\tstaff\t1\t(a+)+b\n");
    a = analyzer(dir, &err);
    CHECK(a != NULL);
    size_t n = 100 * 1024;
    char *big = malloc(n + 16);
    if (!big) abort();
    memcpy(big, "refund ", 7);
    memset(big + 7, 'a', n);
    memcpy(big + 7 + n, " c", 2);
    o = run(a, big, n + 9);
    CHECK_INT(o->rc, VOC_OK);
    CHECK(find(o, "refund") != NULL);
    CHECK(find(o, "staff") == NULL);
    /* a subject with the required 'b' far away still ends (no required-character shortcut) */
    memset(big, 'a', n);
    memcpy(big + n, "!b", 2);
    o = run(a, big, n + 2);
    CHECK_INT(o->rc, VOC_OK);
    /* and the pattern does match where it can */
    o = run(a, "aaab", 4);
    CHECK(find(o, "staff") != NULL);
    free(big);
    voc_analyzer_free(a);

    check_prefilter();

    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmproot);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmproot);
    return test_exit_status("test_topics");
}
