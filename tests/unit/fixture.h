/* fixture.h — shared set-up for tests that need an analyzer: the repository's lexicons
 * (path from CMake), and a helper that runs one text and copies what came out, since
 * results are borrowed only for the callback. */
#ifndef VOCMINE_FIXTURE_H
#define VOCMINE_FIXTURE_H

#include "test.h"
#include "vocmine.h"

#define FX_MAX 512

typedef struct fx_token {
    size_t start, end;
    int type;
    unsigned flags;
    char norm[128];
    char stem[128];
    int has_stem;
} fx_token;

typedef struct fx_result {
    char lang[16];
    int label;
    double score, confidence, probs[3];
    size_t n_tokens, n_sentences, n_evidence;
    fx_token tokens[FX_MAX];
    voc_span sentences[FX_MAX];
    voc_evidence evidence[FX_MAX];
    char evidence_terms[FX_MAX][64];
    unsigned warnings;
} fx_result;

static inline voc_analyzer *fx_analyzer(void)
{
    static voc_analyzer *a;
    if (a) return a;
    voc_analyzer_options o = {VOCMINE_SOURCE_DIR "/lexicons", NULL, 0, VOC_SEGMENTER_DICT, 0, NULL};
    voc_error err;
    if (voc_analyzer_new(&o, &a, &err)) {
        fprintf(stderr, "cannot build analyzer: %s:%zu: %s\n", err.source, err.line, err.message);
        exit(1);
    }
    return a;
}

static inline int fx_copy(void *user, const voc_doc *doc, const voc_result *r)
{
    (void)doc;
    fx_result *o = user;
    snprintf(o->lang, sizeof o->lang, "%s", r->lang);
    o->label = r->label;
    o->score = r->score;
    o->confidence = r->confidence;
    memcpy(o->probs, r->probs, sizeof o->probs);
    o->warnings = r->warnings;
    o->n_tokens = r->n_tokens < FX_MAX ? r->n_tokens : FX_MAX;
    for (size_t i = 0; i < o->n_tokens; i++) {
        const voc_token *t = &r->tokens[i];
        fx_token *c = &o->tokens[i];
        c->start = t->start;
        c->end = t->end;
        c->type = t->type;
        c->flags = t->flags;
        snprintf(c->norm, sizeof c->norm, "%.*s", (int)t->norm_len, t->norm);
        c->has_stem = t->stem != NULL;
        if (t->stem) snprintf(c->stem, sizeof c->stem, "%.*s", (int)t->stem_len, t->stem);
    }
    o->n_sentences = r->n_sentences < FX_MAX ? r->n_sentences : FX_MAX;
    memcpy(o->sentences, r->sentences, o->n_sentences * sizeof *o->sentences);
    o->n_evidence = r->n_evidence < FX_MAX ? r->n_evidence : FX_MAX;
    for (size_t i = 0; i < o->n_evidence; i++) {
        o->evidence[i] = r->evidence[i];
        snprintf(o->evidence_terms[i], 64, "%s", r->evidence[i].term ? r->evidence[i].term : "");
        o->evidence[i].term = o->evidence_terms[i];
    }
    return 0;
}

/* Analyze (or, !score, tokenize) `text`, copied to an exact-size buffer so sanitizers catch
 * over-reads, in a fresh session of analyzer a; the result goes to fn.  Returns the status. */
static inline int fx_analyze(voc_analyzer *a, const char *text, int score, voc_result_fn fn, void *user)
{
    voc_session *s;
    voc_error err;
    if (voc_session_new(a, &s, &err)) {
        fprintf(stderr, "session: %s\n", err.message);
        exit(1);
    }
    size_t len;
    char *buf = test_exact(text, &len);
    voc_doc d = {.text = buf, .text_len = len, .id = "t"};
    int rc = score ? voc_analyze(s, &d, fn, user, &err) : voc_tokenize(s, &d, fn, user, &err);
    if (rc) fprintf(stderr, "analyze failed: %s\n", err.message);
    free(buf);
    voc_session_free(s);
    return rc;
}

/* Run `text` through the repository's analyzer; what came out, copied. */
static inline fx_result *fx_run(const char *text, int score)
{
    static fx_result res;
    memset(&res, 0, sizeof res);
    if (fx_analyze(fx_analyzer(), text, score, fx_copy, &res)) test_failures++;
    return &res;
}

/* Index of the first token whose original text equals `s`, or -1. */
static inline int fx_find(const fx_result *r, const char *text, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < r->n_tokens; i++)
        if (r->tokens[i].end - r->tokens[i].start == n && !memcmp(text + r->tokens[i].start, s, n))
            return (int)i;
    return -1;
}

#endif
