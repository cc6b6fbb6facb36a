/* record_csv.c — a record flattened to one CSV row, for people who open results in a
 * spreadsheet (`--output-format csv`).
 *
 * One row per document, the columns of voc_record_csv_header: who and where (record_id, id,
 * customer_id, channel, time, lang), the verdict (label, score, confidence), the strongest
 * emotion, the topics with their sentiment ("billing -0.80; delivery +0.20"), the flags with
 * their severity ("churn_risk:high; repeat_contact:medium"), the survey metric, and the words
 * that carried the verdict as written.  RFC 4180: fields with a comma,
 * quote or line break are quoted, quotes doubled, rows end in CRLF (what Excel expects).
 * A text field that would start a formula (=…, or +…/@… with a call in it) gets a leading
 * apostrophe so a spreadsheet does not run it (OWASP's CSV-injection advice). */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static const char header[] = "record_id,id,customer_id,channel,time,lang,label,score,confidence,"
                             "top_emotion,topics,flags,metric,metric_value,metric_group,evidence\r\n";

int voc_record_csv_header(voc_sink sink, void *user)
{
    if (!sink) return VOC_EINVAL;
    int rc = sink(user, header, sizeof header - 1);
    return rc < 0 ? rc : VOC_OK;
}

/* One field; `text` says it came from the input (formula guard applies).  Shared with
 * profile.c's CSV rows. */
void voc__csv_field(voc_buf *b, const char *s, size_t len, bool text, bool first)
{
    if (!first) voc__buf_append(b, ",", 1);
    if (!s) return;
    /* '=' always starts a formula; '+' and '@' only with a call in it ("@SUM(A1)"), so a
     * social handle "@mei" stays as it is */
    bool quote = text && len && (s[0] == '=' || ((s[0] == '+' || s[0] == '@') && memchr(s, '(', len)));
    bool needs = false;
    for (size_t i = 0; i < len && !needs; i++)
        needs = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (needs) voc__buf_append(b, "\"", 1);
    if (quote) voc__buf_append(b, "'", 1);
    size_t from = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '"') {
            voc__buf_append(b, s + from, i + 1 - from);
            voc__buf_append(b, "\"", 1);
            from = i + 1;
        }
    voc__buf_append(b, s + from, len - from);
    if (needs) voc__buf_append(b, "\"", 1);
}

static void str(voc_buf *b, const char *s, bool text) { voc__csv_field(b, s, s ? strlen(s) : 0, text, false); }

static void num(voc_buf *b, double v, const char *fmt)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, fmt, v);
    voc__csv_field(b, tmp, n > 0 ? (size_t)n : 0, false, false);
}

/* Is evidence e one of the CSV's "evidence" words: lexicon terms and rule triggers, or the
 * model's stronger n-grams when the rules found nothing? */
static bool evidence_shown(const voc_result *r, const voc_evidence *e, bool any_rule)
{
    bool kind = any_rule ? e->kind == VOC_EVIDENCE_LEXICON || e->kind == VOC_EVIDENCE_RULE
                         : e->kind == VOC_EVIDENCE_NGRAM && (e->weight >= 0.5 || e->weight <= -0.5);
    return kind && e->end > e->start && e->end <= r->text_len;
}

int voc_record_write_csv(const voc_analyzer *a, const voc_doc *doc, const char *record_id,
                         const voc_result *r, voc_sink sink, void *user)
{
    (void)a;
    if (!doc || !r || !sink) return VOC_EINVAL;
    voc_buf own = {0}, *b = voc__thread_scratch();
    if (!b) b = &own;
    voc_buf list = {0};
    voc__csv_field(b, record_id, record_id ? strlen(record_id) : 0, false, true);
    str(b, doc->id, true);
    str(b, doc->customer_id, true);
    str(b, doc->channel && *doc->channel ? doc->channel : "text", true);
    str(b, doc->time, true);
    str(b, r->lang, false);
    str(b, voc_label_name(r->label), false);
    num(b, r->score, "%.3f");
    num(b, r->confidence, "%.3f");
    str(b, r->n_emotions ? r->emotions[0].id : NULL, false);
    for (size_t i = 0; i < r->n_topics; i++) {
        char tmp[96];
        int n = snprintf(tmp, sizeof tmp, "%s%s %+.2f", i ? "; " : "", r->topics[i].id,
                         r->topics[i].sentiment);
        voc__buf_append(&list, tmp, n > 0 ? (size_t)n : 0);
    }
    voc__csv_field(b, list.data ? list.data : "", list.len, false, false);
    list.len = 0; /* flags, most severe first: "churn_risk:high; repeat_contact:medium" */
    for (size_t i = 0; i < r->n_flags; i++) {
        if (i) voc__buf_append(&list, "; ", 2);
        voc__json_raw(&list, voc_flag_name(r->flags[i].id));
        voc__buf_append(&list, ":", 1);
        voc__json_raw(&list, voc_severity_name(r->flags[i].severity));
    }
    voc__csv_field(b, list.data ? list.data : "", list.len, false, false);
    const char *metric = voc__metric_name(doc->metric_kind);
    str(b, metric, false);
    if (metric) num(b, doc->metric_value, "%g");
    else str(b, NULL, false);
    str(b, voc__metric_group(doc->metric_kind, doc->metric_value), false);
    /* the words that carried the verdict, as written, once each: lexicon terms and rule
     * triggers; the model's n-grams only when the rules found nothing (they are many and
     * mostly small) */
    bool any_rule = false;
    for (size_t i = 0; i < r->n_evidence && !any_rule; i++)
        any_rule = r->evidence[i].kind == VOC_EVIDENCE_LEXICON || r->evidence[i].kind == VOC_EVIDENCE_RULE;
    list.len = 0;
    for (size_t i = 0; i < r->n_evidence && i < 100; i++) {
        const voc_evidence *e = &r->evidence[i];
        if (!evidence_shown(r, e, any_rule)) continue;
        const char *w = r->text + e->start;
        size_t wl = e->end - e->start;
        bool seen = false; /* among the words already listed (not the n-grams left out) */
        for (size_t k = 0; k < i && !seen; k++) {
            const voc_evidence *p = &r->evidence[k];
            seen = evidence_shown(r, p, any_rule) && p->end - p->start == wl &&
                   !memcmp(r->text + p->start, w, wl);
        }
        if (seen) continue;
        if (list.len) voc__buf_append(&list, "; ", 2);
        voc__buf_append(&list, w, wl);
    }
    voc__csv_field(b, list.data ? list.data : "", list.len, true, false);
    voc__buf_append(b, "\r\n", 2);
    int rc = list.failed ? VOC_ENOMEM : voc__json_ok(b);
    voc__buf_free(&list);
    if (!rc) rc = sink(user, b->data, b->len);
    voc__buf_free(&own);
    return rc < 0 ? rc : VOC_OK;
}
