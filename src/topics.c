/* topics.c — topics with their own sentiment ("aspect sentiment").
 *
 * The taxonomy (topics/taxonomy.tsv, header `topic parent description`) gives the topic
 * ids; users add topics, or replace the whole directory (--topics).  A topic is found by:
 *   - topic terms (a topics/ file, header `term topics weight`): keyed by the tokenizer like
 *     sentiment terms, longest match wins, matched in their own pass so a topic phrase never
 *     hides a sentiment word;
 *   - sentiment terms tagged topic:ID (weight 0.5);
 *   - PCRE2 patterns over the normalized text (patterns.c).
 * Each mention has a weight; a topic's score is 1 - Π(1 - weight) over its mentions, and
 * topics under MIN_SCORE are dropped.  A child topic also reports its parent.
 *
 * Aspect sentiment: a mention takes the sentiment of its clause — the tokens between clause
 * punctuation (, ; : 、), contrast words and sentence ends — summed from the scorer's
 * per-token contributions (score.c), so "店員很親切，但是退款等了三週" gives customer_service
 * positive and refund_return negative.  A clause without sentiment borrows half of its
 * sentence's.  The topic's sentiment is the squashed sum over its mentions. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MIN_SCORE 0.5
#define ALPHA 4.0            /* squash of aspect sentiment: x / sqrt(x^2 + ALPHA) */

/* ---- taxonomy ---------------------------------------------------------------------------- */

static int topic_index(const voc_taxonomy *tx, const char *id, size_t len)
{
    for (size_t i = 0; i < tx->n; i++)
        if (strlen(tx->topics[i].id) == len && !memcmp(tx->topics[i].id, id, len)) return (int)i;
    return -1;
}

int voc__taxonomy_build(voc_taxonomy *tx, const voc_lexrows *rows, voc_error *err)
{
    memset(tx, 0, sizeof *tx);
    for (size_t i = 0; i < rows->n; i++) {
        const voc_lexrow *r = &rows->rows[i];
        if (r->file_kind != VOC_FILE_TAXONOMY) continue;
        size_t len = strlen(r->term);
        if (len >= sizeof tx->topics[0].id)
            return voc__fail(err, VOC_ELEXICON, rows->files[r->file], r->line, 0,
                             "topic id longer than %zu bytes", sizeof tx->topics[0].id - 1);
        if (topic_index(tx, r->term, len) >= 0) continue; /* re-declared: parent updated below */
        if (tx->n == VOC_MAX_TOPICS)
            return voc__fail(err, VOC_ELEXICON, rows->files[r->file], r->line, 0,
                             "more than %d topics", VOC_MAX_TOPICS);
        memcpy(tx->topics[tx->n].id, r->term, len + 1);
        tx->topics[tx->n].parent = -1;
        tx->n++;
    }
    for (size_t i = 0; i < rows->n; i++) { /* parents, once every id is known */
        const voc_lexrow *r = &rows->rows[i];
        if (r->file_kind != VOC_FILE_TAXONOMY) continue;
        int self = topic_index(tx, r->term, strlen(r->term));
        if (!strcmp(r->text1, "-")) {
            tx->topics[self].parent = -1;
            continue;
        }
        int parent = topic_index(tx, r->text1, strlen(r->text1));
        if (parent < 0 || parent == self)
            return voc__fail(err, VOC_ELEXICON, rows->files[r->file], r->line, 0,
                             "parent '%s' of '%s' is not another topic of the taxonomy", r->text1,
                             r->term);
        tx->topics[self].parent = parent;
    }
    for (size_t i = 0; i < tx->n; i++) { /* no cycles: a chain ends within n steps */
        int p = tx->topics[i].parent;
        for (size_t k = 0; p >= 0 && k <= tx->n; k++) p = tx->topics[p].parent;
        if (p < 0) continue;
        const voc_lexrow *where = NULL; /* the row that gave it its parent */
        for (size_t r = 0; r < rows->n; r++)
            if (rows->rows[r].file_kind == VOC_FILE_TAXONOMY && !strcmp(rows->rows[r].term, tx->topics[i].id))
                where = &rows->rows[r];
        return voc__fail(err, VOC_ELEXICON, where ? rows->files[where->file] : "taxonomy",
                         where ? where->line : 0, 0, "topic '%s' is its own ancestor", tx->topics[i].id);
    }
    for (size_t i = 0; i < tx->n; i++) /* each topic is in its own family and its ancestors' */
        for (int p = (int)i; p >= 0; p = tx->topics[p].parent) tx->topics[p].family |= 1ull << i;
    return VOC_OK;
}

int voc__taxonomy_mask(const voc_taxonomy *tx, const voc_lexrows *rows, const voc_lexrow *r,
                       const char *list, uint64_t *mask, voc_error *err)
{
    *mask = 0;
    for (const char *s = list; *s;) {
        size_t n = strcspn(s, ",");
        int i = topic_index(tx, s, n);
        if (i < 0)
            return voc__fail(err, VOC_ELEXICON, rows->files[r->file], r->line, 0,
                             "unknown topic '%.*s' (not in any taxonomy.tsv)", (int)n, s);
        *mask |= 1ull << i;
        s += n + (s[n] == ',');
    }
    return VOC_OK;
}

/* ---- mentions ----------------------------------------------------------------------------- */

typedef struct voc_topic_mention {
    uint64_t mask;
    float weight;
    uint32_t tok_first, tok_last;
} voc_topic_mention;

static int add_mention(voc_session *s, uint64_t mask, float weight, size_t first, size_t last)
{
    if (voc__grow((void **)&s->mentions, &s->cap_mentions, s->n_mentions + 1, sizeof *s->mentions))
        return VOC_ENOMEM;
    s->mentions[s->n_mentions++] = (voc_topic_mention){mask, weight, (uint32_t)first, (uint32_t)last};
    return VOC_OK;
}

/* A pattern match over normalized bytes [start, end): the tokens it covers. */
static int on_pattern(void *user, uint64_t mask, float weight, size_t start, size_t end,
                      const char *name)
{
    (void)name;
    voc_session *s = user;
    /* tokens are in text order and do not overlap: the first one ending after `start` by
     * binary search (a scan from the first token per match was quadratic on long texts) */
    size_t lo = 0, hi = s->n_toks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->toks[mid].nend <= start) lo = mid + 1;
        else hi = mid;
    }
    size_t first = SIZE_MAX, last = 0;
    for (size_t i = lo; i < s->n_toks && s->toks[i].nstart < end; i++) {
        if (first == SIZE_MAX) first = i;
        last = i;
    }
    if (first == SIZE_MAX) return VOC_OK; /* matched only spaces */
    return add_mention(s, mask, weight, first, last);
}

/* Clause and sentence bounds of the tokens mentions fall in, and prefix sums of the
 * contributions, so the sentiment around a mention costs O(1) once its clause is known.
 *
 * How it works: a bound is found by walking from the mention's token to the clause break
 * (or sentence end), and every token walked over is given the same bound (memo, BOUND_UNKNOWN
 * until then), so a later walk stops at the first token already known: each token is walked
 * over at most once per bound, and a 1 MiB text of one clause full of topic words costs one
 * pass, not a pass per mention.  A tweet with one mention walks its clause only, instead of
 * asking every token of the text whether it breaks a clause.  Example: in "nice crew, but
 * the refund took weeks" a mention at "refund" walks left to "but" (a contrast word breaks
 * the clause: its left bound is "the"), and right to the end. */
#define BOUND_UNKNOWN UINT32_MAX

static int clause_index(voc_session *s)
{
    size_t n = s->n_toks;
    if (voc__grow((void **)&s->clause_left, &s->cap_clause_left, n + 1, sizeof *s->clause_left) ||
        voc__grow((void **)&s->clause_right, &s->cap_clause_right, n + 1, sizeof *s->clause_right) ||
        voc__grow((void **)&s->sent_left, &s->cap_sent_left, n + 1, sizeof *s->sent_left) ||
        voc__grow((void **)&s->sent_right, &s->cap_sent_right, n + 1, sizeof *s->sent_right) ||
        voc__grow((void **)&s->contrib_prefix, &s->cap_contrib_prefix, n + 1, sizeof *s->contrib_prefix))
        return VOC_ENOMEM;
    s->contrib_prefix[0] = 0;
    for (size_t i = 0; i < n; i++) s->contrib_prefix[i + 1] = s->contrib_prefix[i] + s->tok_contrib[i];
    memset(s->clause_left, 0xFF, n * sizeof *s->clause_left);
    memset(s->clause_right, 0xFF, n * sizeof *s->clause_right);
    memset(s->sent_left, 0xFF, n * sizeof *s->sent_left);
    memset(s->sent_right, 0xFF, n * sizeof *s->sent_right);
    return VOC_OK;
}

static bool sentence_start(const voc_session *s, size_t i)
{
    return i == 0 || s->toks[i].sentence != s->toks[i - 1].sentence;
}

static bool sentence_end(const voc_session *s, size_t i)
{
    return i + 1 >= s->n_toks || s->toks[i + 1].sentence != s->toks[i].sentence;
}

/* The first token of token i's clause (or sentence, when !clause), memo: see above. */
static uint32_t left_bound(const voc_session *s, uint32_t *memo, size_t i, bool clause)
{
    size_t j = i;
    while (memo[j] == BOUND_UNKNOWN && !sentence_start(s, j) && !(clause && voc__clause_break(s, j - 1))) j--;
    uint32_t left = memo[j] != BOUND_UNKNOWN ? memo[j] : (uint32_t)j;
    for (size_t k = j; k <= i; k++) memo[k] = left;
    return left;
}

/* One past the last token of token i's clause (or sentence). */
static uint32_t right_bound(const voc_session *s, uint32_t *memo, size_t i, bool clause)
{
    size_t j = i;
    while (memo[j] == BOUND_UNKNOWN && !sentence_end(s, j) && !(clause && voc__clause_break(s, j + 1))) j++;
    uint32_t right = memo[j] != BOUND_UNKNOWN ? memo[j] : (uint32_t)(j + 1);
    for (size_t k = i; k <= j; k++) memo[k] = right;
    return right;
}

/* The sentiment around token i: its clause's contributions (the tokens between clause
 * breaks), else half its sentence's. */
static double clause_sentiment(voc_session *s, size_t i)
{
    const double *p = s->contrib_prefix;
    double sum = p[right_bound(s, s->clause_right, i, true)] - p[left_bound(s, s->clause_left, i, true)];
    if (sum != 0) return sum;
    return (p[right_bound(s, s->sent_right, i, false)] - p[left_bound(s, s->sent_left, i, false)]) / 2;
}

static size_t orig_start(const voc_session *s, size_t tok) { return s->map_start[s->toks[tok].nstart]; }
static size_t orig_end(const voc_session *s, size_t tok) { return s->map_end[s->toks[tok].nend - 1]; }

/* Sort spans by start and merge those that overlap (a term inside a pattern's match):
 * returns how many remain. */
static int cmp_span(const void *a, const void *b)
{
    const voc_span *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

static size_t merge_spans(voc_span *sp, size_t n)
{
    bool sorted = true; /* term mentions come in text order; patterns' after them */
    for (size_t i = 1; i < n && sorted; i++) sorted = sp[i - 1].start <= sp[i].start;
    if (!sorted) qsort(sp, n, sizeof *sp, cmp_span);
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        if (out > 0 && sp[i].start < sp[out - 1].end) {
            if (sp[i].end > sp[out - 1].end) sp[out - 1].end = sp[i].end;
            continue;
        }
        sp[out++] = sp[i];
    }
    return out;
}

static int cmp_topic(const void *a, const void *b)
{
    const voc_topic_result *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Sort the topics by cmp_topic: by insertion, as a document reports a few (qsort's set-up
 * cost more than the sorting); ids are unique, so the order is the same as qsort's. */
static void sort_topics(voc_topic_result *t, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        voc_topic_result x = t[i];
        size_t j = i;
        for (; j > 0 && cmp_topic(&t[j - 1], &x) > 0; j--) t[j] = t[j - 1];
        t[j] = x;
    }
}

int voc__topics(voc_session *s)
{
    const voc_analyzer *an = s->analyzer;
    const voc_taxonomy *tx = &an->taxonomy;
    int rc;
    s->n_mentions = s->n_topics = s->n_topic_spans = 0;
    if (tx->n == 0) return VOC_OK;
    /* 1. topic terms (their own longest-match pass) and tagged sentiment terms */
    for (size_t i = 0; i < s->n_toks;) {
        size_t k = 0;
        const voc_entry *phrase = s->toks[i].entry;
        if (phrase && s->toks[i].entry_tokens > 1 && !(phrase->flags & VOC_ENTRY_TOPIC)) {
            i += s->toks[i].entry_tokens; /* "can't complain", "no problem": not topics */
            continue;
        }
        const voc_entry *e = voc__token_entry(s, i);
        if (e && (e->flags & (VOC_ENTRY_TOPIC | VOC_ENTRY_PREFIX))) {
            voc__phrases(s, i);
            e = s->toks[i].phrase_topic;
            k = s->toks[i].phrase_topic_tokens;
        } else {
            e = NULL;
        }
        if (!e && s->toks[i].stem_len) { /* "refunds" → "refund" */
            e = voc__stem_entry(s, i);
            if (e && (!(e->flags & VOC_ENTRY_TOPIC) || e->n_tokens != 1)) e = NULL;
            k = 1;
        }
        if (e && e->topic_mask) {
            if ((rc = add_mention(s, e->topic_mask, e->topic_weight, i, i + k - 1))) return rc;
            i += k;
            continue;
        }
        i++;
    }
    /* 2. patterns */
    if (voc__patterns_count(an->patterns)) {
        if (!s->pattern_state && !(s->pattern_state = voc__pattern_state_new())) return VOC_ENOMEM;
        if ((rc = voc__patterns_scan(an->patterns, s->pattern_state, s->norm.data, s->norm.len, s->n_han > 0,
                                     on_pattern, s)))
            return rc;
    }
    if (s->n_mentions == 0) return VOC_OK;
    if ((rc = clause_index(s))) return rc;
    /* 3. per topic: score, sentiment, spans (spans are collected first and pointed to at
     * the end, since the span array may move while it grows) */
    if (voc__grow((void **)&s->topics, &s->cap_topics, tx->n, sizeof *s->topics)) return VOC_ENOMEM;
    size_t span_off[VOC_MAX_TOPICS];
    uint64_t mentioned = 0;
    for (size_t m = 0; m < s->n_mentions; m++) mentioned |= s->mentions[m].mask;
    for (size_t t = 0; t < tx->n; t++) {
        /* a mention of t, or of a descendant of t */
        if (!(mentioned & tx->topics[t].family)) continue;
        double miss = 1.0, sentiment = 0;
        size_t first_span = s->n_topic_spans;
        for (size_t m = 0; m < s->n_mentions; m++) {
            const voc_topic_mention *mn = &s->mentions[m];
            if (!(mn->mask & tx->topics[t].family)) continue;
            miss *= 1.0 - mn->weight;
            sentiment += clause_sentiment(s, mn->tok_first);
            voc_span sp = {orig_start(s, mn->tok_first), orig_end(s, mn->tok_last)};
            if (voc__grow((void **)&s->topic_spans, &s->cap_topic_spans, s->n_topic_spans + 1,
                          sizeof *s->topic_spans))
                return VOC_ENOMEM;
            s->topic_spans[s->n_topic_spans++] = sp;
        }
        s->n_topic_spans = first_span + merge_spans(s->topic_spans + first_span,
                                                    s->n_topic_spans - first_span);
        double score = 1.0 - miss;
        if (s->n_topic_spans == first_span || score < MIN_SCORE) {
            s->n_topic_spans = first_span;
            continue;
        }
        span_off[s->n_topics] = first_span;
        voc_topic_result *r = &s->topics[s->n_topics++];
        r->id = tx->topics[t].id;
        r->score = score;
        r->sentiment = sentiment / sqrt(sentiment * sentiment + ALPHA);
        r->n_spans = s->n_topic_spans - first_span;
    }
    for (size_t t = 0; t < s->n_topics; t++) s->topics[t].spans = s->topic_spans + span_off[t];
    sort_topics(s->topics, s->n_topics);
    return VOC_OK;
}
