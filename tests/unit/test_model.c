/* test_model.c — the n-gram model (model.c) and its trainer (train.c): the features of a
 * document (w:, n:, i:, b:, c:, politeness formulas none, unique), loading
 * ngrams.tsv from a user directory (and its errors by file and line), and training end to
 * end through the public API (learns made-up words, reproducible, loadable output). */
#define _POSIX_C_SOURCE 200809L /* setenv, mkdtemp */
#include "test.h"
#include "internal.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmproot[256];

/* mkdir -p of the directory part of `path`, then write it. */

/* A fresh directory under tmproot. */
static void new_dir(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", tmproot, name);
    if (mkdir(out, 0700)) { perror(out); exit(1); }
}

/* An analyzer over the repository lexicons with an empty topic directory (the default
 * lexicons/topics may be in the making: these tests do not depend on it). */
static voc_analyzer *analyzer(const char *const *extra, size_t n_extra, int no_model, voc_error *err)
{
    static char empty_topics[300];
    if (!empty_topics[0]) new_dir(empty_topics, sizeof empty_topics, "no-topics");
    voc_analyzer_options o = {VOCMINE_SOURCE_DIR "/lexicons", extra, n_extra, VOC_SEGMENTER_DICT,
                              no_model, empty_topics};
    voc_analyzer *a = NULL;
    memset(err, 0, sizeof *err);
    int rc = voc_analyzer_new(&o, &a, err);
    err->code = rc;
    return a;
}

/* analyzer() that must succeed: a failure is counted and its error printed. */
static voc_analyzer *analyzer_ok(const char *const *extra, size_t n_extra, int no_model)
{
    voc_error err;
    voc_analyzer *a = analyzer(extra, n_extra, no_model, &err);
    test_checks++;
    if (!a) {
        fprintf(stderr, "analyzer: %s:%zu: %s\n", err.source, err.line, err.message);
        test_failures++;
    }
    return a;
}

/* ---- features -------------------------------------------------------------------------- */

static voc_session *feat_session;

/* Analyze `text` with the feature session and compute its features. */
static void features(const char *text)
{
    voc_error err;
    voc_doc d = {.text = text, .text_len = strlen(text), .id = "t"};
    CHECK_INT(voc_analyze(feat_session, &d, NULL, NULL, &err), VOC_OK);
    double dense[VOC_N_DENSE];
    CHECK_INT(voc__model_features(feat_session, dense), VOC_OK);
    CHECK(dense[VOC_DENSE_BIAS] == 1.0);
}

static int count_feat(const char *name)
{
    const voc_session *s = feat_session;
    size_t n = strlen(name);
    int c = 0;
    for (size_t i = 0; i < s->n_feats; i++)
        if (s->feats[i].name_len == n && !memcmp(s->featnames.data + s->feats[i].name_off, name, n)) c++;
    return c;
}

/* Any feature whose name contains `part`. */
static int any_feat_with(const char *part)
{
    const voc_session *s = feat_session;
    char buf[256];
    for (size_t i = 0; i < s->n_feats; i++) {
        snprintf(buf, sizeof buf, "%.*s", (int)s->feats[i].name_len, s->featnames.data + s->feats[i].name_off);
        if (strstr(buf, part)) return 1;
    }
    return 0;
}

static void dump_feats(const char *text)
{
    fprintf(stderr, "  features of \"%s\":", text);
    for (size_t i = 0; i < feat_session->n_feats; i++)
        fprintf(stderr, " [%.*s]", (int)feat_session->feats[i].name_len,
                feat_session->featnames.data + feat_session->feats[i].name_off);
    fprintf(stderr, "\n");
}

#define CHECK_FEAT(text, name, want)                                                      \
    do {                                                                                  \
        features(text);                                                                   \
        int got_ = count_feat(name);                                                      \
        test_checks++;                                                                    \
        if (got_ != (want)) {                                                             \
            fprintf(stderr, "%s:%d: feature \"%s\" occurs %d times, want %d\n", __FILE__,  \
                    __LINE__, name, got_, want);                                          \
            dump_feats(text);                                                             \
            test_failures++;                                                              \
        }                                                                                 \
    } while (0)

/* Features are unique (by hash and by name). */
static void check_sorted_unique(const char *text)
{
    features(text);
    const voc_session *s = feat_session;
    CHECK(s->n_feats > 0);
    for (size_t i = 1; i < s->n_feats; i++) {
        for (size_t k = 0; k < i; k++) CHECK(s->feats[k].hash != s->feats[i].hash);
        for (size_t k = 0; k < i; k++) /* names too, not only hashes */
            CHECK(!(s->feats[k].name_len == s->feats[i].name_len &&
                    !memcmp(s->featnames.data + s->feats[k].name_off,
                            s->featnames.data + s->feats[i].name_off, s->feats[i].name_len)));
    }
    for (size_t i = 0; i < s->n_feats; i++) /* the hash is the name's */
        CHECK(s->feats[i].hash == voc__hash(s->featnames.data + s->feats[i].name_off, s->feats[i].name_len) ||
              (s->feats[i].hash == 1 &&
               voc__hash(s->featnames.data + s->feats[i].name_off, s->feats[i].name_len) == 0));
}

/* Han pairs: for every two Han tokens that touch within a sentence, the pair of the last
 * character of one and the first of the next is a c: feature (across the word boundary). */
static void check_han_pairs(const char *text)
{
    features(text);
    const voc_session *s = feat_session;
    int boundaries = 0;
    for (size_t i = 0; i + 1 < s->n_toks; i++) {
        const voc_tok *a = &s->toks[i], *b = &s->toks[i + 1];
        if (!(a->flags & VOC_TOKEN_HAN) || !(b->flags & VOC_TOKEN_HAN) || a->nend != b->nstart ||
            a->sentence != b->sentence)
            continue;
        const char *an = voc__tok_norm(s, a), *bn = voc__tok_norm(s, b);
        if (a->norm_len < 3 || b->norm_len < 3) continue;
        char name[32];
        snprintf(name, sizeof name, "c:%.3s%.3s", an + a->norm_len - 3, bn); /* BMP Han: 3 bytes */
        test_checks++;
        if (count_feat(name) != 1) {
            fprintf(stderr, "%s:%d: no pair feature \"%s\" across \"%.*s|%.*s\"\n", __FILE__, __LINE__,
                    name, (int)a->norm_len, an, (int)b->norm_len, bn);
            dump_feats(text);
            test_failures++;
        }
        boundaries++;
    }
    CHECK(boundaries >= 2); /* the text is several words, so the check above ran */
}

static void test_features(void)
{
    voc_error err;
    voc_analyzer *a = analyzer_ok(NULL, 0, 1);
    if (!a) return;
    CHECK_INT(voc_session_new(a, &feat_session, &err), VOC_OK);

    /* a word in a negator's scope is n:, not w:; the negator itself is a word */
    CHECK_FEAT("The service was not good.", "n:good", 1);
    CHECK_FEAT("The service was not good.", "w:good", 0);
    CHECK_FEAT("The service was not good.", "w:not", 1);
    CHECK_FEAT("The service was not good.", "w:service", 1);   /* before the negator: plain */
    CHECK_FEAT("The service was not good.", "b:the service", 1);
    /* the scope is three words after the negator */
    const char *scope = "This is not the most useful tool";
    CHECK_FEAT(scope, "n:the", 1);
    CHECK_FEAT(scope, "n:most", 1);
    CHECK_FEAT(scope, "n:useful", 1);
    CHECK_FEAT(scope, "w:useful", 0);
    CHECK_FEAT(scope, "w:tool", 1);
    CHECK_FEAT(scope, "n:tool", 0);
    /* a negator that intensifies (score.c's voc__negator_intensifies) opens no scope */
    CHECK_FEAT("I have never been so disappointed.", "w:been", 1);
    CHECK_FEAT("I have never been so disappointed.", "n:been", 0);
    CHECK_FEAT("I have never been happy with them.", "n:been", 1); /* no such shape: a scope */
    /* the scope stops at clause punctuation */
    CHECK_FEAT("Not now, the food was good", "w:good", 1);
    /* "not bad" is a lexicon phrase (lexicons/en/sentiment.tsv, +1.5): one unit */
    CHECK_FEAT("it is not bad", "w:not bad", 1);
    CHECK_FEAT("it is not bad", "w:not", 0);
    CHECK_FEAT("it is not bad", "w:bad", 0);
    CHECK_FEAT("it is not bad", "n:bad", 0);
    CHECK_FEAT("it is not bad", "b:is not bad", 1);
    /* Han characters pair across word boundaries */
    check_han_pairs("這家餐廳的服務很好，價格也便宜");
    CHECK_FEAT("這家餐廳的服務很好", "c:服務", 1);   /* and inside words */
    /* unique and sorted, even when words repeat */
    check_sorted_unique("good good good, really good! good?");
    CHECK_FEAT("good good good, really good! good?", "w:good", 1);
    CHECK_FEAT("good good good, really good! good?", "w:!", 1);
    CHECK_FEAT("good good good, really good! good?", "w:?", 1);
    check_sorted_unique("服務很好服務很好，價格也便宜，服務很好");
    check_sorted_unique("The staff were lovely but the refund took six weeks.");
    /* a politeness formula makes no feature: not the phrase, not its words, not its pairs */
    const char *polite = "不好意思，請問我的包裹寄出了嗎？";
    features(polite);
    CHECK(!any_feat_with("不好意思"));
    CHECK(!any_feat_with("不好"));
    CHECK(!any_feat_with("好意"));
    CHECK(!any_feat_with("意思"));
    CHECK(any_feat_with("包裹")); /* the rest of the text still does */
    features("Sorry to bother you, where is my parcel?");
    CHECK(!any_feat_with("sorry"));
    CHECK(!any_feat_with("bother"));
    CHECK_FEAT("Sorry to bother you, where is my parcel?", "w:parcel", 1);
    /* after an irrealis marker the words are i: (a wish, not a verdict) */
    const char *wish = "if it were cheaper";
    CHECK_FEAT(wish, "w:if", 1);
    CHECK_FEAT(wish, "i:it", 1);
    CHECK_FEAT(wish, "i:were", 1);
    CHECK_FEAT(wish, "i:cheaper", 1);
    CHECK_FEAT(wish, "w:cheaper", 0);
    CHECK_FEAT(wish, "w:it", 0);
    /* ... only in its own sentence */
    CHECK_FEAT("If only. It is cheaper.", "w:cheaper", 1);

    voc_session_free(feat_session);
    feat_session = NULL;
    voc_analyzer_free(a);
}

/* ---- loading ngrams.tsv ---------------------------------------------------------------- */

typedef struct run_out {
    int label;
    double probs[3];
    int ngram_ok;            /* an NGRAM evidence item with the wanted term over its word */
    int any_ngram;
} run_out;

typedef struct run_ctx {
    const char *want_term, *want_word;
    run_out *out;
} run_ctx;

static int take(void *user, const voc_doc *doc, const voc_result *r)
{
    run_ctx *c = user;
    c->out->label = r->label;
    memcpy(c->out->probs, r->probs, sizeof c->out->probs);
    c->out->ngram_ok = c->out->any_ngram = 0;
    for (size_t i = 0; i < r->n_evidence; i++) {
        const voc_evidence *e = &r->evidence[i];
        if (e->kind != VOC_EVIDENCE_NGRAM) continue;
        c->out->any_ngram = 1;
        if (c->want_term && e->term && !strcmp(e->term, c->want_term)) {
            const char *w = strstr(doc->text, c->want_word);
            size_t ws = (size_t)(w - doc->text), we = ws + strlen(c->want_word);
            if (w && e->start <= ws && e->end >= we && e->end <= r->text_len) c->out->ngram_ok = 1;
        }
    }
    return 0;
}

static run_out run(voc_analyzer *a, const char *text, const char *want_term, const char *want_word)
{
    run_out out;
    memset(&out, 0, sizeof out);
    out.label = -1;
    if (!a) return out;
    voc_session *s;
    voc_error err;
    if (voc_session_new(a, &s, &err)) { test_failures++; return out; }
    run_ctx c = {want_term, want_word, &out};
    voc_doc d = {.text = text, .text_len = strlen(text), .id = "t"};
    CHECK_INT(voc_analyze(s, &d, take, &c, &err), VOC_OK);
    voc_session_free(s);
    return out;
}

#define CHECK_RUN_LABEL(a, text, want)                                                    \
    do {                                                                                  \
        run_out o_ = run((a), (text), NULL, NULL);                                        \
        test_checks++;                                                                    \
        if (o_.label != (want)) {                                                         \
            fprintf(stderr, "%s:%d: label of \"%s\" is %d (p = %.3f %.3f %.3f), want %s\n", \
                    __FILE__, __LINE__, text, o_.label, o_.probs[0], o_.probs[1],         \
                    o_.probs[2], voc_label_name(want));                                   \
            test_failures++;                                                              \
        }                                                                                 \
    } while (0)

/* Build an analyzer whose extra directory holds only en/ngrams.tsv = content; expect an
 * error at `line` of that file. */
static void check_bad_ngrams(const char *name, const char *content, size_t line, const char *in_message)
{
    char dir[512], path[600];
    new_dir(dir, sizeof dir, name);
    snprintf(path, sizeof path, "%s/en/ngrams.tsv", dir);
    test_write_file(path, content);
    const char *extra[] = {dir};
    voc_error err;
    voc_analyzer *a = analyzer(extra, 1, 0, &err);
    CHECK(a == NULL);
    voc_analyzer_free(a);
    CHECK_INT(err.code, VOC_ELEXICON);
    CHECK(strstr(err.source, path) != NULL);
    CHECK_INT(err.line, line);
    test_checks++;
    if (in_message && !strstr(err.message, in_message)) {
        fprintf(stderr, "%s:%d: message \"%s\" does not name \"%s\"\n", __FILE__, __LINE__, err.message,
                in_message);
        test_failures++;
    }
}

static void test_load(void)
{
    char dir[512], path[600];
    new_dir(dir, sizeof dir, "zorblax");
    snprintf(path, sizeof path, "%s/en/ngrams.tsv", dir);
    test_write_file(path, "# a hand-written model: one made-up word decides\n"
                     "feature\tnegative\tneutral\tpositive\n"
                     "@bias\t0\t0.5\t-0.5\n"
                     "@temperature\t1\t1\t1\n"
                     "w:zorblax\t-4\t0\t4\n");
    const char *extra[] = {dir};
    voc_analyzer *with = analyzer_ok(extra, 1, 0);
    voc_analyzer *without = analyzer_ok(extra, 1, 1);
    if (with) {
        CHECK(with->models[VOC_MODEL_EN].loaded);
        CHECK(with->models[VOC_MODEL_EN].n_features == 1);
    }

    const char *text = "The zorblax arrived today.";
    run_out o = run(with, text, "w:zorblax", "zorblax");
    CHECK_INT(o.label, VOC_POSITIVE);
    CHECK(o.ngram_ok);
    CHECK(fabs(o.probs[0] + o.probs[1] + o.probs[2] - 1.0) < 1e-9);
    /* without the word the bias decides: neutral */
    CHECK_RUN_LABEL(with, "The parcel arrived today.", VOC_NEUTRAL);
    /* no_model: lexicon and rules only, which know nothing of zorblax */
    o = run(without, text, "w:zorblax", "zorblax");
    CHECK_INT(o.label, VOC_NEUTRAL);
    CHECK(!o.any_ngram);
    /* the English model does not read Chinese text: the user's English model changes
     * nothing there (the default Chinese model, if any, decides either way) */
    {
        voc_analyzer *plain = analyzer_ok(NULL, 0, 0);
        if (plain) {
            run_out a = run(with, "包裹今天到了 zorblax", "w:zorblax", "zorblax");
            run_out b = run(plain, "包裹今天到了 zorblax", "w:zorblax", "zorblax");
            CHECK_INT(a.label, b.label);
            CHECK(fabs(a.probs[2] - b.probs[2]) < 1e-12);
            CHECK(!a.ngram_ok);
            voc_analyzer_free(plain);
        }
    }
    voc_analyzer_free(with);
    voc_analyzer_free(without);

    /* bad files: file and line */
    const char *head = "# comment\nfeature\tnegative\tneutral\tpositive\n";
    char buf[512];
    snprintf(buf, sizeof buf, "%s@bias\t0\t0\t0\n@nope\t1\t0\t-1\n", head);
    check_bad_ngrams("nope", buf, 4, "@nope");
    snprintf(buf, sizeof buf, "%sw:abc\t1\t0\t-1\nw:zorblax\t1\t0\t-1\nw:zorblax\t0\t0\t0\n", head);
    check_bad_ngrams("repeat", buf, 5, "w:zorblax");
    snprintf(buf, sizeof buf, "%sw:abc\t1\tmuch\t-1\n", head);
    check_bad_ngrams("nan", buf, 3, "much");
    snprintf(buf, sizeof buf, "%s@temperature\t0\t0\t0\nw:abc\t1\t0\t-1\n", head);
    check_bad_ngrams("temp0", buf, 3, "@temperature");
    snprintf(buf, sizeof buf, "%sw:abc\t1\t0\t-1\n@temperature\t50\t50\t50\n", head);
    check_bad_ngrams("temp50", buf, 4, "@temperature");
}

/* ---- training ------------------------------------------------------------------------- */

static const char *nouns[] = {"parcel", "courier", "invoice", "app", "driver", "menu",
                              "account", "router", "ticket", "seat"};
static const char *frames[] = {"The %s was %s.", "My %s seemed %s today.", "Honestly the %s is %s",
                               "That %s looked %s to me.", "Our %s turned out %s", "This %s felt %s."};
static const char *neutral_words[] = {"beige", "wooden", "square", "metallic", "oval"};

static int train_into(voc_analyzer *a, unsigned seed, const char *dir)
{
    voc_train_options o;
    voc_train_options_default(&o);
    o.seed = seed;
    o.epochs = 8;
    o.min_docs = 1;
    o.holdout = 0.2;
    voc_trainer *t = NULL;
    voc_session *s = NULL;
    voc_error err;
    int rc = voc_trainer_new(a, &o, &t, &err);
    if (!rc) rc = voc_session_new(a, &s, &err);
    for (int i = 0; !rc && i < 60; i++) {
        int label = i % 3;
        const char *word = label == VOC_POSITIVE ? "glorptastic"
                         : label == VOC_NEGATIVE ? "snerkful"
                                                 : neutral_words[(i / 3) % 5];
        char text[200], id[16];
        snprintf(text, sizeof text, frames[(i / 3) % 6], nouns[(i / 2) % 10], word);
        snprintf(id, sizeof id, "d%d", i);
        voc_doc d = {.text = text, .text_len = strlen(text), .id = id};
        rc = voc_trainer_add(t, s, &d, label, 0, &err);
    }
    if (!rc) rc = voc_trainer_fit(t, NULL, NULL, &err);
    if (!rc) rc = voc_trainer_write(t, dir, "unit test", &err);
    if (rc) fprintf(stderr, "training: %s:%zu: %s\n", err.source, err.line, err.message);
    voc_session_free(s);
    voc_trainer_free(t);
    return rc;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    *len = 0;
    if (!f) return NULL;
    char *buf = malloc(1 << 20);
    if (!buf) abort();
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* ---- keyed features: what the analysis looks up is what the names say ---------------------
 *
 * voc__model_apply keys each feature from its pieces (make_piece, finish_key) and never writes
 * a name; voc__model_features writes the names.  Both must make the same features in the same
 * order, and the key of each must be voc__feat_key of its name (how ngrams.tsv is keyed), on
 * many texts: English words of every length (the four-byte steps and each tail), phrases,
 * negation, wishes, marks, emoji, Han text of both scripts, and the 98 sample messages. */

static voc_feat keyed_feat[4096];
static size_t n_keyed_compared; /* texts the model read, so their features were compared */

static void check_keyed_matches_named(voc_session *s, const char *text, size_t len)
{
    voc_error err;
    voc_doc d = {.text = text, .text_len = len, .id = "t"};
    s->n_feats = 0;
    CHECK_INT(voc_analyze(s, &d, NULL, NULL, &err), VOC_OK);
    size_t n_keyed = s->n_feats; /* 0: the model did not read it (no words) */
    CHECK(n_keyed <= 4096);
    if (n_keyed == 0 || n_keyed > 4096) return;
    n_keyed_compared++;
    memcpy(keyed_feat, s->feats, n_keyed * sizeof *keyed_feat); /* their keys (.hash) among them */
    double dense[VOC_N_DENSE];
    CHECK_INT(voc__model_features(s, dense), VOC_OK);
    CHECK_INT(s->n_feats, n_keyed); /* the same count: 1/sqrt(n) scales every weight */
    size_t n = s->n_feats < n_keyed ? s->n_feats : n_keyed;
    for (size_t i = 0; i < n; i++) {
        const voc_feat *f = &s->feats[i];
        uint64_t want = voc__feat_key(s->featnames.data + f->name_off, f->name_len);
        if (keyed_feat[i].hash != want) {
            fprintf(stderr, "keyed feature %zu of \"%.*s\": \"%.*s\" keyed %016llx, its name %016llx\n",
                    i, (int)len, text, (int)f->name_len, s->featnames.data + f->name_off,
                    (unsigned long long)keyed_feat[i].hash, (unsigned long long)want);
            test_failures++;
            return;
        }
        CHECK_INT(keyed_feat[i].tok_first, f->tok_first);
        CHECK_INT(keyed_feat[i].tok_last, f->tok_last);
        CHECK(keyed_feat[i].value == f->value);
    }
}

static void test_keyed_features(void)
{
    voc_error err;
    voc_analyzer *a = analyzer_ok(NULL, 0, 0);
    if (!a) return;
    voc_session *s = NULL;
    CHECK_INT(voc_session_new(a, &s, &err), VOC_OK);
    if (!s) {
        voc_analyzer_free(a);
        return;
    }
    static const char *const texts[] = {
        "The service was not good.", "It would be nice if the app worked.", "not bad at all!!",
        "I can not complain about the flight?!", "Love it 😀 #happy :)", "ok", "a b c d e f g",
        "Flights delayed again, absolutely unacceptable customer service experience.",
        "supercalifragilisticexpialidocious antidisestablishmentarianism x xy xyz wxyz",
        "The food was great but the delivery was slow. If only they were faster!",
        "不好意思，請問退款什麼時候到？", "這家店的服務很好，但是價格太貴了。", "送餐太慢了，不會再點",
        "如果客服回覆再快一點就更好了", "房间很干净，服务也不错", "不是不好，只是一般。",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        check_keyed_matches_named(s, texts[i], strlen(texts[i]));
    size_t n_texts = sizeof texts / sizeof *texts;
    CHECK_INT(n_keyed_compared, n_texts); /* every one has words the model reads */
    /* words of every length from 1 to 30 bytes, alone and in pairs (b: over each tail) */
    char buf[200];
    for (size_t n = 1; n <= 30; n++) {
        size_t k = 0;
        for (size_t j = 0; j < n; j++) buf[k++] = (char)('a' + (j * 7 + n) % 26);
        buf[k++] = ' ';
        for (size_t j = 0; j < (n * 5) % 11 + 1; j++) buf[k++] = (char)('b' + j % 20);
        buf[k++] = '!';
        check_keyed_matches_named(s, buf, k);
    }
    CHECK_INT(n_keyed_compared, n_texts + 30);
    size_t len;
    char *all = slurp(VOCMINE_SOURCE_DIR "/corpora/samples/messages.jsonl", &len);
    CHECK(all != NULL);
    size_t n_lines = 0;
    for (char *line = all; all && line < all + len;) {
        char *nl = memchr(line, '\n', (size_t)(all + len - line));
        size_t line_len = nl ? (size_t)(nl - line) : (size_t)(all + len - line);
        check_keyed_matches_named(s, line, line_len); /* the JSON line as text: words enough */
        n_lines++;
        line += line_len + 1;
    }
    CHECK(n_lines >= 90);
    CHECK_INT(n_keyed_compared, n_texts + 30 + n_lines);
    free(all);
    voc_session_free(s);
    voc_analyzer_free(a);
}

/* Distinct names, distinct keys: every name of 1 to 13 letters over {a, b} ("w:" + them),
 * and the keys of a loaded model spread over its table (its slots sit near their home). */
static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static void test_feature_keys(void)
{
    enum { MAX_LEN = 13 };
    static uint64_t keys[(1 << (MAX_LEN + 1))];
    size_t n = 0;
    char name[2 + MAX_LEN] = "w:";
    for (size_t len = 1; len <= MAX_LEN; len++)
        for (size_t bits = 0; bits < ((size_t)1 << len); bits++) {
            for (size_t j = 0; j < len; j++) name[2 + j] = bits >> j & 1 ? 'b' : 'a';
            keys[n] = voc__feat_key(name, 2 + len);
            CHECK(keys[n] != 0);
            n++;
        }
    qsort(keys, n, sizeof *keys, cmp_u64);
    size_t repeats = 0;
    for (size_t i = 1; i < n; i++) repeats += keys[i] == keys[i - 1];
    CHECK_INT(repeats, 0);

    voc_analyzer *a = analyzer_ok(NULL, 0, 0);
    int n_models = 0;
    for (int m = 0; a && m < VOC_N_MODELS; m++) {
        const voc_model *md = &a->models[m];
        if (!md->n_slots) continue;
        n_models++;
        size_t mask = md->n_slots - 1, used = 0, displaced = 0;
        for (size_t i = 0; i < md->n_slots; i++) {
            if (!md->slots[i].key) continue;
            used++;
            displaced += (i - ((size_t)(md->slots[i].key >> 7) & mask)) & mask; /* slots past home */
        }
        CHECK(used == md->n_features);
        /* linear probing with uniform index bits at load x puts a key (1/(1-x) - 1)/2 slots
         * past its home on average (0.42 at 30,000 of 65,536); the polynomial unmixed (no
         * finish_key) makes 0.65 of the English model's keys, so a quarter over is the line */
        double load = (double)used / (double)md->n_slots;
        double uniform = (1.0 / (1.0 - load) - 1.0) / 2.0;
        if (!((double)displaced <= 1.25 * uniform * (double)used)) {
            fprintf(stderr, "model %d: %zu keys %.3f slots past home on average, uniform %.3f\n", m, used,
                    (double)displaced / (double)used, uniform);
            test_failures++;
        }
    }
    CHECK_INT(n_models, VOC_N_MODELS); /* both ship in lexicons/: the spread was checked */
    voc_analyzer_free(a);
}

/* The written file: header, four columns, first column sorted and unique, centered rows;
 * the made-up words learned with the right sign. */
static void check_written(const char *path)
{
    size_t len;
    char *buf = slurp(path, &len);
    CHECK(buf != NULL);
    if (!buf) return;
    char prev[256] = "";
    int header = 0, rows = 0, sorted = 1, centered = 1, cols_ok = 1, glorp = 0, snerk = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#') continue;
        if (!header) {
            CHECK_STR(line, "feature\tnegative\tneutral\tpositive");
            header = 1;
            continue;
        }
        char name[256];
        double w[3];
        char *tab = strchr(line, '\t');
        if (!tab || (size_t)(tab - line) >= sizeof name ||
            sscanf(tab + 1, "%lf\t%lf\t%lf", &w[0], &w[1], &w[2]) != 3) {
            cols_ok = 0;
            continue;
        }
        snprintf(name, sizeof name, "%.*s", (int)(tab - line), line);
        if (rows > 0 && strcmp(prev, name) >= 0) sorted = 0; /* byte order, unique */
        snprintf(prev, sizeof prev, "%s", name);
        rows++;
        if (strcmp(name, "@temperature") && strcmp(name, "@rules") && fabs(w[0] + w[1] + w[2]) > 1e-3)
            centered = 0; /* @temperature and @rules repeat one number */
        if (!strcmp(name, "w:glorptastic")) glorp = w[VOC_POSITIVE] > w[VOC_NEGATIVE] && w[VOC_POSITIVE] > w[VOC_NEUTRAL];
        if (!strcmp(name, "w:snerkful")) snerk = w[VOC_NEGATIVE] > w[VOC_POSITIVE] && w[VOC_NEGATIVE] > w[VOC_NEUTRAL];
    }
    CHECK(header);
    CHECK(rows > VOC_N_DENSE + 1);
    CHECK(cols_ok);
    CHECK(sorted);
    CHECK(centered);
    CHECK(glorp);
    CHECK(snerk);
    free(buf);
}

static void test_train(void)
{
    voc_analyzer *rules = analyzer_ok(NULL, 0, 1);
    if (!rules) return;
    char d1[512], d2[512], d3[512], p1[600], p2[600], p3[600], zh[600];
    snprintf(d1, sizeof d1, "%s/model1", tmproot); /* voc_trainer_write creates it */
    new_dir(d2, sizeof d2, "model2");              /* or takes an existing one */
    snprintf(d3, sizeof d3, "%s/model3", tmproot);
    CHECK_INT(train_into(rules, 5, d1), VOC_OK);
    CHECK_INT(train_into(rules, 5, d2), VOC_OK);
    CHECK_INT(train_into(rules, 6, d3), VOC_OK);
    snprintf(p1, sizeof p1, "%s/en/ngrams.tsv", d1);
    snprintf(p2, sizeof p2, "%s/en/ngrams.tsv", d2);
    snprintf(p3, sizeof p3, "%s/en/ngrams.tsv", d3);
    snprintf(zh, sizeof zh, "%s/zh-Hant/ngrams.tsv", d1);
    CHECK(access(zh, F_OK) != 0); /* no Chinese documents: no Chinese model */
    check_written(p1);
    check_written(p3);
    /* reproducible: the same seed writes the same bytes */
    size_t l1, l2;
    char *b1 = slurp(p1, &l1), *b2 = slurp(p2, &l2);
    CHECK(b1 && b2 && l1 > 0 && l1 == l2 && !memcmp(b1, b2, l1));
    free(b1);
    free(b2);

    /* the learned model labels unseen sentences by the made-up words */
    const char *extra[] = {d1};
    voc_analyzer *model = analyzer_ok(extra, 1, 0); /* the trained model loads */
    if (model) {
        CHECK(model->models[VOC_MODEL_EN].loaded);
        CHECK_RUN_LABEL(model, "The lamp is glorptastic.", VOC_POSITIVE);
        CHECK_RUN_LABEL(model, "Everything about the hotel seemed snerkful", VOC_NEGATIVE);
        CHECK_RUN_LABEL(model, "The new blender looked glorptastic to me.", VOC_POSITIVE);
        CHECK_RUN_LABEL(model, "Their kiosk was snerkful.", VOC_NEGATIVE);
        run_out o = run(model, "The lamp is glorptastic.", "w:glorptastic", "glorptastic");
        CHECK(o.ngram_ok);
    }
    voc_analyzer_free(model);
    const char *extra3[] = {d3}; /* another seed's file loads as well */
    model = analyzer_ok(extra3, 1, 0);
    voc_analyzer_free(model);
    voc_analyzer_free(rules);
}

int main(void)
{
    setenv("VOCMINE_CACHE_DIR", "off", 1);
    snprintf(tmproot, sizeof tmproot, "%s/vocmine-model-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmproot)) { perror("mkdtemp"); return 1; }
    test_features();
    test_keyed_features();
    test_feature_keys();
    test_load();
    test_train();
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmproot);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmproot);
    return test_exit_status("test_model");
}
