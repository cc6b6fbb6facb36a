/* store_sqlite.c — the SQLite backend of the store (the embedded default), behind store.c.
 *
 * Schema version 1 (PRAGMA user_version = 1), the same columns as store_pg.c, documented
 * in README.md:
 *   records(record_id TEXT PRIMARY KEY, id, customer_id, channel, time, lang, label,
 *           score REAL, confidence REAL, text TEXT -- the message,
 *           record TEXT -- the whole vocmine.record/1 JSON)
 * Writes go through prepared statements only (no SQL is ever built from input), one per
 * entry of `statements`, inside the transactions store.c opens and ends, with WAL
 * journaling, so a re-run replaces rows instead of adding them and a crash loses at most the
 * open batch, never half a record. */
#include "store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* Every write statement, prepared once at open.  A new table gets its own entry here and
 * its own put function beside put_record. */
enum { STMT_RECORD_UPSERT, STMT_COUNT };
static const char *const statements[STMT_COUNT] = {
    [STMT_RECORD_UPSERT] =
        "INSERT INTO records(record_id,id,customer_id,channel,time,lang,label,score,confidence,text,record)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"
        " ON CONFLICT(record_id) DO UPDATE SET id=excluded.id, customer_id=excluded.customer_id,"
        " channel=excluded.channel, time=excluded.time, lang=excluded.lang, label=excluded.label,"
        " score=excluded.score, confidence=excluded.confidence, text=excluded.text,"
        " record=excluded.record",
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
};

typedef struct sqlite_store {
    sqlite3 *db;
    sqlite3_stmt *stmt[STMT_COUNT];
    const char *label;
} sqlite_store;

static int db_fail(sqlite_store *st, voc_error *err, const char *what)
{
    return voc__fail(err, VOC_ESTORE, st->label, 0, 0, "%s: %s", what,
                     st->db ? sqlite3_errmsg(st->db) : "cannot open");
}

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
    "PRAGMA user_version = 1;";

static void sqlite_close(void *db)
{
    sqlite_store *st = db;
    for (int i = 0; i < STMT_COUNT; i++) sqlite3_finalize(st->stmt[i]);
    sqlite3_close(st->db);
    free(st);
}

static int sqlite_open(const char *path, const char *label, bool create, void **out,
                       voc_error *err)
{
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
    sqlite3_stmt *q = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        version = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (version < 0) { rc = db_fail(st, err, "not a SQLite database"); goto fail; }
    if (version != 0 && version != VOC_STORE_SCHEMA_VERSION) {
        rc = voc__fail(err, VOC_ESTORE, label, 0, 0,
                       "schema version %d; this vocmine writes version %d", version,
                       VOC_STORE_SCHEMA_VERSION);
        goto fail;
    }
    if (!create) {
        if (version == 0) {
            rc = voc__fail(err, VOC_ESTORE, label, 0, 0,
                           "no vocmine records here (schema version 0): write some with "
                           "`vocmine analyze --db` first");
            goto fail;
        }
        *out = st;
        return VOC_OK;
    }
    if (sqlite3_exec(st->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(st->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_fail(st, err, "cannot create schema");
        goto fail;
    }
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

static int sqlite_query(void *db, int query, long limit, voc_store_row_fn fn, void *user,
                        voc_error *err)
{
    sqlite_store *st = db;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, queries[query], -1, &q, NULL) != SQLITE_OK)
        return db_fail(st, err, "query");
    if (sqlite3_bind_parameter_count(q)) sqlite3_bind_int64(q, 1, limit);
    enum { MAX_COLUMNS = 8 };
    char numbers[MAX_COLUMNS][32];
    const char *values[MAX_COLUMNS];
    int n = sqlite3_column_count(q), step, rc = VOC_OK;
    if (n > MAX_COLUMNS) n = MAX_COLUMNS;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        for (int c = 0; c < n; c++) {
            switch (sqlite3_column_type(q, c)) {
            case SQLITE_NULL: values[c] = NULL; break;
            case SQLITE_FLOAT: /* full precision, as PostgreSQL prints a float8 */
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
    sqlite3_finalize(q);
    return rc;
}

const voc__store_backend voc__store_sqlite = {
    "SQLite", sqlite_open, sqlite_begin, sqlite_put_record, sqlite_commit, sqlite_rollback,
    sqlite_query, sqlite_close,
};
