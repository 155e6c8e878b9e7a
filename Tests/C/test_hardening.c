/* The hardening of commit 90784c6 seen through the C ABI: hostile header numbers, announced
 * lengths, setters that would break every later call, `since` past the year 9999, the page
 * cursor rule, a huge page of `{}` and secrets echoed in error bodies. Each test passes on the
 * hardened library and failed (or crashed) on the one before it. The redirect rules and odd
 * statuses are policy, tested once in Swift (FaultMatrixTests, HostileServerTests). */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <limits.h>
#include <stdlib.h>
#include <time.h>

#define SENTINEL ((char *)"sentinel")

/* --- helpers ---------------------------------------------------------------------------------- */

/* A JSON string literal (with quotes) for text; freed at the end of the test. */
static const char *json_quote(const char *text) {
    json_t *s = h_json_defer(json_string(text));
    CHECK(s != NULL);
    char *dumped = json_dumps(s, JSON_ENCODE_ANY);
    CHECK(dumped != NULL);
    h_defer(free, dumped);
    return dumped;
}

/* Standard base64 of text; freed at the end of the test. */
static const char *base64(const char *text) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(text);
    char *out = malloc(4 * ((n + 2) / 3) + 1);
    CHECK(out != NULL);
    h_defer(free, out);
    const unsigned char *in = (const unsigned char *)text;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < n) v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < n) v |= in[i + 2];
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? alphabet[v & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

/* Fails the test when `message` contains any `length`-character piece of `secret`. */
static void expect_no_piece(const char *message, const char *secret, size_t length) {
    size_t n = strlen(secret);
    CHECK(n >= length);
    char piece[256];
    CHECK(length < sizeof piece);
    for (size_t i = 0; i + length <= n; i++) {
        memcpy(piece, secret + i, length);
        piece[length] = '\0';
        CHECKF(strstr(message, piece) == NULL, "the message leaks \"%s\" (of %s): %s", piece, secret, message);
    }
}

/* A copy of the thread's error message, kept until the end of the test. */
static const char *error_message_copy(void) {
    return h_fmt("%s", toggl_error_message());
}

/* --- 1. numbers from headers ------------------------------------------------------------------ */

TEST(hardening_quota_headers_at_int64_min_and_huge) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults",
                 "[{\"status\":200,\"body\":\"{}\",\"path\":\"/me\",\"method\":\"GET\",\"headers\":"
                 "{\"X-Toggl-Quota-Remaining\":\"-9223372036854775808\","
                 "\"X-Toggl-Quota-Resets-In\":\"-9223372036854775808\"}},"
                 "{\"status\":200,\"body\":\"{}\",\"path\":\"/me\",\"method\":\"GET\",\"headers\":"
                 "{\"X-Toggl-Quota-Resets-In\":\"99999999999999999999\"}},"
                 "{\"status\":200,\"body\":\"{}\",\"path\":\"/me\",\"method\":\"GET\",\"headers\":"
                 "{\"X-Toggl-Quota-Remaining\":\"99999999999999999999\","
                 "\"X-Toggl-Quota-Resets-In\":\"99999999999999999999\"}}]");
    toggl_client *c = h_client(tenant);
    char *out = NULL;

    CHECK_OK(toggl_me_get(c, false, &out));
    h_toggl_defer(out);
    CHECK_STR(out, "{}");
    /* Counting a reset of INT64_MIN down by the seconds elapsed since is where it overflowed. */
    struct timespec pause = {1, 200000000L};
    nanosleep(&pause, NULL);
    int64_t remaining = 7, resets = 7;
    CHECK_OK(toggl_client_quota(c, &remaining, &resets));
    CHECK_EQ(remaining, -1);
    CHECK_EQ(resets, -1);
    /* A negative number closes no gate. */
    CHECK_OK(toggl_me_logged(c));

    out = NULL;
    CHECK_OK(toggl_me_get(c, false, &out));
    h_toggl_defer(out);
    CHECK_OK(toggl_client_quota(c, &remaining, &resets));
    CHECK_EQ(remaining, -1);
    CHECKF(resets >= 86400 - 5 && resets <= 86400, "resets_in_s = %lld, expected at most a day",
           (long long)resets);

    out = NULL;
    CHECK_OK(toggl_me_get(c, false, &out));
    h_toggl_defer(out);
    CHECK_OK(toggl_client_quota(c, &remaining, &resets));
    CHECKF(remaining > 0, "remaining = %lld for 99999999999999999999", (long long)remaining);
    CHECKF(resets >= 86400 - 5 && resets <= 86400, "resets_in_s = %lld", (long long)resets);
    CHECK_EQ(sandbox_request_count(tenant), 4);
}

/* --- 3. an announced length is never allocated up front ---------------------------------------- */

TEST(hardening_content_length_int64_max_with_unlimited_cap) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults",
                 "[{\"action\":\"raw\",\"path\":\"/me/projects\",\"raw\":\"HTTP/1.1 200 OK\\r\\n"
                 "Content-Type: application/json\\r\\nContent-Length: 9223372036854775807\\r\\n\\r\\n[1]\"}]");
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_max_response_bytes(c, INT64_MAX));
    CHECK_OK(toggl_client_set_max_retries(c, 0));
    char *out = SENTINEL;
    CHECK_STATUS(toggl_projects_list(c, false, 0, &out), TOGGL_ENETWORK);
    CHECK(out == NULL);
    CHECK_EQ(toggl_error_http_status(), 0);
    CHECK(toggl_error_message()[0] != '\0');
    CHECK_EQ(sandbox_request_count(tenant), 1);
    /* The client still works. */
    CHECK_OK(toggl_me_logged(c));
}

/* --- 15, 21. setters that would break every later call ----------------------------------------- */

/* The client still sends, and with the old configuration (the sandbox sees its User-Agent). */
static void expect_client_unchanged(const char *tenant, toggl_client *c, long *expected_count) {
    CHECK_OK(toggl_me_logged(c));
    (*expected_count)++;
    CHECK_EQ(sandbox_request_count(tenant), *expected_count);
    json_t *last = sandbox_last_request(tenant);
    const char *ua = json_string_value(json_object_get(json_object_get(last, "headers"), "user-agent"));
    CHECKF(ua != NULL && strncmp(ua, "libtoggl/", 9) == 0, "user-agent is %s", ua ? ua : "(none)");
}

TEST(hardening_setters_refuse_values_that_break_later_calls) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    long count = 0;
    expect_client_unchanged(tenant, c, &count);

    CHECK_STATUS(toggl_client_set_low_speed_limit(c, 1, 9300000000000000L), TOGGL_EINVAL);
    expect_client_unchanged(tenant, c, &count);
    CHECK_STATUS(toggl_client_set_timeout_ms(c, LONG_MAX), TOGGL_EINVAL);
    expect_client_unchanged(tenant, c, &count);
    CHECK_STATUS(toggl_client_set_base_url(c, "http://127.0.0.1:99999/api/v9"), TOGGL_EINVAL);
    expect_client_unchanged(tenant, c, &count);
    CHECK_STATUS(toggl_client_set_base_url(c, "http://[::1/api/v9"), TOGGL_EINVAL);
    expect_client_unchanged(tenant, c, &count);
    CHECK_STATUS(toggl_client_set_user_agent(c, "a\x7f"), TOGGL_EINVAL);
    expect_client_unchanged(tenant, c, &count);
    CHECK_STATUS(toggl_client_set_user_agent(c, "a\xc2\x85"), TOGGL_EINVAL); /* U+0085 (NEL) */
    expect_client_unchanged(tenant, c, &count);

    size_t big = 9u << 20;
    char *ua = malloc(big + 1);
    CHECK(ua != NULL);
    h_defer(free, ua);
    memset(ua, 'u', big);
    ua[big] = '\0';
    CHECK_STATUS(toggl_client_set_user_agent(c, ua), TOGGL_EINVAL);
    CHECK_EQ(toggl_error_http_status(), 0);
    expect_client_unchanged(tenant, c, &count);

    /* The limits themselves are accepted. */
    CHECK_OK(toggl_client_set_low_speed_limit(c, 1, 86400));
    CHECK_OK(toggl_client_set_timeout_ms(c, 86400000L));
    expect_client_unchanged(tenant, c, &count);
}

TEST(hardening_token_with_c1_control_refused) {
    toggl_client *c = h_client_defer(toggl_client_new("tok\xc2\x85" "en"));
    CHECK(c == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
    CHECK(toggl_error_message()[0] != '\0');
}

/* --- since past the year 9999 --------------------------------------------------------------------- */

TEST(hardening_since_after_year_9999_is_einval) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    char *out = SENTINEL;
    CHECK_STATUS(toggl_clients_list(c, INT64_MAX, &out), TOGGL_EINVAL);
    CHECK(out == NULL);
    CHECK_STATUS(toggl_clients_list(c, 253402300800LL, &out), TOGGL_EINVAL);
    CHECK(out == NULL);
    CHECK_EQ(sandbox_request_count(tenant), 0);

    CHECK_OK(toggl_clients_list(c, 253402300799LL, &out));
    h_toggl_defer(out);
    CHECK_EQ(h_array_size(out), 0);
    CHECK_EQ(sandbox_request_count(tenant), 1);
    h_expect_last_request(tenant, "GET", "/me/clients", "since=253402300799");
}

/* --- 16, 17. the page cursor rule ------------------------------------------------------------------- */

#define NON_ADVANCING_PAGE \
    "[{\"status\":200,\"body\":\"[{\\\"id\\\":200000000},{\\\"id\\\":0}]\",\"path\":\"/me/projects/paginated\",\"times\":-1}]"

TEST(hardening_cursor_not_advancing_is_decode_error) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", NON_ADVANCING_PAGE);
    toggl_client *c = h_client(tenant);
    char *out = SENTINEL;
    int64_t next = 77;
    CHECK_STATUS(toggl_projects_list_paginated(c, 0, 0, 2, &out, &next), TOGGL_EDECODE);
    CHECK(out == NULL);
    CHECK_EQ(next, 0);
    CHECK_EQ(toggl_error_http_status(), 200);
    CHECK(toggl_error_message()[0] != '\0');
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

TEST(hardening_pager_cursor_not_advancing_stops) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", NON_ADVANCING_PAGE);
    toggl_client *c = h_client(tenant);
    toggl_pager *p = h_pager_defer(toggl_projects_pager_new(c, 0, 2));
    CHECK(p != NULL);
    char *out = SENTINEL;
    CHECK_STATUS(toggl_pager_next(p, &out), TOGGL_EDECODE);
    CHECK(out == NULL);
    CHECK_EQ(toggl_error_http_status(), 200);
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

TEST(hardening_cursor_from_string_id) {
    const char *tenant = h_tenant();
    const char *body = "[{\"id\":5},{\"id\":\"200000123\"}]";
    SANDBOX_POST(tenant, "faults",
                 h_fmt("[{\"status\":200,\"body\":%s,\"path\":\"/me/projects/paginated\"}]", json_quote(body)));
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    int64_t next = -1;
    CHECK_OK(toggl_projects_list_paginated(c, 0, 0, 2, &out, &next));
    h_toggl_defer(out);
    CHECK_STR(out, body);
    CHECK_EQ(next, 200000124);
}

TEST(hardening_cursor_missing_id_ends_the_walk) {
    const char *tenant = h_tenant();
    const char *body = "[{\"id\":5},{\"name\":\"x\"}]";
    SANDBOX_POST(tenant, "faults",
                 h_fmt("[{\"status\":200,\"body\":%s,\"path\":\"/me/projects/paginated\"}]", json_quote(body)));
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    int64_t next = -1;
    CHECK_OK(toggl_projects_list_paginated(c, 0, 0, 2, &out, &next));
    h_toggl_defer(out);
    CHECK_STR(out, body);
    CHECK_EQ(next, 0);
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

/* --- 8. a huge page of tiny objects ------------------------------------------------------------------ */

/* 67,000,000 bytes (just under the 64 MiB cap): "[{},{},...]" of 22,333,333 elements. */
#define HUGE_PAGE_BYTES 67000000L

TEST(hardening_huge_page_of_empty_objects) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults",
                 h_fmt("[{\"action\":\"oversize\",\"element\":\"{}\",\"size_bytes\":%ld,"
                       "\"path\":\"/me/projects/paginated\"}]", HUGE_PAGE_BYTES));
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    int64_t next = -1;
    double t0 = h_now();
    CHECK_OK(toggl_projects_list_paginated(c, 0, 0, 201, &out, &next));
    double elapsed = h_now() - t0;
    h_toggl_defer(out);
    CHECK_EQ(next, 0); /* no id to continue from: the walk ends */
    size_t n = strlen(out);
    CHECK_EQ(n, HUGE_PAGE_BYTES);
    CHECK(strncmp(out, "[{},{},", 7) == 0);
    CHECK(strcmp(out + n - 7, ",{},{}]") == 0);
    CHECK_EQ(sandbox_request_count(tenant), 1);
    printf("  (64 MiB page of {} in %.1f s)\n", elapsed);
}

/* --- 9-12. secrets in error messages ------------------------------------------------------------------ */

TEST(hardening_put_passwords_redacted_from_error) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults",
                 "[{\"status\":400,\"body_kind\":\"json_string\",\"method\":\"PUT\",\"path\":\"/me\","
                 "\"message\":\"bad current_password 'Old-Secret-123' for 'New-Secret-456'\"}]");
    toggl_client *c = h_client(tenant);
    char *out = SENTINEL;
    CHECK_STATUS(toggl_me_update(c, "{\"current_password\":\"Old-Secret-123\",\"password\":\"New-Secret-456\"}", &out),
                 TOGGL_EREQUEST);
    CHECK(out == NULL);
    CHECK_EQ(toggl_error_http_status(), 400);
    const char *message = error_message_copy();
    CHECKF(strstr(message, "[redacted]") != NULL, "nothing redacted: %s", message);
    CHECKF(strstr(message, "bad current_password") != NULL, "the server's text is lost: %s", message);
    expect_no_piece(message, "Old-Secret-123", 8);
    expect_no_piece(message, "New-Secret-456", 8);
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

TEST(hardening_echoed_authorization_header_redacted) {
    const char *tenant = h_tenant();
    const char *b64 = base64(SANDBOX_TOKEN ":api_token");
    CHECK_STR(b64, "c2FuZGJveC1hcGktdG9rZW4tMDEyMzQ1Njc4OWFiY2RlZjphcGlfdG9rZW4=");
    SANDBOX_POST(tenant, "faults",
                 h_fmt("[{\"status\":400,\"body_kind\":\"plain\",\"path\":\"/me\","
                       "\"message\":\"bad request; you sent Authorization: Basic %s\"}]", b64));
    toggl_client *c = h_client(tenant);
    char *out = SENTINEL;
    CHECK_STATUS(toggl_me_get(c, false, &out), TOGGL_EREQUEST);
    CHECK(out == NULL);
    CHECK_EQ(toggl_error_http_status(), 400);
    const char *message = error_message_copy();
    CHECKF(strstr(message, "[redacted]") != NULL, "nothing redacted: %s", message);
    expect_no_piece(message, b64, 16);
    expect_no_piece(message, SANDBOX_TOKEN, 16);
}
