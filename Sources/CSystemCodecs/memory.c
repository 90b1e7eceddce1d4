// The allocator setting of il_fix_mmap_threshold and the early writeback of il_start_writeback; see CSystemCodecs.h.
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE
#endif
#include "CSystemCodecs.h"

#if defined(__linux__)
#include <fcntl.h>

int il_start_writeback(int fd, long long offset, long long length) {
    return sync_file_range(fd, (off64_t)offset, (off64_t)length, SYNC_FILE_RANGE_WRITE);
}
#else
int il_start_writeback(int fd, long long offset, long long length) {
    (void)fd;
    (void)offset;
    (void)length;
    return 0;
}
#endif

#if defined(__GLIBC__)
#include <malloc.h>

int il_fix_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
#else
int il_fix_mmap_threshold(int bytes) {
    (void)bytes;
    return 0;
}
#endif
