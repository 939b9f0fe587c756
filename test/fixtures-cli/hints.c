/* CLI test fixture: only hint-level findings (raw-memory-call). */
#include <string.h>

struct point {
    int x;
    int y;
};

void copy_point(struct point *dst, const struct point *src)
{
    memcpy(dst, src, sizeof *dst);
}
