/* lexicon.c — loading the TSV lexicons and the hash table the scorer looks terms up in.
 *
 * Reading (voc__lexicon_read_dir) turns files into rows, checking every line: the header
 * names the file's kind (sentiment, modifiers, words), numbers must parse and lie in range,
 * tags and modifier kinds must be known; any problem is an error naming file and line.
 * Keying (voc__lexicon_build, in analyzer.c's order) runs each term through the same
 * tokenizer as the text, so a term's key is its tokens' norms joined by spaces ("can't
 * complain" → "can not complain", "ＣＰ值" → "cp值") and matching is exact token sequences.
 *
 * The table is open addressing over an entries array, keys and terms live in an arena that
 * is never moved (blocks), so entry pointers stay valid for the analyzer's life. */
#include "internal.h"

#include <dirent.h>
#include <sys/stat.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const voc__emotion_ids[] = {"delight", "gratitude", "trust", "dismay",
                                        "anger", "frustration", "anxiety", "confusion"};
const size_t voc__n_emotion_ids = sizeof voc__emotion_ids / sizeof *voc__emotion_ids;
const char *const voc__topic_ids[] = {
    "billing", "pricing", "delivery", "product_quality", "customer_service",
    "wait_time", "website_app", "account_login", "refund_return", "cancellation",
    "booking_checkout", "promotions", "environment", "privacy_security", "reliability"};
const size_t voc__n_topic_ids = sizeof voc__topic_ids / sizeof *voc__topic_ids;

static const char *const mod_kind_names[] = {"", "negator", "intensifier", "diminisher",
                                             "contrast", "concessive", "irrealis",
                                             "question", "politeness", "sarcasm", "courtesy",
                                             "consolation", "opener", "change", "balance", "info"};
/* the names are indexed by enum voc_mod_kind: a kind added to one must be added to both */
_Static_assert(sizeof mod_kind_names / sizeof *mod_kind_names == VOC_MOD_N_KINDS,
               "mod_kind_names: one name per enum voc_mod_kind, in its order");

/* ---- the table ------------------------------------------------------------------------ */

void voc__lexicon_init(voc_lexicon *lx)
{
    memset(lx, 0, sizeof *lx);
}

void voc__lexicon_free(voc_lexicon *lx)
{
    for (size_t i = 0; i < lx->n_arena_blocks; i++) free(lx->arena_blocks[i]);
    free(lx->arena_blocks);
    free(lx->entries);
    free(lx->slots);
    memset(lx, 0, sizeof *lx);
}

char *voc__lexicon_strdup(voc_lexicon *lx, const char *s, size_t len)
{
    if (lx->arena_used + len + 1 > lx->arena_cap || !lx->n_arena_blocks) {
        size_t cap = len + 1 > 65536 ? len + 1 : 65536;
        if (voc__grow((void **)&lx->arena_blocks, &lx->cap_arena_blocks,
                      lx->n_arena_blocks + 1, sizeof(char *)))
            return NULL;
        char *blk = malloc(cap);
        if (!blk) return NULL;
        lx->arena_blocks[lx->n_arena_blocks++] = blk;
        lx->arena_used = 0;
        lx->arena_cap = cap;
    }
    char *p = lx->arena_blocks[lx->n_arena_blocks - 1] + lx->arena_used;
    memcpy(p, s, len);
    p[len] = '\0';
    lx->arena_used += len + 1;
    return p;
}

/* Slots hold the entry index + 1 in the low 32 bits and 32 bits of the key's hash in the
 * high ones, so a probe compares hashes before touching the entry (one cache miss less).
 * voc__lexicon_find (internal.h) has checked the filter. */
const voc_entry *voc__lexicon_probe(const voc_lexicon *lx, const char *key, size_t len)
{
    uint64_t h = voc__hash(key, len);
    uint64_t tag = h >> 32;
    size_t mask = lx->n_slots - 1, i = (size_t)h & mask;
    for (;;) {
        uint64_t slot = lx->slots[i];
        if (!slot) return NULL;
        if ((slot >> 32) == tag) {
            const voc_entry *en = &lx->entries[(uint32_t)slot - 1];
            if (en->key_len == len && memcmp(en->key, key, len) == 0) return en;
        }
        i = (i + 1) & mask;
    }
}

/* Every key of two tokens or more holds a space between its tokens' norms (a norm may hold
 * one too: "nt$ 1,299"), so each space of each key is a split a two-token lookup may write:
 * "can not complain" files (can, not complain) and (can not, complain), the prefix entry
 * "can not" files (can, not).  Filing every split, not only those the tokenizer makes, keeps
 * the filter a superset of what voc__phrases can find (and, over the flags table, of what
 * flags.c's match_at can).  19,000 keys: 1.2 M instructions, so the filters are made when
 * the tables are built and kept in the cache file. */
void voc__lexicon_phrase_pairs(const voc_lexicon *lx, uint64_t *bits)
{
    memset(bits, 0, VOC_PHRASE_PAIR_WORDS * sizeof *bits);
    for (size_t i = 0; i < lx->n_entries; i++) {
        const char *k = lx->entries[i].key, *end = k + lx->entries[i].key_len;
        for (const char *sp = memchr(k, ' ', lx->entries[i].key_len); sp;
             sp = memchr(sp + 1, ' ', (size_t)(end - sp - 1))) {
            uint32_t bit = voc__phrase_pair_bit(k, (size_t)(sp - k), sp + 1, (size_t)(end - sp - 1));
            bits[bit >> 6] |= 1ULL << (bit & 63);
        }
    }
}

static uint64_t make_slot(uint64_t h, size_t index)
{
    return (h >> 32 << 32) | (uint64_t)(uint32_t)(index + 1);
}

static int rehash(voc_lexicon *lx, size_t n_slots)
{
    uint64_t *slots = calloc(n_slots, sizeof *slots);
    if (!slots) return VOC_ENOMEM;
    for (size_t k = 0; k < lx->n_entries; k++) {
        uint64_t h = voc__hash(lx->entries[k].key, lx->entries[k].key_len);
        size_t i = (size_t)h & (n_slots - 1);
        while (slots[i]) i = (i + 1) & (n_slots - 1);
        slots[i] = make_slot(h, k);
    }
    free(lx->slots);
    lx->slots = slots;
    lx->n_slots = n_slots;
    return VOC_OK;
}

voc_entry *voc__lexicon_upsert(voc_lexicon *lx, const char *key, size_t len, bool *created,
                               int *rc)
{
    *rc = VOC_OK;
    *created = false;
    const voc_entry *found = voc__lexicon_find(lx, key, len);
    if (found) return (voc_entry *)found;
    if ((lx->n_entries + 1) * 3 > lx->n_slots &&
        (*rc = rehash(lx, lx->n_slots ? lx->n_slots * 2 : 4096)))
        return NULL;
    if ((*rc = voc__grow((void **)&lx->entries, &lx->cap_entries, lx->n_entries + 1,
                         sizeof *lx->entries)))
        return NULL;
    char *k = voc__lexicon_strdup(lx, key, len);
    if (!k) { *rc = VOC_ENOMEM; return NULL; }
    voc_entry *e = &lx->entries[lx->n_entries];
    memset(e, 0, sizeof *e);
    e->key = k;
    e->key_len = (uint32_t)len;
    e->term = k;
    uint64_t h = voc__hash(key, len);
    size_t i = (size_t)h & (lx->n_slots - 1);
    while (lx->slots[i]) i = (i + 1) & (lx->n_slots - 1);
    lx->slots[i] = make_slot(h, lx->n_entries);
    if (len) {
        uint32_t fb = voc__lexicon_filter_bit(key, len);
        voc__bit_set(lx->filter, fb);
    }
    lx->n_entries++;
    *created = true;
    return e;
}

/* ---- reading TSV ---------------------------------------------------------------------- */

void voc__lexrows_free(voc_lexrows *rows)
{
    for (size_t i = 0; i < rows->n_bufs; i++) {
        free(rows->bufs[i]);
        free(rows->files[i]);
    }
    free(rows->bufs);
    free(rows->files);
    free(rows->rows);
    memset(rows, 0, sizeof *rows);
}

static int parse_number(const char *s, float lo, float hi, float *out)
{
    /* the common forms (-2.3, 0, 1.5, 6423) by hand: strtod was a tenth of start-up */
    const char *p = s;
    bool neg = *p == '-';
    if (neg) p++;
    if (*p >= '0' && *p <= '9') {
        double v = 0, scale = 1;
        int digits = 0;
        while (*p >= '0' && *p <= '9' && digits < 15) { v = v * 10 + (*p++ - '0'); digits++; }
        if (*p == '.') {
            p++;
            while (*p >= '0' && *p <= '9' && digits < 15) { v = v * 10 + (*p++ - '0'); scale *= 10; digits++; }
        }
        if (*p == '\0' && digits < 15) {
            v = (neg ? -v : v) / scale;
            if (v < lo || v > hi) return -1;
            *out = (float)v;
            return 0;
        }
    }
    char *end; /* anything else (exponents, long digit strings): the C library decides */
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v < lo || v > hi) return -1;
    *out = (float)v;
    return 0;
}

static int parse_tags(char *s, uint32_t *emo, uint32_t *top, const char **bad)
{
    *emo = *top = 0;
    if (strcmp(s, "-") == 0 || !*s) return 0;
    for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
        const char *const *ids;
        size_t n;
        uint32_t *bits;
        if (strncmp(tok, "emotion:", 8) == 0) { ids = voc__emotion_ids; n = voc__n_emotion_ids; bits = emo; tok += 8; }
        else if (strncmp(tok, "topic:", 6) == 0) { ids = voc__topic_ids; n = voc__n_topic_ids; bits = top; tok += 6; }
        else { *bad = tok; return -1; }
        size_t i = 0;
        while (i < n && strcmp(ids[i], tok) != 0) i++;
        if (i == n) { *bad = tok; return -1; }
        *bits |= 1u << i;
    }
    return 0;
}

/* The header line of each file kind, and its columns. */
static const struct file_kind_header {
    int kind;
    int n_cols;
    const char *cols[4];
} headers[] = {
    {VOC_FILE_SENTIMENT, 3, {"term", "valence", "tags"}},
    {VOC_FILE_MODIFIER, 3, {"term", "kind", "weight"}},
    {VOC_FILE_WORDS, 2, {"word", "count"}},
    {VOC_FILE_NGRAMS, 4, {"feature", "negative", "neutral", "positive"}},
    {VOC_FILE_TOPIC_TERMS, 3, {"term", "topics", "weight"}},
    {VOC_FILE_TAXONOMY, 3, {"topic", "parent", "description"}},
    {VOC_FILE_TOPIC_PATTERNS, 4, {"name", "topics", "weight", "pattern"}},
    {VOC_FILE_FLAGS, 4, {"term", "flag", "cue", "severity"}},
};
#define N_HEADERS (sizeof headers / sizeof *headers)

static int header_kind(char **cols, int nc)
{
    for (size_t h = 0; h < N_HEADERS; h++) {
        if (headers[h].n_cols != nc) continue;
        int k = 0;
        while (k < nc && !strcmp(cols[k], headers[h].cols[k])) k++;
        if (k == nc) return headers[h].kind;
    }
    return -1;
}

/* lower_snake_case ids (topics, pattern names): [a-z0-9_]+ starting with a letter */
static bool is_id(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z')) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return false;
    return true;
}

/* "billing,refund_return": comma-separated ids (checked against the taxonomy later). */
static bool is_id_list(const char *s)
{
    char buf[64];
    while (*s) {
        size_t n = strcspn(s, ",");
        if (n == 0 || n >= sizeof buf) return false;
        memcpy(buf, s, n);
        buf[n] = '\0';
        if (!is_id(buf)) return false;
        s += n + (s[n] == ',');
    }
    return true;
}

/* Check the columns of one data line of a file of `kind` and fill `row`; returns VOC_OK or
 * an error naming file and line. */
static int parse_row(int kind, char **cols, char *line, const char *path, size_t lineno,
                     voc_lexrow *row, voc_error *err)
{
#define BAD(col, ...) voc__fail(err, VOC_ELEXICON, path, lineno, (size_t)(cols[col] - line), __VA_ARGS__)
    if (kind == VOC_FILE_SENTIMENT) {
        const char *bad = NULL;
        if (parse_number(cols[1], -4, 4, &row->a))
            return BAD(1, "valence '%s' is not a number in [-4, 4]", cols[1]);
        if (parse_tags(cols[2], &row->emotion_tags, &row->topic_tags, &bad))
            return BAD(2, "unknown tag '%s' (want emotion:ID or topic:ID from design.md)", bad);
    } else if (kind == VOC_FILE_MODIFIER) {
        size_t k = 1;
        while (k < sizeof mod_kind_names / sizeof *mod_kind_names && strcmp(mod_kind_names[k], cols[1])) k++;
        if (k == sizeof mod_kind_names / sizeof *mod_kind_names)
            return BAD(1, "unknown modifier kind '%s'", cols[1]);
        row->mod_kind = (uint8_t)k;
        if (parse_number(cols[2], -4, 4, &row->b))
            return BAD(2, "weight '%s' is not a number in [-4, 4]", cols[2]);
        if (k == VOC_MOD_CHANGE && row->b != 1 && row->b != -1)
            return BAD(2, "a change's weight is 1 (rising) or -1 (falling), not '%s'", cols[2]);
    } else if (kind == VOC_FILE_WORDS) {
        if (parse_number(cols[1], 0, 1e12f, &row->a))
            return BAD(1, "count '%s' is not a non-negative number", cols[1]);
    } else if (kind == VOC_FILE_NGRAMS) {
        for (int c = 0; c < 3; c++)
            if (parse_number(cols[1 + c], -100, 100, &row->w[c]))
                return BAD(1 + c, "weight '%s' is not a number in [-100, 100]", cols[1 + c]);
    } else if (kind == VOC_FILE_TOPIC_TERMS || kind == VOC_FILE_TOPIC_PATTERNS) {
        if (kind == VOC_FILE_TOPIC_PATTERNS && !is_id(cols[0]))
            return BAD(0, "pattern name '%s' is not a lower_snake_case id", cols[0]);
        if (!is_id_list(cols[1]))
            return BAD(1, "topics '%s' is not a comma-separated list of topic ids", cols[1]);
        if (parse_number(cols[2], 0, 1, &row->a) || row->a <= 0)
            return BAD(2, "weight '%s' is not a number in (0, 1]", cols[2]);
        row->text1 = cols[1];
        if (kind == VOC_FILE_TOPIC_PATTERNS) {
            if (!*cols[3]) return BAD(3, "empty pattern");
            row->text2 = cols[3];
        }
    } else if (kind == VOC_FILE_FLAGS) {
        int col = 1;
        const char *why = voc__flag_row_check(cols[1], cols[2], cols[3], &row->a, &col);
        if (why) return BAD(col, "'%s': %s", cols[col], why);
        row->text1 = cols[1];
        row->text2 = cols[2];
    } else if (kind == VOC_FILE_TAXONOMY) {
        if (!is_id(cols[0])) return BAD(0, "topic id '%s' is not a lower_snake_case id", cols[0]);
        if (strcmp(cols[1], "-") && !is_id(cols[1]))
            return BAD(1, "parent '%s' is neither '-' nor a topic id", cols[1]);
        row->text1 = cols[1];
        row->text2 = cols[2];
    }
    return VOC_OK;
#undef BAD
}

/* Does buf[0..size) (a file's first bytes; at_eof: all of it) hold a complete, valid header
 * line of a kind that is not in `kinds`?  Then the rest of the file is not needed: the
 * parse below stops at such a header.  Anything else (no complete header yet, a byte order
 * mark, a bad or unknown header) says no, and the whole file is read and parsed. */
static bool unwanted_kind(const char *buf, size_t size, bool at_eof, unsigned kinds)
{
    if (size >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) return false;
    for (const char *line = buf; line < buf + size;) {
        const char *nl = memchr(line, '\n', (size_t)(buf + size - line));
        if (!nl && !at_eof) return false; /* the line goes on past what was read */
        size_t n = nl ? (size_t)(nl - line) : (size_t)(buf + size - line);
        const char *next = line + n + 1;
        if (n > 0 && line[n - 1] == '\r') n--;
        if (n == 0 || line[0] == '#') { line = next; continue; }
        char copy[256];
        if (n >= sizeof copy || memchr(line, '\0', n) || !voc__utf8_valid(line, n)) return false;
        memcpy(copy, line, n);
        copy[n] = '\0';
        char *cols[5] = {0};
        int nc = 0;
        for (char *p = copy; nc < 5;) { /* split as voc__lexicon_read_file does */
            cols[nc++] = p;
            char *tab = strchr(p, '\t');
            if (!tab) break;
            *tab = '\0';
            p = tab + 1;
        }
        int kind = header_kind(cols, nc);
        return kind >= 0 && !(kinds & (1u << kind));
    }
    return false;
}

int voc__lexicon_read_file(const char *path, int lang, unsigned kinds, voc_lexrows *rows,
                           voc_error *err)
{
    /* The whole file is read at once and parsed in place: terms point into the buffer,
     * which the rows keep (one read and no allocation per line: start-up matters); a file
     * this pass does not want is read only as far as its header. */
    FILE *f = fopen(path, "rb");
    if (!f) return voc__fail(err, VOC_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    char *buf = NULL;
    size_t size = 0, cap = 0;
    for (;;) {
        /* the first read is small: it is all a file of an unwanted kind needs (below), and
         * 128 KB of each of the 1 MB n-gram files was read and copied only to be dropped */
        size_t want = size ? 65536 : 4096;
        if (voc__grow((void **)&buf, &cap, size + want + 1, 1)) {
            free(buf);
            fclose(f);
            return voc__fail(err, VOC_ENOMEM, path, 0, 0, "out of memory");
        }
        size_t got = fread(buf + size, 1, size ? cap - size - 1 : want, f);
        size += got;
        if (got == 0) break;
        /* a file of a kind this pass does not want (the n-gram weights, when only the topic
         * files are read beside the cache): its header is enough */
        if (size == got && unwanted_kind(buf, size, feof(f), kinds)) break;
    }
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        free(buf);
        return voc__fail(err, VOC_EIO, path, 0, 0, "read error");
    }
    buf[size] = '\0';
    char *path_copy = voc__strndup(path, strlen(path));
    if (!path_copy || rows->n_bufs >= UINT16_MAX ||
        voc__grow((void **)&rows->bufs, &rows->cap_bufs, rows->n_bufs + 1, sizeof *rows->bufs) ||
        voc__grow((void **)&rows->files, &rows->cap_files, rows->n_bufs + 1, sizeof *rows->files)) {
        free(buf);
        free(path_copy);
        return voc__fail(err, VOC_ENOMEM, path, 0, 0, "out of memory");
    }
    uint16_t file_index = (uint16_t)rows->n_bufs;
    rows->files[rows->n_bufs] = path_copy;
    rows->bufs[rows->n_bufs++] = buf;
    size_t lineno = 0;
    int kind = -1, rc = VOC_OK;
    for (char *next = buf; next < buf + size;) {
        char *line = next, *nl = memchr(line, '\n', (size_t)(buf + size - line));
        size_t n = nl ? (size_t)(nl - line) : (size_t)(buf + size - line);
        next = line + n + 1;
        line[n] = '\0';
        lineno++;
        if (n > 0 && line[n - 1] == '\r') line[--n] = '\0';
        if (lineno == 1 && n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
            rc = voc__fail(err, VOC_ELEXICON, path, lineno, 0, "byte order mark not allowed");
            break;
        }
        if (n == 0 || line[0] == '#') continue;
        char *nul = memchr(line, '\0', n);
        if (nul) {
            rc = voc__fail(err, VOC_ELEXICON, path, lineno, (size_t)(nul - line), "NUL byte in line");
            break;
        }
        if (!voc__utf8_valid(line, (size_t)n)) {
            rc = voc__fail(err, VOC_ELEXICON, path, lineno, 0, "invalid UTF-8");
            break;
        }
        char *cols[5] = {0};
        int nc = 0;
        for (char *p = line; nc < 5;) {
            cols[nc++] = p;
            char *tab = strchr(p, '\t');
            if (!tab) break;
            *tab = '\0';
            p = tab + 1;
        }
        if (kind < 0) { /* header */
            kind = header_kind(cols, nc);
            if (kind < 0) {
                rc = voc__fail(err, VOC_ELEXICON, path, lineno, 0,
                               "unknown header: expected one of 'term<TAB>valence<TAB>tags', "
                               "'term<TAB>kind<TAB>weight', 'word<TAB>count', "
                               "'feature<TAB>negative<TAB>neutral<TAB>positive', "
                               "'term<TAB>topics<TAB>weight', 'topic<TAB>parent<TAB>description', "
                               "'name<TAB>topics<TAB>weight<TAB>pattern', "
                               "'term<TAB>flag<TAB>cue<TAB>severity' (lexicons/README.md)");
                break;
            }
            if (!(kinds & (1u << kind))) break; /* not wanted by this pass */
            continue;
        }
        int want = headers[0].n_cols;
        for (size_t h = 0; h < N_HEADERS; h++)
            if (headers[h].kind == kind) want = headers[h].n_cols;
        if (nc != want) {
            rc = voc__fail(err, VOC_ELEXICON, path, lineno, 0, "expected %d tab-separated columns, found %d", want, nc);
            break;
        }
        if (!*cols[0]) {
            rc = voc__fail(err, VOC_ELEXICON, path, lineno, 0, "empty term");
            break;
        }
        voc_lexrow row;
        memset(&row, 0, sizeof row);
        row.file_kind = kind;
        row.lang = lang;
        row.line = (uint32_t)lineno;
        row.file = file_index;
        if ((rc = parse_row(kind, cols, line, path, lineno, &row, err))) break;
        row.term = cols[0]; /* in the file buffer the rows keep */
        if (voc__grow((void **)&rows->rows, &rows->cap, rows->n + 1, sizeof row)) {
            rc = voc__fail(err, VOC_ENOMEM, path, lineno, 0, "out of memory");
            break;
        }
        rows->rows[rows->n++] = row;
    }
    if (rc == VOC_OK && kind < 0)
        rc = voc__fail(err, VOC_ELEXICON, path, lineno, 0, "no header line");
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Call fn for every *.tsv directly in `path` (file names in byte order, so the load order
 * is deterministic); *found is set when the directory exists. */
static int each_file_in(const char *path, int lang, bool *found, voc_error *err,
                        int (*fn)(void *user, const char *path, int lang), void *user)
{
    DIR *d = opendir(path);
    if (!d) return VOC_OK;
    *found = true;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    int rc = VOC_OK;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".tsv")) continue;
        char *copy = voc__strndup(de->d_name, len);
        if (!copy || voc__grow((void **)&names, &cap, n + 1, sizeof *names)) {
            free(copy);
            rc = voc__fail(err, VOC_ENOMEM, path, 0, 0, "out of memory");
            break;
        }
        names[n++] = copy;
    }
    closedir(d);
    if (!rc && n > 1) qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && !rc; i++) {
        char file[4096 + 256];
        snprintf(file, sizeof file, "%s/%s", path, names[i]);
        rc = fn(user, file, lang);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

/* Call fn for every *.tsv of dir/common, dir/en, dir/zh-Hant, dir/topics, in load order
 * (sub-directory, then file name).  Returns the first nonzero fn result, or an error. */
static int each_lexicon_file(const char *dir, bool required, voc_error *err,
                             int (*fn)(void *user, const char *path, int lang), void *user)
{
    static const struct { const char *name; int lang; } subdirs[] = {
        {"common", VOC_LANG_COMMON}, {"en", VOC_LANG_EN}, {"zh-Hant", VOC_LANG_ZH},
        {"topics", VOC_LANG_TOPICS}};
    bool found = false;
    for (size_t s = 0; s < sizeof subdirs / sizeof *subdirs; s++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, subdirs[s].name);
        int rc = each_file_in(path, subdirs[s].lang, &found, err, fn, user);
        if (rc) return rc;
    }
    if (!found && required)
        return voc__fail(err, VOC_ELEXICON, dir, 0, 0,
                         "no lexicon sub-directory (common/, en/, zh-Hant/, topics/) found here");
    return VOC_OK;
}

typedef struct read_ctx {
    voc_lexrows *rows;
    unsigned kinds;
    voc_error *err;
} read_ctx;

static int read_one(void *user, const char *path, int lang)
{
    read_ctx *c = user;
    return voc__lexicon_read_file(path, lang, c->kinds, c->rows, c->err);
}

int voc__lexicon_read_dir(const char *dir, bool required, unsigned kinds, voc_lexrows *rows,
                          voc_error *err)
{
    read_ctx c = {rows, kinds, err};
    return each_lexicon_file(dir, required, err, read_one, &c);
}

/* The fingerprint of a lexicon directory for the compiled-lexicon cache: every file's path,
 * size and modification time, mixed into *h.  A missing directory mixes in nothing. */
static int fingerprint_one(void *user, const char *path, int lang)
{
    uint64_t *h = user;
    struct stat st;
    if (stat(path, &st) != 0) return VOC_EIO;
    uint64_t parts[5] = {(uint64_t)lang, (uint64_t)st.st_size, (uint64_t)st.st_mtim.tv_sec,
                         (uint64_t)st.st_mtim.tv_nsec, voc__hash(path, strlen(path))};
    *h = voc__hash(parts, sizeof parts) ^ (*h * 0x9E3779B97F4A7C15ULL);
    return VOC_OK;
}

int voc__lexicon_fingerprint(const char *dir, uint64_t *h)
{
    voc_error ignored;
    *h ^= voc__hash(dir, strlen(dir));
    return each_lexicon_file(dir, false, &ignored, fingerprint_one, h);
}

int voc__topic_dir_fingerprint(const char *dir, uint64_t *h)
{
    voc_error ignored;
    bool found = false;
    *h ^= voc__hash("topics:", 7) ^ voc__hash(dir, strlen(dir));
    return each_file_in(dir, VOC_LANG_TOPICS, &found, &ignored, fingerprint_one, h);
}

int voc__topic_dir_read(const char *dir, unsigned kinds, voc_lexrows *rows, voc_error *err)
{
    read_ctx c = {rows, kinds, err};
    bool found = false;
    int rc = each_file_in(dir, VOC_LANG_TOPICS, &found, err, read_one, &c);
    if (!rc && !found) rc = voc__fail(err, VOC_ELEXICON, dir, 0, 0, "topic directory not found");
    return rc;
}
