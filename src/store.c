/* store.c — the public store API (voc_store_*), the same whichever database is behind it.
 *
 * voc_store_open picks the backend by the target's prefix — postgresql:// or postgres://
 * is PostgreSQL (store_pg.c, libpq), anything else a SQLite path (store_sqlite.c) — and
 * everything the backends share happens here: each row's strings are made valid UTF-8
 * (PostgreSQL refuses anything else, SQLite would keep it), records are counted into
 * transactions of VOC__STORE_BATCH, and a failure anywhere in a batch rolls the whole
 * batch back and leaves the store refusing further writes until it is closed. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

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

int voc_store_query(voc_store *st, int query, long limit, voc_store_row_fn fn, void *user,
                    voc_error *err)
{
    if (!st || !fn) return voc__fail(err, VOC_EINVAL, "voc_store_query", 0, 0, "NULL argument");
    if (query < VOC_STORE_TOTALS || query > VOC_STORE_MOST_NEGATIVE)
        return voc__fail(err, VOC_EINVAL, "voc_store_query", 0, 0, "unknown query %d", query);
    if (st->failed) return refuse_failed(st, err);
    int rc;
    if (st->pending) {
        st->pending = 0;
        if ((rc = st->backend->commit(st->db, err)) != VOC_OK) return fail_batch(st, rc, err);
    }
    return st->backend->query(st->db, query, limit < 0 ? 0 : limit, fn, user, err);
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
