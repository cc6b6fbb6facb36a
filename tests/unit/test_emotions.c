/* test_emotions.c — the eight CX emotions (emotions.c) over the repository lexicons: words
 * tagged emotion:ID count only the way they were written (negated: nothing), against the
 * document's sign a third; the rules for anger (a negative text shouted), frustration (a
 * negative text that says "again") and confusion (why/how asked in a text not positive);
 * scores in (0, 1], strongest first.  The words used carry these tags in
 * lexicons/en/sentiment.tsv and lexicons/zh-Hant/sentiment.tsv: "thank you so much", 感謝
 * gratitude; happy, love, lovely, 開心 delight; "so disappointed", terrible, 失望 dismay;
 * unacceptable, furious, 生氣 anger; late and 遲到 no emotion (topic:wait_time only). */
#define _POSIX_C_SOURCE 200809L /* setenv, mkdtemp */
#include "fixture.h"
#include "internal.h"
#include "vocmine.h"

#include <math.h>

#include <sys/stat.h>
#include <unistd.h>

static const char *const known[] = {"delight", "gratitude", "trust", "dismay", "anger",
                                    "frustration", "anxiety", "confusion"};

typedef struct emo_out {
    int rc, label;
    size_t n;
    char id[8][16];
    double score[8];
} emo_out;

static int take(void *user, const voc_doc *doc, const voc_result *r)
{
    (void)doc;
    emo_out *o = user;
    o->label = r->label;
    o->n = r->n_emotions < 8 ? r->n_emotions : 8;
    CHECK(r->n_emotions <= 8);
    for (size_t i = 0; i < o->n; i++) {
        snprintf(o->id[i], sizeof o->id[i], "%s", r->emotions[i].id);
        o->score[i] = r->emotions[i].score;
    }
    return 0;
}

static voc_analyzer *analyzer;

/* Lexicons and rules only (the label the emotions lean on does not move with a learned
 * model), and an empty topic directory: the default topics are not needed here. */
static void build(void)
{
    char dir[256];
    snprintf(dir, sizeof dir, "%s/vocmine-emotions-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) { perror("mkdtemp"); exit(1); }
    voc_analyzer_options o = {VOCMINE_SOURCE_DIR "/lexicons", NULL, 0, VOC_SEGMENTER_DICT, 1, dir};
    voc_error err;
    if (voc_analyzer_new(&o, &analyzer, &err)) {
        fprintf(stderr, "cannot build analyzer: %s:%zu: %s\n", err.source, err.line, err.message);
        exit(1);
    }
    rmdir(dir);
}

static emo_out *run(const char *text)
{
    static emo_out out;
    memset(&out, 0, sizeof out);
    out.rc = fx_analyze(analyzer, text, 1, take, &out);
    CHECK_INT(out.rc, VOC_OK);
    /* the contract of every result: known ids, once each, scores in (0, 1], strongest first */
    for (size_t i = 0; i < out.n; i++) {
        int ok = 0;
        for (size_t k = 0; k < 8; k++) ok |= !strcmp(out.id[i], known[k]);
        CHECK(ok);
        CHECK(out.score[i] > 0 && out.score[i] <= 1);
        if (i > 0) CHECK(out.score[i - 1] >= out.score[i]);
        for (size_t k = 0; k < i; k++) CHECK(strcmp(out.id[k], out.id[i]) != 0);
    }
    return &out;
}

static double emotion(const char *text, const char *id)
{
    emo_out *o = run(text);
    for (size_t i = 0; i < o->n; i++)
        if (!strcmp(o->id[i], id)) return o->score[i];
    return 0;
}

static void dump(const char *text)
{
    emo_out *o = run(text);
    fprintf(stderr, "  \"%s\" (%s):", text, voc_label_name(o->label));
    for (size_t i = 0; i < o->n; i++) fprintf(stderr, " %s %.3f", o->id[i], o->score[i]);
    fprintf(stderr, "%s\n", o->n ? "" : " no emotions");
}

#define CHECK_EMOTION(text, id, want)                                                     \
    do {                                                                                  \
        int got_ = emotion((text), (id)) > 0;                                             \
        test_checks++;                                                                    \
        if (got_ != (want)) {                                                             \
            fprintf(stderr, "%s:%d: %s %s, want it %s\n", __FILE__, __LINE__, id,         \
                    got_ ? "found" : "missing", (want) ? "found" : "absent");             \
            dump(text);                                                                   \
            test_failures++;                                                              \
        }                                                                                 \
    } while (0)

/* voc__emotion_score against the formula it shortcuts (emotions.c: 1 - exp(-sum / 2), kept
 * from 0.3 on): the same emotions kept with the same scores, over sums on both sides of the
 * cut-off sum (0.7133) and of the margin under which no score is computed (0.7). */
static void check_score_cutoff(void)
{
    for (int i = -100; i <= 40000; i++) {
        double sum = i * 1e-4, score = -1;
        double want = 1.0 - exp(-sum / 2.0);
        bool kept = voc__emotion_score(sum, &score);
        if (kept != (want >= 0.3) || (kept && score != want)) {
            fprintf(stderr, "sum %.4f: kept %d score %.17g, want kept %d score %.17g\n", sum, kept,
                    score, want >= 0.3, want);
            CHECK(0);
            return;
        }
        test_checks++;
    }
}

int main(void)
{
    setenv("VOCMINE_CACHE_DIR", "off", 1);
    check_score_cutoff();
    build();

    /* gratitude */
    CHECK_EMOTION("Thank you so much for the quick help!", "gratitude", 1);
    CHECK_EMOTION("Thank you so much for the quick help!", "dismay", 0);
    CHECK_EMOTION("Thank you so much for the quick help!", "anger", 0);
    CHECK_EMOTION("非常感謝你們的幫忙", "gratitude", 1);
    /* thanks closing a request is still gratitude, if weaker */
    double in_request = emotion("Can you check my order status please? Thanks", "gratitude");
    double praise = emotion("Thanks, the agent fixed it in minutes.", "gratitude");
    CHECK(in_request > 0);
    CHECK(in_request < praise);

    /* delight, and a negated emotion word says nothing */
    CHECK_EMOTION("I am so happy with the service!", "delight", 1);
    CHECK_EMOTION("I am not happy", "delight", 0);
    CHECK_EMOTION("I am not happy with the service.", "delight", 0);
    CHECK_EMOTION("今天很開心", "delight", 1);
    CHECK_EMOTION("我不開心", "delight", 0);

    /* dismay */
    CHECK_EMOTION("I am so disappointed, the product was terrible.", "dismay", 1);
    CHECK_EMOTION("I am so disappointed, the product was terrible.", "delight", 0);
    CHECK_EMOTION("真的很失望", "dismay", 1);
    CHECK_EMOTION("not disappointed at all", "dismay", 0);

    /* a word against the document's sign is damped to a third: the early praise in a
     * complaint is no delight */
    const char *mixed = "I love the app but the delivery was terrible and I am furious.";
    CHECK_EMOTION(mixed, "delight", 0);
    CHECK_EMOTION(mixed, "dismay", 1);
    CHECK_EMOTION(mixed, "anger", 1);

    /* anger: the word, and the rule for a negative text shouted */
    CHECK_EMOTION("THIS IS UNACCEPTABLE!!", "anger", 1);
    CHECK_EMOTION("THE DELIVERY WAS LATE!!", "anger", 1);      /* no anger word: the rule */
    CHECK_EMOTION("The parcel was LATE again!", "anger", 1);   /* caps in mixed case + "!" */
    CHECK_EMOTION("The delivery was late.", "anger", 0);       /* said calmly */
    CHECK_EMOTION("THIS IS GREAT!!", "anger", 0);              /* shouted praise */
    CHECK_EMOTION("外送又遲到了!!", "anger", 1);

    /* frustration: a negative text that says it happened again */
    CHECK_EMOTION("my order is late again", "frustration", 1);
    CHECK_EMOTION("My order is still late.", "frustration", 1);
    CHECK_EMOTION("My order is late.", "frustration", 0);
    CHECK_EMOTION("I would order again", "frustration", 0);     /* not a complaint */
    CHECK_EMOTION("Great service again, thanks", "frustration", 0);
    CHECK_EMOTION("外送又遲到了", "frustration", 1);
    /* ... or that names a waited duration */
    CHECK_EMOTION("I have been on hold for 2 hours.", "frustration", 1);
    CHECK_EMOTION("Delivered in 2 hours, great service!", "frustration", 0);

    /* confusion: why/how asked in a text that is not positive (emotions.c: "Rules add what
     * no single word says") */
    CHECK_EMOTION("Why was my order cancelled?", "confusion", 1);
    CHECK_EMOTION("為什麼還沒出貨？", "confusion", 1);
    CHECK_EMOTION("Why is the service so great?", "confusion", 0);

    /* several at once: the contract checks in run() (sorted, in (0, 1], unique) */
    emo_out *o = run("I am so disappointed and angry, this is UNACCEPTABLE!! My refund is late again. "
                     "Thank you so much for nothing.");
    CHECK(o->n >= 3);

    /* a neutral, factual text has no emotions */
    CHECK_INT(run("My order number is 12345 and it ships on Monday.")->n, 0);
    CHECK_INT(run("The package is 30 cm wide.")->n, 0);
    CHECK_INT(run("訂單編號是12345，星期一出貨")->n, 0);

    voc_analyzer_free(analyzer);
    return test_exit_status("test_emotions");
}
