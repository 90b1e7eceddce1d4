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

// CRC-32 (ISO-HDLC): carry-less multiplication where the CPU has it (x86-64 with PCLMULQDQ), else zlib's crc32_z
// (about 3.5 GB/s on one core here), else a table, one byte at a time.
static unsigned int crc32_table[256];
static pthread_once_t crc32_table_once = PTHREAD_ONCE_INIT;

static void crc32_fill_table(void) {
    for (unsigned int n = 0; n < 256; n++) {
        unsigned int c = n;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc32_table[n] = c;
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

// CRC-32 by carry-less multiplication (PCLMULQDQ), about 3x zlib's braided loop: 64 bytes at a time are folded into
// four 128-bit lanes, the lanes into one, then one 16-byte block at a time; the 128-bit remainder is reduced to 64
// bits and then to 32 by Barrett reduction. In the bit-reflected domain of CRC-32 (polynomial P = 0x104C11DB7) the
// folding constants are x^n mod P, bit-reflected and shifted left by one, for n = 4*128+32 and 4*128-32 (a fold
// across 512 bits), 128+32 and 128-32 (across 128 bits) and 64; mu is x^64 / P and p is P, both bit-reflected.
// `running` is the register as the table loop keeps it (the CRC inverted); `length` is at least 64 and a multiple
// of 16.
static const unsigned long long clmul_fold512[2] __attribute__((aligned(16))) = {0x154442bd4ULL, 0x1c6e41596ULL};
static const unsigned long long clmul_fold128[2] __attribute__((aligned(16))) = {0x1751997d0ULL, 0x0ccaa009eULL};
static const unsigned long long clmul_fold64 = 0x163cd6124ULL;
static const unsigned long long clmul_barrett[2] __attribute__((aligned(16))) = {0x1db710641ULL, 0x1f7011641ULL};

__attribute__((target("pclmul,sse4.1"))) static __m128i clmul_fold(__m128i lanes, __m128i constants, __m128i next) {
    __m128i low = _mm_clmulepi64_si128(lanes, constants, 0x00);
    __m128i high = _mm_clmulepi64_si128(lanes, constants, 0x11);
    return _mm_xor_si128(_mm_xor_si128(low, high), next);
}

__attribute__((target("pclmul,sse4.1"))) static unsigned int crc32_clmul(unsigned int running, const unsigned char *p,
                                                                        size_t length) {
    __m128i a = _mm_xor_si128(_mm_loadu_si128((const __m128i *)p), _mm_cvtsi32_si128((int)running));
    __m128i b = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i c = _mm_loadu_si128((const __m128i *)(p + 32));
    __m128i d = _mm_loadu_si128((const __m128i *)(p + 48));
    p += 64;
    length -= 64;
    const __m128i k512 = _mm_load_si128((const __m128i *)clmul_fold512);
    for (; length >= 64; p += 64, length -= 64) {
        a = clmul_fold(a, k512, _mm_loadu_si128((const __m128i *)p));
        b = clmul_fold(b, k512, _mm_loadu_si128((const __m128i *)(p + 16)));
        c = clmul_fold(c, k512, _mm_loadu_si128((const __m128i *)(p + 32)));
        d = clmul_fold(d, k512, _mm_loadu_si128((const __m128i *)(p + 48)));
    }
    const __m128i k128 = _mm_load_si128((const __m128i *)clmul_fold128);
    a = clmul_fold(a, k128, b);
    a = clmul_fold(a, k128, c);
    a = clmul_fold(a, k128, d);
    for (; length >= 16; p += 16, length -= 16) a = clmul_fold(a, k128, _mm_loadu_si128((const __m128i *)p));
    // 128 bits to 64: the low half times x^(128-32) mod P, added to the high half.
    __m128i r = _mm_xor_si128(_mm_srli_si128(a, 8), _mm_clmulepi64_si128(a, k128, 0x10));
    // 64 to 32 (kept in a 64-bit lane): the low 32 bits times x^64 mod P, added to the rest.
    const __m128i low32 = _mm_setr_epi32(-1, 0, 0, 0);
    r = _mm_xor_si128(_mm_srli_si128(r, 4),
                      _mm_clmulepi64_si128(_mm_and_si128(r, low32), _mm_cvtsi64_si128((long long)clmul_fold64), 0x00));
    // Barrett: t = (low 32 bits * mu) mod x^32, then r + t * P leaves the remainder in bits 32..63.
    const __m128i barrett = _mm_load_si128((const __m128i *)clmul_barrett);
    __m128i t = _mm_and_si128(_mm_clmulepi64_si128(_mm_and_si128(r, low32), barrett, 0x10), low32);
    r = _mm_xor_si128(r, _mm_clmulepi64_si128(t, barrett, 0x00));
    return (unsigned int)_mm_extract_epi32(r, 1);
}

static int clmul_usable;
static pthread_once_t clmul_once = PTHREAD_ONCE_INIT;

static void crc32_detect_clmul(void) {
    __builtin_cpu_init();
    clmul_usable = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
}

static int crc32_has_clmul(void) {
    pthread_once(&clmul_once, crc32_detect_clmul);
    return clmul_usable;
}
#endif

unsigned int il_crc32(unsigned int crc, const void *bytes, size_t length) {
#if defined(__x86_64__)
    if (length >= 64 && crc32_has_clmul()) {
        size_t folded = length & ~(size_t)15;
        unsigned int running = crc32_clmul(~crc, bytes, folded);
        return il_crc32_portable(~running, (const unsigned char *)bytes + folded, length - folded);
    }
#endif
    return il_crc32_zlib(crc, bytes, length);
}

unsigned int il_crc32_zlib(unsigned int crc, const void *bytes, size_t length) {
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
