/* readme_example.c — the library example from README.md, compiled and run under ctest so
 * the README never shows code that does not build.  Usage: readme_example LEXICON_DIR */
#include <stdio.h>
#include <string.h>
#include <vocmine.h>

static int print_record(void *user, const voc_doc *doc, const voc_result *r)
{
    (void)user;
    printf("%s: %s %+.2f (%s)\n", doc->id, voc_label_name(r->label), r->score, r->lang);
    for (size_t i = 0; i < r->n_evidence; i++) {
        const voc_evidence *e = &r->evidence[i];
        printf("  %-10s %+.2f  %.*s\n", voc_evidence_kind_name(e->kind), e->weight,
               (int)(e->end - e->start), r->text + e->start); /* spans index the input */
    }
    return 0;
}

int main(int argc, char **argv)
{
    voc_analyzer_options opts = {.lexicon_dir = argc > 1 ? argv[1] : NULL};
    voc_analyzer *analyzer; /* immutable: share it between threads */
    voc_session *session;   /* one per thread */
    voc_error err;
    if (voc_analyzer_new(&opts, &analyzer, &err) != VOC_OK) {
        fprintf(stderr, "%s:%zu: %s\n", err.source, err.line, err.message);
        return 1;
    }
    if (voc_session_new(analyzer, &session, &err) != VOC_OK) return 1;
    const char *text = "客服態度很好，但是APP一直閃退 😡";
    voc_doc doc = {.text = text, .text_len = strlen(text), .id = "T-1", .channel = "chat"};
    int rc = voc_analyze(session, &doc, print_record, NULL, &err);
    voc_session_free(session);
    voc_analyzer_free(analyzer);
    return rc == VOC_OK ? 0 : 1;
}
