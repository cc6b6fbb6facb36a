/* store_sqlite.c — the embedded default store: records upserted into SQLite.
 *
 * Schema version 1 (PRAGMA user_version = 1), documented in README.md:
 *   records(record_id TEXT PRIMARY KEY, id, customer_id, channel, time, lang, label,
 *           score REAL, confidence REAL, text TEXT -- the message,
 *           record TEXT -- the whole vocmine.record/1 JSON)
 * Writes go through one prepared upsert statement (no SQL is ever built from input), in
 * transactions of VOC_STORE_BATCH records, with WAL journaling, so a re-run replaces rows
 * instead of adding them and a crash loses at most the open batch, never half a record. */
#include "internal.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define VOC_STORE_BATCH 1000

struct voc_store {
    sqlite3 *db;
    sqlite3_stmt *upsert;
    size_t pending;
    char path[512];
};

static int db_fail(voc_store *st, voc_error *err, const char *what)
{
    return voc__fail(err, VOC_ESTORE, st->path, 0, 0, "%s: %s", what,
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

static const char upsert_sql[] =
    "INSERT INTO records(record_id,id,customer_id,channel,time,lang,label,score,confidence,text,record)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"
    " ON CONFLICT(record_id) DO UPDATE SET id=excluded.id, customer_id=excluded.customer_id,"
    " channel=excluded.channel, time=excluded.time, lang=excluded.lang, label=excluded.label,"
    " score=excluded.score, confidence=excluded.confidence, text=excluded.text,"
    " record=excluded.record";

int voc_store_open(const char *path, voc_store **out, voc_error *err)
{
    if (!out || !path) return voc__fail(err, VOC_EINVAL, "voc_store_open", 0, 0, "NULL argument");
    *out = NULL;
    voc_store *st = calloc(1, sizeof *st);
    if (!st) return voc__fail(err, VOC_ENOMEM, path, 0, 0, "out of memory");
    snprintf(st->path, sizeof st->path, "%s", path);
    int rc;
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
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
        rc = voc__fail(err, VOC_ESTORE, path, 0, 0,
                       "schema version %d; this vocmine writes version %d", version,
                       VOC_STORE_SCHEMA_VERSION);
        goto fail;
    }
    if (sqlite3_exec(st->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(st->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_fail(st, err, "cannot create schema");
        goto fail;
    }
    if (sqlite3_prepare_v2(st->db, upsert_sql, -1, &st->upsert, NULL) != SQLITE_OK) {
        rc = db_fail(st, err, "cannot prepare upsert");
        goto fail;
    }
    *out = st;
    return VOC_OK;
fail:
    if (st->db) sqlite3_close(st->db);
    free(st);
    return rc;
}

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
    if (s) sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(q, i);
}

int voc_store_put(voc_store *st, const voc_store_row *row, voc_error *err)
{
    if (!st || !row || !row->record_id || !row->record_json)
        return voc__fail(err, VOC_EINVAL, "voc_store_put", 0, 0, "NULL argument");
    if (st->pending == 0 && sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(st, err, "BEGIN");
    sqlite3_stmt *q = st->upsert;
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
    sqlite3_bind_text(q, 10, row->text ? row->text : "", row->text ? (int)row->text_len : 0,
                      SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 11, row->record_json, (int)row->record_json_len, SQLITE_TRANSIENT);
    if (sqlite3_step(q) != SQLITE_DONE) {
        int rc = db_fail(st, err, "upsert");
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        st->pending = 0;
        return rc;
    }
    if (++st->pending >= VOC_STORE_BATCH) {
        st->pending = 0;
        if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            return db_fail(st, err, "COMMIT");
    }
    return VOC_OK;
}

int voc_store_close(voc_store *st, voc_error *err)
{
    if (!st) return VOC_OK;
    int rc = VOC_OK;
    if (st->pending && sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = db_fail(st, err, "COMMIT");
    sqlite3_finalize(st->upsert);
    sqlite3_close(st->db);
    free(st);
    return rc;
}
