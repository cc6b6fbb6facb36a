/* flag_view.c — `vocmine flag`: which records a support lead sees, and how they read.
 *
 * A record is shown when one of its flags passes --flags and --min-severity; its rank is
 * the highest severity among those.  The text form is one line per record for a terminal:
 *
 *   HIGH    churn_risk:high repeat_contact:medium  C-88120  email  T-10442  「解約」 「第三次反映」
 *
 * severity, the flags with theirs, customer, channel, id, then the words that triggered
 * them as written (whole words, overlapping ones joined, each once, at most eight).  Colour (high red, medium yellow) only when
 * standard output is a terminal and NO_COLOR is not set. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* Does this flag pass --flags and --min-severity? */
static bool flag_shown(const cli_options *o, const voc_flag_result *f)
{
    return (o->flag_mask & (1u << f->id)) && f->severity >= o->min_severity;
}

int cli_flag_rank(const cli_options *o, const voc_result *r)
{
    int rank = VOC_SEVERITY_NONE;
    for (size_t i = 0; i < r->n_flags; i++)
        if (flag_shown(o, &r->flags[i]) && r->flags[i].severity > rank) rank = r->flags[i].severity;
    return rank;
}

/* Append s (len bytes) to the sink, cut at `max` bytes on a character boundary. */
static int put_cut(voc_sink sink, void *user, const char *s, size_t len, size_t max)
{
    if (len > max) {
        len = max;
        while (len && ((unsigned char)s[len] & 0xC0) == 0x80) len--; /* not inside a character */
        if (sink(user, s, len) < 0) return -1;
        return sink(user, "…", strlen("…"));
    }
    return sink(user, s, len);
}

static int put(voc_sink sink, void *user, const char *s) { return sink(user, s, strlen(s)); }

/* The field, or "-" when absent; control characters would break the line: shown as spaces. */
static int put_field(voc_sink sink, void *user, const char *s, size_t max)
{
    if (!s || !*s) return put(sink, user, "-");
    char tmp[256];
    size_t n = strlen(s);
    if (n > sizeof tmp - 1) n = sizeof tmp - 1;
    for (size_t i = 0; i < n; i++) tmp[i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
    return put_cut(sink, user, tmp, n, max);
}

int cli_flag_text(const cli_options *o, const voc_doc *doc, const voc_result *r, int rank,
                  bool colour, voc_sink sink, void *user)
{
    static const char *const upper[] = {"", "LOW", "MEDIUM", "HIGH"};
    static const char *const colours[] = {"", "", "\033[33m", "\033[1;31m"};
    int rc = 0;
    if (colour) rc |= put(sink, user, colours[rank]);
    char head[16];
    snprintf(head, sizeof head, "%-6s", upper[rank]);
    rc |= put(sink, user, head);
    if (colour) rc |= put(sink, user, "\033[0m");
    rc |= put(sink, user, "  ");
    int shown = 0;
    for (size_t i = 0; i < r->n_flags; i++) {
        const voc_flag_result *f = &r->flags[i];
        if (!flag_shown(o, f)) continue;
        if (shown++) rc |= put(sink, user, " ");
        rc |= put(sink, user, voc_flag_name(f->id));
        rc |= put(sink, user, ":");
        rc |= put(sink, user, voc_severity_name(f->severity));
    }
    rc |= put(sink, user, "  ");
    rc |= put_field(sink, user, doc->customer_id, 40);
    rc |= put(sink, user, "  ");
    rc |= put_field(sink, user, doc->channel, 20);
    rc |= put(sink, user, "  ");
    rc |= put_field(sink, user, doc->id, 60);
    /* the triggering words: spans that overlap or touch are shown as one stretch (打了五 and
     * 五通電話 read as 打了五通電話), in flag order, each text once, at most eight */
    size_t n_words = 0;
    voc_span seen[8];
    for (size_t i = 0; i < r->n_flags; i++) {
        const voc_flag_result *f = &r->flags[i];
        if (!flag_shown(o, f)) continue;
        for (size_t k = 0; k < f->n_spans; k++) {
            voc_span s = f->spans[k];
            if (s.end <= s.start || s.end > r->text_len) continue;
            /* a contraction's second token ("n't be renewing") is shown with its word */
            while (s.start > 0 && ((r->text[s.start - 1] | 0x20) >= 'a' && (r->text[s.start - 1] | 0x20) <= 'z'))
                s.start--;
            bool merged = false;
            for (size_t m = 0; m < n_words && !merged; m++)
                if (s.start <= seen[m].end && seen[m].start <= s.end) {
                    if (s.start < seen[m].start) seen[m].start = s.start;
                    if (s.end > seen[m].end) seen[m].end = s.end;
                    merged = true;
                }
            if (!merged && n_words < 8) seen[n_words++] = s;
        }
    }
    for (size_t m = 0; m < n_words; m++) {
        bool dup = false; /* the same words elsewhere in the text */
        for (size_t p = 0; p < m && !dup; p++)
            dup = seen[p].end - seen[p].start == seen[m].end - seen[m].start &&
                  !memcmp(r->text + seen[p].start, r->text + seen[m].start, seen[m].end - seen[m].start);
        if (dup) continue;
        rc |= put(sink, user, m == 0 ? "  「" : " 「");
        char tmp[128];
        size_t len = seen[m].end - seen[m].start < sizeof tmp ? seen[m].end - seen[m].start : sizeof tmp - 1;
        for (size_t c = 0; c < len; c++)
            tmp[c] = (unsigned char)r->text[seen[m].start + c] < 0x20 ? ' ' : r->text[seen[m].start + c];
        rc |= put_cut(sink, user, tmp, len, 60);
        rc |= put(sink, user, "」");
    }
    rc |= put(sink, user, "\n");
    return rc < 0 ? -1 : 0;
}
