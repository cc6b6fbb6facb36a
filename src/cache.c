/* cache.c — the compiled analyzer tables on disk, so a run does not rebuild them.
 *
 * Building an analyzer reads ~95,000 TSV lines (60,000 of them n-gram weights), tokenizes
 * every lexicon term and compiles the Han dictionary: about 30 ms, before a CLI run's first
 * document.  The result — the lexicon table with its strings and its phrase-pair filter, the
 * Han trie, the Simplified/Traditional bitmaps, the n-gram models, the stems of the English
 * words they know (segment.c), the flag cues' table with its link to the lexicon and its
 * filters (flags.c, its own section) — is plain arrays, so it is written once to a file and
 * read back by later runs.  The taxonomy and the topic patterns are not in it: they are
 * rebuilt from their files on every run (a few milliseconds); only the literals the
 * patterns' prefilter reads off their text are (patterns.c, its own section), used when that
 * text is the same (patterns_hash).
 *
 * The file name carries a fingerprint of every lexicon file (path, size, modification time),
 * of vocmine's version and of the layout of the structures; the file repeats it inside,
 * with a hash of its contents.  A file that does not match, or is short or damaged, is
 * ignored and the analyzer is built (and the file rewritten).  The cache is only an
 * optimisation: every failure falls back to building, and the tables are the same either way
 * (tests/unit/test_cache.c compares them).  Two lines of defence: the hash catches damage
 * (a flipped bit, a torn copy) and is cheap, as it reads every byte on every start; it is no
 * defence against a file made to pass it, so everything read is also checked before it is
 * used — sizes, every slot's index, every string's bounds and end, the flag cues' codes —
 * and a file that fails is rejected the same way.
 *
 * Where: $VOCMINE_CACHE_DIR, else $XDG_CACHE_HOME/vocmine, else $HOME/.cache/vocmine;
 * VOCMINE_CACHE_DIR=off turns it off.  Files are written to a temporary name and renamed,
 * so concurrent runs never read half a file.  Every change of a lexicon file makes a new
 * name, so the directory would only grow: a file is touched when it is used, and writing
 * one removes all but the CACHE_KEEP most recently used.
 *
 * Loading maps the file (read-only, private) and points the tables into it: reading 6.6 MB
 * into the heap and copying every table out again cost two page faults per 4 KB page, most
 * of a run's start-up.  Only the lexicon entries, whose string pointers are set at load, are
 * copied (and the flag cues' table, small, which flags.c owns and frees).  In the file an
 * entry's string pointers hold offsets into its lexicon's string blob.  So the mapped tables
 * are read-only: nothing changes an analyzer after it is made,
 * and voc__cache_unmap gives them back before the tables are freed.  Each array starts at a
 * multiple of 8 bytes in the file (it is padded), so the views are aligned. */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_MAGIC "VOCMINE\x15" /* bump whenever how an analyzer is built changes */
#define HEADER 32 /* magic, key, layout, hash of the rest */

/* The analyzer's fixed-size members, written last and read back in this order: one list, so
 * saving and loading cannot drift apart. */
typedef struct fixed_member {
    size_t offset, size;
} fixed_member;
#define FIXED_MEMBER(m) {offsetof(voc_analyzer, m), sizeof(((voc_analyzer *)0)->m)}
static const fixed_member fixed_members[] = {
    FIXED_MEMBER(lexicon.filter),      FIXED_MEMBER(handict.root_latin),
    FIXED_MEMBER(handict.unknown_cost), FIXED_MEMBER(handict.max_word_chars),
    FIXED_MEMBER(simplified_bits),     FIXED_MEMBER(ambiguous_bits),
    FIXED_MEMBER(traditional_bits),    FIXED_MEMBER(lexicon_summary),
    FIXED_MEMBER(models[0].dense),     FIXED_MEMBER(models[0].temperature),
    FIXED_MEMBER(models[0].loaded),    FIXED_MEMBER(models[0].n_features),
    FIXED_MEMBER(models[0].rules),     FIXED_MEMBER(models[1].rules),
    FIXED_MEMBER(models[1].dense),     FIXED_MEMBER(models[1].temperature),
    FIXED_MEMBER(models[1].loaded),    FIXED_MEMBER(models[1].n_features),
    FIXED_MEMBER(patterns_hash),       FIXED_MEMBER(phrase_pairs),
};
#define N_FIXED_MEMBERS (sizeof fixed_members / sizeof *fixed_members)

/* ---- where ------------------------------------------------------------------------------ */

static bool cache_dir(char *buf, size_t cap)
{
    const char *dir = getenv("VOCMINE_CACHE_DIR");
    if (dir && !strcmp(dir, "off")) return false;
    if (dir && *dir) {
        snprintf(buf, cap, "%s", dir);
    } else {
        const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
        if (xdg && *xdg) snprintf(buf, cap, "%s/vocmine", xdg);
        else if (home && *home) snprintf(buf, cap, "%s/.cache/vocmine", home);
        else return false;
    }
    return true;
}

/* mkdir -p for the cache directory (best effort). */
static void make_dirs(char *path)
{
    for (char *p = path + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    mkdir(path, 0755);
}

bool voc__cache_path(uint64_t key, char *buf, size_t cap)
{
    char dir[3072];
    if (!cache_dir(dir, sizeof dir)) return false;
    int n = snprintf(buf, cap, "%s/analyzer-%016llx.bin", dir, (unsigned long long)key);
    return n > 0 && (size_t)n < cap;
}

uint64_t voc__cache_layout(void)
{
    /* the magic too, so builds of different magics (a tree being changed beside an
     * installed vocmine) keep files of their own instead of rewriting each other's */
    uint64_t parts[7] = {sizeof(voc_entry), sizeof(voc_lexicon), sizeof(voc_handict),
                         sizeof(float), (uint64_t)VOC_STEM_CACHE, voc__hash(VOC_VERSION, strlen(VOC_VERSION)),
                         voc__hash(CACHE_MAGIC, 8)};
    return voc__hash(parts, sizeof parts);
}

/* The hash of the file's contents: it has to catch damage (a flipped bit, a torn or
 * truncated copy), not an attacker, and it reads every byte of a ~7 MB file on every run,
 * so it is the cheapest mix that does: eight independent lanes over 64-byte blocks, each
 * lane h = (h + w) * K with K odd.  For a fixed w that step is a bijection of h, so a lane
 * whose words differ in exactly one place ends in a different state, always; the lanes, the
 * tail and the length are then mixed by voc__hash.  Two instructions per eight bytes (an
 * add from memory and a multiply; the lanes do not wait on each other) — the xor-shift of
 * voc__hash in every step made it one instruction per byte. */
uint64_t voc__cache_checksum(const unsigned char *p, size_t len)
{
    const uint64_t k = 0x9E3779B97F4A7C15ULL;
    /* eight named lanes, not an array: the compiler keeps them in registers */
    uint64_t h0 = 1, h1 = 2, h2 = 3, h3 = 4, h4 = 5, h5 = 6, h6 = 7, h7 = 8;
    size_t i = 0;
#define BLOCK(b)                                                                           \
    do {                                                                                   \
        h0 = (h0 + voc__load8(b)) * k;                                                     \
        h1 = (h1 + voc__load8((b) + 8)) * k;                                               \
        h2 = (h2 + voc__load8((b) + 16)) * k;                                              \
        h3 = (h3 + voc__load8((b) + 24)) * k;                                              \
        h4 = (h4 + voc__load8((b) + 32)) * k;                                              \
        h5 = (h5 + voc__load8((b) + 40)) * k;                                              \
        h6 = (h6 + voc__load8((b) + 48)) * k;                                              \
        h7 = (h7 + voc__load8((b) + 56)) * k;                                              \
    } while (0)
    for (; i + 128 <= len; i += 128) { /* two blocks a turn: less loop per byte */
        BLOCK(p + i);
        BLOCK(p + i + 64);
    }
    for (; i + 64 <= len; i += 64) BLOCK(p + i);
#undef BLOCK
    uint64_t parts[10] = {h0, h1, h2, h3, h4, h5, h6, h7, voc__hash(p + i, len - i), len};
    return voc__hash(parts, sizeof parts);
}

/* ---- writing ---------------------------------------------------------------------------- */

struct voc_cache_writer {
    FILE *f;
    int failed;
};
typedef voc_cache_writer writer;

static void put(writer *w, const void *data, size_t len)
{
    if (!w->failed && len && fwrite(data, 1, len, w->f) != len) w->failed = 1;
}

static void put_u64(writer *w, uint64_t v) { put(w, &v, sizeof v); }

/* An array: its byte length, then its bytes, then zeros up to a multiple of 8. */
static void put_array(writer *w, const void *data, size_t len)
{
    static const char zeros[8];
    put_u64(w, len);
    put(w, data, len);
    put(w, zeros, (8 - len % 8) % 8);
}

void voc__cache_put(voc_cache_writer *w, const void *data, size_t len) { put_array(w, data, len); }
void voc__cache_put_u64(voc_cache_writer *w, uint64_t v) { put_array(w, &v, sizeof v); }
void voc__cache_put_failed(voc_cache_writer *w) { w->failed = 1; }

/* A lexicon's strings as one blob, then its entries with their string pointers replaced by
 * offsets into the blob (a pointer means nothing in another process; voc__cache_layout
 * covers the entry's size).  A term that is its key (flags.c's entries, prefix entries) is
 * written once. */
static void put_entries(writer *w, const voc_lexicon *lx)
{
    voc_buf blob = {0};
    voc_entry *copy = malloc(sizeof *copy * (lx->n_entries ? lx->n_entries : 1));
    if (!copy) w->failed = 1;
    for (size_t i = 0; i < lx->n_entries && !w->failed; i++) {
        const voc_entry *e = &lx->entries[i];
        copy[i] = *e;
        uintptr_t key = blob.len;
        voc__buf_append(&blob, e->key, (size_t)e->key_len + 1);
        uintptr_t term = key;
        if (e->term != e->key) {
            term = blob.len;
            voc__buf_append(&blob, e->term, strlen(e->term) + 1);
        }
        memcpy((char *)&copy[i] + offsetof(voc_entry, term), &term, sizeof term);
        memcpy((char *)&copy[i] + offsetof(voc_entry, key), &key, sizeof key);
    }
    if (blob.failed) w->failed = 1;
    put_array(w, blob.data, blob.len);
    put_array(w, copy, w->failed ? 0 : sizeof *copy * lx->n_entries);
    free(copy);
    voc__buf_free(&blob);
}

void voc__cache_put_lexicon(voc_cache_writer *w, const voc_lexicon *lx)
{
    put_entries(w, lx);
    put_array(w, lx->slots, sizeof *lx->slots * lx->n_slots);
    put_array(w, lx->filter, sizeof lx->filter);
}

/* Keep the CACHE_KEEP most recently used cache files of `dir` (by modification time, which
 * a load refreshes), remove the others: each lexicon edit names a new file, and a team that
 * edits its lexicons would otherwise collect them by the hundred. */
#define CACHE_KEEP 16
static void prune(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct { char name[64]; time_t mtime; } files[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < sizeof files / sizeof *files) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, "analyzer-", 9) || len < 13 || strcmp(e->d_name + len - 4, ".bin") ||
            len >= sizeof files[0].name)
            continue;
        struct stat st; /* relative to the directory: no path to build or to overflow */
        if (fstatat(dirfd(d), e->d_name, &st, 0) != 0) continue;
        memcpy(files[n].name, e->d_name, len + 1);
        files[n].mtime = st.st_mtime;
        n++;
    }
    while (n > CACHE_KEEP) { /* drop the least recently used, one at a time */
        size_t oldest = 0;
        for (size_t i = 1; i < n; i++)
            if (files[i].mtime < files[oldest].mtime) oldest = i;
        unlinkat(dirfd(d), files[oldest].name, 0);
        files[oldest] = files[--n];
    }
    closedir(d);
}

void voc__cache_save(const voc_analyzer *a, uint64_t key)
{
    char path[4096], tmp[4200];
    if (!voc__cache_path(key, path, sizeof path)) return;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) { *slash = '\0'; make_dirs(dir); }
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    /* written to memory first, so the header can carry a hash of the payload */
    char *mem = NULL;
    size_t mem_len = 0;
    writer w = {open_memstream(&mem, &mem_len), 0};
    if (!w.f) return;
    const voc_lexicon *lx = &a->lexicon;
    const voc_handict *d = &a->handict;
    put(&w, CACHE_MAGIC, 8);
    put_u64(&w, key);
    put_u64(&w, voc__cache_layout());
    put_u64(&w, 0); /* the payload's hash, filled in below */
    put_entries(&w, lx); /* the lexicon */
    put_array(&w, lx->slots, sizeof *lx->slots * lx->n_slots);
    uint64_t scalars[6] = {(uint64_t)lx->max_phrase_tokens, lx->n_en, lx->n_zh, lx->n_common,
                           lx->n_modifiers, lx->n_words};
    put_array(&w, scalars, sizeof scalars);
    /* Han dictionary */
    put_array(&w, d->keys, sizeof *d->keys * d->n_slots);
    put_array(&w, d->vals, sizeof *d->vals * d->n_slots);
    put_array(&w, d->node_cost, sizeof *d->node_cost * d->n_nodes);
    put_array(&w, d->node_lexicon, d->n_nodes);
    /* n-gram models */
    for (int m = 0; m < VOC_N_MODELS; m++) {
        const voc_model *md = &a->models[m];
        put_array(&w, md->slots, sizeof *md->slots * md->n_slots);
        put_array(&w, md->names, md->names_len);
    }
    /* precomputed stems (segment.c) */
    voc_buf stems = {0};
    uint64_t *stem_slots = NULL;
    size_t n_stem_slots = 0;
    if (voc__stem_table_build(a, &stems, &stem_slots, &n_stem_slots)) w.failed = 1;
    put_array(&w, stems.data, stems.len);
    put_array(&w, stem_slots, sizeof *stem_slots * n_stem_slots);
    voc__buf_free(&stems);
    free(stem_slots);
    for (size_t i = 0; i < N_FIXED_MEMBERS; i++)
        put_array(&w, (const char *)a + fixed_members[i].offset, fixed_members[i].size);
    voc__flags_save(a, &w); /* the flag cues' table (flags.c) */
    voc__patterns_put_literals(a->patterns, &w); /* the topic patterns' literals (patterns.c) */
    if (fclose(w.f) != 0) w.failed = 1;
    if (w.failed || !mem || mem_len < HEADER) { free(mem); return; }
    uint64_t sum = voc__cache_checksum((const unsigned char *)mem + HEADER, mem_len - HEADER);
    memcpy(mem + 24, &sum, sizeof sum);
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fwrite(mem, 1, mem_len, f) == mem_len;
    if (f && fclose(f) != 0) ok = false;
    free(mem);
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return;
    }
    if (slash) prune(dir); /* the directory the file went to */
}

/* ---- reading ---------------------------------------------------------------------------- */

struct voc_cache_reader {
    const unsigned char *p;
    size_t left;
    int failed;
};
typedef voc_cache_reader reader;

/* The next array: its pointer and length, or NULL when the file is short. */
static const void *take_array(reader *r, size_t *len)
{
    uint64_t n;
    if (r->failed || r->left < sizeof n) { r->failed = 1; return NULL; }
    memcpy(&n, r->p, sizeof n);
    r->p += sizeof n;
    r->left -= sizeof n;
    uint64_t padded = n + (8 - n % 8) % 8;
    if (n > r->left || padded > r->left) { r->failed = 1; return NULL; }
    const void *data = r->p;
    r->p += padded;
    r->left -= padded;
    *len = (size_t)n;
    return data;
}

/* The next array in place (read-only: it is the mapped file), which must hold a whole
 * number of `elem` items. */
static void *take_view(reader *r, size_t elem, size_t *count)
{
    size_t len;
    const void *data = take_array(r, &len);
    if (!data || len % elem) { r->failed = 1; return NULL; }
    *count = len / elem;
    return (void *)data; /* the tables' pointers are not const; the mapping is: see above */
}

/* A copy of the next array, which must hold a whole number of `elem` items. */
static void *take_copy(reader *r, size_t elem, size_t *count)
{
    size_t len;
    const void *data = take_array(r, &len);
    if (!data || len % elem) { r->failed = 1; return NULL; }
    void *copy = malloc(len ? len : 1);
    if (!copy) { r->failed = 1; return NULL; }
    memcpy(copy, data, len);
    *count = len / elem;
    return copy;
}

/* Fill `dst` (exactly `len` bytes) from the next array. */
static void take_exact(reader *r, void *dst, size_t len)
{
    size_t got;
    const void *data = take_array(r, &got);
    if (!data || got != len) { r->failed = 1; return; }
    memcpy(dst, data, len);
}

/* The checks of the tables' slots (~300,000 of them on every start).  Every table is probed
 * until an empty slot, so one must be empty at least, or a lookup of a missing key would
 * never end: the first is found within a few slots (the tables are at most half full). */
static bool has_empty(const uint64_t *slots, size_t n_slots)
{
    size_t i = 0;
    while (i < n_slots && slots[i]) i++;
    return i < n_slots;
}

/* Every nonzero slot's low 32 bits are an entry index + 1 in [1, n_entries], i.e. of each
 * slot (hash bits high, index low): index <= n_entries, and index 0 only in an empty slot.
 * Without a branch per slot: a quarter of the slots are used, at random, and a branch on
 * each mispredicted so often that this took as long as the checksum of the whole file; two
 * slots at a time where the compiler has vectors. */
bool voc__cache_slots_valid(const uint64_t *slots, size_t n_slots, uint64_t n_entries)
{
    if (n_entries > UINT32_MAX - 1) return false;
    uint32_t n = (uint32_t)n_entries;
    uint64_t bad = 0;
    size_t i = 0;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    typedef uint32_t u32x4 __attribute__((vector_size(16)));
    typedef uint64_t u64x2 __attribute__((vector_size(16)));
    /* little-endian lanes: index, hash, index, hash */
    const u32x4 max = {n, UINT32_MAX, n, UINT32_MAX}, zero = {0, 0, 0, 0};
    u64x2 acc = {0, 0};
    for (; i + 2 <= n_slots; i += 2) {
        u32x4 x;
        memcpy(&x, slots + i, sizeof x);
        u64x2 is_zero = (u64x2)(x == zero);         /* per half: all ones when 0 */
        acc |= (u64x2)(x > max)                     /* an index past the entries */
               | ((is_zero << 32) & ~is_zero);      /* index 0 under nonzero hash bits */
    }
    bad = acc[0] | acc[1];
#endif
    for (; i < n_slots; i++) {
        uint32_t index = (uint32_t)slots[i];
        bad |= (uint64_t)(index > n) | (uint64_t)(index == 0 && slots[i] != 0);
    }
    return !bad && has_empty(slots, n_slots);
}

/* Is every one of v[0..n) below limit (at least 1)?  Four at a time where the compiler has
 * vectors (as normalize.c's map_identity), without a branch. */
static bool all_below(const uint32_t *v, size_t n, uint64_t limit)
{
    if (limit > UINT32_MAX) return true;
    uint32_t max = (uint32_t)limit - 1, bad = 0;
    size_t i = 0;
#if defined(__GNUC__)
    typedef uint32_t u32x4 __attribute__((vector_size(16)));
    typedef int32_t i32x4 __attribute__((vector_size(16)));
    u32x4 m = {max, max, max, max};
    i32x4 acc = {0, 0, 0, 0};
    for (; i + 4 <= n; i += 4) {
        u32x4 x;
        memcpy(&x, v + i, sizeof x);
        acc |= x > m;
    }
    bad = (uint32_t)(acc[0] | acc[1] | acc[2] | acc[3]);
#endif
    for (; i < n; i++) bad |= v[i] > max;
    return !bad;
}

/* Every slot with a nonzero key has a value below `limit`.  The writers leave the value of
 * an empty slot 0 (the tables are calloc'd and never lose a key), so when 0 is a good value
 * every value is checked alike, without reading the keys (but for an empty slot). */
static bool values_valid(const uint64_t *keys, const uint32_t *vals, size_t n_slots, uint64_t limit)
{
    if (limit >= 1) return all_below(vals, n_slots, limit) && has_empty(keys, n_slots);
    for (size_t i = 0; i < n_slots; i++)
        if (keys[i]) return false;
    return has_empty(keys, n_slots);
}

/* A model's table (voc_model_slot): an empty slot somewhere, so a lookup of a missing key
 * ends, and no key at all without names.  The name offsets are checked where a name is read
 * (model.c slot_name), not here slot by slot. */
static bool model_slots_valid(const voc_model_slot *slots, size_t n_slots, uint64_t names_len)
{
    if (names_len > UINT32_MAX) return false;
    size_t i = 0;
    if (names_len == 0) { /* no features: no key */
        for (; i < n_slots; i++)
            if (slots[i].key) return false;
        return n_slots > 0;
    }
    for (; i < n_slots && slots[i].key; i++) {}
    return i < n_slots;
}

void voc__cache_fail(voc_cache_reader *r) { r->failed = 1; }
bool voc__cache_failed(const voc_cache_reader *r) { return r->failed != 0; }

void *voc__cache_take_copy(voc_cache_reader *r, size_t elem, size_t *count)
{
    *count = 0;
    return take_copy(r, elem, count);
}

const void *voc__cache_take_view(voc_cache_reader *r, size_t elem, size_t *count)
{
    *count = 0;
    return take_view(r, elem, count);
}

bool voc__cache_take_exact(voc_cache_reader *r, void *dst, size_t len)
{
    take_exact(r, dst, len);
    return !r->failed;
}

bool voc__cache_take_u64(voc_cache_reader *r, uint64_t *v)
{
    *v = 0;
    return voc__cache_take_exact(r, v, sizeof *v);
}

/* What put_entries wrote: the blob (a view into the file, or a heap copy), returned, and
 * the entries, copied into lx->entries with their offsets checked and made pointers again
 * (one pass over them).  The blob ends with a NUL, so a string that starts in it ends in
 * it; a key ends exactly at its length. */
static char *take_entries(reader *r, voc_lexicon *lx, bool copy_blob, size_t *blob_len)
{
    *blob_len = 0;
    char *blob = copy_blob ? take_copy(r, 1, blob_len) : take_view(r, 1, blob_len);
    size_t n = 0, len = *blob_len;
    const voc_entry *file = take_view(r, sizeof *file, &n);
    if (r->failed) return blob;
    if (n >= UINT32_MAX || (n && (!len || blob[len - 1] != '\0'))) {
        r->failed = 1;
        return blob;
    }
    lx->entries = malloc(sizeof *lx->entries * (n ? n : 1));
    if (!lx->entries) {
        r->failed = 1;
        return blob;
    }
    lx->n_entries = lx->cap_entries = n;
    for (size_t i = 0; i < n; i++) {
        voc_entry e = file[i];
        uintptr_t t, k;
        memcpy(&t, (const char *)&file[i] + offsetof(voc_entry, term), sizeof t);
        memcpy(&k, (const char *)&file[i] + offsetof(voc_entry, key), sizeof k);
        if (t >= len || k >= len || e.key_len >= len - k || blob[k + e.key_len] != '\0') {
            r->failed = 1;
            break;
        }
        e.term = blob + t;
        e.key = blob + k;
        lx->entries[i] = e;
    }
    return blob;
}

bool voc__cache_take_lexicon(voc_cache_reader *r, voc_lexicon *lx)
{
    size_t blob_len = 0;
    voc__lexicon_init(lx);
    char *blob = take_entries(r, lx, true, &blob_len);
    lx->slots = take_copy(r, sizeof *lx->slots, &lx->n_slots);
    take_exact(r, lx->filter, sizeof lx->filter);
    lx->arena_blocks = malloc(sizeof *lx->arena_blocks);
    if (!lx->arena_blocks) r->failed = 1;
    if (!r->failed && !lx->n_slots) { /* never filled: no table (voc__lexicon_find says no) */
        free(lx->slots);
        lx->slots = NULL;
    }
    if (!r->failed && (lx->n_slots & (lx->n_slots - 1) || (lx->n_slots && lx->n_entries >= lx->n_slots) ||
                       (!lx->n_slots && lx->n_entries)))
        r->failed = 1;
    if (!r->failed && lx->n_slots && !voc__cache_slots_valid(lx->slots, lx->n_slots, lx->n_entries)) r->failed = 1;
    if (r->failed) {
        free(blob);
        free(lx->arena_blocks);
        lx->arena_blocks = NULL;
        voc__lexicon_free(lx);
        return false;
    }
    lx->arena_blocks[0] = blob;
    lx->n_arena_blocks = lx->cap_arena_blocks = 1;
    lx->arena_used = lx->arena_cap = blob_len;
    return true;
}

/* Forget the tables that point into the mapped file (they are not the heap's to free). */
static void disown(voc_analyzer *a)
{
    const char *lo = a->cache_map, *hi = lo + a->cache_map_len;
#define DISOWN(ptr)                                                                      \
    do {                                                                                 \
        if ((const char *)(ptr) >= lo && (const char *)(ptr) < hi) (ptr) = NULL;         \
    } while (0)
    voc_lexicon *lx = &a->lexicon;
    voc_handict *d = &a->handict;
    DISOWN(lx->slots);
    for (size_t i = 0; i < lx->n_arena_blocks; i++) DISOWN(lx->arena_blocks[i]);
    DISOWN(d->keys);
    DISOWN(d->vals);
    DISOWN(d->node_cost);
    DISOWN(d->node_lexicon);
    DISOWN(a->stem_strings);
    DISOWN(a->stem_slots);
    memset(&a->pattern_literals, 0, sizeof a->pattern_literals); /* views, all of them */
    for (int m = 0; m < VOC_N_MODELS; m++) {
        DISOWN(a->models[m].slots);
        DISOWN(a->models[m].names);
    }
#undef DISOWN
}

void voc__cache_unmap(voc_analyzer *a)
{
    if (!a->cache_map) return;
    disown(a);
    munmap(a->cache_map, a->cache_map_len);
    a->cache_map = NULL;
    a->cache_map_len = 0;
}

bool voc__cache_load(voc_analyzer *a, uint64_t key)
{
    char path[4096];
    if (!voc__cache_path(key, path, sizeof path)) return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st;
    void *map = MAP_FAILED;
    if (fstat(fd, &st) == 0 && st.st_size > HEADER && st.st_size < (off_t)1 << 30) {
        int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
        flags |= MAP_POPULATE; /* every page is read below: map them all in one go */
#endif
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, flags, fd, 0);
    }
    close(fd);
    if (map == MAP_FAILED) return false;
    const unsigned char *file = map;
    uint64_t fkey, layout, sum;
    memcpy(&fkey, file + 8, 8);
    memcpy(&layout, file + 16, 8);
    memcpy(&sum, file + 24, 8);
    if (memcmp(file, CACHE_MAGIC, 8) || fkey != key || layout != voc__cache_layout() ||
        sum != voc__cache_checksum(file + HEADER, (size_t)st.st_size - HEADER)) {
        munmap(map, (size_t)st.st_size);
        return false;
    }
    a->cache_map = map;
    a->cache_map_len = (size_t)st.st_size;
    utimensat(AT_FDCWD, path, NULL, 0); /* used now: pruning keeps the files in use */
    reader r = {file + HEADER, (size_t)st.st_size - HEADER, 0};
    voc_lexicon *lx = &a->lexicon;
    voc_handict *d = &a->handict;
    size_t blob_len = 0, n = 0;
    char *blob = take_entries(&r, lx, false, &blob_len);
    lx->slots = take_view(&r, sizeof *lx->slots, &lx->n_slots);
    uint64_t scalars[6] = {0};
    take_exact(&r, scalars, sizeof scalars);
    d->keys = take_view(&r, sizeof *d->keys, &d->n_slots);
    d->vals = take_view(&r, sizeof *d->vals, &n);
    if (n != d->n_slots) r.failed = 1;
    d->node_cost = take_view(&r, sizeof *d->node_cost, &d->n_nodes);
    d->cap_nodes = d->n_nodes;
    d->node_lexicon = take_view(&r, 1, &n);
    if (n != d->n_nodes) r.failed = 1;
    for (int m = 0; m < VOC_N_MODELS; m++) {
        voc_model *md = &a->models[m];
        md->slots = take_view(&r, sizeof *md->slots, &md->n_slots);
        md->names = take_view(&r, 1, &md->names_len);
        if (md->n_slots & (md->n_slots - 1)) r.failed = 1;
        /* every name offset in the blob, and the blob ends with a NUL, so each name ends */
        if (md->names_len && md->names[md->names_len - 1] != '\0') r.failed = 1;
        if (!r.failed && md->n_slots && !model_slots_valid(md->slots, md->n_slots, md->names_len))
            r.failed = 1;
    }
    a->stem_strings = take_view(&r, 1, &a->stem_strings_len);
    a->stem_slots = take_view(&r, sizeof *a->stem_slots, &a->n_stem_slots);
    for (size_t i = 0; i < N_FIXED_MEMBERS; i++)
        take_exact(&r, (char *)a + fixed_members[i].offset, fixed_members[i].size);
    a->lexicon_summary[sizeof a->lexicon_summary - 1] = '\0';
    if (!r.failed && voc__flags_load(a, &r)) r.failed = 1;
    if (!r.failed && voc__patterns_take_literals(&a->pattern_literals, &r)) r.failed = 1;
    /* Nothing in the file is trusted: table sizes are powers of two, every slot names an
     * existing entry or node, every string offset lies in the blob and ends there. */
    if (!r.failed && (lx->n_slots & (lx->n_slots - 1) || d->n_slots & (d->n_slots - 1) ||
                      d->n_nodes == 0))
        r.failed = 1;
    if (!r.failed && (!voc__cache_slots_valid(lx->slots, lx->n_slots, lx->n_entries) ||
                      !values_valid(d->keys, d->vals, d->n_slots, d->n_nodes)))
        r.failed = 1;
    int stems_ok = r.failed ? 0 : voc__stem_table_check(a);
    if (stems_ok < 0) r.failed = 1;
    if (stems_ok > 0) { a->stem_slots = NULL; a->n_stem_slots = 0; } /* another stemmer's */
    if (!r.failed) { /* the blob becomes the lexicon's only arena block */
        lx->arena_blocks = malloc(sizeof *lx->arena_blocks);
        if (!lx->arena_blocks) r.failed = 1;
    }
    if (r.failed) {
        voc__flags_free(a->flags);
        a->flags = NULL;
        voc__cache_unmap(a);
        /* the stem table's counts too: its views are gone, and a build makes no stem table
         * (a file rejected after they were read left them set, and segment.c then read NULL) */
        a->stem_strings = NULL;
        a->stem_slots = NULL;
        a->stem_strings_len = a->n_stem_slots = 0;
        for (int m = 0; m < VOC_N_MODELS; m++) voc__model_free(&a->models[m]);
        voc__lexicon_free(lx);
        voc__handict_free(d);
        voc__lexicon_init(lx);
        voc__handict_init(d);
        return false;
    }
    lx->arena_blocks[0] = blob;
    lx->n_arena_blocks = lx->cap_arena_blocks = 1;
    lx->arena_used = lx->arena_cap = blob_len;
    lx->max_phrase_tokens = (int)scalars[0];
    lx->n_en = scalars[1];
    lx->n_zh = scalars[2];
    lx->n_common = scalars[3];
    lx->n_modifiers = scalars[4];
    lx->n_words = scalars[5];
    return true;
}
