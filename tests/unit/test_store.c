/* test_store.c — the store (store.c and its backends), run the same on SQLite and PostgreSQL:
 * schema and version, a version-1 store read as it is and upgraded in place, upsert without
 * duplicates, batches, a failed batch rolled back whole, UTF-8 repair, the read queries,
 * unreachable servers and passwords kept out of messages, and customer profiles: exact
 * fields, a re-run that changes nothing (updated_at included), re-analyzed, deleted and
 * moved records, a record written during a refresh, a refused profile, and marked refreshes
 * equal to a rebuild of every customer.
 *
 *   test_store              a fresh SQLite file in $TMPDIR (ctest: unit_store)
 *   test_store --pg         the PostgreSQL database $VOCMINE_TEST_PG_URL, which must be empty;
 *                           tests/pg/with-postgres.sh starts a throw-away server and sets it
 *                           (ctest: unit_store_pg)
 *   test_store TARGET       any store path or postgresql:// URL (an empty one)
 *   test_store --bench N [--pg|TARGET]   time N upserts, then the same N again (a re-run),
 *                           and print rows/s; not a test, not run by ctest
 *   test_store --bench-profiles N C [--pg|TARGET]   N records over C customers, then time
 *                           profile refreshes (all marked, nothing marked, 10% changed,
 *                           all); an empty target */
#include "test.h"
#include "vocmine.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

static const char *target;
static int is_pg;

/* ---- looking into the database directly, not through the API under test ---------------- */

/* Run `sql` (one or more statements) on the store under test, and copy the first column of
 * its first row into out ("(none)" without a row, "NULL" for SQL NULL).  A statement the
 * database refuses is a failed check: the setup of later checks must not fail silently. */
static int first_cell(void *user, int n, char **values, char **names)
{
    (void)names;
    char **out = user;
    if (out[0] && !out[1]) { /* only the first row */
        snprintf(out[0], (size_t)(uintptr_t)out[2], "%s", n > 0 && values[0] ? values[0] : "NULL");
        out[1] = out[0];
    }
    return 0;
}

static void db_run(const char *sql, char *out, size_t size)
{
    if (out) snprintf(out, size, "(none)");
    if (is_pg) {
        PGconn *c = PQconnectdb(target);
        PGresult *r = PQexec(c, sql);
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_TUPLES_OK && PQntuples(r) > 0 && out)
            snprintf(out, size, "%s", PQgetisnull(r, 0, 0) ? "NULL" : PQgetvalue(r, 0, 0));
        else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
            fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
            test_failures++;
        }
        PQclear(r);
        PQfinish(c);
        return;
    }
    sqlite3 *db = NULL;
    char *cell[3] = {out, NULL, (char *)(uintptr_t)size};
    if (sqlite3_open(target, &db) != SQLITE_OK ||
        sqlite3_exec(db, sql, out ? first_cell : NULL, cell, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, db ? sqlite3_errmsg(db) : "cannot open");
        test_failures++;
    }
    sqlite3_close(db);
}

static long long query_int(const char *sql)
{
    char text[64];
    db_run(sql, text, sizeof text);
    char *end;
    long long v = strtoll(text, &end, 10);
    return end == text ? -1 : v;
}

static void exec_sql(const char *sql) { db_run(sql, NULL, 0); }

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

static int collect(void *user, const char *const *v, size_t n);

/* What query q (with `limit`) gives, as "a|b;c|d;" (the query must succeed). */
static const char *store_query_text(voc_store *st, int q, int limit)
{
    static collected got;
    voc_error err;
    memset(&got, 0, sizeof got);
    CHECK_INT(voc_store_query(st, q, limit, collect, &got, &err), 0);
    return got.text;
}

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
    CHECK_STR(store_query_text(st, VOC_STORE_TOTALS, 0), "3|2;");
    CHECK_INT(voc_store_close(st, &err), 0);

    CHECK_INT(voc_store_open_existing(target, &st, &err), 0);
    CHECK_INT(voc_store_put(st, &a, &err), VOC_EINVAL); /* read-only */
    CHECK_STR(store_query_text(st, VOC_STORE_BY_LANG, 0), "en|2;zh-Hant|1;");
    CHECK_STR(store_query_text(st, VOC_STORE_BY_LABEL, 0), "negative|2;positive|1;");
    CHECK_STR(store_query_text(st, VOC_STORE_BY_CHANNEL, 0), "chat|1|0.5;email|2|-0.5;");
    CHECK_STR(store_query_text(st, VOC_STORE_MOST_NEGATIVE, 1), "-0.75|id-1|C-2|some text;");
    CHECK_STR(store_query_text(st, VOC_STORE_MOST_NEGATIVE, 5), "-0.75|id-1|C-2|some text;-0.25|id-1|C-1|some text;");
    CHECK_INT(voc_store_query(st, VOC_STORE_TOTALS, 0, stop_at_first, NULL, &err), VOC_ECALLBACK);
    collected got = {""};
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

/* ---- customer profiles ------------------------------------------------------------------- */

static void query_text(const char *sql, char *out, size_t size) { db_run(sql, out, size); }

/* Flag, emotion and topic entries as vocmine.record/1 writes them. */
#define FLAG(id) "{\"id\":\"" id "\",\"severity\":\"high\",\"reasons\":[],\"spans\":[]}"
#define EMOTION(id) "{\"id\":\"" id "\",\"score\":0.5}"
#define TOPIC(id, s) "{\"id\":\"" id "\",\"score\":1,\"sentiment\":" s ",\"spans\":[]}"

/* Put one record built by hand; customer and time may be NULL. */
static int put_rec(voc_store *st, const char *rid, const char *customer, const char *channel,
                   const char *time, const char *label, double score, const char *flags,
                   const char *emotions, const char *topics)
{
    char json[2048], cust[80], when[80];
    snprintf(cust, sizeof cust, customer ? "\"%s\"" : "null", customer ? customer : "");
    snprintf(when, sizeof when, time ? "\"%s\"" : "null", time ? time : "");
    int len = snprintf(json, sizeof json,
                       "{\"schema\":\"vocmine.record/1\",\"record_id\":\"%s\",\"id\":\"%s\","
                       "\"customer_id\":%s,\"channel\":\"%s\",\"time\":%s,\"lang\":\"en\","
                       "\"sentiment\":{\"label\":\"%s\",\"score\":%.4f,\"confidence\":0.9},"
                       "\"emotions\":[%s],\"topics\":[%s],\"flags\":[%s],\"evidence\":[]}",
                       rid, rid, cust, channel, when, label, score, emotions, topics, flags);
    voc_store_row r = {rid, rid, customer, channel, time, "en", label, score, 0.9,
                       "text", 4, json, (size_t)len};
    voc_error err;
    int rc = voc_store_put(st, &r, &err);
    if (rc) fprintf(stderr, "put %s: %s\n", rid, err.message);
    return rc;
}

/* Every stored profile as "JSON updated_at\n" lines, in a growing string. */
typedef struct profiles_text {
    char *s;
    size_t len, cap;
    int n;
} profiles_text;

static int collect_profile(void *user, const char *const *v, size_t n)
{
    profiles_text *p = user;
    if (n != 2 || !v[0] || !v[1]) return 1;
    size_t need = p->len + strlen(v[0]) + strlen(v[1]) + 3;
    if (need > p->cap) {
        p->cap = need * 2;
        if (!(p->s = realloc(p->s, p->cap))) abort();
    }
    p->len += (size_t)sprintf(p->s + p->len, "%s %s\n", v[0], v[1]);
    p->n++;
    return 0;
}

/* All profiles (customer NULL) or one customer's, through voc_store_profiles. */
static profiles_text get_profiles(voc_store *st, const char *customer)
{
    profiles_text p = {calloc(1, 1), 0, 1, 0};
    voc_error err;
    if (!p.s) abort();
    int rc = voc_store_profiles(st, customer, collect_profile, &p, &err);
    if (rc) fprintf(stderr, "voc_store_profiles: %s\n", err.message);
    CHECK_INT(rc, 0);
    return p;
}

static int count_profiles(voc_store *st, const char *customer)
{
    profiles_text p = get_profiles(st, customer);
    free(p.s);
    return p.n;
}

/* The profile JSON alone (without updated_at) of one customer; "" when none. */
static char *profile_of(voc_store *st, const char *customer)
{
    profiles_text p = get_profiles(st, customer);
    char *space = strrchr(p.s, ' ');
    if (space) *space = '\0';
    return p.s;
}

#define CHECK_HAS(json, part)                                                            \
    do {                                                                                 \
        test_checks++;                                                                   \
        if (!strstr((json), (part))) {                                                   \
            fprintf(stderr, "%s:%d: %s not in profile %s\n", __FILE__, __LINE__, (part), \
                    (json));                                                             \
            test_failures++;                                                             \
        }                                                                                \
    } while (0)

/* Commit the records put so far (a query does), so that SQL from elsewhere sees them. */
static void flush(voc_store *st)
{
    collected c = {""};
    voc_error err;
    CHECK_INT(voc_store_query(st, VOC_STORE_TOTALS, 0, collect, &c, &err), 0);
}

static size_t refresh(voc_store *st, int all)
{
    size_t n = 0;
    voc_error err;
    int rc = voc_store_refresh_profiles(st, all, &n, &err);
    if (rc) fprintf(stderr, "refresh: %s\n", err.message);
    CHECK_INT(rc, 0);
    return n;
}

static void clear_store(void)
{
    exec_sql("DELETE FROM records");
    exec_sql("DELETE FROM customer_profiles");
    exec_sql("DELETE FROM profile_marks");
}

static void test_profiles(void)
{
    voc_store *st;
    voc_error err;
    clear_store();
    CHECK_INT(voc_store_open(target, &st, &err), 0);
    CHECK_INT(put_rec(st, "A:1", "A", "email", "2026-11-01T10:00:00Z", "negative", -0.5,
                      FLAG("churn_risk") "," FLAG("dismay"), EMOTION("anger") "," EMOTION("frustration"),
                      TOPIC("billing", "-0.5")), 0);
    CHECK_INT(put_rec(st, "A:2", "A", "chat", "2026-11-03T09:00:00Z", "positive", 0.7123,
                      FLAG("delight"), EMOTION("delight"),
                      TOPIC("billing", "0.25") "," TOPIC("app", "0.5")), 0);
    CHECK_INT(put_rec(st, "A:3", "A", "email", "2026-11-02T08:00:00Z", "neutral", 0, "",
                      EMOTION("anger"), ""), 0);
    CHECK_INT(put_rec(st, "B:1", "B", "survey", "2026-10-30T00:00:00Z", "negative", -0.9,
                      FLAG("churn_risk") "," FLAG("escalation"), EMOTION("anger"),
                      TOPIC("delivery", "-0.8")), 0);
    CHECK_INT(put_rec(st, "N:1", NULL, "social", NULL, "positive", 0.5, FLAG("delight"), "", ""), 0);
    /* the records are still in the open batch: the refresh commits them first */
    CHECK_INT(refresh(st, 0), 2);
    CHECK_INT(query_int("SELECT count(*) FROM records"), 5);
    CHECK_INT(query_int("SELECT count(*) FROM customer_profiles"), 2); /* none for N:1 */
    CHECK_INT(query_int("SELECT count(*) FROM profile_marks"), 0);

    char *a = profile_of(st, "A");
    CHECK_HAS(a, "\"schema\":\"vocmine.profile/1\",\"customer_id\":\"A\",\"records\":3,");
    CHECK_HAS(a, "\"first_seen\":\"2026-11-01T10:00:00Z\",\"last_seen\":\"2026-11-03T09:00:00Z\"");
    /* (-0.5 + 0.7123 + 0) / 3 = 0.070766... */
    CHECK_HAS(a, "\"mean\":0.0708,\"sum\":0.2123,\"last\":0.7123,\"last_label\":\"positive\"");
    CHECK_HAS(a, "\"labels\":{\"negative\":1,\"neutral\":1,\"positive\":1}");
    CHECK_HAS(a, "\"flags\":{\"churn_risk\":1,\"delight\":1,\"dismay\":1,\"escalation\":0,\"repeat_contact\":0}");
    CHECK_HAS(a, "\"last_dismay\":\"2026-11-01T10:00:00Z\",\"last_churn_risk\":\"2026-11-01T10:00:00Z\"");
    CHECK_HAS(a, "\"emotions\":{\"anger\":2,\"delight\":1,\"frustration\":1}");
    CHECK_HAS(a, "{\"id\":\"billing\",\"mentions\":2,\"sentiment\":-0.1250,\"sentiment_sum\":-0.2500}");
    CHECK_HAS(a, "\"channels\":[\"chat\",\"email\"]");
    char *b = profile_of(st, "B");
    CHECK_HAS(b, "\"records\":1,");
    CHECK_HAS(b, "\"mean\":-0.9000,");
    CHECK_HAS(b, "\"flags\":{\"churn_risk\":1,\"delight\":0,\"dismay\":0,\"escalation\":1,\"repeat_contact\":0}");
    CHECK_HAS(b, "\"last_dismay\":null,\"last_churn_risk\":\"2026-10-30T00:00:00Z\"");
    /* the columns beside the JSON, for SQL */
    CHECK_INT(query_int("SELECT count(*) FROM customer_profiles WHERE customer_id = 'A' AND records = 3"
                        " AND first_seen = '2026-11-01T10:00:00Z' AND last_seen = '2026-11-03T09:00:00Z'"
                        " AND abs(sentiment_mean - 0.0708) < 1e-12 AND abs(last_sentiment - 0.7123) < 1e-12"
                        " AND last_label = 'positive' AND negative = 1 AND neutral = 1 AND positive = 1"
                        " AND churn_risk = 1 AND delight = 1 AND dismay = 1 AND escalation = 0"
                        " AND repeat_contact = 0 AND last_dismay = '2026-11-01T10:00:00Z'"
                        " AND last_churn_risk = '2026-11-01T10:00:00Z'"), 1);
    CHECK_INT(query_int(is_pg ? "SELECT count(*) FROM customer_profiles WHERE customer_id = 'A'"
                                " AND (emotions->>'anger')::int = 2 AND top_topics->0->>'id' = 'billing'"
                                " AND channels = '[\"chat\",\"email\"]'::jsonb AND (profile->>'records')::int = 3"
                              : "SELECT count(*) FROM customer_profiles WHERE customer_id = 'A'"
                                " AND json_extract(emotions, '$.anger') = 2"
                                " AND json_extract(top_topics, '$[0].id') = 'billing'"
                                " AND channels = '[\"chat\",\"email\"]' AND json_extract(profile, '$.records') = 3"), 1);
    CHECK_INT(count_profiles(st, "nobody"), 0);

    /* re-running the batch changes nothing: no mark, no write, updated_at stays */
    exec_sql("UPDATE customer_profiles SET updated_at = '2000-01-01T00:00:00Z'");
    profiles_text before = get_profiles(st, NULL);
    CHECK_INT(before.n, 2);
    CHECK_INT(put_rec(st, "A:1", "A", "email", "2026-11-01T10:00:00Z", "negative", -0.5,
                      FLAG("churn_risk") "," FLAG("dismay"), EMOTION("anger") "," EMOTION("frustration"),
                      TOPIC("billing", "-0.5")), 0);
    CHECK_INT(put_rec(st, "B:1", "B", "survey", "2026-10-30T00:00:00Z", "negative", -0.9,
                      FLAG("churn_risk") "," FLAG("escalation"), EMOTION("anger"),
                      TOPIC("delivery", "-0.8")), 0);
    CHECK_INT(refresh(st, 0), 0);
    CHECK_INT(query_int("SELECT count(*) FROM profile_marks"), 0);
    CHECK_INT(refresh(st, 1), 2); /* rebuilt, and found the same: still not written */
    profiles_text after = get_profiles(st, NULL);
    CHECK_STR(after.s, before.s);
    free(after.s);

    /* a record re-analyzed (new lexicons): its customer only */
    CHECK_INT(put_rec(st, "A:3", "A", "email", "2026-11-02T08:00:00Z", "negative", -0.3,
                      FLAG("repeat_contact"), EMOTION("anger"), ""), 0);
    flush(st);
    CHECK_INT(query_int("SELECT count(*) FROM profile_marks WHERE customer_id = 'A'"), 1);
    CHECK_INT(query_int("SELECT count(*) FROM profile_marks"), 1);
    CHECK_INT(refresh(st, 0), 1);
    free(a);
    a = profile_of(st, "A");
    CHECK_HAS(a, "\"records\":3,");
    CHECK_HAS(a, "\"mean\":-0.0292,\"sum\":-0.0877,"); /* (-0.5 + 0.7123 - 0.3) / 3 */
    CHECK_HAS(a, "\"labels\":{\"negative\":2,\"neutral\":0,\"positive\":1}");
    CHECK_HAS(a, "\"repeat_contact\":1}");
    CHECK_INT(query_int("SELECT count(*) FROM customer_profiles WHERE updated_at = '2000-01-01T00:00:00Z'"), 1);
    CHECK_INT(query_int("SELECT count(*) FROM customer_profiles WHERE customer_id = 'B'"
                        " AND updated_at = '2000-01-01T00:00:00Z'"), 1);
    char stamp[64];
    query_text("SELECT updated_at FROM customer_profiles WHERE customer_id = 'A'", stamp, sizeof stamp);
    CHECK(strlen(stamp) == 20 && stamp[4] == '-' && stamp[10] == 'T' && stamp[19] == 'Z' &&
          strcmp(stamp, "2026-01-01") > 0);
    if (strlen(stamp) != 20) fprintf(stderr, "updated_at: %s\n", stamp);

    /* a record deleted with SQL, not through vocmine: the triggers mark its customer */
    exec_sql("DELETE FROM records WHERE record_id = 'A:1'");
    CHECK_INT(refresh(st, 0), 1);
    free(a);
    a = profile_of(st, "A");
    CHECK_HAS(a, "\"records\":2,\"first_seen\":\"2026-11-02T08:00:00Z\"");
    CHECK_HAS(a, "\"last_dismay\":null,\"last_churn_risk\":null");
    CHECK_HAS(a, "\"emotions\":{\"anger\":1,\"delight\":1}");

    /* a record moving from customer A to B updates both */
    CHECK_INT(put_rec(st, "A:2", "B", "chat", "2026-11-03T09:00:00Z", "positive", 0.7123,
                      FLAG("delight"), EMOTION("delight"),
                      TOPIC("billing", "0.25") "," TOPIC("app", "0.5")), 0);
    CHECK_INT(refresh(st, 0), 2);
    free(a);
    free(b);
    a = profile_of(st, "A");
    b = profile_of(st, "B");
    CHECK_HAS(a, "\"records\":1,");
    CHECK_HAS(a, "\"channels\":[\"email\"]");
    CHECK_HAS(b, "\"records\":2,");
    CHECK_HAS(b, "\"last\":0.7123,\"last_label\":\"positive\"");
    CHECK_HAS(b, "\"channels\":[\"chat\",\"survey\"]");
    /* ... and when the UPDATE comes from SQL */
    exec_sql("UPDATE records SET customer_id = 'A' WHERE record_id = 'A:2'");
    CHECK_INT(refresh(st, 0), 2);
    free(a);
    free(b);
    a = profile_of(st, "A");
    b = profile_of(st, "B");
    CHECK_HAS(a, "\"records\":2,");
    CHECK_HAS(b, "\"records\":1,");

    /* deleting a customer's last record deletes the profile */
    exec_sql("DELETE FROM records WHERE customer_id = 'B'");
    CHECK_INT(refresh(st, 0), 1);
    CHECK_INT(count_profiles(st, "B"), 0);
    CHECK_INT(query_int("SELECT count(*) FROM customer_profiles"), 1);
    CHECK_INT(query_int("SELECT count(*) FROM profile_marks"), 0);
    /* a row whose JSON is not a vocmine.record/1 object is part of no profile */
    voc_store_row other = row("other:1", "neutral", 0);
    other.customer_id = "A";
    CHECK_INT(voc_store_put(st, &other, &err), 0);
    CHECK_INT(refresh(st, 0), 1);
    free(a);
    a = profile_of(st, "A");
    CHECK_HAS(a, "\"records\":2,");
    CHECK_INT(voc_store_close(st, &err), 0);
    free(a);
    free(b);
    free(before.s);

    /* read-only: profiles are read, never refreshed */
    CHECK_INT(voc_store_open_existing(target, &st, &err), 0);
    CHECK_INT(voc_store_refresh_profiles(st, 0, NULL, &err), VOC_EINVAL);
    CHECK_INT(count_profiles(st, NULL), 1);
    CHECK_INT(voc_store_profiles(st, NULL, stop_at_first, NULL, &err), VOC_ECALLBACK);
    CHECK_INT(voc_store_close(st, &err), 0);
}

/* A record written while a refresh runs: simulated by a trigger that inserts a record of
 * the customer being refreshed when its profile is written, i.e. after the refresh read the
 * mark and the records.  The customer must stay marked, and the next refresh count it. */
static void test_profile_concurrent_write(void)
{
    voc_store *st;
    voc_error err;
    static const char late_record[] =
        "'{\"schema\":\"vocmine.record/1\",\"record_id\":\"late:1\",\"customer_id\":\"L\","
        "\"channel\":\"chat\",\"time\":\"2026-12-01T00:00:00Z\",\"sentiment\":{\"label\":"
        "\"negative\",\"score\":-1}}'";
    clear_store();
    char sql[700];
    if (is_pg) {
        snprintf(sql, sizeof sql, "CREATE FUNCTION sneak_in() RETURNS trigger LANGUAGE plpgsql"
                 " AS $$ BEGIN INSERT INTO records VALUES ('late:1', 'late', 'L', 'chat', NULL, 'en',"
                 " 'negative', -1, 1, 'late', %s); RETURN NULL; END $$", late_record);
        exec_sql(sql);
        exec_sql("CREATE TRIGGER sneak_in AFTER INSERT ON customer_profiles FOR EACH ROW"
                 " WHEN (NEW.customer_id = 'L') EXECUTE FUNCTION sneak_in()");
    } else {
        snprintf(sql, sizeof sql, "CREATE TRIGGER sneak_in AFTER INSERT ON customer_profiles"
                 " WHEN NEW.customer_id = 'L' BEGIN INSERT INTO records VALUES ('late:1', 'late',"
                 " 'L', 'chat', NULL, 'en', 'negative', -1, 1, 'late', %s); END", late_record);
        exec_sql(sql);
    }
    CHECK_INT(voc_store_open(target, &st, &err), 0);
    CHECK_INT(put_rec(st, "L:1", "L", "email", "2026-11-01T00:00:00Z", "positive", 0.5, "", "", ""), 0);
    CHECK_INT(put_rec(st, "M:1", "M", "email", "2026-11-01T00:00:00Z", "positive", 0.5, "", "", ""), 0);
    CHECK_INT(refresh(st, 0), 2);
    CHECK_INT(query_int("SELECT count(*) FROM records WHERE customer_id = 'L'"), 2);
    char *l = profile_of(st, "L");
    CHECK_HAS(l, "\"records\":1,"); /* as read: the late record came after */
    free(l);
    CHECK_INT(query_int("SELECT count(*) FROM profile_marks WHERE customer_id = 'L'"), 1);
    CHECK_INT(query_int("SELECT count(*) FROM profile_marks"), 1);
    CHECK_INT(refresh(st, 0), 1);
    l = profile_of(st, "L");
    CHECK_HAS(l, "\"records\":2,");
    CHECK_HAS(l, "\"last_seen\":\"2026-12-01T00:00:00Z\"");
    free(l);
    CHECK_INT(query_int("SELECT count(*) FROM profile_marks"), 0);
    CHECK_INT(voc_store_close(st, &err), 0);
    if (is_pg) {
        exec_sql("DROP TRIGGER sneak_in ON customer_profiles");
        exec_sql("DROP FUNCTION sneak_in()");
    } else {
        exec_sql("DROP TRIGGER sneak_in");
    }
}

/* A profile the database refuses: that transaction is rolled back, its customers stay
 * marked, and the next refresh does them. */
static void test_profile_refused(void)
{
    voc_store *st;
    voc_error err;
    clear_store();
    if (is_pg) {
        exec_sql("CREATE FUNCTION refuse_profile() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                 " RAISE EXCEPTION 'refused by the test trigger'; END $$");
        exec_sql("CREATE TRIGGER refuse_profile BEFORE INSERT ON customer_profiles FOR EACH ROW"
                 " WHEN (NEW.customer_id = 'R') EXECUTE FUNCTION refuse_profile()");
    } else {
        exec_sql("CREATE TRIGGER refuse_profile BEFORE INSERT ON customer_profiles"
                 " WHEN NEW.customer_id = 'R' BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END");
    }
    CHECK_INT(voc_store_open(target, &st, &err), 0);
    CHECK_INT(put_rec(st, "Q:1", "Q", "email", NULL, "positive", 0.5, "", "", ""), 0);
    CHECK_INT(put_rec(st, "R:1", "R", "email", NULL, "positive", 0.5, "", "", ""), 0);
    size_t n = 99;
    CHECK_INT(voc_store_refresh_profiles(st, 0, &n, &err), VOC_ESTORE);
    CHECK_INT(n, 0);
    CHECK(strstr(err.message, "profile of customer R") != NULL);
    CHECK(strstr(err.message, "refused by the test trigger") != NULL);
    if (!strstr(err.message, "profile of customer R")) fprintf(stderr, "message: %s\n", err.message);
    CHECK_INT(query_int("SELECT count(*) FROM customer_profiles"), 0); /* Q's rolled back too */
    CHECK_INT(query_int("SELECT count(*) FROM profile_marks"), 2);
    if (is_pg) exec_sql("DROP TRIGGER refuse_profile ON customer_profiles");
    else exec_sql("DROP TRIGGER refuse_profile");
    /* the store is still usable */
    CHECK_INT(refresh(st, 0), 2);
    CHECK_INT(query_int("SELECT count(*) FROM customer_profiles"), 2);
    CHECK_INT(voc_store_close(st, &err), 0);
    if (is_pg) exec_sql("DROP FUNCTION refuse_profile()");
}

/* Compare two "JSON updated_at" listings on the JSON alone. */
static int same_json(const profiles_text *x, const profiles_text *y)
{
    if (x->n != y->n) return 0;
    for (const char *m = x->s, *a = y->s; *m && *a;) {
        const char *m_end = strchr(m, '\n'), *a_end = strchr(a, '\n');
        const char *m_sp = m_end, *a_sp = a_end;
        while (m_sp > m && *m_sp != ' ') m_sp--;
        while (a_sp > a && *a_sp != ' ') a_sp--;
        if (m_sp - m != a_sp - a || memcmp(m, a, (size_t)(m_sp - m)) != 0) return 0;
        m = m_end + 1;
        a = a_end + 1;
    }
    return 1;
}

/* Many customers (more than one refresh transaction), many changes: the profiles the
 * marks kept up to date equal a rebuild of every customer from nothing. */
static void test_profiles_marked_equals_all(void)
{
    voc_store *st;
    voc_error err;
    clear_store();
    static const char *const labels[] = {"negative", "neutral", "positive"};
    static const char *const channels[] = {"email", "chat", "survey", "social"};
    static const char *const flags[] = {"", FLAG("churn_risk"), FLAG("dismay") "," FLAG("escalation"),
                                        FLAG("delight"), FLAG("repeat_contact")};
    static const char *const emotions[] = {"", EMOTION("anger"), EMOTION("delight") "," EMOTION("trust")};
    static const char *const topics[] = {"", TOPIC("billing", "-0.3333"), TOPIC("app", "0.1") "," TOPIC("billing", "0.5")};
    unsigned seed = 12345;
    char rid[32], cust[32], when[32];
    CHECK_INT(voc_store_open(target, &st, &err), 0);
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 900; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 8;
            snprintf(rid, sizeof rid, "r:%u", r % 3000);
            snprintf(cust, sizeof cust, "c%04u", (r / 3000) % 1200);
            snprintf(when, sizeof when, "2026-%02u-%02uT%02u:00:00Z", 1 + r % 12, 1 + r % 28, r % 24);
            int no_customer = r % 31 == 0, no_time = r % 17 == 0;
            double score = ((int)(r % 20001) - 10000) / 10000.0;
            CHECK_INT(put_rec(st, rid, no_customer ? NULL : cust, channels[r % 4], no_time ? NULL : when,
                              labels[r % 3], score, flags[r % 5], emotions[r % 3], topics[r % 3]), 0);
        }
        flush(st);
        if (round == 2) exec_sql("DELETE FROM records WHERE record_id LIKE 'r:7%'");
        refresh(st, 0);
        CHECK_INT(query_int("SELECT count(*) FROM profile_marks"), 0);
    }
    CHECK_INT(query_int("SELECT count(*) FROM customer_profiles"),
              query_int("SELECT count(DISTINCT customer_id) FROM records"));
    CHECK(query_int("SELECT count(*) FROM customer_profiles") > 500);
    CHECK_INT(query_int("SELECT sum(records) FROM customer_profiles"),
              query_int("SELECT count(*) FROM records WHERE customer_id IS NOT NULL"));
    profiles_text marked = get_profiles(st, NULL);
    exec_sql("DELETE FROM customer_profiles");
    CHECK_INT(refresh(st, 1), (size_t)marked.n);
    profiles_text all = get_profiles(st, NULL);
    /* the same JSON, customer by customer (updated_at differs: the rows were new) */
    CHECK(same_json(&marked, &all));
    /* a refresh of all when nothing changed writes nothing */
    exec_sql("UPDATE customer_profiles SET updated_at = 'x'");
    CHECK_INT(refresh(st, 1), (size_t)marked.n);
    CHECK_INT(query_int("SELECT count(*) FROM customer_profiles WHERE updated_at <> 'x'"), 0);
    CHECK_INT(voc_store_close(st, &err), 0);
    free(marked.s);
    free(all.s);
}

/* Writers in other processes whose batches share customers in different orders, while this
 * one refreshes again and again: no writer fails (PostgreSQL: no deadlock between them),
 * and once they are done one more refresh gives exactly a rebuild of every customer. */
static void test_parallel_writers(void)
{
    enum { N_WRITERS = 3, N_RECORDS = 3000, N_CUSTOMERS = 300 };
    clear_store();
    pid_t pids[N_WRITERS];
    for (int w = 0; w < N_WRITERS; w++) {
        pids[w] = fork();
        if (pids[w] == 0) {
            voc_store *st;
            voc_error err;
            char rid[32], cust[32];
            unsigned seed = 1000u + (unsigned)w * 7919u;
            if (voc_store_open(target, &st, &err)) _exit(2);
            for (int i = 0; i < N_RECORDS; i++) {
                seed = seed * 1103515245u + 12345u;
                snprintf(rid, sizeof rid, "w%d:%d", w, i);
                snprintf(cust, sizeof cust, "P-%03u", (seed >> 8) % N_CUSTOMERS);
                if (put_rec(st, rid, cust, "chat", NULL, "negative", -0.25, FLAG("dismay"), "", "")) {
                    voc_store_close(st, NULL);
                    _exit(1);
                }
            }
            _exit(voc_store_close(st, &err) ? 1 : 0);
        }
    }
    voc_store *st;
    voc_error err;
    CHECK_INT(voc_store_open(target, &st, &err), 0);
    int running = N_WRITERS, failed = 0, refreshes = 0;
    while (running > 0) {
        refresh(st, 0);
        refreshes++;
        nanosleep(&(struct timespec){0, 5 * 1000 * 1000}, NULL); /* 5 ms: let the writers write */
        for (int w = 0; w < N_WRITERS; w++) {
            int status;
            if (pids[w] > 0 && waitpid(pids[w], &status, WNOHANG) == pids[w]) {
                pids[w] = 0;
                running--;
                if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failed++;
            }
        }
    }
    CHECK_INT(failed, 0);
    CHECK(refreshes > 0);
    refresh(st, 0);
    CHECK_INT(query_int("SELECT count(*) FROM records"), N_WRITERS * N_RECORDS);
    CHECK_INT(query_int("SELECT sum(records) FROM customer_profiles"), N_WRITERS * N_RECORDS);
    CHECK_INT(query_int("SELECT sum(dismay) FROM customer_profiles"), N_WRITERS * N_RECORDS);
    CHECK_INT(query_int("SELECT count(*) FROM profile_marks"), 0);
    profiles_text marked = get_profiles(st, NULL);
    exec_sql("DELETE FROM customer_profiles");
    refresh(st, 1);
    profiles_text all = get_profiles(st, NULL);
    CHECK_INT(marked.n, N_CUSTOMERS);
    CHECK(same_json(&marked, &all));
    CHECK_INT(voc_store_close(st, &err), 0);
    free(marked.s);
    free(all.s);
}

/* A version-1 store (records only, as vocmine 0.1 wrote it) on the empty target: read
 * as it is, upgraded in place when opened for writing, every customer marked. */
static void test_v1_migration(void)
{
    static const char v1_records[] =
        "CREATE TABLE records ("
        " record_id TEXT PRIMARY KEY, id TEXT, customer_id TEXT, channel TEXT NOT NULL, time TEXT,"
        " lang TEXT NOT NULL,"
        " label TEXT NOT NULL CHECK (label IN ('negative','neutral','positive')),"
        " score %s NOT NULL, confidence %s NOT NULL, text TEXT NOT NULL, record %s NOT NULL)";
    char sql[1024];
    snprintf(sql, sizeof sql, v1_records, is_pg ? "DOUBLE PRECISION" : "REAL",
             is_pg ? "DOUBLE PRECISION" : "REAL", is_pg ? "JSONB" : "TEXT");
    exec_sql(sql);
    exec_sql("CREATE INDEX records_customer ON records(customer_id)");
    exec_sql("CREATE INDEX records_label ON records(label)");
    if (is_pg) {
        exec_sql("CREATE TABLE vocmine_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        exec_sql("INSERT INTO vocmine_meta VALUES ('schema_version', '1')");
    } else {
        exec_sql("PRAGMA journal_mode=WAL");
        exec_sql("PRAGMA user_version = 1");
    }
    for (int i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO records VALUES ('v1:%d', 'v1:%d', %s, 'email', '2026-11-0%dT00:00:00Z',"
                 " 'en', 'negative', -0.25, 0.9, 'text', '{\"schema\":\"vocmine.record/1\","
                 "\"record_id\":\"v1:%d\",\"channel\":\"email\",\"time\":\"2026-11-0%dT00:00:00Z\","
                 "\"sentiment\":{\"label\":\"negative\",\"score\":-0.25},\"flags\":[" FLAG("dismay") "]}')",
                 i, i, i == 2 ? "NULL" : i == 1 ? "'V-2'" : "'V-1'", i + 1, i, i + 1);
        exec_sql(sql);
    }
    CHECK_INT(schema_version(), 1);

    /* read-only: the records are read, the schema stays at version 1 */
    voc_store *st;
    voc_error err;
    CHECK_INT(voc_store_open_existing(target, &st, &err), 0);
    CHECK_STR(store_query_text(st, VOC_STORE_TOTALS, 0), "3|2;");
    CHECK_INT(voc_store_profiles(st, NULL, collect_profile, NULL, &err), VOC_ESTORE);
    CHECK(strstr(err.message, "schema version 1 has no customer profiles") != NULL);
    CHECK_INT(voc_store_close(st, &err), 0);
    CHECK_INT(schema_version(), 1);

    /* for writing: upgraded, the records kept, every customer marked */
    CHECK_INT(voc_store_open(target, &st, &err), 0);
    CHECK_INT(schema_version(), 2);
    CHECK_INT(query_int("SELECT count(*) FROM records"), 3);
    CHECK_INT(query_int("SELECT count(*) FROM profile_marks"), 2);
    CHECK_INT(refresh(st, 0), 2);
    char *v1 = profile_of(st, "V-1");
    CHECK_HAS(v1, "\"customer_id\":\"V-1\",\"records\":1,");
    CHECK_HAS(v1, "\"last_dismay\":\"2026-11-01T00:00:00Z\"");
    free(v1);
    /* the triggers are there: a new record of V-2 marks it */
    CHECK_INT(put_rec(st, "v1:9", "V-2", "chat", NULL, "positive", 1, "", "", ""), 0);
    CHECK_INT(refresh(st, 0), 1);
    char *v2 = profile_of(st, "V-2");
    CHECK_HAS(v2, "\"records\":2,");
    free(v2);
    CHECK_INT(voc_store_close(st, &err), 0);
    /* opening it again changes nothing */
    CHECK_INT(voc_store_open(target, &st, &err), 0);
    CHECK_INT(query_int("SELECT count(*) FROM profile_marks"), 0);
    CHECK_INT(voc_store_close(st, &err), 0);
}

/* Empty the target again: drop what the store and the tests created. */
static void drop_everything(void)
{
    if (is_pg) {
        exec_sql("DROP TABLE IF EXISTS records, customer_profiles, profile_marks, vocmine_meta");
        exec_sql("DROP FUNCTION IF EXISTS vocmine_mark_customer()");
        return;
    }
    char side[300];
    unlink(target);
    snprintf(side, sizeof side, "%s-wal", target);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", target);
    unlink(side);
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

/* Refresh speed: n records (shaped like real ones, ~1 KB of JSON with flags, emotions and
 * topics) over n_customers customers, then four refreshes, each timed. */
static int put_bench_records(voc_store *st, int n, int n_customers, int changed)
{
    char json[1600], rid[48], customer[32], when[32];
    static const char *const labels[] = {"negative", "neutral", "positive"};
    for (int i = 0; i < n; i++) {
        if (changed && i % 10) continue;
        snprintf(rid, sizeof rid, "bp:%08d", i);
        snprintf(customer, sizeof customer, "C-%06d", i % n_customers);
        snprintf(when, sizeof when, "2026-%02d-%02dT%02d:%02d:00Z", 1 + i % 12, 1 + i % 28, i % 24, i % 60);
        double score = (i % 2001 - 1000) / 1000.0 + (changed ? 0.0001 : 0);
        int jl = snprintf(json, sizeof json,
            "{\"schema\":\"vocmine.record/1\",\"record_id\":\"%s\",\"id\":\"%s\",\"customer_id\":\"%s\","
            "\"channel\":\"%s\",\"time\":\"%s\",\"lang\":\"mixed\",\"sentiment\":{\"label\":\"%s\","
            "\"score\":%.4f,\"confidence\":0.81,\"probs\":{\"negative\":0.81,\"neutral\":0.12,\"positive\":0.07}},"
            "\"emotions\":[" EMOTION("anger") "," EMOTION("frustration") "],"
            "\"topics\":[{\"id\":\"billing\",\"score\":0.9,\"sentiment\":-0.6,\"spans\":[[10,17]]},"
            "{\"id\":\"app\",\"score\":0.5,\"sentiment\":0.2,\"spans\":[[30,33]]}],"
            "\"flags\":[%s],\"evidence\":[{\"start\":0,\"end\":7,\"text\":\"refund\",\"kind\":\"lexicon\","
            "\"term\":\"refund\",\"weight\":-0.5},{\"start\":9,\"end\":20,\"text\":\"six weeks\",\"kind\":"
            "\"rule\",\"term\":\"waited duration\",\"weight\":-0.375},{\"start\":21,\"end\":30,\"text\":"
            "\"nobody answered\",\"kind\":\"ngram\",\"term\":\"nobody answered\",\"weight\":-0.25}],"
            "\"warnings\":[],\"analyzer\":{\"version\":\"0.1.0\",\"lexicons\":\"en:1834,zh-Hant:1520\"}}",
            rid, rid, customer, i % 3 ? "email" : "chat", when, labels[i % 3], score,
            i % 4 == 0 ? FLAG("churn_risk") "," FLAG("dismay") : i % 4 == 1 ? FLAG("delight") : "");
        voc_store_row r = {rid, rid, customer, i % 3 ? "email" : "chat", when, "mixed", labels[i % 3],
                           score, 0.81, "text", 4, json, (size_t)jl};
        voc_error err;
        if (voc_store_put(st, &r, &err)) {
            fprintf(stderr, "%s: %s\n", err.source, err.message);
            return 1;
        }
    }
    return 0;
}

static int bench_profiles(int n, int n_customers)
{
    voc_store *st;
    voc_error err;
    if (voc_store_open(target, &st, &err)) {
        fprintf(stderr, "%s: %s\n", err.source, err.message);
        return 1;
    }
    double t0 = now();
    if (put_bench_records(st, n, n_customers, 0) || voc_store_close(st, &err)) return 1;
    printf("%d records over %d customers put in %.3f s\n", n, n_customers, now() - t0);
    static const char *const what[] = {"every customer marked (first refresh)",
                                       "nothing marked (after re-putting every record)",
                                       "10%% of the records changed", "all (--full)"};
    for (int step = 0; step < 4; step++) {
        if (voc_store_open(target, &st, &err)) return 1;
        if ((step == 1 && put_bench_records(st, n, n_customers, 0)) ||
            (step == 2 && put_bench_records(st, n, n_customers, 1)))
            return 1;
        if (step > 0 && step < 3) { /* commit the records outside the timing */
            collected c = {""};
            voc_store_query(st, VOC_STORE_TOTALS, 0, collect, &c, &err);
        }
        size_t refreshed = 0;
        t0 = now();
        if (voc_store_refresh_profiles(st, step == 3, &refreshed, &err)) {
            fprintf(stderr, "%s: %s\n", err.source, err.message);
            return 1;
        }
        double dt = now() - t0;
        voc_store_close(st, NULL);
        printf("%s refresh, ", is_pg ? "PostgreSQL" : "SQLite");
        fputs(what[step], stdout);
        printf(": %zu profiles in %.3f s: %.0f profiles/s\n", refreshed, dt,
               refreshed ? refreshed / dt : 0.0);
    }
    return 0;
}

int main(int argc, char **argv)
{
    int bench_n = 0, bench_customers = 0;
    if (argc > 2 && strcmp(argv[1], "--bench") == 0) {
        bench_n = atoi(argv[2]);
        argv += 2;
        argc -= 2;
    } else if (argc > 3 && strcmp(argv[1], "--bench-profiles") == 0) {
        bench_n = atoi(argv[2]);
        bench_customers = atoi(argv[3]);
        argv += 3;
        argc -= 3;
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
    if (bench_n > 0 && bench_customers > 0) return bench_profiles(bench_n, bench_customers);
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

    test_v1_migration();
    drop_everything();

    test_upsert_and_batches();
    test_failed_batch_rolls_back();
    test_text();
    test_queries();
    test_refusals();
    test_profiles();
    test_profile_concurrent_write();
    test_profile_refused();
    test_profiles_marked_equals_all();
    test_parallel_writers();

    drop_everything();
    return test_exit_status("test_store");
}
