/* toggl_projects_pager_new, toggl_tasks_pager_new, toggl_pager_next, toggl_pager_free. */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <stdlib.h>

/* The seed's counts come from the sandbox's manifest (Tests/Sandbox/README.md). */
#define SINCE 1700000000

struct ids {
    int64_t *v;
    size_t n, cap;
};

static void ids_free(void *p) {
    struct ids *ids = p;
    free(ids->v);
    free(ids);
}

static struct ids *ids_new(void) {
    struct ids *ids = calloc(1, sizeof *ids);
    CHECK(ids != NULL);
    h_defer(ids_free, ids);
    return ids;
}

static void ids_push(struct ids *ids, int64_t id) {
    if (ids->n == ids->cap) {
        size_t cap = ids->cap ? ids->cap * 2 : 256;
        int64_t *v = realloc(ids->v, cap * sizeof *v);
        CHECK(v != NULL);
        ids->v = v;
        ids->cap = cap;
    }
    ids->v[ids->n++] = id;
}

/* Appends the ids of a page; returns how many items it had. */
static size_t page_ids(const char *json_text, struct ids *ids) {
    json_t *a = h_parse(json_text);
    CHECKF(json_is_array(a), "page is not an array: %.100s", json_text);
    size_t i;
    json_t *item;
    json_array_foreach(a, i, item) {
        json_t *id = json_object_get(item, "id");
        CHECK(json_is_integer(id));
        ids_push(ids, (int64_t)json_integer_value(id));
    }
    return json_array_size(a);
}

static int cmp_id(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Every project id the sandbox knows (GET /me/projects?include_archived=true), sorted. */
static struct ids *all_project_ids(const char *tenant) {
    toggl_client *c = h_client(tenant);
    char *out = NULL;
    CHECK_OK(toggl_projects_list(c, true, 0, &out));
    h_toggl_defer(out);
    struct ids *ids = ids_new();
    page_ids(out, ids);
    qsort(ids->v, ids->n, sizeof ids->v[0], cmp_id);
    CHECK_EQ(ids->n, sandbox_count("projects"));
    return ids;
}

/* Fails unless `seen` is exactly `expected` (sorted, distinct) in order. */
static void expect_same_ids(const struct ids *seen, const struct ids *expected) {
    CHECK_EQ(seen->n, expected->n);
    for (size_t i = 0; i < seen->n; i++)
        CHECKF(seen->v[i] == expected->v[i], "id #%zu is %lld, expected %lld", i,
               (long long)seen->v[i], (long long)expected->v[i]);
}

/* Walks a pager to TOGGL_DONE, collecting ids; returns the number of TOGGL_OK pages. */
static long walk(toggl_pager *p, struct ids *seen, size_t per_page) {
    long pages = 0;
    for (;;) {
        char *out = (char *)"sentinel";
        int status = toggl_pager_next(p, &out);
        if (status == TOGGL_DONE) {
            CHECK(out == NULL);
            h_expect_no_error();
            return pages;
        }
        CHECK_STATUS(status, TOGGL_OK);
        CHECK(out != NULL);
        h_toggl_defer(out);
        size_t n = page_ids(out, seen);
        if (per_page > 0) CHECKF(n <= per_page, "page of %zu items with per_page %zu", n, per_page);
        CHECKF(n > 0, "page %ld is empty: an empty page must end the walk with TOGGL_DONE", pages + 1);
        pages++;
        CHECK(pages < 100000);
    }
}

/* Every TOGGL_OK page costs one request; an exact multiple costs one more request, whose empty
 * answer ends the walk with TOGGL_DONE instead of being handed out (h_walk_pages and
 * h_walk_requests). per_page 0 is the server's default page. */
static void projects_walk(long per_page) {
    const char *tenant = h_tenant();
    struct ids *expected = all_project_ids(tenant);
    long before = sandbox_request_count(tenant);
    long page_size = per_page > 0 ? per_page : sandbox_count("projects_per_page_default");
    toggl_client *c = h_client(tenant);
    toggl_pager *p = h_pager_defer(toggl_projects_pager_new(c, 0, (int)per_page));
    CHECK(p != NULL);
    h_expect_no_error();
    CHECK_EQ(sandbox_request_count(tenant), before); /* creating a pager sends nothing */
    struct ids *seen = ids_new();
    long pages = walk(p, seen, (size_t)page_size);
    expect_same_ids(seen, expected); /* ascending, each id exactly once */
    CHECK_EQ(pages, h_walk_pages((long)expected->n, page_size));
    CHECK_EQ(sandbox_request_count(tenant) - before, h_walk_requests((long)expected->n, page_size));
}

TEST(projects_pager_default_page_size) { projects_walk(0); }
TEST(projects_pager_200) { projects_walk(200); }
TEST(projects_pager_7) { projects_walk(7); }
TEST(projects_pager_exact_multiple) { projects_walk(h_exact_page_size(sandbox_count("projects"), 250)); }
TEST(projects_pager_one_exact_page) { projects_walk(sandbox_count("projects")); } /* all, then empty */
TEST(projects_pager_larger_than_all) { projects_walk(4 * sandbox_count("projects")); }

TEST(projects_pager_queries) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    toggl_pager *p = h_pager_defer(toggl_projects_pager_new(c, 0, 125));
    CHECK(p != NULL);
    char *out = NULL;
    CHECK_OK(toggl_pager_next(p, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/projects/paginated", "per_page=125");
    struct ids *ids = ids_new();
    CHECK_EQ(page_ids(out, ids), 125);
    CHECK_OK(toggl_pager_next(p, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/projects/paginated",
                          h_fmt("start_project_id=%lld&per_page=125", (long long)ids->v[124] + 1));

    toggl_pager *d = h_pager_defer(toggl_projects_pager_new(c, -1, 0));
    CHECK(d != NULL);
    CHECK_OK(toggl_pager_next(d, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/projects/paginated", "");
}

TEST(projects_pager_since) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    toggl_pager *p = h_pager_defer(toggl_projects_pager_new(c, SINCE, 100));
    CHECK(p != NULL);
    char *out = NULL;
    CHECK_OK(toggl_pager_next(p, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/projects/paginated", "since=1700000000&per_page=100");
    struct ids *seen = ids_new();
    page_ids(out, seen);
    int64_t last = seen->v[seen->n - 1];
    CHECK_OK(toggl_pager_next(p, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/projects/paginated",
                          h_fmt("start_project_id=%lld&since=1700000000&per_page=100", (long long)last + 1));
    page_ids(out, seen);
    walk(p, seen, 100);
    CHECK_EQ(seen->n, sandbox_count_since("projects", SINCE));
    for (size_t i = 1; i < seen->n; i++) CHECK(seen->v[i] > seen->v[i - 1]);
    CHECK_EQ(sandbox_request_count(tenant), h_walk_requests((long)seen->n, 100));
}

TEST(pager_done_repeats_without_requests) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    toggl_pager *p = h_pager_defer(toggl_projects_pager_new(c, 0, 0));
    CHECK(p != NULL);
    struct ids *seen = ids_new();
    long page_size = sandbox_count("projects_per_page_default");
    walk(p, seen, (size_t)page_size);
    long count = sandbox_request_count(tenant);
    for (int i = 0; i < 5; i++) {
        char *out = (char *)"sentinel";
        CHECK_STATUS(toggl_pager_next(p, &out), TOGGL_DONE);
        CHECK(out == NULL);
        h_expect_no_error();
    }
    CHECK_EQ(sandbox_request_count(tenant), count);
    CHECK_EQ(count, h_walk_requests(sandbox_count("projects"), page_size));
}

TEST(pager_retries_same_page_after_error) {
    const char *tenant = h_tenant();
    struct ids *expected = all_project_ids(tenant);
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_max_retries(c, 0));
    long base = sandbox_request_count(tenant);
    toggl_pager *p = h_pager_defer(toggl_projects_pager_new(c, 0, 200));
    CHECK(p != NULL);
    struct ids *seen = ids_new();

    char *out = NULL;
    CHECK_OK(toggl_pager_next(p, &out));
    h_toggl_defer(out);
    CHECK_EQ(page_ids(out, seen), 200);

    SANDBOX_POST(tenant, "faults", "[{\"status\":500,\"message\":\"try again\",\"path\":\"/me/projects/paginated\",\"times\":1}]");
    out = (char *)"sentinel";
    CHECK_STATUS(toggl_pager_next(p, &out), TOGGL_ESERVER);
    CHECK(out == NULL);
    CHECK_EQ(toggl_error_http_status(), 500);
    CHECK_STR(toggl_error_message(), "try again");
    CHECK_EQ(sandbox_request_count(tenant) - base, 2);

    /* The same page again: ids 200..399 of the full list. */
    CHECK_OK(toggl_pager_next(p, &out));
    h_toggl_defer(out);
    struct ids *second = ids_new();
    CHECK_EQ(page_ids(out, second), 200);
    for (size_t i = 0; i < 200; i++) {
        CHECK_EQ(second->v[i], expected->v[200 + i]);
        ids_push(seen, second->v[i]);
    }
    /* Both failed and retried requests asked for the same page. */
    json_t *log = h_json_defer(sandbox_requests(tenant));
    size_t n = json_array_size(log);
    CHECK(n >= 2);
    CHECK_STR(json_string_value(json_object_get(json_array_get(log, n - 1), "query")),
              json_string_value(json_object_get(json_array_get(log, n - 2), "query")));

    /* A later page fails in the transport this time (the body is cut short). */
    SANDBOX_POST(tenant, "faults", "[{\"action\":\"truncate\",\"path\":\"/me/projects/paginated\",\"times\":1}]");
    CHECK_STATUS(toggl_pager_next(p, &out), TOGGL_ENETWORK);
    CHECK(out == NULL);

    walk(p, seen, 200);
    expect_same_ids(seen, expected);
    CHECK_EQ(sandbox_request_count(tenant) - base, h_walk_requests((long)expected->n, 200) + 2); /* + 2 failures */
}

TEST(pager_negative_per_page) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    CHECK(toggl_projects_pager_new(c, 0, -1) == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
    CHECK(toggl_error_message()[0] != '\0');
    CHECK(toggl_tasks_pager_new(c, false, 0, false, -5) == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_EINVAL);
    CHECK_EQ(sandbox_request_count(tenant), 0);
}

TEST(pager_new_resets_error_state) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    CHECK(toggl_projects_pager_new(c, 0, -1) == NULL);
    toggl_pager *p = h_pager_defer(toggl_projects_pager_new(c, 0, 10));
    CHECK(p != NULL);
    h_expect_no_error();
}

TEST(two_pagers_are_independent) {
    const char *tenant = h_tenant();
    struct ids *expected = all_project_ids(tenant);
    toggl_client *c = h_client(tenant);
    toggl_pager *a = h_pager_defer(toggl_projects_pager_new(c, 0, 300));
    toggl_pager *b = h_pager_defer(toggl_projects_pager_new(c, 0, 400));
    CHECK(a != NULL && b != NULL);
    struct ids *sa = ids_new(), *sb = ids_new();
    int done_a = 0, done_b = 0;
    while (!done_a || !done_b) {
        char *out = NULL;
        if (!done_a) {
            int s = toggl_pager_next(a, &out);
            if (s == TOGGL_DONE) done_a = 1;
            else { CHECK_STATUS(s, TOGGL_OK); h_toggl_defer(out); page_ids(out, sa); }
        }
        if (!done_b) {
            int s = toggl_pager_next(b, &out);
            if (s == TOGGL_DONE) done_b = 1;
            else { CHECK_STATUS(s, TOGGL_OK); h_toggl_defer(out); page_ids(out, sb); }
        }
    }
    expect_same_ids(sa, expected);
    expect_same_ids(sb, expected);
}

TEST(pager_free_midway) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    toggl_pager *p = toggl_projects_pager_new(c, 0, 10);
    CHECK(p != NULL);
    char *out = NULL;
    CHECK_OK(toggl_pager_next(p, &out));
    toggl_free(out);
    toggl_pager_free(p); /* never reached the end: must not leak */
    toggl_pager *q = toggl_tasks_pager_new(c, false, 0, false, 10);
    CHECK(q != NULL);
    toggl_pager_free(q); /* never used */
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

/* --- tasks ------------------------------------------------------------------------------------- */

/* Walks a tasks pager to the end; returns the item count. */
static size_t tasks_walk(toggl_pager *p, struct ids *seen, size_t per_page) {
    walk(p, seen, per_page);
    struct ids sorted = { NULL, 0, 0 };
    for (size_t i = 0; i < seen->n; i++) ids_push(&sorted, seen->v[i]);
    qsort(sorted.v, sorted.n, sizeof sorted.v[0], cmp_id);
    int dup = 0;
    for (size_t i = 1; i < sorted.n; i++)
        if (sorted.v[i] == sorted.v[i - 1]) dup = 1;
    free(sorted.v);
    CHECKF(!dup, "a task id was seen twice");
    return seen->n;
}

TEST(tasks_pager_all_pages) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    toggl_pager *p = h_pager_defer(toggl_tasks_pager_new(c, false, 0, true, 100));
    CHECK(p != NULL);
    char *out = NULL;
    CHECK_OK(toggl_pager_next(p, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/tasks", "include_not_active=true&per_page=100");
    struct ids *seen = ids_new();
    CHECK_EQ(page_ids(out, seen), 100);
    CHECK_OK(toggl_pager_next(p, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/tasks", "include_not_active=true&offset=100&per_page=100");
    page_ids(out, seen);
    long n_tasks = sandbox_count("tasks");
    CHECK_EQ(tasks_walk(p, seen, 100), n_tasks);
    /* Full pages, then the short or empty answer that ends it. */
    CHECK_EQ(sandbox_request_count(tenant), h_walk_requests(n_tasks, 100));
    char *again = (char *)"sentinel";
    CHECK_STATUS(toggl_pager_next(p, &again), TOGGL_DONE);
    CHECK(again == NULL);
    CHECK_EQ(sandbox_request_count(tenant), h_walk_requests(n_tasks, 100));
}

TEST(tasks_pager_short_last_page) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    toggl_pager *p = h_pager_defer(toggl_tasks_pager_new(c, true, SINCE, false, 50));
    CHECK(p != NULL);
    char *out = NULL;
    CHECK_OK(toggl_pager_next(p, &out));
    h_toggl_defer(out);
    h_expect_last_request(tenant, "GET", "/me/tasks", "meta=true&since=1700000000&per_page=50");
    struct ids *seen = ids_new();
    page_ids(out, seen);
    long n = sandbox_count_since("tasks_active", SINCE);
    CHECK_EQ(tasks_walk(p, seen, 50), n);
    CHECKF(n % 50 != 0 && n > 50, "%ld tasks: the premise is several pages, the last one short", n);
    h_expect_last_request(tenant, "GET", "/me/tasks",
                          h_fmt("meta=true&since=1700000000&offset=%ld&per_page=50", n / 50 * 50));
    CHECK_EQ(sandbox_request_count(tenant), h_walk_requests(n, 50)); /* the short page ends it */
}

TEST(tasks_pager_default_is_one_page) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    toggl_pager *p = h_pager_defer(toggl_tasks_pager_new(c, false, 0, false, 0));
    CHECK(p != NULL);
    struct ids *seen = ids_new();
    CHECK_EQ(walk(p, seen, 0), 1);
    CHECK_EQ(seen->n, sandbox_count("tasks_active"));
    h_expect_last_request(tenant, "GET", "/me/tasks", "");
    CHECK_EQ(sandbox_request_count(tenant), 1);
}

TEST(tasks_pager_retries_same_page_after_error) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    CHECK_OK(toggl_client_set_max_retries(c, 0));
    toggl_pager *p = h_pager_defer(toggl_tasks_pager_new(c, false, 0, true, 150));
    CHECK(p != NULL);
    struct ids *seen = ids_new();
    char *out = NULL;
    CHECK_OK(toggl_pager_next(p, &out));
    h_toggl_defer(out);
    page_ids(out, seen);
    SANDBOX_POST(tenant, "faults", "[{\"status\":503,\"path\":\"/me/tasks\",\"times\":1}]");
    CHECK_STATUS(toggl_pager_next(p, &out), TOGGL_ESERVER);
    CHECK(out == NULL);
    h_expect_last_request(tenant, "GET", "/me/tasks", "include_not_active=true&offset=150&per_page=150");
    CHECK_EQ(tasks_walk(p, seen, 150), sandbox_count("tasks"));
}
