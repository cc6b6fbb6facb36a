/* record.c — the record builder: a voc_result plus document metadata → vocmine.record/1.
 *
 * The record format is the one in design.md: sentiment, emotions, topics, retention flags
 * (always written, "flags":[] when none), metrics, evidence, warnings.  Output is
 * deterministic: no clocks, no addresses, numbers with fixed precision.  `record_id` is a
 * stable hash, so re-running a batch upserts the same rows. */
#include "internal.h"

#include <string.h>

size_t voc_record_id(const voc_doc *doc, int has_own_id, char *buf, size_t cap)
{
    uint64_t h = 1469598103934665603ULL;
#define MIX(p, n)                                                                        \
    do {                                                                                 \
        const unsigned char *q_ = (const unsigned char *)(p);                           \
        size_t n_ = (n), k_ = 0;                                                         \
        for (; k_ + 4 <= n_; k_ += 4) { /* FNV-1a, four bytes a turn of the loop */      \
            h = (h ^ q_[k_]) * 1099511628211ULL;                                         \
            h = (h ^ q_[k_ + 1]) * 1099511628211ULL;                                     \
            h = (h ^ q_[k_ + 2]) * 1099511628211ULL;                                     \
            h = (h ^ q_[k_ + 3]) * 1099511628211ULL;                                     \
        }                                                                                \
        for (; k_ < n_; k_++) h = (h ^ q_[k_]) * 1099511628211ULL;                       \
        h ^= 0xFF; h *= 1099511628211ULL; /* field separator */                          \
    } while (0)
    const char *channel = doc && doc->channel && *doc->channel ? doc->channel : "text";
    if (doc && has_own_id && doc->id) {
        MIX("id", 2);
        MIX(doc->id, strlen(doc->id));
    } else if (doc) {
        MIX("content", 7);
        MIX(doc->text ? doc->text : "", doc->text ? doc->text_len : 0);
        MIX(doc->customer_id ? doc->customer_id : "", doc->customer_id ? strlen(doc->customer_id) : 0);
        MIX(doc->time ? doc->time : "", doc->time ? strlen(doc->time) : 0);
    }
#undef MIX
    /* what snprintf(buf, cap, "%s:%016llx", channel, h) writes, without its cost per record */
    char hex[16];
    static const char hex_pairs[513] = /* "00" "01" ... "ff" */
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
        "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
        "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
        "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
        "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
        "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
        "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
        "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
    for (int k = 14; k >= 0; k -= 2, h >>= 8) memcpy(hex + k, hex_pairs + 2 * (h & 255), 2);
    size_t channel_len = strlen(channel), n = channel_len + 17;
    if (cap > 0) {
        size_t w = n < cap - 1 ? n : cap - 1; /* truncated like snprintf, always NUL-ended */
        size_t wc = w < channel_len ? w : channel_len;
        memcpy(buf, channel, wc);
        if (w > wc) { /* the ':' and then the digits */
            buf[wc] = ':';
            memcpy(buf + wc + 1, hex, w - wc - 1);
        }
        buf[w] = '\0';
    }
    return n;
}

static void str_or_null(voc_buf *b, const char *s)
{
    if (s) voc__json_str(b, s, strlen(s));
    else VOC_JSON_LIT(b, "null");
}

/* ---- the record writer's cursor ----------------------------------------------------------
 * How it works: a record is some sixty constant runs (",\"score\":") between strings and
 * numbers.  Appending each through voc_buf costs a capacity test in memory, a length store
 * and a NUL per piece, so the record is written through a cursor instead — `o` into the
 * buffer and `end`, the byte kept for the NUL (pieces write below it) — passed by value so the
 * compiler keeps both in registers.  room() makes sure n bytes are free (growing the buffer,
 * the thread's reused one, only on the first records), and the piece is then written with
 * plain stores; the length and NUL are set once, at the end.  When the buffer cannot grow,
 * room() says no, the pieces are dropped, and the buffer's sticky `failed` flag makes the
 * record VOC_ENOMEM. */
typedef struct cursor {
    char *o, *end;
} cursor;

/* Room for n more bytes at c.o: the cursor into the grown buffer, or {o, o} when it cannot
 * grow. */
static cursor grow(voc_buf *b, cursor c, size_t n)
{
    b->len = (size_t)(c.o - b->data);
    if (voc__buf_reserve(b, n) != VOC_OK) return (cursor){c.o, c.o};
    return (cursor){b->data + b->len, b->data + b->cap - 1 /* the NUL's byte */};
}

static VOC_ALWAYS_INLINE inline bool room(voc_buf *b, cursor *c, size_t n)
{
    if ((size_t)(c->end - c->o) >= n) return true;
    *c = grow(b, *c, n);
    return (size_t)(c->end - c->o) >= n;
}

static VOC_ALWAYS_INLINE inline void put(voc_buf *b, cursor *c, const char *s, size_t n)
{
    if (room(b, c, n)) {
        memcpy(c->o, s, n);
        c->o += n;
    }
}
#define PUT(lit) put(b, &c, "" lit, sizeof("" lit) - 1) /* "" lit: string literals only */

/* A string longer than VOC_JSON_PUT_MAX (valid: known to be valid UTF-8) through voc_buf, a
 * chunk at a time: the cursor's room would be six times its length. */
static cursor put_long_str(voc_buf *b, cursor c, const char *s, size_t len, bool valid)
{
    b->len = (size_t)(c.o - b->data);
    if (valid) voc__json_str_utf8(b, s, len);
    else voc__json_str(b, s, len);
    return (cursor){b->data + b->len, b->data + b->cap - 1};
}

/* A string not known to be valid UTF-8 (the caller's ids, channel and time; the names)
 * and the constant run `then` after it, under one room test.  The strings known to be valid
 * UTF-8, an evidence entry's text and term, are put_evidence's (entry_str). */
static VOC_ALWAYS_INLINE inline void put_str(voc_buf *b, cursor *c, const char *s, size_t len,
                                             const char *then, size_t then_len)
{
    if (len > VOC_JSON_PUT_MAX) {
        *c = put_long_str(b, *c, s, len, false);
        put(b, c, then, then_len);
    } else if (room(b, c, VOC_JSON_STR_ROOM(len) + then_len)) {
        c->o = voc__json_put_str(c->o, s, len);
        memcpy(c->o, then, then_len);
        c->o += then_len;
    }
}

static VOC_ALWAYS_INLINE inline void put_str_or_null(voc_buf *b, cursor *c, const char *s, const char *then, size_t then_len)
{
    if (s) {
        put_str(b, c, s, strlen(s), then, then_len);
    } else if (room(b, c, 4 + then_len)) {
        memcpy(c->o, "null", 4);
        memcpy(c->o + 4, then, then_len);
        c->o += 4 + then_len;
    }
}

static VOC_ALWAYS_INLINE inline void put_num(voc_buf *b, cursor *c, double v, const char *then, size_t then_len)
{
    if (room(b, c, VOC_JSON_NUM_ROOM + then_len)) {
        c->o = voc__json_put_num(c->o, v);
        memcpy(c->o, then, then_len);
        c->o += then_len;
    }
}

static VOC_ALWAYS_INLINE inline void put_size(voc_buf *b, cursor *c, size_t v, const char *then, size_t then_len)
{
    if (room(b, c, VOC_JSON_SIZE_ROOM + then_len)) {
        c->o = voc__json_put_size(c->o, v);
        memcpy(c->o, then, then_len);
        c->o += then_len;
    }
}

/* A value, then a constant run: most of a record is pairs of these, each under one test. */
#define STR_OR_NULL_THEN(s, lit) put_str_or_null(b, &c, (s), "" lit, sizeof("" lit) - 1)
#define NUM_THEN(v, lit) put_num(b, &c, (v), "" lit, sizeof("" lit) - 1)
#define SIZE_THEN(v, lit) put_size(b, &c, (v), "" lit, sizeof("" lit) - 1)
#define STR_OR_NULL(s) STR_OR_NULL_THEN(s, "")
#define NUM(v) NUM_THEN(v, "")
#define SIZE(v) SIZE_THEN(v, "")

/* A cursor at the end of b, with `expect` bytes free if it can have them. */
static cursor cursor_start(voc_buf *b, size_t expect)
{
    if (voc__buf_reserve(b, expect) != VOC_OK) return (cursor){NULL, NULL};
    return (cursor){b->data + b->len, b->data + b->cap - 1};
}

/* Set b's length and NUL where the cursor stopped; b's status. */
static int cursor_finish(voc_buf *b, cursor c)
{
    b->len = (size_t)(c.o - b->data);
    b->data[b->len] = '\0';
    return voc__json_ok(b);
}

/* ---- chat spans: a byte of the joined customer turns → (turn, byte in that turn) -------- */

static const voc_turn *turn_of(const voc_doc *doc, size_t at)
{
    size_t lo = 0, hi = doc->n_turns;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (doc->turns[mid].start <= at) lo = mid;
        else hi = mid;
    }
    return &doc->turns[lo];
}

/* In a chat, the turn a span is in, with the span made relative to that turn's text;
 * NULL (span unchanged) elsewhere. */
static const voc_turn *rebase(const voc_doc *doc, size_t *start, size_t *end)
{
    if (!doc->n_turns) return NULL;
    const voc_turn *t = turn_of(doc, *start);
    size_t base = t->start <= *start ? t->start : *start;
    *start -= base;
    *end -= base;
    return t;
}

/* [S,E], or [T,S,E] in a chat. */
static VOC_ALWAYS_INLINE inline void span_array(voc_buf *b, cursor *cp, const voc_doc *doc, size_t start, size_t end)
{
    cursor c = *cp;
    PUT("[");
    const voc_turn *t = rebase(doc, &start, &end);
    if (t) SIZE_THEN(t->index, ",");
    SIZE_THEN(start, ",");
    SIZE_THEN(end, "]");
    *cp = c;
}

/* ---- survey metrics ---------------------------------------------------------------------- */

const char *voc__metric_name(int kind)
{
    static const char *const names[] = {NULL, "nps", "csat", "ces"};
    return kind >= VOC_METRIC_NPS && kind <= VOC_METRIC_CES ? names[kind] : NULL;
}

const char *voc__metric_group(int kind, double v)
{
    switch (kind) {
    case VOC_METRIC_NPS: return v >= 9 ? "promoter" : v >= 7 ? "passive" : "detractor";
    case VOC_METRIC_CSAT: return v >= 4 ? "satisfied" : v >= 3 ? "neutral" : "dissatisfied";
    case VOC_METRIC_CES: return v >= 5 ? "easy" : v >= 4 ? "neutral" : "difficult";
    default: return NULL;
    }
}

static cursor metrics(voc_buf *b, cursor c, const voc_doc *doc)
{
    const char *name = voc__metric_name(doc->metric_kind);
    if (!name) return c;
    PUT(",\"metrics\":{\"");
    put(b, &c, name, strlen(name));
    PUT("\":");
    NUM(doc->metric_value);
    PUT(",\"");
    put(b, &c, name, strlen(name));
    PUT("_group\":\"");
    const char *group = voc__metric_group(doc->metric_kind, doc->metric_value);
    put(b, &c, group, strlen(group));
    PUT("\"}");
    return c;
}

/* A chat's first and last customer turn, and which way it went (±0.2 counts as a change). */
static cursor trajectory(voc_buf *b, cursor c, const voc_result *r)
{
    const struct voc_turn_sentiment *ends[2] = {&r->first_turn, &r->last_turn};
    PUT(",\"trajectory\":{");
    for (int k = 0; k < 2; k++) {
        if (k) PUT(",\"last\":{\"turn\":");
        else PUT("\"first\":{\"turn\":");
        SIZE(ends[k]->turn);
        PUT(",\"label\":");
        STR_OR_NULL(voc_label_name(ends[k]->label));
        PUT(",\"score\":");
        NUM(ends[k]->score);
        PUT("}");
    }
    double change = r->last_turn.score - r->first_turn.score;
    PUT(",\"change\":");
    NUM(change);
    PUT(",\"direction\":");
    if (change <= -0.2) PUT("\"worse\"}");
    else if (change >= 0.2) PUT("\"better\"}");
    else PUT("\"steady\"}");
    return c;
}

/* The run from the language to the score for each label (the names voc_label_name gives,
 * which the record format fixes). */
#define LABEL_RUN(str) ",\"sentiment\":{\"label\":\"" str "\",\"score\":"
static const struct {
    const char *s;
    size_t len;
} label_run[] = {
    [VOC_NEGATIVE] = {LABEL_RUN("negative"), sizeof(LABEL_RUN("negative")) - 1},
    [VOC_NEUTRAL] = {LABEL_RUN("neutral"), sizeof(LABEL_RUN("neutral")) - 1},
    [VOC_POSITIVE] = {LABEL_RUN("positive"), sizeof(LABEL_RUN("positive")) - 1},
};

/* ,"kind":"ngram","term": for each evidence kind, from the public X-macro (the names are
 * the library's own identifiers: nothing in them to escape), and last the one for a kind out
 * of range (voc_evidence_kind_name's "unknown"). */
#define KIND_RUN(str) ",\"kind\":\"" str "\",\"term\":"
static const struct {
    char s[40];
    unsigned char len;
} kind_run[] = {
#define VOC__KIND_RUN(name, str) {KIND_RUN(str), sizeof(KIND_RUN(str)) - 1},
    VOC_EVIDENCE_KIND_MAP(VOC__KIND_RUN)
#undef VOC__KIND_RUN
    {KIND_RUN("unknown"), sizeof(KIND_RUN("unknown")) - 1},
};
_Static_assert(sizeof kind_run / sizeof kind_run[0] == VOC_EVIDENCE_KIND_COUNT + 1, "one run per kind");

/* ---- evidence: a record's most repeated part (some six entries a tweet) -------------------
 * An entry's room is made once, for all its pieces — the constant runs, up to three sizes, the
 * text and the term, the weight — and the entry is then written at the cursor with plain
 * stores, with no test per piece.  A string longer than VOC_JSON_PUT_MAX (never in the usual
 * entry) is left out of that room: it goes through voc_buf in pieces, and room is made again
 * after it. */
#define W(lit) (memcpy(c.o, "" lit, sizeof("" lit) - 1), c.o += sizeof("" lit) - 1) /* a constant run */
#define EVIDENCE_RUNS sizeof(",{\"turn\":,\"start\":,\"end\":,\"text\":,\"weight\":}") /* and kind_run */

/* A string of an entry (valid UTF-8: the analyzed text, a lexicon term) at the cursor; after a
 * long one, room for the `rest` of the entry (false: the buffer cannot grow). */
static VOC_ALWAYS_INLINE inline bool entry_str(voc_buf *b, cursor *c, const char *s, size_t len, size_t rest)
{
    if (len <= VOC_JSON_PUT_MAX) {
        c->o = voc__json_put_str_utf8(c->o, s, len);
        return true;
    }
    *c = put_long_str(b, *c, s, len, true);
    return room(b, c, rest);
}

/* {"start":S,"end":E,"text":…,"kind":…,"term":…,"weight":W} (,"turn":T first in a chat, S and
 * E then inside the turn), after a comma unless `first`. */
static VOC_ALWAYS_INLINE inline void put_evidence(voc_buf *b, cursor *cp, const voc_doc *doc, const voc_result *r,
                                                  const voc_evidence *e, bool first)
{
    cursor c = *cp;
    size_t start = e->start, end = e->end, text_len = end - start;
    size_t term_len = e->term ? strlen(e->term) : 0;
    size_t kind = e->kind >= 0 && e->kind < VOC_EVIDENCE_KIND_COUNT ? (size_t)e->kind : VOC_EVIDENCE_KIND_COUNT;
    /* the room of everything but the strings' bytes, then VOC_JSON_STR_ROOM's six per byte of
     * each short one */
    size_t fixed = EVIDENCE_RUNS + sizeof kind_run[0].s + 3 * VOC_JSON_SIZE_ROOM + VOC_JSON_NUM_ROOM + 2 * VOC_JSON_STR_ROOM(0);
    size_t term_room = term_len <= VOC_JSON_PUT_MAX ? 6 * term_len : 0;
    if (!room(b, &c, fixed + (text_len <= VOC_JSON_PUT_MAX ? 6 * text_len : 0) + term_room)) goto done;
    if (!first) *c.o++ = ',';
    *c.o++ = '{';
    const voc_turn *t = doc->n_turns ? rebase(doc, &start, &end) : NULL;
    if (t) {
        W("\"turn\":");
        c.o = voc__json_put_size(c.o, t->index);
        *c.o++ = ',';
    }
    W("\"start\":");
    c.o = voc__json_put_size(c.o, start);
    W(",\"end\":");
    c.o = voc__json_put_size(c.o, end);
    W(",\"text\":");
    if (!entry_str(b, &c, r->text + e->start, text_len, fixed + term_room)) goto done;
    memcpy(c.o, kind_run[kind].s, sizeof kind_run[0].s); /* the whole padded entry, then past its run */
    c.o += kind_run[kind].len;
    if (!e->term) W("null");
    else if (!entry_str(b, &c, e->term, term_len, fixed)) goto done;
    W(",\"weight\":");
    c.o = voc__json_put_num(c.o, e->weight);
    *c.o++ = '}';
done:
    *cp = c;
}
#undef W
#undef EVIDENCE_RUNS

int voc__record_json(const voc_analyzer *a, const voc_doc *doc, const char *record_id,
                     const voc_result *r, voc_buf *b)
{
    cursor c = cursor_start(b, 2048);
    if (!c.o) return VOC_ENOMEM;
    PUT("{\"schema\":\"vocmine.record/1\",\"record_id\":");
    STR_OR_NULL_THEN(record_id, ",\"id\":");
    STR_OR_NULL_THEN(doc->id, ",\"customer_id\":");
    STR_OR_NULL_THEN(doc->customer_id, ",\"channel\":");
    STR_OR_NULL_THEN(doc->channel && *doc->channel ? doc->channel : "text", ",\"time\":");
    STR_OR_NULL(doc->time);
    if (doc->platform) {
        PUT(",\"platform\":");
        STR_OR_NULL(doc->platform);
    }
    PUT(",\"lang\":");
    if (r->label >= VOC_NEGATIVE && r->label <= VOC_POSITIVE) {
        STR_OR_NULL(r->lang);
        put(b, &c, label_run[r->label].s, label_run[r->label].len);
    } else {
        STR_OR_NULL_THEN(r->lang, ",\"sentiment\":{\"label\":");
        STR_OR_NULL_THEN(voc_label_name(r->label), ",\"score\":");
    }
    NUM_THEN(r->score, ",\"confidence\":");
    NUM_THEN(r->confidence, ",\"probs\":{\"negative\":");
    NUM_THEN(r->probs[VOC_NEGATIVE], ",\"neutral\":");
    NUM_THEN(r->probs[VOC_NEUTRAL], ",\"positive\":");
    NUM_THEN(r->probs[VOC_POSITIVE], "}},\"emotions\":[");
    for (size_t i = 0; i < r->n_emotions; i++) {
        if (i) PUT(",{\"id\":");
        else PUT("{\"id\":");
        STR_OR_NULL_THEN(r->emotions[i].id, ",\"score\":");
        NUM_THEN(r->emotions[i].score, "}");
    }
    PUT("],\"topics\":[");
    for (size_t i = 0; i < r->n_topics; i++) {
        const voc_topic_result *t = &r->topics[i];
        if (i) PUT(",{\"id\":");
        else PUT("{\"id\":");
        STR_OR_NULL_THEN(t->id, ",\"score\":");
        NUM_THEN(t->score, ",\"sentiment\":");
        NUM_THEN(t->sentiment, ",\"spans\":[");
        for (size_t k = 0; k < t->n_spans; k++) {
            if (k) PUT(",");
            span_array(b, &c, doc, t->spans[k].start, t->spans[k].end);
        }
        PUT("]}");
    }
    PUT("],\"flags\":[");
    for (size_t i = 0; i < r->n_flags; i++) {
        const voc_flag_result *f = &r->flags[i];
        if (i) PUT(",{\"id\":");
        else PUT("{\"id\":");
        STR_OR_NULL_THEN(voc_flag_name(f->id), ",\"severity\":");
        STR_OR_NULL_THEN(voc_severity_name(f->severity), ",\"reasons\":[");
        for (size_t k = 0; k < f->n_reasons; k++) {
            if (k) PUT(",");
            STR_OR_NULL(f->reasons[k]);
        }
        PUT("],\"spans\":[");
        for (size_t k = 0; k < f->n_spans; k++) {
            if (k) PUT(",");
            span_array(b, &c, doc, f->spans[k].start, f->spans[k].end);
        }
        PUT("]}");
    }
    PUT("]");
    if (r->has_trajectory) c = trajectory(b, c, r);
    c = metrics(b, c, doc);
    PUT(",\"evidence\":[");
    for (size_t i = 0; i < r->n_evidence; i++) put_evidence(b, &c, doc, r, &r->evidence[i], i == 0);
    PUT("],\"warnings\":[");
    for (int i = 0, n = 0; r->warnings && i < VOC_WARNING_COUNT; i++) /* most records have none */
        if (r->warnings & (1u << i)) {
            if (n++) PUT(",");
            STR_OR_NULL(voc_warning_name(i));
        }
    PUT("],\"analyzer\":{\"version\":\"" VOC_VERSION "\",\"lexicons\":");
    STR_OR_NULL_THEN(voc_analyzer_lexicon_summary(a), "}}");
    return cursor_finish(b, c);
}

int voc_record_write_json(const voc_analyzer *a, const voc_doc *doc, const char *record_id,
                          const voc_result *r, voc_sink sink, void *user)
{
    if (!a || !doc || !r || !sink) return VOC_EINVAL;
    voc_buf own = {0}, *b = voc__thread_scratch();
    if (!b) b = &own;
    int rc = voc__record_json(a, doc, record_id, r, b);
    if (!rc) rc = sink(user, b->data, b->len);
    voc__buf_free(&own);
    return rc < 0 ? rc : VOC_OK;
}

int voc__error_json(const char *id, const char *input, const char *message, voc_buf *b)
{
    VOC_JSON_LIT(b, "{\"schema\":\"vocmine.error/1\",\"id\":");
    str_or_null(b, id);
    VOC_JSON_LIT(b, ",\"input\":");
    str_or_null(b, input);
    VOC_JSON_LIT(b, ",\"error\":");
    str_or_null(b, message);
    VOC_JSON_LIT(b, "}");
    return voc__json_ok(b);
}

int voc_error_write_json(const char *id, const char *input, const char *message, voc_sink sink,
                         void *user)
{
    if (!sink) return VOC_EINVAL;
    voc_buf b = {0};
    int rc = voc__error_json(id, input, message, &b);
    if (!rc) rc = sink(user, b.data, b.len);
    voc__buf_free(&b);
    return rc < 0 ? rc : VOC_OK;
}

int voc_tokens_write_json(const voc_doc *doc, const voc_result *r, voc_sink sink, void *user)
{
    if (!doc || !r || !sink) return VOC_EINVAL;
    voc_buf b = {0};
    voc__buf_reserve(&b, 256 + r->n_tokens * 96);
    VOC_JSON_LIT(&b, "{\"id\":");
    str_or_null(&b, doc->id);
    VOC_JSON_LIT(&b, ",\"lang\":");
    str_or_null(&b, r->lang);
    VOC_JSON_LIT(&b, ",\"sentences\":[");
    for (size_t i = 0; i < r->n_sentences; i++) {
        voc__json_raw(&b, i ? ",[" : "[");
        voc__json_size(&b, r->sentences[i].start);
        VOC_JSON_LIT(&b, ",");
        voc__json_size(&b, r->sentences[i].end);
        VOC_JSON_LIT(&b, "]");
    }
    VOC_JSON_LIT(&b, "],\"tokens\":[");
    for (size_t i = 0; i < r->n_tokens; i++) {
        const voc_token *t = &r->tokens[i];
        voc__json_raw(&b, i ? ",{\"start\":" : "{\"start\":");
        voc__json_size(&b, t->start);
        VOC_JSON_LIT(&b, ",\"end\":");
        voc__json_size(&b, t->end);
        VOC_JSON_LIT(&b, ",\"type\":");
        str_or_null(&b, voc_token_type_name(t->type));
        VOC_JSON_LIT(&b, ",\"norm\":");
        voc__json_str(&b, t->norm, t->norm_len);
        if (t->stem) {
            VOC_JSON_LIT(&b, ",\"stem\":");
            voc__json_str(&b, t->stem, t->stem_len);
        }
        if (t->flags & (VOC_TOKEN_CAPS | VOC_TOKEN_ELONGATED)) {
            VOC_JSON_LIT(&b, ",\"emphasis\":[");
            if (t->flags & VOC_TOKEN_CAPS) VOC_JSON_LIT(&b, "\"caps\"");
            if (t->flags & VOC_TOKEN_ELONGATED)
                voc__json_raw(&b, (t->flags & VOC_TOKEN_CAPS) ? ",\"elongated\"" : "\"elongated\"");
            VOC_JSON_LIT(&b, "]");
        }
        VOC_JSON_LIT(&b, "}");
    }
    VOC_JSON_LIT(&b, "]");
    if (r->warnings) {
        VOC_JSON_LIT(&b, ",\"warnings\":[");
        int n = 0;
        for (int i = 0; i < VOC_WARNING_COUNT; i++)
            if (r->warnings & (1u << i)) {
                if (n++) VOC_JSON_LIT(&b, ",");
                str_or_null(&b, voc_warning_name(i));
            }
        VOC_JSON_LIT(&b, "]");
    }
    VOC_JSON_LIT(&b, "}");
    int rc = voc__json_ok(&b);
    if (!rc) rc = sink(user, b.data, b.len);
    voc__buf_free(&b);
    return rc < 0 ? rc : VOC_OK;
}
