/* How each kind of outcome reaches the C surface, NULL and invalid UTF-8 arguments, out pointers
 * on failure, secrets.
 *
 * The retry and quota policy behind the outcomes (which statuses are retried and how often, the
 * waits, Retry-After, redirects, the fail-fast gate, timeouts, the size cap) is table-tested once,
 * in Swift (Tests/TogglKitSandboxTests/FaultMatrixTests.swift). Here each outcome kind has one
 * test that its status code, *out_json left NULL and toggl_error_code/message/http_status/
 * retry_after reach the caller; the clients send once (max_retries 0). */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <stdlib.h>

#define SENTINEL ((char *)"sentinel")

/* --- every outcome kind ---------------------------------------------------------------------- */

/* A client of the tenant that sends each request once. */
static toggl_client *once_client(const char *tenant) {
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_max_retries(c, 0));
    return c;
}

/* The call returned `expected`, left *out_json NULL, and the thread's error says so: its HTTP
 * status (0: no response), Retry-After (-1: none) and message (NULL: any that is not empty). */
static void expect_outcome(int status, char *const *out, int expected, int http_status,
                           int64_t retry_after, const char *message) {
    CHECK_STATUS(status, expected);
    CHECK(*out == NULL);
    CHECK_EQ(toggl_error_code(), expected);
    CHECK_EQ(toggl_error_http_status(), http_status);
    CHECK_EQ(toggl_error_retry_after(), retry_after);
    CHECK(toggl_error_message() != NULL);
    if (message != NULL) CHECK_STR(toggl_error_message(), message);
    else CHECK(toggl_error_message()[0] != '\0');
    CHECK(strstr(toggl_error_message(), SANDBOX_TOKEN) == NULL);
}

TEST(outcome_equota) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults",
                 "[{\"status\":402,\"message\":\"You have hit your hourly limit for API calls.\","
                 "\"headers\":{\"X-Toggl-Quota-Remaining\":\"0\",\"X-Toggl-Quota-Resets-In\":\"120\"},"
                 "\"path\":\"/me\"}]");
    toggl_client *c = once_client(tenant);
    char *out = SENTINEL;
    expect_outcome(toggl_me_get(c, false, &out), &out, TOGGL_EQUOTA, 402, 120,
                   "You have hit your hourly limit for API calls.");
    int64_t remaining = -5, resets = -5;
    CHECK_OK(toggl_client_quota(c, &remaining, &resets));
    CHECK_EQ(remaining, 0);
    CHECKF(resets > 0 && resets <= 120, "resets_in_s = %lld", (long long)resets);

    /* Refused locally until the reset: no response, so HTTP status 0; the wait is still told. */
    out = SENTINEL;
    CHECK_STATUS(toggl_tags_list(c, 0, &out), TOGGL_EQUOTA);
    CHECK(out == NULL);
    CHECK_EQ(toggl_error_http_status(), 0);
    int64_t wait = toggl_error_retry_after();
    CHECKF(wait > 0 && wait <= 120, "retry_after = %lld", (long long)wait);
    CHECK(toggl_error_message()[0] != '\0');
    CHECK_EQ(sandbox_request_count(tenant), 1);

    /* toggl_client_set_quota_fail_fast reaches the client: switched off, the call is sent. */
    CHECK_OK(toggl_client_set_quota_fail_fast(c, false));
    CHECK_OK(toggl_me_logged(c));
    h_expect_no_error();
    CHECK_EQ(sandbox_request_count(tenant), 2);
}

TEST(outcome_eratelimit) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults",
                 "[{\"status\":429,\"body_kind\":\"html\",\"message\":\"429 Too Many Requests\","
                 "\"headers\":{\"Retry-After\":\"120\"}}]");
    toggl_client *c = once_client(tenant);
    char *out = SENTINEL;
    expect_outcome(toggl_me_get(c, false, &out), &out, TOGGL_ERATELIMIT, 429, 120, "429 Too Many Requests");
}

TEST(outcome_eserver) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"status\":503,\"body_kind\":\"plain\",\"message\":\"down\",\"times\":-1}]");
    toggl_client *c = once_client(tenant);
    char *out = SENTINEL;
    expect_outcome(toggl_tags_list(c, 0, &out), &out, TOGGL_ESERVER, 503, -1, "down");
    /* toggl_client_set_max_retries reached the client: one request, no retry. */
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

TEST(outcome_enetwork) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"action\":\"reset\"}]");
    toggl_client *c = once_client(tenant);
    char *out = SENTINEL;
    expect_outcome(toggl_features_list(c, &out), &out, TOGGL_ENETWORK, 0, -1, NULL);
    /* The connection pool recovers. */
    CHECK_OK(toggl_features_list(c, &out));
    toggl_free(out);
}

TEST(outcome_etimeout) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults",
                 "[{\"action\":\"stall\",\"stall_ms\":3000,\"path\":\"/me\"},"
                 "{\"action\":\"trickle\",\"interval_ms\":400,\"path\":\"/me/tags\"}]");
    toggl_client *c = once_client(tenant);
    /* Both time limits reach the client through their setters, in their units. */
    CHECK_OK(toggl_client_set_timeout_ms(c, 500));
    char *out = SENTINEL;
    double t0 = h_now();
    int status = toggl_me_get(c, false, &out);
    double elapsed = h_now() - t0;
    expect_outcome(status, &out, TOGGL_ETIMEOUT, 0, -1, NULL);
    CHECKF(elapsed < 2.5, "a 500 ms timeout returned after %.3f s", elapsed);

    CHECK_OK(toggl_client_set_timeout_ms(c, 60000));
    CHECK_OK(toggl_client_set_low_speed_limit(c, 100, 1));
    out = SENTINEL;
    t0 = h_now();
    status = toggl_tags_list(c, 0, &out);
    elapsed = h_now() - t0;
    expect_outcome(status, &out, TOGGL_ETIMEOUT, 0, -1, NULL);
    CHECKF(elapsed < 6.0, "the low-speed limit cut in after %.3f s", elapsed);
}

TEST(outcome_etoolarge) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"action\":\"oversize\",\"size_bytes\":200000,\"path\":\"/me/projects\"}]");
    toggl_client *c = once_client(tenant);
    CHECK_OK(toggl_client_set_max_response_bytes(c, 1000));
    char *out = SENTINEL;
    expect_outcome(toggl_projects_list(c, false, 0, &out), &out, TOGGL_ETOOLARGE, 0, -1, NULL);
}

TEST(outcome_edecode) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"action\":\"malformed\",\"path\":\"/me\"}]");
    toggl_client *c = once_client(tenant);
    char *out = SENTINEL;
    expect_outcome(toggl_me_get(c, false, &out), &out, TOGGL_EDECODE, 200, -1, NULL);
}

TEST(outcome_erequest) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults",
                 "[{\"status\":400,\"body_kind\":\"json_string\",\"message\":\"Invalid include_archived\"}]");
    toggl_client *c = once_client(tenant);
    char *out = SENTINEL;
    /* The JSON string's text, unquoted. */
    expect_outcome(toggl_projects_list(c, true, 0, &out), &out, TOGGL_EREQUEST, 400, -1, "Invalid include_archived");
}

TEST(outcome_eauth) {
    const char *secret = "wrong-token-SECRET-5f4dcc3b5aa765d6";
    const char *tenant = h_tenant();
    toggl_client *c = h_client_defer(toggl_client_new(secret));
    CHECK(c != NULL);
    CHECK_OK(toggl_client_set_base_url(c, sandbox_tenant_url(tenant)));
    char *out = SENTINEL;
    /* The sandbox's own 403, in plain text with Go's trailing newline, which is trimmed. */
    expect_outcome(toggl_me_get(c, false, &out), &out, TOGGL_EAUTH, 403, -1, "Incorrect username and/or password");
    CHECK(strstr(toggl_error_message(), "SECRET") == NULL);
}

TEST(outcome_enotfound) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"status\":404,\"body_kind\":\"plain\",\"message\":\"could not load user data\"}]");
    toggl_client *c = once_client(tenant);
    char *out = SENTINEL;
    expect_outcome(toggl_projects_list(c, false, 0, &out), &out, TOGGL_ENOTFOUND, 404, -1, "could not load user data");
}

/* --- out pointers on failure ------------------------------------------------------------------ */

TEST(every_out_json_null_on_server_failure) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"status\":500,\"message\":\"boom\",\"times\":-1}]");
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_max_retries(c, 0));
    char *out;
    int64_t next;

#define EXPECT_SERVER_FAIL(call)                                                     \
    do {                                                                             \
        out = SENTINEL;                                                              \
        CHECK_STATUS(call, TOGGL_ESERVER);                                           \
        CHECKF(out == NULL, "%s left *out_json non-NULL", #call);                    \
        CHECK_EQ(toggl_error_http_status(), 500);                                    \
        CHECK_STR(toggl_error_message(), "boom");                                    \
    } while (0)

    EXPECT_SERVER_FAIL(toggl_me_get(c, false, &out));
    EXPECT_SERVER_FAIL(toggl_me_get(c, true, &out));
    EXPECT_SERVER_FAIL(toggl_me_update(c, "{\"fullname\":\"X\"}", &out));
    EXPECT_SERVER_FAIL(toggl_clients_list(c, 0, &out));
    EXPECT_SERVER_FAIL(toggl_features_list(c, &out));
    EXPECT_SERVER_FAIL(toggl_location_get(c, &out));
    EXPECT_SERVER_FAIL(toggl_organizations_list(c, &out));
    EXPECT_SERVER_FAIL(toggl_projects_list(c, false, 0, &out));
    next = 12345;
    EXPECT_SERVER_FAIL(toggl_projects_list_paginated(c, 0, 0, 0, &out, &next));
    EXPECT_SERVER_FAIL(toggl_tags_list(c, 0, &out));
    EXPECT_SERVER_FAIL(toggl_tasks_list(c, false, 0, false, 0, 0, &out));
    EXPECT_SERVER_FAIL(toggl_quota_get(c, &out));
    CHECK_STATUS(toggl_me_logged(c), TOGGL_ESERVER);

    toggl_pager *p = h_pager_defer(toggl_projects_pager_new(c, 0, 0));
    CHECK(p != NULL);
    EXPECT_SERVER_FAIL(toggl_pager_next(p, &out));
    toggl_pager *t = h_pager_defer(toggl_tasks_pager_new(c, false, 0, false, 0));
    CHECK(t != NULL);
    EXPECT_SERVER_FAIL(toggl_pager_next(t, &out));
    CHECK_EQ(sandbox_request_count(tenant), 15);
#undef EXPECT_SERVER_FAIL
}

/* --- NULL on every pointer parameter ----------------------------------------------------------- */

TEST(null_client_everywhere) {
    char *out;
    int64_t next = 0, a = 0, b = 0;
#define EXPECT_EINVAL(call)                                                          \
    do {                                                                             \
        out = SENTINEL;                                                              \
        CHECK_STATUS(call, TOGGL_EINVAL);                                            \
        CHECKF(out == NULL, "%s left *out_json non-NULL", #call);                    \
        CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);                                  \
        CHECK(toggl_error_message()[0] != '\0');                                     \
    } while (0)
    EXPECT_EINVAL(toggl_me_get(NULL, false, &out));
    EXPECT_EINVAL(toggl_me_update(NULL, "{}", &out));
    EXPECT_EINVAL(toggl_clients_list(NULL, 0, &out));
    EXPECT_EINVAL(toggl_features_list(NULL, &out));
    EXPECT_EINVAL(toggl_location_get(NULL, &out));
    EXPECT_EINVAL(toggl_organizations_list(NULL, &out));
    EXPECT_EINVAL(toggl_projects_list(NULL, true, 1, &out));
    EXPECT_EINVAL(toggl_projects_list_paginated(NULL, 0, 0, 0, &out, &next));
    EXPECT_EINVAL(toggl_tags_list(NULL, 0, &out));
    EXPECT_EINVAL(toggl_tasks_list(NULL, false, 0, false, 0, 0, &out));
    EXPECT_EINVAL(toggl_quota_get(NULL, &out));
    EXPECT_EINVAL(toggl_pager_next(NULL, &out));
    CHECK_STATUS(toggl_me_logged(NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_quota(NULL, &a, &b), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_quota(NULL, NULL, NULL), TOGGL_EINVAL);
    CHECK(toggl_projects_pager_new(NULL, 0, 0) == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
    CHECK(toggl_tasks_pager_new(NULL, false, 0, false, 0) == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
#undef EXPECT_EINVAL
}

TEST(null_out_parameters_everywhere) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    int64_t next = 0, r = 0;
    CHECK_STATUS(toggl_me_get(c, false, NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_me_update(c, "{\"fullname\":\"X\"}", NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_me_update(c, NULL, &out), TOGGL_EINVAL);
    CHECK(out == NULL);
    CHECK_STATUS(toggl_clients_list(c, 0, NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_features_list(c, NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_location_get(c, NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_organizations_list(c, NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_projects_list(c, false, 0, NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_projects_list_paginated(c, 0, 0, 0, NULL, &next), TOGGL_EINVAL);
    out = SENTINEL;
    CHECK_STATUS(toggl_projects_list_paginated(c, 0, 0, 0, &out, NULL), TOGGL_EINVAL);
    CHECK(out == NULL);
    CHECK_STATUS(toggl_projects_list_paginated(c, 0, 0, 0, NULL, NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_tags_list(c, 0, NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_tasks_list(c, false, 0, false, 0, 0, NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_quota_get(c, NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_quota(c, NULL, &r), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_quota(c, &r, NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_quota(c, NULL, NULL), TOGGL_EINVAL);
    toggl_pager *p = h_pager_defer(toggl_projects_pager_new(c, 0, 0));
    CHECK(p != NULL);
    CHECK_STATUS(toggl_pager_next(p, NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_base_url(c, NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_user_agent(c, NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_ca_file(c, NULL), TOGGL_EINVAL);
    CHECK_EQ(sandbox_request_count(tenant), 0);
    /* The pager was not consumed by the bad call: it still returns the first page. */
    CHECK_OK(toggl_pager_next(p, &out));
    h_toggl_defer(out);
    CHECK_EQ(h_array_size(out), sandbox_count("projects_per_page_default"));
}

TEST(constructors_null) {
    CHECK(toggl_client_new(NULL) == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
    CHECK(toggl_client_new_basic(NULL, NULL) == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
    CHECK(toggl_client_new_basic(SANDBOX_EMAIL, NULL) == NULL);
    CHECK(toggl_client_new_basic(NULL, SANDBOX_PASSWORD) == NULL);
    CHECK(toggl_projects_pager_new(NULL, 0, 100) == NULL);
    CHECK(toggl_tasks_pager_new(NULL, true, 1, true, 100) == NULL);
}

/* --- invalid UTF-8 on every string parameter -------------------------------------------------- */

TEST(invalid_utf8_every_string_parameter) {
    const char *bad[] = { "\xff\xfe", "ok\xc3", "\xc0\xaf", "\xed\xa0\x80", "a\xf8\x88\x80\x80\x80z" };
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *s = bad[i];
        CHECKF(toggl_client_new(s) == NULL, "token #%zu accepted", i);
        CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
        CHECKF(toggl_client_new_basic(s, SANDBOX_PASSWORD) == NULL, "email #%zu accepted", i);
        CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
        CHECKF(toggl_client_new_basic(SANDBOX_EMAIL, s) == NULL, "password #%zu accepted", i);
        CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
        CHECK_STATUS(toggl_client_set_base_url(c, h_fmt("%s/%s", sandbox_tenant_url(tenant), s)), TOGGL_EINVAL);
        CHECK_STATUS(toggl_client_set_user_agent(c, s), TOGGL_EINVAL);
        CHECK_STATUS(toggl_client_set_ca_file(c, s), TOGGL_EINVAL);
        char *out = SENTINEL;
        CHECK_STATUS(toggl_me_update(c, h_fmt("{\"fullname\":\"%s\"}", s), &out), TOGGL_EINVAL);
        CHECK(out == NULL);
        /* Invalid UTF-8 in a key, too. */
        out = SENTINEL;
        CHECK_STATUS(toggl_me_update(c, h_fmt("{\"%s\":1}", s), &out), TOGGL_EINVAL);
        CHECK(out == NULL);
    }
    CHECK_EQ(sandbox_request_count(tenant), 0);
    /* The client still works with its old settings. */
    CHECK_OK(toggl_me_logged(c));
}

/* --- secrets ------------------------------------------------------------------------------------ */

TEST(secrets_never_in_messages) {
    const char *tenant = h_tenant();
    const char *token = "tok-SECRET-abcdef0123456789";
    const char *password = "pw-SECRET-9876543210";

    char *out = SENTINEL;

    /* A token the server refuses. */
    toggl_client *c = toggl_client_new(token);
    CHECK(c != NULL);
    h_client_defer(c);
    CHECK_OK(toggl_client_set_base_url(c, sandbox_tenant_url(tenant)));
    CHECK_STATUS(toggl_me_logged(c), TOGGL_EAUTH);
    CHECK(strstr(toggl_error_message(), "SECRET") == NULL);

    /* A password the server refuses. */
    toggl_client *p = h_client_basic(tenant, SANDBOX_EMAIL, password);
    CHECK_STATUS(toggl_tags_list(p, 0, &out), TOGGL_EAUTH);
    CHECK(out == NULL);
    CHECK_EQ(toggl_error_http_status(), 403);
    CHECK(strstr(toggl_error_message(), "SECRET") == NULL);

    /* Network failure with credentials set. */
    CHECK_OK(toggl_client_set_max_retries(c, 0));
    CHECK_OK(toggl_client_set_base_url(c, h_fmt("http://127.0.0.1:%d/api/v9", h_closed_port())));
    CHECK_STATUS(toggl_me_logged(c), TOGGL_ENETWORK);
    CHECK(strstr(toggl_error_message(), "SECRET") == NULL);

    /* Timeout with credentials set. */
    toggl_client *b = h_client_basic(tenant, SANDBOX_EMAIL, password);
    SANDBOX_POST(tenant, "faults", "[{\"action\":\"stall\",\"stall_ms\":3000,\"path\":\"/me/tags\"}]");
    CHECK_OK(toggl_client_set_timeout_ms(b, 300));
    out = SENTINEL;
    CHECK_STATUS(toggl_tags_list(b, 0, &out), TOGGL_ETIMEOUT);
    CHECK(strstr(toggl_error_message(), "SECRET") == NULL);

    /* Server error bodies that are not about us. */
    SANDBOX_POST(tenant, "faults", "[{\"status\":500,\"message\":\"internal\",\"path\":\"/me/clients\"}]");
    CHECK_OK(toggl_client_set_max_retries(b, 0));
    CHECK_OK(toggl_client_set_timeout_ms(b, 10000));
    CHECK_STATUS(toggl_clients_list(b, 0, &out), TOGGL_ESERVER);
    CHECK(strstr(toggl_error_message(), "SECRET") == NULL);

    /* Bad arguments that contain secrets. */
    CHECK(toggl_client_new("tok-SECRET\x01x") == NULL);
    CHECK(strstr(toggl_error_message(), "SECRET") == NULL);
    CHECK(toggl_client_new("tok-SECRET:colon") == NULL);
    CHECK(strstr(toggl_error_message(), "SECRET") == NULL);
    CHECK(toggl_client_new_basic(SANDBOX_EMAIL, "pw-SECRET\x7f") == NULL);
    CHECK(strstr(toggl_error_message(), "SECRET") == NULL);
    CHECK(toggl_client_new_basic(SANDBOX_EMAIL, "pw-SECRET\xff") == NULL);
    CHECK(strstr(toggl_error_message(), "SECRET") == NULL);
}

TEST(credentials_sent_as_basic_auth) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_me_logged(c));
    json_t *r = sandbox_last_request(tenant);
    /* base64("sandbox-api-token-0123456789abcdef:api_token") */
    CHECK_STR(json_string_value(json_object_get(json_object_get(r, "headers"), "authorization")),
              "Basic c2FuZGJveC1hcGktdG9rZW4tMDEyMzQ1Njc4OWFiY2RlZjphcGlfdG9rZW4=");
    toggl_client *b = h_client_basic(tenant, SANDBOX_EMAIL, SANDBOX_PASSWORD);
    CHECK_OK(toggl_me_logged(b));
    r = sandbox_last_request(tenant);
    /* base64("sandbox@example.com:sandbox-password") */
    CHECK_STR(json_string_value(json_object_get(json_object_get(r, "headers"), "authorization")),
              "Basic c2FuZGJveEBleGFtcGxlLmNvbTpzYW5kYm94LXBhc3N3b3Jk");
}
