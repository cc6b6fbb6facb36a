/* readers/reader.c — a byte stream → input units, in order, with constant memory.
 *
 * The reader pulls 64 KiB at a time through the caller's read function, decodes it to
 * UTF-8 (decode.c; input known to be UTF-8 is read straight into the buffer units are cut
 * from), and cuts units out of what it holds: a line (jsonl, text, chat,
 * social), a CSV/TSV record (a quote-aware state machine, so a line break inside a quoted
 * field stays in the field), an mbox message (from a "From " line after a blank line to the
 * next), or the whole input (one .eml).  It only ever holds the unit being cut plus one
 * chunk: a unit that grows past VOC_MAX_UNIT_BYTES is handed out marked too_long (the
 * pipeline turns it into an error record) and the rest of it is skipped, not stored.
 *
 * The format is --format, else the file name's extension, else the first bytes: '{' is
 * JSON (a "turns" key makes it chat, a "handle" key without "customer_id" social posts),
 * "From " an mbox, header lines an e-mail, a UTF-16
 * BOM with tabs in the first line Excel's "Unicode text" (TSV), anything else text.
 * Parsing a unit (voc_reader_parse) reads only the reader's immutable state — options and
 * the CSV header — so any thread may parse while the main thread cuts the next units. */
#define _GNU_SOURCE 1 /* memmem; 1, the value -D_GNU_SOURCE gives: no redefinition warning where it is passed */
#include "parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK ((size_t)64 << 10)
#define HEAD ((size_t)64 << 10)   /* what encoding and format guesses look at */

/* CSV scanning states (see csv_find_end) */
enum { CSV_FIELD_START, CSV_UNQUOTED, CSV_QUOTED, CSV_QUOTE_IN_QUOTED };

struct voc_reader {
    voc_reader_options opts;
    char *source;
    voc_read_fn read;
    void *user;
    int format;                /* enum voc_format, -1 until known */
    bool started, eof, read_failed;
    voc_decoder *dec;
    bool read_into_buf;        /* the decoder passes every byte as it is: read straight to buf */
    char *chunk;               /* raw bytes read (when they are decoded) */
    voc_buf buf;               /* decoded UTF-8 not yet handed out, from `pos` */
    size_t pos, scan;          /* next unit starts at pos; end search resumes at scan */
    int csv_state;             /* CSV state at `scan` */
    size_t scan_lines;         /* line breaks between pos and scan */
    size_t line;               /* line number at pos */
    unsigned long long base;   /* decoded bytes dropped before buf.data[0] */
    unsigned long long raw_bytes;
    bool skipping;             /* the rest of a too-long unit is being dropped */
    voc_csv_header header;
    bool have_header;
    voc_input_fields fields;   /* the names JSON lines are read for, once the format is known */
    bool have_fields;
};

static const char *const format_names[VOC_FMT_COUNT] = {"jsonl", "text", "csv", "tsv",
                                                        "chat", "social", "email", "mbox"};

int voc__format_from_name(const char *name)
{
    for (int i = 0; name && i < VOC_FMT_COUNT; i++)
        if (!strcmp(name, format_names[i])) return i;
    if (name && (!strcmp(name, "eml") || !strcmp(name, "mail"))) return VOC_FMT_EMAIL;
    return -1;
}

const char *voc__format_name(int format)
{
    return format >= 0 && format < VOC_FMT_COUNT ? format_names[format] : "unknown";
}

static int format_from_extension(const char *source)
{
    const char *dot = source ? strrchr(source, '.') : NULL;
    if (!dot || strchr(dot, '/')) return -1;
    static const struct { const char *ext; int format; } map[] = {
        {".jsonl", VOC_FMT_JSONL}, {".ndjson", VOC_FMT_JSONL}, {".json", VOC_FMT_JSONL},
        {".csv", VOC_FMT_CSV},     {".tsv", VOC_FMT_TSV},      {".tab", VOC_FMT_TSV},
        {".eml", VOC_FMT_EMAIL},   {".mbox", VOC_FMT_MBOX},    {".mbx", VOC_FMT_MBOX},
        {".txt", VOC_FMT_TEXT}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (voc__ascii_case_equal(dot, map[i].ext)) return map[i].format;
    return -1;
}

/* Mail header lines ("Name: value") up to the first blank line, one of them a header
 * every message has. */
static bool looks_like_mail(const char *s, size_t len)
{
    size_t i = 0, n_headers = 0;
    bool known = false;
    while (i < len && n_headers < 200) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) : len;
        size_t l = end - i;
        if (l == 0 || (l == 1 && s[i] == '\r')) break;
        if (s[i] != ' ' && s[i] != '\t') { /* not a folded continuation */
            size_t k = i;
            while (k < end && s[k] != ':' && s[k] > ' ' && s[k] < 127) k++;
            if (k == i || k == end || s[k] != ':') return false;
            static const char *const common[] = {"from:", "date:", "subject:", "message-id:",
                                                 "received:", "return-path:", "mime-version:",
                                                 "to:", "delivered-to:"};
            for (size_t c = 0; c < sizeof common / sizeof *common; c++)
                if (voc__ascii_case_equal_n(s + i, common[c], strlen(common[c]))) known = true;
            n_headers++;
        }
        if (!nl) break;
        i = end + 1;
    }
    return known && n_headers >= 2;
}

/* Formats that legacy tools write in legacy encodings. */
static bool detects_encoding(int format)
{
    return format < 0 || format == VOC_FMT_CSV || format == VOC_FMT_TSV || format == VOC_FMT_TEXT;
}

/* The format from the raw first bytes (mail must be recognized before any decoding: its
 * parts declare their own charsets). */
static int guess_raw(const char *h, size_t n, const char *turns_field)
{
    if (n >= 3 && !memcmp(h, "\xEF\xBB\xBF", 3)) h += 3, n -= 3;
    size_t i = 0;
    while (i < n && (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' || h[i] == '\n')) i++;
    if (i < n && h[i] == '{') {
        const char *nl = memchr(h + i, '\n', n - i);
        size_t l = nl ? (size_t)(nl - h) - i : n - i;
        char key[128];
        int kl = snprintf(key, sizeof key, "\"%s\"", turns_field ? turns_field : "turns");
        if (kl > 0 && (size_t)kl < sizeof key && memmem(h + i, l, key, (size_t)kl)) return VOC_FMT_CHAT;
        /* a post keyed by its author's handle, not by a customer id: social listening */
        if (memmem(h + i, l, "\"handle\"", 8) && !memmem(h + i, l, "\"customer_id\"", 13))
            return VOC_FMT_SOCIAL;
        return VOC_FMT_JSONL;
    }
    if (n >= 5 && !memcmp(h, "From ", 5)) return VOC_FMT_MBOX;
    if (looks_like_mail(h, n)) return VOC_FMT_EMAIL;
    return -1;
}

int voc_reader_new(const voc_reader_options *opts, const char *source, voc_read_fn read,
                   void *user, voc_reader **out, voc_error *err)
{
    if (!out || !read) return voc__fail(err, VOC_EINVAL, "voc_reader_new", 0, 0, "NULL argument");
    *out = NULL;
    voc_reader *r = calloc(1, sizeof *r);
    if (!r) return voc__fail(err, VOC_ENOMEM, "voc_reader_new", 0, 0, "out of memory");
    if (opts) r->opts = *opts;
    r->source = strdup(source ? source : "<stdin>");
    r->chunk = malloc(CHUNK);
    r->read = read;
    r->user = user;
    r->line = 1;
    r->format = -1;
    if (r->opts.format && (r->format = voc__format_from_name(r->opts.format)) < 0) {
        voc__fail(err, VOC_EINVAL, r->source, 0, 0,
                  "unknown format '%s' (jsonl, text, csv, tsv, chat, social, email, mbox)",
                  r->opts.format);
        voc_reader_free(r);
        return VOC_EINVAL;
    }
    if (!r->source || !r->chunk) {
        voc_reader_free(r);
        return voc__fail(err, VOC_ENOMEM, "voc_reader_new", 0, 0, "out of memory");
    }
    *out = r;
    return VOC_OK;
}

/* Read up to `want` raw bytes into dst; sets eof. */
static long read_raw(voc_reader *r, char *dst, size_t want, voc_error *err)
{
    errno = 0;
    long n = r->read(r->user, dst, want);
    if (n < 0) {
        r->read_failed = true;
        int e = errno; /* the read function's own (read(2) sets it) */
        return voc__fail(err, VOC_EIO, r->source, r->line, 0, "read error%s%s", e ? ": " : "",
                         e ? strerror(e) : "");
    }
    if (n == 0) r->eof = true;
    r->raw_bytes += (unsigned long long)n;
    return n;
}

/* First call: read the head, settle encoding and format, decode the head. */
static int start(voc_reader *r, voc_error *err)
{
    r->started = true;
    voc_buf head = {0};
    while (!r->eof && head.len < HEAD) {
        long n = read_raw(r, r->chunk, CHUNK, err);
        if (n < 0) { voc__buf_free(&head); return VOC_EIO; }
        if (voc__buf_append(&head, r->chunk, (size_t)n)) goto nomem;
        /* a pipe hands over what it holds: a live feed is not kept waiting for 64 KiB once
         * a whole first line has arrived (files fill every read until their end) */
        if ((size_t)n < CHUNK && memchr(head.data, '\n', head.len)) break;
    }
    if (!head.data && voc__buf_reserve(&head, 1)) goto nomem;
    if (r->format < 0) {
        /* a .jsonl file may hold chats: the first object tells */
        int by_name = format_from_extension(r->source);
        int by_content = guess_raw(head.data, head.len, r->opts.turns_field);
        r->format = by_name == VOC_FMT_JSONL && (by_content == VOC_FMT_CHAT || by_content == VOC_FMT_SOCIAL)
                        ? by_content
                    : by_name >= 0 ? by_name
                                   : by_content;
    }
    size_t bom;
    voc_error derr;
    bool detect = detects_encoding(r->format);
    int rc = voc__decoder_open(r->opts.encoding, detect, head.data, head.len, &r->dec, &bom, &derr);
    if (rc) {
        voc__buf_free(&head);
        return voc__fail(err, rc, r->source, 0, 0, "%s", derr.message);
    }
    /* UTF-8 with nothing to detect (the JSON formats and mail, unless --encoding names
     * another charset) is never converted: the chunks after the head skip the copy through
     * r->chunk (a decoder told to detect passes bytes through too, but may yet find another
     * charset) */
    r->read_into_buf = voc__decoder_passthrough(r->dec) && !detect;
    rc = voc__decoder_push(r->dec, head.data + bom, head.len - bom, r->eof, &r->buf, &derr);
    voc__buf_free(&head);
    if (rc) return voc__fail(err, rc, r->source, r->line, 0, "%s", derr.message);
    if (r->format == VOC_FMT_TEXT && !r->opts.format && !voc__decoder_passthrough(r->dec) &&
        voc__ascii_case_equal_n(voc__decoder_name(r->dec), "UTF-16", 6) && r->buf.len) {
        /* Excel saves "Unicode text" as .txt: UTF-16 with tabs is a table, not lines */
        const char *nl = memchr(r->buf.data, '\n', r->buf.len);
        if (memchr(r->buf.data, '\t', nl ? (size_t)(nl - r->buf.data) : r->buf.len)) r->format = VOC_FMT_TSV;
    }
    if (r->format < 0) {
        /* decoded now (UTF-16 and legacy text): Excel's "Unicode text" is tab-separated */
        const char *s = r->buf.data ? r->buf.data : "";
        const char *nl = memchr(s, '\n', r->buf.len);
        size_t l = nl ? (size_t)(nl - s) : r->buf.len;
        int g = guess_raw(s, r->buf.len, r->opts.turns_field);
        if (g >= 0) r->format = g;
        else if (!voc__decoder_passthrough(r->dec) && memchr(s, '\t', l)) r->format = VOC_FMT_TSV;
        else r->format = r->opts.format ? VOC_FMT_TEXT : (r->buf.len ? VOC_FMT_TEXT : VOC_FMT_JSONL);
    }
    voc__input_fields_init(&r->opts, r->format, &r->fields);
    r->have_fields = true;
    return VOC_OK;
nomem:
    voc__buf_free(&head);
    return voc__fail(err, VOC_ENOMEM, r->source, 0, 0, "out of memory");
}

/* Drop what was handed out, then read and decode one more chunk. */
static int fill(voc_reader *r, voc_error *err)
{
    if (r->pos && (r->pos >= r->buf.len / 2 || r->pos >= CHUNK)) {
        memmove(r->buf.data, r->buf.data + r->pos, r->buf.len - r->pos);
        r->buf.len -= r->pos;
        r->base += r->pos;
        r->scan -= r->pos;
        r->pos = 0;
    }
    if (r->read_into_buf) {
        if (voc__buf_reserve(&r->buf, CHUNK))
            return voc__fail(err, VOC_ENOMEM, r->source, r->line, 0, "out of memory");
        long n = read_raw(r, r->buf.data + r->buf.len, CHUNK, err);
        if (n < 0) return VOC_EIO;
        r->buf.len += (size_t)n;
        r->buf.data[r->buf.len] = '\0'; /* as voc_buf keeps it */
        return VOC_OK;
    }
    long n = read_raw(r, r->chunk, CHUNK, err);
    if (n < 0) return VOC_EIO;
    voc_error derr;
    int rc = voc__decoder_push(r->dec, r->chunk, (size_t)n, r->eof, &r->buf, &derr);
    return rc ? voc__fail(err, rc, r->source, r->line, 0, "%s", derr.message) : VOC_OK;
}

/* ---- where a unit ends -----------------------------------------------------------------
 * Each finder scans from r->scan and returns true with *end (the unit's last byte + 1,
 * before its line end) and *next (where the following unit starts), or false having
 * scanned everything held (r->scan advanced, state kept for the next chunk). */

static bool line_find_end(voc_reader *r, size_t *end, size_t *next)
{
    const char *nl = memchr(r->buf.data + r->scan, '\n', r->buf.len - r->scan);
    if (!nl) {
        r->scan = r->buf.len;
        return false;
    }
    *end = (size_t)(nl - r->buf.data);
    *next = *end + 1;
    r->scan_lines++;
    return true;
}

/* RFC 4180 with the leniency of real exports: a quote opens a quoted field only at the
 * field's start; inside one, "" is a quote and a lone quote closes it; a line break ends
 * the record only outside quotes.  Example: `7,"late, again",3\n` is one record of three
 * fields; `7,"line one\nline two",3\n` is one record spanning two lines; `a"b,c` keeps
 * its quote as a character. */
static bool csv_find_end(voc_reader *r, char delim, size_t *end, size_t *next)
{
    const char *s = r->buf.data;
    int st = r->csv_state;
    for (size_t i = r->scan; i < r->buf.len; i++) {
        char c = s[i];
        if (c == '\n') {
            if (st != CSV_QUOTED) {
                *end = i;
                *next = i + 1;
                r->scan_lines++;
                r->csv_state = CSV_FIELD_START;
                return true;
            }
            r->scan_lines++;
            continue;
        }
        switch (st) {
        case CSV_FIELD_START: st = c == '"' ? CSV_QUOTED : c == delim ? CSV_FIELD_START : CSV_UNQUOTED; break;
        case CSV_UNQUOTED: if (c == delim) st = CSV_FIELD_START; break;
        case CSV_QUOTED: if (c == '"') st = CSV_QUOTE_IN_QUOTED; break;
        case CSV_QUOTE_IN_QUOTED: st = c == '"' ? CSV_QUOTED : c == delim ? CSV_FIELD_START : CSV_UNQUOTED; break;
        }
    }
    r->csv_state = st;
    r->scan = r->buf.len;
    return false;
}

/* An mbox message ends where a line starting "From " follows a blank line. */
static bool mbox_find_end(voc_reader *r, size_t *end, size_t *next)
{
    const char *s = r->buf.data;
    size_t from = r->scan > r->pos + 1 ? r->scan : r->pos + 1; /* not its own From_ line */
    while (from < r->buf.len) {
        const char *nl = memchr(s + from, '\n', r->buf.len - from);
        if (!nl) break;
        size_t at = (size_t)(nl - s) + 1; /* start of the next line */
        r->scan_lines++;
        if (r->buf.len - at < 5) { /* cannot tell yet */
            r->scan_lines--;
            r->scan = at - 1;
            return false;
        }
        if (!memcmp(s + at, "From ", 5)) {
            size_t prev = at - 1; /* the '\n' ending the previous line */
            bool blank_before = prev >= 1 && (s[prev - 1] == '\n' ||
                                              (s[prev - 1] == '\r' && prev >= 2 && s[prev - 2] == '\n'));
            if (blank_before) {
                *end = at;
                *next = at;
                return true;
            }
        }
        from = at;
    }
    r->scan = from > r->buf.len ? r->buf.len : from;
    return false;
}

static bool find_end(voc_reader *r, size_t *end, size_t *next)
{
    switch (r->format) {
    case VOC_FMT_CSV: return csv_find_end(r, ',', end, next);
    case VOC_FMT_TSV: return csv_find_end(r, '\t', end, next);
    case VOC_FMT_MBOX: return mbox_find_end(r, end, next);
    case VOC_FMT_EMAIL: r->scan = r->buf.len; return false; /* the whole input */
    default: return line_find_end(r, end, next);
    }
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return false;
    return true;
}

/* Cut the next unit (not yet the header logic). 1 unit, 0 end, <0 error. */
static int cut(voc_reader *r, voc_unit *u, voc_error *err)
{
    for (;;) {
        size_t end, next;
        bool found = find_end(r, &end, &next);
        if (!found && r->buf.len - r->pos > VOC_MAX_UNIT_BYTES && !r->skipping) {
            /* hand out its beginning once, then drop the rest as it arrives */
            memset(u, 0, sizeof *u);
            u->data = r->buf.data + r->pos;
            u->len = 4096;
            u->line = r->line;
            u->byte = r->base + r->pos;
            u->too_long = 1;
            r->skipping = true;
            r->line += r->scan_lines;
            r->scan_lines = 0;
            return 1;
        }
        if (!found && r->skipping) {
            r->line += r->scan_lines;
            r->scan_lines = 0;
            r->pos = r->scan; /* drop what was scanned */
        }
        if (!found && r->eof) {
            if (r->skipping) {
                r->skipping = false;
                r->pos = r->scan = r->buf.len;
                return 0;
            }
            if (r->pos >= r->buf.len) return 0;
            end = next = r->buf.len;
            found = true;
        }
        if (!found) {
            int rc = fill(r, err);
            if (rc) return rc;
            continue;
        }
        size_t start = r->pos, line = r->line;
        bool unterminated = r->eof && next == r->buf.len && r->format <= VOC_FMT_TSV &&
                            r->format >= VOC_FMT_CSV && r->csv_state == CSV_QUOTED;
        r->line += r->scan_lines;
        r->scan_lines = 0;
        r->pos = r->scan = next;
        r->csv_state = CSV_FIELD_START;
        if (r->skipping) { /* the end of a unit already reported as too long */
            r->skipping = false;
            continue;
        }
        size_t len = end - start;
        if (r->format != VOC_FMT_EMAIL && r->format != VOC_FMT_MBOX && len &&
            r->buf.data[start + len - 1] == '\r')
            len--;
        /* blank lines separate nothing in JSON Lines, CSV or an mbox: not units (a text
         * line is a document even when empty; an .eml is the whole input) */
        if (r->format != VOC_FMT_TEXT && r->format != VOC_FMT_EMAIL && blank(r->buf.data + start, len))
            continue;
        memset(u, 0, sizeof *u);
        u->data = r->buf.data + start;
        u->len = len;
        u->line = line;
        u->byte = r->base + start;
        u->unterminated = unterminated;
        return 1;
    }
}

int voc_reader_next(voc_reader *r, voc_unit *u, voc_error *err)
{
    if (!r || !u) return voc__fail(err, VOC_EINVAL, "voc_reader_next", 0, 0, "NULL argument");
    if (r->read_failed) return VOC_EIO;
    if (!r->started) {
        int rc = start(r, err);
        if (rc) return rc;
    }
    int rc = cut(r, u, err);
    if (rc <= 0 || r->have_header || (r->format != VOC_FMT_CSV && r->format != VOC_FMT_TSV))
        return rc;
    /* the first CSV/TSV record names the columns */
    if (u->too_long || u->unterminated)
        return voc__fail(err, VOC_EPARSE, r->source, u->line, 0, "the header row is %s",
                         u->too_long ? "too long" : "an unterminated quoted field");
    rc = voc__csv_header_read(&r->opts, r->format == VOC_FMT_TSV ? '\t' : ',', u->data, u->len,
                              r->source, u->line, &r->header, err);
    if (rc) return rc;
    r->have_header = true;
    return cut(r, u, err);
}

int voc_reader_parse(const voc_reader *r, const voc_unit *u, voc_input *in, voc_error *err)
{
    if (!r || !u || !in) return voc__fail(err, VOC_EINVAL, "voc_reader_parse", 0, 0, "NULL argument");
    memset(in, 0, sizeof *in);
    if (u->too_long)
        return voc__fail(err, VOC_EPARSE, r->source, u->line, 0,
                         "%s longer than %zu MiB: skipped", r->format == VOC_FMT_CSV || r->format == VOC_FMT_TSV
                                                               ? "record" : r->format == VOC_FMT_EMAIL || r->format == VOC_FMT_MBOX ? "message" : "line",
                         VOC_MAX_UNIT_BYTES >> 20);
    if (u->unterminated)
        return voc__fail(err, VOC_EPARSE, r->source, u->line, 0,
                         "quoted field opened here is never closed (the input ends inside it)");
    switch (r->format) {
    case VOC_FMT_CSV:
    case VOC_FMT_TSV:
        if (!r->have_header) return voc__fail(err, VOC_EINVAL, r->source, u->line, 0, "no header read");
        return voc__csv_parse_row(&r->opts, &r->header, r->source, u->line, u->data, u->len, in, err);
    case VOC_FMT_EMAIL:
    case VOC_FMT_MBOX:
        return voc__mail_parse(&r->opts, r->source, u->line, u->data, u->len, in, err);
    default:
        return voc__parse_json_unit(&r->opts, r->format, r->have_fields ? &r->fields : NULL, r->source,
                                    u->line, u->data, u->len, in, err);
    }
}

int voc_reader_format_known(const char *name) { return voc__format_from_name(name) >= 0; }

int voc_reader_pending(const voc_reader *r) { return r && r->pos < r->buf.len; }

const char *voc_reader_format(const voc_reader *r) { return voc__format_name(r ? r->format : -1); }

const char *voc_reader_encoding(const voc_reader *r) { return voc__decoder_name(r ? r->dec : NULL); }

unsigned long long voc_reader_bytes(const voc_reader *r) { return r ? r->raw_bytes : 0; }

void voc_reader_free(voc_reader *r)
{
    if (!r) return;
    voc__decoder_free(r->dec);
    voc__buf_free(&r->buf);
    if (r->have_header) voc__csv_header_free(&r->header);
    free(r->chunk);
    free(r->source);
    free(r);
}
