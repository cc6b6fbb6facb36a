/* readers/input.c — one input line → one document, for the formats read line by line.
 *
 * "jsonl": a JSON object per line, parsed with jansson (a well-kept library; cost measured in
 * README.md), fields mapped by name.  "text": the line is the document, its id "file:line".
 * Either way the unit owns its strings, so worker threads parse lines independently.  A line
 * that is not a JSON object, or lacks a string text field, becomes an error naming file, line
 * and byte offset; the caller writes a vocmine.error/1 record and goes on. */
#include "../internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct input_storage {
    json_t *root;          /* jsonl: strings point into it */
    char *id;              /* "file:line" or a number rendered as text */
    char *customer;
    char *text;            /* text format: a copy of the line */
} input_storage;

void voc_input_clear(voc_input *in)
{
    if (!in) return;
    input_storage *st = in->priv;
    if (st) {
        if (st->root) json_decref(st->root);
        free(st->id);
        free(st->customer);
        free(st->text);
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

/* A string field, or a number rendered as text (ids are often numeric). */
static const char *field_text(json_t *obj, const char *name, char **owned)
{
    json_t *v = json_object_get(obj, name);
    if (!v) return NULL;
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_integer(v)) {
        *owned = malloc(32);
        if (*owned) snprintf(*owned, 32, "%lld", (long long)json_integer_value(v));
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
    /* JSON must be UTF-8: a line with bad bytes is repaired (U+FFFD) before parsing, and
     * the record says so, rather than losing the whole message. */
    unsigned warnings = 0;
    if (data && !voc__utf8_valid(data, len)) {
        voc_buf fixed = {0};
        int w = voc__utf8_repair(data, len, &fixed);
        if (w < 0) goto nomem;
        /* NUL bytes cannot occur raw in valid JSON text; only invalid bytes count here */
        warnings = (unsigned)w & VOC_WARN_INVALID_UTF8;
        st->text = fixed.data;
        data = fixed.data;
        len = fixed.len;
    }
    json_error_t jerr;
    st->root = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    if (!st->root) {
        voc_input_clear(in);
        return voc__fail(err, VOC_EPARSE, source, line, (size_t)(jerr.position > 0 ? jerr.position : 0),
                         "invalid JSON: %s", jerr.text);
    }
    if (!json_is_object(st->root)) {
        voc_input_clear(in);
        return voc__fail(err, VOC_EPARSE, source, line, 0, "expected a JSON object");
    }
    const char *text_field = opts->text_field ? opts->text_field : "text";
    json_t *text = json_object_get(st->root, text_field);
    if (!text || !json_is_string(text)) {
        voc_input_clear(in);
        return voc__fail(err, VOC_EFIELD, source, line, 0, "field \"%s\" %s", text_field,
                         text ? "is not a string" : "is missing");
    }
    in->doc.text = json_string_value(text);
    in->doc.text_len = json_string_length(text);
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
    json_t *t = json_object_get(st->root, opts->time_field ? opts->time_field : "time");
    in->doc.time = json_is_string(t) ? json_string_value(t) : NULL;
    if (opts->channel) {
        in->doc.channel = opts->channel;
    } else {
        json_t *c = json_object_get(st->root, opts->channel_field ? opts->channel_field : "channel");
        in->doc.channel = json_is_string(c) ? json_string_value(c) : "text";
    }
    json_t *label = json_object_get(st->root, opts->label_field ? opts->label_field : "label");
    in->label = json_is_string(label) ? json_string_value(label) : NULL;
    json_t *score = json_object_get(st->root, opts->score_field ? opts->score_field : "score");
    if (json_is_number(score)) {
        in->gold_score = json_number_value(score);
        in->has_gold_score = 1;
    }
    json_t *lang = json_object_get(st->root, "lang");
    in->lang_hint = json_is_string(lang) ? json_string_value(lang) : NULL;
    return VOC_OK;
nomem:
    voc_input_clear(in);
    return voc__fail(err, VOC_ENOMEM, source, line, 0, "out of memory");
}
