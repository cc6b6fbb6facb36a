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
        for (size_t k_ = 0; k_ < (n); k_++) { h ^= q_[k_]; h *= 1099511628211ULL; }      \
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
    for (int k = 15; k >= 0; k--, h >>= 4) hex[k] = "0123456789abcdef"[h & 15];
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

/* "start":S,"end":E — with ,"turn":T first in a chat, S and E then inside the turn. */
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

static void span_fields(voc_buf *b, const voc_doc *doc, size_t start, size_t end)
{
    const voc_turn *t = rebase(doc, &start, &end);
    if (t) {
        VOC_JSON_LIT(b, "\"turn\":");
        voc__json_size(b, t->index);
        VOC_JSON_LIT(b, ",");
    }
    VOC_JSON_LIT(b, "\"start\":");
    voc__json_size(b, start);
    VOC_JSON_LIT(b, ",\"end\":");
    voc__json_size(b, end);
}

/* [S,E], or [T,S,E] in a chat. */
static void span_array(voc_buf *b, const voc_doc *doc, size_t start, size_t end)
{
    VOC_JSON_LIT(b, "[");
    const voc_turn *t = rebase(doc, &start, &end);
    if (t) {
        voc__json_size(b, t->index);
        VOC_JSON_LIT(b, ",");
    }
    voc__json_size(b, start);
    VOC_JSON_LIT(b, ",");
    voc__json_size(b, end);
    VOC_JSON_LIT(b, "]");
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

static void metrics(voc_buf *b, const voc_doc *doc)
{
    const char *name = voc__metric_name(doc->metric_kind);
    if (!name) return;
    VOC_JSON_LIT(b, ",\"metrics\":{\"");
    voc__json_raw(b, name);
    VOC_JSON_LIT(b, "\":");
    voc__json_num(b, doc->metric_value);
    VOC_JSON_LIT(b, ",\"");
    voc__json_raw(b, name);
    VOC_JSON_LIT(b, "_group\":\"");
    voc__json_raw(b, voc__metric_group(doc->metric_kind, doc->metric_value));
    VOC_JSON_LIT(b, "\"}");
}

/* A chat's first and last customer turn, and which way it went (±0.2 counts as a change). */
static void trajectory(voc_buf *b, const voc_result *r)
{
    const struct voc_turn_sentiment *ends[2] = {&r->first_turn, &r->last_turn};
    VOC_JSON_LIT(b, ",\"trajectory\":{");
    for (int k = 0; k < 2; k++) {
        voc__json_raw(b, k ? ",\"last\":{\"turn\":" : "\"first\":{\"turn\":");
        voc__json_size(b, ends[k]->turn);
        VOC_JSON_LIT(b, ",\"label\":");
        str_or_null(b, voc_label_name(ends[k]->label));
        VOC_JSON_LIT(b, ",\"score\":");
        voc__json_num(b, ends[k]->score);
        VOC_JSON_LIT(b, "}");
    }
    double change = r->last_turn.score - r->first_turn.score;
    VOC_JSON_LIT(b, ",\"change\":");
    voc__json_num(b, change);
    VOC_JSON_LIT(b, ",\"direction\":");
    voc__json_raw(b, change <= -0.2 ? "\"worse\"}" : change >= 0.2 ? "\"better\"}" : "\"steady\"}");
}

int voc__record_json(const voc_analyzer *a, const voc_doc *doc, const char *record_id,
                     const voc_result *r, voc_buf *b)
{
    VOC_JSON_LIT(b, "{\"schema\":\"vocmine.record/1\",\"record_id\":");
    str_or_null(b, record_id);
    VOC_JSON_LIT(b, ",\"id\":");
    str_or_null(b, doc->id);
    VOC_JSON_LIT(b, ",\"customer_id\":");
    str_or_null(b, doc->customer_id);
    VOC_JSON_LIT(b, ",\"channel\":");
    str_or_null(b, doc->channel && *doc->channel ? doc->channel : "text");
    VOC_JSON_LIT(b, ",\"time\":");
    str_or_null(b, doc->time);
    if (doc->platform) {
        VOC_JSON_LIT(b, ",\"platform\":");
        str_or_null(b, doc->platform);
    }
    VOC_JSON_LIT(b, ",\"lang\":");
    str_or_null(b, r->lang);
    VOC_JSON_LIT(b, ",\"sentiment\":{\"label\":");
    str_or_null(b, voc_label_name(r->label));
    VOC_JSON_LIT(b, ",\"score\":");
    voc__json_num(b, r->score);
    VOC_JSON_LIT(b, ",\"confidence\":");
    voc__json_num(b, r->confidence);
    VOC_JSON_LIT(b, ",\"probs\":{\"negative\":");
    voc__json_num(b, r->probs[VOC_NEGATIVE]);
    VOC_JSON_LIT(b, ",\"neutral\":");
    voc__json_num(b, r->probs[VOC_NEUTRAL]);
    VOC_JSON_LIT(b, ",\"positive\":");
    voc__json_num(b, r->probs[VOC_POSITIVE]);
    VOC_JSON_LIT(b, "}},\"emotions\":[");
    for (size_t i = 0; i < r->n_emotions; i++) {
        voc__json_raw(b, i ? ",{\"id\":" : "{\"id\":");
        str_or_null(b, r->emotions[i].id);
        VOC_JSON_LIT(b, ",\"score\":");
        voc__json_num(b, r->emotions[i].score);
        VOC_JSON_LIT(b, "}");
    }
    VOC_JSON_LIT(b, "],\"topics\":[");
    for (size_t i = 0; i < r->n_topics; i++) {
        const voc_topic_result *t = &r->topics[i];
        voc__json_raw(b, i ? ",{\"id\":" : "{\"id\":");
        str_or_null(b, t->id);
        VOC_JSON_LIT(b, ",\"score\":");
        voc__json_num(b, t->score);
        VOC_JSON_LIT(b, ",\"sentiment\":");
        voc__json_num(b, t->sentiment);
        VOC_JSON_LIT(b, ",\"spans\":[");
        for (size_t k = 0; k < t->n_spans; k++) {
            if (k) VOC_JSON_LIT(b, ",");
            span_array(b, doc, t->spans[k].start, t->spans[k].end);
        }
        VOC_JSON_LIT(b, "]}");
    }
    VOC_JSON_LIT(b, "],\"flags\":[");
    for (size_t i = 0; i < r->n_flags; i++) {
        const voc_flag_result *f = &r->flags[i];
        voc__json_raw(b, i ? ",{\"id\":" : "{\"id\":");
        str_or_null(b, voc_flag_name(f->id));
        VOC_JSON_LIT(b, ",\"severity\":");
        str_or_null(b, voc_severity_name(f->severity));
        VOC_JSON_LIT(b, ",\"reasons\":[");
        for (size_t k = 0; k < f->n_reasons; k++) {
            if (k) VOC_JSON_LIT(b, ",");
            str_or_null(b, f->reasons[k]);
        }
        VOC_JSON_LIT(b, "],\"spans\":[");
        for (size_t k = 0; k < f->n_spans; k++) {
            if (k) VOC_JSON_LIT(b, ",");
            span_array(b, doc, f->spans[k].start, f->spans[k].end);
        }
        VOC_JSON_LIT(b, "]}");
    }
    VOC_JSON_LIT(b, "]");
    if (r->has_trajectory) trajectory(b, r);
    metrics(b, doc);
    VOC_JSON_LIT(b, ",\"evidence\":[");
    for (size_t i = 0; i < r->n_evidence; i++) {
        const voc_evidence *e = &r->evidence[i];
        if (i) VOC_JSON_LIT(b, ",");
        VOC_JSON_LIT(b, "{");
        span_fields(b, doc, e->start, e->end);
        VOC_JSON_LIT(b, ",\"text\":"); /* the analyzed text and lexicon terms are valid UTF-8 */
        voc__json_str_utf8(b, r->text + e->start, e->end - e->start);
        VOC_JSON_LIT(b, ",\"kind\":");
        str_or_null(b, voc_evidence_kind_name(e->kind));
        VOC_JSON_LIT(b, ",\"term\":");
        if (e->term) voc__json_str_utf8(b, e->term, strlen(e->term));
        else VOC_JSON_LIT(b, "null");
        VOC_JSON_LIT(b, ",\"weight\":");
        voc__json_num(b, e->weight);
        VOC_JSON_LIT(b, "}");
    }
    VOC_JSON_LIT(b, "],\"warnings\":[");
    int n = 0;
    for (int i = 0; i < VOC_WARNING_COUNT; i++)
        if (r->warnings & (1u << i)) {
            if (n++) VOC_JSON_LIT(b, ",");
            str_or_null(b, voc_warning_name(i));
        }
    VOC_JSON_LIT(b, "],\"analyzer\":{\"version\":\"" VOC_VERSION "\",\"lexicons\":");
    str_or_null(b, voc_analyzer_lexicon_summary(a));
    VOC_JSON_LIT(b, "}}");
    return voc__json_ok(b);
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
