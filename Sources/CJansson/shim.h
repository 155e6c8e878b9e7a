#ifndef TOGGL_CJANSSON_SHIM_H
#define TOGGL_CJANSSON_SHIM_H
/* jansson's type tests and refcounting are macros or static inlines that
 * Swift imports poorly; these wrappers give Swift plain functions. */
#include <jansson.h>

static inline int toggl_json_typeof(const json_t *j) { return j ? (int)json_typeof(j) : -1; }
static inline void toggl_json_decref(json_t *j) { json_decref(j); }
static inline json_t *toggl_json_incref(json_t *j) { return json_incref(j); }
#endif
