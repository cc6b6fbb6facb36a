/* fuzz_reader.c — libFuzzer target for src/readers/: a whole input stream through a
 * voc_reader and every unit through voc_reader_parse, in the format the first byte picks
 * (jsonl, text, csv, tsv, chat, social, email, mbox, or guessed), handed over in pieces of
 * a size the second byte picks, so units, quotes and multi-byte characters fall across
 * reads.  The rest of the input is the stream.
 *
 * Invariants: the reader ends (no hang) with 0 or an error naming the source; every unit
 * lies inside what was read, has a line number that never decreases, and parses to a
 * document (readable text, NUL-terminated strings) or to an error naming the same source
 * and line; voc_input_clear and voc_reader_free release everything (the sanitizer build's
 * leak checker). */
#include "vocmine.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "mem_source.h"

static volatile unsigned sink;

static void touch(const char *s, size_t n)
{
    unsigned h = 0;
    for (size_t i = 0; i < n; i++) h = h * 31 + (unsigned char)s[i];
    sink ^= h;
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const formats[] = {NULL, "jsonl", "text", "csv", "tsv", "chat",
                                          "social", "email", "mbox"};
    if (size < 2) return 0;
    voc_reader_options o = {0};
    o.format = formats[data[0] % (sizeof formats / sizeof *formats)];
    if (data[0] & 0x80) o.encoding = "big5"; /* a forced legacy encoding now and then */
    mem_source s = {data + 2, size - 2, 0, 1 + data[1] % 97};
    voc_reader *r;
    voc_error err;
    FUZZ_ASSERT(voc_reader_new(&o, "fuzz.in", mem_source_read, &s, &r, &err) == VOC_OK, "reader refused");
    voc_unit u;
    int rc;
    size_t last_line = 0, units = 0;
    while ((rc = voc_reader_next(r, &u, &err)) > 0) {
        FUZZ_ASSERT(u.line >= last_line, "line went back from %zu to %zu", last_line, u.line);
        FUZZ_ASSERT(units++ <= size + 1, "more units than bytes");
        last_line = u.line;
        touch(u.data, u.len);
        voc_input in;
        voc_error perr;
        memset(&perr, 0, sizeof perr);
        int prc = voc_reader_parse(r, &u, &in, &perr);
        if (prc == VOC_OK) {
            touch(in.doc.text, in.doc.text_len);
            FUZZ_ASSERT(in.doc.id && memchr(in.doc.id, '\0', 1 << 20), "no id");
            if (in.doc.customer_id) touch(in.doc.customer_id, strlen(in.doc.customer_id));
            if (in.doc.time) touch(in.doc.time, strlen(in.doc.time));
            for (size_t t = 0; t < in.doc.n_turns; t++)
                FUZZ_ASSERT(in.doc.turns[t].start + in.doc.turns[t].len <= in.doc.text_len,
                            "turn %zu outside the text", t);
            voc_input_clear(&in);
        } else {
            FUZZ_ASSERT(prc == VOC_EPARSE || prc == VOC_EFIELD || prc == VOC_ENOMEM,
                        "unexpected parse status %s", voc_status_name(prc));
            FUZZ_ASSERT(perr.message[0], "parse failed without a message");
            FUZZ_ASSERT(!strcmp(perr.source, "fuzz.in") && perr.line == u.line,
                        "parse error names %s:%zu, not the unit's line %zu", perr.source, perr.line, u.line);
        }
    }
    if (rc < 0) FUZZ_ASSERT(err.message[0] && !strcmp(err.source, "fuzz.in"), "error without a source");
    voc_reader_free(r);
    return 0;
}
