/* profile.c — per-customer aggregates of records (vocmine.profile/1), mergeable exactly.
 *
 * A profile is what a data engineer puts next to the CRM row: how many interactions, first
 * and last seen, the sentiment on average and last time, counts per label, flag and
 * emotion, when the customer last showed dismay or an intent to leave, the topics they
 * raise with their sentiment, the channels they use.  The store rebuilds a customer's
 * profile from all of that customer's records (store.c), so re-running a batch or
 * re-analyzing a record cannot count anything twice.
 *
 * How it stays exact when computed in pieces: every field is a sum, a count, a minimum, a
 * maximum or a "last by (time, record_id)", and sums are kept as integers in units of
 * 0.0001 — records carry scores with four decimals — so adding them in any order, or
 * adding two partial profiles (voc_profile_merge_json), gives the same bits as one pass
 * over all records.  Example: records scored -0.7123 and 0.4 give sum_units -3123; a
 * profile of each merged gives -7123 + 4000 = -3123 too, and the mean -0.1562 both ways. */
#include "store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define UNITS 10000.0 /* sums are kept in 1/10000ths */

typedef struct named_count {
    char *name;
    long long count;
    long long sum_units; /* topics: the sentiment summed over the records that name it */
} named_count;

typedef struct counts {
    named_count *items;
    size_t n, cap;
} counts;

struct voc_profile {
    char *customer_id;
    long long records, undated;
    char *first_seen, *last_seen;
    long long sum_units;
    /* the last record by (time, record_id); a record without a time sorts first */
    char *last_time, *last_record;
    long long last_units;
    char *last_label;
    long long labels[3];
    char *last_dismay, *last_churn_risk;
    counts flags, emotions, topics, channels;
};

static const char *const flag_ids[] = {"churn_risk", "delight", "dismay", "escalation",
                                       "repeat_contact"}; /* the store's column order */
#define N_FLAG_IDS (sizeof flag_ids / sizeof *flag_ids)
_Static_assert(N_FLAG_IDS == VOC_FLAG_COUNT, "a profile counts every flag");

static named_count *count_of(counts *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->items[i].name, name)) return &c->items[i];
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        named_count *p = realloc(c->items, cap * sizeof *p);
        if (!p) return NULL;
        c->items = p;
        c->cap = cap;
    }
    named_count *nc = &c->items[c->n];
    if (!(nc->name = strdup(name))) return NULL;
    nc->count = nc->sum_units = 0;
    c->n++;
    return nc;
}

/* How many records carry flag_ids[k]. */
static long long flag_count(const voc_profile *p, size_t k);

static void counts_free(counts *c)
{
    for (size_t i = 0; i < c->n; i++) free(c->items[i].name);
    free(c->items);
}

static long long units(double v) { return llround(v * UNITS); }

/* Keep the smaller (want_max false) or larger string of *slot and s. */
static int keep_extreme(char **slot, const char *s, bool want_max)
{
    if (!s || !*s) return VOC_OK;
    if (*slot && (want_max ? strcmp(s, *slot) <= 0 : strcmp(s, *slot) >= 0)) return VOC_OK;
    char *c = strdup(s);
    if (!c) return VOC_ENOMEM;
    free(*slot);
    *slot = c;
    return VOC_OK;
}

int voc_profile_new(const char *customer_id, voc_profile **out)
{
    if (!out || !customer_id) return VOC_EINVAL;
    voc_profile *p = calloc(1, sizeof *p);
    if (!p || !(p->customer_id = strdup(customer_id))) {
        free(p);
        return VOC_ENOMEM;
    }
    /* every flag id is there from the start, so the JSON always names all five and a query
     * can read flags->>'churn_risk' without a default */
    for (size_t k = 0; k < N_FLAG_IDS; k++)
        if (!count_of(&p->flags, flag_ids[k])) {
            voc_profile_free(p);
            return VOC_ENOMEM;
        }
    *out = p;
    return VOC_OK;
}

void voc_profile_free(voc_profile *p)
{
    if (!p) return;
    free(p->customer_id);
    free(p->first_seen);
    free(p->last_seen);
    free(p->last_time);
    free(p->last_record);
    free(p->last_label);
    free(p->last_dismay);
    free(p->last_churn_risk);
    counts_free(&p->flags);
    counts_free(&p->emotions);
    counts_free(&p->topics);
    counts_free(&p->channels);
    free(p);
}

long long voc_profile_records(const voc_profile *p) { return p ? p->records : 0; }

static long long flag_count(const voc_profile *p, size_t k)
{
    for (size_t i = 0; i < p->flags.n; i++)
        if (!strcmp(p->flags.items[i].name, flag_ids[k])) return p->flags.items[i].count;
    return 0;
}

/* Is (time, record_id) later than the profile's last? */
static bool later(const voc_profile *p, const char *time, const char *record_id)
{
    if (!p->last_record) return true;
    int c = strcmp(time ? time : "", p->last_time ? p->last_time : "");
    return c > 0 || (c == 0 && strcmp(record_id ? record_id : "", p->last_record) > 0);
}

static int set_last(voc_profile *p, const char *time, const char *record_id, long long score_units,
                    const char *label)
{
    char *t = strdup(time ? time : ""), *r = strdup(record_id ? record_id : ""),
         *l = strdup(label ? label : "neutral");
    if (!t || !r || !l) {
        free(t), free(r), free(l);
        return VOC_ENOMEM;
    }
    free(p->last_time), free(p->last_record), free(p->last_label);
    p->last_time = t, p->last_record = r, p->last_label = l;
    p->last_units = score_units;
    return VOC_OK;
}

static const voc_json_node *get(const voc_json *j, const voc_json_node *o, const char *key)
{
    return voc__json_get(j, o, key);
}

static const char *get_str(const voc_json *j, const voc_json_node *o, const char *key)
{
    return voc__json_string(j, voc__json_get(j, o, key), NULL);
}

/* Count every {"id":…} of a record's array once; topics also sum their sentiment. */
static int tally(counts *c, const voc_json *j, const voc_json_node *arr, bool sentiment)
{
    if (!arr || arr->type != VOC_JSON_ARRAY) return VOC_OK;
    for (const voc_json_node *o = voc__json_first(j, arr); o; o = voc__json_next(j, o)) {
        const char *id = get_str(j, o, "id");
        if (!id) continue;
        named_count *nc = count_of(c, id);
        if (!nc) return VOC_ENOMEM;
        nc->count++;
        if (sentiment) nc->sum_units += units(voc__json_double(j, get(j, o, "sentiment")));
    }
    return VOC_OK;
}

static int label_index(const char *label)
{
    return !label ? -1 : !strcmp(label, "negative") ? 0 : !strcmp(label, "neutral") ? 1
                                                        : !strcmp(label, "positive") ? 2 : -1;
}

int voc_profile_add_record(voc_profile *p, const char *json, size_t len, voc_error *err)
{
    if (!p || !json) return voc__fail(err, VOC_EINVAL, "voc_profile_add_record", 0, 0, "NULL argument");
    voc_json j = {0};
    size_t at;
    const char *why;
    int rc = voc__json_parse(&j, json, len, &at, &why);
    if (rc == VOC_ENOMEM) return voc__fail(err, rc, "profile", 0, 0, "%s", voc_strerror(rc));
    const voc_json_node *r = rc ? NULL : voc__json_root(&j);
    if (!r || r->type != VOC_JSON_OBJECT || !get_str(&j, r, "record_id")) {
        voc__json_free(&j);
        return voc__fail(err, VOC_EPARSE, "profile", 0, 0, "not a vocmine.record/1 object");
    }
    const char *time = get_str(&j, r, "time"), *record_id = get_str(&j, r, "record_id");
    const voc_json_node *sentiment = get(&j, r, "sentiment");
    const char *label = get_str(&j, sentiment, "label");
    long long score = units(voc__json_double(&j, get(&j, sentiment, "score")));
    p->records++;
    p->sum_units += score;
    int li = label_index(label);
    if (li >= 0) p->labels[li]++;
    if (!time) p->undated++;
    if ((rc = keep_extreme(&p->first_seen, time, false)) || (rc = keep_extreme(&p->last_seen, time, true)))
        goto done;
    if (later(p, time, record_id) && (rc = set_last(p, time, record_id, score, label))) goto done;
    const char *channel = get_str(&j, r, "channel");
    named_count *c;
    if (channel && !count_of(&p->channels, channel)) goto nomem; /* a set: its counts unused */
    const voc_json_node *arr = get(&j, r, "flags");
    for (const voc_json_node *f = arr && arr->type == VOC_JSON_ARRAY ? voc__json_first(&j, arr) : NULL; f;
         f = voc__json_next(&j, f)) {
        const char *id = get_str(&j, f, "id");
        if (!id) continue;
        if (!(c = count_of(&p->flags, id))) goto nomem;
        c->count++;
        if (!strcmp(id, "dismay") && (rc = keep_extreme(&p->last_dismay, time, true))) goto done;
        if (!strcmp(id, "churn_risk") && (rc = keep_extreme(&p->last_churn_risk, time, true))) goto done;
    }
    if (tally(&p->emotions, &j, get(&j, r, "emotions"), false) || tally(&p->topics, &j, get(&j, r, "topics"), true))
        goto nomem;
    goto done;
nomem:
    rc = VOC_ENOMEM;
done:
    voc__json_free(&j);
    return rc ? voc__fail(err, rc, "profile", 0, 0, "%s", voc_strerror(rc)) : VOC_OK;
}

/* "-1.2305" from -12305 units: exact, no floating point. */
/* "-1.2305" from -12305 units into out[40]: exact, no floating point. */
static const char *units_text(long long u, char out[40])
{
    unsigned long long a = u < 0 ? (unsigned long long)(-(u + 1)) + 1 : (unsigned long long)u;
    snprintf(out, 40, "%s%llu.%04llu", u < 0 ? "-" : "", a / 10000, a % 10000);
    return out;
}

static void json_units(voc_buf *b, long long u)
{
    char tmp[40];
    voc__json_raw(b, units_text(u, tmp));
}

static void json_str_or_null(voc_buf *b, const char *s)
{
    if (s && *s) voc__json_str(b, s, strlen(s));
    else VOC_JSON_LIT(b, "null");
}

/* The mean in units, rounded half away from zero. */
static long long mean_units(long long sum, long long n)
{
    if (n <= 0) return 0;
    long long q = sum / n, r = sum % n;
    if (2 * (r < 0 ? -r : r) >= n) q += sum < 0 ? -1 : 1;
    return q;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const named_count *)a)->name, ((const named_count *)b)->name);
}

static int by_mentions(const void *a, const void *b)
{
    const named_count *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* By name: {"a":1,"b":2} with counts, ["a","b"] without. */
static void write_names(voc_buf *b, counts *c, bool with_counts)
{
    if (c->n > 1) qsort(c->items, c->n, sizeof *c->items, by_name);
    voc__json_raw(b, with_counts ? "{" : "[");
    for (size_t i = 0; i < c->n; i++) {
        if (i) VOC_JSON_LIT(b, ",");
        voc__json_str(b, c->items[i].name, strlen(c->items[i].name));
        if (!with_counts) continue;
        VOC_JSON_LIT(b, ":");
        voc__json_integer(b, c->items[i].count);
    }
    voc__json_raw(b, with_counts ? "}" : "]");
}

/* The topics as [{"id","mentions","sentiment","sentiment_sum"}], most mentioned first;
 * at most `limit` (0: all). */
static void write_topics(voc_buf *b, counts *c, size_t limit)
{
    if (c->n > 1) qsort(c->items, c->n, sizeof *c->items, by_mentions);
    VOC_JSON_LIT(b, "[");
    for (size_t i = 0; i < c->n && (!limit || i < limit); i++) {
        const named_count *t = &c->items[i];
        voc__json_raw(b, i ? ",{\"id\":" : "{\"id\":");
        voc__json_str(b, t->name, strlen(t->name));
        VOC_JSON_LIT(b, ",\"mentions\":");
        voc__json_integer(b, t->count);
        VOC_JSON_LIT(b, ",\"sentiment\":");
        json_units(b, mean_units(t->sum_units, t->count));
        VOC_JSON_LIT(b, ",\"sentiment_sum\":");
        json_units(b, t->sum_units);
        VOC_JSON_LIT(b, "}");
    }
    VOC_JSON_LIT(b, "]");
}

int voc__profile_json(voc_profile *p, voc_buf *b)
{
    VOC_JSON_LIT(b, "{\"schema\":\"vocmine.profile/1\",\"customer_id\":");
    json_str_or_null(b, p->customer_id);
    VOC_JSON_LIT(b, ",\"records\":");
    voc__json_integer(b, p->records);
    VOC_JSON_LIT(b, ",\"first_seen\":");
    json_str_or_null(b, p->first_seen);
    VOC_JSON_LIT(b, ",\"last_seen\":");
    json_str_or_null(b, p->last_seen);
    VOC_JSON_LIT(b, ",\"undated\":");
    voc__json_integer(b, p->undated);
    VOC_JSON_LIT(b, ",\"sentiment\":{\"mean\":");
    json_units(b, mean_units(p->sum_units, p->records));
    VOC_JSON_LIT(b, ",\"sum\":");
    json_units(b, p->sum_units);
    VOC_JSON_LIT(b, ",\"last\":");
    json_units(b, p->last_units);
    VOC_JSON_LIT(b, ",\"last_label\":");
    json_str_or_null(b, p->last_label);
    VOC_JSON_LIT(b, ",\"last_time\":");
    json_str_or_null(b, p->last_time);
    VOC_JSON_LIT(b, ",\"last_record\":");
    json_str_or_null(b, p->last_record);
    VOC_JSON_LIT(b, "},\"labels\":{\"negative\":");
    voc__json_integer(b, p->labels[0]);
    VOC_JSON_LIT(b, ",\"neutral\":");
    voc__json_integer(b, p->labels[1]);
    VOC_JSON_LIT(b, ",\"positive\":");
    voc__json_integer(b, p->labels[2]);
    VOC_JSON_LIT(b, "},\"flags\":");
    write_names(b, &p->flags, true);
    VOC_JSON_LIT(b, ",\"last_dismay\":");
    json_str_or_null(b, p->last_dismay);
    VOC_JSON_LIT(b, ",\"last_churn_risk\":");
    json_str_or_null(b, p->last_churn_risk);
    VOC_JSON_LIT(b, ",\"emotions\":");
    write_names(b, &p->emotions, true);
    VOC_JSON_LIT(b, ",\"topics\":");
    write_topics(b, &p->topics, 0);
    VOC_JSON_LIT(b, ",\"channels\":");
    write_names(b, &p->channels, false);
    VOC_JSON_LIT(b, "}");
    return voc__json_ok(b);
}

int voc_profile_write_json(voc_profile *p, voc_sink sink, void *user)
{
    if (!p || !sink) return VOC_EINVAL;
    voc_buf b = {0};
    int rc = voc__profile_json(p, &b);
    if (!rc) rc = sink(user, b.data, b.len);
    voc__buf_free(&b);
    return rc < 0 ? rc : VOC_OK;
}

/* ---- columns for the store and CSV ----------------------------------------------------- */

int voc__profile_columns(voc_profile *p, voc__profile_row *row, voc_buf *scratch)
{
    memset(row, 0, sizeof *row);
    row->customer_id = p->customer_id;
    row->records = p->records;
    row->first_seen = p->first_seen;
    row->last_seen = p->last_seen;
    row->sentiment_mean = (double)mean_units(p->sum_units, p->records) / UNITS;
    row->last_sentiment = (double)p->last_units / UNITS;
    row->last_label = p->last_label;
    for (int i = 0; i < 3; i++) row->labels[i] = p->labels[i];
    for (size_t k = 0; k < N_FLAG_IDS; k++) row->flags[k] = flag_count(p, k);
    row->last_dismay = p->last_dismay;
    row->last_churn_risk = p->last_churn_risk;
    /* the JSON parts, NUL-separated in scratch: emotions, top 5 topics, channels, profile */
    scratch->len = 0;
    size_t at[4];
    at[0] = scratch->len;
    write_names(scratch, &p->emotions, true);
    voc__buf_append(scratch, "", 1);
    at[1] = scratch->len;
    write_topics(scratch, &p->topics, 5);
    voc__buf_append(scratch, "", 1);
    at[2] = scratch->len;
    write_names(scratch, &p->channels, false);
    voc__buf_append(scratch, "", 1);
    at[3] = scratch->len;
    int rc = voc__profile_json(p, scratch);
    voc__buf_append(scratch, "", 1);
    if (rc || scratch->failed) return VOC_ENOMEM;
    row->emotions_json = scratch->data + at[0];
    row->top_topics_json = scratch->data + at[1];
    row->channels_json = scratch->data + at[2];
    row->profile_json = scratch->data + at[3];
    return VOC_OK;
}

/* ---- merging partial profiles ------------------------------------------------------------ */

static long long get_units(const voc_json *j, const voc_json_node *o, const char *key)
{
    const voc_json_node *v = get(j, o, key);
    const char *text = voc__json_string(j, v, NULL);
    if (text) return llround(strtod(text, NULL) * UNITS);
    return units(voc__json_double(j, v));
}

static long long get_count(const voc_json *j, const voc_json_node *o, const char *key)
{
    return voc__json_int(j, get(j, o, key));
}

static int merge_counts(counts *c, const voc_json *j, const voc_json_node *obj)
{
    if (!obj || obj->type != VOC_JSON_OBJECT) return VOC_OK;
    for (const voc_json_node *m = voc__json_first(j, obj); m; m = voc__json_next(j, m)) {
        named_count *nc = count_of(c, voc__json_key(j, m, NULL));
        if (!nc) return VOC_ENOMEM;
        nc->count += voc__json_int(j, m);
    }
    return VOC_OK;
}

/* Add a parsed profile (j is freed in all cases). */
static int merge_object(voc_profile *p, voc_json *j, voc_error *err)
{
    const voc_json_node *o = voc__json_root(j);
    const char *customer = get_str(j, o, "customer_id");
    const char *schema = get_str(j, o, "schema");
    if (!customer || !schema || strcmp(schema, "vocmine.profile/1") || strcmp(customer, p->customer_id)) {
        voc__json_free(j);
        return voc__fail(err, VOC_EPARSE, "profile", 0, 0,
                         "not a vocmine.profile/1 object of customer %s", p->customer_id);
    }
    int rc = VOC_OK;
    p->records += get_count(j, o, "records");
    p->undated += get_count(j, o, "undated");
    if ((rc = keep_extreme(&p->first_seen, get_str(j, o, "first_seen"), false)) ||
        (rc = keep_extreme(&p->last_seen, get_str(j, o, "last_seen"), true)))
        goto done;
    const voc_json_node *s = get(j, o, "sentiment");
    p->sum_units += get_units(j, s, "sum");
    const char *lt = get_str(j, s, "last_time"), *lr = get_str(j, s, "last_record");
    if (lr && later(p, lt, lr) &&
        (rc = set_last(p, lt, lr, get_units(j, s, "last"), get_str(j, s, "last_label"))))
        goto done;
    const voc_json_node *labels = get(j, o, "labels");
    p->labels[0] += get_count(j, labels, "negative");
    p->labels[1] += get_count(j, labels, "neutral");
    p->labels[2] += get_count(j, labels, "positive");
    if ((rc = merge_counts(&p->flags, j, get(j, o, "flags"))) ||
        (rc = merge_counts(&p->emotions, j, get(j, o, "emotions"))))
        goto done;
    if ((rc = keep_extreme(&p->last_dismay, get_str(j, o, "last_dismay"), true)) ||
        (rc = keep_extreme(&p->last_churn_risk, get_str(j, o, "last_churn_risk"), true)))
        goto done;
    const voc_json_node *topics = get(j, o, "topics");
    for (const voc_json_node *t = topics && topics->type == VOC_JSON_ARRAY ? voc__json_first(j, topics) : NULL;
         t; t = voc__json_next(j, t)) {
        const char *id = get_str(j, t, "id");
        if (!id) continue;
        named_count *nc = count_of(&p->topics, id);
        if (!nc) { rc = VOC_ENOMEM; goto done; }
        nc->count += get_count(j, t, "mentions");
        nc->sum_units += get_units(j, t, "sentiment_sum");
    }
    const voc_json_node *channels = get(j, o, "channels");
    for (const voc_json_node *c = channels && channels->type == VOC_JSON_ARRAY ? voc__json_first(j, channels) : NULL;
         c; c = voc__json_next(j, c)) {
        const char *name = voc__json_string(j, c, NULL);
        if (name && !count_of(&p->channels, name)) { rc = VOC_ENOMEM; goto done; }
    }
done:
    voc__json_free(j);
    return rc ? voc__fail(err, rc, "profile", 0, 0, "%s", voc_strerror(rc)) : VOC_OK;
}

/* A profile object parsed into j: VOC_OK, or an error (j left empty). */
static int parse(const char *json, size_t len, voc_json *j, voc_error *err)
{
    size_t at;
    const char *why;
    int rc = voc__json_parse(j, json, len, &at, &why);
    if (rc == VOC_ENOMEM) return voc__fail(err, rc, "profile", 0, 0, "%s", voc_strerror(rc));
    if (rc || voc__json_root(j)->type != VOC_JSON_OBJECT) {
        voc__json_free(j);
        return voc__fail(err, VOC_EPARSE, "profile", 0, 0, "not a vocmine.profile/1 object");
    }
    return VOC_OK;
}

/* ---- CSV --------------------------------------------------------------------------------- */

static const char csv_header[] =
    "customer_id,records,first_seen,last_seen,sentiment_mean,last_sentiment,last_label,"
    "negative,neutral,positive,churn_risk,delight,dismay,escalation,repeat_contact,"
    "last_dismay,last_churn_risk,top_topics,emotions,channels\r\n";

int voc_profile_csv_header(voc_sink sink, void *user)
{
    if (!sink) return VOC_EINVAL;
    int rc = sink(user, csv_header, sizeof csv_header - 1);
    return rc < 0 ? rc : VOC_OK;
}

/* One CSV field of text the input supplied (record_csv.c's writer: quoting, formula guard). */
static void csv_field(voc_buf *b, const char *s, bool first)
{
    voc__csv_field(b, s, s ? strlen(s) : 0, true, first);
}

static void csv_units(voc_buf *b, long long u)
{
    char tmp[40];
    csv_field(b, units_text(u, tmp), false);
}

static void csv_count(voc_buf *b, long long v)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%lld", v);
    csv_field(b, tmp, false);
}

int voc_profile_write_csv(voc_profile *p, voc_sink sink, void *user)
{
    if (!p || !sink) return VOC_EINVAL;
    voc_buf b = {0}, list = {0};
    csv_field(&b, p->customer_id, true);
    csv_count(&b, p->records);
    csv_field(&b, p->first_seen, false);
    csv_field(&b, p->last_seen, false);
    csv_units(&b, mean_units(p->sum_units, p->records));
    csv_units(&b, p->last_units);
    csv_field(&b, p->last_label, false);
    for (int i = 0; i < 3; i++) csv_count(&b, p->labels[i]);
    for (size_t k = 0; k < N_FLAG_IDS; k++) csv_count(&b, flag_count(p, k));
    csv_field(&b, p->last_dismay, false);
    csv_field(&b, p->last_churn_risk, false);
    /* "billing -0.5000 (3); delivery 0.2000 (1)": the five most mentioned */
    if (p->topics.n > 1) qsort(p->topics.items, p->topics.n, sizeof *p->topics.items, by_mentions);
    for (size_t i = 0; i < p->topics.n && i < 5; i++) {
        const named_count *t = &p->topics.items[i];
        char u[40], n[32];
        if (i) voc__buf_append(&list, "; ", 2);
        voc__buf_append(&list, t->name, strlen(t->name));
        voc__buf_append(&list, " ", 1);
        voc__json_raw(&list, units_text(mean_units(t->sum_units, t->count), u));
        snprintf(n, sizeof n, " (%lld)", t->count);
        voc__json_raw(&list, n);
    }
    csv_field(&b, list.data ? list.data : "", false);
    list.len = 0;
    if (p->emotions.n > 1) qsort(p->emotions.items, p->emotions.n, sizeof *p->emotions.items, by_mentions);
    for (size_t i = 0; i < p->emotions.n; i++) {
        char n[32];
        if (i) voc__buf_append(&list, "; ", 2);
        voc__buf_append(&list, p->emotions.items[i].name, strlen(p->emotions.items[i].name));
        snprintf(n, sizeof n, " %lld", p->emotions.items[i].count);
        voc__json_raw(&list, n);
    }
    csv_field(&b, list.data ? list.data : "", false);
    list.len = 0;
    if (p->channels.n > 1) qsort(p->channels.items, p->channels.n, sizeof *p->channels.items, by_name);
    for (size_t i = 0; i < p->channels.n; i++) {
        if (i) voc__buf_append(&list, "; ", 2);
        voc__buf_append(&list, p->channels.items[i].name, strlen(p->channels.items[i].name));
    }
    csv_field(&b, list.data ? list.data : "", false);
    voc__buf_append(&b, "\r\n", 2);
    int rc = b.failed || list.failed ? VOC_ENOMEM : sink(user, b.data, b.len);
    voc__buf_free(&b);
    voc__buf_free(&list);
    return rc < 0 ? rc : VOC_OK;
}

int voc_profile_merge_json(voc_profile *p, const char *json, size_t len, voc_error *err)
{
    if (!p || !json) return voc__fail(err, VOC_EINVAL, "voc_profile_merge_json", 0, 0, "NULL argument");
    voc_json j = {0};
    int rc = parse(json, len, &j, err);
    return rc ? rc : merge_object(p, &j, err);
}

int voc_profile_from_json(const char *json, size_t len, voc_profile **out, voc_error *err)
{
    if (!json || !out) return voc__fail(err, VOC_EINVAL, "voc_profile_from_json", 0, 0, "NULL argument");
    *out = NULL;
    voc_json j = {0};
    int rc = parse(json, len, &j, err); /* once: the customer id, then the fields */
    if (rc) return rc;
    const char *customer = get_str(&j, voc__json_root(&j), "customer_id");
    rc = customer ? voc_profile_new(customer, out) : VOC_EPARSE;
    if (rc) {
        voc__json_free(&j);
        return voc__fail(err, rc, "profile", 0, 0, "%s",
                         rc == VOC_EPARSE ? "not a vocmine.profile/1 object" : voc_strerror(rc));
    }
    if ((rc = merge_object(*out, &j, err))) {
        voc_profile_free(*out);
        *out = NULL;
    }
    return rc;
}

const char *voc_profile_customer(const voc_profile *p) { return p ? p->customer_id : NULL; }
