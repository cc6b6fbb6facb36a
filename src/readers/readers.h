/* readers/readers.h — functions shared by the readers (src/readers/), not part of the API.
 *
 * Readers turn bytes into documents; this header holds the pieces more than one reader
 * uses: the e-mail core (one RFC 5322 message → the customer's own text and metadata:
 * email.c over GMime and ICU), HTML to text (html_text.c over libxml2) and the hand-written
 * quoted-reply and signature stripping (reply_strip.c).  The input pipeline (mbox splitting,
 * records) calls them; they never touch files, the analyzer or global mutable state. */
#ifndef VOCMINE_READERS_H
#define VOCMINE_READERS_H

#include "../internal.h"

/* ---- charset labels (decode.c) -------------------------------------------------------- */

/* The ICU converter to read text labelled `label` with (an --encoding, a detector's verdict,
 * a MIME charset): labels widened the way browsers widen them (WHATWG Encoding), because
 * what is labelled big5, gb2312, iso-8859-1 or ks_c_5601 is in practice written by Windows
 * code pages 950, 936, 1252 and 949, and each superset reads the narrow text identically.
 * Any other label is returned as it is.  One table, so a CSV and an e-mail with the same
 * label decode alike. */
const char *voc__charset_widen(const char *label);

/* ---- one e-mail message (email.c) ------------------------------------------------------ */

/* What one message yields.  Every string is malloc'd, NUL-terminated, valid UTF-8 (repaired
 * where needed) and owned by the struct until voc__email_clear. */
typedef struct voc_email {
    char *subject;        /* decoded (RFC 2047, raw 8-bit), NULL if absent */
    char *body;           /* the customer's own text: quoted replies and signature removed;
                           * never NULL after a successful parse (may be "") */
    size_t body_len;
    char *message_id;     /* without the angle brackets; NULL if absent */
    char *from_addr;      /* first sender address, "mei.chen@example.net"; NULL if absent */
    char *from_name;      /* its display name, decoded; NULL if absent or empty */
    char *date;           /* Date: as ISO 8601 UTC "2026-11-02T09:14:00Z"; NULL if absent or
                           * unparseable */
    char *charset;        /* what the (first) body part was read as, ICU's name for it:
                           * "windows-950-2000" (big5), "gb18030" (gb2312, gbk), "UTF-8" */
    int charset_guessed;  /* 1: no charset ICU knows was declared and the bytes were not
                           * UTF-8 (or utf-8 was declared and most bytes were not), so ICU's
                           * detector chose one, or UTF-8 was taken with repair.  There is no
                           * VOC_WARN_ bit for this (yet): the caller decides what to say */
    unsigned warnings;    /* VOC_WARN_*: INVALID_UTF8 (bytes replaced by U+FFFD), NUL_BYTES,
                           * TRUNCATED (a part past 8 MiB decoded, or the own text past
                           * VOC_MAX_DOC_BYTES, was cut at a character boundary) */
    size_t quoted_bytes, signature_bytes; /* how much of the decoded text was removed */
} voc_email;

/* Parse one message, data[0..len) (no NUL needed; an mbox "From " line at the start is
 * skipped, but ">From " unescaping is the caller's job).  The body is the first readable
 * text of the MIME tree: text/plain preferred over text/html inside multipart/alternative
 * (nested in multipart/mixed or related as deep as 32 levels), inline text parts of a
 * multipart/mixed joined, attachments and attached messages ignored; decoded from its
 * transfer encoding (GMime) and its charset (ICU), HTML turned into text, then reply and
 * signature stripped (voc__strip_reply).  Broken MIME (no closing boundary, bad base64 or
 * quoted-printable) still gives whatever text GMime recovers.  Raw 8-bit header text is
 * read in the body's charset.  Returns VOC_OK, VOC_EPARSE (err says why: no header at
 * all, or no text/plain or text/html part — a message whose text part is empty or all
 * quote is VOC_OK with body ""), VOC_EINVAL, VOC_EDEPENDENCY (GMime, or for an HTML part
 * libxml2, cannot be loaded: err names the library) or VOC_ENOMEM; err->source is
 * "<email>" (the caller knows the file); on failure *out is cleared.  Never aborts on
 * input (GLib itself aborts on out-of-memory).  Thread-safe: GMime and libxml2 are opened
 * and initialized once (voc__library_ready) by the first call that needs them, and every call
 * works on its own objects, reading only parser options that never change, so threads may
 * parse different messages at once. */
int voc__email_parse(const char *data, size_t len, voc_email *out, voc_error *err);
void voc__email_clear(voc_email *e);   /* frees the strings and zeroes *e; NULL is fine */

/* ---- HTML to text (html_text.c) -------------------------------------------------------- */

/* Append the text of an HTML document (UTF-8; invalid bytes are repaired first) to `out`,
 * parsed by libxml2's forgiving HTML parser (never fetches anything).  script, style, head,
 * title, noscript and template are dropped; entities decoded; block elements (p, div, li,
 * tr, h1-h6, ...) and <br> become line breaks, <p> and headings a blank line; table cells
 * are separated by a space; runs of white space (including U+00A0) collapse to one space
 * outside <pre>; every line inside a <blockquote> starts with "> " per level so that
 * voc__strip_reply sees the quote.  Elements nested deeper than 256 end the document (the
 * text before stays): hostile nesting would make the parser quadratic.  Returns VOC_OK
 * (also for empty or hopeless input, appending nothing), VOC_EINVAL (out NULL), VOC_ENOMEM,
 * VOC_ETOOBIG (more than INT_MAX bytes) or VOC_EDEPENDENCY (libxml2, opened by the first
 * call, cannot be loaded); err (may be NULL) says why, its source "<html>".
 * Thread-safe. */
int voc__html_to_text(const char *html, size_t len, voc_buf *out, voc_error *err);

/* ---- quoted replies and signatures (reply_strip.c) ------------------------------------- */

typedef struct voc_strip_info {
    size_t quoted_bytes;     /* bytes of quoted lines and reply headers (and what follows
                              * a top-posted reply header) removed */
    size_t signature_bytes;  /* bytes of the signature or sign-off block removed */
} voc_strip_info;

/* Append to `out` the customer's own part of a message body text[0..len) (UTF-8): lines
 * quoted with ">", reply headers ("On … wrote:", "在 … 寫道：", "-----原始郵件-----",
 * Outlook "From:/Sent:/To:/Subject:" and "寄件者:/寄件日期:/收件者:/主旨:" blocks) and
 * everything after them, then a trailing signature ("-- " line, "Sent from my iPhone",
 * a sign-off such as "Best regards," or "敬祝 商祺" followed by a short name block) are
 * removed; line breaks become "\n", runs of blank lines one blank line, leading and
 * trailing blank lines go.  `info` (may be NULL) says how much was removed (line ends
 * included).  Returns VOC_OK (out->data is then non-NULL, maybe ""), VOC_EINVAL (out NULL),
 * VOC_ETOOBIG (len of 4 GiB or more) or VOC_ENOMEM.  Linear in len, no global state. */
int voc__strip_reply(const char *text, size_t len, voc_buf *out, voc_strip_info *info);

#endif /* VOCMINE_READERS_H */
