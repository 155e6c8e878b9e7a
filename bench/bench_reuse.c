/*
 * bench_reuse.c - what connection reuse and pooling buy, measured against baselines in the same run.
 *
 *   Tests/Sandbox/run-with-sandbox.sh build/bench/bench_reuse [requests]
 *
 * Every row sends `requests` GET /me/logged to the sandbox (its default tenant) and prints
 * requests per second and the ratio to the baseline rows:
 *   raw libcurl, one handle     the floor: keep-alive libcurl with no library around it
 *   libtoggl, client per call   a new toggl_client for every call (new connection each time)
 *   libtoggl, one client        the intended use: pooled handles, connections reused
 *   libtoggl, one client, 8 thr the same client shared by 8 threads
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "toggl.h"

#define TOKEN "sandbox-api-token-0123456789abcdef"

static const char *base_url;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t discard(char *p, size_t s, size_t n, void *u) { (void)p; (void)u; return s * n; }

static int raw_curl(int requests) {
    char url[512];
    snprintf(url, sizeof url, "%s/me/logged", base_url);
    CURL *h = curl_easy_init();
    if (h == NULL) return -1;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_USERPWD, TOKEN ":api_token");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    int failures = 0;
    for (int i = 0; i < requests; i++) {
        long status = 0;
        if (curl_easy_perform(h) != CURLE_OK) failures++;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        if (status != 200) failures++;
    }
    curl_easy_cleanup(h);
    return failures;
}

static toggl_client *new_client(void) {
    toggl_client *c = toggl_client_new(TOKEN);
    if (c != NULL && toggl_client_set_base_url(c, base_url) != TOGGL_OK) {
        toggl_client_free(c);
        return NULL;
    }
    return c;
}

static int client_per_call(int requests) {
    int failures = 0;
    for (int i = 0; i < requests; i++) {
        toggl_client *c = new_client();
        if (c == NULL || toggl_me_logged(c) != TOGGL_OK) failures++;
        toggl_client_free(c);
    }
    return failures;
}

static int loop(toggl_client *c, int requests) {
    int failures = 0;
    for (int i = 0; i < requests; i++)
        if (toggl_me_logged(c) != TOGGL_OK) failures++;
    return failures;
}

static int one_client(int requests) {
    toggl_client *c = new_client();
    if (c == NULL) return requests;
    int failures = loop(c, requests);
    toggl_client_free(c);
    return failures;
}

struct job { toggl_client *client; int requests; int failures; };

static void *worker(void *arg) {
    struct job *job = arg;
    job->failures = loop(job->client, job->requests);
    return NULL;
}

static int one_client_threads(int requests) {
    enum { THREADS = 8 };
    toggl_client *c = new_client();
    if (c == NULL) return requests;
    pthread_t threads[THREADS];
    struct job jobs[THREADS];
    int failures = 0;
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (struct job){ c, requests / THREADS, 0 };
        if (pthread_create(&threads[i], NULL, worker, &jobs[i]) != 0) jobs[i].client = NULL;
    }
    for (int i = 0; i < THREADS; i++) {
        if (jobs[i].client == NULL) { failures += jobs[i].requests; continue; }
        pthread_join(threads[i], NULL);
        failures += jobs[i].failures;
    }
    toggl_client_free(c);
    return failures;
}

struct row { const char *name; int (*run)(int); double rate; };

int main(int argc, char **argv) {
    base_url = getenv("TOGGL_BASE_URL");
    if (base_url == NULL) {
        fprintf(stderr, "bench_reuse: run it with Tests/Sandbox/run-with-sandbox.sh\n");
        return 2;
    }
    int requests = argc > 1 ? atoi(argv[1]) : 2000;
    if (requests < 8) requests = 8;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct row rows[] = {
        { "raw libcurl, one handle", raw_curl, 0 },
        { "libtoggl, client per call", client_per_call, 0 },
        { "libtoggl, one client", one_client, 0 },
        { "libtoggl, one client, 8 threads", one_client_threads, 0 },
    };
    int status = 0;
    printf("%d x GET /me/logged against the sandbox\n", requests);
    printf("%-34s %10s %12s %14s\n", "", "req/s", "vs raw curl", "vs client/call");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        rows[i].run(requests / 10);             /* warm-up: connections, caches */
        double start = now_s();
        int failures = rows[i].run(requests);
        rows[i].rate = requests / (now_s() - start);
        if (failures) { fprintf(stderr, "%s: %d failures\n", rows[i].name, failures); status = 1; }
    }
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        printf("%-34s %10.0f %11.2fx %13.2fx\n", rows[i].name, rows[i].rate,
               rows[i].rate / rows[0].rate, rows[i].rate / rows[1].rate);
    curl_global_cleanup();
    return status;
}
