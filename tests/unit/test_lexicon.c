/* test_lexicon.c — loading lexicons (lexicon.c): good files, every kind of broken line named
 * by file and line, user directories overriding the defaults. */
#define _POSIX_C_SOURCE 200809L /* setenv, mkdtemp */
#include "fixture.h"
#include "internal.h"

#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[256];

static void write_file(const char *rel, const char *content)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    test_write_file(path, content);
}

static int load_one(const char *content, voc_error *err)
{
    write_file("bad/en/x.tsv", content);
    char path[512];
    snprintf(path, sizeof path, "%s/bad/en/x.tsv", tmpdir);
    voc_lexrows rows = {0};
    memset(err, 0, sizeof *err);
    int rc = voc__lexicon_read_file(path, 1, VOC_ALL_FILE_KINDS, &rows, err);
    voc__lexrows_free(&rows);
    return rc;
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/vocmine-lexicon-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir)) { perror("mkdtemp"); return 1; }
    voc_error err;

    CHECK_INT(load_one("# c\nterm\tvalence\ttags\ngood\t1.9\t-\n", &err), VOC_OK);
    CHECK_INT(load_one("# c\nterm\tvalence\ttags\ngood\t1.9\t-\nbad\tx\t-\n", &err), VOC_ELEXICON);
    CHECK_INT(err.line, 4);
    CHECK(strstr(err.message, "valence") != NULL);
    CHECK(strstr(err.source, "x.tsv") != NULL);
    CHECK_INT(load_one("term\tvalence\ttags\nbad\t5\t-\n", &err), VOC_ELEXICON); /* out of range */
    CHECK_INT(err.line, 2);
    CHECK_INT(load_one("term\tvalence\ttags\nbad\t-2\temotion:rage\n", &err), VOC_ELEXICON);
    CHECK(strstr(err.message, "emotion:rage") != NULL || strstr(err.message, "rage") != NULL);
    CHECK_INT(load_one("term\tvalence\ttags\nbad\t-2\n", &err), VOC_ELEXICON); /* 2 columns */
    CHECK_INT(err.line, 2);
    CHECK_INT(load_one("word\tvalence\n", &err), VOC_ELEXICON); /* unknown header */
    CHECK_INT(err.line, 1);
    CHECK_INT(load_one("term\tkind\tweight\nvery\tbooster\t0.3\n", &err), VOC_ELEXICON);
    CHECK(strstr(err.message, "booster") != NULL);
    CHECK_INT(load_one("term\tkind\tweight\nrose\tchange\t1\nfell\tchange\t-1\n", &err), VOC_OK);
    CHECK_INT(load_one("term\tkind\tweight\nrose\tchange\t1\nfell\tchange\t0.5\n", &err), VOC_ELEXICON);
    CHECK_INT(err.line, 3); /* a change rises (1) or falls (-1) */
    CHECK_INT(load_one("\xEF\xBB\xBFterm\tvalence\ttags\n", &err), VOC_ELEXICON); /* BOM */
    CHECK_INT(load_one("# only a comment\n", &err), VOC_ELEXICON); /* no header */
    CHECK_INT(load_one("term\tvalence\ttags\nok\t1\t-\nbad\xFF\t1\t-\n", &err), VOC_ELEXICON);
    CHECK_INT(err.line, 3);

    /* a broken file in a user directory stops voc_analyzer_new with file and line */
    write_file("user/en/extra.tsv", "term\tvalence\ttags\nflimsy\t-1.5\t-\nwobbly\t-1.2\ttopic:nope\n");
    char user[512];
    snprintf(user, sizeof user, "%s/user", tmpdir);
    const char *extra[] = {user};
    voc_analyzer_options o = {VOCMINE_SOURCE_DIR "/lexicons", extra, 1, VOC_SEGMENTER_DICT, 0, NULL};
    voc_analyzer *a = NULL;
    CHECK_INT(voc_analyzer_new(&o, &a, &err), VOC_ELEXICON);
    CHECK(a == NULL);
    CHECK_INT(err.line, 3);
    CHECK(strstr(err.source, "extra.tsv") != NULL);

    /* a good user directory adds terms and overrides defaults */
    write_file("user/en/extra.tsv", "term\tvalence\ttags\nflimsy\t-1.5\t-\ngood\t-3\t-\n");
    CHECK_INT(voc_analyzer_new(&o, &a, &err), VOC_OK);
    if (a) {
        const voc_entry *e = voc__lexicon_find(&a->lexicon, "flimsy", 6);
        CHECK(e != NULL && e->valence < -1.4f);
        e = voc__lexicon_find(&a->lexicon, "good", 4);
        CHECK(e != NULL && e->valence < -2.9f);
        voc_analyzer_free(a);
    }

    /* the default lexicons: keys are tokenized like text */
    const voc_analyzer *def = fx_analyzer();
    const voc_entry *e = voc__lexicon_find(&def->lexicon, "not bad", 7);
    CHECK(e != NULL && e->valence > 0);
    e = voc__lexicon_find(&def->lexicon, "cp值", strlen("cp值"));
    CHECK(e != NULL);
    e = voc__lexicon_find(&def->lexicon, "不", strlen("不"));
    CHECK(e != NULL && e->mod_kind == VOC_MOD_NEGATOR);
    CHECK(def->lexicon.n_en > 1000);
    CHECK(def->lexicon.n_zh > 1000);

    /* every term's key is what the tokenizer makes of the term (start-up files plain words
     * and Han terms without running the tokenizer: this checks that shortcut) */
    {
        voc_session *s;
        voc_session_new(def, &s, &err);
        voc_buf key = {0};
        size_t checked = 0;
        for (size_t i = 0; i < def->lexicon.n_entries; i++) {
            const voc_entry *en = &def->lexicon.entries[i];
            if (!(en->flags & (VOC_ENTRY_VALENCE | VOC_ENTRY_MODIFIER))) continue;
            voc_doc d = {.text = en->term, .text_len = strlen(en->term), .id = "t"};
            if (voc_tokenize(s, &d, NULL, NULL, &err)) { CHECK(0); continue; }
            key.len = 0;
            for (size_t t = 0; t < s->n_toks; t++) {
                if (t) voc__buf_append(&key, " ", 1);
                voc__buf_append(&key, voc__tok_norm(s, &s->toks[t]), s->toks[t].norm_len);
            }
            if (key.len != en->key_len || memcmp(key.data, en->key, key.len)) {
                fprintf(stderr, "term '%s': key '%s' but the tokenizer makes '%s'\n", en->term, en->key,
                        key.data ? key.data : "");
                test_failures++;
            }
            checked++;
        }
        CHECK(checked > 5000);
        voc__buf_free(&key);
        voc_session_free(s);
    }

    /* a missing default directory is an error naming it */
    voc_analyzer_options missing = {"/nonexistent/lexicons", NULL, 0, VOC_SEGMENTER_DICT, 0, NULL};
    CHECK_INT(voc_analyzer_new(&missing, &a, &err), VOC_ELEXICON);
    CHECK(strstr(err.source, "/nonexistent/lexicons") != NULL);

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    return test_exit_status("test_lexicon");
}
