#ifndef TOGGL_CCURL_SHIM_H
#define TOGGL_CCURL_SHIM_H
/* Swift cannot call C variadic functions, so each setopt/getinfo flavour
 * used by TogglKit gets a typed, non-variadic wrapper. */
#include <curl/curl.h>
#include <stdint.h>

static inline CURLcode toggl_curl_easy_setopt_long(CURL *h, CURLoption o, long v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode toggl_curl_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode toggl_curl_easy_setopt_ptr(CURL *h, CURLoption o, const void *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode toggl_curl_easy_setopt_string(CURL *h, CURLoption o, const char *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode toggl_curl_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode toggl_curl_easy_setopt_share(CURL *h, CURLSH *v) {
    return curl_easy_setopt(h, CURLOPT_SHARE, v);
}
typedef size_t (*toggl_curl_data_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode toggl_curl_easy_setopt_datacb(CURL *h, CURLoption o, toggl_curl_data_cb cb) {
    return curl_easy_setopt(h, o, cb);
}
static inline CURLcode toggl_curl_easy_getinfo_long(CURL *h, CURLINFO i, long *out) {
    return curl_easy_getinfo(h, i, out);
}
static inline CURLcode toggl_curl_easy_getinfo_string(CURL *h, CURLINFO i, char **out) {
    return curl_easy_getinfo(h, i, out);
}
typedef void (*toggl_curl_lock_cb)(CURL *h, curl_lock_data data, curl_lock_access access, void *userptr);
typedef void (*toggl_curl_unlock_cb)(CURL *h, curl_lock_data data, void *userptr);
static inline CURLSHcode toggl_curl_share_setopt_long(CURLSH *s, CURLSHoption o, long v) {
    return curl_share_setopt(s, o, v);
}
static inline CURLSHcode toggl_curl_share_setopt_ptr(CURLSH *s, CURLSHoption o, void *v) {
    return curl_share_setopt(s, o, v);
}
static inline CURLSHcode toggl_curl_share_setopt_lock(CURLSH *s, toggl_curl_lock_cb cb) {
    return curl_share_setopt(s, CURLSHOPT_LOCKFUNC, cb);
}
static inline CURLSHcode toggl_curl_share_setopt_unlock(CURLSH *s, toggl_curl_unlock_cb cb) {
    return curl_share_setopt(s, CURLSHOPT_UNLOCKFUNC, cb);
}
/* CURLAUTH_BASIC is a cast expression Swift does not import. */
static inline CURLcode toggl_curl_easy_use_basic_auth(CURL *h) {
    return curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
}
/* CURLMsg's payload is a union Swift imports awkwardly: report whether `easy` finished on `multi`,
 * and with which result. Messages for other handles cannot occur (one easy handle per multi). */
static inline int toggl_curl_multi_done(CURLM *multi, CURL *easy, CURLcode *result) {
    int left = 0;
    CURLMsg *message;
    while ((message = curl_multi_info_read(multi, &left)) != NULL) {
        if (message->msg == CURLMSG_DONE && message->easy_handle == easy) {
            *result = message->data.result;
            return 1;
        }
    }
    return 0;
}
static inline CURLMcode toggl_curl_multi_setopt_long(CURLM *m, CURLMoption o, long v) {
    return curl_multi_setopt(m, o, v);
}
#endif
