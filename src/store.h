/* store.h — what store.c (the public voc_store_* functions) needs from a database backend.
 *
 * store.c owns everything the backends share: choosing one by the target's prefix, making
 * every string of a row valid UTF-8, counting records into batches of VOC__STORE_BATCH,
 * and rolling a batch back as a whole when any part of it fails.  A backend is one adapter
 * file per database library — store_sqlite.c (SQLite), store_pg.c (PostgreSQL via libpq) —
 * that turns those steps into its own calls and its errors into VOC_ESTORE messages. */
#ifndef VOCMINE_STORE_H
#define VOCMINE_STORE_H

#include "internal.h"

/* Records per transaction.  A crash or a failed row loses at most the open batch. */
#define VOC__STORE_BATCH 1000

/* One backend.  Every function taking `voc_error *err` fills it (source = `label` given to
 * open, with any password removed) and returns a negative status on failure; `db` is what
 * open returned.  The calls come in this order: open, then any number of batches
 * (begin, put_record..., then commit or rollback) and queries between batches, then close. */
typedef struct voc__store_backend {
    const char *name; /* "SQLite", "PostgreSQL": for messages */
    /* Open `target`.  create: make the schema if absent (else the store must exist).  The
     * schema version is checked either way.  `label` outlives the backend's state. */
    int (*open)(const char *target, const char *label, bool create, void **db, voc_error *err);
    int (*begin)(void *db, voc_error *err);
    /* Upsert one record; its strings are valid UTF-8 without NUL.  A backend may report a
     * failed row only at commit (PostgreSQL sends the batch as one pipeline). */
    int (*put_record)(void *db, const voc_store_row *row, voc_error *err);
    int (*commit)(void *db, voc_error *err);
    /* Undo the open batch, whatever state it is in; best effort, never fails. */
    void (*rollback)(void *db);
    int (*query)(void *db, int query, long limit, voc_store_row_fn fn, void *user,
                 voc_error *err);
    void (*close)(void *db); /* frees; the open batch, if any, has been ended before */
} voc__store_backend;

extern const voc__store_backend voc__store_sqlite;
extern const voc__store_backend voc__store_pg;

#endif
