/* readers/input.c — one input line → one document, for the formats read line by line.
 *
 * "jsonl": a JSON object per line, parsed with json-c (Debian's libjson-c; three times faster
 * than jansson here, see README.md "JSON parsing"), fields mapped by name.  "text": the line is the document, its id "file:line".
 * Either way the unit owns its strings, so worker threads parse lines independently.  A line
 * that is not a JSON object, or lacks a string text field, becomes an error naming file, line
 * and byte offset; the caller writes a vocmine.error/1 record and goes on. */
#include "../internal.h"

#include <json-c/json.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct input_storage {
    json_object *root;     /* jsonl: strings point into it */
    char *id;              /* "file:line" or a number rendered as text */
    char *customer;
    char *text;            /* text format: a copy of the line */
    char *gold_topics, *gold_emotions; /* "a,b" joined from JSON arrays */
} input_storage;

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

void voc_input_clear(voc_input *in)
{
    if (!in) return;
    input_storage *st = in->priv;
    if (st) {
        if (st->root) json_object_put(st->root);
        free(st->id);
        free(st->customer);
        free(st->text);
        free(st->gold_topics);
        free(st->gold_emotions);
        free(st);
    }
    memset(in, 0, sizeof *in);
}

static char *file_line_id(const char *source, size_t line)
{
    size_t n = strlen(source) + 32;
    char *id = malloc(n);
    if (id) snprintf(id, n, "%s:%zu", source, line);
    return id;
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

/* A string field, or an integer rendered as text (ids are often numeric). */
static const char *field_text(json_object *obj, const char *name, char **owned)
{
    json_object *v = field(obj, name);
    if (!v) return NULL;
    if (json_object_is_type(v, json_type_string)) return json_object_get_string(v);
    if (json_object_is_type(v, json_type_int)) {
        *owned = malloc(32);
        if (*owned) snprintf(*owned, 32, "%lld", (long long)json_object_get_int64(v));
        return *owned;
    }
    return NULL;
}

int voc_input_parse(const voc_reader_options *opts, const char *source, size_t line,
                    const char *data, size_t len, voc_input *in, voc_error *err)
{
    static const voc_reader_options defaults = {0};
    if (!in) return voc__fail(err, VOC_EINVAL, source, line, 0, "NULL input");
    memset(in, 0, sizeof *in);
    if (!opts) opts = &defaults;
    if (!source) source = "<stdin>";
    if (len && data[len - 1] == '\r') len--;
    input_storage *st = calloc(1, sizeof *st);
    if (!st) return voc__fail(err, VOC_ENOMEM, source, line, 0, "out of memory");
    in->priv = st;
    const char *format = opts->format ? opts->format : "jsonl";
    if (strcmp(format, "text") == 0) {
        st->text = voc__strndup(data ? data : "", data ? len : 0);
        st->id = file_line_id(source, line);
        if (!st->text || !st->id) goto nomem;
        in->doc.text = st->text;
        in->doc.text_len = len;
        in->doc.id = st->id;
        in->doc.channel = opts->channel ? opts->channel : "text";
        return VOC_OK;
    }
    if (strcmp(format, "jsonl") != 0) {
        voc_input_clear(in);
        return voc__fail(err, VOC_EINVAL, source, line, 0, "unknown format '%s' (jsonl, text)", format);
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
        st->text = fixed.data;
        data = fixed.data;
        len = fixed.len;
    }
    bool owned;
    json_tokener *tok = thread_tokener(&owned);
    if (!tok) goto nomem;
    st->root = json_tokener_parse_ex(tok, data ? data : "", (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    if (owned) json_tokener_free(tok);
    if (!st->root || jerr != json_tokener_success) {
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
    if (!json_object_is_type(st->root, json_type_object)) {
        voc_input_clear(in);
        return voc__fail(err, VOC_EPARSE, source, line, 0, "expected a JSON object");
    }
    const char *text_field = opts->text_field ? opts->text_field : "text";
    json_object *text = field(st->root, text_field);
    if (!text || !json_object_is_type(text, json_type_string)) {
        voc_input_clear(in);
        return voc__fail(err, VOC_EFIELD, source, line, 0, "field \"%s\" %s", text_field,
                         text ? "is not a string" : "is missing");
    }
    in->doc.text = json_object_get_string(text);
    in->doc.text_len = (size_t)json_object_get_string_len(text);
    in->doc.input_warnings = warnings;
    in->doc.id = field_text(st->root, opts->id_field ? opts->id_field : "id", &st->id);
    in->has_own_id = in->doc.id != NULL;
    if (!in->doc.id) {
        st->id = file_line_id(source, line);
        if (!st->id) goto nomem;
        in->doc.id = st->id;
    }
    in->doc.customer_id =
        field_text(st->root, opts->customer_field ? opts->customer_field : "customer_id", &st->customer);
    json_object *t = field(st->root, opts->time_field ? opts->time_field : "time");
    in->doc.time = json_object_is_type(t, json_type_string) ? json_object_get_string(t) : NULL;
    if (opts->channel) {
        in->doc.channel = opts->channel;
    } else {
        json_object *c = field(st->root, opts->channel_field ? opts->channel_field : "channel");
        in->doc.channel = json_object_is_type(c, json_type_string) ? json_object_get_string(c) : "text";
    }
    json_object *label = field(st->root, opts->label_field ? opts->label_field : "label");
    in->label = json_object_is_type(label, json_type_string) ? json_object_get_string(label) : NULL;
    json_object *score = field(st->root, opts->score_field ? opts->score_field : "score");
    if (json_object_is_type(score, json_type_double) || json_object_is_type(score, json_type_int)) {
        in->gold_score = json_object_get_double(score);
        in->has_gold_score = 1;
    }
    /* gold sets only when asked for (eval): analyze need not look them up on every line */
    if ((opts->topics_field && join_array(field(st->root, opts->topics_field), &st->gold_topics)) ||
        (opts->emotions_field && join_array(field(st->root, opts->emotions_field), &st->gold_emotions)))
        goto nomem;
    in->gold_topics = st->gold_topics;
    in->gold_emotions = st->gold_emotions;
    json_object *lang = field(st->root, "lang");
    in->lang_hint = json_object_is_type(lang, json_type_string) ? json_object_get_string(lang) : NULL;
    return VOC_OK;
nomem:
    voc_input_clear(in);
    return voc__fail(err, VOC_ENOMEM, source, line, 0, "out of memory");
}
