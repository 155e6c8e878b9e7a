/*
 * A program of a new user, built inside a clean Debian with nothing but the libtoggl-dev package:
 *   cc -std=c99 consumer.c $(pkg-config --cflags --libs toggl)
 * It includes only toggl.h and links only what toggl.pc names, then talks to the sandbox whose
 * /api/v9 URL is argv[1]: the profile, and a store in argv[2] synced and read back (which needs
 * libsqlite3 and libcrypto at run time, as the library's Depends promise).
 */
#include <stdio.h>
#include <string.h>

#include <toggl.h>

static int fail(const char *what, int status) {
    fprintf(stderr, "consumer: %s: %s: %s\n", what, toggl_status_string(status), toggl_error_message());
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: consumer BASE_URL STORE_PATH\n");
        return 2;
    }
    if (strcmp(toggl_version(), TOGGL_VERSION) != 0) {
        fprintf(stderr, "consumer: header %s, library %s\n", TOGGL_VERSION, toggl_version());
        return 1;
    }
    toggl_client *client = toggl_client_new("sandbox-api-token-0123456789abcdef");
    if (client == NULL) return fail("toggl_client_new", toggl_error_code());
    int status = toggl_client_set_base_url(client, argv[1]);
    if (status != TOGGL_OK) return fail("toggl_client_set_base_url", status);

    char *me = NULL;
    status = toggl_me_get(client, false, &me);
    if (status != TOGGL_OK) return fail("toggl_me_get", status);
    printf("me: %zu bytes, %s\n", strlen(me), strstr(me, "\"fullname\"") ? "with a fullname" : "NO FULLNAME");
    toggl_free(me);

    toggl_store *store = NULL;
    status = toggl_store_open(argv[2], &store);
    if (status != TOGGL_OK) return fail("toggl_store_open", status);
    char *report = NULL;
    status = toggl_store_sync(store, client, 0, 0, &report);
    if (status != TOGGL_OK) return fail("toggl_store_sync", status);
    toggl_free(report);
    char *projects = NULL;
    status = toggl_store_get(store, "projects", TOGGL_STORE_ACTIVE, &projects);
    if (status != TOGGL_OK) return fail("toggl_store_get", status);
    printf("store: active projects %s\n", projects[0] == '[' && projects[1] != ']' ? "read" : "MISSING");
    toggl_free(projects);

    toggl_store_free(store);
    toggl_client_free(client);
    return 0;
}
