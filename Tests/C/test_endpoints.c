/* Every endpoint and every parameter, asserting what the sandbox received. */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <stdlib.h>

#define SINCE 1700000000

/* The seed's counts come from the sandbox's manifest (Tests/Sandbox/README.md). */
#define FIRST_PROJECT_ID 200000000LL

static int64_t last_id(const char *json_text) {
    json_t *a = h_parse(json_text);
    CHECK(json_is_array(a) && json_array_size(a) > 0);
    json_t *id = json_object_get(json_array_get(a, json_array_size(a) - 1), "id");
    CHECK(json_is_integer(id));
    return (int64_t)json_integer_value(id);
}

static int64_t first_id(const char *json_text) {
    json_t *a = h_parse(json_text);
    CHECK(json_is_array(a) && json_array_size(a) > 0);
    json_t *id = json_object_get(json_array_get(a, 0), "id");
    CHECK(json_is_integer(id));
    return (int64_t)json_integer_value(id);
}

/* --- /me ------------------------------------------------------------------------------------- */

TEST(me_get_plain) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    char *out = (char *)"sentinel";
    CHECK_OK(toggl_me_get(c, false, &out));
    h_toggl_defer(out);
    h_expect_no_error();
    json_t *me = h_parse(out);
    CHECK(json_is_object(me));
    CHECK_STR(json_string_value(json_object_get(me, "fullname")), SANDBOX_FULLNAME);
    CHECK_STR(json_string_value(json_object_get(me, "email")), SANDBOX_EMAIL);
    CHECK(json_object_get(me, "projects") == NULL);
    h_expect_last_request(tenant, "GET", "/me", "");
    json_t *r = sandbox_last_request(tenant);
    const char *auth = json_string_value(json_object_get(json_object_get(r, "headers"), "authorization"));
    CHECKF(auth != NULL && strncmp(auth, "Basic ", 6) == 0, "authorization header: %s", auth ? auth : "(none)");
}

TEST(me_get_with_related_data) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    CHECK_OK(toggl_me_get(c, true, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me", "with_related_data=true");
    json_t *me = h_parse(out);
    CHECK_STR(json_string_value(json_object_get(me, "fullname")), SANDBOX_FULLNAME);
    CHECK(json_is_array(json_object_get(me, "projects")));
    CHECK_EQ(json_array_size(json_object_get(me, "projects")), sandbox_count("projects"));
    CHECK(json_is_array(json_object_get(me, "workspaces")));
}

TEST(me_get_schema_drift_passes_through) {
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

TEST(me_update_changes_user) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    const char *body = "{\"fullname\":\"Ada Lovelace\",\"beginning_of_week\":0}";
    char *out = (char *)"sentinel";
    CHECK_OK(toggl_me_update(c, body, &out));
    h_toggl_defer(out);
    json_t *updated = h_parse(out);
    CHECK_STR(json_string_value(json_object_get(updated, "fullname")), "Ada Lovelace");
    json_t *r = sandbox_last_request(tenant);
    CHECK_STR(json_string_value(json_object_get(r, "method")), "PUT");
    CHECK_STR(json_string_value(json_object_get(r, "path")), "/me");
    CHECK_STR(json_string_value(json_object_get(r, "query")), "");
    json_t *sent = h_parse(json_string_value(json_object_get(r, "body")));
    CHECK(json_equal(sent, h_parse(body)));
    const char *ctype = json_string_value(json_object_get(json_object_get(r, "headers"), "content-type"));
    CHECKF(ctype != NULL && strncmp(ctype, "application/json", 16) == 0, "content-type: %s", ctype ? ctype : "(none)");

    char *me_text = NULL;
    CHECK_OK(toggl_me_get(c, false, &me_text));
    h_toggl_defer(me_text);
    json_t *me = h_parse(me_text);
    CHECK_STR(json_string_value(json_object_get(me, "fullname")), "Ada Lovelace");
    CHECK_EQ(json_integer_value(json_object_get(me, "beginning_of_week")), 0);
}

TEST(me_update_unicode_passes_through) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    CHECK_OK(toggl_me_update(c, "{\"fullname\":\"J\xc3\xbcrgen \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80\"}", &out));
    toggl_free(out);
    CHECK_OK(toggl_me_get(c, false, &out));
    h_toggl_defer(out);
    CHECK_STR(json_string_value(json_object_get(h_parse(out), "fullname")),
              "J\xc3\xbcrgen \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
}

TEST(me_update_rejected_field) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    char *out = (char *)"sentinel";
    CHECK_STATUS(toggl_me_update(c, "{\"beginning_of_week\":9}", &out), TOGGL_EREQUEST);
    CHECK(out == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EREQUEST);
    CHECK_STR(toggl_error_message(), "Invalid beginning_of_week");
    CHECK_EQ(toggl_error_http_status(), 400);
    CHECK_EQ(sandbox_request_count(tenant), 1); /* PUT is never retried */
    /* Nothing changed. */
    CHECK_OK(toggl_me_get(c, false, &out));
    h_toggl_defer(out);
    CHECK_EQ(json_integer_value(json_object_get(h_parse(out), "beginning_of_week")), 1);
}

TEST(me_update_invalid_bodies_send_nothing) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    const char *bad[] = {
        "[1,2]", "\"fullname\"", "42", "null", "true", "{bad json", "{\"a\":1", "", "   ",
        "{\"fullname\":\"\xff\xfe\"}", "\xff\xfe", "{\"a\":1} trailing", "{\"a\":1}{\"b\":2}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *out = (char *)"sentinel";
        int status = toggl_me_update(c, bad[i], &out);
        CHECKF(status == TOGGL_EINVAL, "toggl_me_update(\"%s\") returned %d (%s)", bad[i], status,
               toggl_status_string(status));
        CHECK(out == NULL);
        CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
        CHECK(toggl_error_message()[0] != '\0');
        CHECK_EQ(toggl_error_http_status(), 0);
    }
    char *out = (char *)"sentinel";
    CHECK_STATUS(toggl_me_update(c, NULL, &out), TOGGL_EINVAL);
    CHECK(out == NULL);
    CHECK_EQ(sandbox_request_count(tenant), 0);
}

TEST(me_logged) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_me_logged(c));
    h_expect_no_error();
    h_expect_last_request(tenant, "GET", "/me/logged", "");
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

/* --- simple collections ------------------------------------------------------------------------ */

TEST(clients_list_and_since) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    CHECK_OK(toggl_clients_list(c, 0, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/clients", "");
    CHECK_EQ(h_array_size(out), sandbox_count("clients"));
    CHECK_OK(toggl_clients_list(c, -5, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/clients", "");
    CHECK_OK(toggl_clients_list(c, SINCE, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/clients", "since=1700000000");
    CHECK_EQ(h_array_size(out), sandbox_count_since("clients", SINCE));
}

TEST(tags_list_and_since) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    CHECK_OK(toggl_tags_list(c, 0, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/tags", "");
    CHECK_EQ(h_array_size(out), sandbox_count("tags"));
    CHECK_OK(toggl_tags_list(c, INT64_MIN, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/tags", "");
    CHECK_OK(toggl_tags_list(c, SINCE, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/tags", "since=1700000000");
    CHECK_EQ(h_array_size(out), sandbox_count_since("tags", SINCE));
}

TEST(features_list) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    CHECK_OK(toggl_features_list(c, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/features", "");
    json_t *a = h_parse(out);
    CHECK(json_is_array(a) && json_array_size(a) > 0);
    CHECK(json_is_array(json_object_get(json_array_get(a, 0), "features")));
}

TEST(organizations_list) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    CHECK_OK(toggl_organizations_list(c, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/organizations", "");
    json_t *a = h_parse(out);
    CHECK_EQ(json_array_size(a), 1);
    CHECK_STR(json_string_value(json_object_get(json_array_get(a, 0), "name")), "Sandbox Organization");
}

TEST(quota_get) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "config", "{\"quota_limit\":30}");
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    CHECK_OK(toggl_quota_get(c, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/quota", "");
    json_t *a = h_parse(out);
    CHECK(json_is_array(a) && json_array_size(a) >= 1);
    json_t *user = json_array_get(a, 0);
    CHECK(json_is_null(json_object_get(user, "organization_id")));
    CHECK_EQ(json_integer_value(json_object_get(user, "total")), 30);
    CHECK_EQ(json_integer_value(json_object_get(user, "remaining")), 29);
}

TEST(client_quota_reads_the_headers) {
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

TEST(location_get) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    CHECK_OK(toggl_location_get(c, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/location", "");
    json_t *loc = h_parse(out);
    CHECK(json_is_object(loc));
    CHECK_STR(json_string_value(json_object_get(loc, "city")), "Tallinn");
}

TEST(location_get_empty_is_null) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "config", "{\"location_empty\":true}");
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    CHECK_OK(toggl_location_get(c, &out));
    h_toggl_defer(out);
    CHECK_STR(out, "null");
    h_expect_no_error();
}

TEST(location_get_literal_null) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "faults", "[{\"action\":\"malformed\",\"body\":\"null\",\"path\":\"/me/location\"}]");
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    CHECK_OK(toggl_location_get(c, &out));
    h_toggl_defer(out);
    json_t *j = h_parse(out);
    CHECK(json_is_null(j));
}

/* --- projects ------------------------------------------------------------------------------------ */

TEST(projects_list_parameters) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    char *out = NULL;

    CHECK_OK(toggl_projects_list(c, false, 0, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/projects", "");
    CHECK_EQ(h_array_size(out), sandbox_count("projects_active"));

    CHECK_OK(toggl_projects_list(c, true, 0, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/projects", "include_archived=true");
    CHECK_EQ(h_array_size(out), sandbox_count("projects"));

    CHECK_OK(toggl_projects_list(c, true, SINCE, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/projects", "include_archived=true&since=1700000000");
    CHECK_EQ(h_array_size(out), sandbox_count_since("projects", SINCE));

    CHECK_OK(toggl_projects_list(c, false, SINCE, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/projects", "since=1700000000");
    CHECK_EQ(h_array_size(out), sandbox_count_since("projects_active", SINCE));

    CHECK_OK(toggl_projects_list(c, false, -1700000000, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/projects", "");
    CHECK_EQ(sandbox_request_count(tenant), 5);
}

TEST(projects_paginated_parameters) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    int64_t next = -7;

    CHECK_OK(toggl_projects_list_paginated(c, 0, 0, 0, &out, &next));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/projects/paginated", "");
    CHECK_EQ(h_array_size(out), sandbox_count("projects_per_page_default"));
    CHECK_EQ(first_id(out), FIRST_PROJECT_ID);
    CHECK_EQ(next, last_id(out) + 1);

    int64_t start = next;
    CHECK_OK(toggl_projects_list_paginated(c, start, SINCE, 50, &out, &next));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/projects/paginated",
                          h_fmt("start_project_id=%lld&since=1700000000&per_page=50", (long long)start));
    CHECK_EQ(h_array_size(out), 50);
    CHECK(first_id(out) >= start);
    CHECK_EQ(next, last_id(out) + 1);

    CHECK_OK(toggl_projects_list_paginated(c, -3, -3, 10, &out, &next));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/projects/paginated", "per_page=10");
    CHECK_EQ(h_array_size(out), 10);

    CHECK_OK(toggl_projects_list_paginated(c, 0, SINCE, 0, &out, &next));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/projects/paginated", "since=1700000000");
    CHECK_EQ(h_array_size(out), sandbox_count("projects_per_page_default"));

    CHECK_OK(toggl_projects_list_paginated(c, start, 0, 0, &out, &next));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/projects/paginated",
                          h_fmt("start_project_id=%lld", (long long)start));
    CHECK_EQ(sandbox_request_count(tenant), 5);
}

TEST(projects_paginated_negative_per_page) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    char *out = (char *)"sentinel";
    int64_t next = 99;
    CHECK_STATUS(toggl_projects_list_paginated(c, 0, 0, -1, &out, &next), TOGGL_EINVAL);
    CHECK(out == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
    CHECK_STATUS(toggl_projects_list_paginated(c, 5, 5, -200, &out, &next), TOGGL_EINVAL);
    CHECK_EQ(sandbox_request_count(tenant), 0);
}

TEST(projects_paginated_next_cursor_walk) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    int64_t start = 0, prev_last = 0;
    long total = 0, pages = 0;
    for (;;) {
        char *out = NULL;
        int64_t next = -1;
        CHECK_OK(toggl_projects_list_paginated(c, start, 0, 300, &out, &next));
        h_toggl_defer(out);
        size_t n = h_array_size(out);
        pages++;
        total += (long)n;
        if (n > 0) {
            CHECK(first_id(out) > prev_last);
            prev_last = last_id(out);
        }
        if (n < 300) {
            CHECK_EQ(next, 0); /* a short page is the last */
            break;
        }
        CHECK_EQ(next, prev_last + 1);
        start = next;
        CHECK(pages < 100);
    }
    CHECK_EQ(total, sandbox_count("projects"));
    CHECK_EQ(pages, h_walk_requests(total, 300)); /* the last page is short, or empty */
}

TEST(projects_paginated_exact_multiple_ends_with_empty_page) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    long n_projects = sandbox_count("projects");
    long per_page = h_exact_page_size(n_projects, n_projects / 2);
    int64_t start = 0;
    long total = 0, pages = 0;
    for (;;) {
        char *out = NULL;
        int64_t next = -1;
        CHECK_OK(toggl_projects_list_paginated(c, start, 0, per_page, &out, &next));
        h_toggl_defer(out);
        size_t n = h_array_size(out);
        pages++;
        total += (long)n;
        if (n == 0) {
            CHECK_EQ(next, 0); /* empty page: the end */
            break;
        }
        CHECK_EQ(n, per_page);
        CHECK_EQ(next, last_id(out) + 1);
        start = next;
        CHECK(pages < 10);
    }
    CHECK_EQ(total, n_projects);
    CHECK_EQ(pages, n_projects / per_page + 1);
}

/* --- tasks ------------------------------------------------------------------------------------------- */

TEST(tasks_list_parameters) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    char *out = NULL;

    CHECK_OK(toggl_tasks_list(c, false, 0, false, 0, 0, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/tasks", "");
    CHECK_EQ(h_array_size(out), sandbox_count("tasks_active"));

    CHECK_OK(toggl_tasks_list(c, true, SINCE, true, 10, 5, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/tasks",
                          "meta=true&since=1700000000&include_not_active=true&offset=10&per_page=5");
    CHECK_EQ(h_array_size(out), 5);
    json_t *t = json_array_get(h_parse(out), 0);
    CHECK(json_object_get(t, "project_name") != NULL); /* meta fields */

    CHECK_OK(toggl_tasks_list(c, false, 0, true, 0, 0, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/tasks", "include_not_active=true");
    CHECK_EQ(h_array_size(out), sandbox_count("tasks"));

    CHECK_OK(toggl_tasks_list(c, false, SINCE, false, 0, 0, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/tasks", "since=1700000000");
    CHECK_EQ(h_array_size(out), sandbox_count_since("tasks_active", SINCE));

    CHECK_OK(toggl_tasks_list(c, true, 0, false, 0, 0, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/tasks", "meta=true");

    CHECK_OK(toggl_tasks_list(c, false, -1, false, -10, 0, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/tasks", "");

    CHECK_OK(toggl_tasks_list(c, false, 0, false, 0, 7, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/tasks", "per_page=7");
    CHECK_EQ(h_array_size(out), 7);

    long tail_offset = sandbox_count("tasks") - 10; /* the last ten */
    CHECK_OK(toggl_tasks_list(c, false, 0, true, tail_offset, 0, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/tasks", h_fmt("include_not_active=true&offset=%ld", tail_offset));
    CHECK_EQ(h_array_size(out), 10);
    CHECK_EQ(sandbox_request_count(tenant), 8);
}

TEST(tasks_list_negative_per_page) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    char *out = (char *)"sentinel";
    CHECK_STATUS(toggl_tasks_list(c, false, 0, false, 0, -1, &out), TOGGL_EINVAL);
    CHECK(out == NULL);
    CHECK_STATUS(toggl_tasks_list(c, true, SINCE, true, 10, -50, &out), TOGGL_EINVAL);
    CHECK(out == NULL);
    CHECK_EQ(sandbox_request_count(tenant), 0);
}

/* --- auth modes ------------------------------------------------------------------------------------ */

TEST(basic_auth_works) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client_basic(tenant, SANDBOX_EMAIL, SANDBOX_PASSWORD);
    char *out = NULL;
    CHECK_OK(toggl_me_get(c, false, &out));
    h_toggl_defer(out);
    CHECK_STR(json_string_value(json_object_get(h_parse(out), "fullname")), SANDBOX_FULLNAME);
    CHECK_OK(toggl_me_logged(c));
    /* Email is case-insensitive on the server, like the real API. */
    toggl_client *upper = h_client_basic(tenant, "SANDBOX@example.com", SANDBOX_PASSWORD);
    CHECK_OK(toggl_me_logged(upper));
}

TEST(extra_token_accepted) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "config", "{\"extra_tokens\":[\"second-token-42\"]}");
    toggl_client *c = toggl_client_new("second-token-42");
    CHECK(c != NULL);
    int status = toggl_client_set_base_url(c, sandbox_tenant_url(tenant));
    if (status == TOGGL_OK) status = toggl_me_logged(c);
    toggl_client_free(c);
    CHECK_OK(status);
}
