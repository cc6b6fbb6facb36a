/* fuzz_input.c — libFuzzer target for src/readers/input.c: voc_input_parse on the bytes
 * as one input line, with format "jsonl" (default field names, then renamed fields and a
 * forced channel) and format "text".
 *
 * Invariants: the status is VOC_OK, VOC_EPARSE or VOC_EFIELD (VOC_ENOMEM tolerated); a
 * failure fills err (same code, source, line, byte offset within the line) and leaves the
 * unit cleared; a success gives a document whose text is readable for text_len bytes, whose
 * id and strings are NUL-terminated, and, for "text", whose text is the line itself minus
 * one trailing CR, with id "source:line".  voc_input_clear always releases everything
 * (checked by the sanitizer build's leak checker). */
#include "vocmine.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"



static volatile unsigned sink; /* keeps the reads below from being optimized away */

static void touch(const char *s, size_t n)
{
    unsigned h = 0;
    for (size_t i = 0; i < n; i++) h = h * 31 + (unsigned char)s[i];
    sink ^= h;
}

static void touch_str(const char *s)
{
    if (s) touch(s, strlen(s));
}

static int is_cleared(const voc_input *in)
{
    static const voc_input zero;
    return memcmp(in, &zero, sizeof zero) == 0;
}

static void parse_one(const voc_reader_options *o, const char *data, size_t size)
{
    voc_input in;
    voc_error err;
    memset(&err, 0, sizeof err);
    int rc = voc_input_parse(o, "fuzz.jsonl", 7, data, size, &in, &err);
    int text = o->format && strcmp(o->format, "text") == 0;
    if (rc != VOC_OK) {
        FUZZ_ASSERT(rc == VOC_EPARSE || rc == VOC_EFIELD || rc == VOC_ENOMEM, "unexpected status %s",
                    voc_status_name(rc));
        FUZZ_ASSERT(!text || rc == VOC_ENOMEM, "text format failed with %s", voc_status_name(rc));
        FUZZ_ASSERT(err.code == rc, "err.code %d, returned %d", err.code, rc);
        FUZZ_ASSERT(err.line == 7 && strcmp(err.source, "fuzz.jsonl") == 0, "err names %s:%zu", err.source,
                    err.line);
        /* the offset points into the line as read, also after invalid bytes were repaired */
        FUZZ_ASSERT(err.byte_offset <= size, "byte offset %zu past the line (%zu bytes)",
                    err.byte_offset, size);
        FUZZ_ASSERT(err.message[0] && memchr(err.message, '\0', sizeof err.message), "no message");
        FUZZ_ASSERT(is_cleared(&in), "failed parse left the unit set");
        voc_input_clear(&in); /* harmless on a cleared unit */
        return;
    }
    FUZZ_ASSERT(in.doc.text != NULL, "no text");
    FUZZ_ASSERT(in.doc.id != NULL && in.doc.channel != NULL, "no id or channel");
    touch(in.doc.text, in.doc.text_len);
    touch_str(in.doc.id);
    touch_str(in.doc.customer_id);
    touch_str(in.doc.channel);
    touch_str(in.doc.time);
    touch_str(in.label);
    touch_str(in.lang_hint);
    FUZZ_ASSERT(!(in.doc.input_warnings & ~(unsigned)(VOC_WARN_INVALID_UTF8 | VOC_WARN_NUL_BYTES)),
                "input warnings 0x%x", in.doc.input_warnings);
    if (o->channel) FUZZ_ASSERT(strcmp(in.doc.channel, o->channel) == 0, "channel not forced");
    if (text) {
        size_t want = size && data[size - 1] == '\r' ? size - 1 : size;
        FUZZ_ASSERT(in.doc.text_len == want && memcmp(in.doc.text, data, want) == 0,
                    "text format changed the line (%zu -> %zu bytes)", size, in.doc.text_len);
        FUZZ_ASSERT(strcmp(in.doc.id, "fuzz.jsonl:7") == 0, "text id '%s'", in.doc.id);
        FUZZ_ASSERT(!in.has_own_id, "text unit claims an own id");
    } else {
        FUZZ_ASSERT(in.doc.text_len <= size * 6 + 6, "text longer than the line could hold");
        if (!in.has_own_id) FUZZ_ASSERT(strcmp(in.doc.id, "fuzz.jsonl:7") == 0, "fallback id '%s'", in.doc.id);
        if (in.has_gold_score) touch((const char *)&in.gold_score, sizeof in.gold_score);
    }
    voc_input_clear(&in);
    FUZZ_ASSERT(is_cleared(&in), "voc_input_clear left data");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *line = (const char *)data;
    static const voc_reader_options jsonl = {0};
    static const voc_reader_options renamed = {
        .format = "jsonl", .text_field = "body", .id_field = "msg id", .customer_field = "cust",
        .time_field = "ts", .channel_field = "src", .label_field = "gold", .score_field = "valence",
        .topics_field = "tags", .emotions_field = "feelings"};
    static const voc_reader_options forced = {.format = "jsonl", .channel = "survey"};
    static const voc_reader_options text = {.format = "text"};
    parse_one(&jsonl, line, size);
    parse_one(&renamed, line, size);
    parse_one(&forced, line, size);
    parse_one(&text, line, size);
    /* a bad format name is refused, not crashed on */
    static const voc_reader_options bad = {.format = "xml"};
    voc_input in;
    voc_error err;
    FUZZ_ASSERT(voc_input_parse(&bad, NULL, 1, line, size, &in, &err) == VOC_EINVAL, "format xml accepted");
    return 0;
}
