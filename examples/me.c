/*
 * me.c - print the current user, their projects and the last-seen quota.
 *
 *   TOGGL_API_TOKEN=... [TOGGL_BASE_URL=http://127.0.0.1:PORT/api/v9] ./me
 *
 * Without TOGGL_API_TOKEN it uses the sandbox's token. Build:
 *   cc -std=c99 -Wall -Wextra -Werror -Iinclude examples/me.c -Lbuild/lib -ltoggl -ljansson -o me
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "toggl.h"

#define SANDBOX_TOKEN "sandbox-api-token-0123456789abcdef"

/* Reports the calling thread's last libtoggl error and returns the exit code for it. */
static int report(const char *what, int status) {
    fprintf(stderr, "me: %s: %s", what, toggl_status_string(status));
    if (toggl_error_message()[0] != '\0') fprintf(stderr, ": %s", toggl_error_message());
    if (toggl_error_http_status() != 0) fprintf(stderr, " (HTTP %d)", toggl_error_http_status());
    if (toggl_error_retry_after() >= 0)
        fprintf(stderr, " (retry in %lld s)", (long long)toggl_error_retry_after());
    fputc('\n', stderr);
    return 1;
}

/* Parses a document libtoggl returned and frees it; NULL (with a message) if it does not parse. */
static json_t *parse(char *text, const char *what) {
    json_error_t error;
    json_t *root = json_loads(text, 0, &error);
    toggl_free(text);
    if (root == NULL) fprintf(stderr, "me: %s: cannot parse JSON: %s\n", what, error.text);
    return root;
}

static int print_user(toggl_client *client) {
    char *text = NULL;
    int status = toggl_me_get(client, false, &text);
    if (status != TOGGL_OK) return report("GET /me", status);
    json_t *me = parse(text, "GET /me");
    if (me == NULL) return 1;
    const char *fullname = json_string_value(json_object_get(me, "fullname"));
    const char *email = json_string_value(json_object_get(me, "email"));
    printf("%s <%s>\n", fullname ? fullname : "(no name)", email ? email : "no email");
    json_decref(me);
    return 0;
}

static int print_projects(toggl_client *client) {
    char *text = NULL;
    int status = toggl_projects_list(client, false, 0, &text);
    if (status != TOGGL_OK) return report("GET /me/projects", status);
    json_t *projects = parse(text, "GET /me/projects");
    if (projects == NULL) return 1;
    printf("%zu projects:\n", json_array_size(projects));
    size_t i;
    json_t *project;
    json_array_foreach(projects, i, project) {
        const char *name = json_string_value(json_object_get(project, "name"));
        printf("  %s\n", name ? name : "(unnamed)");
    }
    json_decref(projects);
    return 0;
}

static int print_quota(toggl_client *client) {
    int64_t remaining = -1, resets_in = -1;
    int status = toggl_client_quota(client, &remaining, &resets_in);
    if (status != TOGGL_OK) return report("quota", status);
    if (remaining < 0)
        printf("quota: unknown\n");
    else
        printf("quota: %lld requests left, resets in %lld s\n", (long long)remaining, (long long)resets_in);
    return 0;
}

int main(void) {
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
    if (rc == 0) rc = print_user(client);
    if (rc == 0) rc = print_projects(client);
    if (rc == 0) rc = print_quota(client);

    toggl_client_free(client);
    return rc;
}
