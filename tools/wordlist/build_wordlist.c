/*
 * build_wordlist.c — learns lexicons/zh-Hant/words.tsv, the Traditional Chinese word list
 * with counts that vocmine's Han segmenter uses as its dictionary.
 *
 * Part of the developer tooling (tools/wordlist/), not of vocmine itself: tools/build-wordlist
 * compiles it and runs it on ../shared/data/dev/zh_*.jsonl. Nothing in the build or the
 * tests needs it.
 *
 * What it does:
 *  1. Reads JSONL files (field "text"; lines that fail to parse are skipped and counted on
 *     stderr). Texts with "lang":"zh-Hans" go through OpenCC s2twp.json (Traditional
 *     Chinese, Taiwan phrases); others are used as they are. All are normalized to NFC.
 *  2. Splits each text with one ICU word-break iterator (locale zh_Hant) and keeps the
 *     segments made only of Han characters (Script=Han), 1-6 characters long. A longer
 *     segment that begins with a negator or degree word (不 沒 很 非常 有點 太 超), unless it
 *     is a word in its own right (KEEP), is not kept whole: the prefix becomes a token of its
 *     own and the text is broken again just after it (很好|吃 -> 很|好吃); so does a particle
 *     before a numeral (了三|週 -> 了|三週).
 *  3. ICU's dictionary lacks many everyday words of this domain and leaves them as single
 *     characters (客|服, 外|賣, 入|住). Adjacent single characters are joined into one word
 *     when the pair occurs at least PAIR_MIN_COUNT times with PMI >= PAIR_MIN_PMI bits,
 *     contains no FUNCTION_CHARS and is not cut by the rule of step 2; a run of three whose
 *     two pairs both qualify is joined when the run occurs PAIR_MIN_COUNT times (價效比).
 *  4. Writes TSV to stdout: a 3-line comment header, the header `word<TAB>count`, then rows
 *     in byte order (as LC_ALL=C sort), keeping single characters with count >= 1 and longer
 *     words with count >= 3. A summary goes to stderr.
 *
 * Usage: build_wordlist FILE.jsonl... > words.tsv
 */
#define _POSIX_C_SOURCE 200809L /* getline, ssize_t */

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <opencc/opencc.h>
#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/uversion.h>
#include <unicode/utf16.h>

#ifndef OPENCC_VERSION_STRING /* tools/build-wordlist passes pkg-config's version */
#define OPENCC_VERSION_STRING "(version unknown)"
#endif

#define MAX_WORD_CHARS 6
#define MIN_MULTI_COUNT 3
#define PAIR_MIN_COUNT 10 /* joining 客|服: pair seen at least this often ... */
#define PAIR_MIN_PMI 5.0  /* ... with pointwise mutual information (bits) at least this */

/* ---------------------------------------------------------------------------------------- */
/* Memory helpers and the vocabulary (word <-> id, open-addressing hash over UTF-8 keys).    */

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fputs("build_wordlist: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

#define NO_ID UINT32_MAX

typedef struct {
    uint32_t *slots; /* word ids, NO_ID when empty */
    size_t cap;      /* power of two */
    char **word;     /* by id: NUL-terminated UTF-8 */
    uint8_t *chars;  /* by id: length in code points */
    size_t n, capw;
} Vocab;

static void vocab_rehash(Vocab *v)
{
    size_t ncap = v->cap ? v->cap * 2 : 4096;
    uint32_t *ns = xrealloc(NULL, ncap * sizeof *ns);
    for (size_t i = 0; i < ncap; i++)
        ns[i] = NO_ID;
    for (size_t id = 0; id < v->n; id++) {
        size_t j = (size_t)hash_bytes(v->word[id], strlen(v->word[id])) & (ncap - 1);
        while (ns[j] != NO_ID)
            j = (j + 1) & (ncap - 1);
        ns[j] = (uint32_t)id;
    }
    free(v->slots);
    v->slots = ns;
    v->cap = ncap;
}

/* Id of the word w[0..n), added if new. */
static uint32_t vocab_id(Vocab *v, const char *w, size_t n)
{
    if ((v->n + 1) * 2 > v->cap)
        vocab_rehash(v);
    size_t j = (size_t)hash_bytes(w, n) & (v->cap - 1);
    for (; v->slots[j] != NO_ID; j = (j + 1) & (v->cap - 1)) {
        const char *k = v->word[v->slots[j]];
        if (strlen(k) == n && memcmp(k, w, n) == 0)
            return v->slots[j];
    }
    if (v->n == v->capw) {
        v->capw = v->capw ? v->capw * 2 : 4096;
        v->word = xrealloc(v->word, v->capw * sizeof *v->word);
        v->chars = xrealloc(v->chars, v->capw * sizeof *v->chars);
    }
    char *k = xrealloc(NULL, n + 1);
    memcpy(k, w, n);
    k[n] = '\0';
    uint8_t chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)w[i] & 0xC0) != 0x80;
    v->word[v->n] = k;
    v->chars[v->n] = chars;
    v->slots[j] = (uint32_t)v->n;
    return (uint32_t)v->n++;
}

/* ---------------------------------------------------------------------------------------- */
/* Negator / degree-word rule.                                                              */

static const char *const PREFIXES[] = {"非常", "有點", "不", "沒", "很", "太", "超"};

static const char *const KEEP[] = {
    "不過", "不錯", "不同", "不斷", "不管", "不然", "不僅", "不如", "不得不",
    "不少", "不久", "不便", "不滿", "不爽", "不適", "不妥", "不推", "沒關係",
    "沒辦法", "沒想到", "太陽", "太太", "超市", "超商", "超過",
};

/* A particle or verb of being/having before a numeral: ICU's dictionary has segments such as
 * 了一 and 了三 (等了三週 came out 等|了三|週, so the amount 三週 was never read as a waited
 * duration), 有一, 又一, 從一; the particle is a token of its own (等|了|三|週, 又|一次). */
static const char PARTICLES_BEFORE_NUMERALS[] = "了過著得有又從為";
static const char NUMERALS[] = "一二三四五六七八九十兩幾半";

static int char_in(const char *set, const char *w) /* w's first character (3 bytes) in set */
{
    for (const char *p = set; *p; p += 3)
        if (memcmp(p, w, 3) == 0)
            return 1;
    return 0;
}

/* Length in bytes of the negator/degree prefix that the word w[0..n) must be split after,
 * or 0 if the word is kept whole (a prefix alone, e.g. 不 or 非常, is kept); likewise a
 * particle before a numeral (PARTICLES_BEFORE_NUMERALS). */
static size_t split_prefix(const char *w, size_t n)
{
    if (n >= 6 && char_in(PARTICLES_BEFORE_NUMERALS, w) && char_in(NUMERALS, w + 3))
        return 3;
    for (size_t i = 0; i < sizeof KEEP / sizeof *KEEP; i++)
        if (strlen(KEEP[i]) == n && memcmp(KEEP[i], w, n) == 0)
            return 0;
    for (size_t i = 0; i < sizeof PREFIXES / sizeof *PREFIXES; i++) {
        size_t p = strlen(PREFIXES[i]);
        if (n > p && memcmp(PREFIXES[i], w, p) == 0)
            return p;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Segmentation into a token stream.                                                        */

#define GLUED 0x80000000u /* token flag: starts where the previous Han token ended */

typedef struct {
    UBreakIterator *bi; /* the one word-break iterator, reused for every text */
    Vocab voc;
    uint32_t *tok; /* all Han tokens of all texts, in order: id | GLUED */
    size_t ntok, captok;
    int32_t *bounds;
    size_t capb;
    unsigned long split;    /* segments split by the negator/degree rule */
    unsigned long too_long; /* Han segments longer than MAX_WORD_CHARS, not counted */
} Ctx;

/* Number of code points in s[0..n) if all are Script=Han, else 0. */
static int32_t han_length(const UChar *s, int32_t n)
{
    int32_t i = 0, chars = 0;
    while (i < n) {
        UChar32 c;
        U16_NEXT(s, i, n, c);
        UErrorCode st = U_ZERO_ERROR;
        if (uscript_getScript(c, &st) != USCRIPT_HAN || U_FAILURE(st))
            return 0;
        chars++;
    }
    return chars;
}

static void emit(Ctx *cx, const char *w, size_t n, int glued)
{
    if (cx->ntok == cx->captok) {
        cx->captok = cx->captok ? cx->captok * 2 : 1 << 16;
        cx->tok = xrealloc(cx->tok, cx->captok * sizeof *cx->tok);
    }
    cx->tok[cx->ntok++] = vocab_id(&cx->voc, w, n) | (glued ? GLUED : 0);
}

/* Word-breaks s[0..n) and appends its Han segments to the token stream. When a segment
 * starts with a negator or degree word that must stay a token of its own, the prefix is
 * emitted and the text is broken again from just after it (so 很好吃, which ICU splits
 * 很好|吃, yields 很|好吃). The iterator is reset each time; boundaries are copied first. */
static void segment_text(Ctx *cx, const UChar *s, int32_t n)
{
    int32_t off = 0, prev_end = -1;
    while (off < n) {
        UErrorCode st = U_ZERO_ERROR;
        ubrk_setText(cx->bi, s + off, n - off, &st);
        if (U_FAILURE(st)) {
            fprintf(stderr, "build_wordlist: ubrk_setText: %s\n", u_errorName(st));
            return;
        }
        size_t nb = 0;
        for (int32_t p = ubrk_first(cx->bi); p != UBRK_DONE; p = ubrk_next(cx->bi)) {
            if (nb == cx->capb) {
                cx->capb = cx->capb ? cx->capb * 2 : 256;
                cx->bounds = xrealloc(cx->bounds, cx->capb * sizeof *cx->bounds);
            }
            cx->bounds[nb++] = off + p;
        }
        int32_t restart = -1;
        for (size_t i = 1; i < nb && restart < 0; i++) {
            int32_t b0 = cx->bounds[i - 1], b1 = cx->bounds[i];
            int32_t chars = han_length(s + b0, b1 - b0);
            if (chars == 0)
                continue;
            if (chars > MAX_WORD_CHARS * 4) { /* no prefix rule can apply usefully */
                cx->too_long++;
                continue;
            }
            char buf[4 * MAX_WORD_CHARS * 4 + 1];
            int32_t blen = 0;
            st = U_ZERO_ERROR;
            u_strToUTF8(buf, (int32_t)sizeof buf, &blen, s + b0, b1 - b0, &st);
            if (U_FAILURE(st))
                continue;
            size_t p = chars > 1 ? split_prefix(buf, (size_t)blen) : 0;
            if (p) {
                int32_t pchars = 0, e = b0;
                for (size_t k = 0; k < p; k++)
                    pchars += ((unsigned char)buf[k] & 0xC0) != 0x80;
                U16_FWD_N(s, e, b1, pchars);
                cx->split++;
                emit(cx, buf, p, b0 == prev_end);
                prev_end = restart = e;
            } else if (chars > MAX_WORD_CHARS) {
                cx->too_long++;
            } else {
                emit(cx, buf, (size_t)blen, b0 == prev_end);
                prev_end = b1;
            }
        }
        if (restart < 0)
            break;
        off = restart;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Joining character pairs that ICU's dictionary does not know (客|服 -> 客服).               */

typedef struct {
    uint64_t key; /* (a+1) << 32 | (b+1); 0 when empty */
    unsigned long count;
    double score; /* PMI in bits, or -1 when not a word */
} Pair;

typedef struct {
    Pair *slots;
    size_t cap, used;
} Pairs;

static uint64_t pair_key(uint32_t a, uint32_t b)
{
    return ((uint64_t)a + 1) << 32 | ((uint64_t)b + 1);
}

static Pair *pair_get(Pairs *t, uint64_t key, int add)
{
    if (add && (t->used + 1) * 2 > t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 4096;
        Pair *ns = calloc(ncap, sizeof *ns);
        if (!ns) {
            fputs("build_wordlist: out of memory\n", stderr);
            exit(1);
        }
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slots[i].key)
                continue;
            size_t j = (size_t)(t->slots[i].key * 0x9E3779B97F4A7C15ULL >> 20) & (ncap - 1);
            while (ns[j].key)
                j = (j + 1) & (ncap - 1);
            ns[j] = t->slots[i];
        }
        free(t->slots);
        t->slots = ns;
        t->cap = ncap;
    }
    if (!t->cap)
        return NULL;
    size_t j = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 20) & (t->cap - 1);
    for (; t->slots[j].key; j = (j + 1) & (t->cap - 1))
        if (t->slots[j].key == key)
            return &t->slots[j];
    if (!add)
        return NULL;
    t->slots[j].key = key;
    t->used++;
    return &t->slots[j];
}

/* Id of the word made of words a and b written together. */
static uint32_t join_id(Vocab *v, uint32_t a, uint32_t b)
{
    char w[4 * MAX_WORD_CHARS + 1];
    int n = snprintf(w, sizeof w, "%s%s", v->word[a], v->word[b]);
    if (n < 0 || (size_t)n >= sizeof w) {
        fputs("build_wordlist: joined word too long\n", stderr);
        exit(1);
    }
    return vocab_id(v, w, (size_t)n);
}

/* Function characters (particles, pronouns, adverbs, demonstratives, numerals used as
 * counters) that join their neighbours far more often than they form words with them:
 * a pair containing one is never joined (讓|我, 都|涼, 這|款, 一|瓶). */
static const char FUNCTION_CHARS[] =
    "的了是在也都就還又再會要把被給讓幫令害我你他她您它這那有和跟對向為全只隻一兩個吧啊呢嗎啦";

static int is_function_char(const char *w)
{
    /* every character listed is a 3-byte (BMP) UTF-8 sequence */
    return strlen(w) == 3 && char_in(FUNCTION_CHARS, w);
}

/* Score of the pair tok[i], tok[i+1] if it is to be joined, else -1. */
static double join_score(Pairs *pairs, const uint32_t *tok, size_t ntok, size_t i)
{
    if (i + 1 >= ntok || !(tok[i + 1] & GLUED))
        return -1;
    Pair *p = pair_get(pairs, pair_key(tok[i] & ~GLUED, tok[i + 1] & ~GLUED), 0);
    return p ? p->score : -1;
}

/* ---------------------------------------------------------------------------------------- */
/* Reading texts.                                                                           */

typedef struct {
    UChar *u16, *nfc;
    int32_t cap16, capnfc;
} Buffers;

static void add_text(Ctx *cx, Buffers *bf, const char *utf8, size_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;

    if (len > INT32_MAX / 4)
        return;
    if (bf->cap16 < (int32_t)len + 1) {
        bf->cap16 = (int32_t)len + 1; /* UTF-16 units never exceed UTF-8 bytes */
        bf->u16 = xrealloc(bf->u16, (size_t)bf->cap16 * sizeof(UChar));
    }
    u_strFromUTF8WithSub(bf->u16, bf->cap16, &n, utf8, (int32_t)len, 0xFFFD, NULL, &st);
    if (U_FAILURE(st))
        return;

    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    if (U_FAILURE(st))
        return;
    int32_t need = unorm2_normalize(nfc, bf->u16, n, bf->nfc, bf->capnfc, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
        st = U_ZERO_ERROR;
        bf->capnfc = need + 1;
        bf->nfc = xrealloc(bf->nfc, (size_t)bf->capnfc * sizeof(UChar));
        need = unorm2_normalize(nfc, bf->u16, n, bf->nfc, bf->capnfc, &st);
    }
    if (U_FAILURE(st))
        return;
    segment_text(cx, bf->nfc, need);
}

typedef struct {
    const char *word;
    unsigned long count;
} Row;

static int cmp_row(const void *a, const void *b)
{
    /* strcmp compares as unsigned char: byte order, as LC_ALL=C sort. */
    return strcmp(((const Row *)a)->word, ((const Row *)b)->word);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: build_wordlist FILE.jsonl... > words.tsv\n", stderr);
        return 2;
    }

    opencc_t cc = opencc_open("s2twp.json");
    if (cc == (opencc_t)-1) {
        fprintf(stderr, "build_wordlist: cannot open OpenCC config s2twp.json: %s\n",
                opencc_error());
        return 1;
    }
    UErrorCode st = U_ZERO_ERROR;
    Ctx cx = {0};
    cx.bi = ubrk_open(UBRK_WORD, "zh_Hant", NULL, 0, &st);
    if (U_FAILURE(st)) {
        fprintf(stderr, "build_wordlist: ubrk_open: %s\n", u_errorName(st));
        return 1;
    }

    /* 1. Segment every text into one token stream. */
    Buffers bf = {0};
    unsigned long texts = 0, converted = 0, bad = 0, notext = 0;
    char *line = NULL;
    size_t linecap = 0;
    for (int a = 1; a < argc; a++) {
        FILE *f = fopen(argv[a], "r");
        if (!f) {
            fprintf(stderr, "build_wordlist: %s: %s\n", argv[a], strerror(errno));
            return 1;
        }
        unsigned long bad_here = 0;
        ssize_t got;
        while ((got = getline(&line, &linecap, f)) != -1) {
            size_t len = (size_t)got;
            while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                len--;
            if (len == 0)
                continue;
            line[len] = '\0';
            json_object *obj = json_tokener_parse(line); /* the line is NUL-terminated */
            if (!obj || !json_object_is_type(obj, json_type_object)) {
                bad_here++;
                json_object_put(obj);
                continue;
            }
            json_object *jt = NULL, *jl = NULL;
            if (!json_object_object_get_ex(obj, "text", &jt) || !json_object_is_type(jt, json_type_string)) {
                notext++;
                json_object_put(obj);
                continue;
            }
            const char *text = json_object_get_string(jt);
            size_t tlen = (size_t)json_object_get_string_len(jt);
            const char *lang = json_object_object_get_ex(obj, "lang", &jl) &&
                                       json_object_is_type(jl, json_type_string)
                                   ? json_object_get_string(jl)
                                   : NULL;
            texts++;
            if (lang && strcmp(lang, "zh-Hans") == 0) {
                char *t = opencc_convert_utf8(cc, text, tlen);
                if (!t) {
                    fprintf(stderr, "build_wordlist: OpenCC: %s\n", opencc_error());
                    return 1;
                }
                converted++;
                add_text(&cx, &bf, t, strlen(t));
                opencc_convert_utf8_free(t);
            } else {
                add_text(&cx, &bf, text, tlen);
            }
            json_object_put(obj);
        }
        if (ferror(f)) {
            fprintf(stderr, "build_wordlist: %s: read error\n", argv[a]);
            return 1;
        }
        fclose(f);
        if (bad_here)
            fprintf(stderr, "build_wordlist: %s: skipped %lu line(s) that failed to parse\n",
                    argv[a], bad_here);
        bad += bad_here;
    }
    free(line);
    free(bf.u16);
    free(bf.nfc);
    free(cx.bounds);
    ubrk_close(cx.bi);
    opencc_close(cc);

    /* 2. Count tokens and glued pairs of single characters. */
    size_t nvoc = cx.voc.n;
    unsigned long *c1 = calloc(nvoc ? nvoc : 1, sizeof *c1);
    if (!c1) {
        fputs("build_wordlist: out of memory\n", stderr);
        return 1;
    }
    Pairs pairs = {0};
    for (size_t i = 0; i < cx.ntok; i++) {
        uint32_t a = cx.tok[i] & ~GLUED;
        c1[a]++;
        if (i + 1 < cx.ntok && (cx.tok[i + 1] & GLUED) && cx.voc.chars[a] == 1 &&
            cx.voc.chars[cx.tok[i + 1] & ~GLUED] == 1)
            pair_get(&pairs, pair_key(a, cx.tok[i + 1] & ~GLUED), 1)->count++;
    }
    unsigned long ntok0 = (unsigned long)cx.ntok;
    size_t joined_words = 0;
    for (size_t i = 0; i < pairs.cap; i++) {
        Pair *p = &pairs.slots[i];
        if (!p->key)
            continue;
        uint32_t a = (uint32_t)(p->key >> 32) - 1, b = (uint32_t)p->key - 1;
        double pmi = log2((double)p->count * (double)ntok0 / ((double)c1[a] * (double)c1[b]));
        uint32_t ab = join_id(&cx.voc, a, b); /* may grow cx.voc.word: index after */
        const char *w = cx.voc.word[ab];
        int ok = p->count >= PAIR_MIN_COUNT && pmi >= PAIR_MIN_PMI &&
                 split_prefix(w, strlen(w)) == 0 && !is_function_char(cx.voc.word[a]) &&
                 !is_function_char(cx.voc.word[b]);
        p->score = ok ? pmi : -1;
        joined_words += ok;
    }

    /* 3. Runs of three single characters whose two pairs both qualify (價|效|比, 送|餐|員)
     *    are joined as one word when the run itself is seen PAIR_MIN_COUNT times. */
    Pairs triples = {0};
    for (size_t i = 0; i + 2 < cx.ntok; i++) {
        if (join_score(&pairs, cx.tok, cx.ntok, i) >= 0 &&
            join_score(&pairs, cx.tok, cx.ntok, i + 1) >= 0) {
            uint32_t ab = join_id(&cx.voc, cx.tok[i] & ~GLUED, cx.tok[i + 1] & ~GLUED);
            pair_get(&triples, pair_key(ab, cx.tok[i + 2] & ~GLUED), 1)->count++;
        }
    }
    size_t joined3 = 0;
    for (size_t i = 0; i < triples.cap; i++) {
        Pair *p = &triples.slots[i];
        if (!p->key)
            continue;
        p->score = p->count >= PAIR_MIN_COUNT ? 1 : -1;
        joined3 += p->count >= PAIR_MIN_COUNT;
    }

    /* 4. Join (left to right: a qualifying triple first, else a pair unless the next,
     *    overlapping pair scores higher) and count the final tokens. */
    unsigned long *count = NULL;
    size_t capcount = 0;
    unsigned long tokens = 0, joins = 0;
    for (size_t i = 0; i < cx.ntok; i++) {
        uint32_t id = cx.tok[i] & ~GLUED;
        double s = join_score(&pairs, cx.tok, cx.ntok, i);
        double s2 = join_score(&pairs, cx.tok, cx.ntok, i + 1);
        if (s >= 0 && s2 >= 0) {
            uint32_t ab = join_id(&cx.voc, id, cx.tok[i + 1] & ~GLUED);
            Pair *t = pair_get(&triples, pair_key(ab, cx.tok[i + 2] & ~GLUED), 0);
            if (t && t->score >= 0) {
                id = join_id(&cx.voc, ab, cx.tok[i + 2] & ~GLUED);
                i += 2;
                joins++;
                s = -1;
            }
        }
        if (s >= 0 && s2 <= s) {
            id = join_id(&cx.voc, id, cx.tok[i + 1] & ~GLUED);
            i++;
            joins++;
        }
        if (id >= capcount) {
            size_t ncap = cx.voc.n > capcount * 2 ? cx.voc.n : capcount * 2;
            count = xrealloc(count, ncap * sizeof *count);
            memset(count + capcount, 0, (ncap - capcount) * sizeof *count);
            capcount = ncap;
        }
        count[id]++;
        tokens++;
    }

    /* 5. Filter, sort, print. */
    Row *rows = xrealloc(NULL, cx.voc.n * sizeof *rows);
    size_t nrows = 0;
    unsigned long kept_tokens = 0, multi = 0;
    size_t distinct = 0;
    for (size_t id = 0; id < cx.voc.n && id < capcount; id++) {
        if (count[id] == 0)
            continue;
        distinct++;
        if (cx.voc.chars[id] == 1 || count[id] >= MIN_MULTI_COUNT) {
            rows[nrows].word = cx.voc.word[id];
            rows[nrows++].count = count[id];
            kept_tokens += count[id];
            multi += cx.voc.chars[id] > 1;
        }
    }
    qsort(rows, nrows, sizeof *rows, cmp_row);

    fputs("# vocmine zh-Hant general word list with corpus counts (Han segmenter dictionary): "
          "ICU zh_Hant word segments plus frequent character pairs ICU leaves split, OpenCC "
          "s2twp for zh-Hans text; single characters kept at count >= 1, longer words at "
          "count >= 3.\n"
          "# Reproduce from the repository root: tools/build-wordlist "
          "(compiles tools/wordlist/build_wordlist.c and runs it on "
          "../shared/data/dev/zh_*.jsonl); built with ICU ",
          stdout);
    UVersionInfo uv;
    char uvs[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(uv);
    u_versionToString(uv, uvs);
    printf("%s and OpenCC %s, whose dictionaries decide the result.\n", uvs,
           OPENCC_VERSION_STRING);
    fputs("# Counts learned from ../shared/data/dev (third-party labeled reviews; licence none "
          "stated by the sources of the zh_* files); only counts are kept, the data is not "
          "redistributed.\n"
          "word\tcount\n",
          stdout);
    for (size_t i = 0; i < nrows; i++)
        printf("%s\t%lu\n", rows[i].word, rows[i].count);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs("build_wordlist: write error\n", stderr);
        return 1;
    }

    fprintf(stderr,
            "build_wordlist: %lu texts (%lu converted from zh-Hans), %lu unparsable line(s), "
            "%lu without text\n"
            "build_wordlist: %lu ICU Han tokens; %lu segments split by the negator/degree "
            "rule; %lu over %d characters not counted; %zu character pairs and %zu triples "
            "qualify as words (%lu joins)\n"
            "build_wordlist: %lu tokens, %zu distinct; wrote %zu words (%lu multi-character) "
            "covering %lu tokens\n",
            texts, converted, bad, notext, ntok0, cx.split, cx.too_long, MAX_WORD_CHARS,
            joined_words, joined3, joins, tokens, distinct, nrows, multi, kept_tokens);

    for (size_t id = 0; id < cx.voc.n; id++)
        free(cx.voc.word[id]);
    free(cx.voc.word);
    free(cx.voc.chars);
    free(cx.voc.slots);
    free(cx.tok);
    free(pairs.slots);
    free(triples.slots);
    free(c1);
    free(count);
    free(rows);
    return 0;
}
