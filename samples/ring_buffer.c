/* A fixed-capacity byte ring buffer for a serial-port driver.
 * Classic C: manual allocation, pointer walking and a goto cleanup path. */
#include "ring_buffer.h"

#include <stdlib.h>
#include <string.h>

#define RB_MIN_CAPACITY 16

struct ring_buffer {
    unsigned char *data;
    size_t capacity;
    size_t head; /* next byte to read */
    size_t tail; /* next byte to write */
    size_t count;
};

struct ring_buffer *ring_buffer_create(size_t capacity)
{
    struct ring_buffer *rb = malloc(sizeof *rb);
    if (rb == NULL)
        return NULL;
    if (capacity < RB_MIN_CAPACITY)
        capacity = RB_MIN_CAPACITY;
    rb->data = calloc(capacity, 1);
    if (rb->data == NULL)
        goto fail;
    rb->capacity = capacity;
    rb->head = rb->tail = rb->count = 0;
    return rb;

fail:
    free(rb);
    return NULL;
}

void ring_buffer_destroy(struct ring_buffer *rb)
{
    if (rb == NULL)
        return;
    free(rb->data);
    free(rb);
}

size_t ring_buffer_write(struct ring_buffer *rb, const unsigned char *src, size_t len)
{
    size_t written = 0;
    while (written < len && rb->count < rb->capacity) {
        rb->data[rb->tail] = *src++;
        rb->tail = (rb->tail + 1) % rb->capacity;
        rb->count++;
        written++;
    }
    return written;
}

size_t ring_buffer_read(struct ring_buffer *rb, unsigned char *dst, size_t len)
{
    size_t first;
    size_t n = len < rb->count ? len : rb->count;

    /* Copy in at most two runs: up to the end of the storage, then from its start. */
    first = rb->capacity - rb->head;
    if (first > n)
        first = n;
    memcpy(dst, rb->data + rb->head, first);
    memcpy(dst + first, rb->data, n - first);
    rb->head = (rb->head + n) % rb->capacity;
    rb->count -= n;
    return n;
}

size_t ring_buffer_size(const struct ring_buffer *rb)
{
    return rb->count;
}

bool ring_buffer_is_full(const struct ring_buffer *rb)
{
    return rb->count == rb->capacity;
}
