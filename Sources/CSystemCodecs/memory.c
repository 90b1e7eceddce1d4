// The allocator setting of il_fix_mmap_threshold; see CSystemCodecs.h.
#include "CSystemCodecs.h"

#if defined(__GLIBC__)
#include <malloc.h>

int il_fix_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
#else
int il_fix_mmap_threshold(int bytes) {
    (void)bytes;
    return 0;
}
#endif
