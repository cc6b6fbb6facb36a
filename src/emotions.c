/* emotions.c — the eight CX emotions of a document, each with a score in (0, 1].
 *
 * delight, gratitude, trust, dismay, anger, frustration, anxiety, confusion.  The main
 * source is the lexicon: every sentiment term tagged emotion:ID (lexicons/README.md) adds
 * the size of its final contribution (after degree words, emphasis and clause weights) to
 * its emotions — but only when it counts the way it was written: "not happy" is no
 * delight, and a negated emotion word adds nothing.  Thanks inside a request is still
 * gratitude, if weaker (its sentiment was set to zero by the scorer).  Rules add what no
 * single word says:
 *   - anger: a negative text shouted (ALL-CAPS words in mixed-case text, or "!!");
 *   - frustration: a negative text that says it happened again (again, still, yet again,
 *     又, 還是, 一直, 每次, 再次) or that names a waited duration;
 *   - confusion: a question asking why (why, 為什麼, 為何, 怎麼會) in a text that is not
 *     positive;
 *   - dismay needs a negative text and delight a positive one: emotion words against the
 *     document's overall sign are damped to a third.
 * The sums become scores by 1 - exp(-sum / SCALE); emotions under MIN_SCORE are left out
 * (most of a document's eight sums are 0: those are left out without calling exp()). */
#include "internal.h"

#include <math.h>
#include <string.h>

#define SCALE 2.0
#define MIN_SCORE 0.3
#define REQUEST_GRATITUDE 0.8  /* thanks in a request (its sentiment was zeroed) */
#define AGAINST_SIGN 0.33      /* an emotion word against the document's sign */
#define RULE_AMOUNT 1.0
/* 1 - exp(-sum / SCALE) reaches MIN_SCORE only from sum = -SCALE ln(1 - MIN_SCORE) = 0.7133 on;
 * a sum under this round margin below it is left out without computing its score. */
#define SURELY_UNDER 0.7

enum { DELIGHT, GRATITUDE, TRUST, DISMAY, ANGER, FRUSTRATION, ANXIETY, CONFUSION, N_EMOTIONS };

/* The words of the "again" and "why" rules (filed with score.c's word lists). */
#define W VOC_WORD
const voc_word voc__again_words[] = {W("again"), W("still"), W("repeatedly"), W("又"), W("還是"),
                                     W("一直"), W("每次"), W("再次"), W("又要"), W("又是"), W("老是"),
                                     W("總是"), W("一再")};
const size_t voc__n_again_words = sizeof voc__again_words / sizeof *voc__again_words;
/* "why" asks for a reason the customer cannot see; "how"/"what" mostly ask for facts */
const voc_word voc__why_words[] = {W("why"), W("為什麼"), W("為何"), W("怎麼會"), W("怎麼回事"),
                                   W("幹嘛")};
const size_t voc__n_why_words = sizeof voc__why_words / sizeof *voc__why_words;
#undef W

/* Strongest first; ties (rare) by id, so the order never depends on the sort. */
static bool stronger(const voc_emotion_result *x, const voc_emotion_result *y)
{
    if (x->score != y->score) return x->score > y->score;
    return strcmp(x->id, y->id) < 0;
}

bool voc__emotion_score(double sum, double *score)
{
    if (sum < SURELY_UNDER) return false;
    *score = 1.0 - exp(-sum / SCALE);
    return !(*score < MIN_SCORE);
}

int voc__emotions(voc_session *s, const voc_result *r)
{
    double sum[N_EMOTIONS] = {0};
    int doc_sign = r->label == VOC_POSITIVE ? 1 : r->label == VOC_NEGATIVE ? -1 : 0;
    unsigned lists = 0; /* the word lists of any of the words: again, why */
    bool caps = false, shouting = false;
    for (size_t i = 0; i < s->n_toks; i++) {
        const voc_tok *t = &s->toks[i];
        lists |= voc__word_lists(s, i);
        caps |= (t->flags & VOC_TOKEN_CAPS) && t->norm_len >= 3;
        if (t->type == VOC_TOKEN_PUNCT) { /* "!!" or more */
            size_t bangs = 0;
            for (size_t k = 0; k < t->norm_len; k++) bangs += voc__tok_norm(s, t)[k] == '!';
            if (bangs >= 2) shouting = true;
        }
        const voc_entry *e = t->entry;
        if (!e || !(e->flags & VOC_ENTRY_VALENCE) || !e->emotion_tags) continue;
        double c = s->tok_contrib[i], amount;
        if (c == 0) {
            /* zeroed: thanks in a request is still (weaker) gratitude; other zero
             * contributions (a degree word, a politeness formula) are no emotion */
            if (!(e->emotion_tags & (1u << GRATITUDE)) || e->valence <= 0) continue;
            sum[GRATITUDE] += REQUEST_GRATITUDE;
            continue;
        }
        if ((c > 0) != (e->valence > 0)) continue; /* negated: "not happy" */
        amount = fabs(c);
        if (doc_sign != 0 && (c > 0 ? 1 : -1) != doc_sign) amount *= AGAINST_SIGN;
        for (int k = 0; k < N_EMOTIONS; k++)
            if (e->emotion_tags & (1u << k)) sum[k] += amount;
    }
    bool again = lists & VOC_WORDS_AGAIN, why = lists & VOC_WORDS_WHY;
    if (doc_sign < 0) {
        if (shouting || (caps && s->any_exclaim)) sum[ANGER] += RULE_AMOUNT;
        if (again) sum[FRUSTRATION] += RULE_AMOUNT;
        sum[FRUSTRATION] += RULE_AMOUNT * s->n_waited; /* each waited duration */
    }
    if (doc_sign <= 0 && why && s->any_question) sum[CONFUSION] += RULE_AMOUNT;
    /* at most eight, most often none or one: an insertion sort, not qsort's setup */
    s->n_emotions = 0;
    for (int k = 0; k < N_EMOTIONS; k++) {
        voc_emotion_result e = {voc__emotion_ids[k], 0};
        if (!voc__emotion_score(sum[k], &e.score)) continue;
        size_t at = s->n_emotions++;
        for (; at > 0 && stronger(&e, &s->emotions[at - 1]); at--) s->emotions[at] = s->emotions[at - 1];
        s->emotions[at] = e;
    }
    return VOC_OK;
}
