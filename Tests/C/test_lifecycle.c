/* Version, status strings, error state, constructors, setters, toggl_client_quota. */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>

static const int all_codes[] = {
    TOGGL_OK, TOGGL_DONE, TOGGL_EINVAL, TOGGL_ENETWORK, TOGGL_ETIMEOUT, TOGGL_EAUTH,
    TOGGL_ENOTFOUND, TOGGL_EREQUEST, TOGGL_EQUOTA, TOGGL_ERATELIMIT, TOGGL_ESERVER,
    TOGGL_EDECODE, TOGGL_ETOOLARGE, TOGGL_EINTERNAL, TOGGL_ECANCELED, TOGGL_ESTORE,
};
#define N_CODES (sizeof all_codes / sizeof all_codes[0])

TEST(status_values_are_the_abi) {
    CHECK_EQ(TOGGL_OK, 0);
    CHECK_EQ(TOGGL_DONE, 1);
    for (int i = 2; i < (int)N_CODES; i++) CHECK_EQ(all_codes[i], -(i - 1));
    CHECK_EQ(TOGGL_ESTORE, -14);
}

TEST(version) {
    CHECK(toggl_version() != NULL);
    /* The header's macros agree with each other and with the library (VERSION itself is
     * checked against the header by FactsTests and Tests/check-library.sh). */
    CHECK_STR(toggl_version(), TOGGL_VERSION);
    CHECK_STR(h_fmt("%d.%d.%d", TOGGL_VERSION_MAJOR, TOGGL_VERSION_MINOR, TOGGL_VERSION_PATCH),
              TOGGL_VERSION);
    CHECK_EQ(TOGGL_VERSION_NUMBER,
             TOGGL_VERSION_MAJOR * 1000000 + TOGGL_VERSION_MINOR * 1000 + TOGGL_VERSION_PATCH);
    CHECK_EQ(toggl_version_number(), TOGGL_VERSION_NUMBER);
    CHECK(toggl_version() == toggl_version()); /* static */
}

TEST(status_string_distinct_and_unknown) {
    for (size_t i = 0; i < N_CODES; i++) {
        const char *s = toggl_status_string(all_codes[i]);
        CHECKF(s != NULL && s[0] != '\0', "toggl_status_string(%d) is NULL or empty", all_codes[i]);
        CHECKF(strcmp(s, "unknown status") != 0, "toggl_status_string(%d) is \"unknown status\"", all_codes[i]);
        for (size_t j = 0; j < i; j++)
            CHECKF(strcmp(s, toggl_status_string(all_codes[j])) != 0,
                   "codes %d and %d share the name \"%s\"", all_codes[i], all_codes[j], s);
        CHECK(toggl_status_string(all_codes[i]) == s); /* static, stable */
    }
    const int others[] = { 2, 3, -15, -100, 42, INT_MIN, INT_MAX };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        CHECK_STR(toggl_status_string(others[i]), "unknown status");
    /* A code the library names but all_codes lacks (a new one) fails here. */
    for (int code = -1000; code <= 1000; code++) {
        bool listed = false;
        for (size_t i = 0; i < N_CODES; i++) listed = listed || all_codes[i] == code;
        CHECKF(listed || strcmp(toggl_status_string(code), "unknown status") == 0,
               "toggl_status_string(%d) is \"%s\", but the code is not in all_codes", code,
               toggl_status_string(code));
    }
}

TEST(free_functions_accept_null) {
    toggl_free(NULL);
    toggl_client_free(NULL);
    toggl_pager_free(NULL);
}

static void *fresh_thread_errors(void *arg) {
    int *bad = arg;
    const char *m = toggl_error_message();
    if (m == NULL || m[0] != '\0') *bad |= 1;
    if (toggl_error_code() != TOGGL_OK) *bad |= 2;
    if (toggl_error_http_status() != 0) *bad |= 4;
    if (toggl_error_retry_after() != -1) *bad |= 8;
    /* A failure on this thread shows up here ... */
    if (toggl_client_new(NULL) != NULL) *bad |= 16;
    if (toggl_error_code() != TOGGL_EINVAL || toggl_error_message()[0] == '\0') *bad |= 32;
    return NULL;
}

TEST(error_state_fresh_thread_is_empty) {
    /* Fail on the main thread first: another thread must not see it. */
    CHECK(toggl_client_new(NULL) == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
    int bad = 0;
    pthread_t t;
    CHECK_EQ(pthread_create(&t, NULL, fresh_thread_errors, &bad), 0);
    CHECK_EQ(pthread_join(t, NULL), 0);
    CHECKF(bad == 0, "fresh-thread error state wrong (mask %d)", bad);
    /* ... and the main thread still has its own. */
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
}

TEST(error_state_after_failure_then_success) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    SANDBOX_POST(tenant, "faults", "[{\"status\":404,\"message\":\"could not load user data\",\"path\":\"/me\"}]");
    char *out = NULL;
    CHECK_STATUS(toggl_me_get(c, false, &out), TOGGL_ENOTFOUND);
    CHECK(out == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_ENOTFOUND);
    CHECK_EQ(toggl_error_http_status(), 404);
    CHECK_STR(toggl_error_message(), "could not load user data");
    /* The details survive reading them and non-failing helpers. */
    CHECK_EQ(toggl_error_code(), TOGGL_ENOTFOUND);
    (void)toggl_status_string(TOGGL_OK);
    (void)toggl_version();
    CHECK_EQ(toggl_error_code(), TOGGL_ENOTFOUND);
    /* A successful call resets them. */
    CHECK_OK(toggl_me_get(c, false, &out));
    toggl_free(out);
    h_expect_no_error();
}

TEST(client_new_invalid_arguments) {
    CHECK(toggl_client_new(NULL) == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
    CHECK(toggl_error_message()[0] != '\0');
    CHECK_EQ(toggl_error_http_status(), 0);
    CHECK(toggl_client_new("") == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
    CHECK(toggl_client_new("\xff\xfe") == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
    CHECK(toggl_client_new("abc\xc3") == NULL); /* truncated sequence */
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
    CHECK(toggl_client_new("tok\nen") == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);

    CHECK(toggl_client_new_basic(NULL, SANDBOX_PASSWORD) == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
    CHECK(toggl_client_new_basic(SANDBOX_EMAIL, NULL) == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
    CHECK(toggl_client_new_basic(NULL, NULL) == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
    CHECK(toggl_client_new_basic("\xff\xfe", SANDBOX_PASSWORD) == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
    CHECK(toggl_client_new_basic(SANDBOX_EMAIL, "\xff\xfe") == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
    CHECK(toggl_client_new_basic("", SANDBOX_PASSWORD) == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
}

TEST(client_new_resets_error_state) {
    CHECK(toggl_client_new(NULL) == NULL);
    toggl_client *c = toggl_client_new(SANDBOX_TOKEN);
    CHECK(c != NULL);
    toggl_client_free(c);
    CHECK(toggl_client_new(NULL) == NULL);
    c = toggl_client_new_basic(SANDBOX_EMAIL, SANDBOX_PASSWORD);
    CHECK(c != NULL);
    h_expect_no_error();
    toggl_client_free(c);
}

TEST(client_new_sends_nothing) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    toggl_client *b = h_client_basic(tenant, SANDBOX_EMAIL, SANDBOX_PASSWORD);
    CHECK_OK(toggl_client_set_timeout_ms(c, 5000));
    CHECK_OK(toggl_client_set_user_agent(b, "x/1"));
    CHECK_EQ(sandbox_request_count(tenant), 0);
}

TEST(setters_reject_null_client) {
    CHECK_STATUS(toggl_client_set_base_url(NULL, "http://127.0.0.1:1/api/v9"), TOGGL_EINVAL);
    CHECK(toggl_error_message()[0] != '\0');
    CHECK_STATUS(toggl_client_set_timeout_ms(NULL, 1000), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_connect_timeout_ms(NULL, 1000), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_max_retries(NULL, 1), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_user_agent(NULL, "ua"), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_ca_file(NULL, "/etc/ssl/certs/ca-certificates.crt"), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_max_response_bytes(NULL, 1000), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_quota_fail_fast(NULL, true), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_low_speed_limit(NULL, 1, 30), TOGGL_EINVAL);
    int64_t r = 0, s = 0;
    CHECK_STATUS(toggl_client_quota(NULL, &r, &s), TOGGL_EINVAL);
}

TEST(setters_reject_null_and_invalid_strings) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    CHECK_STATUS(toggl_client_set_base_url(c, NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_user_agent(c, NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_ca_file(c, NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_base_url(c, "http://127.0.0.1/\xff\xfe"), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_base_url(c, "\xff\xfe"), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_user_agent(c, "agent/\xff\xfe"), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_ca_file(c, "/tmp/\xff\xfe.pem"), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_base_url(c, ""), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_base_url(c, "ftp://127.0.0.1/api/v9"), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_base_url(c, "not a url"), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_user_agent(c, "evil\r\nX-Injected: 1"), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_ca_file(c, ""), TOGGL_EINVAL);
    /* Nothing was sent, and the previous (valid) base URL is still in use. */
    CHECK_EQ(sandbox_request_count(tenant), 0);
    CHECK_OK(toggl_me_logged(c));
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

TEST(setters_reject_out_of_range_values) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    CHECK_STATUS(toggl_client_set_timeout_ms(c, 0), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_timeout_ms(c, -1), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_connect_timeout_ms(c, 0), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_connect_timeout_ms(c, -5), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_max_retries(c, -1), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_max_response_bytes(c, 0), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_max_response_bytes(c, -1), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_low_speed_limit(c, -1, 30), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_low_speed_limit(c, 100, 0), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_set_low_speed_limit(c, 100, -3), TOGGL_EINVAL);
    CHECK_EQ(sandbox_request_count(tenant), 0);
    CHECK_OK(toggl_me_logged(c));
}

TEST(setters_accept_valid_values) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_timeout_ms(c, 20000));
    h_expect_no_error();
    CHECK_OK(toggl_client_set_connect_timeout_ms(c, 5000));
    CHECK_OK(toggl_client_set_max_retries(c, 0));
    CHECK_OK(toggl_client_set_max_retries(c, 5));
    CHECK_OK(toggl_client_set_max_response_bytes(c, 1 << 20));
    CHECK_OK(toggl_client_set_quota_fail_fast(c, false));
    CHECK_OK(toggl_client_set_quota_fail_fast(c, true));
    CHECK_OK(toggl_client_set_low_speed_limit(c, 0, 0)); /* disabled */
    CHECK_OK(toggl_client_set_low_speed_limit(c, 10, 5));
    CHECK_OK(toggl_client_set_user_agent(c, "test-agent/1.0 (ünïcode)"));
    /* A trailing slash on the base URL is ignored. */
    CHECK_OK(toggl_client_set_base_url(c, h_fmt("%s/", sandbox_tenant_url(tenant))));
    char *out = NULL;
    CHECK_OK(toggl_me_get(c, false, &out));
    toggl_free(out);
    h_expect_last_request(tenant, "GET", "/me", "");
}

TEST(user_agent_default_and_custom) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_me_logged(c));
    json_t *r = sandbox_last_request(tenant);
    const char *ua = json_string_value(json_object_get(json_object_get(r, "headers"), "user-agent"));
    CHECKF(ua != NULL && strncmp(ua, "libtoggl/", 9) == 0, "default user agent is %s", ua ? ua : "(none)");
    CHECK_OK(toggl_client_set_user_agent(c, "my-tool/2.5"));
    CHECK_OK(toggl_me_logged(c));
    r = sandbox_last_request(tenant);
    CHECK_STR(json_string_value(json_object_get(json_object_get(r, "headers"), "user-agent")), "my-tool/2.5");
}

TEST(ca_file_accepted_for_plain_http) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_ca_file(c, "/etc/ssl/certs/ca-certificates.crt"));
    CHECK_OK(toggl_me_logged(c)); /* plain http: the CA file is not consulted */
}

TEST(base_url_unreachable_is_network_error) {
    toggl_client *c = h_client(h_tenant());
    CHECK_OK(toggl_client_set_max_retries(c, 0));
    CHECK_OK(toggl_client_set_base_url(c, h_fmt("http://127.0.0.1:%d/api/v9", h_closed_port())));
    char *out = (char *)"sentinel";
    CHECK_STATUS(toggl_me_get(c, false, &out), TOGGL_ENETWORK);
    CHECK(out == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_ENETWORK);
    CHECK_EQ(toggl_error_http_status(), 0);
    CHECK(toggl_error_message()[0] != '\0');
    CHECK(strstr(toggl_error_message(), SANDBOX_TOKEN) == NULL);
}

TEST(client_quota_before_and_after_responses) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "config", "{\"quota_limit\":50,\"quota_window_s\":3600}");
    toggl_client *c = h_client(tenant);
    int64_t remaining = 7, resets = 7;
    CHECK_STATUS(toggl_client_quota(c, NULL, &resets), TOGGL_EINVAL);
    CHECK_STATUS(toggl_client_quota(c, &remaining, NULL), TOGGL_EINVAL);
    CHECK_OK(toggl_client_quota(c, &remaining, &resets));
    CHECK_EQ(remaining, -1);
    CHECK_EQ(resets, -1);
    CHECK_OK(toggl_me_logged(c));
    CHECK_OK(toggl_client_quota(c, &remaining, &resets));
    CHECK_EQ(remaining, 49);
    CHECKF(resets > 0 && resets <= 3600, "resets_in_s = %lld", (long long)resets);
    char *out = NULL;
    CHECK_OK(toggl_tags_list(c, 0, &out));
    toggl_free(out);
    CHECK_OK(toggl_client_quota(c, &remaining, &resets));
    CHECK_EQ(remaining, 48);
    CHECK_EQ(sandbox_request_count(tenant), 2); /* toggl_client_quota sends nothing */
}

TEST(client_quota_per_client) {
    const char *tenant = h_tenant();
    toggl_client *a = h_client(tenant);
    toggl_client *b = h_client(tenant);
    CHECK_OK(toggl_me_logged(a));
    int64_t remaining = 0, resets = 0;
    CHECK_OK(toggl_client_quota(b, &remaining, &resets));
    CHECK_EQ(remaining, -1);
    CHECK_OK(toggl_client_quota(a, &remaining, &resets));
    CHECK_EQ(remaining, 1000000 - 1);
}
