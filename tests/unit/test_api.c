/* test_api.c — the public API's contract: NULL handling, error structs and codes, the
 * status table, and one analyzer shared by threads giving the same results as one. */
#include "fixture.h"

#include <pthread.h>

static const char *docs[] = {
    "The agent was rude and the refund never came.", "客服很親切，問題馬上解決 👍",
    "这个APP一直闪退，太差了", "Not bad at all, fast delivery :)", "如果可以早點出貨就更好了",
    "APP 更新後 login 一直失敗，打了三通電話都沒人接，很失望", "", "\xFF\xFE broken bytes",
};
#define N_DOCS (sizeof docs / sizeof *docs)
#define ROUNDS 200

static double expected[N_DOCS];

static int take_score(void *user, const voc_doc *doc, const voc_result *r)
{
    (void)doc;
    *(double *)user = r->score;
    return 0;
}

static void *worker(void *arg)
{
    int *bad = arg;
    voc_session *s;
    voc_error err;
    if (voc_session_new(fx_analyzer(), &s, &err)) { (*bad)++; return NULL; }
    for (int round = 0; round < ROUNDS; round++)
        for (size_t i = 0; i < N_DOCS; i++) {
            double sc = 99;
            voc_doc d = {.text = docs[i], .text_len = strlen(docs[i]), .id = "x"};
            if (voc_analyze(s, &d, take_score, &sc, &err) || sc != expected[i]) (*bad)++;
        }
    voc_session_free(s);
    return NULL;
}

static int stop_cb(void *user, const voc_doc *doc, const voc_result *r)
{
    (void)user; (void)doc; (void)r;
    return 1;
}

int main(void)
{
    voc_error err;
    memset(&err, 0, sizeof err);
    /* NULLs are refused with EINVAL, never a crash */
    CHECK_INT(voc_analyzer_new(NULL, NULL, &err), VOC_EINVAL);
    CHECK_INT(voc_session_new(NULL, NULL, NULL), VOC_EINVAL);
    voc_session *s = NULL;
    CHECK_INT(voc_session_new(NULL, &s, &err), VOC_EINVAL);
    CHECK(s == NULL);
    CHECK_INT(voc_analyze(NULL, NULL, NULL, NULL, &err), VOC_EINVAL);
    CHECK(err.message[0] != '\0');
    voc_analyzer_free(NULL);
    voc_session_free(NULL);
    CHECK_INT(voc_session_new(fx_analyzer(), &s, &err), 0);
    CHECK_INT(voc_analyze(s, NULL, NULL, NULL, NULL), VOC_EINVAL);
    voc_doc bad = {.text = NULL, .text_len = 5, .id = "x"};
    CHECK_INT(voc_analyze(s, &bad, NULL, NULL, &err), VOC_EINVAL);
    voc_doc empty = {.text = NULL, .text_len = 0};
    CHECK_INT(voc_analyze(s, &empty, NULL, NULL, &err), 0);
    /* a callback that returns nonzero stops with ECALLBACK */
    voc_doc d = {.text = "fine", .text_len = 4, .id = "x"};
    CHECK_INT(voc_analyze(s, &d, stop_cb, NULL, &err), VOC_ECALLBACK);
    voc_session_free(s);

    /* the status table */
    CHECK_STR(voc_status_name(VOC_ENOMEM), "ENOMEM");
    CHECK_STR(voc_strerror(VOC_OK), "success");
    CHECK_STR(voc_status_name(-999), "EUNKNOWN");
    CHECK_STR(voc_label_name(VOC_POSITIVE), "positive");
    CHECK_STR(voc_token_type_name(VOC_TOKEN_HASHTAG), "hashtag");
    CHECK_STR(voc_token_type_name(99), "unknown");
    /* the warning bits: every one named, each by a name of its own, the last the one added last */
    for (int i = 0; i < VOC_WARNING_COUNT; i++) {
        CHECK(strcmp(voc_warning_name(i), "unknown") != 0 && voc_warning_name(i)[0] != '\0');
        for (int j = 0; j < i; j++) CHECK(strcmp(voc_warning_name(i), voc_warning_name(j)) != 0);
    }
    CHECK_INT((int)VOC_WARN_UNCONVERTED, 1 << (VOC_WARNING_COUNT - 1));
    CHECK_STR(voc_warning_name(VOC_WARNING_COUNT - 1), "simplified_unconverted");
    CHECK_STR(voc_warning_name(VOC_WARNING_COUNT), "unknown");
    CHECK_STR(voc_warning_name(-1), "unknown");

    /* error struct for a bad lexicon directory */
    voc_analyzer_options o = {"/nonexistent", NULL, 0, VOC_SEGMENTER_DICT, 0, NULL};
    voc_analyzer *a = (voc_analyzer *)1;
    CHECK_INT(voc_analyzer_new(&o, &a, &err), VOC_ELEXICON);
    CHECK(a == NULL);
    CHECK_INT(err.code, VOC_ELEXICON);
    CHECK_STR(err.source, "/nonexistent");

    /* thread sharing: 2 threads × 200 rounds agree with a single session */
    CHECK_INT(voc_session_new(fx_analyzer(), &s, &err), 0);
    for (size_t i = 0; i < N_DOCS; i++) {
        voc_doc di = {.text = docs[i], .text_len = strlen(docs[i]), .id = "x"};
        CHECK_INT(voc_analyze(s, &di, take_score, &expected[i], &err), 0);
    }
    voc_session_free(s);
    pthread_t t1, t2;
    int bad1 = 0, bad2 = 0;
    pthread_create(&t1, NULL, worker, &bad1);
    pthread_create(&t2, NULL, worker, &bad2);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    CHECK_INT(bad1, 0);
    CHECK_INT(bad2, 0);
    voc_analyzer_free(fx_analyzer());
    return test_exit_status("test_api");
}
