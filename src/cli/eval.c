/* eval.c — accuracy figures for `vocmine eval` (and tools/eval): per file, per language.
 *
 * For each labeled record: 3-way accuracy and macro-F1 over the classes the gold uses
 * (items with a null label are skipped), binary accuracy on gold positive/negative items
 * (prediction = sign of the score; a zero score counts as wrong), coverage (share of items
 * with any evidence, i.e. a non-zero score), Pearson r against a gold valence when the
 * file has one, and for 3-way golds the expected calibration error of the confidence (ECE:
 * ten equal-width confidence bins, the item-weighted mean |accuracy - mean confidence|).
 * Files with gold retention flags (a "flags" array) get, per language: retention recall
 * (items whose gold has dismay, churn_risk or escalation and that get any of the three),
 * the false-alarm rate (items with none of the three in the gold that get one), per-flag
 * precision and recall, and severity agreement (flags found with the gold's severity). */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LANGS 8

#define CAL_BINS 10

typedef struct bucket {
    char lang[16];
    /* calibration: per confidence decile, items, correct ones and summed confidence (3-way
     * golds only: a 2-way gold cannot judge a neutral prediction's confidence) */
    size_t cal_n[CAL_BINS], cal_correct[CAL_BINS];
    double cal_conf[CAL_BINS];
    size_t confusion[3][3]; /* [gold][pred] */
    size_t n, n_binary, binary_correct, nonzero;
    double sx, sy, sxx, syy, sxy;
    size_t n_score;
} bucket;

/* Precision/recall counts of one topic or emotion id. */
typedef struct id_counts {
    char id[48];
    size_t tp, fp, fn, gold;
} id_counts;

#define MAX_IDS 72

/* Retention-flag counts of one language (corpora/retention/README.md's measures). */
#define N_FLAGS 5
typedef struct flag_bucket {
    char lang[16];
    size_t items, retention, retention_hit, non_retention, false_alarm;
    size_t tp[N_FLAGS], fp[N_FLAGS], fn[N_FLAGS], same_severity[N_FLAGS];
} flag_bucket;

struct eval_stats {
    bucket all;
    bucket langs[MAX_LANGS];
    int n_langs;
    flag_bucket flags[MAX_LANGS + 1]; /* [0] all languages */
    int n_flag_langs;
    id_counts topics[MAX_IDS], emotions[MAX_IDS];
    size_t n_topics, n_emotions, topic_items, emotion_items;
};

/* GoEmotions' 27 labels onto our eight (en_goemotions_train.jsonl); our own ids map to
 * themselves; labels not listed (neutral, curiosity, surprise, realization, desire, pride,
 * relief, caring, embarrassment) are none of ours. */
static const struct { const char *from, *to; } emotion_map[] = {
    {"joy", "delight"}, {"amusement", "delight"}, {"excitement", "delight"}, {"love", "delight"},
    {"admiration", "delight"}, {"gratitude", "gratitude"}, {"approval", "trust"},
    {"optimism", "trust"}, {"disappointment", "dismay"}, {"sadness", "dismay"},
    {"grief", "dismay"}, {"remorse", "dismay"}, {"anger", "anger"}, {"disgust", "anger"},
    {"annoyance", "frustration"}, {"fear", "anxiety"}, {"nervousness", "anxiety"},
    {"confusion", "confusion"}, {"delight", "delight"}, {"trust", "trust"},
    {"dismay", "dismay"}, {"frustration", "frustration"}, {"anxiety", "anxiety"}};

static const char *map_emotion(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof emotion_map / sizeof *emotion_map; i++)
        if (strlen(emotion_map[i].from) == len && !memcmp(emotion_map[i].from, s, len))
            return emotion_map[i].to;
    return NULL;
}

static id_counts *counts_for(id_counts *list, size_t *n, const char *id, size_t len)
{
    for (size_t i = 0; i < *n; i++)
        if (strlen(list[i].id) == len && !memcmp(list[i].id, id, len)) return &list[i];
    if (*n == MAX_IDS || len >= sizeof list[0].id) return NULL;
    id_counts *c = &list[(*n)++];
    memset(c, 0, sizeof *c);
    memcpy(c->id, id, len);
    return c;
}

/* Is id (len bytes) in the comma list? */
static bool in_list(const char *list, const char *id, size_t len)
{
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n == len && !memcmp(p, id, len)) return true;
        p += n + (p[n] == ',');
    }
    return false;
}

/* Count one item's sets.  `map` turns gold labels into our ids (NULL: as they are); gold
 * ids mapping to nothing are dropped. */
static void add_set(id_counts *list, size_t *n, const char *gold, const char *pred,
                    const char *(*map)(const char *, size_t))
{
    char golds[1024];
    size_t used = 0;
    golds[0] = '\0';
    for (const char *p = gold; *p;) {
        size_t len = strcspn(p, ",");
        const char *id = map ? map(p, len) : NULL;
        size_t idlen = id ? strlen(id) : len;
        if (!map) id = p;
        if (id && !in_list(golds, id, idlen) && used + idlen + 2 < sizeof golds) {
            used += (size_t)snprintf(golds + used, sizeof golds - used, "%s%.*s", used ? "," : "",
                                     (int)idlen, id);
        }
        p += len + (p[len] == ',');
    }
    for (const char *p = golds; *p;) {
        size_t len = strcspn(p, ",");
        id_counts *c = counts_for(list, n, p, len);
        if (c) {
            c->gold++;
            if (in_list(pred, p, len)) c->tp++;
            else c->fn++;
        }
        p += len + (p[len] == ',');
    }
    for (const char *p = pred ? pred : ""; *p;) {
        size_t len = strcspn(p, ",");
        if (!in_list(golds, p, len)) {
            id_counts *c = counts_for(list, n, p, len);
            if (c) c->fp++;
        }
        p += len + (p[len] == ',');
    }
}

void eval_add_sets(eval_stats *st, const char *gold_topics, const char *pred_topics,
                   const char *gold_emotions, const char *pred_emotions)
{
    /* topics: only items whose gold names some (a file's gold topics cover only part of
     * its items, e.g. complaint reasons of negative tweets) */
    if (gold_topics && *gold_topics) {
        st->topic_items++;
        add_set(st->topics, &st->n_topics, gold_topics, pred_topics, NULL);
    }
    if (gold_emotions) {
        st->emotion_items++;
        add_set(st->emotions, &st->n_emotions, gold_emotions, pred_emotions, map_emotion);
    }
}

static void prf(const id_counts *c, double *p, double *r, double *f)
{
    *p = c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : 0;
    *r = c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : 0;
    *f = *p + *r > 0 ? 2 * *p * *r / (*p + *r) : 0;
}

/* Per-id and micro figures over the ids the gold uses (predictions of ids the file's gold
 * never uses cannot be judged and are left out). */
static void report_ids(const char *what, const char *name, const id_counts *list, size_t n,
                       size_t items, bool json, FILE *out)
{
    id_counts micro = {"micro", 0, 0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        if (!list[i].gold) continue;
        micro.tp += list[i].tp;
        micro.fp += list[i].fp;
        micro.fn += list[i].fn;
        micro.gold += list[i].gold;
    }
    double p, r, f;
    prf(&micro, &p, &r, &f);
    if (json)
        fprintf(out, "{\"file\":\"%s\",\"%s\":\"micro\",\"items\":%zu,\"precision\":%.4f,\"recall\":%.4f,\"f1\":%.4f}\n",
                name, what, items, p, r, f);
    else
        fprintf(out, "%-36s %-8s %7zu items  micro P %.3f  R %.3f  F1 %.3f\n", name, what, items, p, r, f);
    for (size_t i = 0; i < n; i++) {
        if (!list[i].gold) continue;
        prf(&list[i], &p, &r, &f);
        if (json)
            fprintf(out, "{\"file\":\"%s\",\"%s\":\"%s\",\"gold\":%zu,\"precision\":%.4f,\"recall\":%.4f,\"f1\":%.4f}\n",
                    name, what, list[i].id, list[i].gold, p, r, f);
        else
            fprintf(out, "%-36s   %-18s gold %6zu  P %.3f  R %.3f  F1 %.3f\n", "", list[i].id,
                    list[i].gold, p, r, f);
    }
}

/* ---- retention flags ------------------------------------------------------------------- */

/* The severity of flag id in a list "churn_risk:high,dismay" ("" when listed without one,
 * NULL when not listed). */
static const char *flag_in(const char *list, const char *id, size_t *sev_len)
{
    size_t len = strlen(id);
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        size_t idn = strcspn(p, ",:");
        if (idn > n) idn = n;
        if (idn == len && !memcmp(p, id, len)) {
            *sev_len = idn < n ? n - idn - 1 : 0;
            return idn < n ? p + idn + 1 : p + idn;
        }
        p += n + (p[n] == ',');
    }
    return NULL;
}

static void add_flags_to(flag_bucket *b, const char *gold, const char *pred)
{
    bool gold_ret = false, pred_ret = false;
    b->items++;
    for (int f = 0; f < N_FLAGS; f++) {
        const char *id = voc_flag_name(f);
        size_t gl = 0, pl = 0;
        const char *g = flag_in(gold, id, &gl), *p = flag_in(pred, id, &pl);
        bool retention = f == VOC_FLAG_DISMAY || f == VOC_FLAG_CHURN_RISK || f == VOC_FLAG_ESCALATION;
        if (retention && g) gold_ret = true;
        if (retention && p) pred_ret = true;
        if (g && p) {
            b->tp[f]++;
            if (gl == pl && !memcmp(g, p, gl)) b->same_severity[f]++;
        } else if (g) b->fn[f]++;
        else if (p) b->fp[f]++;
    }
    if (gold_ret) {
        b->retention++;
        b->retention_hit += pred_ret;
    } else {
        b->non_retention++;
        b->false_alarm += pred_ret;
    }
}

void eval_add_flags(eval_stats *st, const char *lang_hint, const char *gold_flags,
                    const char *pred_flags)
{
    if (!gold_flags) return; /* the file has no gold flags */
    const char *lang = lang_hint ? lang_hint : "?";
    if (st->n_flag_langs == 0) {
        snprintf(st->flags[0].lang, sizeof st->flags[0].lang, "all");
        st->n_flag_langs = 1;
    }
    add_flags_to(&st->flags[0], gold_flags, pred_flags ? pred_flags : "");
    int i = 1;
    while (i < st->n_flag_langs && strcmp(st->flags[i].lang, lang)) i++;
    if (i == st->n_flag_langs) {
        if (i == MAX_LANGS + 1) return;
        snprintf(st->flags[i].lang, sizeof st->flags[i].lang, "%s", lang);
        st->n_flag_langs++;
    }
    add_flags_to(&st->flags[i], gold_flags, pred_flags ? pred_flags : "");
}

static double ratio(size_t a, size_t b) { return b ? (double)a / (double)b : 0; }

static void report_flags(const flag_bucket *b, const char *name, bool json, FILE *out)
{
    size_t tp = 0, same = 0;
    for (int f = 0; f < N_FLAGS; f++) { tp += b->tp[f]; same += b->same_severity[f]; }
    const int d = VOC_FLAG_DELIGHT;
    double dp = ratio(b->tp[d], b->tp[d] + b->fp[d]), dr = ratio(b->tp[d], b->tp[d] + b->fn[d]);
    if (json)
        fprintf(out, "{\"file\":\"%s\",\"lang\":\"%s\",\"flags_items\":%zu,\"retention_n\":%zu,"
                     "\"retention_recall\":%.4f,\"non_retention_n\":%zu,\"false_alarm_rate\":%.4f,"
                     "\"delight_precision\":%.4f,\"delight_recall\":%.4f,\"severity_agreement\":%.4f}\n",
                name, b->lang, b->items, b->retention, ratio(b->retention_hit, b->retention),
                b->non_retention, ratio(b->false_alarm, b->non_retention), dp, dr, ratio(same, tp));
    else
        fprintf(out, "%-36s %-8s %7zu flags  retention recall %.3f (%zu/%zu)  false alarms %.3f (%zu/%zu)  "
                     "delight P %.3f R %.3f  severity agreement %.3f (%zu/%zu)\n",
                name, b->lang, b->items, ratio(b->retention_hit, b->retention), b->retention_hit,
                b->retention, ratio(b->false_alarm, b->non_retention), b->false_alarm, b->non_retention,
                dp, dr, ratio(same, tp), same, tp);
    for (int f = 0; f < N_FLAGS; f++) {
        size_t gold = b->tp[f] + b->fn[f], pred = b->tp[f] + b->fp[f];
        id_counts c = {"", b->tp[f], b->fp[f], b->fn[f], gold};
        double p, r, f1;
        prf(&c, &p, &r, &f1);
        if (json)
            fprintf(out, "{\"file\":\"%s\",\"lang\":\"%s\",\"flag\":\"%s\",\"gold\":%zu,\"predicted\":%zu,"
                         "\"precision\":%.4f,\"recall\":%.4f,\"f1\":%.4f,\"severity_agreement\":%.4f}\n",
                    name, b->lang, voc_flag_name(f), gold, pred, p, r, f1, ratio(b->same_severity[f], b->tp[f]));
        else
            fprintf(out, "%-36s   %-18s gold %6zu  pred %4zu  P %.3f  R %.3f  F1 %.3f  severity %.3f\n", "",
                    voc_flag_name(f), gold, pred, p, r, f1, ratio(b->same_severity[f], b->tp[f]));
    }
}

eval_stats *eval_new(void) { return calloc(1, sizeof(eval_stats)); }
void eval_free(eval_stats *st) { free(st); }

int cli_label_index(const char *s)
{
    if (!s) return -1;
    if (!strcmp(s, "negative")) return VOC_NEGATIVE;
    if (!strcmp(s, "neutral")) return VOC_NEUTRAL;
    if (!strcmp(s, "positive")) return VOC_POSITIVE;
    return -1;
}

static void add(bucket *b, int gold, double gold_score, bool has_score, int pred, double score,
                double confidence)
{
    if (gold >= 0) { /* whether the gold is 3-way is known at the end: compute() decides */
        int bin = (int)(confidence * CAL_BINS);
        if (bin >= CAL_BINS) bin = CAL_BINS - 1;
        if (bin < 0) bin = 0;
        b->cal_n[bin]++;
        b->cal_correct[bin] += gold == pred;
        b->cal_conf[bin] += confidence;
    }
    if (has_score) {
        b->n_score++;
        b->sx += score; b->sy += gold_score;
        b->sxx += score * score; b->syy += gold_score * gold_score;
        b->sxy += score * gold_score;
    }
    if (gold < 0) return;
    b->n++;
    b->confusion[gold][pred]++;
    if (score != 0) b->nonzero++;
    if (gold != VOC_NEUTRAL) {
        b->n_binary++;
        if ((gold == VOC_POSITIVE && score > 0) || (gold == VOC_NEGATIVE && score < 0))
            b->binary_correct++;
    }
}

void eval_add(eval_stats *st, const char *lang_hint, const char *gold_label, double gold_score,
              bool has_gold_score, int pred_label, double pred_score, double confidence)
{
    int gold = cli_label_index(gold_label);
    add(&st->all, gold, gold_score, has_gold_score, pred_label, pred_score, confidence);
    const char *lang = lang_hint ? lang_hint : "?";
    int i = 0;
    while (i < st->n_langs && strcmp(st->langs[i].lang, lang)) i++;
    if (i == st->n_langs) {
        if (st->n_langs == MAX_LANGS) return;
        snprintf(st->langs[i].lang, sizeof st->langs[i].lang, "%s", lang);
        st->n_langs++;
    }
    add(&st->langs[i], gold, gold_score, has_gold_score, pred_label, pred_score, confidence);
}

typedef struct figures {
    double acc, macro_f1, binary_acc, coverage, pearson, ece;
    bool has_binary, has_pearson, has_ece;
    int n_classes;
} figures;

static figures compute(const bucket *b)
{
    figures f = {0};
    size_t correct = 0;
    double f1_sum = 0;
    for (int c = 0; c < 3; c++) {
        correct += b->confusion[c][c];
        size_t gold_c = 0, pred_c = 0;
        for (int k = 0; k < 3; k++) { gold_c += b->confusion[c][k]; pred_c += b->confusion[k][c]; }
        if (gold_c == 0) continue; /* classes the gold does not use */
        f.n_classes++;
        double p = pred_c ? (double)b->confusion[c][c] / (double)pred_c : 0;
        double r = (double)b->confusion[c][c] / (double)gold_c;
        f1_sum += p + r > 0 ? 2 * p * r / (p + r) : 0;
    }
    f.acc = b->n ? (double)correct / (double)b->n : 0;
    f.macro_f1 = f.n_classes ? f1_sum / f.n_classes : 0;
    f.has_binary = b->n_binary > 0;
    f.binary_acc = b->n_binary ? (double)b->binary_correct / (double)b->n_binary : 0;
    f.coverage = b->n ? (double)b->nonzero / (double)b->n : 0;
    size_t cal_total = 0;
    double ece = 0;
    for (int k = 0; k < CAL_BINS; k++) {
        cal_total += b->cal_n[k];
        if (b->cal_n[k])
            ece += fabs((double)b->cal_correct[k] - b->cal_conf[k]); /* n * |acc - conf| */
    }
    if (cal_total && f.n_classes == 3) {
        f.ece = ece / (double)cal_total;
        f.has_ece = true;
    }
    if (b->n_score > 1) {
        double n = (double)b->n_score;
        double cov = b->sxy - b->sx * b->sy / n;
        double vx = b->sxx - b->sx * b->sx / n, vy = b->syy - b->sy * b->sy / n;
        if (vx > 0 && vy > 0) {
            f.pearson = cov / sqrt(vx * vy);
            f.has_pearson = true;
        }
    }
    return f;
}

static void report_bucket(const bucket *b, const char *name, const char *lang, bool json, FILE *out)
{
    if (b->n == 0 && b->n_score == 0) return; /* no sentiment gold (a file of flags only) */
    figures f = compute(b);
    if (json) {
        fprintf(out, "{\"file\":\"%s\",\"lang\":\"%s\",\"n\":%zu,\"classes\":%d,\"accuracy\":%.4f,"
                     "\"macro_f1\":%.4f,\"binary_n\":%zu,\"binary_accuracy\":",
                name, lang, b->n, f.n_classes, f.acc, f.macro_f1, b->n_binary);
        if (f.has_binary) fprintf(out, "%.4f", f.binary_acc); else fputs("null", out);
        fprintf(out, ",\"coverage\":%.4f,\"pearson_r\":", f.coverage);
        if (f.has_pearson) fprintf(out, "%.4f", f.pearson); else fputs("null", out);
        fputs(",\"ece\":", out);
        if (f.has_ece) fprintf(out, "%.4f", f.ece); else fputs("null", out);
        fprintf(out, ",\"confusion\":[[%zu,%zu,%zu],[%zu,%zu,%zu],[%zu,%zu,%zu]]}\n",
                b->confusion[0][0], b->confusion[0][1], b->confusion[0][2], b->confusion[1][0],
                b->confusion[1][1], b->confusion[1][2], b->confusion[2][0], b->confusion[2][1],
                b->confusion[2][2]);
        return;
    }
    char pr[16] = "-", ba[16] = "-", ec[16] = "-";
    if (f.has_pearson) snprintf(pr, sizeof pr, "%.3f", f.pearson);
    if (f.has_binary) snprintf(ba, sizeof ba, "%.3f", f.binary_acc);
    if (f.has_ece) snprintf(ec, sizeof ec, "%.3f", f.ece);
    fprintf(out, "%-36s %-8s %7zu %3d-way acc %.3f  macro-F1 %.3f  binary acc %s  coverage %.3f  pearson r %s  ECE %s\n",
            name, lang, b->n, f.n_classes, f.acc, f.macro_f1, ba, f.coverage, pr, ec);
}

void eval_report(eval_stats *st, const char *name, bool json, FILE *out)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    report_bucket(&st->all, base, "all", json, out);
    if (st->n_langs > 1)
        for (int i = 0; i < st->n_langs; i++)
            report_bucket(&st->langs[i], base, st->langs[i].lang, json, out);
    if (st->topic_items) report_ids("topics", base, st->topics, st->n_topics, st->topic_items, json, out);
    if (st->emotion_items)
        report_ids("emotions", base, st->emotions, st->n_emotions, st->emotion_items, json, out);
    for (int i = st->n_flag_langs > 2 ? 0 : 1; i < st->n_flag_langs; i++) /* "all" only when mixed */
        report_flags(&st->flags[i], base, json, out);
}
