/* readers/input.c — JSON Lines units → documents (jsonl, social posts, and chat through
 * chat.c), the text format, and the storage every parsed input owns.
 *
 * A JSON object per line is parsed with json-c (Debian's libjson-c; three times faster than
 * jansson here, see README.md "JSON parsing"), fields mapped by name.  "text": the line is
 * the document, its id "file:line".  Either way the input owns its strings, so worker
 * threads parse units independently.  A line that is not a JSON object, or lacks a string
 * text field, becomes an error naming file, line and byte offset; the caller writes a
 * vocmine.error/1 record and goes on. */
#include "parse.h"

#include <json-c/json.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- what a parsed input owns ---------------------------------------------------------- */

void voc_input_clear(voc_input *in)
{
    if (!in) return;
    voc_input_storage *st = in->priv;
    if (st) {
        if (st->json) json_object_put(st->json);
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
    in->priv = calloc(1, sizeof(voc_input_storage));
    return in->priv ? VOC_OK : VOC_ENOMEM;
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

/* ---- json-c ---------------------------------------------------------------------------- */

/* A JSON array of strings as "a,b,c" (NULL when the field is not an array). */
static int join_array(json_object *arr, char **out)
{
    *out = NULL;
    if (!json_object_is_type(arr, json_type_array)) return 0;
    size_t n = json_object_array_length(arr), len = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *v = json_object_array_get_idx(arr, i);
        if (json_object_is_type(v, json_type_string)) len += (size_t)json_object_get_string_len(v) + 1;
    }
    char *s = malloc(len + 1);
    if (!s) return -1;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *v = json_object_array_get_idx(arr, i);
        if (!json_object_is_type(v, json_type_string)) continue;
        size_t l = (size_t)json_object_get_string_len(v);
        if (used) s[used++] = ',';
        memcpy(s + used, json_object_get_string(v), l);
        used += l;
    }
    s[used] = '\0';
    *out = s;
    return 0;
}

/* One json-c tokener per thread, reused line after line (freed when the thread exits). */
static pthread_key_t tokener_key;
static pthread_once_t tokener_once = PTHREAD_ONCE_INIT;
static int tokener_key_ok;

static void tokener_free(void *p) { json_tokener_free(p); }
static void tokener_init(void) { tokener_key_ok = pthread_key_create(&tokener_key, tokener_free) == 0; }

static json_tokener *thread_tokener(bool *owned)
{
    pthread_once(&tokener_once, tokener_init);
    *owned = false;
    json_tokener *tok = tokener_key_ok ? pthread_getspecific(tokener_key) : NULL;
    if (tok) {
        json_tokener_reset(tok);
        return tok;
    }
    tok = json_tokener_new();
    if (tok && (!tokener_key_ok || pthread_setspecific(tokener_key, tok) != 0)) *owned = true;
    return tok;
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

static json_object *field(json_object *obj, const char *name)
{
    json_object *v = NULL;
    return json_object_object_get_ex(obj, name, &v) ? v : NULL;
}

/* A string field, or a number rendered as text (ids are often numeric). */
static const char *field_text(json_object *obj, const char *name, char **owned)
{
    json_object *v = name ? field(obj, name) : NULL;
    if (!v) return NULL;
    if (json_object_is_type(v, json_type_string)) return json_object_get_string(v);
    if (json_object_is_type(v, json_type_int)) {
        free(*owned);
        *owned = malloc(32);
        if (*owned) snprintf(*owned, 32, "%lld", (long long)json_object_get_int64(v));
        return *owned;
    }
    return NULL;
}

/* Gold flags, [{"id":"churn_risk","severity":"high"},"dismay"] → "churn_risk:high,dismay"
 * (*out NULL when arr is not an array; entries without a string id are skipped). */
static int join_flags(json_object *arr, char **out)
{
    *out = NULL;
    if (!json_object_is_type(arr, json_type_array)) return 0;
    size_t n = json_object_array_length(arr), len = 1;
    for (size_t pass = 0; pass < 2; pass++) {
        size_t used = 0;
        for (size_t i = 0; i < n; i++) {
            json_object *v = json_object_array_get_idx(arr, i), *id = v, *sev = NULL;
            if (json_object_is_type(v, json_type_object)) {
                id = field(v, "id");
                sev = field(v, "severity");
                if (!json_object_is_type(sev, json_type_string)) sev = NULL;
            }
            if (!json_object_is_type(id, json_type_string)) continue;
            size_t il = (size_t)json_object_get_string_len(id);
            size_t sl = sev ? (size_t)json_object_get_string_len(sev) : 0;
            if (pass == 0) { len += il + sl + 2; continue; }
            if (used) (*out)[used++] = ',';
            memcpy(*out + used, json_object_get_string(id), il);
            used += il;
            if (sev) {
                (*out)[used++] = ':';
                memcpy(*out + used, json_object_get_string(sev), sl);
                used += sl;
            }
        }
        if (pass == 0 && !(*out = malloc(len))) return -1;
        if (pass == 1) (*out)[used] = '\0';
    }
    return 0;
}

static const char *string_field(json_object *obj, const char *name)
{
    json_object *v = field(obj, name);
    return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* The document text: the text field, or several joined by line breaks. */
static int fill_text(const voc_reader_options *opts, json_object *root, voc_input *in,
                     const char *source, size_t line, voc_error *err)
{
    voc_input_storage *st = in->priv;
    const char *text_field = opts->text_field ? opts->text_field : "text";
    json_object *text = field(root, text_field);
    if (!text || !json_object_is_type(text, json_type_string))
        return voc__fail(err, VOC_EFIELD, source, line, 0, "field \"%s\" %s", text_field,
                         text ? "is not a string" : "is missing");
    in->doc.text = json_object_get_string(text);
    in->doc.text_len = (size_t)json_object_get_string_len(text);
    if (!opts->n_text_fields) return VOC_OK;
    voc_buf joined = {0};
    voc__buf_append(&joined, in->doc.text, in->doc.text_len);
    for (size_t i = 0; i < opts->n_text_fields && i < VOC_MAX_TEXT_FIELDS; i++) {
        json_object *more = field(root, opts->text_fields[i]);
        if (!json_object_is_type(more, json_type_string) || !json_object_get_string_len(more)) continue;
        if (joined.len) voc__buf_append(&joined, "\n", 1);
        voc__buf_append(&joined, json_object_get_string(more), (size_t)json_object_get_string_len(more));
    }
    if (joined.failed || voc__buf_reserve(&joined, 1)) {
        voc__buf_free(&joined);
        return voc__fail(err, VOC_ENOMEM, source, line, 0, "out of memory");
    }
    st->text = joined.data;
    in->doc.text = joined.data;
    in->doc.text_len = joined.len;
    return VOC_OK;
}

int voc__parse_json_unit(const voc_reader_options *opts, int format, const char *source,
                         size_t line, const char *data, size_t len, voc_input *in, voc_error *err)
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
    /* json-c keeps invalid UTF-8 inside strings as it is (the analyzer repairs the text
     * with a warning, the JSON writer repairs other fields), but a raw NUL ends its input:
     * such a line is repaired (U+FFFD) before parsing, and the record says so, rather than
     * losing the whole message. */
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
    bool owned;
    json_tokener *tok = thread_tokener(&owned);
    if (!tok) goto nomem;
    json_object *root = json_tokener_parse_ex(tok, data ? data : "", (int)len);
    st->json = root;
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    if (owned) json_tokener_free(tok);
    int rc;
    if (!root || jerr != json_tokener_success) {
        const char *why = jerr == json_tokener_continue ? "unexpected end of line"
                                                        : json_tokener_error_desc(jerr);
        size_t at = warnings ? original_offset(orig, orig_len, end) : end;
        voc_input_clear(in);
        return voc__fail(err, VOC_EPARSE, source, line, at, "invalid JSON: %s", why);
    }
    while (end < len && (data[end] == ' ' || data[end] == '\t' || data[end] == '\r')) end++;
    if (end < len) {
        size_t at = warnings ? original_offset(orig, orig_len, end) : end;
        voc_input_clear(in);
        return voc__fail(err, VOC_EPARSE, source, line, at, "invalid JSON: text after the object");
    }
    if (!json_object_is_type(root, json_type_object)) {
        voc_input_clear(in);
        return voc__fail(err, VOC_EPARSE, source, line, 0, "expected a JSON object");
    }
    if (format == VOC_FMT_CHAT) rc = voc__chat_fill(opts, root, in, source, line, err);
    else rc = fill_text(opts, root, in, source, line, err);
    if (rc) {
        voc_input_clear(in);
        return rc;
    }
    in->doc.input_warnings |= warnings;
    const char *id_field = opts->id_field ? opts->id_field : "id";
    in->doc.id = field_text(root, id_field, &st->id);
    if (!in->doc.id && format == VOC_FMT_CHAT && !opts->id_field)
        in->doc.id = field_text(root, "conversation_id", &st->id);
    in->has_own_id = in->doc.id != NULL;
    if (!in->doc.id) {
        if (!(st->id = voc__file_line_id(source, line))) goto nomem;
        in->doc.id = st->id;
    }
    const char *customer_field = opts->customer_field ? opts->customer_field
                                 : format == VOC_FMT_SOCIAL ? "handle" : "customer_id";
    in->doc.customer_id = field_text(root, customer_field, &st->customer);
    const char *time_field = opts->time_field ? opts->time_field : "time";
    if (!in->doc.time) in->doc.time = string_field(root, time_field); /* chat may have set it */
    if (voc__input_set_time(in, in->doc.time)) goto nomem;
    static const char *const default_channel[VOC_FMT_COUNT] = {
        [VOC_FMT_JSONL] = "text", [VOC_FMT_CHAT] = "chat", [VOC_FMT_SOCIAL] = "social"};
    if (opts->channel) {
        in->doc.channel = opts->channel;
    } else {
        const char *c = string_field(root, opts->channel_field ? opts->channel_field : "channel");
        in->doc.channel = c ? c : default_channel[format] ? default_channel[format] : "text";
    }
    if (format == VOC_FMT_SOCIAL)
        in->doc.platform = string_field(root, opts->platform_field ? opts->platform_field : "platform");
    if (opts->metric_field) {
        json_object *m = field(root, opts->metric_field);
        if (json_object_is_type(m, json_type_string))
            voc__input_set_metric(in, opts->metric_kind, json_object_get_string(m),
                                  (size_t)json_object_get_string_len(m), true);
        else if (json_object_is_type(m, json_type_int) || json_object_is_type(m, json_type_double)) {
            char num[40];
            int n = snprintf(num, sizeof num, "%.17g", json_object_get_double(m));
            voc__input_set_metric(in, opts->metric_kind, num, (size_t)n, true);
        } else if (m && !json_object_is_type(m, json_type_null)) {
            in->doc.input_warnings |= VOC_WARN_METRIC_RANGE;
        }
    }
    in->label = string_field(root, opts->label_field ? opts->label_field : "label");
    json_object *score = field(root, opts->score_field ? opts->score_field : "score");
    if (json_object_is_type(score, json_type_double) || json_object_is_type(score, json_type_int)) {
        in->gold_score = json_object_get_double(score);
        in->has_gold_score = 1;
    }
    /* gold sets only when asked for (eval): analyze need not look them up on every line */
    if ((opts->topics_field && join_array(field(root, opts->topics_field), &st->gold_topics)) ||
        (opts->emotions_field && join_array(field(root, opts->emotions_field), &st->gold_emotions)) ||
        (opts->flags_field && join_flags(field(root, opts->flags_field), &st->gold_flags)))
        goto nomem;
    in->gold_topics = st->gold_topics;
    in->gold_emotions = st->gold_emotions;
    in->gold_flags = st->gold_flags;
    in->lang_hint = string_field(root, "lang");
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
    return voc__parse_json_unit(opts, format, source, line, data, len, in, err);
}
