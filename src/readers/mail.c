/* readers/mail.c — one e-mail (a whole .eml, or one message of an mbox) → a document.
 *
 * email.c does the reading (GMime for MIME and RFC 2047, ICU for charsets, libxml2 for
 * HTML, reply_strip.c for quotes and signatures); this file adapts its result to a
 * voc_input: the text is the subject, a blank line, then the customer's own words (a
 * subject like "Third time asking: refund still missing" often says the most), the id is
 * the Message-ID, the customer the sender's address, the time the Date header as ISO 8601
 * UTC, the channel "email".  mbox messages arrive with their "From " separator line and
 * mboxrd's escaping (">From " in a body for "From "), which is undone here. */
#include "parse.h"
#include "readers.h"

#include <stdlib.h>
#include <string.h>

/* Copy an mbox entry (it starts with its "From " line) without that line, with one '>'
 * taken off every line that reads ">From ", ">>From " ... (mboxrd; for mboxo files this is
 * the same for ">From "). */
static int unescape_mbox(const char *s, size_t len, voc_buf *out)
{
    const char *first_nl = memchr(s, '\n', len);
    size_t i = first_nl ? (size_t)(first_nl - s) + 1 : len;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) + 1 : len;
        size_t k = i;
        while (k < end && s[k] == '>') k++;
        if (k > i && end - k >= 5 && !memcmp(s + k, "From ", 5)) i++;
        voc__buf_append(out, s + i, end - i);
        i = end;
    }
    return voc__buf_reserve(out, 1) ? VOC_ENOMEM : VOC_OK;
}

static bool starts_with_from_line(const char *s, size_t len)
{
    return len >= 5 && !memcmp(s, "From ", 5);
}

int voc__mail_parse(const voc_reader_options *opts, const char *source, size_t line,
                    const char *data, size_t len, voc_input *in, voc_error *err)
{
    voc_buf unescaped = {0};
    if (starts_with_from_line(data, len)) {
        if (unescape_mbox(data, len, &unescaped)) {
            voc__buf_free(&unescaped);
            return voc__fail(err, VOC_ENOMEM, source, line, 0, "out of memory");
        }
        data = unescaped.data;
        len = unescaped.len;
    }
    voc_email mail;
    voc_error perr;
    memset(&perr, 0, sizeof perr);
    int rc = voc__email_parse(data, len, &mail, &perr);
    voc__buf_free(&unescaped);
    if (rc) return voc__fail(err, rc, source, line, perr.byte_offset, "%s", perr.message);
    if (voc__input_begin(in)) {
        voc__email_clear(&mail);
        return voc__fail(err, VOC_ENOMEM, source, line, 0, "out of memory");
    }
    voc_input_storage *st = in->priv;
    voc_buf text = {0};
    if (mail.subject && *mail.subject) {
        voc__buf_append(&text, mail.subject, strlen(mail.subject));
        if (mail.body_len) voc__buf_append(&text, "\n\n", 2);
    }
    voc__buf_append(&text, mail.body, mail.body_len);
    if (voc__input_take_text(in, &text)) {
        voc__email_clear(&mail);
        voc_input_clear(in);
        return voc__fail(err, VOC_ENOMEM, source, line, 0, "out of memory");
    }
    in->doc.input_warnings = mail.warnings;
    /* the strings move over to the input's storage */
    st->id = mail.message_id;
    st->customer = mail.from_addr;
    st->time = mail.date;
    mail.message_id = mail.from_addr = mail.date = NULL;
    voc__email_clear(&mail);
    if (st->id) {
        in->doc.id = st->id;
        in->has_own_id = 1;
    } else {
        if (!(st->id = voc__file_line_id(source, line))) {
            voc_input_clear(in);
            return voc__fail(err, VOC_ENOMEM, source, line, 0, "out of memory");
        }
        in->doc.id = st->id;
    }
    in->doc.customer_id = st->customer;
    in->doc.time = st->time;
    in->doc.channel = opts->channel ? opts->channel : "email";
    return VOC_OK;
}
