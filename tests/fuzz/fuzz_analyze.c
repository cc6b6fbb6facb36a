/* fuzz_analyze.c — libFuzzer target for the whole pipeline: the input bytes are one
 * document's text, run through voc_analyze and voc_tokenize with one analyzer built once
 * from the repository's lexicons (FUZZ_LEXICON_DIR, set by CMake) and one session reused
 * for every input, as the CLI's workers do.  A second analyzer with the ICU Han segmenter
 * tokenizes the same text.
 *
 * Checked on every result (fuzz_check.h): spans of tokens, sentences and evidence inside
 * [0, text_len], start < end, on UTF-8 boundaries of result->text; tokens in increasing,
 * non-overlapping order; norms and stems valid UTF-8; score in [-1, 1]; probabilities in
 * [0, 1] summing to 1 and the label their argmax; result->text is the input repaired (and
 * cut) exactly as documented, with the matching warnings.  Also: voc_tokenize sees the
 * same tokens as voc_analyze, a second analyze gives the same score, and the record and
 * token JSON the library writes parse as JSON objects. */
#include "vocmine.h"
#include "fuzz_check.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_LEXICON_DIR
#error "FUZZ_LEXICON_DIR (the repository's lexicons/) must be defined by the build"
#endif

static voc_analyzer *analyzer, *analyzer_icu;
static voc_session *session, *session_icu;

#define FUZZ_FAIL(...)                                                                    \
    do {                                                                                  \
        fprintf(stderr, "fuzz_analyze: " __VA_ARGS__);                                    \
        fputc('\n', stderr);                                                              \
        abort();                                                                          \
    } while (0)

static void init(void)
{
    if (analyzer) return;
    voc_error err;
    voc_analyzer_options o = {FUZZ_LEXICON_DIR, NULL, 0, VOC_SEGMENTER_DICT, 0, NULL};
    if (voc_analyzer_new(&o, &analyzer, &err) || voc_session_new(analyzer, &session, &err))
        FUZZ_FAIL("cannot build the analyzer: %s:%zu: %s", err.source, err.line, err.message);
    o.han_segmenter = VOC_SEGMENTER_ICU;
    if (voc_analyzer_new(&o, &analyzer_icu, &err) || voc_session_new(analyzer_icu, &session_icu, &err))
        FUZZ_FAIL("cannot build the ICU analyzer: %s:%zu: %s", err.source, err.line, err.message);
}

typedef struct tokspan {
    size_t start, end;
    int type;
} tokspan;

typedef struct ctx {
    const char *input;
    size_t size;
    int scored;
    double score;
    size_t n_evidence;
    tokspan *spans;           /* tokens of the first (analyze) run, compared by tokenize */
    size_t n_spans;
    int compare;
} ctx;

typedef struct sinkbuf {
    char *data;
    size_t len, cap;
} sinkbuf;

static int to_buf(void *user, const char *data, size_t len)
{
    sinkbuf *b = user;
    if (b->len + len + 1 > b->cap) {
        size_t cap = (b->len + len + 1) * 2;
        char *p = realloc(b->data, cap);
        if (!p) return VOC_ENOMEM;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

/* The writer's output must be one valid UTF-8 JSON object and nothing else. */
static void check_json(const sinkbuf *b, const char *what)
{
    if (!fc_utf8_ok(b->data, b->len)) FUZZ_FAIL("%s JSON is not valid UTF-8", what);
    json_tokener *tok = json_tokener_new();
    if (!tok) abort();
    json_object *o = json_tokener_parse_ex(tok, b->data, (int)b->len);
    enum json_tokener_error e = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (!o || e != json_tokener_success || end != b->len || !json_object_is_type(o, json_type_object))
        FUZZ_FAIL("%s JSON does not parse (%s at %zu of %zu): %.200s", what, json_tokener_error_desc(e), end,
                  b->len, b->data);
    json_object_put(o);
}

static int on_result(void *user, const voc_doc *doc, const voc_result *r)
{
    ctx *c = user;
    fc_report rep;
    if (fc_check_result(r, c->scored, &rep)) FUZZ_FAIL("%s: %s", c->scored ? "analyze" : "tokenize", rep.why);
    if (fc_check_text(r, c->input, c->size, 0, &rep)) FUZZ_FAIL("%s: %s", c->scored ? "analyze" : "tokenize", rep.why);
    if (c->compare) {
        if (r->n_tokens != c->n_spans) FUZZ_FAIL("tokenize gave %zu tokens, analyze %zu", r->n_tokens, c->n_spans);
        for (size_t i = 0; i < r->n_tokens; i++)
            if (r->tokens[i].start != c->spans[i].start || r->tokens[i].end != c->spans[i].end ||
                r->tokens[i].type != c->spans[i].type)
                FUZZ_FAIL("token %zu differs between analyze and tokenize", i);
    } else if (c->scored) {
        c->spans = malloc(sizeof *c->spans * (r->n_tokens + 1));
        if (!c->spans) abort();
        for (size_t i = 0; i < r->n_tokens; i++)
            c->spans[i] = (tokspan){r->tokens[i].start, r->tokens[i].end, r->tokens[i].type};
        c->n_spans = r->n_tokens;
    }
    c->score = r->score;
    c->n_evidence = r->n_evidence;
    sinkbuf b = {0};
    if (c->scored) {
        char rid[96];
        voc_record_id(doc, 0, rid, sizeof rid);
        if (voc_record_write_json(analyzer, doc, rid, r, to_buf, &b)) FUZZ_FAIL("voc_record_write_json failed");
        check_json(&b, "record");
    } else {
        if (voc_tokens_write_json(doc, r, to_buf, &b)) FUZZ_FAIL("voc_tokens_write_json failed");
        check_json(&b, "tokens");
    }
    free(b.data);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    init();
    voc_error err;
    voc_doc doc = {(const char *)data, size, "fuzz:1", NULL, "chat", NULL, 0};
    ctx c = {(const char *)data, size, 1, 0, 0, NULL, 0, 0};
    int rc = voc_analyze(session, &doc, on_result, &c, &err);
    if (rc) FUZZ_FAIL("voc_analyze returned %s: %s", voc_status_name(rc), err.message);
    double first = c.score;
    size_t first_ev = c.n_evidence;

    c.scored = 0;
    c.compare = 1;
    rc = voc_tokenize(session, &doc, on_result, &c, &err);
    if (rc) FUZZ_FAIL("voc_tokenize returned %s: %s", voc_status_name(rc), err.message);

    c.scored = 1; /* same session again: nothing may leak from one document to the next */
    rc = voc_analyze(session, &doc, on_result, &c, &err);
    if (rc) FUZZ_FAIL("second voc_analyze returned %s: %s", voc_status_name(rc), err.message);
    if (c.score != first || c.n_evidence != first_ev)
        FUZZ_FAIL("second analyze differs: score %.17g vs %.17g, evidence %zu vs %zu", c.score, first,
                  c.n_evidence, first_ev);
    free(c.spans);

    ctx ci = {(const char *)data, size, 0, 0, 0, NULL, 0, 0};
    rc = voc_tokenize(session_icu, &doc, on_result, &ci, &err);
    if (rc) FUZZ_FAIL("voc_tokenize (ICU segmenter) returned %s: %s", voc_status_name(rc), err.message);
    return 0;
}
