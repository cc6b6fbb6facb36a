/* test_store.c — the store (store.c and its backends), run the same on SQLite and PostgreSQL:
 * schema and version, upsert without duplicates, batches, a failed batch rolled back whole,
 * UTF-8 repair, the read queries, unreachable servers and passwords kept out of messages.
 *
 *   test_store              a fresh SQLite file in $TMPDIR (ctest: unit_store)
 *   test_store --pg         the PostgreSQL database $VOCMINE_TEST_PG_URL, which must be empty;
 *                           tests/pg/with-postgres.sh starts a throw-away server and sets it
 *                           (ctest: unit_store_pg)
 *   test_store TARGET       any store path or postgresql:// URL (an empty one)
 *   test_store --bench N [--pg|TARGET]   time N upserts, then the same N again (a re-run),
 *                           and print rows/s; not a test, not run by ctest */
#include "test.h"
#include "vocmine.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

static const char *target;
static int is_pg;

/* ---- looking into the database directly, not through the API under test ---------------- */

static long long query_int(const char *sql)
{
    long long v = -1;
    if (is_pg) {
        PGconn *c = PQconnectdb(target);
        PGresult *r = PQexec(c, sql);
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
            v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        else fprintf(stderr, "query_int(%s): %s", sql, PQerrorMessage(c));
        PQclear(r);
        PQfinish(c);
        return v;
    }
    sqlite3 *db;
    sqlite3_stmt *q;
    if (sqlite3_open(target, &db) == SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    } else {
        fprintf(stderr, "query_int(%s): %s\n", sql, sqlite3_errmsg(db));
    }
    sqlite3_close(db);
    return v;
}

static void exec_sql(const char *sql)
{
    if (is_pg) {
        PGconn *c = PQconnectdb(target);
        PGresult *r = PQexec(c, sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
        PQclear(r);
        PQfinish(c);
        return;
    }
    sqlite3 *db;
    sqlite3_open(target, &db);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
    sqlite3_close(db);
}

static long long schema_version(void)
{
    return query_int(is_pg ? "SELECT value::int FROM vocmine_meta WHERE key = 'schema_version'"
                           : "PRAGMA user_version");
}

static void set_schema_version(int v)
{
    char sql[160];
    if (is_pg) snprintf(sql, sizeof sql, "UPDATE vocmine_meta SET value = '%d' WHERE key = 'schema_version'", v);
    else snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
    exec_sql(sql);
}

/* ---- rows -------------------------------------------------------------------------------- */

static voc_store_row row(const char *rid, const char *label, double score)
{
    voc_store_row r = {rid, "id-1", "C-1", "email", "2026-11-02T09:00:00Z", "en", label, score, 0.9,
                       "some text", 9, "{\"schema\":\"vocmine.record/1\"}", 29};
    return r;
}

/* Put n rows "<prefix>:<i>" for i in [from, from + n); returns the first failing status. */
static int put_many(voc_store *st, const char *prefix, int from, int n)
{
    char rid[48];
    voc_error err;
    for (int i = from; i < from + n; i++) {
        snprintf(rid, sizeof rid, "%s:%d", prefix, i);
        voc_store_row r = row(rid, "neutral", 0);
        int rc = voc_store_put(st, &r, &err);
        if (rc) return rc;
    }
    return 0;
}

/* voc_store_query rows, joined as "a|b|c;" for comparison */
typedef struct collected {
    char text[1024];
} collected;

static int collect(void *user, const char *const *v, size_t n)
{
    collected *c = user;
    size_t len = strlen(c->text);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(c->text + len, sizeof c->text - len, "%s%s", i ? "|" : "",
                                v[i] ? v[i] : "NULL");
    snprintf(c->text + len, sizeof c->text - len, ";");
    return 0;
}

static int stop_at_first(void *user, const char *const *v, size_t n)
{
    (void)user, (void)v, (void)n;
    return 1;
}

/* ---- the tests --------------------------------------------------------------------------- */

static void test_upsert_and_batches(void)
{
    voc_store *st;
    voc_error err;
    CHECK_INT(voc_store_open(target, &st, &err), 0);
    voc_store_row r1 = row("email:1", "negative", -0.5), r2 = row("email:2", "positive", 0.5);
    CHECK_INT(voc_store_put(st, &r1, &err), 0);
    CHECK_INT(voc_store_put(st, &r2, &err), 0);
    CHECK_INT(voc_store_close(st, &err), 0);
    CHECK_INT(query_int("SELECT count(*) FROM records"), 2);
    CHECK_INT(schema_version(), VOC_STORE_SCHEMA_VERSION);
    CHECK_INT(query_int("SELECT count(*) FROM records WHERE score = -0.5 AND confidence = 0.9"), 1);

    /* re-running the same records changes nothing; a changed record is updated in place */
    CHECK_INT(voc_store_open(target, &st, &err), 0);
    r1.label = "neutral";
    r1.score = 0;
    CHECK_INT(voc_store_put(st, &r1, &err), 0);
    CHECK_INT(voc_store_put(st, &r2, &err), 0);
    CHECK_INT(voc_store_close(st, &err), 0);
    CHECK_INT(query_int("SELECT count(*) FROM records"), 2);
    CHECK_INT(query_int("SELECT count(*) FROM records WHERE record_id = 'email:1' AND label = 'neutral'"), 1);
    CHECK_INT(query_int("SELECT count(*) FROM records WHERE customer_id IS NULL"), 0);
    CHECK_INT(query_int("SELECT count(*) FROM records WHERE time IS NULL"), 0);

    /* more than one batch, and NULL for absent fields */
    CHECK_INT(voc_store_open(target, &st, &err), 0);
    CHECK_INT(put_many(st, "chat", 0, 2500), 0);
    voc_store_row bare = {"bare:1", NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, 0, "{}", 2};
    CHECK_INT(voc_store_put(st, &bare, &err), 0);
    CHECK_INT(voc_store_close(st, &err), 0);
    CHECK_INT(query_int("SELECT count(*) FROM records"), 2503);
    CHECK_INT(query_int("SELECT count(*) FROM records WHERE record_id = 'bare:1' AND id IS NULL AND"
                        " customer_id IS NULL AND time IS NULL AND channel = 'text' AND lang = 'und'"
                        " AND label = 'neutral' AND text = ''"), 1);
}

/* A row the database refuses (a label outside the CHECK) in the middle of a batch: the
 * batch's rows before it are gone too, the batches before it stay, and every later put is
 * refused until close.  SQLite reports it at once, PostgreSQL at the end of the batch. */
static void test_failed_batch_rolls_back(void)
{
    voc_store *st;
    voc_error err;
    long long before = query_int("SELECT count(*) FROM records");
    CHECK_INT(voc_store_open(target, &st, &err), 0);
    CHECK_INT(put_many(st, "batch", 0, 1000), 0); /* one whole batch: committed */
    int first_failure = -1;
    char rid[48], message[512] = "";
    for (int i = 1000; i < 2000; i++) {
        snprintf(rid, sizeof rid, "batch:%d", i);
        voc_store_row r = row(rid, i == 1200 ? "awful" : "neutral", 0);
        int rc = voc_store_put(st, &r, &err);
        if (rc && first_failure < 0) {
            CHECK_INT(rc, VOC_ESTORE);
            first_failure = i;
            snprintf(message, sizeof message, "%s", err.message);
        } else if (first_failure >= 0) {
            CHECK_INT(rc, VOC_ESTORE); /* refused after the failure */
        }
    }
    int rc_close = voc_store_close(st, &err);
    if (first_failure < 0) snprintf(message, sizeof message, "%s", err.message);
    /* reported at the bad row (SQLite) or when its batch was sent (PostgreSQL, put 2000) */
    CHECK(first_failure == 1200 || first_failure == 1999 || (first_failure < 0 && rc_close == VOC_ESTORE));
    CHECK_INT(rc_close, VOC_ESTORE);
    CHECK(strstr(message, "batch:1200") != NULL); /* names the refused record */
    if (!strstr(message, "batch:1200")) fprintf(stderr, "message: %s\n", message);
    CHECK_INT(query_int("SELECT count(*) FROM records"), before + 1000);
    CHECK_INT(query_int("SELECT count(*) FROM records WHERE record_id = 'batch:999'"), 1);
    CHECK_INT(query_int("SELECT count(*) FROM records WHERE record_id = 'batch:1000'"), 0);
    CHECK_INT(query_int("SELECT count(*) FROM records WHERE record_id = 'batch:1199'"), 0);
    CHECK_INT(query_int("SELECT count(*) FROM records WHERE label = 'awful'"), 0);

    /* the same failure in a batch cut short by close */
    CHECK_INT(voc_store_open(target, &st, &err), 0);
    CHECK_INT(put_many(st, "short", 0, 10), 0);
    voc_store_row bad = row("short:bad", "awful", 0);
    int rc_put = voc_store_put(st, &bad, &err);
    rc_close = voc_store_close(st, &err);
    CHECK(rc_put == VOC_ESTORE || rc_close == VOC_ESTORE);
    CHECK_INT(rc_close, VOC_ESTORE);
    CHECK_INT(query_int("SELECT count(*) FROM records WHERE record_id LIKE 'short:%'"), 0);

    /* the store is usable again afterwards */
    CHECK_INT(voc_store_open(target, &st, &err), 0);
    CHECK_INT(put_many(st, "again", 0, 3), 0);
    CHECK_INT(voc_store_close(st, &err), 0);
    CHECK_INT(query_int("SELECT count(*) FROM records WHERE record_id LIKE 'again:%'"), 3);
}

/* Text is stored as valid UTF-8 in both: NUL and invalid bytes become U+FFFD. */
static void test_text(void)
{
    voc_store *st;
    voc_error err;
    CHECK_INT(voc_store_open(target, &st, &err), 0);
    static const char han[] = "客服態度很好，但是APP一直閃退 😡\r\n第二行";
    size_t han_len;
    char *han_exact = test_exact(han, &han_len); /* no NUL after it */
    voc_store_row r = row("text:han", "negative", -0.7);
    r.text = han_exact;
    r.text_len = han_len;
    CHECK_INT(voc_store_put(st, &r, &err), 0);
    static const char nul[] = {'x', '\0', 'y', (char)0xFF, 'z'};
    voc_store_row bad = row("text:bad\xFE", "neutral", 0);
    bad.id = "a\xC3";
    bad.text = nul;
    bad.text_len = sizeof nul;
    bad.record_json = "{\"t\":\"\xFF\"}";
    bad.record_json_len = strlen(bad.record_json);
    CHECK_INT(voc_store_put(st, &bad, &err), 0);
    CHECK_INT(voc_store_close(st, &err), 0);
    free(han_exact);
    CHECK_INT(query_int("SELECT count(*) FROM records WHERE text = '客服態度很好，但是APP一直閃退 😡\r\n第二行'"), 1);
    CHECK_INT(query_int("SELECT count(*) FROM records WHERE record_id = 'text:bad\xEF\xBF\xBD' AND"
                        " id = 'a\xEF\xBF\xBD' AND text = 'x\xEF\xBF\xBDy\xEF\xBF\xBDz'"), 1);
    if (is_pg) /* the record is JSONB */
        CHECK_INT(query_int("SELECT count(*) FROM records WHERE record->>'t' = '\xEF\xBF\xBD'"
                            " AND jsonb_typeof(record) = 'object'"), 1);
}

static void test_queries(void)
{
    voc_store *st;
    voc_error err;
    exec_sql("DELETE FROM records");
    CHECK_INT(voc_store_open(target, &st, &err), 0);
    voc_store_row a = row("q:1", "negative", -0.25), b = row("q:2", "negative", -0.75),
                  c = row("q:3", "positive", 0.5);
    b.customer_id = "C-2";
    b.lang = "zh-Hant";
    c.customer_id = NULL;
    c.channel = "chat";
    CHECK_INT(voc_store_put(st, &a, &err), 0);
    CHECK_INT(voc_store_put(st, &b, &err), 0);
    CHECK_INT(voc_store_put(st, &c, &err), 0);
    /* a query sees what was put before it (the open batch is committed first) */
    collected got = {""};
    CHECK_INT(voc_store_query(st, VOC_STORE_TOTALS, 0, collect, &got, &err), 0);
    CHECK_STR(got.text, "3|2;");
    CHECK_INT(voc_store_close(st, &err), 0);

    CHECK_INT(voc_store_open_existing(target, &st, &err), 0);
    CHECK_INT(voc_store_put(st, &a, &err), VOC_EINVAL); /* read-only */
    memset(&got, 0, sizeof got);
    CHECK_INT(voc_store_query(st, VOC_STORE_BY_LANG, 0, collect, &got, &err), 0);
    CHECK_STR(got.text, "en|2;zh-Hant|1;");
    memset(&got, 0, sizeof got);
    CHECK_INT(voc_store_query(st, VOC_STORE_BY_LABEL, 0, collect, &got, &err), 0);
    CHECK_STR(got.text, "negative|2;positive|1;");
    memset(&got, 0, sizeof got);
    CHECK_INT(voc_store_query(st, VOC_STORE_BY_CHANNEL, 0, collect, &got, &err), 0);
    CHECK_STR(got.text, "chat|1|0.5;email|2|-0.5;");
    memset(&got, 0, sizeof got);
    CHECK_INT(voc_store_query(st, VOC_STORE_MOST_NEGATIVE, 1, collect, &got, &err), 0);
    CHECK_STR(got.text, "-0.75|id-1|C-2|some text;");
    memset(&got, 0, sizeof got);
    CHECK_INT(voc_store_query(st, VOC_STORE_MOST_NEGATIVE, 5, collect, &got, &err), 0);
    CHECK_STR(got.text, "-0.75|id-1|C-2|some text;-0.25|id-1|C-1|some text;");
    CHECK_INT(voc_store_query(st, VOC_STORE_TOTALS, 0, stop_at_first, NULL, &err), VOC_ECALLBACK);
    CHECK_INT(voc_store_query(st, 42, 0, collect, &got, &err), VOC_EINVAL);
    CHECK_INT(voc_store_close(st, &err), 0);
}

static void test_refusals(void)
{
    voc_store *st;
    voc_error err;
    CHECK_INT(voc_store_open(NULL, &st, &err), VOC_EINVAL);
    CHECK_INT(voc_store_put(NULL, NULL, &err), VOC_EINVAL);
    CHECK_INT(voc_store_close(NULL, &err), 0);
    /* a store of another schema version */
    set_schema_version(99);
    CHECK_INT(voc_store_open(target, &st, &err), VOC_ESTORE);
    CHECK(strstr(err.message, "99") != NULL);
    CHECK_INT(voc_store_open_existing(target, &st, &err), VOC_ESTORE);
    set_schema_version(VOC_STORE_SCHEMA_VERSION);
    /* a path that cannot be created */
    CHECK_INT(voc_store_open("/nonexistent-dir/x.db", &st, &err), VOC_ESTORE);
    CHECK_INT(voc_store_open_existing("/nonexistent-dir/x.db", &st, &err), VOC_ESTORE);
    /* a server that is not there: the message names it; no password shows */
    CHECK_INT(voc_store_open("postgresql:///vocmine?host=/nonexistent-dir&port=1", &st, &err), VOC_ESTORE);
    CHECK(strstr(err.message, "cannot connect") != NULL);
    CHECK(strstr(err.message, "/nonexistent-dir") != NULL);
    CHECK_INT(voc_store_open("postgres://alice:s3cret@/vocmine?host=/nonexistent-dir&port=1&password=hunter2",
                             &st, &err), VOC_ESTORE);
    CHECK(strstr(err.source, "s3cret") == NULL && strstr(err.message, "s3cret") == NULL);
    CHECK(strstr(err.source, "hunter2") == NULL && strstr(err.message, "hunter2") == NULL);
    CHECK(strstr(err.source, "alice:***@") != NULL);
    if (strstr(err.source, "alice:***@") == NULL) fprintf(stderr, "source: %s\n", err.source);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Rows shaped like real ones: ~200 bytes of text, ~1 KB of record JSON. */
static int bench(int n)
{
    char text[256], json[1200], rid[48], id[32], customer[32];
    for (int pass = 0; pass < 2; pass++) {
        voc_store *st;
        voc_error err;
        double t0 = now();
        if (voc_store_open(target, &st, &err)) {
            fprintf(stderr, "%s: %s\n", err.source, err.message);
            return 1;
        }
        for (int i = 0; i < n; i++) {
            snprintf(rid, sizeof rid, "bench:%08d", i);
            snprintf(id, sizeof id, "B-%d", i);
            snprintf(customer, sizeof customer, "C-%d", i % 997);
            int tl = snprintf(text, sizeof text, "message %d: 客服態度很好，但是APP一直閃退 😡 the refund took six weeks and nobody answered my emails, which is unacceptable for a paying customer", i);
            int jl = snprintf(json, sizeof json, "{\"schema\":\"vocmine.record/1\",\"record_id\":\"%s\",\"id\":\"%s\",\"text\":\"%s\",\"evidence\":[%s]}",
                              rid, id, text, "{\"start\":0,\"end\":7,\"kind\":\"lexicon\",\"weight\":-0.5},{\"start\":9,\"end\":20,\"kind\":\"ngram\",\"weight\":0.25},{\"start\":21,\"end\":30,\"kind\":\"rule\",\"term\":\"waited duration\",\"weight\":-0.375},{\"start\":31,\"end\":40,\"kind\":\"contrast\",\"weight\":1.5}");
            voc_store_row r = {rid, id, customer, "email", "2026-11-02T09:00:00Z", "mixed", "negative",
                               -0.5 - i % 50 / 100.0, 0.9, text, (size_t)tl, json, (size_t)jl};
            if (voc_store_put(st, &r, &err)) {
                fprintf(stderr, "%s: %s\n", err.source, err.message);
                voc_store_close(st, NULL);
                return 1;
            }
        }
        if (voc_store_close(st, &err)) {
            fprintf(stderr, "%s: %s\n", err.source, err.message);
            return 1;
        }
        double dt = now() - t0;
        printf("%s %s: %d records in %.3f s: %.0f rows/s\n", is_pg ? "PostgreSQL" : "SQLite",
               pass ? "re-run (updates)" : "first run (inserts)", n, dt, n / dt);
    }
    return 0;
}

int main(int argc, char **argv)
{
    int bench_n = 0;
    if (argc > 2 && strcmp(argv[1], "--bench") == 0) {
        bench_n = atoi(argv[2]);
        argv += 2;
        argc -= 2;
    }
    char path[256];
    if (argc > 1 && strcmp(argv[1], "--pg") == 0) {
        target = getenv("VOCMINE_TEST_PG_URL");
        if (!target || !*target) {
            fprintf(stderr, "test_store --pg: VOCMINE_TEST_PG_URL is not set; run it under "
                            "tests/pg/with-postgres.sh\n");
            return 1;
        }
    } else if (argc > 1) {
        target = argv[1];
    } else {
        snprintf(path, sizeof path, "%s/vocmine-store-%d.db", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
        unlink(path);
        target = path;
    }
    is_pg = strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0;
    printf("test_store: %s store %s\n", is_pg ? "PostgreSQL" : "SQLite", target);
    if (bench_n > 0) return bench(bench_n);

    /* an empty target to begin with, and opening it as existing creates nothing */
    voc_store *st;
    voc_error err;
    CHECK_INT(voc_store_open_existing(target, &st, &err), VOC_ESTORE);
    if (is_pg) {
        long long n = query_int("SELECT count(*) FROM pg_tables WHERE tablename IN ('records', 'vocmine_meta')");
        if (n != 0) {
            fprintf(stderr, "test_store: %s is not an empty database\n", target);
            return 1;
        }
    } else {
        CHECK(access(target, F_OK) != 0);
    }

    test_upsert_and_batches();
    test_failed_batch_rolls_back();
    test_text();
    test_queries();
    test_refusals();

    if (is_pg) {
        exec_sql("DROP TABLE records");
        exec_sql("DROP TABLE vocmine_meta");
    } else {
        char side[300];
        unlink(target);
        snprintf(side, sizeof side, "%s-wal", target);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", target);
        unlink(side);
    }
    return test_exit_status("test_store");
}
