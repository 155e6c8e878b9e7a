/*
 * bench_payload.c - the cost of handing over a large response (GET /me?with_related_data=true,
 * about 1.1 MB from the sandbox), against baselines measured in the same run.
 *
 *   Tests/Sandbox/run-with-sandbox.sh build/bench/bench_payload [calls]
 *
 *   raw libcurl                 download only, keep-alive: the floor
 *   raw libcurl + jansson       download and json_loadb: what checking the JSON with a tree costs
 *   libtoggl toggl_me_get       download, check well-formedness and shape, copy out
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "toggl.h"

#define TOKEN "sandbox-api-token-0123456789abcdef"

static const char *base_url;
struct buffer { char *data; size_t size; };

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t collect(char *p, size_t s, size_t n, void *u) {
    struct buffer *b = u;
    char *grown = realloc(b->data, b->size + s * n);
    if (grown == NULL) return 0;
    memcpy(grown + b->size, p, s * n);
    b->data = grown;
    b->size += s * n;
    return s * n;
}

static CURL *handle;

static int download(struct buffer *b) {
    b->data = NULL;
    b->size = 0;
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, b);
    long status = 0;
    int ok = curl_easy_perform(handle) == CURLE_OK;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    return ok && status == 200 ? 0 : 1;
}

static int raw_curl(int calls) {
    int failures = 0;
    for (int i = 0; i < calls; i++) {
        struct buffer b;
        failures += download(&b);
        free(b.data);
    }
    return failures;
}

static int raw_curl_jansson(int calls) {
    int failures = 0;
    for (int i = 0; i < calls; i++) {
        struct buffer b;
        failures += download(&b);
        json_error_t error;
        json_t *root = json_loadb(b.data, b.size, 0, &error);
        if (root == NULL || !json_is_object(root)) failures++;
        json_decref(root);
        free(b.data);
    }
    return failures;
}

static toggl_client *client;

static int libtoggl(int calls) {
    int failures = 0;
    for (int i = 0; i < calls; i++) {
        char *json = NULL;
        if (toggl_me_get(client, true, &json) != TOGGL_OK) failures++;
        toggl_free(json);
    }
    return failures;
}

int main(int argc, char **argv) {
    base_url = getenv("TOGGL_BASE_URL");
    if (base_url == NULL) {
        fprintf(stderr, "bench_payload: run it with Tests/Sandbox/run-with-sandbox.sh\n");
        return 2;
    }
    int calls = argc > 1 ? atoi(argv[1]) : 100;
    if (calls < 1) calls = 1;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    char url[512];
    snprintf(url, sizeof url, "%s/me?with_related_data=true", base_url);
    handle = curl_easy_init();
    client = toggl_client_new(TOKEN);
    if (handle == NULL || client == NULL || toggl_client_set_base_url(client, base_url) != TOGGL_OK) return 2;
    curl_easy_setopt(handle, CURLOPT_URL, url);
    curl_easy_setopt(handle, CURLOPT_USERPWD, TOKEN ":api_token");
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, collect);

    struct { const char *name; int (*run)(int); double ms; } rows[] = {
        { "raw libcurl", raw_curl, 0 },
        { "raw libcurl + jansson tree", raw_curl_jansson, 0 },
        { "libtoggl toggl_me_get", libtoggl, 0 },
    };
    int status = 0;
    printf("%d x GET /me?with_related_data=true against the sandbox\n", calls);
    printf("%-30s %10s %12s %16s\n", "", "ms/call", "vs raw curl", "vs curl+jansson");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        rows[i].run(calls / 10 + 1);
        double start = now_s();
        int failures = rows[i].run(calls);
        rows[i].ms = (now_s() - start) * 1000 / calls;
        if (failures) { fprintf(stderr, "%s: %d failures\n", rows[i].name, failures); status = 1; }
    }
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        printf("%-30s %10.2f %11.2fx %15.2fx\n", rows[i].name, rows[i].ms, rows[i].ms / rows[0].ms,
               rows[i].ms / rows[1].ms);
    toggl_client_free(client);
    curl_easy_cleanup(handle);
    curl_global_cleanup();
    return status;
}
