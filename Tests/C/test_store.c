/* test_store.c - the local store (toggl_store_*): opening and refusing files, the first sync
 * and its reads, incremental refreshes checked against a fresh snapshot of the same tenant,
 * the fallback to a snapshot when the server refuses an old `since`, the quota gate kept in
 * the file across processes, a sync killed or cancelled mid-way, two processes and two threads
 * syncing at once, the wait for another process's write lock, and the credentials a store
 * keeps (none) and checks. Every sync is counted twice: by its report and by the sandbox's
 * request log.
 *
 * Other processes are this test binary started again with posix_spawn (`--child store_sync`,
 * see h_spawn_child): the test process has libtoggl's and libcurl's threads, and a bare fork()
 * of it would carry their locks into the child in whatever state they were. A child runs
 * natively even when the tests run under valgrind (valgrind does not follow exec unless told
 * to), so only the parent's own calls are checked for leaks. */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CANCEL_BOUND_S 0.1
/* How long a child may take for its sync of a few requests. Children run natively even under
 * valgrind, so this is not scaled (scaled, it would pass the harness's own limit). */
#define CHILD_BOUND_S 60.0

static const char *const collections[] = {"user", "workspaces", "clients", "projects",
                                          "tags", "tasks", "time_entries"};
#define N_COLLECTIONS (sizeof collections / sizeof collections[0])

/* --- files --------------------------------------------------------------------------------- */

static void remove_tree(void *p) {
    char *dir = p;
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
    free(dir);
}

/* A new empty directory, removed with its files when the test ends. */
static const char *tmpdir(void) {
    char *dir = strdup("/tmp/toggl_store_test_XXXXXX");
    CHECK(dir != NULL);
    if (mkdtemp(dir) == NULL) {
        free(dir);
        FAILF("mkdtemp failed: %s", strerror(errno));
    }
    h_defer(remove_tree, dir);
    return dir;
}

static bool file_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static int file_mode(const char *path) {
    struct stat st;
    CHECKF(stat(path, &st) == 0, "stat %s: %s", path, strerror(errno));
    return (int)(st.st_mode & 07777);
}

/* The whole file (freed at the end of the test); *len receives its size. */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    CHECKF(f != NULL, "cannot open %s: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *data = malloc(cap);
    if (data == NULL) {
        fclose(f);
        FAILF("out of memory");
    }
    h_defer(free, data);
    size_t got;
    char chunk[1 << 14];
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (n + got > cap) {
            size_t new_cap = cap * 2 + got;
            char *bigger = malloc(new_cap);
            if (bigger == NULL) {
                fclose(f);
                FAILF("out of memory");
            }
            memcpy(bigger, data, n);
            h_defer(free, bigger);
            data = bigger;
            cap = new_cap;
        }
        memcpy(data + n, chunk, got);
        n += got;
    }
    fclose(f);
    *len = n;
    return data;
}

static bool contains(const char *data, size_t len, const char *needle) {
    size_t m = strlen(needle);
    for (size_t i = 0; m <= len && i <= len - m; i++)
        if (memcmp(data + i, needle, m) == 0) return true;
    return false;
}

/* A pipe whose two ends are closed at the end of the test (fds[0] read, fds[1] write). */
static void close_fd(void *p) {
    int *fd = p;
    if (*fd >= 0) close(*fd);
    free(fd);
}

static int *fd_defer(int fd) {
    int *holder = malloc(sizeof *holder);
    if (holder == NULL) {
        close(fd);
        FAILF("out of memory");
    }
    *holder = fd;
    h_defer(close_fd, holder);
    return holder;
}

static void fd_close_now(int *fd) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

struct pipe_ends {
    int *r;
    int *w;
};

static struct pipe_ends new_pipe(void) {
    int fds[2];
    CHECKF(pipe(fds) == 0, "pipe: %s", strerror(errno));
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    struct pipe_ends p = {fd_defer(fds[0]), fd_defer(fds[1])};
    return p;
}

/* Polls until this machine's clock reads at least `t` (ages are whole seconds on it). */
static void wait_for_local_second(time_t t) {
    double deadline = h_now() + 5.0 + (double)(t - time(NULL));
    while (time(NULL) < t) {
        CHECKF(h_now() < deadline, "the local clock did not reach %lld", (long long)t);
        struct timespec pause = {0, 20000000};
        nanosleep(&pause, NULL);
    }
}

/* --- the store ------------------------------------------------------------------------------- */

static void store_free_cb(void *p) { toggl_store_free((toggl_store *)p); }

/* Opens a store (NULL: in memory), freed at the end of the test. */
static toggl_store *open_store(const char *path) {
    toggl_store *s = (toggl_store *)&s; /* a sentinel: open must set it */
    CHECK_OK(toggl_store_open(path, &s));
    CHECK(s != NULL);
    h_defer(store_free_cb, s);
    return s;
}

static char *store_text(toggl_store *s, const char *collection, unsigned flags) {
    char *out = (char *)"sentinel";
    CHECK_OK(toggl_store_get(s, collection, flags, &out));
    CHECK(out != NULL);
    return h_toggl_defer(out);
}

static json_t *store_json(toggl_store *s, const char *collection, unsigned flags) {
    return h_parse(store_text(s, collection, flags));
}

static int64_t store_age(toggl_store *s, const char *collection) {
    int64_t age = -2;
    CHECK_OK(toggl_store_age(s, collection, &age));
    return age;
}

/* When `collection` was last refreshed, on this machine's clock (-1 if never): now - age, read
 * again if the second turned meanwhile. */
static int64_t refreshed_at(toggl_store *s, const char *collection) {
    for (;;) {
        time_t before = time(NULL);
        int64_t age = store_age(s, collection);
        if (time(NULL) != before) continue;
        return age < 0 ? -1 : (int64_t)before - age;
    }
}

static long array_size(json_t *j) {
    CHECKF(json_is_array(j), "not an array");
    return (long)json_array_size(j);
}

static json_t *find_id(json_t *array, json_int_t id) {
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item) {
        if (json_integer_value(json_object_get(item, "id")) == id) return item;
    }
    return NULL;
}

static json_int_t id_at(json_t *array, size_t i) {
    json_t *id = json_object_get(json_array_get(array, i), "id");
    CHECKF(json_is_integer(id), "item %zu has no integer id", i);
    return json_integer_value(id);
}

/* A copy of an array of objects ordered by id (freed at the end of the test). */
static json_t *sorted_by_id(json_t *array) {
    json_t *out = h_json_defer(json_array());
    size_t n = json_array_size(array);
    for (size_t i = 0; i < n; i++) {
        json_t *item = json_array_get(array, i);
        json_int_t id = json_integer_value(json_object_get(item, "id"));
        size_t at = json_array_size(out);
        while (at > 0 && json_integer_value(json_object_get(json_array_get(out, at - 1), "id")) > id) at--;
        CHECK_EQ(json_array_insert(out, at, item), 0);
    }
    return out;
}

/* Everything a store holds: each collection (all, and active only) and when it was refreshed. */
struct contents {
    json_t *all[N_COLLECTIONS];
    json_t *active[N_COLLECTIONS];
    int64_t refreshed[N_COLLECTIONS];
};

static void read_contents(toggl_store *s, struct contents *c) {
    for (size_t i = 0; i < N_COLLECTIONS; i++) {
        c->all[i] = store_json(s, collections[i], 0);
        c->active[i] = store_json(s, collections[i], TOGGL_STORE_ACTIVE);
        c->refreshed[i] = refreshed_at(s, collections[i]);
    }
}

/* Fails naming the first difference between two JSON documents of a collection. */
static void expect_json_equal(json_t *actual, json_t *expected, const char *what) {
    if (json_equal(actual, expected)) return;
    if (json_is_array(actual) && json_is_array(expected)) {
        size_t n = json_array_size(actual), m = json_array_size(expected);
        for (size_t i = 0; i < n && i < m; i++) {
            json_t *a = json_array_get(actual, i), *e = json_array_get(expected, i);
            if (json_equal(a, e)) continue;
            char *at = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);
            char *et = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
            if (at) h_defer(free, at);
            if (et) h_defer(free, et);
            FAILF("%s: item %zu of %zu/%zu differs: %.400s, expected %.400s", what, i, n, m,
                  at ? at : "?", et ? et : "?");
        }
        FAILF("%s: %zu items, expected %zu", what, n, m);
    }
    char *at = json_dumps(actual, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    char *et = json_dumps(expected, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    if (at) h_defer(free, at);
    if (et) h_defer(free, et);
    FAILF("%s: %.400s, expected %.400s", what, at ? at : "?", et ? et : "?");
}

/* The store holds exactly `expected`; with `same_refresh`, no collection was refreshed since. */
static void expect_contents(toggl_store *s, const struct contents *expected, bool same_refresh) {
    struct contents now;
    read_contents(s, &now);
    for (size_t i = 0; i < N_COLLECTIONS; i++) {
        expect_json_equal(now.all[i], expected->all[i], collections[i]);
        expect_json_equal(now.active[i], expected->active[i], h_fmt("%s (active)", collections[i]));
        if (same_refresh)
            CHECKF(llabs((long long)(now.refreshed[i] - expected->refreshed[i])) <= 1,
                   "%s was refreshed at %lld, before at %lld", collections[i],
                   (long long)now.refreshed[i], (long long)expected->refreshed[i]);
    }
}

/* Both stores hold the same data (every collection, all and active only). */
static void expect_same_data(toggl_store *actual, toggl_store *expected) {
    struct contents e;
    read_contents(expected, &e);
    expect_contents(actual, &e, false);
}

/* --- syncs, counted ------------------------------------------------------------------------- */

static long report_requests(json_t *report) {
    json_t *n = json_object_get(report, "requests");
    CHECKF(json_is_integer(n), "the report has no integer \"requests\"");
    return (long)json_integer_value(n);
}

static bool report_snapshot(json_t *report) {
    json_t *b = json_object_get(report, "snapshot");
    CHECKF(json_is_boolean(b), "the report has no boolean \"snapshot\"");
    return json_is_true(b);
}

/* The report's entry for a collection: requested, upserted, deleted. */
struct entry {
    bool requested;
    long upserted;
    long deleted;
};

static struct entry report_entry(json_t *report, const char *collection) {
    json_t *e = json_object_get(json_object_get(report, "collections"), collection);
    CHECKF(json_is_object(e), "the report has no collection \"%s\"", collection);
    json_t *requested = json_object_get(e, "requested");
    json_t *upserted = json_object_get(e, "upserted");
    json_t *deleted = json_object_get(e, "deleted");
    CHECKF(json_is_boolean(requested) && json_is_integer(upserted) && json_is_integer(deleted),
           "the report's \"%s\" is not {requested, upserted, deleted}", collection);
    struct entry out = {json_is_true(requested), (long)json_integer_value(upserted),
                        (long)json_integer_value(deleted)};
    return out;
}

/* Checks a report's shape: exactly the seven collections, and which were requested. */
static void expect_requested(json_t *report, const char *const *requested) {
    json_t *cols = json_object_get(report, "collections");
    CHECKF(json_is_object(cols) && json_object_size(cols) == N_COLLECTIONS,
           "the report's collections are not the seven names");
    for (size_t i = 0; i < N_COLLECTIONS; i++) {
        bool want = false;
        for (const char *const *r = requested; *r != NULL; r++)
            if (strcmp(*r, collections[i]) == 0) want = true;
        struct entry e = report_entry(report, collections[i]);
        CHECKF(e.requested == want, "report: %s requested %s, expected %s", collections[i],
               e.requested ? "true" : "false", want ? "true" : "false");
        if (!e.requested) CHECKF(e.upserted == 0 && e.deleted == 0, "report: %s not requested but changed", collections[i]);
    }
}

/* Syncs; checks that the sandbox received exactly the requests the report counts, and that
 * they are `expected` (-1: any number). Returns the report. */
static json_t *sync_counted(toggl_store *s, toggl_client *c, const char *tenant, unsigned flags,
                            int64_t max_age, long expected) {
    long before = sandbox_request_count(tenant);
    char *text = (char *)"sentinel";
    CHECK_OK(toggl_store_sync(s, c, flags, max_age, &text));
    CHECK(text != NULL);
    h_toggl_defer(text);
    long sent = sandbox_request_count(tenant) - before;
    json_t *report = h_parse(text);
    CHECKF(json_is_object(report), "the report is not an object: %.200s", text);
    CHECKF(report_requests(report) == sent, "the report counts %ld requests, the sandbox received %ld: %.300s",
           report_requests(report), sent, text);
    CHECKF(expected < 0 || sent == expected, "the sync sent %ld requests, expected %ld: %.300s", sent, expected,
           text);
    return report;
}

/* A sync that must fail with `status` having sent `expected` requests (by the sandbox's count). */
static void sync_fails(toggl_store *s, toggl_client *c, const char *tenant, unsigned flags,
                       int64_t max_age, int status, long expected) {
    long before = sandbox_request_count(tenant);
    char *text = (char *)"sentinel";
    CHECK_STATUS(toggl_store_sync(s, c, flags, max_age, &text), status);
    CHECK(text == NULL);
    CHECK_EQ(toggl_error_code(), status);
    CHECK_EQ(sandbox_request_count(tenant) - before, expected);
}

/* The last `n` requests of the tenant's log, oldest first, as "METHOD path?query". */
static const char *logged(const char *tenant, long n, long i) {
    json_t *log = h_json_defer(sandbox_requests(tenant));
    size_t total = json_array_size(log);
    CHECK((size_t)n <= total && i < n);
    json_t *r = json_array_get(log, total - (size_t)n + (size_t)i);
    const char *query = json_string_value(json_object_get(r, "query"));
    return h_fmt("%s %s%s%s", json_string_value(json_object_get(r, "method")),
                 json_string_value(json_object_get(r, "path")), query && *query ? "?" : "",
                 query ? query : "");
}

/* The `since` of a logged request's query (fails when there is none). */
static int64_t since_of(const char *request) {
    const char *at = strstr(request, "since=");
    CHECKF(at != NULL, "no since in %s", request);
    return strtoll(at + 6, NULL, 10);
}

static int64_t sandbox_clock(const char *tenant) {
    json_t *now = json_object_get(sandbox_get(tenant, "clock"), "now");
    CHECKF(json_is_integer(now), "the sandbox clock has no integer now");
    return (int64_t)json_integer_value(now);
}

/* A count from the tenant's own manifest (after its changes), optionally `since`. */
static long tenant_count(const char *tenant, const char *key, int64_t since) {
    json_t *m = since >= 0 ? sandbox_get(tenant, h_fmt("manifest?since=%lld", (long long)since))
                           : sandbox_get(tenant, "manifest");
    json_t *v = json_object_get(m, key);
    CHECKF(json_is_integer(v), "the tenant's manifest has no count \"%s\"", key);
    return (long)json_integer_value(v);
}

/* A fresh in-memory store snapshotted from the tenant: what an incremental sync must match. */
static toggl_store *fresh_snapshot(toggl_client *c, const char *tenant, unsigned flags) {
    toggl_store *fresh = open_store(":memory:");
    json_t *report = sync_counted(fresh, c, tenant, flags, 0, (flags & TOGGL_SYNC_TASKS) ? 2 : 1);
    CHECK(report_snapshot(report));
    return fresh;
}

/* The ids the changes of several tests act on, taken from a snapshot. */
struct picks {
    json_int_t renamed_project, archived_project, deleted_client, deleted_tag;
};

static struct picks pick_ids(toggl_store *s) {
    struct picks p = {0, 0, 0, 0};
    json_t *projects = store_json(s, "projects", TOGGL_STORE_ACTIVE);
    CHECK(array_size(projects) >= 2);
    p.renamed_project = id_at(projects, 0);
    p.archived_project = id_at(projects, 1);
    json_t *clients = store_json(s, "clients", 0);
    CHECK(array_size(clients) >= 1);
    p.deleted_client = id_at(clients, json_array_size(clients) / 2);
    json_t *tags = store_json(s, "tags", 0);
    CHECK(array_size(tags) >= 1);
    p.deleted_tag = id_at(tags, 0);
    return p;
}

#define RENAMED "Renamed \\u00e9 \\\"quoted\\\" \\\\ back"

/* Renames a project, archives another, deletes a client, adds a tag and deletes one. */
static void change_collections(const char *tenant, struct picks p) {
    SANDBOX_POST(tenant, "changes", h_fmt(
        "[{\"op\":\"edit\",\"collection\":\"projects\",\"id\":%lld,\"fields\":{\"name\":\"" RENAMED "\"}},"
        "{\"op\":\"archive\",\"collection\":\"projects\",\"id\":%lld},"
        "{\"op\":\"delete\",\"collection\":\"clients\",\"id\":%lld},"
        "{\"op\":\"add\",\"collection\":\"tags\",\"fields\":{\"name\":\"a new tag\"}},"
        "{\"op\":\"delete\",\"collection\":\"tags\",\"id\":%lld}]",
        (long long)p.renamed_project, (long long)p.archived_project, (long long)p.deleted_client,
        (long long)p.deleted_tag));
}

/* --- a sync in another process --------------------------------------------------------------- */

static void write_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        data += n;
        len -= (size_t)n;
    }
}

/* Writes {"step", "status", "retry_after", "message", "report"} to fd 3 and returns the exit
 * status: 0 for TOGGL_OK, else -status. */
static int child_result(const char *step, int status, char *report) {
    json_t *parsed = report != NULL ? json_loads(report, 0, NULL) : NULL;
    json_t *result = json_pack("{s:s, s:i, s:I, s:s, s:o}", "step", step, "status", status,
                               "retry_after", (json_int_t)toggl_error_retry_after(),
                               "message", toggl_error_message(),
                               "report", parsed != NULL ? parsed : json_null());
    char *text = result != NULL ? json_dumps(result, JSON_COMPACT) : NULL;
    if (text != NULL) write_all(3, text, strlen(text));
    free(text);
    json_decref(result);
    toggl_free(report);
    close(3);
    return status == TOGGL_OK ? 0 : -status;
}

/* `store_sync PATH BASE_URL FLAGS MAX_AGE BARRIER`: opens the store, makes a client and syncs.
 * BARRIER "before_open" or "after_open": at that point write a byte to fd 4 (ready) and wait
 * for EOF on fd 5 (go), so that several children start together; "none": no barrier. The
 * result goes to fd 3 (see child_result). */
CHILD(store_sync) {
    if (argc != 5) return 125;
    const char *path = argv[0], *url = argv[1], *barrier = argv[4];
    unsigned flags = (unsigned)strtoul(argv[2], NULL, 10);
    int64_t max_age = strtoll(argv[3], NULL, 10);
    toggl_client *client = toggl_client_new(SANDBOX_TOKEN);
    if (client == NULL) return child_result("client", toggl_error_code(), NULL);
    int status = toggl_client_set_base_url(client, url);
    if (status != TOGGL_OK) {
        toggl_client_free(client);
        return child_result("client", status, NULL);
    }
    toggl_store *store = NULL;
    if (strcmp(barrier, "after_open") == 0) status = toggl_store_open(path, &store);
    if (status == TOGGL_OK && strcmp(barrier, "none") != 0) {
        write_all(4, "r", 1);
        close(4);
        char byte;
        while (read(5, &byte, 1) < 0 && errno == EINTR) {}
        close(5);
    }
    if (status == TOGGL_OK && store == NULL) status = toggl_store_open(path, &store);
    if (status != TOGGL_OK) {
        toggl_client_free(client);
        return child_result("open", status, NULL);
    }
    char *report = NULL;
    status = toggl_store_sync(store, client, flags, max_age, &report);
    int rc = child_result("sync", status, report);
    toggl_store_free(store);
    toggl_client_free(client);
    return rc;
}

struct sync_child {
    struct h_child *child;
    int *result; /* the read end of the child's fd 3 */
};

/* Starts `store_sync` in a child; ready/go are the barrier's pipe ends (NULL for "none"). */
static struct sync_child start_sync_child(const char *path, const char *tenant, unsigned flags,
                                          int64_t max_age, const char *barrier,
                                          struct pipe_ends *ready, struct pipe_ends *go) {
    struct pipe_ends result = new_pipe();
    const char *args[] = {path, sandbox_tenant_url(tenant), h_fmt("%u", flags),
                          h_fmt("%lld", (long long)max_age), barrier, NULL};
    int fds[3] = {*result.w, ready ? *ready->w : -1, go ? *go->r : -1};
    struct sync_child sc;
    sc.child = h_spawn_child("store_sync", args, fds, ready ? 3 : 1);
    fd_close_now(result.w);
    sc.result = result.r;
    return sc;
}

/* Waits for the child and returns its result object (exit status in *exit_status). */
static json_t *finish_sync_child(struct sync_child *sc, int *exit_status) {
    *exit_status = h_child_wait(sc->child, CHILD_BOUND_S);
    char buffer[1 << 16];
    size_t n = 0;
    ssize_t got;
    while (n < sizeof buffer - 1 && (got = read(*sc->result, buffer + n, sizeof buffer - 1 - n)) != 0) {
        if (got < 0 && errno == EINTR) continue;
        CHECKF(got > 0, "reading the child's result: %s", strerror(errno));
        n += (size_t)got;
    }
    buffer[n] = '\0';
    CHECKF(n > 0, "the child (exit %d) wrote no result", *exit_status);
    json_t *result = h_parse(buffer);
    CHECKF(json_is_object(result), "the child's result is not an object: %s", buffer);
    return result;
}

static const char *result_step(json_t *result) { return json_string_value(json_object_get(result, "step")); }
static int result_status(json_t *result) { return (int)json_integer_value(json_object_get(result, "status")); }
static const char *result_message(json_t *result) { return json_string_value(json_object_get(result, "message")); }

/* --- 1. opening ---------------------------------------------------------------------------- */

TEST(store_open_arguments_and_empty_reads) {
    CHECK_STATUS(toggl_store_open(":memory:", NULL), TOGGL_EINVAL);
    CHECK_STATUS(toggl_store_open(NULL, NULL), TOGGL_EINVAL);
    toggl_store *s = (toggl_store *)&s;
    CHECK_STATUS(toggl_store_open("", &s), TOGGL_EINVAL);
    CHECK(s == NULL);
    s = (toggl_store *)&s;
    CHECK_STATUS(toggl_store_open("/tmp/not-utf8-\xff\xfe.db", &s), TOGGL_EINVAL);
    CHECK(s == NULL);
    CHECK(!file_exists("/tmp/not-utf8-\xff\xfe.db"));

    toggl_store *empty = open_store(NULL);
    CHECK_STR(store_text(empty, "user", 0), "null");
    for (size_t i = 1; i < N_COLLECTIONS; i++) {
        CHECK_STR(store_text(empty, collections[i], 0), "[]");
        CHECK_STR(store_text(empty, collections[i], TOGGL_STORE_ACTIVE), "[]");
    }
    for (size_t i = 0; i < N_COLLECTIONS; i++) CHECK_EQ(store_age(empty, collections[i]), -1);
    int64_t remaining = 7, resets = 7;
    CHECK_OK(toggl_store_quota(empty, &remaining, &resets));
    CHECK_EQ(remaining, -1);
    CHECK_EQ(resets, -1);
    CHECK_OK(toggl_store_quota(empty, NULL, NULL));

    /* Unknown collections and flags. */
    char *out = (char *)"sentinel";
    CHECK_STATUS(toggl_store_get(empty, "project", 0, &out), TOGGL_EINVAL);
    CHECK(out == NULL);
    CHECK(strstr(toggl_error_message(), "project") != NULL);
    out = (char *)"sentinel";
    CHECK_STATUS(toggl_store_get(empty, "Projects", 0, &out), TOGGL_EINVAL);
    CHECK(out == NULL);
    out = (char *)"sentinel";
    CHECK_STATUS(toggl_store_get(empty, NULL, 0, &out), TOGGL_EINVAL);
    CHECK(out == NULL);
    out = (char *)"sentinel";
    CHECK_STATUS(toggl_store_get(empty, "projects", 2, &out), TOGGL_EINVAL);
    CHECK(out == NULL);
    CHECK_STATUS(toggl_store_get(empty, "projects", 0, NULL), TOGGL_EINVAL);
    int64_t age = 7;
    CHECK_STATUS(toggl_store_age(empty, "timeentries", &age), TOGGL_EINVAL);
    CHECK_EQ(age, -1);
    CHECK_STATUS(toggl_store_age(empty, NULL, &age), TOGGL_EINVAL);
    CHECK_STATUS(toggl_store_age(empty, "user", NULL), TOGGL_EINVAL);

    /* A NULL store. */
    toggl_store_free(NULL);
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    out = (char *)"sentinel";
    CHECK_STATUS(toggl_store_sync(NULL, c, 0, 0, &out), TOGGL_EINVAL);
    CHECK(out == NULL);
    CHECK_STATUS(toggl_store_sync(NULL, c, 0, 0, NULL), TOGGL_EINVAL);
    out = (char *)"sentinel";
    CHECK_STATUS(toggl_store_sync(empty, NULL, 0, 0, &out), TOGGL_EINVAL);
    CHECK(out == NULL);
    out = (char *)"sentinel";
    CHECK_STATUS(toggl_store_get(NULL, "user", 0, &out), TOGGL_EINVAL);
    CHECK(out == NULL);
    age = 7;
    CHECK_STATUS(toggl_store_age(NULL, "user", &age), TOGGL_EINVAL);
    CHECK_EQ(age, -1);
    remaining = resets = 7;
    CHECK_STATUS(toggl_store_quota(NULL, &remaining, &resets), TOGGL_EINVAL);
    CHECK_EQ(remaining, -1);
    CHECK_EQ(resets, -1);
    CHECK_EQ(sandbox_request_count(tenant), 0);
}

TEST(store_open_memory_stores_are_independent) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    toggl_store *a = open_store(":memory:");
    toggl_store *b = open_store(NULL);
    toggl_store *d = open_store(":memory:");
    sync_counted(a, c, tenant, 0, 0, 1);
    CHECK_EQ(array_size(store_json(a, "projects", 0)), sandbox_count("projects"));
    CHECK_STR(store_text(b, "user", 0), "null");
    CHECK_STR(store_text(b, "projects", 0), "[]");
    CHECK_STR(store_text(d, "user", 0), "null");
    CHECK_EQ(store_age(d, "projects"), -1);
    sync_counted(b, c, tenant, 0, 3600, 1); /* b is empty: its first sync is a snapshot */
    CHECK_STR(store_text(d, "projects", 0), "[]");
}

TEST(store_open_creates_a_private_file) {
    const char *dir = tmpdir();
    const char *path = h_fmt("%s/new.store", dir);
    mode_t old = umask(0);  /* the mode must not depend on the umask */
    toggl_store *s = (toggl_store *)&s;
    int status = toggl_store_open(path, &s);
    umask(old);
    CHECK_OK(status);
    h_defer(store_free_cb, s);
    CHECK_EQ(file_mode(path), 0600);
    /* WAL: the side files SQLite makes take the same mode. */
    const char *side[] = {"-wal", "-shm"};
    for (int i = 0; i < 2; i++) {
        const char *p = h_fmt("%s%s", path, side[i]);
        if (file_exists(p)) CHECKF(file_mode(p) == 0600, "%s has mode %o", p, file_mode(p));
    }
    CHECK_STR(store_text(s, "user", 0), "null");

    /* A second handle on the same file sees it as a store. */
    toggl_store *again = open_store(path);
    CHECK_STR(store_text(again, "tags", 0), "[]");
}

TEST(store_open_refuses_a_file_that_is_not_a_store) {
    const char *dir = tmpdir();
    const char *path = h_fmt("%s/notes.txt", dir);
    char text[4096];
    for (size_t i = 0; i < sizeof text; i++) text[i] = "some notes, not a database\n"[i % 27];
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK_EQ(fwrite(text, 1, sizeof text, f), sizeof text);
    CHECK_EQ(fclose(f), 0);
    CHECK_EQ(chmod(path, 0644), 0);

    toggl_store *s = (toggl_store *)&s;
    CHECK_STATUS(toggl_store_open(path, &s), TOGGL_ESTORE);
    CHECK(s == NULL);
    CHECK_EQ(toggl_error_code(), TOGGL_ESTORE);
    CHECKF(strstr(toggl_error_message(), path) != NULL, "the message does not name %s: %s", path,
           toggl_error_message());

    size_t len = 0;
    char *after = read_file(path, &len);
    CHECK_EQ(len, sizeof text);
    CHECK(memcmp(after, text, sizeof text) == 0);
    CHECK_EQ(file_mode(path), 0644);
    CHECK(!file_exists(h_fmt("%s-wal", path)));
    CHECK(!file_exists(h_fmt("%s-shm", path)));
    CHECK(!file_exists(h_fmt("%s-journal", path)));

    /* A directory, and a file in a directory that does not exist. */
    CHECK_STATUS(toggl_store_open(dir, &s), TOGGL_ESTORE);
    CHECK(strstr(toggl_error_message(), dir) != NULL);
    const char *missing = h_fmt("%s/no/such/dir/x.store", dir);
    CHECK_STATUS(toggl_store_open(missing, &s), TOGGL_ESTORE);
    CHECK(strstr(toggl_error_message(), missing) != NULL);
}

static void restore_cwd(void *p) {
    if (chdir((const char *)p) != 0) fprintf(stderr, "cannot return to %s\n", (const char *)p);
    free(p);
}

/* A path is a file path: SQLite's "file:" URIs (which Debian's SQLite parses in any name that
 * starts with "file:") are no concern of the caller's. */
TEST(store_open_a_relative_path_that_starts_with_file) {
    const char *dir = tmpdir();
    char *cwd = malloc(4096);
    CHECK(cwd != NULL);
    if (getcwd(cwd, 4096) == NULL) {
        free(cwd);
        FAILF("getcwd failed");
    }
    CHECK_EQ(chdir(dir), 0);
    h_defer(restore_cwd, cwd);
    toggl_store *s = open_store("file:x.store");
    CHECK_STR(store_text(s, "user", 0), "null");
    CHECK_EQ(file_mode("file:x.store"), 0600);
    CHECK(!file_exists("x.store"));
}

/* --- 2. the first sync ------------------------------------------------------------------------ */

TEST(store_first_sync) {
    const char *tenant = h_tenant();
    SANDBOX_POST(tenant, "config", "{\"quota_limit\":100}");
    toggl_client *c = h_client(tenant);
    toggl_store *s = open_store(":memory:");

    json_t *report = sync_counted(s, c, tenant, 0, 0, 1);
    CHECK(report_snapshot(report));
    CHECK_STR(logged(tenant, 1, 0), "GET /me?with_related_data=true");
    const char *snapshot_cols[] = {"user", "workspaces", "clients", "projects", "tags", "time_entries", NULL};
    expect_requested(report, snapshot_cols);
    CHECK_EQ(report_entry(report, "user").upserted, 1);
    CHECK_EQ(report_entry(report, "projects").upserted, sandbox_count("projects"));
    CHECK_EQ(report_entry(report, "clients").upserted, sandbox_count("clients"));
    CHECK_EQ(report_entry(report, "tags").upserted, sandbox_count("tags"));
    CHECK_EQ(report_entry(report, "workspaces").upserted, sandbox_count("workspaces"));
    CHECK_EQ(report_entry(report, "time_entries").upserted, sandbox_count("time_entries"));

    /* Reads send nothing. */
    long before = sandbox_request_count(tenant);
    json_t *projects = store_json(s, "projects", 0);
    CHECK_EQ(array_size(projects), sandbox_count("projects"));
    CHECK_EQ(array_size(store_json(s, "projects", TOGGL_STORE_ACTIVE)), sandbox_count("projects_active"));
    CHECK_EQ(array_size(store_json(s, "clients", 0)), sandbox_count("clients"));
    CHECK_EQ(array_size(store_json(s, "tags", 0)), sandbox_count("tags"));
    CHECK_EQ(array_size(store_json(s, "workspaces", 0)), sandbox_count("workspaces"));
    CHECK_EQ(array_size(store_json(s, "time_entries", 0)), sandbox_count("time_entries"));
    CHECK_STR(store_text(s, "tasks", 0), "[]");
    CHECK_EQ(store_age(s, "tasks"), -1);
    for (size_t i = 0; i < N_COLLECTIONS; i++) {
        if (strcmp(collections[i], "tasks") == 0) continue;
        int64_t age = store_age(s, collections[i]);
        CHECKF(age >= 0 && age <= 5 * h_time_scale(), "%s: age %lld", collections[i], (long long)age);
    }
    /* Ordered by id; archived projects are there, inactive; clients active = not archived. */
    for (size_t i = 1; i < json_array_size(projects); i++) CHECK(id_at(projects, i - 1) < id_at(projects, i));
    long archived = 0;
    size_t i;
    json_t *item;
    json_array_foreach(projects, i, item) {
        if (!json_is_true(json_object_get(item, "active"))) archived++;
    }
    CHECK_EQ(archived, sandbox_count("projects_archived"));
    long clients_live = 0;
    json_array_foreach(store_json(s, "clients", 0), i, item) {
        if (!json_is_true(json_object_get(item, "archived"))) clients_live++;
    }
    CHECK_EQ(array_size(store_json(s, "clients", TOGGL_STORE_ACTIVE)), clients_live);

    /* No credential is kept. */
    const char *user = store_text(s, "user", 0);
    const char *workspaces = store_text(s, "workspaces", 0);
    CHECKF(strstr(user, "api_token") == NULL, "the stored user holds api_token: %.300s", user);
    CHECKF(strstr(workspaces, "api_token") == NULL, "the stored workspaces hold api_token");
    CHECK(strstr(user, SANDBOX_TOKEN) == NULL);
    json_t *u = h_parse(user);
    CHECK_STR(json_string_value(json_object_get(u, "fullname")), SANDBOX_FULLNAME);
    CHECK(json_object_get(u, "projects") == NULL);
    CHECK(json_object_get(u, "workspaces") == NULL);
    CHECK_EQ(sandbox_request_count(tenant), before);

    /* The quota as the response reported it. */
    int64_t remaining = -2, resets = -2;
    CHECK_OK(toggl_store_quota(s, &remaining, &resets));
    CHECK_EQ(remaining, 100 - 1);
    CHECK(resets > 0 && resets <= 3600);

    /* Fresh: nothing is sent, whatever the flags that concern a snapshot's collections. */
    report = sync_counted(s, c, tenant, 0, 3600, 0);
    CHECK(!report_snapshot(report));
    const char *none[] = {NULL};
    expect_requested(report, none);
    sync_counted(s, c, tenant, TOGGL_SYNC_FULL, 3600, 0);
    sync_counted(s, c, tenant, TOGGL_SYNC_USER, 3600, 0);
    before = sandbox_request_count(tenant);
    CHECK_OK(toggl_store_sync(s, c, 0, 3600, NULL));
    CHECK_EQ(sandbox_request_count(tenant), before);

    /* Bad arguments send nothing. */
    sync_fails(s, c, tenant, 0, -1, TOGGL_EINVAL, 0);
    sync_fails(s, c, tenant, 0, INT64_MIN, TOGGL_EINVAL, 0);
    sync_fails(s, c, tenant, 8, 0, TOGGL_EINVAL, 0);
    sync_fails(s, c, tenant, 0x80000000u, 0, TOGGL_EINVAL, 0);
    sync_fails(s, c, tenant, TOGGL_SYNC_FULL | TOGGL_SYNC_TASKS | TOGGL_SYNC_USER | 16, 3600, TOGGL_EINVAL, 0);

    /* TOGGL_SYNC_FULL on a store with data takes a snapshot again. */
    report = sync_counted(s, c, tenant, TOGGL_SYNC_FULL, 0, 1);
    CHECK(report_snapshot(report));
    CHECK_EQ(report_entry(report, "projects").upserted, sandbox_count("projects"));
    CHECK_EQ(array_size(store_json(s, "projects", 0)), sandbox_count("projects"));

    /* The user as GET /me has it, less api_token (which the server does send, and in every
     * workspace too). */
    char *me = NULL;
    CHECK_OK(toggl_me_get(c, false, &me));
    h_toggl_defer(me);
    json_t *expected = h_parse(me);
    CHECK(json_object_get(expected, "api_token") != NULL);
    json_object_del(expected, "api_token");
    expect_json_equal(store_json(s, "user", 0), expected, "user");
    CHECK_OK(toggl_me_get(c, true, &me));
    h_toggl_defer(me);
    json_t *related = json_object_get(h_parse(me), "workspaces");
    CHECK(array_size(related) > 0);
    json_array_foreach(related, i, item) {
        CHECK(json_object_get(item, "api_token") != NULL);
        json_object_del(item, "api_token");
    }
    expect_json_equal(store_json(s, "workspaces", 0), sorted_by_id(related), "workspaces (ordered by id)");
}

TEST(store_first_sync_with_tasks) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    toggl_store *s = open_store(NULL);
    json_t *report = sync_counted(s, c, tenant, TOGGL_SYNC_TASKS, 0, 2);
    CHECK(report_snapshot(report));
    CHECK_STR(logged(tenant, 2, 0), "GET /me?with_related_data=true");
    CHECK_STR(logged(tenant, 2, 1), "GET /me/tasks?include_not_active=true");
    const char *all[] = {"user", "workspaces", "clients", "projects", "tags", "tasks", "time_entries", NULL};
    expect_requested(report, all);
    CHECK_EQ(report_entry(report, "tasks").upserted, sandbox_count("tasks"));
    long before = sandbox_request_count(tenant);
    CHECK_EQ(array_size(store_json(s, "tasks", 0)), sandbox_count("tasks"));
    CHECK_EQ(array_size(store_json(s, "tasks", TOGGL_STORE_ACTIVE)), sandbox_count("tasks_active"));
    CHECK(store_age(s, "tasks") >= 0);
    CHECK_EQ(sandbox_request_count(tenant), before);
    sync_counted(s, c, tenant, TOGGL_SYNC_TASKS | TOGGL_SYNC_USER, 3600, 0);
}

/* --- 3. incremental ----------------------------------------------------------------------------- */

TEST(store_incremental) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    toggl_store *s = open_store(":memory:");
    /* The server's clock is a day ahead of this machine's: watermarks follow the server's. */
    SANDBOX_POST(tenant, "clock", "{\"advance_s\":86400}");
    int64_t clock_before = sandbox_clock(tenant);
    sync_counted(s, c, tenant, 0, 0, 1);
    int64_t clock_after = sandbox_clock(tenant);
    struct picks p = pick_ids(s);
    change_collections(tenant, p);

    json_t *report = sync_counted(s, c, tenant, 0, 0, 3);
    CHECK(!report_snapshot(report));
    const char *incremental[] = {"clients", "projects", "tags", NULL};
    expect_requested(report, incremental);
    const char *r0 = logged(tenant, 3, 0), *r1 = logged(tenant, 3, 1), *r2 = logged(tenant, 3, 2);
    CHECKF(strncmp(r0, "GET /me/clients?", 16) == 0, "%s", r0);
    CHECKF(strncmp(r1, "GET /me/projects?", 17) == 0 && strstr(r1, "include_archived=true") != NULL, "%s", r1);
    CHECKF(strncmp(r2, "GET /me/tags?", 13) == 0, "%s", r2);
    /* The watermark is the server's Date of the snapshot less ten minutes. */
    int64_t since = since_of(r0);
    CHECK_EQ(since_of(r1), since);
    CHECK_EQ(since_of(r2), since);
    CHECKF(since >= clock_before - 600 && since <= clock_after - 600,
           "since=%lld, the snapshot was answered between %lld and %lld", (long long)since,
           (long long)clock_before, (long long)clock_after);
    /* upserted = live items received, deleted = items removed (the routes' counts since W). */
    struct entry e = report_entry(report, "clients");
    CHECK_EQ(e.deleted, tenant_count(tenant, "clients_deleted", since));
    CHECK_EQ(e.deleted, 1);
    CHECK_EQ(e.upserted, tenant_count(tenant, "clients", since) - e.deleted);
    e = report_entry(report, "projects");
    CHECK_EQ(e.upserted, tenant_count(tenant, "projects", since));
    CHECK_EQ(e.upserted, 2);
    CHECK_EQ(e.deleted, 0);
    e = report_entry(report, "tags");
    CHECK_EQ(e.deleted, tenant_count(tenant, "tags_deleted", since));
    CHECK_EQ(e.upserted, tenant_count(tenant, "tags", since) - e.deleted);
    CHECK_EQ(e.upserted, 1);
    CHECK_EQ(e.deleted, 1);

    /* The changes as a reader sees them. */
    json_t *renamed = find_id(store_json(s, "projects", 0), p.renamed_project);
    CHECK(renamed != NULL);
    CHECK_STR(json_string_value(json_object_get(renamed, "name")), "Renamed \xc3\xa9 \"quoted\" \\ back");
    json_t *archived = find_id(store_json(s, "projects", 0), p.archived_project);
    CHECK(archived != NULL && json_is_false(json_object_get(archived, "active")));
    CHECK(find_id(store_json(s, "projects", TOGGL_STORE_ACTIVE), p.archived_project) == NULL);
    CHECK(find_id(store_json(s, "clients", 0), p.deleted_client) == NULL);
    CHECK(find_id(store_json(s, "tags", 0), p.deleted_tag) == NULL);
    CHECK_EQ(array_size(store_json(s, "clients", 0)), tenant_count(tenant, "clients", -1));
    CHECK_EQ(array_size(store_json(s, "projects", TOGGL_STORE_ACTIVE)), tenant_count(tenant, "projects_active", -1));

    /* Exactly what a fresh snapshot of the tenant holds. */
    expect_same_data(s, fresh_snapshot(c, tenant, 0));

    /* With tasks: a fourth request (the whole list: the store has none yet). */
    report = sync_counted(s, c, tenant, TOGGL_SYNC_TASKS, 0, 4);
    CHECK(!report_snapshot(report));
    CHECK_STR(logged(tenant, 1, 0), "GET /me/tasks?include_not_active=true");
    CHECK_EQ(report_entry(report, "tasks").upserted, tenant_count(tenant, "tasks", -1));

    /* Tasks and the user change; TASKS|USER: five requests, tasks asked since. */
    json_t *tasks = store_json(s, "tasks", TOGGL_STORE_ACTIVE);
    CHECK(array_size(tasks) >= 3);
    SANDBOX_POST(tenant, "changes", h_fmt(
        "[{\"op\":\"edit\",\"collection\":\"tasks\",\"id\":%lld,\"fields\":{\"name\":\"task renamed\"}},"
        "{\"op\":\"archive\",\"collection\":\"tasks\",\"id\":%lld},"
        "{\"op\":\"delete\",\"collection\":\"tasks\",\"id\":%lld},"
        "{\"op\":\"add\",\"collection\":\"projects\",\"count\":3}]",
        (long long)id_at(tasks, 0), (long long)id_at(tasks, 1), (long long)id_at(tasks, 2)));
    char *updated = NULL;
    CHECK_OK(toggl_me_update(c, "{\"fullname\":\"Store Tester\"}", &updated));
    h_toggl_defer(updated);
    /* Without TOGGL_SYNC_USER the user stays as it was. */
    sync_counted(s, c, tenant, 0, 0, 3);
    CHECK_STR(json_string_value(json_object_get(store_json(s, "user", 0), "fullname")), SANDBOX_FULLNAME);

    report = sync_counted(s, c, tenant, TOGGL_SYNC_TASKS | TOGGL_SYNC_USER, 0, 5);
    const char *with_user[] = {"user", "clients", "projects", "tags", "tasks", NULL};
    expect_requested(report, with_user);
    const char *tasks_request = logged(tenant, 5, 3);
    CHECKF(strncmp(tasks_request, "GET /me/tasks?", 14) == 0 && strstr(tasks_request, "since=") != NULL &&
           strstr(tasks_request, "include_not_active=true") != NULL, "%s", tasks_request);
    CHECK_STR(logged(tenant, 5, 4), "GET /me");
    e = report_entry(report, "tasks");
    CHECK_EQ(e.deleted, 1);
    CHECK_EQ(e.upserted, 2);
    CHECK_STR(json_string_value(json_object_get(store_json(s, "user", 0), "fullname")), "Store Tester");
    expect_same_data(s, fresh_snapshot(c, tenant, TOGGL_SYNC_TASKS));
}

/* --- 4. a refused `since` ------------------------------------------------------------------------ */

TEST(store_fallback_to_a_snapshot) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    toggl_store *s = open_store(":memory:");
    toggl_store *with_tasks = open_store(":memory:");
    sync_counted(s, c, tenant, 0, 0, 1);
    sync_counted(with_tasks, c, tenant, TOGGL_SYNC_TASKS, 0, 2);
    change_collections(tenant, pick_ids(s));
    SANDBOX_POST(tenant, "config", "{\"since_max_age_s\":3600}");
    SANDBOX_POST(tenant, "clock", "{\"advance_s\":7200}");
    /* Ages are on this machine's clock, which did not move: nothing is due. */
    sync_counted(s, c, tenant, 0, 3600, 0);

    json_t *report = sync_counted(s, c, tenant, 0, 0, 2);
    CHECK(report_snapshot(report));
    const char *refused = logged(tenant, 2, 0);
    CHECKF(strncmp(refused, "GET /me/clients?since=", 22) == 0, "%s", refused);
    CHECK_STR(logged(tenant, 2, 1), "GET /me?with_related_data=true");
    const char *snapshot_cols[] = {"user", "workspaces", "clients", "projects", "tags", "time_entries", NULL};
    expect_requested(report, snapshot_cols);
    CHECK_EQ(report_entry(report, "projects").upserted, tenant_count(tenant, "projects", -1));
    for (size_t i = 0; i < N_COLLECTIONS; i++) {
        if (strcmp(collections[i], "tasks") == 0) continue;
        CHECK(store_age(s, collections[i]) <= 5 * h_time_scale());
    }
    expect_same_data(s, fresh_snapshot(c, tenant, 0));
    /* The snapshot's watermark is young: the next refresh is incremental again. */
    report = sync_counted(s, c, tenant, 0, 0, 3);
    CHECK(!report_snapshot(report));

    /* With tasks, the fallback snapshot fetches them too: 400, snapshot, tasks. */
    report = sync_counted(with_tasks, c, tenant, TOGGL_SYNC_TASKS, 0, 3);
    CHECK(report_snapshot(report));
    CHECK_STR(logged(tenant, 3, 1), "GET /me?with_related_data=true");
    CHECK_STR(logged(tenant, 3, 2), "GET /me/tasks?include_not_active=true");
    expect_same_data(with_tasks, fresh_snapshot(c, tenant, TOGGL_SYNC_TASKS));
}

/* Tasks keep their old watermark through a fallback snapshot without TOGGL_SYNC_TASKS (a
 * snapshot has no tasks). The next sync with tasks refreshes clients, projects and tags; the
 * server refuses the old `since` for tasks, and only tasks are fetched again, whole: 5 requests,
 * not a second snapshot. The store then equals a fresh snapshot with tasks. */
TEST(store_fallback_for_tasks_refetches_only_tasks) {
    const char *tenant = h_tenant();
    toggl_client *c = h_client(tenant);
    toggl_store *s = open_store(NULL);
    sync_counted(s, c, tenant, TOGGL_SYNC_TASKS, 0, 2);
    SANDBOX_POST(tenant, "config", "{\"since_max_age_s\":3600}");
    SANDBOX_POST(tenant, "clock", "{\"advance_s\":7200}");
    CHECK(report_snapshot(sync_counted(s, c, tenant, 0, 0, 2)));
    change_collections(tenant, pick_ids(s));

    json_t *report = sync_counted(s, c, tenant, TOGGL_SYNC_TASKS, 0, 5);
    CHECK(!report_snapshot(report));
    const char *refused = logged(tenant, 5, 3);
    CHECKF(strncmp(refused, "GET /me/tasks?", 14) == 0 && strstr(refused, "since=") != NULL, "%s", refused);
    CHECK_STR(logged(tenant, 5, 4), "GET /me/tasks?include_not_active=true");
    struct entry tasks = report_entry(report, "tasks");
    CHECKF(tasks.upserted == array_size(store_json(s, "tasks", 0)), "tasks upserted %ld", tasks.upserted);
    expect_same_data(s, fresh_snapshot(c, tenant, TOGGL_SYNC_TASKS));
}

/* --- 5. the quota gate ------------------------------------------------------------------------- */

/* Another process, with a client of its own, syncs the store: refused before sending anything. */
static void expect_gate_in_another_process(const char *path, const char *tenant) {
    long before = sandbox_request_count(tenant);
    struct sync_child child = start_sync_child(path, tenant, 0, 0, "none", NULL, NULL);
    int exit_status = -1;
    json_t *result = finish_sync_child(&child, &exit_status);
    CHECKF(h_str_eq(result_step(result), "sync") && result_status(result) == TOGGL_EQUOTA,
           "the other process: %s returned %d: %s", result_step(result), result_status(result),
           result_message(result));
    CHECK_EQ(exit_status, -TOGGL_EQUOTA);
    CHECK(json_integer_value(json_object_get(result, "retry_after")) > 0);
    CHECK_EQ(sandbox_request_count(tenant), before);
}

/* After a failed incremental sync: clients and projects updated, tags and the rest as before. */
static void expect_partial(toggl_store *s, struct picks p, const struct contents *before,
                           time_t sync_started) {
    CHECK(find_id(store_json(s, "clients", 0), p.deleted_client) == NULL);
    json_t *renamed = find_id(store_json(s, "projects", 0), p.renamed_project);
    CHECK(renamed != NULL);
    CHECK_STR(json_string_value(json_object_get(renamed, "name")), "Renamed \xc3\xa9 \"quoted\" \\ back");
    for (size_t i = 0; i < N_COLLECTIONS; i++) {
        int64_t age = store_age(s, collections[i]);
        int64_t now = (int64_t)time(NULL);
        if (strcmp(collections[i], "clients") == 0 || strcmp(collections[i], "projects") == 0) {
            CHECKF(age >= 0 && age <= now - (int64_t)sync_started, "%s: age %lld, refreshed before the sync",
                   collections[i], (long long)age);
            continue;
        }
        expect_json_equal(store_json(s, collections[i], 0), before->all[i], collections[i]);
        int64_t was = refreshed_at(s, collections[i]);
        CHECKF(llabs((long long)(was - before->refreshed[i])) <= 1, "%s was refreshed at %lld, before at %lld",
               collections[i], (long long)was, (long long)before->refreshed[i]);
    }
    int64_t remaining = -2, resets = -2;
    CHECK_OK(toggl_store_quota(s, &remaining, &resets));
    CHECK_EQ(remaining, 0);
    CHECK(resets > 0 && resets <= 3600);
}

/* Snapshot, changes, and ages apart by at least two seconds; returns when the sync may start. */
static time_t gate_setup(toggl_store *s, toggl_client *c, const char *tenant, struct picks *p,
                         struct contents *before) {
    sync_counted(s, c, tenant, 0, 0, 1);
    time_t snapshot_done = time(NULL);
    *p = pick_ids(s);
    change_collections(tenant, *p);
    read_contents(s, before);
    wait_for_local_second(snapshot_done + 2);
    return time(NULL);
}

/* A limit of 3: the snapshot and two refreshes use it up; the response of the second says none
 * remain, so the client refuses the third (tags) without sending it, and the store records the
 * gate for every process. */
TEST(store_quota_gate) {
    const char *tenant = h_tenant();
    const char *path = h_fmt("%s/gate.store", tmpdir());
    SANDBOX_POST(tenant, "config", "{\"quota_limit\":3}");
    toggl_client *c = h_client(tenant);
    toggl_store *s = open_store(path);
    struct picks p;
    struct contents before;
    time_t started = gate_setup(s, c, tenant, &p, &before);

    sync_fails(s, c, tenant, 0, 0, TOGGL_EQUOTA, 2);
    CHECK(toggl_error_retry_after() > 0);
    CHECKF(strncmp(logged(tenant, 2, 0), "GET /me/clients?since=", 22) == 0, "%s", logged(tenant, 2, 0));
    CHECKF(strncmp(logged(tenant, 2, 1), "GET /me/projects?", 17) == 0, "%s", logged(tenant, 2, 1));
    expect_partial(s, p, &before, started);

    /* The same client and another process are refused without a request. */
    sync_fails(s, c, tenant, 0, 0, TOGGL_EQUOTA, 0);
    expect_gate_in_another_process(path, tenant);
}

/* The server's own 402 on the third request of the refresh. */
TEST(store_quota_gate_402) {
    const char *tenant = h_tenant();
    const char *path = h_fmt("%s/gate.store", tmpdir());
    toggl_client *c = h_client(tenant);
    toggl_store *s = open_store(path);
    struct picks p;
    struct contents before;
    time_t started = gate_setup(s, c, tenant, &p, &before);
    SANDBOX_POST(tenant, "faults",
                 "[{\"path\":\"/me/tags\",\"status\":402,\"message\":\"You have hit your hourly limit for "
                 "API calls. Your quota will reset in 1800 seconds.\",\"headers\":{\"X-Toggl-Quota-Remaining\":"
                 "\"0\",\"X-Toggl-Quota-Resets-In\":\"1800\"}}]");

    sync_fails(s, c, tenant, 0, 0, TOGGL_EQUOTA, 3);
    CHECK_EQ(toggl_error_http_status(), 402);
    CHECK(toggl_error_retry_after() > 0 && toggl_error_retry_after() <= 1800);
    CHECKF(strncmp(logged(tenant, 1, 0), "GET /me/tags?", 13) == 0, "%s", logged(tenant, 1, 0));
    expect_partial(s, p, &before, started);
    expect_gate_in_another_process(path, tenant);

    /* A new handle on the file (a restarted app) sees the gate too. */
    toggl_store *again = open_store(path);
    int64_t remaining = -2, resets = -2;
    CHECK_OK(toggl_store_quota(again, &remaining, &resets));
    CHECK_EQ(remaining, 0);
    CHECK(resets > 0 && resets <= 1800);
}

/* A 402 that does not say when the quota resets: the client waits a default time before it
 * sends again (toggl_error_retry_after() > 0), and so must every other process. */
TEST(store_quota_gate_402_without_reset) {
    const char *tenant = h_tenant();
    const char *path = h_fmt("%s/gate.store", tmpdir());
    toggl_client *c = h_client(tenant);
    toggl_store *s = open_store(path);
    sync_counted(s, c, tenant, 0, 0, 1);
    SANDBOX_POST(tenant, "faults", "[{\"path\":\"/me/clients\",\"status\":402,\"body_kind\":\"empty\"}]");
    sync_fails(s, c, tenant, 0, 0, TOGGL_EQUOTA, 1);
    int64_t retry_after = toggl_error_retry_after();
    CHECK(retry_after > 0);
    sync_fails(s, c, tenant, 0, 0, TOGGL_EQUOTA, 0);
    int64_t remaining = -2, resets = -2;
    CHECK_OK(toggl_store_quota(s, &remaining, &resets));
    CHECK_EQ(remaining, 0);
    CHECKF(resets > 0 && resets <= retry_after, "the store says the quota resets in %lld s; the client waits %lld s",
           (long long)resets, (long long)retry_after);
    expect_gate_in_another_process(path, tenant);
}

/* --- 6. a sync killed mid-way ------------------------------------------------------------------- */

TEST(store_kill_mid_sync) {
    const char *tenant = h_tenant();
    const char *path = h_fmt("%s/killed.store", tmpdir());
    toggl_client *c = h_client(tenant);
    toggl_store *s = open_store(path);
    sync_counted(s, c, tenant, TOGGL_SYNC_TASKS, 0, 2);
    time_t snapshot_done = time(NULL);
    change_collections(tenant, pick_ids(s));
    struct contents before;
    read_contents(s, &before);
    /* Ages before and after the child's sync are at least two seconds apart. */
    wait_for_local_second(snapshot_done + 2);

    SANDBOX_POST(tenant, "faults", "[{\"path\":\"/me/projects\",\"action\":\"stall\",\"stall_ms\":60000}]");
    long requests = sandbox_request_count(tenant);
    struct sync_child child = start_sync_child(path, tenant, 0, 0, "none", NULL, NULL);
    /* clients answered (written in the child's open transaction), projects stalled. */
    h_wait_for_requests(tenant, requests + 2);
    CHECKF(strncmp(logged(tenant, 1, 0), "GET /me/projects?", 17) == 0, "%s", logged(tenant, 1, 0));

    /* Meanwhile reads and a new handle do not wait for the child's sync. */
    double t0 = h_now();
    expect_contents(s, &before, true);
    toggl_store *during = open_store(path);
    expect_contents(during, &before, true);
    CHECKF(h_now() - t0 < 2.0 * h_time_scale(), "reads took %.2f s during another process's sync", h_now() - t0);

    h_child_kill(child.child);
    expect_contents(s, &before, true);
    toggl_store *after = open_store(path);
    expect_contents(after, &before, true);

    /* The lock died with the child: a new sync works, and brings the changes. */
    json_t *report = sync_counted(after, c, tenant, 0, 0, 3);
    CHECK(!report_snapshot(report));
    CHECK_EQ(report_entry(report, "clients").deleted, 1);
    expect_same_data(after, fresh_snapshot(c, tenant, TOGGL_SYNC_TASKS));
    expect_same_data(s, after);
}

/* --- 7. two processes at once -------------------------------------------------------------------- */

/* Both children reach the barrier, then start together; returns their results. */
static void two_children(const char *path, const char *tenant, const char *barrier, json_t *results[2],
                         int exits[2]) {
    struct pipe_ends ready = new_pipe(), go = new_pipe();
    struct sync_child children[2];
    for (int i = 0; i < 2; i++)
        children[i] = start_sync_child(path, tenant, 0, 3600, barrier, &ready, &go);
    fd_close_now(ready.w);
    fd_close_now(go.r);
    /* Both are ready (blocked on the go pipe) ... */
    for (int got = 0; got < 2;) {
        struct pollfd pfd = {*ready.r, POLLIN, 0};
        int n = poll(&pfd, 1, (int)(CHILD_BOUND_S * 1000));
        CHECKF(n == 1, "the children did not reach the barrier (%d ready)", got);
        char bytes[2];
        ssize_t r = read(*ready.r, bytes, (size_t)(2 - got));
        CHECKF(r > 0, "a child ended before the barrier (%d ready)", got);
        got += (int)r;
    }
    /* ... and go at once. */
    fd_close_now(go.w);
    for (int i = 0; i < 2; i++) results[i] = finish_sync_child(&children[i], &exits[i]);
}

static void expect_one_sync_spent_it_all(const char *path, const char *tenant, const char *barrier) {
    /* The first snapshot is answered slowly: the other child surely asks for the lock while the
     * first holds it. */
    SANDBOX_POST(tenant, "faults", "[{\"path\":\"/me\",\"delay_ms\":500,\"pass\":true}]");
    json_t *results[2];
    int exits[2];
    two_children(path, tenant, barrier, results, exits);
    long total = 0;
    int snapshots = 0;
    for (int i = 0; i < 2; i++) {
        CHECKF(exits[i] == 0 && result_status(results[i]) == TOGGL_OK, "child %d: %s returned %d: %s", i,
               result_step(results[i]), result_status(results[i]), result_message(results[i]));
        json_t *report = json_object_get(results[i], "report");
        total += report_requests(report);
        if (report_snapshot(report)) snapshots++;
    }
    CHECK_EQ(sandbox_request_count(tenant), 1);
    CHECK_EQ(total, 1);
    CHECK_EQ(snapshots, 1);
    toggl_store *s = open_store(path);
    CHECK_EQ(array_size(store_json(s, "projects", 0)), sandbox_count("projects"));
    CHECK_EQ(file_mode(path), 0600);
}

/* Both open the store first, then sync at once: the second waits for the first's write lock and
 * then finds everything fresh. */
TEST(store_two_processes) {
    const char *tenant = h_tenant();
    const char *path = h_fmt("%s/shared.store", tmpdir());
    expect_one_sync_spent_it_all(path, tenant, "after_open");
}

/* The same with the file created, made a store and synced by two processes at once. */
TEST(store_two_processes_create) {
    const char *tenant = h_tenant();
    const char *path = h_fmt("%s/shared.store", tmpdir());
    expect_one_sync_spent_it_all(path, tenant, "before_open");
}

/* --- 8. cancel ------------------------------------------------------------------------------------ */

struct sync_call {
    toggl_store *store;
    toggl_client *client;
    unsigned flags;
    int64_t max_age;
    int status;
    char *report;
    double ended;   /* 0 while the sync runs; read with ended_at() */
    pthread_t thread;
};

static pthread_mutex_t calls_lock = PTHREAD_MUTEX_INITIALIZER;

static void *sync_body(void *arg) {
    struct sync_call *call = arg;
    char *report = NULL;
    int status = toggl_store_sync(call->store, call->client, call->flags, call->max_age, &report);
    pthread_mutex_lock(&calls_lock);
    call->status = status;
    call->report = report;
    call->ended = h_now();
    pthread_mutex_unlock(&calls_lock);
    return NULL;
}

static double ended_at(struct sync_call *call) {
    pthread_mutex_lock(&calls_lock);
    double ended = call->ended;
    pthread_mutex_unlock(&calls_lock);
    return ended;
}

static void sync_start(struct sync_call *call) {
    CHECK_EQ(pthread_create(&call->thread, NULL, sync_body, call), 0);
}

/* Joins the sync's thread; returns its report (NULL on failure), freed at the end of the test. */
static json_t *sync_join(struct sync_call *call) {
    CHECK_EQ(pthread_join(call->thread, NULL), 0);
    if (call->report == NULL) return NULL;
    return h_parse(h_toggl_defer(call->report));
}

/* Starts the sync on a thread, cancels once the tenant has seen `requests` requests, and returns
 * the seconds from the cancel to the end of the sync. */
static double cancelled_sync(struct sync_call *call, const char *tenant, long requests) {
    sync_start(call);
    h_wait_for_requests(tenant, requests);
    double cancelled = h_now();
    CHECK_OK(toggl_client_cancel(call->client));
    sync_join(call);
    return call->ended - cancelled;
}

TEST(store_cancel) {
    const char *tenant = h_tenant();
    const char *path = h_fmt("%s/cancel.store", tmpdir());
    toggl_client *c = h_client(tenant);
    toggl_store *s = open_store(path);
    sync_counted(s, c, tenant, 0, 0, 1);
    change_collections(tenant, pick_ids(s));
    struct contents before;
    read_contents(s, &before);

    /* The refresh's first request stalls: nothing changes. */
    SANDBOX_POST(tenant, "faults", "[{\"path\":\"/me/clients\",\"action\":\"stall\",\"stall_ms\":20000}]");
    struct sync_call call = {.store = s, .client = c};
    double took = cancelled_sync(&call, tenant, sandbox_request_count(tenant) + 1);
    CHECK_STATUS(call.status, TOGGL_ECANCELED);
    CHECK(call.report == NULL);
    CHECKF(took < CANCEL_BOUND_S * h_time_scale(), "the sync ended %.3f s after the cancel", took);
    expect_contents(s, &before, true);
    toggl_store *reopened = open_store(path);
    expect_contents(reopened, &before, true);

    /* The store and the client go on: the next sync brings the changes. */
    sync_counted(s, c, tenant, 0, 0, 3);
    expect_same_data(s, fresh_snapshot(c, tenant, 0));

    /* A cancelled first snapshot leaves the store empty. */
    toggl_store *empty = open_store(h_fmt("%s.2", path));
    SANDBOX_POST(tenant, "faults", "[{\"path\":\"/me\",\"action\":\"stall\",\"stall_ms\":20000}]");
    struct sync_call first = {.store = empty, .client = c, .flags = TOGGL_SYNC_TASKS};
    took = cancelled_sync(&first, tenant, sandbox_request_count(tenant) + 1);
    CHECK_STATUS(first.status, TOGGL_ECANCELED);
    CHECKF(took < CANCEL_BOUND_S * h_time_scale(), "the snapshot ended %.3f s after the cancel", took);
    CHECK_STR(store_text(empty, "user", 0), "null");
    CHECK_STR(store_text(empty, "projects", 0), "[]");
    for (size_t i = 0; i < N_COLLECTIONS; i++) CHECK_EQ(store_age(empty, collections[i]), -1);
    sync_counted(empty, c, tenant, TOGGL_SYNC_TASKS, 0, 2);
}

/* --- threads and locks ---------------------------------------------------------------------------- */

/* Syncs of one store by two threads take turns: the second waits for the first and finds the
 * data fresh. Reads of a file store do not wait for a sync under way. */
TEST(store_threads) {
    const char *tenant = h_tenant();
    const char *path = h_fmt("%s/threads.store", tmpdir());
    toggl_client *c = h_client(tenant);
    toggl_store *s = open_store(path);
    const double delay_s = 5.0;
    SANDBOX_POST(tenant, "faults", h_fmt("[{\"path\":\"/me\",\"delay_ms\":%d,\"pass\":true}]", (int)(delay_s * 1000)));
    struct sync_call first = {.store = s, .client = c, .max_age = 3600};
    struct sync_call second = first;
    double started = h_now();
    sync_start(&first);
    h_wait_for_requests(tenant, 1);
    sync_start(&second);

    CHECK_STR(store_text(s, "user", 0), "null");
    CHECK_STR(store_text(s, "projects", 0), "[]");
    CHECK_EQ(store_age(s, "projects"), -1);
    int64_t remaining = -2;
    CHECK_OK(toggl_store_quota(s, &remaining, NULL));
    CHECK_EQ(remaining, -1);
    CHECKF(ended_at(&first) == 0, "the reads returned only after the sync (%.2f s)", h_now() - started);

    json_t *a = sync_join(&first), *b = sync_join(&second);
    CHECK_STATUS(first.status, TOGGL_OK);
    CHECK_STATUS(second.status, TOGGL_OK);
    CHECK_EQ(report_requests(a), 1);
    CHECK(report_snapshot(a));
    CHECK_EQ(report_requests(b), 0);
    CHECK(!report_snapshot(b));
    CHECK_EQ(sandbox_request_count(tenant), 1);
    CHECK_EQ(array_size(store_json(s, "projects", 0)), sandbox_count("projects"));
}

/* A sync that waits for another process's write lock: a cancel ends the wait at once, and with
 * no cancel it gives up with TOGGL_ESTORE after 7 of the client's timeouts (+ 10 s), sending
 * nothing either way. */
TEST(store_lock_wait_cancel_and_timeout) {
    const char *tenant = h_tenant();
    const char *path = h_fmt("%s/locked.store", tmpdir());
    toggl_client *c = h_client(tenant);
    toggl_store *s = open_store(path);
    sync_counted(s, c, tenant, 0, 0, 1);
    SANDBOX_POST(tenant, "faults", "[{\"path\":\"/me/projects\",\"action\":\"stall\",\"stall_ms\":60000}]");
    long requests = sandbox_request_count(tenant);
    struct sync_child child = start_sync_child(path, tenant, 0, 0, "none", NULL, NULL);
    h_wait_for_requests(tenant, requests + 2);
    requests = sandbox_request_count(tenant);

    struct sync_call waiting = {.store = s, .client = c};
    sync_start(&waiting);
    /* It waits (for as long as the child's sync may take, minutes) ... */
    double until = h_now() + 0.3 * h_time_scale();
    while (h_now() < until) {
        CHECKF(ended_at(&waiting) == 0, "the sync did not wait for the other process's lock: %d (%s)",
               waiting.status, toggl_status_string(waiting.status));
        struct timespec pause = {0, 5000000};
        nanosleep(&pause, NULL);
    }
    /* ... until cancelled. */
    double cancelled = h_now();
    CHECK_OK(toggl_client_cancel(c));
    sync_join(&waiting);
    CHECK_STATUS(waiting.status, TOGGL_ECANCELED);
    CHECKF(waiting.ended - cancelled < CANCEL_BOUND_S * h_time_scale(), "the sync ended %.3f s after the cancel",
           waiting.ended - cancelled);
    CHECK_EQ(sandbox_request_count(tenant), requests);

    toggl_client *quick = h_client(tenant);
    CHECK_OK(toggl_client_set_timeout_ms(quick, 100));
    double budget = 0.1 * 7 + 10;
    double t0 = h_now();
    sync_fails(s, quick, tenant, 0, 0, TOGGL_ESTORE, 0);
    double waited = h_now() - t0;
    CHECKF(waited >= budget - 0.1 && waited < budget + 5 * h_time_scale(), "gave up after %.2f s, the budget is %.1f s",
           waited, budget);
    CHECKF(strstr(toggl_error_message(), path) != NULL && strstr(toggl_error_message(), "lock") != NULL,
           "the message: %s", toggl_error_message());

    h_child_kill(child.child);
    sync_counted(s, c, tenant, 0, 0, 3);
}

/* --- credentials --------------------------------------------------------------------------------- */

/* A store keeps no credential; another credential of the account costs one GET /me, once; a
 * client of another account is refused before anything is written. */
TEST(store_credentials) {
    const char *tenant = h_tenant();
    const char *path = h_fmt("%s/account.store", tmpdir());
    SANDBOX_POST(tenant, "config", "{\"extra_tokens\":[\"second-token-0123456789abcdef\",\"third-token-0123456789abcdef\"]}");
    toggl_client *c = h_client(tenant);
    toggl_store *s = open_store(path);
    sync_counted(s, c, tenant, TOGGL_SYNC_TASKS, 0, 2);

    toggl_client *second = h_client_defer(toggl_client_new("second-token-0123456789abcdef"));
    CHECK(second != NULL);
    CHECK_OK(toggl_client_set_base_url(second, sandbox_tenant_url(tenant)));
    sync_counted(s, second, tenant, 0, 0, 4);
    CHECK_STR(logged(tenant, 4, 0), "GET /me");
    sync_counted(s, second, tenant, 0, 0, 3);

    /* "Another account": GET /me answers another user id. */
    struct contents before;
    read_contents(s, &before);
    toggl_client *third = h_client_defer(toggl_client_new("third-token-0123456789abcdef"));
    CHECK(third != NULL);
    CHECK_OK(toggl_client_set_base_url(third, sandbox_tenant_url(tenant)));
    /* Nothing due: an unknown credential costs nothing either. */
    sync_counted(s, third, tenant, 0, 3600, 0);
    SANDBOX_POST(tenant, "faults", "[{\"path\":\"/me\",\"action\":\"malformed\","
                                   "\"body\":\"{\\\"id\\\":42,\\\"fullname\\\":\\\"Someone Else\\\"}\"}]");
    sync_fails(s, third, tenant, TOGGL_SYNC_USER, 0, TOGGL_ESTORE, 1);
    CHECK(strstr(toggl_error_message(), path) != NULL);
    expect_contents(s, &before, true);
    /* Refused, it was not remembered: it is asked again (and is this account now). */
    sync_counted(s, third, tenant, 0, 0, 4);

    /* Neither the tokens nor any api_token are in the file. */
    const char *files[] = {path, h_fmt("%s-wal", path)};
    for (int i = 0; i < 2; i++) {
        if (!file_exists(files[i])) continue;
        size_t len = 0;
        char *data = read_file(files[i], &len);
        CHECKF(!contains(data, len, SANDBOX_TOKEN), "%s holds the API token", files[i]);
        CHECKF(!contains(data, len, "second-token"), "%s holds the second token", files[i]);
        CHECKF(!contains(data, len, "api_token"), "%s holds an api_token key", files[i]);
    }
}
