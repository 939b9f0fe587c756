#include <stdlib.h>
#include "buffer.h"

struct buffer *buffer_new(size_t len) {
    struct buffer *b = malloc(sizeof *b);
    if (b == NULL) return NULL;
    b->data = malloc(len);
    b->len = len;
    return b;
}

void buffer_free(struct buffer *b) {
    free(b->data);
    free(b);
}

char buffer_at(const struct buffer *b, size_t i) {
    const char *p = b->data;
    p += i;
    return *p;
}
