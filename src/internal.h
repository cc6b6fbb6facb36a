/* internal.h — types and functions shared by the stages of libvocmine, not part of the API.
 *
 * The flow of one document through a session:
 *   utf8.c (repair) → normalize.c (NFKC + case fold + offset map; OpenCC for Simplified runs)
 *   → segment.c (sentences, typed tokens; Han runs go to segment_han.c)
 *   → score.c (lexicon matches, modifiers, rules → rule score and evidence)
 *   → model.c (n-gram model → label, probabilities; learned by train.c)
 *   → topics.c (terms and PCRE2 patterns via patterns.c → topics with aspect sentiment)
 *   → emotions.c → record.c (JSON) / store.c (store_sqlite.c, store_pg.c).
 * The analyzer (analyzer.c) owns the compiled lexicon (lexicon.c), Han dictionary
 * (segment_han.c), models, taxonomy and patterns; the session owns every scratch buffer, so
 * nothing allocates per token. */
#ifndef VOCMINE_INTERNAL_H
#define VOCMINE_INTERNAL_H

#include "vocmine.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Hot-path helpers that must be inlined (their caller keeps its state in registers), and
 * cold ones that must not be (so the usual path saves no registers for them): GCC and Clang
 * honour these; other compilers decide for themselves. */
#if defined(__GNUC__)
#define VOC_ALWAYS_INLINE __attribute__((always_inline))
#define VOC_NOINLINE __attribute__((noinline))
#else
#define VOC_ALWAYS_INLINE
#define VOC_NOINLINE
#endif

/* Eight bytes at a time: a byte in every byte of a word, an unaligned load, and whether a
 * byte of w is b (exact: the borrow trick's false positives only come above a true one). */
#define VOC_BYTES(b) (0x0101010101010101ULL * (uint64_t)(b))
static inline uint64_t voc__load8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}
static inline uint64_t voc__has_byte(uint64_t w, unsigned char b)
{
    uint64_t x = w ^ VOC_BYTES(b);
    return (x - VOC_BYTES(0x01)) & ~x & VOC_BYTES(0x80);
}

/* ---- small utilities (util.c) ---------------------------------------------------------- */

/* Fill `err` (may be NULL) and return `code`. printf-style message. */
int voc__fail(voc_error *err, int code, const char *source, size_t line, size_t byte_offset,
              const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Grow *ptr (an array of `elem` sized items with capacity *cap) to hold at least `need`
 * items. Checks the size arithmetic; returns VOC_OK or VOC_ENOMEM leaving *ptr intact. */
int voc__grow_slow(void **ptr, size_t *cap, size_t need, size_t elem); /* when need > *cap */
/* (inline: most calls find the room there already — some 15,000 calls a 4,000-tweet run —
 * and only the growing ones pay for a call) */
static inline int voc__grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
    return need <= *cap ? VOC_OK : voc__grow_slow(ptr, cap, need, elem);
}
/* Equal in ASCII case folding, as strcasecmp/strncasecmp but whatever the locale (in a
 * Turkish one "I" is no "i"): charset labels, CSV headers, JSON literals. */
bool voc__ascii_case_equal(const char *a, const char *b);
bool voc__ascii_case_equal_n(const char *a, const char *b, size_t n);
/* Whether `needle` occurs in `hay` under the same folding (strcasestr, whatever the locale). */
bool voc__ascii_case_contains(const char *hay, const char *needle);
/* An ASCII word character, \w of the C locale: a letter, a digit or '_' (whatever the
 * locale, unlike isalnum): a PCRE2 \w byte (patterns.c), a PTT user id's (readers/input.c). */
static inline bool voc__ascii_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* A shared library opened on first use instead of linked: libpq (store_pg.c), SQLite
 * (store_sqlite.c), GMime with GLib (readers/email.c), libxml2 (readers/html_text.c) and
 * OpenCC (opencc.c), which most runs never need but would otherwise map and relocate at
 * every start-up.  Each of those files includes the library's header, lists the functions
 * it calls in an X-macro (VOC_LIBRARY_DEFINE below makes the table) and routes every call
 * through the table with a #define per function, so the code reads as the plain library
 * (and the header's own macros, GLib's casts, reach the table too); voc__library_ready
 * fills it once per process.  The handle is never closed. */
typedef struct voc_library {
    const char *name;            /* in messages: "libpq", "SQLite", "GMime", "OpenCC" */
    const char *install;         /* how to get it: "apt-get install libpq5" */
    const char *version_note;    /* why a symbol may be missing, or NULL */
    const char *const *sonames;  /* tried in order; NULL ends the list */
    const char *const *symbols;  /* NULL ends the list */
    void **const *slots;         /* slots[i] receives the address of symbols[i] */
} voc_library;
/* dlopen the first of lib->sonames that loads (its own dependencies come with it, and
 * dlsym on it finds theirs: GMime's handle gives GLib's g_free) and look up every symbol.
 * true when all were found; else false and `problem` (cap bytes) names the library, how to
 * install it and what failed.  Not thread-safe: voc__library_ready calls it once. */
bool voc__library_open(const voc_library *lib, char *problem, size_t cap);
/* What a process knows of one such library: whether it was tried, whether it is ready, and
 * if not, why (the library, how to install it, what failed). */
typedef struct voc_library_state {
    pthread_mutex_t lock;
    atomic_bool tried;       /* set last, once `ready` and `problem` are final */
    bool ready;
    char problem[256];
} voc_library_state;
#define VOC_LIBRARY_STATE_INIT {PTHREAD_MUTEX_INITIALIZER, false, false, ""}
/* lib, opened once per process whichever thread asks first (voc__library_open), then
 * `setup` run (the library's own one-time initialization, or NULL; it may write
 * st->problem and return false).  Every later call returns the same answer without
 * locking.  false: st->problem says why. */
bool voc__library_ready(const voc_library *lib, voc_library_state *st,
                        bool (*setup)(voc_library_state *st));
/* For the X-macro: a table member typed as the header declares the symbol, and its name. */
#define VOC_LIBRARY_POINTER(f) __typeof__(f) *f;
#define VOC_LIBRARY_NAME(f) #f,
#define VOC_LIBRARY_SLOT(f) (void **)&voc_lib_table.f,
/* A file's one library opened on first use: the table of pointers `voc_lib_table` (one
 * member per function FUNCS lists; the file #defines each function as voc_lib_table.f),
 * `voc_lib`, the voc_library, and `voc_lib_state`, for voc__library_ready; the sonames are
 * the trailing arguments, tried in order. */
#define VOC_LIBRARY_DEFINE(FUNCS, display_name, install_hint, version_note, ...)               \
    static struct {                                                                          \
        FUNCS(VOC_LIBRARY_POINTER)                                                           \
    } voc_lib_table;                                                                         \
    static const char *const voc_lib_sonames[] = {__VA_ARGS__, NULL};                        \
    static const char *const voc_lib_symbols[] = {FUNCS(VOC_LIBRARY_NAME) NULL};             \
    static void **const voc_lib_slots[] = {FUNCS(VOC_LIBRARY_SLOT)};                         \
    static const voc_library voc_lib = {display_name, install_hint, version_note,            \
                                        voc_lib_sonames, voc_lib_symbols, voc_lib_slots};    \
    static voc_library_state voc_lib_state = VOC_LIBRARY_STATE_INIT

/* Hash for lexicon keys: eight bytes at a time with a multiply-xorshift mix (keys are short
 * words; FNV's byte loop showed in profiles).  Not for untrusted-input DoS resistance: the
 * tables hold only lexicon keys, input words are only looked up.
 *
 * The last 0..7 bytes are mixed as one little-endian word, zero-extended.  Copying them with
 * a variable-length memcpy was a byte loop, half the hash's cost on words; on little-endian
 * machines the same word comes from at most two fixed-size loads: the eight bytes ending at
 * the key's end shifted down (a key of eight bytes or more), two overlapping four-byte loads
 * (four to seven), or the first, middle and last byte (one to three).  The value is the
 * same, so tables and cache files keyed by it do not change.  Inline: the lexicon and the
 * word memo hash every word of every text. */
static inline uint64_t voc__hash(const void *data, size_t len)
{
    const unsigned char *p = data;
    const size_t total = len;
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (len * 0xFF51AFD7ED558CCDULL);
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
        h ^= h >> 29;
        p += 8;
        len -= 8;
    }
    uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (len == 0) {
        w = 0;
    } else if (total >= 8) {
        memcpy(&w, p + len - 8, 8);
        w >>= 8 * (8 - len);
    } else if (len >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, p, 4);
        memcpy(&hi, p + len - 4, 4);
        w = (uint64_t)lo | (uint64_t)hi << (8 * (len - 4));
    } else {
        w = (uint64_t)p[0] | (uint64_t)p[len / 2] << (8 * (len / 2)) |
            (uint64_t)p[len - 1] << (8 * (len - 1));
    }
#else
    memcpy(&w, p, len);
#endif
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 32;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 29;
    return h;
}

char *voc__strndup(const char *s, size_t len);

/* A growable byte buffer. */
typedef struct voc_buf {
    char *data;
    size_t len, cap;
    int failed;              /* sticky: an append ran out of memory */
} voc_buf;
int voc__buf_reserve(voc_buf *b, size_t extra);
int voc__buf_append_slow(voc_buf *b, const void *data, size_t len);
/* Append (the common case inline: records and norms are built from many small pieces). */
static inline int voc__buf_append(voc_buf *b, const void *data, size_t len)
{
    if (b->len + len < b->cap && !b->failed) {
        memcpy(b->data + b->len, data, len);
        b->len += len;
        b->data[b->len] = '\0';
        return VOC_OK;
    }
    return voc__buf_append_slow(b, data, len);
}
void voc__buf_free(voc_buf *b);
/* b's bytes as a NUL-terminated malloc'd string ("" when empty), b left empty; NULL when an
 * append failed or there is no memory (b freed). */
char *voc__buf_take(voc_buf *b);
/* This thread's reusable buffer, emptied (NULL only if thread-specific storage failed).
 * Valid until the thread's next call; never hold it across calls. */
voc_buf *voc__thread_scratch(void);

/* ---- UTF-8 (utf8.c) -------------------------------------------------------------------- */

/* Decode one code point at s[i] (i < len). Returns the code point and sets *adv to the
 * number of bytes consumed (>= 1); malformed input yields -1 with *adv = 1 (one bad byte):
 * overlong forms, surrogates, code points past U+10FFFF, truncated sequences, stray
 * continuation bytes.  Inline: every stage walks text with it. */
static inline int32_t voc__utf8_decode(const unsigned char *s, size_t len, size_t i, size_t *adv)
{
    unsigned c = s[i];
    *adv = 1;
    if (c < 0x80) return (int32_t)c;
    int n;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; min = 0x10000; }
    else return -1;
    if (len - i <= (size_t)n) return -1;
    for (int k = 1; k <= n; k++) {
        unsigned cc = s[i + (size_t)k];
        if ((cc & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    *adv = (size_t)n + 1;
    return (int32_t)cp;
}
int voc__utf8_encode(uint32_t cp, char out[4]);  /* returns bytes written (1..4) */

/* The CJK Unified Ideograph of the main block (U+4E00..U+9FFF: E4 B8 80 .. E9 BF BF, three
 * bytes) at s[i], or -1 if another character or a malformed sequence starts there.  Most
 * characters of Chinese text are these; loops over it test the bytes here before decoding
 * in general (a valid three-byte form in this range is never overlong nor a surrogate). */
static inline int32_t voc__uro_at(const unsigned char *s, size_t len, size_t i)
{
    if (i + 2 >= len || s[i] < 0xE4 || s[i] > 0xE9 || (s[i] == 0xE4 && s[i + 1] < 0xB8) ||
        (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80)
        return -1;
    return (int32_t)((s[i] & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu));
}

/* Copy `text` into `out` replacing each malformed byte with U+FFFD and NUL with U+FFFD.
 * Returns bits VOC_WARN_INVALID_UTF8 / VOC_WARN_NUL_BYTES for what was repaired, or a
 * negative status.  Only called when voc__utf8_valid says the text needs it. */
int voc__utf8_repair(const char *text, size_t len, voc_buf *out);
bool voc__utf8_valid(const char *text, size_t len);   /* valid and no NUL bytes */

/* Largest n <= len such that text[0..n) ends at a code point boundary. */
size_t voc__utf8_truncate(const char *text, size_t len);

/* ---- ICU adapter (icu.c) -------------------------------------------------------------- */

bool voc__is_han(int32_t cp);          /* Script=Han (incl. U+3007 〇) */
bool voc__is_letter(int32_t cp);       /* Alphabetic, not Han */
bool voc__is_digit(int32_t cp);
bool voc__is_space(int32_t cp);        /* White_Space */
bool voc__is_emoji_start(int32_t cp);  /* Extended_Pictographic or Regional_Indicator */
bool voc__is_emoji_part(int32_t cp);   /* ZWJ, VS16, skin tones, keycap, tags */
bool voc__changes_when_nfkc_cf(int32_t cp);
bool voc__nfkc_boundary_before(int32_t cp);
bool voc__is_kana(int32_t cp);

/* NFKC_Casefold of a short UTF-8 segment, appended to `out`. */
int voc__nfkc_cf_append(const char *src, size_t len, voc_buf *out);

/* Sets of code points from ICU's converter tables, 0x5200 bits each for U+4E00..U+9FFF.
 * Han characters GB2312 can encode and Big5 (CP950) cannot are Simplified forms, except
 * that Big5 lacks some rare characters both scripts share (糍, 珉): those that Big5-HKSCS
 * has are `ambiguous` (HKSCS also holds a few Simplified forms such as 发), the rest
 * `strict`.  `traditional` are the Traditional-only ones: Big5 but not GB2312 (們, 魚). */
int voc__icu_simplified_bits(uint8_t *strict, uint8_t *ambiguous, uint8_t *traditional,
                             voc_error *err);

/* Per-session ICU state: word and sentence break iterators and UText objects, opened
 * once per session and re-pointed at each text (no per-document open). */
typedef struct voc_icu voc_icu;
int voc__icu_new(voc_icu **out, voc_error *err);
void voc__icu_free(voc_icu *icu);
/* Point the word iterator at text[0..len) (UTF-8; offsets are byte offsets). */
int voc__icu_word_set(voc_icu *icu, const char *text, size_t len);
/* First word boundary after `pos` (the text's length at the end). */
size_t voc__icu_word_following(voc_icu *icu, size_t pos);
/* Sentence boundaries of text[0..len): calls fn for each boundary offset (excluding 0). */
int voc__icu_sentences(voc_icu *icu, const char *text, size_t len,
                       int (*fn)(void *user, size_t boundary), void *user);

/* The English abbreviations ICU's sentence iterator does not break after ("Mr.", "pp."),
 * from ICU's own data; a malloc'd array of malloc'd strings. */
int voc__icu_abbreviations(char ***out, size_t *n_out);

/* ICU's Chinese word break (dictionary) over text[0..len): fn for each boundary. */
int voc__icu_han_breaks(voc_icu *icu, const char *text, size_t len,
                        int (*fn)(void *user, size_t boundary), void *user);

/* ---- OpenCC adapter (opencc.c) -------------------------------------------------------- */

typedef struct voc_opencc voc_opencc;
/* Opens OpenCC with s2twp.json; NULL with err on failure. */
voc_opencc *voc__opencc_open(voc_error *err);
void voc__opencc_close(voc_opencc *cc);
/* Convert text[0..len) and append the UTF-8 result to `out`. */
int voc__opencc_convert(voc_opencc *cc, const char *text, size_t len, voc_buf *out);

/* ---- lexicon (lexicon.c) -------------------------------------------------------------- */

enum voc_mod_kind {
    VOC_MOD_NONE = 0,
    VOC_MOD_NEGATOR,
    VOC_MOD_INTENSIFIER,
    VOC_MOD_DIMINISHER,
    VOC_MOD_CONTRAST,
    VOC_MOD_CONCESSIVE,
    VOC_MOD_IRREALIS,
    VOC_MOD_QUESTION,
    VOC_MOD_POLITENESS,      /* a polite request formula: please advise, 麻煩您, 請問 */
    VOC_MOD_SARCASM,
    VOC_MOD_COURTESY,        /* a greeting, sign-off or courtesy that asks nothing: good
                              * morning, best regards, you're welcome, 你好 */
    VOC_MOD_CONSOLATION,     /* at the start of a clause, a consolation: weighs its clause
                              * like a concessive ("…delayed again. At least the crew was
                              * nice."); elsewhere nothing ("at least 3 hours") */
    VOC_MOD_OPENER,          /* at the start of a clause, a concessive opener: weighs its
                              * clause like a concessive ("As much as I love this phone, the
                              * battery…"); elsewhere nothing ("it costs as much as a new one") */
    VOC_MOD_CHANGE,          /* a verb of rising (weight 1) or falling (-1): good or bad news
                              * by what rises or falls ("unemployment fell", "prices soared") */
    VOC_MOD_BALANCE,         /* a verdict of balance or of the middle: "it evens out", "mixed
                              * bag", "nothing stands out either way", 好壞參半, 中規中矩 —
                              * the text leans neutral by its weight (score.c) */
    VOC_MOD_INFO,            /* a word of plain information — hours, prices, address, specs,
                              * sizes (營業時間, 公休, 價位, 規格, 尺碼): a text with one (or a
                              * price) and no sentiment term leans neutral (model.c) */
    VOC_MOD_N_KINDS          /* how many kinds there are (lexicon.c names each) */
};
/* A formula whose words are not scored: a polite request or a courtesy. */
#define VOC_MOD_IS_FORMULA(kind) ((kind) == VOC_MOD_POLITENESS || (kind) == VOC_MOD_COURTESY)

enum {
    VOC_ENTRY_VALENCE = 1u << 0,   /* has a sentiment valence */
    VOC_ENTRY_MODIFIER = 1u << 1,  /* has a modifier kind */
    VOC_ENTRY_PREFIX = 1u << 2,    /* a longer phrase starts with this key */
    VOC_ENTRY_HAN = 1u << 3,       /* the term contains Han characters */
    VOC_ENTRY_TOPIC = 1u << 4      /* names one or more topics (a topic term file) */
};

typedef struct voc_entry {
    const char *term;        /* as written in the file (NUL-terminated, in the arena) */
    const char *key;         /* normalized token norms joined by ' ' */
    uint32_t key_len;
    uint16_t flags;
    uint8_t mod_kind;
    uint8_t n_tokens;        /* tokens in the key (0 until keyed) */
    float valence;
    float mod_weight;
    uint32_t emotion_tags;   /* bit per emotion id */
    float topic_weight;      /* how surely the term names its topics (0 when none) */
    uint64_t topic_mask;     /* bit per topic of the analyzer's taxonomy */
} voc_entry;

/* The words of a filter of voc__lexicon_filter_bit's bits (lx->filter, flags.c's). */
#define VOC_LEXICON_FILTER_WORDS 1024 /* 65,536 bits */
/* A string → entry hash table with open addressing. */
typedef struct voc_lexicon {
    voc_entry *entries;
    size_t n_entries, cap_entries;
    uint64_t *slots;         /* hash high bits << 32 | entry index + 1; 0 = empty */
    uint64_t filter[VOC_LEXICON_FILTER_WORDS]; /* quick reject on (first bytes, length) */
    size_t n_slots;          /* power of two */
    char **arena_blocks;     /* term/key storage */
    size_t n_arena_blocks, cap_arena_blocks;
    size_t arena_used, arena_cap;
    int max_phrase_tokens;
    size_t n_en, n_zh, n_common, n_modifiers, n_words, n_topic_terms;
} voc_lexicon;

void voc__lexicon_init(voc_lexicon *lx);
void voc__lexicon_free(voc_lexicon *lx);
/* A bit of a bit set of uint64_t words: the filters below, flags.c's tables. */
static inline bool voc__bit_test(const uint64_t *bits, uint32_t bit) { return bits[bit >> 6] >> (bit & 63) & 1; }
static inline void voc__bit_set(uint64_t *bits, uint32_t bit) { bits[bit >> 6] |= 1ULL << (bit & 63); }
/* The bit of lx->filter a key sets: its first two bytes, last byte and length mixed.  Most
 * words looked up are no key ("the", "flight"), and the filter rejects most of them before any
 * hashing. */
static inline uint32_t voc__lexicon_filter_bit(const char *key, size_t len)
{
    const unsigned char *k = (const unsigned char *)key;
    uint32_t c0 = k[0], c1 = len > 1 ? k[1] : 0, cz = k[len - 1];
    return (c0 * 0x9E37u + c1 * 0x85EBu + cz * 0xC2B3u + (uint32_t)len * 0x27D4u) & 0xFFFF;
}
_Static_assert(0xFFFF + 1 == 64 * VOC_LEXICON_FILTER_WORDS, "a bit for each voc__lexicon_filter_bit");
/* voc__lexicon_find past the filter: hash and probe. */
const voc_entry *voc__lexicon_probe(const voc_lexicon *lx, const char *key, size_t len);
/* The entry whose key is key[0..len), or NULL.  Inline up to the filter: the callers ask for
 * many words that it rejects. */
static inline const voc_entry *voc__lexicon_find(const voc_lexicon *lx, const char *key, size_t len)
{
    if (!lx->n_slots || !len) return NULL;
    uint32_t fb = voc__lexicon_filter_bit(key, len);
    if (!voc__bit_test(lx->filter, fb)) return NULL;
    return voc__lexicon_probe(lx, key, len);
}
/* The bit of a phrase-pair filter (voc_analyzer.phrase_pairs) for a two-token key written
 * a[0..a_len) ' ' b[0..b_len): the length and last two bytes of the first token's norm and
 * the length, first two and last byte of the second's, mixed by one multiply (a byte is 0
 * where a norm is too short to have it).  A pair the filter lacks is no key. */
#define VOC_PHRASE_PAIR_WORDS 1024 /* 65,536 bits */
static inline uint32_t voc__phrase_pair_bit(const char *a, size_t a_len, const char *b, size_t b_len)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    uint64_t v = (uint64_t)(a_len & 0xFF) | (uint64_t)(a_len > 1 ? x[a_len - 2] : 0) << 8 |
                 (uint64_t)(a_len ? x[a_len - 1] : 0) << 16 | (uint64_t)(b_len ? y[0] : 0) << 24 |
                 (uint64_t)(b_len > 1 ? y[1] : 0) << 32 | (uint64_t)(b_len ? y[b_len - 1] : 0) << 40 |
                 (uint64_t)(b_len & 0xFF) << 48;
    return (uint32_t)((v * 0x9E3779B97F4A7C15ULL) >> 48);
}
/* Whether a[0..a_len) ' ' b[0..b_len) may be a two-token key or begin one, by a phrase-pair
 * filter (the analyzer's, flags.c's): a pair it lacks is no key. */
static inline bool voc__phrase_pair_may_be_key(const uint64_t *pairs, const char *a, size_t a_len, const char *b,
                                               size_t b_len)
{
    return voc__bit_test(pairs, voc__phrase_pair_bit(a, a_len, b, b_len));
}
/* Fill bits (VOC_PHRASE_PAIR_WORDS words, zeroed first) with every way each key of lx splits
 * at a space into the two parts a two-token lookup would join (voc__phrases). */
void voc__lexicon_phrase_pairs(const voc_lexicon *lx, uint64_t *bits);
/* Insert or return the existing entry for key; *created says which. */
voc_entry *voc__lexicon_upsert(voc_lexicon *lx, const char *key, size_t len, bool *created,
                               int *rc);
char *voc__lexicon_strdup(voc_lexicon *lx, const char *s, size_t len);

extern const char *const voc__emotion_ids[];
extern const size_t voc__n_emotion_ids;
extern const char *const voc__topic_ids[];
extern const size_t voc__n_topic_ids;

/* Raw rows read from the TSV files before they are keyed by the tokenizer. */
/* File kinds, told apart by their header line (lexicons/README.md). */
enum voc_file_kind {
    VOC_FILE_SENTIMENT = 0,  /* term valence tags */
    VOC_FILE_MODIFIER = 1,   /* term kind weight */
    VOC_FILE_WORDS = 2,      /* word count */
    VOC_FILE_NGRAMS = 3,     /* feature negative neutral positive (model.c) */
    VOC_FILE_TOPIC_TERMS = 4,    /* term topics weight (topics.c) */
    VOC_FILE_TAXONOMY = 5,   /* topic parent description */
    VOC_FILE_TOPIC_PATTERNS = 6, /* name topics weight pattern */
    VOC_FILE_FLAGS = 7       /* term flag cue severity (flags.c) */
};
/* Where a file sits: its sub-directory. */
enum { VOC_LANG_COMMON = 0, VOC_LANG_EN = 1, VOC_LANG_ZH = 2, VOC_LANG_TOPICS = 3 };

typedef struct voc_lexrow {
    char *term;              /* NUL-terminated, inside voc_lexrows.bufs */
    int file_kind;           /* enum voc_file_kind */
    int lang;                /* VOC_LANG_* of the sub-directory */
    float a, b;              /* valence | kind,weight | count | topic weight */
    float w[3];              /* n-gram weights per class */
    char *text1, *text2;     /* topics list and pattern | parent and description | flag and cue */
    uint32_t emotion_tags, topic_tags;
    uint32_t line;           /* line in its file */
    uint16_t file;           /* index into voc_lexrows.files */
    uint8_t mod_kind;
} voc_lexrow;

typedef struct voc_lexrows {
    voc_lexrow *rows;
    size_t n, cap;
    char **bufs;             /* the files' contents; rows' terms point into them */
    char **files;            /* path of each buffer, for messages */
    size_t n_bufs, cap_bufs, cap_files;
} voc_lexrows;

/* Load every *.tsv of dir/common, dir/en, dir/zh-Hant, dir/topics into rows (checking
 * headers, columns, numbers, tags; errors name file and line).  A missing sub-directory is
 * fine for user directories (`required` = 0) but not for the default one.  Only files whose
 * kind is in `kinds` (bits 1 << VOC_FILE_*) give rows. */
#define VOC_ALL_FILE_KINDS 0xFFu
int voc__lexicon_read_dir(const char *dir, bool required, unsigned kinds, voc_lexrows *rows,
                          voc_error *err);
/* Read one TSV file (exposed for the lint tool and tests). */
int voc__lexicon_read_file(const char *path, int lang, unsigned kinds, voc_lexrows *rows,
                           voc_error *err);
void voc__lexrows_free(voc_lexrows *rows);

/* ---- Han dictionary (segment_han.c) ---------------------------------------------------- */

typedef struct voc_handict {
    uint64_t *keys;          /* (parent node << 21 | code point) + 1; 0 empty */
    uint32_t *vals;          /* child node */
    size_t n_slots;
    float *node_cost;        /* cost of the word ending at node, or INFINITY */
    uint8_t *node_lexicon;   /* 1 when the word is a lexicon term (always kept whole) */
    size_t n_nodes, cap_nodes;
    uint8_t root_latin[16];  /* bitmap of ASCII first letters of mixed entries (cp值) */
    float unknown_cost;      /* cost of a character not in the dictionary */
    int max_word_chars;
} voc_handict;

void voc__handict_init(voc_handict *d);
void voc__handict_free(voc_handict *d);
/* Add a word (normalized UTF-8) with its count (words.tsv) or as a lexicon term. */
int voc__handict_add(voc_handict *d, const char *word, size_t len, double count,
                     bool lexicon);
/* Turn counts into costs (-log p). Call once after every add. */
void voc__handict_finish(voc_handict *d, double total_count);
/* Make a lexicon term cheaper than any split of its own characters, so it comes out whole
 * (call after voc__handict_finish, for each Chinese lexicon term, normalized). */
int voc__handict_prefer(voc_handict *d, const char *word, size_t len);
/* Longest dictionary word starting at text[pos] that contains a Han character and starts
 * with a Latin letter (mixed entries like "cp值"); returns its byte length or 0. */
size_t voc__handict_mixed_match(const voc_handict *d, const char *text, size_t len,
                                size_t pos);

/* ---- the n-gram model (model.c; learned by train.c) ------------------------------------ */

/* Dense features every document has, named "@..." in ngrams.tsv (model.c lists them). */
enum { VOC_DENSE_BIAS, VOC_DENSE_LEX, VOC_DENSE_LEXPOS, VOC_DENSE_LEXNEG, VOC_DENSE_QUESTION,
       VOC_DENSE_EXCLAIM, VOC_DENSE_NOLEX, VOC_DENSE_REQUEST, VOC_N_DENSE };
extern const char *const voc__dense_names[VOC_N_DENSE];

/* Which model reads a document: English (and symbols-only text) or Chinese. */
enum { VOC_MODEL_EN = 0, VOC_MODEL_ZH = 1, VOC_N_MODELS = 2 };

/* One language's linear model: sparse n-gram weights by the key of the feature's name
 * (voc__feat_key), dense weights, and the softmax temperature fitted on held-out data. */
/* One feature of a model's table: its key, weights and name side by side, so the lookup
 * of a feature that is found costs one cache miss, not one per array (the weights' load
 * was 42 % of voc__model_apply's samples and the name offset's 14 % when they were arrays
 * of their own beside the keys). */
typedef struct voc_model_slot {
    uint64_t key;            /* feature key, 0 = empty slot */
    float w[3];              /* by enum voc_label */
    uint32_t name_off;       /* feature name, in names */
} voc_model_slot;
_Static_assert(sizeof(voc_model_slot) == 24, "a model slot is 24 bytes (the cache file's layout)");

typedef struct voc_model {
    voc_model_slot *slots;
    char *names;
    size_t n_slots, n_features, names_len;
    float dense[VOC_N_DENSE][3];
    float temperature;
    float rules;             /* weight of the rules' own logits added to the model's (@rules) */
    bool loaded;
} voc_model;

void voc__model_free(voc_model *m);
/* Build models[] from the VOC_FILE_NGRAMS rows: per language the last file read wins (a
 * user directory replaces the default model). */
int voc__models_build(voc_model models[VOC_N_MODELS], const voc_lexrows *rows, voc_error *err);
/* The weights of the feature whose key is `key` (and its name in *name), or NULL. */
const float *voc__model_find(const voc_model *m, uint64_t key, const char **name);
/* The table key of a feature name (never 0); model.c computes the same from the pieces of a
 * name without writing it out. */
uint64_t voc__feat_key(const char *name, size_t len);

/* ---- topics (topics.c) and their PCRE2 patterns (patterns.c) ---------------------------- */

#define VOC_MAX_TOPICS 64
typedef struct voc_topic_def {
    char id[48];
    int parent;              /* index of the parent topic, or -1 */
    uint64_t family;         /* bits of the topic and its descendants */
} voc_topic_def;

typedef struct voc_taxonomy {
    voc_topic_def topics[VOC_MAX_TOPICS];
    size_t n;
} voc_taxonomy;

/* Build the taxonomy from VOC_FILE_TAXONOMY rows (later files add topics or re-parent). */
int voc__taxonomy_build(voc_taxonomy *tx, const voc_lexrows *rows, voc_error *err);
/* "billing,refund_return" → bits; an unknown id is an error naming the row's file and line. */
int voc__taxonomy_mask(const voc_taxonomy *tx, const voc_lexrows *rows, const voc_lexrow *r,
                       const char *list, uint64_t *mask, voc_error *err);

/* Compiled topic patterns (an adapter over PCRE2). */
typedef struct voc_patterns voc_patterns;
/* What the prefilter reads off the pattern sources (patterns.c: start and required
 * literals), as the compiled-lexicon cache holds it: views into the mapped file, checked
 * when read (voc__patterns_take_literals), valid while the file is mapped. */
typedef struct voc_pattern_literals {
    const char *text;        /* the literals' bytes */
    const uint32_t *starts;  /* four per start literal: offset in text, length, pattern, bits */
    const uint32_t *req;     /* two per required literal: offset in text, length */
    const uint32_t *pats;    /* three per pattern: its required literals [first, end), bits */
    size_t text_len, n_starts, n_req, n_pats;
} voc_pattern_literals;
/* known: the literals of an earlier run of these same files (the compiled-lexicon cache says
 * so), or NULL.  With them the literals are not read off the sources again, and each pattern
 * is compiled when first used instead of all up front (it compiled in that run). */
int voc__patterns_build(voc_patterns **out, const voc_taxonomy *tx, const voc_lexrows *rows,
                        const voc_pattern_literals *known, voc_error *err);
void voc__patterns_free(voc_patterns *p);
/* Do a and b hold the same literals, and the same prefilter chains of them (test_cache: one
 * build read them off the sources, the other took them from the cache file)? */
bool voc__patterns_same_literals(const voc_patterns *a, const voc_patterns *b);
/* Mixes the PCRE2 version into a cache key: another PCRE2 may refuse what this one took. */
void voc__patterns_fingerprint(uint64_t *key);
/* A hash of every pattern row's text (name, topics, weight, pattern). */
uint64_t voc__patterns_rows_hash(const voc_lexrows *rows);
size_t voc__patterns_count(const voc_patterns *p);
/* Per-session match state. */
typedef struct voc_pattern_state voc_pattern_state;
voc_pattern_state *voc__pattern_state_new(void);
void voc__pattern_state_free(voc_pattern_state *st);
/* Every match of every pattern in text[0..len): fn(user, topic mask, weight, start, end).
 * has_han: the text has Han characters (patterns written with Han need some).  A pattern
 * that hits its match or depth limit is abandoned for this text (not an error). */
int voc__patterns_scan(const voc_patterns *p, voc_pattern_state *st, const char *text,
                       size_t len, bool has_han, int (*fn)(void *user, uint64_t mask, float weight,
                                             size_t start, size_t end, const char *name),
                       void *user);

/* ---- the analyzer and session (analyzer.c) ------------------------------------------- */

struct voc_analyzer {
    voc_lexicon lexicon;
    voc_handict handict;
    uint8_t simplified_bits[(0xA000 - 0x4E00) / 8];  /* strict Simplified-only */
    uint8_t ambiguous_bits[(0xA000 - 0x4E00) / 8];   /* Simplified or rare shared */
    uint8_t traditional_bits[(0xA000 - 0x4E00) / 8]; /* Traditional-only */
    char lexicon_summary[160];
    int han_segmenter;       /* VOC_SEGMENTER_* */
    bool from_cache;         /* the tables were loaded from the compiled-lexicon cache */
    uint64_t patterns_hash;  /* of the topic patterns' text when the tables were built (cached):
                              * equal now, they compiled then and are compiled on first use */
    voc_pattern_literals pattern_literals; /* theirs, from the cache file (views into it) */
    void *cache_map;         /* that file, mapped: most tables point into it (cache.c) */
    size_t cache_map_len;
    voc_model models[VOC_N_MODELS];
    bool use_model;          /* false: rules and lexicon only */
    voc_taxonomy taxonomy;
    voc_patterns *patterns;
    char **abbreviations;    /* ICU's English sentence-break exceptions (segment.c) */
    size_t n_abbreviations;
    /* ICU's abbreviation filter as segment.c follows it: the strings it matches backwards,
     * grouped by the character before their final '.' — those of character c are
     * abbr_prefix[abbr_first[c] .. abbr_first[c + 1]), abbr_len their lengths with bit 31
     * set for a partial one ("U." of "U.S.") — then from abbr_first[256] up to a NULL the
     * strings a partial match reads forwards ("U.S.", "U.S.A."); pointers into
     * abbreviations, both arrays malloc'd */
    const char **abbr_prefix;
    uint32_t *abbr_len;
    uint32_t abbr_first[257];
    /* the two-token phrase keys' pairs of norms (voc__phrase_pair_bit), so a phrase prefix
     * (the, i, my) followed by a word no phrase has there is rejected before its key is
     * written (score.c); made when the lexicon is built and kept in the cache file (making
     * it reads every key: 1.2 M instructions, more than copying its 8 KB) */
    uint64_t phrase_pairs[VOC_PHRASE_PAIR_WORDS];
    /* the rules' short word lists, filed by a hash of the word (score.c) */
    struct voc_word_slot { const char *s; uint32_t len, lists; } word_slots[256];
    struct voc_flag_table *flags; /* the retention-flag cues (flags.c), NULL without flags.tsv */
    /* precomputed Snowball stems of the English words the tables know (segment.c), made when
     * the cache file is written and read from it (pointing into the mapping); none (NULL, 0)
     * in an analyzer built from the files */
    const char *stem_strings;   /* "word\0stem\0" pairs; ends with a NUL */
    size_t stem_strings_len;
    const uint64_t *stem_slots; /* voc__hash(word) >> 32 << 32 | offset of word + 1; 0 empty */
    size_t n_stem_slots;        /* a power of two, or 0 */
};

/* segment.c: the stem table above for `a`, as cache.c writes it: strings and slots
 * (malloc'd, *slots NULL and *n_slots 0 when there is nothing to put in it). */
int voc__stem_table_build(const voc_analyzer *a, voc_buf *strings, uint64_t **slots, size_t *n_slots);
/* segment.c: a->stem_* as just read from a cache file: 0 when it can be used, -1 when it is
 * malformed (the file is damaged), 1 when a sample of its stems differs from what this
 * process's stemmer says (another libstemmer wrote it: the table is not used). */
int voc__stem_table_check(const voc_analyzer *a);

/* segment.c: build the abbreviation index above from a->abbreviations. */
int voc__abbreviation_index(voc_analyzer *a);

/* cache.c: the compiled tables on disk (see the file's comment).  The key mixes
 * voc__cache_layout() with voc__lexicon_fingerprint() of every lexicon directory. */
uint64_t voc__cache_layout(void);
bool voc__cache_path(uint64_t key, char *buf, size_t cap);
bool voc__cache_load(voc_analyzer *a, uint64_t key);
void voc__cache_save(const voc_analyzer *a, uint64_t key);
/* Forget the tables that point into the mapped cache file and unmap it (before the tables
 * are freed; nothing when the analyzer was built). */
void voc__cache_unmap(voc_analyzer *a);
/* The hash of a cache file's contents (after its 32-byte header, which holds it at offset
 * 24): tests re-sign a file they damaged on purpose, to reach the checks behind it. */
uint64_t voc__cache_checksum(const unsigned char *p, size_t len);
/* Are slots[0..n_slots) a probed table's slots as the file must hold them: each 0 (empty)
 * or an entry index + 1 in [1, n_entries] in its low 32 bits, and one empty at least? */
bool voc__cache_slots_valid(const uint64_t *slots, size_t n_slots, uint64_t n_entries);
/* cache.c: the sections stages write into the file and read back (flags.c's table).
 * voc__cache_put writes one array (length, bytes, padding); the takes read the next one,
 * and any take that finds the file short or the array not as asked marks the reader failed
 * (every later take then fails too).  What a take returns is a heap copy the caller owns. */
typedef struct voc_cache_writer voc_cache_writer;
typedef struct voc_cache_reader voc_cache_reader;
void voc__cache_put(voc_cache_writer *w, const void *data, size_t len);
void voc__cache_put_u64(voc_cache_writer *w, uint64_t v);
bool voc__cache_take_exact(voc_cache_reader *r, void *dst, size_t len);
bool voc__cache_take_u64(voc_cache_reader *r, uint64_t *v);
void *voc__cache_take_copy(voc_cache_reader *r, size_t elem, size_t *count);
/* The next array in place instead (read-only, aligned to 8 bytes, valid while the file is
 * mapped: for a section that is used at start-up and then copied, not kept). */
const void *voc__cache_take_view(voc_cache_reader *r, size_t elem, size_t *count);
/* A section that could not be written (no memory): the file is not written at all. */
void voc__cache_put_failed(voc_cache_writer *w);
void voc__cache_fail(voc_cache_reader *r);
bool voc__cache_failed(const voc_cache_reader *r);
/* A whole voc_lexicon (entries, strings, slots, filter; not the counts of the analyzer's
 * own) written, and read back into an empty one (all heap; validated: every slot names an
 * entry, one slot at least is empty, every string lies in the strings and ends there). */
void voc__cache_put_lexicon(voc_cache_writer *w, const voc_lexicon *lx);
bool voc__cache_take_lexicon(voc_cache_reader *r, voc_lexicon *lx);
/* lexicon.c: mix every lexicon file's path, size and modification time into *h. */
int voc__lexicon_fingerprint(const char *dir, uint64_t *h);
/* lexicon.c: the same for a --topics directory (its *.tsv directly), and reading it. */
int voc__topic_dir_fingerprint(const char *dir, uint64_t *h);
int voc__topic_dir_read(const char *dir, unsigned kinds, voc_lexrows *rows, voc_error *err);

/* Internal token: the public token plus where its norm lives while the arena is built. */
typedef struct voc_tok {
    uint32_t nstart, nend;   /* bytes in the normalized text */
    uint32_t norm_off, norm_len; /* in session->norm when NORM_IN_TEXT, else ->strings */
    uint32_t stem_off, stem_len; /* stem_len 0 = none */
    uint32_t sentence;       /* index of its sentence */
    uint8_t type;
    uint8_t flags;
    uint8_t norm_in_text;    /* the norm is the normalized text itself (no copy made) */
    uint8_t entry_inner;     /* how many tokens (Han degree words, negators, adverbs: score.c
                              * extend_phrase_over_modifier) stand inside the matched phrase,
                              * right after this one (價格|很|高 matched 價格高: 1), 0 if none */
    const voc_entry *entry;  /* lexicon entry matched at this token (phrase head) */
    const voc_entry *lookup; /* the lexicon's entry for the token's norm alone, any kind */
    bool looked_up;          /* lookup is set (the sentiment pass looked this token up) */
    uint8_t entry_tokens;    /* how many tokens the matched phrase covers */
    uint8_t word_lists;      /* VOC_WORDS_* of its norm, with VOC_WORDS_KNOWN once looked up */
    bool stem_looked_up;     /* stem_entry is set (voc__stem_entry) */
    bool phrases_walked;     /* the phrase_* fields are set (voc__phrases) */
    uint8_t phrase_sentiment_tokens, phrase_topic_tokens;
    uint8_t phrase_inner;    /* entry_inner of phrase_sentiment */
    const voc_entry *stem_entry; /* the lexicon's entry for its stem alone, any kind */
    const voc_entry *phrase_sentiment, *phrase_topic; /* voc__phrases */
} voc_tok;

/* One n-gram feature of a document: the hash of its name — voc__hash of the name written in
 * session->featnames (voc__model_features, for training and tests), or its voc__feat_key
 * when the model is applied and no names are written. */
typedef struct voc_feat {
    uint64_t hash;
    uint32_t name_off, name_len;
    uint32_t tok_first, tok_last;
    float value;             /* the clause weight of its tokens (score.c: contrast, irrealis) */
} voc_feat;

typedef struct voc_ev {
    uint32_t tok_first, tok_last; /* token range it covers */
    int kind;
    double weight;
    const char *term;
} voc_ev;

/* One slot of the session's word memo (segment.c): a word's norm, its Snowball stem and,
 * in analysis sessions, what the lexicon and the rules' word lists say about the norm and
 * the stem, so a repeated word costs one probe here instead of a stemmer run and four table
 * lookups. */
#define VOC_STEM_CACHE 16384
/* A word memo slot (segment.c).  lookup and stem_entry are filled only by sessions that look
 * lexicon entries up; the sessions that tokenize lexicon terms while an analyzer is built
 * (no_opencc) memoize stems alone, and a session never changes kind, so a slot's fields stay
 * true for the session's life. */
typedef struct voc_stem_slot {
    char word[24], stem[16]; /* (a word's slot is one 64-byte cache line: see analyzer.c) */
    uint8_t word_len, stem_len;
    bool has_stem;           /* stem is set (stem_len 0: the word has none) */
    bool looked_up;          /* lookup, stem_entry (when has_stem) and word_lists are set */
    bool used;               /* found or filled since the last eviction from its pair */
    uint8_t word_lists;      /* voc__word_lists_of the word */
    const voc_entry *lookup; /* the lexicon's entry for the word */
    const voc_entry *stem_entry; /* and for its stem (voc__stem_entry's answer) */
} voc_stem_slot;

struct voc_session {
    const voc_analyzer *analyzer;
    voc_icu *icu;
    voc_opencc *opencc;      /* opened on first Simplified run */
    struct sb_stemmer *stemmer;
    voc_stem_slot *stem_cache;  /* VOC_STEM_CACHE slots */
    voc_error opencc_error;
    bool opencc_failed;
    bool no_opencc;          /* lexicon building: terms are Traditional phrases, so no OpenCC
                              * and no sentence break */
    bool icu_words_only;     /* tests: skip the ASCII word and sentence fast paths, the
                              * scan's byte-class shortcuts and the work normalization's
                              * facts below let segment.c skip (original_caps,
                              * merge_split_units), to compare them with ICU and with every
                              * pattern test */
    bool icu_sentences_only; /* tests: skip the sentence fast paths alone (the tokens, and so
                              * the merging of sentences split inside one, stay the same) */
    size_t n_icu_sentences;  /* texts sent to ICU's sentence iterator (tests ask: did the
                              * fast paths decide?) */

    voc_buf repaired;        /* input after UTF-8 repair (when needed) */
    const char *text;        /* original (repaired) text the spans index */
    size_t text_len;
    unsigned warnings;

    /* normalization: norm text and, per norm byte, the original span of its unit */
    voc_buf norm, norm_tmp, scratch;
    uint32_t *map_start, *map_end;
    size_t map_cap;
    uint32_t *tmp_start, *tmp_end;
    size_t tmp_cap;
    unsigned short *align_cost;  /* OpenCC run alignment: edit-distance table, reused */
    size_t cap_align_cost;
    size_t *align_blocks;        /* and the aligned blocks, four numbers each */
    size_t cap_align_blocks;
    size_t n_han, n_simplified;  /* Han characters; Simplified-only ones among them */
    size_t n_converted;          /* Han runs OpenCC converted */
    /* What normalization saw, so segment.c can skip work that provably finds nothing:
     * whether the original text holds an upper-case ASCII letter (without one no word is
     * ALL-CAPS), and whether some normalization unit became more than one code point (an
     * NFKC expansion, a mark that did not compose with its base, an OpenCC phrase; "é" as
     * e + U+0301 composes to one): without one no token boundary can fall inside a unit,
     * so there is nothing to merge. */
    bool text_has_ascii_upper;
    bool norm_has_multi_cp_units;

    voc_buf strings;         /* token norms and stems */
    voc_tok *toks;
    size_t n_toks, cap_toks;
    voc_token *tokens;       /* public view */
    size_t cap_tokens;
    voc_span *nsent;         /* sentences in norm offsets */
    voc_span *sentences;     /* public: original offsets */
    size_t n_sent, cap_sent, cap_sent_pub;
    voc_ev *evs;
    size_t n_evs, cap_evs;
    voc_evidence *evidence;
    size_t cap_evidence;
    double *tok_weight;      /* per-token scaling used by the scorer */
    size_t cap_tok_weight;
    double *weigh_diff;      /* score.c: log clause weights of a sentence with many weighting words */
    size_t *weigh_stop;
    size_t cap_weigh_diff, cap_weigh_stop;
    double *tok_contrib;     /* each token's sentiment contribution (score.c), for topics */
    size_t cap_tok_contrib;
    double *sent_score;      /* each sentence's rule sum (score.c) */
    size_t cap_sent_score;
    uint32_t *term_toks;     /* the tokens with a lexicon entry, in order (voc__match_lexicon) */
    size_t n_term_toks, cap_term_toks;
    uint32_t *sent_first_tok; /* score.c: the first token of each sentence that holds any, then n_toks */
    size_t cap_sent_first_tok;
    /* topics found (topics.c) and emotions (emotions.c), the result's arrays */
    voc_pattern_state *pattern_state;
    uint32_t *clause_left, *clause_right, *sent_left, *sent_right; /* per token (topics.c) */
    double *contrib_prefix;
    size_t cap_clause_left, cap_clause_right, cap_sent_left, cap_sent_right, cap_contrib_prefix;
    struct voc_topic_mention *mentions;
    size_t n_mentions, cap_mentions;
    voc_topic_result *topics;
    size_t n_topics, cap_topics;
    voc_span *topic_spans;
    size_t n_topic_spans, cap_topic_spans;
    voc_emotion_result emotions[8];
    struct voc_flag_state *flag_state; /* flags.c's arrays and results, made on first use */
    size_t n_emotions;
    /* what the rules found, the model's inputs (score.c) */
    double rule_score, rule_pos, rule_neg;
    double recency, pos_recency_sum; /* the sentence's recency weight; positive sum with it */
    bool any_question, any_exclaim;
    bool sarcasm;            /* a sarcasm cue turned praise into complaint */
    bool neutral_cue;        /* a request or wish with no sentiment term (@request) */
    bool wish;               /* a wish (if, would, 如果…就更好了) with no sentiment term */
    bool polite_request;     /* a politeness formula and no sentiment term */
    double balance;          /* the strongest verdict of balance stated (not asked), 0 if none */
    uint32_t balance_tok;    /* ... its first token */
    uint32_t info_tok;       /* the first word of plain information or price (VOC_MOD_INFO),
                              * UINT32_MAX if none */
    int model;               /* VOC_MODEL_* the document is read by */
    const char *lang;        /* the document's language (analyzer.c), static string */
    unsigned n_waited;       /* waited durations the rules found ("2 hours", 三天) */
    voc_feat *feats;         /* n-gram features (model.c) */
    size_t n_feats, cap_feats;
    uint32_t *feat_set;      /* their de-duplication table (feature index + 1) */
    size_t cap_feat_set;
    voc_buf featnames;
    int32_t *cps;            /* code points of a Han run */
    uint32_t *cp_off;
    float *best;
    uint32_t *best_len;
    uint32_t *best_node;     /* trie node of the word chosen at each character, 0: unknown */
    size_t cap_cps;
};

static inline const char *voc__tok_norm(const voc_session *s, const voc_tok *t)
{
    return (t->norm_in_text ? s->norm.data : s->strings.data) + t->norm_off;
}
/* Whether token i's norm is the word w (a C string): the rules' tests for single words. */
static inline bool voc__tok_norm_is(const voc_session *s, size_t i, const char *w)
{
    const voc_tok *t = &s->toks[i];
    size_t len = strlen(w);
    return t->norm_len == len && !memcmp(voc__tok_norm(s, t), w, len);
}
/* Whether the text [p, p + len) is one of words (a NULL-ended list). */
static inline bool voc__text_in(const char *p, size_t len, const char *const *words)
{
    /* the first byte turns most words away before their length is counted */
    for (; *words; words++)
        if ((!len || **words == *p) && strlen(*words) == len && !memcmp(*words, p, len)) return true;
    return false;
}
/* Whether token i is a word that is one of words (a NULL-ended list). */
static inline bool voc__tok_is(const voc_session *s, size_t i, const char *const *words)
{
    const voc_tok *t = &s->toks[i];
    return t->type == VOC_TOKEN_WORD && voc__text_in(voc__tok_norm(s, t), t->norm_len, words);
}

/* The modifier kind of the lexicon entry matched at token t (VOC_MOD_NONE if none). */
/* Evidence of `kind` over tokens [first, last] (score.c; model.c adds its rules' too). */
int voc__add_ev(voc_session *s, size_t first, size_t last, int kind, double weight, const char *term);
/* ... over the whole lexicon match at token i (a phrase's every token). */
int voc__add_match_ev(voc_session *s, size_t i, int kind, double weight, const char *term);
static inline int voc__mod_kind(const voc_tok *t)
{
    return t->entry && (t->entry->flags & VOC_ENTRY_MODIFIER) ? t->entry->mod_kind : VOC_MOD_NONE;
}

/* A short word list entry: the literal and its length. */
typedef struct voc_word {
    const char *s;
    size_t len;
} voc_word;
#define VOC_WORD(lit) {lit, sizeof(lit) - 1}

/* The short word lists the rules test tokens against, a bit each: score.c's own, and
 * emotions.c's (voc__again_words, voc__why_words). */
enum { VOC_WORDS_QUANTITY = 1u << 0, VOC_WORDS_FILLER = 1u << 1, VOC_WORDS_DURATION = 1u << 2,
       VOC_WORDS_AGAIN = 1u << 3, VOC_WORDS_WHY = 1u << 4, VOC_WORDS_WAITING = 1u << 5,
       VOC_WORDS_AFFECT = 1u << 6, VOC_WORDS_KNOWN = 1u << 7 };
extern const voc_word voc__again_words[], voc__why_words[];
extern const size_t voc__n_again_words, voc__n_why_words;
/* score.c: file every list's words in a->word_slots (at analyzer creation). */
int voc__word_lists_build(voc_analyzer *a);
/* score.c: whether the negator at token i denies that anything was ever like what follows,
 * or is asked rhetorically, or praises past measure, so it does not negate: the term holds
 * ("never been so disappointed", "couldn't be happier", "can't recommend it enough",
 * 沒吃過這麼難吃的, 怎麼可能不好吃). */
bool voc__negator_intensifies(const voc_session *s, size_t i);
/* Whether negator i stands in a question that asserts: 難道/怎麼可能 … ("怎麼可能不好吃"),
 * "Isn't it beautiful?", "It's lovely, isn't it?" (score.c). */
bool voc__negator_rhetorical(const voc_session *s, size_t i);
/* score.c: the VOC_WORDS_* lists that hold token i's norm (looked up once, kept on the
 * token). */
unsigned voc__word_lists_find(voc_session *s, size_t i);
/* score.c: the VOC_WORDS_* lists that hold the word w[0..len) (without VOC_WORDS_KNOWN). */
unsigned voc__word_lists_of(const voc_analyzer *a, const char *w, size_t len);
static inline unsigned voc__word_lists(voc_session *s, size_t i)
{
    unsigned w = s->toks[i].word_lists;
    return w & VOC_WORDS_KNOWN ? w & ~VOC_WORDS_KNOWN : voc__word_lists_find(s, i);
}
/* Token i is clause punctuation (, ; : 、).  Inline, with voc__clause_break: the scorer,
 * the flags, the n-gram features and topics.c's clause bounds ask it of token after token
 * (a call per token was a quarter of the clause bounds' cost). */
static inline bool voc__clause_punct(const voc_session *s, size_t i)
{
    if (s->toks[i].type != VOC_TOKEN_PUNCT) return false;
    const char *n = voc__tok_norm(s, &s->toks[i]); /* not NUL-terminated: compare by length */
    size_t len = s->toks[i].norm_len;
    return n[0] == ',' || n[0] == ';' || n[0] == ':' ||
           (len == 3 && memcmp(n, "\xe3\x80\x81", 3) == 0) /* 、 */;
}
/* Token i ends a clause: clause punctuation or a contrast or concessive word (but, 但是,
 * although, 雖然).  Negation scope, aspect clauses and the n-gram negation marks all stop
 * there. */
static inline bool voc__clause_break(const voc_session *s, size_t i)
{
    int kind = voc__mod_kind(&s->toks[i]);
    return voc__clause_punct(s, i) || kind == VOC_MOD_CONTRAST || kind == VOC_MOD_CONCESSIVE;
}

/* normalize.c: fill session->norm and maps from session->text. */
int voc__normalize(voc_session *s);
bool voc__is_simplified_only(const voc_analyzer *a, int32_t cp);
/* analyzer.c: only CJK ideographs that normalization leaves as they are (no Simplified). */
bool voc__plain_han(const voc_analyzer *a, const char *s, size_t len);
bool voc__is_simplified_ambiguous(const voc_analyzer *a, int32_t cp);

/* segment.c: sentences and tokens from session->norm. */
int voc__segment(voc_session *s);
/* segment_han.c: tokens for the run of Han characters that starts at norm[start] (a Han
 * character); *end is set to where the run ends. */
int voc__segment_han(voc_session *s, size_t start, size_t *end);
/* segment.c: a term that is certainly one token (see lexicon building in analyzer.c). */
int voc__term_token(voc_session *s, const char *term, size_t len, bool han);
/* segment.c helper used by segment_han.c: append a token over norm[nstart..nend). */
int voc__push_token(voc_session *s, size_t nstart, size_t nend, int type, unsigned flags);

/* lexicon keying: tokenizes each row's term with the session and files it. */
int voc__lexicon_build(voc_analyzer *a, voc_lexrows *rows, voc_error *err);

/* topics.c: topics with aspect sentiment into s->topics (after voc__score). */
int voc__topics(voc_session *s);
/* emotions.c: emotions into s->emotions (after voc__score). */
int voc__emotions(voc_session *s, const voc_result *r);
/* emotions.c: an emotion's summed amount → whether it is kept, and then its score. */
bool voc__emotion_score(double sum, double *score);
/* flags.c: retention flags into r->flags (after voc__emotions: reads the label too). */
int voc__flags(voc_session *s, voc_result *r);
/* The same without the early end for documents in which find_cues sees nothing that can
 * make a hit (tests: the results must not differ). */
int voc__flags_every_pass(voc_session *s, voc_result *r);
typedef struct voc_flag_table voc_flag_table;
typedef struct voc_flag_state voc_flag_state;
/* flags.c: compile the VOC_FILE_FLAGS rows into a->flags (a session tokenizes the terms). */
int voc__flags_build(voc_analyzer *a, const voc_lexrows *rows, voc_error *err);
void voc__flags_free(voc_flag_table *t);
/* flags.c, for tests: whether the flags table's shortcuts hold for each token of s's
 * document — its entry read off its scorer lookup (the table's link to the scorer's lexicon)
 * is the one its norm hashes to, a key of its norm and the next with a space between has
 * its pair in the table's pair filter, and the typo filter lets every misspelling through
 * (misspelt agrees with slip_target); whether two tables (built, loaded) hold the same link
 * and filters. */
bool voc__flags_shortcuts_agree(voc_session *s);
bool voc__flags_same_links(const voc_flag_table *a, const voc_flag_table *b);
/* flags.c: a->flags into the cache file, and back (a->flags NULL when the file had none;
 * VOC_ELEXICON when the section is damaged, VOC_ENOMEM). */
void voc__flags_save(const voc_analyzer *a, voc_cache_writer *w);
int voc__flags_load(voc_analyzer *a, voc_cache_reader *r);
/* patterns.c: the literals of p into the cache file, and back as views into it
 * (VOC_ELEXICON when the section is damaged: an offset or index out of range; the reader is
 * then failed). */
void voc__patterns_put_literals(const voc_patterns *p, voc_cache_writer *w);
int voc__patterns_take_literals(voc_pattern_literals *out, voc_cache_reader *r);
size_t voc__flags_count(const voc_flag_table *t);  /* rows compiled */
/* Rows that gave a key an earlier row already had (*first: "FILE:LINE: 'term'" of the
 * first); the lint wants none in one directory, user directories override on purpose. */
size_t voc__flags_collisions(const voc_flag_table *t, const char **first);
void voc__flag_state_free(voc_flag_state *st);
/* flags.c: check a flags.tsv row's flag, cue and severity columns (lexicon.c's loader);
 * NULL when good, else why not with *bad_col (1..3) the column; *value = the severity
 * (1..3) or count the row stands for. */
const char *voc__flag_row_check(const char *flag, const char *cue, const char *severity,
                                float *value, int *bad_col);
/* score.c: the longest lexicon entries starting at token i, through phrase prefixes: the
 * longest with a valence or modifier (the sentiment pass's) and the longest topic term (the
 * topic pass's), in tok->phrase_sentiment and ->phrase_topic with their lengths in tokens.
 * Walked once per token (both passes ask), kept on it. */
void voc__phrases_walk(voc_session *s, size_t i);
static inline void voc__phrases(voc_session *s, size_t i)
{
    voc_tok *t = &s->toks[i];
    if (t->phrases_walked) return;
    if (t->looked_up && !t->lookup) { /* most words: no entry, so no phrase starts here */
        t->phrases_walked = true;
        t->phrase_sentiment = t->phrase_topic = NULL;
        t->phrase_sentiment_tokens = t->phrase_topic_tokens = 0;
        return;
    }
    voc__phrases_walk(s, i);
}
/* score.c: the entry of token i's norm alone (cached on the token; inline when it is, as the
 * word memo leaves most words). */
const voc_entry *voc__token_entry_find(voc_session *s, size_t i);
static inline const voc_entry *voc__token_entry(voc_session *s, size_t i)
{
    return s->toks[i].looked_up ? s->toks[i].lookup : voc__token_entry_find(s, i);
}
/* score.c: the entry of token i's stem alone, NULL without a stem (cached on the token). */
const voc_entry *voc__stem_entry_find(voc_session *s, size_t i);
static inline const voc_entry *voc__stem_entry(voc_session *s, size_t i)
{
    return s->toks[i].stem_looked_up ? s->toks[i].stem_entry : voc__stem_entry_find(s, i);
}

/* score.c: rules and lexicon; then model.c (when a model is loaded) decides the label */
int voc__score(voc_session *s, voc_result *r);
/* Rule-based probabilities from s->rule_score (no model), and their logits (neutral 0,
 * the polar classes a logistic ramp of the score around the ±0.05 band). */
void voc__rule_probs(voc_session *s, voc_result *r);
void voc__rule_logits(double score, double z[3]);
/* The most probable class as label, its probability as confidence (ties: neutral, then
 * positive over negative). */
void voc__label_from_probs(voc_result *r);
/* model.c: the document's n-gram features into s->feats (unique, in text order) and its
 * dense features into dense[]. */
int voc__model_features(voc_session *s, double dense[VOC_N_DENSE]);
/* model.c: label, score, probs and n-gram evidence from the model. */
int voc__model_apply(voc_session *s, const voc_model *m, voc_result *r);
/* lexicon lookup on the token stream: marks toks[i].entry and lists the tokens that got one
 * in s->term_toks (VOC_ENOMEM when out of memory) */
int voc__match_lexicon(voc_session *s);

/* record_csv.c: one RFC 4180 field (quoted when needed; `text`: input text, guarded against
 * spreadsheet formulas), preceded by a comma unless `first`. */
void voc__csv_field(voc_buf *b, const char *s, size_t len, bool text, bool first);

/* record.c: a survey metric's name ("nps", NULL for none) and group ("promoter" …). */
const char *voc__metric_name(int kind);
const char *voc__metric_group(int kind, double value);

/* json_writer.c: a small escaping JSON writer over a voc_buf. */
void voc__json_str(voc_buf *b, const char *s, size_t len);  /* quoted, escaped */
/* The same for a string already known to be valid UTF-8 (faster on non-ASCII text). */
void voc__json_str_utf8(voc_buf *b, const char *s, size_t len);
void voc__json_raw(voc_buf *b, const char *s);
/* A string literal, without strlen at run time. */
#define VOC_JSON_LIT(b, lit) voc__buf_append((b), (lit), sizeof(lit) - 1)
void voc__json_size(voc_buf *b, size_t v);
void voc__json_integer(voc_buf *b, long long v);
int voc__json_ok(const voc_buf *b);                          /* 0 unless an append failed */
/* The same written at a pointer, for writers that check room once for several pieces: each
 * writes at o, which must have the room given, and returns the end (no NUL).  Strings go
 * through these at most VOC_JSON_PUT_MAX bytes at a time (longer ones in pieces), so the
 * room never overflows. */
#define VOC_JSON_PUT_MAX 4096
#define VOC_JSON_STR_ROOM(len) ((len) * 6 + 16)  /* every byte a \u00XX, the quotes, slack */
#define VOC_JSON_NUM_ROOM 400                     /* "%.4f" of the largest double, with slack */
#define VOC_JSON_SIZE_ROOM 24
char *voc__json_put_str(char *o, const char *s, size_t len);
char *voc__json_put_str_utf8(char *o, const char *s, size_t len);
char *voc__json_put_num(char *o, double v);
/* A size: under 100 (most offsets and counts of a record) inline, from 100 on out of line. */
extern const char voc__digit_pairs[201]; /* "00" "01" … "99" */
char *voc__json_put_size_long(char *o, size_t v);
static inline char *voc__json_put_size(char *o, size_t v)
{
    if (v >= 100) return voc__json_put_size_long(o, v);
    memcpy(o, voc__digit_pairs + 2 * v + (v < 10), 2); /* 0-9: the digit and a byte of room */
    return o + 1 + (v >= 10);
}

/* json_read.c: one JSON text (a line, a stored record) → a flat tree of nodes inside one
 * copy of the text, strings unescaped in place.  node[0] is the root; a container's first
 * member is the node after it, each member names its next sibling (0: none). */
enum { VOC_JSON_NULL, VOC_JSON_FALSE, VOC_JSON_TRUE, VOC_JSON_NUMBER, VOC_JSON_STRING,
       VOC_JSON_ARRAY, VOC_JSON_OBJECT };
#define VOC_JSON_MAX_DEPTH 32
#define VOC_JSON_MAX_NODES (1u << 20)
typedef struct voc_json_node {
    unsigned char type;
    uint32_t key, key_len; /* an object member's name in text (key UINT32_MAX: none) */
    uint32_t val, len;     /* string or number: its bytes in text; container: its members */
    uint32_t next;         /* index of the next sibling, 0 for the last */
} voc_json_node;
typedef struct voc_json {
    char *text;            /* the copy the strings and numbers live in, each NUL-terminated */
    voc_json_node *node;   /* the first nodes share text's allocation (node_inline) */
    size_t count, cap;
    bool node_inline;
} voc_json;
/* VOC_OK, VOC_ENOMEM, or VOC_EPARSE with *why and the offending byte *where. */
int voc__json_parse(voc_json *j, const char *data, size_t len, size_t *where, const char **why);
/* Member names prepared for voc__json_parse_only: their lengths, first bytes and first eight
 * bytes, so a member's name is told apart from most of them by two table lookups and the rest
 * by one compare.  Immutable once made: made
 * once (per reader), read by any thread. */
#define VOC_JSON_MAX_WANTED 32
typedef struct voc_json_names {
    size_t n;
    const char *name[VOC_JSON_MAX_WANTED];  /* borrowed: must outlive the set */
    uint32_t len[VOC_JSON_MAX_WANTED];
    uint64_t head[VOC_JSON_MAX_WANTED];
    uint32_t by_len[33];                    /* names of each length (32: that or longer), a bit each */
    uint32_t by_first[256];                 /* names by first byte ("": by NUL), a bit each */
} voc_json_names;
/* names[0..n) (each non-NULL) → *out; VOC_EINVAL when n > VOC_JSON_MAX_WANTED. */
int voc__json_names_init(voc_json_names *out, const char *const *names, size_t n);
/* voc__json_parse, but when the root is an object only its members named in `names` get nodes
 * (and all they hold); the others are checked just as strictly, with the same errors at the
 * same bytes, and skipped.  slot[k] = index of the last member named names->name[k], 0 when
 * none (slot has names->n entries). */
int voc__json_parse_only(voc_json *j, const char *data, size_t len, const voc_json_names *names,
                         uint32_t *slot, size_t *where, const char **why);
void voc__json_free(voc_json *j);
const voc_json_node *voc__json_root(const voc_json *j);
const voc_json_node *voc__json_get(const voc_json *j, const voc_json_node *obj, const char *name);
const voc_json_node *voc__json_first(const voc_json *j, const voc_json_node *container);
const voc_json_node *voc__json_next(const voc_json *j, const voc_json_node *member);
const char *voc__json_string(const voc_json *j, const voc_json_node *n, size_t *len); /* NULL: not a string */
const char *voc__json_key(const voc_json *j, const voc_json_node *member, size_t *len);
bool voc__json_number(const voc_json *j, const voc_json_node *n, double *out);   /* false: not a number */
double voc__json_double(const voc_json *j, const voc_json_node *n);              /* 0 unless a number */
bool voc__json_is_integer(const voc_json *j, const voc_json_node *n);
long long voc__json_int(const voc_json *j, const voc_json_node *n);

#endif /* VOCMINE_INTERNAL_H */
