/* summary.c — `vocmine summary --db PATH|URL`: what is in a store, for a person.
 *
 * Prints documents, languages, the sentiment split, channels, the retention flags and the
 * most negative examples;
 * the quick start ends with it.  It reads a SQLite or PostgreSQL store alike through the
 * public voc_store_query (fixed queries, SQL owned by the library), and only formats here. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

typedef struct summary {
    int kind;          /* enum voc_store_query */
    double total;      /* documents, for the sentiment percentages */
} summary;

static double num(const char *s) { return s ? strtod(s, NULL) : 0; }

static const char *or_dash(const char *s) { return s ? s : "-"; }

static int print_row(void *user, const char *const *v, size_t n)
{
    summary *s = user;
    switch (s->kind) {
    case VOC_STORE_TOTALS:
        if (n < 2) return 1;
        s->total = num(v[0]);
        printf("  %s documents, %s customers\n", or_dash(v[0]), or_dash(v[1]));
        break;
    case VOC_STORE_BY_LANG:
        if (n < 2) return 1;
        printf("  %s  %s\n", or_dash(v[0]), or_dash(v[1]));
        break;
    case VOC_STORE_BY_LABEL:
        if (n < 2) return 1;
        printf("  %s  %s  %.1f%%\n", or_dash(v[0]), or_dash(v[1]),
               s->total > 0 ? 100.0 * num(v[1]) / s->total : 0.0);
        break;
    case VOC_STORE_BY_CHANNEL:
        if (n < 3) return 1;
        printf("  %s  %s  mean score %+.2f\n", or_dash(v[0]), or_dash(v[1]), num(v[2]));
        break;
    case VOC_STORE_FLAGS:
        if (n < 3) return 1;
        printf("  %s  %s  (%s high)\n", or_dash(v[0]), or_dash(v[1]), v[2] ? v[2] : "0");
        break;
    case VOC_STORE_MOST_NEGATIVE: {
        if (n < 4) return 1;
        printf("  %+.2f  %s  %s  ", num(v[0]), or_dash(v[1]), or_dash(v[2]));
        for (const char *t = or_dash(v[3]); *t; t++) putchar(*t == '\r' || *t == '\n' ? ' ' : *t);
        putchar('\n');
        break;
    }
    }
    return 0;
}

int run_summary(const char *db, int n_examples)
{
    static const struct {
        int kind;
        const char *title;
    } parts[] = {
        {VOC_STORE_TOTALS, "Store:"},
        {VOC_STORE_BY_LANG, "Languages:"},
        {VOC_STORE_BY_LABEL, "Sentiment:"},
        {VOC_STORE_BY_CHANNEL, "Channels:"},
        {VOC_STORE_FLAGS, "Retention flags (records, of which high severity):"},
        {VOC_STORE_MOST_NEGATIVE, "Most negative (score, id, customer, text):"},
    };
    voc_store *st;
    voc_error err;
    if (voc_store_open_existing(db, &st, &err)) {
        fprintf(stderr, "vocmine: store %s: %s\n", err.source, err.message);
        return 3;
    }
    summary s = {0, 0};
    int rc = 0;
    for (size_t i = 0; i < sizeof parts / sizeof *parts && !rc; i++) {
        s.kind = parts[i].kind;
        printf("%s\n", parts[i].title);
        if (voc_store_query(st, s.kind, n_examples, print_row, &s, &err)) {
            fflush(stdout);
            fprintf(stderr, "vocmine: summary: store %s: %s\n", err.source, err.message);
            rc = 3;
        }
    }
    voc_store_close(st, NULL);
    return rc;
}
