/* mem_source.h — a voc_read_fn over bytes in memory that hands out at most `step` bytes per
 * call, so units, quoted fields and multi-byte characters fall across reads the way a pipe
 * cuts them.  Shared by the reader fuzz target and tests/unit/test_readers.c. */
#ifndef VOCMINE_MEM_SOURCE_H
#define VOCMINE_MEM_SOURCE_H

#include <stddef.h>
#include <string.h>

typedef struct mem_source {
    const void *data;
    size_t len, pos, step;
} mem_source;

static inline long mem_source_read(void *user, char *buf, size_t cap)
{
    mem_source *m = user;
    size_t n = m->len - m->pos;
    if (n > m->step) n = m->step;
    if (n > cap) n = cap;
    memcpy(buf, (const char *)m->data + m->pos, n);
    m->pos += n;
    return (long)n;
}

#endif
