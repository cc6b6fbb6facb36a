/* readers/parse.h — what the reader files share: the decoder, the storage a parsed input
 * owns, and one parse function per format.
 *
 * reader.c splits a stream into units and picks the format; decode.c turns the stream into
 * UTF-8; input.c (JSONL, text, social), csv.c, chat.c and mail.c parse one unit each into
 * a voc_input, on any thread. */
#ifndef VOCMINE_READERS_PARSE_H
#define VOCMINE_READERS_PARSE_H

#include "../internal.h"

#include <stdbool.h>

/* ---- decode.c -------------------------------------------------------------------------- */

typedef struct voc_decoder voc_decoder;
/* Choose the input's charset from `forced`, a BOM in `head`, or (when `detect`) ICU's
 * detection on `head`; *bom_len = bytes of `head` to skip. */
int voc__decoder_open(const char *forced, bool detect, const char *head, size_t head_len,
                      voc_decoder **out, size_t *bom_len, voc_error *err);
/* Append the UTF-8 of `len` more input bytes to `out` (flush at the end of input). */
int voc__decoder_push(voc_decoder *d, const char *in, size_t len, bool flush, voc_buf *out,
                      voc_error *err);
bool voc__decoder_passthrough(const voc_decoder *d);
const char *voc__decoder_name(const voc_decoder *d);
size_t voc__decoder_substituted(const voc_decoder *d);
void voc__decoder_free(voc_decoder *d);

/* ---- formats --------------------------------------------------------------------------- */

enum voc_format { VOC_FMT_JSONL, VOC_FMT_TEXT, VOC_FMT_CSV, VOC_FMT_TSV, VOC_FMT_CHAT,
                  VOC_FMT_SOCIAL, VOC_FMT_EMAIL, VOC_FMT_MBOX, VOC_FMT_COUNT };
/* "jsonl" → VOC_FMT_JSONL, -1 when unknown. */
int voc__format_from_name(const char *name);
const char *voc__format_name(int format);

/* ---- what a parsed input owns (input.c) ------------------------------------------------ */

typedef struct voc_input_storage {
    voc_json json;             /* the parsed line the strings point into (JSON formats) */
    char *id, *customer, *time, *text;
    char *line;                /* the unit repaired before parsing (a raw NUL in JSON) */
    char time_iso[32];         /* the time in ISO 8601, when the input wrote it otherwise */
    char *gold_topics, *gold_emotions, *gold_flags;
    voc_turn *turns;           /* chat */
    char *fields;              /* csv: the unquoted fields, NUL-separated */
    size_t *field_off;
} voc_input_storage;

/* Make the joined text in `text` the document's (the input owns it, `text` is left empty);
 * VOC_ENOMEM when an append to it failed. */
int voc__input_take_text(voc_input *in, voc_buf *text);

/* Start a voc_input with empty storage; VOC_ENOMEM when it cannot. */
int voc__input_begin(voc_input *in);
/* "source:line" as the id of a unit without its own. */
char *voc__file_line_id(const char *source, size_t line);
/* time_norm.c: a time as written → ISO 8601 in `out` (UTC when the input gave a zone),
 * returning its length, or 0 when it is not a date/time recognized. */
size_t voc__time_normalize(const char *s, size_t len, char *out, size_t cap);
/* The document's time: the ISO form when recognized, else `time` as given. */
int voc__input_set_time(voc_input *in, const char *time);

/* A survey score as the document's metric: text or number → value, with a warning on the
 * document when it is not a number on the scale. */
void voc__input_set_metric(voc_input *in, int kind, const char *text, size_t len, bool present);

/* The member names a JSON line of a format is read for (the options name them), prepared
 * once per reader: a parse then builds nodes only for those members (input.c). */
#define VOC_INPUT_FIELDS 24
typedef struct voc_input_fields {
    voc_json_names names;
    int at[VOC_INPUT_FIELDS];  /* which name each field is (input.c's order), -1: not read */
} voc_input_fields;
void voc__input_fields_init(const voc_reader_options *opts, int format, voc_input_fields *f);

/* JSON object formats (input.c): jsonl, social, and chat through chat.c.  `fields`: as
 * voc__input_fields_init made them for opts and format, or NULL to make them here. */
int voc__parse_json_unit(const voc_reader_options *opts, int format, const voc_input_fields *fields,
                         const char *source, size_t line, const char *data, size_t len,
                         voc_input *in, voc_error *err);
/* chat.c: the turns of a parsed conversation object → doc text + turns. */
int voc__chat_fill(const voc_reader_options *opts, const voc_json_node *conversation, voc_input *in,
                   const char *source, size_t line, voc_error *err);

/* csv.c: the header (first row) and one data row. */
typedef struct voc_csv_header {
    char delimiter;
    size_t n_columns;
    int text_cols[16];         /* columns joined into the text, in column order */
    size_t n_text_cols;
    int id_col, customer_col, time_col, channel_col, metric_col, label_col;
    char **names;              /* column names, for messages */
} voc_csv_header;
int voc__csv_header_read(const voc_reader_options *opts, char delimiter, const char *row,
                         size_t len, const char *source, size_t line, voc_csv_header *h,
                         voc_error *err);
void voc__csv_header_free(voc_csv_header *h);
int voc__csv_parse_row(const voc_reader_options *opts, const voc_csv_header *h,
                       const char *source, size_t line, const char *row, size_t len,
                       voc_input *in, voc_error *err);

/* mail.c: one RFC 5322 message → document (e-mail or an mbox entry). */
int voc__mail_parse(const voc_reader_options *opts, const char *source, size_t line,
                    const char *data, size_t len, voc_input *in, voc_error *err);

#endif
