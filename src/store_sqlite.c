/* store_sqlite.c — the SQLite backend of the store (the embedded default), behind store.c.
 *
 * Schema version 2 (PRAGMA user_version = 2), the same tables as store_pg.c, documented in
 * README.md:
 *   records(record_id TEXT PRIMARY KEY, id, customer_id, channel, time, lang, label,
 *           score REAL, confidence REAL, text TEXT -- the message,
 *           record TEXT -- the whole vocmine.record/1 JSON)
 *   customer_profiles(customer_id TEXT PRIMARY KEY, records, ..., profile TEXT, updated_at)
 *   profile_marks(customer_id TEXT PRIMARY KEY, mark INTEGER) -- customers to rebuild
 * and three triggers on records that mark the customer of every row inserted, changed or
 * deleted, whoever writes it (vocmine or any SQL).  A version-1 store (records only) is
 * brought to version 2 in place when opened for writing, every customer in it marked; opened
 * read-only it can still be queried, but has no profiles yet.
 *
 * Writes go through prepared statements only (no SQL is ever built from input), one per
 * entry of `statements`, inside the transactions store.c opens and ends, with WAL
 * journaling, so a re-run replaces rows instead of adding them and a crash loses at most the
 * open batch, never half a record. */
#include "store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* ---- SQLite, loaded when the first store is opened ------------------------------------
 * As readers/email.c does for GMime: most runs (analyze without --db, tokenize, eval) never
 * open a store, so the library is looked up on first use (voc__library_ready) instead of
 * being mapped and relocated at every start-up (about 0.25 ms), and the macros after the
 * table route the calls through it. */
#define SQLITE_FUNCTIONS(X) \
    X(sqlite3_bind_double) X(sqlite3_bind_int64) X(sqlite3_bind_null) \
    X(sqlite3_bind_parameter_count) X(sqlite3_bind_text) X(sqlite3_bind_text64) \
    X(sqlite3_busy_timeout) X(sqlite3_clear_bindings) X(sqlite3_close) X(sqlite3_column_count) \
    X(sqlite3_column_double) X(sqlite3_column_int) X(sqlite3_column_text) \
    X(sqlite3_column_type) X(sqlite3_errmsg) X(sqlite3_exec) X(sqlite3_finalize) \
    X(sqlite3_get_autocommit) X(sqlite3_open_v2) X(sqlite3_prepare_v2) X(sqlite3_reset) \
    X(sqlite3_step)

VOC_LIBRARY_DEFINE(SQLITE_FUNCTIONS, "SQLite", "apt-get install libsqlite3-0", NULL, VOCMINE_SQLITE_SONAME);

#define sqlite3_bind_double voc_lib_table.sqlite3_bind_double
#define sqlite3_bind_int64 voc_lib_table.sqlite3_bind_int64
#define sqlite3_bind_null voc_lib_table.sqlite3_bind_null
#define sqlite3_bind_parameter_count voc_lib_table.sqlite3_bind_parameter_count
#define sqlite3_bind_text voc_lib_table.sqlite3_bind_text
#define sqlite3_bind_text64 voc_lib_table.sqlite3_bind_text64
#define sqlite3_busy_timeout voc_lib_table.sqlite3_busy_timeout
#define sqlite3_clear_bindings voc_lib_table.sqlite3_clear_bindings
#define sqlite3_close voc_lib_table.sqlite3_close
#define sqlite3_column_count voc_lib_table.sqlite3_column_count
#define sqlite3_column_double voc_lib_table.sqlite3_column_double
#define sqlite3_column_int voc_lib_table.sqlite3_column_int
#define sqlite3_column_text voc_lib_table.sqlite3_column_text
#define sqlite3_column_type voc_lib_table.sqlite3_column_type
#define sqlite3_errmsg voc_lib_table.sqlite3_errmsg
#define sqlite3_exec voc_lib_table.sqlite3_exec
#define sqlite3_finalize voc_lib_table.sqlite3_finalize
#define sqlite3_get_autocommit voc_lib_table.sqlite3_get_autocommit
#define sqlite3_open_v2 voc_lib_table.sqlite3_open_v2
#define sqlite3_prepare_v2 voc_lib_table.sqlite3_prepare_v2
#define sqlite3_reset voc_lib_table.sqlite3_reset
#define sqlite3_step voc_lib_table.sqlite3_step

/* Every write statement, prepared once at open.  A new table gets its own entry here and
 * its own put function beside put_record. */
enum { STMT_RECORD_UPSERT, STMT_PROFILE_UPSERT, STMT_PROFILE_DELETE, STMT_MARK_CLEAR,
       STMT_COUNT };
static const char *const statements[STMT_COUNT] = {
    [STMT_RECORD_UPSERT] =
        "INSERT INTO records(record_id,id,customer_id,channel,time,lang,label,score,confidence,text,record)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"
        " ON CONFLICT(record_id) DO UPDATE SET id=excluded.id, customer_id=excluded.customer_id,"
        " channel=excluded.channel, time=excluded.time, lang=excluded.lang, label=excluded.label,"
        " score=excluded.score, confidence=excluded.confidence, text=excluded.text,"
        " record=excluded.record",
    /* updated_at moves only when the profile does: a refresh that changes nothing writes
     * nothing */
    [STMT_PROFILE_UPSERT] =
        "INSERT INTO customer_profiles(" VOC__PROFILE_COLUMNS ")"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22)"
        " ON CONFLICT(customer_id) DO UPDATE SET" VOC__PROFILE_UPDATE_SET
        " WHERE customer_profiles.profile IS NOT excluded.profile",
    [STMT_PROFILE_DELETE] = "DELETE FROM customer_profiles WHERE customer_id = ?1",
    /* only if no record of the customer was written since the refresh read the mark */
    [STMT_MARK_CLEAR] = "DELETE FROM profile_marks WHERE customer_id = ?1 AND mark = ?2",
};

/* The queries of voc_store_query (enum voc_store_query order); text sorts by bytes
 * (SQLite's BINARY collation), as in store_pg.c. */
static const char *const queries[] = {
    "SELECT count(*), count(DISTINCT customer_id) FROM records",
    "SELECT lang, count(*) FROM records GROUP BY lang ORDER BY count(*) DESC, lang",
    "SELECT label, count(*) FROM records GROUP BY label ORDER BY label",
    "SELECT channel, count(*), avg(score) FROM records GROUP BY channel ORDER BY channel",
    "SELECT score, id, customer_id, substr(text, 1, 70) FROM records WHERE label = 'negative'"
    " ORDER BY score, record_id LIMIT ?1",
    "SELECT json_extract(f.value, '$.id'), count(*), sum(json_extract(f.value, '$.severity') = 'high')"
    " FROM records, json_each(records.record, '$.flags') AS f GROUP BY 1 ORDER BY 1",
};

/* The reads of the profile refresh and export, prepared when first used (a version-1 store
 * opened read-only has none of these tables). */
enum { READ_TARGETS_MARKED, READ_TARGETS_ALL, READ_CUSTOMER_RECORDS, READ_PROFILES_ALL,
       READ_PROFILE_ONE, READ_COUNT };
static const char *const reads[READ_COUNT] = {
    [READ_TARGETS_MARKED] = "SELECT customer_id, mark FROM profile_marks ORDER BY customer_id",
    /* every customer with records, a profile or a mark, with its mark if it has one */
    [READ_TARGETS_ALL] =
        "SELECT c.customer_id, m.mark FROM (SELECT customer_id FROM records"
        " WHERE customer_id IS NOT NULL UNION SELECT customer_id FROM customer_profiles"
        " UNION SELECT customer_id FROM profile_marks) AS c"
        " LEFT JOIN profile_marks AS m ON m.customer_id = c.customer_id ORDER BY c.customer_id",
    [READ_CUSTOMER_RECORDS] =
        "SELECT record FROM records WHERE customer_id = ?1 ORDER BY record_id",
    [READ_PROFILES_ALL] =
        "SELECT profile, updated_at, customer_id FROM customer_profiles ORDER BY customer_id",
    [READ_PROFILE_ONE] =
        "SELECT profile, updated_at, customer_id FROM customer_profiles WHERE customer_id = ?1",
};

typedef struct sqlite_store {
    sqlite3 *db;
    sqlite3_stmt *stmt[STMT_COUNT];
    sqlite3_stmt *read[READ_COUNT];
    const char *label;
    int version;             /* the schema version found at open (1 or 2) */
} sqlite_store;

static int db_fail(sqlite_store *st, voc_error *err, const char *what)
{
    return voc__fail(err, VOC_ESTORE, st->label, 0, 0, "%s: %s", what,
                     st->db ? sqlite3_errmsg(st->db) : "cannot open");
}

/* The schema, run in one IMMEDIATE transaction (so two writers opening a new or version-1
 * store together cannot both migrate it).  Each trigger bumps the customer's mark: a new
 * one starts at a random value in [1, 2^52], so a mark cleared and set again never equals
 * one a running refresh read earlier (store.c: how refresh stays exact).  An update marks
 * only when the record or its customer changed, so re-running a batch marks nobody. */
#define MARK(who)                                                                          \
    "INSERT INTO profile_marks(customer_id, mark) SELECT " who                             \
    ", (random() & 4503599627370495) + 1 WHERE " who " IS NOT NULL"                        \
    " ON CONFLICT(customer_id) DO UPDATE SET mark = mark + 1;"
static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS records ("
    " record_id TEXT PRIMARY KEY,"
    " id TEXT,"
    " customer_id TEXT,"
    " channel TEXT NOT NULL,"
    " time TEXT,"
    " lang TEXT NOT NULL,"
    " label TEXT NOT NULL CHECK (label IN ('negative','neutral','positive')),"
    " score REAL NOT NULL,"
    " confidence REAL NOT NULL,"
    " text TEXT NOT NULL,"
    " record TEXT NOT NULL"
    ");"
    "CREATE INDEX IF NOT EXISTS records_customer ON records(customer_id);"
    "CREATE INDEX IF NOT EXISTS records_label ON records(label);"
    "CREATE TABLE IF NOT EXISTS customer_profiles ("
    " customer_id TEXT PRIMARY KEY,"
    " records INTEGER NOT NULL,"
    " first_seen TEXT,"
    " last_seen TEXT,"
    " sentiment_mean REAL,"
    " last_sentiment REAL,"
    " last_label TEXT,"
    " negative INTEGER, neutral INTEGER, positive INTEGER,"
    " churn_risk INTEGER, delight INTEGER, dismay INTEGER, escalation INTEGER,"
    " repeat_contact INTEGER,"
    " last_dismay TEXT,"
    " last_churn_risk TEXT,"
    " emotions TEXT,"
    " top_topics TEXT,"
    " channels TEXT,"
    " profile TEXT NOT NULL,"
    " updated_at TEXT NOT NULL"
    ");"
    "CREATE TABLE IF NOT EXISTS profile_marks ("
    " customer_id TEXT PRIMARY KEY,"
    " mark INTEGER NOT NULL"
    ");"
    "CREATE TRIGGER IF NOT EXISTS records_mark_insert AFTER INSERT ON records"
    " BEGIN " MARK("NEW.customer_id") " END;"
    "CREATE TRIGGER IF NOT EXISTS records_mark_update AFTER UPDATE ON records"
    " WHEN OLD.customer_id IS NOT NEW.customer_id OR OLD.record IS NOT NEW.record"
    " BEGIN "
    "INSERT INTO profile_marks(customer_id, mark) SELECT OLD.customer_id,"
    " (random() & 4503599627370495) + 1"
    " WHERE OLD.customer_id IS NOT NULL AND OLD.customer_id IS NOT NEW.customer_id"
    " ON CONFLICT(customer_id) DO UPDATE SET mark = mark + 1;"
    MARK("NEW.customer_id") " END;"
    "CREATE TRIGGER IF NOT EXISTS records_mark_delete AFTER DELETE ON records"
    " BEGIN " MARK("OLD.customer_id") " END;"
    /* a version-1 store: every customer it holds is to be profiled */
    "INSERT INTO profile_marks(customer_id, mark)"
    " SELECT DISTINCT customer_id, 1 FROM records WHERE customer_id IS NOT NULL"
    " ON CONFLICT(customer_id) DO NOTHING;"
    "PRAGMA user_version = 2;";

static void sqlite_close(void *db)
{
    sqlite_store *st = db;
    for (int i = 0; i < STMT_COUNT; i++) sqlite3_finalize(st->stmt[i]);
    for (int i = 0; i < READ_COUNT; i++) sqlite3_finalize(st->read[i]);
    sqlite3_close(st->db);
    free(st);
}

static int read_version(sqlite_store *st)
{
    sqlite3_stmt *q = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        version = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return version;
}

/* Create the schema or bring a version-1 store to version 2, unless another writer did it
 * first (the version is read again inside the transaction). */
static int create_schema(sqlite_store *st, voc_error *err)
{
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(st, err, "cannot create schema");
    int version = read_version(st);
    if (version != VOC_STORE_SCHEMA_VERSION &&
        sqlite3_exec(st->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
        int rc = db_fail(st, err, version == 1 ? "cannot upgrade the schema from version 1"
                                               : "cannot create schema");
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int rc = db_fail(st, err, "cannot create schema");
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    st->version = VOC_STORE_SCHEMA_VERSION;
    return VOC_OK;
}

static int sqlite_open(const char *path, const char *label, bool create, void **out,
                       voc_error *err)
{
    if (!voc__library_ready(&voc_lib, &voc_lib_state, NULL))
        return voc__fail(err, VOC_EDEPENDENCY, label, 0, 0, "%s", voc_lib_state.problem);
    sqlite_store *st = calloc(1, sizeof *st);
    if (!st) return voc__fail(err, VOC_ENOMEM, label, 0, 0, "out of memory");
    st->label = label;
    int rc;
    /* read-write even for an existing store that is only read: closing the last connection
     * then cleans up the WAL */
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        rc = db_fail(st, err, "cannot open database");
        goto fail;
    }
    sqlite3_busy_timeout(st->db, 5000);
    int version = read_version(st);
    if (version < 0) { rc = db_fail(st, err, "not a SQLite database"); goto fail; }
    if ((rc = voc__store_check_version(label, version, !create, err))) goto fail;
    st->version = version;
    if (!create) {
        *out = st;
        return VOC_OK;
    }
    if (sqlite3_exec(st->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_fail(st, err, "cannot create schema");
        goto fail;
    }
    if (version != VOC_STORE_SCHEMA_VERSION && (rc = create_schema(st, err)) != VOC_OK) goto fail;
    for (int i = 0; i < STMT_COUNT; i++)
        if (sqlite3_prepare_v2(st->db, statements[i], -1, &st->stmt[i], NULL) != SQLITE_OK) {
            rc = db_fail(st, err, "cannot prepare statement");
            goto fail;
        }
    *out = st;
    return VOC_OK;
fail:
    sqlite_close(st);
    return rc;
}

static int sqlite_begin(void *db, voc_error *err)
{
    sqlite_store *st = db;
    return sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK ? VOC_OK
                                                                        : db_fail(st, err, "BEGIN");
}

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
    if (s) sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(q, i);
}

static int sqlite_put_record(void *db, const voc_store_row *row, voc_error *err)
{
    sqlite_store *st = db;
    sqlite3_stmt *q = st->stmt[STMT_RECORD_UPSERT];
    sqlite3_reset(q);
    bind_text(q, 1, row->record_id);
    bind_text(q, 2, row->id);
    bind_text(q, 3, row->customer_id);
    bind_text(q, 4, row->channel ? row->channel : "text");
    bind_text(q, 5, row->time);
    bind_text(q, 6, row->lang ? row->lang : "und");
    bind_text(q, 7, row->label ? row->label : "neutral");
    sqlite3_bind_double(q, 8, row->score);
    sqlite3_bind_double(q, 9, row->confidence);
    sqlite3_bind_text64(q, 10, row->text ? row->text : "", row->text_len, SQLITE_TRANSIENT,
                        SQLITE_UTF8);
    sqlite3_bind_text64(q, 11, row->record_json, row->record_json_len, SQLITE_TRANSIENT,
                        SQLITE_UTF8);
    int rc = sqlite3_step(q) == SQLITE_DONE
                 ? VOC_OK
                 : voc__fail(err, VOC_ESTORE, st->label, 0, 0, "record %s: %s", row->record_id,
                             sqlite3_errmsg(st->db));
    sqlite3_reset(q); /* releases the statement's hold on the transaction */
    return rc;
}

static int sqlite_commit(void *db, voc_error *err)
{
    sqlite_store *st = db;
    return sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? VOC_OK
                                                                         : db_fail(st, err, "COMMIT");
}

static void sqlite_rollback(void *db)
{
    sqlite_store *st = db;
    if (!sqlite3_get_autocommit(st->db)) sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Step `q` to the end, calling fn with each row's values as text (floats at full
 * precision, as PostgreSQL prints a float8), then reset it. */
static int run_rows(sqlite_store *st, sqlite3_stmt *q, voc_store_row_fn fn, void *user,
                    voc_error *err)
{
    enum { MAX_COLUMNS = 8 };
    char numbers[MAX_COLUMNS][32];
    const char *values[MAX_COLUMNS];
    int n = sqlite3_column_count(q), step, rc = VOC_OK;
    if (n > MAX_COLUMNS) n = MAX_COLUMNS;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        for (int c = 0; c < n; c++) {
            switch (sqlite3_column_type(q, c)) {
            case SQLITE_NULL: values[c] = NULL; break;
            case SQLITE_FLOAT:
                snprintf(numbers[c], sizeof numbers[c], "%.17g", sqlite3_column_double(q, c));
                values[c] = numbers[c];
                break;
            default: values[c] = (const char *)sqlite3_column_text(q, c);
            }
        }
        if (fn(user, values, (size_t)n)) {
            rc = voc__fail(err, VOC_ECALLBACK, st->label, 0, 0, "query stopped by its callback");
            break;
        }
    }
    if (rc == VOC_OK && step != SQLITE_DONE) rc = db_fail(st, err, "query");
    sqlite3_reset(q);
    return rc;
}

static int sqlite_query(void *db, int query, long limit, voc_store_row_fn fn, void *user,
                        voc_error *err)
{
    sqlite_store *st = db;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, queries[query], -1, &q, NULL) != SQLITE_OK)
        return db_fail(st, err, "query");
    if (sqlite3_bind_parameter_count(q)) sqlite3_bind_int64(q, 1, limit);
    int rc = run_rows(st, q, fn, user, err);
    sqlite3_finalize(q);
    return rc;
}

/* ---- customer profiles ------------------------------------------------------------------ */

/* The read statement `which`, prepared on first use. */
static int read_stmt(sqlite_store *st, int which, sqlite3_stmt **q, voc_error *err)
{
    if (st->version < 2) return voc__store_no_profiles(st->label, err);
    if (!st->read[which] &&
        sqlite3_prepare_v2(st->db, reads[which], -1, &st->read[which], NULL) != SQLITE_OK)
        return db_fail(st, err, "cannot prepare a profile query");
    *q = st->read[which];
    sqlite3_reset(*q);
    sqlite3_clear_bindings(*q);
    return VOC_OK;
}

static int sqlite_profile_targets(void *db, bool all, voc_store_row_fn fn, void *user,
                                  voc_error *err)
{
    sqlite_store *st = db;
    sqlite3_stmt *q = NULL;
    int rc = read_stmt(st, all ? READ_TARGETS_ALL : READ_TARGETS_MARKED, &q, err);
    return rc ? rc : run_rows(st, q, fn, user, err);
}

static int sqlite_customer_records(void *db, const char *customer_id, voc_store_row_fn fn,
                                   void *user, voc_error *err)
{
    sqlite_store *st = db;
    sqlite3_stmt *q = NULL;
    int rc = read_stmt(st, READ_CUSTOMER_RECORDS, &q, err);
    if (rc) return rc;
    bind_text(q, 1, customer_id);
    return run_rows(st, q, fn, user, err);
}

static int sqlite_profiles(void *db, const char *customer_id, voc_store_row_fn fn, void *user,
                           voc_error *err)
{
    sqlite_store *st = db;
    sqlite3_stmt *q = NULL;
    int rc = read_stmt(st, customer_id ? READ_PROFILE_ONE : READ_PROFILES_ALL, &q, err);
    if (rc) return rc;
    if (customer_id) bind_text(q, 1, customer_id);
    return run_rows(st, q, fn, user, err);
}

/* Run a write statement whose parameters are bound; `what` names the row in a message. */
static int step_write(sqlite_store *st, sqlite3_stmt *q, const char *what, const char *id,
                      voc_error *err)
{
    int rc = sqlite3_step(q) == SQLITE_DONE
                 ? VOC_OK
                 : voc__fail(err, VOC_ESTORE, st->label, 0, 0, "%s %s: %s", what, id,
                             sqlite3_errmsg(st->db));
    sqlite3_reset(q);
    return rc;
}

static int sqlite_put_profile(void *db, const voc__profile_row *row, const char *mark,
                              const char *updated_at, voc_error *err)
{
    sqlite_store *st = db;
    sqlite3_stmt *q;
    int rc;
    if (row->records > 0) {
        q = st->stmt[STMT_PROFILE_UPSERT];
        sqlite3_reset(q);
        bind_text(q, 1, row->customer_id);
        sqlite3_bind_int64(q, 2, row->records);
        bind_text(q, 3, row->first_seen);
        bind_text(q, 4, row->last_seen);
        sqlite3_bind_double(q, 5, row->sentiment_mean);
        sqlite3_bind_double(q, 6, row->last_sentiment);
        bind_text(q, 7, row->last_label);
        for (int i = 0; i < 3; i++) sqlite3_bind_int64(q, 8 + i, row->labels[i]);
        for (int i = 0; i < 5; i++) sqlite3_bind_int64(q, 11 + i, row->flags[i]);
        bind_text(q, 16, row->last_dismay);
        bind_text(q, 17, row->last_churn_risk);
        bind_text(q, 18, row->emotions_json);
        bind_text(q, 19, row->top_topics_json);
        bind_text(q, 20, row->channels_json);
        bind_text(q, 21, row->profile_json);
        bind_text(q, 22, updated_at);
    } else {
        q = st->stmt[STMT_PROFILE_DELETE];
        sqlite3_reset(q);
        bind_text(q, 1, row->customer_id);
    }
    if ((rc = step_write(st, q, "profile of customer", row->customer_id, err)) != VOC_OK || !mark)
        return rc;
    q = st->stmt[STMT_MARK_CLEAR];
    sqlite3_reset(q);
    bind_text(q, 1, row->customer_id);
    sqlite3_bind_int64(q, 2, strtoll(mark, NULL, 10));
    return step_write(st, q, "mark of customer", row->customer_id, err);
}

const voc__store_backend voc__store_sqlite = {
    .open = sqlite_open,
    .begin = sqlite_begin,
    .put_record = sqlite_put_record,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .query = sqlite_query,
    .close = sqlite_close,
    .profile_targets = sqlite_profile_targets,
    .customer_records = sqlite_customer_records,
    .put_profile = sqlite_put_profile,
    .profiles = sqlite_profiles,
};
