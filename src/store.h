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

/* One row of customer_profiles, from a voc_profile (profile.c: voc__profile_columns).  The
 * JSON strings are complete documents; profile_json is the whole vocmine.profile/1. */
typedef struct voc__profile_row {
    const char *customer_id;
    long long records;
    const char *first_seen, *last_seen;  /* NULL when no record had a time */
    double sentiment_mean, last_sentiment;
    const char *last_label;
    long long labels[3];                 /* negative, neutral, positive */
    long long flags[5];                  /* churn_risk, delight, dismay, escalation, repeat_contact */
    const char *last_dismay, *last_churn_risk;
    const char *emotions_json;           /* {"anger":2,...} */
    const char *top_topics_json;         /* [{"id","mentions","sentiment","sentiment_sum"}], top 5 */
    const char *channels_json;           /* ["chat","email"] */
    const char *profile_json;
} voc__profile_row;

/* The columns of customer_profiles in voc__profile_row's order, and the upsert's SET list
 * (unquoted SQL names are case-blind: "excluded" is EXCLUDED to both databases). */
#define VOC__PROFILE_COLUMNS                                                               \
    "customer_id,records,first_seen,last_seen,sentiment_mean,last_sentiment,last_label,"  \
    "negative,neutral,positive,churn_risk,delight,dismay,escalation,repeat_contact,"       \
    "last_dismay,last_churn_risk,emotions,top_topics,channels,profile,updated_at"
#define VOC__PROFILE_UPDATE_SET                                                            \
    " records=excluded.records,"                                                           \
    " first_seen=excluded.first_seen, last_seen=excluded.last_seen,"                       \
    " sentiment_mean=excluded.sentiment_mean, last_sentiment=excluded.last_sentiment,"     \
    " last_label=excluded.last_label, negative=excluded.negative, neutral=excluded.neutral," \
    " positive=excluded.positive, churn_risk=excluded.churn_risk, delight=excluded.delight," \
    " dismay=excluded.dismay, escalation=excluded.escalation,"                             \
    " repeat_contact=excluded.repeat_contact, last_dismay=excluded.last_dismay,"           \
    " last_churn_risk=excluded.last_churn_risk, emotions=excluded.emotions,"               \
    " top_topics=excluded.top_topics, channels=excluded.channels, profile=excluded.profile," \
    " updated_at=excluded.updated_at"

/* profile.c: the columns of `p`; the JSON parts are written into `scratch` (reused). */
int voc__profile_columns(voc_profile *p, voc__profile_row *row, voc_buf *scratch);

/* One backend.  Every function taking `voc_error *err` fills it (source = `label` given to
 * open, with any password removed) and returns a negative status on failure; `db` is what
 * open returned.  The calls come in this order: open, then any number of batches
 * (begin, put_record..., then commit or rollback) and queries between batches, then close. */
typedef struct voc__store_backend {
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
    /* ---- customer profiles (store.c: voc_store_refresh_profiles, voc_store_profiles) ---- */
    /* The customers to rebuild, by customer_id: fn gets {customer_id, mark} — the marked
     * ones with their mark (a value the records triggers change on every write of one of
     * the customer's records), or with `all` every customer that has records, a profile or
     * a mark (mark NULL for those without one).  Called outside batches. */
    int (*profile_targets)(void *db, bool all, voc_store_row_fn fn, void *user, voc_error *err);
    /* One customer's records: fn gets {record_json}, by record_id.  Outside batches. */
    int (*customer_records)(void *db, const char *customer_id, voc_store_row_fn fn, void *user,
                            voc_error *err);
    /* Inside a batch: upsert the profile (row->records > 0; updated_at changes only when
     * profile_json does) or delete it (records == 0), then clear the customer's mark if it
     * still equals `mark` (NULL: the customer had no mark when the targets were read, so
     * any mark now is a later write's: leave it). */
    int (*put_profile)(void *db, const voc__profile_row *row, const char *mark,
                       const char *updated_at, voc_error *err);
    /* Stored profiles: fn gets {profile_json, updated_at, customer_id}, by customer_id
     * (bytes); only `customer_id`'s when not NULL.  Outside batches. */
    int (*profiles)(void *db, const char *customer_id, voc_store_row_fn fn, void *user,
                    voc_error *err);
    /* The JSON comes back reformatted (PostgreSQL's JSONB keeps no key order or spacing):
     * store.c writes profiles out again in the profile writer's form, so that both stores
     * give the same bytes. */
    bool json_reformatted;
} voc__store_backend;

/* store.c: is `version` (0: no schema yet) one this vocmine reads?  With `existing` (a store
 * opened only to be read), version 0 is an error too. */
int voc__store_check_version(const char *label, long version, bool existing, voc_error *err);
/* store.c: the error of a profile operation on a schema-version-1 store (read-only). */
int voc__store_no_profiles(const char *label, voc_error *err);

extern const voc__store_backend voc__store_sqlite;
extern const voc__store_backend voc__store_pg;

#endif
