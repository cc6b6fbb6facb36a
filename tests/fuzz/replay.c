/* replay.c — a standalone main() for the libFuzzer targets in tests/fuzz, so every target
 * builds as an ordinary executable with any C compiler and replays the committed corpus
 * under ctest (in the manner of utf8proc's and SQLite's fuzzcheck drivers).
 *
 *   fuzz_<target> PATH...     feed every file (directories are walked recursively, in
 *                             sorted order) to LLVMFuzzerTestOneInput once
 *   fuzz_<target> -v PATH...  the same, naming each input as it runs
 *   fuzz_<target>             with no PATH, standard input is one input
 *
 * Each input is copied into a heap buffer of exactly its size (no slack, no NUL), so an
 * over-read by one byte is caught by AddressSanitizer in the sanitizer build.  The target
 * aborts on a broken invariant; the driver then names the input it was running (from a
 * SIGABRT handler, or the sanitizer runtime's death callback after its report).
 * Exit status: 0 all inputs ran, 1 a path could not be read or held no input; a crash is
 * the target's abort() or the sanitizer's exit. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional hooks libFuzzer also honours; weak so targets need not define them. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
/* Present in sanitizer runtimes: lets the driver name the input after a sanitizer report. */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static size_t n_inputs, n_bytes;
static int verbose;
static const char *current; /* the input being run, named if the target aborts */

static void on_signal(int sig)
{
    static const char msg[] = "replay: crashed on input ";
    if (current) {
        /* async-signal-safe output only */
        if (write(2, msg, sizeof msg - 1) < 0 || write(2, current, strlen(current)) < 0 ||
            write(2, "\n", 1) < 0) {
        }
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void on_sanitizer_death(void)
{
    if (current) fprintf(stderr, "replay: crashed on input %s\n", current);
}

static int run_buffer(const char *name, const char *data, size_t size)
{
    /* exact size; an empty input is the end of a 1-byte block, so that even reading its
     * first byte is an overflow (ASan makes malloc(0) a readable byte) */
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) {
        fprintf(stderr, "replay: out of memory for %s (%zu bytes)\n", name, size);
        return 1;
    }
    if (size) memcpy(copy, data, size);
    const uint8_t *input = size ? copy : copy + 1;
    if (verbose) fprintf(stderr, "replay: %s (%zu bytes)\n", name, size);
    current = name;
    LLVMFuzzerTestOneInput(input, size);
    current = NULL;
    free(copy);
    n_inputs++;
    n_bytes += size;
    return 0;
}

static int read_all(FILE *f, char **data, size_t *size)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    if (!buf) return -1;
    for (;;) {
        if (len == cap) {
            char *p = realloc(buf, cap * 2);
            if (!p) { free(buf); return -1; }
            buf = p;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) break;
    }
    if (ferror(f)) { free(buf); return -1; }
    *data = buf;
    *size = len;
    return 0;
}

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *data;
    size_t size;
    if (!f || read_all(f, &data, &size)) {
        fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
        if (f) fclose(f);
        return 1;
    }
    fclose(f);
    int rc = run_buffer(path, data, size);
    free(data);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) return run_file(path);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "replay: cannot open directory %s: %s\n", path, strerror(errno));
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue; /* ., .., hidden files */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **p = realloc(names, cap * sizeof *names);
            if (!p) { closedir(d); return 1; }
            names = p;
        }
        size_t len = strlen(path) + strlen(de->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n]) { closedir(d); return 1; }
        snprintf(names[n], len, "%s/%s", path, de->d_name);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        rc |= run_path(names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    signal(SIGABRT, on_signal);
    if (__sanitizer_set_death_callback) {
        __sanitizer_set_death_callback(on_sanitizer_death); /* keep the sanitizer's report */
    } else {
        signal(SIGSEGV, on_signal);
        signal(SIGBUS, on_signal);
        signal(SIGFPE, on_signal);
    }
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        verbose = 1;
        first = 2;
    }
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        printf("usage: %s [-v] [FILE|DIR]...\n"
               "Runs each input once through LLVMFuzzerTestOneInput (standard input if none).\n",
               argv[0]);
        return 0;
    }
    int rc = 0;
    if (first >= argc) {
        char *data;
        size_t size;
        if (read_all(stdin, &data, &size)) {
            fprintf(stderr, "replay: cannot read standard input\n");
            return 1;
        }
        rc = run_buffer("<stdin>", data, size);
        free(data);
    }
    for (int i = first; i < argc; i++) rc |= run_path(argv[i]);
    printf("%s: replayed %zu inputs (%zu bytes)%s\n", argv[0], n_inputs, n_bytes,
           rc ? ", some paths could not be read" : "");
    if (n_inputs == 0 && argc > first) {
        fprintf(stderr, "replay: no inputs found\n");
        return 1;
    }
    return rc;
}
