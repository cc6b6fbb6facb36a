/* readers/html_text.c — the text of an HTML e-mail part, through libxml2's HTML parser.
 *
 * email.c hands over a text/html part already converted to UTF-8; libxml2's forgiving
 * parser (unclosed tags, stray entities, Outlook's <o:p>) reports elements and text through
 * SAX callbacks, fed in chunks, so no tree is built: what a reader sees is written as it
 * comes — scripts, styles and the head dropped, block elements as line breaks, runs of
 * white space as one space, and blockquotes as "> " lines so that reply_strip.c removes
 * the quoted message as it does for plain text.  libxml2 is opened (dlopen) by the first
 * call, so that runs without HTML mail do not load it at start-up. */
#include "readers.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <limits.h>
#include <string.h>

/* ---- libxml2, loaded when the first HTML part is read ----------------------------------
 * As email.c does for GMime (the reasons are there): the functions below are looked up on
 * first use (voc__library_ready), and the macros after the table route the calls through it. */
#define XML_FUNCTIONS(X)                                                                    \
    X(xmlInitParser) X(xmlStopParser) X(htmlCreatePushParserCtxt) X(htmlCtxtUseOptions)    \
    X(htmlParseChunk) X(htmlFreeParserCtxt)

VOC_LIBRARY_DEFINE(XML_FUNCTIONS, "libxml2", "apt-get install libxml2", NULL, VOCMINE_XML2_SONAME);

#define xmlInitParser voc_lib_table.xmlInitParser
#define xmlStopParser voc_lib_table.xmlStopParser
#define htmlCreatePushParserCtxt voc_lib_table.htmlCreatePushParserCtxt
#define htmlCtxtUseOptions voc_lib_table.htmlCtxtUseOptions
#define htmlParseChunk voc_lib_table.htmlParseChunk
#define htmlFreeParserCtxt voc_lib_table.htmlFreeParserCtxt

/* After loading, once, before any thread parses: xmlInitParser (libxml2's documented rule
 * for threads). */
static bool xml_setup(voc_library_state *st)
{
    (void)st;
    xmlInitParser();
    return true;
}

enum { EL_INLINE = 0, EL_SKIP, EL_BREAK, EL_LINE, EL_PARA, EL_CELL, EL_QUOTE, EL_PRE };

static int element_kind(const char *name)
{
    static const char *const skip[] = {"script", "style", "head", "title", "noscript", "template",
                                       "object", "iframe", "svg", "math", "select", "button"};
    static const char *const line[] = {"div", "li", "tr", "dt", "dd", "ul", "ol", "dl", "hr",
                                       "section", "article", "header", "footer", "nav", "aside",
                                       "main", "address", "center", "form", "fieldset", "figure",
                                       "figcaption", "caption", "tbody", "thead", "tfoot", "body",
                                       "details", "summary", "legend", "option"};
    static const char *const para[] = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table"};
    for (size_t k = 0; k < sizeof skip / sizeof *skip; k++)
        if (strcmp(name, skip[k]) == 0) return EL_SKIP;
    for (size_t k = 0; k < sizeof line / sizeof *line; k++)
        if (strcmp(name, line[k]) == 0) return EL_LINE;
    for (size_t k = 0; k < sizeof para / sizeof *para; k++)
        if (strcmp(name, para[k]) == 0) return EL_PARA;
    if (strcmp(name, "br") == 0) return EL_BREAK;
    if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) return EL_CELL;
    if (strcmp(name, "blockquote") == 0) return EL_QUOTE;
    if (strcmp(name, "pre") == 0) return EL_PRE;
    return EL_INLINE;
}

typedef struct walker {
    voc_buf *out;
    int quote;          /* blockquote depth */
    int pre;            /* inside <pre>: white space kept */
    int breaks;         /* line breaks owed before the next character (0..2) */
    int space;          /* a space owed before the next character */
    int line_start;     /* the next character starts a line */
    int any;            /* something was written */
} walker;

static void want_breaks(walker *w, int n)
{
    if (w->any && w->breaks < n) w->breaks = n;
}

/* Write one character (UTF-8 bytes), first the breaks, quote marks and space it is owed. */
static void put_char(walker *w, const char *s, size_t n)
{
    if (w->breaks) {
        voc__buf_append(w->out, "\n\n", (size_t)w->breaks);
        w->breaks = 0;
        w->space = 0;
        w->line_start = 1;
    }
    if (w->line_start) {
        for (int q = 0; q < w->quote; q++) voc__buf_append(w->out, "> ", 2);
        w->space = 0;
        w->line_start = 0;
    } else if (w->space) {
        voc__buf_append(w->out, " ", 1);
    }
    w->space = 0;
    voc__buf_append(w->out, s, n);
    w->any = 1;
}

static void put_text(walker *w, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (i + n > len) n = len - i;
        if (w->pre && c == '\n') {
            if (w->any) voc__buf_append(w->out, "\n", 1);
            w->line_start = 1;
            w->space = 0;
        } else if (w->pre && c == '\r') {
            /* dropped: "\r\n" is one line break */
        } else if (!w->pre && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
                               (c == 0xC2 && n == 2 && (unsigned char)s[i + 1] == 0xA0))) {
            if (w->any && !w->line_start) w->space = 1;  /* &nbsp; collapses too */
        } else {
            put_char(w, s + i, n);
        }
        i += n;
    }
}

/* Element nesting deeper than this stops the parse (the text before it is kept): libxml2
 * looks an end tag up through the open elements, so an unbounded depth would make hostile
 * input quadratic.  256 is libxml2's own limit for trees; a Gmail thread nests ~3 per reply. */
#define MAX_DEPTH 256

typedef struct sax_state {
    walker w;
    htmlParserCtxtPtr ctxt;
    int depth;          /* open elements */
    int skip;           /* open elements whose content is dropped (script, style, head ...) */
} sax_state;

static void on_start(void *user, const xmlChar *name, const xmlChar **atts)
{
    (void)atts;
    sax_state *st = user;
    if (++st->depth > MAX_DEPTH) {
        xmlStopParser(st->ctxt);
        return;
    }
    int kind = element_kind((const char *)name);
    walker *w = &st->w;
    if (st->skip) {
        st->skip += kind == EL_SKIP;
        return;
    }
    switch (kind) {
    case EL_SKIP: st->skip = 1; break;
    case EL_BREAK:
        if (w->any) w->breaks = w->breaks < 2 ? w->breaks + 1 : 2;
        break;
    case EL_LINE: want_breaks(w, 1); break;
    case EL_PARA: want_breaks(w, 2); break;
    case EL_CELL: if (w->any && !w->line_start) w->space = 1; break;
    case EL_QUOTE: want_breaks(w, 1); w->quote++; break;
    case EL_PRE: want_breaks(w, 2); w->pre++; break;
    default: break;
    }
}

static void on_end(void *user, const xmlChar *name)
{
    sax_state *st = user;
    if (st->depth) st->depth--;
    int kind = element_kind((const char *)name);
    walker *w = &st->w;
    if (st->skip) {
        st->skip -= kind == EL_SKIP;
        return;
    }
    switch (kind) {
    case EL_LINE: want_breaks(w, 1); break;
    case EL_PARA: want_breaks(w, 2); break;
    case EL_CELL: w->space = w->any && !w->line_start; break;
    case EL_QUOTE: if (w->quote) w->quote--; want_breaks(w, 1); break;
    case EL_PRE: if (w->pre) w->pre--; want_breaks(w, 2); break;
    default: break;
    }
}

static void on_text(void *user, const xmlChar *s, int len)
{
    sax_state *st = user;
    if (!st->skip && len > 0) put_text(&st->w, (const char *)s, (size_t)len);
}

int voc__html_to_text(const char *html, size_t len, voc_buf *out, voc_error *err)
{
    if (!out) return voc__fail(err, VOC_EINVAL, "<html>", 0, 0, "NULL output");
    if (!html || !len) return VOC_OK;
    if (len > INT_MAX) return voc__fail(err, VOC_ETOOBIG, "<html>", 0, 0, "over 2 GiB of HTML");
    if (!voc__library_ready(&voc_lib, &voc_lib_state, xml_setup))
        return voc__fail(err, VOC_EDEPENDENCY, "<html>", 0, 0, "%s", voc_lib_state.problem);
    voc_buf fixed = {0};
    if (!voc__utf8_valid(html, len)) { /* libxml2 would fall back to Latin-1 on a bad byte */
        int w = voc__utf8_repair(html, len, &fixed);
        if (w < 0) return voc__fail(err, w, "<html>", 0, 0, "out of memory");
        html = fixed.data;
        len = fixed.len;
    }
    htmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElement = on_start;
    sax.endElement = on_end;
    sax.characters = on_text;
    sax.ignorableWhitespace = on_text;
    sax.cdataBlock = on_text; /* script and style bodies: dropped by `skip` */
    sax_state st = {.w = {.out = out, .line_start = 1}};
    size_t start_len = out->len;
    /* the encoding is ours (UTF-8): a <meta charset> inside must not switch it */
    st.ctxt = htmlCreatePushParserCtxt(&sax, &st, NULL, 0, NULL, XML_CHAR_ENCODING_UTF8);
    if (!st.ctxt) {
        voc__buf_free(&fixed);
        return voc__fail(err, VOC_ENOMEM, "<html>", 0, 0, "out of memory");
    }
    htmlCtxtUseOptions(st.ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                    HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
    const size_t chunk = 65536;
    for (size_t pos = 0; pos < len && !st.ctxt->disableSAX; pos += chunk) {
        size_t n = len - pos < chunk ? len - pos : chunk;
        htmlParseChunk(st.ctxt, html + pos, (int)n, 0);
        if (out->failed) break;
    }
    htmlParseChunk(st.ctxt, NULL, 0, 1);
    htmlFreeParserCtxt(st.ctxt);
    voc__buf_free(&fixed);
    if (out->len == start_len) voc__buf_append(out, "", 0); /* data non-NULL even when empty */
    if (out->failed) return voc__fail(err, VOC_ENOMEM, "<html>", 0, 0, "out of memory");
    return VOC_OK;
}
