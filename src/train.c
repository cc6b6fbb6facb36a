/* train.c — learning the n-gram model of model.c from labeled documents (`vocmine train`).
 *
 * Each document is analyzed with lexicon and rules only, and its features are the ones
 * model.c computes at run time (the same function), so training and scoring cannot drift.
 * Features are kept in a dictionary keyed by the 64-bit hash of their name; a document is
 * a list of feature ids plus its dense features.
 *
 * Learning: multinomial logistic regression, one model per language, AdaGrad over shuffled
 * documents (xorshift seeded by the options, so a run is reproducible), L2 penalty on every
 * update, only features seen in at least min_docs documents.  Documents of a source that
 * never labels anything neutral are fitted over the two polar classes only (softmax_of).  Every source file can weigh
 * the same in total (balance_sources), so the 38,000 Reddit comments of one file do not
 * drown the 4,000 tweets of another: the model is meant for domains it has not seen.
 * A held-out share (by a hash of the document id) fits the softmax temperature that
 * minimizes its log loss; that is what makes the confidence calibrated.
 *
 * Output: the strongest max_features features by the spread of their centered weights,
 * written sorted by name as ngrams.tsv (see lexicons/README.md). */
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct example {
    size_t first;            /* its feature ids: feat_ids[first .. first + n) */
    uint32_t n;
    float dense[VOC_N_DENSE];
    uint8_t label, model, holdout;
    uint16_t source;
} example;

struct voc_trainer {
    const voc_analyzer *analyzer;
    voc_train_options o;
    /* the feature dictionary */
    uint64_t *keys;          /* hash per slot, 0 empty */
    uint32_t *slot_feat;     /* feature id per slot */
    size_t n_slots;
    uint32_t *name_off, *name_len, *docs;
    size_t n_feats, cap_feats, cap_name_off, cap_name_len, cap_docs;
    voc_buf names;
    /* the documents */
    uint32_t *feat_ids;
    float *feat_vals;        /* each feature's value (model.c) */
    size_t n_ids, cap_ids, cap_vals;
    example *ex;
    size_t n_ex, cap_ex;
    /* the learned models */
    float *w[VOC_N_MODELS];  /* 3 per feature */
    float dense_w[VOC_N_MODELS][VOC_N_DENSE][3];
    float temperature[VOC_N_MODELS];
    size_t n_docs[VOC_N_MODELS], n_holdout[VOC_N_MODELS];
    double holdout_acc[VOC_N_MODELS];
    bool fitted;
};

void voc_train_options_default(voc_train_options *o)
{
    o->seed = 1;
    o->epochs = 4;
    o->learning_rate = 0.1;
    o->l2 = 1e-4;
    o->min_docs = 3;
    o->max_features = 30000;
    o->holdout = 0.1;
    o->balance_sources = 2;
    o->rules_weight = 0.25;
}

int voc_trainer_new(const voc_analyzer *a, const voc_train_options *opts, voc_trainer **out,
                    voc_error *err)
{
    if (!a || !out) return voc__fail(err, VOC_EINVAL, "voc_trainer_new", 0, 0, "NULL argument");
    voc_trainer *t = calloc(1, sizeof *t);
    if (!t) return voc__fail(err, VOC_ENOMEM, "voc_trainer_new", 0, 0, "out of memory");
    t->analyzer = a;
    if (opts) t->o = *opts;
    else voc_train_options_default(&t->o);
    if (t->o.epochs < 1 || t->o.learning_rate <= 0 || t->o.l2 < 0 || t->o.holdout < 0 ||
        t->o.holdout >= 1) {
        free(t);
        return voc__fail(err, VOC_EINVAL, "voc_trainer_new", 0, 0, "bad training options");
    }
    *out = t;
    return VOC_OK;
}

void voc_trainer_free(voc_trainer *t)
{
    if (!t) return;
    free(t->keys);
    free(t->slot_feat);
    free(t->name_off);
    free(t->name_len);
    free(t->docs);
    voc__buf_free(&t->names);
    free(t->feat_ids);
    free(t->feat_vals);
    free(t->ex);
    for (int m = 0; m < VOC_N_MODELS; m++) free(t->w[m]);
    free(t);
}

/* ---- the feature dictionary --------------------------------------------------------------- */

static int grow_table(voc_trainer *t)
{
    size_t n = t->n_slots ? t->n_slots * 2 : 1u << 16;
    uint64_t *keys = calloc(n, sizeof *keys);
    uint32_t *feat = calloc(n, sizeof *feat);
    if (!keys || !feat) {
        free(keys);
        free(feat);
        return VOC_ENOMEM;
    }
    for (size_t i = 0; i < t->n_slots; i++) {
        if (!t->keys[i]) continue;
        size_t k = (size_t)(t->keys[i] >> 7) & (n - 1);
        while (keys[k]) k = (k + 1) & (n - 1);
        keys[k] = t->keys[i];
        feat[k] = t->slot_feat[i];
    }
    free(t->keys);
    free(t->slot_feat);
    t->keys = keys;
    t->slot_feat = feat;
    t->n_slots = n;
    return VOC_OK;
}

/* The id of feature (hash, name), added when new. */
static int feature_id(voc_trainer *t, uint64_t hash, const char *name, size_t len, uint32_t *id)
{
    if (2 * (t->n_feats + 1) > t->n_slots && grow_table(t)) return VOC_ENOMEM;
    size_t mask = t->n_slots - 1, k = (size_t)(hash >> 7) & mask;
    while (t->keys[k] && t->keys[k] != hash) k = (k + 1) & mask;
    if (t->keys[k]) {
        *id = t->slot_feat[k];
        return VOC_OK;
    }
    if (t->n_feats >= UINT32_MAX - 1 ||
        voc__grow((void **)&t->name_off, &t->cap_name_off, t->n_feats + 1, sizeof *t->name_off) ||
        voc__grow((void **)&t->name_len, &t->cap_name_len, t->n_feats + 1, sizeof *t->name_len) ||
        voc__grow((void **)&t->docs, &t->cap_docs, t->n_feats + 1, sizeof *t->docs))
        return VOC_ENOMEM;
    t->name_off[t->n_feats] = (uint32_t)t->names.len;
    t->name_len[t->n_feats] = (uint32_t)len;
    t->docs[t->n_feats] = 0;
    voc__buf_append(&t->names, name, len);
    if (t->names.failed || t->names.len > UINT32_MAX) return VOC_ENOMEM;
    t->keys[k] = hash;
    t->slot_feat[k] = (uint32_t)t->n_feats;
    *id = (uint32_t)t->n_feats++;
    return VOC_OK;
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ULL;
    x ^= x >> 33;
    return x;
}

int voc_trainer_add(voc_trainer *t, voc_session *s, const voc_doc *doc, int label, int source,
                    voc_error *err)
{
    if (!t || !s || !doc || label < 0 || label > 2 || source < 0 || source > UINT16_MAX)
        return voc__fail(err, VOC_EINVAL, "voc_trainer_add", 0, 0, "bad argument");
    if (t->fitted) return voc__fail(err, VOC_EINVAL, "voc_trainer_add", 0, 0, "already fitted");
    int rc = voc_analyze(s, doc, NULL, NULL, err);
    if (rc) return rc;
    double dense[VOC_N_DENSE];
    if ((rc = voc__model_features(s, dense)))
        return voc__fail(err, rc, doc->id ? doc->id : "voc_trainer_add", 0, 0, "%s", voc_strerror(rc));
    if (voc__grow((void **)&t->ex, &t->cap_ex, t->n_ex + 1, sizeof *t->ex) ||
        voc__grow((void **)&t->feat_ids, &t->cap_ids, t->n_ids + s->n_feats, sizeof *t->feat_ids) ||
        voc__grow((void **)&t->feat_vals, &t->cap_vals, t->n_ids + s->n_feats, sizeof *t->feat_vals))
        return voc__fail(err, VOC_ENOMEM, "voc_trainer_add", 0, 0, "out of memory");
    example *e = &t->ex[t->n_ex];
    e->first = t->n_ids;
    e->n = 0;
    for (size_t i = 0; i < s->n_feats; i++) {
        const voc_feat *f = &s->feats[i];
        uint32_t id;
        if (feature_id(t, f->hash, s->featnames.data + f->name_off, f->name_len, &id))
            return voc__fail(err, VOC_ENOMEM, "voc_trainer_add", 0, 0, "out of memory");
        t->docs[id]++;
        t->feat_vals[t->n_ids] = f->value;
        t->feat_ids[t->n_ids++] = id;
        e->n++;
    }
    for (int d = 0; d < VOC_N_DENSE; d++) e->dense[d] = (float)dense[d];
    e->label = (uint8_t)label;
    e->model = (uint8_t)s->model;
    e->source = (uint16_t)source;
    uint64_t h = doc->id ? voc__hash(doc->id, strlen(doc->id)) : voc__hash(doc->text, doc->text_len);
    e->holdout = (double)(mix64(h ^ mix64(t->o.seed)) % 100000) < t->o.holdout * 100000;
    t->n_ex++;
    return VOC_OK;
}

/* ---- learning ------------------------------------------------------------------------------ */

static void logf_(voc_sink log_fn, void *user, const char *fmt, ...)
{
    if (!log_fn) return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > 0) log_fn(user, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* The rules' prior added after the temperature (model.c): from the rule score (@lex).  It is
 * a prior for other domains, so the weights are learned without it (trained through, the
 * n-grams would learn to undo it on the dev data, and leaving one dev file out showed the
 * cross-domain gain gone); the temperature is fitted with it, so the confidence stays
 * calibrated as the model is used. */
static void add_rules(const voc_trainer *t, const example *e, double z[3])
{
    if (t->o.rules_weight <= 0) return;
    double rz[3];
    voc__rule_logits(e->dense[VOC_DENSE_LEX], rz);
    for (int c = 0; c < 3; c++) z[c] += t->o.rules_weight * rz[c];
}

/* Logits of example e under model m's weights (before the temperature). */
static void logits(const voc_trainer *t, int m, const float *w, const example *e, double out[3])
{
    double scale = e->n ? 1.0 / sqrt((double)e->n) : 0;
    for (int c = 0; c < 3; c++) {
        double z = 0;
        for (int d = 0; d < VOC_N_DENSE; d++) z += t->dense_w[m][d][c] * e->dense[d];
        out[c] = z;
    }
    for (uint32_t k = 0; k < e->n; k++) {
        uint32_t f = t->feat_ids[e->first + k];
        if (t->docs[f] < t->o.min_docs) continue;
        double v = t->feat_vals[e->first + k] * scale;
        for (int c = 0; c < 3; c++) out[c] += w[3 * (size_t)f + c] * v;
    }
}

static void softmax(const double z[3], double temp, double p[3])
{
    double mx = z[0] > z[1] ? z[0] : z[1];
    if (z[2] > mx) mx = z[2];
    double sum = 0;
    for (int c = 0; c < 3; c++) sum += p[c] = exp((z[c] - mx) / temp);
    for (int c = 0; c < 3; c++) p[c] /= sum;
}

/* A source that never labels anything neutral (positive/negative reviews) says which of
 * the two polar classes a document is, not that it is not neutral: its documents are fitted
 * by a softmax over negative and positive only, the neutral class getting no gradient. */
static void softmax_of(const double z[3], double temp, bool binary, double p[3])
{
    if (!binary) {
        softmax(z, temp, p);
        return;
    }
    double zn = z[VOC_NEGATIVE] / temp, zp = z[VOC_POSITIVE] / temp;
    double mx = zn > zp ? zn : zp, en = exp(zn - mx), ep = exp(zp - mx);
    p[VOC_NEGATIVE] = en / (en + ep);
    p[VOC_POSITIVE] = ep / (en + ep);
    p[VOC_NEUTRAL] = 0;
}

static uint64_t xorshift(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* Whether source src labels anything neutral in a model's training documents (per_source:
 * documents per (source, class)). */
static bool has_neutral(const size_t *per_source, unsigned src)
{
    return per_source[3 * (size_t)src + VOC_NEUTRAL] > 0;
}

static int fit_model(voc_trainer *t, int m, voc_sink log_fn, void *log_user)
{
    size_t n_train = 0, n_hold = 0, n_files = 0, n_cells = 0; /* cells: (file, class) pairs */
    /* documents per (source, class): the balancing weights */
    size_t *per_source = calloc(3 * ((size_t)UINT16_MAX + 1), sizeof *per_source);
    if (!per_source) return VOC_ENOMEM;
    for (size_t i = 0; i < t->n_ex; i++) {
        const example *e = &t->ex[i];
        if (e->model != m) continue;
        if (e->holdout) { n_hold++; continue; }
        size_t base = 3 * (size_t)e->source;
        if (per_source[base] + per_source[base + 1] + per_source[base + 2] == 0) n_files++;
        if (per_source[3 * (size_t)e->source + e->label]++ == 0) n_cells++;
        n_train++;
    }
    t->n_docs[m] = n_train + n_hold;
    t->n_holdout[m] = n_hold;
    t->temperature[m] = 1.0f;
    if (n_train == 0) {
        free(per_source);
        return VOC_OK;
    }
    size_t *order = malloc(sizeof *order * n_train);
    float *w = calloc(3 * (t->n_feats ? t->n_feats : 1), sizeof *w);
    float *g2 = calloc(3 * (t->n_feats ? t->n_feats : 1), sizeof *g2);
    if (!order || !w || !g2) {
        free(order); free(w); free(g2); free(per_source);
        return VOC_ENOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < t->n_ex; i++)
        if (t->ex[i].model == m && !t->ex[i].holdout) order[k++] = i;
    float dg2[VOC_N_DENSE][3];
    memset(dg2, 0, sizeof dg2);
    memset(t->dense_w[m], 0, sizeof t->dense_w[m]);
    uint64_t rng = mix64(t->o.seed * 0x9E3779B97F4A7C15ULL + (uint64_t)m + 1) | 1;
    const double lr = t->o.learning_rate, l2 = t->o.l2, eps = 1e-8;
    for (int epoch = 0; epoch < t->o.epochs; epoch++) {
        for (size_t i = n_train - 1; i > 0; i--) { /* Fisher-Yates */
            size_t j = (size_t)(xorshift(&rng) % (i + 1));
            size_t tmp = order[i]; order[i] = order[j]; order[j] = tmp;
        }
        double loss = 0, wsum = 0;
        size_t correct = 0;
        for (size_t i = 0; i < n_train; i++) {
            const example *e = &t->ex[order[i]];
            double sw = 1.0;
            size_t cell = 3 * (size_t)e->source + e->label;
            if (t->o.balance_sources >= 2) /* every (file, class) the same */
                sw = (double)n_train / (double)n_cells / (double)per_source[cell];
            if (t->o.balance_sources == 3) sw = sqrt(sw); /* halfway to no balancing */
            else if (t->o.balance_sources == 1) /* every file the same */
                sw = (double)n_train / (double)n_files /
                     (double)(per_source[cell - e->label] + per_source[cell - e->label + 1] +
                              per_source[cell - e->label + 2]);
            double z[3], p[3];
            logits(t, m, w, e, z); /* the rules' prior is not trained through: see add_rules */
            bool binary = !has_neutral(per_source, e->source);
            softmax_of(z, 1.0, binary, p);
            int best = 0;
            for (int c = 1; c < 3; c++) if (p[c] > p[best]) best = c;
            correct += best == e->label;
            loss -= sw * log(p[e->label] > 1e-12 ? p[e->label] : 1e-12);
            wsum += sw;
            double g[3];
            for (int c = 0; c < 3; c++) g[c] = (p[c] - (c == e->label)) * sw;
            for (int d = 0; d < VOC_N_DENSE; d++) {
                if (e->dense[d] == 0) continue;
                for (int c = 0; c < 3; c++) {
                    double grad = g[c] * e->dense[d];
                    dg2[d][c] += (float)(grad * grad);
                    t->dense_w[m][d][c] -= (float)(lr * grad / (sqrt(dg2[d][c]) + eps));
                }
            }
            double scale = e->n ? 1.0 / sqrt((double)e->n) : 0;
            for (uint32_t q = 0; q < e->n; q++) {
                uint32_t f = t->feat_ids[e->first + q];
                if (t->docs[f] < t->o.min_docs) continue;
                double v = t->feat_vals[e->first + q] * scale;
                for (int c = 0; c < 3; c++) {
                    float *wf = &w[3 * (size_t)f + c];
                    double grad = g[c] * v + l2 * *wf;
                    g2[3 * (size_t)f + c] += (float)(grad * grad);
                    *wf -= (float)(lr * grad / (sqrt(g2[3 * (size_t)f + c]) + eps));
                }
            }
        }
        logf_(log_fn, log_user, "  %s epoch %d: training loss %.4f, accuracy %.4f\n",
              m == VOC_MODEL_EN ? "en" : "zh-Hant", epoch + 1, loss / wsum,
              (double)correct / (double)n_train);
    }
    /* the temperature that minimizes the held-out log loss, over the documents whose source
     * labels all three classes when there are such (the confidence of a 3-way decision is what
     * a temperature calibrates; 2-class documents only say which polar class is likelier) */
    if (n_hold > 0) {
        bool three_way = false;
        size_t n_cal = 0;
        for (size_t i = 0; i < t->n_ex && !three_way; i++)
            three_way = t->ex[i].model == m && t->ex[i].holdout && has_neutral(per_source, t->ex[i].source);
        double best_t = 1.0, best_nll = INFINITY;
        for (double temp = 0.4; temp <= 3.001; temp += 0.05) {
            double nll = 0;
            n_cal = 0;
            for (size_t i = 0; i < t->n_ex; i++) {
                const example *e = &t->ex[i];
                if (e->model != m || !e->holdout || (three_way && !has_neutral(per_source, e->source))) continue;
                n_cal++;
                double z[3], p[3];
                logits(t, m, w, e, z);
                for (int c = 0; c < 3; c++) z[c] /= temp; /* the prior after the temperature */
                add_rules(t, e, z);
                softmax_of(z, 1.0, !has_neutral(per_source, e->source), p);
                nll -= log(p[e->label] > 1e-12 ? p[e->label] : 1e-12);
            }
            if (nll < best_nll) { best_nll = nll; best_t = temp; }
        }
        t->temperature[m] = (float)best_t;
        size_t correct = 0;
        for (size_t i = 0; i < t->n_ex; i++) {
            const example *e = &t->ex[i];
            if (e->model != m || !e->holdout) continue;
            double z[3];
            logits(t, m, w, e, z);
            for (int c = 0; c < 3; c++) z[c] /= t->temperature[m];
            add_rules(t, e, z);
            int best = 0;
            for (int c = 1; c < 3; c++) if (z[c] > z[best]) best = c;
            correct += best == e->label;
        }
        t->holdout_acc[m] = (double)correct / (double)n_hold;
        logf_(log_fn, log_user, "  %s held out: %zu documents, accuracy %.4f; temperature %.2f (log loss %.4f on the %zu %s)\n",
              m == VOC_MODEL_EN ? "en" : "zh-Hant", n_hold, t->holdout_acc[m], best_t,
              best_nll / (double)(n_cal ? n_cal : 1), n_cal, three_way ? "3-way ones" : "documents");
    }
    free(t->w[m]);
    t->w[m] = w;
    free(g2);
    free(order);
    free(per_source);
    return VOC_OK;
}

int voc_trainer_fit(voc_trainer *t, voc_sink log_fn, void *log_user, voc_error *err)
{
    if (!t) return voc__fail(err, VOC_EINVAL, "voc_trainer_fit", 0, 0, "NULL trainer");
    logf_(log_fn, log_user, "training on %zu documents, %zu distinct features\n", t->n_ex, t->n_feats);
    for (int m = 0; m < VOC_N_MODELS; m++) {
        int rc = fit_model(t, m, log_fn, log_user);
        if (rc) return voc__fail(err, rc, "voc_trainer_fit", 0, 0, "%s", voc_strerror(rc));
    }
    t->fitted = true;
    return VOC_OK;
}

/* ---- writing ngrams.tsv ------------------------------------------------------------------- */

typedef struct ranked {
    uint32_t feat;
    float spread;
    const char *name;        /* the feature's name, for the final order */
    uint32_t name_len;
} ranked;

static int cmp_spread(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->spread != y->spread) return x->spread > y->spread ? -1 : 1;
    return x->feat < y->feat ? -1 : x->feat > y->feat;
}

static int cmp_name(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    int c = memcmp(x->name, y->name, x->name_len < y->name_len ? x->name_len : y->name_len);
    return c ? c : (x->name_len < y->name_len ? -1 : x->name_len > y->name_len);
}

/* Weights centered over the classes (softmax does not change), rounded as written. */
static void centered(const float *w, double out[3])
{
    double mean = (w[0] + w[1] + w[2]) / 3.0;
    for (int c = 0; c < 3; c++) out[c] = round((w[c] - mean) * 10000.0) / 10000.0 + 0.0;
}

static int write_model(const voc_trainer *t, int m, const char *dir, const char *comment,
                       voc_error *err)
{
    const char *lang = m == VOC_MODEL_EN ? "en" : "zh-Hant";
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, lang);
    if (mkdir(path, 0755) && errno != EEXIST)
        return voc__fail(err, VOC_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
    snprintf(path, sizeof path, "%s/%s/ngrams.tsv", dir, lang);
    ranked *r = malloc(sizeof *r * (t->n_feats ? t->n_feats : 1));
    if (!r) return voc__fail(err, VOC_ENOMEM, path, 0, 0, "out of memory");
    size_t n = 0, eligible = 0;
    for (uint32_t f = 0; f < t->n_feats; f++) {
        if (t->docs[f] < t->o.min_docs) continue;
        double c[3];
        centered(t->w[m] + 3 * (size_t)f, c);
        double spread = fmax(fabs(c[0]), fmax(fabs(c[1]), fabs(c[2])));
        if (spread < 0.0005) continue;
        eligible++;
        r[n++] = (ranked){f, (float)spread, t->names.data + t->name_off[f], t->name_len[f]};
    }
    qsort(r, n, sizeof *r, cmp_spread);
    if (n > t->o.max_features) n = t->o.max_features;
    qsort(r, n, sizeof *r, cmp_name);
    char tmp[4160];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *out = fopen(tmp, "w");
    if (!out) {
        free(r);
        return voc__fail(err, VOC_EIO, tmp, 0, 0, "cannot create: %s", strerror(errno));
    }
    fprintf(out, "# ngrams.tsv (%s) — n-gram model weights learned by `vocmine train` (src/train.c);\n"
                 "# format in lexicons/README.md.  Rows: feature, then its weight for the negative,\n"
                 "# neutral and positive class.\n", lang);
    for (const char *c = comment; c && *c;) {
        size_t len = strcspn(c, "\n");
        fprintf(out, "# %.*s\n", (int)len, c);
        c += len + (c[len] == '\n');
    }
    fprintf(out, "# %zu documents (%zu held out for calibration: accuracy %.4f); %zu of %zu learned\n"
                 "# features kept; seed %u, %d epochs, learning rate %g, L2 %g, min docs %u, balance %s,\n"
                 "# rules weight %g\n",
            t->n_docs[m], t->n_holdout[m], t->holdout_acc[m], n, eligible, t->o.seed, t->o.epochs,
            t->o.learning_rate, t->o.l2, t->o.min_docs,
            t->o.balance_sources == 0 ? "none" : t->o.balance_sources == 1 ? "files"
            : t->o.balance_sources == 2 ? "classes" : "sqrt", t->o.rules_weight);
    fprintf(out, "feature\tnegative\tneutral\tpositive\n");
    /* dense rows ('@' sorts before the letters of the sparse prefixes) */
    const char *order[VOC_N_DENSE + 2];
    for (int d = 0; d < VOC_N_DENSE; d++) order[d] = voc__dense_names[d];
    order[VOC_N_DENSE] = "@temperature";
    order[VOC_N_DENSE + 1] = "@rules";
    for (int a = 1; a <= VOC_N_DENSE + 1; a++) /* byte order */
        for (int b = a; b > 0 && strcmp(order[b], order[b - 1]) < 0; b--) {
            const char *x = order[b]; order[b] = order[b - 1]; order[b - 1] = x;
        }
    for (int k = 0; k <= VOC_N_DENSE + 1; k++) {
        if (!strcmp(order[k], "@rules")) {
            fprintf(out, "@rules\t%.2f\t%.2f\t%.2f\n", t->o.rules_weight, t->o.rules_weight,
                    t->o.rules_weight);
            continue;
        }
        if (!strcmp(order[k], "@temperature")) {
            fprintf(out, "@temperature\t%.2f\t%.2f\t%.2f\n", t->temperature[m], t->temperature[m],
                    t->temperature[m]);
            continue;
        }
        int d = 0;
        while (strcmp(voc__dense_names[d], order[k])) d++;
        double c[3];
        centered(t->dense_w[m][d], c);
        fprintf(out, "%s\t%.4f\t%.4f\t%.4f\n", order[k], c[0], c[1], c[2]);
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t f = r[i].feat;
        double c[3];
        centered(t->w[m] + 3 * (size_t)f, c);
        fprintf(out, "%.*s\t%.4f\t%.4f\t%.4f\n", (int)t->name_len[f], t->names.data + t->name_off[f],
                c[0], c[1], c[2]);
    }
    free(r);
    if (fclose(out) != 0 || rename(tmp, path) != 0) {
        remove(tmp);
        return voc__fail(err, VOC_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    }
    return VOC_OK;
}

int voc_trainer_write(const voc_trainer *t, const char *dir, const char *comment, voc_error *err)
{
    if (!t || !dir) return voc__fail(err, VOC_EINVAL, "voc_trainer_write", 0, 0, "NULL argument");
    if (!t->fitted) return voc__fail(err, VOC_EINVAL, "voc_trainer_write", 0, 0, "not fitted");
    if (mkdir(dir, 0755) && errno != EEXIST)
        return voc__fail(err, VOC_EIO, dir, 0, 0, "cannot create: %s", strerror(errno));
    for (int m = 0; m < VOC_N_MODELS; m++) {
        if (!t->w[m]) continue;
        int rc = write_model(t, m, dir, comment, err);
        if (rc) return rc;
    }
    return VOC_OK;
}
