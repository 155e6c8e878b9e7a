#include "toggl_last_error.h"
#include <string.h>

#define HIDDEN __attribute__((visibility("hidden")))

static _Thread_local struct {
    int code;
    int http_status;
    int64_t retry_after;
    char message[TGL_LAST_ERROR_MESSAGE_CAP];
} last = { 0, 0, -1, { 0 } };

/* Cut at a UTF-8 character boundary so a long message never ends in half a character. */
static size_t utf8_prefix(const char *text, size_t length, size_t cap) {
    if (length < cap) return length;
    size_t cut = cap - 1;
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80) cut--;
    return cut;
}

HIDDEN void tgl_last_error_set(int code, int http_status, int64_t retry_after, const char *message, size_t length) {
    last.code = code;
    last.http_status = http_status;
    last.retry_after = retry_after;
    size_t kept = message ? utf8_prefix(message, length, sizeof last.message) : 0;
    if (kept) memcpy(last.message, message, kept);
    last.message[kept] = '\0';
}

HIDDEN void tgl_last_error_clear(void) { tgl_last_error_set(0, 0, -1, NULL, 0); }
HIDDEN int tgl_last_error_code(void) { return last.code; }
HIDDEN int tgl_last_error_http_status(void) { return last.http_status; }
HIDDEN int64_t tgl_last_error_retry_after(void) { return last.retry_after; }
HIDDEN const char *tgl_last_error_message(void) { return last.message; }
