/* readers/input.c — JSON Lines units → documents (jsonl, social posts, and chat through
 * chat.c), the text format, and the storage every parsed input owns.
 *
 * A JSON object per line is parsed by json_read.c (one copy of the line, no object per
 * value), fields mapped by name: the names the options give are handed to the parser, which
 * builds nodes only for those members and skips the others (a tweet export's fifteen fields,
 * of which a few are read); a social post's text ends before a PTT footer (ptt_body_len).
 * The text format: the line is the document, its id "file:line".  Either way the input owns
 * its strings, so worker threads parse units independently.  A line that is not a JSON
 * object, or lacks a string text field, becomes an error naming file, line and byte offset;
 * the caller writes a vocmine.error/1 record and goes on. */
#define _GNU_SOURCE 1 /* memmem; 1, the value -D_GNU_SOURCE gives: no redefinition warning where it is passed */
#include "parse.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- what a parsed input owns ---------------------------------------------------------- */

void voc_input_clear(voc_input *in)
{
    if (!in) return;
    voc_input_storage *st = in->priv;
    if (st) {
        voc__json_free(&st->json);
        free(st->id);
        free(st->customer);
        free(st->time);
        free(st->text);
        free(st->line);
        free(st->gold_topics);
        free(st->gold_emotions);
        free(st->gold_flags);
        free(st->turns);
        free(st->fields);
        free(st->field_off);
        free(st);
    }
    memset(in, 0, sizeof *in);
}

int voc__input_begin(voc_input *in)
{
    memset(in, 0, sizeof *in);
    /* malloc, then zeroed, not calloc: glibc's calloc bypasses the per-thread cache of freed
     * blocks, so every input paid the allocator's slow path twice (here and at the free:
     * some 230 instructions).  Zeroed by assignment: GCC turns malloc + memset back into
     * calloc. */
    voc_input_storage *st = malloc(sizeof *st);
    if (!st) return VOC_ENOMEM;
    *st = (voc_input_storage){0};
    in->priv = st;
    return VOC_OK;
}

int voc__input_take_text(voc_input *in, voc_buf *text)
{
    voc_input_storage *st = in->priv;
    size_t len = text->len;
    char *s = voc__buf_take(text);
    if (!s) return VOC_ENOMEM;
    free(st->text);
    st->text = s;
    in->doc.text = s;
    in->doc.text_len = len;
    return VOC_OK;
}

char *voc__file_line_id(const char *source, size_t line)
{
    size_t n = strlen(source) + 32;
    char *id = malloc(n);
    if (id) snprintf(id, n, "%s:%zu", source, line);
    return id;
}

int voc__input_set_time(voc_input *in, const char *time)
{
    voc_input_storage *st = in->priv;
    in->doc.time = time;
    if (!time) return VOC_OK;
    size_t len = strlen(time);
    size_t n = voc__time_normalize(time, len, st->time_iso, sizeof st->time_iso);
    if (n && (len != n || memcmp(time, st->time_iso, n))) in->doc.time = st->time_iso;
    return VOC_OK;
}

void voc__input_set_metric(voc_input *in, int kind, const char *text, size_t len, bool present)
{
    if (!present || !text) return;
    while (len && (*text == ' ' || *text == '\t')) text++, len--;
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\r')) len--;
    if (!len) return; /* a question left unanswered: no metric, nothing wrong */
    char tmp[64];
    double v = 0;
    char *end = tmp;
    if (len < sizeof tmp) {
        memcpy(tmp, text, len);
        tmp[len] = '\0';
        v = strtod(tmp, &end);
    }
    if (kind < VOC_METRIC_NPS || kind > VOC_METRIC_CES) kind = VOC_METRIC_NPS;
    double lo = kind == VOC_METRIC_NPS ? 0 : 1;
    double hi = kind == VOC_METRIC_NPS ? 10 : kind == VOC_METRIC_CSAT ? 5 : 7;
    if (end == tmp || *end || !(v >= lo && v <= hi)) {
        in->doc.input_warnings |= VOC_WARN_METRIC_RANGE;
        return;
    }
    in->doc.metric_kind = kind;
    in->doc.metric_value = v;
}

/* ---- fields of a parsed line ------------------------------------------------------------ */

/* A JSON array of strings as "a,b,c" (NULL when the field is not an array). */
static int join_array(const voc_json *j, const voc_json_node *arr, char **out)
{
    *out = NULL;
    if (!arr || arr->type != VOC_JSON_ARRAY) return 0;
    voc_buf b = {0};
    for (const voc_json_node *v = voc__json_first(j, arr); v; v = voc__json_next(j, v)) {
        size_t l;
        const char *str = voc__json_string(j, v, &l);
        if (!str) continue;
        if (b.len) voc__buf_append(&b, ",", 1);
        voc__buf_append(&b, str, l);
    }
    *out = voc__buf_take(&b);
    return *out ? 0 : -1;
}

/* The offset in the line as read of byte `at` of its repaired copy (each bad byte became
 * the three bytes of U+FFFD), so error records point at the input's own bytes. */
static size_t original_offset(const char *orig, size_t len, size_t at)
{
    size_t i = 0, r = 0;
    while (i < len && r < at) {
        size_t adv;
        int32_t cp = voc__utf8_decode((const unsigned char *)orig, len, i, &adv);
        r += cp <= 0 ? 3 : adv;
        i += adv;
    }
    return i;
}

/* A string field, or an integer rendered as its digits (ids are often numeric). */
static const char *field_text(const voc_json *j, const voc_json_node *v)
{
    if (!v) return NULL;
    if (v->type == VOC_JSON_STRING) return j->text + v->val;
    return voc__json_is_integer(j, v) ? j->text + v->val : NULL; /* its digits, NUL-terminated */
}

/* Gold flags, [{"id":"churn_risk","severity":"high"},"dismay"] → "churn_risk:high,dismay"
 * (*out NULL when arr is not an array; entries without a string id are skipped). */
static int join_flags(const voc_json *j, const voc_json_node *arr, char **out)
{
    *out = NULL;
    if (!arr || arr->type != VOC_JSON_ARRAY) return 0;
    voc_buf b = {0};
    for (const voc_json_node *v = voc__json_first(j, arr); v; v = voc__json_next(j, v)) {
        const voc_json_node *id = v, *sev = NULL;
        if (v->type == VOC_JSON_OBJECT) {
            id = voc__json_get(j, v, "id");
            sev = voc__json_get(j, v, "severity");
        }
        size_t il, sl = 0;
        const char *ids = voc__json_string(j, id, &il), *sevs = voc__json_string(j, sev, &sl);
        if (!ids) continue;
        if (b.len) voc__buf_append(&b, ",", 1);
        voc__buf_append(&b, ids, il);
        if (sevs) {
            voc__buf_append(&b, ":", 1);
            voc__buf_append(&b, sevs, sl);
        }
    }
    *out = voc__buf_take(&b);
    return *out ? 0 : -1;
}

/* ---- the fields of a line that are read ------------------------------------------------
 * The names are looked up once, while the line is parsed (voc__json_parse_only): only these
 * members of the object get nodes, the others are checked and skipped, and each field below
 * is then one array access instead of a walk over the object's members. */

enum { W_TEXT, W_ID, W_CONVERSATION_ID, W_CUSTOMER, W_TIME, W_CHANNEL, W_PLATFORM, W_METRIC,
       W_LABEL, W_SCORE, W_TOPICS, W_EMOTIONS, W_FLAGS, W_LANG, W_TURNS, W_MORE_TEXT,
       W_COUNT = W_MORE_TEXT + VOC_MAX_TEXT_FIELDS };
_Static_assert(W_COUNT <= VOC_INPUT_FIELDS && W_COUNT <= VOC_JSON_MAX_WANTED, "more fields than slots");

/* A line's members by field: the slots voc__json_parse_only filled for the prepared names. */
typedef struct fields {
    const voc_input_fields *f;
    uint32_t slot[VOC_JSON_MAX_WANTED];  /* node of each name's member, 0: absent */
} fields;

static void want(const char **names, size_t *n, voc_input_fields *f, int w, const char *name)
{
    f->at[w] = name ? (int)*n : -1;
    if (name) names[(*n)++] = name;
}

/* The member a field names (the last of that name), NULL when the line has none. */
static const voc_json_node *member(const voc_json *j, const fields *m, int w)
{
    int k = m->f->at[w];
    return k >= 0 && m->slot[k] ? &j->node[m->slot[k]] : NULL;
}

static const char *string_member(const voc_json *j, const fields *m, int w)
{
    return voc__json_string(j, member(j, m, w), NULL);
}

void voc__input_fields_init(const voc_reader_options *opts, int format, voc_input_fields *f)
{
    const char *names[W_COUNT];
    size_t n = 0;
    want(names, &n, f, W_TEXT, opts->text_field ? opts->text_field : "text");
    want(names, &n, f, W_ID, opts->id_field ? opts->id_field : "id");
    want(names, &n, f, W_CONVERSATION_ID, format == VOC_FMT_CHAT && !opts->id_field ? "conversation_id" : NULL);
    want(names, &n, f, W_CUSTOMER, opts->customer_field ? opts->customer_field
                                   : format == VOC_FMT_SOCIAL ? "handle" : "customer_id");
    want(names, &n, f, W_TIME, opts->time_field ? opts->time_field : "time");
    want(names, &n, f, W_CHANNEL, opts->channel ? NULL : opts->channel_field ? opts->channel_field : "channel");
    want(names, &n, f, W_PLATFORM, format != VOC_FMT_SOCIAL ? NULL : opts->platform_field ? opts->platform_field : "platform");
    want(names, &n, f, W_METRIC, opts->metric_field);
    want(names, &n, f, W_LABEL, opts->label_field ? opts->label_field : "label");
    want(names, &n, f, W_SCORE, opts->score_field ? opts->score_field : "score");
    /* gold sets only when asked for (eval) */
    want(names, &n, f, W_TOPICS, opts->topics_field);
    want(names, &n, f, W_EMOTIONS, opts->emotions_field);
    want(names, &n, f, W_FLAGS, opts->flags_field);
    want(names, &n, f, W_LANG, "lang");
    want(names, &n, f, W_TURNS, format != VOC_FMT_CHAT ? NULL : opts->turns_field ? opts->turns_field : "turns");
    for (size_t i = 0; i < VOC_MAX_TEXT_FIELDS; i++)
        want(names, &n, f, W_MORE_TEXT + (int)i, i < opts->n_text_fields ? opts->text_fields[i] : NULL);
    voc__json_names_init(&f->names, names, n); /* n ≤ W_COUNT ≤ VOC_JSON_MAX_WANTED */
}

/* The document text: the text field, or several joined by line breaks. */
static int fill_text(const voc_reader_options *opts, const voc_json *j, const fields *m, voc_input *in,
                     const char *source, size_t line, voc_error *err)
{
    const char *text_field = opts->text_field ? opts->text_field : "text";
    const voc_json_node *text = member(j, m, W_TEXT);
    if (!text || text->type != VOC_JSON_STRING)
        return voc__fail(err, VOC_EFIELD, source, line, 0, "field \"%s\" %s", text_field,
                         text ? "is not a string" : "is missing");
    in->doc.text = voc__json_string(j, text, &in->doc.text_len);
    if (!opts->n_text_fields) return VOC_OK;
    voc_buf joined = {0};
    voc__buf_append(&joined, in->doc.text, in->doc.text_len);
    for (size_t i = 0; i < opts->n_text_fields && i < VOC_MAX_TEXT_FIELDS; i++) {
        size_t ml = 0;
        const char *more = voc__json_string(j, member(j, m, W_MORE_TEXT + (int)i), &ml);
        if (!more || !ml) continue;
        if (joined.len) voc__buf_append(&joined, "\n", 1);
        voc__buf_append(&joined, more, ml);
    }
    if (voc__input_take_text(in, &joined)) return voc__fail(err, VOC_ENOMEM, source, line, 0, "out of memory");
    return VOC_OK;
}

/* Whether the line at t[0, len) opens a PTT footer: the site stamp "※ " (發信站, 文章網址) or
 * a push, "推 ", "噓 " or "→ " then a user id and ':'. */
static bool ptt_footer_line(const char *t, size_t len)
{
    static const char *const marks[] = {"\xE2\x80\xBB ", "\xE6\x8E\xA8 ", "\xE5\x99\x93 ", "\xE2\x86\x92 "}; /* ※ 推 噓 → */
    for (size_t k = 0; k < sizeof marks / sizeof *marks; k++) {
        size_t m = strlen(marks[k]);
        if (len < m || memcmp(t, marks[k], m)) continue;
        if (k == 0) return true;
        size_t i = m; /* a push: a user id, then ':' */
        while (i < len && voc__ascii_word_char(t[i]) /* a PTT user id */) i++;
        return i > m && i < len && t[i] == ':';
    }
    return false;
}

/* A PTT post's own words: its text up to the board's footer, a line "--" followed by the
 * site stamp ("※ 發信站: 批踢踢實業坊…") or the pushes (推 / 噓 / → lines of other users).
 * What follows is the signature, the article's address and other people's replies, not the
 * author's message.  Spans stay offsets into the full text: only its length changes. */
static size_t ptt_body_len(const char *text, size_t len)
{
    if (!text) return len;
    for (const char *p = text; (p = memmem(p, len - (size_t)(p - text), "\n--", 3)) != NULL; p += 3) {
        const char *q = p + 3, *end = text + len;
        if (q < end && *q == '\r') q++;
        if (q >= end || *q != '\n') continue; /* "--" must be the whole line */
        q++;
        const char *eol = memchr(q, '\n', (size_t)(end - q));
        if (!ptt_footer_line(q, (size_t)((eol ? eol : end) - q))) continue;
        size_t cut = (size_t)(p - text);
        return cut && text[cut - 1] == '\r' ? cut - 1 : cut; /* the "\r" of "\r\n--" too */
    }
    return len;
}

int voc__parse_json_unit(const voc_reader_options *opts, int format, const voc_input_fields *prepared,
                         const char *source, size_t line, const char *data, size_t len,
                         voc_input *in, voc_error *err)
{
    if (voc__input_begin(in)) return voc__fail(err, VOC_ENOMEM, source, line, 0, "out of memory");
    voc_input_storage *st = in->priv;
    if (len && data[len - 1] == '\r') len--;
    if (format == VOC_FMT_TEXT) {
        st->text = voc__strndup(data ? data : "", data ? len : 0);
        st->id = voc__file_line_id(source, line);
        if (!st->text || !st->id) goto nomem;
        in->doc.text = st->text;
        in->doc.text_len = len;
        in->doc.id = st->id;
        in->doc.channel = opts->channel ? opts->channel : "text";
        return VOC_OK;
    }
    /* Invalid UTF-8 inside strings is kept as it is (the analyzer repairs the text with a
     * warning, the JSON writer repairs other fields), but a raw NUL is repaired (U+FFFD) before
     * parsing, and the record says so: ids, customer ids and channels are C strings and would
     * end at it. */
    unsigned warnings = 0;
    const char *orig = data;
    size_t orig_len = len;
    if (data && memchr(data, '\0', len)) {
        voc_buf fixed = {0};
        int w = voc__utf8_repair(data, len, &fixed);
        if (w < 0) goto nomem;
        warnings = (unsigned)w; /* invalid_utf8 and/or nul_bytes (a raw NUL in the line) */
        st->line = fixed.data;
        data = fixed.data;
        len = fixed.len;
    }
    /* a byte-order mark may open a file written by Windows tools */
    if (line == 1 && len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) data += 3, len -= 3;
    const voc_json *j = &st->json;
    size_t at;
    const char *why;
    voc_input_fields own;
    if (!prepared) {
        voc__input_fields_init(opts, format, &own);
        prepared = &own;
    }
    fields f; /* slots set by the parse */
    f.f = prepared;
    int rc = voc__json_parse_only(&st->json, data ? data : "", len, &prepared->names, f.slot, &at, &why);
    if (rc == VOC_ENOMEM) goto nomem;
    if (rc) {
        if (warnings) at = original_offset(orig, orig_len, at);
        voc_input_clear(in);
        return voc__fail(err, VOC_EPARSE, source, line, at, "invalid JSON: %s", why);
    }
    const voc_json_node *root = voc__json_root(j);
    if (root->type != VOC_JSON_OBJECT) {
        voc_input_clear(in);
        return voc__fail(err, VOC_EPARSE, source, line, 0, "expected a JSON object");
    }
    if (format == VOC_FMT_CHAT) rc = voc__chat_fill(opts, root, in, source, line, err);
    else rc = fill_text(opts, j, &f, in, source, line, err);
    if (rc) {
        voc_input_clear(in);
        return rc;
    }
    /* every social post, whatever its platform field: the footer test itself is PTT's */
    if (format == VOC_FMT_SOCIAL) in->doc.text_len = ptt_body_len(in->doc.text, in->doc.text_len);
    in->doc.input_warnings |= warnings;
    in->doc.id = field_text(j, member(j, &f, W_ID));
    if (!in->doc.id) in->doc.id = field_text(j, member(j, &f, W_CONVERSATION_ID)); /* chat */
    in->has_own_id = in->doc.id != NULL;
    if (!in->doc.id) {
        if (!(st->id = voc__file_line_id(source, line))) goto nomem;
        in->doc.id = st->id;
    }
    in->doc.customer_id = field_text(j, member(j, &f, W_CUSTOMER));
    if (!in->doc.time) in->doc.time = string_member(j, &f, W_TIME); /* chat may have set it */
    if (voc__input_set_time(in, in->doc.time)) goto nomem;
    static const char *const default_channel[VOC_FMT_COUNT] = {
        [VOC_FMT_JSONL] = "text", [VOC_FMT_CHAT] = "chat", [VOC_FMT_SOCIAL] = "social"};
    if (opts->channel) {
        in->doc.channel = opts->channel;
    } else {
        const char *c = string_member(j, &f, W_CHANNEL);
        in->doc.channel = c ? c : default_channel[format] ? default_channel[format] : "text";
    }
    /* NULL but for social posts, the only format whose fields want it (voc__input_fields_init) */
    in->doc.platform = string_member(j, &f, W_PLATFORM);
    if (opts->metric_field) {
        const voc_json_node *m = member(j, &f, W_METRIC);
        double v;
        if (m && m->type == VOC_JSON_STRING)
            voc__input_set_metric(in, opts->metric_kind, j->text + m->val, m->len, true);
        else if (voc__json_number(j, m, &v)) {
            char num[40];
            int n = snprintf(num, sizeof num, "%.17g", v);
            voc__input_set_metric(in, opts->metric_kind, num, (size_t)n, true);
        } else if (m && m->type != VOC_JSON_NULL) {
            in->doc.input_warnings |= VOC_WARN_METRIC_RANGE;
        }
    }
    in->label = string_member(j, &f, W_LABEL);
    if (voc__json_number(j, member(j, &f, W_SCORE), &in->gold_score) &&
        isfinite(in->gold_score)) /* NaN: a missing score */
        in->has_gold_score = 1;
    /* gold sets only when asked for (eval): analyze need not look them up on every line */
    if ((opts->topics_field && join_array(j, member(j, &f, W_TOPICS), &st->gold_topics)) ||
        (opts->emotions_field && join_array(j, member(j, &f, W_EMOTIONS), &st->gold_emotions)) ||
        (opts->flags_field && join_flags(j, member(j, &f, W_FLAGS), &st->gold_flags)))
        goto nomem;
    in->gold_topics = st->gold_topics;
    in->gold_emotions = st->gold_emotions;
    in->gold_flags = st->gold_flags;
    in->lang_hint = string_member(j, &f, W_LANG);
    return VOC_OK;
nomem:
    voc_input_clear(in);
    return voc__fail(err, VOC_ENOMEM, source, line, 0, "out of memory");
}

int voc_input_parse(const voc_reader_options *opts, const char *source, size_t line,
                    const char *data, size_t len, voc_input *in, voc_error *err)
{
    static const voc_reader_options defaults = {0};
    if (!in) return voc__fail(err, VOC_EINVAL, source, line, 0, "NULL input");
    memset(in, 0, sizeof *in);
    if (!opts) opts = &defaults;
    if (!source) source = "<stdin>";
    int format = opts->format ? voc__format_from_name(opts->format) : VOC_FMT_JSONL;
    if (format != VOC_FMT_JSONL && format != VOC_FMT_TEXT && format != VOC_FMT_SOCIAL &&
        format != VOC_FMT_CHAT)
        return voc__fail(err, VOC_EINVAL, source, line, 0,
                         "format '%s' is not line by line: read it with a voc_reader", opts->format);
    return voc__parse_json_unit(opts, format, NULL, source, line, data, len, in, err);
}
