/* store.c — the public store API (voc_store_*), the same whichever database is behind it.
 *
 * voc_store_open picks the backend by the target's prefix — postgresql:// or postgres://
 * is PostgreSQL (store_pg.c, libpq), anything else a SQLite path (store_sqlite.c) — and
 * everything the backends share happens here: each row's strings are made valid UTF-8
 * (PostgreSQL refuses anything else, SQLite would keep it), records are counted into
 * transactions of VOC__STORE_BATCH, and a failure anywhere in a batch rolls the whole
 * batch back and leaves the store refusing further writes until it is closed.
 *
 * Customer profiles (voc_store_refresh_profiles) are rebuilt here too, from each
 * customer's records, by the same code for both databases.  How a refresh stays exact:
 * triggers on records (in the backends' schemas) mark a customer whenever one of their
 * records is inserted, changed or deleted, each write giving the mark a new value.  The
 * refresh reads the marks first, then each marked customer's records, and writes the
 * profile while clearing the mark only if it still has the value read.  Example: the
 * refresh reads C-7 with mark 41 and C-7's three records; meanwhile a writer adds a fourth
 * record and the mark becomes 42; the profile written counts three, but the mark stays
 * (42 is not 41), so the next refresh counts four.  A profile is always a whole rebuild,
 * never an increment, so re-running a batch or refreshing twice cannot count anything
 * twice. */
#include "store.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The strings of a voc_store_row, in the order repair_row walks them. */
enum { F_RECORD_ID, F_ID, F_CUSTOMER, F_CHANNEL, F_TIME, F_LANG, F_LABEL, F_TEXT, F_JSON,
       F_COUNT };

struct voc_store {
    const voc__store_backend *backend;
    void *db;
    bool read_only;         /* opened by voc_store_open_existing */
    size_t pending;         /* records put in the open batch */
    int failed;             /* the status of the write that failed, 0 while all is well */
    char failure[512];      /* its message, repeated to later calls */
    voc_buf repaired[F_COUNT]; /* valid UTF-8 copies of the fields that needed them */
    char label[512];        /* the target as messages show it: no password */
};

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Copy `url` into out[0..size) with any password replaced by "***": the one in the
 * user-info part (postgresql://user:secret@host/db) and a password=... query parameter. */
static void redact(const char *url, char *out, size_t size)
{
    snprintf(out, size, "%s", url);
    char *p = strstr(out, "://");
    if (p) {
        char *auth = p + 3;
        size_t auth_len = strcspn(auth, "/?");
        char *at = memchr(auth, '@', auth_len);
        char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (colon && at - colon > 1) {
            char rest[512];
            snprintf(rest, sizeof rest, "%s", at);
            snprintf(colon + 1, size - (size_t)(colon + 1 - out), "***%s", rest);
        }
    }
    char *q = strchr(out, '?');
    while (q) {
        q++;
        if (has_prefix(q, "password=")) {
            char *value = q + strlen("password="), *end = value + strcspn(value, "&");
            char rest[512];
            snprintf(rest, sizeof rest, "%s", end);
            snprintf(value, size - (size_t)(value - out), "***%s", rest);
        }
        q = strchr(q, '&');
    }
}

static int open_store(const char *target, bool create, voc_store **out, voc_error *err)
{
    if (!out || !target)
        return voc__fail(err, VOC_EINVAL, "voc_store_open", 0, 0, "NULL argument");
    *out = NULL;
    voc_store *st = calloc(1, sizeof *st);
    if (!st) return voc__fail(err, VOC_ENOMEM, target, 0, 0, "out of memory");
    bool pg = has_prefix(target, "postgresql://") || has_prefix(target, "postgres://");
    st->backend = pg ? &voc__store_pg : &voc__store_sqlite;
    st->read_only = !create;
    if (pg) redact(target, st->label, sizeof st->label);
    else snprintf(st->label, sizeof st->label, "%s", target);
    int rc = st->backend->open(target, st->label, create, &st->db, err);
    if (rc) {
        free(st);
        return rc;
    }
    *out = st;
    return VOC_OK;
}

int voc_store_open(const char *target, voc_store **out, voc_error *err)
{
    return open_store(target, true, out, err);
}

int voc_store_open_existing(const char *target, voc_store **out, voc_error *err)
{
    return open_store(target, false, out, err);
}

/* Remember a failed write: the batch is rolled back and later writes are refused with the
 * same message. */
static int fail_batch(voc_store *st, int rc, voc_error *err)
{
    st->backend->rollback(st->db);
    st->pending = 0;
    st->failed = rc;
    snprintf(st->failure, sizeof st->failure, "%s", err ? err->message : voc_strerror(rc));
    return rc;
}

static int refuse_failed(const voc_store *st, voc_error *err)
{
    return voc__fail(err, st->failed, st->label, 0, 0,
                     "an earlier write failed and its batch was rolled back: %s", st->failure);
}

/* Point *s (a string of `len` bytes) at a valid UTF-8 copy when it is not valid UTF-8
 * without NUL bytes: each bad byte becomes U+FFFD, as in the records' JSON. */
static int repair(voc_buf *b, const char **s, size_t *len)
{
    if (!*s || voc__utf8_valid(*s, *len)) return VOC_OK;
    if (voc__utf8_repair(*s, *len, b) < 0) {
        voc__buf_free(b); /* the buffer's failure is sticky: start afresh next time */
        return VOC_ENOMEM;
    }
    *s = b->data;
    *len = b->len;
    return VOC_OK;
}

static int repair_row(voc_store *st, voc_store_row *row)
{
    const char **str[F_COUNT] = {&row->record_id, &row->id, &row->customer_id, &row->channel,
                                 &row->time, &row->lang, &row->label, &row->text,
                                 &row->record_json};
    for (int f = 0; f < F_COUNT; f++) {
        size_t len = f == F_TEXT ? row->text_len
                   : f == F_JSON ? row->record_json_len
                   : *str[f] ? strlen(*str[f]) : 0;
        if (repair(&st->repaired[f], str[f], &len)) return VOC_ENOMEM;
        if (f == F_TEXT) row->text_len = len;
        if (f == F_JSON) row->record_json_len = len;
    }
    return VOC_OK;
}

int voc_store_put(voc_store *st, const voc_store_row *row, voc_error *err)
{
    if (!st || !row || !row->record_id || !row->record_json)
        return voc__fail(err, VOC_EINVAL, "voc_store_put", 0, 0, "NULL argument");
    if (st->read_only)
        return voc__fail(err, VOC_EINVAL, st->label, 0, 0,
                         "store opened with voc_store_open_existing is read-only");
    if (st->failed) return refuse_failed(st, err);
    voc_store_row r = *row;
    if (!r.text) r.text_len = 0;
    if (repair_row(st, &r)) return voc__fail(err, VOC_ENOMEM, st->label, 0, 0, "out of memory");
    int rc;
    if (st->pending == 0 && (rc = st->backend->begin(st->db, err)) != VOC_OK)
        return fail_batch(st, rc, err);
    if ((rc = st->backend->put_record(st->db, &r, err)) != VOC_OK) return fail_batch(st, rc, err);
    if (++st->pending >= VOC__STORE_BATCH) {
        st->pending = 0;
        if ((rc = st->backend->commit(st->db, err)) != VOC_OK) return fail_batch(st, rc, err);
    }
    return VOC_OK;
}

/* Commit the open record batch, if any, so that what follows sees every record put. */
static int commit_pending(voc_store *st, voc_error *err)
{
    int rc;
    if (st->pending) {
        st->pending = 0;
        if ((rc = st->backend->commit(st->db, err)) != VOC_OK) return fail_batch(st, rc, err);
    }
    return VOC_OK;
}

int voc_store_query(voc_store *st, int query, long limit, voc_store_row_fn fn, void *user,
                    voc_error *err)
{
    if (!st || !fn) return voc__fail(err, VOC_EINVAL, "voc_store_query", 0, 0, "NULL argument");
    if (query < VOC_STORE_TOTALS || query > VOC_STORE_FLAGS)
        return voc__fail(err, VOC_EINVAL, "voc_store_query", 0, 0, "unknown query %d", query);
    if (st->failed) return refuse_failed(st, err);
    int rc = commit_pending(st, err);
    if (rc) return rc;
    return st->backend->query(st->db, query, limit < 0 ? 0 : limit, fn, user, err);
}

/* ---- customer profiles ------------------------------------------------------------------- */

/* Customers per refresh transaction: a failure redoes at most this many. */
#define REFRESH_CHUNK 500

/* The customers a refresh rebuilds, read before any of their records. */
typedef struct target {
    size_t customer, mark; /* offsets into names; mark SIZE_MAX: none */
} target;

typedef struct targets {
    voc_buf names;         /* NUL-terminated strings */
    target *items;
    size_t n, cap;
} targets;

static int add_target(void *user, const char *const *v, size_t n)
{
    targets *t = user;
    if (n < 2 || !v[0]) return 0;
    if (voc__grow((void **)&t->items, &t->cap, t->n + 1, sizeof *t->items)) return 1;
    target *it = &t->items[t->n];
    it->customer = t->names.len;
    voc__buf_append(&t->names, v[0], strlen(v[0]) + 1);
    it->mark = SIZE_MAX;
    if (v[1]) {
        it->mark = t->names.len;
        voc__buf_append(&t->names, v[1], strlen(v[1]) + 1);
    }
    if (t->names.failed) return 1;
    t->n++;
    return 0;
}

typedef struct adding {
    voc_profile *profile;
    int rc;                /* a failure other than a record that is not vocmine.record/1 */
    voc_error err;
} adding;

/* A row whose record is not a vocmine.record/1 object (JSON put through the API by another
 * program) is part of no profile; anything else that fails stops the refresh. */
static int add_record(void *user, const char *const *v, size_t n)
{
    adding *a = user;
    if (n < 1 || !v[0]) return 0;
    int rc = voc_profile_add_record(a->profile, v[0], strlen(v[0]), &a->err);
    if (rc == VOC_OK || rc == VOC_EPARSE) return 0;
    a->rc = rc;
    return 1;
}

/* Rebuild the profiles of t->items[from, from + n) and write them in one transaction. */
static int refresh_chunk(voc_store *st, const targets *t, size_t from, size_t n,
                         const char *updated_at, voc_buf *scratch, voc_error *err)
{
    const voc__store_backend *b = st->backend;
    voc_profile *profiles[REFRESH_CHUNK] = {0};
    int rc = VOC_OK;
    size_t built = 0;
    for (; built < n; built++) { /* reads first: a PostgreSQL batch is a pipeline */
        const char *customer = t->names.data + t->items[from + built].customer;
        adding a = {NULL, VOC_OK, {0}};
        if (voc_profile_new(customer, &a.profile)) {
            rc = voc__fail(err, VOC_ENOMEM, st->label, 0, 0, "out of memory");
            goto done;
        }
        profiles[built] = a.profile;
        rc = b->customer_records(st->db, customer, add_record, &a, err);
        if (rc == VOC_ECALLBACK && a.rc) {
            rc = voc__fail(err, a.rc, st->label, 0, 0, "profile of customer %s: %s", customer,
                           a.err.message);
        }
        if (rc) {
            built++;
            goto done;
        }
    }
    if ((rc = b->begin(st->db, err)) != VOC_OK) goto fail;
    for (size_t i = 0; i < n; i++) {
        const target *it = &t->items[from + i];
        voc__profile_row row;
        if (voc__profile_columns(profiles[i], &row, scratch)) {
            rc = voc__fail(err, VOC_ENOMEM, st->label, 0, 0, "out of memory");
            goto fail;
        }
        const char *mark = it->mark == SIZE_MAX ? NULL : t->names.data + it->mark;
        if ((rc = b->put_profile(st->db, &row, mark, updated_at, err)) != VOC_OK) goto fail;
    }
    if ((rc = b->commit(st->db, err)) != VOC_OK) goto fail;
    goto done;
fail:
    b->rollback(st->db); /* the marks stay: the next refresh redoes these customers */
done:
    for (size_t i = 0; i < built; i++) voc_profile_free(profiles[i]);
    return rc;
}

int voc__store_check_version(const char *label, long version, bool existing, voc_error *err)
{
    /* version 1 (records only): read as it is, upgraded when opened for writing */
    if (version != 0 && version != 1 && version != VOC_STORE_SCHEMA_VERSION)
        return voc__fail(err, VOC_ESTORE, label, 0, 0, "schema version %ld; this vocmine writes version %d",
                         version, VOC_STORE_SCHEMA_VERSION);
    if (existing && version == 0)
        return voc__fail(err, VOC_ESTORE, label, 0, 0,
                         "no vocmine records here (no schema): write some with `vocmine analyze --db` first");
    return VOC_OK;
}

int voc__store_no_profiles(const char *label, voc_error *err)
{
    return voc__fail(err, VOC_ESTORE, label, 0, 0,
                     "schema version 1 has no customer profiles: opening the store for writing "
                     "(vocmine analyze --db, vocmine profile --db) upgrades it to version %d",
                     VOC_STORE_SCHEMA_VERSION);
}

int voc_store_refresh_profiles(voc_store *st, int all, size_t *n_refreshed, voc_error *err)
{
    if (n_refreshed) *n_refreshed = 0;
    if (!st) return voc__fail(err, VOC_EINVAL, "voc_store_refresh_profiles", 0, 0, "NULL argument");
    if (st->read_only)
        return voc__fail(err, VOC_EINVAL, st->label, 0, 0,
                         "store opened with voc_store_open_existing is read-only");
    if (st->failed) return refuse_failed(st, err);
    int rc = commit_pending(st, err);
    if (rc) return rc;
    /* one time for the whole refresh: every profile it changes says when */
    char updated_at[32];
    time_t now = time(NULL);
    struct tm utc;
    if (!gmtime_r(&now, &utc) || !strftime(updated_at, sizeof updated_at, "%Y-%m-%dT%H:%M:%SZ", &utc))
        return voc__fail(err, VOC_EINVAL, st->label, 0, 0, "cannot read the clock");
    targets t = {{0}, NULL, 0, 0};
    voc_buf scratch = {0};
    rc = st->backend->profile_targets(st->db, all != 0, add_target, &t, err);
    if (rc == VOC_ECALLBACK) rc = voc__fail(err, VOC_ENOMEM, st->label, 0, 0, "out of memory");
    for (size_t from = 0; rc == VOC_OK && from < t.n; from += REFRESH_CHUNK) {
        size_t n = t.n - from < REFRESH_CHUNK ? t.n - from : REFRESH_CHUNK;
        if ((rc = refresh_chunk(st, &t, from, n, updated_at, &scratch, err)) == VOC_OK &&
            n_refreshed)
            *n_refreshed += n;
    }
    voc__buf_free(&t.names);
    free(t.items);
    voc__buf_free(&scratch);
    return rc;
}

typedef struct exporting {
    voc_store_row_fn fn;
    void *user;
    bool rewrite;          /* the backend reformats JSON: write it in the profile's form */
    voc_buf json;
    int rc;
    voc_error err;
} exporting;

static int buf_sink(void *user, const char *data, size_t len)
{
    return voc__buf_append(user, data, len);
}

static int export_profile(void *user, const char *const *v, size_t n)
{
    exporting *x = user;
    if (n < 2 || !v[0]) return 0;
    const char *values[2] = {v[0], v[1]};
    if (x->rewrite) {
        voc_profile *p;
        if ((x->rc = voc_profile_from_json(v[0], strlen(v[0]), &p, &x->err)) != VOC_OK) return 1;
        x->json.len = 0;
        x->rc = voc_profile_write_json(p, buf_sink, &x->json);
        voc_profile_free(p);
        if (x->rc || x->json.failed) {
            x->rc = VOC_ENOMEM;
            snprintf(x->err.message, sizeof x->err.message, "out of memory");
            return 1;
        }
        values[0] = x->json.data;
    }
    return x->fn(x->user, values, 2);
}

int voc_store_profiles(voc_store *st, const char *customer_id, voc_store_row_fn fn, void *user,
                       voc_error *err)
{
    if (!st || !fn) return voc__fail(err, VOC_EINVAL, "voc_store_profiles", 0, 0, "NULL argument");
    if (st->failed) return refuse_failed(st, err);
    int rc = commit_pending(st, err);
    if (rc) return rc;
    exporting x = {fn, user, st->backend->json_reformatted, {0}, VOC_OK, {0}};
    rc = st->backend->profiles(st->db, customer_id, export_profile, &x, err);
    if (rc == VOC_ECALLBACK && x.rc)
        rc = voc__fail(err, x.rc, st->label, 0, 0, "a stored profile does not read back: %s",
                       x.err.message);
    voc__buf_free(&x.json);
    return rc;
}

int voc_store_close(voc_store *st, voc_error *err)
{
    if (!st) return VOC_OK;
    int rc = VOC_OK;
    if (st->failed) {
        rc = refuse_failed(st, err);
    } else if (st->pending) {
        st->pending = 0;
        if ((rc = st->backend->commit(st->db, err)) != VOC_OK) st->backend->rollback(st->db);
    }
    st->backend->close(st->db);
    for (int f = 0; f < F_COUNT; f++) voc__buf_free(&st->repaired[f]);
    free(st);
    return rc;
}
