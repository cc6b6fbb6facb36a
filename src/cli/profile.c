/* profile.c — `vocmine profile`: refresh and export customer profiles, or merge exports.
 *
 *   vocmine profile --db DB [--customer ID] [--full] [--output FILE] [--output-format jsonl|csv]
 *   vocmine profile --merge [--output FILE] [--output-format jsonl|csv] FILE...
 *
 * With --db the store rebuilds the profiles of customers whose records changed (--full:
 * all) and writes one row per customer, ordered by customer id.  With --merge the inputs
 * are profile exports (JSON Lines) of separate partitions — machines, days, shards — and
 * the output is what one run over all their records gives: every aggregate is a sum,
 * count, min, max or last-by-time, kept exactly (profile.c). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct export_ctx {
    FILE *out;
    bool csv;
    size_t n;
    int status;
} export_ctx;

static int write_profile(export_ctx *x, voc_profile *p)
{
    int rc = x->csv ? voc_profile_write_csv(p, cli_stdio_sink, x->out) : voc_profile_write_json(p, cli_stdio_sink, x->out);
    if (!rc && !x->csv) rc = fputc('\n', x->out) == EOF ? VOC_EIO : 0;
    x->n++;
    return rc;
}

static int on_stored(void *user, const char *const *values, size_t n)
{
    export_ctx *x = user;
    if (n < 1 || !values[0]) return 0;
    if (!x->csv) {
        fputs(values[0], x->out);
        return fputc('\n', x->out) == EOF ? 1 : (x->n++, 0);
    }
    voc_profile *p;
    voc_error err;
    if (voc_profile_from_json(values[0], strlen(values[0]), &p, &err)) {
        fprintf(stderr, "vocmine profile: a stored profile does not read back: %s\n", err.message);
        x->status = 3;
        return 1;
    }
    int rc = write_profile(x, p);
    voc_profile_free(p);
    return rc ? 1 : 0;
}

/* ---- merging: customer id → profile, an open-addressing table ---------------------------- */

typedef struct table {
    voc_profile **slots;
    size_t cap, n;
} table;

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static voc_profile **slot_of(table *t, const char *customer)
{
    size_t i = hash(customer) & (t->cap - 1);
    while (t->slots[i] && strcmp(voc_profile_customer(t->slots[i]), customer)) i = (i + 1) & (t->cap - 1);
    return &t->slots[i];
}

static int grow(table *t)
{
    table bigger = {calloc(t->cap ? t->cap * 2 : 1024, sizeof(voc_profile *)), t->cap ? t->cap * 2 : 1024, 0};
    if (!bigger.slots) return VOC_ENOMEM;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i]) {
            *slot_of(&bigger, voc_profile_customer(t->slots[i])) = t->slots[i];
            bigger.n++;
        }
    free(t->slots);
    *t = bigger;
    return VOC_OK;
}

static int by_customer(const void *a, const void *b)
{
    return strcmp(voc_profile_customer(*(voc_profile *const *)a), voc_profile_customer(*(voc_profile *const *)b));
}

static int merge_files(const cli_options *o, export_ctx *x)
{
    table t = {0};
    int status = 0;
    if (grow(&t)) return 3;
    char *line = NULL;
    size_t cap = 0;
    for (int f = 0; f < o->n_files; f++) {
        FILE *in = strcmp(o->files[f], "-") ? fopen(o->files[f], "r") : stdin;
        if (!in) {
            fprintf(stderr, "vocmine profile: cannot open %s: %s\n", o->files[f], strerror(errno));
            status = 3;
            continue;
        }
        ssize_t n;
        size_t lineno = 0;
        while ((n = getline(&line, &cap, in)) >= 0) {
            lineno++;
            while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
            if (!n) continue;
            voc_profile *p;
            voc_error err;
            if (voc_profile_from_json(line, (size_t)n, &p, &err)) {
                fprintf(stderr, "vocmine profile: %s:%zu: %s\n", o->files[f], lineno, err.message);
                status = status ? status : 1;
                continue;
            }
            voc_profile **slot = slot_of(&t, voc_profile_customer(p));
            if (*slot) { /* the same customer seen in another partition: add it */
                if (voc_profile_merge_json(*slot, line, (size_t)n, &err)) {
                    fprintf(stderr, "vocmine profile: %s:%zu: %s\n", o->files[f], lineno, err.message);
                    status = status ? status : 1;
                }
                voc_profile_free(p);
                continue;
            }
            *slot = p;
            if (++t.n * 2 > t.cap && grow(&t)) { status = 3; break; }
        }
        if (in != stdin) fclose(in);
    }
    free(line);
    /* one row per customer, by customer id (bytes), as the store exports them */
    size_t k = 0;
    for (size_t i = 0; i < t.cap; i++)
        if (t.slots[i]) t.slots[k++] = t.slots[i];
    if (k > 1) qsort(t.slots, k, sizeof *t.slots, by_customer);
    for (size_t i = 0; i < k; i++) {
        if (write_profile(x, t.slots[i])) status = 3;
        voc_profile_free(t.slots[i]);
    }
    free(t.slots);
    return status;
}

int run_profile(const char *db, const cli_options *o, const char *customer, bool full, bool merge)
{
    export_ctx x = {stdout, o->output_csv, 0, 0};
    if (o->output_path && !(x.out = fopen(o->output_path, "w"))) {
        fprintf(stderr, "vocmine profile: cannot write %s: %s\n", o->output_path, strerror(errno));
        return 3;
    }
    if (x.csv) voc_profile_csv_header(cli_stdio_sink, x.out);
    int status = 0;
    if (merge) {
        status = merge_files(o, &x);
    } else {
        voc_store *store;
        voc_error err;
        /* the store must exist: a mistyped path is an error, not a new empty database */
        if (voc_store_open_existing(db, &store, &err)) {
            fprintf(stderr, "vocmine profile: %s: %s\n", err.source, err.message);
            status = 3;
            goto done;
        }
        voc_store_close(store, NULL);
        if (voc_store_open(db, &store, &err)) {
            fprintf(stderr, "vocmine profile: %s: %s\n", err.source, err.message);
            status = 3;
            goto done;
        }
        size_t refreshed = 0;
        if (voc_store_refresh_profiles(store, full, &refreshed, &err) ||
            voc_store_profiles(store, customer, on_stored, &x, &err)) {
            fprintf(stderr, "vocmine profile: %s: %s\n", err.source, err.message);
            status = 3;
        }
        if (voc_store_close(store, &err) && !status) {
            fprintf(stderr, "vocmine profile: %s: %s\n", err.source, err.message);
            status = 3;
        }
        if (x.status) status = x.status;
        if (!status && customer && !x.n) {
            fprintf(stderr, "vocmine profile: no profile for customer %s\n", customer);
            status = 1;
        }
        if (!status)
            fprintf(stderr, "vocmine profile: %zu profile%s rebuilt, %zu written\n", refreshed,
                    refreshed == 1 ? "" : "s", x.n);
    }
done:
    if (x.out != stdout && fclose(x.out) != 0 && !status) status = 3;
    return status;
}
