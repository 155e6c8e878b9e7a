/* Fault rows mirrored from the Swift suite: each asserts the status AND how many requests the
 * sandbox received. Timing assertions are upper bounds on the library's behaviour, not sleeps. */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <stdlib.h>

#define SENTINEL ((char *)"sentinel")

/* --- retries ------------------------------------------------------------------------------------ */

TEST(fault_429_retry_after_then_ok) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults",
                 "[{\"status\":429,\"body_kind\":\"empty\",\"headers\":{\"Retry-After\":\"1\"},\"path\":\"/me\",\"times\":1}]");
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    double t0 = h_now();
    CHECK_OK(toggl_me_get(c, false, &out));
    double elapsed = h_now() - t0;
    h_toggl_defer(out);
    CHECK_STR(json_string_value(json_object_get(h_parse(out), "fullname")), SANDBOX_FULLNAME);
    CHECK_EQ(sandbox_request_count(tenant), 2);
    CHECKF(elapsed >= 0.9, "Retry-After: 1 was not waited (%.3f s)", elapsed);
    CHECKF(elapsed < 10.0, "took %.3f s", elapsed);
    h_expect_no_error();
}

TEST(fault_503_503_then_ok) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"status\":503,\"body_kind\":\"plain\",\"message\":\"unavailable\",\"times\":2}]");
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    CHECK_OK(toggl_tags_list(c, 0, &out));
    h_toggl_defer(out);
    CHECK_EQ(h_array_size(out), 40);
    CHECK_EQ(sandbox_request_count(tenant), 3);
}

TEST(fault_503_exhausts_retries) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"status\":503,\"message\":\"still down\",\"times\":-1}]");
    toggl_client *c = h_client(tenant);
    char *out = SENTINEL;
    CHECK_STATUS(toggl_tags_list(c, 0, &out), TOGGL_ESERVER);
    CHECK(out == NULL);
    CHECK_EQ(toggl_error_http_status(), 503);
    CHECK_STR(toggl_error_message(), "still down");
    CHECK_EQ(sandbox_request_count(tenant), 3); /* 1 + 2 retries (default) */
}

TEST(fault_max_retries_zero_sends_once) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"status\":502,\"times\":-1}]");
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_max_retries(c, 0));
    CHECK_STATUS(toggl_me_logged(c), TOGGL_ESERVER);
    CHECK_EQ(toggl_error_http_status(), 502);
    CHECK_EQ(sandbox_request_count(tenant), 1);
    CHECK_OK(toggl_client_set_max_retries(c, 1));
    CHECK_STATUS(toggl_me_logged(c), TOGGL_ESERVER);
    CHECK_EQ(sandbox_request_count(tenant), 3);
}

TEST(fault_500_on_put_not_retried) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"status\":500,\"message\":\"Internal Server Error\",\"method\":\"PUT\",\"path\":\"/me\",\"times\":-1}]");
    toggl_client *c = h_client(tenant);
    char *out = SENTINEL;
    CHECK_STATUS(toggl_me_update(c, "{\"fullname\":\"Nope\"}", &out), TOGGL_ESERVER);
    CHECK(out == NULL);
    CHECK_EQ(toggl_error_http_status(), 500);
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

TEST(fault_reset_on_put_not_retried) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"action\":\"reset\",\"method\":\"PUT\",\"path\":\"/me\",\"times\":1}]");
    toggl_client *c = h_client(tenant);
    char *out = SENTINEL;
    CHECK_STATUS(toggl_me_update(c, "{\"fullname\":\"Nope\"}", &out), TOGGL_ENETWORK);
    CHECK(out == NULL);
    CHECK_EQ(toggl_error_http_status(), 0);
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

TEST(fault_reset_on_put_over_reused_connection_not_retried) {
    /* Same as above, but the PUT goes over a kept-alive connection that an earlier GET opened:
     * a PUT must still be sent exactly once (the server may have applied it). */
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_me_logged(c));
    SANDBOX_POST(tenant, "faults", "[{\"action\":\"reset\",\"method\":\"PUT\",\"path\":\"/me\",\"times\":1}]");
    char *out = SENTINEL;
    int status = toggl_me_update(c, "{\"fullname\":\"Sent once\"}", &out);
    toggl_free(out == SENTINEL ? NULL : out);
    long puts = 0;
    json_t *log = h_json_defer(sandbox_requests(tenant));
    size_t i;
    json_t *r;
    json_array_foreach(log, i, r) {
        if (h_str_eq(json_string_value(json_object_get(r, "method")), "PUT")) puts++;
    }
    CHECKF(puts == 1, "the PUT was sent %ld times (status %d %s)", puts, status, toggl_status_string(status));
    CHECK_STATUS(status, TOGGL_ENETWORK);
}

TEST(fault_reset_once_then_ok) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"action\":\"reset\",\"path\":\"/me\",\"times\":1}]");
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    CHECK_OK(toggl_me_get(c, false, &out));
    h_toggl_defer(out);
    CHECK_STR(json_string_value(json_object_get(h_parse(out), "fullname")), SANDBOX_FULLNAME);
    CHECK_EQ(sandbox_request_count(tenant), 2);
}

TEST(fault_reset_without_retries_is_network_error) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"action\":\"reset\",\"times\":1}]");
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_max_retries(c, 0));
    char *out = SENTINEL;
    CHECK_STATUS(toggl_features_list(c, &out), TOGGL_ENETWORK);
    CHECK(out == NULL);
    CHECK_EQ(toggl_error_http_status(), 0);
    CHECK(toggl_error_message()[0] != '\0');
    CHECK_EQ(sandbox_request_count(tenant), 1);
    /* The connection pool recovers. */
    CHECK_OK(toggl_features_list(c, &out));
    toggl_free(out);
}

TEST(fault_429_without_retry_after_no_retries) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"status\":429,\"body_kind\":\"empty\",\"times\":-1}]");
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_max_retries(c, 0));
    CHECK_STATUS(toggl_me_logged(c), TOGGL_ERATELIMIT);
    CHECK_EQ(toggl_error_http_status(), 429);
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

TEST(fault_429_exhausts_retries) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults",
                 "[{\"status\":429,\"message\":\"Too many\",\"headers\":{\"Retry-After\":\"1\"},\"times\":-1}]");
    toggl_client *c = h_client(tenant);
    double t0 = h_now();
    CHECK_STATUS(toggl_me_logged(c), TOGGL_ERATELIMIT);
    double elapsed = h_now() - t0;
    CHECK_EQ(toggl_error_http_status(), 429);
    CHECK_EQ(sandbox_request_count(tenant), 3);
    CHECKF(elapsed >= 1.8, "two Retry-After: 1 waits took only %.3f s", elapsed);
}

TEST(fault_retry_after_too_long_not_slept) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults",
                 "[{\"status\":503,\"headers\":{\"Retry-After\":\"120\"},\"times\":-1}]");
    toggl_client *c = h_client(tenant);
    double t0 = h_now();
    CHECK_STATUS(toggl_me_logged(c), TOGGL_ESERVER);
    double elapsed = h_now() - t0;
    CHECKF(elapsed < 2.5, "took %.3f s", elapsed);
    CHECK_EQ(sandbox_request_count(tenant), 1);
    int64_t ra = toggl_error_retry_after();
    CHECKF(ra >= 100 && ra <= 120, "retry_after = %lld", (long long)ra);
}

TEST(fault_retry_after_beyond_total_timeout_not_slept) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults",
                 "[{\"status\":503,\"headers\":{\"Retry-After\":\"10\"},\"times\":-1}]");
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_timeout_ms(c, 3000));
    double t0 = h_now();
    CHECK_STATUS(toggl_me_logged(c), TOGGL_ESERVER);
    double elapsed = h_now() - t0;
    CHECKF(elapsed < 2.5, "took %.3f s", elapsed);
    CHECK_EQ(sandbox_request_count(tenant), 1);
    int64_t ra = toggl_error_retry_after();
    CHECKF(ra >= 8 && ra <= 10, "retry_after = %lld", (long long)ra);
}

/* --- quota ------------------------------------------------------------------------------------------ */

#define QUOTA_402_FAULT                                                                      \
    "[{\"status\":402,\"message\":\"You have hit your hourly limit for API calls.\","        \
    "\"headers\":{\"X-Toggl-Quota-Remaining\":\"0\",\"X-Toggl-Quota-Resets-In\":\"120\"},"   \
    "\"path\":\"/me\",\"times\":1}]"

TEST(fault_402_then_fail_fast) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", QUOTA_402_FAULT);
    toggl_client *c = h_client(tenant);
    char *out = SENTINEL;
    CHECK_STATUS(toggl_me_get(c, false, &out), TOGGL_EQUOTA);
    CHECK(out == NULL);
    CHECK_EQ(toggl_error_http_status(), 402);
    CHECK_STR(toggl_error_message(), "You have hit your hourly limit for API calls.");
    int64_t ra = toggl_error_retry_after();
    CHECKF(ra > 0 && ra <= 120, "retry_after = %lld", (long long)ra);
    CHECK_EQ(sandbox_request_count(tenant), 1); /* 402 is not retried */

    int64_t remaining = -5, resets = -5;
    CHECK_OK(toggl_client_quota(c, &remaining, &resets));
    CHECK_EQ(remaining, 0);
    CHECKF(resets > 0 && resets <= 120, "resets_in_s = %lld", (long long)resets);

    /* Immediately after: fails locally, nothing sent, on any endpoint. */
    out = SENTINEL;
    CHECK_STATUS(toggl_tags_list(c, 0, &out), TOGGL_EQUOTA);
    CHECK(out == NULL);
    ra = toggl_error_retry_after();
    CHECKF(ra > 0 && ra <= 120, "retry_after = %lld", (long long)ra);
    CHECK(toggl_error_message()[0] != '\0');
    CHECK_STATUS(toggl_me_logged(c), TOGGL_EQUOTA);
    toggl_pager *p = h_pager_defer(toggl_projects_pager_new(c, 0, 0));
    CHECK(p != NULL);
    CHECK_STATUS(toggl_pager_next(p, &out), TOGGL_EQUOTA);
    CHECK(out == NULL);
    CHECK_EQ(sandbox_request_count(tenant), 1);

    /* Another client (its own quota state) still sends. */
    toggl_client *other = h_client(tenant);
    CHECK_OK(toggl_me_logged(other));
    CHECK_EQ(sandbox_request_count(tenant), 2);
}

TEST(fault_402_fail_fast_disabled_sends) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", QUOTA_402_FAULT);
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_quota_fail_fast(c, false));
    char *out = NULL;
    CHECK_STATUS(toggl_me_get(c, false, &out), TOGGL_EQUOTA);
    CHECK_EQ(toggl_error_http_status(), 402);
    CHECK_OK(toggl_me_get(c, false, &out)); /* sent anyway; the fault was used up */
    toggl_free(out);
    CHECK_EQ(sandbox_request_count(tenant), 2);
}

TEST(fault_402_fail_fast_switched_off_later) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", QUOTA_402_FAULT);
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    CHECK_STATUS(toggl_me_get(c, false, &out), TOGGL_EQUOTA);
    CHECK_STATUS(toggl_me_logged(c), TOGGL_EQUOTA);
    CHECK_EQ(sandbox_request_count(tenant), 1);
    CHECK_OK(toggl_client_set_quota_fail_fast(c, false));
    CHECK_OK(toggl_me_logged(c));
    CHECK_EQ(sandbox_request_count(tenant), 2);
}

TEST(quota_exhausted_by_sandbox_window) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "config", "{\"quota_limit\":2,\"quota_window_s\":600}");
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_me_logged(c));
    CHECK_OK(toggl_me_logged(c));
    int64_t remaining = -5, resets = -5;
    CHECK_OK(toggl_client_quota(c, &remaining, &resets));
    CHECK_EQ(remaining, 0);
    CHECKF(resets > 0 && resets <= 600, "resets_in_s = %lld", (long long)resets);
    /* The response reported 0 remaining: the next call fails locally. */
    CHECK_STATUS(toggl_me_logged(c), TOGGL_EQUOTA);
    CHECK_EQ(toggl_error_http_status(), 0);
    CHECKF(toggl_error_retry_after() > 0, "retry_after = %lld", (long long)toggl_error_retry_after());
    CHECK_EQ(sandbox_request_count(tenant), 2);
    /* Without fail-fast the server's own 402 comes back. */
    CHECK_OK(toggl_client_set_quota_fail_fast(c, false));
    CHECK_STATUS(toggl_me_logged(c), TOGGL_EQUOTA);
    CHECK_EQ(toggl_error_http_status(), 402);
    CHECKF(toggl_error_retry_after() > 0, "retry_after = %lld", (long long)toggl_error_retry_after());
    CHECK_EQ(sandbox_request_count(tenant), 3);
}

TEST(quota_headers_tracked) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "config", "{\"quota_limit\":20,\"quota_window_s\":900}");
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    CHECK_OK(toggl_me_get(c, false, &out));
    toggl_free(out);
    int64_t remaining = -5, resets = -5;
    CHECK_OK(toggl_client_quota(c, &remaining, &resets));
    CHECK_EQ(remaining, 19);
    CHECKF(resets > 890 && resets <= 900, "resets_in_s = %lld", (long long)resets);
    CHECK_OK(toggl_me_logged(c));
    CHECK_OK(toggl_client_quota(c, &remaining, &resets));
    CHECK_EQ(remaining, 18);
}

/* --- bodies ------------------------------------------------------------------------------------------- */

TEST(fault_oversize_body) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"action\":\"oversize\",\"size_bytes\":200000,\"path\":\"/me/projects\",\"times\":-1}]");
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_max_response_bytes(c, 1000));
    char *out = SENTINEL;
    CHECK_STATUS(toggl_projects_list(c, false, 0, &out), TOGGL_ETOOLARGE);
    CHECK(out == NULL);
    CHECK(toggl_error_message()[0] != '\0');
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

TEST(fault_oversize_body_without_length) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults",
                 "[{\"action\":\"oversize\",\"size_bytes\":300000,\"no_length\":true,\"path\":\"/me/tags\",\"times\":-1}]");
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_max_response_bytes(c, 4096));
    char *out = SENTINEL;
    CHECK_STATUS(toggl_tags_list(c, 0, &out), TOGGL_ETOOLARGE);
    CHECK(out == NULL);
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

TEST(fault_body_at_cap_is_fine) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"action\":\"oversize\",\"size_bytes\":1000,\"path\":\"/me/tags\"}]");
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_max_response_bytes(c, 1000));
    char *out = NULL;
    CHECK_OK(toggl_tags_list(c, 0, &out)); /* "[0,0,...]": exactly 1000 bytes */
    h_toggl_defer(out);
    CHECK_EQ(strlen(out), 1000);
}

TEST(fault_malformed_json) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"action\":\"malformed\",\"path\":\"/me\",\"times\":-1}]");
    toggl_client *c = h_client(tenant);
    char *out = SENTINEL;
    CHECK_STATUS(toggl_me_get(c, false, &out), TOGGL_EDECODE);
    CHECK(out == NULL);
    CHECK(toggl_error_message()[0] != '\0');
    CHECK_EQ(toggl_error_http_status(), 200);
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

TEST(fault_wrong_top_level_shape) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults",
                 "[{\"action\":\"malformed\",\"body\":\"{\\\"items\\\":[]}\",\"path\":\"/me/projects\"},"
                 "{\"action\":\"malformed\",\"body\":\"[]\",\"path\":\"/me\"},"
                 "{\"action\":\"malformed\",\"body\":\"<html>oops</html>\",\"content_type\":\"text/html\",\"path\":\"/me/tags\"},"
                 "{\"action\":\"malformed\",\"body\":\"[1,2,3]\",\"path\":\"/me/location\"}]");
    toggl_client *c = h_client(tenant);
    char *out = SENTINEL;
    CHECK_STATUS(toggl_projects_list(c, false, 0, &out), TOGGL_EDECODE);
    CHECK(out == NULL);
    CHECK_STATUS(toggl_me_get(c, false, &out), TOGGL_EDECODE);
    CHECK(out == NULL);
    CHECK_STATUS(toggl_tags_list(c, 0, &out), TOGGL_EDECODE);
    CHECK(out == NULL);
    CHECK_STATUS(toggl_location_get(c, &out), TOGGL_EDECODE);
    CHECK(out == NULL);
    CHECK_EQ(sandbox_request_count(tenant), 4);
}

TEST(fault_schema_drift_passes_through) {
    const char *tenant = h_tenant();
    /* Fields of unexpected types and unknown keys must not fail the JSON surface. */
    const char *body = "{\"id\":\"not-an-int\",\"fullname\":null,\"brand_new_field\":{\"x\":[1,2]},\"email\":42}";
    json_t *fault = h_json_defer(json_pack("[{s:s, s:s, s:s}]", "action", "malformed", "body", body, "path", "/me"));
    CHECK(fault != NULL);
    char *fault_text = json_dumps(fault, JSON_COMPACT);
    CHECK(fault_text != NULL);
    h_defer(free, fault_text);
    SANDBOX_POST(tenant, "faults", fault_text);
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    CHECK_OK(toggl_me_get(c, false, &out));
    h_toggl_defer(out);
    CHECK(json_equal(h_parse(out), h_parse(body)));
}

TEST(fault_truncated_body_no_retries) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"action\":\"truncate\",\"path\":\"/me\",\"times\":-1}]");
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_max_retries(c, 0));
    char *out = SENTINEL;
    CHECK_STATUS(toggl_me_get(c, false, &out), TOGGL_ENETWORK);
    CHECK(out == NULL);
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

/* --- time ------------------------------------------------------------------------------------------------ */

TEST(fault_stall_vs_total_timeout) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"action\":\"stall\",\"stall_ms\":3000,\"path\":\"/me\",\"times\":-1}]");
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_timeout_ms(c, 500));
    char *out = SENTINEL;
    double t0 = h_now();
    int status = toggl_me_get(c, false, &out);
    double elapsed = h_now() - t0;
    CHECK_STATUS(status, TOGGL_ETIMEOUT);
    CHECK(out == NULL);
    CHECK_EQ(toggl_error_http_status(), 0);
    CHECKF(elapsed < 2.5, "a 500 ms timeout returned after %.3f s", elapsed);
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

TEST(fault_slow_but_within_timeout) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"pass\":true,\"delay_ms\":300,\"path\":\"/me\"}]");
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_timeout_ms(c, 5000));
    char *out = NULL;
    CHECK_OK(toggl_me_get(c, false, &out));
    toggl_free(out);
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

TEST(fault_trickle_vs_low_speed_limit) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"action\":\"trickle\",\"interval_ms\":400,\"path\":\"/me\",\"times\":-1}]");
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_max_retries(c, 0));
    CHECK_OK(toggl_client_set_low_speed_limit(c, 100, 1));
    char *out = SENTINEL;
    double t0 = h_now();
    int status = toggl_me_get(c, false, &out);
    double elapsed = h_now() - t0;
    CHECK_STATUS(status, TOGGL_ETIMEOUT);
    CHECK(out == NULL);
    CHECKF(elapsed < 6.0, "the low-speed limit cut in after %.3f s", elapsed);
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

/* --- redirects --------------------------------------------------------------------------------------- */

TEST(fault_redirect_same_origin_followed) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults",
                 h_fmt("[{\"action\":\"redirect\",\"status\":307,\"location\":\"%s/me/tags\",\"path\":\"/me/clients\",\"times\":1}]",
                       sandbox_tenant_url(tenant)));
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    CHECK_OK(toggl_clients_list(c, 0, &out)); /* answered by /me/tags, an array too */
    h_toggl_defer(out);
    CHECK_EQ(h_array_size(out), 40);
    CHECK_EQ(sandbox_request_count(tenant), 2);
    h_expect_last_request(tenant, "GET", "/me/tags", "");
}

TEST(fault_redirect_other_origin_gets_no_credentials) {
    const char *tenant = h_tenant();
    const char *other = h_tenant();
    const char *base = sandbox_base();
    const char *port = strrchr(base, ':');
    CHECK(port != NULL);
    /* localhost vs 127.0.0.1: another origin (host differs) on the same sandbox. */
    SANDBOX_POST(tenant, "faults",
                 h_fmt("[{\"action\":\"redirect\",\"status\":302,\"location\":\"http://localhost%s/t/%s/api/v9/me\",\"path\":\"/me\",\"times\":1}]",
                       port, other));
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_max_retries(c, 0));
    char *out = NULL;
    int status = toggl_me_get(c, false, &out);
    toggl_free(out);
    json_t *log = h_json_defer(sandbox_requests(other));
    size_t i;
    json_t *r;
    json_array_foreach(log, i, r) {
        CHECKF(json_object_get(json_object_get(r, "headers"), "authorization") == NULL,
               "credentials were sent to another origin");
    }
    CHECKF(status != TOGGL_OK, "followed a cross-origin redirect without credentials and succeeded?");
    CHECK(strstr(toggl_error_message(), SANDBOX_TOKEN) == NULL);
}

TEST(fault_redirect_loop_bounded) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults",
                 h_fmt("[{\"action\":\"redirect\",\"status\":302,\"location\":\"%s/me\",\"path\":\"/me\",\"times\":-1}]",
                       sandbox_tenant_url(tenant)));
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_max_retries(c, 0));
    char *out = SENTINEL;
    int status = toggl_me_get(c, false, &out);
    CHECKF(status < 0, "an endless redirect loop returned %d", status);
    CHECK(out == NULL);
    long n = sandbox_request_count(tenant);
    CHECKF(n >= 1 && n <= 4, "%ld requests for a redirect loop (at most 3 redirects)", n);
}
