/* util.c — small shared helpers: error filling, checked array growth, byte buffers, libraries
 * opened on first use, per-thread scratch, the status and name tables, ASCII case folding.
 *
 * Everything that allocates in libvocmine grows through voc__grow or voc_buf, which check
 * the size arithmetic before calling realloc and leave the old memory intact on failure,
 * so callers can always return VOC_ENOMEM with their objects still consistent. */
#include "internal.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int voc__fail(voc_error *err, int code, const char *source, size_t line, size_t byte_offset,
              const char *fmt, ...)
{
    if (err) {
        err->code = code;
        err->line = line;
        err->byte_offset = byte_offset;
        snprintf(err->source, sizeof err->source, "%s", source ? source : "");
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

int voc__grow_slow(void **ptr, size_t *cap, size_t need, size_t elem) /* need > *cap: voc__grow */
{
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) return VOC_ENOMEM;
        ncap *= 2;
    }
    if (elem && ncap > SIZE_MAX / elem) return VOC_ENOMEM;
    void *p = realloc(*ptr, ncap * elem);
    if (!p) return VOC_ENOMEM;
    *ptr = p;
    *cap = ncap;
    return VOC_OK;
}

char *voc__strndup(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (!p) return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

int voc__buf_reserve(voc_buf *b, size_t extra)
{
    if (b->failed) return VOC_ENOMEM;
    if (extra > SIZE_MAX - b->len - 1) {
        b->failed = 1;
        return VOC_ENOMEM;
    }
    void *p = b->data;
    if (voc__grow(&p, &b->cap, b->len + extra + 1, 1) != VOC_OK) {
        b->failed = 1;
        return VOC_ENOMEM;
    }
    b->data = p;
    return VOC_OK;
}

int voc__buf_append_slow(voc_buf *b, const void *data, size_t len)
{
    if (voc__buf_reserve(b, len) != VOC_OK) return VOC_ENOMEM;
    if (len) memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return VOC_OK;
}

char *voc__buf_take(voc_buf *b)
{
    if (b->failed || voc__buf_reserve(b, 1)) {
        voc__buf_free(b);
        return NULL;
    }
    b->data[b->len] = '\0';
    char *s = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void voc__buf_free(voc_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

/* ---- libraries opened on first use ---- */

bool voc__library_open(const voc_library *lib, char *problem, size_t cap)
{
    void *handle = NULL;
    for (size_t i = 0; !handle && lib->sonames[i]; i++)
        handle = dlopen(lib->sonames[i], RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *why = dlerror();
        snprintf(problem, cap, "cannot load %s (%s): %s", lib->name, lib->install,
                 why ? why : "not found");
        return false;
    }
    for (size_t i = 0; lib->symbols[i]; i++) {
        if (!(*lib->slots[i] = dlsym(handle, lib->symbols[i]))) {
            snprintf(problem, cap, "%s lacks %s%s%s%s", lib->name, lib->symbols[i],
                     lib->version_note ? " (" : "", lib->version_note ? lib->version_note : "",
                     lib->version_note ? ")" : "");
            return false;
        }
    }
    return true;
}

bool voc__library_ready(const voc_library *lib, voc_library_state *st, bool (*setup)(voc_library_state *st))
{
    if (atomic_load_explicit(&st->tried, memory_order_acquire)) return st->ready;
    pthread_mutex_lock(&st->lock);
    if (!atomic_load_explicit(&st->tried, memory_order_relaxed)) {
        st->ready = voc__library_open(lib, st->problem, sizeof st->problem) && (!setup || setup(st));
        atomic_store_explicit(&st->tried, true, memory_order_release);
    }
    pthread_mutex_unlock(&st->lock);
    return st->ready;
}

/* ---- per-thread scratch ---- */

/* Functions without a session (record writing) reuse one buffer per thread instead of a
 * malloc per record: a large allocation per record also made glibc consolidate the small
 * blocks JSON parsing frees.  The buffer is freed when its thread exits. */
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static int scratch_ok;

static void scratch_free(void *p)
{
    voc_buf *b = p;
    voc__buf_free(b);
    free(b);
}

static void scratch_init(void)
{
    scratch_ok = pthread_key_create(&scratch_key, scratch_free) == 0;
}

voc_buf *voc__thread_scratch(void)
{
    pthread_once(&scratch_once, scratch_init);
    if (!scratch_ok) return NULL;
    voc_buf *b = pthread_getspecific(scratch_key);
    if (!b) {
        b = calloc(1, sizeof *b);
        if (!b || pthread_setspecific(scratch_key, b) != 0) {
            free(b);
            return NULL;
        }
    }
    b->len = 0;
    b->failed = 0;
    return b;
}

/* ---- status table ---- */

const char *voc_status_name(int rc)
{
    switch (rc) {
#define VOC__CASE(name, code, msg) case code: return #name;
        VOC_STATUS_MAP(VOC__CASE)
#undef VOC__CASE
    }
    return "EUNKNOWN";
}

const char *voc_strerror(int rc)
{
    switch (rc) {
#define VOC__CASE(name, code, msg) case code: return msg;
        VOC_STATUS_MAP(VOC__CASE)
#undef VOC__CASE
    }
    return "unknown status";
}

const char *voc_token_type_name(int type)
{
    static const char *const names[] = {
#define VOC__NAME(name, str) str,
        VOC_TOKEN_TYPE_MAP(VOC__NAME)
#undef VOC__NAME
    };
    if (type < 0 || type >= VOC_TOKEN_TYPE_COUNT) return "unknown";
    return names[type];
}

const char *voc_evidence_kind_name(int kind)
{
    static const char *const names[] = {
#define VOC__NAME(name, str) str,
        VOC_EVIDENCE_KIND_MAP(VOC__NAME)
#undef VOC__NAME
    };
    if (kind < 0 || kind >= VOC_EVIDENCE_KIND_COUNT) return "unknown";
    return names[kind];
}

const char *voc_label_name(int label)
{
    switch (label) {
    case VOC_NEGATIVE: return "negative";
    case VOC_NEUTRAL: return "neutral";
    case VOC_POSITIVE: return "positive";
    }
    return "unknown";
}

const char *voc_warning_name(int bit_index)
{
    static const char *const names[] = {
        "invalid_utf8", "empty_text", "truncated", "nul_bytes",
        "field_count", "skipped_turns", "metric_out_of_range", "undecodable_bytes",
        "simplified_unconverted"};
    /* a warning added to vocmine.h without its name here would read as NULL */
    _Static_assert(sizeof names / sizeof *names == VOC_WARNING_COUNT, "one name per VOC_WARN_* bit");
    if (bit_index < 0 || bit_index >= VOC_WARNING_COUNT) return "unknown";
    return names[bit_index];
}

bool voc__ascii_case_equal_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z') x += 32;
        if (y >= 'A' && y <= 'Z') y += 32;
        if (x != y) return false;
        if (!x) return true;
    }
    return true;
}

bool voc__ascii_case_equal(const char *a, const char *b)
{
    return voc__ascii_case_equal_n(a, b, SIZE_MAX);
}

bool voc__ascii_case_contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle), h = strlen(hay);
    for (size_t i = 0; i + n <= h; i++)
        if (voc__ascii_case_equal_n(hay + i, needle, n)) return true;
    return false;
}
