/* A header static inline whose facts depend on NDEBUG. */
#include <assert.h>
static inline int checked_index(int i)
{
    assert(i >= 0);
    return i;
}
