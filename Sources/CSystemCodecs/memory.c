// The allocator settings il_fix_mmap_threshold and il_limit_malloc_arenas; see CSystemCodecs.h.
#include "CSystemCodecs.h"

#if defined(__GLIBC__)
#include <malloc.h>

int il_fix_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }

int il_limit_malloc_arenas(int count) { return mallopt(M_ARENA_MAX, count); }
#else
int il_fix_mmap_threshold(int bytes) {
    (void)bytes;
    return 0;
}

int il_limit_malloc_arenas(int count) {
    (void)count;
    return 0;
}
#endif
