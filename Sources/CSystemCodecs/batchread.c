// il_read_heads: the first bytes of many files read with one io_uring submission; see CSystemCodecs.h.
//
// Raw system calls, no liburing (not installed) and no <linux/io_uring.h> (a -dev package): the few structures are
// declared below from the kernel's stable io_uring ABI (Linux 5.1 and later).
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE
#endif
#include "CSystemCodecs.h"
#include <errno.h>

#if defined(__linux__)
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#endif
#ifndef __NR_io_uring_enter
#define __NR_io_uring_enter 426
#endif

/// `struct io_sqring_offsets`.
typedef struct {
    uint32_t head, tail, ring_mask, ring_entries, flags, dropped, array, resv1;
    uint64_t user_addr;
} il_sq_offsets;

/// `struct io_cqring_offsets`.
typedef struct {
    uint32_t head, tail, ring_mask, ring_entries, overflow, cqes, flags, resv1;
    uint64_t user_addr;
} il_cq_offsets;

/// `struct io_uring_params`.
typedef struct {
    uint32_t sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features, wq_fd, resv[3];
    il_sq_offsets sq_off;
    il_cq_offsets cq_off;
} il_uring_params;

/// `struct io_uring_sqe`, as a read uses it.
typedef struct {
    uint8_t opcode, flags;
    uint16_t ioprio;
    int32_t fd;
    uint64_t off, addr;
    uint32_t len, rw_flags;
    uint64_t user_data;
    uint64_t pad[3];
} il_uring_sqe;

/// `struct io_uring_cqe`.
typedef struct {
    uint64_t user_data;
    int32_t res;
    uint32_t flags;
} il_uring_cqe;

_Static_assert(sizeof(il_uring_params) == 120, "io_uring_params");
_Static_assert(sizeof(il_uring_sqe) == 64, "io_uring_sqe");
_Static_assert(sizeof(il_uring_cqe) == 16, "io_uring_cqe");

#define IL_IORING_OP_READ 22
#define IL_IORING_SETUP_SUBMIT_ALL (1U << 7)
#define IL_IORING_FEAT_SINGLE_MMAP (1U << 0)
#define IL_IORING_ENTER_GETEVENTS (1U << 0)
#define IL_IORING_OFF_SQ_RING 0ULL
#define IL_IORING_OFF_CQ_RING 0x8000000ULL
#define IL_IORING_OFF_SQES 0x10000000ULL
/// The most reads in flight at once (and the ring's size).
#define IL_RING_ENTRIES 64U

static int il_uring_enter(int ring, unsigned submit, unsigned wait, unsigned flags) {
    return (int)syscall(__NR_io_uring_enter, ring, submit, wait, flags, NULL, 0);
}

int il_read_heads(const int *fds, size_t count, unsigned char *buffers, size_t capacity, long long *results) {
    if (count == 0) return 0;
    il_uring_params params;
    memset(&params, 0, sizeof params);
    params.flags = IL_IORING_SETUP_SUBMIT_ALL;
    int ring = (int)syscall(__NR_io_uring_setup, IL_RING_ENTRIES, &params);
    if (ring < 0 && errno == EINVAL) {  // a kernel before 5.18: no SUBMIT_ALL, a failed read stops the batch
        memset(&params, 0, sizeof params);
        ring = (int)syscall(__NR_io_uring_setup, IL_RING_ENTRIES, &params);
    }
    if (ring < 0) return -1;
    size_t sq_size = params.sq_off.array + params.sq_entries * sizeof(uint32_t);
    size_t cq_size = params.cq_off.cqes + params.cq_entries * sizeof(il_uring_cqe);
    int single = (params.features & IL_IORING_FEAT_SINGLE_MMAP) != 0;
    if (single && cq_size > sq_size) sq_size = cq_size;
    size_t sqes_size = params.sq_entries * sizeof(il_uring_sqe);
    unsigned char *sq = mmap(NULL, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
                             IL_IORING_OFF_SQ_RING);
    unsigned char *cq = sq;
    il_uring_sqe *sqes = MAP_FAILED;
    if (sq != MAP_FAILED && !single) {
        cq = mmap(NULL, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IL_IORING_OFF_CQ_RING);
    }
    if (sq != MAP_FAILED && cq != MAP_FAILED) {
        sqes = mmap(NULL, sqes_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IL_IORING_OFF_SQES);
    }
    int failure = 0;
    if (sqes == MAP_FAILED) {
        failure = errno;
    } else {
        uint32_t *sq_tail = (uint32_t *)(sq + params.sq_off.tail);
        uint32_t sq_mask = *(uint32_t *)(sq + params.sq_off.ring_mask);
        uint32_t *sq_array = (uint32_t *)(sq + params.sq_off.array);
        uint32_t *cq_head = (uint32_t *)(cq + params.cq_off.head);
        uint32_t *cq_tail = (uint32_t *)(cq + params.cq_off.tail);
        uint32_t cq_mask = *(uint32_t *)(cq + params.cq_off.ring_mask);
        il_uring_cqe *cqes = (il_uring_cqe *)(cq + params.cq_off.cqes);
        size_t next = 0;
        size_t done = 0;
        unsigned in_flight = 0;
        unsigned queued = 0;  // in the submission ring, not yet taken by the kernel
        while (done < count) {
            // Fill the ring: all reads queued together go to the kernel in one call, so the block layer sees
            // them together (one plug) and merges the requests of files that lie next to each other on disk.
            uint32_t tail = *sq_tail;
            while (next < count && in_flight + queued < params.sq_entries) {
                uint32_t slot = tail & sq_mask;
                il_uring_sqe *sqe = &sqes[slot];
                memset(sqe, 0, sizeof *sqe);
                sqe->opcode = IL_IORING_OP_READ;
                sqe->fd = fds[next];
                sqe->addr = (uint64_t)(uintptr_t)(buffers + next * capacity);
                sqe->len = (uint32_t)capacity;
                sqe->off = 0;
                sqe->user_data = next;
                sq_array[slot] = slot;
                tail += 1;
                next += 1;
                queued += 1;
            }
            __atomic_store_n(sq_tail, tail, __ATOMIC_RELEASE);
            int taken = il_uring_enter(ring, queued, 1, IL_IORING_ENTER_GETEVENTS);
            if (taken < 0) {
                if (errno == EINTR || errno == EAGAIN || errno == EBUSY) continue;
                if (in_flight == 0) {  // nothing the kernel still writes into: give up, the caller reads alone
                    failure = errno;
                    break;
                }
                taken = 0;  // wait for what is in flight before anything else
            }
            queued -= (unsigned)taken;
            in_flight += (unsigned)taken;
            uint32_t head = *cq_head;
            uint32_t ready = __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE);
            while (head != ready) {
                il_uring_cqe *cqe = &cqes[head & cq_mask];
                results[cqe->user_data] = cqe->res;
                head += 1;
                done += 1;
                in_flight -= 1;
            }
            __atomic_store_n(cq_head, head, __ATOMIC_RELEASE);
        }
    }
    if (sqes != MAP_FAILED) munmap(sqes, sqes_size);
    if (cq != MAP_FAILED && cq != sq) munmap(cq, cq_size);
    if (sq != MAP_FAILED) munmap(sq, sq_size);
    close(ring);
    if (failure != 0) {
        errno = failure;
        return -1;
    }
    return 0;
}
#else
int il_read_heads(const int *fds, size_t count, unsigned char *buffers, size_t capacity, long long *results) {
    (void)fds;
    (void)count;
    (void)buffers;
    (void)capacity;
    (void)results;
    errno = ENOSYS;
    return -1;
}
#endif
