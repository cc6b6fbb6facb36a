/* analyzer.c — building the shared analyzer, per-thread sessions, and running one document
 * through the stages (normalize → segment → score) into a borrowed voc_result.
 *
 * Building happens in a fixed order because lexicon keys depend on the tokenizer:
 * read all TSV rows → put words.tsv and every Chinese term into the Han dictionary → tokenize
 * each term with a bootstrap session to get its key → file it in the lexicon table.  After
 * voc_analyzer_new returns, nothing in the analyzer changes, so threads share it freely.
 * The compiled tables are kept on disk between runs (cache.c) and loaded when the lexicon
 * files have not changed. */
#include "internal.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#ifndef VOCMINE_DEFAULT_LEXICON_DIR
#define VOCMINE_DEFAULT_LEXICON_DIR "lexicons"
#endif

/* ---- sessions ------------------------------------------------------------------------- */

int voc_session_new(const voc_analyzer *analyzer, voc_session **out, voc_error *err)
{
    if (!out) return voc__fail(err, VOC_EINVAL, "voc_session_new", 0, 0, "out is NULL");
    *out = NULL;
    if (!analyzer) return voc__fail(err, VOC_EINVAL, "voc_session_new", 0, 0, "analyzer is NULL");
    voc_session *s = calloc(1, sizeof *s);
    if (!s) return voc__fail(err, VOC_ENOMEM, "voc_session_new", 0, 0, "out of memory");
    s->analyzer = analyzer;
    int rc = voc__icu_new(&s->icu, err);
    if (rc) goto fail;
    s->stemmer = sb_stemmer_new("english", "UTF_8");
    /* one slot a cache line, the memo aligned to them: a lookup touches one line, not two.
     * The memset also faults its pages in here, at start-up, instead of one by one as the memo
     * fills (tools/ab on the airline tweets against 72-byte slots: 0.984, 0.978-0.993; the
     * same slots from calloc, left to fault: 1.005) */
    _Static_assert(sizeof(voc_stem_slot) == 64, "a word memo slot is one cache line");
    s->stem_cache = aligned_alloc(64, VOC_STEM_CACHE * sizeof *s->stem_cache);
    if (s->stem_cache) memset(s->stem_cache, 0, VOC_STEM_CACHE * sizeof *s->stem_cache);
    if (!s->stemmer || !s->stem_cache) {
        rc = voc__fail(err, VOC_EDEPENDENCY, "libstemmer", 0, 0, "cannot create the English stemmer");
        goto fail;
    }
    *out = s;
    return VOC_OK;
fail:
    voc_session_free(s);
    return rc;
}

void voc_session_free(voc_session *s)
{
    if (!s) return;
    voc__icu_free(s->icu);
    voc__opencc_close(s->opencc);
    if (s->stemmer) sb_stemmer_delete(s->stemmer);
    free(s->stem_cache);
    voc__buf_free(&s->repaired);
    voc__buf_free(&s->norm);
    voc__buf_free(&s->norm_tmp);
    voc__buf_free(&s->scratch);
    voc__buf_free(&s->strings);
    free(s->map_start);
    free(s->map_end);
    free(s->tmp_start);
    free(s->align_cost);
    free(s->align_blocks);
    free(s->tmp_end);
    free(s->toks);
    free(s->tokens);
    free(s->nsent);
    free(s->sentences);
    free(s->evs);
    free(s->evidence);
    free(s->tok_weight);
    free(s->weigh_diff);
    free(s->weigh_stop);
    free(s->cps);
    free(s->cp_off);
    free(s->best);
    free(s->best_len);
    free(s->best_node);
    free(s->feats);
    free(s->feat_set);
    voc__buf_free(&s->featnames);
    free(s->tok_contrib);
    free(s->sent_score);
    free(s->term_toks);
    free(s->sent_first_tok);
    voc__pattern_state_free(s->pattern_state);
    free(s->mentions);
    free(s->clause_left);
    free(s->clause_right);
    free(s->sent_left);
    free(s->sent_right);
    free(s->contrib_prefix);
    free(s->topics);
    free(s->topic_spans);
    voc__flag_state_free(s->flag_state);
    free(s);
}

/* Set the session's text: repair invalid UTF-8, cut at VOC_MAX_DOC_BYTES. */
static int prepare_text(voc_session *s, const char *text, size_t len)
{
    s->warnings = 0;
    if (!text) len = 0;
    if (len > VOC_MAX_DOC_BYTES) {
        len = voc__utf8_truncate(text, VOC_MAX_DOC_BYTES);
        s->warnings |= VOC_WARN_TRUNCATED;
    }
    s->text = text ? text : "";
    s->text_len = len;
    if (!voc__utf8_valid(s->text, len)) {
        int w = voc__utf8_repair(s->text, len, &s->repaired);
        if (w < 0) return w;
        s->warnings |= (unsigned)w;
        s->text = s->repaired.data;
        s->text_len = s->repaired.len;
    }
    return VOC_OK;
}

/* Tokenize text as one unit (normalize + segment), for lexicon keys and tests. */
static int run_stages(voc_session *s, const char *text, size_t len)
{
    int rc = prepare_text(s, text, len);
    if (!rc) rc = voc__normalize(s);
    if (!rc) rc = voc__segment(s);
    return rc;
}

/* ---- building -------------------------------------------------------------------------- */

static bool has_han(const char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        size_t adv;
        int32_t cp = voc__utf8_decode((const unsigned char *)s, len, i, &adv);
        if (voc__is_han(cp)) return true;
        i += adv;
    }
    return false;
}

/* Only CJK Unified Ideographs that are not Simplified-only: already normalized (flags.c's
 * table build uses it too). */
bool voc__plain_han(const voc_analyzer *a, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t adv;
        int32_t cp = voc__utf8_decode((const unsigned char *)s, len, i, &adv);
        if (cp < 0x4E00 || cp > 0x9FFF || voc__is_simplified_only(a, cp) ||
            voc__is_simplified_ambiguous(a, cp))
            return false;
        i += adv;
    }
    return true;
}

/* [a-z]+ without a letter three times in a row (the tokenizer would collapse "sooo"), and
 * not a word the tokenizer splits or types differently: it is one token, itself. */
static bool plain_ascii_word(const char *s, size_t len)
{
    if (len == 0 || len >= 64) return false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < 'a' || s[i] > 'z') return false;
        if (i >= 2 && s[i] == s[i - 1] && s[i] == s[i - 2]) return false;
    }
    return true;
}

/* Rows whose terms the segmenter keeps whole (Han ones go into its dictionary, preferred
 * over their own parts): sentiment terms and modifiers.  Topic terms are not among them —
 * kept whole, 登入失敗 would hide 失敗 from the scorer — and are matched as token sequences. */
static bool is_segmenter_term(const voc_lexrow *r)
{
    return r->file_kind == VOC_FILE_SENTIMENT || r->file_kind == VOC_FILE_MODIFIER;
}

/* Rows whose terms are keyed into the lexicon table. */
static bool is_term_row(const voc_lexrow *r)
{
    return is_segmenter_term(r) || r->file_kind == VOC_FILE_TOPIC_TERMS;
}

/* The taxonomy bits of a sentiment row's topic:ID tags (ids of the default taxonomy that
 * the loaded taxonomy may or may not have). */
static uint64_t tag_mask(const voc_taxonomy *tx, uint32_t tags)
{
    uint64_t mask = 0;
    for (size_t b = 0; b < voc__n_topic_ids; b++) {
        if (!(tags & (1u << b))) continue;
        for (size_t t = 0; t < tx->n; t++)
            if (!strcmp(tx->topics[t].id, voc__topic_ids[b])) mask |= 1ull << t;
    }
    return mask;
}

#define TOPIC_TAG_WEIGHT 0.5f /* a sentiment term tagged topic:ID names it less surely */

int voc__lexicon_build(voc_analyzer *a, voc_lexrows *rows, voc_error *err)
{
    voc_session *s = NULL;
    int rc = voc_session_new(a, &s, err);
    if (rc) return rc;
    s->no_opencc = true; /* terms are written in Traditional Chinese (lexicons/README.md) */
    voc_lexicon *lx = &a->lexicon;
    voc_buf key = {0};
    double total = 0;
    /* 1. the Han dictionary: general words and Chinese lexicon terms */
    for (size_t i = 0; i < rows->n; i++) {
        voc_lexrow *r = &rows->rows[i];
        bool word = r->file_kind == VOC_FILE_WORDS;
        if (!word && (!is_segmenter_term(r) || !has_han(r->term))) continue;
        /* General words holding a negator (也不, 都沒) would hide it from the scorer: the
         * characters are counted on their own instead.  Lexicon terms are always kept. */
        if (word && (strstr(r->term, "\xe4\xb8\x8d") /* 不 */ || strstr(r->term, "\xe6\xb2\x92") /* 沒 */) &&
            strlen(r->term) > 3)
            continue;
        const char *norm = r->term;
        size_t norm_len = strlen(r->term);
        if (!word || !voc__plain_han(a, r->term, norm_len)) { /* words.tsv is nearly all plain Han */
            if ((rc = prepare_text(s, r->term, norm_len)) || (rc = voc__normalize(s))) goto done;
            if (s->n_simplified) continue; /* normalized text never holds Simplified-only chars */
            norm = s->norm.data;
            norm_len = s->norm.len;
        }
        rc = voc__handict_add(&a->handict, norm, norm_len, word ? r->a : 0, !word);
        if (rc) {
            voc__fail(err, rc, "<lexicon>", 0, 0, "cannot add '%s' to the Han dictionary", r->term);
            goto done;
        }
        if (word) { total += r->a; lx->n_words++; }
    }
    voc__handict_finish(&a->handict, total);
    for (size_t i = 0; i < rows->n; i++) { /* lexicon terms beat their own parts */
        voc_lexrow *r = &rows->rows[i];
        if (!is_segmenter_term(r) || !has_han(r->term)) continue;
        if ((rc = prepare_text(s, r->term, strlen(r->term))) || (rc = voc__normalize(s))) goto done;
        voc__handict_prefer(&a->handict, s->norm.data, s->norm.len);
    }
    /* 2. lexicon keys: each term tokenized like text */
    for (size_t i = 0; i < rows->n; i++) {
        voc_lexrow *r = &rows->rows[i];
        if (!is_term_row(r)) continue;
        size_t term_len = strlen(r->term);
        if (plain_ascii_word(r->term, term_len)) rc = voc__term_token(s, r->term, term_len, false);
        else if (is_segmenter_term(r) && voc__plain_han(a, r->term, term_len))
            rc = voc__term_token(s, r->term, term_len, true);
        else rc = run_stages(s, r->term, term_len);
        if (rc) goto done;
        if (s->n_toks == 0 || s->n_toks > 16) {
            rc = voc__fail(err, VOC_ELEXICON, "<lexicon>", 0, 0,
                           "a term makes %zu tokens (1 to 16 allowed): '%.200s'", s->n_toks, r->term);
            goto done;
        }
        key.len = 0;
        for (size_t t = 0; t < s->n_toks; t++) {
            if (t) voc__buf_append(&key, " ", 1);
            voc__buf_append(&key, voc__tok_norm(s, &s->toks[t]), s->toks[t].norm_len);
            if (t + 1 < s->n_toks) { /* mark the prefix */
                bool created;
                voc_entry *p = voc__lexicon_upsert(lx, key.data, key.len, &created, &rc);
                if (!p) goto nomem;
                p->flags |= VOC_ENTRY_PREFIX;
            }
        }
        if (key.failed) goto nomem;
        bool created;
        voc_entry *e = voc__lexicon_upsert(lx, key.data, key.len, &created, &rc);
        if (!e) goto nomem;
        e->term = voc__lexicon_strdup(lx, r->term, strlen(r->term));
        if (!e->term) goto nomem;
        e->n_tokens = (uint8_t)s->n_toks;
        if ((int)s->n_toks > lx->max_phrase_tokens) lx->max_phrase_tokens = (int)s->n_toks;
        if (r->lang == 2) e->flags |= VOC_ENTRY_HAN;
        if (r->file_kind == VOC_FILE_TOPIC_TERMS) {
            uint64_t mask;
            if ((rc = voc__taxonomy_mask(&a->taxonomy, rows, r, r->text1, &mask, err))) goto done;
            e->flags |= VOC_ENTRY_TOPIC;
            e->topic_mask |= mask;
            if (r->a > e->topic_weight) e->topic_weight = r->a;
            lx->n_topic_terms++;
        } else if (r->file_kind == VOC_FILE_SENTIMENT) {
            uint64_t mask = tag_mask(&a->taxonomy, r->topic_tags);
            if (mask && !(e->flags & VOC_ENTRY_TOPIC)) {
                e->flags |= VOC_ENTRY_TOPIC;
                e->topic_mask |= mask;
                if (e->topic_weight < TOPIC_TAG_WEIGHT) e->topic_weight = TOPIC_TAG_WEIGHT;
            }
            e->flags |= VOC_ENTRY_VALENCE;
            e->valence = r->a;
            e->emotion_tags = r->emotion_tags;
            if (r->lang == 0) lx->n_common++;
            else if (r->lang == 1) lx->n_en++;
            else lx->n_zh++;
        } else {
            e->flags |= VOC_ENTRY_MODIFIER;
            e->mod_kind = r->mod_kind;
            e->mod_weight = r->b;
            lx->n_modifiers++;
        }
    }
    rc = VOC_OK;
    goto done;
nomem:
    rc = voc__fail(err, VOC_ENOMEM, "<lexicon>", 0, 0, "out of memory");
done:
    voc__buf_free(&key);
    voc_session_free(s);
    return rc;
}

/* Rows of the files of `kinds` from the default directory and the user's, in load order. */
static int read_dirs(const char *dir, const voc_analyzer_options *opts, unsigned kinds,
                     voc_lexrows *rows, voc_error *err)
{
    int rc = voc__lexicon_read_dir(dir, true, kinds, rows, err);
    if (!rc && opts && opts->topic_dir) { /* --topics replaces the default topics/ */
        size_t n = 0;
        for (size_t i = 0; i < rows->n; i++)
            if (rows->rows[i].lang != VOC_LANG_TOPICS) rows->rows[n++] = rows->rows[i];
        rows->n = n;
        rc = voc__topic_dir_read(opts->topic_dir, kinds, rows, err);
    }
    for (size_t i = 0; !rc && opts && i < opts->n_extra_lexicon_dirs; i++)
        if (opts->extra_lexicon_dirs[i])
            rc = voc__lexicon_read_dir(opts->extra_lexicon_dirs[i], false, kinds, rows, err);
    return rc;
}

int voc_analyzer_new(const voc_analyzer_options *opts, voc_analyzer **out, voc_error *err)
{
    if (!out) return voc__fail(err, VOC_EINVAL, "voc_analyzer_new", 0, 0, "out is NULL");
    *out = NULL;
    voc_analyzer *a = calloc(1, sizeof *a);
    if (!a) return voc__fail(err, VOC_ENOMEM, "voc_analyzer_new", 0, 0, "out of memory");
    voc__lexicon_init(&a->lexicon);
    voc__handict_init(&a->handict);
    voc_lexrows rows = {0};
    int rc = VOC_OK;
    const char *dir = opts && opts->lexicon_dir ? opts->lexicon_dir : getenv("VOCMINE_LEXICON_DIR");
    if (!dir || !*dir) dir = VOCMINE_DEFAULT_LEXICON_DIR;
    /* the compiled tables of these exact lexicon files, if an earlier run left them */
    uint64_t key = voc__cache_layout();
    voc__patterns_fingerprint(&key);
    bool cacheable = voc__lexicon_fingerprint(dir, &key) == VOC_OK;
    if (opts && opts->topic_dir && voc__topic_dir_fingerprint(opts->topic_dir, &key)) cacheable = false;
    for (size_t i = 0; opts && i < opts->n_extra_lexicon_dirs; i++)
        if (opts->extra_lexicon_dirs[i] && voc__lexicon_fingerprint(opts->extra_lexicon_dirs[i], &key))
            cacheable = false;
    if (cacheable && voc__cache_load(a, key)) {
        a->from_cache = true;
        /* the parts the cache does not hold: taxonomy, topic patterns (the flag cues' table
         * came with it: flags.tsv is in the key) */
        unsigned rest = 1u << VOC_FILE_TAXONOMY | 1u << VOC_FILE_TOPIC_PATTERNS;
        if ((rc = read_dirs(dir, opts, rest, &rows, err)) ||
            (rc = voc__taxonomy_build(&a->taxonomy, &rows, err)))
            goto fail;
        goto ready;
    }
    rc = voc__icu_simplified_bits(a->simplified_bits, a->ambiguous_bits, a->traditional_bits, err);
    if (rc) goto fail;
    if ((rc = read_dirs(dir, opts, VOC_ALL_FILE_KINDS, &rows, err))) goto fail;
    if ((rc = voc__taxonomy_build(&a->taxonomy, &rows, err))) goto fail;
    if ((rc = voc__lexicon_build(a, &rows, err)) || (rc = voc__models_build(a->models, &rows, err)))
        goto fail;
    voc__lexicon_phrase_pairs(&a->lexicon, a->phrase_pairs); /* kept in the cache file */
    snprintf(a->lexicon_summary, sizeof a->lexicon_summary,
             "en:%zu,zh-Hant:%zu,common:%zu,modifiers:%zu,words:%zu,topic_terms:%zu", a->lexicon.n_en,
             a->lexicon.n_zh, a->lexicon.n_common, a->lexicon.n_modifiers, a->lexicon.n_words,
             a->lexicon.n_topic_terms);
ready:;
    /* the taxonomy is built by now either way (the lexicon build needs it for topic tags);
     * a cache file is only written once every file was accepted, so loading one with the
     * same pattern text (its hash: the cache key sees sizes and times, not contents) says the
     * patterns compiled before: they are then compiled on first use, and their literals
     * come from the file */
    uint64_t patterns_hash = voc__patterns_rows_hash(&rows);
    bool validated = a->from_cache && a->patterns_hash == patterns_hash;
    a->patterns_hash = patterns_hash;
    if ((rc = voc__patterns_build(&a->patterns, &a->taxonomy, &rows, validated ? &a->pattern_literals : NULL,
                                  err)) ||
        (!a->from_cache && (rc = voc__flags_build(a, &rows, err))))
        goto fail;
    if (cacheable && !a->from_cache) voc__cache_save(a, key);
    voc__lexrows_free(&rows);
    if ((rc = voc__word_lists_build(a))) {
        voc__fail(err, rc, "analyzer", 0, 0, "cannot file the rules' word lists");
        goto fail;
    }
    a->use_model = !(opts && opts->no_model);
    a->han_segmenter = opts ? opts->han_segmenter : VOC_SEGMENTER_DICT;
    if ((rc = voc__icu_abbreviations(&a->abbreviations, &a->n_abbreviations)) ||
        (rc = voc__abbreviation_index(a))) {
        voc__fail(err, rc, "ICU", 0, 0, "cannot read the sentence-break exceptions");
        goto fail;
    }
    *out = a;
    return VOC_OK;
fail:
    voc__lexrows_free(&rows);
    voc_analyzer_free(a);
    return rc;
}

void voc_analyzer_free(voc_analyzer *a)
{
    if (!a) return;
    for (size_t i = 0; i < a->n_abbreviations; i++) free(a->abbreviations[i]);
    free(a->abbreviations);
    free(a->abbr_prefix);
    free(a->abbr_len);
    voc__cache_unmap(a);
    voc__lexicon_free(&a->lexicon);
    voc__handict_free(&a->handict);
    for (int m = 0; m < VOC_N_MODELS; m++) voc__model_free(&a->models[m]);
    voc__patterns_free(a->patterns);
    voc__flags_free(a->flags);
    free(a);
}

const char *voc_analyzer_lexicon_summary(const voc_analyzer *a)
{
    return a ? a->lexicon_summary : "";
}

/* ---- one document ---------------------------------------------------------------------- */

static size_t orig_start(const voc_session *s, uint32_t nstart) { return s->map_start[nstart]; }
static size_t orig_end(const voc_session *s, uint32_t nend) { return s->map_end[nend - 1]; }

/* The document's language from its words' scripts; *model says which n-gram model reads
 * it (Chinese when at least half the text is Han). */
static const char *detect_lang(const voc_session *s, int *model)
{
    size_t han = 0, latin = 0;
    for (size_t i = 0; i < s->n_toks; i++) {
        const voc_tok *t = &s->toks[i];
        if (t->type != VOC_TOKEN_WORD) continue;
        if (t->flags & VOC_TOKEN_HAN) han += (t->nend - t->nstart) / 3;
        else if (t->nend - t->nstart >= 1) latin++;
    }
    *model = VOC_MODEL_EN;
    if (han == 0 && latin == 0) return "und";
    double zh = (double)han, en = 2.0 * (double)latin; /* a word carries about two Han chars */
    double r = zh / (zh + en);
    if (r >= 0.5) *model = VOC_MODEL_ZH;
    if (r >= 0.2 && r <= 0.8) return "mixed";
    if (r > 0.8) {
        /* written in Simplified: read converted, or as written when OpenCC could not open */
        if (s->n_converted || (s->warnings & VOC_WARN_UNCONVERTED)) return "zh-Hans";
        return "zh-Hant";
    }
    return "en";
}

static int fill_result(voc_session *s, voc_result *r)
{
    if (voc__grow((void **)&s->tokens, &s->cap_tokens, s->n_toks + 1, sizeof *s->tokens) ||
        voc__grow((void **)&s->sentences, &s->cap_sent_pub, s->n_sent + 1, sizeof *s->sentences) ||
        voc__grow((void **)&s->evidence, &s->cap_evidence, s->n_evs + 1, sizeof *s->evidence))
        return VOC_ENOMEM;
    for (size_t i = 0; i < s->n_toks; i++) {
        const voc_tok *t = &s->toks[i];
        voc_token *o = &s->tokens[i];
        o->start = orig_start(s, t->nstart);
        o->end = orig_end(s, t->nend);
        o->type = t->type;
        o->flags = t->flags;
        o->norm = voc__tok_norm(s, t);
        o->norm_len = t->norm_len;
        o->stem = t->stem_len ? s->strings.data + t->stem_off : NULL;
        o->stem_len = t->stem_len;
    }
    for (size_t i = 0; i < s->n_sent; i++) {
        s->sentences[i].start = orig_start(s, (uint32_t)s->nsent[i].start);
        s->sentences[i].end = orig_end(s, (uint32_t)s->nsent[i].end);
    }
    for (size_t i = 0; i < s->n_evs; i++) {
        const voc_ev *e = &s->evs[i];
        voc_evidence *o = &s->evidence[i];
        o->start = s->tokens[e->tok_first].start;
        o->end = s->tokens[e->tok_last].end;
        o->kind = e->kind;
        o->weight = e->weight;
        o->term = e->term;
    }
    r->text = s->text;
    r->text_len = s->text_len;
    r->tokens = s->tokens;
    r->n_tokens = s->n_toks;
    r->sentences = s->sentences;
    r->n_sentences = s->n_sent;
    r->evidence = s->evidence;
    r->n_evidence = s->n_evs;
    r->sentence_scores = s->sent_score;
    r->topics = s->topics;
    r->n_topics = s->n_topics;
    r->emotions = s->emotions;
    r->n_emotions = s->n_emotions;
    r->lang = s->lang;
    r->normalized = s->norm.data ? s->norm.data : "";
    r->normalized_len = s->norm.len;
    return VOC_OK;
}

/* A chat's first and last customer turn, each analyzed alone (before the whole, whose
 * result the session then holds): how the conversation began and how it ended. */
static int trajectory(voc_session *s, const voc_doc *doc, voc_result *r)
{
    const voc_turn *ends[2] = {&doc->turns[0], &doc->turns[doc->n_turns - 1]};
    struct voc_turn_sentiment *out[2] = {&r->first_turn, &r->last_turn};
    for (int k = 0; k < 2; k++) {
        const voc_turn *t = ends[k];
        if (t->start > doc->text_len || t->len > doc->text_len - t->start) return VOC_EINVAL;
        voc_result part;
        memset(&part, 0, sizeof part);
        int rc = run_stages(s, doc->text + t->start, t->len);
        if (!rc) s->lang = detect_lang(s, &s->model);
        s->n_evs = 0;
        if (!rc) rc = voc__score(s, &part);
        if (rc) return rc;
        *out[k] = (struct voc_turn_sentiment){t->index, part.label, part.score};
    }
    r->has_trajectory = 1;
    return VOC_OK;
}

static int analyze(voc_session *s, const voc_doc *doc, bool score, voc_result_fn fn,
                   void *user, voc_error *err)
{
    if (!s || !doc)
        return voc__fail(err, VOC_EINVAL, "voc_analyze", 0, 0, "session or document is NULL");
    if (!doc->text && doc->text_len)
        return voc__fail(err, VOC_EINVAL, "voc_analyze", 0, 0, "text is NULL but text_len > 0");
    voc_result r;
    memset(&r, 0, sizeof r);
    int rc = VOC_OK;
    if (score && doc->turns && doc->n_turns >= 2) rc = trajectory(s, doc, &r);
    if (!rc) rc = run_stages(s, doc->text, doc->text_len);
    s->n_evs = 0;
    s->n_topics = s->n_emotions = 0;
    if (!rc) s->lang = detect_lang(s, &s->model); /* once: the scorer routes by it */
    if (!rc && score) {
        rc = voc__score(s, &r);
        if (!rc) rc = voc__topics(s);
        if (!rc) rc = voc__emotions(s, &r);
        if (!rc) rc = voc__flags(s, &r);
    }
    if (!score) {
        r.label = VOC_NEUTRAL;
        r.probs[VOC_NEUTRAL] = 1;
        r.confidence = 1;
    }
    if (!rc) rc = fill_result(s, &r);
    if (rc) {
        const char *where = doc->id ? doc->id : "voc_analyze";
        return voc__fail(err, rc, where, 0, 0, "%s", voc_strerror(rc));
    }
    if (s->n_toks == 0) s->warnings |= VOC_WARN_EMPTY_TEXT;
    r.warnings = s->warnings | doc->input_warnings;
    if (!fn) return VOC_OK;
    int cb = fn(user, doc, &r);
    if (cb < 0) return cb;
    if (cb > 0) return VOC_ECALLBACK;
    return VOC_OK;
}

int voc_analyze(voc_session *s, const voc_doc *doc, voc_result_fn fn, void *user, voc_error *err)
{
    return analyze(s, doc, true, fn, user, err);
}

int voc_tokenize(voc_session *s, const voc_doc *doc, voc_result_fn fn, void *user, voc_error *err)
{
    return analyze(s, doc, false, fn, user, err);
}
