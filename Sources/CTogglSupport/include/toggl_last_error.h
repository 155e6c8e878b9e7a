#ifndef TOGGL_LAST_ERROR_H
#define TOGGL_LAST_ERROR_H
/* Thread-local storage for the C API's "last error" (Swift has no thread-locals of its own).
 * A fixed buffer per thread: nothing to allocate, nothing to leak when a thread exits. */
#include <stddef.h>
#include <stdint.h>

#define TGL_LAST_ERROR_MESSAGE_CAP 1024

void tgl_last_error_set(int code, int http_status, int64_t retry_after, const char *message, size_t length);
void tgl_last_error_clear(void);
int tgl_last_error_code(void);
int tgl_last_error_http_status(void);
int64_t tgl_last_error_retry_after(void);
const char *tgl_last_error_message(void);

#endif
