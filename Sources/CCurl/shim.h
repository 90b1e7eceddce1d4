// Typed wrappers around libcurl's C-variadic setters and getters and its function-like macros, which Swift
// cannot call directly. Each wrapper passes exactly one argument of the type the option expects.
#ifndef INTERLINK_CCURL_SHIM_H
#define INTERLINK_CCURL_SHIM_H

// Opaque handle types (struct pointers), which Swift imports as OpaquePointer rather than raw pointers.
#define CURL_STRICTER
#include <curl/curl.h>

/// The callback signature of CURLOPT_READFUNCTION, CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION.
typedef size_t (*ccurl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);

static inline CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_callback(CURL *handle, CURLoption option, ccurl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode ccurl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

/// CURL_READFUNC_PAUSE and CURL_WRITEFUNC_PAUSE as values Swift can read.
static inline size_t ccurl_readfunc_pause(void) { return CURL_READFUNC_PAUSE; }
static inline size_t ccurl_writefunc_pause(void) { return CURL_WRITEFUNC_PAUSE; }
static inline size_t ccurl_readfunc_abort(void) { return CURL_READFUNC_ABORT; }
static inline int ccurl_pause_all(void) { return CURLPAUSE_ALL; }
static inline int ccurl_pause_recv(void) { return CURLPAUSE_RECV; }
static inline int ccurl_pause_send(void) { return CURLPAUSE_SEND; }
static inline int ccurl_pause_cont(void) { return CURLPAUSE_CONT; }
static inline long ccurl_error_size(void) { return CURL_ERROR_SIZE; }

/// Initializes libcurl once per process (SSL included) before any handle exists.
static inline CURLcode ccurl_global_init(void) { return curl_global_init(CURL_GLOBAL_ALL); }

/// The result code of a finished transfer (the union member of CURLMsg).
static inline CURLcode ccurl_message_result(const CURLMsg *message) { return message->data.result; }

#endif
