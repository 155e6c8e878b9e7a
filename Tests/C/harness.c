/* harness.c - the runner and the sandbox helpers declared in harness.h. */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700 /* realpath */

#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#define MAX_TESTS 512
#define MAX_DEFERRED 4096
/* Per-test wall-clock limit; generous because the suite runs under valgrind. */
#define TEST_TIMEOUT_S 180

struct test {
    const char *name;
    const char *file;
    test_fn fn;
};

static struct test tests[MAX_TESTS];
static int n_tests;
static int registration_overflow;

static struct {
    void (*fn)(void *);
    void *p;
} deferred[MAX_DEFERRED];
static int n_deferred;

#define MAX_CHILD_FNS 32

static struct {
    const char *name;
    child_fn fn;
} child_fns[MAX_CHILD_FNS];
static int n_child_fns;
static char *self_path; /* this binary, for h_spawn_child */

static jmp_buf test_jump;
static char fail_reason[2048];
static const char *current_test = "";
static int tenant_counter;
static CURL *control;

void harness_register(const char *name, test_fn fn, const char *file) {
    if (n_tests == MAX_TESTS) {
        registration_overflow = 1;
        return;
    }
    tests[n_tests].name = name;
    tests[n_tests].fn = fn;
    tests[n_tests].file = file;
    n_tests++;
}

void h_fail(const char *file, int line, const char *fmt, ...) {
    const char *base = strrchr(file, '/');
    int n = snprintf(fail_reason, sizeof fail_reason, "%s:%d: ", base ? base + 1 : file, line);
    if (n < 0) n = 0;
    if ((size_t)n < sizeof fail_reason) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(fail_reason + n, sizeof fail_reason - (size_t)n, fmt, ap);
        va_end(ap);
    }
    longjmp(test_jump, 1);
}

bool h_str_eq(const char *a, const char *b) {
    if (a == NULL || b == NULL) return a == b;
    return strcmp(a, b) == 0;
}

/* --- cleanup -------------------------------------------------------------------------------- */

void h_defer(void (*fn)(void *), void *p) {
    if (n_deferred == MAX_DEFERRED) {
        fn(p);
        FAILF("too many deferred cleanups");
    }
    deferred[n_deferred].fn = fn;
    deferred[n_deferred].p = p;
    n_deferred++;
}

static void run_deferred(void) {
    while (n_deferred > 0) {
        n_deferred--;
        deferred[n_deferred].fn(deferred[n_deferred].p);
    }
}

char *h_fmt(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) FAILF("h_fmt: bad format");
    char *s = malloc((size_t)n + 1);
    if (s == NULL) FAILF("out of memory");
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    h_defer(free, s);
    return s;
}

static void decref_cb(void *p) { json_decref((json_t *)p); }

json_t *h_json_defer(json_t *j) {
    if (j != NULL) h_defer(decref_cb, j);
    return j;
}

json_t *h_parse(const char *text) {
    if (text == NULL) FAILF("h_parse(NULL)");
    json_error_t error;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &error);
    if (j == NULL) FAILF("not JSON (%s): %.200s", error.text, text);
    return h_json_defer(j);
}

size_t h_array_size(const char *json_text) {
    json_t *j = h_parse(json_text);
    CHECKF(json_is_array(j), "expected a JSON array: %.200s", json_text);
    return json_array_size(j);
}

static void client_free_cb(void *p) { toggl_client_free((toggl_client *)p); }
static void pager_free_cb(void *p) { toggl_pager_free((toggl_pager *)p); }
static void toggl_free_cb(void *p) { toggl_free(p); }

toggl_client *h_client_defer(toggl_client *client) {
    if (client != NULL) h_defer(client_free_cb, client);
    return client;
}

toggl_pager *h_pager_defer(toggl_pager *pager) {
    if (pager != NULL) h_defer(pager_free_cb, pager);
    return pager;
}

char *h_toggl_defer(char *text) {
    if (text != NULL) h_defer(toggl_free_cb, text);
    return text;
}

toggl_client *h_client(const char *tenant) {
    toggl_client *c = toggl_client_new(SANDBOX_TOKEN);
    CHECKF(c != NULL, "toggl_client_new failed: %s", toggl_error_message());
    h_defer(client_free_cb, c);
    CHECK_OK(toggl_client_set_base_url(c, sandbox_tenant_url(tenant)));
    return c;
}

toggl_client *h_client_basic(const char *tenant, const char *email, const char *password) {
    toggl_client *c = toggl_client_new_with_password(email, password);
    CHECKF(c != NULL, "toggl_client_new_with_password failed: %s", toggl_error_message());
    h_defer(client_free_cb, c);
    CHECK_OK(toggl_client_set_base_url(c, sandbox_tenant_url(tenant)));
    return c;
}

void h_expect_no_error(void) {
    CHECK_EQ(toggl_error_code(), TOGGL_OK);
    CHECK(toggl_error_message() != NULL);
    CHECK_STR(toggl_error_message(), "");
    CHECK_EQ(toggl_error_http_status(), 0);
    CHECK_EQ(toggl_error_retry_after(), -1);
}

double h_time_scale(void) {
    const char *scale = getenv("H_TIME_SCALE");
    double value = scale != NULL ? strtod(scale, NULL) : 1.0;
    return value >= 1.0 ? value : 1.0;
}

void h_wait_for_requests(const char *tenant, long count) {
    double deadline = h_now() + 10.0 * h_time_scale();
    while (sandbox_request_count(tenant) < count) {
        CHECKF(h_now() < deadline, "%ld requests did not reach the sandbox", count);
        struct timespec pause = {0, 2000000};
        nanosleep(&pause, NULL);
    }
}

double h_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- sandbox control (libcurl, main thread only) ------------------------------------------- */

struct buffer {
    char *data;
    size_t len;
};

static size_t collect(char *ptr, size_t size, size_t nmemb, void *userdata) {
    struct buffer *b = userdata;
    size_t n = size * nmemb;
    char *grown = realloc(b->data, b->len + n + 1);
    if (grown == NULL) return 0;
    b->data = grown;
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

/* One request to the control API; returns the HTTP status (0 on failure), body in *out. */
static long control_request(const char *url, const char *post_body, struct buffer *out) {
    out->data = NULL;
    out->len = 0;
    if (control == NULL) control = curl_easy_init();
    if (control == NULL) return 0;
    curl_easy_reset(control);
    curl_easy_setopt(control, CURLOPT_URL, url);
    curl_easy_setopt(control, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(control, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(control, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(control, CURLOPT_NOSIGNAL, 1L);
    struct curl_slist *headers = NULL;
    if (post_body != NULL) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
        curl_easy_setopt(control, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(control, CURLOPT_POSTFIELDS, post_body);
    }
    CURLcode rc = curl_easy_perform(control);
    long status = 0;
    if (rc == CURLE_OK) curl_easy_getinfo(control, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_setopt(control, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
    curl_slist_free_all(headers);
    return status;
}

const char *sandbox_base(void) {
    const char *base = getenv("TOGGL_SANDBOX_URL");
    if (base == NULL || base[0] == '\0') FAILF("TOGGL_SANDBOX_URL is not set");
    return base;
}

const char *h_tenant(void) {
    char name[65];
    snprintf(name, sizeof name, "c%ld_%d_%.40s", (long)getpid(), ++tenant_counter, current_test);
    return h_fmt("%s", name);
}

const char *sandbox_tenant_url(const char *tenant) {
    return h_fmt("%s/t/%s/api/v9", sandbox_base(), tenant);
}

int sandbox_post(const char *tenant, const char *what, const char *json) {
    const char *url = h_fmt("%s/t/%s/__sandbox/%s", sandbox_base(), tenant, what);
    struct buffer out;
    long status = control_request(url, json ? json : "{}", &out);
    if (status != 200) fprintf(stderr, "  sandbox POST %s -> %ld: %s\n", what, status, out.data ? out.data : "");
    free(out.data);
    return (int)status;
}

/* GETs a control URL; the caller decrefs the JSON answer. */
static json_t *control_get_url(const char *url, const char *what) {
    struct buffer out;
    long status = control_request(url, NULL, &out);
    json_t *j = NULL;
    if (status == 200 && out.data != NULL) j = json_loads(out.data, JSON_DECODE_ANY, NULL);
    free(out.data);
    if (j == NULL) FAILF("sandbox GET %s failed (HTTP %ld)", what, status);
    return j;
}

static json_t *control_get_json(const char *tenant, const char *what) {
    return control_get_url(h_fmt("%s/t/%s/__sandbox/%s", sandbox_base(), tenant, what), what);
}

json_t *sandbox_get(const char *tenant, const char *what) {
    return h_json_defer(control_get_json(tenant, what));
}

/* --- the seed's counts ------------------------------------------------------------------------ */

static json_t *manifest; /* asked once, freed when the runner ends */

static long manifest_count(json_t *m, const char *key, const char *what) {
    json_t *value = json_object_get(m, key);
    CHECKF(json_is_integer(value), "the sandbox %s has no count \"%s\"", what, key);
    return (long)json_integer_value(value);
}

long sandbox_count(const char *key) {
    if (manifest == NULL) {
        json_t *m = control_get_url(h_fmt("%s/__sandbox/manifest", sandbox_base()), "manifest");
        if (!json_is_object(m)) {
            json_decref(m);
            FAILF("the sandbox manifest is not a JSON object");
        }
        manifest = m;
    }
    return manifest_count(manifest, key, "manifest");
}

long sandbox_count_since(const char *key, int64_t since) {
    json_t *m = h_json_defer(control_get_url(
        h_fmt("%s/__sandbox/manifest?since=%lld", sandbox_base(), (long long)since), "manifest?since"));
    return manifest_count(m, key, h_fmt("manifest since %lld", (long long)since));
}

long h_walk_requests(long total, long per_page) {
    CHECK(total >= 0 && per_page > 0);
    return total / per_page + 1;
}

long h_walk_pages(long total, long per_page) {
    CHECK(total >= 0 && per_page > 0);
    return (total + per_page - 1) / per_page;
}

long h_exact_page_size(long total, long at_most) {
    for (long size = at_most < total / 2 ? at_most : total / 2; size >= 2; size--)
        if (total % size == 0) return size;
    FAILF("no page size up to %ld divides %ld items into whole pages", at_most, total);
}

long sandbox_request_count(const char *tenant) {
    json_t *j = h_json_defer(control_get_json(tenant, "requests/count"));
    json_t *count = json_object_get(j, "count");
    CHECKF(json_is_integer(count), "sandbox requests/count has no integer count");
    return (long)json_integer_value(count);
}

json_t *sandbox_requests(const char *tenant) {
    json_t *j = control_get_json(tenant, "requests");
    if (!json_is_array(j)) {
        json_decref(j);
        FAILF("sandbox GET requests is not an array");
    }
    return j;
}

json_t *sandbox_last_request(const char *tenant) {
    json_t *all = h_json_defer(sandbox_requests(tenant));
    size_t n = json_array_size(all);
    CHECKF(n > 0, "the sandbox received no request");
    return json_array_get(all, n - 1);
}

void h_expect_last_request(const char *tenant, const char *method, const char *path, const char *query) {
    json_t *r = sandbox_last_request(tenant);
    CHECK_STR(json_string_value(json_object_get(r, "method")), method);
    CHECK_STR(json_string_value(json_object_get(r, "path")), path);
    CHECK_STR(json_string_value(json_object_get(r, "query")), query);
}

int h_closed_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(fd >= 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        close(fd);
        FAILF("cannot bind a local port");
    }
    close(fd);
    return ntohs(addr.sin_port);
}

/* --- child processes -------------------------------------------------------------------------- */

void harness_register_child(const char *name, child_fn fn) {
    if (n_child_fns == MAX_CHILD_FNS) {
        registration_overflow = 1;
        return;
    }
    child_fns[n_child_fns].name = name;
    child_fns[n_child_fns].fn = fn;
    n_child_fns++;
}

struct h_child {
    pid_t pid;
    bool reaped;
};

static void child_cleanup(void *p) {
    struct h_child *child = p;
    if (!child->reaped) {
        kill(child->pid, SIGKILL);
        while (waitpid(child->pid, NULL, 0) < 0 && errno == EINTR) {}
    }
    free(child);
}

struct h_child *h_spawn_child(const char *name, const char *const *args, const int *fds, int n_fds) {
    CHECKF(self_path != NULL, "the test binary's path is unknown");
    CHECK(n_fds >= 0 && n_fds <= 16);
    size_t n_args = 0;
    while (args != NULL && args[n_args] != NULL) n_args++;
    char **argv = calloc(n_args + 4, sizeof *argv);
    CHECK(argv != NULL);
    h_defer(free, argv);
    argv[0] = self_path;
    argv[1] = (char *)"--child";
    argv[2] = (char *)name;
    for (size_t i = 0; i < n_args; i++) argv[3 + i] = (char *)args[i];

    /* Each fd is first copied above any target number (a source among 3..3+n would otherwise be
     * overwritten by an earlier dup2, and dup2 of an fd onto itself keeps FD_CLOEXEC). */
    int high[16];
    posix_spawn_file_actions_t actions;
    CHECK_EQ(posix_spawn_file_actions_init(&actions), 0);
    int rc = 0;
    for (int i = 0; i < n_fds; i++) {
        high[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 64);
        if (high[i] < 0 || posix_spawn_file_actions_adddup2(&actions, high[i], 3 + i) != 0) rc = -1;
    }
    extern char **environ;
    struct h_child *child = calloc(1, sizeof *child);
    pid_t pid = -1;
    if (rc == 0 && child != NULL) rc = posix_spawn(&pid, self_path, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    for (int i = 0; i < n_fds; i++)
        if (high[i] >= 0) close(high[i]);
    if (child == NULL) FAILF("out of memory");
    if (rc != 0) {
        free(child);
        FAILF("posix_spawn of child %s failed (%d)", name, rc);
    }
    child->pid = pid;
    h_defer(child_cleanup, child);
    return child;
}

static int child_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 255;
}

int h_child_wait(struct h_child *child, double timeout_s) {
    CHECK(!child->reaped);
    double deadline = h_now() + timeout_s;
    for (;;) {
        int status = 0;
        pid_t r = waitpid(child->pid, &status, WNOHANG);
        if (r == child->pid) {
            child->reaped = true;
            return child_status(status);
        }
        CHECKF(r == 0 || errno == EINTR, "waitpid failed");
        CHECKF(h_now() < deadline, "child %ld did not exit within %.1f s", (long)child->pid, timeout_s);
        struct timespec pause = {0, 2000000};
        nanosleep(&pause, NULL);
    }
}

void h_child_kill(struct h_child *child) {
    CHECK(!child->reaped);
    CHECK_EQ(kill(child->pid, SIGKILL), 0);
    int status = 0;
    while (waitpid(child->pid, &status, 0) < 0) CHECKF(errno == EINTR, "waitpid failed");
    child->reaped = true;
}

static int run_child(int argc, char **argv) {
    for (int i = 0; i < n_child_fns; i++)
        if (strcmp(child_fns[i].name, argv[2]) == 0) return child_fns[i].fn(argc - 3, argv + 3);
    fprintf(stderr, "no child function %s\n", argv[2]);
    return 125;
}

/* --- runner ------------------------------------------------------------------------------------ */

static void on_alarm(int sig) {
    (void)sig;
    static const char prefix[] = "FAIL ";
    static const char suffix[] = ": timed out (harness limit)\n";
    ssize_t ignored = write(STDOUT_FILENO, prefix, sizeof prefix - 1);
    ignored = write(STDOUT_FILENO, current_test, strlen(current_test));
    ignored = write(STDOUT_FILENO, suffix, sizeof suffix - 1);
    (void)ignored;
    _exit(3);
}

static bool selected(const char *name, int argc, char **argv) {
    if (argc <= 1) return true;
    for (int i = 1; i < argc; i++)
        if (strstr(name, argv[i]) != NULL) return true;
    return false;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (registration_overflow) {
        printf("FAIL harness: more than %d tests or %d child functions\n", MAX_TESTS, MAX_CHILD_FNS);
        return 2;
    }
    if (argc >= 3 && strcmp(argv[1], "--child") == 0) return run_child(argc, argv);
    self_path = realpath(argv[0], NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    signal(SIGALRM, on_alarm);
    signal(SIGPIPE, SIG_IGN);

    int passed = 0, failed = 0;
    for (int i = 0; i < n_tests; i++) {
        if (!selected(tests[i].name, argc, argv)) continue;
        current_test = tests[i].name;
        fail_reason[0] = '\0';
        alarm(TEST_TIMEOUT_S);
        if (setjmp(test_jump) == 0) {
            tests[i].fn();
            run_deferred();
            alarm(0);
            passed++;
            printf("ok %s\n", tests[i].name);
        } else {
            run_deferred();
            alarm(0);
            failed++;
            printf("FAIL %s: %s\n", tests[i].name, fail_reason);
        }
    }
    if (control != NULL) curl_easy_cleanup(control);
    json_decref(manifest);
    free(self_path);
    curl_global_cleanup();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}
