/* main.c — the vocmine command: option parsing and dispatch to the commands.
 *
 *   vocmine analyze   [options] [FILE...]   records (vocmine.record/1) as JSON Lines
 *   vocmine tokenize  [options] [FILE...]   sentences and typed tokens with byte spans
 *   vocmine eval      [options] FILE...     accuracy against gold labels, per file
 *   vocmine train     --output DIR FILE...  learn the n-gram model from labeled JSONL
 *   vocmine summary   --db PATH|URL         what a store holds, for a person
 *
 * Exit status: 0 all well, 1 some input units failed (all others were written), 2 usage
 * error, 3 a store, file or lexicon failed. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *f, const char *cmd)
{
    if (!cmd || !strcmp(cmd, "vocmine")) {
        fprintf(f,
                "usage: vocmine COMMAND [options] [FILE...]\n\n"
                "commands:\n"
                "  analyze    write one vocmine.record/1 JSON object per input document\n"
                "  tokenize   show sentences, typed tokens, spans and normalization\n"
                "  eval       measure accuracy against labeled JSONL (label, score fields)\n"
                "  train      learn the n-gram model (ngrams.tsv) from labeled JSONL\n"
                "  flag       only the records with a retention flag, most severe first\n"
                "  profile    refresh and export per-customer profiles (or merge exports)\n"
                "  summary    summarize a store: documents, languages, sentiment, examples\n"
                "  version    print the version\n\n"
                "Run 'vocmine COMMAND --help' for a command's options.\n");
        return;
    }
    if (!strcmp(cmd, "train")) {
        fprintf(f, "usage: vocmine train --output DIR [options] FILE...\n\n"
                   "Learns the n-gram model from labeled JSONL (lines with a 'label' of negative,\n"
                   "neutral or positive) and writes DIR/en/ngrams.tsv and DIR/zh-Hant/ngrams.tsv;\n"
                   "use them with 'vocmine analyze --lexicons DIR'.  Features come from the\n"
                   "lexicons and rules (--lexicons/--lexicon-dir apply), never from another model.\n\n"
                   "  --output DIR            where to write (created if missing)\n"
                   "  --split train|test|all  documents to learn from by id hash (default all;\n"
                   "                          test = FNV-1a-64(id) %% 5 == 0, as eval --split)\n"
                   "  --lang en|zh            only documents whose 'lang' field starts so\n"
                   "  --label-field F         gold label field (default: label)\n"
                   "  --text-field F, --id-field F   as for analyze\n"
                   "  --seed N                shuffling and held-out choice (default 1)\n"
                   "  --epochs N              passes over the data (default 4)\n"
                   "  --learning-rate X       AdaGrad step (default 0.1)\n"
                   "  --l2 X                  L2 penalty (default 0.0001)\n"
                   "  --min-docs N            documents a feature needs (default 3)\n"
                   "  --max-features N        per language, strongest kept (default 30000)\n"
                   "  --holdout X             share held out to calibrate (default 0.1)\n"
                   "  --balance none|files|classes|sqrt  how documents are weighed (default classes:\n"
                   "                          every (file, class) pair the same)\n"
                   "  --no-balance            the same as --balance none\n"
                   "  --rules-weight X        weight of the rules' verdict added to the model's\n"
                   "                          (default 0.25, for domains unlike the training data;\n"
                   "                          0 when the model is used where it was trained)\n");
        return;
    }
    if (!strcmp(cmd, "profile")) {
        fprintf(f, "usage: vocmine profile --db PATH|URL [--customer ID] [--full] [--output FILE]\n"
                   "                       [--output-format jsonl|csv]\n"
                   "       vocmine profile --merge [--output FILE] [--output-format jsonl|csv] FILE...\n\n"
                   "With --db: rebuilds the profiles of customers whose records changed since the last\n"
                   "refresh (--full: every customer) from all of their records, then writes one profile\n"
                   "per customer (vocmine.profile/1 JSON Lines, or CSV), by customer id.\n"
                   "With --merge: FILEs are profile exports of separate partitions; writes the profiles\n"
                   "one run over all their records would give (every field is a sum, count, min, max or\n"
                   "last-by-time, kept exactly).\n\n"
                   "  --customer ID           only this customer's profile (exit 1 if there is none)\n"
                   "  --full                  rebuild every profile, not only the changed ones\n"
                   "  --output FILE           write to FILE instead of standard output\n"
                   "  --output-format F       jsonl (default) or csv\n");
        return;
    }
    if (!strcmp(cmd, "summary")) {
        fprintf(f, "usage: vocmine summary --db PATH|URL [--examples N]\n\n"
                   "Prints the number of documents and customers, languages, the sentiment split,\n"
                   "channels, the retention flags and the most negative examples stored in the\n"
                   "store: a SQLite file PATH, or a PostgreSQL database URL (postgresql://...).\n"
                   "Exit 3 when the store cannot be opened or read.\n");
        return;
    }
    fprintf(f,
            "usage: vocmine %s [options] [FILE...]\n\n"
            "Reads FILEs (or standard input, or '-'): one document per line, CSV/TSV row,\n"
            "chat conversation, social post or e-mail.\n\n"
            "input:\n"
            "  --format F              jsonl (default for standard input), text (each line a\n"
            "                          document, id FILE:LINE), csv, tsv (a header row names the\n"
            "                          columns), chat (one conversation per line), social, email\n"
            "                          (one .eml), mbox, auto; default: from the file name\n"
            "                          (.jsonl .csv .tsv .eml .mbox .txt), else the first bytes\n"
            "  --encoding E            input encoding (big5, cp950, utf-16le, gb18030, shift_jis,\n"
            "                          any name ICU knows); default: a BOM, else UTF-8, else (csv,\n"
            "                          tsv, text) ICU's detection\n"
            "  --text-field F          field or column holding the text (default: text; CSV: the\n"
            "                          first column called like a comment); repeat it to join\n"
            "                          several columns\n"
            "  --id-field F            field holding the id (default: id)\n"
            "  --customer-field F      field holding the customer id (default: customer_id;\n"
            "                          social: handle)\n"
            "  --time-field F          field holding the time (default: time)\n"
            "  --channel C             channel of every document (default: the 'channel' field,\n"
            "                          else the format's: survey, chat, social, email, text)\n"
            "  --channel-field F       field holding the channel (default: channel)\n"
            "%s"
            "chat and social:\n"
            "  --turns-field F         a conversation's array of turns (default: turns)\n"
            "  --role-field F          a turn's role (default: role)\n"
            "  --customer-role R,...   roles that are the customer, scored (default: customer)\n"
            "  --other-roles R,...     roles known and not scored (default: agent,bot,system);\n"
            "                          any other role is skipped with a warning\n"
            "  --platform-field F      a social post's platform (default: platform)\n"
            "analysis:\n"
            "  --lexicons DIR          add a user lexicon directory (repeatable; same layout as\n"
            "                          lexicons/: common/, en/, zh-Hant/, topics/)\n"
            "  --lexicon-dir DIR       replace the default lexicon directory\n"
            "  --segmenter dict|icu    Han segmentation: compiled dictionary (default) or ICU's\n"
            "                          dictionary break refined by the lexicon (slower)\n"
            "  --no-model              lexicon and rules only (ignore the n-gram model)\n"
            "  --topics DIR            topic files (taxonomy, terms, patterns) replacing\n"
            "                          lexicons/topics/\n"
            "  -j, --jobs N            threads (default: number of cores); output order and bytes\n"
            "                          do not depend on N\n"
            "output:\n"
            "  --output FILE           write to FILE instead of standard output\n"
            "  --errors FILE           write vocmine.error/1 objects to FILE as JSON Lines (stderr\n"
            "                          then gets one readable line per error)\n"
            "  --quiet                 no progress line (shown only when stderr is a terminal)\n"
            "%s"
            "  -h, --help              this help\n\n"
            "Exit status: 0 ok, 1 some units failed (each named as a vocmine.error/1 object on\n"
            "stderr or in --errors; all others were processed), 2 usage error, 3 store/file/\n"
            "lexicon error.\n",
            cmd,
            !strcmp(cmd, "eval") ? "  --label-field F         gold label field (default: label)\n"
                                   "  --score-field F         gold valence field in [-1,1] (default: score)\n"
                                   "  --split train|test|all  only documents of this split (test: FNV-1a-64(id) % 5\n"
                                   "                          == 0, the part the committed model did not learn from)\n"
                                 : !strcmp(cmd, "analyze")
                                       ? "  --score-field F         a survey score: the record gets metrics (nps and\n"
                                         "                          nps_group promoter/passive/detractor)\n"
                                         "  --score-kind nps|csat|ces  the scale: NPS 0-10 (default), CSAT 1-5\n"
                                         "                          (satisfied 4-5), CES 1-7 (easy 5-7)\n"
                                       : "",
            !strcmp(cmd, "flag") ? "  --flags F,...           only these flags (dismay, churn_risk, escalation,\n"
                                   "                          repeat_contact, delight; default all)\n"
                                   "  --min-severity S        low (default), medium or high\n"
                                   "  --output-format F       jsonl (default), csv, or text: one line per record for a\n"
                                   "                          person (severity, flags, customer, channel, id, the words\n"
                                   "                          that triggered them; colour on a terminal unless NO_COLOR)\n"
                                   "  --db PATH|URL           also upsert every record into the store, as analyze does\n"
                                   "Records come most severe first (input order within a severity) when every input is\n"
                                   "a file; from a pipe or terminal each flagged record is written as soon as it is\n"
                                   "processed.\n"
            : !strcmp(cmd, "analyze") ? "  --output-format jsonl|csv  records as JSON Lines (default) or CSV rows (one\n"
                                      "                          per record: id, customer, label, score, top emotion,\n"
                                      "                          topics, metric, evidence words)\n"
                                      "  --db PATH|URL           also upsert records into a store: the SQLite file\n"
                                      "                          PATH, or a PostgreSQL database URL\n"
                                      "                          (postgresql://user@host:port/dbname or postgres://)\n"
                                      "  --explain               print a readable explanation of each record\n"
                                    : !strcmp(cmd, "eval") ? "  --json                  figures as JSON Lines\n"
                                                           "  --explain               print each record's explanation\n"
                                                           : "");
}

/* lexicons/ next to the build directory (build/vocmine → ../lexicons), else the compiled-in
 * install location, else ./lexicons. */
static const char *find_lexicon_dir(char *buf, size_t cap)
{
    const char *env = getenv("VOCMINE_LEXICON_DIR");
    if (env && *env) return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    struct stat st;
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, cap, "%s/../lexicons", exe);
            if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode)) return buf;
            snprintf(buf, cap, "%s/../share/vocmine/lexicons", exe);
            if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode)) return buf;
        }
    }
#ifdef VOCMINE_INSTALL_LEXICON_DIR
    if (stat(VOCMINE_INSTALL_LEXICON_DIR, &st) == 0) return VOCMINE_INSTALL_LEXICON_DIR;
#endif
    return "lexicons";
}

static int parse_jobs(const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < 1 || v > 64) return -1;
    return (int)v;
}

static int run_command(const char *cmd, int argc, char **argv)
{
    enum {
        OPT_FORMAT = 256, OPT_TEXT, OPT_ID, OPT_CUSTOMER, OPT_TIME, OPT_CHANNEL, OPT_DB,
        OPT_OUTPUT, OPT_LEXICONS, OPT_LEXICON_DIR, OPT_EXPLAIN, OPT_LABEL, OPT_SCORE, OPT_JSON,
        OPT_EXAMPLES, OPT_SEGMENTER, OPT_NO_MODEL, OPT_SPLIT, OPT_LANG, OPT_SEED, OPT_EPOCHS,
        OPT_LR, OPT_L2, OPT_MIN_DOCS, OPT_MAX_FEATURES, OPT_HOLDOUT, OPT_NO_BALANCE, OPT_BALANCE, OPT_TOPICS, OPT_RULES_WEIGHT,
        OPT_ENCODING, OPT_ERRORS, OPT_OUTPUT_FORMAT, OPT_SCORE_KIND, OPT_TURNS, OPT_ROLE, OPT_CUSTOMER_ROLE,
        OPT_OTHER_ROLES, OPT_PLATFORM, OPT_CHANNEL_FIELD, OPT_QUIET, OPT_MIN_SEVERITY, OPT_FLAGS,
        OPT_CUSTOMER_ID, OPT_FULL, OPT_MERGE
    };
    static const struct option longopts[] = {
        {"format", required_argument, 0, OPT_FORMAT},
        {"text-field", required_argument, 0, OPT_TEXT},
        {"id-field", required_argument, 0, OPT_ID},
        {"customer-field", required_argument, 0, OPT_CUSTOMER},
        {"time-field", required_argument, 0, OPT_TIME},
        {"channel", required_argument, 0, OPT_CHANNEL},
        {"db", required_argument, 0, OPT_DB},
        {"output", required_argument, 0, OPT_OUTPUT},
        {"lexicons", required_argument, 0, OPT_LEXICONS},
        {"lexicon-dir", required_argument, 0, OPT_LEXICON_DIR},
        {"explain", no_argument, 0, OPT_EXPLAIN},
        {"label-field", required_argument, 0, OPT_LABEL},
        {"score-field", required_argument, 0, OPT_SCORE},
        {"json", no_argument, 0, OPT_JSON},
        {"examples", required_argument, 0, OPT_EXAMPLES},
        {"segmenter", required_argument, 0, OPT_SEGMENTER},
        {"no-model", no_argument, 0, OPT_NO_MODEL},
        {"topics", required_argument, 0, OPT_TOPICS},
        {"split", required_argument, 0, OPT_SPLIT},
        {"lang", required_argument, 0, OPT_LANG},
        {"seed", required_argument, 0, OPT_SEED},
        {"epochs", required_argument, 0, OPT_EPOCHS},
        {"learning-rate", required_argument, 0, OPT_LR},
        {"l2", required_argument, 0, OPT_L2},
        {"min-docs", required_argument, 0, OPT_MIN_DOCS},
        {"max-features", required_argument, 0, OPT_MAX_FEATURES},
        {"holdout", required_argument, 0, OPT_HOLDOUT},
        {"no-balance", no_argument, 0, OPT_NO_BALANCE},
        {"balance", required_argument, 0, OPT_BALANCE},
        {"rules-weight", required_argument, 0, OPT_RULES_WEIGHT},
        {"encoding", required_argument, 0, OPT_ENCODING},
        {"errors", required_argument, 0, OPT_ERRORS},
        {"output-format", required_argument, 0, OPT_OUTPUT_FORMAT},
        {"score-kind", required_argument, 0, OPT_SCORE_KIND},
        {"turns-field", required_argument, 0, OPT_TURNS},
        {"role-field", required_argument, 0, OPT_ROLE},
        {"customer-role", required_argument, 0, OPT_CUSTOMER_ROLE},
        {"other-roles", required_argument, 0, OPT_OTHER_ROLES},
        {"platform-field", required_argument, 0, OPT_PLATFORM},
        {"channel-field", required_argument, 0, OPT_CHANNEL_FIELD},
        {"quiet", no_argument, 0, OPT_QUIET},
        {"min-severity", required_argument, 0, OPT_MIN_SEVERITY},
        {"flags", required_argument, 0, OPT_FLAGS},
        {"customer", required_argument, 0, OPT_CUSTOMER_ID},
        {"full", no_argument, 0, OPT_FULL},
        {"merge", no_argument, 0, OPT_MERGE},
        {"jobs", required_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    cli_options o;
    memset(&o, 0, sizeof o);
    o.mode = !strcmp(cmd, "tokenize") ? MODE_TOKENIZE : !strcmp(cmd, "eval") ? MODE_EVAL
             : !strcmp(cmd, "flag")   ? MODE_FLAG
                                      : MODE_ANALYZE;
    o.flag_mask = (1u << VOC_FLAG_COUNT) - 1;
    o.min_severity = VOC_SEVERITY_LOW;
    o.colour = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    const char *customer = NULL;
    bool full = false, merge = false;
    if (o.mode == MODE_EVAL) { /* eval measures topics, emotions and flags where the gold has them */
        o.reader.topics_field = "topics";
        o.reader.emotions_field = "emotions";
        o.reader.flags_field = "flags";
    }
    o.progress = true;
    o.reader.metric_kind = VOC_METRIC_NPS;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o.threads = cores > 0 ? (int)(cores > 64 ? 64 : cores) : 1;
    int examples = 5, segmenter = VOC_SEGMENTER_DICT;
    bool format_given = false;
    voc_train_options to;
    voc_train_options_default(&to);
    char *end = NULL;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "j:h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_FORMAT: {
            if (strcmp(optarg, "auto") && !voc_reader_format_known(optarg)) {
                fprintf(stderr, "vocmine %s: --format must be one of jsonl, text, csv, tsv, chat, "
                                "social, email, mbox, auto\n", cmd);
                return 2;
            }
            o.reader.format = strcmp(optarg, "auto") ? optarg : NULL;
            format_given = true;
            break;
        }
        case OPT_TEXT:
            if (!o.reader.text_field) {
                o.reader.text_field = optarg;
            } else if (o.reader.n_text_fields < VOC_MAX_TEXT_FIELDS) {
                o.reader.text_fields[o.reader.n_text_fields++] = optarg;
            } else {
                fprintf(stderr, "vocmine %s: at most 9 --text-field\n", cmd);
                return 2;
            }
            break;
        case OPT_ENCODING: o.reader.encoding = optarg; break;
        case OPT_ERRORS: o.errors_path = optarg; break;
        case OPT_OUTPUT_FORMAT:
            if (strcmp(optarg, "jsonl") && strcmp(optarg, "csv") &&
                (strcmp(optarg, "text") || strcmp(cmd, "flag"))) {
                fprintf(stderr, "vocmine %s: --output-format must be jsonl or csv%s\n", cmd,
                        strcmp(cmd, "flag") ? "" : " or text");
                return 2;
            }
            o.output_csv = !strcmp(optarg, "csv");
            o.output_text = !strcmp(optarg, "text");
            break;
        case OPT_MIN_SEVERITY:
            o.min_severity = -1;
            for (int k = VOC_SEVERITY_LOW; k <= VOC_SEVERITY_HIGH; k++)
                if (!strcmp(optarg, voc_severity_name(k))) o.min_severity = k;
            if (o.min_severity < 0) {
                fprintf(stderr, "vocmine %s: --min-severity must be low, medium or high\n", cmd);
                return 2;
            }
            break;
        case OPT_FLAGS: {
            o.flag_mask = 0;
            char *list = strdup(optarg), *save = NULL;
            for (char *t = list ? strtok_r(list, ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save)) {
                int id = -1;
                for (int k = 0; k < VOC_FLAG_COUNT; k++)
                    if (!strcmp(t, voc_flag_name(k))) id = k;
                if (id < 0) {
                    fprintf(stderr, "vocmine %s: unknown flag '%s' (dismay, churn_risk, escalation, "
                                    "repeat_contact, delight)\n", cmd, t);
                    free(list);
                    return 2;
                }
                o.flag_mask |= 1u << id;
            }
            free(list);
            break;
        }
        case OPT_CUSTOMER_ID: customer = optarg; break;
        case OPT_FULL: full = true; break;
        case OPT_MERGE: merge = true; break;
        case OPT_SCORE_KIND:
            if (!strcmp(optarg, "nps")) o.reader.metric_kind = VOC_METRIC_NPS;
            else if (!strcmp(optarg, "csat")) o.reader.metric_kind = VOC_METRIC_CSAT;
            else if (!strcmp(optarg, "ces")) o.reader.metric_kind = VOC_METRIC_CES;
            else {
                fprintf(stderr, "vocmine %s: --score-kind must be nps, csat or ces\n", cmd);
                return 2;
            }
            break;
        case OPT_TURNS: o.reader.turns_field = optarg; break;
        case OPT_ROLE: o.reader.role_field = optarg; break;
        case OPT_CUSTOMER_ROLE: o.reader.customer_roles = optarg; break;
        case OPT_OTHER_ROLES: o.reader.other_roles = optarg; break;
        case OPT_PLATFORM: o.reader.platform_field = optarg; break;
        case OPT_CHANNEL_FIELD: o.reader.channel_field = optarg; break;
        case OPT_QUIET: o.progress = false; break;
        case OPT_ID: o.reader.id_field = optarg; break;
        case OPT_CUSTOMER: o.reader.customer_field = optarg; break;
        case OPT_TIME: o.reader.time_field = optarg; break;
        case OPT_CHANNEL: o.reader.channel = optarg; break;
        case OPT_LABEL: o.reader.label_field = optarg; break;
        case OPT_SCORE: /* eval: the gold valence; analyze: a survey score (metrics) */
            if (o.mode == MODE_EVAL || !strcmp(cmd, "train")) o.reader.score_field = optarg;
            else o.reader.metric_field = optarg;
            break;
        case OPT_DB: o.db_path = optarg; break;
        case OPT_OUTPUT: o.output_path = optarg; break;
        case OPT_EXPLAIN: o.explain = true; break;
        case OPT_JSON: o.eval_json = true; break;
        case OPT_LEXICON_DIR: o.lexicon_dir = optarg; break;
        case OPT_EXAMPLES: examples = atoi(optarg); break;
        case OPT_NO_MODEL: o.no_model = true; break;
        case OPT_TOPICS: o.topic_dir = optarg; break;
        case OPT_SPLIT:
            if (!strcmp(optarg, "all")) o.split = SPLIT_ALL;
            else if (!strcmp(optarg, "train")) o.split = SPLIT_TRAIN;
            else if (!strcmp(optarg, "test")) o.split = SPLIT_TEST;
            else {
                fprintf(stderr, "vocmine %s: --split must be train, test or all\n", cmd);
                return 2;
            }
            break;
        case OPT_LANG:
            if (strcmp(optarg, "en") && strncmp(optarg, "zh", 2)) {
                fprintf(stderr, "vocmine %s: --lang must be en or zh (zh-Hant, zh-Hans)\n", cmd);
                return 2;
            }
            o.train_lang = optarg[0] == 'e' ? "en" : "zh";
            break;
        case OPT_SEED: to.seed = (unsigned)strtoul(optarg, &end, 10); goto check_number;
        case OPT_EPOCHS: to.epochs = (int)strtol(optarg, &end, 10); goto check_number;
        case OPT_LR: to.learning_rate = strtod(optarg, &end); goto check_number;
        case OPT_L2: to.l2 = strtod(optarg, &end); goto check_number;
        case OPT_MIN_DOCS: to.min_docs = (unsigned)strtoul(optarg, &end, 10); goto check_number;
        case OPT_MAX_FEATURES: to.max_features = (size_t)strtoull(optarg, &end, 10); goto check_number;
        case OPT_HOLDOUT: to.holdout = strtod(optarg, &end); goto check_number;
        case OPT_RULES_WEIGHT: to.rules_weight = strtod(optarg, &end); goto check_number;
        case OPT_NO_BALANCE: to.balance_sources = 0; break;
        case OPT_BALANCE:
            if (!strcmp(optarg, "none")) to.balance_sources = 0;
            else if (!strcmp(optarg, "files")) to.balance_sources = 1;
            else if (!strcmp(optarg, "classes")) to.balance_sources = 2;
            else if (!strcmp(optarg, "sqrt")) to.balance_sources = 3;
            else {
                fprintf(stderr, "vocmine %s: --balance must be none, files or classes\n", cmd);
                return 2;
            }
            break;
        check_number:
            if (!end || *end || end == optarg) {
                fprintf(stderr, "vocmine %s: '%s' is not a number\n", cmd, optarg);
                return 2;
            }
            break;
        case OPT_SEGMENTER:
            if (strcmp(optarg, "dict") && strcmp(optarg, "icu")) {
                fprintf(stderr, "vocmine %s: --segmenter must be dict or icu\n", cmd);
                return 2;
            }
            segmenter = !strcmp(optarg, "icu") ? VOC_SEGMENTER_ICU : VOC_SEGMENTER_DICT;
            break;
        case OPT_LEXICONS:
            if (o.n_extra_lexicons == sizeof o.extra_lexicons / sizeof *o.extra_lexicons) {
                fprintf(stderr, "vocmine %s: too many --lexicons\n", cmd);
                return 2;
            }
            o.extra_lexicons[o.n_extra_lexicons++] = optarg;
            break;
        case 'j':
            if ((o.threads = parse_jobs(optarg)) < 0) {
                fprintf(stderr, "vocmine %s: -j wants a number from 1 to 64\n", cmd);
                return 2;
            }
            break;
        case 'h': usage(stdout, cmd); return 0;
        default: usage(stderr, cmd); return 2;
        }
    }
    if (!strcmp(cmd, "profile")) {
        o.files = argv + optind;
        o.n_files = argc - optind;
        if (!merge && !o.db_path) {
            fprintf(stderr, "vocmine profile: --db DB is required (or --merge FILE...)\n");
            return 2;
        }
        if (merge && (o.db_path || !o.n_files)) {
            fprintf(stderr, "vocmine profile: --merge takes exported profile files, not --db\n");
            return 2;
        }
        if (!merge && o.n_files) {
            fprintf(stderr, "vocmine profile: files are read only with --merge\n");
            return 2;
        }
        return run_profile(o.db_path, &o, customer, full, merge);
    }
    if (!strcmp(cmd, "summary")) {
        if (!o.db_path) {
            fprintf(stderr, "vocmine summary: --db PATH is required\n");
            return 2;
        }
        return run_summary(o.db_path, examples > 0 ? examples : 5);
    }
    o.files = argv + optind;
    o.n_files = argc - optind;
    /* standard input without --format is JSON Lines, as it always was; files are guessed
     * from their name or first bytes */
    if (!format_given && o.n_files == 0) o.reader.format = "jsonl";
    if (o.reader.metric_field && o.mode != MODE_ANALYZE) o.reader.metric_field = NULL;
    char dirbuf[PATH_MAX + 32];
    voc_analyzer_options ao = {o.lexicon_dir ? o.lexicon_dir : find_lexicon_dir(dirbuf, sizeof dirbuf),
                               o.extra_lexicons, o.n_extra_lexicons, segmenter,
                               o.no_model || !strcmp(cmd, "train"), o.topic_dir};
    voc_analyzer *a;
    voc_error err;
    memset(&err, 0, sizeof err);
    if (voc_analyzer_new(&ao, &a, &err)) {
        if (err.line)
            fprintf(stderr, "vocmine: %s:%zu: %s\n", err.source, err.line, err.message);
        else
            fprintf(stderr, "vocmine: %s: %s\n", err.source, err.message);
        return 3;
    }
    int rc;
    if (!strcmp(cmd, "train")) {
        /* the command line, for the weights' comment (repeats what the user typed) */
        char command_line[2048];
        size_t used = (size_t)snprintf(command_line, sizeof command_line, "vocmine train");
        for (int i = 1; i < argc && used < sizeof command_line; i++)
            used += (size_t)snprintf(command_line + used, sizeof command_line - used, " %s", argv[i]);
        rc = run_train(a, &o, &to, command_line);
    } else {
        rc = run_pipeline(a, &o);
    }
    voc_analyzer_free(a);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr, NULL);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout, NULL);
        return 0;
    }
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("vocmine %s\n", VOC_VERSION);
        return 0;
    }
    if (strcmp(cmd, "analyze") && strcmp(cmd, "tokenize") && strcmp(cmd, "eval") && strcmp(cmd, "summary") &&
        strcmp(cmd, "train") && strcmp(cmd, "flag") && strcmp(cmd, "profile")) {
        fprintf(stderr, "vocmine: unknown command '%s'\n", cmd);
        usage(stderr, NULL);
        return 2;
    }
    return run_command(cmd, argc - 1, argv + 1);
}
