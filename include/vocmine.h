/* vocmine.h — the public API of libvocmine, a voice-of-customer text miner.
 *
 * vocmine turns customer messages in Traditional Chinese and English (often mixed) into
 * attitudinal records: sentiment with evidence spans, language, warnings.  This header is
 * the whole contract: pure C11, no ICU/OpenCC/PCRE2 types, every function documents
 * ownership, lifetime, thread-safety and errors.
 *
 * The shape, as in PCRE2: a voc_analyzer is compiled once (lexicons, dictionaries) and is
 * immutable afterwards, so any number of threads may share it; each thread owns a
 * voc_session (scratch buffers, ICU iterators, OpenCC handle) and analyzes documents with
 * it.  Results are borrowed from the session until its next call.  Text crosses the API as
 * pointer + length (no NUL needed); every span is a half-open byte range into the caller's
 * original text.  The library never aborts or exits: every failure is a negative status. */
#ifndef VOCMINE_H
#define VOCMINE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VOC_VERSION "0.1.0"

/* ---- status codes ------------------------------------------------------------------ */

/* One table for codes, names and messages (libuv style).  0 is success, errors are
 * negative, VOC_END (positive) means "no more input" from a reader. */
#define VOC_STATUS_MAP(X)                                                               \
    X(OK, 0, "success")                                                                 \
    X(END, 1, "end of input")                                                           \
    X(ENOMEM, -1, "out of memory")                                                      \
    X(EINVAL, -2, "invalid argument")                                                   \
    X(EIO, -3, "input/output error")                                                    \
    X(ELEXICON, -4, "bad lexicon file")                                                 \
    X(EDEPENDENCY, -5, "a library vocmine needs is missing or failed")                  \
    X(ETOOBIG, -6, "input too large")                                                   \
    X(EPARSE, -7, "input cannot be parsed")                                             \
    X(EFIELD, -8, "required field missing or not a string")                             \
    X(ESTORE, -9, "store (database) error")                                             \
    X(ECALLBACK, -10, "callback asked to stop")

enum voc_status {
#define VOC__STATUS_ENUM(name, code, msg) VOC_##name = code,
    VOC_STATUS_MAP(VOC__STATUS_ENUM)
#undef VOC__STATUS_ENUM
};

/* Name ("ENOMEM") and message of a status code; never NULL, static storage. */
const char *voc_status_name(int rc);
const char *voc_strerror(int rc);

/* Details of a failure, filled by any call that takes one (the pointer may be NULL).
 * `source` names the file (or "<stdin>", "<lexicon>"), `line` is 1-based (0 = unknown),
 * `byte_offset` is the offset in that line or document where the problem was found. */
typedef struct voc_error {
    int code;
    char source[512];
    size_t line;
    size_t byte_offset;
    char message[512];
} voc_error;

/* ---- analyzer (shared, immutable) -------------------------------------------------- */

typedef struct voc_analyzer voc_analyzer;
typedef struct voc_session voc_session;

typedef struct voc_analyzer_options {
    /* Directory holding common/, en/, zh-Hant/ lexicons.  NULL: VOCMINE_LEXICON_DIR from
     * the environment, else the directory compiled in at build time. */
    const char *lexicon_dir;
    /* Extra user lexicon directories (same layout), loaded after the default ones; later
     * entries override earlier ones. */
    const char *const *extra_lexicon_dirs;
    size_t n_extra_lexicon_dirs;
    /* How Han runs are segmented: VOC_SEGMENTER_DICT (default: best path over the compiled
     * word list and lexicon) or VOC_SEGMENTER_ICU (ICU's dictionary break refined by the
     * lexicon; slower, kept for comparison — see README "Han segmentation"). */
    int han_segmenter;
    /* Nonzero: score with lexicons and rules only, ignoring the n-gram models
     * (lexicons/<lang>/ngrams.tsv); for comparisons and for training a new model. */
    int no_model;
    /* A directory of topic files (taxonomy, terms, patterns: lexicons/README.md) that
     * replaces lexicons/topics/; NULL keeps the default. */
    const char *topic_dir;
} voc_analyzer_options;

enum { VOC_SEGMENTER_DICT = 0, VOC_SEGMENTER_ICU = 1 };

/* Compile an analyzer.  `opts` may be NULL (defaults).  On success *out owns a new
 * analyzer; free it with voc_analyzer_free once no session uses it.  On failure *out is
 * NULL, `err` says which file and line was bad.  Thread-safe after return: share freely. */
int voc_analyzer_new(const voc_analyzer_options *opts, voc_analyzer **out, voc_error *err);
void voc_analyzer_free(voc_analyzer *analyzer);

/* Short description of the loaded lexicons ("en:1834,zh-Hant:1520,...") for records. */
const char *voc_analyzer_lexicon_summary(const voc_analyzer *analyzer);

/* A session holds per-thread scratch state.  Not thread-safe: one thread at a time.  The
 * analyzer must outlive it. */
int voc_session_new(const voc_analyzer *analyzer, voc_session **out, voc_error *err);
void voc_session_free(voc_session *session);

/* ---- documents and results ---------------------------------------------------------- */

/* A document to analyze.  `text` need not be NUL-terminated; the metadata strings are
 * NUL-terminated and may be NULL.  Nothing is retained after the call returns. */
typedef struct voc_doc {
    const char *text;
    size_t text_len;
    const char *id;          /* the input's own id, or "file:line" */
    const char *customer_id;
    const char *channel;     /* survey, email, chat, social, text ... */
    const char *time;        /* as given by the input (ISO 8601 preferred) */
    unsigned input_warnings; /* VOC_WARN_* found by the reader (e.g. bytes it repaired before
                              * parsing JSON); carried onto the record */
    /* Channel details; zero/NULL when the input has none. */
    const struct voc_turn *turns; /* chat: the customer turns that `text` joins, in order */
    size_t n_turns;
    int metric_kind;         /* enum voc_metric_kind: the survey score that came with it */
    double metric_value;
    const char *platform;    /* social: where the post was made */
} voc_doc;

/* A chat conversation is analyzed as its customer turns joined by line breaks; each turn
 * says where it sits in the joined text, so records point spans into the turn itself. */
typedef struct voc_turn {
    size_t start, len;       /* the turn's bytes in voc_doc.text */
    size_t index;            /* its position among all the conversation's turns, from 0 */
} voc_turn;

/* Survey scales (--score-kind): NPS 0-10 (promoter 9-10, passive 7-8, detractor 0-6),
 * CSAT 1-5 (satisfied 4-5, neutral 3, dissatisfied 1-2), CES 1-7 "easy to deal with"
 * (easy 5-7, neutral 4, difficult 1-3). */
enum voc_metric_kind { VOC_METRIC_NONE, VOC_METRIC_NPS, VOC_METRIC_CSAT, VOC_METRIC_CES };

typedef struct voc_span {
    size_t start, end;       /* half-open byte offsets into the original text */
} voc_span;

#define VOC_TOKEN_TYPE_MAP(X)                                                           \
    X(WORD, "word") X(NUMBER, "number") X(PRICE, "price") X(EMOJI, "emoji")             \
    X(EMOTICON, "emoticon") X(URL, "url") X(EMAIL, "email") X(MENTION, "mention")       \
    X(HASHTAG, "hashtag") X(PUNCT, "punct")

enum voc_token_type {
#define VOC__TOKEN_ENUM(name, str) VOC_TOKEN_##name,
    VOC_TOKEN_TYPE_MAP(VOC__TOKEN_ENUM)
#undef VOC__TOKEN_ENUM
    VOC_TOKEN_TYPE_COUNT
};
const char *voc_token_type_name(int type);

/* Token flags (emphasis and script). */
enum {
    VOC_TOKEN_ELONGATED = 1u << 0, /* sooooo, !!!!! — letters or marks repeated */
    VOC_TOKEN_CAPS = 1u << 1,      /* ALL-CAPS word of two letters or more */
    VOC_TOKEN_HAN = 1u << 2,       /* Han (Chinese) word */
    VOC_TOKEN_LEXICON = 1u << 4    /* the whole token is a lexicon term */
};

typedef struct voc_token {
    size_t start, end;         /* original bytes */
    int type;                  /* enum voc_token_type */
    unsigned flags;
    const char *norm;          /* normalized form (NFKC, case folded, Traditional); norm_len
                                * bytes, not NUL-terminated */
    size_t norm_len;
    const char *stem;          /* Snowball stem for Latin words, else NULL */
    size_t stem_len;
} voc_token;

enum voc_label { VOC_NEGATIVE = 0, VOC_NEUTRAL = 1, VOC_POSITIVE = 2 };
const char *voc_label_name(int label);

#define VOC_EVIDENCE_KIND_MAP(X)                                                        \
    X(LEXICON, "lexicon") X(NEGATOR, "negator") X(INTENSIFIER, "intensifier")           \
    X(DIMINISHER, "diminisher") X(CONTRAST, "contrast") X(CONCESSIVE, "concessive")     \
    X(IRREALIS, "irrealis") X(QUESTION, "question") X(POLITENESS, "politeness")         \
    X(EMPHASIS, "emphasis") X(RULE, "rule") X(NGRAM, "ngram")

enum voc_evidence_kind {
#define VOC__EVIDENCE_ENUM(name, str) VOC_EVIDENCE_##name,
    VOC_EVIDENCE_KIND_MAP(VOC__EVIDENCE_ENUM)
#undef VOC__EVIDENCE_ENUM
    VOC_EVIDENCE_KIND_COUNT
};
const char *voc_evidence_kind_name(int kind);

/* One reason for the score: a lexicon term with its final contribution (valence after
 * modifiers, scaled to [-1, 1]), or a modifier/rule with the factor it applied. */
typedef struct voc_evidence {
    size_t start, end;         /* original bytes */
    int kind;                  /* enum voc_evidence_kind */
    double weight;
    const char *term;          /* the lexicon term or modifier that matched (NUL-terminated) */
} voc_evidence;

/* Warnings put on a record. */
enum {
    VOC_WARN_INVALID_UTF8 = 1u << 0, /* bytes replaced with U+FFFD */
    VOC_WARN_EMPTY_TEXT = 1u << 1,   /* no text: counted, scored neutral */
    VOC_WARN_TRUNCATED = 1u << 2,    /* text longer than VOC_MAX_DOC_BYTES was cut */
    VOC_WARN_NUL_BYTES = 1u << 3,    /* NUL bytes in the text were replaced */
    VOC_WARN_FIELD_COUNT = 1u << 4,  /* CSV row with more or fewer fields than the header */
    VOC_WARN_SKIPPED_TURNS = 1u << 5,/* chat turns without text or with an unknown role */
    VOC_WARN_METRIC_RANGE = 1u << 6, /* survey score missing, not a number or off the scale */
    VOC_WARN_DECODING = 1u << 7,     /* bytes the input's encoding could not map (U+FFFD) */
    VOC_WARN_UNCONVERTED = 1u << 8   /* Simplified Chinese read as written: OpenCC (library or
                                      * s2twp data) could not be opened */
};
#define VOC_WARNING_COUNT 9
/* Name of the warning bit i (0 <= i < VOC_WARNING_COUNT), e.g. "invalid_utf8". */
const char *voc_warning_name(int bit_index);

/* Documents longer than this are analyzed up to this limit (at a character boundary) and
 * get VOC_WARN_TRUNCATED.  256 KiB is far beyond any real message (about 60 printed pages),
 * and bounds a session's working memory: a text of nothing but one-character tokens needs
 * about 160 bytes a token, so a session stays under ~70 MB whatever its input (1 MiB let
 * four such documents at -j 2 take 316 MB). */
#define VOC_MAX_DOC_BYTES ((size_t)1 << 18)

/* A topic of the document (ids from the taxonomy: lexicons/topics/taxonomy.tsv) with the
 * sentiment of the clauses that mention it ("aspect sentiment") and where it is named. */
typedef struct voc_topic_result {
    const char *id;
    double score;              /* (0, 1]: how surely the text is about it */
    double sentiment;          /* [-1, 1] */
    const voc_span *spans;     /* original bytes of each mention */
    size_t n_spans;
} voc_topic_result;

/* An emotion (delight, gratitude, trust, dismay, anger, frustration, anxiety, confusion). */
typedef struct voc_emotion_result {
    const char *id;
    double score;              /* (0, 1] */
} voc_emotion_result;

/* Retention flags: signals a support lead acts on (design.md "flags").  Ids are
 * lower_snake_case in records: dismay, churn_risk, escalation, repeat_contact, delight. */
enum voc_flag_id { VOC_FLAG_DISMAY, VOC_FLAG_CHURN_RISK, VOC_FLAG_ESCALATION,
                   VOC_FLAG_REPEAT_CONTACT, VOC_FLAG_DELIGHT, VOC_FLAG_COUNT };
enum voc_severity { VOC_SEVERITY_NONE, VOC_SEVERITY_LOW, VOC_SEVERITY_MEDIUM, VOC_SEVERITY_HIGH };
const char *voc_flag_name(int id);            /* "churn_risk"; "unknown" out of range */
const char *voc_severity_name(int severity);  /* "low", "medium", "high" */

typedef struct voc_flag_result {
    int id;                    /* enum voc_flag_id */
    int severity;              /* enum voc_severity, LOW..HIGH */
    const char *const *reasons;/* machine-readable codes, e.g. "churn_intent", "competitor" */
    size_t n_reasons;
    const voc_span *spans;     /* the words that triggered it */
    size_t n_spans;
} voc_flag_result;

/* Everything the analyzer found in one document.  Borrowed from the session: valid only
 * inside the callback that receives it (or until the session's next call). `text` is the
 * caller's text after UTF-8 repair, which is what spans index (identical bytes to the
 * input unless VOC_WARN_INVALID_UTF8 or VOC_WARN_NUL_BYTES is set: a repaired byte
 * becomes the three bytes of U+FFFD, so spans index the repaired text, as the record's
 * consumers see it). */
typedef struct voc_result {
    const char *text;
    size_t text_len;
    const char *lang;          /* "en", "zh-Hant", "zh-Hans", "mixed", "und" */
    int label;                 /* enum voc_label */
    double score;              /* [-1, 1] */
    double confidence;         /* probability of the label */
    double probs[3];           /* indexed by enum voc_label */
    const voc_span *sentences;
    size_t n_sentences;
    const double *sentence_scores; /* per sentence: the rules' sum (recency applied) */
    const voc_token *tokens;
    size_t n_tokens;
    const voc_evidence *evidence;
    size_t n_evidence;
    const voc_topic_result *topics;     /* strongest first */
    size_t n_topics;
    const voc_emotion_result *emotions; /* strongest first */
    size_t n_emotions;
    unsigned warnings;         /* VOC_WARN_* bits */
    const char *normalized;    /* the normalized text the tokens were read from */
    size_t normalized_len;
    const voc_flag_result *flags; /* most severe first (then by id) */
    size_t n_flags;
    /* chat with two customer turns or more: the first and the last turn analyzed alone, so
     * a conversation that ends worse than it began shows (a retention signal) */
    int has_trajectory;
    struct voc_turn_sentiment {
        size_t turn;           /* voc_turn.index */
        int label;             /* enum voc_label */
        double score;
    } first_turn, last_turn;
} voc_result;

/* Analyze one document.  On success calls `fn(user, doc, result)` once with the borrowed
 * result and returns its return value if negative (VOC_ECALLBACK when it returns nonzero),
 * else VOC_OK.  Never fails on bad text: invalid UTF-8 is repaired with a warning; only
 * allocation failure or a NULL argument make it fail.  Not thread-safe per session. */
typedef int (*voc_result_fn)(void *user, const voc_doc *doc, const voc_result *result);
int voc_analyze(voc_session *session, const voc_doc *doc, voc_result_fn fn, void *user,
                voc_error *err);

/* Tokenize only (no scoring): same as voc_analyze but label/score fields are neutral and
 * evidence is empty.  Cheaper. */
int voc_tokenize(voc_session *session, const voc_doc *doc, voc_result_fn fn, void *user,
                 voc_error *err);

/* ---- records -------------------------------------------------------------------------- */

/* Output goes to a sink: a function that takes bytes and returns 0, or negative to stop. */
typedef int (*voc_sink)(void *user, const char *data, size_t len);

/* Stable record id for a document: "<channel>:<16 hex digits>", a hash of the input's own
 * id when it has one, else of its content (text, customer, time).  `has_own_id` says
 * whether doc->id came from the input.  Writes at most `cap` bytes including the NUL;
 * returns the length needed (excluding NUL). */
size_t voc_record_id(const voc_doc *doc, int has_own_id, char *buf, size_t cap);

/* Write one vocmine.record/1 JSON object (no trailing newline) to `sink`.  `record_id` as
 * from voc_record_id, `analyzer` for the version/lexicon fields.  Returns the sink's
 * negative value if it failed, else VOC_OK. */
int voc_record_write_json(const voc_analyzer *analyzer, const voc_doc *doc,
                          const char *record_id, const voc_result *result, voc_sink sink,
                          void *user);

/* The same record flattened to one CSV row (RFC 4180, CRLF), after a header row written
 * once by voc_record_csv_header: record_id, id, customer_id, channel, time, lang, label,
 * score, confidence, top_emotion, topics ("billing -0.80; delivery +0.20"), flags, metric,
 * metric_value, metric_group, evidence (the triggering words). */
int voc_record_csv_header(voc_sink sink, void *user);
int voc_record_write_csv(const voc_analyzer *analyzer, const voc_doc *doc,
                         const char *record_id, const voc_result *result, voc_sink sink,
                         void *user);

/* Write the tokenizer's view of a document as one JSON object (no trailing newline):
 * {"id","lang","sentences":[[start,end],...],"tokens":[{"start","end","type","norm","stem"?,
 * "emphasis"?}],"warnings"?}.  Used by `vocmine tokenize`. */
int voc_tokens_write_json(const voc_doc *doc, const voc_result *result, voc_sink sink,
                          void *user);

/* Write one vocmine.error/1 JSON object (no trailing newline). `input` is "file:line". */
int voc_error_write_json(const char *id, const char *input, const char *message,
                         voc_sink sink, void *user);

/* ---- training the n-gram model ---------------------------------------------------------- */

/* `vocmine train`: a multinomial logistic regression over the n-gram and rule features of
 * src/model.c, learned by AdaGrad with L2 regularisation from labeled documents, one model
 * per language (English; Chinese, Simplified read as Traditional).  A share of the
 * documents (chosen by a hash of their id and the seed, so reproducible) is held out to fit
 * the softmax temperature, which makes the confidence calibrated.  The result is written
 * as DIR/en/ngrams.tsv and DIR/zh-Hant/ngrams.tsv, loadable with --lexicons DIR. */
typedef struct voc_train_options {
    unsigned seed;           /* shuffling and held-out choice (default 1) */
    int epochs;              /* passes over the data (default 4) */
    double learning_rate;    /* AdaGrad step (default 0.1) */
    double l2;               /* L2 penalty per update (default 1e-4) */
    unsigned min_docs;       /* documents a feature must occur in to be learned (default 3) */
    size_t max_features;     /* per language, strongest first (default 30000) */
    double holdout;          /* share held out for calibration (default 0.1) */
    int balance_sources;     /* 0 none, 1 every source file weighs the same in total, 2 every
                              * (file, class) pair does (default: robust to class priors that
                              * differ between domains) */
    double rules_weight;     /* weight of the rules' own logits added to the model's, a prior
                              * for domains the training data does not cover (default 0.25,
                              * chosen by leaving one dev file out; 0 for in-domain use) */
} voc_train_options;
/* Fill `o` with the defaults above. */
void voc_train_options_default(voc_train_options *o);

typedef struct voc_trainer voc_trainer;
/* The analyzer should be made with no_model set: features come from lexicon and rules. */
int voc_trainer_new(const voc_analyzer *analyzer, const voc_train_options *opts,
                    voc_trainer **out, voc_error *err);
/* Add one labeled document (label: enum voc_label); `source` numbers the input file, for
 * balancing. */
int voc_trainer_add(voc_trainer *t, voc_session *session, const voc_doc *doc, int label,
                    int source, voc_error *err);
/* Learn both models; `log` (may be NULL) receives progress lines. */
int voc_trainer_fit(voc_trainer *t, voc_sink log, void *log_user, voc_error *err);
/* Write DIR/en/ngrams.tsv and DIR/zh-Hant/ngrams.tsv (for languages with documents), each
 * starting with `comment` (lines to prefix with "# "; may be NULL). */
int voc_trainer_write(const voc_trainer *t, const char *dir, const char *comment,
                      voc_error *err);
void voc_trainer_free(voc_trainer *t);

/* ---- readers: bytes → input units → documents --------------------------------------- *
 *
 * A reader turns a byte stream into input units, one at a time and in order (a line of
 * JSONL or text, a CSV/TSV row, an e-mail of an mbox, a whole .eml); it decodes the stream
 * to UTF-8 first when it is not (a BOM, --encoding, or ICU's detection for CSV/TSV/text).
 * Parsing a unit into a document is separate and thread-safe, so worker threads parse the
 * units one reader produced. */

/* How to read input.  Field names are JSON keys or CSV/TSV header names (any UTF-8). */
typedef struct voc_reader_options {
    const char *format;          /* jsonl, text, csv, tsv, chat, social, email, mbox; NULL:
                                  * guessed from the file name, else the first bytes */
    const char *encoding;        /* force an input encoding (any name ICU knows: big5, cp950,
                                  * utf-16le, gb18030, shift_jis ...); NULL: BOM, else UTF-8
                                  * (JSON formats) or detection (csv, tsv, text) */
    const char *text_field;      /* default "text" (CSV: the first of text, comment, feedback,
                                  * 意見, 評論, ...); see text_fields */
#define VOC_MAX_TEXT_FIELDS 8
    const char *text_fields[VOC_MAX_TEXT_FIELDS]; /* more text fields, joined by line breaks */
    size_t n_text_fields;
    const char *id_field;        /* default "id" */
    const char *customer_field;  /* default "customer_id" (social: "handle") */
    const char *time_field;      /* default "time" */
    const char *channel_field;   /* default "channel" */
    const char *channel;         /* forces the channel (--channel); NULL: field, else format */
    const char *label_field;     /* gold label for eval/train, default "label" */
    const char *score_field;     /* gold valence for eval, default "score" */
    const char *topics_field;    /* gold topic ids (JSON array) for eval; NULL: not read */
    const char *emotions_field;  /* gold emotion labels (JSON array) for eval; NULL: not read */
    const char *flags_field;     /* gold retention flags for eval: a JSON array of {"id","severity"}
                                  * objects or of id strings; NULL: not read */
    const char *metric_field;    /* survey score (--score-field of analyze); NULL: none */
    int metric_kind;             /* enum voc_metric_kind for metric_field; default NPS */
    const char *turns_field;     /* chat: the array of turns, default "turns" */
    const char *role_field;      /* chat: a turn's role, default "role" */
    const char *customer_roles;  /* chat: comma-separated roles scored, default "customer" */
    const char *other_roles;     /* chat: roles known and skipped, default "agent,bot,system" */
    const char *platform_field;  /* social: default "platform" */
} voc_reader_options;

/* One parsed input unit.  Owns its strings: call voc_input_clear when done.  Thread-safe:
 * units are independent, so workers parse their own units. */
typedef struct voc_input {
    voc_doc doc;
    int has_own_id;              /* doc.id came from the input, not "file:line" */
    const char *label;           /* gold label or NULL */
    double gold_score;
    int has_gold_score;
    const char *lang_hint;       /* the input's "lang" field, or NULL */
    const char *gold_topics;     /* the topics_field array joined with ',' ("" when empty), or
                                  * NULL when absent or not asked for: for eval */
    const char *gold_emotions;   /* the same for emotions_field */
    const char *gold_flags;      /* flags_field as "id:severity,id" ("" when empty), or NULL */
    void *priv;                  /* owned storage */
} voc_input;

/* Parse one JSONL or text line (without its newline; a trailing CR is ignored) read from
 * `source` at 1-based `line`.  On failure fills `err` with source, line and the byte offset
 * of the problem (e.g. JSON syntax error, missing text field) and leaves `in` cleared.
 * Bytes are not validated here: voc_analyze repairs invalid UTF-8 in the text with a
 * warning.  For the other formats use a voc_reader. */
int voc_input_parse(const voc_reader_options *opts, const char *source, size_t line,
                    const char *data, size_t len, voc_input *in, voc_error *err);
void voc_input_clear(voc_input *in);

/* Where bytes come from: fill `buf` with up to `cap` bytes, return how many, 0 at the end,
 * negative on a read error. */
typedef long (*voc_read_fn)(void *user, char *buf, size_t cap); /* errno says why on -1 */

typedef struct voc_reader voc_reader;

/* One input unit, borrowed from the reader until its next call. */
typedef struct voc_unit {
    const char *data;            /* UTF-8 (after decoding), without the line end */
    size_t len;
    size_t line;                 /* 1-based line where the unit starts */
    unsigned long long byte;     /* byte offset in the input where it starts */
    int too_long;                /* longer than VOC_MAX_UNIT_BYTES: data holds its beginning */
    int unterminated;            /* CSV: a quoted field still open at the end of input */
} voc_unit;

/* Units larger than this are not parsed (an error record names them); the reader skips to
 * the next unit, so memory stays bounded whatever the input. */
#define VOC_MAX_UNIT_BYTES ((size_t)64 << 20)

/* Open a reader over `read`.  `source` names the input in error records ("<stdin>" when
 * NULL); `opts` is copied shallowly (its strings must outlive the reader).  Formats that
 * need the first bytes (guessing, encoding detection, a CSV header) read them on the first
 * voc_reader_next. */
int voc_reader_new(const voc_reader_options *opts, const char *source, voc_read_fn read,
                   void *user, voc_reader **out, voc_error *err);
/* The next unit: 1 and *unit filled, 0 at the end of input, negative on a read error, a
 * bad forced encoding or a CSV header that names no text column (err says which). */
int voc_reader_next(voc_reader *r, voc_unit *unit, voc_error *err);
/* Parse a unit the reader produced (any thread; the reader must not be freed meanwhile;
 * for CSV the header must have been read, i.e. after the first unit). */
int voc_reader_parse(const voc_reader *r, const voc_unit *unit, voc_input *in, voc_error *err);
/* Whether the reader holds input it has not returned yet (a live feed is answered unit by
 * unit when this is 0 and nothing more has arrived). */
int voc_reader_pending(const voc_reader *r);
/* Is `name` a format a reader knows ("jsonl" … "mbox", also "eml"/"mail")? */
int voc_reader_format_known(const char *name);
const char *voc_reader_format(const voc_reader *r);   /* the format in use */
const char *voc_reader_encoding(const voc_reader *r); /* "UTF-8", "Big5", "UTF-16LE" ... */
unsigned long long voc_reader_bytes(const voc_reader *r); /* input bytes consumed so far */
void voc_reader_free(voc_reader *r);

/* ---- stores: records upserted into SQLite (embedded default) or PostgreSQL ----------- */

typedef struct voc_store voc_store;

/* Open the store `target`, creating its schema if absent:
 *   - a URL starting with postgresql:// or postgres:// is a PostgreSQL database reached
 *     through libpq (any libpq connection URI: host, port, dbname, user, sslmode, ...;
 *     a password in it never appears in messages); the database must be UTF8;
 *   - anything else is the path of a SQLite file (WAL mode).
 * Both hold the same tables — records keyed by record_id, customer_profiles, profile_marks
 * — schema version VOC_STORE_SCHEMA_VERSION (SQLite: PRAGMA user_version; PostgreSQL: table
 * vocmine_meta).  A version-1 store (records only, vocmine 0.1 before profiles) is upgraded
 * in place, every customer in it marked for the next profile refresh; a store of any other
 * version is refused.  Errors: VOC_ESTORE with a message naming the file or the server (an
 * unreachable server, a file that cannot be created); VOC_EDEPENDENCY when the library the
 * target needs (SQLite or libpq, both opened on first use) cannot be loaded.
 * Not thread-safe: use a store from one thread; to write in parallel open one store per
 * thread or process. */
#define VOC_STORE_SCHEMA_VERSION 2
int voc_store_open(const char *target, voc_store **out, voc_error *err);

/* Open a store that must already exist, to read it with voc_store_query: nothing is
 * created (a missing file, database or schema is VOC_ESTORE) and voc_store_put and
 * voc_store_refresh_profiles are refused.  A version-1 store is read as it is, not
 * upgraded: its records answer voc_store_query; voc_store_profiles says it has no profiles
 * until it is opened for writing. */
int voc_store_open_existing(const char *target, voc_store **out, voc_error *err);

/* Upsert one record: a re-run replaces rows, never adds them.  Records are written in
 * transactions (batches) of 1000; voc_store_close commits the last one.  Strings that are
 * not valid UTF-8 or hold NUL bytes are stored with U+FFFD for each bad byte, as the JSON
 * writer does; `record_json` must be one JSON object (PostgreSQL keeps it as JSONB).
 * Errors: VOC_ESTORE when the database refuses a row or fails.  The whole batch the row
 * belongs to is then rolled back — rows put before it since the last commit too — and the
 * error may come from this call or from a later put or close in the same batch (PostgreSQL
 * sends a batch in one pipeline and hears of a refused row at its end).  After an error
 * every put is refused with the same message: close the store. */
typedef struct voc_store_row {
    const char *record_id, *id, *customer_id, *channel, *time, *lang, *label;
    double score, confidence;
    const char *text;            /* the message as analyzed (repaired UTF-8) */
    size_t text_len;
    const char *record_json;
    size_t record_json_len;
} voc_store_row;
int voc_store_put(voc_store *store, const voc_store_row *row, voc_error *err);

/* Fixed read queries over the records table, answered alike by both stores (the SQL is
 * the store's own; nothing is spliced into it).  Text sorts by bytes. */
enum voc_store_query {
    VOC_STORE_TOTALS,        /* one row: documents, distinct customer ids */
    VOC_STORE_BY_LANG,       /* lang, documents: most documents first, then by lang */
    VOC_STORE_BY_LABEL,      /* label, documents: by label */
    VOC_STORE_BY_CHANNEL,    /* channel, documents, mean score: by channel */
    VOC_STORE_MOST_NEGATIVE, /* score, id, customer_id, the text's first 70 characters, of
                              * negative records: lowest score first, then by record_id;
                              * at most `limit` rows */
    VOC_STORE_FLAGS          /* flag id, records with it, of which high severity: by flag id */
};
/* Receives one result row: `n` values as NUL-terminated UTF-8 strings, NULL for SQL NULL,
 * numbers as C's strtod reads them (counts as integers, scores at full precision).
 * Borrowed for the call.  A non-zero return stops the query with VOC_ECALLBACK. */
typedef int (*voc_store_row_fn)(void *user, const char *const *values, size_t n);
/* Run `query`, calling fn once per row.  What is pending is committed first, so the query
 * sees every record put.  Errors: VOC_EINVAL (unknown query), VOC_ESTORE. */
int voc_store_query(voc_store *store, int query, long limit, voc_store_row_fn fn, void *user,
                    voc_error *err);

/* ---- customer profiles ------------------------------------------------------------------
 *
 * A profile aggregates one customer's records (vocmine.profile/1): record count, first and
 * last seen, sentiment mean and last, label counts, counts per flag and emotion, last
 * dismay and churn_risk times, topics with their sentiment, channels.  Every part is a sum,
 * count, min, max or last-by-(time, record_id), with sums kept exactly (four decimals), so
 * profiles built on separate partitions merge into the same result as one run. */
typedef struct voc_profile voc_profile;
int voc_profile_new(const char *customer_id, voc_profile **out);
/* Add one vocmine.record/1 JSON object (as written by voc_record_write_json). */
int voc_profile_add_record(voc_profile *p, const char *record_json, size_t len, voc_error *err);
/* Add a vocmine.profile/1 JSON object of the same customer (another partition's). */
int voc_profile_merge_json(voc_profile *p, const char *profile_json, size_t len, voc_error *err);
/* A profile read back from its JSON (an export, a stored profile). */
int voc_profile_from_json(const char *profile_json, size_t len, voc_profile **out, voc_error *err);
long long voc_profile_records(const voc_profile *p);
const char *voc_profile_customer(const voc_profile *p);
/* The profile as one JSON object (no newline); deterministic (keys and lists sorted). */
int voc_profile_write_json(voc_profile *p, voc_sink sink, void *user);
/* As one CSV row (CRLF) after voc_profile_csv_header: customer_id, records, first_seen,
 * last_seen, sentiment_mean, last_sentiment, last_label, negative, neutral, positive, the
 * five flag counts, last_dismay, last_churn_risk, top_topics, emotions, channels. */
int voc_profile_csv_header(voc_sink sink, void *user);
int voc_profile_write_csv(voc_profile *p, voc_sink sink, void *user);
void voc_profile_free(voc_profile *p);

/* The store keeps a customer_profiles table (same columns in SQLite and PostgreSQL, the
 * whole profile as JSON/JSONB).  Writing, updating or deleting a record marks its customer
 * (triggers on records); refreshing rebuilds each marked customer's profile from all of
 * their records — so a re-run changes nothing (updated_at moves only when the profile
 * does), a new batch adds to the right customers, a deleted or re-analyzed record updates
 * its customer, and a customer whose last record is deleted loses the profile.  `all`:
 * rebuild every customer, marked or not.  Records without a customer id make no profile;
 * a row whose record JSON is not a vocmine.record/1 object counts in no profile.
 * Records put and not yet committed are committed first.  Customers are rebuilt 500 to a
 * transaction, updated_at being the refresh's start (UTC, "2026-11-22T12:00:00Z"); on
 * failure the transaction at hand is rolled back and its customers stay marked for the
 * next refresh (earlier ones are kept).  Records written while it runs (another process)
 * leave their customers marked, never half counted.  *n_refreshed (may be NULL) =
 * customers rebuilt, deleted profiles included.  Errors: VOC_EINVAL (read-only store),
 * VOC_ESTORE, VOC_ENOMEM. */
int voc_store_refresh_profiles(voc_store *store, int all, size_t *n_refreshed, voc_error *err);
/* Each profile as vocmine.profile/1 JSON, by customer_id (bytes), or just `customer_id`'s
 * when not NULL: fn gets 2 values, the JSON and updated_at, borrowed for the call; the JSON
 * is the same bytes from SQLite and PostgreSQL (voc_profile_write_json's form).  A non-zero
 * return stops with VOC_ECALLBACK.  Records put and not yet committed are committed first.
 * Errors: VOC_ESTORE (also a version-1 store opened read-only: it has no profiles yet). */
int voc_store_profiles(voc_store *store, const char *customer_id, voc_store_row_fn fn,
                       void *user, voc_error *err);

/* Commit what is pending and close.  Returns the commit's status (or the error that failed
 * an earlier put); frees in all cases. */
int voc_store_close(voc_store *store, voc_error *err);

#ifdef __cplusplus
}
#endif
#endif /* VOCMINE_H */
