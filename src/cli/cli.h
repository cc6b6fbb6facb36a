/* cli.h — shared declarations of the vocmine command-line tool.
 *
 * The CLI uses only the public header, like any other program embedding libvocmine.
 * main.c parses options and dispatches; pipeline.c reads input lines and runs them through
 * sessions on -j threads in input order; eval.c and summary.c are the measuring and
 * reporting commands. */
#ifndef VOCMINE_CLI_H
#define VOCMINE_CLI_H

#include "vocmine.h"

#include <stdbool.h>
#include <stdio.h>

enum cli_mode { MODE_ANALYZE, MODE_TOKENIZE, MODE_EVAL, MODE_FLAG };
enum cli_split { SPLIT_ALL, SPLIT_TRAIN, SPLIT_TEST };

typedef struct cli_options {
    enum cli_mode mode;
    voc_reader_options reader;
    const char *db_path;
    const char *output_path;
    const char *errors_path;   /* --errors FILE: vocmine.error/1 objects as JSON Lines */
    bool output_csv;           /* --output-format csv */
    bool progress;             /* a progress line when stderr is a terminal (not --quiet) */
    bool output_text;          /* flag --output-format text: one line per record for a person */
    unsigned flag_mask;        /* flag --flags: bits (1 << enum voc_flag_id) shown */
    int min_severity;          /* flag --min-severity: enum voc_severity */
    bool colour;               /* flag text: severities in colour (a terminal, no NO_COLOR) */
    const char *lexicon_dir;
    const char *topic_dir;     /* --topics DIR */
    const char *extra_lexicons[16];
    size_t n_extra_lexicons;
    int threads;
    bool explain;
    bool eval_json;
    bool no_model;             /* --no-model: lexicon and rules only */
    enum cli_split split;      /* --split: which documents eval/train use */
    const char *train_lang;    /* train --lang: "en" or "zh" (first two letters), NULL all */
    char **files;
    int n_files;
} cli_options;

/* A voc_sink writing to the FILE * given as user (pipeline.c). */
int cli_stdio_sink(void *user, const char *data, size_t len);

/* A gold label name as enum voc_label, or -1 (eval.c). */
int cli_label_index(const char *s);

/* Per-file accumulators for `vocmine eval` (eval.c). */
typedef struct eval_stats eval_stats;
eval_stats *eval_new(void);
void eval_free(eval_stats *st);
void eval_add(eval_stats *st, const char *lang_hint, const char *gold_label, double gold_score,
              bool has_gold_score, int pred_label, double pred_score, double confidence);
/* Topic and emotion sets of one item ("a,b"; NULL gold = the file has no such field). */
void eval_add_sets(eval_stats *st, const char *gold_topics, const char *pred_topics,
                   const char *gold_emotions, const char *pred_emotions);
/* Retention flags of one item ("churn_risk:high,dismay:low"; NULL gold = no flags field). */
void eval_add_flags(eval_stats *st, const char *lang_hint, const char *gold_flags,
                    const char *pred_flags);
void eval_report(eval_stats *st, const char *name, bool json, FILE *out);

/* `vocmine flag` (flag_view.c): the highest severity among the record's flags that pass
 * --flags and --min-severity (VOC_SEVERITY_NONE: not shown), and its text line (given that rank). */
int cli_flag_rank(const cli_options *o, const voc_result *r);
int cli_flag_text(const cli_options *o, const voc_doc *doc, const voc_result *r, int rank,
                  bool colour, voc_sink sink, void *user);

/* `vocmine profile` (profile.c): refresh and export profiles, or merge exported ones. */
int run_profile(const char *db, const cli_options *o, const char *customer, bool full,
                bool merge);

/* Runs analyze/tokenize/eval/flag over opts->files (or stdin). Returns the exit status. */
int run_pipeline(const voc_analyzer *analyzer, const cli_options *opts);

/* Is the document with this id in the split?  (train.c: FNV-1a 64 of the id, test = % 5 == 0) */
bool cli_in_split(const char *id, enum cli_split split);

/* `vocmine train`: learn ngrams.tsv into opts->output_path. Returns the exit status. */
int run_train(const voc_analyzer *analyzer, const cli_options *opts, const voc_train_options *to,
              const char *command_line);

/* `vocmine summary --db PATH`: human summary of a store. Returns the exit status. */
int run_summary(const char *db_path, int n_examples);

#endif
