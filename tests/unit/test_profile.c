/* test_profile.c — profile.c: one customer's records → vocmine.profile/1, and exact merges.
 *
 * The records are written by hand in the shape record.c writes.  The central check: a
 * profile built from all records is byte-identical to the merge of profiles built from
 * any split of them, in any order — what `vocmine profile --merge` relies on. */
#include "test.h"

#include "vocmine.h"

#include <stdlib.h>
#include <string.h>

typedef struct out_buf {
    char data[8192];
    size_t len;
} out_buf;

static int to_buf(void *user, const char *data, size_t len)
{
    out_buf *b = user;
    if (b->len + len >= sizeof b->data) return -1;
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

static const char *const records[] = {
    "{\"schema\":\"vocmine.record/1\",\"record_id\":\"email:01\",\"id\":\"T-1\",\"customer_id\":\"C-1\","
    "\"channel\":\"email\",\"time\":\"2026-11-02T09:14:00Z\",\"lang\":\"zh-Hant\","
    "\"sentiment\":{\"label\":\"negative\",\"score\":-0.7123,\"confidence\":0.8},"
    "\"emotions\":[{\"id\":\"dismay\",\"score\":0.8},{\"id\":\"anger\",\"score\":0.4}],"
    "\"topics\":[{\"id\":\"billing\",\"score\":1,\"sentiment\":-0.8,\"spans\":[[0,6]]}],"
    "\"flags\":[{\"id\":\"churn_risk\",\"severity\":\"high\",\"reasons\":[\"churn_intent\"],\"spans\":[]},"
    "{\"id\":\"dismay\",\"severity\":\"medium\",\"reasons\":[],\"spans\":[]}],\"evidence\":[],\"warnings\":[]}",
    "{\"schema\":\"vocmine.record/1\",\"record_id\":\"chat:02\",\"id\":\"CH-2\",\"customer_id\":\"C-1\","
    "\"channel\":\"chat\",\"time\":\"2026-11-05T10:00:00Z\",\"lang\":\"en\","
    "\"sentiment\":{\"label\":\"positive\",\"score\":0.4,\"confidence\":0.6},"
    "\"emotions\":[{\"id\":\"gratitude\",\"score\":0.5}],"
    "\"topics\":[{\"id\":\"billing\",\"score\":0.8,\"sentiment\":0.3333,\"spans\":[]},"
    "{\"id\":\"customer_service\",\"score\":1,\"sentiment\":0.9,\"spans\":[]}],"
    "\"flags\":[{\"id\":\"delight\",\"severity\":\"low\",\"reasons\":[],\"spans\":[]}],\"evidence\":[],\"warnings\":[]}",
    /* no time: counted, never the last */
    "{\"schema\":\"vocmine.record/1\",\"record_id\":\"survey:03\",\"id\":\"R-3\",\"customer_id\":\"C-1\","
    "\"channel\":\"survey\",\"time\":null,\"lang\":\"en\","
    "\"sentiment\":{\"label\":\"neutral\",\"score\":-0.0001,\"confidence\":0.5},"
    "\"emotions\":[],\"topics\":[],\"flags\":[],\"evidence\":[],\"warnings\":[]}",
    /* the same time as chat:02: the larger record_id is the last */
    "{\"schema\":\"vocmine.record/1\",\"record_id\":\"social:04\",\"id\":\"P-4\",\"customer_id\":\"C-1\","
    "\"channel\":\"social\",\"time\":\"2026-11-05T10:00:00Z\",\"lang\":\"en\","
    "\"sentiment\":{\"label\":\"negative\",\"score\":-0.25,\"confidence\":0.7},"
    "\"emotions\":[{\"id\":\"anger\",\"score\":0.9}],\"topics\":[],"
    "\"flags\":[{\"id\":\"churn_risk\",\"severity\":\"low\",\"reasons\":[],\"spans\":[]}],\"evidence\":[],\"warnings\":[]}",
};
#define N_RECORDS (sizeof records / sizeof *records)

static void profile_of(const unsigned *which, size_t n, out_buf *out)
{
    voc_profile *p;
    voc_error err;
    CHECK_INT(voc_profile_new("C-1", &p), VOC_OK);
    for (size_t i = 0; i < n; i++)
        CHECK_INT(voc_profile_add_record(p, records[which[i]], strlen(records[which[i]]), &err), VOC_OK);
    out->len = 0;
    CHECK_INT(voc_profile_write_json(p, to_buf, out), VOC_OK);
    voc_profile_free(p);
}

static void test_fields(void)
{
    unsigned all[] = {0, 1, 2, 3};
    out_buf b;
    profile_of(all, 4, &b);
    CHECK_STR(b.data,
              "{\"schema\":\"vocmine.profile/1\",\"customer_id\":\"C-1\",\"records\":4,"
              "\"first_seen\":\"2026-11-02T09:14:00Z\",\"last_seen\":\"2026-11-05T10:00:00Z\",\"undated\":1,"
              "\"sentiment\":{\"mean\":-0.1406,\"sum\":-0.5624,\"last\":-0.2500,\"last_label\":\"negative\","
              "\"last_time\":\"2026-11-05T10:00:00Z\",\"last_record\":\"social:04\"},"
              "\"labels\":{\"negative\":2,\"neutral\":1,\"positive\":1},"
              "\"flags\":{\"churn_risk\":2,\"delight\":1,\"dismay\":1,\"escalation\":0,\"repeat_contact\":0},"
              "\"last_dismay\":\"2026-11-02T09:14:00Z\",\"last_churn_risk\":\"2026-11-05T10:00:00Z\","
              "\"emotions\":{\"anger\":2,\"dismay\":1,\"gratitude\":1},"
              "\"topics\":[{\"id\":\"billing\",\"mentions\":2,\"sentiment\":-0.2334,\"sentiment_sum\":-0.4667},"
              "{\"id\":\"customer_service\",\"mentions\":1,\"sentiment\":0.9000,\"sentiment_sum\":0.9000}],"
              "\"channels\":[\"chat\",\"email\",\"social\",\"survey\"]}");
}

/* Every split of the records into two partitions, each in either order: merge = whole. */
static void test_merges_are_exact(void)
{
    unsigned all[] = {0, 1, 2, 3};
    out_buf whole;
    profile_of(all, 4, &whole);
    for (unsigned mask = 0; mask < (1u << N_RECORDS); mask++) {
        unsigned a[4], b[4];
        size_t na = 0, nb = 0;
        for (unsigned i = 0; i < N_RECORDS; i++) {
            if (mask & (1u << i)) a[na++] = i;
            else b[nb++] = i;
        }
        for (size_t i = 0; i < na / 2; i++) { /* one partition in reverse order */
            unsigned t = a[i];
            a[i] = a[na - 1 - i];
            a[na - 1 - i] = t;
        }
        if (!na || !nb) continue;
        out_buf pa, pb;
        profile_of(a, na, &pa);
        profile_of(b, nb, &pb);
        for (int order = 0; order < 2; order++) {
            voc_profile *m;
            voc_error err;
            const out_buf *first = order ? &pb : &pa, *second = order ? &pa : &pb;
            CHECK_INT(voc_profile_from_json(first->data, first->len, &m, &err), VOC_OK);
            CHECK_INT(voc_profile_merge_json(m, second->data, second->len, &err), VOC_OK);
            out_buf merged = {.len = 0};
            CHECK_INT(voc_profile_write_json(m, to_buf, &merged), VOC_OK);
            CHECK_STR(merged.data, whole.data);
            voc_profile_free(m);
        }
    }
}

static void test_refusals(void)
{
    voc_profile *p;
    voc_error err;
    CHECK_INT(voc_profile_new("C-9", &p), VOC_OK);
    CHECK_INT(voc_profile_add_record(p, "[1,2]", 5, &err), VOC_EPARSE);
    CHECK_INT(voc_profile_add_record(p, "{\"record_id\":", 13, &err), VOC_EPARSE);
    out_buf b;
    profile_of((unsigned[]){0}, 1, &b);
    CHECK_INT(voc_profile_merge_json(p, b.data, b.len, &err), VOC_EPARSE); /* C-1 into C-9 */
    CHECK_INT(voc_profile_records(p), 0);
    voc_profile_free(p);
    CHECK_INT(voc_profile_from_json("{}", 2, &p, &err), VOC_EPARSE);
    CHECK(p == NULL);
}

/* CSV: the columns a spreadsheet user sees. */
static void test_csv(void)
{
    voc_profile *p;
    voc_error err;
    CHECK_INT(voc_profile_new("C-1", &p), VOC_OK);
    for (size_t i = 0; i < N_RECORDS; i++)
        CHECK_INT(voc_profile_add_record(p, records[i], strlen(records[i]), &err), VOC_OK);
    out_buf b = {.len = 0};
    CHECK_INT(voc_profile_csv_header(to_buf, &b), VOC_OK);
    CHECK_INT(voc_profile_write_csv(p, to_buf, &b), VOC_OK);
    CHECK_STR(b.data,
              "customer_id,records,first_seen,last_seen,sentiment_mean,last_sentiment,last_label,"
              "negative,neutral,positive,churn_risk,delight,dismay,escalation,repeat_contact,"
              "last_dismay,last_churn_risk,top_topics,emotions,channels\r\n"
              "C-1,4,2026-11-02T09:14:00Z,2026-11-05T10:00:00Z,-0.1406,-0.2500,negative,2,1,1,2,1,1,0,0,"
              "2026-11-02T09:14:00Z,2026-11-05T10:00:00Z,billing -0.2334 (2); customer_service 0.9000 (1),"
              "anger 2; dismay 1; gratitude 1,chat; email; social; survey\r\n");
    voc_profile_free(p);
}

int main(void)
{
    test_fields();
    test_merges_are_exact();
    test_refusals();
    test_csv();
    return test_exit_status("test_profile");
}
