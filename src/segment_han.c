/* segment_han.c — Chinese word segmentation by best path over a compiled dictionary.
 *
 * ICU's dictionary break cannot learn vocmine's lexicon at run time and runs at ~6.5 MB/s,
 * so Han runs are segmented here.  The dictionary is a trie over code points, stored as a
 * hash table from (parent node, code point) to child node; each node that ends a word holds
 * a cost, -log(p), from the word's count in words.tsv (a general word list learned from
 * text, see lexicons/README.md).  Lexicon terms are words too, with a generous count, so
 * that "踩雷", "閃退", "不推" come out whole.  Multi-character words that begin with a negator
 * or degree word were left out of words.tsv, so "不好" is 不 + 好 and the scorer sees 不.
 *
 * How it works, on 服務很好: best[i] is the cheapest segmentation of chars i..n.  Going from
 * the end, best[4] = 0, best[3] = cost(好), best[2] = min(cost(很) + best[3], cost(很好) if
 * a word ...), and at each i every dictionary word starting at i is tried by walking the
 * trie.  A character that no word covers costs `unknown_cost` as a single token.  Ties go
 * to the longer word.  The trie node of the word chosen at each character is kept
 * (best_node): it says whether that word is a lexicon term, and the root, that no word
 * starts there.  Two or more unknown characters in a row (rare names) are handed to
 * ICU's dictionary break instead, which knows more proper nouns than our list.  The work
 * is O(n × longest word) with no allocation (the arrays live in the session), except on
 * that rare ICU fallback. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KEY(node, cp) ((((uint64_t)(node)) << 21 | (uint64_t)(uint32_t)(cp)) + 1)

void voc__handict_init(voc_handict *d)
{
    memset(d, 0, sizeof *d);
}

void voc__handict_free(voc_handict *d)
{
    free(d->keys);
    free(d->vals);
    free(d->node_cost);
    free(d->node_lexicon);
    memset(d, 0, sizeof *d);
}

/* Inline: the best path asks it once or twice per character of every Han run. */
static inline int32_t child(const voc_handict *d, uint32_t node, int32_t cp)
{
    if (!d->n_slots) return -1;
    uint64_t key = KEY(node, cp);
    size_t mask = d->n_slots - 1;
    size_t i = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 20) & mask;
    for (;;) {
        if (d->keys[i] == 0) return -1;
        if (d->keys[i] == key) return (int32_t)d->vals[i];
        i = (i + 1) & mask;
    }
}

static int rehash(voc_handict *d, size_t n_slots)
{
    uint64_t *keys = calloc(n_slots, sizeof *keys);
    uint32_t *vals = calloc(n_slots, sizeof *vals);
    if (!keys || !vals) { free(keys); free(vals); return VOC_ENOMEM; }
    for (size_t j = 0; j < d->n_slots; j++) {
        if (!d->keys[j]) continue;
        size_t i = (size_t)(d->keys[j] * 0x9E3779B97F4A7C15ULL >> 20) & (n_slots - 1);
        while (keys[i]) i = (i + 1) & (n_slots - 1);
        keys[i] = d->keys[j];
        vals[i] = d->vals[j];
    }
    free(d->keys);
    free(d->vals);
    d->keys = keys;
    d->vals = vals;
    d->n_slots = n_slots;
    return VOC_OK;
}

static int32_t add_child(voc_handict *d, uint32_t node, int32_t cp)
{
    int32_t c = child(d, node, cp);
    if (c >= 0) return c;
    if ((d->n_nodes + 1) * 2 > d->n_slots && rehash(d, d->n_slots ? d->n_slots * 2 : 1024))
        return -1;
    size_t cap = d->cap_nodes;
    if (voc__grow((void **)&d->node_cost, &cap, d->n_nodes + 1, sizeof(float))) return -1;
    cap = d->cap_nodes;
    if (voc__grow((void **)&d->node_lexicon, &cap, d->n_nodes + 1, 1)) return -1;
    d->cap_nodes = cap;
    uint32_t id = (uint32_t)d->n_nodes++;
    d->node_cost[id] = 0; /* count until voc__handict_finish */
    d->node_lexicon[id] = 0;
    uint64_t key = KEY(node, cp);
    size_t i = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 20) & (d->n_slots - 1);
    while (d->keys[i]) i = (i + 1) & (d->n_slots - 1);
    d->keys[i] = key;
    d->vals[i] = id;
    return (int32_t)id;
}

int voc__handict_add(voc_handict *d, const char *word, size_t len, double count, bool lexicon)
{
    if (d->n_nodes == 0) { /* the root */
        if (voc__grow((void **)&d->node_cost, &d->cap_nodes, 1, sizeof(float))) return VOC_ENOMEM;
        size_t cap = 0;
        if (voc__grow((void **)&d->node_lexicon, &cap, d->cap_nodes, 1)) return VOC_ENOMEM;
        d->node_cost[0] = 0;
        d->node_lexicon[0] = 0;
        d->n_nodes = 1;
    }
    uint32_t node = 0;
    int n_chars = 0;
    bool has_han = false;
    for (size_t i = 0; i < len;) {
        size_t adv;
        int32_t cp = voc__utf8_decode((const unsigned char *)word, len, i, &adv);
        if (cp < 0) return VOC_EINVAL;
        if (voc__is_han(cp)) has_han = true;
        if (i == 0 && cp < 0x80) {
            if (!(cp >= 'a' && cp <= 'z')) return VOC_OK; /* only letter-initial mixed terms */
            d->root_latin[cp >> 3] |= (uint8_t)(1u << (cp & 7));
        }
        int32_t c = add_child(d, node, cp);
        if (c < 0) return VOC_ENOMEM;
        node = (uint32_t)c;
        n_chars++;
        i += adv;
    }
    if (!has_han || node == 0) return VOC_OK;
    if (n_chars > d->max_word_chars) d->max_word_chars = n_chars;
    d->node_cost[node] += (float)count;
    if (lexicon) d->node_lexicon[node] = 1;
    return VOC_OK;
}

void voc__handict_finish(voc_handict *d, double total)
{
    if (total < 1) total = 1;
    double logt = log(total);
    /* A lexicon term counts as at least as often as a word seen once in 20,000 tokens, so it
     * beats splitting into two ordinary words; words.tsv decides between ordinary words. */
    double lexicon_min = total / 20000.0;
    for (size_t i = 1; i < d->n_nodes; i++) {
        double c = d->node_cost[i];
        if (d->node_lexicon[i] && c < lexicon_min) c = lexicon_min;
        d->node_cost[i] = c > 0 ? (float)(logt - log(c)) : INFINITY;
    }
    d->unknown_cost = (float)(logt - log(0.5)); /* rarer than any listed character */
}

/* Cost of the best segmentation of cps[0..n) that does not use the whole as one word. */
static float split_cost(const voc_handict *d, const int32_t *cps, size_t n)
{
    float best[65];
    if (n > 64) return INFINITY;
    best[n] = 0;
    for (size_t i = n; i-- > 0;) {
        float b = INFINITY;
        uint32_t node = 0;
        for (size_t j = i; j < n; j++) {
            if (i == 0 && j == n - 1) break; /* the whole word itself */
            int32_t c = child(d, node, cps[j]);
            if (c < 0) break;
            node = (uint32_t)c;
            if (isfinite(d->node_cost[node]) && d->node_cost[node] + best[j + 1] < b)
                b = d->node_cost[node] + best[j + 1];
        }
        if (!isfinite(b)) b = d->unknown_cost + best[i + 1];
        best[i] = b;
    }
    return best[0];
}

int voc__handict_prefer(voc_handict *d, const char *word, size_t len)
{
    int32_t cps[65];
    size_t n = 0;
    uint32_t node = 0;
    for (size_t i = 0; i < len && n < 64;) {
        size_t adv;
        cps[n] = voc__utf8_decode((const unsigned char *)word, len, i, &adv);
        int32_t c = child(d, node, cps[n]);
        if (c < 0) return VOC_OK;
        node = (uint32_t)c;
        n++;
        i += adv;
    }
    if (n < 2 || !d->node_lexicon[node]) return VOC_OK;
    float split = split_cost(d, cps, n);
    if (d->node_cost[node] >= split) d->node_cost[node] = split - 0.5f;
    return VOC_OK;
}

size_t voc__handict_mixed_match(const voc_handict *d, const char *text, size_t len,
                                size_t pos)
{
    uint32_t node = 0;
    size_t best = 0;
    bool seen_han = false;
    for (size_t i = pos; i < len;) {
        size_t adv;
        int32_t cp = voc__utf8_decode((const unsigned char *)text, len, i, &adv);
        int32_t c = child(d, node, cp);
        if (c < 0) break;
        node = (uint32_t)c;
        i += adv;
        if (voc__is_han(cp)) seen_han = true;
        if (seen_han && isfinite(d->node_cost[node])) best = i - pos;
    }
    return best;
}

/* ---- the ICU alternative ---------------------------------------------------------------
 * ICU's dictionary break, refined by the lexicon: at each ICU boundary the longest lexicon
 * term starting there wins even across ICU's boundaries (ICU cannot learn 踩雷 or 不推), and
 * an ICU word that begins with a negator or degree word that is not itself a lexicon term
 * (不好, 很多) is split after it so the scorer sees the modifier. */

typedef struct han_breaks {
    uint32_t *at;
    size_t n, cap;
} han_breaks;

static int collect_break(void *user, size_t b)
{
    han_breaks *hb = user;
    if (hb->n == hb->cap) return 0; /* cannot happen: cap = bytes + 1 */
    hb->at[hb->n++] = (uint32_t)b;
    return 0;
}

/* Longest lexicon term starting at norm[p] within [p, end): its byte length, or 0.
 * `modifier_only` asks for a term that is a negator/degree word. */
static size_t lexicon_prefix(const voc_session *s, size_t p, size_t end, bool modifier_only)
{
    const voc_handict *d = &s->analyzer->handict;
    uint32_t node = 0;
    size_t best = 0;
    for (size_t i = p; i < end;) {
        size_t adv;
        int32_t cp = voc__utf8_decode((const unsigned char *)s->norm.data, end, i, &adv);
        int32_t c = child(d, node, cp);
        if (c < 0) break;
        node = (uint32_t)c;
        i += adv;
        if (!d->node_lexicon[node]) continue;
        if (modifier_only) {
            const voc_entry *e = voc__lexicon_find(&s->analyzer->lexicon, s->norm.data + p, i - p);
            if (!e || !(e->flags & VOC_ENTRY_MODIFIER)) continue;
            int k = e->mod_kind;
            if (k != VOC_MOD_NEGATOR && k != VOC_MOD_INTENSIFIER && k != VOC_MOD_DIMINISHER) continue;
        }
        best = i - p;
    }
    return best;
}

static int segment_han_icu(voc_session *s, size_t start, size_t end)
{
    han_breaks hb = {NULL, 0, end - start + 1};
    hb.at = malloc(sizeof *hb.at * hb.cap); /* the ICU path is the slow comparison path */
    if (!hb.at) return VOC_ENOMEM;
    int rc = voc__icu_han_breaks(s->icu, s->norm.data + start, end - start, collect_break, &hb);
    size_t p = start, k = 0;
    while (!rc && p < end) {
        while (k < hb.n && start + hb.at[k] <= p) k++;
        size_t icu_end = k < hb.n ? start + hb.at[k] : end;
        size_t lex = lexicon_prefix(s, p, end, false);
        if (lex >= icu_end - p) { /* a lexicon term as long as ICU's word, or longer */
            rc = voc__push_token(s, p, p + lex, VOC_TOKEN_WORD, VOC_TOKEN_HAN | VOC_TOKEN_LEXICON);
            p += lex;
            continue;
        }
        size_t mod = lexicon_prefix(s, p, icu_end, true);
        if (mod && mod < icu_end - p) { /* 不好 → 不 | 好 */
            rc = voc__push_token(s, p, p + mod, VOC_TOKEN_WORD, VOC_TOKEN_HAN | VOC_TOKEN_LEXICON);
            p += mod;
            continue;
        }
        rc = voc__push_token(s, p, icu_end, VOC_TOKEN_WORD, VOC_TOKEN_HAN);
        p = icu_end;
    }
    free(hb.at);
    return rc;
}

/* Room for a run of n characters (and the end of the last) in the session's arrays. */
static int reserve_run(voc_session *s, size_t n)
{
    if (n + 1 <= s->cap_cps) return VOC_OK;
    size_t c1 = s->cap_cps, c2 = c1, c3 = c1, c4 = c1, c5 = c1;
    if (voc__grow((void **)&s->cps, &c1, n + 1, sizeof *s->cps) ||
        voc__grow((void **)&s->cp_off, &c2, n + 1, sizeof *s->cp_off) ||
        voc__grow((void **)&s->best, &c3, n + 1, sizeof *s->best) ||
        voc__grow((void **)&s->best_len, &c4, n + 1, sizeof *s->best_len) ||
        voc__grow((void **)&s->best_node, &c5, n + 1, sizeof *s->best_node))
        return VOC_ENOMEM;
    size_t cap = c1; /* each grew to at least n + 1; the least of them is what all have */
    if (c2 < cap) cap = c2;
    if (c3 < cap) cap = c3;
    if (c4 < cap) cap = c4;
    if (c5 < cap) cap = c5;
    s->cap_cps = cap;
    return VOC_OK;
}

/* The run of Han characters from norm[start] (one, at least) read into s->cps, with their
 * offsets in s->cp_off: how many there are in *n_out, and in *end where the run ends.
 * Finding the end and decoding are one walk, so the text is read once.  VOC_OK or
 * VOC_ENOMEM. */
static int read_run(voc_session *s, size_t start, size_t *n_out, size_t *end)
{
    const unsigned char *t = (const unsigned char *)s->norm.data;
    size_t len = s->norm.len, n = 0, i = start;
    while (i < len) {
        size_t adv = 3;
        int32_t cp = voc__uro_at(t, len, i); /* the common block: Han without asking ICU */
        if (cp < 0) {
            cp = voc__utf8_decode(t, len, i, &adv);
            if (!voc__is_han(cp)) break; /* voc__is_han(-1), a malformed byte, is false */
        }
        if (n + 1 >= s->cap_cps && reserve_run(s, n + 1)) return VOC_ENOMEM;
        s->cps[n] = cp;
        s->cp_off[n++] = (uint32_t)i;
        i += adv;
    }
    if (reserve_run(s, n)) return VOC_ENOMEM;
    s->cp_off[n] = (uint32_t)i;
    *end = i;
    *n_out = n;
    return VOC_OK;
}

/* Whether the word chars [i, j) of the run is a lexicon word in 好 (服務好, 味道好, 環境好)
 * whose 好 is the degree word of the sentiment word after it: 服務好差, 味道好難吃, 環境好髒 say
 * "very bad", "very dirty" (Taiwan usage).  Kept whole, 服務好 would praise what the next word
 * blames.  Asked only of such words: the part before 好 must be a dictionary word of two
 * characters or more (還好 stays whole), and the next word of the run a lexicon term with a
 * valence. */
static bool degree_hao_before_term(const voc_session *s, const voc_handict *d, size_t i, size_t j, size_t n,
                                   uint32_t *prefix_node)
{
    if (j - i < 3 || j >= n || s->cps[j - 1] != 0x597D /* 好 */ || !d->node_lexicon[s->best_node[i]] ||
        !d->node_lexicon[s->best_node[j]])
        return false;
    uint32_t node = 0;
    for (size_t k = i; k + 1 < j; k++) {
        int32_t c = child(d, node, s->cps[k]);
        if (c < 0) return false;
        node = (uint32_t)c;
    }
    if (!isfinite(d->node_cost[node])) return false;
    *prefix_node = node;
    size_t next_end = j + s->best_len[j];
    const voc_entry *e = voc__lexicon_find(&s->analyzer->lexicon, s->norm.data + s->cp_off[j],
                                           s->cp_off[next_end] - s->cp_off[j]);
    return e && (e->flags & VOC_ENTRY_VALENCE) && e->valence != 0;
}

int voc__segment_han(voc_session *s, size_t start, size_t *end)
{
    size_t n;
    if (read_run(s, start, &n, end)) return VOC_ENOMEM;
    if (s->analyzer->han_segmenter == VOC_SEGMENTER_ICU) return segment_han_icu(s, start, *end);
    const voc_handict *d = &s->analyzer->handict;
    /* best_node[i]: the trie node of the word chosen at i (its cost, whether it is a lexicon
     * term), or 0 — the root — when no word starts there and the character stands alone,
     * unknown */
    s->best[n] = 0;
    for (size_t i = n; i-- > 0;) {
        float best = INFINITY;
        uint32_t best_len = 1, best_node = 0;
        uint32_t node = 0;
        for (size_t j = i; j < n; j++) {
            int32_t c = child(d, node, s->cps[j]);
            if (c < 0) break;
            node = (uint32_t)c;
            float cost = d->node_cost[node];
            if (!isfinite(cost)) continue;
            float total = cost + s->best[j + 1];
            if (total <= best) { /* <=: ties go to the longer word */
                best = total;
                best_len = (uint32_t)(j + 1 - i);
                best_node = node;
            }
        }
        if (!isfinite(best)) best = d->unknown_cost + s->best[i + 1];
        s->best[i] = best;
        s->best_len[i] = best_len;
        s->best_node[i] = best_node;
    }
    for (size_t i = 0; i < n;) {
        /* Characters the dictionary does not know at all (rare names, places): two or more
         * in a row go to ICU's dictionary break, which knows more words than our list.  (No
         * word starts at an unknown character: a character that is a word is known.) */
        size_t u = i;
        while (u < n && s->best_node[u] == 0) u++;
        if (u - i >= 2) {
            int rc = segment_han_icu(s, s->cp_off[i], s->cp_off[u]);
            if (rc) return rc;
            i = u;
            continue;
        }
        size_t j = i + s->best_len[i];
        unsigned flags = VOC_TOKEN_HAN;
        if (d->node_lexicon[s->best_node[i]]) flags |= VOC_TOKEN_LEXICON; /* the root is none */
        int rc;
        uint32_t prefix;
        if (degree_hao_before_term(s, d, i, j, n, &prefix)) { /* 服務|好|差 */
            int32_t hao = child(d, 0, 0x597D); /* 好 alone: a lexicon word (a degree word) */
            unsigned prefix_flags = VOC_TOKEN_HAN | (d->node_lexicon[prefix] ? VOC_TOKEN_LEXICON : 0);
            unsigned hao_flags = VOC_TOKEN_HAN | (hao > 0 && d->node_lexicon[hao] ? VOC_TOKEN_LEXICON : 0);
            if ((rc = voc__push_token(s, s->cp_off[i], s->cp_off[j - 1], VOC_TOKEN_WORD, prefix_flags)) ||
                (rc = voc__push_token(s, s->cp_off[j - 1], s->cp_off[j], VOC_TOKEN_WORD, hao_flags)))
                return rc;
            i = j;
            continue;
        }
        rc = voc__push_token(s, s->cp_off[i], s->cp_off[j], VOC_TOKEN_WORD, flags);
        if (rc) return rc;
        i = j;
    }
    return VOC_OK;
}
