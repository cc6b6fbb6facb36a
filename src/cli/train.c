/* train.c (CLI) — `vocmine train`: learn the n-gram model from labeled JSONL files.
 *
 * Reads every line of the given files with the same reader as analyze (field options
 * apply), keeps documents with a gold label (negative/neutral/positive) in the chosen split,
 * and hands them to the library's trainer (src/train.c), which writes DIR/en/ngrams.tsv and
 * DIR/zh-Hant/ngrams.tsv.  The command line and the files used are written into the
 * files' comments, so committed weights say how to reproduce them.
 *
 * Splits (shared with `vocmine eval --split`): a document is in the test split when the
 * FNV-1a 64-bit hash of its id is divisible by 5 (a fifth of every file), else in train;
 * tools/peers uses the same rule for the peers' baselines. */
#include "cli.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool cli_in_split(const char *id, enum cli_split split)
{
    if (split == SPLIT_ALL) return true;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)(id ? id : ""); *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    bool test = h % 5 == 0;
    return split == SPLIT_TEST ? test : !test;
}

static int log_sink(void *user, const char *data, size_t len)
{
    (void)user;
    fwrite(data, 1, len, stderr);
    return 0;
}

int run_train(const voc_analyzer *a, const cli_options *o, const voc_train_options *to,
              const char *command_line)
{
    if (!o->output_path) {
        fprintf(stderr, "vocmine train: --output DIR is required (DIR/en/ngrams.tsv, DIR/zh-Hant/ngrams.tsv)\n");
        return 2;
    }
    if (o->n_files == 0) {
        fprintf(stderr, "vocmine train: give the labeled JSONL files to learn from\n");
        return 2;
    }
    voc_trainer *t = NULL;
    voc_session *s = NULL;
    voc_error err;
    memset(&err, 0, sizeof err);
    if (voc_trainer_new(a, to, &t, &err) || voc_session_new(a, &s, &err)) {
        fprintf(stderr, "vocmine train: %s\n", err.message);
        voc_trainer_free(t);
        return 3;
    }
    char *line = NULL, *comment = NULL;
    size_t cap = 0, comment_len = 0;
    FILE *mem = open_memstream(&comment, &comment_len);
    if (mem) {
        time_t now = time(NULL);
        char date[32];
        strftime(date, sizeof date, "%Y-%m-%d", gmtime(&now));
        fprintf(mem, "reproduce (from the repository root, with ../shared/data beside it):\n  %s\n"
                     "trained %s from:", command_line, date);
    }
    int status = 0;
    size_t used = 0, skipped = 0;
    for (int fi = 0; fi < o->n_files && status == 0; fi++) {
        const char *path = o->files[fi];
        FILE *f = fopen(path, "rb");
        if (!f) {
            fprintf(stderr, "vocmine train: %s: %s\n", path, strerror(errno));
            status = 3;
            break;
        }
        size_t lineno = 0, file_used = 0;
        ssize_t n;
        while ((n = getline(&line, &cap, f)) >= 0) {
            lineno++;
            size_t len = (size_t)n;
            while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
            if (len == 0) continue;
            voc_input in;
            if (voc_input_parse(&o->reader, path, lineno, line, len, &in, &err)) {
                fprintf(stderr, "vocmine train: %s:%zu: %s\n", path, lineno, err.message);
                skipped++;
                continue;
            }
            int label = cli_label_index(in.label);
            bool lang_ok = !o->train_lang || (in.lang_hint && !strncmp(in.lang_hint, o->train_lang, 2));
            if (label >= 0 && lang_ok && cli_in_split(in.has_own_id ? in.doc.id : NULL, o->split)) {
                if (voc_trainer_add(t, s, &in.doc, label, fi, &err)) {
                    fprintf(stderr, "vocmine train: %s:%zu: %s\n", path, lineno, err.message);
                    skipped++;
                } else {
                    file_used++;
                }
            }
            voc_input_clear(&in);
        }
        fclose(f);
        const char *base = strrchr(path, '/');
        if (mem) fprintf(mem, "\n  %s (%zu documents)", base ? base + 1 : path, file_used);
        fprintf(stderr, "vocmine train: %s: %zu labeled documents\n", path, file_used);
        used += file_used;
    }
    free(line);
    if (mem) fclose(mem);
    if (status == 0 && used == 0) {
        fprintf(stderr, "vocmine train: no labeled documents\n");
        status = 1;
    }
    if (status == 0 && (voc_trainer_fit(t, log_sink, NULL, &err) ||
                        voc_trainer_write(t, o->output_path, comment, &err))) {
        fprintf(stderr, "vocmine train: %s: %s\n", err.source, err.message);
        status = 3;
    }
    if (status == 0)
        fprintf(stderr, "vocmine train: wrote %s/en/ngrams.tsv and/or %s/zh-Hant/ngrams.tsv (%zu documents, %zu lines skipped)\n",
                o->output_path, o->output_path, used, skipped);
    free(comment);
    voc_session_free(s);
    voc_trainer_free(t);
    return status;
}
