// Run-time binding of zlib and zstd; see CSystemCodecs.h.
#include "CSystemCodecs.h"

#include <dlfcn.h>
#include <pthread.h>

// MARK: - zlib

static struct {
    const char *(*version)(void);
    int (*deflate_init2)(il_z_stream *, int, int, int, int, int, const char *, int);
    int (*deflate)(il_z_stream *, int);
    int (*deflate_end)(il_z_stream *);
    int (*inflate_init2)(il_z_stream *, int, const char *, int);
    int (*inflate)(il_z_stream *, int);
    int (*inflate_reset)(il_z_stream *);
    int (*inflate_end)(il_z_stream *);
    unsigned long (*crc32_z)(unsigned long, const unsigned char *, size_t);
} zlib;
static const char *zlib_error = "zlib is not loaded";
static pthread_once_t zlib_once = PTHREAD_ONCE_INIT;

static void zlib_bind(void) {
    void *handle = dlopen("libz.so.1", RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        zlib_error = "the system library libz.so.1 was not found";
        return;
    }
    // Optional: il_crc32 computes the checksum itself when zlib (before 1.2.9) has no crc32_z.
    *(void **)&zlib.crc32_z = dlsym(handle, "crc32_z");
    *(void **)&zlib.version = dlsym(handle, "zlibVersion");
    *(void **)&zlib.deflate_init2 = dlsym(handle, "deflateInit2_");
    *(void **)&zlib.deflate = dlsym(handle, "deflate");
    *(void **)&zlib.deflate_end = dlsym(handle, "deflateEnd");
    *(void **)&zlib.inflate_init2 = dlsym(handle, "inflateInit2_");
    *(void **)&zlib.inflate = dlsym(handle, "inflate");
    *(void **)&zlib.inflate_reset = dlsym(handle, "inflateReset");
    *(void **)&zlib.inflate_end = dlsym(handle, "inflateEnd");
    if (!zlib.version || !zlib.deflate_init2 || !zlib.deflate || !zlib.deflate_end || !zlib.inflate_init2
        || !zlib.inflate || !zlib.inflate_reset || !zlib.inflate_end) {
        zlib_error = "libz.so.1 lacks a function this tool needs (zlib 1.2 or later is required)";
        return;
    }
    zlib_error = NULL;
}

const char *il_zlib_load(void) {
    pthread_once(&zlib_once, zlib_bind);
    return zlib_error;
}

int il_deflate_init(il_z_stream *stream, int level, int window_bits, int mem_level, int strategy) {
    return zlib.deflate_init2(stream, level, IL_Z_DEFLATED, window_bits, mem_level, strategy, zlib.version(),
                              (int)sizeof(il_z_stream));
}
int il_deflate(il_z_stream *stream, int flush) { return zlib.deflate(stream, flush); }
int il_deflate_end(il_z_stream *stream) { return zlib.deflate_end(stream); }
int il_inflate_init(il_z_stream *stream, int window_bits) {
    return zlib.inflate_init2(stream, window_bits, zlib.version(), (int)sizeof(il_z_stream));
}
int il_inflate(il_z_stream *stream, int flush) { return zlib.inflate(stream, flush); }
int il_inflate_reset(il_z_stream *stream) { return zlib.inflate_reset(stream); }
int il_inflate_end(il_z_stream *stream) { return zlib.inflate_end(stream); }

// CRC-32 (ISO-HDLC): zlib's crc32_z (about 3.5 GB/s on one core here), or a table, one byte at a time, without it.
static unsigned int crc32_table[256];
static pthread_once_t crc32_table_once = PTHREAD_ONCE_INIT;

static void crc32_fill_table(void) {
    for (unsigned int n = 0; n < 256; n++) {
        unsigned int c = n;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc32_table[n] = c;
    }
}

unsigned int il_crc32(unsigned int crc, const void *bytes, size_t length) {
    pthread_once(&zlib_once, zlib_bind);
    if (zlib.crc32_z != NULL) return (unsigned int)zlib.crc32_z(crc, (const unsigned char *)bytes, length);
    return il_crc32_portable(crc, bytes, length);
}

unsigned int il_crc32_portable(unsigned int crc, const void *bytes, size_t length) {
    pthread_once(&crc32_table_once, crc32_fill_table);
    const unsigned char *p = bytes;
    unsigned int c = crc ^ 0xFFFFFFFFu;
    for (size_t i = 0; i < length; i++) c = crc32_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

// MARK: - zstd

static struct {
    unsigned (*version_number)(void);
    void *(*create_cctx)(void);
    size_t (*free_cctx)(void *);
    size_t (*set_parameter)(void *, int, int);
    size_t (*compress_stream2)(void *, il_zstd_out *, il_zstd_in *, int);
    void *(*create_dctx)(void);
    size_t (*free_dctx)(void *);
    size_t (*decompress_stream)(void *, il_zstd_out *, il_zstd_in *);
    unsigned (*is_error)(size_t);
    const char *(*error_name)(size_t);
} zstd;
static const char *zstd_error = "zstd is not loaded";
static pthread_once_t zstd_once = PTHREAD_ONCE_INIT;

static void zstd_bind(void) {
    void *handle = dlopen("libzstd.so.1", RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        zstd_error = "the system library libzstd.so.1 was not found";
        return;
    }
    *(void **)&zstd.version_number = dlsym(handle, "ZSTD_versionNumber");
    *(void **)&zstd.create_cctx = dlsym(handle, "ZSTD_createCCtx");
    *(void **)&zstd.free_cctx = dlsym(handle, "ZSTD_freeCCtx");
    *(void **)&zstd.set_parameter = dlsym(handle, "ZSTD_CCtx_setParameter");
    *(void **)&zstd.compress_stream2 = dlsym(handle, "ZSTD_compressStream2");
    *(void **)&zstd.create_dctx = dlsym(handle, "ZSTD_createDCtx");
    *(void **)&zstd.free_dctx = dlsym(handle, "ZSTD_freeDCtx");
    *(void **)&zstd.decompress_stream = dlsym(handle, "ZSTD_decompressStream");
    *(void **)&zstd.is_error = dlsym(handle, "ZSTD_isError");
    *(void **)&zstd.error_name = dlsym(handle, "ZSTD_getErrorName");
    if (!zstd.version_number || !zstd.create_cctx || !zstd.free_cctx || !zstd.set_parameter
        || !zstd.compress_stream2 || !zstd.create_dctx || !zstd.free_dctx || !zstd.decompress_stream
        || !zstd.is_error || !zstd.error_name) {
        zstd_error = "libzstd.so.1 lacks a function this tool needs (zstd 1.4 or later is required)";
        return;
    }
    // The parameter numbers and ZSTD_compressStream2 are stable from 1.4.0 on.
    if (zstd.version_number() < 10400) {
        zstd_error = "libzstd.so.1 is older than 1.4.0";
        return;
    }
    zstd_error = NULL;
}

const char *il_zstd_load(void) {
    pthread_once(&zstd_once, zstd_bind);
    return zstd_error;
}

void *il_zstd_create_cctx(void) { return zstd.create_cctx(); }
void il_zstd_free_cctx(void *context) { zstd.free_cctx(context); }
size_t il_zstd_cctx_set_parameter(void *context, int parameter, int value) {
    return zstd.set_parameter(context, parameter, value);
}
size_t il_zstd_compress_stream2(void *context, il_zstd_out *output, il_zstd_in *input, int end_op) {
    return zstd.compress_stream2(context, output, input, end_op);
}
void *il_zstd_create_dctx(void) { return zstd.create_dctx(); }
void il_zstd_free_dctx(void *context) { zstd.free_dctx(context); }
size_t il_zstd_decompress_stream(void *context, il_zstd_out *output, il_zstd_in *input) {
    return zstd.decompress_stream(context, output, input);
}
unsigned il_zstd_is_error(size_t code) { return zstd.is_error(code); }
const char *il_zstd_error_name(size_t code) { return zstd.error_name(code); }
