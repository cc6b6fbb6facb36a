/* readers/csv.c — survey exports: a CSV/TSV header and its rows → documents.
 *
 * reader.c cuts the stream into records (a quoted field may hold line breaks); this file
 * splits one record into fields and maps them by the header's column names.  The header
 * names the columns once per file: --text-field (repeatable; every column so named is
 * joined, in column order, by line breaks), --id-field, --customer-field, --time-field,
 * --score-field; names may be Chinese or contain spaces.  Without --text-field the first
 * column called like a comment (text, comment, feedback, 意見, 評論 …) is the text.  A row
 * with fewer or more fields than the header is still analyzed, with a field_count warning;
 * an empty comment still yields a (neutral, empty_text) record, so every response counts.
 *
 * Splitting follows RFC 4180 with the leniency of real exports: `a,"b, ""c""",d` is the
 * three fields a / b, "c" / d; a quote that does not open a field is a character
 * (`5"` stays `5"`); CRLF inside a quoted field becomes LF. */
#include "parse.h"

#include <stdlib.h>
#include <string.h>

/* Split `row` into fields, unquoted, NUL-terminated one after another in `out`, their
 * starts in `offs` (grown as needed).  Returns the number of fields, or -1 on ENOMEM. */
static long split_fields(const char *s, size_t len, char delim, voc_buf *out, size_t **offs,
                         size_t *cap)
{
    long n = 0;
    size_t i = 0;
    for (;;) {
        if ((size_t)n == *cap) {
            size_t c = *cap ? *cap * 2 : 16;
            size_t *p = realloc(*offs, c * sizeof *p);
            if (!p) return -1;
            *offs = p;
            *cap = c;
        }
        (*offs)[n++] = out->len;
        if (i < len && s[i] == '"') {
            i++;
            while (i < len) {
                if (s[i] == '"') {
                    if (i + 1 < len && s[i + 1] == '"') {
                        voc__buf_append(out, "\"", 1);
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') { i++; continue; }
                voc__buf_append(out, s + i, 1);
                i++;
            }
        }
        size_t start = i; /* unquoted, or what follows a closing quote */
        while (i < len && s[i] != delim) i++;
        voc__buf_append(out, s + start, i - start);
        voc__buf_append(out, "", 1); /* the NUL */
        if (i >= len) break;
        i++; /* the delimiter: another field follows, maybe empty */
    }
    return out->failed ? -1 : n;
}

static void trim(char *s)
{
    size_t l = strlen(s), a = 0;
    while (a < l && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' || s[a] == '\n')) a++;
    while (l > a && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\r' || s[l - 1] == '\n')) l--;
    memmove(s, s + a, l - a);
    s[l - a] = '\0';
}

/* The column named `name` (exact, then ignoring ASCII case), or -1. */
static int column(const voc_csv_header *h, const char *name)
{
    for (size_t i = 0; name && i < h->n_columns; i++)
        if (!strcmp(h->names[i], name)) return (int)i;
    for (size_t i = 0; name && i < h->n_columns; i++)
        if (voc__ascii_case_equal(h->names[i], name)) return (int)i;
    return -1;
}

/* The first column with one of these names. */
static int column_of(const voc_csv_header *h, const char *const *names)
{
    for (size_t k = 0; names[k]; k++) {
        int c = column(h, names[k]);
        if (c >= 0) return c;
    }
    return -1;
}

static int describe_missing(const voc_csv_header *h, const char *what, const char *name,
                            const char *source, size_t line, voc_error *err);
void voc__csv_header_free(voc_csv_header *h);

static const char *const default_text[] = {
    "text", "comment", "comments", "feedback", "verbatim", "message", "review", "response",
    "意見", "評論", "留言", "內容", "回饋", "意见", "评论", "留言内容", "内容", "反馈", NULL};
static const char *const default_id[] = {"id", "response id", "response_id", "respondent id",
                                         "ticket id", "回覆編號", "編號", "問卷編號", "编号", NULL};
static const char *const default_customer[] = {"customer_id", "customer id", "customer",
                                               "客戶編號", "客戶", "會員編號", "客户", "客户编号", NULL};
static const char *const default_time[] = {"time", "date", "submitted", "timestamp", "created_at",
                                           "填答時間", "時間", "日期", "提交时间", "时间", NULL};

/* Fail naming the columns there are; the header is freed (its names were needed first). */
static int missing_column(voc_csv_header *h, const char *what, const char *name,
                          const char *source, size_t line, voc_error *err)
{
    int rc = describe_missing(h, what, name, source, line, err);
    voc__csv_header_free(h);
    return rc;
}

static int describe_missing(const voc_csv_header *h, const char *what, const char *name,
                            const char *source, size_t line, voc_error *err)
{
    char cols[400];
    size_t used = 0;
    cols[0] = '\0';
    for (size_t i = 0; i < h->n_columns && used + 4 < sizeof cols; i++)
        used += (size_t)snprintf(cols + used, sizeof cols - used, "%s\"%s\"", i ? ", " : "", h->names[i]);
    if (name)
        return voc__fail(err, VOC_EFIELD, source, line, 0, "no column named \"%s\" (%s); columns: %s",
                         name, what, cols);
    return voc__fail(err, VOC_EFIELD, source, line, 0,
                     "no %s column found: name it with --text-field; columns: %s", what, cols);
}

int voc__csv_header_read(const voc_reader_options *opts, char delimiter, const char *row,
                         size_t len, const char *source, size_t line, voc_csv_header *h,
                         voc_error *err)
{
    memset(h, 0, sizeof *h);
    h->delimiter = delimiter;
    voc_buf names = {0};
    size_t *offs = NULL, cap = 0;
    long n = split_fields(row, len, delimiter, &names, &offs, &cap);
    if (n < 0) goto nomem;
    h->names = calloc((size_t)n, sizeof *h->names);
    if (!h->names) goto nomem;
    h->n_columns = (size_t)n;
    for (long i = 0; i < n; i++) {
        if (!(h->names[i] = strdup(names.data + offs[i]))) goto nomem;
        trim(h->names[i]);
    }
    voc__buf_free(&names);
    free(offs);
    names.data = NULL;
    offs = NULL;
    /* the text: every column named by --text-field, else the first comment-like one */
    if (opts->text_field) {
        for (size_t i = 0; i < h->n_columns && h->n_text_cols < 16; i++) {
            bool named = !strcmp(h->names[i], opts->text_field);
            for (size_t k = 0; k < opts->n_text_fields && k < VOC_MAX_TEXT_FIELDS && !named; k++)
                named = !strcmp(h->names[i], opts->text_fields[k]);
            if (named) h->text_cols[h->n_text_cols++] = (int)i;
        }
        if (!h->n_text_cols) return missing_column(h, "--text-field", opts->text_field, source, line, err);
        for (size_t k = 0; k < opts->n_text_fields && k < VOC_MAX_TEXT_FIELDS; k++)
            if (column(h, opts->text_fields[k]) < 0)
                return missing_column(h, "--text-field", opts->text_fields[k], source, line, err);
    } else {
        /* a question that asks for comments: "What could we do better? (comment)", 您的建議
         * (ASCII case folding leaves the Han words as they are) */
        static const char *const asks[] = {"comment", "feedback", "better", "improve", "suggest", "reason",
                                           "意見", "建議", "评论", "原因", "建议"};
        int c = column_of(h, default_text);
        for (size_t i = 0; c < 0 && i < h->n_columns; i++)
            for (size_t k = 0; c < 0 && k < sizeof asks / sizeof *asks; k++)
                if (voc__ascii_case_contains(h->names[i], asks[k])) c = (int)i;
        if (c < 0) return missing_column(h, "text", NULL, source, line, err);
        h->text_cols[h->n_text_cols++] = c;
    }
#define MAP(col, opt, defaults, what)                                                      \
    do {                                                                                   \
        h->col = (opt) ? column(h, opt) : column_of(h, defaults);                          \
        if ((opt) && h->col < 0) return missing_column(h, what, opt, source, line, err);   \
    } while (0)
    static const char *const default_channel[] = {"channel", NULL};
    static const char *const default_label[] = {"label", NULL};
    static const char *const none[] = {NULL};
    MAP(id_col, opts->id_field, default_id, "--id-field");
    MAP(customer_col, opts->customer_field, default_customer, "--customer-field");
    MAP(time_col, opts->time_field, default_time, "--time-field");
    MAP(channel_col, opts->channel_field, default_channel, "--channel-field");
    MAP(label_col, opts->label_field, default_label, "--label-field");
    MAP(metric_col, opts->metric_field, none, "--score-field");
#undef MAP
    return VOC_OK;
nomem:
    voc__buf_free(&names);
    free(offs);
    voc__csv_header_free(h);
    return voc__fail(err, VOC_ENOMEM, source, line, 0, "out of memory");
}

void voc__csv_header_free(voc_csv_header *h)
{
    for (size_t i = 0; h->names && i < h->n_columns; i++) free(h->names[i]);
    free(h->names);
    memset(h, 0, sizeof *h);
}

int voc__csv_parse_row(const voc_reader_options *opts, const voc_csv_header *h,
                       const char *source, size_t line, const char *row, size_t len,
                       voc_input *in, voc_error *err)
{
    if (voc__input_begin(in)) return voc__fail(err, VOC_ENOMEM, source, line, 0, "out of memory");
    voc_input_storage *st = in->priv;
    voc_buf fields = {0};
    size_t cap = 0;
    long n = split_fields(row, len, h->delimiter, &fields, &st->field_off, &cap);
    st->fields = fields.data;
    if (n < 0) goto nomem;
    if ((size_t)n != h->n_columns) in->doc.input_warnings |= VOC_WARN_FIELD_COUNT;
#define FIELD(c) ((c) >= 0 && (c) < n ? st->fields + st->field_off[c] : NULL)
    voc_buf text = {0};
    for (size_t k = 0; k < h->n_text_cols; k++) {
        const char *f = FIELD(h->text_cols[k]);
        if (!f || !*f) continue;
        if (text.len) voc__buf_append(&text, "\n", 1);
        voc__buf_append(&text, f, strlen(f));
    }
    if (voc__input_take_text(in, &text)) goto nomem;
    const char *id = FIELD(h->id_col);
    if (id && *id) {
        in->doc.id = id;
        in->has_own_id = 1;
    } else {
        if (!(st->id = voc__file_line_id(source, line))) goto nomem;
        in->doc.id = st->id;
    }
    const char *customer = FIELD(h->customer_col), *time = FIELD(h->time_col);
    in->doc.customer_id = customer && *customer ? customer : NULL;
    if (voc__input_set_time(in, time && *time ? time : NULL)) goto nomem;
    const char *channel = FIELD(h->channel_col);
    in->doc.channel = opts->channel ? opts->channel : channel && *channel ? channel : "survey";
    const char *label = FIELD(h->label_col);
    in->label = label && *label ? label : NULL;
    const char *metric = FIELD(h->metric_col);
    if (h->metric_col >= 0)
        voc__input_set_metric(in, opts->metric_kind, metric ? metric : "", metric ? strlen(metric) : 0, true);
#undef FIELD
    return VOC_OK;
nomem:
    voc_input_clear(in);
    return voc__fail(err, VOC_ENOMEM, source, line, 0, "out of memory");
}
