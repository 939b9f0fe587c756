/* A fixed-capacity byte ring buffer for a serial-port driver.
 * The buffer owns its storage; callers only see the opaque handle. */
#ifndef RING_BUFFER_H
#define RING_BUFFER_H

#include <stdbool.h>
#include <stddef.h>

struct ring_buffer;

struct ring_buffer *ring_buffer_create(size_t capacity);
void ring_buffer_destroy(struct ring_buffer *rb);

/* Returns how many bytes were copied in or out. */
size_t ring_buffer_write(struct ring_buffer *rb, const unsigned char *src, size_t len);
size_t ring_buffer_read(struct ring_buffer *rb, unsigned char *dst, size_t len);

size_t ring_buffer_size(const struct ring_buffer *rb);
bool ring_buffer_is_full(const struct ring_buffer *rb);

#endif /* RING_BUFFER_H */
