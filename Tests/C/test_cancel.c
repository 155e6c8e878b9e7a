/* test_cancel.c - toggl_client_cancel() from another thread against a sandbox that stalls:
 * the call ends with TOGGL_ECANCELED within 100 ms (scaled under valgrind), the client and its
 * connection pool stay usable, and a cancelled pager page is fetched again. */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <pthread.h>
#include <stdlib.h>

#define CANCEL_BOUND_S 0.1

/* A call made on a thread of its own, as an app's worker thread would. */
struct call {
    toggl_client *client;
    toggl_pager *pager;   /* when set, the call is toggl_pager_next */
    int status;
    char *out;
    double ended;
    pthread_t thread;
};

static void *call_body(void *arg) {
    struct call *call = arg;
    call->status = call->pager != NULL ? toggl_pager_next(call->pager, &call->out)
                                       : toggl_me_get(call->client, false, &call->out);
    call->ended = h_now();
    return NULL;
}

static void call_start(struct call *call) {
    CHECK_EQ(pthread_create(&call->thread, NULL, call_body, call), 0);
}

/* Cancels once the tenant has seen `requests` requests; returns seconds from the cancel to
 * the end of the call. */
static double cancel_after(struct call *call, const char *tenant, long requests) {
    h_wait_for_requests(tenant, requests);
    double cancelled = h_now();
    CHECK_OK(toggl_client_cancel(call->client));
    CHECK_EQ(pthread_join(call->thread, NULL), 0);
    if (call->out != NULL) h_toggl_defer(call->out);
    return call->ended - cancelled;
}

TEST(cancel_ends_a_stalled_call) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"action\":\"stall\",\"stall_ms\":20000}]");
    toggl_client *c = h_client(tenant);
    struct call call = {.client = c};
    call_start(&call);
    double took = cancel_after(&call, tenant, 1);
    CHECK_STATUS(call.status, TOGGL_ECANCELED);
    CHECK(call.out == NULL);
    CHECKF(took < CANCEL_BOUND_S * h_time_scale(), "the call ended %.3f s after the cancel", took);

    /* Later calls are unaffected and the pool is usable. */
    char *out = NULL;
    CHECK_OK(toggl_me_get(c, false, &out));
    h_toggl_defer(out);
    CHECK_EQ(sandbox_request_count(tenant), 2);
}

TEST(cancel_interrupts_the_wait_before_a_retry) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"status\":503,\"message\":\"later\",\"headers\":{\"Retry-After\":\"20\"}}]");
    toggl_client *c = h_client(tenant);
    struct call call = {.client = c};
    call_start(&call);
    double took = cancel_after(&call, tenant, 1);
    CHECK_STATUS(call.status, TOGGL_ECANCELED);
    CHECKF(took < CANCEL_BOUND_S * h_time_scale(), "the call ended %.3f s after the cancel", took);
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

TEST(cancel_then_the_pager_fetches_the_same_page) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    toggl_pager *p = h_pager_defer(toggl_projects_pager_new(c, 0, 100));
    char *out = NULL;
    CHECK_OK(toggl_pager_next(p, &out));
    h_toggl_defer(out);

    SANDBOX_POST(tenant, "faults", "[{\"action\":\"stall\",\"stall_ms\":20000}]");
    struct call call = {.client = c, .pager = p};
    call_start(&call);
    cancel_after(&call, tenant, 2);
    CHECK_STATUS(call.status, TOGGL_ECANCELED);

    CHECK_OK(toggl_pager_next(p, &out));
    h_toggl_defer(out);
    CHECK_EQ(h_array_size(out), 100);
    json_t *log = h_json_defer(sandbox_requests(tenant));
    CHECK_EQ(json_array_size(log), 3);
    CHECK_STR(json_string_value(json_object_get(json_array_get(log, 1), "query")),
              json_string_value(json_object_get(json_array_get(log, 2), "query")));
}

TEST(cancel_with_nothing_in_flight_changes_nothing) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_cancel(c));
    CHECK_OK(toggl_me_logged(c));
    h_expect_no_error();
}

TEST(cancel_null_client) {
    CHECK_STATUS(toggl_client_cancel(NULL), TOGGL_EINVAL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
}

/* The header promises a pager keeps what it needs of its client alive. */
TEST(pager_outlives_its_client) {
    const char *tenant = h_tenant();
    toggl_client *c = toggl_client_new(SANDBOX_TOKEN);
    CHECK(c != NULL);
    CHECK_OK(toggl_client_set_base_url(c, sandbox_tenant_url(tenant)));
    toggl_pager *p = h_pager_defer(toggl_projects_pager_new(c, 0, 500));
    toggl_client_free(c);
    char *out = NULL;
    CHECK_OK(toggl_pager_next(p, &out));
    h_toggl_defer(out);
    CHECK_EQ(h_array_size(out), 500);
}

TEST(client_new_basic_is_an_alias_of_new_with_password) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client_defer(toggl_client_new_basic(SANDBOX_EMAIL, SANDBOX_PASSWORD));
    CHECK(c != NULL);
    CHECK_OK(toggl_client_set_base_url(c, sandbox_tenant_url(tenant)));
    CHECK_OK(toggl_me_logged(c));
    json_t *request = sandbox_last_request(tenant);
    const char *authorization = json_string_value(
        json_object_get(json_object_get(request, "headers"), "authorization"));
    CHECK(authorization != NULL && strncmp(authorization, "Basic ", 6) == 0);
}
