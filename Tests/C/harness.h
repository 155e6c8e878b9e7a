/*
 * harness.h - a tiny test runner for libtoggl's C API, plus sandbox helpers.
 *
 * A test is `TEST(name) { ... }` in any test_*.c file; it registers itself before main().
 * CHECK* macros stop the current test on the first failure (longjmp back to the runner) and the
 * runner then frees whatever the test handed to h_defer(). Only the main thread may use CHECK*;
 * worker threads count their failures and the test checks the count.
 *
 * The runner prints "ok <name>" or "FAIL <name>: <reason>" per test and ends with exactly
 * "N passed, N failed"; it exits non-zero if any test failed. `./tests [substring...]` runs only
 * the tests whose names contain one of the substrings.
 *
 * The sandbox base URL (http://127.0.0.1:PORT) comes from the environment variable
 * TOGGL_SANDBOX_URL. Every test should use its own tenant (h_tenant()), i.e. fresh state.
 */
#ifndef TOGGL_TEST_HARNESS_H
#define TOGGL_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "toggl.h"

#define SANDBOX_TOKEN "sandbox-api-token-0123456789abcdef"
#define SANDBOX_EMAIL "sandbox@example.com"
#define SANDBOX_PASSWORD "sandbox-password"
#define SANDBOX_FULLNAME "Sandbox User"

typedef void (*test_fn)(void);
void harness_register(const char *name, test_fn fn, const char *file);

#define TEST(name)                                                                   \
    static void name(void);                                                          \
    __attribute__((constructor)) static void harness_register_##name(void) {         \
        harness_register(#name, name, __FILE__);                                     \
    }                                                                                \
    static void name(void)

/* Fails the current test with a printf-style reason (does not return). */
__attribute__((noreturn, format(printf, 3, 4)))
void h_fail(const char *file, int line, const char *fmt, ...);

#define FAILF(...) h_fail(__FILE__, __LINE__, __VA_ARGS__)

#define CHECK(cond)                                                                  \
    do { if (!(cond)) FAILF("CHECK(%s)", #cond); } while (0)

#define CHECKF(cond, ...)                                                            \
    do { if (!(cond)) FAILF(__VA_ARGS__); } while (0)

/* Compares integers (as long long). */
#define CHECK_EQ(actual, expected)                                                   \
    do {                                                                             \
        long long h_a_ = (long long)(actual), h_e_ = (long long)(expected);          \
        if (h_a_ != h_e_)                                                            \
            FAILF("%s == %lld, expected %s == %lld", #actual, h_a_, #expected, h_e_); \
    } while (0)

/* Compares status codes, naming them and adding the thread's error message on mismatch. */
#define CHECK_STATUS(actual, expected)                                               \
    do {                                                                             \
        int h_a_ = (actual), h_e_ = (expected);                                      \
        if (h_a_ != h_e_)                                                            \
            FAILF("%s returned %d (%s), expected %d (%s); error message: \"%s\" http %d", \
                  #actual, h_a_, toggl_status_string(h_a_), h_e_,                    \
                  toggl_status_string(h_e_), toggl_error_message(),                  \
                  toggl_error_http_status());                                        \
    } while (0)

#define CHECK_OK(call) CHECK_STATUS(call, TOGGL_OK)

/* Compares C strings; either may be NULL. */
#define CHECK_STR(actual, expected)                                                  \
    do {                                                                             \
        const char *h_a_ = (actual), *h_e_ = (expected);                             \
        if (!h_str_eq(h_a_, h_e_))                                                   \
            FAILF("%s == %s%s%s, expected %s%s%s", #actual, h_a_ ? "\"" : "",        \
                  h_a_ ? h_a_ : "NULL", h_a_ ? "\"" : "", h_e_ ? "\"" : "",          \
                  h_e_ ? h_e_ : "NULL", h_e_ ? "\"" : "");                           \
    } while (0)

bool h_str_eq(const char *a, const char *b);

/* --- per-test cleanup ------------------------------------------------------------------- */

/* Runs fn(p) when the current test ends (pass or fail), last registered first. */
void h_defer(void (*fn)(void *), void *p);
/* A printf-formatted string freed when the test ends. */
__attribute__((format(printf, 1, 2))) char *h_fmt(const char *fmt, ...);
/* json_decref(j) when the test ends; returns j. */
json_t *h_json_defer(json_t *j);
/* Parses text (which the caller still frees), failing the test if it is not JSON; decref'd at
 * the end of the test. */
json_t *h_parse(const char *text);

/* --- time ------------------------------------------------------------------------------- */

double h_now(void);   /* CLOCK_MONOTONIC seconds */
/* How much slower than native the tests run: H_TIME_SCALE (run.sh sets it under valgrind), at
 * least 1. Bounds on how long something may take are multiplied by it. */
double h_time_scale(void);

/* --- sandbox ---------------------------------------------------------------------------- */

/* "http://127.0.0.1:PORT" from TOGGL_SANDBOX_URL (fails the test if unset). */
const char *sandbox_base(void);
/* A tenant name unique to this process and test, e.g. "c1234_me_get_1". */
const char *h_tenant(void);
/* "<base>/t/<tenant>/api/v9" (freed at the end of the test). */
const char *sandbox_tenant_url(const char *tenant);
/* POSTs json to <base>/t/<tenant>/__sandbox/<what>; returns the HTTP status (0 on failure). */
int sandbox_post(const char *tenant, const char *what, const char *json);
/* Like sandbox_post, failing the test unless the sandbox answers 200. */
#define SANDBOX_POST(tenant, what, json)                                             \
    do {                                                                             \
        int h_s_ = sandbox_post((tenant), (what), (json));                           \
        if (h_s_ != 200) FAILF("sandbox POST %s -> %d (%s)", (what), h_s_, (json));  \
    } while (0)
/* Requests the tenant's API has received since it was created or reset (fails the test if the
 * sandbox cannot be asked). */
long sandbox_request_count(const char *tenant);
/* The request log: an array of {method, path, query, headers, body}; the caller decrefs. */
json_t *sandbox_requests(const char *tenant);
/* The last logged request (decref'd at the end of the test); fails the test when none. */
json_t *sandbox_last_request(const char *tenant);
/* Fails the test unless the last request was `method path?query` exactly. */
void h_expect_last_request(const char *tenant, const char *method, const char *path,
                           const char *query);
/* Polls the request log until the tenant has received `count` requests (the sandbox logs a
 * request before it acts out a fault); fails the test after 10 s (scaled). */
void h_wait_for_requests(const char *tenant, long count);
/* A TCP port on 127.0.0.1 where nothing listens (bound and closed again). */
int h_closed_port(void);

/* The tenant's control JSON at <base>/t/<tenant>/__sandbox/<what> (e.g. "clock",
 * "manifest?since=N"), decref'd at the end of the test; fails the test unless it answers 200. */
json_t *sandbox_get(const char *tenant, const char *what);

/* --- the seed's counts -------------------------------------------------------------------- */

/* A count from the sandbox's manifest (GET /__sandbox/manifest; keys in Tests/Sandbox/README.md),
 * e.g. sandbox_count("projects"): tests never write the seed's counts themselves. Asked once per
 * process; fails the test when the key is missing. */
long sandbox_count(const char *key);
/* The same count for what the routes answer with `since` (GET /__sandbox/manifest?since=...). */
long sandbox_count_since(const char *key, int64_t since);
/* Requests a walk of `total` items in pages of `per_page` sends: a short page ends it and an
 * exact multiple needs one empty page more, so total / per_page + 1. */
long h_walk_requests(long total, long per_page);
/* Pages with items such a walk hands out: total / per_page, rounded up. */
long h_walk_pages(long total, long per_page);
/* The largest page size up to `at_most` that divides `total` into two pages or more, for walks
 * that must end on an exact multiple (fails the test when there is none). */
long h_exact_page_size(long total, long at_most);

/* --- child processes ---------------------------------------------------------------------- */

/* A function the test binary runs as a process of its own: `tests --child <name> args...` calls
 * it with the args and exits with what it returns. Tests start one with h_spawn_child(). It runs
 * outside the runner: no CHECK*, no h_defer; it reports through its exit status and the file
 * descriptors it was handed. */
typedef int (*child_fn)(int argc, char **argv);
void harness_register_child(const char *name, child_fn fn);

#define CHILD(name)                                                                  \
    static int name(int argc, char **argv);                                          \
    __attribute__((constructor)) static void harness_register_child_##name(void) {   \
        harness_register_child(#name, name);                                         \
    }                                                                                \
    static int name(int argc, char **argv)

struct h_child;
/* Starts `<this binary> --child <name> args[0..]` (args ends with NULL) with posix_spawn, so
 * that nothing runs between fork and exec in a process that has libtoggl's and libcurl's
 * threads (a bare fork() would copy their locks in whatever state they are). fds[i] becomes
 * descriptor 3 + i in the child; stdin, stdout and stderr are inherited, and so is any other
 * descriptor the process left without FD_CLOEXEC (make pipes close-on-exec). The
 * child runs natively even when the tests run under valgrind (valgrind does not follow exec
 * unless told to). A child still running when the test ends is killed and reaped. */
struct h_child *h_spawn_child(const char *name, const char *const *args, const int *fds, int n_fds);
/* Waits for the child to exit, polling (fails the test, killing it, after timeout_s); returns
 * its exit status, or 128 + the signal that ended it. */
int h_child_wait(struct h_child *child, double timeout_s);
/* SIGKILLs the child and reaps it. */
void h_child_kill(struct h_child *child);

/* --- libtoggl helpers ------------------------------------------------------------------- */

/* A token client for the tenant, freed at the end of the test. */
toggl_client *h_client(const char *tenant);
/* The same with basic auth. */
toggl_client *h_client_basic(const char *tenant, const char *email, const char *password);
/* Registers a client for toggl_client_free at the end of the test; returns it. */
toggl_client *h_client_defer(toggl_client *client);
/* Registers a pager for toggl_pager_free at the end of the test; returns it. */
toggl_pager *h_pager_defer(toggl_pager *pager);
/* Registers a libtoggl string for toggl_free at the end of the test; returns it. */
char *h_toggl_defer(char *text);

/* Size of a JSON array document (fails the test if it is not one). */
size_t h_array_size(const char *json_text);
/* Fails the test unless every thread-local error value is the "no error" state. */
void h_expect_no_error(void);

#endif
