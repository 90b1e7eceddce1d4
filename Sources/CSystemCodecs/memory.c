// The allocator settings (il_fix_mmap_threshold, and the arena cap every process linking this module gets before
// its main function runs), the early writeback of il_start_writeback and the whole-buffer il_pwrite_all; see
// CSystemCodecs.h.
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE
#endif
#include "CSystemCodecs.h"
// Defines __GLIBC__ on glibc (through <features.h>): without a C library header before the test below, it was
// never defined, and neither setting was made.
#include <stdlib.h>
#include <errno.h>
#include <unistd.h>

int il_pwrite_all(int fd, const void *buffer, size_t length, long long offset) {
    const char *bytes = buffer;
    size_t done = 0;
    while (done < length) {
        ssize_t written = pwrite(fd, bytes + done, length - done, (off_t)(offset + (long long)done));
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) {
            if (written == 0) errno = EIO;
            return -1;
        }
        done += (size_t)written;
    }
    return 0;
}

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

// As many malloc arenas as cores (2 to 8), not glibc's 8 per core. Set in a constructor: an arena exists from the
// first allocation of a thread that found the others busy and is kept at its peak, and the threads the runtimes
// start before main would already have theirs (a mallopt in main made no difference).
// `used` and `retain`: nothing calls it, and the linker's section garbage collection dropped it without them.
__attribute__((constructor, used, retain)) static void il_cap_malloc_arenas(void) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    mallopt(M_ARENA_MAX, cores < 2 ? 2 : cores > 8 ? 8 : (int)cores);
}
#else
int il_fix_mmap_threshold(int bytes) {
    (void)bytes;
    return 0;
}
#endif
