/* model.c — the n-gram scorer: a multinomial linear model over hashed n-grams and the
 * rules' own findings, whose weights are a readable lexicon (lexicons/<lang>/ngrams.tsv).
 *
 * Features of a document (voc__model_features; train.c learns from the same function):
 *   w:WORD     a word, emoji, emoticon, hashtag, "!" or "?" (token norms: case-folded,
 *              width-folded, Traditional Chinese); a phrase of the lexicon ("not bad",
 *              "can not complain", 不會太難) is one unit, its words are not features
 *   i:WORD     the same after an irrealis marker (if, would, 如果) in its sentence, so a
 *              wish ("it would be nice if…") is learned apart from a verdict
 *   n:WORD     the same word inside a negator's scope (up to three words after not/不/沒,
 *              stopping at clause punctuation and contrast words): "n:good" in "not good"
 *   b:W1 W2    two adjacent such units in one sentence
 * Politeness formulas (不好意思, "sorry to bother you") make no features: they are not
 * complaints, whatever the training data's requests were about.
 *   c:XY       two adjacent Han characters in one sentence, across word boundaries, so a
 *              segmentation slip does not hide a phrase
 *   @lex, @lexpos, @lexneg, @nolex, @question, @exclaim, @bias   what the rules found:
 *              the rule score in [-1, 1], the squashed sums of positive and of negative
 *              lexicon contributions, whether there was no lexicon evidence at all (the
 *              cue for neutral that holds in every domain), whether it is a request or
 *              wish without any (@request), whether the text asks or exclaims, and a
 *              constant.
 * The rules' own logits (score.c) are added with the weight of the "@rules" row: a prior
 * chosen by cross-domain validation (train on some dev files, measure on the others), because
 * fitted on the dev data alone the model trusts its n-grams more than other domains bear.
 * A sparse feature's value is the rules' weight of its clause (1, or 0.5 before "but" and
 * 1.5 after it, 0.3 after "if"), scaled by 1/sqrt(the number of features) so long texts do
 * not overwhelm the dense ones.  Probabilities are softmax(logits / temperature), the
 * temperature fitted on held-out data by train.c, so the confidence is calibrated; the
 * score is P(positive) - P(negative).  The model's evidence: the n-grams that pushed the
 * decision most, with their spans.
 *
 * Lookup is an open-addressing table keyed by a 64-bit hash of the feature name that the
 * analysis computes without writing names out ("feature keys" below); names are kept only to
 * show them as evidence. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const voc__dense_names[VOC_N_DENSE] = {"@bias", "@lex", "@lexpos", "@lexneg",
                                                   "@question", "@exclaim", "@nolex", "@request"};

#define NEG_SCOPE 3       /* words after a negator that are marked n: */
#define MAX_EVIDENCE 5    /* n-gram evidence items per document */
#define MIN_EVIDENCE 0.15 /* smallest logit margin worth showing */
#define WISH_NEUTRAL 1.5  /* logit added to neutral for a wish without sentiment terms */
#define BALANCE_NEUTRAL 1.5 /* ... and for a verdict of balance of weight 1 (score.c) */
#define INFO_NEUTRAL 1.5  /* ... and for plain information (hours, prices, specs) without one */

/* ---- feature keys ------------------------------------------------------------------------
 *
 * How it works: the table is keyed by a hash of each feature's name that can be put together
 * from the hashes of the name's pieces, so analysis never writes names out ("w:" + a word,
 * "b:" + a unit + " " + the next, "c:" + two characters).  A piece of bytes x_1..x_n has the
 * polynomial P(x) = x_1·B^(n-1) + ... + x_n (mod 2^64, B an odd constant), and
 * P(xy) = P(x)·B^|y| + P(y): a unit's P and B^|unit| are computed once, each feature from
 * them with a multiply and an add per piece.  For "w:good": P("w:")·B^4 + P("good").  The key
 * is P and the length mixed by a multiply and a shift (finish_key), so its bits are usable as a
 * table index; 0 is kept for empty slots.  A model whose names collide fails to load ("feature
 * repeated").  train.c and the unit tests see names (voc__model_features writes them and keys
 * them with voc__hash); the two kinds of key are never compared. */
#define KEY_B 0x9E3779B97F4A7C15ULL /* odd */

/* A piece of a feature name: its bytes, P (see above) and B^len. */
typedef struct piece {
    const char *text;
    size_t len;
    uint64_t poly, pow;
} piece;

#define KEY_B2 (KEY_B * KEY_B)
#define KEY_B3 (KEY_B2 * KEY_B)
#define KEY_B4 (KEY_B2 * KEY_B2)

/* Four bytes a step: P(xy) = P(x)·B^4 + P(y) for the four bytes y, whose P is four
 * independent products (the same sum mod 2^64 as a byte a step, in fewer instructions). */
static inline piece make_piece(const char *text, size_t len)
{
    const unsigned char *u = (const unsigned char *)text;
    piece p = {text, len, 0, 1};
    size_t i = 0;
    for (; i + 4 <= len; i += 4) {
        p.poly = p.poly * KEY_B4 + (u[i] * KEY_B3 + u[i + 1] * KEY_B2 + u[i + 2] * KEY_B + u[i + 3]);
        p.pow *= KEY_B4;
    }
    for (; i < len; i++) {
        p.poly = p.poly * KEY_B + u[i];
        p.pow *= KEY_B;
    }
    return p;
}

/* make_piece of one UTF-8 character of cl bytes: a Han one (3 bytes) without the loop. */
static inline piece char_piece(const char *text, size_t cl)
{
    if (cl != 3) return make_piece(text, cl);
    const unsigned char *u = (const unsigned char *)text;
    return (piece){text, 3, u[0] * KEY_B2 + u[1] * KEY_B + u[2], KEY_B3};
}

/* One multiply and one shift suffice: both steps are invertible, so two names get one key
 * exactly when they give one P ^ len·C, the value multiplied (0 aside, made 1): the same keys
 * collide as under any finer finalizer of that value.  And the index bits (key >> 7, up to
 * bit 22 for 30,000 features) take in bits 39 and up of the product, which every bit of P
 * below them moves. */
static inline uint64_t finish_key(uint64_t poly, size_t len)
{
    uint64_t h = (poly ^ (uint64_t)len * 0xC4CEB9FE1A85EC53ULL) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 32;
    return h ? h : 1;
}

uint64_t voc__feat_key(const char *name, size_t len)
{
    return finish_key(make_piece(name, len).poly, len);
}

/* ---- the table ------------------------------------------------------------------------ */

void voc__model_free(voc_model *m)
{
    free(m->slots);
    free(m->names);
    memset(m, 0, sizeof *m);
}

/* The slot of a key (never 0) in a table that has slots, or SIZE_MAX. */
static inline size_t find_slot(const voc_model *m, uint64_t key)
{
    size_t mask = m->n_slots - 1;
    for (size_t i = (size_t)(key >> 7) & mask;; i = (i + 1) & mask) {
        uint64_t k = m->slots[i].key;
        if (k == key) return i;
        if (k == 0) return SIZE_MAX;
    }
}

/* The name of the feature in slot i.  A table from the cache file is checked here, where a
 * name is read (the few evidence names of a document), not slot by slot on every start-up
 * (131,072 slots: a million instructions): an offset past the names, which only a damaged
 * file can hold, names nothing.  (The names end with a NUL: cache.c checks that.) */
static inline const char *slot_name(const voc_model *m, size_t i)
{
    uint32_t off = m->slots[i].name_off;
    return off < m->names_len ? m->names + off : "";
}

const float *voc__model_find(const voc_model *m, uint64_t key, const char **name)
{
    if (!m->n_slots) return NULL;
    size_t i = find_slot(m, key ? key : 1);
    if (i == SIZE_MAX) return NULL;
    if (name) *name = slot_name(m, i);
    return m->slots[i].w;
}

static int dense_index(const char *name)
{
    for (int d = 0; d < VOC_N_DENSE; d++)
        if (!strcmp(voc__dense_names[d], name)) return d;
    return -1;
}

/* Fill model m from the rows of one file [first, last). */
static int build_one(voc_model *m, const voc_lexrows *rows, size_t first, size_t last,
                     voc_error *err)
{
    voc__model_free(m);
    m->temperature = 1.0f;
    size_t n_sparse = 0, names_len = 0;
    for (size_t i = first; i < last; i++)
        if (rows->rows[i].term[0] != '@') {
            n_sparse++;
            names_len += strlen(rows->rows[i].term) + 1;
        }
    size_t slots = 16;
    while (slots < 2 * n_sparse) slots *= 2;
    m->slots = calloc(slots, sizeof *m->slots);
    m->names = malloc(names_len + 1);
    if (!m->slots || !m->names) {
        voc__model_free(m);
        return voc__fail(err, VOC_ENOMEM, "ngrams.tsv", 0, 0, "out of memory");
    }
    m->n_slots = slots;
    const char *path = rows->files[rows->rows[first].file];
    for (size_t i = first; i < last; i++) {
        const voc_lexrow *r = &rows->rows[i];
        if (r->term[0] == '@') {
            if (!strcmp(r->term, "@rules")) {
                if (!(r->w[0] >= 0 && r->w[0] <= 10)) {
                    voc__model_free(m);
                    return voc__fail(err, VOC_ELEXICON, path, r->line, 0, "@rules must be in [0, 10]");
                }
                m->rules = r->w[0];
                continue;
            }
            if (!strcmp(r->term, "@temperature")) {
                if (!(r->w[0] > 0.05f && r->w[0] < 20)) {
                    voc__model_free(m);
                    return voc__fail(err, VOC_ELEXICON, path, r->line, 0,
                                     "@temperature must be in (0.05, 20)");
                }
                m->temperature = r->w[0];
                continue;
            }
            int d = dense_index(r->term);
            if (d < 0) {
                voc__model_free(m);
                return voc__fail(err, VOC_ELEXICON, path, r->line, 0,
                                 "unknown dense feature '%s' (known: @bias @lex @lexpos @lexneg "
                                 "@nolex @request @question @exclaim @rules @temperature)", r->term);
            }
            memcpy(m->dense[d], r->w, sizeof m->dense[d]);
            continue;
        }
        size_t len = strlen(r->term);
        uint64_t h = voc__feat_key(r->term, len);
        size_t mask = slots - 1, k = (size_t)(h >> 7) & mask;
        while (m->slots[k].key && m->slots[k].key != h) k = (k + 1) & mask;
        if (m->slots[k].key == h) {
            voc__model_free(m);
            return voc__fail(err, VOC_ELEXICON, path, r->line, 0, "feature '%s' repeated", r->term);
        }
        m->slots[k].key = h;
        memcpy(m->slots[k].w, r->w, sizeof r->w);
        m->slots[k].name_off = (uint32_t)m->names_len;
        memcpy(m->names + m->names_len, r->term, len + 1);
        m->names_len += len + 1;
        m->n_features++;
    }
    m->loaded = true;
    return VOC_OK;
}

int voc__models_build(voc_model models[VOC_N_MODELS], const voc_lexrows *rows, voc_error *err)
{
    /* the last ngrams file of each language wins */
    size_t first[VOC_N_MODELS], last[VOC_N_MODELS];
    bool seen[VOC_N_MODELS] = {false, false};
    for (size_t i = 0; i < rows->n; i++) {
        const voc_lexrow *r = &rows->rows[i];
        if (r->file_kind != VOC_FILE_NGRAMS) continue;
        if (r->lang != VOC_LANG_EN && r->lang != VOC_LANG_ZH)
            return voc__fail(err, VOC_ELEXICON, rows->files[r->file], r->line, 0,
                             "n-gram weights belong in en/ or zh-Hant/");
        int m = r->lang == VOC_LANG_EN ? VOC_MODEL_EN : VOC_MODEL_ZH;
        if (!seen[m] || rows->rows[first[m]].file != r->file) first[m] = i;
        last[m] = i + 1;
        seen[m] = true;
    }
    for (int m = 0; m < VOC_N_MODELS; m++) {
        voc__model_free(&models[m]);
        if (!seen[m]) continue;
        int rc = build_one(&models[m], rows, first[m], last[m], err);
        if (rc) return rc;
    }
    return VOC_OK;
}

/* ---- features --------------------------------------------------------------------------- */

/* Tokens that make features: words, emoji, emoticons, hashtags, and ! and ? marks.
 * Returns the feature text of token i ("!" for "!!!") in text and len. */
static bool feature_token(const voc_session *s, size_t i, const char **text, size_t *len)
{
    const voc_tok *t = &s->toks[i];
    const char *n = voc__tok_norm(s, t);
    switch (t->type) {
    case VOC_TOKEN_WORD: case VOC_TOKEN_EMOJI: case VOC_TOKEN_EMOTICON: case VOC_TOKEN_HASHTAG:
        *text = n;
        *len = t->norm_len;
        return t->norm_len > 0 && t->norm_len < 64;
    case VOC_TOKEN_PUNCT: { /* "?" wins over "!" ("?!"); short norms: no memchr call */
        bool bang = false;
        for (size_t k = 0; k < t->norm_len; k++) {
            if (n[k] == '?') { *text = "?"; *len = 1; return true; }
            bang |= n[k] == '!';
        }
        if (bang) { *text = "!"; *len = 1; return true; }
        return false;
    }
    default:
        return false;
    }
}

/* The end of a negator's scope: a clause break, or a full stop inside the sentence ("no..."). */
static bool ends_scope(const voc_session *s, size_t i)
{
    const voc_tok *t = &s->toks[i];
    if (voc__clause_break(s, i)) return true;
    const char *n = voc__tok_norm(s, t);
    return t->type == VOC_TOKEN_PUNCT &&
           (n[0] == '.' || (t->norm_len == 3 && !memcmp(n, "\xe3\x80\x82", 3))); /* 。 */
}

/* Does the negator at token i negate a negative term or another negator within its scope
 * (the next NEG_SCOPE words of its clause)? */
static bool negation_cancels(const voc_session *s, size_t i)
{
    for (size_t j = i + 1; j < s->n_toks && j <= i + NEG_SCOPE; j++) {
        const voc_tok *t = &s->toks[j];
        if (t->sentence != s->toks[i].sentence || ends_scope(s, j)) return false;
        if (voc__mod_kind(t) == VOC_MOD_NEGATOR) return true;
        if (t->entry && (t->entry->flags & VOC_ENTRY_VALENCE) && t->entry->valence != 0)
            return t->entry->valence < 0;
    }
    return false;
}

/* The constant pieces of names. */
typedef struct name_parts {
    piece w, i, n, b, c, space, none;
} name_parts;

/* The value of a feature whose last token is `last`: the rules' clause weight there (0.5
 * before "but", 1.5 after it, 0.3 after "if"), so the model reads clause structure too. */
static inline float feat_value(const voc_session *s, size_t last)
{
    double w = s->tok_weight ? s->tok_weight[last] : 1.0;
    return (float)(w < 0.1 ? 0.1 : w > 2.0 ? 2.0 : w);
}

/* Write the name of feature f (prefix + a [+ joiner + b]) to s->featnames and key it with
 * voc__hash: the named features of train.c and the tests, kept out of the hot path. */
static int name_feat(voc_session *s, voc_feat *f, const piece *prefix, const piece *a,
                     const piece *joiner, const piece *b)
{
    voc_buf *nb = &s->featnames;
    size_t off = nb->len;
    voc__buf_append(nb, prefix->text, prefix->len);
    voc__buf_append(nb, a->text, a->len);
    if (b) {
        voc__buf_append(nb, joiner->text, joiner->len);
        voc__buf_append(nb, b->text, b->len);
    }
    if (nb->failed) return VOC_ENOMEM;
    f->name_off = (uint32_t)off;
    f->name_len = (uint32_t)(nb->len - off);
    f->hash = voc__hash(nb->data + off, f->name_len);
    if (f->hash == 0) f->hash = 1;
    return VOC_OK;
}

/* The document's features so far, one of each (present or absent), in text order: a small
 * open-addressed set over s->feats (s->feat_set: index + 1, 0 empty, at most half full),
 * filled as the features are made so a repeat is never stored; and in keyed mode the model,
 * whose slot for each new key is prefetched (the table is larger than the caches: by the
 * time voc__model_apply asks for it, the miss has been served). */
typedef struct feat_set {
    size_t mask;             /* slots of s->feat_set - 1 */
    const voc_model_slot *slots; /* keyed mode with a loaded model: its table, else NULL */
    size_t slots_mask;       /* ... and its slots - 1 */
} feat_set;

static int feat_set_init(voc_session *s, feat_set *set, const voc_model *model)
{
    size_t slots = 64; /* room for two features a token (a word and its bigram) */
    while (slots < 4 * s->n_toks) slots *= 2;
    if (voc__grow((void **)&s->feat_set, &s->cap_feat_set, slots, sizeof *s->feat_set)) return VOC_ENOMEM;
    memset(s->feat_set, 0, slots * sizeof *s->feat_set);
    set->mask = slots - 1;
    set->slots = model && model->n_slots ? model->slots : NULL;
    set->slots_mask = model ? model->n_slots - 1 : 0;
    return VOC_OK;
}

/* Double the set and file the features again (rare: many Han characters a token). */
static int feat_set_grow(voc_session *s, feat_set *set)
{
    size_t slots = 2 * (set->mask + 1);
    if (voc__grow((void **)&s->feat_set, &s->cap_feat_set, slots, sizeof *s->feat_set)) return VOC_ENOMEM;
    memset(s->feat_set, 0, slots * sizeof *s->feat_set);
    set->mask = slots - 1;
    for (size_t i = 0; i < s->n_feats; i++) {
        size_t k = (size_t)(s->feats[i].hash >> 7) & set->mask;
        while (s->feat_set[k]) k = (k + 1) & set->mask;
        s->feat_set[k] = (uint32_t)(i + 1);
    }
    return VOC_OK;
}

/* Add the feature prefix + a [+ joiner + b] over tokens [first, last] with its value
 * (feat_value of last): when `named` (train.c, tests) with its name written to s->featnames
 * and keyed by voc__hash, else keyed from its pieces (see "feature keys" above).  A repeat
 * keeps the first occurrence's tokens and the strongest value.  Inlined (GCC and Clang): it
 * runs once or twice per word, and b and joiner are constants at each call. */
VOC_ALWAYS_INLINE static inline int add_feat(voc_session *s, feat_set *set, bool named, const piece *prefix,
                                             const piece *a, const piece *joiner, const piece *b,
                                             size_t first, size_t last, float value)
{
    if (s->n_feats == s->cap_feats &&
        voc__grow((void **)&s->feats, &s->cap_feats, s->n_feats + 1, sizeof *s->feats))
        return VOC_ENOMEM;
    voc_feat *f = &s->feats[s->n_feats];
    uint64_t key;
    if (named) {
        if (name_feat(s, f, prefix, a, joiner, b)) return VOC_ENOMEM;
        key = f->hash;
    } else {
        uint64_t poly = prefix->poly * a->pow + a->poly;
        size_t len = prefix->len + a->len;
        if (b) {
            poly = (poly * joiner->pow + joiner->poly) * b->pow + b->poly;
            len += joiner->len + b->len;
        }
        key = finish_key(poly, len);
    }
    size_t k = (size_t)(key >> 7) & set->mask;
    for (uint32_t j; (j = s->feat_set[k]) != 0; k = (k + 1) & set->mask) {
        voc_feat *g = &s->feats[j - 1];
        if (g->hash == key) { /* seen: keep its strongest occurrence */
            if (value > g->value) g->value = value;
            if (named) s->featnames.len = f->name_off; /* its name is not kept */
            return VOC_OK;
        }
    }
    if (!named) {
        f->name_off = f->name_len = 0;
        f->hash = key;
        if (set->slots) { /* both ends: a quarter of the 24-byte slots span two lines */
            const char *slot = (const char *)&set->slots[(size_t)(key >> 7) & set->slots_mask];
            __builtin_prefetch(slot);
            __builtin_prefetch(slot + sizeof(voc_model_slot) - 1);
        }
    }
    f->tok_first = (uint32_t)first;
    f->tok_last = (uint32_t)last;
    f->value = value;
    s->feat_set[k] = (uint32_t)++s->n_feats;
    if (2 * s->n_feats > set->mask + 1) return feat_set_grow(s, set);
    return VOC_OK;
}

static size_t utf8_len(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

/* The previous Han character: its bytes, its token, and where that token ends in the
 * normalized text (a pair is made only when the next Han token starts right there). */
typedef struct han_char {
    piece ch;                /* ch.text NULL: none (start, or something else came between) */
    size_t tok, end;
} han_char;

/* The "c:XY" features of Han token i (text, len), continuing the pair from the previous
 * Han token when the two touch in the normalized text. */
static int han_pairs(voc_session *s, feat_set *set, bool named, const name_parts *np, size_t i,
                     const char *text, size_t len, han_char *prev)
{
    const voc_tok *t = &s->toks[i];
    if (prev->ch.text && prev->end != t->nstart) prev->ch.text = NULL;
    float value = feat_value(s, i);
    for (size_t k = 0; k < len;) {
        size_t cl = utf8_len((unsigned char)text[k]);
        if (k + cl > len) break;
        piece ch = char_piece(text + k, cl);
        int rc;
        if (prev->ch.text &&
            (rc = add_feat(s, set, named, &np->c, &prev->ch, &np->none, &ch, prev->tok, i, value)))
            return rc;
        *prev = (han_char){ch, i, 0};
        k += cl;
    }
    prev->end = t->nend;
    return VOC_OK;
}

/* The features of voc__model_features; `named`: also write their names (see add_feat). */
static int features(voc_session *s, double dense[VOC_N_DENSE], bool named, const voc_model *model)
{
    s->n_feats = 0;
    s->featnames.len = 0;
    feat_set set;
    if (feat_set_init(s, &set, named ? NULL : model)) return VOC_ENOMEM;
    const name_parts np = {make_piece("w:", 2), make_piece("i:", 2), make_piece("n:", 2),
                           make_piece("b:", 2), make_piece("c:", 2), make_piece(" ", 1),
                           make_piece("", 0)};
    int rc, neg_left = 0;
    bool irrealis = false;           /* after if/would/如果 in this sentence */
    size_t prev = SIZE_MAX;          /* previous feature unit in this sentence */
    piece prev_unit = {NULL, 0, 0, 1};
    han_char han_prev = {{NULL, 0, 0, 1}, 0, 0};
    for (size_t i = 0; i < s->n_toks; i++) {
        const voc_tok *t = &s->toks[i];
        if (i > 0 && t->sentence != s->toks[i - 1].sentence) {
            prev = SIZE_MAX;
            neg_left = 0;
            irrealis = false;
            han_prev.ch.text = NULL;
        }
        if (neg_left > 0 && ends_scope(s, i)) neg_left = 0; /* asked only inside a scope */
        const char *text;
        size_t len;
        if (!feature_token(s, i, &text, &len)) {
            han_prev.ch.text = NULL;
            continue;
        }
        int kind = voc__mod_kind(t);
        /* (a phrase matched over a word inside it, 價格|很|高 as 價格高, keeps its words) */
        size_t units = t->entry && t->entry_tokens > 1 && !t->entry_inner ? t->entry_tokens : 1;
        if (VOC_MOD_IS_FORMULA(kind)) { /* 不好意思, "sorry to bother you", "best regards": no complaint */
            han_prev.ch.text = NULL;
            i += units - 1;
            continue;
        }
        /* Han character pairs run over every Han token, phrase members included */
        if (t->flags & VOC_TOKEN_HAN) {
            if ((rc = han_pairs(s, &set, named, &np, i, text, len, &han_prev)))
                return rc;
        } else {
            han_prev.ch.text = NULL;
        }
        if (units > 1) { /* a lexicon phrase ("not bad", "can not complain") is one unit */
            text = t->entry->key;
            len = t->entry->key_len;
            for (size_t k = 1; k < units; k++) {
                const voc_tok *m = &s->toks[i + k];
                if (!(m->flags & VOC_TOKEN_HAN)) continue;
                if ((rc = han_pairs(s, &set, named, &np, i + k, voc__tok_norm(s, m), m->norm_len, &han_prev)))
                    return rc;
            }
        }
        size_t last = i + units - 1;
        /* "never been so disappointed", "couldn't be happier": no negation (score.c) */
        if (kind == VOC_MOD_NEGATOR && voc__negator_rhetorical(s, i)) { /* "isn't it great?": no cue */
            han_prev.ch.text = NULL;
            i += units - 1;
            continue;
        }
        bool negator = kind == VOC_MOD_NEGATOR && !voc__negator_intensifies(s, i);
        if (negator && negation_cancels(s, i)) {
            /* "not unhappy", "not disappointed", 不是不好: the negator turns a complaint
             * (or another negator) around, so it is not the cue for a complaint that "not"
             * alone is: it makes no feature, the rules' score (@lex) speaks for the turn */
            prev = SIZE_MAX;
            neg_left = NEG_SCOPE + 1;
            if (neg_left > 0) neg_left--;
            i = last;
            continue;
        }
        const piece *prefix = irrealis ? &np.i : neg_left > 0 && !negator ? &np.n : &np.w;
        piece unit = make_piece(text, len);
        float value = feat_value(s, last);
        if ((rc = add_feat(s, &set, named, prefix, &unit, NULL, NULL, i, last, value))) return rc;
        if (prev != SIZE_MAX && (rc = add_feat(s, &set, named, &np.b, &prev_unit, &np.space, &unit, prev, last, value)))
            return rc;
        prev = i;
        prev_unit = unit;
        if (kind == VOC_MOD_IRREALIS) irrealis = true;
        if (negator) neg_left = NEG_SCOPE + 1;
        if (neg_left > 0) neg_left--;
        i = last;
    }
    dense[VOC_DENSE_BIAS] = 1.0;
    dense[VOC_DENSE_LEX] = s->rule_score;
    /* (1 - exp(-0) is 0 exactly: no call for a document without such terms) */
    dense[VOC_DENSE_LEXPOS] = s->rule_pos == 0 ? 0.0 : 1.0 - exp(-s->rule_pos / 2.0);
    dense[VOC_DENSE_LEXNEG] = s->rule_neg == 0 ? 0.0 : 1.0 - exp(-s->rule_neg / 2.0);
    dense[VOC_DENSE_QUESTION] = s->any_question ? 1.0 : 0.0;
    dense[VOC_DENSE_EXCLAIM] = s->any_exclaim ? 1.0 : 0.0;
    dense[VOC_DENSE_NOLEX] = s->rule_pos + s->rule_neg == 0 ? 1.0 : 0.0;
    dense[VOC_DENSE_REQUEST] = s->neutral_cue ? 1.0 : 0.0;
    return VOC_OK;
}

int voc__model_features(voc_session *s, double dense[VOC_N_DENSE])
{
    return features(s, dense, true, NULL);
}

/* ---- applying the model ---------------------------------------------------------------- */

typedef struct ngram_hit {
    double margin;           /* contribution to logit(label) - logit(runner-up side) */
    size_t feat, slot;       /* the feature, its slot in the table (its name) */
} ngram_hit;

/* Evidence for a rule applied on top of the model, where the first evidence of `kind` is
 * (for a politeness formula, which leaves no evidence of its own: at the formula). */
static int add_rule_ev(voc_session *s, int kind, const char *what, double weight)
{
    if (kind == VOC_EVIDENCE_POLITENESS)
        for (size_t i = 0; i < s->n_toks; i++)
            if (voc__mod_kind(&s->toks[i]) == VOC_MOD_POLITENESS)
                return voc__add_match_ev(s, i, VOC_EVIDENCE_RULE, weight, what);
    for (size_t i = 0; i < s->n_evs; i++)
        if (s->evs[i].kind == kind) {
            if (voc__grow((void **)&s->evs, &s->cap_evs, s->n_evs + 1, sizeof *s->evs)) return VOC_ENOMEM;
            voc_ev *ev = &s->evs[s->n_evs++];
            *ev = s->evs[i];
            ev->kind = VOC_EVIDENCE_RULE;
            ev->weight = weight;
            ev->term = what;
            return VOC_OK;
        }
    return VOC_OK;
}

int voc__model_apply(voc_session *s, const voc_model *m, voc_result *r)
{
    double dense[VOC_N_DENSE];
    int rc = features(s, dense, false, m); /* keyed from pieces: no names written */
    if (rc) return rc;
    double logit[3];
    _Static_assert(VOC_N_DENSE == 8, "the dense sum below names each feature");
    for (int c = 0; c < 3; c++) { /* (the sum written out, in registers, in the same order) */
        double sum = 0;
        sum += m->dense[0][c] * dense[0];
        sum += m->dense[1][c] * dense[1];
        sum += m->dense[2][c] * dense[2];
        sum += m->dense[3][c] * dense[3];
        sum += m->dense[4][c] * dense[4];
        sum += m->dense[5][c] * dense[5];
        sum += m->dense[6][c] * dense[6];
        sum += m->dense[7][c] * dense[7];
        logit[c] = sum;
    }
    double scale = s->n_feats ? 1.0 / sqrt((double)s->n_feats) : 0;
    /* the strongest n-grams, kept while summing (MAX_EVIDENCE slots, smallest replaced) */
    ngram_hit hits[MAX_EVIDENCE];
    size_t n_hits = 0;
    double sp0 = 0, sp1 = 0, sp2 = 0; /* the sparse sums, one per class (in registers) */
    /* (features prefetched every feature's slot as it made its key) */
    const voc_feat *feats = s->feats;
    size_t n_feats = m->n_slots ? s->n_feats : 0;
    for (size_t i = 0; i < n_feats; i++) {
        size_t at = find_slot(m, feats[i].hash); /* feature keys are never 0 */
        if (at == SIZE_MAX) continue;
        const float *w = m->slots[at].w;
        double v = feats[i].value * scale;
        sp0 += w[0] * v;
        sp1 += w[1] * v;
        sp2 += w[2] * v;
        double margin = (w[VOC_POSITIVE] - w[VOC_NEGATIVE]) * v;
        if (fabs(margin) < MIN_EVIDENCE) continue;
        size_t slot = n_hits;
        if (n_hits == MAX_EVIDENCE) {
            slot = 0;
            for (size_t k = 1; k < n_hits; k++)
                if (fabs(hits[k].margin) < fabs(hits[slot].margin)) slot = k;
            if (fabs(hits[slot].margin) >= fabs(margin)) continue;
        } else {
            n_hits++;
        }
        hits[slot] = (ngram_hit){margin, i, at};
    }
    const double sparse[3] = {sp0, sp1, sp2};
    for (int c = 0; c < 3; c++) logit[c] = (logit[c] + sparse[c]) / m->temperature;
    /* the rules' own verdict as a prior of fixed weight (@rules): the data of six dev sets
     * would have the model trust its n-grams more than it should on other domains */
    if (m->rules > 0) {
        double rz[3];
        voc__rule_logits(s->rule_score, rz);
        for (int c = 0; c < 3; c++) logit[c] += m->rules * rz[c];
    }
    /* the rules' say over what the data cannot teach: a wish without any sentiment term
     * leans neutral ("如果客服回覆再快一點就更好了", "it would be nice if…"), and sarcasm
     * turns praise into complaint ("yeah right, fast shipping") */
    if (s->wish) {
        logit[VOC_NEUTRAL] += WISH_NEUTRAL;
        if ((rc = add_rule_ev(s, VOC_EVIDENCE_IRREALIS, "wish", WISH_NEUTRAL))) return rc;
    } else if (s->polite_request) {
        logit[VOC_NEUTRAL] += WISH_NEUTRAL;
        if ((rc = add_rule_ev(s, VOC_EVIDENCE_POLITENESS, "polite request", WISH_NEUTRAL))) return rc;
    }
    /* a verdict of balance ("it evens out", 好壞參半) is the writer's own summing up, which
     * the n-grams of a few balanced texts cannot teach */
    if (s->balance > 0) logit[VOC_NEUTRAL] += BALANCE_NEUTRAL * s->balance;
    /* plain information with no sentiment term (營業時間…週一公休, 價位落在六十到一百五之間):
     * the binary review data taught its words a side they do not have */
    if (s->info_tok != UINT32_MAX && s->rule_pos == 0 && s->rule_neg == 0) {
        logit[VOC_NEUTRAL] += INFO_NEUTRAL;
        if ((rc = voc__add_match_ev(s, s->info_tok, VOC_EVIDENCE_RULE, INFO_NEUTRAL, "plain information"))) return rc;
    }
    if (s->sarcasm && logit[VOC_POSITIVE] > logit[VOC_NEGATIVE]) {
        double tmp = logit[VOC_POSITIVE];
        logit[VOC_POSITIVE] = logit[VOC_NEGATIVE];
        logit[VOC_NEGATIVE] = tmp;
    }
    double mx = logit[0];
    for (int c = 1; c < 3; c++) if (logit[c] > mx) mx = logit[c];
    double z = 0, e[3];
    for (int c = 0; c < 3; c++) { /* exp(0) is 1 exactly: the largest costs no call */
        double x = logit[c] - mx;
        z += e[c] = x == 0 ? 1.0 : exp(x);
    }
    for (int c = 0; c < 3; c++) r->probs[c] = e[c] / z;
    voc__label_from_probs(r);
    r->score = r->probs[VOC_POSITIVE] - r->probs[VOC_NEGATIVE];
    /* evidence in text order */
    for (size_t a = 1; a < n_hits; a++)
        for (size_t b = a; b > 0 && s->feats[hits[b].feat].tok_first < s->feats[hits[b - 1].feat].tok_first; b--) {
            ngram_hit tmp = hits[b];
            hits[b] = hits[b - 1];
            hits[b - 1] = tmp;
        }
    for (size_t k = 0; k < n_hits; k++) {
        if (voc__grow((void **)&s->evs, &s->cap_evs, s->n_evs + 1, sizeof *s->evs)) return VOC_ENOMEM;
        voc_ev *ev = &s->evs[s->n_evs++];
        ev->tok_first = s->feats[hits[k].feat].tok_first;
        ev->tok_last = s->feats[hits[k].feat].tok_last;
        ev->kind = VOC_EVIDENCE_NGRAM;
        ev->weight = hits[k].margin;
        ev->term = slot_name(m, hits[k].slot);
    }
    return VOC_OK;
}
