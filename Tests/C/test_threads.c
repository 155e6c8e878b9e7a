/* One client shared by many threads; thread-local error details. */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <pthread.h>
#include <stdlib.h>

#define N_THREADS 8
#define N_CALLS 50

struct worker {
    toggl_client *client;
    const char *url;
    int index;
    int failures;
    int wrong_content;
    char first_error[256];
};

static void note_failure(struct worker *w, const char *what, int status) {
    if (w->failures++ == 0)
        snprintf(w->first_error, sizeof w->first_error, "%s: %d (%s) %s", what, status,
                 toggl_status_string(status), toggl_error_message());
}

/* What a set of workers reported once all have been joined. */
struct tally {
    int spawn_errors;
    int failures;
    int wrong;
    const char *first; /* the first failure's text, pointing into `workers` */
};

/* Runs `body` on N_THREADS threads, each with its own `workers[i]`, and joins them all. */
static struct tally run_workers(struct worker workers[N_THREADS], void *(*body)(void *),
                                toggl_client *client, const char *url) {
    pthread_t threads[N_THREADS];
    int started[N_THREADS];
    struct tally t = { 0, 0, 0, NULL };
    for (int i = 0; i < N_THREADS; i++) {
        memset(&workers[i], 0, sizeof workers[i]);
        workers[i].client = client;
        workers[i].url = url;
        workers[i].index = i;
        started[i] = pthread_create(&threads[i], NULL, body, &workers[i]) == 0;
        if (!started[i]) t.spawn_errors++;
    }
    for (int i = 0; i < N_THREADS; i++) {
        if (!started[i] || pthread_join(threads[i], NULL) != 0) continue;
        t.failures += workers[i].failures;
        t.wrong += workers[i].wrong_content;
        if (t.first == NULL && workers[i].failures) t.first = workers[i].first_error;
    }
    return t;
}

static void *shared_client_worker(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < N_CALLS; i++) {
        char *out = NULL;
        int status;
        int64_t next = 0;
        switch ((i + w->index) % 5) {
        case 0:
            status = toggl_me_get(w->client, false, &out);
            if (status == TOGGL_OK && strstr(out, "\"Sandbox User\"") == NULL) w->wrong_content++;
            break;
        case 1:
            status = toggl_tags_list(w->client, 0, &out);
            break;
        case 2:
            status = toggl_projects_list_paginated(w->client, 0, 0, 20, &out, &next);
            if (status == TOGGL_OK && next <= 0) w->wrong_content++;
            break;
        case 3:
            status = toggl_me_logged(w->client);
            break;
        default:
            status = toggl_clients_list(w->client, 0, &out);
            break;
        }
        if (status != TOGGL_OK) note_failure(w, "call", status);
        else if (toggl_error_code() != TOGGL_OK || toggl_error_message()[0] != '\0') w->wrong_content++;
        toggl_free(out);
    }
    return NULL;
}

TEST(threads_share_one_client) {
    const char *tenant = h_tenant();
    struct worker workers[N_THREADS];
    struct tally t = run_workers(workers, shared_client_worker, h_client(tenant), NULL);
    CHECK_EQ(t.spawn_errors, 0);
    CHECKF(t.failures == 0, "%d of %d calls failed; first: %s", t.failures, N_THREADS * N_CALLS, t.first);
    CHECK_EQ(t.wrong, 0);
    CHECK_EQ(sandbox_request_count(tenant), N_THREADS * N_CALLS);
}

static void *error_worker(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < N_CALLS; i++) {
        char *out = NULL;
        if (w->index % 2 == 0) {
            /* Even threads fail locally with distinct causes ... */
            int status = toggl_tasks_list(w->client, false, 0, false, 0, -1 - w->index, &out);
            if (status != TOGGL_EINVAL || toggl_error_code() != TOGGL_EINVAL ||
                toggl_error_message()[0] == '\0' || out != NULL)
                note_failure(w, "expected EINVAL", status);
        } else {
            /* ... while odd threads succeed and must see no error at all. */
            int status = toggl_me_logged(w->client);
            if (status != TOGGL_OK) note_failure(w, "logged", status);
            if (toggl_error_code() != TOGGL_OK || toggl_error_message()[0] != '\0' ||
                toggl_error_http_status() != 0 || toggl_error_retry_after() != -1)
                w->wrong_content++;
        }
        toggl_free(out);
    }
    return NULL;
}

TEST(threads_error_details_are_thread_local) {
    const char *tenant = h_tenant();
    struct worker workers[N_THREADS];
    struct tally t = run_workers(workers, error_worker, h_client(tenant), NULL);
    CHECK_EQ(t.spawn_errors, 0);
    CHECKF(t.failures == 0, "%d failures; first: %s", t.failures, t.first);
    CHECK_EQ(t.wrong, 0);
    CHECK_EQ(sandbox_request_count(tenant), (N_THREADS / 2) * N_CALLS);
}

struct pager_worker {
    toggl_client *client;
    long items;
    int failures;
};

static void *pager_thread(void *arg) {
    struct pager_worker *w = arg;
    toggl_pager *p = toggl_projects_pager_new(w->client, 0, 250);
    if (p == NULL) {
        w->failures++;
        return NULL;
    }
    for (;;) {
        char *out = NULL;
        int status = toggl_pager_next(p, &out);
        if (status == TOGGL_DONE) break;
        if (status != TOGGL_OK) {
            w->failures++;
            break;
        }
        json_t *a = json_loads(out, 0, NULL);
        w->items += (long)json_array_size(a);
        json_decref(a);
        toggl_free(out);
    }
    toggl_pager_free(p);
    return NULL;
}

TEST(threads_each_with_own_pager) {
    const char *tenant = h_tenant();
    long n_projects = sandbox_count("projects"); /* asked here: control requests are main-thread only */
    toggl_client *c = h_client(tenant);
    struct pager_worker workers[4];
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) {
        memset(&workers[i], 0, sizeof workers[i]);
        workers[i].client = c;
        CHECK_EQ(pthread_create(&threads[i], NULL, pager_thread, &workers[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(pthread_join(threads[i], NULL), 0);
        CHECK_EQ(workers[i].failures, 0);
        CHECK_EQ(workers[i].items, n_projects);
    }
}

static void *client_per_thread(void *arg) {
    struct worker *w = arg;
    const char *url = w->url;
    for (int i = 0; i < 10; i++) {
        toggl_client *c = toggl_client_new(SANDBOX_TOKEN);
        if (c == NULL) {
            note_failure(w, "new", toggl_error_code());
            continue;
        }
        int status = toggl_client_set_base_url(c, url);
        if (status == TOGGL_OK) status = toggl_me_logged(c);
        if (status != TOGGL_OK) note_failure(w, "logged", status);
        toggl_client_free(c);
    }
    return NULL;
}

TEST(threads_create_and_free_clients) {
    const char *tenant = h_tenant();
    struct worker workers[N_THREADS];
    struct tally t = run_workers(workers, client_per_thread, NULL, sandbox_tenant_url(tenant));
    CHECK_EQ(t.spawn_errors, 0);
    CHECKF(t.failures == 0, "%d failures; first: %s", t.failures, t.first);
    CHECK_EQ(sandbox_request_count(tenant), N_THREADS * 10);
}
