/* fuzz_lexicon.c — libFuzzer target for the lexicon loader (src/lexicon.c) and the
 * analyzer build that keys its terms (src/analyzer.c).
 *
 * The input bytes become the file en/x.tsv inside a temporary user lexicon directory.  It
 * is read with voc__lexicon_read_file, then loaded with voc_analyzer_new as an extra
 * lexicon directory over a small base lexicon (written once at start-up, so each run
 * costs milliseconds rather than the full lexicons' build).  When the analyzer builds, the
 * file's own bytes are analyzed as a document, so fuzzed terms meet the matcher.
 *
 * Invariants: a status, never a crash; read_file returns VOC_OK, VOC_ELEXICON or VOC_EIO
 * with err naming the file and a line inside it; accepted rows have a non-empty valid
 * UTF-8 term without tab or newline and numbers in their documented ranges; the analyzer
 * build fails exactly when reading failed (same status), a term makes 0 or more than 16
 * tokens, or the file's rows make no sense together (unknown topic, bad pattern, bad n-gram
 * row: VOC_ELEXICON naming this file and a line of it).  The file may be any kind the
 * loader knows (sentiment, modifiers, words, ngrams, taxonomy, topic terms, patterns). */
#include "internal.h"
#include "fuzz_check.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


static char root[4096];      /* mkdtemp directory */
static char base_dir[4200], user_dir[4200], user_en[4300], user_file[4400];
static char base_common[4300], base_file[4400];

static void cleanup(void)
{
    if (!root[0]) return;
    unlink(user_file);
    rmdir(user_en);
    rmdir(user_dir);
    unlink(base_file);
    rmdir(base_common);
    rmdir(base_dir);
    rmdir(root);
    root[0] = '\0';
}

static void write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    FUZZ_ASSERT(f != NULL, "cannot write %s", path);
    FUZZ_ASSERT(fwrite(data, 1, size, f) == size && fclose(f) == 0, "short write to %s", path);
}

static void init(void)
{
    if (root[0]) return;
    const char *tmp = getenv("TMPDIR");
    snprintf(root, sizeof root, "%s/vocmine-fuzz-lexicon-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    FUZZ_ASSERT(mkdtemp(root) != NULL, "mkdtemp %s", root);
    atexit(cleanup);
    snprintf(base_dir, sizeof base_dir, "%s/base", root);
    snprintf(base_common, sizeof base_common, "%s/common", base_dir);
    snprintf(base_file, sizeof base_file, "%s/base.tsv", base_common);
    snprintf(user_dir, sizeof user_dir, "%s/user", root);
    snprintf(user_en, sizeof user_en, "%s/en", user_dir);
    snprintf(user_file, sizeof user_file, "%s/x.tsv", user_en);
    FUZZ_ASSERT(mkdir(base_dir, 0700) == 0 && mkdir(base_common, 0700) == 0, "mkdir base");
    FUZZ_ASSERT(mkdir(user_dir, 0700) == 0 && mkdir(user_en, 0700) == 0, "mkdir user");
    static const char base[] = "term\tvalence\ttags\n"
                               "good\t1.9\temotion:delight\n"
                               "bad\t-2.5\t-\n"
                               "很好\t2.2\t-\n"
                               "\xf0\x9f\x98\xa1\t-2.4\temotion:anger\n"; /* 😡 */
    write_file(base_file, base, sizeof base - 1);
}

static void check_rows(const voc_lexrows *rows)
{
    for (size_t i = 0; i < rows->n; i++) {
        const voc_lexrow *r = &rows->rows[i];
        FUZZ_ASSERT(r->term && r->term[0], "row %zu: empty term", i);
        size_t n = strlen(r->term);
        FUZZ_ASSERT(fc_utf8_ok(r->term, n), "row %zu: term not valid UTF-8", i);
        FUZZ_ASSERT(!strpbrk(r->term, "\t\n"), "row %zu: tab or newline in the term", i);
        FUZZ_ASSERT(r->file_kind >= 0 && r->file_kind <= VOC_FILE_FLAGS && r->lang == 1,
                    "row %zu: kind %d lang %d", i, r->file_kind, r->lang);
        FUZZ_ASSERT(isfinite(r->a) && isfinite(r->b), "row %zu: non-finite number", i);
        if (r->file_kind == VOC_FILE_NGRAMS)
            for (int c = 0; c < 3; c++)
                FUZZ_ASSERT(isfinite(r->w[c]) && r->w[c] >= -100 && r->w[c] <= 100, "row %zu: weight %g", i, r->w[c]);
        if (r->file_kind == VOC_FILE_TOPIC_TERMS || r->file_kind == VOC_FILE_TOPIC_PATTERNS)
            FUZZ_ASSERT(r->a > 0 && r->a <= 1 && r->text1 && r->text1[0], "row %zu: topic weight %g", i, r->a);
        if (r->file_kind == VOC_FILE_TOPIC_PATTERNS)
            FUZZ_ASSERT(r->text2 && r->text2[0], "row %zu: empty pattern", i);
        if (r->file_kind == 0) FUZZ_ASSERT(r->a >= -4 && r->a <= 4, "row %zu: valence %g", i, r->a);
        if (r->file_kind == 1) {
            FUZZ_ASSERT(r->mod_kind >= 1 && r->mod_kind <= VOC_MOD_SARCASM, "row %zu: modifier kind %d", i, r->mod_kind);
            FUZZ_ASSERT(r->b >= -4 && r->b <= 4, "row %zu: weight %g", i, r->b);
        }
        if (r->file_kind == 2) FUZZ_ASSERT(r->a >= 0, "row %zu: count %g", i, r->a);
        FUZZ_ASSERT(r->emotion_tags >> voc__n_emotion_ids == 0 && r->topic_tags >> voc__n_topic_ids == 0,
                    "row %zu: tag bits", i);
    }
}

static int on_result(void *user, const voc_doc *doc, const voc_result *r)
{
    (void)user;
    (void)doc;
    fc_report rep;
    FUZZ_ASSERT(fc_check_result(r, 1, &rep) == 0, "analyzing the lexicon file: %s", rep.why);
    return 0;
}

static size_t count_lines(const uint8_t *data, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < size; i++) n += data[i] == '\n';
    return n + (size && data[size - 1] != '\n');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setenv("VOCMINE_CACHE_DIR", "off", 1); /* every input is a new lexicon: nothing to reuse */
    init();
    write_file(user_file, data, size);

    voc_lexrows rows = {0};
    voc_error err;
    memset(&err, 0, sizeof err);
    int rc = voc__lexicon_read_file(user_file, 1, VOC_ALL_FILE_KINDS, &rows, &err);
    FUZZ_ASSERT(rc == VOC_OK || rc == VOC_ELEXICON || rc == VOC_ENOMEM, "read_file: %s", voc_status_name(rc));
    if (rc) {
        FUZZ_ASSERT(err.code == rc && strcmp(err.source, user_file) == 0, "err %d names '%s'", err.code, err.source);
        /* 1-based, or 0 for "no header line" in an empty file */
        FUZZ_ASSERT(err.line <= count_lines(data, size) && (err.line >= 1 || size == 0),
                    "error line %zu of %zu", err.line, count_lines(data, size));
        FUZZ_ASSERT(err.message[0] != '\0', "no message");
    } else {
        check_rows(&rows);
    }
    voc__lexrows_free(&rows);

    const char *extra[] = {user_dir};
    voc_analyzer_options o = {base_dir, extra, 1, VOC_SEGMENTER_DICT, 0, NULL};
    voc_analyzer *a = NULL;
    memset(&err, 0, sizeof err);
    int arc = voc_analyzer_new(&o, &a, &err);
    if (rc) {
        FUZZ_ASSERT(arc == rc && a == NULL, "read_file failed (%s) but voc_analyzer_new gave %s",
                    voc_status_name(rc), voc_status_name(arc));
        return 0;
    }
    if (arc) {
        FUZZ_ASSERT(arc == VOC_ELEXICON || arc == VOC_ENOMEM, "voc_analyzer_new: %s: %s", voc_status_name(arc),
                    err.message);
        FUZZ_ASSERT(a == NULL, "failed build returned an analyzer");
        /* "a term makes N tokens (1 to 16 allowed): '...'", or what only the whole set can
         * tell, named at the file's line: an unknown topic id, a pattern PCRE2 rejects, a
         * bad or repeated n-gram row, a taxonomy cycle */
        FUZZ_ASSERT(strncmp(err.message, "a term makes ", 13) == 0 || arc == VOC_ENOMEM ||
                        (strcmp(err.source, user_file) == 0 && err.line >= 1 &&
                         err.line <= count_lines(data, size) && err.message[0]),
                    "unexpected build error: %s:%zu: %s", err.source, err.line, err.message);
        return 0;
    }
    FUZZ_ASSERT(a != NULL, "no analyzer");
    const char *summary = voc_analyzer_lexicon_summary(a);
    FUZZ_ASSERT(summary && strncmp(summary, "en:", 3) == 0, "summary '%s'", summary ? summary : "(null)");
    voc_session *s = NULL;
    FUZZ_ASSERT(voc_session_new(a, &s, &err) == VOC_OK, "session: %s", err.message);
    voc_doc d = {(const char *)data, size, "lexicon", NULL, NULL, NULL, 0};
    FUZZ_ASSERT(voc_analyze(s, &d, on_result, NULL, &err) == VOC_OK, "analyze: %s", err.message);
    voc_session_free(s);
    voc_analyzer_free(a);
    return 0;
}
