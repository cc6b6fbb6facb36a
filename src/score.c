/* score.c — the rules: lexicon matches shaped by modifiers and sentence rules (the rule score
 * and evidence the n-gram model in model.c starts from).
 *
 * Matching: at each token the longest lexicon key (token norms joined by spaces) wins, so
 * fixed expressions ("not bad", "can not complain", 還好) are scored as wholes and their
 * parts are not; English words not found by their norm are tried by their Snowball stem,
 * Han words with a glued-on particle (慢了) without it, and hashtags by their body.
 *
 * Scoring, per sentence (VADER's ideas, extended to Chinese and to clause structure):
 *   - a term's valence is scaled by intensifiers/diminishers up to three tokens before it
 *     (very, 非常, 有點), and flipped by an odd number of negators in the same window
 *     (not, 不, 沒有): positive × -0.74, negative × -0.5 ("not terrible" is only mildly good);
 *     the window stops at clause punctuation and contrast words;
 *   - ALL-CAPS (in mixed-case text) and elongation add emphasis;
 *   - contrast (but, 但是, 不過): what comes before weighs 0.5, what follows the marker's
 *     weight (1.5); a concessive marker (雖然, although) weakens its own clause;
 *   - irrealis (if, 如果, would) damps the rest of the sentence; questions ("?", 嗎) damp
 *     the sentence; "!" adds emphasis up to four times;
 * and the document is the recency-weighted sum of sentences (later ones weigh up to 1.5×,
 * a complaint at the end of an email matters), squashed to [-1, 1] by x / sqrt(x² + 15).
 * Every term and applied modifier becomes evidence with its span and weight. */
#include "internal.h"

#include <math.h>
#include <string.h>

/* Further rules, read off the dev sets with --explain: an earlier sentiment term ends a
 * modifier's scope (不好吃不好吃 is negated once per term); words that are both sentiment
 * and degree words (好, so) are degree words before a sentiment term (好乾 = very dry);
 * emoji are never negated; praise inside a question is damped, a complaint put as a
 * question is not; thanks in a message that asks for something counts zero; a waited
 * duration ("2 hours", 一個多小時) is a complaint. */
#define WINDOW 3
#define NEG_POS (-0.74)
#define NEG_NEG (-0.5)
#define NOT_EVEN_BOOST 1.3 /* 一點…都沒有: "not at all" */
#define CAPS_BOOST 0.733
#define ELONG_BOOST 0.3
#define EXCLAIM_BOOST 0.292
#define QUESTION_DAMP 0.3   /* praise in a question: "is there a cheaper plan?" */
#define REQUEST_THANKS 0.0  /* gratitude in a message that asks for something: formulaic */
#define GRATITUDE_BIT (1u << 1) /* voc__emotion_ids[1] */
#define ALPHA 15.0
#define DURATION_VALENCE (-1.0) /* "waited 2 hours" */
#define CHANGE_VALENCE 1.5      /* "unemployment fell", "prices soared": a change for the better or worse */
#define MAX_CHANGES 8           /* per sentence */
#define YES_NO_DAMP 0.5         /* a harm named in a yes-or-no question (asks_yes_or_no) */
#define BALANCE_DAMP 0.5        /* the rule score after a verdict of balance of weight 1
                                 * ("it evens out"): the model adds its own lean (model.c) */
#define THRESHOLD 0.05
#define PROB_SLOPE 8.0

static const char *tok_norm(const voc_session *s, size_t i)
{
    return voc__tok_norm(s, &s->toks[i]);
}

/* A Han word that ends in a sentence particle the word list glued on (慢了, 貴啦) is looked
 * up without it. */
static const voc_entry *match_without_particle(const voc_session *s, const voc_tok *t)
{
    static const char *const particles[] = {"了", "的", "啦", "喔", "耶", "呢", "吧", "啊", "囉", "欸"};
    if (t->norm_len <= 3) return NULL;
    const char *w = voc__tok_norm(s, t);
    for (size_t i = 0; i < sizeof particles / sizeof *particles; i++)
        if (!memcmp(w + t->norm_len - 3, particles[i], 3)) {
            const voc_entry *e = voc__lexicon_find(&s->analyzer->lexicon, w, t->norm_len - 3);
            return e && (e->flags & VOC_ENTRY_VALENCE) ? e : NULL;
        }
    return NULL;
}

/* The negators a hashtag glues to the word they deny: #nothappy, #neveragain, #dontbuy. */
static const char *const hashtag_negators[] = {"not", "no", "never", "dont", "didnt", "doesnt", "cant", "wont",
                                               "isnt", "wasnt", "aint", "arent", "werent", NULL};

/* A hashtag's body as a term (#disappointed, #好評), else the longest sentiment term of
 * five bytes or more inside it (#worstflightever → worst): hashtags are where tweets put
 * their verdict. */
static const voc_entry *match_hashtag(const voc_session *s, const voc_tok *t)
{
    const voc_lexicon *lx = &s->analyzer->lexicon;
    const char *body = voc__tok_norm(s, t) + 1;
    size_t n = t->norm_len - 1;
    const voc_entry *e = voc__lexicon_find(lx, body, n);
    if (e && (e->flags & VOC_ENTRY_VALENCE)) return e;
    /* a negator glued to a whole term, however short: "#notgood", "#nofun", "#notfair" (score_term
     * turns it: hashtag_negator) */
    for (size_t g = 0; hashtag_negators[g]; g++) {
        size_t gl = strlen(hashtag_negators[g]);
        if (n > gl + 1 && !memcmp(body, hashtag_negators[g], gl)) {
            e = voc__lexicon_find(lx, body + gl, n - gl);
            if (e && (e->flags & VOC_ENTRY_VALENCE) && e->valence != 0 && e->n_tokens == 1) return e;
        }
    }
    const voc_entry *best = NULL;
    if (n > 40) return NULL;
    for (size_t a = 0; a < n; a++) {
        if (a > 0 && ((unsigned char)body[a] & 0xC0) == 0x80) continue;
        for (size_t z = n; z >= a + 5; z--) {
            if (best && z - a <= best->key_len) break;
            if (z < n && ((unsigned char)body[z] & 0xC0) == 0x80) continue;
            e = voc__lexicon_find(lx, body + a, z - a);
            if (e && (e->flags & VOC_ENTRY_VALENCE) && e->valence != 0 && e->n_tokens == 1) {
                best = e;
                break;
            }
        }
    }
    return best;
}

/* The negator a hashtag glues before the term match_hashtag found inside it: "#nothappy",
 * "#notimpressed" when not a word of its own, "#neverhappy", "#dontbuy".  Returns the
 * negator's length, 0 when none. */
static size_t hashtag_negator(const voc_session *s, const voc_tok *t)
{
    const char *body = voc__tok_norm(s, t) + 1, *key = t->entry->key;
    size_t n = t->norm_len - 1, k = t->entry->key_len;
    if (k >= n) return 0;
    for (size_t at = 1; at + k <= n; at++) { /* the term found inside, past the start */
        if (memcmp(body + at, key, k) != 0) continue;
        for (size_t g = 0; hashtag_negators[g]; g++) {
            size_t gl = strlen(hashtag_negators[g]);
            if (gl <= at && !memcmp(body + at - gl, hashtag_negators[g], gl)) return gl;
        }
        return 0;
    }
    return 0;
}

const voc_entry *voc__token_entry_find(voc_session *s, size_t i)
{
    voc_tok *t = &s->toks[i];
    if (!t->looked_up) {
        t->lookup = voc__lexicon_find(&s->analyzer->lexicon, tok_norm(s, i), t->norm_len);
        t->looked_up = true;
    }
    return t->lookup;
}

const voc_entry *voc__stem_entry_find(voc_session *s, size_t i)
{
    voc_tok *t = &s->toks[i];
    if (!t->stem_looked_up) {
        const char *stem = s->strings.data + t->stem_off;
        if (!t->stem_len) t->stem_entry = NULL;
        else if (t->stem_len == t->norm_len && !memcmp(stem, tok_norm(s, i), t->norm_len))
            t->stem_entry = voc__token_entry(s, i); /* its own stem */
        else t->stem_entry = voc__lexicon_find(&s->analyzer->lexicon, stem, t->stem_len);
        t->stem_looked_up = true;
    }
    return t->stem_entry;
}

/* The phrases starting at token i, whose own entry e is a phrase prefix: the key grows a
 * token at a time while it names an entry that is itself a prefix.  The key (norms joined
 * by spaces) is most often in the normalized text already — "not bad" there is two norms
 * with one space between — and is then read in place; only keys the text does not hold
 * ("can't" → can not) are written out (air3k: 8,300 walks, 0.5 M instructions of copying
 * saved). */
static void extend_phrase(voc_session *s, size_t i, const voc_entry *e)
{
    voc_tok *t = &s->toks[i];
    const voc_lexicon *lx = &s->analyzer->lexicon;
    const unsigned sentiment_flags = VOC_ENTRY_VALENCE | VOC_ENTRY_MODIFIER;
    voc_buf *written = &s->scratch;
    const char *key = tok_norm(s, i);
    size_t key_len = t->norm_len;
    bool written_out = false; /* the key so far is written->data; until then, with t's norm in
                               * the text, s->norm.data + t->norm_off */
    for (size_t k = 1; (int)k < lx->max_phrase_tokens && i + k < s->n_toks &&
                       s->toks[i + k].sentence == t->sentence; k++) {
        const voc_tok *u = &s->toks[i + k];
        size_t key_end = t->norm_off + key_len;
        if (!written_out && t->norm_in_text && u->norm_in_text && u->norm_off == key_end + 1 &&
            s->norm.data[key_end] == ' ') {
            key_len += 1 + u->norm_len;
        } else {
            if (!written_out) { /* from here on written out */
                written->len = 0;
                voc__buf_append(written, key, key_len);
                written_out = true;
            }
            voc__buf_append(written, " ", 1);
            voc__buf_append(written, tok_norm(s, i + k), u->norm_len);
            key = written->data;
            key_len = written->len;
        }
        e = voc__lexicon_find(lx, key, key_len);
        if (!e) break;
        if (e->flags & sentiment_flags) t->phrase_sentiment = e, t->phrase_sentiment_tokens = (uint8_t)(k + 1);
        if (e->flags & VOC_ENTRY_TOPIC) t->phrase_topic = e, t->phrase_topic_tokens = (uint8_t)(k + 1);
        if (!(e->flags & VOC_ENTRY_PREFIX)) break;
    }
}

/* A Han degree word or negator at token i (很, 超, 有點, 不): what may stand inside a
 * two-part Han phrase (價格很高, CP值超高, 價格不便宜) and modify it. */
static bool han_inner_modifier(voc_session *s, size_t i)
{
    const voc_tok *t = &s->toks[i];
    if (!(t->flags & VOC_TOKEN_HAN)) return false;
    const voc_entry *e = voc__token_entry(s, i);
    if (!e || !(e->flags & VOC_ENTRY_MODIFIER) || e->n_tokens != 1) return false;
    return e->mod_kind == VOC_MOD_INTENSIFIER || e->mod_kind == VOC_MOD_DIMINISHER || e->mod_kind == VOC_MOD_NEGATOR;
}

/* Adverbs that may stand between the parts of a Han phrase with the degree words and
 * negators, modifying nothing themselves (價格也不會太高, CP值真的很高, 價格都不便宜).  Asked of
 * the token after nearly every Han token: compared as one word of three, six or nine bytes,
 * not through voc__text_in (which cost SIGHAN 3 % of its time). */
static bool han_inner_adverb(const voc_session *s, size_t i)
{
    static const char one[][4] = {"也", "都", "還", "就", "算"};
    static const char two[][7] = {"真的", "其實", "實在", "算是", "還算"};
    const voc_tok *t = &s->toks[i];
    const char *n = voc__tok_norm(s, t);
    switch (t->norm_len) {
    case 3:
        for (size_t k = 0; k < sizeof one / sizeof *one; k++)
            if (!memcmp(n, one[k], 3)) return true;
        return false;
    case 6:
        for (size_t k = 0; k < sizeof two / sizeof *two; k++)
            if (!memcmp(n, two[k], 6)) return true;
        return false;
    case 9:
        return !memcmp(n, "還算是", 9);
    default:
        return false;
    }
}

/* At most this many tokens between the parts (也|不會|太). */
#define MAX_INNER 3

/* The two-part Han phrase at Han token i with degree words, negators or those adverbs between
 * its parts (one at least a degree word or negator): the lexicon has 價格高, CP值高, 價格便宜; the
 * text says 價格很高, CP值超高, 價格不便宜, 價格也不會太高.  Taken when no phrase was found
 * without the gap; score_term applies the words inside. */
static void extend_phrase_over_modifier(voc_session *s, size_t i)
{
    voc_tok *t = &s->toks[i];
    if (t->phrase_sentiment_tokens > 1) return;
    bool modifier = false;
    for (size_t n = 1; n <= MAX_INNER && i + n + 1 < s->n_toks; n++) {
        size_t j = i + n; /* the last word inside */
        if (s->toks[j].sentence != t->sentence) return;
        if (han_inner_modifier(s, j)) modifier = true;
        else if (!(s->toks[j].flags & VOC_TOKEN_HAN) || !han_inner_adverb(s, j)) return;
        const voc_tok *u = &s->toks[j + 1];
        if (!modifier || u->sentence != t->sentence || !(u->flags & VOC_TOKEN_HAN))
            continue; /* 也, 都 alone: look further (a word that cannot end the phrase returns above) */
        /* the term is one word of the segmenter's dictionary (價格高, keyed whole) or, when the
         * segmenter cuts it, two tokens (keyed with a space) */
        const char *a = tok_norm(s, i), *b = tok_norm(s, j + 1);
        voc_buf *key = &s->scratch;
        key->len = 0;
        voc__buf_append(key, a, t->norm_len);
        voc__buf_append(key, b, u->norm_len);
        if (key->failed) return; /* out of memory: voc__match_lexicon says so */
        const voc_entry *e = voc__lexicon_find(&s->analyzer->lexicon, key->data, key->len);
        if (!e && voc__phrase_pair_may_be_key(s->analyzer->phrase_pairs, a, t->norm_len, b, u->norm_len)) {
            key->len = t->norm_len; /* a stays: a space, then b again */
            voc__buf_append(key, " ", 1);
            voc__buf_append(key, b, u->norm_len);
            if (key->failed) return;
            e = voc__lexicon_find(&s->analyzer->lexicon, key->data, key->len);
        }
        if (e && (e->flags & VOC_ENTRY_VALENCE) && e->valence != 0 && e->n_tokens <= 2) {
            t->phrase_sentiment = e;
            t->phrase_sentiment_tokens = (uint8_t)(n + 2);
            t->phrase_inner = (uint8_t)n;
            return;
        }
        /* not here: the next word may be inside too (價格|很|不|便宜) */
    }
}

void voc__phrases_walk(voc_session *s, size_t i)
{
    voc_tok *t = &s->toks[i];
    t->phrases_walked = true;
    const voc_entry *e = voc__token_entry(s, i);
    bool sentiment = e && (e->flags & (VOC_ENTRY_VALENCE | VOC_ENTRY_MODIFIER));
    bool topic = e && (e->flags & VOC_ENTRY_TOPIC);
    t->phrase_sentiment = sentiment ? e : NULL;
    t->phrase_sentiment_tokens = sentiment;
    t->phrase_topic = topic ? e : NULL;
    t->phrase_topic_tokens = topic;
    t->phrase_inner = 0;
    /* a phrase may start here: extend, unless the next token cannot be its second (about
     * 58 % of English tokens are prefixes — the, i, my — and most of their pairs are none:
     * 3,000 airline tweets write 9,000 keys instead of 34,000) */
    if (!e || i + 1 >= s->n_toks) return;
    if (e->flags & VOC_ENTRY_PREFIX) {
        if (voc__phrase_pair_may_be_key(s->analyzer->phrase_pairs, tok_norm(s, i), t->norm_len, tok_norm(s, i + 1),
                                        s->toks[i + 1].norm_len))
            extend_phrase(s, i, e);
    }
    if (t->flags & VOC_TOKEN_HAN) extend_phrase_over_modifier(s, i);
}

/* A capitalized word inside its sentence ("Damn it Braves!", "miss you, Los Angeles") is a
 * name more often than an inflection: it takes a lexicon entry by its own form, never by its
 * stem (Braves → brave, Angeles → angel).  Words in capitals and sentence openers stay
 * ordinary words. */
static bool capitalized_inside(const voc_session *s, size_t i)
{
    const voc_tok *t = &s->toks[i];
    if (i == 0 || s->toks[i - 1].sentence != t->sentence || (t->flags & VOC_TOKEN_CAPS)) return false;
    size_t a = s->map_start[t->nstart];
    unsigned char c0 = (unsigned char)s->text[a];
    unsigned char c1 = a + 1 < s->text_len ? (unsigned char)s->text[a + 1] : 0;
    return c0 >= 'A' && c0 <= 'Z' && c1 >= 'a' && c1 <= 'z';
}

/* Whether the degree phrase of best_k tokens at token i gives its last word up to a sentiment
 * phrase that begins there: "way too tight" is "too tight" (a complaint) after "way", not
 * "way too" before "tight" (no valence) — and "so much better" is "much better". */
static bool yields_to_term(voc_session *s, size_t i, const voc_entry *best, size_t best_k)
{
    int kind = (best->flags & VOC_ENTRY_MODIFIER) ? best->mod_kind : VOC_MOD_NONE;
    if ((best->flags & VOC_ENTRY_VALENCE) || (kind != VOC_MOD_INTENSIFIER && kind != VOC_MOD_DIMINISHER))
        return false;
    size_t j = i + best_k - 1;
    voc__phrases(s, j);
    const voc_tok *u = &s->toks[j];
    return u->phrase_sentiment && u->phrase_sentiment_tokens >= 2 && (u->phrase_sentiment->flags & VOC_ENTRY_VALENCE);
}

/* The token types that never carry a lexicon entry, as a bit set (one test per token). */
#define NEVER_TERMS (1u << VOC_TOKEN_PRICE | 1u << VOC_TOKEN_URL | 1u << VOC_TOKEN_EMAIL | 1u << VOC_TOKEN_MENTION)

int voc__match_lexicon(voc_session *s)
{
    if (voc__grow((void **)&s->term_toks, &s->cap_term_toks, s->n_toks + 1, sizeof *s->term_toks))
        return VOC_ENOMEM;
    s->n_term_toks = 0;
    s->scratch.failed = 0; /* a document's out-of-memory is its own: the next one tries again */
    for (size_t i = 0; i < s->n_toks;) {
        const voc_tok *t = &s->toks[i];
        /* prices, links and ordinary punctuation never carry a lexicon entry ("404" may) */
        if ((1u << t->type & NEVER_TERMS) ||
            (t->type == VOC_TOKEN_PUNCT && (t->norm_len == 1 || (t->flags & VOC_TOKEN_ELONGATED)))) {
            s->toks[i].entry = NULL;
            s->toks[i].entry_tokens = 0;
            s->toks[i].entry_inner = 0;
            i++;
            continue;
        }
        voc__phrases(s, i);
        size_t best_k = t->phrase_sentiment_tokens;
        const voc_entry *e, *best = t->phrase_sentiment;
        if (best && best_k >= 2 && yields_to_term(s, i, best, best_k)) best = NULL, best_k = 0;
        if (!best && (t->flags & VOC_TOKEN_HAN)) best = match_without_particle(s, t), best_k = best ? 1 : 0;
        if (!best && t->type == VOC_TOKEN_HASHTAG) best = match_hashtag(s, t), best_k = best ? 1 : 0;
        if (!best && t->stem_len) {
            /* "refunds" → stem "refund", a lexicon word: taken when that word is a single
             * Latin word with a valence (a stem equal to the word itself was tried above, so
             * "will" never borrows "willing": such a stem's entry is the word's own, which
             * has no valence, or best would be set) */
            e = voc__stem_entry(s, i);
            if (e && (e->flags & VOC_ENTRY_VALENCE) && e->n_tokens == 1 && !(e->flags & VOC_ENTRY_HAN) &&
                !capitalized_inside(s, i)) {
                best = e;
                best_k = 1;
            }
        }
        s->toks[i].entry = best;
        s->toks[i].entry_tokens = (uint8_t)best_k;
        s->toks[i].entry_inner = best && best == t->phrase_sentiment && best_k == t->phrase_sentiment_tokens
                                     ? t->phrase_inner : 0;
        if (!best) { i++; continue; }
        s->term_toks[s->n_term_toks++] = (uint32_t)i;
        for (size_t k = 1; k < best_k; k++) {
            s->toks[i + k].entry = NULL;
            s->toks[i + k].entry_tokens = 0;
            s->toks[i + k].entry_inner = 0;
        }
        i += best_k;
    }
    return s->scratch.failed ? VOC_ENOMEM : VOC_OK; /* (phrase keys written out) */
}

int voc__add_ev(voc_session *s, size_t first, size_t last, int kind, double weight, const char *term)
{
    if (voc__grow((void **)&s->evs, &s->cap_evs, s->n_evs + 1, sizeof *s->evs))
        return VOC_ENOMEM;
    voc_ev *e = &s->evs[s->n_evs++];
    e->tok_first = (uint32_t)first;
    e->tok_last = (uint32_t)last;
    e->kind = kind;
    e->weight = weight;
    e->term = term;
    return VOC_OK;
}

/* The token after token i's lexicon match: past every token of a phrase ("so disappointed"),
 * i + 1 for a single word or no entry. */
static size_t after_match(const voc_session *s, size_t i)
{
    return i + (s->toks[i].entry_tokens ? s->toks[i].entry_tokens : 1);
}

int voc__add_match_ev(voc_session *s, size_t i, int kind, double weight, const char *term)
{
    return voc__add_ev(s, i, after_match(s, i) - 1, kind, weight, term);
}

/* Whether token i is a sentiment term (a lexicon entry with a valence). */
static bool is_valence_term(const voc_session *s, size_t i)
{
    const voc_entry *e = s->toks[i].entry;
    return e && (e->flags & VOC_ENTRY_VALENCE) && e->valence != 0;
}

/* Whether a sentiment term follows token i within a negator's reach in its clause. */
static bool term_in_negation_scope(const voc_session *s, size_t i)
{
    size_t first = after_match(s, i);
    for (size_t j = first; j < s->n_toks && j < first + WINDOW; j++) {
        if (s->toks[j].sentence != s->toks[i].sentence || voc__clause_break(s, j)) return false;
        if (is_valence_term(s, j)) return true;
    }
    return false;
}

/* ---- negation that intensifies -----------------------------------------------------------
 *
 * "I have never been so disappointed", "never had such bad service", "haven't been this
 * happy in years", "couldn't be happier", "could not be more helpful": the negator denies
 * that the writer has met anything like it before, or that it could be more so — the term
 * holds: the negator is passed over (no negation, no evidence) and the term keeps its sign;
 * it is stronger only where its degree word is an intensifier ("so").  Two shapes, read
 * forward from the negator, within its clause:
 *   experience: negator [ever] VERB (been, had, seen…) [one word] so/such [a/an] TERM, or
 *     this/that TERM after a copula (been, felt: "never been this happy"; "never had that
 *     problem" is a demonstrative before a noun, and negates as ever); after not/n't (not
 *     "never") only with a time frame later in the sentence ("in years", "for ages", "so
 *     long", "before", "ever"): "I haven't been so happy with the service lately" and "…
 *     with how long it takes" are unhappy;
 *   comparison: never, or not after could/can (cannot), then [ever] be/been/get/gotten/feel/
 *     felt/look/looked [any] COMPARATIVE ("happier", "better", "more", "worse") that is a
 *     term or is followed by one ("more helpful"): "couldn't be better", "can't get any
 *     worse", "never felt better"; "didn't get any better", "I don't feel better" deny the
 *     comparative, they do not top it.  */

static const char *const experience_verbs[] = {
    "been", "had", "seen", "met", "experienced", "felt", "received", "gotten", "got", "encountered",
    "witnessed", "heard", "tasted", "eaten", "used", "bought", "stayed", "flown", "ordered", "known",
    "dealt", "read", "watched", "played", "visited", "tried", "owned", "looked", "sounded", "smelled",
    "seemed", NULL};
static const char *const comparison_verbs[] = {"be", "been", "get", "gotten", "feel", "felt", "look", "looked", NULL};
static const char *const comparison_degrees[] = {"so", "such", NULL};
static const char *const demonstrative_degrees[] = {"this", "that", NULL};
/* ... and the linking ones, which take "this"/"that" as a degree ("never looked this good") */
static const char *const copulas[] = {"been", "felt", "looked", "tasted", "sounded", "smelled", "seemed", NULL};
static const char *const articles[] = {"a", "an", NULL};
/* a time frame: one of these words, or "in"/"for" followed within two words by a span */
static const char *const time_words[] = {"before", "ever", NULL};
static const char *const time_preps[] = {"in", "for", NULL};
static const char *const time_spans[] = {"years", "year", "ages", "decades", "months", "weeks", "while",
                                         "forever", "life", "lifetime", "long", NULL};
static const char *const comparatives[] = {"more", "better", "worse", "happier", "prouder", "sadder", "nicer",
                                           "easier", "angrier", "harder", "faster", "smoother", "friendlier",
                                           "ruder", NULL};

/* Whether a time frame ("in years", "for a long time", "ever", "before") follows token
 * `from` in its sentence, within twelve tokens. */
static bool time_frame_after(const voc_session *s, size_t from)
{
    size_t sent = s->toks[from].sentence;
    for (size_t j = from + 1; j < s->n_toks && j <= from + 12 && s->toks[j].sentence == sent; j++) {
        if (voc__tok_is(s, j, time_words)) return true;
        if (!voc__tok_is(s, j, time_preps)) continue;
        for (size_t k = j + 1; k <= j + 2 && k < s->n_toks && s->toks[k].sentence == sent; k++)
            if (voc__tok_is(s, k, time_spans)) return true;
    }
    return false;
}

/* Whether token i opens a clause: the first of its sentence or after clause punctuation (where
 * a consolation or an opener weighs its clause, and "so much for" mocks). */
static bool starts_clause(const voc_session *s, size_t i)
{
    return i == 0 || s->toks[i - 1].sentence != s->toks[i].sentence || voc__clause_punct(s, i - 1);
}

/* Whether token x is in sentence `sent` and no clause punctuation: still within the reach
 * of the negator voc__negator_intensifies reads forward from. */
static bool in_clause(const voc_session *s, size_t x, size_t sent)
{
    return x < s->n_toks && s->toks[x].sentence == sent && !voc__clause_punct(s, x);
}

/* The Chinese form: 沒 + a verb of experience in 過 (or of meeting, in 到) + 如此/這麼/那麼/這樣 +
 * the term (從來沒喝過如此甘醇的高湯, 沒吃過這麼難吃的, 好久沒吃到這麼好吃的手扒雞了): never had
 * anything so …, so the term holds. */
static const char *const han_such_degrees[] = {"如此", "這麼", "那麼", "這樣", "這般", "這種", "那種", NULL};
static bool han_never_so(const voc_session *s, size_t neg, size_t k)
{
    size_t sent = s->toks[neg].sentence;
    if (!in_clause(s, k, sent) || !(s->toks[k].flags & VOC_TOKEN_HAN)) return false;
    const voc_tok *v = &s->toks[k];
    const char *vn = voc__tok_norm(s, v);
    /* 喝過, or a verb of meeting with 到: 好久沒吃到這麼好吃的, 沒想到這麼好吃 */
    bool past = v->norm_len >= 6 && (!memcmp(vn + v->norm_len - 3, "\xE9\x81\x8E", 3) ||
                                     !memcmp(vn + v->norm_len - 3, "\xE5\x88\xB0", 3));
    if (!past && in_clause(s, k + 1, sent) &&
        (voc__tok_norm_is(s, k + 1, "\xE9\x81\x8E") || voc__tok_norm_is(s, k + 1, "\xE5\x88\xB0")))
        past = true, k++; /* 喝|過, 吃|到 */
    if (!past) return false;
    size_t d = k + 1;
    if (!in_clause(s, d, sent) || !voc__tok_is(s, d, han_such_degrees)) return false;
    return in_clause(s, d + 1, sent) && is_valence_term(s, d + 1);
}

/* 怎麼可能不好吃, 怎麼會不喜歡: "how could it not be …" asserts the term, so the negator right
 * after the rhetorical 怎麼可能/怎麼會 (or 怎會, 哪可能) negates nothing. */
static bool han_rhetorical(const voc_session *s, size_t neg)
{
    static const char *const whole[] = {"怎麼可能", "怎可能", "怎麼會", "怎會", "哪可能", "哪有可能", NULL};
    static const char *const how[] = {"怎麼", "怎", "哪", "哪有", NULL}, *const can[] = {"可能", "會", NULL};
    size_t sent = s->toks[neg].sentence;
    if (neg == 0 || s->toks[neg - 1].sentence != sent) return false;
    if (voc__tok_is(s, neg - 1, whole)) return true;
    return neg >= 2 && s->toks[neg - 2].sentence == sent && voc__tok_is(s, neg - 1, can) &&
           voc__tok_is(s, neg - 2, how);
}

/* Whether token i opens its sentence, with nothing before it but @mentions and words of
 * `openers` ("@shop oh, …" does not: the comma is neither) — en_rhetorical's auxiliary,
 * welcomes_another's praise. */
static bool opens_sentence(const voc_session *s, size_t i, const char *const *openers)
{
    size_t sent = s->toks[i].sentence;
    while (i > 0 && s->toks[i - 1].sentence == sent &&
           (s->toks[i - 1].type == VOC_TOKEN_MENTION || voc__tok_is(s, i - 1, openers)))
        i--;
    return i == 0 || s->toks[i - 1].sentence != sent;
}

/* The English form: a question that opens with a negated auxiliary and its subject asserts
 * what it asks ("Isn't it beautiful?", "Don't you just love it?", "Doesn't it suck?",
 * "Wouldn't that be great?!"), and so does a tag at the end of a clause ("It's lovely, isn't
 * it?"): the "not" negates nothing.  Not "can't/won't you …?" (a request: not among the
 * auxiliaries), nor a question with "if" ("Wouldn't it be nice if they answered the phone?"
 * wishes for what is missing).  Token neg is the "not" of "isn't", "don't" …; the opening may
 * follow @mentions and an interjection ("@shop oh, isn't it…" does not: the comma ends it). */
static bool en_rhetorical(const voc_session *s, size_t neg)
{
    static const char *const aux[] = {"is", "are", "was", "were", "do", "does", "did", "would", "has",
                                      "have", "had", NULL};
    static const char *const subjects[] = {"it", "that", "this", "he", "she", "they", "you", "u", "we", "i",
                                           "there", "these", "those", "everyone", "everybody", NULL};
    static const char *const interjections[] = {"oh", "and", "so", "but", "well", "man", "wow", "god",
                                                "seriously", "honestly", "now", "yeah", "lol", NULL};
    static const char *const if_words[] = {"if", NULL};
    size_t sent = s->toks[neg].sentence;
    if (neg == 0 || !voc__tok_norm_is(s, neg, "not") || s->toks[neg - 1].sentence != sent ||
        !in_clause(s, neg + 1, sent))
        return false;
    /* a question: a "?" after it in its sentence (looked for first: most negators have none) */
    size_t end = neg + 2;
    bool asked = false;
    for (; end < s->n_toks && s->toks[end].sentence == sent; end++)
        if (s->toks[end].type == VOC_TOKEN_PUNCT && memchr(voc__tok_norm(s, &s->toks[end]), '?', s->toks[end].norm_len))
            asked = true;
    if (!asked || !voc__tok_is(s, neg - 1, aux) || !voc__tok_is(s, neg + 1, subjects)) return false;
    /* it opens its sentence, after @mentions and interjections at most, or is capitalized
     * inside it (a sentence the break missed: "… on 1/1/11 Wouldn't that be great?!"); or it
     * is a tag, after clause punctuation */
    size_t x = neg - 1;
    bool opens = opens_sentence(s, x, interjections) || capitalized_inside(s, x) || (s->toks[x].flags & VOC_TOKEN_CAPS);
    bool tag = !opens && voc__clause_punct(s, x - 1);
    if (!opens && !tag) return false;
    /* a tag closes its sentence: the subject, then "?"; and no "if" in it */
    bool seen = false;
    for (size_t j = neg + 2; j < end; j++) {
        const voc_tok *t = &s->toks[j];
        if (t->type == VOC_TOKEN_PUNCT) {
            if (memchr(voc__tok_norm(s, t), '?', t->norm_len)) seen = true;
        } else if ((tag && !seen) || voc__tok_is(s, j, if_words)) {
            return false;
        }
    }
    return true;
}

bool voc__negator_rhetorical(const voc_session *s, size_t neg)
{
    return s->toks[neg].flags & VOC_TOKEN_HAN ? han_rhetorical(s, neg) : en_rhetorical(s, neg);
}

/* The modals whose negation is "can't"/"couldn't" (voc__negator_intensifies, score_term). */
static const char *const can_could[] = {"can", "could", NULL};

/* Whether "enough" closes a "can't … enough" of praise past measure, up to five tokens from
 * token `from` on in its clause ("can't recommend this place enough", "can't praise them
 * enough"): not "can't load fast enough", where "enough" follows a term of its own. */
static bool praised_past_measure(const voc_session *s, size_t from, size_t sent)
{
    for (size_t e = from; e < from + 5 && in_clause(s, e, sent); e++)
        if (voc__tok_norm_is(s, e, "enough")) return e > from && !is_valence_term(s, e - 1);
    return false;
}

bool voc__negator_intensifies(const voc_session *s, size_t neg)
{
    const voc_tok *t = &s->toks[neg];
    size_t sent = t->sentence, k = after_match(s, neg);
    if (t->flags & VOC_TOKEN_HAN) return han_rhetorical(s, neg) || han_never_so(s, neg, k);
    if (en_rhetorical(s, neg)) return true;
    static const char *const ever[] = {"ever", NULL}, *const any[] = {"any", NULL};
    if (in_clause(s, k, sent) && voc__tok_is(s, k, ever)) k++;
    if (!in_clause(s, k, sent)) return false;
    static const char *const modal_negators[] = {"never", "cannot", NULL};
    bool modal = voc__tok_is(s, neg, modal_negators) ||
                 (neg > 0 && s->toks[neg - 1].sentence == sent && voc__tok_is(s, neg - 1, can_could));
    if (modal && praised_past_measure(s, k + 1, sent)) return true; /* "can't praise them enough" */
    /* "can't believe how bad it was": disbelief at a degree, the term holds */
    static const char *const believe[] = {"believe", NULL}, *const degree_wh[] = {"how", "what", NULL};
    if (modal && voc__tok_is(s, k, believe) && in_clause(s, k + 1, sent) && voc__tok_is(s, k + 1, degree_wh))
        return true;
    if (modal && voc__tok_norm_is(s, k, "have") && in_clause(s, k + 1, sent)) k++; /* "couldn't have been more helpful" */
    if (modal && voc__tok_is(s, k, comparison_verbs)) { /* comparison: "couldn't be happier" */
        size_t c = k + 1;
        if (in_clause(s, c, sent) && voc__tok_is(s, c, any)) c++;
        if (in_clause(s, c, sent) && voc__tok_is(s, c, comparatives) &&
            (is_valence_term(s, c) || (in_clause(s, c + 1, sent) && is_valence_term(s, c + 1))))
            return true;
    }
    if (!voc__tok_is(s, k, experience_verbs)) return false;
    /* experience: the degree word within two words of the verb, the term right after it
     * (or after a/an: "such a rude agent"), or a phrase that starts with it ("so disappointed") */
    for (size_t d = k + 1; d <= k + 2 && in_clause(s, d, sent); d++) {
        if (!voc__tok_is(s, d, comparison_degrees) &&
            !(voc__tok_is(s, d, demonstrative_degrees) && voc__tok_is(s, k, copulas)))
            continue;
        size_t term = d + 1;
        if (in_clause(s, term, sent) && voc__tok_is(s, term, articles)) term++;
        bool phrase = is_valence_term(s, d) && s->toks[d].entry_tokens > 1;
        if (!phrase && !(in_clause(s, term, sent) && is_valence_term(s, term))) return false;
        return voc__tok_norm_is(s, neg, "never") || time_frame_after(s, term);
    }
    return false;
}

/* A term that is both a sentiment word and a degree word (好, so, super, 超) is a degree
 * word when a sentiment term follows it directly (好乾 = very dry; "so good"), else a
 * sentiment word (服務很好).  Likewise a negator with a valence of its own ("no") negates
 * the sentiment term in its reach ("no good") and else says no itself ("No. Just no."). */
static bool acts_as_modifier(const voc_session *s, size_t i)
{
    const voc_tok *t = &s->toks[i];
    int kind = voc__mod_kind(t);
    if (kind == VOC_MOD_NEGATOR)
        return !(t->entry->flags & VOC_ENTRY_VALENCE) || term_in_negation_scope(s, i);
    if (kind != VOC_MOD_INTENSIFIER && kind != VOC_MOD_DIMINISHER) return false;
    if (!(t->entry->flags & VOC_ENTRY_VALENCE)) return true;
    size_t next = after_match(s, i);
    if (next >= s->n_toks || s->toks[next].sentence != t->sentence) return false;
    /* 好 before an amount is "quite" (叫了好|幾次才理我們, 好|多人), never "good" */
    static const char *const han_amounts[] = {"幾", "多", "些", NULL};
    if ((t->flags & VOC_TOKEN_HAN) && (s->toks[next].flags & VOC_TOKEN_HAN) && s->toks[next].norm_len >= 3 &&
        voc__text_in(voc__tok_norm(s, &s->toks[next]), 3, han_amounts))
        return true;
    return is_valence_term(s, next);
}

/* ---- the rules' word lists --------------------------------------------------------------
 *
 * How it works: the short lists the rules test tokens against — quantities and duration
 * units here, "again" and "why" words for emotions.c — are filed once per analyzer in one
 * small hash table, word → bits of the lists that hold it.  A token's bits are looked up the
 * first time a rule asks and kept on the token, so asking costs a hash per token, not a scan
 * of every list for every token. */
#define W VOC_WORD
static const voc_word quantity_words[] = {
    W("an"), W("two"), W("three"), W("four"), W("five"), W("six"), W("seven"), W("eight"), W("nine"),
    W("ten"), W("eleven"), W("twelve"), W("fifteen"), W("twenty"), W("thirty"), W("forty"), W("fifty"),
    W("several"), W("few"), W("many"), W("couple"), W("半"), W("幾"), W("好幾"), W("兩"), W("一個"), W("兩個"),
    W("三個"), W("一"), W("二"), W("三"), W("四"), W("五"), W("六"), W("七"), W("八"), W("九"), W("十"),
    /* approximate Han amounts the word list keeps whole: 等了十多個小時, 十幾分鐘, 幾十天 */
    W("十多"), W("十幾"), W("幾十"), W("二十"), W("三十"), W("四十"), W("五十"), W("六十"), W("二十多"),
    W("三十多"), W("四十多"), W("二十幾"), W("三十幾"), W("好幾個"), W("十幾個"), W("十多個"), W("一兩"),
    W("兩三"), W("三四")};
static const voc_word filler_words[] = {W("more"), W("whole"), W("full"), W("多"), W("個"),
                                        W("多個"), W("整")};
static const voc_word duration_words[] = {W("hours"), W("hour"), W("hrs"), W("hr"), W("days"),
                                          W("weeks"), W("months"), W("minutes"), W("mins"), W("小時"), W("個小時"),
                                          W("鐘頭"), W("分鐘"), W("天"), W("禮拜"), W("星期"), W("週")};
/* words that make an English duration a wait: "on hold for 2 hours", "2 hours late",
 * "sat on the tarmac 3 hours", "took 3 weeks" — not "in two weeks", "every 5 minutes" */
static const voc_word waiting_words[] = {
    W("wait"), W("waits"), W("waited"), W("waiting"), W("hold"), W("held"), W("took"), W("taken"),
    W("takes"), W("taking"), W("delay"), W("delayed"), W("delays"), W("late"), W("later"), W("stuck"),
    W("sat"), W("sitting"), W("spent"), W("spend"), W("spending"), W("tarmac"), W("queue"), W("line"),
    W("wasted"), W("overdue"), W("without")};
/* ... and the words of time that make one only beside an amount ("been 3 days", "for 2 hours",
 * "still 40 minutes"): filed under the same bit, but no wait where a verb of having, using or
 * staying stands by the amount ("had it for 2 months": duration_of_activity) */
static const voc_word waiting_time_words[] = {
    W("still"), W("been"), W("for"), W("after"), W("ago"), W("over"), W("almost"), W("nearly"), W("since"),
    W("another"), W("extra"), W("lost"), W("stood"), W("standing"), W("hung"), W("gone"), W("already"),
    W("literally"), W("behind")};
/* laughter and sighs: affect of its own, like an emoticon — "IM NOT THE LATTER LOL" does not
 * negate the laugh, nor "can't pay rent smh" the head-shake (both VOC_WORDS_AFFECT; a deadpan
 * "Hahaha." after a complaint laughs, the sighs are no praise to mock with) */
static const voc_word laughter_words[] = {W("lol"), W("lolz"), W("lols"), W("lolol"), W("lmao"), W("lmfao"),
                                          W("rofl"), W("roflmao"), W("haha"), W("hahaha"), W("hehe"),
                                          W("heh"), W("lulz"), W("xd"), W("哈哈"), W("哈哈哈"), W("呵呵")};
static const voc_word sigh_words[] = {W("smh"), W("smdh"), W("smfh"), W("ugh"), W("ughh"), W("ughhh"), W("fml"),
                                      W("ffs"), W("sigh"), W("argh"), W("meh"), W("yikes"), W("唉")};
#undef W

/* Whether token i is a word of `list` (n words): a list read whole, not through the bits. */
static bool tok_in_words(const voc_session *s, size_t i, const voc_word *list, size_t n)
{
    const voc_tok *t = &s->toks[i];
    if (t->type != VOC_TOKEN_WORD) return false;
    const char *w = voc__tok_norm(s, t);
    for (size_t k = 0; k < n; k++)
        if (list[k].len == t->norm_len && !memcmp(list[k].s, w, t->norm_len)) return true;
    return false;
}
#define N_WORD_SLOTS (sizeof ((voc_analyzer *)0)->word_slots / sizeof *((voc_analyzer *)0)->word_slots)

/* The table's slot for a word: its length and first, middle and last bytes mixed (the
 * lists are short words; a full hash cost more than the whole lookup). */
static inline size_t word_slot(const char *w, size_t len)
{
    const unsigned char *u = (const unsigned char *)w;
    uint32_t h = (uint32_t)len * 0x9E3779B1u;
    if (len) h ^= (u[0] * 0x85EBCA6Bu) ^ (u[len / 2] * 0xC2B2AE35u) ^ (u[len - 1] * 0x27D4EB2Fu);
    return (h ^ h >> 15) & (N_WORD_SLOTS - 1);
}

static int file_words(voc_analyzer *a, const voc_word *list, size_t n, unsigned bit)
{
    for (size_t i = 0; i < n; i++) {
        size_t k = word_slot(list[i].s, list[i].len), probes = 0;
        while (a->word_slots[k].s && (a->word_slots[k].len != list[i].len ||
                                      memcmp(a->word_slots[k].s, list[i].s, list[i].len))) {
            if (++probes == N_WORD_SLOTS) return VOC_ENOMEM; /* the table is full */
            k = (k + 1) & (N_WORD_SLOTS - 1);
        }
        a->word_slots[k].s = list[i].s;
        a->word_slots[k].len = (uint32_t)list[i].len;
        a->word_slots[k].lists |= bit;
    }
    return VOC_OK;
}

int voc__word_lists_build(voc_analyzer *a)
{
    memset(a->word_slots, 0, sizeof a->word_slots);
    int rc;
    if ((rc = file_words(a, quantity_words, sizeof quantity_words / sizeof *quantity_words, VOC_WORDS_QUANTITY)) ||
        (rc = file_words(a, filler_words, sizeof filler_words / sizeof *filler_words, VOC_WORDS_FILLER)) ||
        (rc = file_words(a, duration_words, sizeof duration_words / sizeof *duration_words, VOC_WORDS_DURATION)) ||
        (rc = file_words(a, waiting_words, sizeof waiting_words / sizeof *waiting_words, VOC_WORDS_WAITING)) ||
        (rc = file_words(a, waiting_time_words, sizeof waiting_time_words / sizeof *waiting_time_words,
                         VOC_WORDS_WAITING)) ||
        (rc = file_words(a, voc__again_words, voc__n_again_words, VOC_WORDS_AGAIN)) ||
        (rc = file_words(a, voc__why_words, voc__n_why_words, VOC_WORDS_WHY)) ||
        (rc = file_words(a, laughter_words, sizeof laughter_words / sizeof *laughter_words, VOC_WORDS_AFFECT)) ||
        (rc = file_words(a, sigh_words, sizeof sigh_words / sizeof *sigh_words, VOC_WORDS_AFFECT)))
        return rc;
    return VOC_OK;
}

unsigned voc__word_lists_of(const voc_analyzer *a, const char *w, size_t len)
{
    const struct voc_word_slot *slots = a->word_slots;
    for (size_t k = word_slot(w, len); slots[k].s; k = (k + 1) & (N_WORD_SLOTS - 1))
        if (slots[k].len == len && !memcmp(slots[k].s, w, len)) return slots[k].lists;
    return 0;
}

unsigned voc__word_lists_find(voc_session *s, size_t i)
{
    voc_tok *t = &s->toks[i];
    /* the lists hold words: punctuation (which the word memo never sees, so it lands here)
     * starts with no letter and is in none */
    unsigned lists = t->type == VOC_TOKEN_PUNCT ? 0 : voc__word_lists_of(s->analyzer, tok_norm(s, i), t->norm_len);
    t->word_lists = (uint8_t)(lists | VOC_WORDS_KNOWN);
    return lists;
}

static bool is_quantity(voc_session *s, size_t i)
{
    return s->toks[i].type == VOC_TOKEN_NUMBER || (voc__word_lists(s, i) & VOC_WORDS_QUANTITY);
}

static bool is_filler(voc_session *s, size_t i) { return voc__word_lists(s, i) & VOC_WORDS_FILLER; }

static bool is_duration_unit(voc_session *s, size_t i)
{
    return voc__word_lists(s, i) & VOC_WORDS_DURATION;
}

/* How much longer a wait of this unit (its text) is than one of hours: minutes count less,
 * days and weeks more ("the refund took six weeks" against "waited 10 minutes"). */
static double duration_scale(const char *u, size_t len)
{
    static const char *const minutes[] = {"minutes", "mins", "分鐘", "min", "minute", NULL};
    static const char *const days[] = {"days", "天", NULL};
    static const char *const weeks[] = {"weeks", "禮拜", "星期", "週", "wk", "wks", NULL};
    static const char *const months[] = {"months", NULL};
    const char *const *lists[] = {minutes, days, weeks, months};
    static const double scale[] = {0.6, 1.2, 1.4, 1.6};
    for (size_t k = 0; k < 4; k++)
        if (voc__text_in(u, len, lists[k])) return scale[k];
    return 1.0;
}

/* An English number token with its unit glued on — "45min", "2hrs", "1h", "3days" (tweets
 * write them so: 162 airline tweets hold one, 152 of them negative) — returns the unit's
 * offset in the norm, or 0 when the token is no such duration.  Not "m" (metres, millions)
 * nor "day" ("2day" is "today"). */
static size_t glued_duration_unit(const voc_session *s, size_t i)
{
    static const char *const units[] = {"h", "hr", "hrs", "hour", "hours", "min", "mins", "minute", "minutes",
                                        "days", "wk", "wks", "weeks", NULL};
    const voc_tok *t = &s->toks[i];
    if (t->type != VOC_TOKEN_NUMBER) return 0;
    const char *n = voc__tok_norm(s, t);
    size_t d = 0;
    while (d < t->norm_len && ((n[d] >= '0' && n[d] <= '9') || n[d] == '.')) d++;
    return d > 0 && d < t->norm_len && voc__text_in(n + d, t->norm_len - d, units) ? d : 0;
}

/* A Han token that is a whole duration — the word list keeps some as one word: 三天, 十分鐘,
 * 兩個禮拜 — as numerals, then 個 and 多 if there, then a unit.  Returns the unit's offset in
 * the norm, or 0 when the token is no such duration. */
static size_t han_duration_unit(const voc_session *s, size_t i)
{
    static const char *const numerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
                                           "兩", "幾", "半", NULL};
    static const char *const units[] = {"天", "小時", "分鐘", "禮拜", "星期", "週", "鐘頭", NULL};
    const voc_tok *t = &s->toks[i];
    if (!(t->flags & VOC_TOKEN_HAN)) return 0;
    const char *p = voc__tok_norm(s, t), *end = p + t->norm_len, *start = p;
    size_t n = 0;
    for (bool more = true; more && p < end;) { /* numerals: three bytes each */
        more = false;
        for (const char *const *w = numerals; *w; w++)
            if ((size_t)(end - p) >= 3 && !memcmp(p, *w, 3)) { p += 3, n++, more = true; break; }
    }
    if (!n) return 0;
    if ((size_t)(end - p) > 3 && !memcmp(p, "個", 3)) p += 3;
    if ((size_t)(end - p) > 3 && !memcmp(p, "多", 3)) p += 3;
    return voc__text_in(p, (size_t)(end - p), units) ? (size_t)(p - start) : 0;
}

/* Whether token i starts an amount: a quantity (a number, "two", 一個) or a Han duration kept
 * as one word (三天).  Waited durations start there; a consolation before one is a bound
 * ("at least 3 hours"). */
static bool starts_amount(voc_session *s, size_t i)
{
    return is_quantity(s, i) || han_duration_unit(s, i);
}

/* Whether one of `before` is among the three tokens before token q in its clause (sentence
 * tokens [a, b)), or one of `after` is the token right after `unit`: the Han duration tests
 * (han_wait_around, han_duration_names_time) read the words around an amount so. */
static bool han_words_around(const voc_session *s, size_t a, size_t b, size_t q, size_t unit,
                             const char *const *before, const char *const *after)
{
    for (size_t j = q, d = 0; j > a && d < 3; d++) {
        j--;
        if (voc__clause_punct(s, j)) break;
        if (voc__tok_is(s, j, before)) return true;
    }
    return unit + 1 < b && voc__tok_is(s, unit + 1, after);
}

/* Whether a Han duration kept as one word (三天, 十分鐘) is a wait: a waiting word up to three
 * tokens before it in its clause (等了三天, 拖了兩週, 已經十分鐘, 排了一個半小時) or 才/還沒
 * right after it (三天才到, 兩週還沒退款).  Without one it is a plan or a stay (三天兩夜, 住了三天). */
static bool han_wait_around(const voc_session *s, size_t a, size_t b, size_t i, size_t unit)
{
    static const char *const before[] = {"等", "等了", "等待", "拖", "拖了", "花了", "過了", "已經",
                                         "延誤", "延遲", "晚了", "慢了", "超過", "整整", "足足", "苦等",
                                         "排", "排了", "排隊", NULL};
    static const char *const after[] = {"才", "還沒", "還是沒", "都沒", "了還", NULL};
    return han_words_around(s, a, b, i, unit, before, after);
}

/* Whether token i is 快 before an amount (快2個小時, 快四十分鐘, 快三天): "almost", which says
 * nothing of speed; or 不滿 before one (建成不滿2年, 不滿三歲的孩子): "under", no discontent. */
static bool almost_before_amount(voc_session *s, size_t i)
{
    static const char *const bounds[] = {"快", "不滿", NULL}; /* 快四十分鐘: almost; 不滿2年: under */
    return i + 1 < s->n_toks && voc__tok_is(s, i, bounds) && s->toks[i + 1].sentence == s->toks[i].sentence &&
           starts_amount(s, i + 1);
}

static double sign(double v) { return v > 0 ? 1 : v < 0 ? -1 : 0; }

/* What the sentence-level pass finds besides the clause weights it leaves in s->tok_weight. */
typedef struct sentence_marks {
    bool question;
    int exclaim;                   /* '!' counted up to 4 */
    size_t question_tok, exclaim_tok;
    size_t first_quantity;         /* where a waited duration may start; b when none */
    bool changes;                  /* a verb of rising or falling (find_changes) */
    bool rhetorical;               /* "Isn't it beautiful?": a question that asserts (en_rhetorical) */
} sentence_marks;

/* A sentence with more clause-weighting words than this has its weights summed as
 * logarithms over ranges (linear) instead of multiplied word by word (quadratic: a 1 MiB
 * text of "but but but…" took seconds).  Below it the products are exactly as before. */
#define SWEEP_AFTER 64

/* Multiply w[lo, hi) by f: directly, or (sweep) as log f added to the difference array. */
static void weigh_range(double *w, double *diff, size_t lo, size_t hi, double f)
{
    if (lo >= hi) return;
    if (diff) {
        double l = log(f);
        diff[lo] += l;
        diff[hi] -= l;
        return;
    }
    for (size_t j = lo; j < hi; j++) w[j] *= f;
}

/* Weigh the clauses of tokens [a, b) by contrast, concessive and irrealis words, and note
 * question marks, question words, exclamation marks and the first quantity (a number, "two",
 * 一個: the waited durations are looked for from there on, and only in sentences with
 * one).  The weights w[a, b) start at 1.0 (scan_document sets them for the whole document). */
static int mark_sentence(voc_session *s, size_t a, size_t b, sentence_marks *mk)
{
    double *w = s->tok_weight, *diff = NULL;
    int rc;
    size_t events = 0;
    if (b - a > SWEEP_AFTER) /* (a sentence of fewer tokens cannot hold more such words) */
        for (size_t i = a; i < b && events <= SWEEP_AFTER; i++) {
            int kind = s->toks[i].type == VOC_TOKEN_PUNCT ? VOC_MOD_NONE : voc__mod_kind(&s->toks[i]);
            events += kind == VOC_MOD_CONTRAST || kind == VOC_MOD_CONCESSIVE || kind == VOC_MOD_IRREALIS ||
                      kind == VOC_MOD_CONSOLATION || kind == VOC_MOD_OPENER;
        }
    if (events > SWEEP_AFTER) {
        /* diff[j]: log-weight change at j; stop[j]: the first clause break or contrast word
         * at or after j (where a concessive's reach ends) */
        if (voc__grow((void **)&s->weigh_diff, &s->cap_weigh_diff, b - a + 1, sizeof *s->weigh_diff) ||
            voc__grow((void **)&s->weigh_stop, &s->cap_weigh_stop, b - a + 1, sizeof *s->weigh_stop))
            return VOC_ENOMEM;
        diff = s->weigh_diff - a; /* indexed by token, a..b */
        for (size_t j = a; j <= b; j++) diff[j] = 0;
        size_t *stop = s->weigh_stop - a, next = b;
        for (size_t j = b; j-- > a;) {
            if (voc__clause_punct(s, j) || voc__mod_kind(&s->toks[j]) == VOC_MOD_CONTRAST) next = j;
            stop[j] = next;
        }
    }
    double irrealis = 1.0; /* the strongest irrealis damping so far in the sentence */
    *mk = (sentence_marks){false, 0, b, b, b, false, false};
    for (size_t i = a; i < b; i++) {
        const voc_tok *t = &s->toks[i];
        if (t->type == VOC_TOKEN_PUNCT) {
            const char *p = tok_norm(s, i);
            for (size_t k = 0; k < t->norm_len; k++) {
                if (p[k] == '?') {
                    /* a question word that damps more than a bare "?" keeps its place: "how
                     * is that worth it?" asks nothing, it denies */
                    const voc_tok *q = mk->question ? &s->toks[mk->question_tok] : NULL;
                    bool keep = q && voc__mod_kind(q) == VOC_MOD_QUESTION && q->entry->mod_weight > 0 &&
                                q->entry->mod_weight < QUESTION_DAMP;
                    mk->question = true;
                    if (!keep) mk->question_tok = i;
                }
                if (p[k] == '!' && mk->exclaim < 4) { mk->exclaim++; mk->exclaim_tok = i; }
            }
            continue;
        }
        if (mk->first_quantity == b && starts_amount(s, i)) mk->first_quantity = i;
        int kind = voc__mod_kind(t);
        if (kind == VOC_MOD_CHANGE) mk->changes = true;
        size_t span_last = i + (t->entry_tokens ? t->entry_tokens - 1 : 0);
        /* "At least the crew was nice": a concessive clause; "At least 3 hours on hold", 至少三天:
         * a bound on an amount, nothing */
        if ((kind == VOC_MOD_CONSOLATION || kind == VOC_MOD_OPENER) && starts_clause(s, i) &&
            !(span_last + 1 < b && starts_amount(s, span_last + 1)))
            kind = VOC_MOD_CONCESSIVE;
        /* a contrast word that is a complaint too (shame, pity, too bad) contrasts only after
         * something: "Lovely color, shame it shrank"; "Too bad he left, …" opens no contrast */
        if (kind == VOC_MOD_CONTRAST && i == a && (t->entry->flags & VOC_ENTRY_VALENCE)) kind = VOC_MOD_NONE;
        /* "yet" closing its clause is time, not contrast: "no refund yet.", "I haven't processed
         * it yet." ("Staff nice though." keeps its contrast: the sentence is the caveat) */
        if (kind == VOC_MOD_CONTRAST && t->norm_len == 3 && memcmp(tok_norm(s, i), "yet", 3) == 0 &&
            (span_last + 1 >= b || s->toks[span_last + 1].type == VOC_TOKEN_PUNCT))
            kind = VOC_MOD_NONE;
        if (kind == VOC_MOD_CONTRAST) {
            double after = t->entry->mod_weight > 0 ? t->entry->mod_weight : 1.5;
            weigh_range(w, diff, a, i, 0.5);
            weigh_range(w, diff, span_last + 1, b, after);
            if ((rc = voc__add_ev(s, i, span_last, VOC_EVIDENCE_CONTRAST, after, t->entry->term))) return rc;
        } else if (kind == VOC_MOD_CONCESSIVE) {
            double f = t->entry->mod_weight > 0 ? t->entry->mod_weight : 0.5;
            size_t end = span_last + 1;
            if (diff) end = end < b ? s->weigh_stop[end - a] : b;
            else
                while (end < b && !voc__clause_punct(s, end) && voc__mod_kind(&s->toks[end]) != VOC_MOD_CONTRAST)
                    end++;
            weigh_range(w, diff, span_last + 1, end, f);
            if ((rc = voc__add_ev(s, i, span_last, VOC_EVIDENCE_CONCESSIVE, f, t->entry->term))) return rc;
        } else if (kind == VOC_MOD_IRREALIS) {
            /* markers of one hypothetical do not compound ("if true, this would be
             * devastating; it could…"): the clause keeps the strongest damping alone */
            double f = t->entry->mod_weight > 0 ? t->entry->mod_weight : 0.3;
            if (f < irrealis) {
                weigh_range(w, diff, span_last + 1, b, f / irrealis);
                irrealis = f;
            }
            if ((rc = voc__add_ev(s, i, span_last, VOC_EVIDENCE_IRREALIS, f, t->entry->term))) return rc;
        } else if (kind == VOC_MOD_QUESTION) {
            mk->question = true;
            mk->question_tok = i;
        }
    }
    if (diff) {
        double sum = 0;
        for (size_t j = a; j < b; j++) {
            sum += diff[j];
            w[j] = exp(sum);
        }
    }
    for (size_t i = a; i < b && mk->question && !mk->rhetorical; i++)
        mk->rhetorical = voc__mod_kind(&s->toks[i]) == VOC_MOD_NEGATOR && !(s->toks[i].flags & VOC_TOKEN_HAN) &&
                         en_rhetorical(s, i);
    return VOC_OK;
}

/* Whether token i (its sentence starts at token a) is an answer on its own: first in its
 * sentence and followed by punctuation or nothing ("No, thanks.", "No, that's all."). */
static bool answers(const voc_session *s, size_t a, size_t i)
{
    return i == a && (i + 1 >= s->n_toks || s->toks[i + 1].sentence != s->toks[i].sentence ||
                      s->toks[i + 1].type == VOC_TOKEN_PUNCT);
}

/* The high bit of each byte of w that is an ASCII byte in [lo, hi]: the low seven bits plus
 * 0x80 - lo reach 0x80 from lo on and plus 0x7F - hi from past hi on, never carrying into the
 * next byte; bytes >= 0x80 (UTF-8 lead and continuation bytes) are masked out. */
static inline uint64_t ascii_in_range(uint64_t w, unsigned char lo, unsigned char hi)
{
    uint64_t low7 = w & VOC_BYTES(0x7F);
    return (low7 + VOC_BYTES(0x80 - lo)) & ~(low7 + VOC_BYTES(0x7F - hi)) & ~w & VOC_BYTES(0x80);
}

/* Whether the original text has both lower- and upper-case ASCII letters, eight bytes at a
 * time (a whole pass over the text: made only when a term in capitals asks, see score_term). */
static bool text_mixed_case(const voc_session *s)
{
    const unsigned char *t = (const unsigned char *)s->text;
    uint64_t lower = 0, upper = 0;
    size_t i = 0;
    for (; i + 8 <= s->text_len && !(lower && upper); i += 8) {
        uint64_t w = voc__load8(t + i);
        lower |= ascii_in_range(w, 'a', 'z');
        upper |= ascii_in_range(w, 'A', 'Z');
    }
    for (; i < s->text_len && !(lower && upper); i++) {
        lower |= t[i] >= 'a' && t[i] <= 'z';
        upper |= t[i] >= 'A' && t[i] <= 'Z';
    }
    return lower && upper;
}

/* How much a degree word d tokens before its term still counts: score_term's window. */
static double window_decay(size_t d)
{
    return d == 1 ? 1.0 : d == 2 ? 0.95 : 0.9;
}

/* Modifier m (a negator, intensifier or diminisher) at tokens [j, last] on a term of valence
 * v: a negator is counted in *negs, a degree word scales *scale by 1 + its weight × decay
 * (0.1 at least); either adds its evidence.  score_term's window and the word inside a Han
 * phrase (價格很高) share it. */
static int apply_modifier(voc_session *s, size_t j, size_t last, const voc_entry *m, double decay, double v,
                          int *negs, double *scale)
{
    if (m->mod_kind == VOC_MOD_NEGATOR) {
        ++*negs;
        return voc__add_ev(s, j, last, VOC_EVIDENCE_NEGATOR, v > 0 ? NEG_POS : NEG_NEG, m->term);
    }
    double f = 1.0 + m->mod_weight * decay;
    if (f < 0.1) f = 0.1;
    *scale *= f;
    return voc__add_ev(s, j, last, m->mod_kind == VOC_MOD_INTENSIFIER ? VOC_EVIDENCE_INTENSIFIER : VOC_EVIDENCE_DIMINISHER,
                  f, m->term);
}

/* "(not) even a little": 一點, 一點點, 半點, 絲毫 — or "not a single one", 一個 — then 都 or 也
 * (the lists of han_not_even and han_least_then_negator). */
static const char *const han_little[] = {"一點", "一點點", "半點", "絲毫", "一個", NULL};
static const char *const han_even[] = {"都", "也", NULL};

/* 一點嚼勁都沒有, 一點誠意也沒有, 絲毫不油膩, 一個壞的都沒有: "not even a little": a Han term after
 * 一點 (一點點, 半點, 絲毫, 一個) and before 都/也 + 沒有/沒/不 in its clause is denied outright.  Returns the negator
 * after the term (its index), or 0 when the term is not so framed; *least is the 一點. */
static size_t han_not_even(const voc_session *s, size_t a, size_t i, size_t *least)
{
    static const char *const none[] = {"沒有", "沒", "不", "無", NULL};
    const voc_tok *t = &s->toks[i];
    size_t sent = t->sentence, j = after_match(s, i);
    if (i == a || !(t->flags & VOC_TOKEN_HAN)) return 0;
    size_t before_len = s->toks[i - 1].norm_len; /* 一點, 半點, 絲毫: 6 bytes; 一點點: 9 */
    if ((before_len != 6 && before_len != 9) || !voc__tok_is(s, i - 1, han_little)) return 0;
    if (in_clause(s, j + 1, sent) && !s->toks[j].entry && (s->toks[j].flags & VOC_TOKEN_HAN) &&
        voc__tok_is(s, j + 1, han_even))
        j++; /* 一點油膩|感|都沒有: a word of no sentiment may close the noun */
    if (in_clause(s, j, sent) && voc__tok_is(s, j, han_even)) j++;
    else if (!voc__tok_norm_is(s, i - 1, "絲毫")) return 0; /* 絲毫不: no 都 needed */
    if (!in_clause(s, j, sent) || !voc__tok_is(s, j, none)) return 0;
    *least = i - 1;
    return j;
}

/* The evidence term of han_not_even's negator at token j: its lexicon term (a token's norm
 * is no C string: it runs on into the text). */
static const char *not_even_term(voc_session *s, size_t j)
{
    const voc_entry *e = voc__token_entry(s, j);
    return e ? e->term : "沒有";
}

/* 一點都不, 一點也沒: the 一點 at token j, then 都/也 and a negator, is "(not) at all". */
static bool han_least_then_negator(const voc_session *s, size_t j)
{
    size_t sent = s->toks[j].sentence;
    return (s->toks[j].flags & VOC_TOKEN_HAN) && voc__tok_is(s, j, han_little) && in_clause(s, j + 2, sent) &&
           voc__tok_is(s, j + 1, han_even) && voc__mod_kind(&s->toks[j + 2]) == VOC_MOD_NEGATOR;
}

/* Whether praise at Han token i is a rival's: a rival shop or brand (別家, 其他家 …) as the
 * subject of its clause, up to eight tokens before it — "同樣的價格別家規格好很多" praises the
 * competitor, so it is a complaint — but not the object of a comparison ("比別家好吃", "跟別家
 *比起來便宜"), which praises this one.  (In the delivery reviews, 别家 and 其他家 stand in 20
 * negative texts and 3 positive: `tools/lexicon-audit --contains 别家 --contains 其他家`.) */
static bool praises_a_rival(const voc_session *s, size_t a, size_t i)
{
    static const char *const rivals[] = {"別家", "別間", "其他家", "其它家", "別的店", "其他店", "別人家", NULL};
    static const char *const comparing[] = {"比", "比起", "相比", "跟", "和", "與", "對比", NULL};
    for (size_t j = i, d = 0; j > a && d < 8; d++) {
        j--;
        if (voc__clause_punct(s, j)) return false;
        if (voc__tok_is(s, j, rivals)) return !(j > a && voc__tok_is(s, j - 1, comparing));
    }
    return false;
}

/* Whether Han text n opens with 不 or 沒. */
static bool opens_with_not(const char *n)
{
    return !memcmp(n, "\xE4\xB8\x8D", 3) || !memcmp(n, "\xE6\xB2\x92", 3);
}

/* Whether Han token x's last character is Han token y's character at byte `at`. */
static bool han_echo(const voc_session *s, size_t x, size_t y, size_t at)
{
    const voc_tok *p = &s->toks[x], *t = &s->toks[y];
    if (!(p->flags & VOC_TOKEN_HAN) || !(t->flags & VOC_TOKEN_HAN) || p->norm_len < 3 || t->norm_len < at + 3)
        return false;
    return !memcmp(voc__tok_norm(s, t) + at, voc__tok_norm(s, p) + p->norm_len - 3, 3);
}

/* Whether Han term i is half of an A-not-A question (能|不能用 "can it be used or not", 好|不|好吃
 * "is it good"), which asks and says nothing: the term opens with 不 or 沒 and the token
 * right before it ends with the character after that 不 or 沒, or the term touches a bare 不
 * or 沒 whose other side echoes it.  The segmenter takes the longest word, so 能不能用 comes
 * out 能 + 不能用, a complaint term. */
static bool han_a_not_a(const voc_session *s, size_t a, size_t i)
{
    if (!(s->toks[i].flags & VOC_TOKEN_HAN)) return false;
    const char *tn = voc__tok_norm(s, &s->toks[i]);
    /* 能|不能用: the term opens with the negator */
    /* (行不行 is exasperation more than a question, "分兩次送，行不行啊": its complaint holds) */
    static const char xing[] = "\xE8\xA1\x8C"; /* 行 */
    if (i > a && s->toks[i].norm_len >= 6 && opens_with_not(tn) && s->toks[i - 1].nend == s->toks[i].nstart &&
        han_echo(s, i - 1, i, 3))
        return memcmp(tn + 3, xing, 3) != 0;
    /* 好|不|好吃: the term after the bare negator, or the one before it */
    size_t x = SIZE_MAX, y = SIZE_MAX; /* the two sides of a bare 不/沒 at x + 1 */
    if (i > a + 1 && s->toks[i - 1].norm_len == 3 && opens_with_not(voc__tok_norm(s, &s->toks[i - 1])))
        x = i - 2, y = i;
    else if (i + 2 < s->n_toks && s->toks[i + 1].norm_len == 3 && opens_with_not(voc__tok_norm(s, &s->toks[i + 1])))
        x = i, y = i + 2;
    if (x == SIZE_MAX || s->toks[x].nend != s->toks[x + 1].nstart || s->toks[x + 1].nend != s->toks[y].nstart ||
        !han_echo(s, x, y, 0))
        return false;
    return memcmp(voc__tok_norm(s, &s->toks[y]), xing, 3) != 0;
}

/* Whether the term at token j ends right before an "or"/"nor" that stands right before token
 * i (English): "faded or shrunk", "crash nor freeze". */
static bool or_joins(const voc_session *s, size_t j, size_t i)
{
    static const char *const coordinators[] = {"or", "nor", NULL};
    size_t after = j + (s->toks[j].entry_tokens ? s->toks[j].entry_tokens : 1);
    return after + 1 == i && voc__tok_is(s, after, coordinators);
}

/* Whether the English praise word at i only describes what a complaint word harmed: a
 * complaint term, then my/your/our/his/her/their, then the word — "lost my fave pen",
 * "ruined my favorite dress", "broke our brand new TV".  The loss is the news, not the
 * praise. */
static bool harmed_possession(voc_session *s, size_t a, size_t i)
{
    static const char *const possessives[] = {"my", "our", "your", "his", "her", "their", NULL};
    if ((s->toks[i].flags & VOC_TOKEN_HAN) || i < a + 2 || !voc__tok_is(s, i - 1, possessives)) return false;
    const voc_tok *h = &s->toks[i - 2];
    return h->entry && h->entry_tokens <= 1 && (h->entry->flags & VOC_ENTRY_VALENCE) && h->entry->valence < 0 &&
           !(h->flags & VOC_TOKEN_HAN) && h->type == VOC_TOKEN_WORD;
}

/* Whether the praise "must have" at i is the modal before a past participle: "must have
 * missed the pick", "must have been lost" guess at the past, they recommend nothing. */
static bool modal_perfect(voc_session *s, size_t i)
{
    static const char *const participles[] = {"been", "had", "got", "gotten", "gone", "done", "seen", "made",
                                              "left", "lost", "forgot", "forgotten", "thought", "heard",
                                              "sent", "put", "read", "said", "known", "taken", "broken",
                                              "fallen", "run", "come", "become", "told", "paid", NULL};
    const voc_tok *t = &s->toks[i];
    size_t n = i + t->entry_tokens;
    if (t->entry_tokens != 2 || !voc__tok_norm_is(s, i, "must") || n >= s->n_toks ||
        s->toks[n].sentence != t->sentence || s->toks[n].type != VOC_TOKEN_WORD)
        return false;
    const char *w = voc__tok_norm(s, &s->toks[n]);
    size_t len = s->toks[n].norm_len;
    return (len > 3 && w[len - 2] == 'e' && w[len - 1] == 'd') || voc__tok_is(s, n, participles);
}

/* The contribution of sentiment term i (its sentence starts at token a): its valence scaled
 * by the negators and degree words before it in its clause, by CAPS and elongation, and by
 * its clause weight.  *contribution stays 0 for tokens that are not sentiment terms.
 * *mixed_case is text_mixed_case, or -1 until a term in capitals first asks (most texts
 * have none, and the pass over the text cost about 0.35 M instructions on air3k). */
static int score_term(voc_session *s, size_t a, size_t i, int *mixed_case, size_t request_from,
                      double *contribution)
{
    const voc_tok *t = &s->toks[i];
    int rc;
    *contribution = 0;
    if (!t->entry || !(t->entry->flags & VOC_ENTRY_VALENCE) || VOC_MOD_IS_FORMULA(voc__mod_kind(t)))
        return VOC_OK;
    if (acts_as_modifier(s, i)) return VOC_OK; /* 好 in 好乾: "very", not "good" */
    if (almost_before_amount(s, i)) return VOC_OK; /* 快 in 等了快四十分鐘: "almost", not "fast";
                                                    * 不滿 in 建成不滿2年: "under", not "discontent" */
    if (voc__mod_kind(t) == VOC_MOD_NEGATOR && answers(s, a, i)) return VOC_OK; /* "No, that's all." */
    double v = t->entry->valence;
    if (v == 0 || han_a_not_a(s, a, i)) return VOC_OK; /* 能|不能用: "whether it can be used" */
    /* a complaint phrase of "can't"/"cannot" before "enough" is praise past measure: "can't
     * recommend" in "Can't recommend this place enough!" */
    if (v < 0 && t->entry_tokens >= 2 &&
        (voc__tok_norm_is(s, i, "cannot") || (voc__tok_is(s, i, can_could) && voc__tok_norm_is(s, i + 1, "not"))) &&
        praised_past_measure(s, i + t->entry_tokens, t->sentence))
        v = -v;
    if (v > 0 && (t->flags & VOC_TOKEN_HAN) && praises_a_rival(s, a, i)) v = -v;
    if (v > 0 && harmed_possession(s, a, i)) return VOC_OK; /* "lost my fave pen" */
    if (v > 0 && modal_perfect(s, i)) return VOC_OK; /* "must have missed" */
    if (t->type == VOC_TOKEN_HASHTAG && hashtag_negator(s, t)) { /* "#nothappy" */
        double turn = v > 0 ? NEG_POS : NEG_NEG;
        v *= turn;
        if ((rc = voc__add_ev(s, i, i, VOC_EVIDENCE_NEGATOR, turn, "not"))) return rc;
    }
    double scale = 1.0;
    int negs = 0;
    size_t least = SIZE_MAX, not_even = han_not_even(s, a, i, &least);
    /* emoji, emoticons, laughter and sighs are affect of their own: "找不到路 T_T" is not
     * "not sad", "IM NOT THE LATTER LOL" not "not funny", "can't pay rent smh" no praise */
    bool symbol = t->type == VOC_TOKEN_EMOJI || t->type == VOC_TOKEN_EMOTICON ||
                  (voc__word_lists(s, i) & VOC_WORDS_AFFECT);
    /* thanks closing a request ("Can you check my order? Thanks") or in its sentence
     * ("Thanks, could you check…") is politeness, not praise; thanks before it, in a
     * sentence of their own ("Thanks for the quick reply. Can you also…"), are thanks */
    if (request_from != SIZE_MAX && v > 0 && (t->entry->emotion_tags & GRATITUDE_BIT) &&
        (request_from < i || s->toks[request_from].sentence == t->sentence))
        v *= REQUEST_THANKS;
    bool past_topic = false;
    /* the window counts words, not articles: "never had a single dropped call" */
    static const char *const articles_and_single[] = {"a", "an", "the", "any", "single", NULL};
    size_t reach = WINDOW;
    for (size_t d = 1; d <= reach && !symbol && i >= a + d; d++) {
        size_t j = i - d;
        const voc_tok *m = &s->toks[j];
        if (voc__clause_punct(s, j)) break;
        /* (the first letter first: this runs for every token of every term's window) */
        char c0 = m->norm_len <= 6 ? *voc__tok_norm(s, m) : 0;
        if (reach < WINDOW + 2 && (c0 == 'a' || c0 == 't' || c0 == 's') && voc__tok_is(s, j, articles_and_single))
            reach++;
        int kind = voc__mod_kind(m);
        if (kind == VOC_MOD_CONTRAST || kind == VOC_MOD_CONCESSIVE) break;
        /* an earlier sentiment term ends the scope: in 不好吃不好吃 the second 好吃 is
         * negated once, not twice.  An English topic word of no valence is passed over by a
         * negator not yet found ("does not value loyal customers"), not by degree words; other
         * terms of none (不管, stem blockers) end the scope, and so does a Han topic word: a
         * Chinese negator binds to the word after it (不辣不嗆; 別的酒店一般 is no negation) */
        if (m->entry && (m->entry->flags & VOC_ENTRY_VALENCE) && !acts_as_modifier(s, j)) {
            /* a term joined to this one by "or"/"nor" shares its negator: "haven't faded or
             * shrunk", "doesn't crash or freeze" (the window reaches past the pair) */
            if (negs == 0 && !(m->flags & VOC_TOKEN_HAN) && or_joins(s, j, i)) {
                reach += 2;
                continue;
            }
            if (m->entry->valence != 0 || !(m->entry->flags & VOC_ENTRY_TOPIC) || negs > 0 ||
                (m->flags & VOC_TOKEN_HAN))
                break;
            past_topic = true; /* beyond it only a negator still reaches the term */
            continue;
        }
        double decay = window_decay(d);
        if (kind == VOC_MOD_NEGATOR && voc__negator_intensifies(s, j)) continue; /* "never been so …" */
        if (j == least) continue; /* 一點 of 一點…都沒有: "at all", not "a little" (below) */
        if (kind == VOC_MOD_DIMINISHER && han_least_then_negator(s, j)) { /* 一點都不油膩 */
            scale *= NOT_EVEN_BOOST;
            continue;
        }
        if (kind == VOC_MOD_NEGATOR ||
            ((kind == VOC_MOD_INTENSIFIER || kind == VOC_MOD_DIMINISHER) && !past_topic && acts_as_modifier(s, j)))
            if ((rc = apply_modifier(s, j, j + m->entry_tokens - 1, m->entry, decay, v, &negs, &scale))) return rc;
    }
    /* 價格很高, 價格不便宜, 價格也不會太高: the words inside the phrase, as if before it (the
     * nearest to its second part first, with the window's decay); the adverbs count nothing */
    for (size_t d = 1; d <= t->entry_inner; d++) {
        size_t j = i + t->entry_inner + 1 - d;
        if (!han_inner_modifier(s, j)) continue;
        double decay = window_decay(d);
        if ((rc = apply_modifier(s, j, j, voc__token_entry(s, j), decay, v, &negs, &scale))) return rc;
    }
    if (not_even) { /* 一點嚼勁都沒有: denied, and strongly */
        ++negs;
        scale *= NOT_EVEN_BOOST;
        if ((rc = voc__add_ev(s, not_even, not_even, VOC_EVIDENCE_NEGATOR, v > 0 ? NEG_POS : NEG_NEG,
                         not_even_term(s, not_even))))
            return rc;
    }
    v *= scale;
    if (negs & 1) v *= v > 0 ? NEG_POS : NEG_NEG;
    if (t->flags & VOC_TOKEN_CAPS) {
        if (*mixed_case < 0) *mixed_case = text_mixed_case(s);
        if (*mixed_case) v += sign(v) * CAPS_BOOST;
    }
    if (t->flags & VOC_TOKEN_ELONGATED) v += sign(v) * ELONG_BOOST;
    *contribution = v * s->tok_weight[i];
    s->tok_contrib[i] = *contribution;
    if (*contribution > 0) s->pos_recency_sum += *contribution * s->recency;
    if (*contribution > 0) s->rule_pos += *contribution;
    else s->rule_neg -= *contribution;
    double ev_w = *contribution / 4.0;
    if (ev_w > 1) ev_w = 1;
    if (ev_w < -1) ev_w = -1;
    return voc__add_ev(s, i, i + t->entry_tokens - 1, VOC_EVIDENCE_LEXICON, ev_w, t->entry->term);
}

/* Whether a waiting word stands by the duration at tokens [q, unit]: in English one of the
 * waiting words up to six tokens before it or four after it, within its clause; in Chinese
 * han_wait_around's (等了七天, 十天才到).  (A Han duration kept whole, 三天, is not asked:
 * score_waited_durations took it only past han_wait_around.) */
static bool waiting_word_near(voc_session *s, size_t a, size_t b, size_t q, size_t unit)
{
    const voc_tok *u = &s->toks[unit];
    if (u->norm_len == 0) return true;
    if ((unsigned char)voc__tok_norm(s, u)[0] >= 0x80) return han_wait_around(s, a, b, q, unit);
    for (size_t j = q, d = 0; j > a && d < 6; d++) {
        j--;
        if (voc__clause_punct(s, j)) break;
        if (voc__word_lists(s, j) & VOC_WORDS_WAITING) return true;
    }
    for (size_t j = unit + 1, d = 0; j < b && d < 4; j++, d++) {
        if (voc__clause_punct(s, j)) break;
        if (voc__word_lists(s, j) & VOC_WORDS_WAITING) return true;
    }
    return false;
}

/* Whether the Han duration at tokens [q, unit], with no waiting word around it, is a stay, an
 * outing or a distance rather than a wait: an activity or a way of travel just before the
 * amount (住了2天, 玩了6個小時, 步行5分鐘, 打車20分鐘, 只需要20分鐘) or "to"/"within" right after
 * it (20分鐘到旺角, 40分鐘就到了, 30分鐘內), or an opening time or a time limit (24小時皆可使用,
 * 24小時營業, 限時90分鐘).  Hotel reviews are full of them: before this, their
 * durations fired as waits in about as many positive reviews as negative ones. */
static bool han_duration_names_time(const voc_session *s, size_t a, size_t b, size_t q, size_t unit)
{
    static const char *const before[] = {"住", "住了", "入住", "玩", "玩了", "睡", "睡了", "逛", "逛了", "待",
                                         "待了", "休息", "走", "走了", "步行", "走路", "開車", "打車", "坐車",
                                         "搭車", "車程", "騎車", "坐", "搭", "需", "需要", "只需", "只需要",
                                         "只要", "距離", "離", "路程", "腳程", "約", "大約", "大概", "限時", NULL};
    static const char *const after[] = {"到", "就到", "就能到", "可到", "即可", "內", "以內", "之內",
                                        "車程", "路程", "腳程", "左右就", "皆", "都可以", "營業", "開放", NULL};
    return han_words_around(s, a, b, q, unit, before, after);
}

/* Whether the English duration at tokens [q, unit] names a time rather than a stretch spent:
 * a frequency or a window ("every 6 months", "in the last 24 hours", "within 2 hrs", "due in
 * 3 hours"), a countdown or distance ("2 weeks until Gardenbury", "9 more days left", "45
 * minutes from PC", "two months out"), an age ("4 weeks old") or a point in something ("5
 * minutes into the wedding").  Asked only where no waiting word is near. */
static bool duration_names_time(voc_session *s, size_t a, size_t b, size_t q, size_t unit)
{
    static const char *const before[] = {"in", "within", "every", "each", "per", "last", "past", "next", NULL};
    static const char *const after[] = {"until", "till", "til", "before", "left", "from", "away", "out", "old", "into", NULL};
    static const char *const articles[] = {"a", "the", NULL};
    static const char *const and_more[] = {"and", "a", "an", "half", "day", "days", "hour", "hours", NULL};
    size_t p = q; /* "in a couple weeks", "in the 2 hours": past an article */
    if (p > a && voc__tok_is(s, p - 1, articles)) p--;
    if (p > a && voc__tok_is(s, p - 1, before)) return true;
    size_t u = unit + 1; /* "17 weeks and a day til we fly": past "and a day" */
    if (u < b && voc__tok_norm_is(s, u, "and"))
        while (u < b && u <= unit + 4 && voc__tok_is(s, u, and_more)) u++;
    return u < b && voc__tok_is(s, u, after);
}

/* Whether token i is one of waiting_words ("wait", "hold", "took" …), not one of the words of
 * time that share their bit (waiting_time_words: "for", "been", "still"). */
static bool waiting_word_proper(const voc_session *s, size_t i)
{
    return tok_in_words(s, i, waiting_words, sizeof waiting_words / sizeof *waiting_words);
}

/* Whether the English duration at tokens [q, unit] is how long something was had, used,
 * done or given rather than waited ("had it for 2 months", "stayed for 3 days", "sober for 6
 * months", "used it for weeks", "gives me 10 hours", "six months of daily use", "the battery lasts
 * 6 hours"): one of those words up to four tokens before the
 * amount, in its clause, with none of waiting_words ("wait", "hold", "stuck", ...) near —
 * "for" and "been" alone (waiting_time_words) do not make it a wait.  The
 * English counterpart of han_duration_names_time's stays: in GoEmotions the duration rule
 * had fired in 122 positive comments and 65 negative ones (`tools/lexicon-audit --rules` at
 * 9565b4f, before this test). */
static bool duration_of_activity(voc_session *s, size_t a, size_t b, size_t q, size_t unit)
{
    static const char *const activity[] = {
        "owned", "own", "owning", "used", "use", "using", "stayed", "stay", "staying", "stays",
        "lived", "living", "worked", "working", "played", "playing", "visited", "visiting",
        "married", "together", "sober", "dating", "gives", "give", "gave", "given", "giving",
        "lasts", "lasted", "lasting", "survived", "survives", "rehearsed", "practiced", "practised",
        "practicing", "trained", "training", "studied", "studying", NULL};
    /* "had it for 2 months", not the auxiliary of "I have been calling for 3 days" */
    static const char *const possession[] = {"had", "have", "has", "having", NULL};
    static const char *const possessed[] = {"it", "this", "these", "them", "mine", "one", NULL};
    /* "six months of daily use", "3 weeks of wear": how long it was used; "six hours of sun",
     * "10 hours of battery": how much of a thing it is */
    static const char *const of[] = {"of", NULL};
    static const char *const of_what[] = {"use", "usage", "wear", "ownership", "owning", "using", "sun",
                                          "sunlight", "shade", "sleep", "fun", "playtime", "gameplay", "battery",
                                          "runtime", "footage", "content", "music", "video", NULL};
    static const char *const use_degrees[] = {"daily", "regular", "heavy", "constant", "everyday", "normal", NULL};
    size_t u = unit + 1;
    if (u + 1 < b && voc__tok_is(s, u, of)) {
        size_t w = u + 1;
        if (w + 1 < b && voc__tok_is(s, w, use_degrees)) w++;
        if (voc__tok_is(s, w, of_what)) return true;
    }
    bool activity_found = false;
    for (size_t j = q, d = 0; j > a && d < 6; d++) {
        j--;
        if (voc__clause_punct(s, j)) break;
        if (waiting_word_proper(s, j)) return false;
        if (d < 4 && (voc__tok_is(s, j, activity) ||
                      (voc__tok_is(s, j, possession) && j + 1 < q && voc__tok_is(s, j + 1, possessed))))
            activity_found = true;
    }
    if (!activity_found) return false;
    for (size_t j = unit + 1, d = 0; j < b && d < 4; j++, d++) {
        if (voc__clause_punct(s, j)) break;
        if (waiting_word_proper(s, j)) return false;
    }
    return true;
}

/* The negator of the English verb at token v (SIZE_MAX: none): one up to four tokens before it in
 * its clause with only auxiliaries, "to" and "still", "yet", "even", "ever", "really",
 * "actually" between ("didn't fix my problem", "still haven't resolved the issue", "prices
 * did not rise", "not yet fixed", "didn't have to wait"). */
static const char *const auxiliaries[] = {"do", "does", "did", "have", "has", "had", "is", "are", "was",
                                          "were", "will", "would", "can", "could", NULL};
static size_t verb_negated(const voc_session *s, size_t a, size_t v)
{
    static const char *const between[] = {"still", "yet", "even", "ever", "really", "actually", "been",
                                          "be", "get", "got", "to", "need", "needs", NULL};
    /* (inside a phrase, "didn't have to wait", the "not" has no modifier entry of its own) */
    static const char *const plain_negators[] = {"not", "never", NULL};
    for (size_t j = v, d = 0; j > a && d < 4; d++) {
        j--;
        if (voc__mod_kind(&s->toks[j]) == VOC_MOD_NEGATOR || voc__tok_is(s, j, plain_negators)) return j;
        if (voc__clause_punct(s, j) || !(voc__tok_is(s, j, auxiliaries) || voc__tok_is(s, j, between)))
            return SIZE_MAX;
    }
    return SIZE_MAX;
}

/* Whether the English duration whose amount is token q follows a negated verb of waiting or
 * taking up to five tokens before it in its clause: "I didn't have to wait 30 minutes", "the
 * agents don't take 50 minutes to answer" — no wait was had.  Not a modal's negation ("you
 * could not wait 5 minutes", "I can't wait 3 hours") nor a rule said of "it" ("It doesn't
 * take 6 weeks to reply to an email"): those are complaints. */
static bool duration_wait_negated(voc_session *s, size_t a, size_t q)
{
    static const char *const waiting_verbs[] = {"wait", "waited", "waiting", "take", "takes", "took",
                                                "taking", "spend", "spent", "spending", NULL};
    static const char *const modals[] = {"can", "could", "will", "would", "should", "shall", NULL};
    static const char *const it[] = {"it", NULL};
    for (size_t j = q, d = 0; j > a && d < 5; d++) {
        j--;
        if (voc__clause_punct(s, j)) return false;
        if (!voc__tok_is(s, j, waiting_verbs)) continue;
        size_t neg = verb_negated(s, a, j);
        if (neg == SIZE_MAX) return false;
        if (voc__tok_norm_is(s, neg, "cannot")) return false;
        size_t before = neg > a ? neg - 1 : SIZE_MAX; /* the auxiliary, then its subject */
        if (before == SIZE_MAX) return true;
        if (voc__tok_is(s, before, modals)) return false;
        return !(before > a && voc__tok_is(s, before - 1, it));
    }
    return false;
}

/* Whether the English duration whose amount is token q is bounded from above: "less than five
 * minutes", "under an hour", "barely 10 minutes", "only two more weeks" — a short time, praise
 * or a countdown more than a wait
 * ("Setup took less than five minutes" had read as a complaint). */
static bool duration_is_short(voc_session *s, size_t a, size_t q)
{
    static const char *const less[] = {"less", "fewer", NULL}, *const than[] = {"than", NULL};
    static const char *const bounds[] = {"under", "barely", "only", "just", NULL};
    if (q > a && voc__tok_is(s, q - 1, bounds)) return true;
    return q > a + 1 && voc__tok_is(s, q - 1, than) && voc__tok_is(s, q - 2, less);
}

/* A waited duration ("on hold for 2 hours", "an hour late", 一個多小時, 三天) in a customer
 * message is a complaint about time more often than not: each adds DURATION_VALENCE to *sum.
 * Looked for from the sentence's first quantity (mark_sentence found it; b when none). */
static int score_waited_durations(voc_session *s, size_t a, size_t b, size_t first_quantity, double *sum)
{
    int rc;
    for (size_t i = first_quantity; i < b; i++) {
        size_t unit = i + 1, unit_off = han_duration_unit(s, i);
        if (unit_off) {
            unit = i; /* 三天: quantity and unit in one token */
            if (!han_wait_around(s, a, b, i, i)) continue;
        } else if ((unit_off = glued_duration_unit(s, i))) {
            unit = i; /* "45min": the same, in English */
        } else {
            if (i + 1 >= b || !is_quantity(s, i)) continue;
            if (unit + 1 < b && is_filler(s, unit)) unit++; /* 一個多小時, "2 more hours" */
            if (!is_duration_unit(s, unit)) {
                /* 一個|半小時, 兩個|半天: a quantity and a half, kept as one duration word */
                size_t off = han_duration_unit(s, unit);
                if (!off || memcmp(voc__tok_norm(s, &s->toks[unit]), "\xE5\x8D\x8A", 3) || /* 半 */
                    !han_wait_around(s, a, b, i, unit))
                    continue;
                unit_off = off;
            }
        }
        /* a wait: a waiting word by it (a whole Han one passed han_wait_around above), or in
         * Chinese hours and minutes as they stand (送了快2個小時, 一個多小時: in a customer
         * message they are delivery and queue times); days and weeks need the word (not
         * 七天吃到飽).  Without one a duration counts half: in a customer message it still
         * leans complaint ("2 weeks have gone by"), elsewhere it is a plan or a fact; one
         * that names a time ("in 9 days", "2 weeks until", 步行5分鐘) not at all. */
        static const char *const han_short_units[] = {"小時", "個小時", "鐘頭", "分鐘", NULL};
        const voc_tok *u = &s->toks[unit];
        bool han = (unsigned char)voc__tok_norm(s, u)[0] >= 0x80;
        bool waiting = (unit_off && han) || waiting_word_near(s, a, b, i, unit);
        if ((!waiting && (han ? han_duration_names_time(s, a, b, i, unit) : duration_names_time(s, a, b, i, unit))) ||
            (!han && (duration_is_short(s, a, i) || duration_of_activity(s, a, b, i, unit) ||
                      duration_wait_negated(s, a, i)))) {
            i = unit;
            continue;
        }
        bool wait = waiting || (han && voc__tok_is(s, unit, han_short_units));
        double v = DURATION_VALENCE * duration_scale(voc__tok_norm(s, u) + unit_off, u->norm_len - unit_off) *
                   s->tok_weight[unit] * (wait ? 1.0 : 0.5);
        *sum += v;
        s->tok_contrib[unit] += v;
        s->rule_neg -= v;
        s->n_waited++;
        if ((rc = voc__add_ev(s, i, unit, VOC_EVIDENCE_RULE, v / 4.0, "waited duration"))) return rc;
        i = unit;
    }
    return VOC_OK;
}

/* ---- changes of a quantity ------------------------------------------------------------------
 *
 * How it works: a quantity that rises or falls is news for the better or the worse by what
 * the quantity is, not by the words: "unemployment fell to its lowest level" is good news
 * though unemployment, fell and lowest each read as bad, and "prices have soared" is bad
 * news though soared reads as good.  An English verb of rising or falling, or of solving
 * (modifiers.tsv kind `change`: rose, soared, fell, dropped, went up …; fixed, resolved: a
 * fall of a trouble) whose subject — the nearest listed noun up to seven tokens before it in
 * its clause, with no negator between but the verb's own — or else whose object after it,
 * past determiners and one describing word ("raised my fees", "cut 500 jobs", "reversing a
 * worrying decline"), is a harm (unemployment, crime, delays, prices, fees, problems …) or a
 * good (sales, wages, ratings, battery life …) gives CHANGE_VALENCE, its sign by the two and
 * turned round when the verb is negated ("didn't fix my problem"); the noun with its own
 * words ("the risk of a heart attack"), the verb and a "record high"/"lowest" after it then
 * count nothing of their own.  Editorial and news text is full of them; in a customer
 * message they are price rises, rating drops and problems fixed.  A change asked for,
 * ordered, purposed or planned ("please reduce the price", "need to cut fees", "will go up",
 * "Fix the problem.", "called to resolve my issue") is no news. */
typedef struct change {
    size_t noun, verb, verb_end; /* the noun; the verb's tokens [verb, verb_end) */
    size_t after_end;            /* magnitude words ("record low", "lowest") up to here */
    size_t own_lo, own_hi;       /* the noun's own words [own_lo, own_hi): "the risk of a heart
                                  * attack fell", "cut the risk of a heart attack" */
    double valence;
} change;

/* more of these is worse / better (a noun before "times", "life", "toll", "rate(s)" names it) */
static const char *const harm_nouns[] = {
    "unemployment", "crime", "crimes", "deaths", "inflation", "poverty", "debt", "cases", "infections",
    "emissions", "complaints", "errors", "crashes", "delays", "homelessness", "violence", "accidents",
    "injuries", "casualties", "deficit", "prices", "price", "costs", "cost", "fees", "fee", "rent",
    "bills", "bill", "taxes", "premiums", "fares", "tuition", "rents", "layoffs", "bankruptcies", "overdoses",
    "outages", "wait", "waiting", "death", "burglaries", "thefts", "robberies", "shootings", "homicides",
    "murders", "risk", "risks", "decline", "declines", "slump", "losses", "pollution", "waste", "hospitalizations",
    "admissions", "fare", "epidemic", "pandemic", "outbreak", "infection", "pain", "symptoms", "tensions",
    "tension", "congestion", "commute", "commutes",
    /* troubles: what a verb of solving (fixed, resolved …, kind `change` −1) takes away */
    "problem", "problems", "issue", "issues", "bug", "bugs", "glitch", "glitches", "error", "fault",
    "faults", "crash", "leak", "leaks", "outage", "complaint", NULL};
static const char *const good_nouns[] = {
    "sales", "profit", "profits", "revenue", "revenues", "earnings", "scores", "ratings", "rating",
    "wages", "salaries", "income", "jobs", "employment", "growth", "exports", "productivity",
    "attendance", "turnout", "savings", "investment", "visitors", "subscribers", "enrollment",
    "battery", "quality", "morale", "output", "gains", "recovery", NULL};
static const char *const change_heads[] = {"times", "time", "life", "toll", "rate", "rates", "levels", "level", NULL};
static const char *const change_magnitudes[] = {"lowest", "highest", "record", "record high", "record low",
                                                "all-time high", "all-time low", "new lows", "new low",
                                                "historic lows", "historic low", "new depths", "record lows",
                                                "record highs", "new highs", "new high", NULL};

/* Whether the word at token w names a harm (-1), a good (+1) or neither (0) — "wait",
 * "waiting", "battery" and "death" only with a head after them (wait times, battery life,
 * death toll); `head` says whether token w + 1 is one. */
static int quantity_kind(const voc_session *s, size_t w, bool head)
{
    int kind = voc__tok_is(s, w, harm_nouns) ? -1 : voc__tok_is(s, w, good_nouns) ? 1 : 0;
    static const char *const need_head[] = {"wait", "waiting", "battery", "death", NULL};
    if (kind && !head && voc__tok_is(s, w, need_head)) kind = 0;
    return kind;
}

/* Whether "for" at token f opens a duration ("fell for the third consecutive year", "for
 * years", "for a second month"), not what one falls for ("fell for the scam", "for it"). */
static bool for_a_duration(const voc_session *s, size_t b, size_t f)
{
    static const char *const for_word[] = {"for", NULL};
    static const char *const determiners[] = {"the", "a", "an", "another", NULL};
    static const char *const spans[] = {
        "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "consecutive",
        "straight", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several", "many",
        "years", "months", "weeks", "days", "decades", "quarters", "year", "month", "week", "day", "decade",
        "quarter", "first", NULL};
    if (!voc__tok_is(s, f, for_word)) return false;
    size_t j = f + 1;
    if (j < b && voc__tok_is(s, j, determiners)) j++;
    return j < b && (s->toks[j].type == VOC_TOKEN_NUMBER || voc__tok_is(s, j, spans));
}

/* Whether the verb of change at tokens [v, verb_end) tells news: not "fall into", "fell on",
 * "fall apart", "fell short" (no decrease), nor a change asked for or planned ("please reduce
 * the price", "they need to cut fees", "prices will go up", "can you fix my problem", "waiting
 * for them to fix it", "how to fix the issue", "Fix the problem" as an order; but "is expected
 * to eliminate hundreds of jobs" is news), nor "fixed" as an adjective ("a fixed price"). */
static bool change_is_news(const voc_session *s, size_t a, size_t b, size_t v, size_t verb_end)
{
    static const char *const fall[] = {"fall", "falls", "falling", "fell", "fallen", NULL};
    static const char *const fall_particles[] = {"into", "on", "onto", "under", "through", "apart", "off",
                                                 "for", "behind", "short", "asleep", "over", "out", NULL};
    static const char *const asked[] = {"please", "pls", "plz", "should", "must", "need", "can",
                                        "could", "will", "would", "might", "may", NULL};
    static const char *const to[] = {"to", NULL};
    static const char *const wanting[] = {"need", "needs", "needed", "want", "wants", "wanted", "have",
                                          "has", "had", "ought", "try", "trying", "tried", "got", "asked",
                                          "ask", "asking", "like", "love", "please", "how", "them", "him",
                                          "her", "someone", "somebody", "anyone", "you", "u", "us", "me", NULL};
    static const char *const asked_of[] = {"you", "u", "they", "someone", "somebody", "anyone", "we", NULL};
    static const char *const orders[] = {"fix", "solve", "resolve", "repair", "cut", "raise", "lower",
                                         "reduce", "increase", "decrease", "drop", "eliminate", NULL};
    static const char *const solving[] = {"fix", "fixed", "fixes", "solve", "solved", "solves", "resolve",
                                          "resolved", "resolves", "repaired", "sorted", NULL};
    static const char *const achieved[] = {"able", "managed", "manage", "manages", NULL};
    static const char *const fixed[] = {"fixed", NULL};
    static const char *const fixed_terms[] = {"price", "prices", "fee", "fees", "rate", "rates", "cost",
                                              "costs", "income", "term", "bill", "bills", NULL};
    if (voc__tok_is(s, v, fall) && verb_end < b && voc__tok_is(s, verb_end, fall_particles) &&
        !for_a_duration(s, b, verb_end))
        return false;
    if (voc__tok_is(s, v, fixed) && verb_end < b && voc__tok_is(s, verb_end, fixed_terms)) return false;
    if (verb_end == v + 1 && starts_clause(s, v) && voc__tok_is(s, v, orders)) return false;
    if (v == a) return true;
    if (voc__tok_is(s, v - 1, asked)) return false;
    if (v - 1 > a && voc__tok_is(s, v - 1, to) && voc__tok_is(s, v - 2, wanting)) return false;
    /* solving in the infinitive is a purpose ("called to resolve my issue"), unless achieved */
    if (voc__tok_is(s, v - 1, to) && voc__tok_is(s, v, solving) && !(v - 1 > a && voc__tok_is(s, v - 2, achieved)))
        return false;
    return !(v - 1 > a && voc__tok_is(s, v - 1, asked_of) && voc__tok_is(s, v - 2, asked));
}

/* What changes at the verb [v, verb_end): its subject, the nearest listed noun up to seven
 * tokens before it in its clause (no contrast word or other negator between than the verb's
 * own, "complaints have not fallen"), or else its object,
 * the first word after it past determiners, amounts and "of" ("raised my fees", "cut 500
 * jobs", "reduced wait times").  Returns quantity_kind's -1 (a harm), +1 (a good) or 0 (none),
 * the noun's token in *noun. */
static int change_noun(const voc_session *s, size_t a, size_t b, size_t v, size_t verb_end, size_t neg,
                       size_t *noun)
{
    /* the verb's own negator (verb_negated): "complaints have not fallen", the subject before it */
    if (neg != SIZE_MAX) v = neg > a && voc__tok_is(s, neg - 1, auxiliaries) ? neg - 1 : neg;
    static const char *const object_fillers[] = {"the", "a", "an", "my", "our", "your", "their", "its", "his",
                                                 "her", "of", "hundreds", "thousands", "millions", "dozens",
                                                 "some", "all", "more", "further", "again", "around", "about",
                                                 "nearly", "almost", "roughly", "approximately", "over", "every",
                                                 "each", "basically", "virtually", "most", "many", NULL};
    for (size_t j = v, d = 0; j > a && d < 7; d++) {
        j--;
        if (voc__clause_punct(s, j) || voc__mod_kind(&s->toks[j]) == VOC_MOD_CONTRAST ||
            voc__mod_kind(&s->toks[j]) == VOC_MOD_NEGATOR)
            break;
        /* "wait times", "battery life", "crime rates": the word before the head names it */
        bool head = voc__tok_is(s, j, change_heads) && j > a;
        *noun = head ? j - 1 : j;
        int kind = quantity_kind(s, *noun, head);
        if (kind) return kind;
    }
    /* past one describing word: "reversing a worrying decline", "cut the high fees" */
    for (size_t j = verb_end, words = 0; j < b && j < verb_end + 5; j++) {
        if (voc__clause_punct(s, j)) break;
        if (s->toks[j].type == VOC_TOKEN_NUMBER || voc__tok_is(s, j, object_fillers)) continue;
        *noun = j;
        int kind = quantity_kind(s, j, j + 1 < b && voc__tok_is(s, j + 1, change_heads));
        if (kind || ++words == 2) return kind;
    }
    return 0;
}

/* The end of the "of" phrase that names what the object noun at token `noun` is of ("cut the
 * risk of a second heart attack"): its words are the noun's, and count nothing of their own.
 * noun + 1 when there is none. */
static size_t of_phrase_end(const voc_session *s, size_t b, size_t noun)
{
    size_t e = noun + 1;
    if (e >= b || !voc__tok_norm_is(s, e, "of")) return e;
    for (e++; e < b && e <= noun + 6 && !voc__clause_punct(s, e) && voc__mod_kind(&s->toks[e]) != VOC_MOD_CONTRAST; e++)
        ;
    return e;
}

/* The changes of sentence [a, b) into out (at most MAX_CHANGES); returns how many. */
static size_t find_changes(voc_session *s, size_t a, size_t b, change *out)
{
    size_t n = 0;
    for (size_t v = a; v < b && n < MAX_CHANGES; v++) {
        const voc_tok *t = &s->toks[v];
        if (voc__mod_kind(t) != VOC_MOD_CHANGE || (t->flags & VOC_TOKEN_HAN)) continue;
        size_t verb_end = v + t->entry_tokens, noun = v; /* "went up": two tokens */
        if (!change_is_news(s, a, b, v, verb_end)) continue;
        size_t neg = verb_negated(s, a, v);
        int kind = change_noun(s, a, b, v, verb_end, neg, &noun);
        if (!kind) continue;
        size_t after_end = verb_end;
        for (size_t k = verb_end; k < b && k < verb_end + 5 && !voc__clause_punct(s, k); k++)
            if (voc__tok_is(s, k, change_magnitudes) ||
                (s->toks[k].entry && voc__text_in(s->toks[k].entry->key, s->toks[k].entry->key_len, change_magnitudes)))
                after_end = k + 1;
        int dir = t->entry->mod_weight > 0 ? 1 : -1;
        if (neg != SIZE_MAX) dir = -dir; /* the problem stays: "didn't fix my problem" */
        size_t own_lo = noun < v ? noun + 1 : verb_end, own_hi = noun < v ? v : of_phrase_end(s, b, noun);
        out[n++] = (change){noun, v, verb_end, after_end, own_lo, own_hi, CHANGE_VALENCE * dir * kind};
        v = verb_end - 1;
    }
    return n;
}

/* Whether token i is a word of one of the changes (its noun, verb or magnitude words). */
static bool in_change(const change *c, size_t n, size_t i)
{
    for (size_t k = 0; k < n; k++)
        if (i == c[k].noun || (i >= c[k].verb && i < c[k].after_end) || (i >= c[k].own_lo && i < c[k].own_hi))
            return true;
    return false;
}

/* Add the changes' weight to *sum (the verb carries it, with its clause weight). */
static int score_changes(voc_session *s, const change *c, size_t n, double *sum)
{
    for (size_t k = 0; k < n; k++) {
        double v = c[k].valence * s->tok_weight[c[k].verb];
        *sum += v;
        s->tok_contrib[c[k].verb] += v;
        if (v > 0) s->rule_pos += v;
        else s->rule_neg -= v;
        size_t first = c[k].noun < c[k].verb ? c[k].noun : c[k].verb; /* subject or object */
        size_t last = c[k].noun >= c[k].verb_end ? c[k].noun : c[k].verb_end - 1;
        int rc = voc__add_ev(s, first, last, VOC_EVIDENCE_RULE, v / 4.0,
                        v > 0 ? "change for the better" : "change for the worse");
        if (rc) return rc;
    }
    return VOC_OK;
}

/* Whether sentence [a, b) asks yes or no: it opens (past @mentions) with an auxiliary and a
 * subject ("does my policy cover water damage from a burst pipe?", "is there a planned outage
 * tonight?"), holds no negator — a harm named there is asked about, not suffered. */
static bool asks_yes_or_no(const voc_session *s, size_t a, size_t b)
{
    static const char *const aux[] = {"do", "does", "did", "is", "are", "was", "were", "can", "could", "will",
                                      "would", "should", "has", "have", NULL};
    static const char *const subjects[] = {"i", "you", "my", "your", "it", "this", "that", "there", "the", "a",
                                           "an", "we", "they", "he", "she", NULL};
    size_t i = a;
    while (i < b && s->toks[i].type == VOC_TOKEN_MENTION) i++;
    if (i + 1 >= b || !voc__tok_is(s, i, aux) || !voc__tok_is(s, i + 1, subjects)) return false;
    for (size_t j = i; j < b; j++)
        if (voc__mod_kind(&s->toks[j]) == VOC_MOD_NEGATOR) return false;
    return true;
}

/* The entries at token i that lean a text neutral, noted for voc__score and model.c: a word
 * of plain information (kind info: the first of the text), and a verdict of balance (kind
 * balance: "it evens out", "mixed bag", 好壞參半) when the sentence states it — asked ("is it
 * hit or miss?") it says nothing; the strongest of the text counts. */
static void note_neutral_cues(voc_session *s, size_t i, bool question)
{
    const voc_tok *t = &s->toks[i];
    int kind = voc__mod_kind(t);
    if (kind == VOC_MOD_INFO && s->info_tok == UINT32_MAX) s->info_tok = (uint32_t)i;
    if (question || kind != VOC_MOD_BALANCE) return;
    double w = t->entry->mod_weight > 0 ? t->entry->mod_weight : 1.0;
    if (w > s->balance) {
        s->balance = w > 1 ? 1 : w;
        s->balance_tok = (uint32_t)i;
    }
}

/* Score tokens [a, b) of one sentence; returns its sum.  *next_term indexes s->term_toks: the
 * sentence's first term (or a later sentence's), advanced past the sentence's. */
static double score_sentence(voc_session *s, size_t a, size_t b, size_t *next_term, int *mixed_case,
                             size_t request_from, int *rc)
{
    sentence_marks mk;
    if ((*rc = mark_sentence(s, a, b, &mk))) return 0;
    if (mk.question) s->any_question = true;
    if (mk.exclaim) s->any_exclaim = true;
    double sum = 0;
    change changes[MAX_CHANGES];
    size_t n_changes = mk.changes ? find_changes(s, a, b, changes) : 0;
    /* the terms alone, from the list voc__match_lexicon made: a token without an entry adds
     * nothing (its zero, added to a sum that starts at +0, never changed it), and most tokens
     * have none (air3k: 0.9 M instructions of looking at them saved) */
    for (; *next_term < s->n_term_toks && s->term_toks[*next_term] < b; ++*next_term) {
        double contribution;
        note_neutral_cues(s, s->term_toks[*next_term], mk.question);
        if (n_changes && in_change(changes, n_changes, s->term_toks[*next_term])) continue;
        if ((*rc = score_term(s, a, s->term_toks[*next_term], mixed_case, request_from, &contribution))) return 0;
        sum += contribution;
    }
    if (n_changes && (*rc = score_changes(s, changes, n_changes, &sum))) return 0;
    if ((*rc = score_waited_durations(s, a, b, mk.first_quantity, &sum))) return 0;
    if (sum != 0 && mk.exclaim > 0) {
        sum += sign(sum) * EXCLAIM_BOOST * mk.exclaim;
        if ((*rc = voc__add_ev(s, mk.exclaim_tok, mk.exclaim_tok, VOC_EVIDENCE_EMPHASIS,
                          EXCLAIM_BOOST * mk.exclaim, "!")))
            return 0;
    }
    /* A question asks rather than judges ("is the new plan good?"), but a complaint put
     * as a question is still a complaint ("why is my bill so high?"): only praise is damped,
     * and not where the question asserts ("isn't it beautiful?"). */
    if (sum < 0 && mk.question && !mk.rhetorical && asks_yes_or_no(s, a, b)) {
        sum *= YES_NO_DAMP;
        if ((*rc = voc__add_ev(s, mk.question_tok, mk.question_tok, VOC_EVIDENCE_QUESTION, YES_NO_DAMP, "?"))) return 0;
    }
    if (sum > 0 && mk.question && !mk.rhetorical) {
        const voc_tok *q = &s->toks[mk.question_tok];
        bool word = voc__mod_kind(q) == VOC_MOD_QUESTION;
        double f = word && q->entry->mod_weight > 0 ? q->entry->mod_weight : QUESTION_DAMP;
        sum *= f;
        if ((*rc = voc__add_match_ev(s, mk.question_tok, VOC_EVIDENCE_QUESTION, f, word ? q->entry->term : "?")))
            return 0;
    }
    return sum;
}

/* Whether emoji cue `cue` stands between words of its sentence: applause there is emphasis,
 * not a verdict ("all 👏 the 👏 damn 👏 time"); complaint_near asks it of applause only (🙃
 * mocks wherever it stands: "made my day 🙃 #neveragain"). */
static bool emoji_amid_words(const voc_session *s, size_t cue)
{
    size_t sent = s->toks[cue].sentence;
    for (size_t j = cue + 1; j < s->n_toks && s->toks[j].sentence == sent; j++)
        if (s->toks[j].type != VOC_TOKEN_EMOJI && s->toks[j].type != VOC_TOKEN_EMOTICON &&
            s->toks[j].type != VOC_TOKEN_PUNCT)
            return true;
    return false;
}

/* Whether a term counted against the writer's experience in the sentence of token cue or
 * the one after it: a weak sarcasm cue that is no praise itself ("so much for", "big
 * surprise", 好棒喔) turns praise only when the complaint it mocks is beside it ("So much for
 * fast shipping, the box is broken"), not anywhere in the text.  A cue that is praise when
 * sincere ("great job", "love how") asks complaint_follows (below) instead.  An emoji cue
 * closes what it comments on, so the sentence before counts too: "Raising prices again while
 * removing half the shows. great value guys 👏👏", "Crashed again. Great update 🙃". */
static bool complaint_near(const voc_session *s, size_t cue)
{
    bool emoji = s->toks[cue].type == VOC_TOKEN_EMOJI;
    const voc_entry *e = s->toks[cue].entry;
    bool applause = emoji && (e->flags & VOC_ENTRY_VALENCE) && e->valence > 0; /* 👏 */
    if (applause && emoji_amid_words(s, cue)) return false;
    size_t sent = s->toks[cue].sentence, first = emoji && sent > 0 ? sent - 1 : sent;
    /* An emoji that is praise when sincere (👏) applauds, not mocks, a trouble a contrast or
     * concession stands between it and: "The delay was long but the crew was amazing 👏" —
     * the praise outweighs the trouble on purpose.  Troubles before the last such word count
     * nothing (found once: a test per trouble made a long sentence quadratic). */
    size_t from = 0; /* troubles before this token are conceded */
    if (applause)
        for (size_t j = cue; j-- > 0 && s->toks[j].sentence >= first;) {
            int kind = voc__mod_kind(&s->toks[j]);
            if (kind == VOC_MOD_CONTRAST || kind == VOC_MOD_CONCESSIVE) {
                from = j;
                break;
            }
        }
    for (size_t i = from; i < s->n_toks; i++)
        if (s->tok_contrib[i] < 0 && s->toks[i].sentence >= first && s->toks[i].sentence <= sent + 1)
            return true;
    return false;
}

/* Whether token i is a complaint term: a lexicon term that counted against the writer
 * ("crashed", "not good"), not only a rule's weight (a duration: "plus two days in NYC"). */
static bool is_complaint_term(const voc_session *s, size_t i)
{
    return s->tok_contrib[i] < 0 && s->toks[i].entry && (s->toks[i].entry->flags & VOC_ENTRY_VALENCE);
}

/* Whether the sentence that ends with token `last` holds a complaint term. */
static bool sentence_has_complaint_term(const voc_session *s, size_t last)
{
    size_t sent = s->toks[last].sentence;
    for (size_t k = last + 1; k-- > 0 && s->toks[k].sentence == sent;)
        if (is_complaint_term(s, k)) return true;
    return false;
}

/* Whether a complaint follows a weak sarcasm cue that is praise when sincere (has a positive
 * valence: "great job", "well done", "love how", 謝謝喔; 好棒喔 has none and asks
 * complaint_near) closely enough to be what it mocks: within six tokens of
 * the cue's end in its sentence, with no word between that makes the trouble the backdrop of
 * real praise ("great job handling the delays", "great job during the storm", "Great job
 * today from your team with a weather delay").  "Great job losing my bag" mocks; a complaint
 * before the praise or in another sentence is not what it praises. */
static const char *const backdrop_words[] = {"during", "with", "w", "despite", "through", "throughout", "amid",
                                             "amidst", "under", "considering", "given", "handling",
                                             "managing", "keeping", "dealing", NULL};
static bool complaint_follows(const voc_session *s, size_t cue)
{
    size_t sent = s->toks[cue].sentence;
    size_t from = after_match(s, cue);
    for (size_t j = from; j < s->n_toks && j < from + 6 && s->toks[j].sentence == sent; j++) {
        if (voc__tok_is(s, j, backdrop_words)) return false;
        if (s->tok_contrib[j] < 0) return true;
    }
    return false;
}

/* Whether nothing but punctuation follows token i in its sentence (with full_stops_only,
 * nothing but tokens that start with '.': "Great.", "Perfect..."; not "Great!"). */
static bool ends_sentence(const voc_session *s, size_t i, bool full_stops_only)
{
    size_t sent = s->toks[i].sentence, j = i + 1;
    while (j < s->n_toks && s->toks[j].sentence == sent && s->toks[j].type == VOC_TOKEN_PUNCT &&
           (!full_stops_only || voc__tok_norm(s, &s->toks[j])[0] == '.'))
        j++;
    return j == s->n_toks || s->toks[j].sentence != sent;
}

/* A sentence that is one word of praise and a full stop, right after a sentence that
 * complains, is the deadpan kind of sarcasm: "Forgot my phone at home. Great.", "The app
 * crashed again. Perfect."  Returns that word's token, or SIZE_MAX.  An exclamation ("…
 * Fixed it in five minutes. Great!") or thanks (a sign-off) is taken at its word, and so is
 * a word too mild to mock with ("Lol.", "Fine.", "Ok.").  Praise that is a sarcasm cue of
 * its own ("Great job", "Well done", "Congrats") mocks there whatever ends it: "Lost my bag
 * again. Great job.", "You are the worst airline. Congrats!!" */
#define DEADPAN_MIN_VALENCE 1.4f

/* Whether the clause before the comma at token `comma` complains and holds no praise: "The
 * screen cracked on day one, lovely." (the clause's own sentence is the one the deadpan
 * word ends).  English only: a Chinese review lists its verdicts between commas
 * (冷鏈送來的還是冰的，新鮮). */
static bool clause_before_complains(const voc_session *s, size_t comma)
{
    size_t sent = s->toks[comma].sentence;
    bool complaint = false;
    for (size_t k = comma; k-- > 0 && s->toks[k].sentence == sent && !voc__clause_punct(s, k);) {
        if (s->tok_contrib[k] > 0) return false;
        complaint |= is_complaint_term(s, k);
    }
    return complaint;
}

static size_t deadpan_praise(voc_session *s)
{
    for (size_t n = 0; n < s->n_term_toks; n++) { /* praise is a term */
        size_t i = s->term_toks[n];
        const voc_tok *t = &s->toks[i];
        size_t sent = t->sentence;
        bool cue = voc__mod_kind(t) == VOC_MOD_SARCASM;
        if (i == 0 || t->type != VOC_TOKEN_WORD || s->tok_contrib[i] <= 0 ||
            (!cue && (t->entry_tokens > 1 || t->entry->valence < DEADPAN_MIN_VALENCE ||
                      (t->entry->emotion_tags & GRATITUDE_BIT))))
            continue;
        size_t before = s->toks[i - 1].sentence; /* the sentence before it */
        if (voc__word_lists(s, i) & VOC_WORDS_AFFECT) continue; /* "…waited far too long. Hahaha" laughs */
        bool after_comma = before == sent && !cue && !(t->flags & VOC_TOKEN_HAN) && voc__tok_norm_is(s, i - 1, ",") && i >= 2 &&
                           clause_before_complains(s, i - 1); /* "…cracked on day one, lovely." */
        if (!after_comma && (before == sent || before >= s->n_sent || s->sent_score[before] >= 0 ||
                             !sentence_has_complaint_term(s, i - 1)))
            continue;
        /* what follows in its sentence: full stops only (any punctuation after a cue) */
        if (ends_sentence(s, i + (t->entry_tokens > 1 ? t->entry_tokens - 1 : 0), !cue)) return i;
    }
    return SIZE_MAX;
}

/* Thanks for a harm: "thanks for making the worst experience ever", "thank you for losing my
 * bag", "thanks for the terrible service" — thanks with "for" right after it and, within four
 * tokens of "for" in its clause, a term that counted against the writer, with no word between
 * that makes the thanks sincere (thanks for fixing the problem, for the update on the delay,
 * for getting back to me about my lost bag).  After "for" comes a deed ("making", "losing":
 * a word in -ing) or, before a thing ("for the…", "for your…"), a strongly negative word
 * (valence -2 or below): "thanks for your concern", "for the breakdown" are sincere.
 * Returns the thanks, or SIZE_MAX. */
#define HARM_THING_VALENCE -2.0f
static const char *const sincere_thanks_words[] = {
    "fix", "fixing", "fixed", "resolve", "resolving", "resolved", "solve", "solving", "solved", "sort",
    "sorting", "sorted", "handle", "handling", "handled", "help", "helping", "helped", "address",
    "addressing", "look", "looking", "looked", "deal", "dealing", "getting", "get", "reply", "response",
    "responding", "update", "updates", "updating", "info", "information", "letting", "heads", "checking",
    "following", "understanding", "patience", "refund", "refunding", "compensation", "waiving", "apology",
    "apologizing", "explaining", "warning", "alert", "notice", NULL};
static size_t thanks_for_harm(const voc_session *s)
{
    for (size_t n = 0; n < s->n_term_toks; n++) {
        size_t i = s->term_toks[n];
        const voc_tok *t = &s->toks[i];
        if (s->tok_contrib[i] <= 0 || !(t->entry->emotion_tags & GRATITUDE_BIT)) continue;
        size_t f = after_match(s, i);
        /* past whom it thanks: "Thanks @StreamBoxTV for logging me out" */
        while (f < s->n_toks && s->toks[f].type == VOC_TOKEN_MENTION && s->toks[f].sentence == t->sentence) f++;
        if (f + 1 >= s->n_toks || s->toks[f + 1].sentence != t->sentence || !voc__tok_norm_is(s, f, "for"))
            continue;
        const voc_tok *next = &s->toks[f + 1];
        const char *w = voc__tok_norm(s, next);
        bool deed = next->type == VOC_TOKEN_WORD && next->norm_len > 4 && !memcmp(w + next->norm_len - 3, "ing", 3);
        for (size_t j = f + 1; j < s->n_toks && j <= f + 4 && s->toks[j].sentence == t->sentence; j++) {
            if (voc__clause_punct(s, j) || voc__tok_is(s, j, sincere_thanks_words)) break;
            if (is_complaint_term(s, j) && (deed || s->toks[j].entry->valence <= HARM_THING_VALENCE)) return i;
        }
    }
    return SIZE_MAX;
}

/* Whether the "not" at token i, ending its sentence right after a copula, denies what the
 * sentence before praised, its predicate left out: "The pizza was fine. The hair baked into
 * the crust was not." — a sentence with no term of its own, after one with praise. */
static bool elided_after_copula(const voc_session *s, size_t i)
{
    static const char *const be_forms[] = {"was", "is", "were", "are", NULL};
    size_t sent = s->toks[i].sentence;
    if (sent == 0 || !voc__tok_is(s, i - 1, be_forms)) return false;
    size_t k = i;
    while (k > 0 && s->toks[k - 1].sentence == sent) {
        k--;
        if (s->tok_contrib[k] != 0) return false;
    }
    for (size_t j = k; j-- > 0 && s->toks[j].sentence == sent - 1;)
        if (s->tok_contrib[j] > 0) return true;
    return false;
}

/* Praise taken back by a "not" that ends it after a pause: "awesome service... NOT!", "Love
 * this airline. Not.", "great, not" — the word alone at the end of its sentence, after
 * punctuation or as a sentence of its own, with praise before it in its sentence or the one
 * before.  Returns the "not", or SIZE_MAX.  "…whether I fly again or not." has no pause. */
static size_t trailing_not(const voc_session *s)
{
    for (size_t i = 1; i < s->n_toks; i++) {
        const voc_tok *t = &s->toks[i];
        if (t->type != VOC_TOKEN_WORD || !voc__tok_norm_is(s, i, "not")) continue;
        size_t sent = t->sentence;
        if (!ends_sentence(s, i, false)) continue; /* words follow it */
        if (s->toks[i - 1].type != VOC_TOKEN_PUNCT && s->toks[i - 1].sentence == sent &&
            !elided_after_copula(s, i))
            continue;
        for (size_t k = i; k-- > 0 && s->toks[k].sentence + 1 >= sent;)
            if (s->tok_contrib[k] > 0) return i;
    }
    return SIZE_MAX;
}

/* Whether token i is an opening (or a closing) quotation mark. */
static bool is_quote_mark(const voc_session *s, size_t i, bool opening)
{
    static const char *const open_marks[] = {"\"", "\u201c", "\u300c", "\u300e", "\u2018", NULL};
    static const char *const close_marks[] = {"\"", "\u201d", "\u300d", "\u300f", "\u2019", NULL};
    const voc_tok *t = &s->toks[i];
    return t->type == VOC_TOKEN_PUNCT && voc__text_in(voc__tok_norm(s, t), t->norm_len, opening ? open_marks : close_marks);
}

/* Praise in scare quotes: a positive term alone between quotation marks, with a complaint in
 * its sentence or the next — 真是“驚喜”，身體乳黏糊糊的; the "fast" shipping took 3 weeks — the
 * writer holds the word at arm's length.  (Quoted praise with no complaint beside it, a plan
 * named "Best Value", is taken at its word.)  Returns the term, or SIZE_MAX. */
static size_t scare_quoted(const voc_session *s)
{
    for (size_t n = 0; n < s->n_term_toks; n++) {
        size_t i = s->term_toks[n], end = after_match(s, i);
        if (s->tok_contrib[i] <= 0 || i == 0 || end >= s->n_toks) continue;
        size_t sent = s->toks[i].sentence;
        if (s->toks[i - 1].sentence != sent || s->toks[end].sentence != sent) continue;
        if (is_quote_mark(s, i - 1, true) && is_quote_mark(s, end, false) && complaint_near(s, i)) return i;
    }
    return SIZE_MAX;
}

/* Praise that opens a sentence and greets "another" or "more" of something: "Great, another
 * 'scheduled maintenance' on a Friday night", "Oh wonderful, more fees" — the sarcastic
 * welcome of a repeat.  (GoEmotions' raters took both of its two such comments at their word,
 * admiration: the rule follows the writers.)  Returns the praise, or SIZE_MAX. */
static size_t welcomes_another(const voc_session *s)
{
    static const char *const openers[] = {"oh", "just", "so", "well", NULL};
    static const char *const more[] = {"another", "more", NULL};
    for (size_t n = 0; n < s->n_term_toks; n++) {
        size_t i = s->term_toks[n];
        const voc_tok *t = &s->toks[i];
        bool cue = voc__mod_kind(t) == VOC_MOD_SARCASM; /* "Oh great, more fees" */
        if (s->tok_contrib[i] <= 0 || t->type != VOC_TOKEN_WORD || (t->entry_tokens > 1 && !cue) ||
            t->entry->valence < DEADPAN_MIN_VALENCE)
            continue;
        size_t sent = t->sentence;
        if (!opens_sentence(s, i, openers)) continue;
        size_t j = after_match(s, i);
        if (j < s->n_toks && s->toks[j].sentence == sent && voc__tok_norm_is(s, j, ",")) j++;
        if (!(j < s->n_toks && s->toks[j].sentence == sent && voc__tok_is(s, j, more))) continue;
        bool sincere = false; /* "Great, another happy customer!": what comes is praised too */
        for (size_t k = j + 1; k < s->n_toks && k <= j + 3 && s->toks[k].sentence == sent; k++)
            sincere |= s->tok_contrib[k] > 0;
        if (!sincere) return i;
    }
    return SIZE_MAX;
}

/* The writer saying so: #sarcasm, #sarcastic (the word itself, in a sentence, is talk about
 * sarcasm: "hard to pick up on sarcasm sometimes").  Returns the hashtag, or SIZE_MAX. */
static size_t sarcasm_hashtag(const voc_session *s)
{
    static const char *const tags[] = {"#sarcasm", "#sarcastic", NULL};
    for (size_t i = 0; i < s->n_toks; i++)
        if (s->toks[i].type == VOC_TOKEN_HASHTAG &&
            voc__text_in(voc__tok_norm(s, &s->toks[i]), s->toks[i].norm_len, tags))
            return i;
    return SIZE_MAX;
}

/* "so much for" mocks at the start of its clause ("So much for fast shipping", "Well, so
 * much for that"); after another word it is a degree and a "for" ("thank you so much for
 * your help", "I love Kaep so much for those games": 34 of 39 such texts in the dev data
 * are praise). */
static bool cue_inside_clause(const voc_session *s, size_t i)
{
    static const char *const clause_initial[] = {"so much for", NULL}; /* cues that must start one */
    static const char *const openers[] = {"well", "oh", "yeah", "and", "but", "so", NULL};
    const voc_entry *e = s->toks[i].entry;
    if (!voc__text_in(e->key, e->key_len, clause_initial)) return false;
    return !starts_clause(s, i) && !voc__tok_is(s, i - 1, openers);
}

/* "if by X you mean …" mocks X only when X is praise ("if by attentive you mean we flagged
 * someone down three times"); of a complaint it is praise ("If by \"lame\" you mean
 * AWESOME!"), which the cue must leave alone. */
static bool cue_quotes_no_praise(const voc_session *s, size_t i)
{
    static const char *const quoting[] = {"if by", NULL};
    const voc_entry *e = s->toks[i].entry;
    if (!voc__text_in(e->key, e->key_len, quoting)) return false;
    size_t j = i + (s->toks[i].entry_tokens ? s->toks[i].entry_tokens : 1);
    while (j < s->n_toks && s->toks[j].type == VOC_TOKEN_PUNCT && j < i + 4) j++; /* its quote marks */
    const voc_entry *x = j < s->n_toks ? s->toks[j].entry : NULL;
    return !(x && (x->flags & VOC_ENTRY_VALENCE) && x->valence > 0);
}

/* Sarcasm: a cue ("yeah right", 🙃, 🙄, "just what I needed", 好棒喔…) next to praise turns
 * the praise into complaint — when the cue is strong on its own (weight >= 1) or, a weak
 * one, mocks a complaint (complaint_follows, complaint_near); deadpan praise after a
 * complaint (deadpan_praise), praise taken back (trailing_not), thanks for a harm
 * (thanks_for_harm), praise in scare quotes beside a complaint (scare_quoted) and praise
 * that welcomes another of something (welcomes_another) are strong cues.
 * Positive contributions are flipped to half their size, negative. */
static int sarcasm(voc_session *s, double *total)
{
    if (s->rule_pos == 0) return VOC_OK; /* no praise to turn (half the texts): nothing below
                                          * would change anything */
    size_t cue = deadpan_praise(s);
    if (cue == SIZE_MAX) cue = trailing_not(s);
    if (cue == SIZE_MAX) cue = thanks_for_harm(s);
    if (cue == SIZE_MAX) cue = scare_quoted(s);
    if (cue == SIZE_MAX) cue = welcomes_another(s);
    if (cue == SIZE_MAX) cue = sarcasm_hashtag(s);
    bool strong = cue != SIZE_MAX, weak_mocks = false;
    for (size_t n = 0; n < s->n_term_toks && !strong; n++) { /* a cue is a term */
        size_t i = s->term_toks[n];
        if (voc__mod_kind(&s->toks[i]) == VOC_MOD_SARCASM && !cue_inside_clause(s, i) &&
            !cue_quotes_no_praise(s, i)) {
            if (cue == SIZE_MAX || s->toks[i].entry->mod_weight >= 1) cue = i;
            strong |= s->toks[i].entry->mod_weight >= 1;
            /* a cue that is praise when sincere ("great job") mocks only what follows it;
             * another ("so much for", 好棒喔) any complaint beside it */
            bool praise = (s->toks[i].entry->flags & VOC_ENTRY_VALENCE) && s->toks[i].entry->valence > 0 &&
                          s->toks[i].type != VOC_TOKEN_EMOJI; /* 👏 follows what it mocks */
            if (!weak_mocks) weak_mocks = praise ? complaint_follows(s, i) : complaint_near(s, i);
        }
    }
    if (cue == SIZE_MAX || (!strong && !weak_mocks)) return VOC_OK;
    double flipped = 0;
    for (size_t i = 0; i < s->n_toks; i++)
        if (s->tok_contrib[i] > 0) {
            flipped += s->tok_contrib[i] * 1.5;
            s->tok_contrib[i] *= -0.5;
        }
    *total -= s->pos_recency_sum * 1.5;
    s->rule_neg += s->rule_pos * 0.5;
    s->rule_pos = 0;
    s->sarcasm = true;
    return voc__add_match_ev(s, cue, VOC_EVIDENCE_RULE, -flipped / 4.0, "sarcasm");
}

/* Whether punctuation token t holds a "?" ("?", "?!", "??"): a loop, as most are one byte
 * (memchr's call cost more than the search). */
static bool holds_question_mark(const voc_session *s, const voc_tok *t)
{
    const char *p = voc__tok_norm(s, t);
    for (size_t k = 0; k < t->norm_len; k++)
        if (p[k] == '?') return true;
    return false;
}

/* Whether token t asks for something: REQUEST_CUE for a question mark, a question word or
 * "please", POLITE_CUE for a politeness formula (請問, please advise, 麻煩您). */
enum { NO_REQUEST_CUE = 0, REQUEST_CUE, POLITE_CUE };
static int request_cue(const voc_session *s, const voc_tok *t)
{
    int kind = voc__mod_kind(t);
    if (kind == VOC_MOD_POLITENESS) return POLITE_CUE;
    if (kind == VOC_MOD_QUESTION) return REQUEST_CUE;
    if (t->type == VOC_TOKEN_PUNCT && holds_question_mark(s, t)) return REQUEST_CUE;
    if (t->norm_len == 6 && !memcmp(voc__tok_norm(s, t), "please", 6)) return REQUEST_CUE;
    return NO_REQUEST_CUE;
}

/* What voc__score reads off the whole document before it scores sentence by sentence. */
typedef struct document_marks {
    size_t n_sent;       /* sentences that hold tokens (for the recency weights) */
    size_t request_from; /* the token of the first request cue, SIZE_MAX when the message
                          * asks for nothing */
    bool polite;         /* ... it asks with a politeness formula */
} document_marks;

/* One pass over the tokens: find the sentences (their first tokens into s->sent_first_tok,
 * n_toks after the last), start every clause weight at 1.0 (which mark_sentence then scales)
 * and find the request cues.  These were four loops over every token (the fourth found each
 * sentence's end when it was scored); one costs a third of the loop overhead (air3k: about
 * 0.75 M instructions less). */
static void scan_document(voc_session *s, document_marks *dm)
{
    document_marks m = {0, SIZE_MAX, false}; /* (locals: kept in registers) */
    double *w = s->tok_weight;
    uint32_t *first = s->sent_first_tok;
    for (size_t i = 0; i < s->n_toks; i++) {
        const voc_tok *t = &s->toks[i];
        if (i == 0 || t->sentence != t[-1].sentence) first[m.n_sent++] = (uint32_t)i;
        w[i] = 1.0;
        if (m.polite) continue; /* nothing later changes the cues: the first and a polite one */
        int cue = request_cue(s, t);
        if (cue == NO_REQUEST_CUE) continue;
        if (m.request_from == SIZE_MAX) m.request_from = i;
        m.polite = cue == POLITE_CUE;
    }
    first[m.n_sent] = (uint32_t)s->n_toks;
    *dm = m;
}

int voc__score(voc_session *s, voc_result *r)
{
    s->n_evs = 0;
    s->rule_pos = s->rule_neg = s->pos_recency_sum = 0;
    s->any_question = s->any_exclaim = false;
    if (voc__grow((void **)&s->tok_weight, &s->cap_tok_weight, s->n_toks + 1, sizeof(double)) ||
        voc__grow((void **)&s->tok_contrib, &s->cap_tok_contrib, s->n_toks + 1, sizeof(double)) ||
        voc__grow((void **)&s->sent_first_tok, &s->cap_sent_first_tok, s->n_toks + 1, sizeof(uint32_t)))
        return VOC_ENOMEM;
    memset(s->tok_contrib, 0, sizeof(double) * (s->n_toks + 1));
    if (voc__grow((void **)&s->sent_score, &s->cap_sent_score, s->n_sent + 1, sizeof(double)))
        return VOC_ENOMEM;
    memset(s->sent_score, 0, sizeof(double) * (s->n_sent + 1));
    if (voc__match_lexicon(s)) return VOC_ENOMEM;
    size_t next_term = 0; /* into s->term_toks: the first term of the sentence scored next */
    int mixed_case = -1; /* text_mixed_case, when a term in capitals first asks */
    document_marks dm;
    scan_document(s, &dm);
    size_t n_sent = dm.n_sent;
    double total = 0;
    s->sarcasm = s->neutral_cue = false;
    s->n_waited = 0;
    s->balance = 0;
    s->info_tok = UINT32_MAX;
    for (size_t k = 0; k < n_sent; k++) {
        size_t a = s->sent_first_tok[k], b = s->sent_first_tok[k + 1];
        int rc = VOC_OK;
        s->recency = n_sent > 1 ? 1.0 + 0.5 * (double)k / (double)(n_sent - 1) : 1.0;
        double sum = score_sentence(s, a, b, &next_term, &mixed_case, dm.request_from, &rc);
        if (rc) return rc;
        total += sum * s->recency;
        if (s->toks[a].sentence < s->n_sent) s->sent_score[s->toks[a].sentence] = sum * s->recency;
    }
    int rc = sarcasm(s, &total);
    if (rc) return rc;
    if (s->balance > 0) { /* "great screen, awful battery; it evens out": the middle */
        double f = 1.0 - BALANCE_DAMP * s->balance;
        total *= f;
        if ((rc = voc__add_match_ev(s, s->balance_tok, VOC_EVIDENCE_RULE, f, s->toks[s->balance_tok].entry->term)))
            return rc;
    }
    bool wish = false;
    for (size_t i = 0; i < s->n_evs; i++) wish |= s->evs[i].kind == VOC_EVIDENCE_IRREALIS;
    bool no_terms = s->rule_pos == 0 && s->rule_neg == 0; /* no sentiment term counted */
    /* a price in a Chinese text is plain information too (滷肉飯35元); English prices are
     * the matter of complaints too often ("my bill is $40 higher") */
    if (no_terms && s->model == VOC_MODEL_ZH)
        for (size_t i = 0; s->info_tok == UINT32_MAX && i < s->n_toks; i++)
            if (s->toks[i].type == VOC_TOKEN_PRICE) s->info_tok = (uint32_t)i;
    s->neutral_cue = (dm.request_from != SIZE_MAX || wish) && no_terms;
    s->wish = wish && no_terms;
    s->polite_request = dm.polite && no_terms; /* 不好意思, 麻煩您, "sorry to bother you" */
    s->rule_score = total / sqrt(total * total + ALPHA);
    /* the model reads words; a text without any (empty, "!!!", a bare link) stays with the
     * rules, which call it neutral */
    bool words = false;
    for (size_t i = 0; i < s->n_toks && !words; i++) {
        int t = s->toks[i].type;
        words = t == VOC_TOKEN_WORD || t == VOC_TOKEN_EMOJI || t == VOC_TOKEN_EMOTICON ||
                t == VOC_TOKEN_HASHTAG;
    }
    const voc_analyzer *an = s->analyzer;
    if (an->use_model && an->models[s->model].loaded && words)
        return voc__model_apply(s, &an->models[s->model], r);
    voc__rule_probs(s, r);
    return VOC_OK;
}

void voc__rule_logits(double score, double z[3])
{
    z[VOC_POSITIVE] = PROB_SLOPE * (score - THRESHOLD);
    z[VOC_NEGATIVE] = PROB_SLOPE * (-score - THRESHOLD);
    z[VOC_NEUTRAL] = 0;
}

void voc__rule_probs(voc_session *s, voc_result *r)
{
    double score = s->rule_score, rz[3];
    voc__rule_logits(score, rz);
    double zpos = rz[VOC_POSITIVE], zneg = rz[VOC_NEGATIVE];
    double m = zpos > zneg ? zpos : zneg;
    if (m < 0) m = 0;
    double epos = exp(zpos - m), eneg = exp(zneg - m), eneu = exp(-m);
    double z = epos + eneg + eneu;
    r->probs[VOC_POSITIVE] = epos / z;
    r->probs[VOC_NEGATIVE] = eneg / z;
    r->probs[VOC_NEUTRAL] = eneu / z;
    voc__label_from_probs(r);
    r->score = score;
}

void voc__label_from_probs(voc_result *r)
{
    r->label = VOC_NEUTRAL;
    if (r->probs[VOC_POSITIVE] > r->probs[r->label]) r->label = VOC_POSITIVE;
    if (r->probs[VOC_NEGATIVE] > r->probs[r->label]) r->label = VOC_NEGATIVE;
    r->confidence = r->probs[r->label];
}
