/* test_cache.c — the compiled-lexicon cache (cache.c): a second analyzer loads what the
 * first wrote and analyzes exactly alike; a damaged or stale file is ignored and rebuilt. */
#define _POSIX_C_SOURCE 200809L /* setenv, mkdtemp */
#include "fixture.h"
#include "internal.h"

#include <sys/stat.h>
#include <unistd.h>

static const char *texts[] = {
    "The agent was rude and the refund never came.", "客服很親切，問題馬上解決 👍",
    "这个APP一直闪退，太差了", "Not bad at all, fast delivery :) #happy", "如果可以早點出貨就更好了",
    "I waited 2 hours on hold. CP值很低，不推", "¯\\_(ツ)_/¯ sooooo slow!!!",
    /* topic patterns: compiled at build by the first analyzer, on first use by the second */
    "Still waiting for my refund after 3 weeks", "等了兩個小時還沒送到",
    /* flag cues: from the table the first analyzer built and the second loaded */
    "Please cancel my subscription, I'm switching to another bank.", "再這樣下去我們只能換工具"};

static int to_buf(void *user, const char *data, size_t len) { return voc__buf_append(user, data, len); }

typedef struct out {
    voc_buf buf;
    voc_analyzer *a;
} out;

static int record(void *user, const voc_doc *doc, const voc_result *r)
{
    out *o = user;
    char rid[96];
    voc_record_id(doc, 1, rid, sizeof rid);
    return voc_record_write_json(o->a, doc, rid, r, to_buf, &o->buf);
}

/* All records of `texts` from analyzer a, concatenated. */
static void records(voc_analyzer *a, out *o)
{
    voc_session *s;
    voc_error err;
    o->buf.len = 0;
    o->a = a;
    CHECK_INT(voc_session_new(a, &s, &err), 0);
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        voc_doc d = {.text = texts[i], .text_len = strlen(texts[i]), .id = "x"};
        CHECK_INT(voc_analyze(s, &d, record, o, &err), 0);
        voc__buf_append(&o->buf, "\n", 1);
    }
    voc_session_free(s);
}

static voc_analyzer *build(const char *const *extra, size_t n_extra)
{
    voc_analyzer_options o = {VOCMINE_SOURCE_DIR "/lexicons", extra, n_extra, VOC_SEGMENTER_DICT, 0, NULL};
    voc_analyzer *a = NULL;
    voc_error err;
    if (voc_analyzer_new(&o, &a, &err)) {
        fprintf(stderr, "build failed: %s\n", err.message);
        test_failures++;
    }
    return a;
}

/* Write bytes[0..len) as the cache file at path, with the hash its header must carry: damage
 * made to pass the hash, for the checks of what is read. */
static void write_with_hash(const char *path, unsigned char *bytes, long len)
{
    uint64_t sum = voc__cache_checksum(bytes + 32, (size_t)len - 32);
    memcpy(bytes + 24, &sum, sizeof sum);
    FILE *cf = fopen(path, "wb");
    CHECK(cf && fwrite(bytes, 1, (size_t)len, cf) == (size_t)len);
    if (cf) fclose(cf);
}

/* voc__cache_slots_valid, vector pairs and scalar tail alike (odd and even lengths). */
static void slot_checks(void)
{
    for (size_t n = 5; n <= 6; n++) {
        uint64_t slots[6] = {0, 0xABCD00000001ull, 0, 0x1234000000000003ull, 0, 0};
        CHECK(voc__cache_slots_valid(slots, n, 3));
        CHECK(!voc__cache_slots_valid(slots, n, 2)); /* index 3 of 2 entries */
        for (size_t k = 0; k < n; k++) {
            uint64_t keep = slots[k];
            slots[k] = 0x77770000ull << 16; /* hash bits, index 0 */
            CHECK(!voc__cache_slots_valid(slots, n, 3));
            slots[k] = 4; /* past the entries */
            CHECK(!voc__cache_slots_valid(slots, n, 3));
            slots[k] = keep;
        }
        uint64_t full[6] = {1, 2, 3, 1, 2, 3};
        CHECK(!voc__cache_slots_valid(full, n, 3)); /* no empty slot: a probe would not end */
    }
    uint64_t none[1] = {0};
    CHECK(voc__cache_slots_valid(none, 1, 0));
    CHECK(!voc__cache_slots_valid(none, 0, 0));
}

int main(void)
{
    slot_checks();
    char dir[256];
    snprintf(dir, sizeof dir, "%s/vocmine-cache-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    setenv("VOCMINE_CACHE_DIR", dir, 1);

    voc_analyzer *built = build(NULL, 0);
    voc_analyzer *loaded = build(NULL, 0);
    if (!built || !loaded) return test_exit_status("test_cache");
    CHECK(!built->from_cache);
    CHECK(loaded->from_cache);
    CHECK_STR(loaded->lexicon_summary, built->lexicon_summary);
    CHECK_INT(loaded->lexicon.n_entries, built->lexicon.n_entries);
    CHECK_INT(loaded->handict.n_nodes, built->handict.n_nodes);
    CHECK(!memcmp(loaded->phrase_pairs, built->phrase_pairs, sizeof built->phrase_pairs));
    out a = {{0}, NULL}, b = {{0}, NULL};
    records(built, &a);
    records(loaded, &b);
    CHECK(a.buf.len > 0 && a.buf.len == b.buf.len && !memcmp(a.buf.data, b.buf.data, a.buf.len));
    CHECK(b.buf.data && strstr(b.buf.data, "\"wait_time\"")); /* the patterns did run */
    /* their literals come from the file: the same as read off the sources, and used */
    CHECK(loaded->pattern_literals.n_pats == voc__patterns_count(loaded->patterns));
    CHECK(loaded->pattern_literals.n_starts > 0 && loaded->pattern_literals.n_req > 0);
    CHECK(voc__patterns_same_literals(built->patterns, loaded->patterns));
    /* the flag cues' table comes from the file too, the same */
    CHECK(built->flags && loaded->flags);
    CHECK_INT(voc__flags_count(loaded->flags), voc__flags_count(built->flags));
    {
        const char *f1, *f2;
        CHECK_INT(voc__flags_collisions(loaded->flags, &f1), voc__flags_collisions(built->flags, &f2));
        CHECK_STR(f1, f2);
    }
    CHECK(voc__flags_same_links(loaded->flags, built->flags)); /* its link to the lexicon too */
    CHECK(strstr(a.buf.data, "\"churn_risk\"") != NULL); /* a text above has a flag */

    /* a stem table without an empty slot is refused (a lookup of an unknown word would
     * probe forever), and so is one whose offsets point past its strings */
    if (loaded && loaded->n_stem_slots) {
        uint64_t *orig = (uint64_t *)loaded->stem_slots, first = 0;
        uint64_t *full = malloc(sizeof *full * loaded->n_stem_slots);
        CHECK(full != NULL);
        if (full) {
            CHECK_INT(voc__stem_table_check(loaded), 0);
            for (size_t i = 0; i < loaded->n_stem_slots && !first; i++) first = orig[i];
            for (size_t i = 0; i < loaded->n_stem_slots; i++) full[i] = orig[i] ? orig[i] : first;
            loaded->stem_slots = full;
            CHECK_INT(voc__stem_table_check(loaded), -1);
            memcpy(full, orig, sizeof *full * loaded->n_stem_slots);
            for (size_t i = 0; i < loaded->n_stem_slots; i++)
                if (full[i]) { full[i] = (full[i] & ~(uint64_t)UINT32_MAX) | (uint64_t)(loaded->stem_strings_len + 5); break; }
            CHECK_INT(voc__stem_table_check(loaded), -1);
            loaded->stem_slots = orig;
            free(full);
        }
    } else {
        CHECK(loaded && loaded->n_stem_slots); /* the cache carries the stems */
    }

    /* a damaged file is ignored: the analyzer is built, and the file rewritten */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "for f in '%s'/analyzer-*.bin; do head -c 100000 \"$f\" > \"$f.x\" && mv \"$f.x\" \"$f\"; done", dir);
    CHECK_INT(system(cmd), 0);
    voc_analyzer *damaged = build(NULL, 0);
    CHECK(damaged && !damaged->from_cache);
    out c = {{0}, NULL};
    if (damaged) records(damaged, &c);
    CHECK(c.buf.len == a.buf.len && !memcmp(c.buf.data, a.buf.data, a.buf.len));
    voc_analyzer *again = build(NULL, 0);
    CHECK(again && again->from_cache);
    /* one flipped bit anywhere in the contents is caught by the hash in the header */
    {
        char path[4096];
        uint64_t key = voc__cache_layout(); /* as voc_analyzer_new makes it */
        voc__patterns_fingerprint(&key);
        voc__lexicon_fingerprint(VOCMINE_SOURCE_DIR "/lexicons", &key);
        CHECK(voc__cache_path(key, path, sizeof path));
        FILE *cf = fopen(path, "r+b");
        CHECK(cf != NULL);
        if (cf) {
            fseek(cf, 500000, SEEK_SET);
            int byte = fgetc(cf);
            fseek(cf, 500000, SEEK_SET);
            fputc(byte ^ 1, cf);
            fclose(cf);
        }
    }
    voc_analyzer *flipped = build(NULL, 0);
    CHECK(flipped && !flipped->from_cache);

    /* damage behind a valid hash (a file of another build, or one made to pass it) is caught
     * by the checks of what is read, or loads harmlessly: never a crash (the sanitizer build
     * runs this too).  Cut short, and bytes changed in the flag cues' table (the last part). */
    {
        char path[4096];
        uint64_t key = voc__cache_layout();
        voc__patterns_fingerprint(&key);
        voc__lexicon_fingerprint(VOCMINE_SOURCE_DIR "/lexicons", &key);
        CHECK(voc__cache_path(key, path, sizeof path));
        FILE *cf = fopen(path, "rb");
        CHECK(cf != NULL);
        unsigned char *good = NULL;
        long size = 0;
        if (cf) {
            fseek(cf, 0, SEEK_END);
            size = ftell(cf);
            fseek(cf, 0, SEEK_SET);
            good = malloc((size_t)size);
            CHECK(good && fread(good, 1, (size_t)size, cf) == (size_t)size);
            fclose(cf);
        }
        /* 0: short by 8 bytes, 1: by 100,000; then one byte changed at each of these */
        static const long from_end[] = {8, 100000, 12, 300, 5000, 30000, 90000, 200000, 410000, 600000, 790000};
        CHECK(size > 800000); /* the damage below reaches into the file's last 790,000 bytes */
        for (size_t k = 0; good && size > 800000 && k < sizeof from_end / sizeof *from_end; k++) {
            unsigned char *bad = malloc((size_t)size);
            memcpy(bad, good, (size_t)size);
            long len = size;
            if (k < 2) len -= from_end[k];
            else bad[size - from_end[k]] ^= (unsigned char)(0x41 + k);
            write_with_hash(path, bad, len);
            free(bad);
            voc_analyzer *x = build(NULL, 0);
            CHECK(x != NULL);
            if (k < 2 && x) CHECK(!x->from_cache);
            out o = {{0}, NULL};
            if (x) records(x, &o);
            if (x && !x->from_cache) CHECK(o.buf.len == a.buf.len && !memcmp(o.buf.data, a.buf.data, a.buf.len));
            voc__buf_free(&o.buf);
            voc_analyzer_free(x);
        }
        /* the topic patterns' literals are the last section, and its last array holds three
         * uint32 per pattern (required range, bits): a range past the required literals or
         * bits no build writes are refused, and the analyzer is built */
        size_t pats_len = 12 * voc__patterns_count(built->patterns);
        long pats = size - (long)(pats_len + (8 - pats_len % 8) % 8); /* the array's first byte */
        uint64_t stored_len = 0;
        if (good && pats > 8) memcpy(&stored_len, good + pats - 8, sizeof stored_len);
        CHECK_INT(stored_len, pats_len); /* found where it is */
        static const struct { long at; uint32_t value; } lies[] = {{4, 0xFFFFFFFFu}, {8, 0x80u}};
        for (size_t k = 0; good && stored_len == pats_len && k < sizeof lies / sizeof *lies; k++) {
            unsigned char *bad = malloc((size_t)size);
            memcpy(bad, good, (size_t)size);
            memcpy(bad + pats + lies[k].at, &lies[k].value, sizeof lies[k].value);
            write_with_hash(path, bad, size);
            free(bad);
            voc_analyzer *x = build(NULL, 0);
            CHECK(x && !x->from_cache);
            out o = {{0}, NULL};
            if (x) records(x, &o);
            CHECK(o.buf.len == a.buf.len && !memcmp(o.buf.data, a.buf.data, a.buf.len));
            voc__buf_free(&o.buf);
            voc_analyzer_free(x);
        }
        free(good);
    }

    /* a user lexicon is part of the key; changing it gives another file */
    char user[300], file[400];
    snprintf(user, sizeof user, "%s/user", dir);
    snprintf(file, sizeof file, "%s/en", user);
    mkdir(user, 0700);
    mkdir(file, 0700);
    snprintf(file, sizeof file, "%s/en/extra.tsv", user);
    FILE *f = fopen(file, "w");
    fputs("term\tvalence\ttags\nflimsy\t-1.5\t-\n", f);
    fclose(f);
    const char *extra[] = {user};
    voc_analyzer *u1 = build(extra, 1);
    voc_analyzer *u2 = build(extra, 1);
    CHECK(u1 && !u1->from_cache && u2 && u2->from_cache);
    if (u2) CHECK(voc__lexicon_find(&u2->lexicon, "flimsy", 6) != NULL);
    f = fopen(file, "w"); /* a changed file (size differs): rebuilt, and the change is seen */
    fputs("term\tvalence\ttags\nflimsy\t-1.5\t-\nwobbly\t-1.2\t-\n", f);
    fclose(f);
    voc_analyzer *u3 = build(extra, 1);
    CHECK(u3 && !u3->from_cache);
    if (u3) CHECK(voc__lexicon_find(&u3->lexicon, "wobbly", 6) != NULL);

    /* the directory does not grow without bound: 20 stale files (old modification times)
     * and a new build leave the 16 most recently used, the ones in use among them */
    snprintf(cmd, sizeof cmd,
             "for i in $(seq 20); do touch -d '2020-01-01 00:00' '%s'/analyzer-stale$i.bin; done", dir);
    CHECK_INT(system(cmd), 0);
    f = fopen(file, "w"); /* one more change: a new file is written, the stale ones pruned */
    fputs("term\tvalence\ttags\nflimsy\t-1.5\t-\nwobbly\t-1.2\t-\nrickety\t-1.4\t-\n", f);
    fclose(f);
    voc_analyzer *u4 = build(extra, 1);
    CHECK(u4 && !u4->from_cache);
    snprintf(cmd, sizeof cmd, "test $(ls '%s' | grep -c '^analyzer-.*\\.bin$') -eq 16", dir);
    CHECK_INT(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "test $(ls '%s' | grep -c '^analyzer-stale') -eq 12", dir);
    CHECK_INT(system(cmd), 0); /* 4 real files (built, user x3) kept, 16 - 4 stale ones */
    voc_analyzer *u5 = build(extra, 1);
    CHECK(u5 && u5->from_cache); /* the newest is never the one pruned */
    voc_analyzer_free(u4);
    voc_analyzer_free(u5);

    /* VOCMINE_CACHE_DIR=off: never loaded */
    setenv("VOCMINE_CACHE_DIR", "off", 1);
    voc_analyzer *off = build(NULL, 0);
    CHECK(off && !off->from_cache);

    voc_analyzer *all[] = {built, loaded, damaged, again, flipped, u1, u2, u3, off};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) voc_analyzer_free(all[i]);
    voc__buf_free(&a.buf);
    voc__buf_free(&b.buf);
    voc__buf_free(&c.buf);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return test_exit_status("test_cache");
}
