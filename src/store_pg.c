/* store_pg.c — the PostgreSQL backend of the store, behind store.c: the libpq adapter.
 *
 * The schema is store_sqlite.c's, in PostgreSQL types (score and confidence DOUBLE
 * PRECISION, record and the profile's JSON columns JSONB), created if absent; its version
 * lives in a small table, vocmine_meta(key, value), since PostgreSQL has no user_version.
 * Version 2 adds customer_profiles, profile_marks and one plpgsql trigger function that
 * marks the customer of every record row inserted, changed or deleted; a version-1
 * database is upgraded in place when opened for writing (every customer marked), and can
 * still be read as it is.  Data goes only through statements prepared once per connection
 * (PQprepare), with every parameter passed in binary form with its length, so no SQL is ever
 * built from input and no text needs a NUL.
 *
 * How a batch travels: store.c's begin/put/commit become one libpq pipeline per batch —
 * BEGIN, then each upsert as it is put (PQsendQueryPrepared, no waiting), then COMMIT and a
 * sync point — so 1000 records cost one round trip instead of 1000.  The results are read
 * at the sync.  If the server refused anything (say, row 200 breaks a CHECK), it skipped
 * everything after it up to the sync, the COMMIT included, so the transaction is rolled back
 * whole; the k-th result names the k-th command, which is how the message names the record.
 * The results wait in the socket until then (about 20 bytes per record), and libpq reads
 * while it writes, so a batch cannot deadlock. */
#include "store.h"

#include <libpq-fe.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- libpq, loaded when the first PostgreSQL store opens --------------------------------
 * libpq brings some twenty shared libraries (OpenSSL, GnuTLS, Kerberos, LDAP, SASL) that
 * every vocmine process would otherwise map and relocate at start-up — about 5 ms, more
 * than the whole analysis of a short ticket — although most runs never touch PostgreSQL.
 * So the functions below are looked up on first use (voc__library_ready); the macros after the
 * table make every call in this file go through it, so the code reads as plain libpq. */
#define PQ_FUNCTIONS(X)                                                                     \
    X(PQclear) X(PQresultStatus) X(PQntuples) X(PQnfields) X(PQgetvalue) X(PQstatus)        \
    X(PQsendQueryPrepared) X(PQexec) X(PQresultErrorField) X(PQprepare) X(PQpipelineStatus) \
    X(PQgetisnull) X(PQgetResult) X(PQtransactionStatus) X(PQsetSingleRowMode)             \
    X(PQsetNoticeProcessor) X(PQsendQueryParams) X(PQport) X(PQpipelineSync)               \
    X(PQparameterStatus) X(PQhost) X(PQfinish) X(PQexitPipelineMode) X(PQexecPrepared)     \
    X(PQexecParams) X(PQerrorMessage) X(PQenterPipelineMode) X(PQconnectdbParams)

/* the SONAME CMake read from the libpq built against, then the development link */
VOC_LIBRARY_DEFINE(PQ_FUNCTIONS, "libpq", "apt-get install libpq5", "version 14 or later needed",
                   VOCMINE_PQ_SONAME, "libpq.so");

#define PQclear voc_lib_table.PQclear
#define PQresultStatus voc_lib_table.PQresultStatus
#define PQntuples voc_lib_table.PQntuples
#define PQnfields voc_lib_table.PQnfields
#define PQgetvalue voc_lib_table.PQgetvalue
#define PQstatus voc_lib_table.PQstatus
#define PQsendQueryPrepared voc_lib_table.PQsendQueryPrepared
#define PQexec voc_lib_table.PQexec
#define PQresultErrorField voc_lib_table.PQresultErrorField
#define PQprepare voc_lib_table.PQprepare
#define PQpipelineStatus voc_lib_table.PQpipelineStatus
#define PQgetisnull voc_lib_table.PQgetisnull
#define PQgetResult voc_lib_table.PQgetResult
#define PQtransactionStatus voc_lib_table.PQtransactionStatus
#define PQsetSingleRowMode voc_lib_table.PQsetSingleRowMode
#define PQsetNoticeProcessor voc_lib_table.PQsetNoticeProcessor
#define PQsendQueryParams voc_lib_table.PQsendQueryParams
#define PQport voc_lib_table.PQport
#define PQpipelineSync voc_lib_table.PQpipelineSync
#define PQparameterStatus voc_lib_table.PQparameterStatus
#define PQhost voc_lib_table.PQhost
#define PQfinish voc_lib_table.PQfinish
#define PQexitPipelineMode voc_lib_table.PQexitPipelineMode
#define PQexecPrepared voc_lib_table.PQexecPrepared
#define PQexecParams voc_lib_table.PQexecParams
#define PQerrorMessage voc_lib_table.PQerrorMessage
#define PQenterPipelineMode voc_lib_table.PQenterPipelineMode
#define PQconnectdbParams voc_lib_table.PQconnectdbParams

/* Type OIDs of the parameters (from PostgreSQL's pg_type.dat; stable across versions). */
#define OID_INT8 20
#define OID_TEXT 25
#define OID_FLOAT8 701

/* Advisory locks; the keys are ASCII words read as big-endian integers.  'vocmine': the
 * schema is being created or upgraded. */
#define SCHEMA_LOCK_SQL "SELECT pg_advisory_xact_lock(33336520079928933)"
/* 'vocmark': whoever changes profile_marks holds it until commit (the triggers, a refresh) */
#define MARKS_LOCK_SQL "SELECT pg_advisory_xact_lock(33336520079405675)"

/* Every write statement, prepared at open.  A new table gets its own entry here and its own
 * put function beside put_record; its commands join the same pipeline and batch. */
enum { STMT_RECORD_UPSERT, STMT_PROFILE_UPSERT, STMT_PROFILE_DELETE, STMT_MARK_CLEAR,
       STMT_MARKS_LOCK, STMT_COUNT };
typedef struct pg_statement {
    const char *name, *sql;
    int n_params;
    Oid types[24];
} pg_statement;
static const pg_statement statements[STMT_COUNT] = {
    [STMT_RECORD_UPSERT] = {
        "vocmine_record_upsert",
        "INSERT INTO records(record_id,id,customer_id,channel,time,lang,label,score,confidence,text,record)"
        " VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11::jsonb)"
        " ON CONFLICT (record_id) DO UPDATE SET id=EXCLUDED.id, customer_id=EXCLUDED.customer_id,"
        " channel=EXCLUDED.channel, time=EXCLUDED.time, lang=EXCLUDED.lang, label=EXCLUDED.label,"
        " score=EXCLUDED.score, confidence=EXCLUDED.confidence, text=EXCLUDED.text,"
        " record=EXCLUDED.record",
        11,
        {OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT, OID_FLOAT8,
         OID_FLOAT8, OID_TEXT, OID_TEXT},
    },
    /* updated_at moves only when the profile does: a refresh that changes nothing writes
     * nothing */
    [STMT_PROFILE_UPSERT] = {
        "vocmine_profile_upsert",
        "INSERT INTO customer_profiles(" VOC__PROFILE_COLUMNS ")"
        " VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18::jsonb,$19::jsonb,"
        "$20::jsonb,$21::jsonb,$22)"
        " ON CONFLICT (customer_id) DO UPDATE SET" VOC__PROFILE_UPDATE_SET
        " WHERE customer_profiles.profile IS DISTINCT FROM EXCLUDED.profile",
        22,
        {OID_TEXT, OID_INT8, OID_TEXT, OID_TEXT, OID_FLOAT8, OID_FLOAT8, OID_TEXT, OID_INT8,
         OID_INT8, OID_INT8, OID_INT8, OID_INT8, OID_INT8, OID_INT8, OID_INT8, OID_TEXT, OID_TEXT,
         OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT},
    },
    [STMT_PROFILE_DELETE] = {
        "vocmine_profile_delete", "DELETE FROM customer_profiles WHERE customer_id = $1", 1,
        {OID_TEXT},
    },
    /* only if no record of the customer was written since the refresh read the mark */
    [STMT_MARK_CLEAR] = {
        "vocmine_mark_clear", "DELETE FROM profile_marks WHERE customer_id = $1 AND mark = $2", 2,
        {OID_TEXT, OID_INT8},
    },
    /* first in a batch of profiles: see schema_sql, why the triggers are deferred */
    [STMT_MARKS_LOCK] = {"vocmine_marks_lock", MARKS_LOCK_SQL, 0, {0}},
};

/* The reads of the profile refresh and export, prepared when first used (a version-1
 * database opened read-only has none of these tables). */
enum { READ_TARGETS_MARKED, READ_TARGETS_ALL, READ_CUSTOMER_RECORDS, READ_PROFILES_ALL,
       READ_PROFILE_ONE, READ_COUNT };
static const pg_statement reads[READ_COUNT] = {
    [READ_TARGETS_MARKED] = {
        "vocmine_targets_marked",
        "SELECT customer_id, mark FROM profile_marks ORDER BY customer_id COLLATE \"C\"", 0, {0},
    },
    /* every customer with records, a profile or a mark, with its mark if it has one */
    [READ_TARGETS_ALL] = {
        "vocmine_targets_all",
        "SELECT c.customer_id, m.mark FROM (SELECT customer_id FROM records"
        " WHERE customer_id IS NOT NULL UNION SELECT customer_id FROM customer_profiles"
        " UNION SELECT customer_id FROM profile_marks) AS c"
        " LEFT JOIN profile_marks AS m ON m.customer_id = c.customer_id"
        " ORDER BY c.customer_id COLLATE \"C\"", 0, {0},
    },
    [READ_CUSTOMER_RECORDS] = {
        "vocmine_customer_records",
        "SELECT record FROM records WHERE customer_id = $1 ORDER BY record_id COLLATE \"C\"", 1,
        {OID_TEXT},
    },
    [READ_PROFILES_ALL] = {
        "vocmine_profiles_all",
        "SELECT profile, updated_at, customer_id FROM customer_profiles"
        " ORDER BY customer_id COLLATE \"C\"", 0, {0},
    },
    [READ_PROFILE_ONE] = {
        "vocmine_profile_one",
        "SELECT profile, updated_at, customer_id FROM customer_profiles WHERE customer_id = $1", 1,
        {OID_TEXT},
    },
};

/* The queries of voc_store_query (enum voc_store_query order), prepared when first used.
 * Text sorts by bytes (COLLATE "C"), as SQLite's BINARY collation does, whatever the
 * database's locale. */
#define N_QUERIES 6
static const pg_statement queries[N_QUERIES] = {
    {"vocmine_q_totals", "SELECT count(*), count(DISTINCT customer_id) FROM records", 0, {0}},
    {"vocmine_q_by_lang",
     "SELECT lang, count(*) FROM records GROUP BY lang ORDER BY count(*) DESC, lang COLLATE \"C\"",
     0, {0}},
    {"vocmine_q_by_label",
     "SELECT label, count(*) FROM records GROUP BY label ORDER BY label COLLATE \"C\"", 0, {0}},
    {"vocmine_q_by_channel",
     "SELECT channel, count(*), avg(score) FROM records GROUP BY channel"
     " ORDER BY channel COLLATE \"C\"", 0, {0}},
    {"vocmine_q_most_negative",
     "SELECT score, id, customer_id, substr(text, 1, 70) FROM records WHERE label = 'negative'"
     " ORDER BY score, record_id COLLATE \"C\" LIMIT $1", 1, {OID_INT8}},
    {"vocmine_q_flags",
     "SELECT id, count(*), count(*) FILTER (WHERE severity = 'high') FROM"
     " (SELECT f->>'id' AS id, f->>'severity' AS severity"
     "  FROM records, jsonb_array_elements(record->'flags') AS f) AS flags"
     " GROUP BY id ORDER BY id COLLATE \"C\"",
     0, {0}},
};

/* The schema, run in one transaction under an advisory lock so that writers starting
 * together on an empty or version-1 database do not race to create or upgrade it; a
 * database already at VOC_STORE_SCHEMA_VERSION skips it (re-creating the triggers would
 * lock records against every other writer).  Fixed SQL, no parameters.
 *
 * The trigger function sets the mark of the customer of a row inserted, deleted, or updated
 * with another record or customer (both customers then) to the id of the writing
 * transaction: ids never repeat, so a mark a refresh read is still there unchanged only if
 * no record of that customer was written since (store.c: how refresh stays exact).
 * Re-running a batch changes no record, so it marks nobody.
 *
 * Why the triggers are deferred and take a lock: a mark is a row lock held until commit.
 * Immediate triggers would lock marks in record order, so two writers whose batches share
 * customers in different orders (writer 1: A then B, writer 2: B then A) deadlock — three
 * writer processes over the same 2,000 customers did, in every run.  Deferred to COMMIT,
 * every transaction marks its customers under one advisory lock (MARKS_LOCK_SQL), which the
 * refresh's transactions take too, so the marking is serialized (under 10 µs a record) and
 * no cycle of waits can form; writing the records themselves stays parallel. */
static const char *const schema_sql[] = {
    "CREATE TABLE IF NOT EXISTS records ("
    " record_id TEXT PRIMARY KEY,"
    " id TEXT,"
    " customer_id TEXT,"
    " channel TEXT NOT NULL,"
    " time TEXT,"
    " lang TEXT NOT NULL,"
    " label TEXT NOT NULL CHECK (label IN ('negative','neutral','positive')),"
    " score DOUBLE PRECISION NOT NULL,"
    " confidence DOUBLE PRECISION NOT NULL,"
    " text TEXT NOT NULL,"
    " record JSONB NOT NULL"
    ")",
    "CREATE INDEX IF NOT EXISTS records_customer ON records(customer_id)",
    "CREATE INDEX IF NOT EXISTS records_label ON records(label)",
    "CREATE TABLE IF NOT EXISTS customer_profiles ("
    " customer_id TEXT PRIMARY KEY,"
    " records INTEGER NOT NULL,"
    " first_seen TEXT,"
    " last_seen TEXT,"
    " sentiment_mean DOUBLE PRECISION,"
    " last_sentiment DOUBLE PRECISION,"
    " last_label TEXT,"
    " negative INTEGER, neutral INTEGER, positive INTEGER,"
    " churn_risk INTEGER, delight INTEGER, dismay INTEGER, escalation INTEGER,"
    " repeat_contact INTEGER,"
    " last_dismay TEXT,"
    " last_churn_risk TEXT,"
    " emotions JSONB,"
    " top_topics JSONB,"
    " channels JSONB,"
    " profile JSONB NOT NULL,"
    " updated_at TEXT NOT NULL"
    ")",
    "CREATE TABLE IF NOT EXISTS profile_marks ("
    " customer_id TEXT PRIMARY KEY,"
    " mark BIGINT NOT NULL"
    ")",
    "CREATE OR REPLACE FUNCTION vocmine_mark_customer() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "  PERFORM pg_advisory_xact_lock(33336520079405675); -- 'vocmark': MARKS_LOCK_SQL\n"
    "  IF TG_OP <> 'INSERT' AND OLD.customer_id IS NOT NULL THEN\n"
    "    IF TG_OP = 'DELETE' OR OLD.customer_id IS DISTINCT FROM NEW.customer_id THEN\n"
    "      INSERT INTO profile_marks(customer_id, mark) VALUES (OLD.customer_id, txid_current())\n"
    "        ON CONFLICT (customer_id) DO UPDATE SET mark = EXCLUDED.mark;\n"
    "    END IF;\n"
    "  END IF;\n"
    "  IF TG_OP <> 'DELETE' AND NEW.customer_id IS NOT NULL THEN\n"
    "    INSERT INTO profile_marks(customer_id, mark) VALUES (NEW.customer_id, txid_current())\n"
    "      ON CONFLICT (customer_id) DO UPDATE SET mark = EXCLUDED.mark;\n"
    "  END IF;\n"
    "  RETURN NULL;\n"
    "END\n"
    "$$",
    "DROP TRIGGER IF EXISTS records_mark_insert ON records",
    "CREATE CONSTRAINT TRIGGER records_mark_insert AFTER INSERT ON records"
    " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION vocmine_mark_customer()",
    "DROP TRIGGER IF EXISTS records_mark_update ON records",
    "CREATE CONSTRAINT TRIGGER records_mark_update AFTER UPDATE ON records"
    " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
    " WHEN (OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.record IS DISTINCT FROM NEW.record)"
    " EXECUTE FUNCTION vocmine_mark_customer()",
    "DROP TRIGGER IF EXISTS records_mark_delete ON records",
    "CREATE CONSTRAINT TRIGGER records_mark_delete AFTER DELETE ON records"
    " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION vocmine_mark_customer()",
    /* a version-1 database: every customer it holds is to be profiled */
    "INSERT INTO profile_marks(customer_id, mark)"
    " SELECT DISTINCT customer_id, txid_current() FROM records WHERE customer_id IS NOT NULL"
    " ON CONFLICT (customer_id) DO NOTHING",
};
#define META_SQL "CREATE TABLE IF NOT EXISTS vocmine_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
#define VERSION_SQL "SELECT value FROM vocmine_meta WHERE key = 'schema_version'"
#define SET_VERSION_SQL \
    "INSERT INTO vocmine_meta(key, value) VALUES ('schema_version', $1)" \
    " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"

typedef struct pg_store {
    PGconn *conn;
    const char *label;
    long version;          /* the schema version found at open (1 or 2) */
    bool in_pipeline;      /* a batch is open: BEGIN and commands sent, results unread */
    size_t n_sent;         /* commands sent in the open batch after BEGIN */
    size_t n_records, n_profiles; /* records and profiles put in it */
    voc_buf sent_ids;      /* what each command wrote ("record ID", "profile of customer
                            * ID"), each ending in NUL, to name a refused one */
    bool query_ready[N_QUERIES];
    bool read_ready[READ_COUNT];
} pg_store;

/* ---- errors ---------------------------------------------------------------------------- */

/* libpq's messages span lines ("...failed: ...\n\tIs the server running...?\n"): one line. */
static void one_line(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        bool space = *r == '\n' || *r == '\r' || *r == '\t' || *r == ' ';
        if (space && (w == s || w[-1] == ' ')) continue;
        *w++ = space ? ' ' : *r;
    }
    while (w > s && w[-1] == ' ') w--;
    *w = '\0';
}

static int conn_fail(pg_store *st, voc_error *err, const char *what)
{
    char msg[400];
    snprintf(msg, sizeof msg, "%s", st->conn ? PQerrorMessage(st->conn) : "out of memory");
    one_line(msg);
    return voc__fail(err, VOC_ESTORE, st->label, 0, 0, "%s: %s", what, msg);
}

/* The server's own words for a failed result, without its DETAIL (which quotes the whole
 * row: the message's text and record) but with the SQLSTATE to look up. */
static int result_fail(pg_store *st, const PGresult *res, voc_error *err, const char *what)
{
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *sqlstate = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (!primary) return conn_fail(st, err, what);
    return voc__fail(err, VOC_ESTORE, st->label, 0, 0, "%s: %s (SQLSTATE %s)", what, primary,
                     sqlstate ? sqlstate : "?");
}

/* Run fixed SQL (no input in it) outside a pipeline; the result when it has `want` status,
 * else NULL with *rc set and `what` (a few words) in the message. */
static PGresult *exec_fixed(pg_store *st, const char *sql, ExecStatusType want,
                            const char *what, voc_error *err, int *rc)
{
    PGresult *res = PQexec(st->conn, sql);
    if (res && PQresultStatus(res) == want) return res;
    *rc = result_fail(st, res, err, what);
    PQclear(res);
    return NULL;
}

static int exec_command(pg_store *st, const char *sql, const char *what, voc_error *err)
{
    int rc = VOC_OK;
    PQclear(exec_fixed(st, sql, PGRES_COMMAND_OK, what, err, &rc));
    return rc;
}

/* ---- opening: connect, check, create the schema, prepare ----------------------------- */

static void no_notices(void *arg, const char *message)
{
    (void)arg; /* "relation already exists, skipping" on every open: nothing to tell */
    (void)message;
}

static int connect_to(pg_store *st, const char *url, voc_error *err)
{
    /* Keywords are applied in order: the URL (dbname, expanded) overrides the defaults
     * before it, the client encoding after it is always UTF-8. */
    const char *keys[] = {"connect_timeout", "fallback_application_name", "dbname",
                          "client_encoding", NULL};
    const char *values[] = {"10", "vocmine", url, "UTF8", NULL};
    int skip = getenv("PGCONNECT_TIMEOUT") ? 1 : 0; /* the user's own timeout wins */
    st->conn = PQconnectdbParams(keys + skip, values + skip, 1);
    if (!st->conn) return voc__fail(err, VOC_ENOMEM, st->label, 0, 0, "out of memory");
    if (PQstatus(st->conn) != CONNECTION_OK) {
        const char *host = PQhost(st->conn), *port = PQport(st->conn);
        char what[300];
        if (host && *host)
            snprintf(what, sizeof what, "cannot connect to the PostgreSQL server (host %s, port %s)",
                     host, port && *port ? port : "default");
        else
            snprintf(what, sizeof what, "cannot connect to PostgreSQL");
        return conn_fail(st, err, what);
    }
    PQsetNoticeProcessor(st->conn, no_notices, NULL);
    const char *encoding = PQparameterStatus(st->conn, "server_encoding");
    if (!encoding || strcmp(encoding, "UTF8") != 0)
        return voc__fail(err, VOC_ESTORE, st->label, 0, 0,
                         "database encoding is %s; vocmine stores UTF-8 text and needs a UTF8 "
                         "database (createdb -E UTF8 -T template0 NAME)",
                         encoding ? encoding : "unknown");
    return VOC_OK;
}

/* Read the schema version: 0 when vocmine_meta or its row is absent. */
static int read_version(pg_store *st, long *version, voc_error *err)
{
    int rc = VOC_OK;
    *version = 0;
    PGresult *res = exec_fixed(st, "SELECT to_regclass('vocmine_meta') IS NOT NULL",
                               PGRES_TUPLES_OK, "looking for vocmine_meta", err, &rc);
    if (!res) return rc;
    bool has_meta = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (!has_meta) return VOC_OK;
    if (!(res = exec_fixed(st, VERSION_SQL, PGRES_TUPLES_OK, "reading the schema version", err,
                           &rc)))
        return rc;
    if (PQntuples(res) == 1) *version = strtol(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return VOC_OK;
}

static int create_schema(pg_store *st, voc_error *err)
{
    long version;
    int rc;
    if ((rc = exec_command(st, "BEGIN", "BEGIN", err)) != VOC_OK) return rc;
    PGresult *res = exec_fixed(st, SCHEMA_LOCK_SQL, PGRES_TUPLES_OK, "locking the schema", err, &rc);
    if (!res) goto fail;
    PQclear(res);
    if ((rc = exec_command(st, META_SQL, "creating vocmine_meta", err)) != VOC_OK ||
        (rc = read_version(st, &version, err)) != VOC_OK ||
        (rc = voc__store_check_version(st->label, version, false, err)) != VOC_OK)
        goto fail;
    st->version = VOC_STORE_SCHEMA_VERSION;
    if (version == VOC_STORE_SCHEMA_VERSION) return exec_command(st, "COMMIT", "COMMIT", err);
    const char *what = version == 1 ? "upgrading the schema from version 1" : "creating the schema";
    for (size_t i = 0; i < sizeof schema_sql / sizeof *schema_sql; i++)
        if ((rc = exec_command(st, schema_sql[i], what, err)) != VOC_OK) goto fail;
    char v[16];
    snprintf(v, sizeof v, "%d", VOC_STORE_SCHEMA_VERSION);
    const char *params[1] = {v};
    res = PQexecParams(st->conn, SET_VERSION_SQL, 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        rc = result_fail(st, res, err, "recording the schema version");
        PQclear(res);
        goto fail;
    }
    PQclear(res);
    return exec_command(st, "COMMIT", "COMMIT", err);
fail:
    PQclear(PQexec(st->conn, "ROLLBACK"));
    return rc;
}

static int prepare(pg_store *st, const pg_statement *s, voc_error *err)
{
    PGresult *res = PQprepare(st->conn, s->name, s->sql, s->n_params, s->types);
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? VOC_OK
                                                     : result_fail(st, res, err, s->name);
    PQclear(res);
    return rc;
}

static void pg_close(void *db)
{
    pg_store *st = db;
    PQfinish(st->conn);
    voc__buf_free(&st->sent_ids);
    free(st);
}

static int pg_open(const char *url, const char *label, bool create, void **out, voc_error *err)
{
    if (!voc__library_ready(&voc_lib, &voc_lib_state, NULL))
        return voc__fail(err, VOC_EDEPENDENCY, label, 0, 0, "%s", voc_lib_state.problem);
    pg_store *st = calloc(1, sizeof *st);
    if (!st) return voc__fail(err, VOC_ENOMEM, label, 0, 0, "out of memory");
    st->label = label;
    int rc;
    if ((rc = connect_to(st, url, err)) != VOC_OK) goto fail;
    if (create) {
        if ((rc = create_schema(st, err)) != VOC_OK) goto fail;
        for (int i = 0; i < STMT_COUNT; i++)
            if ((rc = prepare(st, &statements[i], err)) != VOC_OK) goto fail;
    } else {
        long version;
        if ((rc = read_version(st, &version, err)) != VOC_OK ||
            (rc = voc__store_check_version(label, version, true, err)) != VOC_OK)
            goto fail;
        st->version = version;
    }
    *out = st;
    return VOC_OK;
fail:
    pg_close(st);
    return rc;
}

/* ---- a batch: one pipeline ------------------------------------------------------------- */

static int send_fixed(pg_store *st, const char *sql, voc_error *err)
{
    return PQsendQueryParams(st->conn, sql, 0, NULL, NULL, NULL, NULL, 0)
               ? VOC_OK
               : conn_fail(st, err, sql);
}

static int pg_begin(void *db, voc_error *err)
{
    pg_store *st = db;
    st->n_sent = st->n_records = st->n_profiles = 0;
    st->sent_ids.len = 0;
    if (!PQenterPipelineMode(st->conn)) return conn_fail(st, err, "entering pipeline mode");
    st->in_pipeline = true;
    return send_fixed(st, "BEGIN", err);
}

/* A float8 in binary form: the IEEE 754 bits, big-endian. */
static void float8_bytes(double v, unsigned char out[8])
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    for (int i = 7; i >= 0; i--, u >>= 8) out[i] = (unsigned char)(u & 0xFF);
}

/* An int8 in binary form: two's complement, big-endian. */
static void int8_bytes(long long v, unsigned char out[8])
{
    uint64_t u = (uint64_t)v;
    for (int i = 7; i >= 0; i--, u >>= 8) out[i] = (unsigned char)(u & 0xFF);
}

/* Send prepared statement `s` into the open batch's pipeline with binary parameters, and
 * remember what it writes ("record", id) to name it if the server refuses it. */
static int send_in_batch(pg_store *st, const pg_statement *s, const char *const *values,
                         const int *lengths, const char *what, const char *id, voc_error *err)
{
    int formats[24];
    for (int i = 0; i < s->n_params; i++) formats[i] = 1; /* the bytes as they are, by length */
    if (!PQsendQueryPrepared(st->conn, s->name, s->n_params, values, lengths, formats, 0))
        return conn_fail(st, err, "sending a command of the batch");
    st->n_sent++;
    if (voc__buf_append(&st->sent_ids, what, strlen(what)) != VOC_OK ||
        voc__buf_append(&st->sent_ids, " ", 1) != VOC_OK ||
        voc__buf_append(&st->sent_ids, id, strlen(id) + 1) != VOC_OK)
        return voc__fail(err, VOC_ENOMEM, st->label, 0, 0, "out of memory");
    return VOC_OK;
}

static int pg_put_record(void *db, const voc_store_row *row, voc_error *err)
{
    pg_store *st = db;
    const char *text[] = {row->record_id, row->id, row->customer_id,
                          row->channel ? row->channel : "text", row->time,
                          row->lang ? row->lang : "und", row->label ? row->label : "neutral"};
    const char *values[11];
    int lengths[11];
    unsigned char score[8], confidence[8];
    for (int i = 0; i < 7; i++) {
        values[i] = text[i]; /* NULL is SQL NULL */
        lengths[i] = text[i] ? (int)strlen(text[i]) : 0;
    }
    float8_bytes(row->score, score);
    float8_bytes(row->confidence, confidence);
    values[7] = (const char *)score;
    values[8] = (const char *)confidence;
    lengths[7] = lengths[8] = 8;
    if (row->text_len > INT32_MAX || row->record_json_len > INT32_MAX)
        return voc__fail(err, VOC_ETOOBIG, st->label, 0, 0, "record %s: text over 2 GB",
                         row->record_id);
    values[9] = row->text ? row->text : "";
    lengths[9] = (int)row->text_len;
    values[10] = row->record_json;
    lengths[10] = (int)row->record_json_len;
    int rc = send_in_batch(st, &statements[STMT_RECORD_UPSERT], values, lengths, "record",
                           row->record_id, err);
    if (rc == VOC_OK) st->n_records++;
    return rc;
}

/* What the i-th command of the batch after BEGIN wrote (0-based). */
static const char *sent_id(const pg_store *st, size_t i)
{
    const char *p = st->sent_ids.data, *end = p + st->sent_ids.len;
    for (; p && p < end && i > 0; i--) p += strlen(p) + 1;
    return p && p < end ? p : "?";
}

/* Send the sync point and read every result of the batch up to it.  Command k of the
 * pipeline is BEGIN (k = 0), the upserts and deletes (1..n_sent), then COMMIT if it was
 * sent.  Leaves pipeline mode; returns the first failure, naming the row it belongs to. */
static int finish_pipeline(pg_store *st, voc_error *err)
{
    int rc = VOC_OK;
    size_t n_batch = st->n_sent;
    st->n_sent = 0;
    /* without the sync point nothing ends the results: reading them could wait forever */
    if (!PQpipelineSync(st->conn)) return conn_fail(st, err, "sending the batch");
    for (size_t k = 0;;) {
        PGresult *res = PQgetResult(st->conn);
        if (!res) { /* the end of one command's results */
            if (PQstatus(st->conn) != CONNECTION_OK) {
                if (rc == VOC_OK) rc = conn_fail(st, err, "connection lost during the batch");
                break;
            }
            if (++k > n_batch + 2) break; /* never more commands than were sent */
            continue;
        }
        ExecStatusType status = PQresultStatus(res);
        if (status == PGRES_PIPELINE_SYNC) {
            PQclear(res);
            break;
        }
        if (status == PGRES_FATAL_ERROR && rc == VOC_OK) {
            char what[200];
            if (k == 0) snprintf(what, sizeof what, "BEGIN");
            else if (k <= n_batch) snprintf(what, sizeof what, "%s", sent_id(st, k - 1));
            else snprintf(what, sizeof what, "COMMIT");
            rc = result_fail(st, res, err, what);
            if (err) {
                size_t n = strlen(err->message);
                if (st->n_profiles)
                    snprintf(err->message + n, sizeof err->message - n,
                             "; its batch of %zu profiles was rolled back", st->n_profiles);
                else
                    snprintf(err->message + n, sizeof err->message - n,
                             "; its batch of %zu records was rolled back", st->n_records);
            }
        }
        PQclear(res);
    }
    if (PQpipelineStatus(st->conn) != PQ_PIPELINE_OFF && !PQexitPipelineMode(st->conn) &&
        rc == VOC_OK)
        rc = conn_fail(st, err, "leaving pipeline mode");
    st->in_pipeline = PQpipelineStatus(st->conn) != PQ_PIPELINE_OFF;
    return rc;
}

static int pg_commit(void *db, voc_error *err)
{
    pg_store *st = db;
    int rc = send_fixed(st, "COMMIT", err);
    int rc_sync = finish_pipeline(st, rc == VOC_OK ? err : NULL);
    return rc ? rc : rc_sync;
}

static void pg_rollback(void *db)
{
    pg_store *st = db;
    if (PQstatus(st->conn) != CONNECTION_OK) return;
    if (st->in_pipeline) finish_pipeline(st, NULL);
    if (!st->in_pipeline && PQtransactionStatus(st->conn) != PQTRANS_IDLE)
        PQclear(PQexec(st->conn, "ROLLBACK"));
}

/* ---- queries --------------------------------------------------------------------------- */

static int pg_query(void *db, int query, long limit, voc_store_row_fn fn, void *user,
                    voc_error *err)
{
    pg_store *st = db;
    const pg_statement *q = &queries[query];
    int rc;
    if (!st->query_ready[query]) {
        if ((rc = prepare(st, q, err)) != VOC_OK) return rc;
        st->query_ready[query] = true;
    }
    char limit_text[24];
    snprintf(limit_text, sizeof limit_text, "%ld", limit);
    const char *params[1] = {limit_text};
    PGresult *res = PQexecPrepared(st->conn, q->name, q->n_params, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = result_fail(st, res, err, "query");
        PQclear(res);
        return rc;
    }
    enum { MAX_COLUMNS = 8 };
    const char *values[MAX_COLUMNS];
    int n = PQnfields(res) < MAX_COLUMNS ? PQnfields(res) : MAX_COLUMNS;
    rc = VOC_OK;
    for (int r = 0; r < PQntuples(res) && rc == VOC_OK; r++) {
        for (int c = 0; c < n; c++) values[c] = PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
        if (fn(user, values, (size_t)n))
            rc = voc__fail(err, VOC_ECALLBACK, st->label, 0, 0, "query stopped by its callback");
    }
    PQclear(res);
    return rc;
}

/* ---- customer profiles ------------------------------------------------------------------ */

/* Run read statement `which` with text parameters, calling fn once per row; rows come one
 * at a time (single-row mode), so exporting every profile never holds them all. */
static int run_read(pg_store *st, int which, const char *const *params, voc_store_row_fn fn,
                    void *user, voc_error *err)
{
    const pg_statement *q = &reads[which];
    int rc;
    if (st->version < 2) return voc__store_no_profiles(st->label, err);
    if (!st->read_ready[which]) {
        if ((rc = prepare(st, q, err)) != VOC_OK) return rc;
        st->read_ready[which] = true;
    }
    int lengths[1] = {params && params[0] ? (int)strlen(params[0]) : 0}, formats[1] = {1};
    if (!PQsendQueryPrepared(st->conn, q->name, q->n_params, params, lengths, formats, 0))
        return conn_fail(st, err, "query");
    PQsetSingleRowMode(st->conn); /* if it fails, the rows come at once: still right */
    enum { MAX_COLUMNS = 8 };
    const char *values[MAX_COLUMNS];
    rc = VOC_OK;
    PGresult *res;
    while ((res = PQgetResult(st->conn)) != NULL) { /* read to the end even after a failure */
        ExecStatusType status = PQresultStatus(res);
        if (status == PGRES_SINGLE_TUPLE || status == PGRES_TUPLES_OK) {
            int n = PQnfields(res) < MAX_COLUMNS ? PQnfields(res) : MAX_COLUMNS;
            for (int r = 0; r < PQntuples(res) && rc == VOC_OK; r++) {
                for (int c = 0; c < n; c++)
                    values[c] = PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
                if (fn(user, values, (size_t)n))
                    rc = voc__fail(err, VOC_ECALLBACK, st->label, 0, 0,
                                   "query stopped by its callback");
            }
        } else if (rc == VOC_OK) {
            rc = result_fail(st, res, err, "query");
        }
        PQclear(res);
    }
    return rc;
}

static int pg_profile_targets(void *db, bool all, voc_store_row_fn fn, void *user,
                              voc_error *err)
{
    return run_read(db, all ? READ_TARGETS_ALL : READ_TARGETS_MARKED, NULL, fn, user, err);
}

static int pg_customer_records(void *db, const char *customer_id, voc_store_row_fn fn,
                               void *user, voc_error *err)
{
    const char *params[1] = {customer_id};
    return run_read(db, READ_CUSTOMER_RECORDS, params, fn, user, err);
}

static int pg_profiles(void *db, const char *customer_id, voc_store_row_fn fn, void *user,
                       voc_error *err)
{
    const char *params[1] = {customer_id};
    return run_read(db, customer_id ? READ_PROFILE_ONE : READ_PROFILES_ALL, params, fn, user,
                    err);
}

/* Into the open batch's pipeline, like pg_put_record: the upsert or delete of the profile,
 * then the clearing of the mark. */
static int pg_put_profile(void *db, const voc__profile_row *row, const char *mark,
                          const char *updated_at, voc_error *err)
{
    pg_store *st = db;
    const char *values[22];
    int lengths[22];
    unsigned char numbers[11][8]; /* records, the two sentiments, 3 labels, 5 flags */
    int rc;
    if (st->n_profiles == 0 && (rc = send_in_batch(st, &statements[STMT_MARKS_LOCK], NULL, NULL,
                                                   "locking", "profile_marks", err)) != VOC_OK)
        return rc;
    if (row->records > 0) {
        const char *text[22] = {
            [0] = row->customer_id, [2] = row->first_seen, [3] = row->last_seen,
            [6] = row->last_label, [15] = row->last_dismay, [16] = row->last_churn_risk,
            [17] = row->emotions_json, [18] = row->top_topics_json, [19] = row->channels_json,
            [20] = row->profile_json, [21] = updated_at};
        for (int i = 0; i < 22; i++) {
            values[i] = text[i]; /* NULL is SQL NULL */
            lengths[i] = text[i] ? (int)strlen(text[i]) : 0;
        }
        int k = 0;
        int8_bytes(row->records, numbers[k]);
        values[1] = (const char *)numbers[k++];
        float8_bytes(row->sentiment_mean, numbers[k]);
        values[4] = (const char *)numbers[k++];
        float8_bytes(row->last_sentiment, numbers[k]);
        values[5] = (const char *)numbers[k++];
        for (int i = 0; i < 3; i++, k++) {
            int8_bytes(row->labels[i], numbers[k]);
            values[7 + i] = (const char *)numbers[k];
        }
        for (int i = 0; i < 5; i++, k++) {
            int8_bytes(row->flags[i], numbers[k]);
            values[10 + i] = (const char *)numbers[k];
        }
        lengths[1] = lengths[4] = lengths[5] = 8;
        for (int i = 7; i < 15; i++) lengths[i] = 8;
        rc = send_in_batch(st, &statements[STMT_PROFILE_UPSERT], values, lengths,
                           "profile of customer", row->customer_id, err);
    } else {
        values[0] = row->customer_id;
        lengths[0] = (int)strlen(row->customer_id);
        rc = send_in_batch(st, &statements[STMT_PROFILE_DELETE], values, lengths,
                           "profile of customer", row->customer_id, err);
    }
    if (rc != VOC_OK) return rc;
    st->n_profiles++;
    if (!mark) return VOC_OK;
    int8_bytes(strtoll(mark, NULL, 10), numbers[0]);
    values[0] = row->customer_id;
    lengths[0] = (int)strlen(row->customer_id);
    values[1] = (const char *)numbers[0];
    lengths[1] = 8;
    return send_in_batch(st, &statements[STMT_MARK_CLEAR], values, lengths, "mark of customer",
                         row->customer_id, err);
}

const voc__store_backend voc__store_pg = {
    .open = pg_open,
    .begin = pg_begin,
    .put_record = pg_put_record,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .query = pg_query,
    .close = pg_close,
    .profile_targets = pg_profile_targets,
    .customer_records = pg_customer_records,
    .put_profile = pg_put_profile,
    .profiles = pg_profiles,
    .json_reformatted = true,
};
