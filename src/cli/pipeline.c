/* pipeline.c — the batch job: input units → sessions on N threads → ordered output.
 *
 * The main thread cuts a batch of units with a voc_reader (lines, CSV rows, e-mails; copied
 * into the batch) and posts it to a pool of -j worker threads started once; they take units
 * by an atomic counter, each with its own voc_session over the one shared analyzer, parse
 * them (voc_reader_parse), analyze them and render the records into the worker's own
 * buffers of the batch.  While they do, the main thread cuts the next batch; once the
 * workers have that one, it writes the finished one in input order — records to the
 * output, errors to the error stream, rows to the store — so output is byte-identical
 * whatever -j is, and reading and writing overlap the analysis.  Every unit yields a
 * record or an error record naming file and line.  A live feed (a pipe or terminal) is
 * answered as soon as nothing more is waiting, so a help desk can keep one process fed. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A batch holds up to 256 units per worker thread, 1,024 at most: enough that a worker
 * seldom waits at the end of a batch for the others, few enough that the units and records
 * in flight (two batches) stay under a megabyte for tweets on one thread. */
#define BATCH_LINES 1024
#define BATCH_LINES_PER_WORKER 256
#define BATCH_BYTES ((size_t)16 << 20) /* a batch also ends after this much input */
#define KEEP_BYTES ((size_t)16 << 20)  /* a batch's buffers above this are freed once written */
#define MAX_WORKERS 64

enum { F_ID, F_CUSTOMER, F_CHANNEL, F_TIME, F_GOLD_LABEL, F_LANG_HINT, F_TEXT, F_GOLD_TOPICS,
       F_GOLD_EMOTIONS, F_PRED_TOPICS, F_PRED_EMOTIONS, F_GOLD_FLAGS, F_PRED_FLAGS, F_COUNT };

/* ---- a batch's bytes --------------------------------------------------------------------
 * How it works: the bytes of a batch live in a few buffers reused from batch to batch, not
 * in buffers of their own per unit.  The main thread copies the units it cuts into the
 * batch's `input`; each worker appends what it renders — records, --explain text, CSV rows,
 * the fields kept for the store and eval — to its own `worker_out` of the batch.  A worker
 * takes one unit at a time, so each piece of a unit's output is one run at the end of a
 * buffer: a `span`, kept as an offset since the buffer moves as it grows, and read by the
 * main thread once the batch is done.  (Buffers per unit, each grown by doubling, once
 * cost some 4,000 blocks for two batches of tweets, half of them slack, and as many frees
 * at the end.) */

typedef struct bytes {
    char *data;
    size_t len, cap;
} bytes;

typedef struct span {
    size_t at, len;
} span;

/* What one worker rendered for the units of one batch it took. */
typedef struct worker_out {
    bytes out, explain, row, fields;
} worker_out;

/* Append n bytes to b, keeping room for one more byte after them. */
static int bytes_append(bytes *b, const char *data, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t c = b->cap ? b->cap : 4096;
        while (c < b->len + n + 1) c *= 2;
        char *p = realloc(b->data, c);
        if (!p) return VOC_ENOMEM;
        b->data = p;
        b->cap = c;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    return 0;
}

/* The same, then a NUL (a unit's line, a kept field: C strings to their readers). */
static int bytes_append_cstr(bytes *b, const char *data, size_t n)
{
    if (bytes_append(b, data, n)) return VOC_ENOMEM;
    b->data[b->len++] = '\0'; /* in the room kept */
    return 0;
}

/* Append to the piece s of a unit's output, which ends where b does (the unit being the
 * worker's current one). */
static int span_append(bytes *b, span *s, const char *data, size_t n)
{
    if (bytes_append(b, data, n)) return VOC_ENOMEM;
    s->len += n;
    return 0;
}

/* Start an empty piece at the end of b (also drops what a failed unit had written there). */
static void span_restart(bytes *b, span *s)
{
    if (s->at + s->len == b->len) b->len = s->at; /* still the buffer's last run */
    *s = (span){b->len, 0};
}

static const char *span_data(const bytes *b, span s) { return s.len ? b->data + s.at : ""; }

/* Free b when it grew past KEEP_BYTES, so one huge batch does not pin its memory. */
static void bytes_trim(bytes *b)
{
    if (b->cap > KEEP_BYTES) {
        free(b->data);
        *b = (bytes){0};
    }
    b->len = 0;
}

typedef struct item {
    size_t line_at, len;       /* the unit's bytes in the batch's input, then a NUL */
    size_t lineno;
    unsigned long long byte;   /* where the unit starts in the input */
    int too_long, unterminated;
    const char *source;
    bool skip;                 /* not in the --split asked for */
    bool failed;
    worker_out *wo;            /* the buffers of the worker that took the unit: */
    span out;                  /* record / tokens / error JSON, with its line end */
    span explain;              /* --explain text; for an error, the line for the terminal */
    span row;                  /* --output-format csv: the record as a CSV row; flag: text */
    int severity;              /* flag: the rank shown (VOC_SEVERITY_NONE: not shown) */
    /* for the store and eval */
    char record_id[96];
    /* the document's metadata (and, with --db, its text), copied to the worker's fields,
     * each NUL-terminated: offsets there, -1 for absent */
    long off[F_COUNT];
    size_t text_len;
    const char *lang, *label;
    double score, confidence, gold_score;
    bool has_gold_score;
    int pred_label;
} item;

typedef struct batch {
    item *items;
    size_t n;
    atomic_size_t next;
    const voc_analyzer *analyzer;
    const cli_options *opts;
    const voc_reader *reader;  /* the input the units came from: parses them */
    bytes input;               /* the units' bytes (item.line_at) */
    worker_out outs[MAX_WORKERS]; /* by worker */
} batch;

static int out_sink(void *user, const char *data, size_t len)
{
    item *it = user;
    return span_append(&it->wo->out, &it->out, data, len);
}

static int row_sink(void *user, const char *data, size_t len)
{
    item *it = user;
    return span_append(&it->wo->row, &it->row, data, len);
}

/* After a JSON writer for the item's out: its line end, when it wrote the object. */
static int end_line(item *it, int rc)
{
    return rc ? rc : span_append(&it->wo->out, &it->out, "\n", 1);
}

static int explain_append(item *it, const char *data, size_t len)
{
    return span_append(&it->wo->explain, &it->explain, data, len);
}

int cli_stdio_sink(void *user, const char *data, size_t len)
{
    return fwrite(data, 1, len, (FILE *)user) == len ? 0 : VOC_EIO;
}

/* Keep a copy of s (len bytes) as field f of the item. */
static int keep(item *it, int f, const char *s, size_t len)
{
    it->off[f] = -1;
    if (!s) return 0;
    bytes *fields = &it->wo->fields;
    long at = (long)fields->len;
    if (bytes_append_cstr(fields, s, len)) return VOC_ENOMEM;
    it->off[f] = at;
    return 0;
}

static int keep_str(item *it, int f, const char *s) { return keep(it, f, s, s ? strlen(s) : 0); }

static const char *field_of(const item *it, int f)
{
    return it->off[f] < 0 ? NULL : it->wo->fields.data + it->off[f];
}

/* ---- per-document callbacks ------------------------------------------------------------ */

typedef struct cb_ctx {
    item *it;
    const voc_analyzer *analyzer;
    const cli_options *opts;
    const voc_input *in;
} cb_ctx;

static int explain_printf(item *it, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int explain_printf(item *it, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return 0;
    if ((size_t)n >= sizeof tmp) n = sizeof tmp - 1;
    return explain_append(it, tmp, (size_t)n);
}

static void explain(item *it, const voc_doc *doc, const voc_result *r)
{
    explain_printf(it, "── %s  [%s]  %s  score %.3f  (neg %.2f neu %.2f pos %.2f)\n", doc->id,
                   r->lang, voc_label_name(r->label), r->score, r->probs[0], r->probs[1], r->probs[2]);
    explain_printf(it, "   text: %.*s\n", (int)(r->text_len > 600 ? 600 : r->text_len), r->text);
    explain_printf(it, "   tokens:");
    for (size_t i = 0; i < r->n_tokens && i < 120; i++) {
        const voc_token *t = &r->tokens[i];
        explain_printf(it, " %.*s", (int)t->norm_len, t->norm);
        if (t->type != VOC_TOKEN_WORD && t->type != VOC_TOKEN_PUNCT)
            explain_printf(it, "/%s", voc_token_type_name(t->type));
    }
    explain_printf(it, "\n");
    /* evidence sentence by sentence, in the order the scorer applied it: the modifiers a
     * term's valence went through come before it; model n-grams come last */
    for (size_t k = 0; k < r->n_sentences; k++) {
        size_t a = r->sentences[k].start, b = r->sentences[k].end;
        double sc = r->sentence_scores ? r->sentence_scores[k] : 0;
        explain_printf(it, "   sentence %zu [%zu,%zu) rules %+.3f: %.*s\n", k + 1, a, b, sc,
                       (int)(b - a > 200 ? 200 : b - a), r->text + a);
        for (size_t i = 0; i < r->n_evidence; i++) {
            const voc_evidence *e = &r->evidence[i];
            if (e->kind == VOC_EVIDENCE_NGRAM || e->start < a || e->start >= b) continue;
            explain_printf(it, "     %-11s %+.3f  \"%.*s\"  [%zu,%zu)  term=%s\n",
                           voc_evidence_kind_name(e->kind), e->weight, (int)(e->end - e->start),
                           r->text + e->start, e->start, e->end, e->term ? e->term : "");
        }
    }
    for (size_t i = 0; i < r->n_evidence; i++) {
        const voc_evidence *e = &r->evidence[i];
        if (e->kind != VOC_EVIDENCE_NGRAM) continue;
        explain_printf(it, "   ngram       %+.3f  \"%.*s\"  [%zu,%zu)  feature=%s\n", e->weight,
                       (int)(e->end - e->start), r->text + e->start, e->start, e->end,
                       e->term ? e->term : "");
    }
    if (r->n_emotions) {
        explain_printf(it, "   emotions:");
        for (size_t i = 0; i < r->n_emotions; i++)
            explain_printf(it, " %s %.2f", r->emotions[i].id, r->emotions[i].score);
        explain_printf(it, "\n");
    }
    for (size_t i = 0; i < r->n_topics; i++) {
        const voc_topic_result *t = &r->topics[i];
        explain_printf(it, "   topic %-17s score %.2f sentiment %+.2f:", t->id, t->score, t->sentiment);
        for (size_t k = 0; k < t->n_spans && k < 6; k++)
            explain_printf(it, " \"%.*s\"", (int)(t->spans[k].end - t->spans[k].start),
                           r->text + t->spans[k].start);
        explain_printf(it, "\n");
    }
    for (size_t i = 0; i < r->n_flags; i++) { /* flag severity (reasons): the words */
        const voc_flag_result *f = &r->flags[i];
        explain_printf(it, "   flag %-15s %-6s (", voc_flag_name(f->id), voc_severity_name(f->severity));
        for (size_t k = 0; k < f->n_reasons; k++) explain_printf(it, "%s%s", k ? ", " : "", f->reasons[k]);
        explain_printf(it, "):");
        for (size_t k = 0; k < f->n_spans && k < 6; k++)
            explain_printf(it, " \"%.*s\"", (int)(f->spans[k].end - f->spans[k].start),
                           r->text + f->spans[k].start);
        explain_printf(it, "\n");
    }
    if (r->warnings) {
        explain_printf(it, "   warnings:");
        for (int b = 0; b < VOC_WARNING_COUNT; b++)
            if (r->warnings & (1u << b)) explain_printf(it, " %s", voc_warning_name(b));
        explain_printf(it, "\n");
    }
}

static int on_record(void *user, const voc_doc *doc, const voc_result *r)
{
    cb_ctx *c = user;
    item *it = c->it;
    voc_record_id(doc, c->in->has_own_id, it->record_id, sizeof it->record_id);
    it->lang = r->lang;             /* static strings */
    it->label = voc_label_name(r->label);
    it->pred_label = r->label;
    it->score = r->score;
    it->confidence = r->confidence;
    if (c->opts->db_path) {
        if (keep(it, F_TEXT, r->text, r->text_len)) return VOC_ENOMEM;
        it->text_len = r->text_len;
    }
    if (c->opts->explain) explain(it, doc, r);
    if (c->opts->mode == MODE_EVAL) { /* the predicted topic and emotion ids, for eval.c */
        char ids[4096];
        size_t n = 0;
        for (size_t i = 0; i < r->n_topics && n + 50 < sizeof ids; i++)
            n += (size_t)snprintf(ids + n, sizeof ids - n, "%s%s", n ? "," : "", r->topics[i].id);
        ids[n] = '\0';
        if (keep_str(it, F_PRED_TOPICS, ids)) return VOC_ENOMEM;
        n = 0;
        for (size_t i = 0; i < r->n_emotions && n + 50 < sizeof ids; i++)
            n += (size_t)snprintf(ids + n, sizeof ids - n, "%s%s", n ? "," : "", r->emotions[i].id);
        ids[n] = '\0';
        if (keep_str(it, F_PRED_EMOTIONS, ids)) return VOC_ENOMEM;
        n = 0; /* and the flags with their severity: "churn_risk:high,dismay:low" */
        for (size_t i = 0; i < r->n_flags && n + 50 < sizeof ids; i++)
            n += (size_t)snprintf(ids + n, sizeof ids - n, "%s%s:%s", n ? "," : "",
                                  voc_flag_name(r->flags[i].id), voc_severity_name(r->flags[i].severity));
        ids[n] = '\0';
        return keep_str(it, F_PRED_FLAGS, ids);
    }
    if (c->opts->mode == MODE_FLAG) {
        it->severity = cli_flag_rank(c->opts, r);
        if (!it->severity && !c->opts->db_path) return 0; /* neither shown nor stored */
        if (it->severity && c->opts->output_text) {
            int rc = cli_flag_text(c->opts, doc, r, it->severity, c->opts->colour, row_sink, it);
            if (rc || !c->opts->db_path) return rc;
        }
    }
    if (c->opts->output_csv) {
        int rc = voc_record_write_csv(c->analyzer, doc, it->record_id, r, row_sink, it);
        if (rc || !c->opts->db_path) return rc; /* the store keeps the JSON record too */
    }
    return end_line(it, voc_record_write_json(c->analyzer, doc, it->record_id, r, out_sink, it));
}

static int on_tokens(void *user, const voc_doc *doc, const voc_result *r)
{
    cb_ctx *c = user;
    c->it->lang = r->lang;
    return end_line(c->it, voc_tokens_write_json(doc, r, out_sink, c->it));
}

static void fail_item(item *it, const char *id, const voc_error *err)
{
    char input[600], msg[700];
    snprintf(input, sizeof input, "%s:%zu", it->source, it->lineno);
    span_restart(&it->wo->explain, &it->explain); /* the readable line for the terminal */
    explain_append(it, input, strlen(input));
    if (id) {
        explain_append(it, " (", 2);
        explain_append(it, id, strlen(id));
        explain_append(it, ")", 1);
    }
    explain_append(it, ": ", 2);
    if (err->byte_offset)
        snprintf(msg, sizeof msg, "%s (byte %zu)", err->message, err->byte_offset);
    else
        snprintf(msg, sizeof msg, "%s", err->message);
    explain_append(it, msg, strlen(msg));
    it->failed = true;
    span_restart(&it->wo->out, &it->out);
    end_line(it, voc_error_write_json(id, input, msg, out_sink, it));
}

static void process_item(batch *b, item *it, voc_session *s, worker_out *wo)
{
    const voc_analyzer *a = b->analyzer;
    const cli_options *o = b->opts;
    it->wo = wo;
    it->out = (span){wo->out.len, 0};
    it->explain = (span){wo->explain.len, 0};
    it->row = (span){wo->row.len, 0};
    voc_input in;
    voc_error err;
    memset(&err, 0, sizeof err);
    voc_unit unit = {b->input.data + it->line_at, it->len, it->lineno, it->byte, it->too_long,
                     it->unterminated};
    if (voc_reader_parse(b->reader, &unit, &in, &err)) {
        fail_item(it, NULL, &err);
        return;
    }
    if (o->split != SPLIT_ALL && !cli_in_split(in.has_own_id ? in.doc.id : NULL, o->split)) {
        it->skip = true; /* not in the --split asked for */
        voc_input_clear(&in);
        return;
    }
    /* what the main thread needs after the input is gone: the store row, or eval's gold */
    bool kept = true; /* false: out of memory for a field (the item then fails, never a NULL row) */
    if (o->db_path) {
        kept = !keep_str(it, F_ID, in.doc.id) && !keep_str(it, F_CUSTOMER, in.doc.customer_id) &&
               !keep_str(it, F_CHANNEL, in.doc.channel) && !keep_str(it, F_TIME, in.doc.time);
    }
    if (kept && o->mode == MODE_EVAL) {
        kept = !keep_str(it, F_GOLD_LABEL, in.label) && !keep_str(it, F_LANG_HINT, in.lang_hint) &&
               !keep_str(it, F_GOLD_TOPICS, in.gold_topics) &&
               !keep_str(it, F_GOLD_EMOTIONS, in.gold_emotions) && !keep_str(it, F_GOLD_FLAGS, in.gold_flags);
        it->gold_score = in.gold_score;
        it->has_gold_score = in.has_gold_score;
    }
    cb_ctx c = {it, a, o, &in};
    int rc = !kept ? VOC_ENOMEM /* a field the item needs could not be kept */
             : o->mode == MODE_TOKENIZE ? voc_tokenize(s, &in.doc, on_tokens, &c, &err)
                                        : voc_analyze(s, &in.doc, on_record, &c, &err);
    if (rc) {
        if (!err.message[0]) snprintf(err.message, sizeof err.message, "%s", voc_strerror(rc));
        fail_item(it, in.doc.id, &err);
    }
    voc_input_clear(&in);
}

/* Take items of the batch until none is left; `worker` numbers the thread (its buffers). */
static void work(batch *b, voc_session *session, int worker)
{
    for (;;) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->n) break;
        if (!b->items[i].skip) process_item(b, &b->items[i], session, &b->outs[worker]);
    }
}

/* ---- the workers ------------------------------------------------------------------------
 * N threads, each with its own session, started once; the main thread posts a batch, the
 * workers share its items, the last one to finish says so.  Meanwhile the main thread cuts
 * the next batch and writes the previous one, so reading and writing overlap analysis. */

typedef struct pool pool;
typedef struct worker_arg {
    pool *pool;
    voc_session *session;
    int index;                /* which of the batch's worker_outs it writes */
} worker_arg;

struct pool {
    pthread_mutex_t mu;
    pthread_cond_t posted, finished;
    batch *current;
    unsigned long generation; /* bumped for each batch posted */
    int busy;                 /* workers still on the current batch */
    bool stop;
    int started;
    pthread_t tid[MAX_WORKERS];
    worker_arg args[MAX_WORKERS];
    voc_session *main_session; /* when no thread could start: the main thread works */
};

static void *pool_worker(void *arg)
{
    worker_arg *w = arg;
    pool *p = w->pool;
    unsigned long seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->generation == seen) pthread_cond_wait(&p->posted, &p->mu);
        if (p->stop) break;
        seen = p->generation;
        batch *b = p->current;
        pthread_mutex_unlock(&p->mu);
        work(b, w->session, w->index);
        pthread_mutex_lock(&p->mu);
        if (--p->busy == 0) pthread_cond_signal(&p->finished);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void pool_start(pool *p, voc_session **sessions, int n_threads)
{
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->posted, NULL);
    pthread_cond_init(&p->finished, NULL);
    p->main_session = sessions[0];
    for (int t = 0; t < n_threads; t++) {
        p->args[t] = (worker_arg){p, sessions[t], t};
        if (pthread_create(&p->tid[t], NULL, pool_worker, &p->args[t]) != 0) break;
        p->started = t + 1;
    }
}

static void pool_post(pool *p, batch *b)
{
    atomic_store(&b->next, 0);
    if (!p->started) { /* no worker thread: do it here */
        work(b, p->main_session, 0);
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->current = b;
    p->busy = p->started;
    p->generation++;
    pthread_cond_broadcast(&p->posted);
    pthread_mutex_unlock(&p->mu);
}

static void pool_wait(pool *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->busy) pthread_cond_wait(&p->finished, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

static void pool_stop(pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->posted);
    pthread_mutex_unlock(&p->mu);
    for (int t = 0; t < p->started; t++) pthread_join(p->tid[t], NULL);
    pthread_cond_destroy(&p->posted);
    pthread_cond_destroy(&p->finished);
    pthread_mutex_destroy(&p->mu);
}

static void reset_item(item *it)
{
    for (int f = 0; f < F_COUNT; f++) it->off[f] = -1;
    it->text_len = 0;
    it->wo = NULL;
    it->out = it->explain = it->row = (span){0, 0};
    it->severity = 0;
    it->failed = it->skip = false;
    it->record_id[0] = '\0';
}

/* Empty the batch's buffers for its next use, freeing those that grew past KEEP_BYTES. */
static void batch_clear(batch *b)
{
    bytes_trim(&b->input);
    for (int w = 0; w < MAX_WORKERS; w++) {
        worker_out *wo = &b->outs[w];
        bytes_trim(&wo->out);
        bytes_trim(&wo->explain);
        bytes_trim(&wo->row);
        bytes_trim(&wo->fields);
    }
    b->n = 0;
}

static void batch_free(batch *b)
{
    free(b->input.data);
    for (int w = 0; w < MAX_WORKERS; w++) {
        worker_out *wo = &b->outs[w];
        free(wo->out.data);
        free(wo->explain.data);
        free(wo->row.data);
        free(wo->fields.data);
    }
    free(b->items);
}

/* ---- the job --------------------------------------------------------------------------- */

/* `vocmine flag` on files: the shown records, kept until the end to be written most severe
 * first (input order within a severity).  A live feed is answered record by record. */
typedef struct flagged {
    int severity;
    size_t seq;
    char *data;
    size_t len;
} flagged;

typedef struct job {
    const cli_options *opts;
    const voc_analyzer *analyzer;
    FILE *out;
    FILE *errors;              /* --errors FILE, or NULL: error objects go to stderr */
    voc_store *store;
    eval_stats *eval;
    int status;
    size_t batch_lines;        /* units per batch */
    const char *run;           /* output not yet written: a run in a batch's buffer */
    size_t run_len;
    size_t n_records, n_errors;
    /* the progress line */
    bool progress;
    unsigned long long bytes_total, bytes_done; /* done: files finished */
    double started, last_shown;
    /* flag */
    bool flag_sorted;          /* all inputs are files: sort by severity at the end */
    flagged *flagged;
    size_t n_flagged, cap_flagged;
} job;

static int by_severity(const void *a, const void *b)
{
    const flagged *x = a, *y = b;
    if (x->severity != y->severity) return x->severity > y->severity ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "vocmine: 12,345 documents · 3.2 of 40.0 MB · 6.1 MB/s · ETA 0:06" on stderr, rewritten
 * in place (only when stderr is a terminal). */
static void show_progress(job *j, unsigned long long bytes_now, bool final)
{
    double t = now();
    if (!final && t - j->last_shown < 0.25) return;
    j->last_shown = t;
    double secs = t - j->started, mb = (double)(j->bytes_done + bytes_now) / 1e6;
    double rate = secs > 0 ? mb / secs : 0;
    char eta[48] = "";
    if (j->bytes_total && rate > 0 && !final) {
        double left = ((double)j->bytes_total / 1e6 - mb) / rate;
        if (left < 0) left = 0;
        snprintf(eta, sizeof eta, " · ETA %d:%02d", (int)left / 60, (int)left % 60);
    }
    char total[40] = "";
    if (j->bytes_total) snprintf(total, sizeof total, " of %.1f", (double)j->bytes_total / 1e6);
    fprintf(stderr, "\r\033[Kvocmine: %zu documents%s · %.1f%s MB · %.1f MB/s%s", j->n_records,
            j->n_errors ? " (some failed)" : "", mb, total, rate, eta);
    if (final) fputs("\n", stderr);
    fflush(stderr);
}

/* ---- writing a finished batch ----------------------------------------------------------
 * Output goes out in runs: pieces that lie end to end in a batch's buffer — all the records
 * of a batch when one worker wrote them, in order — are one fwrite, which stdio hands to
 * write(2) as they are instead of copying them record by record into its own buffer. */

static void out_flush(job *j)
{
    if (j->run_len) fwrite(j->run, 1, j->run_len, j->out);
    j->run_len = 0;
}

static void out_put(job *j, const char *data, size_t len)
{
    if (j->run_len && data == j->run + j->run_len) {
        j->run_len += len;
        return;
    }
    out_flush(j);
    j->run = data;
    j->run_len = len;
}

static void emit_batch(job *j, batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        item *it = &b->items[i];
        if (it->skip) continue;
        const char *out = span_data(&it->wo->out, it->out), *row = span_data(&it->wo->row, it->row),
                   *explain = span_data(&it->wo->explain, it->explain);
        size_t out_len = it->out.len, row_len = it->row.len, explain_len = it->explain.len;
        if (it->failed) {
            j->n_errors++;
            j->status = j->status ? j->status : 1;
            if (j->progress) fputs("\r\033[K", stderr);
            out_flush(j);
            fflush(j->out); /* records and errors merged (2>&1) stay whole lines */
            if (j->errors) { /* the objects to the file, a readable line to the terminal */
                fwrite(out, 1, out_len, j->errors);
                fprintf(stderr, "vocmine: %.*s\n", (int)explain_len, explain);
            } else {
                fwrite(out, 1, out_len, stderr);
            }
            continue;
        }
        j->n_records++;
        if (j->opts->mode == MODE_FLAG) {
            if (it->severity && !j->opts->explain) {
                const char *data = j->opts->output_text || j->opts->output_csv ? row : out;
                size_t len = j->opts->output_text || j->opts->output_csv ? row_len : out_len;
                if (j->flag_sorted) {
                    if (j->n_flagged == j->cap_flagged) {
                        size_t cap = j->cap_flagged ? j->cap_flagged * 2 : 256;
                        flagged *p = realloc(j->flagged, cap * sizeof *p);
                        if (!p) { j->status = 3; continue; }
                        j->flagged = p;
                        j->cap_flagged = cap;
                    }
                    char *copy = malloc(len + 1);
                    if (!copy) { j->status = 3; continue; }
                    memcpy(copy, data, len);
                    j->flagged[j->n_flagged] = (flagged){it->severity, j->n_flagged, copy, len};
                    j->n_flagged++;
                } else {
                    out_put(j, data, len);
                }
            } else if (it->severity && explain_len) {
                out_put(j, explain, explain_len);
            }
            if (j->store) goto store;
            continue;
        }
        if (j->opts->explain && explain_len) out_put(j, explain, explain_len);
        if (j->opts->mode == MODE_EVAL) {
            eval_add_sets(j->eval, field_of(it, F_GOLD_TOPICS), field_of(it, F_PRED_TOPICS),
                          field_of(it, F_GOLD_EMOTIONS), field_of(it, F_PRED_EMOTIONS));
            eval_add_flags(j->eval, field_of(it, F_LANG_HINT), field_of(it, F_GOLD_FLAGS),
                           field_of(it, F_PRED_FLAGS));
            eval_add(j->eval, field_of(it, F_LANG_HINT), field_of(it, F_GOLD_LABEL), it->gold_score,
                     it->has_gold_score, it->pred_label, it->score, it->confidence);
            continue;
        }
        if (!j->opts->explain) {
            if (j->opts->output_csv && j->opts->mode == MODE_ANALYZE) out_put(j, row, row_len);
            else out_put(j, out, out_len);
        }
    store:
        if (j->store && (j->opts->mode == MODE_ANALYZE || j->opts->mode == MODE_FLAG)) {
            voc_store_row row = {it->record_id, field_of(it, F_ID), field_of(it, F_CUSTOMER),
                                 field_of(it, F_CHANNEL), field_of(it, F_TIME), it->lang, it->label,
                                 it->score, it->confidence, field_of(it, F_TEXT), it->text_len,
                                 out, out_len ? out_len - 1 : 0}; /* the JSON without its line end */
            voc_error err;
            if (voc_store_put(j->store, &row, &err)) {
                fprintf(stderr, "vocmine: store %s: %s\n", err.source, err.message);
                j->status = 3;
                voc_store_close(j->store, NULL);
                j->store = NULL;
            }
        }
    }
    out_flush(j); /* before the batch's buffers are reused */
}

/* Wait for the batch the workers have; hand them `next` (when there is one), so that they
 * analyze it while this one is written; write this one. */
static void finish_batch(job *j, pool *p, batch *b, batch *next)
{
    pool_wait(p);
    if (next) pool_post(p, next);
    emit_batch(j, b);
    fflush(j->out);
    if (j->errors) fflush(j->errors);
    batch_clear(b);
}

/* The reader's source of bytes: read(2), which returns what a pipe holds instead of
 * waiting for a full buffer (stdio would). */
static long read_fd(void *user, char *buf, size_t cap)
{
    int fd = *(int *)user;
    for (;;) {
        ssize_t n = read(fd, buf, cap);
        if (n >= 0) return (long)n;
        if (errno != EINTR) return -1;
    }
}

/* Nothing more to read right now? (a live feed waits for its answer) */
static bool input_idle(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, 0) == 0;
}

static void stream_error(job *j, const char *source, size_t line, const char *message, int status)
{
    char input[600];
    snprintf(input, sizeof input, "%s:%zu", source, line);
    if (j->progress) fputs("\r\033[K", stderr);
    fflush(j->out);
    fprintf(stderr, "vocmine: %s: %s\n", input, message);
    voc_error_write_json(NULL, input, message, cli_stdio_sink, j->errors ? j->errors : stderr);
    fputc('\n', j->errors ? j->errors : stderr);
    j->n_errors++;
    if (status > j->status) j->status = status;
}

static int process_stream(job *j, int fd, bool live, const char *source, batch *bufs[2],
                          pool *workers)
{
    voc_reader *reader;
    voc_error err;
    memset(&err, 0, sizeof err);
    if (voc_reader_new(&j->opts->reader, source, read_fd, &fd, &reader, &err)) {
        stream_error(j, source, 0, err.message, 2);
        return 0;
    }
    bufs[0]->reader = bufs[1]->reader = reader;
    batch_clear(bufs[0]);
    batch_clear(bufs[1]);
    batch *b = bufs[0], *inflight = NULL; /* b is being filled, inflight analyzed */
    voc_unit u;
    int rc;
    while ((rc = voc_reader_next(reader, &u, &err)) > 0) {
        item *it = &b->items[b->n];
        reset_item(it);
        it->lineno = u.line;
        it->byte = u.byte;
        it->too_long = u.too_long;
        it->unterminated = u.unterminated;
        it->source = source;
        it->line_at = b->input.len;
        it->len = u.len;
        if (bytes_append_cstr(&b->input, u.data, u.len)) {
            fprintf(stderr, "vocmine: out of memory\n");
            if (inflight) finish_batch(j, workers, inflight, NULL);
            voc_reader_free(reader);
            return 3;
        }
        /* a batch is cut by units and by bytes, so memory stays bounded even when every
         * unit is huge; a live feed is answered as soon as nothing more is waiting */
        bool answer_now = live && !voc_reader_pending(reader) && input_idle(fd);
        if (++b->n == j->batch_lines || b->input.len >= BATCH_BYTES || answer_now) {
            if (inflight) finish_batch(j, workers, inflight, b);
            else pool_post(workers, b);
            inflight = b;
            b = b == bufs[0] ? bufs[1] : bufs[0];
            if (answer_now) { /* a live feed: the answer before the next question */
                finish_batch(j, workers, inflight, NULL);
                inflight = NULL;
            }
            if (j->progress) show_progress(j, voc_reader_bytes(reader), false);
        }
    }
    if (inflight) finish_batch(j, workers, inflight, b->n ? b : NULL);
    else if (b->n) pool_post(workers, b);
    if (b->n) finish_batch(j, workers, b, NULL);
    if (rc < 0) {
        /* a read error, an unknown --encoding, a CSV header without a text column */
        stream_error(j, source, err.line, err.message, rc == VOC_EINVAL ? 2 : 3);
    }
    j->bytes_done += voc_reader_bytes(reader);
    bufs[0]->reader = bufs[1]->reader = NULL;
    voc_reader_free(reader);
    return 0;
}

int run_pipeline(const voc_analyzer *analyzer, const cli_options *opts)
{
    job j = {0};
    j.opts = opts;
    j.analyzer = analyzer;
    j.out = stdout;
    int n_threads = opts->threads < 1 ? 1 : opts->threads > MAX_WORKERS ? MAX_WORKERS : opts->threads;
    j.batch_lines = (size_t)n_threads * BATCH_LINES_PER_WORKER;
    if (j.batch_lines > BATCH_LINES) j.batch_lines = BATCH_LINES;
    voc_session *sessions[MAX_WORKERS] = {0};
    batch bufs[2] = {{0}, {0}};
    batch *bp[2] = {&bufs[0], &bufs[1]};
    pool workers = {0};
    bool pool_running = false;
    int rc = 0;
    voc_error err;
    if (opts->output_path) {
        j.out = fopen(opts->output_path, "w");
        if (!j.out) {
            fprintf(stderr, "vocmine: cannot write %s: %s\n", opts->output_path, strerror(errno));
            return 3;
        }
    }
    if (opts->errors_path) {
        j.errors = fopen(opts->errors_path, "w");
        if (!j.errors) {
            fprintf(stderr, "vocmine: cannot write %s: %s\n", opts->errors_path, strerror(errno));
            if (j.out != stdout) fclose(j.out);
            return 3;
        }
    }
    for (int t = 0; t < n_threads; t++)
        if (voc_session_new(analyzer, &sessions[t], &err)) {
            fprintf(stderr, "vocmine: %s: %s\n", err.source, err.message);
            rc = 3;
            goto done;
        }
    bool writes_store = opts->mode == MODE_ANALYZE || opts->mode == MODE_FLAG;
    if (opts->db_path && writes_store && voc_store_open(opts->db_path, &j.store, &err)) {
        fprintf(stderr, "vocmine: store %s: %s\n", err.source, err.message);
        rc = 3;
        goto done;
    }
    for (int k = 0; k < 2; k++) {
        bufs[k].items = calloc(BATCH_LINES, sizeof *bufs[k].items);
        if (!bufs[k].items) { rc = 3; goto done; }
        bufs[k].analyzer = analyzer;
        bufs[k].opts = opts;
    }
    pool_start(&workers, sessions, n_threads);
    pool_running = true;
    int n_inputs = opts->n_files ? opts->n_files : 1;
    /* the progress line: for a person watching a long run, never in a pipe or a log */
    j.progress = opts->progress && isatty(fileno(stderr)) && writes_store;
    /* flag sorts by severity when every input is a file; a pipe is answered as it comes */
    j.flag_sorted = opts->mode == MODE_FLAG && opts->n_files > 0;
    for (int i = 0; j.flag_sorted && i < opts->n_files; i++) {
        struct stat sb;
        if (!strcmp(opts->files[i], "-") || stat(opts->files[i], &sb) != 0 || !S_ISREG(sb.st_mode))
            j.flag_sorted = false;
    }
    for (int i = 0; j.progress && i < opts->n_files; i++) {
        struct stat sb;
        if (strcmp(opts->files[i], "-") && stat(opts->files[i], &sb) == 0 && S_ISREG(sb.st_mode))
            j.bytes_total += (unsigned long long)sb.st_size;
    }
    j.started = now();
    if (opts->output_csv && writes_store && !opts->explain) voc_record_csv_header(cli_stdio_sink, j.out);
    for (int i = 0; i < n_inputs; i++) {
        const char *path = opts->n_files ? opts->files[i] : "-";
        bool is_stdin = strcmp(path, "-") == 0;
        int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            char msg[600];
            snprintf(msg, sizeof msg, "cannot open: %s", strerror(errno));
            stream_error(&j, path, 0, msg, 3);
            continue;
        }
        struct stat sb;
        /* a pipe or terminal is often a live feed: answer each unit as it comes */
        bool live = fstat(fd, &sb) == 0 && !S_ISREG(sb.st_mode);
        if (opts->mode == MODE_EVAL) j.eval = eval_new();
        process_stream(&j, fd, live, is_stdin ? "<stdin>" : path, bp, &workers);
        if (j.eval) {
            eval_report(j.eval, is_stdin ? "<stdin>" : path, opts->eval_json, j.out);
            eval_free(j.eval);
            j.eval = NULL;
        }
        if (!is_stdin) close(fd);
    }
    if (j.progress) show_progress(&j, 0, true);
    if (j.flag_sorted) {
        if (j.n_flagged > 1) qsort(j.flagged, j.n_flagged, sizeof *j.flagged, by_severity);
        for (size_t i = 0; i < j.n_flagged; i++) fwrite(j.flagged[i].data, 1, j.flagged[i].len, j.out);
    }
    /* the customers whose records changed get their profiles rebuilt */
    if (j.store && j.status < 3 && voc_store_refresh_profiles(j.store, 0, NULL, &err)) {
        fprintf(stderr, "vocmine: store %s: profiles: %s\n", err.source, err.message);
        j.status = 3;
    }
    if (j.store && voc_store_close(j.store, &err)) {
        fprintf(stderr, "vocmine: store %s: %s\n", err.source, err.message);
        j.status = 3;
    }
    j.store = NULL;
    rc = j.status;
done:
    if (j.store) voc_store_close(j.store, NULL);
    if (pool_running) pool_stop(&workers);
    for (int k = 0; k < 2; k++) batch_free(&bufs[k]);
    for (size_t i = 0; i < j.n_flagged; i++) free(j.flagged[i].data);
    free(j.flagged);
    for (int t = 0; t < n_threads; t++) voc_session_free(sessions[t]);
    if (j.out && j.out != stdout && fclose(j.out) != 0 && rc == 0) rc = 3;
    if (j.errors && fclose(j.errors) != 0 && rc == 0) rc = 3;
    return rc;
}
