/* lexicon_lint.c — checks the lexicon files' format beyond what loading checks.
 *
 * Loading (lexicon.c) already rejects bad headers, columns, numbers, tags and kinds with
 * file and line.  The lint adds the conventions that keep the files reviewable: UTF-8 in
 * NFC, no BOM, LF only, no trailing spaces, data lines sorted by first column in byte
 * order and unique, comments only above the header; in flags.tsv files, English terms in
 * lower case and no two rows whose terms tokenize to the same key (the later would silently
 * replace the earlier).  Run under ctest on lexicons/.
 * Usage: vocmine-lexicon-lint DIR...   (exit 1 and one line per problem when any) */
#include "internal.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

static int problems;

static void report(const char *path, size_t line, const char *msg, const char *detail)
{
    fprintf(stderr, "%s:%zu: %s%s%s\n", path, line, msg, detail ? ": " : "", detail ? detail : "");
    problems++;
}

static bool is_nfc(const char *s, size_t len)
{
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&e);
    UChar buf[1024];
    int32_t n = 0;
    u_strFromUTF8(buf, 1024, &n, s, (int32_t)len, &e);
    if (U_FAILURE(e)) return true; /* very long line: skip the check */
    UBool ok = unorm2_isNormalized(nfc, buf, n, &e);
    return U_SUCCESS(e) && ok;
}

static void lint_file(const char *path, int lang)
{
    voc_lexrows rows = {0};
    voc_error err;
    if (voc__lexicon_read_file(path, lang, VOC_ALL_FILE_KINDS, &rows, &err)) {
        report(err.source, err.line, err.message, NULL);
        return;
    }
    /* flag terms are written as they are keyed: lower case (the table build keys plain
     * lower-case terms directly and sends others through normalization, so a capital would
     * only hide a duplicate key and slow the start-up down) */
    for (size_t i = 0; i < rows.n; i++)
        if (rows.rows[i].file_kind == VOC_FILE_FLAGS)
            for (const char *c = rows.rows[i].term; *c; c++)
                if (*c >= 'A' && *c <= 'Z') {
                    report(path, rows.rows[i].line, "flag term not in lower case", rows.rows[i].term);
                    break;
                }
    voc__lexrows_free(&rows);
    FILE *f = fopen(path, "rb");
    if (!f) { report(path, 0, "cannot open", NULL); return; }
    char *line = NULL, *prev = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    bool header_seen = false;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (n == 0 || line[n - 1] != '\n') report(path, lineno, "missing final newline", NULL);
        else line[--n] = '\0';
        if (n && line[n - 1] == '\r') report(path, lineno, "CR line ending", NULL);
        if (lineno == 1 && n >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3)) report(path, lineno, "BOM", NULL);
        if (n && (line[n - 1] == ' ' || line[n - 1] == '\t')) report(path, lineno, "trailing white space", NULL);
        if (!is_nfc(line, (size_t)n)) report(path, lineno, "not NFC", line);
        if (n == 0) { report(path, lineno, "empty line", NULL); continue; }
        if (line[0] == '#') {
            if (header_seen) report(path, lineno, "comment below the header", NULL);
            continue;
        }
        if (!header_seen) { header_seen = true; continue; }
        char *tab = strchr(line, '\t');
        size_t klen = tab ? (size_t)(tab - line) : (size_t)n;
        if (klen && (line[0] == ' ' || line[klen - 1] == ' ')) report(path, lineno, "term has leading/trailing space", NULL);
        char *key = voc__strndup(line, klen);
        if (!key) break;
        if (prev) {
            int c = strcmp(prev, key);
            if (c == 0) report(path, lineno, "duplicate term", key);
            else if (c > 0) report(path, lineno, "not sorted (LC_ALL=C order)", key);
        }
        free(prev);
        prev = key;
    }
    free(prev);
    free(line);
    fclose(f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: vocmine-lexicon-lint DIR...\n");
        return 2;
    }
    static const struct { const char *name; int lang; } subdirs[] = {{"common", 0}, {"en", 1}, {"zh-Hant", 2}, {"topics", 3}};
    int files = 0;
    for (int a = 1; a < argc; a++)
        for (size_t s = 0; s < sizeof subdirs / sizeof *subdirs; s++) {
            char dir[4096];
            snprintf(dir, sizeof dir, "%s/%s", argv[a], subdirs[s].name);
            DIR *d = opendir(dir);
            if (!d) continue;
            struct dirent *de;
            while ((de = readdir(d))) {
                size_t len = strlen(de->d_name);
                if (len < 5 || strcmp(de->d_name + len - 4, ".tsv")) continue;
                char path[4096 + 256];
                snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
                lint_file(path, subdirs[s].lang);
                files++;
            }
            closedir(d);
        }
    if (files == 0) {
        fprintf(stderr, "vocmine-lexicon-lint: no .tsv files found\n");
        return 1;
    }
    /* the whole set must also compile into an analyzer (terms tokenize, 1..8 tokens) */
    voc_analyzer_options o = {argv[1], (const char *const *)argv + 2, (size_t)argc - 2, VOC_SEGMENTER_DICT, 0, NULL};
    voc_analyzer *an;
    voc_error err;
    if (voc_analyzer_new(&o, &an, &err)) report(err.source, err.line, err.message, NULL);
    else {
        const char *first;
        size_t n = voc__flags_collisions(an->flags, &first);
        if (n) {
            char msg[96];
            snprintf(msg, sizeof msg, "%zu flags row(s) tokenize to the key of an earlier row", n);
            report("flags.tsv", 0, msg, first);
        }
        voc_analyzer_free(an);
    }
    if (problems) {
        fprintf(stderr, "%d problem(s) in %d file(s)\n", problems, files);
        return 1;
    }
    printf("%d lexicon file(s) clean\n", files);
    return 0;
}
