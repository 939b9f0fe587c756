#ifndef BUFFER_H
#define BUFFER_H
#include <stddef.h>

struct buffer {
    char *data;
    size_t len;
};

struct buffer *buffer_new(size_t len);
void buffer_free(struct buffer *b);
char buffer_at(const struct buffer *b, size_t i);

#endif
