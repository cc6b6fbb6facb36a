/* test_store.c — the SQLite store (store_sqlite.c): schema, upsert without duplicates,
 * batches committed on close, version check. */
#include "test.h"
#include "vocmine.h"

#include <sqlite3.h>
#include <unistd.h>

static long long query_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    long long v = -1;
    if (sqlite3_open(path, &db) == SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    sqlite3_close(db);
    return v;
}

static voc_store_row row(const char *rid, const char *label, double score)
{
    voc_store_row r = {rid, "id-1", "C-1", "email", "2026-11-02T09:00:00Z", "en", label, score, 0.9,
                       "some text", 9, "{\"schema\":\"vocmine.record/1\"}", 29};
    return r;
}

int main(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/vocmine-store-%d.db", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    unlink(path);
    voc_store *st;
    voc_error err;
    CHECK_INT(voc_store_open(path, &st, &err), 0);
    voc_store_row r1 = row("email:1", "negative", -0.5), r2 = row("email:2", "positive", 0.5);
    CHECK_INT(voc_store_put(st, &r1, &err), 0);
    CHECK_INT(voc_store_put(st, &r2, &err), 0);
    CHECK_INT(voc_store_close(st, &err), 0);
    CHECK_INT(query_int(path, "SELECT count(*) FROM records"), 2);
    CHECK_INT(query_int(path, "PRAGMA user_version"), VOC_STORE_SCHEMA_VERSION);

    /* re-running the same records changes nothing; a changed record is updated in place */
    CHECK_INT(voc_store_open(path, &st, &err), 0);
    r1.label = "neutral";
    r1.score = 0;
    CHECK_INT(voc_store_put(st, &r1, &err), 0);
    CHECK_INT(voc_store_put(st, &r2, &err), 0);
    CHECK_INT(voc_store_close(st, &err), 0);
    CHECK_INT(query_int(path, "SELECT count(*) FROM records"), 2);
    CHECK_INT(query_int(path, "SELECT count(*) FROM records WHERE record_id='email:1' AND label='neutral'"), 1);
    CHECK_INT(query_int(path, "SELECT count(*) FROM records WHERE customer_id IS NULL"), 0);

    /* more than one batch */
    CHECK_INT(voc_store_open(path, &st, &err), 0);
    char rid[32];
    for (int i = 0; i < 2500; i++) {
        snprintf(rid, sizeof rid, "chat:%d", i);
        voc_store_row r = row(rid, "neutral", 0);
        if (voc_store_put(st, &r, &err)) { CHECK(0); break; }
    }
    CHECK_INT(voc_store_close(st, &err), 0);
    CHECK_INT(query_int(path, "SELECT count(*) FROM records"), 2502);

    /* NULL arguments and a database of another schema version are refused */
    CHECK_INT(voc_store_open(NULL, &st, &err), VOC_EINVAL);
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK_INT(voc_store_open(path, &st, &err), VOC_ESTORE);
    CHECK(strstr(err.message, "99") != NULL);
    /* a path that cannot be created */
    CHECK_INT(voc_store_open("/nonexistent-dir/x.db", &st, &err), VOC_ESTORE);

    unlink(path);
    char side[300];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    return test_exit_status("test_store");
}
