/*
 * projects_pager.c - walk every project page by page and count them.
 *
 *   TOGGL_API_TOKEN=... [TOGGL_BASE_URL=http://127.0.0.1:PORT/api/v9] ./projects_pager [per_page]
 *
 * per_page defaults to 200; without TOGGL_API_TOKEN it uses the sandbox's token. Build:
 *   cc -std=c99 -Wall -Wextra -Werror -Iinclude examples/projects_pager.c -Lbuild/lib -ltoggl \
 *      -ljansson -o projects_pager
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "toggl.h"

#define SANDBOX_TOKEN "sandbox-api-token-0123456789abcdef"

static int report(const char *what, int status) {
    fprintf(stderr, "projects_pager: %s: %s", what, toggl_status_string(status));
    if (toggl_error_message()[0] != '\0') fprintf(stderr, ": %s", toggl_error_message());
    if (toggl_error_http_status() != 0) fprintf(stderr, " (HTTP %d)", toggl_error_http_status());
    fputc('\n', stderr);
    return 1;
}

static int parse_per_page(const char *text, int *out) {
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < 0 || value > 1000000) return -1;
    *out = (int)value;
    return 0;
}

static int walk(toggl_pager *pager) {
    size_t total = 0;
    for (int page = 1;; page++) {
        char *text = NULL;
        int status = toggl_pager_next(pager, &text);
        if (status == TOGGL_DONE) break;
        if (status != TOGGL_OK) return report("next page", status);
        json_error_t error;
        json_t *items = json_loads(text, 0, &error);
        toggl_free(text);
        if (!json_is_array(items)) {
            fprintf(stderr, "projects_pager: page %d is not a JSON array: %s\n", page,
                    items ? "wrong type" : error.text);
            json_decref(items);
            return 1;
        }
        printf("page %d: %zu projects\n", page, json_array_size(items));
        total += json_array_size(items);
        json_decref(items);
    }
    printf("total: %zu projects\n", total);
    return 0;
}

int main(int argc, char **argv) {
    int per_page = 200;
    if (argc > 2 || (argc == 2 && parse_per_page(argv[1], &per_page) != 0)) {
        fprintf(stderr, "usage: %s [per_page]   (0 = server default, default 200)\n", argv[0]);
        return 2;
    }
    const char *token = getenv("TOGGL_API_TOKEN");
    const char *base_url = getenv("TOGGL_BASE_URL");
    if (token == NULL || token[0] == '\0') token = SANDBOX_TOKEN;

    toggl_client *client = toggl_client_new(token);
    if (client == NULL) return report("creating the client", toggl_error_code());

    int rc = 0;
    if (base_url != NULL && base_url[0] != '\0') {
        int status = toggl_client_set_base_url(client, base_url);
        if (status != TOGGL_OK) rc = report("TOGGL_BASE_URL", status);
    }
    if (rc == 0) {
        toggl_pager *pager = toggl_projects_pager_new(client, 0, per_page);
        if (pager == NULL) {
            rc = report("creating the pager", toggl_error_code());
        } else {
            rc = walk(pager);
            toggl_pager_free(pager);
        }
    }
    toggl_client_free(client);
    return rc;
}
