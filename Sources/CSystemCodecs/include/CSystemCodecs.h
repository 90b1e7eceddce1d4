// zlib and zstd, loaded from the system's shared libraries at run time.
//
// The tool builds without the -dev packages of either library: the few types and constants it needs are declared
// here from the libraries' documented, stable ABIs (zlib 1.x `z_stream`, zstd >= 1.4 streaming API), and the
// functions are looked up with dlopen/dlsym the first time a codec starts. A machine without the library gets a
// clear error from the codec that needs it, and every other command works.
#ifndef INTERLINK_SYSTEM_CODECS_H
#define INTERLINK_SYSTEM_CODECS_H

#include <stddef.h>

// MARK: - zlib

/// zlib's `z_stream`, field for field (zlib 1.x; `stream_size` passed to the init calls lets zlib check it).
typedef struct il_z_stream {
    const unsigned char *next_in;
    unsigned int avail_in;
    unsigned long total_in;
    unsigned char *next_out;
    unsigned int avail_out;
    unsigned long total_out;
    const char *msg;
    void *state;
    void *zalloc;
    void *zfree;
    void *opaque;
    int data_type;
    unsigned long adler;
    unsigned long reserved;
} il_z_stream;

#define IL_Z_OK 0
#define IL_Z_STREAM_END 1
#define IL_Z_BUF_ERROR -5
#define IL_Z_NO_FLUSH 0
#define IL_Z_FINISH 4
#define IL_Z_DEFLATED 8
#define IL_Z_DEFAULT_STRATEGY 0

/// Loads libz. Returns NULL on success, else a static message naming what is missing.
const char *il_zlib_load(void);
int il_deflate_init(il_z_stream *stream, int level, int window_bits, int mem_level, int strategy);
int il_deflate(il_z_stream *stream, int flush);
int il_deflate_end(il_z_stream *stream);
int il_inflate_init(il_z_stream *stream, int window_bits);
int il_inflate(il_z_stream *stream, int flush);
int il_inflate_reset(il_z_stream *stream);
int il_inflate_end(il_z_stream *stream);

/// The CRC-32 (ISO-HDLC, as zlib, gzip and S3's `CRC32` checksum) of `length` bytes, continuing from `crc` (0 to
/// start). Folds 64 bytes at a time by carry-less multiplication on x86-64 CPUs with PCLMULQDQ (runs of 64 bytes
/// or more), else uses zlib's `crc32_z` when libz.so.1 loads, else a table in this module: always available.
unsigned int il_crc32(unsigned int crc, const void *bytes, size_t length);
/// The same CRC-32 through zlib's `crc32_z` (the table without zlib), for tests and benches that compare.
unsigned int il_crc32_zlib(unsigned int crc, const void *bytes, size_t length);
/// The same CRC-32, always from this module's table (for tests that check the others against it).
unsigned int il_crc32_portable(unsigned int crc, const void *bytes, size_t length);

// MARK: - zstd

/// zstd's `ZSTD_inBuffer`.
typedef struct il_zstd_in {
    const void *src;
    size_t size;
    size_t pos;
} il_zstd_in;

/// zstd's `ZSTD_outBuffer`.
typedef struct il_zstd_out {
    void *dst;
    size_t size;
    size_t pos;
} il_zstd_out;

#define IL_ZSTD_C_COMPRESSION_LEVEL 100
#define IL_ZSTD_C_CHECKSUM_FLAG 201
#define IL_ZSTD_E_CONTINUE 0
#define IL_ZSTD_E_END 2

/// Loads libzstd. Returns NULL on success, else a static message naming what is missing.
const char *il_zstd_load(void);
void *il_zstd_create_cctx(void);
void il_zstd_free_cctx(void *context);
size_t il_zstd_cctx_set_parameter(void *context, int parameter, int value);
size_t il_zstd_compress_stream2(void *context, il_zstd_out *output, il_zstd_in *input, int end_op);
void *il_zstd_create_dctx(void);
void il_zstd_free_dctx(void *context);
size_t il_zstd_decompress_stream(void *context, il_zstd_out *output, il_zstd_in *input);
unsigned il_zstd_is_error(size_t code);
const char *il_zstd_error_name(size_t code);

// MARK: - Memory

/// Fixes glibc's mmap threshold at `bytes` (glibc otherwise raises it after each large free, so later large buffers
/// come from the heap arenas and fragment them). Returns 1 when set, 0 where there is no such setting.
int il_fix_mmap_threshold(int bytes);

// Every process linking this module also gets glibc's malloc arenas capped at its core count (2 to 8; glibc keeps
// up to 8 per core, each grown to its thread's peak and fragmented), by a constructor in memory.c that runs before
// main: 10,000 local jobs peaked at 200 MiB with 16 arenas on 2 cores, 155 MiB with 2.

// MARK: - Files

/// Starts writing back the dirty pages of `length` bytes of `fd` from `offset` without waiting for them (Linux's
/// `sync_file_range` with `SYNC_FILE_RANGE_WRITE`), so a later `fsync` finds them written or on their way.
/// Durability still comes only from that `fsync`. Returns 0, or -1 with errno set; 0 where there is no such call.
int il_start_writeback(int fd, long long offset, long long length);

/// Writes all `length` bytes of `buffer` to `fd` at `offset` with `pwrite`, going on after a short write and after
/// an interrupted one (EINTR). Returns 0, or -1 with errno set (EIO when a write took nothing).
int il_pwrite_all(int fd, const void *buffer, size_t length, long long offset);

/// Reads the first `capacity` bytes of each of `count` open files (`fds`) into `buffers + i * capacity`, queueing
/// the reads together in one io_uring submission (up to 64 in flight), so the block layer sees them at once and
/// merges the disk requests of files stored side by side; `results[i]` gets the bytes read from `fds[i]` or
/// -errno. Returns 0, or -1 with errno set when io_uring cannot be used (ENOSYS: an old kernel or not Linux; EPERM:
/// refused, as container sandboxes do), in which case the caller reads the files itself.
int il_read_heads(const int *fds, size_t count, unsigned char *buffers, size_t capacity, long long *results);

#endif
