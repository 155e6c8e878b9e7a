#ifndef TOGGL_CJANSSON_SHIM_H
#define TOGGL_CJANSSON_SHIM_H
/* jansson's refcounting is a static inline that Swift imports poorly; this wrapper gives
 * Swift a plain function. */
#include <jansson.h>

static inline void toggl_json_decref(json_t *j) { json_decref(j); }
#endif
