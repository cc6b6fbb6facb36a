/* summary.c — `vocmine summary --db PATH`: what is in a store, for a person.
 *
 * Prints documents, languages, the sentiment split and the most negative examples; the
 * quick start ends with it.  It reads the records table through the SQLite C API with
 * fixed SQL (no input is ever spliced into a statement). */
#include "cli.h"

#include <sqlite3.h>
#include <string.h>

static int print_rows(sqlite3 *db, const char *sql, const char *title, int n_examples)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
        fprintf(stderr, "vocmine: summary: %s\n", sqlite3_errmsg(db));
        return -1;
    }
    if (n_examples) sqlite3_bind_int(q, 1, n_examples);
    printf("%s\n", title);
    while (sqlite3_step(q) == SQLITE_ROW) {
        int nc = sqlite3_column_count(q);
        printf("  ");
        for (int c = 0; c < nc; c++) {
            const unsigned char *v = sqlite3_column_text(q, c);
            printf("%s%s", c ? "  " : "", v ? (const char *)v : "-");
        }
        printf("\n");
    }
    sqlite3_finalize(q);
    return 0;
}

int run_summary(const char *db_path, int n_examples)
{
    sqlite3 *db;
    /* read-write (it writes nothing) so that closing the last connection cleans up the WAL */
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        fprintf(stderr, "vocmine: cannot open %s: %s\n", db_path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return 3;
    }
    int rc = 0;
    rc |= print_rows(db, "SELECT count(*) || ' documents, ' || count(DISTINCT customer_id) || ' customers' FROM records",
                     "Store:", 0);
    rc |= print_rows(db, "SELECT lang, count(*) FROM records GROUP BY lang ORDER BY count(*) DESC, lang",
                     "Languages:", 0);
    rc |= print_rows(db, "SELECT label, count(*), printf('%.1f%%', 100.0 * count(*) / (SELECT count(*) FROM records))"
                         " FROM records GROUP BY label ORDER BY label", "Sentiment:", 0);
    rc |= print_rows(db, "SELECT channel, count(*), printf('mean score %+.2f', avg(score)) FROM records"
                         " GROUP BY channel ORDER BY channel", "Channels:", 0);
    rc |= print_rows(db, "SELECT printf('%+.2f', score), id, coalesce(customer_id, '-'),"
                         " substr(replace(replace(text, char(13), ' '), char(10), ' '), 1, 70)"
                         " FROM records WHERE label = 'negative' ORDER BY score, record_id LIMIT ?1",
                     "Most negative (score, id, customer, text):", n_examples);
    sqlite3_close(db);
    return rc ? 3 : 0;
}
