#ifndef TOGGL_CSQLITE_SHIM_H
#define TOGGL_CSQLITE_SHIM_H
/* SQLITE_STATIC and SQLITE_TRANSIENT are casts of integers to function pointers, which Swift
 * cannot import; these give Swift the same destructor values. */
#include <sqlite3.h>

static inline sqlite3_destructor_type toggl_sqlite_static(void) { return SQLITE_STATIC; }
static inline sqlite3_destructor_type toggl_sqlite_transient(void) { return SQLITE_TRANSIENT; }
#endif
