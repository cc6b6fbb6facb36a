/* opencc.c — adapter for OpenCC (Simplified → Traditional, Taiwan phrases: s2twp).
 *
 * OpenCC converts at about 1.5 MB/s, so normalize.c calls it only for Han runs that hold a
 * Simplified-only character; a session opens its handle the first time it meets one.  The
 * library itself (with libmarisa) is opened (dlopen) then too, as readers/email.c does for
 * GMime: a run without Simplified text neither maps nor relocates it (about 0.4 ms of every
 * start-up). */
#include "internal.h"

#include <opencc/opencc.h>
#include <stdlib.h>
#include <string.h>

#define OPENCC_FUNCTIONS(X) X(opencc_open) X(opencc_error) X(opencc_close) X(opencc_convert_utf8_to_buffer)

VOC_LIBRARY_DEFINE(OPENCC_FUNCTIONS, "OpenCC", "apt-get install libopencc1.1", NULL, VOCMINE_OPENCC_SONAME);

#define opencc_open voc_lib_table.opencc_open
#define opencc_error voc_lib_table.opencc_error
#define opencc_close voc_lib_table.opencc_close
#define opencc_convert_utf8_to_buffer voc_lib_table.opencc_convert_utf8_to_buffer

struct voc_opencc {
    opencc_t handle;
};

voc_opencc *voc__opencc_open(voc_error *err)
{
    if (!voc__library_ready(&voc_lib, &voc_lib_state, NULL)) {
        voc__fail(err, VOC_EDEPENDENCY, "OpenCC", 0, 0, "%s", voc_lib_state.problem);
        return NULL;
    }
    opencc_t h = opencc_open("s2twp.json");
    if (h == (opencc_t)-1) {
        const char *why = opencc_error();
        voc__fail(err, VOC_EDEPENDENCY, "OpenCC", 0, 0,
                  "cannot open OpenCC config s2twp.json: %s (Debian package libopencc-data)",
                  why ? why : "unknown error");
        return NULL;
    }
    voc_opencc *cc = malloc(sizeof *cc);
    if (!cc) {
        opencc_close(h);
        voc__fail(err, VOC_ENOMEM, "OpenCC", 0, 0, "out of memory");
        return NULL;
    }
    cc->handle = h;
    return cc;
}

void voc__opencc_close(voc_opencc *cc)
{
    if (!cc) return;
    opencc_close(cc->handle);
    free(cc);
}

int voc__opencc_convert(voc_opencc *cc, const char *text, size_t len, voc_buf *out)
{
    /* s2twp never grows text by more than a few characters per phrase; 3x + slack is
     * OpenCC's own documented bound for opencc_convert_utf8_to_buffer. */
    if (len > (SIZE_MAX - 64) / 3) return VOC_ETOOBIG;
    if (voc__buf_reserve(out, len * 3 + 64) != VOC_OK) return VOC_ENOMEM;
    size_t n = opencc_convert_utf8_to_buffer(cc->handle, text, len, out->data + out->len);
    if (n == (size_t)-1) return VOC_EDEPENDENCY;
    out->len += n;
    out->data[out->len] = '\0';
    return VOC_OK;
}
