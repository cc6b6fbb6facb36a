/* test.h — a tiny assert header for vocmine's unit tests (in the manner of libuv/cmark).
 *
 * Each CHECK prints the file, line, expression and both sides when it fails, counts the
 * failure and carries on, so one run shows every broken expectation; main returns
 * test_exit_status().  Test data paths come from CMake (VOCMINE_SOURCE_DIR).  Beside the
 * checks: exact-size copies of inputs, files, and whether a library is loaded. */
#ifndef VOCMINE_TEST_H
#define VOCMINE_TEST_H

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int test_failures;
static int test_checks;

#define CHECK(cond)                                                                       \
    do {                                                                                  \
        test_checks++;                                                                    \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);      \
            test_failures++;                                                              \
        }                                                                                 \
    } while (0)

#define CHECK_INT(a, b)                                                                   \
    do {                                                                                  \
        long long a_ = (long long)(a), b_ = (long long)(b);                               \
        test_checks++;                                                                    \
        if (a_ != b_) {                                                                   \
            fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, \
                    #a, #b, a_, b_);                                                      \
            test_failures++;                                                              \
        }                                                                                 \
    } while (0)

#define CHECK_STR(a, b)                                                                   \
    do {                                                                                  \
        const char *a_ = (a), *b_ = (b);                                                  \
        test_checks++;                                                                    \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                          \
            fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n", __FILE__,       \
                    __LINE__, #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");            \
            test_failures++;                                                              \
        }                                                                                 \
    } while (0)

#define CHECK_MEM(a, alen, b)                                                             \
    do {                                                                                  \
        const char *a_ = (a), *b_ = (b);                                                  \
        size_t al_ = (alen), bl_ = strlen(b_);                                            \
        test_checks++;                                                                    \
        if (al_ != bl_ || memcmp(a_, b_, al_) != 0) {                                     \
            fprintf(stderr, "%s:%d: %s == %s failed: \"%.*s\" != \"%s\"\n", __FILE__,     \
                    __LINE__, #a, #b, (int)al_, a_, b_);                                  \
            test_failures++;                                                              \
        }                                                                                 \
    } while (0)

/* Copy into an exact-size heap buffer (no NUL) so sanitizers catch over-reads. */
static inline char *test_exact(const char *s, size_t *len)
{
    *len = strlen(s);
    char *p = malloc(*len ? *len : 1);
    if (!p) abort();
    memcpy(p, s, *len);
    return p;
}

static inline int test_exit_status(const char *name)
{
    if (test_failures) {
        fprintf(stderr, "%s: %d of %d checks failed\n", name, test_failures, test_checks);
        return 1;
    }
    printf("%s: %d checks passed\n", name, test_checks);
    return 0;
}

/* Write `content` to `path`, creating its directories first (mkdir -p); exits on failure:
 * a test that cannot write its input cannot go on. */
static inline void test_write_file(const char *path, const char *content)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        for (char *p = dir + 1; *p; p++)
            if (*p == '/') { *p = '\0'; mkdir(dir, 0700); *p = '/'; }
        mkdir(dir, 0700);
    }
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(1); }
    fputs(content, f);
    fclose(f);
}

/* Is the library with this SONAME in the process (without loading it)?  For the libraries
 * vocmine opens on first use (test_email: GMime, libxml2; test_normalize: OpenCC). */
static inline int library_loaded(const char *soname)
{
    void *handle = dlopen(soname, RTLD_NOW | RTLD_NOLOAD);
    if (handle) dlclose(handle); /* NOLOAD counted one more reference */
    return handle != NULL;
}

#endif
