/*
 * toggl.h - libtoggl, a client for the Toggl Track API v9 "me" endpoints.
 *
 * CONVENTIONS (they hold for every function below unless its comment says otherwise)
 *
 * Status codes
 *   Every function that can fail returns an int: TOGGL_OK (0), TOGGL_DONE (1, a pager has no
 *   more pages) or one of the negative TOGGL_E* codes of enum toggl_status. The numeric values
 *   are part of the ABI and never change. Constructors return NULL instead of a code.
 *
 * Error details
 *   Like git_error_last(), details of the last failure are kept per thread:
 *   toggl_error_code(), toggl_error_message(), toggl_error_http_status() and
 *   toggl_error_retry_after(). Every call that returns a status or constructs an object resets
 *   them on entry (code TOGGL_OK, message "", HTTP status 0, retry-after -1) and sets them when
 *   it fails, so they describe the most recent such call on the calling thread. The message
 *   pointer is valid until the next libtoggl call on that thread. No message ever contains a
 *   password or an API token.
 *
 * Results and ownership
 *   An endpoint first sets *out_json to NULL; on success it points it at a NUL-terminated UTF-8
 *   JSON document the caller owns and frees with toggl_free(). On failure *out_json stays NULL.
 *   The caller owns every toggl_client and toggl_pager it creates and frees it with
 *   toggl_client_free() / toggl_pager_free(). Every _free function accepts NULL (no-op).
 *   Strings passed in are copied; the caller keeps ownership of them.
 *
 * Arguments
 *   NULL for any pointer parameter, invalid UTF-8 in any string, a negative per_page, a
 *   `since` after the year 9999 (> 253402300799) or a PUT body that is not a JSON object is
 *   TOGGL_EINVAL, and nothing is sent. A setter checks its value when it is called: a value
 *   that would break later calls is TOGGL_EINVAL there, never at the next call.
 *   `since`, `start_project_id` and `offset` <= 0 and `false` booleans mean "leave the query
 *   parameter out"; per_page 0 means "the server's default". `since` is a UNIX timestamp in
 *   seconds; `offset` counts items. All strings are UTF-8. TOGGL_EINVAL always means the
 *   caller's mistake: whatever a server answers is reported with another code.
 *
 * JSON
 *   A response is checked to be well-formed JSON of the documented top-level shape (object,
 *   array, or null where documented) and handed over unchanged; unknown or re-typed fields
 *   never make a call fail.
 *
 * Policy defaults (per client, see the setters)
 *   Base URL https://api.track.toggl.com/api/v9; connect timeout 10 s; total timeout 60 s for
 *   the whole call, retries and waits included; a response slower than 1 byte/s for 30 s fails
 *   with TOGGL_ETIMEOUT; 2 retries, for GET only, on HTTP 429, 5xx, resets and connect
 *   failures, waiting Retry-After or a jittered exponential backoff; a Retry-After longer than
 *   30 s or than the time left is not slept through: the call fails with
 *   toggl_error_retry_after() set. After HTTP 402 (or a response reporting 0 requests
 *   remaining) every call on that client fails locally with TOGGL_EQUOTA, sending nothing,
 *   until the quota resets; when the server does not say when, for 60 s. Numbers in
 *   headers are clamped (a quota reset or Retry-After to at most a day). Responses over
 *   64 MiB fail with TOGGL_ETOOLARGE while streaming; headers over 256 KiB likewise. TLS
 *   verification is never turned off.
 *
 * Redirects
 *   A GET follows at most 3 redirects, and only within the origin (scheme, host and port) of
 *   the base URL, so credentials never leave it. A PUT never follows a redirect: it is sent
 *   exactly once. A 3xx that is not followed (another origin, a PUT, no usable Location, a
 *   fourth redirect, 304) fails with TOGGL_EREQUEST, its status in toggl_error_http_status()
 *   and its target in the message.
 *
 * Memory and time
 *   A call holds at most the response body (bounded by the size cap) and a copy handed to the
 *   caller, plus a small constant: peak memory stays within about 2 times the body's size,
 *   whatever the body holds (a 64 MiB page of `{}` included; pagination reads the page's count
 *   and last id without building a tree). Error messages are built from the first 16 KiB of an
 *   error body. Every call ends by its total timeout.
 *
 * Secrets
 *   No error message contains the API token, the password, the Basic credential (base64), a
 *   password sent in a PUT /me body, or a fragment of any of them: they are matched ignoring
 *   case, white space, JSON escapes, HTML entities and percent-encoding, and replaced by
 *   "[redacted]" before the message is clipped to 300 characters.
 *
 * Threads
 *   A toggl_client may be used from many threads at once. A toggl_pager may be used by one
 *   thread at a time. The library never prints, never exits and never aborts on bad input.
 */
#ifndef TOGGL_H
#define TOGGL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The version of this header (the repository's VERSION file; a test fails when they differ).
 * toggl_version() and toggl_version_number() give the version of the library actually loaded,
 * which may be another one: compare them to see which one a program runs against.
 * TOGGL_VERSION_NUMBER is MAJOR * 1000000 + MINOR * 1000 + PATCH (2000 for 0.2.0), like
 * SQLITE_VERSION_NUMBER: a later version has a greater number, usable in #if.
 */
#define TOGGL_VERSION_MAJOR 0
#define TOGGL_VERSION_MINOR 2
#define TOGGL_VERSION_PATCH 0
#define TOGGL_VERSION "0.2.0"
#define TOGGL_VERSION_NUMBER \
    (TOGGL_VERSION_MAJOR * 1000000 + TOGGL_VERSION_MINOR * 1000 + TOGGL_VERSION_PATCH)

#if defined(__GNUC__) || defined(__clang__)
#define TOGGL_API __attribute__((visibility("default")))
#else
#define TOGGL_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** A connection to the API: credentials, configuration, pooled connections, quota state. */
typedef struct toggl_client toggl_client;

/** A walk over the pages of a paginated endpoint. */
typedef struct toggl_pager toggl_pager;

/** A local mirror of the account's data (SQLite), synced through a client. @since 0.2.0 */
typedef struct toggl_store toggl_store;

/**
 * Status codes. Functions return them as int; the values never change, and new codes only ever
 * get new values. toggl_status_string() names each of them.
 */
enum toggl_status {
    TOGGL_OK = 0,         /**< Success. */
    TOGGL_DONE = 1,       /**< A pager has no more pages. */
    TOGGL_EINVAL = -1,    /**< Bad argument: NULL, negative page size, invalid UTF-8, a body that
                               is not a JSON object. Nothing was sent. */
    TOGGL_ENETWORK = -2,  /**< DNS, connect, TLS, a reset connection, or a peer that does not
                               speak HTTP (an unparsable status line, a status outside 100-599,
                               a final 1xx). */
    TOGGL_ETIMEOUT = -3,  /**< A configured timeout elapsed. */
    TOGGL_EAUTH = -4,     /**< HTTP 401 or 403. */
    TOGGL_ENOTFOUND = -5, /**< HTTP 404. */
    TOGGL_EREQUEST = -6,  /**< Any other 4xx, or a 3xx that is not followed (see Redirects);
                               the message carries the server's text or the redirect target. */
    TOGGL_EQUOTA = -7,    /**< HTTP 402: the hourly quota is spent; toggl_error_retry_after()
                               says when it resets. */
    TOGGL_ERATELIMIT = -8, /**< HTTP 429 still after the configured retries. */
    TOGGL_ESERVER = -9,   /**< HTTP 5xx still after the configured retries. */
    TOGGL_EDECODE = -10,  /**< The response is not the JSON the API documents. */
    TOGGL_ETOOLARGE = -11, /**< The response passed the configured size cap. */
    TOGGL_EINTERNAL = -12, /**< A bug in libtoggl, or this libcurl lacks a feature libtoggl
                               needs (the message names the option). */
    TOGGL_ECANCELED = -13, /**< toggl_client_cancel() ended the call. */
    TOGGL_ESTORE = -14    /**< The local store: not a libtoggl store, a newer schema, locked
                               past its busy timeout, disk I/O. */
};

/* ------------------------------------------------------------------------------------------ */
/* Version, errors, memory                                                                    */
/* ------------------------------------------------------------------------------------------ */

/**
 * The version of the library loaded at run time, "MAJOR.MINOR.PATCH", e.g. "0.2.0": the
 * TOGGL_VERSION of the build that produced the library, which may differ from the header a
 * program was compiled with.
 *
 * @return a static string; never NULL, never to be freed. Thread-safe. Does not change the
 *         error details.
 */
TOGGL_API const char *toggl_version(void);

/**
 * The version of the library loaded at run time as a number, MAJOR * 1000000 + MINOR * 1000 +
 * PATCH (2000 for 0.2.0): the TOGGL_VERSION_NUMBER of the build that produced the library, like
 * sqlite3_libversion_number(). A program can compare it with the header it was compiled against,
 * e.g. refuse to run when toggl_version_number() < TOGGL_VERSION_NUMBER (a library older than
 * the header may lack functions the header declares).
 *
 * @return the number; later versions return greater numbers. Thread-safe. Does not change the
 *         error details.
 */
TOGGL_API int toggl_version_number(void);

/**
 * A short, static, human-readable name for a status code, distinct for each code of
 * enum toggl_status (e.g. "ok", "timeout", "cancelled"); "unknown status" for any other value.
 *
 * @param code  any int.
 * @return a static string, valid for the life of the process; never NULL or empty, never to be
 *         freed. Thread-safe. Does not change the error details.
 */
TOGGL_API const char *toggl_status_string(int code);

/**
 * The status code of the last call on this thread (TOGGL_OK when it succeeded or when no call
 * was made yet). Does not change the error details. Thread-safe (per-thread state).
 */
TOGGL_API int toggl_error_code(void);

/**
 * A readable description of the last failure on this thread: for HTTP errors, the server's
 * text (a JSON string unquoted, plain text, or the title of an HTML page).
 *
 * @return never NULL; "" when the last call succeeded or no call failed yet on this thread.
 *         Owned by the library, valid until the next libtoggl call on this thread; copy it to
 *         keep it. Never contains a password or an API token. Does not change the error details.
 */
TOGGL_API const char *toggl_error_message(void);

/**
 * The HTTP status of the response behind the last failure on this thread, or 0 when there was
 * no response (bad argument, network error, timeout, local quota fail-fast) or no failure.
 * Does not change the error details.
 */
TOGGL_API int toggl_error_http_status(void);

/**
 * Seconds until a new attempt of the last failed call on this thread can succeed (the quota
 * reset after TOGGL_EQUOTA, a Retry-After that was not waited out), or -1 when unknown or
 * when the last call succeeded. Does not change the error details.
 */
TOGGL_API int64_t toggl_error_retry_after(void);

/**
 * Frees a string returned by libtoggl (every *out_json).
 *
 * @param p  a pointer libtoggl handed out, or NULL (no-op). Freeing anything else, or twice, is
 *           undefined behaviour. Thread-safe.
 */
TOGGL_API void toggl_free(void *p);

/* ------------------------------------------------------------------------------------------ */
/* Clients                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/**
 * Creates a client that authenticates with an API token (sent as Basic "<token>:api_token").
 * Nothing is sent until the first endpoint call.
 *
 * @param api_token  the token from the Toggl profile page; non-empty UTF-8 without control
 *                   characters or ':'. Copied.
 * @return a new client to free with toggl_client_free(), or NULL with the thread's error
 *         details set (TOGGL_EINVAL for a NULL or bad token). Thread-safe.
 */
TOGGL_API toggl_client *toggl_client_new(const char *api_token);

/**
 * Creates a client that authenticates with email and password (sent as Basic
 * "<email>:<password>"). Nothing is sent until the first endpoint call.
 *
 * @param email     non-empty UTF-8 without control characters or ':'. Copied.
 * @param password  non-empty UTF-8 without control characters. Copied.
 * @return a new client to free with toggl_client_free(), or NULL with the thread's error
 *         details set (TOGGL_EINVAL for a NULL or bad argument). Thread-safe.
 * @since 0.2.0
 */
TOGGL_API toggl_client *toggl_client_new_with_password(const char *email, const char *password);

/**
 * The 0.1 name of toggl_client_new_with_password(), kept as an alias with the same behaviour
 * (token authentication is HTTP Basic too, so the name misled). New code should use
 * toggl_client_new_with_password().
 */
TOGGL_API toggl_client *toggl_client_new_basic(const char *email, const char *password);

/**
 * Frees a client and its connections. No call on it may be in progress (end them with
 * toggl_client_cancel() first). A pager keeps what it needs of its client alive: pagers
 * created from this client stay usable after this call and are freed on their own with
 * toggl_pager_free().
 *
 * @param client  the client, or NULL (no-op).
 */
TOGGL_API void toggl_client_free(toggl_client *client);

/**
 * Ends every call on this client that began before this one, from any thread: each returns
 * TOGGL_ECANCELED within 100 ms (a transfer under way is aborted and its connection closed; a
 * wait between retries is cut short). Calls that begin after it are unaffected, so the client
 * stays usable. A cancelled toggl_pager_next() may be called again and fetches the same page.
 * A cancelled toggl_me_update() may or may not have been applied by the server.
 *
 * @param client  the client.
 * @return TOGGL_OK, or TOGGL_EINVAL (NULL client). Thread-safe; not async-signal-safe (do not
 *         call it from a signal handler: set a flag there, and cancel from a thread).
 * @since 0.2.0
 */
TOGGL_API int toggl_client_cancel(toggl_client *client);

/**
 * Sets the API base URL, everything up to and including "/api/v9"; a trailing slash is
 * ignored. Default "https://api.track.toggl.com/api/v9".
 *
 * @param client  the client.
 * @param url     an http:// or https:// URL with a host, UTF-8, no spaces or control
 *                characters, no user information, query or fragment, at most 4096 bytes,
 *                and one libcurl's URL parser accepts (a port up to 65535, closed IPv6
 *                brackets). Copied.
 * @return TOGGL_OK, or TOGGL_EINVAL (NULL, invalid URL; the old value is kept).
 *         Thread-safe; applies to calls that start afterwards.
 */
TOGGL_API int toggl_client_set_base_url(toggl_client *client, const char *url);

/**
 * Sets the timeout of a whole call: every attempt, retry and wait included. Default 60000.
 *
 * @param client    the client.
 * @param total_ms  milliseconds, 1 to 86400000 (a day).
 * @return TOGGL_OK, or TOGGL_EINVAL (NULL client, total_ms out of range).
 *         Thread-safe; applies to calls that start afterwards.
 */
TOGGL_API int toggl_client_set_timeout_ms(toggl_client *client, long total_ms);

/**
 * Sets the timeout for establishing one connection (DNS, TCP, TLS). Default 10000.
 *
 * @param client  the client.
 * @param ms      milliseconds, 1 to 86400000 (a day).
 * @return TOGGL_OK, or TOGGL_EINVAL (NULL client, ms out of range).
 *         Thread-safe; applies to calls that start afterwards.
 */
TOGGL_API int toggl_client_set_connect_timeout_ms(toggl_client *client, long ms);

/**
 * Sets how often a GET is retried on HTTP 429, 5xx, a reset connection or a failed connect.
 * PUT is never retried. Default 2.
 *
 * @param client   the client.
 * @param retries  0 to 10; 0 disables retries.
 * @return TOGGL_OK, or TOGGL_EINVAL (NULL client, retries out of range).
 *         Thread-safe; applies to calls that start afterwards.
 */
TOGGL_API int toggl_client_set_max_retries(toggl_client *client, int retries);

/**
 * Sets the User-Agent header. Default "libtoggl/<version>".
 *
 * @param client  the client.
 * @param ua      UTF-8 of at most 1024 bytes, without control characters (C0, DEL, C1,
 *                U+2028, U+2029). Copied.
 * @return TOGGL_OK, or TOGGL_EINVAL (NULL, invalid UTF-8, control characters, too long).
 *         Thread-safe; applies to calls that start afterwards.
 */
TOGGL_API int toggl_client_set_user_agent(toggl_client *client, const char *ua);

/**
 * Verifies TLS servers against the PEM bundle at `path` instead of the system's CA store.
 * Verification is never turned off. The file is read when connections are made; an unusable
 * file makes HTTPS calls fail with TOGGL_ENETWORK.
 *
 * @param client  the client.
 * @param path    a non-empty UTF-8 file path of at most 4096 bytes, without control
 *                characters. Copied.
 * @return TOGGL_OK, or TOGGL_EINVAL (NULL, empty, invalid UTF-8, control characters).
 *         Thread-safe; applies to calls that start afterwards.
 */
TOGGL_API int toggl_client_set_ca_file(toggl_client *client, const char *path);

/**
 * Sets the size cap for one response body; a larger response is aborted while streaming and
 * the call fails with TOGGL_ETOOLARGE. Default 64 MiB (67108864).
 *
 * @param client  the client.
 * @param bytes   > 0. Any value is safe: a Content-Length header is never trusted for more
 *                than a 4 MiB allocation; the body grows as it arrives.
 * @return TOGGL_OK, or TOGGL_EINVAL (NULL client, bytes <= 0).
 *         Thread-safe; applies to calls that start afterwards.
 */
TOGGL_API int toggl_client_set_max_response_bytes(toggl_client *client, int64_t bytes);

/**
 * Chooses what happens once the quota is known to be spent, i.e. after HTTP 402 or a response
 * reporting 0 requests remaining. Default true: every call on this client then fails locally
 * with TOGGL_EQUOTA (toggl_error_retry_after() set, HTTP status 0), sending nothing, until the
 * reset time. false: requests are sent anyway.
 *
 * @param client   the client.
 * @param enabled  true to fail fast, false to always send.
 * @return TOGGL_OK, or TOGGL_EINVAL (NULL client).
 *         Thread-safe; applies to calls that start afterwards.
 */
TOGGL_API int toggl_client_set_quota_fail_fast(toggl_client *client, bool enabled);

/**
 * Cuts off a response that stays slower than `bytes_per_second` for `seconds`; the call fails
 * with TOGGL_ETIMEOUT. Default 1 byte/s over 30 s.
 *
 * @param client            the client.
 * @param bytes_per_second  0 to 1073741824 (1 GiB); 0 disables the check (`seconds` is then
 *                          ignored).
 * @param seconds           1 to 86400 (a day) when bytes_per_second > 0.
 * @return TOGGL_OK, or TOGGL_EINVAL (NULL client, a value out of range).
 *         Thread-safe; applies to calls that start afterwards.
 */
TOGGL_API int toggl_client_set_low_speed_limit(toggl_client *client, long bytes_per_second,
                                               long seconds);

/**
 * The quota last reported by the server (X-Toggl-Quota-Remaining and X-Toggl-Quota-Resets-In
 * headers) to this client. Sends nothing; see toggl_quota_get() to ask the server.
 *
 * @param client       the client.
 * @param remaining    receives the requests left in the window, or -1 when no response has
 *                     reported it yet.
 * @param resets_in_s  receives the seconds until the window resets (the reported value counted
 *                     down to now, never below 0), or -1 when unknown.
 * @return TOGGL_OK, or TOGGL_EINVAL (a NULL argument). Thread-safe.
 */
TOGGL_API int toggl_client_quota(toggl_client *client, int64_t *remaining, int64_t *resets_in_s);

/* ------------------------------------------------------------------------------------------ */
/* Endpoints                                                                                  */
/*                                                                                            */
/* Each one sends one request (plus retries, GET only), blocks until it is answered or fails, */
/* and is safe to call from many threads on the same client. Each sets *out_json to NULL      */
/* first; on TOGGL_OK *out_json is a JSON document to free with toggl_free(). Besides the     */
/* codes listed, each can return TOGGL_EINVAL (NULL argument), TOGGL_ENETWORK, TOGGL_ETIMEOUT, */
/* TOGGL_EAUTH, TOGGL_ENOTFOUND, TOGGL_EREQUEST, TOGGL_EQUOTA, TOGGL_ERATELIMIT, TOGGL_ESERVER,*/
/* TOGGL_EDECODE, TOGGL_ETOOLARGE, TOGGL_EINTERNAL and TOGGL_ECANCELED as described at enum   */
/* toggl_status.                                                                              */
/* ------------------------------------------------------------------------------------------ */

/**
 * GET /me: the current user.
 *
 * @param client             the client.
 * @param with_related_data  true sends with_related_data=true (adds clients, projects, tags,
 *                           tasks, time entries and workspaces); false leaves it out.
 * @param out_json           receives a JSON object.
 * @return TOGGL_OK or a negative TOGGL_E* code.
 */
TOGGL_API int toggl_me_get(toggl_client *client, bool with_related_data, char **out_json);

/**
 * PUT /me: changes the current user (beginning_of_week, country_id, current_password,
 * default_workspace_id, email, fullname, password, timezone). Never retried.
 *
 * @param client       the client.
 * @param json_object  a UTF-8 JSON object, sent unchanged, e.g. {"fullname":"Ada"}. Copied.
 * @param out_json     receives the updated user, a JSON object.
 * @return TOGGL_OK; TOGGL_EINVAL when json_object is NULL, invalid UTF-8, malformed JSON or
 *         not an object (nothing sent); TOGGL_EREQUEST with the server's text (e.g.
 *         "Invalid beginning_of_week") for a rejected field; or another negative code.
 */
TOGGL_API int toggl_me_update(toggl_client *client, const char *json_object, char **out_json);

/**
 * GET /me/logged: checks that the credentials work (the server answers with an empty body).
 *
 * @param client  the client.
 * @return TOGGL_OK when logged in; TOGGL_EAUTH when the credentials are refused; or another
 *         negative code.
 */
TOGGL_API int toggl_me_logged(toggl_client *client);

/**
 * GET /me/clients: the user's clients.
 *
 * @param client    the client.
 * @param since     UNIX seconds: clients changed (or deleted) since then; <= 0 leaves it out.
 * @param out_json  receives a JSON array.
 * @return TOGGL_OK or a negative TOGGL_E* code.
 */
TOGGL_API int toggl_clients_list(toggl_client *client, int64_t since, char **out_json);

/**
 * GET /me/features: the features enabled in each of the user's workspaces.
 *
 * @param client    the client.
 * @param out_json  receives a JSON array.
 * @return TOGGL_OK or a negative TOGGL_E* code.
 */
TOGGL_API int toggl_features_list(toggl_client *client, char **out_json);

/**
 * GET /me/location: the user's last known location.
 *
 * @param client    the client.
 * @param out_json  receives a JSON object, or the JSON text "null" when the server has none
 *                  (it may answer with an empty body).
 * @return TOGGL_OK or a negative TOGGL_E* code.
 */
TOGGL_API int toggl_location_get(toggl_client *client, char **out_json);

/**
 * GET /me/organizations: the organizations the user is part of.
 *
 * @param client    the client.
 * @param out_json  receives a JSON array.
 * @return TOGGL_OK or a negative TOGGL_E* code.
 */
TOGGL_API int toggl_organizations_list(toggl_client *client, char **out_json);

/**
 * GET /me/projects: the user's projects, in one response.
 *
 * @param client            the client.
 * @param include_archived  true sends include_archived=true; false leaves it out.
 * @param since             UNIX seconds: projects changed (or deleted) since then; <= 0 leaves
 *                          it out.
 * @param out_json          receives a JSON array.
 * @return TOGGL_OK or a negative TOGGL_E* code.
 */
TOGGL_API int toggl_projects_list(toggl_client *client, bool include_archived, int64_t since,
                                  char **out_json);

/**
 * GET /me/projects/paginated: one page of projects with id >= start_project_id, ascending.
 * To walk all of them, see toggl_projects_pager_new().
 *
 * @param client            the client.
 * @param start_project_id  the first id to include (inclusive); <= 0 leaves it out (from the
 *                          start).
 * @param since             UNIX seconds; <= 0 leaves it out.
 * @param per_page          page size; 0 leaves it out (the server's default, 201); < 0 is
 *                          TOGGL_EINVAL and nothing is sent.
 * @param out_json          receives a JSON array.
 * @param out_next_start_project_id  receives the start_project_id of the next page, or 0
 *                          when this page was the last. Set to 0 first. The cursor rule: a page
 *                          that is a JSON array is always handed over. A page shorter than the
 *                          page size (or empty) is the last. Otherwise the next page starts at
 *                          the last element's `id` + 1, where that id is an integer or a string
 *                          holding one; a missing or unusable id makes this page the last. An
 *                          id that would not move the walk forward (<= 0, or below
 *                          start_project_id) is TOGGL_EDECODE, with the HTTP status set, and
 *                          nothing is handed over.
 * @return TOGGL_OK or a negative TOGGL_E* code.
 */
TOGGL_API int toggl_projects_list_paginated(toggl_client *client, int64_t start_project_id,
                                            int64_t since, int per_page, char **out_json,
                                            int64_t *out_next_start_project_id);

/**
 * GET /me/tags: the user's tags.
 *
 * @param client    the client.
 * @param since     UNIX seconds: tags changed (or deleted) since then; <= 0 leaves it out.
 * @param out_json  receives a JSON array.
 * @return TOGGL_OK or a negative TOGGL_E* code.
 */
TOGGL_API int toggl_tags_list(toggl_client *client, int64_t since, char **out_json);

/**
 * GET /me/tasks: the user's tasks, or one page of them.
 * To walk all of them page by page, see toggl_tasks_pager_new().
 *
 * @param client              the client.
 * @param meta                true sends meta=true (adds project and client names); false
 *                            leaves it out.
 * @param since               UNIX seconds; <= 0 leaves it out.
 * @param include_not_active  true sends include_not_active=true (adds done tasks); false
 *                            leaves it out.
 * @param offset              items to skip; <= 0 leaves it out.
 * @param per_page            page size; 0 leaves it out (the server's default: all); < 0 is
 *                            TOGGL_EINVAL and nothing is sent.
 * @param out_json            receives a JSON array.
 * @return TOGGL_OK or a negative TOGGL_E* code.
 */
TOGGL_API int toggl_tasks_list(toggl_client *client, bool meta, int64_t since,
                               bool include_not_active, int64_t offset, int per_page,
                               char **out_json);

/**
 * GET /me/quota: the remaining API requests of the user and of each organization, as
 * [{"organization_id": null|int, "remaining": int, "resets_in_secs": int, "total": int}, ...].
 *
 * @param client    the client.
 * @param out_json  receives a JSON array.
 * @return TOGGL_OK or a negative TOGGL_E* code.
 */
TOGGL_API int toggl_quota_get(toggl_client *client, char **out_json);

/* ------------------------------------------------------------------------------------------ */
/* Pagers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/**
 * Creates a pager over GET /me/projects/paginated: each toggl_pager_next() fetches the page
 * starting after the last id seen, by the cursor rule of toggl_projects_list_paginated() (a
 * cursor that would not advance is TOGGL_EDECODE, so a walk never loops). Nothing is sent
 * until the first toggl_pager_next().
 *
 * @param client    the client; it must outlive the pager.
 * @param since     UNIX seconds; <= 0 leaves it out.
 * @param per_page  page size; 0 for the server's default (201); < 0 is TOGGL_EINVAL.
 * @return a new pager to free with toggl_pager_free(), or NULL with the thread's error details
 *         set (TOGGL_EINVAL for a NULL client or a negative per_page). Thread-safe.
 */
TOGGL_API toggl_pager *toggl_projects_pager_new(toggl_client *client, int64_t since, int per_page);

/**
 * Creates a pager over GET /me/tasks using offset and per_page. With per_page 0 the server
 * returns every task in one page. Nothing is sent until the first toggl_pager_next().
 *
 * @param client              the client; it must outlive the pager.
 * @param meta                as in toggl_tasks_list().
 * @param since               UNIX seconds; <= 0 leaves it out.
 * @param include_not_active  as in toggl_tasks_list().
 * @param per_page            page size; 0 for one page with everything; < 0 is TOGGL_EINVAL.
 * @return a new pager to free with toggl_pager_free(), or NULL with the thread's error details
 *         set (TOGGL_EINVAL for a NULL client or a negative per_page). Thread-safe.
 */
TOGGL_API toggl_pager *toggl_tasks_pager_new(toggl_client *client, bool meta, int64_t since,
                                             bool include_not_active, int per_page);

/**
 * Fetches the next page. A page shorter than the page size is the last: the call after it
 * returns TOGGL_DONE without sending anything. An empty page is never handed out: when the
 * items end exactly on a page boundary, the request that finds nothing more returns TOGGL_DONE.
 * After an error, calling again retries the same page (nothing is skipped or repeated). After
 * TOGGL_DONE it keeps returning TOGGL_DONE without sending anything.
 *
 * @param pager     the pager; one thread at a time.
 * @param out_json  set to NULL first; on TOGGL_OK receives the page, a JSON array, to free
 *                  with toggl_free(); NULL on TOGGL_DONE and on failure.
 * @return TOGGL_OK (a page), TOGGL_DONE (no more pages), TOGGL_EINVAL (a NULL argument) or
 *         another negative TOGGL_E* code as for the endpoints.
 */
TOGGL_API int toggl_pager_next(toggl_pager *pager, char **out_json);

/**
 * Frees a pager. Does not free its client.
 *
 * @param pager  the pager, or NULL (no-op).
 */
TOGGL_API void toggl_pager_free(toggl_pager *pager);

/* ------------------------------------------------------------------------------------------ */
/* Store: a local mirror that makes the quota last                                (0.2.0)    */
/* ------------------------------------------------------------------------------------------ */

/*
 * The server allows about 30 requests an hour. A store keeps the account's user, workspaces,
 * clients, projects, tags, tasks and time entries in an SQLite file: a sync spends one request
 * for a whole snapshot (GET /me?with_related_data=true) and at most four for a refresh
 * (GET /me/{clients,projects,tags,tasks}?since=W; five with TOGGL_SYNC_USER), a read spends
 * none, and the quota each response reports (and every 402) is kept in the file, so a sync in
 * any process before the recorded reset fails with TOGGL_EQUOTA without sending anything.
 *
 * Each collection is written together with its watermark W in one transaction: a failed or
 * killed sync leaves it exactly as it was or fully updated. W is the server's Date header of
 * the response that refreshed the collection minus 10 minutes (never this machine's clock);
 * ages and max_age_s are on this machine's clock. Items the server reports deleted
 * (server_deleted_at or deleted_at set) are removed; archived projects, archived clients and
 * done tasks stay, marked inactive. Every "api_token" key is dropped before anything is written.
 * A server that refuses an old `since` (HTTP 400) gets a snapshot instead (for tasks, which a
 * snapshot may not carry, GET /me/tasks whole).
 *
 * A store belongs to one Toggl account. It keeps a salted SHA-256 of each credential that synced
 * it: such a client sends only what is due; any other client first spends one GET /me, and is
 * refused with TOGGL_ESTORE when it belongs to another account.
 *
 * Files and processes: the file is created with mode 0600 and uses WAL, so any number of
 * processes read while one syncs. A sync holds the write lock from deciding what to fetch until
 * its writes commit: a second process syncing the same store waits, then finds the data fresh
 * (with max_age_s) and sends nothing. A store may be shared by threads.
 */

/** toggl_store_sync(): a snapshot even when the store has data. */
#define TOGGL_SYNC_FULL 1u
/** toggl_store_sync(): also mirror tasks (a snapshot body without tasks adds one request). */
#define TOGGL_SYNC_TASKS 2u
/** toggl_store_sync(): an incremental sync also refreshes the user with GET /me. */
#define TOGGL_SYNC_USER 4u
/** toggl_store_get(): only active projects, tasks not done and clients not archived. */
#define TOGGL_STORE_ACTIVE 1u

/**
 * Opens a store, creating the file (mode 0600) when it does not exist. Nothing is sent.
 *
 * @param path       a file path (UTF-8), or NULL or ":memory:" for a new store in memory that
 *                   no other handle sees.
 * @param out_store  set to NULL first; on success receives the store, to free with
 *                   toggl_store_free().
 * @return TOGGL_OK; TOGGL_EINVAL for a NULL out_store or a path that is empty or not UTF-8;
 *         TOGGL_ESTORE, with a message naming the path and the cause, for a file that is not a
 *         libtoggl store, a store of a newer schema, a read-only file, a full disk or another
 *         I/O error. A refused file is left untouched. A store of an older schema is migrated.
 *         Thread-safe.
 * @since 0.2.0
 */
TOGGL_API int toggl_store_open(const char *path, toggl_store **out_store);

/**
 * Closes a store. A sync under way on another thread must have returned first.
 *
 * @param store  the store, or NULL (no-op).
 * @since 0.2.0
 */
TOGGL_API void toggl_store_free(toggl_store *store);

/**
 * Brings the store up to date through `client`.
 *
 * An empty store, or TOGGL_SYNC_FULL, takes a snapshot: GET /me?with_related_data=true replaces
 * the user, workspaces, clients, projects, tags and time entries (and tasks when the body has
 * them; with TOGGL_SYNC_TASKS, GET /me/tasks?include_not_active=true when it has none).
 * Otherwise clients, projects (archived included) and tags, with TOGGL_SYNC_TASKS tasks (done
 * included) and with TOGGL_SYNC_USER the user, are each asked `since` their watermark. Time
 * entries and workspaces change only with a snapshot.
 *
 * Requests (as the sandbox counts them): 1 for the first sync (2 with TOGGL_SYNC_TASKS when the
 * snapshot has no tasks); at most 4 for a refresh (5 with TOGGL_SYNC_USER); 0 when every
 * collection is younger than max_age_s; 0 when an earlier sync recorded that the quota is spent
 * and its reset has not come. A refresh by a client whose credential has not synced this store
 * before adds one GET /me (a snapshot learns the account from its own answer).
 *
 * @param store            the store.
 * @param client           the client to send with; toggl_client_cancel() ends the sync with
 *                         TOGGL_ECANCELED, each collection as it was or fully updated.
 * @param flags            TOGGL_SYNC_* or 0; other bits are TOGGL_EINVAL.
 * @param max_age_s        collections refreshed less than this many seconds ago are not
 *                         requested; 0 refreshes whatever the age; < 0 is TOGGL_EINVAL.
 * @param out_report_json  NULL, or set to NULL first and on success to a JSON object to free
 *                         with toggl_free():
 *                         {"requests":n,"snapshot":bool,"collections":{"user":{"requested":bool,
 *                         "upserted":n,"deleted":n},"workspaces":{...},"clients":{...},
 *                         "projects":{...},"tags":{...},"tasks":{...},"time_entries":{...}}}.
 *                         "requests" counts every request sent (retries, an identifying GET /me,
 *                         a refused `since` included); "snapshot" is true for any snapshot, a
 *                         fallback one included; "upserted" is the items stored by a snapshot,
 *                         or the live items received incrementally; "deleted" the items removed.
 * @return TOGGL_OK; TOGGL_EINVAL; TOGGL_EQUOTA (toggl_error_retry_after() says when the quota
 *         resets; with nothing sent when it was already recorded as spent); TOGGL_ESTORE for
 *         another account's client (nothing written), a full disk or I/O error, or a lock held
 *         by another process's sync past the time that sync may take (7 of the client's
 *         timeouts); or any code of the endpoints. On failure, collections refreshed before
 *         the failing request keep their update (they cost quota); the others are unchanged.
 *         Thread-safe: syncs of one store take turns.
 * @since 0.2.0
 */
TOGGL_API int toggl_store_sync(toggl_store *store, toggl_client *client, unsigned flags,
                               int64_t max_age_s, char **out_report_json);

/**
 * Reads a collection as last synced. Nothing is sent.
 *
 * @param store       the store.
 * @param collection  "user" (an object, or null before the first sync), or "workspaces",
 *                    "clients", "projects", "tags", "tasks" or "time_entries" (arrays of the
 *                    server's objects, ordered by id, without "api_token"); anything else is
 *                    TOGGL_EINVAL.
 * @param flags       0 or TOGGL_STORE_ACTIVE; other bits are TOGGL_EINVAL.
 * @param out_json    set to NULL first; on success receives the JSON, to free with toggl_free().
 * @return TOGGL_OK, TOGGL_EINVAL or TOGGL_ESTORE. Thread-safe; on a file store, reads do not
 *         wait for a sync under way (they see the last committed one).
 * @since 0.2.0
 */
TOGGL_API int toggl_store_get(toggl_store *store, const char *collection, unsigned flags,
                              char **out_json);

/**
 * How long ago a collection was last refreshed, on this machine's clock. Nothing is sent.
 *
 * @param store       the store.
 * @param collection  as in toggl_store_get().
 * @param out_age_s   set to -1 first; on success seconds since the refresh, or -1 if never.
 * @return TOGGL_OK, TOGGL_EINVAL or TOGGL_ESTORE. Thread-safe.
 * @since 0.2.0
 */
TOGGL_API int toggl_store_age(toggl_store *store, const char *collection, int64_t *out_age_s);

/**
 * The quota as the last sync of any process saw it. Nothing is sent.
 *
 * @param store        the store.
 * @param remaining    NULL, or set to the requests left, -1 when unknown (never seen, or the
 *                     recorded window has reset since).
 * @param resets_in_s  NULL, or set to the seconds until the recorded reset, -1 when unknown.
 * @return TOGGL_OK, TOGGL_EINVAL or TOGGL_ESTORE. Thread-safe.
 * @since 0.2.0
 */
TOGGL_API int toggl_store_quota(toggl_store *store, int64_t *remaining, int64_t *resets_in_s);

#ifdef __cplusplus
}
#endif

#endif /* TOGGL_H */
