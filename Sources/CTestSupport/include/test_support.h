#ifndef IL_TEST_SUPPORT_H
#define IL_TEST_SUPPORT_H

/// Makes `io_uring_setup` fail with EPERM on the calling thread, and on it alone, for the rest of its life, as
/// Docker's default seccomp profile does for a whole container. Irreversible: call it on a thread of its own.
/// Returns 0, or -1 with errno set when the kernel refuses the filter.
int il_test_refuse_io_uring_on_this_thread(void);

#endif
