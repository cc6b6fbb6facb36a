/* segment.c — sentences and typed tokens from the normalized text.
 *
 * Sentences come from ICU's sentence rules with English abbreviation suppressions (followed
 * here directly for texts whose characters the fast paths know, else ICU's iterator) plus
 * full-width "；", line breaks and the informal full stops customers write before lower case
 * ("noticed. thank u!!", informal_break).  Tokens come from one left-to-right scan:
 *
 *   - at each position, typed patterns are tried first: url, email, @mention, #hashtag,
 *     price (NT$1,299, $20, 300元), emoticon (:) :-( t_t orz), emoji (with ZWJ, VS16,
 *     skin tones, flags and keycaps kept in one token);
 *   - Han runs go to segment_han.c (dictionary segmenter over words.tsv + lexicon terms);
 *   - a kana run is one token;
 *   - ASCII words and punctuation take a fast path that gives ICU's own boundaries;
 *   - everything else goes through ICU's word break, re-pointed at each region without Han
 *     or kana so ICU never runs its (slow) CJK dictionaries; letters become words
 *     (contractions split: "don't" → do + not), digits numbers, the rest punctuation ("!!!"
 *     one token).
 *
 * Words carry emphasis flags (ALL-CAPS from the original bytes, elongation "sooooo" → "so")
 * and Snowball stems.  A token's norm is either its own slice of the normalized text or,
 * when it differs ("n't" → not), a copy in the session's string buffer; finally tokens that
 * would split one normalization unit are merged, so no two tokens claim the same bytes (a
 * walk that runs only when normalize.c made a unit of several code points: ㈱ → "(株)"). */
#include "internal.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

/* ---- token storage ------------------------------------------------------------------- */

/* Append a token over norm[nstart..nend); its norm is set by the caller. */
static inline voc_tok *new_token(voc_session *s, size_t nstart, size_t nend, int type, unsigned flags)
{
    if (s->n_toks >= s->cap_toks &&
        voc__grow((void **)&s->toks, &s->cap_toks, s->n_toks + 1, sizeof *s->toks))
        return NULL;
    voc_tok *t = &s->toks[s->n_toks++];
    memset(t, 0, sizeof *t);
    t->nstart = (uint32_t)nstart;
    t->nend = (uint32_t)nend;
    t->type = (uint8_t)type;
    t->flags = (uint8_t)flags;
    return t;
}

/* Copy str[0..len) and a NUL into s->strings (norms and stems); its offset in *off. */
static int put_string(voc_session *s, const char *str, size_t len, size_t *off)
{
    voc_buf *b = &s->strings;
    if ((b->len + len + 1 >= b->cap || b->failed) && voc__buf_reserve(b, len + 1))
        return VOC_ENOMEM;
    *off = b->len;
    memcpy(b->data + b->len, str, len);
    b->len += len + 1;
    b->data[b->len - 1] = '\0';
    b->data[b->len] = '\0';
    return VOC_OK;
}

/* A token whose norm differs from its text ("n't" → not, "sooooo" → so): norm copied. */
static int push_norm(voc_session *s, size_t nstart, size_t nend, int type, unsigned flags,
                     const char *norm, size_t norm_len)
{
    size_t off;
    if (put_string(s, norm, norm_len, &off)) return VOC_ENOMEM;
    voc_tok *t = new_token(s, nstart, nend, type, flags);
    if (!t) return VOC_ENOMEM;
    t->norm_off = (uint32_t)off;
    t->norm_len = (uint32_t)norm_len;
    return VOC_OK;
}

/* A token whose norm is its own normalized text: no copy, the norm points into s->norm.
 * Inline for this file's words; segment_han.c calls voc__push_token. */
static inline voc_tok *push_text(voc_session *s, size_t nstart, size_t nend, int type, unsigned flags)
{
    voc_tok *t = new_token(s, nstart, nend, type, flags);
    if (!t) return NULL;
    t->norm_off = (uint32_t)nstart;
    t->norm_len = (uint32_t)(nend - nstart);
    t->norm_in_text = 1;
    return t;
}

int voc__push_token(voc_session *s, size_t nstart, size_t nend, int type, unsigned flags)
{
    return push_text(s, nstart, nend, type, flags) ? VOC_OK : VOC_ENOMEM;
}

/* ---- the word memo ----------------------------------------------------------------------
 *
 * Words repeat (Zipf): 3,000 airline tweets hold 47,000 words but only about 6,000 distinct
 * ones.  So the session keeps a memo of VOC_STEM_CACHE slots, direct-mapped by the hash of a
 * word's norm, holding the word's Snowball stem (sb_stemmer_stem costs some 2,300
 * instructions a word) and what the analyzer's tables say about it: the lexicon's entries for
 * the norm and for the stem and the rules' word lists, which the scorer would otherwise look
 * up token by token (voc__token_entry, voc__stem_entry, voc__word_lists).  A repeated word
 * costs one hash and a comparison or two.  Each word may live in two slots (two parts of its
 * hash), so two frequent words rarely keep evicting each other; a new word takes the one of
 * the two that was not used since the last eviction there.
 *
 * For "refunds": the first time, the slot gets "refunds", stem "refund", the entry of
 * "refunds" (none) and of "refund" (a sentiment term); every later "refunds" copies the four
 * answers onto its token.  "not" from "n't" has no stem in the output, so the slot knows
 * whether its stem was asked for yet (has_stem) and a later plain "not" fills it in.  A word
 * of the ASCII fast path without an apostrophe asks the memo first (push_plain_word): one
 * found there skips the contraction and elongation checks, which a memo word always passes.
 *
 * Sessions that tokenize lexicon terms while the analyzer is being built (no_opencc) keep
 * stems only: the tables their answers would come from are not finished. */

/* ---- the stem table -----------------------------------------------------------------------
 *
 * The memo helps from a word's second occurrence on; the first still runs the stemmer, and
 * in a few thousand messages most distinct words are first occurrences.  So the
 * compiled-lexicon cache (cache.c) also carries the stems of the English words the analyzer
 * knows — single-word lexicon keys and the words of the English model's features, about
 * 11,000 with the lexicons of November 2026 (400 KB of the file) — computed when the file is
 * written; a word found there skips the stemmer even the first time (3,000 airline tweets:
 * 4,900 stemmer runs become 1,350).  An analyzer built from the files has no table (stemming them all would cost
 * more than it saves on most runs) and gives the same stems, from the stemmer.
 *
 * Layout: `strings` holds "word\0stem\0" pairs; `slots` (a power of two, at most half
 * full) the high 32 bits of voc__hash(word) above the offset of the word + 1, probed
 * linearly.  Offsets are checked against the strings' length when used, and the strings end
 * with a NUL, so a damaged file cannot make a lookup read outside them. */

/* A lower-case ASCII word (apostrophes allowed: "flights", "y'all") short enough for a memo
 * slot: the words the stem table may hold. */
static bool table_word(const char *w, size_t len)
{
    if (len < 3 || len >= sizeof ((voc_stem_slot *)0)->word) return false;
    for (size_t i = 0; i < len; i++)
        if (!((w[i] >= 'a' && w[i] <= 'z') || w[i] == '\'')) return false;
    return true;
}

static int table_add(struct sb_stemmer *st, voc_buf *strings, uint64_t *slots, size_t n_slots,
                     size_t *n_words, const char *w, size_t len)
{
    if (!table_word(w, len) || *n_words * 2 >= n_slots) return VOC_OK;
    uint64_t h = voc__hash(w, len);
    size_t mask = n_slots - 1, i = (size_t)h & mask;
    for (; slots[i]; i = (i + 1) & mask) {
        uint32_t off = (uint32_t)slots[i] - 1;
        if (slots[i] >> 32 == h >> 32 && !memcmp(strings->data + off, w, len) && !strings->data[off + len])
            return VOC_OK; /* already there */
    }
    const sb_symbol *stem = sb_stemmer_stem(st, (const sb_symbol *)w, (int)len);
    if (!stem) return VOC_ENOMEM;
    size_t off = strings->len;
    if (off >= UINT32_MAX - 64) return VOC_OK;
    voc__buf_append(strings, w, len);
    voc__buf_append(strings, "", 1);
    voc__buf_append(strings, stem, (size_t)sb_stemmer_length(st));
    voc__buf_append(strings, "", 1);
    if (strings->failed) return VOC_ENOMEM;
    slots[i] = (h >> 32 << 32) | (uint64_t)(off + 1);
    (*n_words)++;
    return VOC_OK;
}

int voc__stem_table_build(const voc_analyzer *a, voc_buf *strings, uint64_t **slots, size_t *n_slots)
{
    *slots = NULL;
    *n_slots = 0;
    size_t want = a->lexicon.n_entries;
    const voc_model *m = &a->models[VOC_MODEL_EN];
    for (size_t i = 0; i < m->names_len; i++) want += m->names[i] == ' ' || m->names[i] == '\0';
    size_t n = 1024;
    while (n < 2 * want && n < ((size_t)1 << 24)) n *= 2;
    uint64_t *sl = calloc(n, sizeof *sl);
    struct sb_stemmer *st = sb_stemmer_new("english", "UTF_8");
    int rc = sl && st ? VOC_OK : VOC_ENOMEM;
    size_t n_words = 0;
    for (size_t i = 0; !rc && i < a->lexicon.n_entries; i++) {
        const voc_entry *e = &a->lexicon.entries[i];
        if (!(e->flags & VOC_ENTRY_HAN)) rc = table_add(st, strings, sl, n, &n_words, e->key, e->key_len);
    }
    /* feature names: "w:word", "b:word word", "i:word" ... (model.c); their words */
    for (size_t i = 0; !rc && i < m->names_len;) {
        const char *name = m->names + i;
        size_t len = strlen(name);
        i += len + 1;
        if (len < 3 || name[1] != ':') continue;
        for (size_t p = 2; !rc && p < len;) {
            size_t q = p;
            while (q < len && name[q] != ' ') q++;
            rc = table_add(st, strings, sl, n, &n_words, name + p, q - p);
            p = q + 1;
        }
    }
    if (st) sb_stemmer_delete(st);
    /* the table was sized for every candidate; the file gets one for the words kept */
    size_t fit = 1024;
    while (fit < 2 * n_words) fit *= 2;
    uint64_t *packed = !rc && n_words ? calloc(fit, sizeof *packed) : NULL;
    if (!rc && n_words && !packed) rc = VOC_ENOMEM;
    for (size_t i = 0; packed && i < n; i++) {
        if (!sl[i]) continue;
        const char *w = strings->data + (uint32_t)sl[i] - 1;
        size_t k = (size_t)voc__hash(w, strlen(w)) & (fit - 1);
        while (packed[k]) k = (k + 1) & (fit - 1);
        packed[k] = sl[i];
    }
    free(sl);
    if (rc || !n_words) {
        free(packed);
        strings->len = 0;
        return rc;
    }
    *slots = packed;
    *n_slots = fit;
    return VOC_OK;
}

/* The table's stem of w[0..len) (hash h), or NULL when the table does not have the word. */
static const char *table_stem(const voc_analyzer *a, const char *w, size_t len, uint64_t h,
                              size_t *stem_len)
{
    if (!a->n_stem_slots) return NULL;
    size_t mask = a->n_stem_slots - 1;
    /* at most one lap: voc__stem_table_check requires an empty slot, this guards it too */
    for (size_t i = (size_t)h & mask, probes = 0; probes < a->n_stem_slots; i = (i + 1) & mask, probes++) {
        uint64_t slot = a->stem_slots[i];
        if (!slot) return NULL;
        size_t off = (uint32_t)slot - 1;
        if (slot >> 32 == h >> 32 && off + len + 1 < a->stem_strings_len &&
            !memcmp(a->stem_strings + off, w, len) && !a->stem_strings[off + len]) {
            const char *stem = a->stem_strings + off + len + 1;
            *stem_len = strlen(stem); /* the strings end with a NUL */
            return stem;
        }
    }
    return NULL;
}

int voc__stem_table_check(const voc_analyzer *a)
{
    if (!a->n_stem_slots) return 0;
    if (a->n_stem_slots & (a->n_stem_slots - 1) || !a->stem_strings_len ||
        a->stem_strings[a->stem_strings_len - 1] != '\0')
        return -1;
    /* every used slot's offset + 1 inside the strings, and an empty slot to end each probe
     * (a file made to pass the hash with none made a lookup of an unknown word spin) */
    if (!voc__cache_slots_valid(a->stem_slots, a->n_stem_slots, a->stem_strings_len)) return -1;
    /* a sample: the first eight words in slot order, stemmed again */
    struct sb_stemmer *st = sb_stemmer_new("english", "UTF_8");
    if (!st) return 1;
    int rc = 0;
    for (size_t i = 0, n = 0; !rc && i < a->n_stem_slots && n < 8; i++) {
        if (!a->stem_slots[i]) continue;
        size_t off = (uint32_t)a->stem_slots[i] - 1;
        const char *w = a->stem_strings + off;
        size_t len = strlen(w), stem_len;
        const char *mine = table_stem(a, w, len, voc__hash(w, len), &stem_len);
        const sb_symbol *theirs = sb_stemmer_stem(st, (const sb_symbol *)w, (int)len);
        if (!mine || !theirs || (size_t)sb_stemmer_length(st) != stem_len || memcmp(mine, theirs, stem_len))
            rc = 1;
        n++;
    }
    sb_stemmer_delete(st);
    return rc;
}

/* Snowball's English stemmer, for Latin-script words only (not kana or bopomofo); it
 * leaves one- and two-letter words alone. */
static bool stemmable(const voc_session *s, const char *w, size_t len)
{
    return s->stemmer && len > 2 && (unsigned char)w[0] < 0xC9;
}

static int put_stem(voc_session *s, voc_tok *t, const char *stem, size_t len)
{
    size_t off;
    if (put_string(s, stem, len, &off)) return VOC_ENOMEM;
    t->stem_off = (uint32_t)off;
    t->stem_len = (uint32_t)len;
    return VOC_OK;
}

/* Whether x[0..len) and y[0..len) are equal, for the memo's short words (len < 24), inline
 * (a call to memcmp cost more than the compare): eight bytes at a time with the last eight
 * overlapping, two overlapping fours, or below four the first, middle and last byte (all of
 * them), as voc__hash reads a tail — never a byte outside either string (a word may end the
 * text's buffer). */
static inline bool same_bytes(const char *x, const char *y, size_t len)
{
    const unsigned char *u = (const unsigned char *)x, *v = (const unsigned char *)y;
    if (len >= 8) {
        for (size_t i = 0; i + 8 < len; i += 8)
            if (voc__load8(u + i) != voc__load8(v + i)) return false;
        return voc__load8(u + len - 8) == voc__load8(v + len - 8);
    }
    if (len >= 4) {
        uint32_t a0, b0, a1, b1;
        memcpy(&a0, u, 4);
        memcpy(&b0, v, 4);
        memcpy(&a1, u + len - 4, 4);
        memcpy(&b1, v + len - 4, 4);
        return a0 == b0 && a1 == b1;
    }
    if (!len) return true;
    return u[0] == v[0] && u[len / 2] == v[len / 2] && u[len - 1] == v[len - 1];
}

/* The memo slot holding the word w[0..len) (hash h), or NULL when neither of its two does. */
static inline voc_stem_slot *memo_find(voc_session *s, const char *w, size_t len, uint64_t h)
{
    voc_stem_slot *a = &s->stem_cache[h & (VOC_STEM_CACHE - 1)];
    if (a->word_len == len && same_bytes(a->word, w, len)) return a;
    voc_stem_slot *b = &s->stem_cache[(h >> 32) & (VOC_STEM_CACHE - 1)];
    if (b->word_len == len && same_bytes(b->word, w, len)) return b;
    return NULL;
}

/* A slot for the new word w[0..len) (hash h), emptied of what it knew: the one of its two
 * that was not used since they last lost a word. */
static voc_stem_slot *memo_claim(voc_session *s, const char *w, size_t len, uint64_t h)
{
    voc_stem_slot *a = &s->stem_cache[h & (VOC_STEM_CACHE - 1)];
    voc_stem_slot *b = &s->stem_cache[(h >> 32) & (VOC_STEM_CACHE - 1)];
    voc_stem_slot *slot = !a->used ? a : !b->used ? b : a;
    a->used = b->used = false;
    memcpy(slot->word, w, len);
    slot->word_len = (uint8_t)len;
    slot->has_stem = false;
    slot->looked_up = false;
    return slot;
}

/* What `slot` (hash h) does not know yet, asked once: the lexicon and the word lists, and the
 * stem when want_stem.  A stem too long for the slot is put on token t alone (*alone).  Out of
 * line: most words find their slot filled, and memo_finish stays small for them. */
static VOC_NOINLINE int memo_fill(voc_session *s, voc_tok *t, voc_stem_slot *slot, uint64_t h,
                                  bool want_stem, bool *alone)
{
    const char *w = slot->word;
    size_t len = slot->word_len;
    bool lookups = !s->no_opencc;
    if (lookups && !slot->looked_up) {
        slot->lookup = voc__lexicon_find(&s->analyzer->lexicon, w, len);
        slot->word_lists = (uint8_t)voc__word_lists_of(s->analyzer, w, len);
        slot->looked_up = true;
    }
    if (want_stem && !slot->has_stem) {
        size_t n;
        const char *st = table_stem(s->analyzer, w, len, h, &n);
        if (!st) {
            st = (const char *)sb_stemmer_stem(s->stemmer, (const sb_symbol *)w, (int)len);
            if (!st) return VOC_ENOMEM;
            n = (size_t)sb_stemmer_length(s->stemmer);
        }
        if (n >= sizeof slot->stem) { /* a stem too long to keep: this token alone */
            slot->word_len = 0;
            *alone = true;
            return put_stem(s, t, st, n);
        }
        memcpy(slot->stem, st, n);
        slot->stem_len = (uint8_t)n;
        slot->has_stem = true;
        if (lookups) { /* as voc__stem_entry: a word that is its own stem has its own entry */
            if (!n) slot->stem_entry = NULL;
            else if (n == len && !memcmp(slot->stem, w, len)) slot->stem_entry = slot->lookup;
            else slot->stem_entry = voc__lexicon_find(&s->analyzer->lexicon, slot->stem, n);
        }
    }
    return VOC_OK;
}

/* Word token t, whose norm is the word of `slot` (hash h): the slot filled where it lacks
 * something (memo_fill), then its answers copied onto the token. */
static inline int memo_finish(voc_session *s, voc_tok *t, voc_stem_slot *slot, uint64_t h, bool want_stem)
{
    slot->used = true;
    bool lookups = !s->no_opencc;
    if ((lookups && !slot->looked_up) || (want_stem && !slot->has_stem)) {
        bool alone = false;
        int rc = memo_fill(s, t, slot, h, want_stem, &alone);
        if (rc || alone) return rc;
    }
    if (lookups) {
        t->lookup = slot->lookup;
        t->looked_up = true;
        t->word_lists = (uint8_t)(slot->word_lists | VOC_WORDS_KNOWN);
        t->stem_entry = want_stem ? slot->stem_entry : NULL;
        t->stem_looked_up = true;
    }
    if (want_stem && slot->stem_len) {
        /* the slot's whole stem array in one fixed-size copy (the bytes after the NUL are
         * overwritten by the next string), when the buffer has room for it */
        voc_buf *sb = &s->strings;
        if (sb->len + sizeof slot->stem + 1 >= sb->cap || sb->failed)
            return put_stem(s, t, slot->stem, slot->stem_len);
        memcpy(sb->data + sb->len, slot->stem, sizeof slot->stem);
        t->stem_off = (uint32_t)sb->len;
        t->stem_len = slot->stem_len;
        sb->len += (size_t)slot->stem_len + 1;
        sb->data[sb->len - 1] = '\0';
        sb->data[sb->len] = '\0';
    }
    return VOC_OK;
}

/* A word token just pushed: its stem (when `stem` asks for one and the word has one) and, in
 * analysis sessions, its lookups, from the memo. */
static int finish_word(voc_session *s, voc_tok *t, bool stem)
{
    const char *w = voc__tok_norm(s, t);
    size_t len = t->norm_len;
    bool want_stem = stem && stemmable(s, w, len);
    if (!len) return VOC_OK;
    if (len >= sizeof ((voc_stem_slot *)0)->word) { /* too long for a slot: stemmed every time */
        if (!want_stem) return VOC_OK;
        const sb_symbol *st = sb_stemmer_stem(s->stemmer, (const sb_symbol *)w, (int)len);
        if (!st) return VOC_ENOMEM;
        return put_stem(s, t, (const char *)st, (size_t)sb_stemmer_length(s->stemmer));
    }
    uint64_t h = voc__hash(w, len);
    voc_stem_slot *slot = memo_find(s, w, len, h);
    if (!slot) slot = memo_claim(s, w, len, h);
    return memo_finish(s, t, slot, h, want_stem);
}

/* Lexicon building: a term that is certainly one token whose norm is the term itself (a
 * plain lower-case ASCII word without elongation, or plain Han) skips normalization and
 * segmentation. */
int voc__term_token(voc_session *s, const char *term, size_t len, bool han)
{
    s->n_toks = 0;
    s->strings.len = 0;
    return push_norm(s, 0, len, VOC_TOKEN_WORD, han ? VOC_TOKEN_HAN : 0, term, len);
}

/* ---- character classes on normalized text --------------------------------------------- */

static inline bool is_alnum_ascii(unsigned c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* The scan's hottest tests as one table load per byte instead of chains of comparisons
 * (tokenize runs them on every byte of English text).  The normalized text is
 * NUL-terminated (normalize.c writes norm.data[norm.len] = '\0', and repair turned any NUL
 * of the input into U+FFFD), so a loop over B_ALNUM bytes stops at the end by itself and
 * reading t[n] is allowed: its class, B_WORD_END only, is that of "the end of the text". */
enum {
    B_SPACE = 1,       /* ASCII white space, as voc__is_space answers: ' ' and \t … \r */
    B_ALNUM = 2,       /* a-z 0-9: what the ASCII word fast path joins (is_alnum_ascii) */
    B_LOWER = 4,       /* a-z */
    B_JOINER = 8,      /* ' . , ; — may join two letters (' .) or two digits (all four) */
    B_WORD_END = 16,   /* may end an ASCII word of the fast path: ASCII but '_' and ':' */
    B_PLAIN_START = 32, /* a lower-case letter that begins no typed pattern: not h w (links),
                         * n u h t (nt$ us$ hk$ ntd prices), t o x q u (t_t-like emoticons) */
    B_PUNCT_ALONE = 64  /* ASCII punctuation that begins no typed pattern, so a token of its
                         * own (or a run of ! ? .): not @ # (mentions, tags), $ (prices),
                         * * (keycap emoji), : ; < = > ^ - \ (emoticons), _ (may start a word) */
};

#define B_LETTER (B_ALNUM | B_LOWER | B_WORD_END)
#define B_PLAIN (B_LETTER | B_PLAIN_START)
#define B_OTHER B_WORD_END /* ASCII none of the others name */
#define B_ALONE (B_PUNCT_ALONE | B_WORD_END)
/* ASCII bytes 0x00-0x7F one by one; bytes 0x80-0xFF are 0 (no class) */
static const unsigned char byte_class[256] = {
    /* NUL: the end */ B_WORD_END, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER,
    /* \t \n \v \f \r */ B_SPACE | B_WORD_END, B_SPACE | B_WORD_END, B_SPACE | B_WORD_END,
    B_SPACE | B_WORD_END, B_SPACE | B_WORD_END,
    /* 0x0E-0x1F */ B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER,
    B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER,
    /* ' ' */ B_SPACE | B_WORD_END,
    /* ! " */ B_ALONE, B_ALONE,
    /* # $ */ B_OTHER, B_OTHER,
    /* % & */ B_ALONE, B_ALONE,
    /* ' */ B_JOINER | B_ALONE,
    /* ( ) */ B_ALONE, B_ALONE,
    /* * */ B_OTHER,
    /* + */ B_ALONE,
    /* , */ B_JOINER | B_ALONE,
    /* - */ B_OTHER,
    /* . */ B_JOINER | B_ALONE,
    /* / */ B_ALONE,
    /* 0-9 */ B_ALNUM | B_WORD_END, B_ALNUM | B_WORD_END, B_ALNUM | B_WORD_END, B_ALNUM | B_WORD_END,
    B_ALNUM | B_WORD_END, B_ALNUM | B_WORD_END, B_ALNUM | B_WORD_END, B_ALNUM | B_WORD_END,
    B_ALNUM | B_WORD_END, B_ALNUM | B_WORD_END,
    /* : */ 0,
    /* ; */ B_JOINER | B_WORD_END,
    /* < = > */ B_OTHER, B_OTHER, B_OTHER,
    /* ? */ B_ALONE,
    /* @ */ B_OTHER,
    /* A-Z */ B_OTHER, B_OTHER, B_OTHER, B_OTHER,
    B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER,
    B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER, B_OTHER,
    B_OTHER, B_OTHER,
    /* [ */ B_ALONE,
    /* \ */ B_OTHER,
    /* ] */ B_ALONE,
    /* ^ */ B_OTHER,
    /* _ */ 0,
    /* ` */ B_ALONE,
    /* a b c d e f g */ B_PLAIN, B_PLAIN, B_PLAIN, B_PLAIN, B_PLAIN, B_PLAIN, B_PLAIN,
    /* h */ B_LETTER,
    /* i j k l m */ B_PLAIN, B_PLAIN, B_PLAIN, B_PLAIN, B_PLAIN,
    /* n o */ B_LETTER, B_LETTER,
    /* p */ B_PLAIN,
    /* q */ B_LETTER,
    /* r s */ B_PLAIN, B_PLAIN,
    /* t u */ B_LETTER, B_LETTER,
    /* v */ B_PLAIN,
    /* w x */ B_LETTER, B_LETTER,
    /* y z */ B_PLAIN, B_PLAIN,
    /* { | } ~ */ B_ALONE, B_ALONE, B_ALONE, B_ALONE,
    /* DEL */ B_OTHER};

static int32_t cp_at(const voc_session *s, size_t i, size_t *adv)
{
    if (i >= s->norm.len) { *adv = 0; return -1; }
    return voc__utf8_decode((const unsigned char *)s->norm.data, s->norm.len, i, adv);
}

static bool word_char_before(const voc_session *s, size_t i)
{
    if (i == 0) return false;
    unsigned c = (unsigned char)s->norm.data[i - 1];
    if (c < 0x80) return is_alnum_ascii(c) || c == '_';
    size_t k = i - 1;
    while (k > 0 && ((unsigned char)s->norm.data[k] & 0xC0) == 0x80) k--;
    size_t adv;
    int32_t cp = cp_at(s, k, &adv);
    return voc__is_letter(cp) || voc__is_digit(cp);
}

static bool word_char_at(const voc_session *s, size_t i)
{
    size_t adv;
    int32_t cp = cp_at(s, i, &adv);
    if (cp < 0) return false;
    return cp == '_' || voc__is_letter(cp) || voc__is_digit(cp);
}

/* ---- typed patterns -------------------------------------------------------------------- */

static size_t match_url(const voc_session *s, size_t p)
{
    const char *t = s->norm.data + p;
    size_t n = s->norm.len - p;
    size_t k;
    if (n >= 8 && memcmp(t, "https://", 8) == 0) k = 8;
    else if (n >= 7 && memcmp(t, "http://", 7) == 0) k = 7;
    else if (n >= 4 && memcmp(t, "www.", 4) == 0 && !word_char_before(s, p)) k = 4;
    else return 0;
    size_t e = k;
    while (e < n) {
        unsigned c = (unsigned char)t[e];
        if (c <= 0x20 || c >= 0x7F || strchr("<>\"{}|\\^`", (int)c)) break;
        e++;
    }
    while (e > k && strchr(".,;:!?)]'", t[e - 1])) e--; /* trailing punctuation */
    return e > k ? e : 0;
}

static bool email_local(unsigned c)
{
    return is_alnum_ascii(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static size_t match_email(const voc_session *s, size_t p)
{
    const char *t = s->norm.data;
    size_t n = s->norm.len;
    if (p > 0 && email_local((unsigned char)t[p - 1])) return 0;
    size_t q = p;
    while (q < n && email_local((unsigned char)t[q])) q++;
    if (q == p || q >= n || t[q] != '@') return 0;
    size_t d = q + 1;
    while (d < n && (is_alnum_ascii((unsigned char)t[d]) || t[d] == '-' || t[d] == '.')) d++;
    while (d > q + 1 && t[d - 1] == '.') d--; /* "write to a@b.com." */
    size_t last_dot = 0;
    for (size_t k = q + 1; k < d; k++)
        if (t[k] == '.') last_dot = k;
    if (!last_dot || last_dot == q + 1 || last_dot + 1 >= d) return 0; /* a.b needs a dot inside */
    return d - p;
}

static size_t match_mention_or_tag(const voc_session *s, size_t p, int *type)
{
    char c = s->norm.data[p];
    if (c != '@' && c != '#') return 0;
    if (word_char_before(s, p)) return 0;
    size_t e = p + 1;
    while (e < s->norm.len) {
        unsigned b = (unsigned char)s->norm.data[e];
        if (b < 0x80) { /* ASCII (most names): the letter and digit tests' answers inline */
            if (!(is_alnum_ascii(b) || b == '_' || (b >= 'A' && b <= 'Z'))) break;
            e++;
            continue;
        }
        size_t adv;
        int32_t cp = cp_at(s, e, &adv);
        bool ok = cp == '_' || voc__is_digit(cp) || voc__is_letter(cp) ||
                  (c == '#' && voc__is_han(cp));
        if (!ok) break;
        e += adv;
    }
    if (e == p + 1) return 0;
    *type = c == '@' ? VOC_TOKEN_MENTION : VOC_TOKEN_HASHTAG;
    return e - p;
}

/* A number: digits with , and . groups ("1,299.50"). */
static size_t number_len(const char *t, size_t n)
{
    size_t e = 0;
    while (e < n && t[e] >= '0' && t[e] <= '9') e++;
    if (e == 0) return 0;
    while (e + 1 < n && (t[e] == ',' || t[e] == '.') && t[e + 1] >= '0' && t[e + 1] <= '9') {
        e++;
        while (e < n && t[e] >= '0' && t[e] <= '9') e++;
    }
    return e;
}

static size_t match_price(const voc_session *s, size_t p)
{
    static const char *const prefixes[] = {"nt$", "us$", "hk$", "ntd", "twd", "$",
                                           "\xc2\xa5" /* ¥ */, "\xe2\x82\xac" /* € */,
                                           "\xc2\xa3" /* £ */};
    const char *t = s->norm.data + p;
    size_t n = s->norm.len - p;
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        if (prefixes[i][0] != t[0]) continue;
        size_t k = strlen(prefixes[i]);
        if (n <= k || memcmp(t, prefixes[i], k) != 0) continue;
        if (k >= 3 && is_alnum_ascii((unsigned char)t[0]) && word_char_before(s, p)) continue;
        size_t q = k;
        if (q < n && t[q] == ' ') q++;
        size_t num = number_len(t + q, n - q);
        if (num) return q + num;
    }
    return 0;
}

/* Number followed by 元 / 塊 / 塊錢 → price length, else 0. */
static size_t price_suffix(const voc_session *s, size_t e)
{
    static const char *const suffixes[] = {"\xe5\xa1\x8a\xe9\x8c\xa2" /* 塊錢 */,
                                           "\xe5\x85\x83" /* 元 */, "\xe5\xa1\x8a" /* 塊 */};
    const char *t = s->norm.data + e;
    size_t n = s->norm.len - e;
    for (size_t i = 0; i < 3; i++) {
        size_t k = strlen(suffixes[i]);
        if (n >= k && memcmp(t, suffixes[i], k) == 0) return k;
    }
    return 0;
}

/* Emoticons by leading character, longest first (the first that fits is taken). Letter
 * emoticons need word boundaries on both sides.  Every emoticon of the lexicons is one of
 * these (test_segment checks it), so each reaches the scorer as one token. "):" and "(:"
 * are not: "(see below):" is far more common. */
static const char *const emoticons_colon[] = {
    ":'-(", ":'(", ":')", ":-))", ":-)", ":-(", ":-d", ":-p", ":-/", ":-o", ":-*", ":-]", ":-s",
    ":-|", ":(((", ":((", ":)))", ":))", ":o)", ":^)", ":)", ":(", ":d", ":p", ":/", ":o", ":|",
    ":3", ":*", ":$", ":[", ":]", ":s", ":c"};
static const char *const emoticons_other[] = {
    ">:-(", ">:(", ">.<", ">_<", ";-)", ";-;", ";_;", ";)", ";d", ";p", "^_^", "^o^", "^-^",
    "^.^", "^^", "</3", "<333", "<33", "<3", "-_-", "-.-", "=_=", "=)", "=(", "=/", "=]", "=d",
    "=|", "=p", "@@", "\\o/"};
static const char *const emoticons_letter[] = {"t_t", "t.t", "t^t", "orz", "o_o", "o.o", "o:)",
                                               "xd", "x_x", "xp", "qq", "q_q", "u_u"};

/* Whether letters c, next are the first two characters of one of emoticons_letter (kept
 * in step with it by hand; test_segment tokenizes every emoticon of the tables): most words
 * starting so are none (the, to, of); the tokenizer's word fast path asks it too. */
static inline bool letter_emoticon_start(char c, char next)
{
    switch (c) { /* the second characters of emoticons_letter, compared inline (no strchr) */
    case 't': return next == '_' || next == '.' || next == '^';
    case 'o': return next == '_' || next == '.' || next == ':' || next == 'r';
    case 'x': return next == '_' || next == 'd' || next == 'p';
    case 'q': return next == '_' || next == 'q';
    case 'u': return next == '_';
    default: return false;
    }
}

static size_t match_emoticon(const voc_session *s, size_t p)
{
    const char *t = s->norm.data + p;
    size_t n = s->norm.len - p;
    const char *const *list;
    size_t count;
    switch (t[0]) {
    case ':': list = emoticons_colon; count = sizeof emoticons_colon / sizeof *list; break;
    case '>': case ';': case '^': case '<': case '-': case '=': case '@': case '\\':
        list = emoticons_other; count = sizeof emoticons_other / sizeof *list; break;
    case 't': case 'o': case 'x': case 'q': case 'u':
        if (n < 2 || !letter_emoticon_start(t[0], t[1])) return 0;
        list = emoticons_letter; count = sizeof emoticons_letter / sizeof *list; break;
    default: return 0;
    }
    for (size_t i = 0; i < count; i++) {
        /* every emoticon has two characters or more, and norm has a NUL after the text:
         * the first two bytes rule out most before strlen and memcmp */
        if (list[i][0] != t[0] || list[i][1] != t[1]) continue;
        size_t k = strlen(list[i]);
        if (n < k || memcmp(t, list[i], k) != 0) continue;
        bool lettered = is_alnum_ascii((unsigned char)t[0]) || is_alnum_ascii((unsigned char)t[k - 1]);
        if (lettered && (word_char_before(s, p) || word_char_at(s, p + k))) continue;
        if (!lettered && p > 0 && s->norm.data[p - 1] >= '0' && s->norm.data[p - 1] <= '9')
            continue; /* "3:30" is a time */
        if (!lettered && k < n && is_alnum_ascii((unsigned char)t[k]) &&
            !(t[k] >= 'a' && t[k] <= 'z' && k == 2 && t[1] == 'd'))
            continue; /* ":30", ":dog" */
        return k;
    }
    return 0;
}

/* Emoji sequence: pictograph (+ VS16 / skin tone / tags)* (ZWJ pictograph ...)*; flags are
 * pairs of regional indicators; keycaps are [0-9#*] VS16? U+20E3. */
static size_t match_emoji(const voc_session *s, size_t p)
{
    size_t adv, e = p;
    int32_t cp = cp_at(s, p, &adv);
    if (cp < 0) return 0;
    if ((cp >= '0' && cp <= '9') || cp == '#' || cp == '*') {
        size_t a2, q = p + 1;
        int32_t c2 = cp_at(s, q, &a2);
        if (c2 == 0xFE0F) { q += a2; c2 = cp_at(s, q, &a2); }
        return c2 == 0x20E3 ? q + a2 - p : 0;
    }
    if (!voc__is_emoji_start(cp)) return 0;
    if (cp >= 0x1F1E6 && cp <= 0x1F1FF) {
        size_t a2;
        int32_t c2 = cp_at(s, p + adv, &a2);
        return (c2 >= 0x1F1E6 && c2 <= 0x1F1FF) ? adv + a2 : adv;
    }
    e = p + adv;
    for (;;) {
        size_t a2;
        int32_t c2 = cp_at(s, e, &a2);
        if (c2 < 0) break;
        if (c2 == 0x200D) {
            size_t a3;
            int32_t c3 = cp_at(s, e + a2, &a3);
            if (c3 >= 0 && voc__is_emoji_start(c3)) { e += a2 + a3; continue; }
            e += a2;
            break;
        }
        if (voc__is_emoji_part(c2)) { e += a2; continue; }
        break;
    }
    return e - p;
}

static int push_emoji(voc_session *s, size_t p, size_t e)
{
    /* norm without variation selectors, so ❤️ and ❤ are one lexicon key */
    char tmp[64];
    size_t n = 0;
    for (size_t i = p; i < e;) {
        size_t adv;
        int32_t cp = cp_at(s, i, &adv);
        if (cp != 0xFE0F && cp != 0xFE0E && n + adv < sizeof tmp) {
            memcpy(tmp + n, s->norm.data + i, adv);
            n += adv;
        }
        i += adv;
    }
    return push_norm(s, p, e, VOC_TOKEN_EMOJI, 0, tmp, n);
}

/* ---- Latin words ---------------------------------------------------------------------- */

/* ALL-CAPS: at least two ASCII letters in the original bytes, none lower case.  A text
 * without any upper-case ASCII letter (normalize.c saw while folding; most Chinese texts,
 * few English ones) has no such word. */
static inline bool original_caps(const voc_session *s, size_t nstart, size_t nend)
{
    if (!s->text_has_ascii_upper && !s->icu_words_only) return false;
    size_t a = s->map_start[nstart], z = s->map_end[nend - 1];
    int upper = 0;
    for (size_t i = a; i < z; i++) {
        unsigned char c = (unsigned char)s->text[i];
        if (c >= 'a' && c <= 'z') return false;
        if (c >= 'A' && c <= 'Z') upper++;
    }
    return upper >= 2;
}

static bool known_word(const voc_session *s, const char *w, size_t n)
{
    return voc__lexicon_find(&s->analyzer->lexicon, w, n) != NULL;
}

/* Collapse letters repeated three times or more: "goooood" → "good" (a known word) or
 * "sooooo" → "so".  Returns true and writes `out` when the word was elongated. */
static bool collapse_elongation(const voc_session *s, const char *w, size_t n, char *out,
                                size_t *out_len)
{
    bool elongated = false;
    for (size_t i = 0; i + 2 < n; i++)
        if (w[i] == w[i + 1] && w[i] == w[i + 2] && (unsigned char)w[i] < 0x80) {
            elongated = true;
            break;
        }
    if (!elongated) return false;
    size_t n2 = 0, n1 = 0;
    char one[128];
    for (size_t i = 0; i < n && n2 < 127; i++) {
        bool rep2 = i >= 2 && w[i] == w[i - 1] && w[i] == w[i - 2] && (unsigned char)w[i] < 0x80;
        bool rep1 = i >= 1 && w[i] == w[i - 1] && (unsigned char)w[i] < 0x80 &&
                    ((i + 1 < n && w[i + 1] == w[i]) || (i >= 2 && w[i - 2] == w[i]));
        if (!rep2) out[n2++] = w[i];
        if (!rep1) one[n1++] = w[i];
    }
    if (known_word(s, out, n2) || !known_word(s, one, n1)) {
        *out_len = n2;
    } else {
        memcpy(out, one, n1);
        *out_len = n1;
    }
    return true;
}

static const struct {
    const char *suffix, *norm;
} clitics[] = {{"'s", "'s"}, {"'re", "are"}, {"'ve", "have"}, {"'ll", "will"},
               {"'d", "would"}, {"'m", "am"}};

static int push_word(voc_session *s, size_t p, size_t e, unsigned flags)
{
    char buf[128];
    size_t n = e - p;
    const char *w = s->norm.data + p;
    if (original_caps(s, p, e)) flags |= VOC_TOKEN_CAPS;
    if (n < sizeof buf) {
        size_t m;
        if (collapse_elongation(s, w, n, buf, &m)) {
            if (push_norm(s, p, e, VOC_TOKEN_WORD, flags | VOC_TOKEN_ELONGATED, buf, m))
                return VOC_ENOMEM;
            return finish_word(s, &s->toks[s->n_toks - 1], true);
        }
    }
    if (voc__push_token(s, p, e, VOC_TOKEN_WORD, flags)) return VOC_ENOMEM;
    return finish_word(s, &s->toks[s->n_toks - 1], true);
}

/* Whether `base` + "nt" is a negative contraction written without its apostrophe, as
 * tweets and chats mostly do ("dont", "cant", "isnt", "wont"), or (`with_not`) `base` +
 * "not" a verb and its negation run together ("werenot", "didnot": "the agents werenot
 * helpful"): the same words as "don't", "were not", so the negator is seen.  A closed list:
 * "want", "ant", "pant", "knot" are words; the clipped bases (ai, ca, sha, wo) and must/need
 * only take "nt" ("cannot" is a lexicon word of its own). */
static VOC_NOINLINE bool fused_negation_base(const char *base, size_t b, bool with_not)
{
    static const struct {
        const char *base;
        bool with_not;
    } bases[] = {{"ai", false}, {"are", true}, {"ca", false}, {"could", true}, {"did", true}, {"do", true},
                 {"does", true}, {"had", true}, {"has", true}, {"have", true}, {"is", true}, {"must", false},
                 {"need", false}, {"sha", false}, {"should", true}, {"was", true}, {"were", true}, {"wo", false},
                 {"would", true}};
    for (size_t i = 0; i < sizeof bases / sizeof *bases; i++)
        if ((bases[i].with_not || !with_not) && strlen(bases[i].base) == b && memcmp(bases[i].base, base, b) == 0)
            return true;
    return false;
}

/* Inline, with the list out of line: the scan asks them of every plain word, and their
 * first tests turn nearly all of them away. */
static inline bool negative_contraction_nt(const char *w, size_t n)
{
    return n > 3 && n <= 8 && w[n - 2] == 'n' && w[n - 1] == 't' && fused_negation_base(w, n - 2, false);
}

static inline bool fused_not(const char *w, size_t n)
{
    return n >= 5 && n <= 9 && w[n - 3] == 'n' && w[n - 2] == 'o' && w[n - 1] == 't' &&
           fused_negation_base(w, n - 3, true);
}

/* A modal and "have" run together without the apostrophe ("couldve been worse", "shouldve
 * flown"): the same words as "could've", so the phrases that start with "could have" are
 * found.  A closed list of bases, as for the negations. */
static inline bool fused_have(const char *w, size_t n)
{
    static const char *const bases[] = {"could", "should", "would", "might", "must", NULL};
    return n >= 6 && n <= 8 && w[n - 2] == 'v' && w[n - 1] == 'e' && voc__text_in(w, n - 2, bases);
}

/* Whether push_letters splits the plain word w: one test of the last letter turns nearly
 * every word away before the three forms' own tests. */
static inline bool fused_word(const char *w, size_t n)
{
    if (n < 4 || n > 9) return false;
    switch (w[n - 1]) {
    case 't': return negative_contraction_nt(w, n) || fused_not(w, n);
    case 'e': return fused_have(w, n);
    default: return false;
    }
}

static int push_letters(voc_session *s, size_t p, size_t e);

/* A word of the ASCII fast path with no apostrophe in it (most words of English text): when
 * the memo knows it, straight from the memo.  push_word would find the same: a word the memo
 * holds is a norm, and no norm has three equal ASCII letters in a row (collapse_elongation
 * left at most two), so the word is no elongation and is its own norm, and the slot its hash
 * finds is the one finish_word would find.  A word the memo lacks takes push_word's way. */
static int push_plain_word(voc_session *s, size_t p, size_t e)
{
    const char *w = s->norm.data + p;
    size_t n = e - p;
    if (fused_word(w, n)) return push_letters(s, p, e); /* "dont", "isnot", "couldve" */
    if (n >= sizeof ((voc_stem_slot *)0)->word) return push_word(s, p, e, 0);
    uint64_t h = voc__hash(w, n);
    voc_stem_slot *slot = memo_find(s, w, n, h);
    if (!slot) return push_word(s, p, e, 0);
    voc_tok *t = push_text(s, p, e, VOC_TOKEN_WORD, original_caps(s, p, e) ? VOC_TOKEN_CAPS : 0);
    if (!t) return VOC_ENOMEM;
    return memo_finish(s, t, slot, h, stemmable(s, w, n));
}

/* A letter segment from ICU: split contractions, then push words. */
static int push_letters(voc_session *s, size_t p, size_t e)
{
    const char *w = s->norm.data + p;
    size_t n = e - p, suffix = 0; /* of a negative contraction: "n't" or "nt" */
    if (n > 3 && memcmp(w + n - 3, "n't", 3) == 0) suffix = 3;
    else if (negative_contraction_nt(w, n)) suffix = 2;
    else if (fused_not(w, n)) suffix = 3;
    if (suffix) {
        size_t b = n - suffix;
        const char *base = NULL;
        if (b == 2 && memcmp(w, "ca", 2) == 0) base = "can";
        else if (b == 2 && memcmp(w, "wo", 2) == 0) base = "will";
        else if (b == 2 && memcmp(w, "ai", 2) == 0) base = "is"; /* ain't, aint: the verb it stands for */
        else if (b == 3 && memcmp(w, "sha", 3) == 0) base = "shall";
        if (base) {
            unsigned f = original_caps(s, p, e) ? VOC_TOKEN_CAPS : 0;
            if (push_norm(s, p, p + b, VOC_TOKEN_WORD, f, base, strlen(base))) return VOC_ENOMEM;
            if (finish_word(s, &s->toks[s->n_toks - 1], true)) return VOC_ENOMEM;
        } else {
            int rc = push_word(s, p, p + b, 0);
            if (rc) return rc;
        }
        if (push_norm(s, p + b, e, VOC_TOKEN_WORD, 0, "not", 3)) return VOC_ENOMEM;
        return finish_word(s, &s->toks[s->n_toks - 1], false);
    }
    if (fused_have(w, n)) { /* "couldve" → could + have */
        int rc = push_word(s, p, e - 2, 0);
        if (rc) return rc;
        if (push_norm(s, e - 2, e, VOC_TOKEN_WORD, 0, "have", 4)) return VOC_ENOMEM;
        return finish_word(s, &s->toks[s->n_toks - 1], false);
    }
    bool apostrophe = false; /* words are short: a loop, not a call to memchr */
    for (size_t i = 0; i < n && !apostrophe; i++) apostrophe = w[i] == '\'';
    if (!apostrophe) return push_word(s, p, e, 0);
    for (size_t i = 0; i < sizeof clitics / sizeof *clitics; i++) {
        size_t k = strlen(clitics[i].suffix);
        if (n > k && memcmp(w + n - k, clitics[i].suffix, k) == 0) {
            int rc = push_word(s, p, e - k, 0);
            if (rc) return rc;
            if (push_norm(s, e - k, e, VOC_TOKEN_WORD, 0, clitics[i].norm,
                          strlen(clitics[i].norm)))
                return VOC_ENOMEM;
            return finish_word(s, &s->toks[s->n_toks - 1], false);
        }
    }
    return push_word(s, p, e, 0);
}

/* End of the run of characters `in_run` accepts, from norm[e]. */
static size_t run_end(const voc_session *s, size_t e, bool (*in_run)(int32_t))
{
    for (;;) {
        size_t adv;
        int32_t cp = cp_at(s, e, &adv);
        if (cp < 0 || !in_run(cp)) return e;
        e += adv;
    }
}

/* A number segment [p, *e); "300元" extends it to a price. */
static int number_token(voc_session *s, size_t p, size_t *e)
{
    size_t ps = price_suffix(s, *e);
    int rc = voc__push_token(s, p, *e + ps, ps ? VOC_TOKEN_PRICE : VOC_TOKEN_NUMBER, 0);
    *e += ps;
    return rc;
}

/* ---- the scan -------------------------------------------------------------------------- */

/* Punctuation with Word_Break Other (ICU 72) that is not a letter, digit, emoji or space and
 * that NFKC_Casefold keeps (full-width ！，？ became ASCII, … three dots, ’ an apostrophe). */
static bool is_other_punct(int32_t cp)
{
    switch (cp) {
    case 0x3001: case 0x3002: /* 、。 */
    case 0x3008: case 0x3009: case 0x300A: case 0x300B: case 0x300C: case 0x300D: /* 〈〉《》「」 */
    case 0x300E: case 0x300F: case 0x3010: case 0x3011: /* 『』【】 */
    case 0x2013: case 0x2014: case 0x201C: case 0x201D: case 0x2022: case 0x22EF: /* – — “ ” • ⋯ */
        return true;
    default:
        return false;
    }
}

/* CJK and typographic punctuation that normalization leaves as it is (、。「」《》〈〉
 * 『』【】 – — “” • ⋯) has Word_Break Other: ICU makes each a segment of its own (WB999)
 * unless an Extend, Format or ZWJ character follows and joins it (WB4), which ASCII, Han and
 * these marks never are.  So one of them followed by norm[q] — the end, ASCII, Han or
 * another of them — is a token alone and needs no ICU region around Chinese text. */
static bool other_punct_alone(const voc_session *s, size_t q)
{
    size_t a2;
    const unsigned char *t = (const unsigned char *)s->norm.data;
    int32_t c2 = q < s->norm.len && t[q] >= 0x80 ? cp_at(s, q, &a2) : 0;
    return c2 == 0 || (c2 >= 0x4E00 && c2 <= 0x9FFF) || (c2 >= 0x3400 && c2 <= 0x4DBF) || is_other_punct(c2);
}

/* Unicode's White_Space characters all lie at or below U+3000, the ideographic space (a
 * stable property; test_segment checks ICU's), so those above — kana, full-width marks —
 * need no ICU call. */
static inline bool is_space_cp(int32_t cp) { return cp <= 0x3000 && voc__is_space(cp); }

static bool is_repeatable_punct(char c) { return c == '!' || c == '?' || c == '.'; }

/* The Han run at norm[*p] segmented (segment_han.c); *p moves past it. */
static int segment_han_at(voc_session *s, size_t *p)
{
    size_t e;
    int rc = voc__segment_han(s, *p, &e);
    *p = e;
    return rc;
}

static int tokenize(voc_session *s)
{
    const unsigned char *t = (const unsigned char *)s->norm.data;
    size_t n = s->norm.len, p = 0;
    size_t region_start = 0, region_end = 0; /* where the ICU word iterator points */
    const voc_handict *dict = &s->analyzer->handict;
    /* e-mail addresses and links are tried only in texts that can hold them */
    bool has_at = memchr(t, '@', n) != NULL;
    bool has_link = has_at || memchr(t, '/', n) != NULL;
    for (const unsigned char *w = t; !has_link && (w = memchr(w, 'w', n - (size_t)(w - t)));) {
        has_link = n - (size_t)(w - t) >= 4 && !memcmp(w, "www.", 4);
        w++;
    }
    /* the byte classes' shortcuts past the typed-pattern tests; off in the tests' sessions
     * that compare the fast paths with the way through every test (icu_words_only) */
    const unsigned shortcuts = s->icu_words_only ? 0 : B_PLAIN_START | B_PUNCT_ALONE;
    /* the next '@' at or after p: an e-mail address needs one after its first byte */
    const unsigned char *next_at = has_at ? memchr(t, '@', n) : NULL;
    while (p < n) {
        size_t adv;
        unsigned c = t[p], cls = byte_class[c];
        int32_t cp;
        if (cls & B_SPACE) { p++; continue; } /* voc__is_space's answer for ASCII */
        if (c < 0x80) { /* ASCII: its own code point */
            cp = (int32_t)c;
            adv = 1;
        } else if (voc__uro_at(t, n, p) >= 0) {
            /* Han of the main block, most of Chinese text: no space, price, emoji or other
             * token starts with one (test_segment checks the emoji property), so straight to
             * the Han segmenter, past the tests below */
            int rc = segment_han_at(s, &p);
            if (rc) return rc;
            continue;
        } else {
            cp = cp_at(s, p, &adv);
            if (is_space_cp(cp)) { p += adv; continue; }
            /* CJK punctuation between Chinese words (、。「」): none of the tests below but the
             * one for this mark passes for it (test_segment checks), so that one first */
            if (!s->icu_words_only && is_other_punct(cp)) {
                size_t q = p + adv;
                if (other_punct_alone(s, q)) {
                    if (voc__push_token(s, p, q, VOC_TOKEN_PUNCT, 0)) return VOC_ENOMEM;
                    p = q;
                    continue;
                }
            }
        }
        size_t k;
        int type = 0;
        /* A lower-case letter that can start none of the patterns tried below (a link, an
         * e-mail address, nt$ us$ ntd prices, t_t-like emoticons, mixed terms like cp值) is
         * a word: straight to the word path, past the tests (most tokens of English text).
         * Most letters (B_PLAIN_START) can start none whatever follows them. */
        if ((cls & B_LOWER) && !next_at && !(s->n_han && (dict->root_latin[c >> 3] >> (c & 7) & 1)) &&
            ((cls & shortcuts & B_PLAIN_START) ||
             (!(has_link && (c == 'h' || c == 'w')) &&
              !((c == 'n' || c == 'u' || c == 'h' || c == 't') && p + 3 < n && (t[p + 2] == '$' || t[p + 2] == 'd')) &&
              !(p + 1 < n && letter_emoticon_start(c, t[p + 1])))))
            goto word;
        if (cls & shortcuts & B_PUNCT_ALONE) goto punct; /* . , ! ? ' " ( ): past the tests, as words */
        if (has_link && (c == 'h' || c == 'w')) {
            if ((k = match_url(s, p))) {
                if (voc__push_token(s, p, p + k, VOC_TOKEN_URL, 0)) return VOC_ENOMEM;
                p += k;
                continue;
            }
        }
        if (next_at && next_at < t + p) next_at = memchr(t + p, '@', n - p);
        if (next_at && is_alnum_ascii(c) && (k = match_email(s, p))) {
            if (voc__push_token(s, p, p + k, VOC_TOKEN_EMAIL, 0)) return VOC_ENOMEM;
            p += k;
            continue;
        }
        if ((c == '@' || c == '#') && (k = match_mention_or_tag(s, p, &type))) {
            if (voc__push_token(s, p, p + k, type, 0)) return VOC_ENOMEM;
            p += k;
            continue;
        }
        if ((c == '$' || c >= 0xC2 ||
             /* nt$ us$ hk$ ntd twd: a third byte '$' or 'd' */
             ((c == 'n' || c == 'u' || c == 'h' || c == 't') && p + 3 < n && (t[p + 2] == '$' || t[p + 2] == 'd'))) &&
            (k = match_price(s, p))) {
            if (voc__push_token(s, p, p + k, VOC_TOKEN_PRICE, 0)) return VOC_ENOMEM;
            p += k;
            continue;
        }
        if (c < 0x80 && !(c >= '0' && c <= '9') && (k = match_emoticon(s, p))) {
            if (voc__push_token(s, p, p + k, VOC_TOKEN_EMOTICON, 0)) return VOC_ENOMEM;
            p += k;
            continue;
        }
        if ((c >= 0x80 || c == '#' || c == '*' || (c >= '0' && c <= '9')) &&
            (k = match_emoji(s, p))) {
            if (push_emoji(s, p, p + k)) return VOC_ENOMEM;
            p += k;
            continue;
        }
        if (c >= 0x80 && voc__is_han(cp)) { /* other Han: Extension A, compatibility ideographs */
            int rc = segment_han_at(s, &p);
            if (rc) return rc;
            continue;
        }
        /* A kana run is one word: Japanese is not analyzed, and ICU would load its whole
         * CJK dictionary engine (milliseconds) for it. */
        if (c >= 0x80 && voc__is_kana(cp)) {
            size_t e = run_end(s, p + adv, voc__is_kana);
            if (voc__push_token(s, p, e, VOC_TOKEN_WORD, 0)) return VOC_ENOMEM;
            p = e;
            continue;
        }
        /* mixed Latin+Han lexicon terms such as "cp值" (none in a text without Han: n_han
         * counts the Han characters of the normalized text) */
        if (c >= 'a' && c <= 'z' && s->n_han && (dict->root_latin[c >> 3] >> (c & 7) & 1) &&
            !word_char_before(s, p) && (k = voc__handict_mixed_match(dict, s->norm.data, n, p))) {
            if (voc__push_token(s, p, p + k, VOC_TOKEN_WORD, VOC_TOKEN_HAN | VOC_TOKEN_LEXICON))
                return VOC_ENOMEM;
            p += k;
            continue;
        }
        /* Fast path giving the boundary ICU's word rules give, for ASCII words: letters and
         * digits (WB5, WB8-10), joined over ' and . between letters (WB6/7: don't, e.g) and
         * over , . ; ' between digits (WB11/12: 1,299.50).  Anything else next — non-ASCII
         * (combining marks, format characters), '_' (ExtendNumLet) or ':' — goes to ICU.
         * tests/unit/test_segment.c compares both paths on the same text; they differ only
         * where ICU would glue '@' into a word ("eye.@anonymous"). */
    word:
        if ((cls & B_ALNUM) && !s->icu_words_only) {
            size_t e = p + 1;
            bool apostrophe = false; /* joined over one: a contraction or clitic to split */
            for (;;) {
                while (byte_class[t[e]] & B_ALNUM) e++; /* stops at the NUL after the text */
                /* a joiner at e is before the NUL, so t[e + 1] may be read */
                if (byte_class[t[e]] & B_JOINER) {
                    unsigned sep = t[e], l = t[e - 1], r = t[e + 1];
                    bool letters = l >= 'a' && l <= 'z' && r >= 'a' && r <= 'z';
                    bool digits = l >= '0' && l <= '9' && r >= '0' && r <= '9';
                    if ((letters && (sep == '\'' || sep == '.')) ||
                        (digits && (sep == ',' || sep == '.' || sep == ';' || sep == '\''))) {
                        apostrophe |= sep == '\'';
                        e += 2;
                        continue;
                    }
                }
                break;
            }
            if (byte_class[t[e]] & B_WORD_END) { /* the end of the text (NUL) included */
                int rc = (c >= '0' && c <= '9') ? number_token(s, p, &e)
                         : apostrophe             ? push_letters(s, p, e)
                                                  : push_plain_word(s, p, e);
                if (rc) return rc;
                p = e;
                continue;
            }
        }
        /* ASCII punctuation is a segment of its own by ICU's rules (WB999), except '_'
         * (ExtendNumLet, WB13b) which may start a word. */
    punct:
        if (c < 0x80 && c != '_' && !is_alnum_ascii(c) && !(c >= 'A' && c <= 'Z')) {
            size_t e = p + 1;
            if (is_repeatable_punct((char)c)) {
                bool same_class = true;
                while (e < n && is_repeatable_punct((char)t[e]) && (t[e] == c || c != '.')) {
                    if (t[e] != c) same_class = false;
                    e++;
                }
                if (c == '.' && !same_class) e = p + 1;
            }
            if (voc__push_token(s, p, e, VOC_TOKEN_PUNCT, e - p >= 2 ? VOC_TOKEN_ELONGATED : 0))
                return VOC_ENOMEM;
            p = e;
            continue;
        }
        /* ICU word break over the non-Han region containing p */
        if (p < region_start || p >= region_end) {
            size_t e = p;
            while (e < n) { /* ICU never sees Han or kana: it would run its dictionaries */
                size_t a2;
                int32_t c2 = cp_at(s, e, &a2);
                if (voc__is_han(c2) || voc__is_kana(c2)) break;
                e += a2;
            }
            region_start = p;
            region_end = e;
            if (voc__icu_word_set(s->icu, s->norm.data + p, e - p)) return VOC_EDEPENDENCY;
        }
        size_t e = region_start + voc__icu_word_following(s->icu, p - region_start);
        if (e <= p) e = p + adv;
        if (e > region_end) e = region_end;
        /* ICU joins "way@SilverAir" into one word; '@' starts a mention (or was an e-mail,
         * tried above), so a word ends before it — as on the ASCII fast path. */
        for (size_t k = p + 1; k < e; k++)
            if (t[k] == '@') { e = k; break; }
        int rc;
        /* ICU gives the boundaries; the class comes from the first character */
        if (voc__is_letter(cp)) {
            rc = push_letters(s, p, e);
        } else if (voc__is_digit(cp)) {
            rc = number_token(s, p, &e);
        } else {
            rc = voc__push_token(s, p, e, VOC_TOKEN_PUNCT, 0);
        }
        if (rc) return rc;
        p = e;
    }
    return VOC_OK;
}

/* ---- sentences ------------------------------------------------------------------------- */

typedef struct sent_ctx {
    voc_session *s;
    size_t last;
    int rc;
    bool ascii; /* ascii_boundaries decided: its cuts are the text's only places to split */
    bool stops; /* a full stop may stand before lower case (informal_break has work): the
                 * fast paths say whether one does; after ICU's iterator, assumed */
} sent_ctx;

static int add_sentence(voc_session *s, size_t a, size_t b)
{
    /* trim white space (an ASCII byte by byte_class, as voc__is_space answers) */
    while (a < b) {
        unsigned c = (unsigned char)s->norm.data[a];
        if (c < 0x80) {
            if (!(byte_class[c] & B_SPACE)) break;
            a++;
            continue;
        }
        size_t adv;
        int32_t cp = cp_at(s, a, &adv);
        if (!is_space_cp(cp)) break;
        a += adv;
    }
    while (b > a) {
        unsigned c = (unsigned char)s->norm.data[b - 1];
        if (c < 0x80) {
            if (!(byte_class[c] & B_SPACE)) break;
            b--;
            continue;
        }
        size_t k = b - 1;
        while (k > a && ((unsigned char)s->norm.data[k] & 0xC0) == 0x80) k--;
        size_t adv;
        int32_t cp = cp_at(s, k, &adv);
        if (!is_space_cp(cp)) break;
        b = k;
    }
    if (a >= b) return VOC_OK;
    if (voc__grow((void **)&s->nsent, &s->cap_sent, s->n_sent + 1, sizeof *s->nsent))
        return VOC_ENOMEM;
    s->nsent[s->n_sent].start = a;
    s->nsent[s->n_sent].end = b;
    s->n_sent++;
    return VOC_OK;
}

/* Whether the '.' at normalized byte i ends an informal sentence that UAX #29 runs on: a
 * full stop after a word of two letters or more, then spaces, then a lower-case letter in
 * the original text — "called me before I even noticed. thank u!!", "all my templates
 * deleted. hours of work gone. pls fix".  UAX #29 (SB8) never breaks before lower case after
 * '.', for "etc. and", "approx. two", "e.g. this"; customers' messages break there all the
 * time, and a deadpan "… doesnt work either. great", a negation's reach, a clause's recency
 * weight read the sentence.  Not after a single letter ("a.m. tomorrow", "U.S. and"), a
 * number, another '.' ("...") or a common abbreviation written in lower case. */
static bool informal_break(const voc_session *s, size_t i, size_t limit)
{
    static const char *const abbreviations[] = {
        "etc", "vs", "approx", "incl", "min", "mins", "hr", "hrs", "sec", "secs", "dept", "est", "ft",
        "lb", "lbs", "oz", "pm", "am", "mr", "mrs", "ms", "dr", "st", "jr", "sr", "inc", "ltd", "co", "corp",
        "govt", "appt", "acct", "ref", "qty", "mt", "ave", "blvd", "rd", "jan", "feb", "mar", "apr", "jun",
        "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur",
        "thurs", "fri", "sat", "sun", "ca", "cf", "al", "fig", "eq", "vol", "ed", "pg", "pp", "op", "ie",
        "eg", "viz", "aka", "esp", "gen", "gov", "prof", "sgt", "capt", "lt", "col", "rev", "mgr", NULL};
    const char *n = s->norm.data;
    size_t w = i; /* the word before the '.' */
    while (w > 0 && n[w - 1] >= 'a' && n[w - 1] <= 'z') w--;
    if (i - w < 2 || (w > 0 && (n[w - 1] == '.' || (unsigned char)n[w - 1] >= 0x80 ||
                                (n[w - 1] >= '0' && n[w - 1] <= '9'))))
        return false;
    size_t j = i + 1;
    if (j >= limit || n[j] != ' ') return false;
    while (j < limit && n[j] == ' ') j++;
    if (j >= limit) return false;
    unsigned char o = (unsigned char)s->text[s->map_start[j]];
    /* a lower-case letter, or an emoticon or emoji that opens the next sentence
     * ("… no big or sumthin. -_- now i'm worried again", "sold out. 😡 again") */
    bool opens = (o >= 'a' && o <= 'z') || o == ':' || o == ';' || o == '-' || o == '^' ||
                 o == 0xE2 || o >= 0xF0;
    if (!opens) return false;
    return i - w > 6 || !voc__text_in(n + w, i - w, abbreviations); /* (none is longer) */
}

/* ICU reports boundaries in the original text (case matters to its rules: "now. Ok"
 * breaks, "now. ok" does not), so each is moved to the first normalized byte whose source
 * starts at or after it; then [last, boundary) is split further at full-width semicolons
 * (a "；" in the original), newlines and informal full stops (informal_break). */
static int sentence_boundary(void *user, size_t orig_boundary)
{
    sent_ctx *c = user;
    voc_session *s = c->s;
    size_t lo = 0, hi = s->norm.len; /* lower bound of orig_boundary in map_start */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->map_start[mid] < orig_boundary) lo = mid + 1;
        else hi = mid;
    }
    size_t boundary = lo;
    if (boundary < c->last) return 0;
    size_t a = c->last;
    /* In a text ascii_boundaries decided there is no "；", and it cut after every line
     * break already (SB4; a last one ends the text): only full stops to look at, and those
     * only where the fast path saw one before lower case. */
    bool breaks = !c->ascii, stops = c->stops;
    for (size_t i = a; i < boundary && (breaks || stops); i++) {
        if (i + 8 <= boundary) { /* skip eight bytes without '\n', ';' and '.' at a time */
            uint64_t w = voc__load8((const unsigned char *)s->norm.data + i);
            if (!((breaks && (voc__has_byte(w, '\n') | voc__has_byte(w, ';'))) | (stops && voc__has_byte(w, '.')))) {
                i += 7;
                continue;
            }
        }
        char ch = s->norm.data[i];
        bool cut;
        if (ch == '.') {
            if (!stops) continue;
            cut = informal_break(s, i, boundary);
        } else {
            if (!breaks || (ch != '\n' && ch != ';')) continue;
            const unsigned char *o = (const unsigned char *)s->text + s->map_start[i];
            cut = ch == '\n' || (o[0] == 0xEF && o[1] == 0xBC && o[2] == 0x9B); /* "；" */
        }
        if (cut) {
            size_t end = i + 1; /* never inside a unit (a line break + combining mark) */
            while (end < boundary && s->map_start[end] == s->map_start[i]) end++;
            if ((c->rc = add_sentence(s, a, end))) return c->rc;
            a = end;
            i = end - 1;
        }
    }
    if ((c->rc = add_sentence(s, a, boundary))) return c->rc;
    c->last = boundary;
    return 0;
}

/* ---- sentence boundaries of plain ASCII text, where UAX #29 decides locally ------------
 *
 * ICU's sentence engine costs more than everything else in a short message (and opening it
 * 2.3M instructions), and for plain ASCII text its rules can be followed directly: after a
 * run of terminators [.!?]+, closing punctuation and spaces, a run ending in ! or ? breaks
 * unless a continuation (, - :) or another terminator follows (SB8a, SB11); a run ending in
 * '.' does not break before a digit (SB6), before a capital right after "letter." (SB7), a
 * continuation (SB8a) or text that reaches a lower-case letter before a line break or a
 * terminator (SB8).  A line break (LF, CR, CR LF) ends a sentence after it (SB4), and a
 * terminator's sentence takes the line break that follows it (SB9-11); ';' is Other.  ICU
 * also drops breaks after English abbreviations ("Mr.", "SFO." — see the filter above).
 * tests/unit/test_segment.c compares both ways on tricky texts; on the 85,111 dev, sample
 * and retention dev texts the fast paths decide 84,955 and agree with ICU on every boundary
 * (November 2026), as they do on millions of random texts made of the pieces that matter
 * (abbreviations, terminators, quotes, spaces, line breaks). */
static bool is_close(unsigned char c)
{
    return c == '"' || c == '\'' || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}';
}

static bool is_term(unsigned char c) { return c == '.' || c == '!' || c == '?'; }

static bool is_sp(unsigned char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

/* Line breaks (ParaSep): LF, CR, and CR LF as one (SB3). */
static bool is_parasep(unsigned char c) { return c == '\n' || c == '\r'; }

static size_t parasep_len(const unsigned char *t, size_t n, size_t i)
{
    return t[i] == '\r' && i + 1 < n && t[i + 1] == '\n' ? 2 : 1;
}

/* ---- ICU's abbreviation filter, followed exactly ---------------------------------------------
 *
 * ICU's sentence iterator for "en@ss=standard" wraps the rule-based one in a filter
 * (filteredbrk.cpp, ICU 72) that drops a rule break when the text before it ends in one of
 * English's exceptions ("Mr.", "U.S.", "pp.").  How it decides, for a break at offset j:
 *
 *   1. step back over one U+0020 before j, if there is one (only one: "Mr.  Smith" breaks);
 *   2. read the text backwards through a trie of reversed strings, as far as the trie goes,
 *      and take the longest string matched.  The strings are the exceptions without a '.'
 *      inside ("Mr.", "O.") as MATCH, and for those with one ("U.S.", "Ph.D.", "a.m.") their
 *      part through the first '.' ("U.", "Ph.", "a.") as PARTIAL — and an exception equal to
 *      such a part ("U.", "M.") is not a MATCH itself but joins the partial ones;
 *   3. a MATCH drops the break.  A PARTIAL reads the text forwards from where the match
 *      starts through a trie of the partial exceptions ("U.S.", "U.S.A.", "U.", ...): the
 *      break is dropped when that walk ends on a whole exception — where no exception goes
 *      on, or at the end of the text.
 *
 * Nothing asks for a word boundary before the match: "SFO." ends in the exception "O." and
 * does not end a sentence, "7AM." ends in the partial "M." whose forward walk reads "M. " and
 * stops short of "M.I.T.", so it does.  The exceptions are ASCII, so bytes compare as code
 * points would (a non-ASCII byte matches no entry, as its code point would not).
 *
 * The index: abbr_prefix[abbr_first[c] .. abbr_first[c + 1]) are the backward strings whose
 * character before their final '.' is c, abbr_len their lengths with ABBR_PARTIAL set for
 * PARTIAL ones; the forward strings follow from abbr_first[256] up to a NULL. */
#define ABBR_PARTIAL 0x80000000u

/* The length of the common prefix of string e (e_len bytes) and r[0..m). */
static size_t common_prefix(const char *e, size_t e_len, const unsigned char *r, size_t m)
{
    size_t c = 0, lim = e_len < m ? e_len : m;
    while (c < lim && (unsigned char)e[c] == r[c]) c++;
    return c;
}

/* The forward walk from r[0..m) (the text from a PARTIAL match's start): whether ICU's trie
 * walk ends matched.  The walk reads on while some string longer than what it read starts
 * with it — up to `go`, the longest common prefix of the text with a string short of that
 * string's end — so it stops after go + 1 bytes (or at the end of the text), matched when a
 * string of exactly that length is what it read. */
static bool abbreviation_forward(const voc_analyzer *a, const unsigned char *r, size_t m)
{
    if (m == 0) return true; /* ICU starts from "intermediate value" (not reached: m >= 2) */
    size_t go = 0;
    for (uint32_t i = a->abbr_first[256]; a->abbr_prefix[i]; i++) {
        size_t len = a->abbr_len[i], c = common_prefix(a->abbr_prefix[i], len, r, m);
        if (c > len - 1) c = len - 1;
        if (c > go) go = c;
    }
    size_t stop = go + 1 <= m ? go + 1 : m;
    for (uint32_t i = a->abbr_first[256]; a->abbr_prefix[i]; i++)
        if (a->abbr_len[i] == stop && common_prefix(a->abbr_prefix[i], stop, r, m) == stop) return true;
    return false;
}

/* Does ICU's filter drop the break its rules put at t[j] (0 < j < n)? */
static bool abbreviation_suppresses(const voc_analyzer *a, const unsigned char *t, size_t n, size_t j)
{
    size_t p = t[j - 1] == ' ' ? j - 1 : j;
    if (p < 2 || t[p - 1] != '.') return false; /* every string ends in "x." */
    unsigned char before = t[p - 2];
    uint32_t best = 0, best_len = 0;
    for (uint32_t i = a->abbr_first[before]; i < a->abbr_first[before + 1]; i++) {
        uint32_t len = a->abbr_len[i] & ~ABBR_PARTIAL;
        if (len <= best_len || len > p) continue;
        /* its last two bytes are "c." as the group says: compare the rest from the end */
        const unsigned char *e = (const unsigned char *)a->abbr_prefix[i], *x = t + p - len;
        size_t q = len - 2;
        while (q > 0 && e[q - 1] == x[q - 1]) q--;
        if (q == 0) {
            best = a->abbr_len[i];
            best_len = len;
        }
    }
    if (!best_len) return false;
    if (!(best & ABBR_PARTIAL)) return true;
    return abbreviation_forward(a, t + p - best_len, n - (p - best_len));
}

/* Whether exception e has a '.' before its last character; its length through the first
 * '.' in *prefix_len. */
static bool abbreviation_partial(const char *e, size_t *prefix_len)
{
    const char *dot = strchr(e, '.');
    *prefix_len = dot ? (size_t)(dot - e) + 1 : 0;
    return dot && dot[1];
}

int voc__abbreviation_index(voc_analyzer *a)
{
    enum { MATCH = 1, PARTIAL = 2, FORWARD = 4 };
    size_t n = a->n_abbreviations;
    char **e = a->abbreviations;
    /* at most one backward and one forward string each, and the NULL */
    a->abbr_prefix = malloc(sizeof *a->abbr_prefix * (2 * n + 1));
    a->abbr_len = malloc(sizeof *a->abbr_len * (2 * n + 1));
    unsigned char *role = calloc(n + 1, 1);
    if (!a->abbr_prefix || !a->abbr_len || !role) {
        free(role);
        return VOC_ENOMEM;
    }
    /* ICU's first pass: the first partial exception of each group sharing a part through
     * the first '.' files that part backwards; the group's members, and an exception equal
     * to the part, go forward; every other exception is a backward MATCH */
    for (size_t i = 0; i < n; i++) {
        size_t pl;
        if (!abbreviation_partial(e[i], &pl)) continue;
        if (!(role[i] & FORWARD)) role[i] |= PARTIAL;
        role[i] |= FORWARD;
        for (size_t k = 0; k < n; k++)
            if (k != i && e[k][0] == e[i][0] && !strncmp(e[k], e[i], pl)) role[k] |= FORWARD;
    }
    for (size_t i = 0; i < n; i++)
        if (!role[i]) role[i] = MATCH;
    /* backward strings by the character before their final '.' (counting sort), then the
     * forward ones */
    uint32_t count[256] = {0}, fill[256];
    size_t n_back = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            size_t len = strlen(e[i]);
            if (role[i] & PARTIAL) abbreviation_partial(e[i], &len);
            if (!(role[i] & (MATCH | PARTIAL)) || len < 2 || e[i][len - 1] != '.') continue;
            unsigned char c = (unsigned char)e[i][len - 2];
            if (pass == 0) {
                count[c]++;
                n_back++;
                continue;
            }
            uint32_t at = fill[c]++;
            a->abbr_prefix[at] = e[i];
            a->abbr_len[at] = (uint32_t)len | (role[i] & PARTIAL ? ABBR_PARTIAL : 0);
        }
        if (pass == 0) {
            a->abbr_first[0] = 0;
            for (int c = 0; c < 256; c++) a->abbr_first[c + 1] = a->abbr_first[c] + count[c];
            memcpy(fill, a->abbr_first, sizeof fill);
        }
    }
    size_t at = n_back;
    for (size_t i = 0; i < n; i++)
        if (role[i] & FORWARD) {
            a->abbr_prefix[at] = e[i];
            a->abbr_len[at++] = (uint32_t)strlen(e[i]);
        }
    a->abbr_prefix[at] = NULL;
    free(role);
    return VOC_OK;
}

/* Append boundary b to out[0..cap); false when it is full (ICU then decides). */
static bool push_cut(size_t *out, size_t cap, size_t *n_out, size_t b)
{
    if (*n_out == cap) return false;
    out[(*n_out)++] = b;
    return true;
}

/* The first i' >= i where t holds a terminator (. ! ?) or a line break, or n: the only bytes
 * ascii_boundaries acts on, so it jumps over the rest (most of a text) sixteen bytes at a
 * time where the compiler has vectors, one compare per byte value for all sixteen. */
static size_t next_term_or_break(const unsigned char *t, size_t n, size_t i)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    typedef unsigned char u8x16 __attribute__((vector_size(16)));
    for (; i + 16 <= n; i += 16) {
        u8x16 v;
        memcpy(&v, t + i, sizeof v);
        /* 0xFF in each byte that is one of the five */
        u8x16 hit = (u8x16)((v == '.') | (v == '!') | (v == '?') | (v == '\n') | (v == '\r'));
        uint64_t lo, hi;
        memcpy(&lo, &hit, 8);
        memcpy(&hi, (const unsigned char *)&hit + 8, 8);
        if (lo) return i + (size_t)__builtin_ctzll(lo) / 8; /* little-endian: the first byte */
        if (hi) return i + 8 + (size_t)__builtin_ctzll(hi) / 8;
    }
#endif
    while (i < n && !is_term(t[i]) && !is_parasep(t[i])) i++;
    return i;
}

/* Boundaries into *out (up to cap); false when ICU must decide. */
static bool ascii_boundaries(const voc_analyzer *a, const unsigned char *t, size_t n, size_t *out,
                             size_t cap, size_t *n_out, bool *stop_before_lower)
{
    *n_out = 0;
    *stop_before_lower = false;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) /* eight bytes at a time while none is non-ASCII */
        if (voc__load8(t + i) & VOC_BYTES(0x80)) break;
    for (; i < n; i++) /* non-ASCII */
        if (t[i] >= 0x80) return false;
    for (size_t i = 0; i < n;) {
        if ((i = next_term_or_break(t, n, i)) == n) break;
        if (is_parasep(t[i])) { /* SB4: a break after every line break */
            i += parasep_len(t, n, i);
            if (i < n && !push_cut(out, cap, n_out, i)) return false;
            continue;
        }
        size_t start = i, k = i; /* t[i] is a terminator */
        while (k < n && is_term(t[k])) k++;
        unsigned char last = t[k - 1];
        size_t c = k;
        while (c < n && is_close(t[c])) c++;
        size_t j = c;
        while (j < n && is_sp(t[j])) j++;
        i = k;
        if (j >= n) continue; /* the end of the text */
        unsigned char next = t[j];
        if (is_parasep(next)) { /* SB9-11: the sentence takes the line break */
            i = j + parasep_len(t, n, j);
            if (i < n && !push_cut(out, cap, n_out, i)) return false;
            continue;
        }
        if (next == ',' || next == '-' || next == ':' || is_term(next)) { /* SB8a */
            if (last == '.' && next != ',') *stop_before_lower = true; /* ". -_- now": informal_break */
            continue;
        }
        if (last == '.') {
            if (j == k && next >= '0' && next <= '9') continue; /* SB6 */
            if (j == k && next >= 'A' && next <= 'Z' && k == start + 1 && start > 0 &&
                ((t[start - 1] | 0x20) >= 'a' && (t[start - 1] | 0x20) <= 'z'))
                continue; /* SB7: "am.Today" */
            size_t q = j; /* SB8, up to a letter, a terminator or a line break */
            while (q < n && !((t[q] | 0x20) >= 'a' && (t[q] | 0x20) <= 'z') && !is_term(t[q]) && !is_parasep(t[q])) q++;
            if (q < n && t[q] >= 'a' && t[q] <= 'z') {
                *stop_before_lower = true; /* no break here; informal_break may make one */
                continue;
            }
            /* a break after '.' (SB11), unless ICU's abbreviation filter drops it */
            if (abbreviation_suppresses(a, t, n, j)) continue;
        }
        if (!push_cut(out, cap, n_out, j)) return false; /* SB11 */
    }
    return true;
}

/* ---- sentence boundaries of other text: emoji, quotes, dashes, Latin letters, Han ----------
 *
 * English messages that are not plain ASCII mostly add emoji (😡, ✈️), curly quotes and
 * dashes to it, and Chinese ones hold Han characters and a few full-width marks (。，！？、：
 * 「」（）), sometimes an ASCII '.' or a line break.
 * None of those takes part in UAX #29's decisions beyond its class: emoji are Other, quotes
 * Close, dashes SContinue, Han, kana and bopomofo OLetter (which, like a letter, ends SB8's
 * look for a lower-case letter), and variation selectors and ZWJ (Extend) or zero-width and
 * direction marks (Format) belong to the character before them (SB5).  So the characters
 * are classed first, Extend and Format folded into their predecessor, and ascii_boundaries'
 * rules run over the classes.  Only the code points listed here are known (Sentence_Break as
 * ICU 72 gives it — checked against ICU for every code point mixed_class knows: Latin-1 and
 * Latin Extended-A letters are Upper and Lower, full-width forms their ASCII classes, line
 * breaks ParaSep, combining marks Extend); anything else — a Greek letter, an Extend first
 * in the text or after a line break — sends the text to ICU, as does a text of more than
 * MIXED_MAX_CHARS characters. */
enum { MC_OTHER, MC_LOWER, MC_UPPER, MC_DIGIT, MC_ATERM, MC_STERM, MC_CLOSE, MC_SP, MC_SCONT,
       MC_LF, MC_EXTEND, MC_OLETTER, MC_UNKNOWN };
#define MIXED_MAX_CHARS 2048

static int mixed_class(int32_t cp)
{
    if (cp < 0x80) {
        if (cp >= 'a' && cp <= 'z') return MC_LOWER;
        if (cp >= 'A' && cp <= 'Z') return MC_UPPER;
        if (cp >= '0' && cp <= '9') return MC_DIGIT;
        if (cp == '.') return MC_ATERM;
        if (cp == '!' || cp == '?') return MC_STERM;
        if (is_close((unsigned char)cp)) return MC_CLOSE;
        if (cp == ' ' || cp == '\t') return MC_SP;
        if (cp == ',' || cp == '-' || cp == ':') return MC_SCONT;
        if (cp == '\n' || cp == '\r') return MC_LF; /* ParaSep */
        if (cp == '\v' || cp == '\f') return MC_SP;
        return MC_OTHER; /* as ascii_boundaries takes them (';' too: Other in ICU 72) */
    }
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x3041 && cp <= 0x3096) ||
        (cp >= 0x30A1 && cp <= 0x30FA) || (cp >= 0x3105 && cp <= 0x312F))
        return MC_OLETTER; /* Han, kana, bopomofo */
    switch (cp) {
    case 0x3002: case 0xFF01: case 0xFF1F: return MC_STERM;                 /* 。！？ */
    case 0xFF0E: return MC_ATERM;                                           /* ． */
    case 0xFF0C: case 0x3001: case 0xFF1A: return MC_SCONT;                 /* ，、： */
    case 0xFF08: case 0xFF09: case 0x300C: case 0x300D: case 0x300E: case 0x300F: case 0x3010:
    case 0x3011: case 0x300A: case 0x300B: return MC_CLOSE;                 /* （）「」『』【】《》 */
    case 0xFF1B: case 0xFF5E: case 0x22EF: return MC_OTHER;                 /* ；～⋯ */
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x200E: case 0x200F:
        return MC_EXTEND; /* soft hyphen, zero-width space, ZWNJ, ZWJ, direction marks */
    case 0x00AB: case 0x00BB: case 0x2039: case 0x203A: return MC_CLOSE; /* « » ‹ › */
    case 0x2013: case 0x2014: return MC_SCONT;                           /* – — */
    case 0x00A0: case 0x202F: case 0x205F: return MC_SP;                 /* no-break spaces */
    case 0x00AC: case 0x203B: return MC_OTHER;                           /* ¬ ※ */
    default: break;
    }
    if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
        (cp >= 0x2066 && cp <= 0x206F))
        return MC_EXTEND; /* variation selectors, bidi controls, invisible operators */
    if (cp >= 0x2018 && cp <= 0x201F) return MC_CLOSE; /* ‘ ’ ‚ ‛ “ ” „ ‟ */
    if ((cp >= 0x275B && cp <= 0x2760) || (cp >= 0x2768 && cp <= 0x2775) || (cp >= 0x1F676 && cp <= 0x1F678))
        return MC_CLOSE; /* ornamental quotes and brackets */
    if (cp >= 0x2000 && cp <= 0x200A) return MC_SP;
    if ((cp >= 0x00A1 && cp <= 0x00A9) || (cp >= 0x00AE && cp <= 0x00B4) || (cp >= 0x00B6 && cp <= 0x00B9) ||
        (cp >= 0x00BC && cp <= 0x00BF) || (cp >= 0x2010 && cp <= 0x2012) || (cp >= 0x2015 && cp <= 0x2017) ||
        (cp >= 0x2020 && cp <= 0x2023) || (cp >= 0x2025 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x2038) ||
        (cp >= 0x203E && cp <= 0x2044) || (cp >= 0x204A && cp <= 0x205E) || (cp >= 0x20A0 && cp <= 0x20CF) ||
        (cp >= 0x2190 && cp <= 0x21FF) || (cp >= 0x2300 && cp <= 0x2307) || (cp >= 0x230C && cp <= 0x2328) ||
        (cp >= 0x232B && cp <= 0x23FF) || (cp >= 0x2600 && cp <= 0x275A) || (cp >= 0x2761 && cp <= 0x2767) ||
        (cp >= 0x2776 && cp <= 0x27BF) || (cp >= 0x2B00 && cp <= 0x2BFF) || (cp >= 0x1F000 && cp <= 0x1F12F) ||
        (cp >= 0x1F18A && cp <= 0x1F675) || (cp >= 0x1F679 && cp <= 0x1FAFF))
        return MC_OTHER; /* symbols, punctuation, currency, arrows, emoji */
    if ((cp >= 0x2800 && cp <= 0x28FF) || cp == 0x00D7 || cp == 0x00F7 || cp == 0x2122 ||
        (cp >= 0x2500 && cp <= 0x25FF))
        return MC_OTHER; /* Braille (text art), × ÷ ™, box drawing and geometric shapes (▼) */
    if (cp >= 0xFF10 && cp <= 0xFF19) return MC_DIGIT; /* full-width digits and letters */
    if (cp >= 0xFF21 && cp <= 0xFF3A) return MC_UPPER;
    if (cp >= 0xFF41 && cp <= 0xFF5A) return MC_LOWER;
    /* Latin-1 and Latin Extended-A letters (Bogotá, crêpe, Łódź) */
    if ((cp >= 0x00C0 && cp <= 0x00DE)) return MC_UPPER;
    if ((cp >= 0x00DF && cp <= 0x00FF) || cp == 0x00AA || cp == 0x00B5 || cp == 0x00BA) return MC_LOWER;
    if (cp >= 0x0100 && cp <= 0x017F) {
        if (cp == 0x0138 || cp == 0x0149 || cp == 0x017F) return MC_LOWER; /* ĸ ŉ ſ */
        if (cp == 0x0178) return MC_UPPER;                                  /* Ÿ */
        bool odd_upper = (cp >= 0x0139 && cp <= 0x0148) || (cp >= 0x0179 && cp <= 0x017E);
        return (cp & 1) == odd_upper ? MC_UPPER : MC_LOWER;
    }
    if (cp >= 0x0300 && cp <= 0x036F) return MC_EXTEND; /* combining diacritics */
    return MC_UNKNOWN;
}

static bool mc_term(int c) { return c == MC_ATERM || c == MC_STERM; }

/* Boundaries into *out (up to cap), as ascii_boundaries; false when ICU must decide. */
static bool mixed_boundaries(const voc_analyzer *a, const unsigned char *t, size_t n, size_t *out,
                             size_t cap, size_t *n_out, bool *stop_before_lower)
{
    unsigned char cls[MIXED_MAX_CHARS];
    uint32_t off[MIXED_MAX_CHARS];
    size_t m = 0, adv;
    *n_out = 0;
    *stop_before_lower = false;
    for (size_t i = 0; i < n; i += adv) {
        int c = MC_OLETTER; /* Han of the main block, most of Chinese text: known undecoded */
        adv = 3;
        if (voc__uro_at(t, n, i) < 0) {
            int32_t cp = voc__utf8_decode(t, n, i, &adv);
            c = cp < 0 ? MC_UNKNOWN : mixed_class(cp);
            if (c == MC_UNKNOWN) return false;
            if (c == MC_EXTEND) { /* part of the character before it (SB5), but not of a line break */
                if (m == 0 || cls[m - 1] == MC_LF) return false;
                continue;
            }
            if (cp == '\n' && m > 0 && cls[m - 1] == MC_LF && t[i - 1] == '\r') continue; /* CR LF (SB3) */
        }
        if (m == MIXED_MAX_CHARS) return false;
        cls[m] = (unsigned char)c;
        off[m++] = (uint32_t)i;
    }
    for (size_t i = 0; i < m;) {
        if (cls[i] == MC_LF) { /* SB4 */
            if (++i < m && !push_cut(out, cap, n_out, off[i])) return false;
            continue;
        }
        if (!mc_term(cls[i])) { i++; continue; }
        size_t start = i, k = i;
        while (k < m && mc_term(cls[k])) k++;
        int last = cls[k - 1];
        size_t c = k;
        while (c < m && cls[c] == MC_CLOSE) c++;
        size_t j = c;
        while (j < m && cls[j] == MC_SP) j++;
        i = k;
        if (j >= m) continue; /* the end of the text */
        int next = cls[j];
        if (next == MC_LF) { /* SB9-11 */
            i = j + 1;
            if (i < m && !push_cut(out, cap, n_out, off[i])) return false;
            continue;
        }
        if (next == MC_SCONT || mc_term(next)) { /* SB8a */
            if (last == MC_ATERM) *stop_before_lower = true; /* ". -_- now": informal_break */
            continue;
        }
        if (last == MC_ATERM) {
            if (j == k && next == MC_DIGIT) continue; /* SB6 */
            if (j == k && next == MC_UPPER && k == start + 1 && start > 0 &&
                (cls[start - 1] == MC_LOWER || cls[start - 1] == MC_UPPER))
                continue; /* SB7 */
            size_t q = j; /* SB8 */
            while (q < m && cls[q] != MC_LOWER && cls[q] != MC_UPPER && cls[q] != MC_OLETTER && !mc_term(cls[q]) &&
                   cls[q] != MC_LF)
                q++;
            if (q < m && cls[q] == MC_LOWER) {
                *stop_before_lower = true; /* no break here; informal_break may make one */
                continue;
            }
            if (abbreviation_suppresses(a, t, n, off[j])) continue; /* SB11, unless ICU's filter */
        }
        if (!push_cut(out, cap, n_out, off[j])) return false; /* SB11 */
    }
    return true;
}

static int sentences(voc_session *s)
{
    sent_ctx c = {s, 0, 0, false, true};
    s->n_sent = 0;
    if (s->no_opencc) return add_sentence(s, 0, s->norm.len); /* a lexicon term: one phrase */
    size_t cuts[64], n_cuts;
    if (!s->icu_words_only && !s->icu_sentences_only &&
        ((c.ascii = ascii_boundaries(s->analyzer, (const unsigned char *)s->text, s->text_len, cuts, 64, &n_cuts,
                                     &c.stops)) ||
         mixed_boundaries(s->analyzer, (const unsigned char *)s->text, s->text_len, cuts, 64, &n_cuts, &c.stops))) {
        for (size_t k = 0; k < n_cuts; k++)
            if ((c.rc = sentence_boundary(&c, cuts[k]))) return c.rc;
        return sentence_boundary(&c, s->text_len);
    }
    s->n_icu_sentences++;
    c.stops = true; /* (what the fast paths said before giving up does not hold) */
    int rc = voc__icu_sentences(s->icu, s->text, s->text_len, sentence_boundary, &c);
    if (c.rc) return c.rc;
    if (rc) return rc;
    if (c.last < s->norm.len) return sentence_boundary(&c, s->text_len);
    return VOC_OK;
}

/* A token boundary must not fall inside a normalization unit (a base character and its
 * combining marks, or a phrase OpenCC rewrote: 内存 → 記憶體), or two tokens would claim the
 * same original bytes.  Tokens that share a unit are merged into one.  Tokens end between
 * code points, so when every unit became one code point (normalize.c says; most texts)
 * none can share one: the walk is skipped. */
static int merge_split_units(voc_session *s)
{
    if (!s->norm_has_multi_cp_units && !s->icu_words_only) return VOC_OK;
    size_t w = 0;
    for (size_t i = 0; i < s->n_toks; i++) {
        voc_tok *cur = &s->toks[i];
        if (w > 0) {
            voc_tok *prev = &s->toks[w - 1];
            /* cur begins inside prev's original bytes: one unit of normalization (a
             * character and its marks, an OpenCC phrase — or a phrase whose last character
             * carries a mark: 内存 + U+0308 → 記憶體 over all eight bytes) — even past a gap
             * in the normalized text: NFKC spells one character as words with a space
             * between (U+FDFB → "جل جلاله"; "hﷻ" had given two tokens over one character) */
            if (prev->nend <= cur->nstart && prev->nend > prev->nstart &&
                s->map_start[cur->nstart] < s->map_end[prev->nend - 1]) {
                if (prev->norm_in_text && cur->norm_in_text) {
                    prev->norm_len = cur->nend - prev->nstart;
                } else { /* copied norms: concatenate, with the normalized text between */
                    size_t off = s->strings.len;
                    if (voc__buf_append(&s->strings, voc__tok_norm(s, prev), prev->norm_len) ||
                        voc__buf_append(&s->strings, s->norm.data + prev->nend, cur->nstart - prev->nend) ||
                        voc__buf_append(&s->strings, voc__tok_norm(s, cur), cur->norm_len) ||
                        voc__buf_append(&s->strings, "", 1))
                        return VOC_ENOMEM;
                    prev->norm_off = (uint32_t)off;
                    prev->norm_len = (uint32_t)(s->strings.len - off - 1);
                    prev->norm_in_text = 0;
                }
                prev->nend = cur->nend;
                prev->flags |= cur->flags;
                prev->stem_len = 0;
                /* a new norm: what the word memo said about the old one does not hold */
                prev->looked_up = prev->stem_looked_up = false;
                prev->lookup = prev->stem_entry = NULL;
                prev->word_lists = 0;
                continue;
            }
        }
        if (w != i) s->toks[w] = *cur;
        w++;
    }
    s->n_toks = w;
    return VOC_OK;
}

int voc__segment(voc_session *s)
{
    s->n_toks = 0;
    s->strings.len = 0;
    if (voc__buf_reserve(&s->strings, s->norm.len * 2 + 64)) return VOC_ENOMEM;
    int rc = sentences(s);
    if (rc) return rc;
    rc = tokenize(s);
    if (!rc) rc = merge_split_units(s);
    if (rc) return rc;
    if (s->strings.failed) return VOC_ENOMEM;
    /* A sentence boundary never cuts a token ("https://x.com/a?b=1" has a '?'): merge.  The
     * same walk gives each token its sentence: the one whose end it lies before (after the
     * merge no token but one at the very end crosses a sentence's end; such a token, and any
     * past the last sentence, belongs to the last). */
    size_t w = 0, t = 0;
    for (size_t i = 0; i < s->n_sent; i++) {
        voc_span cur = s->nsent[i];
        size_t first = t;
        while (t < s->n_toks && s->toks[t].nend <= cur.end) t++;
        while (i + 1 < s->n_sent && t < s->n_toks && s->toks[t].nstart < cur.end) {
            cur.end = s->nsent[++i].end;
            while (t < s->n_toks && s->toks[t].nend <= cur.end) t++;
        }
        for (; first < t; first++) s->toks[first].sentence = (uint32_t)w;
        s->nsent[w++] = cur;
    }
    s->n_sent = w;
    for (; t < s->n_toks; t++) s->toks[t].sentence = (uint32_t)(w ? w - 1 : 0);
    return VOC_OK;
}
