"""Self-test of the sandbox: runs sandbox.py as a subprocess and talks HTTP to it.

    cd /work/main && python3 -m pytest -q Tests/Sandbox

Each test uses its own tenant, so the tests are independent of each other and
of order. Waits are polls against deadlines, never fixed sleeps.
"""

import base64
import email.utils
import http.client
import json
import os
import re
import select
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path

import pytest

SANDBOX = Path(__file__).resolve().parent / "sandbox.py"
TOKEN = "sandbox-api-token-0123456789abcdef"
EMAIL = "sandbox@example.com"
PASSWORD = "sandbox-password"
N_PROJECTS = 1250


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


TOKEN_AUTH = basic(TOKEN, "api_token")


# --- process helpers -----------------------------------------------------------

def read_line(stream, deadline_s):
    """One line from a pipe, failing instead of hanging past the deadline."""
    deadline = time.monotonic() + deadline_s
    data = b""
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        assert left > 0, f"no line within {deadline_s}s (got {data!r})"
        ready, _, _ = select.select([stream], [], [], left)
        if ready:
            chunk = os.read(stream.fileno(), 1)
            assert chunk, f"stream closed after {data!r}"
            data += chunk
    return data.decode()


def start(*args):
    proc = subprocess.Popen([sys.executable, str(SANDBOX), "--port", "0", *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = read_line(proc.stdout, 15)
    m = re.fullmatch(r"PORT (\d+)\n", line)
    assert m, line
    return proc, int(m.group(1))


def stop(proc):
    proc.stdin.close()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def poll(fn, deadline_s=10, interval_s=0.02):
    deadline = time.monotonic() + deadline_s
    while True:
        result = fn()
        if result:
            return result
        assert time.monotonic() < deadline, "condition not met before the deadline"
        time.sleep(interval_s)


@pytest.fixture(scope="session")
def port():
    proc, port = start("--exit-on-stdin-eof")
    yield port
    stop(proc)
    stderr = proc.stderr.read().decode()
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr


class Resp:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)


class Client:
    """One tenant's view of the sandbox; a fresh connection per call."""

    def __init__(self, port, tenant):
        self.port = port
        self.tenant = tenant
        self.prefix = f"/t/{tenant}" if tenant else ""

    def call(self, method, path, query="", auth=TOKEN_AUTH, body=None, headers=None, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            h = dict(headers or {})
            if auth is not None:
                h["Authorization"] = auth
            if isinstance(body, (dict, list)):
                body = json.dumps(body)
                h["Content-Type"] = "application/json"
            url = f"{self.prefix}/api/v9{path}" + (f"?{query}" if query else "")
            conn.request(method, url, body=body, headers=h)
            r = conn.getresponse()
            return Resp(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
        finally:
            conn.close()

    def get(self, path, query="", **kw):
        r = self.call("GET", path, query, **kw)
        assert r.status == 200, (path, query, r.status, r.body)
        return r.json()

    def ctl(self, method, sub, obj=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, f"{self.prefix}/__sandbox{sub}",
                         body=None if obj is None else json.dumps(obj))
            r = conn.getresponse()
            return r.status, json.loads(r.read())
        finally:
            conn.close()

    def faults(self, *items):
        assert self.ctl("POST", "/faults", list(items)) == (200, {})

    def config(self, **cfg):
        assert self.ctl("POST", "/config", cfg) == (200, {})

    def count(self):
        return self.ctl("GET", "/requests/count")[1]["count"]

    def changes(self, *ops):
        status, body = self.ctl("POST", "/changes", list(ops))
        assert status == 200, body
        return body

    def clock(self):
        return self.ctl("GET", "/clock")[1]["now"]

    def manifest(self, since=None):
        status, body = self.ctl("GET", "/manifest" + ("" if since is None else f"?since={since}"))
        assert status == 200, body
        return body


@pytest.fixture
def c(port):
    return Client(port, "t" + uuid.uuid4().hex[:16])


def raw(port, data, timeout=5):
    """Send bytes, return everything the server sends until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return out
            out += chunk


# --- process contract -----------------------------------------------------------------

def test_port_line_only_stdout_and_quiet_stderr():
    proc, port = start("--exit-on-stdin-eof")
    client = Client(port, "portline")
    assert client.get("/me")["id"] == 2166261
    assert client.call("GET", "/nope").status == 404
    stop(proc)
    assert proc.returncode == 0
    assert proc.stdout.read() == b""          # nothing after the PORT line
    assert proc.stderr.read() == b""          # no per-request logging


def test_exit_on_stdin_eof():
    proc, port = start("--exit-on-stdin-eof")
    proc.stdin.close()
    assert proc.wait(timeout=10) == 0
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


# --- auth -----------------------------------------------------------------------------

def test_token_and_email_auth(c):
    assert c.get("/me")["email"] == EMAIL
    assert c.get("/me", auth=basic(EMAIL, PASSWORD))["id"] == 2166261
    assert c.call("GET", "/me/logged", auth=basic(EMAIL, PASSWORD)).status == 200


def test_missing_auth_is_401_with_empty_body(c):
    r = c.call("GET", "/me", auth=None)
    assert r.status == 401
    assert r.body == b"" and r.headers["content-length"] == "0"
    assert r.headers["x-authorization-missing"] == "true"
    assert "x-toggl-quota-remaining" not in r.headers
    # Auth comes before routing.
    assert c.call("GET", "/no/such/route", auth=None).status == 401


@pytest.mark.parametrize("auth", [
    basic("wrong-token", "api_token"),
    basic(EMAIL, "wrong-password"),
    basic(TOKEN, "not-api_token"),
    "Bearer " + TOKEN,
    "Basic !!!not-base64!!!",
    "Basic " + base64.b64encode(b"no-colon").decode(),
    "",
])
def test_wrong_credentials_are_403_plain_text(c, auth):
    r = c.call("GET", "/me", auth=auth)
    assert r.status == 403
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.body.decode().strip() == "Incorrect username and/or password"
    assert "x-toggl-quota-remaining" not in r.headers


def test_extra_tokens(c):
    assert c.call("GET", "/me", auth=basic("extra-1", "api_token")).status == 403
    c.config(extra_tokens=["extra-1"])
    assert c.call("GET", "/me", auth=basic("extra-1", "api_token")).status == 200


def test_unknown_route_is_404_json_string_after_auth(c):
    for method, path in (("GET", "/me/nothing"), ("POST", "/me"), ("GET", "/me/")):
        r = c.call(method, path)
        assert r.status == 404 and r.json() == "Not Found"
        assert r.headers["content-type"] == "application/json; charset=utf-8"
    assert c.call("GET", "/not-api", auth=None).status == 401


# --- endpoints --------------------------------------------------------------------------

ME_KEYS = ["id", "api_token", "email", "fullname", "timezone", "toggl_accounts_id",
           "default_workspace_id", "beginning_of_week", "image_url", "created_at",
           "updated_at", "openid_email", "openid_enabled", "country_id", "has_password",
           "at", "intercom_hash", "oauth_providers", "authorization_updated_at"]


def test_me_shape(c):
    r = c.call("GET", "/me")
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    me = r.json()
    assert list(me) == ME_KEYS
    assert (me["fullname"], me["email"], me["id"], me["timezone"], me["beginning_of_week"],
            me["api_token"]) == ("Sandbox User", EMAIL, 2166261, "Europe/Berlin", 1, TOKEN)


def test_me_with_related_data(c):
    me = c.get("/me", "with_related_data=true")
    related = ["tags", "clients", "time_entries", "projects", "workspaces"]
    assert list(me) == ME_KEYS[:-1] + related + ["authorization_updated_at"]
    assert "tasks" not in me and "options" not in me
    assert len(me["projects"]) == N_PROJECTS and len(me["clients"]) == 25
    assert len(me["tags"]) == 40 and len(me["workspaces"]) == 3
    running = [e for e in me["time_entries"] if e["stop"] is None]
    assert len(running) == 1 and running[0]["duration"] < 0
    ws = {w["id"]: w for w in me["workspaces"]}
    assert all(isinstance(w["te_constraints"], dict) for w in ws.values())
    assert any(w["subscription"] is None for w in ws.values())
    assert any(isinstance(w["subscription"], dict) for w in ws.values())
    assert any(isinstance(w["csv_upload"], dict) for w in ws.values())
    assert c.get("/me", "with_related_data=false") == c.get("/me")


def test_logged_is_200_empty(c):
    r = c.call("GET", "/me/logged")
    assert r.status == 200 and r.body == b"" and r.headers["content-length"] == "0"


def test_features_organizations_location(c):
    features = c.get("/me/features")
    assert len(features) == 3
    assert all({"workspace_id", "features"} <= set(f) for f in features)
    assert {"enabled", "feature_id", "name"} == set(features[0]["features"][0])
    orgs = c.get("/me/organizations")
    assert len(orgs) == 1 and orgs[0]["trial_info"]["trial"] is False
    assert c.get("/me/location")["country_code"] == "EE"
    c.config(location_empty=True)
    r = c.call("GET", "/me/location")
    assert r.status == 200 and r.body == b""


def test_clients_and_since(c):
    clients = c.get("/me/clients")
    assert len(clients) == 25
    assert all("server_deleted_at" not in x for x in clients)
    everything = c.get("/me/clients", "since=0")
    deleted = [x for x in everything if x.get("server_deleted_at")]
    assert len(everything) == 28 and len(deleted) == 3
    since = 1732924800                                   # 2024-11-30: after it only recent edits
    recent = c.get("/me/clients", f"since={since}")
    assert {x["id"] for x in deleted} <= {x["id"] for x in recent}
    assert len(recent) < len(everything)


@pytest.mark.parametrize("path", ["/me/clients", "/me/projects", "/me/projects/paginated",
                                  "/me/tags", "/me/tasks"])
@pytest.mark.parametrize("since", ["yesterday", "1.5", "", "2024-01-01"])
def test_since_must_be_an_integer(c, path, since):
    r = c.call("GET", path, f"since={since}")
    assert r.status == 400
    assert r.json() == "Since is expected to be an unix timestamp, integer value"
    assert "x-toggl-quota-remaining" in r.headers


TS_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|\+00:00)\Z")


def test_projects_filters_and_shapes(c):
    active = c.get("/me/projects")
    everything = c.get("/me/projects", "include_archived=true")
    assert len(everything) == N_PROJECTS
    assert all(p["active"] for p in active) and len(active) < N_PROJECTS
    assert c.get("/me/projects", "include_archived=false") == active
    ids = [p["id"] for p in everything]
    assert ids == sorted(ids) and any(b - a > 1 for a, b in zip(ids, ids[1:]))
    forms = {re.sub(r"\d", "9", p["at"][19:]) for p in everything}
    assert {"+99:99", "Z", ".9Z", ".99Z", ".999Z", ".9999Z", ".99999Z", ".999999Z"} <= forms
    assert all(TS_RE.match(p["at"]) for p in everything)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", p["start_date"]) for p in everything)
    assert any(p["recurring_parameters"] and p["current_period"] for p in everything)
    assert any(p["billable"] is None for p in everything)
    assert all(p["server_deleted_at"] is None for p in everything)
    deleted = [p for p in c.get("/me/projects", "include_archived=true&since=0") if p["server_deleted_at"]]
    assert len(deleted) == 13
    assert {p["id"] for p in deleted} <= {p["id"] for p in c.get("/me/projects", "since=1732924800")}
    for bad in ("yes", "1", "TRUE", ""):
        r = c.call("GET", "/me/projects", f"include_archived={bad}")
        assert r.status == 400 and r.json() == "Invalid include_archived"


def test_paginated_walks_every_project_exactly_once(c):
    seen, start, pages = [], None, 0
    while True:
        page = c.get("/me/projects/paginated",
                     "per_page=100" + (f"&start_project_id={start}" if start else ""))
        pages += 1
        seen += [p["id"] for p in page]
        if len(page) < 100:
            break
        start = page[-1]["id"] + 1
    assert pages == 13
    assert len(seen) == len(set(seen)) == N_PROJECTS and seen == sorted(seen)
    assert seen == [p["id"] for p in c.get("/me/projects", "include_archived=true")]


def test_paginated_parameters(c):
    first = c.get("/me/projects/paginated")
    assert len(first) == 201                                   # default per_page
    inclusive = c.get("/me/projects/paginated", f"start_project_id={first[5]['id']}&per_page=3")
    assert [p["id"] for p in inclusive] == [p["id"] for p in first[5:8]]
    between = c.get("/me/projects/paginated", f"start_project_id={first[5]['id'] + 1}&per_page=1")
    assert between[0]["id"] == first[6]["id"]
    assert c.get("/me/projects/paginated", "start_project_id=999999999999") == []
    with_deleted = c.get("/me/projects/paginated", "since=0&per_page=2000")
    assert len(with_deleted) == N_PROJECTS + 13
    for query, msg in (("start_project_id=abc", "Invalid start_project_id"),
                       ("per_page=0", "Invalid per_page"), ("per_page=x", "Invalid per_page")):
        r = c.call("GET", "/me/projects/paginated", query)
        assert r.status == 400 and r.json() == msg


def test_tags_and_since(c):
    tags = c.get("/me/tags")
    assert len(tags) == 40 and all(t["deleted_at"] is None for t in tags)
    everything = c.get("/me/tags", "since=0")
    assert len(everything) == 44
    assert sum(t["deleted_at"] is not None for t in everything) == 4
    assert len(c.get("/me/tags", "since=4102444800")) == 0      # 2100


def test_tasks_filters_meta_and_paging(c):
    active = c.get("/me/tasks")
    everything = c.get("/me/tasks", "include_not_active=true")
    assert len(everything) == 600 and all(t["active"] for t in active)
    assert 0 < len(active) < 600
    assert "project_name" not in everything[0]
    assert any(t["tracked_seconds"] > 86400 for t in everything)    # milliseconds
    meta = c.get("/me/tasks", "meta=true&include_not_active=true")
    for key in ("project_name", "project_color", "project_billable", "client_name", "user_name"):
        assert key in meta[0]
    assert {t["user_name"] for t in meta if t["user_id"]} == {"Sandbox User"}
    page = c.get("/me/tasks", "include_not_active=true&offset=10&per_page=5")
    assert [t["id"] for t in page] == [t["id"] for t in everything[10:15]]
    assert c.get("/me/tasks", "include_not_active=true&offset=600") == []
    recent = c.get("/me/tasks", "include_not_active=true&since=1700000000")
    assert 0 < len(recent) < 600
    for query, msg in (("include_not_active=maybe", "Invalid include_not_active"),
                       ("offset=-1", "Invalid offset"), ("per_page=0", "Invalid per_page")):
        r = c.call("GET", "/me/tasks", query)
        assert r.status == 400 and r.json() == msg


# --- PUT /me -----------------------------------------------------------------------------

@pytest.mark.parametrize("body,msg", [
    ({"beginning_of_week": 7}, "Invalid beginning_of_week"),
    ({"beginning_of_week": "1"}, "Invalid beginning_of_week"),
    ({"country_id": 0}, "Invalid country_id"),
    ({"current_password": "nope"}, "Current password is not valid"),
    ({"default_workspace_id": 1}, "Invalid default_workspace_id"),
    ({"email": "no-at-sign"}, "Invalid email"),
    ({"email": "user@nodot"}, "Invalid email"),
    ({"email": "taken@example.com"}, "user with this email already exists"),
    ({"fullname": ""}, "Invalid fullname"),
    ({"fullname": "x" * 256}, "Invalid fullname"),
    ({"password": "newpassword"}, "Current password must be present to change password"),
    ({"password": "short", "current_password": PASSWORD}, "Password should be at least 6 characters"),
    ({"timezone": "Mars/Olympus"}, "Invalid timezone"),
    ([1, 2], "Invalid request body"),
    ("not json", "Invalid request body"),
])
def test_put_me_validation(c, body, msg):
    r = c.call("PUT", "/me", body=body)
    assert r.status == 400 and r.json() == msg
    assert c.get("/me")["fullname"] == "Sandbox User"


def test_put_me_persists(c):
    before = c.get("/me")
    r = c.call("PUT", "/me", body={"fullname": "Renamed", "timezone": "Asia/Tokyo",
                                    "beginning_of_week": 0, "country_id": 70,
                                    "default_workspace_id": 43644207})
    assert r.status == 200
    put = r.json()
    assert set(put) == {"api_token", "at", "beginning_of_week", "country_id", "created_at",
                        "default_workspace_id", "email", "fullname", "has_password", "id",
                        "image_url", "openid_email", "openid_enabled", "timezone",
                        "toggl_accounts_id", "toggl_accounts_updated_at", "updated_at"}
    me = c.get("/me")
    assert (me["fullname"], me["timezone"], me["beginning_of_week"], me["country_id"],
            me["default_workspace_id"]) == ("Renamed", "Asia/Tokyo", 0, 70, 43644207)
    assert me["at"] > before["at"] and me["updated_at"] > before["updated_at"]
    meta = c.get("/me/tasks", "meta=true&include_not_active=true")
    assert {t["user_name"] for t in meta if t["user_id"]} == {"Renamed"}


def test_put_me_password_and_email_change_auth(c):
    r = c.call("PUT", "/me", body={"current_password": PASSWORD, "password": "new-secret",
                                    "email": "moved@example.org"})
    assert r.status == 200
    assert c.call("GET", "/me", auth=basic(EMAIL, PASSWORD)).status == 403
    assert c.call("GET", "/me", auth=basic("moved@example.org", PASSWORD)).status == 403
    assert c.get("/me", auth=basic("moved@example.org", "new-secret"))["email"] == "moved@example.org"
    assert c.call("GET", "/me").status == 200                      # the token still works


# --- quota and rate limit ------------------------------------------------------------------

def test_quota_headers_and_402(c):
    c.config(quota_limit=3)
    statuses = []
    for path in ("/me", "/me/nope", "/me/clients"):                  # 200, 404, 200
        r = c.call("GET", path, "since=x" if path == "/me/clients" else "")
        statuses.append(r.status)
        remaining = int(r.headers["x-toggl-quota-remaining"])
        assert 3500 <= int(r.headers["x-toggl-quota-resets-in"]) <= 3600
    assert statuses == [200, 404, 400] and remaining == 0
    r = c.call("GET", "/me")
    assert r.status == 402
    assert r.headers["x-toggl-quota-remaining"] == "0"
    n = int(r.headers["x-toggl-quota-resets-in"])
    assert r.json() == ("You have hit your hourly limit for API calls. "
                        f"Your quota will reset in {n} seconds.")
    assert c.call("GET", "/me", auth=None).status == 401                # auth comes first
    c.config(quota_limit=10)
    quota = c.get("/me/quota")
    assert quota[0] == {"organization_id": None, "remaining": 6,
                        "resets_in_secs": quota[0]["resets_in_secs"], "total": 10}
    assert quota[1]["organization_id"] == 2108099 and quota[1]["total"] == 10


def test_quota_window_slides(c):
    c.config(quota_limit=2, quota_window_s=1)
    assert [c.call("GET", "/me").status for _ in range(2)] == [200, 200]
    r = c.call("GET", "/me")
    assert r.status == 402 and r.headers["x-toggl-quota-resets-in"] == "1"
    poll(lambda: c.call("GET", "/me").status == 200, deadline_s=5)


def test_default_quota_is_generous(c):
    r = c.call("GET", "/me")
    assert int(r.headers["x-toggl-quota-remaining"]) == 1_000_000 - 1


def test_rate_limit_429_html_without_retry_after(c):
    c.config(rate_limit_per_s=2)
    statuses = [c.call("GET", "/me") for _ in range(5)]
    limited = [r for r in statuses if r.status == 429]
    assert statuses[0].status == 200 and limited
    assert b"<title>429 Too Many Requests</title>" in limited[0].body
    assert "retry-after" not in limited[0].headers
    assert limited[0].headers["content-type"].startswith("text/html")
    poll(lambda: c.call("GET", "/me").status == 200, deadline_s=5)
    c.config(rate_limit_per_s=None)
    assert all(c.call("GET", "/me").status == 200 for _ in range(5))


# --- faults ------------------------------------------------------------------------------------

def test_fault_canned_status_times_and_matching(c):
    c.faults({"path": "/me/tags", "status": 503, "message": "down", "times": 2,
              "headers": {"Retry-After": "1"}},
             {"method": "PUT", "status": 500, "body_kind": "plain", "message": "boom"})
    assert c.call("GET", "/me").status == 200                     # path does not match
    for _ in range(2):
        r = c.call("GET", "/me/tags")
        assert r.status == 503 and r.json() == "down" and r.headers["retry-after"] == "1"
        assert "x-toggl-quota-remaining" not in r.headers           # before auth and quota
    assert c.call("GET", "/me/tags").status == 200
    r = c.call("PUT", "/me", body={})
    assert r.status == 500 and r.body == b"boom" and r.headers["content-type"].startswith("text/plain")
    assert c.ctl("GET", "/faults") == (200, [])


def test_fault_body_kinds(c):
    c.faults({"status": 502, "body_kind": "html", "message": "Bad Gateway"},
             {"status": 500, "body_kind": "empty"},
             {"status": 429, "body": '"slow down"', "headers": {"Retry-After": "2"}},
             {"status": 418, "body": "<teapot>", "content_type": "text/x-tea"},
             {"status": 402, "body_kind": "json_string", "message": "quota",
              "headers": {"X-Toggl-Quota-Remaining": "0", "X-Toggl-Quota-Resets-In": "42"}})
    r = c.call("GET", "/me")
    assert r.status == 502 and b"<title>Bad Gateway</title>" in r.body
    r = c.call("GET", "/me")
    assert r.status == 500 and r.body == b"" and r.headers["content-length"] == "0"
    r = c.call("GET", "/me")
    assert r.status == 429 and r.json() == "slow down" and r.headers["retry-after"] == "2"
    r = c.call("GET", "/me")
    assert r.status == 418 and r.headers["content-type"] == "text/x-tea"
    r = c.call("GET", "/me")
    assert r.status == 402 and r.headers["x-toggl-quota-resets-in"] == "42"


def test_fault_forever_and_requests_still_logged(c):
    c.faults({"path": "/me", "status": 500, "times": -1})
    assert all(c.call("GET", "/me").status == 500 for _ in range(3))
    assert c.count() == 3
    assert c.ctl("DELETE", "/faults") == (200, {})
    assert c.call("GET", "/me").status == 200


def test_fault_delay_then_pass(c):
    c.faults({"delay_ms": 300, "pass": True})
    t0 = time.monotonic()
    r = c.call("GET", "/me")
    assert r.status == 200 and time.monotonic() - t0 >= 0.3
    assert "x-toggl-quota-remaining" in r.headers


def test_fault_reset(c):
    c.faults({"action": "reset"})
    with pytest.raises(ConnectionResetError):
        c.call("GET", "/me")
    c.faults({"action": "reset"})
    with socket.create_connection(("127.0.0.1", c.port), timeout=5) as s:
        s.sendall(f"GET /t/{c.tenant}/api/v9/me HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        with pytest.raises(ConnectionResetError):
            while s.recv(65536):
                pass
    assert c.call("GET", "/me").status == 200


def test_fault_truncate(c):
    full = c.call("GET", "/me").body
    c.faults({"action": "truncate"})
    conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=5)
    conn.request("GET", f"/t/{c.tenant}/api/v9/me", headers={"Authorization": TOKEN_AUTH})
    r = conn.getresponse()
    assert int(r.getheader("Content-Length")) == len(full)
    with pytest.raises(http.client.IncompleteRead) as exc:
        r.read()
    assert exc.value.partial == full[:len(full) // 2]
    conn.close()


@pytest.mark.parametrize("no_length", [False, True])
def test_fault_oversize(c, no_length):
    size = 3 * 1024 * 1024 + 1
    c.faults({"action": "oversize", "size_bytes": size, "no_length": no_length})
    r = c.call("GET", "/me")
    assert r.status == 200 and len(r.body) == size
    assert ("content-length" in r.headers) != no_length
    data = r.json()
    assert isinstance(data, list) and len(data) > 1_000_000
    c.faults({"action": "oversize", "size_bytes": 2})
    assert c.call("GET", "/me").body == b"[]"
    c.faults({"action": "oversize"})
    assert len(c.call("GET", "/me").body) == 2 * 1024 * 1024


def test_fault_oversize_repeats_an_element(c):
    c.faults({"action": "oversize", "element": "{}", "size_bytes": 100_000},
             {"action": "oversize", "status": 400, "prefix": '{"x":[', "suffix": "]}",
              "element": "{}", "size_bytes": 1000})
    r = c.call("GET", "/me")
    assert r.status == 200 and len(r.body) <= 100_000
    assert r.json() == [{}] * ((100_000 - 2 + 1) // 3)
    r = c.call("GET", "/me")
    assert r.status == 400 and len(r.body) <= 1000 and r.json()["x"] == [{}] * ((1000 - 8 + 1) // 3)


def test_fault_raw_sends_exactly_its_bytes(c):
    raw = "HTTP/1.1 999 Odd\r\nContent-Length: 2\r\nX-\u00e9: 1\r\n\r\nok"
    c.faults({"action": "raw", "raw": raw})
    sock = socket.create_connection(("127.0.0.1", c.port), timeout=5)
    sock.sendall(f"GET /t/{c.tenant}/api/v9/me HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    sock.close()
    assert received == raw.encode("latin-1")


def test_fault_malformed(c):
    c.faults({"action": "malformed"}, {"action": "malformed", "body": "[1, 2"})
    r = c.call("GET", "/me")
    assert r.status == 200 and r.body == b'{"id": 1, "fullname": '
    assert r.headers["content-type"].startswith("application/json")
    with pytest.raises(ValueError):
        r.json()
    assert c.call("GET", "/me").body == b"[1, 2"


def test_fault_stall(c):
    c.faults({"action": "stall", "stall_ms": 3000})
    with pytest.raises(TimeoutError):
        c.call("GET", "/me", timeout=0.3)
    c.faults({"action": "stall", "stall_ms": 200})
    t0 = time.monotonic()
    assert c.call("GET", "/me").status == 200 and time.monotonic() - t0 >= 0.2
    c.faults({"action": "stall", "stall_ms": 100, "close": True})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        c.call("GET", "/me")


def test_fault_trickle(c):
    c.faults({"action": "trickle", "interval_ms": 50})
    conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=5)
    conn.request("GET", f"/t/{c.tenant}/api/v9/me", headers={"Authorization": TOKEN_AUTH})
    r = conn.getresponse()
    assert r.status == 200 and int(r.getheader("Content-Length")) > 100
    t0 = time.monotonic()
    assert r.read(4) == b'{"id'
    assert time.monotonic() - t0 >= 0.1
    conn.close()     # the server notices and stops trickling
    assert c.call("GET", "/me").status == 200


def test_fault_redirect_to_another_tenant(c, port):
    other = Client(port, c.tenant + "-other")
    location = f"http://127.0.0.1:{port}/t/{other.tenant}/api/v9/me"
    c.faults({"action": "redirect", "location": location},
             {"action": "redirect", "status": 307, "location": location})
    r = c.call("GET", "/me")
    assert r.status == 302 and r.headers["location"] == location and r.body == b""
    assert c.call("GET", "/me").status == 307
    other.call("GET", "/me", auth=None)         # what a careful client does
    log = other.ctl("GET", "/requests")[1]
    assert len(log) == 1 and "authorization" not in log[0]["headers"]


@pytest.mark.parametrize("bad", [
    {"status": 500, "colour": "red"},
    {"path": "/me"},
    {"action": "explode"},
    {"action": "redirect"},
    {"action": "raw"},
    {"action": "oversize", "element": ""},
    {"status": "500"},
    {"status": 500, "times": 0},
    {"status": 500, "headers": {"X": "a\r\nb"}},
    "not an object",
])
def test_invalid_faults_are_rejected(c, bad):
    status, body = c.ctl("POST", "/faults", [bad])
    assert status == 400 and isinstance(body, str)
    assert c.ctl("GET", "/faults") == (200, [])


# --- control API --------------------------------------------------------------------------------

def test_request_log_and_count(c):
    c.call("GET", "/me/projects", "include_archived=true&since=5")
    c.call("PUT", "/me", body={"fullname": "Logged"})
    c.call("GET", "/me", auth=None)
    c.ctl("GET", "/requests")                                      # control: not logged
    status, log = c.ctl("GET", "/requests")
    assert status == 200 and len(log) == 3
    assert set(log[0]) == {"method", "path", "query", "headers", "body", "connection"}
    assert all(isinstance(entry["connection"], int) and entry["connection"] > 0 for entry in log)
    assert (log[0]["method"], log[0]["path"], log[0]["query"], log[0]["body"]) == \
        ("GET", "/me/projects", "include_archived=true&since=5", "")
    assert log[0]["headers"]["authorization"] == TOKEN_AUTH
    assert all(k == k.lower() for k in log[0]["headers"])
    assert (log[1]["method"], log[1]["path"], log[1]["query"]) == ("PUT", "/me", "")
    assert json.loads(log[1]["body"]) == {"fullname": "Logged"}
    assert "authorization" not in log[2]["headers"]
    assert c.count() == 3


def test_tenant_isolation(c, port):
    other = Client(port, c.tenant + "-b")
    default = Client(port, "")
    c.call("PUT", "/me", body={"fullname": "Only In A"})
    c.config(quota_limit=1)
    c.faults({"status": 500, "times": -1, "path": "/me/tags"})
    assert other.get("/me")["fullname"] == "Sandbox User"
    assert other.call("GET", "/me/tags").status == 200
    assert int(other.call("GET", "/me").headers["x-toggl-quota-remaining"]) > 1000
    assert default.get("/me")["fullname"] == "Sandbox User"
    assert other.count() == 3
    assert c.count() == 1


def test_reset_restores_everything(c):
    c.call("PUT", "/me", body={"fullname": "Changed"})
    c.config(quota_limit=1, location_empty=True)
    c.faults({"status": 500, "path": "/me/tags"})
    assert c.call("GET", "/me").status == 402
    assert c.ctl("POST", "/reset") == (200, {})
    assert c.count() == 0 and c.ctl("GET", "/requests") == (200, [])
    assert c.ctl("GET", "/faults") == (200, [])
    r = c.call("GET", "/me")
    assert r.status == 200 and r.json()["fullname"] == "Sandbox User"
    assert int(r.headers["x-toggl-quota-remaining"]) == 1_000_000 - 1
    assert c.get("/me/location")["city"] == "Tallinn"
    assert c.call("GET", "/me/tags").status == 200


def test_control_validation(c):
    assert c.ctl("POST", "/config", {"quota_limit": "5"})[0] == 400
    assert c.ctl("POST", "/config", {"bogus": 1})[0] == 400
    assert c.ctl("POST", "/config", [1])[0] == 400
    assert c.ctl("POST", "/faults", {"status": 500})[0] == 400
    assert c.ctl("GET", "/nothing")[0] == 404


MANIFEST_KEYS = {"organizations", "workspaces", "clients", "clients_deleted", "tags", "tags_deleted",
                 "projects", "projects_active", "projects_archived", "projects_deleted", "tasks",
                 "tasks_active", "tasks_inactive", "time_entries", "projects_per_page_default"}


def manifest_counted_from_the_routes(c, since=None):
    """Every manifest count, worked out here from what the API routes answer."""
    q = "" if since is None else f"since={since}"
    amp = "" if since is None else "&"
    me = c.get("/me", "with_related_data=true")
    everything = {k: c.get(f"/me/{k}", "since=0" if since is None else q) for k in ("clients", "tags")}
    projects = c.get("/me/projects", f"include_archived=true{amp}{q}")
    tasks = c.get("/me/tasks", f"include_not_active=true{amp}{q}")
    with_deleted = c.get("/me/projects", f"include_archived=true&since={0 if since is None else since}")
    return {
        "organizations": len(c.get("/me/organizations")),
        "workspaces": len(me["workspaces"]),
        "clients": len(c.get("/me/clients", q)),
        "clients_deleted": sum(x.get("server_deleted_at") is not None for x in everything["clients"]),
        "tags": len(c.get("/me/tags", q)),
        "tags_deleted": sum(t["deleted_at"] is not None for t in everything["tags"]),
        "projects": len(projects),
        "projects_active": len(c.get("/me/projects", q)),
        "projects_archived": sum(not p["active"] for p in projects),
        "projects_deleted": sum(p["server_deleted_at"] is not None for p in with_deleted),
        "tasks": len(tasks),
        "tasks_active": len(c.get("/me/tasks", q)),
        "tasks_inactive": sum(not t["active"] for t in tasks),
        "time_entries": len(me["time_entries"]),
        "projects_per_page_default": len(c.get("/me/projects/paginated")),
    }


def test_manifest_counts_what_the_routes_answer(c):
    status, manifest = c.ctl("GET", "/manifest")
    assert status == 200
    assert set(manifest) == MANIFEST_KEYS
    assert all(type(v) is int and v > 0 for v in manifest.values()), manifest
    assert manifest == manifest_counted_from_the_routes(c)
    me = c.get("/me", "with_related_data=true")
    assert manifest["projects"] == len(me["projects"])           # related data: live projects
    assert manifest["clients"] == len(me["clients"]) and manifest["tags"] == len(me["tags"])
    assert manifest["workspaces"] == len(c.get("/me/features"))
    assert manifest["projects"] == manifest["projects_active"] + manifest["projects_archived"]
    assert manifest["tasks"] == manifest["tasks_active"] + manifest["tasks_inactive"]


@pytest.mark.parametrize("since", [0, 1700000000, 1732924800, 1733000000, 4102444800])
def test_manifest_since_counts_what_the_routes_answer_with_it(c, since):
    status, manifest = c.ctl("GET", f"/manifest?since={since}")
    assert status == 200
    assert manifest == manifest_counted_from_the_routes(c, since)
    plain = c.ctl("GET", "/manifest")[1]
    for key in ("organizations", "workspaces", "time_entries", "projects_per_page_default"):
        assert manifest[key] == plain[key]
    if since == 0:                                   # every item, deleted ones included
        for kind in ("clients", "tags"):
            assert manifest[kind] == plain[kind] + plain[f"{kind}_deleted"]
        assert manifest["projects"] == plain["projects"] + plain["projects_deleted"]


def test_manifest_is_the_same_everywhere_and_costs_nothing(c, port):
    plain = c.ctl("GET", "/manifest")[1]
    c.config(quota_limit=0, rate_limit_per_s=0.001)
    c.faults({"status": 500, "times": -1})
    assert c.ctl("GET", "/manifest") == (200, plain)           # config and faults do not apply
    assert Client(port, "").ctl("GET", "/manifest") == (200, plain)
    assert Client(port, "other" + c.tenant).ctl("GET", "/manifest") == (200, plain)
    assert c.count() == 0                                      # not logged
    assert len(c.ctl("GET", "/faults")[1]) == 1                # and no fault was taken


@pytest.mark.parametrize("query", ["since=abc", "since=1.5", "since=", "since=1&since=2",
                                   "per_page=5", "since=1&x=1"])
def test_manifest_rejects_bad_parameters(c, query):
    status, error = c.ctl("GET", f"/manifest?{query}")
    assert status == 400 and isinstance(error, str) and error


def test_default_tenant_prefix(port):
    default = Client(port, "")
    assert default.get("/me")["id"] == 2166261
    assert default.ctl("GET", "/requests/count")[0] == 200


# --- HTTP robustness and performance ---------------------------------------------------------------

@pytest.mark.parametrize("data", [
    b"HELLO\r\n\r\n",
    b"\x00\xff\xfe garbage \x01\r\n\r\n",
    b"GET /api/v9/me HTTP/9.x\r\n\r\n",
    b"GET /api/v9/me HTTP/1.1\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n",
    b"GET /api/v9/me HTTP/1.1\r\n\r\r\n\r\n",
    b"GET /api/v9/me HTTP/1.1\r\nNo-Colon\r\n\r\n",
    b"PUT /api/v9/me HTTP/1.1\r\nContent-Length: \xc2\xb2\r\n\r\n",
    b"GET /api/v9/me HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(200)) + b"\r\n",
    b"PUT /api/v9/me HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
    b"PUT /api/v9/me HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",
])
def test_garbage_gets_400_and_server_survives(port, data):
    out = raw(port, data)
    assert out.startswith(b"HTTP/1.1 400 "), out[:100]
    assert Client(port, "survivor").get("/me")["id"] == 2166261


def test_unknown_paths_and_bad_tenant_names(port):
    assert raw(port, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n").startswith(b"HTTP/1.1 404 ")
    bad = b"GET /t/bad.name/api/v9/me HTTP/1.1\r\nConnection: close\r\n\r\n"
    assert raw(port, bad).startswith(b"HTTP/1.1 404 ")
    long_name = b"GET /t/" + b"a" * 65 + b"/api/v9/me HTTP/1.1\r\nConnection: close\r\n\r\n"
    assert raw(port, long_name).startswith(b"HTTP/1.1 404 ")


def test_keep_alive_is_fast(c):
    """Single-send responses + TCP_NODELAY: no 40 ms Nagle/delayed-ACK stalls."""
    conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=5)
    t0 = time.monotonic()
    for _ in range(200):
        conn.request("GET", f"/t/{c.tenant}/api/v9/me", headers={"Authorization": TOKEN_AUTH})
        r = conn.getresponse()
        assert r.status == 200 and r.read()
    assert time.monotonic() - t0 < 4          # ~0.1 s normally, ~8 s with the stall
    conn.request("HEAD", f"/t/{c.tenant}/api/v9/me", headers={"Authorization": TOKEN_AUTH})
    r = conn.getresponse()
    assert r.status == 200 and int(r.getheader("Content-Length")) > 0 and r.read() == b""
    conn.request("GET", f"/t/{c.tenant}/api/v9/me/logged", headers={"Authorization": TOKEN_AUTH})
    assert conn.getresponse().status == 200
    conn.close()


def test_concurrent_keep_alive_connections(c):
    errors = []

    def worker():
        try:
            conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=10)
            for _ in range(50):
                conn.request("GET", f"/t/{c.tenant}/api/v9/me/tags", headers={"Authorization": TOKEN_AUTH})
                r = conn.getresponse()
                assert r.status == 200 and len(json.loads(r.read())) == 40
            conn.close()
        except Exception as e:        # collected: assertions in threads are invisible
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert c.count() == 500


def test_expect_100_continue_and_chunked_body(c):
    body = json.dumps({"fullname": "Chunky"}).encode()
    with socket.create_connection(("127.0.0.1", c.port), timeout=5) as s:
        s.sendall((f"PUT /t/{c.tenant}/api/v9/me HTTP/1.1\r\nHost: x\r\nAuthorization: {TOKEN_AUTH}\r\n"
                   f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n").encode())
        assert s.recv(100).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        s.sendall(body)
        assert s.recv(100).startswith(b"HTTP/1.1 200 ")
    conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=5)
    conn.request("PUT", f"/t/{c.tenant}/api/v9/me", body=iter([b'{"fullname":', b' "Chunked"}']),
                 headers={"Authorization": TOKEN_AUTH}, encode_chunked=True)
    assert conn.getresponse().status == 200
    conn.close()
    assert c.get("/me")["fullname"] == "Chunked"


# --- changes, clock and history -----------------------------------------------------------------

# collection -> (route, query for every live item, deletion key, with_related_data list)
COLLECTIONS = {
    "clients": ("/me/clients", "", "server_deleted_at", "clients"),
    "projects": ("/me/projects", "include_archived=true", "server_deleted_at", "projects"),
    "tags": ("/me/tags", "", "deleted_at", "tags"),
    "tasks": ("/me/tasks", "include_not_active=true", "server_deleted_at", None),
}
DATE_RE = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT\Z")


def at_seconds(stamp):
    """Whole unix seconds of an API timestamp (…+00:00 or …Z, 0–6 fractional digits)."""
    m = TS_RE.match(stamp)
    assert m, stamp
    return int(datetime.fromisoformat(stamp[:19] + "+00:00").timestamp())


def date_seconds(resp):
    date = resp.headers["date"]
    assert DATE_RE.match(date), date
    return int(email.utils.parsedate_to_datetime(date).timestamp())


def query(*parts):
    return "&".join(p for p in parts if p)


@pytest.mark.parametrize("kind", sorted(COLLECTIONS))
def test_changes_add_edit_delete_and_what_every_route_answers(c, kind):
    path, live_q, key, related = COLLECTIONS[kind]
    before = c.get(path, live_q)
    every_id = [x["id"] for x in c.get(path, query(live_q, "since=0"))]
    template, edited, doomed = before[0], before[1], before[2]
    now = c.clock()
    reply = c.changes(
        {"op": "add", "collection": kind, "fields": {"name": "Fresh"}},
        {"op": "edit", "collection": kind, "id": edited["id"], "fields": {"name": "Edited ✓"}},
        {"op": "delete", "collection": kind, "id": doomed["id"]})
    assert reply["applied"] == 3
    assert [(i["collection"], i["id"]) for i in reply["items"]][1:] == \
        [(kind, edited["id"]), (kind, doomed["id"])]
    new_id = reply["items"][0]["id"]
    assert new_id > max(every_id)
    assert all(now <= i["at"] <= now + 5 for i in reply["items"])

    after = c.get(path, live_q)
    ids = [x["id"] for x in after]
    assert ids == sorted(ids) and ids[-1] == new_id and doomed["id"] not in ids
    assert len(after) == len(before)                            # one added, one deleted
    by_id = {x["id"]: x for x in after}
    assert set(by_id[new_id]) == set(template) and by_id[new_id]["name"] == "Fresh"
    assert by_id[edited["id"]]["name"] == "Edited ✓"
    assert by_id[edited["id"]]["at"] != edited["at"]
    for x in (by_id[new_id], by_id[edited["id"]]):
        assert at_seconds(x["at"]) == reply["items"][0]["at"]
        assert x.get(key) is None

    # since: exactly what changed, the deleted item included with its stamp
    recent = c.get(path, query(live_q, f"since={now}"))
    assert [x["id"] for x in recent] == [edited["id"], doomed["id"], new_id]
    gone = recent[1]
    assert gone[key] is not None and at_seconds(gone[key]) == reply["items"][2]["at"]
    assert gone["at"] == gone[key] and gone["name"] == doomed["name"]
    assert len(c.get(path, query(live_q, "since=0"))) == len(every_id) + 1

    if related:
        me = c.get("/me", "with_related_data=true")
        assert [x["id"] for x in me[related]] == ids
        assert me[related] == after
    if kind == "projects":
        walk = c.get("/me/projects/paginated", "per_page=5000")
        assert [p["id"] for p in walk] == ids
        assert [p["id"] for p in c.get("/me/projects/paginated", f"since={now}")] == \
            [x["id"] for x in recent]
        assert c.get("/me/projects/paginated", f"start_project_id={new_id}") == [by_id[new_id]]
        assert gone["status"] == "deleted"
    if kind == "tasks":
        assert [t["id"] for t in c.get("/me/tasks", "meta=true&include_not_active=true")] == ids
        assert c.get("/me/tasks", f"include_not_active=true&since={now}&offset=2&per_page=1") == \
            [recent[2]]

    manifest = c.manifest()
    assert manifest == manifest_counted_from_the_routes(c)
    assert manifest[kind] == len(after)
    assert c.manifest(now) == manifest_counted_from_the_routes(c, now)
    if kind != "tasks":
        assert manifest[f"{kind}_deleted"] == c.manifest(0)[f"{kind}_deleted"]
        assert c.manifest(now)[f"{kind}_deleted"] == 1


def test_archive_and_unarchive(c):
    project = c.get("/me/projects")[0]
    task = c.get("/me/tasks")[0]
    client = next(x for x in c.get("/me/clients") if not x["archived"])
    plain = c.manifest()
    c.changes(*({"op": "archive", "collection": k, "id": x["id"]}
                for k, x in (("projects", project), ("tasks", task), ("clients", client))))
    assert project["id"] not in {p["id"] for p in c.get("/me/projects")}
    archived = {p["id"]: p for p in c.get("/me/projects", "include_archived=true")}[project["id"]]
    assert (archived["active"], archived["status"], archived["can_track_time"]) == \
        (False, "archived", False)
    assert archived in c.get("/me", "with_related_data=true")["projects"]   # archived stay listed
    assert task["id"] not in {t["id"] for t in c.get("/me/tasks")}
    assert {t["id"]: t for t in c.get("/me/tasks", "include_not_active=true")}[task["id"]]["active"] is False
    assert {x["id"]: x for x in c.get("/me/clients")}[client["id"]]["archived"] is True
    manifest = c.manifest()
    assert (manifest["projects_active"], manifest["projects_archived"], manifest["projects"]) == \
        (plain["projects_active"] - 1, plain["projects_archived"] + 1, plain["projects"])
    assert (manifest["tasks_active"], manifest["tasks_inactive"]) == \
        (plain["tasks_active"] - 1, plain["tasks_inactive"] + 1)
    assert manifest == manifest_counted_from_the_routes(c)

    c.changes(*({"op": "unarchive", "collection": k, "id": x["id"]}
                for k, x in (("projects", project), ("tasks", task), ("clients", client))))
    restored = {p["id"]: p for p in c.get("/me/projects")}[project["id"]]
    assert (restored["active"], restored["status"]) == (True, "active")
    assert task["id"] in {t["id"] for t in c.get("/me/tasks")}
    assert {x["id"]: x for x in c.get("/me/clients")}[client["id"]]["archived"] is False
    assert c.manifest() == plain

    tag = c.get("/me/tags")[0]["id"]
    for op in ("archive", "unarchive"):
        assert c.ctl("POST", "/changes", [{"op": op, "collection": "tags", "id": tag}]) == \
            (400, "tags cannot be archived")


def test_added_items_are_fresh_and_count_adds_many(c):
    reply = c.changes({"op": "add", "collection": "projects", "count": 3,
                       "fields": {"color": "#123456", "client_id": None}},
                      {"op": "add", "collection": "projects"})
    ids = [i["id"] for i in reply["items"]]
    assert reply["applied"] == 2 and ids == list(range(ids[0], ids[0] + 4))
    added = c.get("/me/projects", f"since={reply['items'][0]['at']}")
    assert [p["id"] for p in added] == ids
    assert [p["name"] for p in added] == [f"Project added {n}" for n in range(1, 5)]
    assert [p["color"] for p in added[:3]] == ["#123456"] * 3
    for p in added:
        assert (p["active"], p["status"], p["server_deleted_at"], p["tasks_count"]) == \
            (True, "active", None, None)
        assert p["created_at"] == p["at"] and p["start_date"] == p["at"][:10]
        assert p["wid"] == p["workspace_id"] and p["cid"] == p["client_id"]
    # Ids keep growing past added ones; names keep counting.
    more = c.changes({"op": "add", "collection": "projects"})["items"][0]["id"]
    assert more == ids[-1] + 1
    assert c.get("/me/projects", "since=0")[-1]["name"] == "Project added 5"


def test_adding_5000_projects(c):
    """A benchmark's setup: one call, ids in order, every route and the manifest follow."""
    plain = c.manifest()
    reply = c.changes({"op": "add", "collection": "projects", "count": 5000})
    ids = [i["id"] for i in reply["items"]]
    assert len(ids) == 5000 and ids == sorted(ids)
    manifest = c.manifest()
    assert manifest["projects"] == manifest["projects_active"] - plain["projects_active"] + plain["projects"]
    assert manifest["projects"] == plain["projects"] + 5000
    seen, start = [], None
    while True:
        page = c.get("/me/projects/paginated",
                     "per_page=1000" + (f"&start_project_id={start}" if start else ""))
        seen += [p["id"] for p in page]
        if len(page) < 1000:
            break
        start = page[-1]["id"] + 1
    assert len(seen) == len(set(seen)) == manifest["projects"] and seen[-5000:] == ids
    assert len(c.get("/me", "with_related_data=true")["projects"]) == manifest["projects"]


def test_time_entries_can_be_added_only(c):
    """Time entries: add only (to make /me?with_related_data=true big), copies of the first
    seed entry, stopped, an hour ending at the tenant clock; other ops answer 400."""
    plain = c.manifest()
    before = c.get("/me", "with_related_data=true")
    seeded = before["time_entries"]
    c.ctl("POST", "/clock", {"advance_s": 86400})
    now = c.clock()
    reply = c.changes({"op": "add", "collection": "time_entries", "count": 3},
                      {"op": "add", "collection": "time_entries",
                       "fields": {"description": "Fresh", "workspace_id": 43644207}})
    ids = [i["id"] for i in reply["items"]]
    assert ids == list(range(max(e["id"] for e in seeded) + 1, max(e["id"] for e in seeded) + 5))
    assert all(i["collection"] == "time_entries" and now <= i["at"] <= now + 5 for i in reply["items"])

    me = c.get("/me", "with_related_data=true")
    entries = me["time_entries"]
    assert entries[:len(seeded)] == seeded and [e["id"] for e in entries[len(seeded):]] == ids
    added = entries[len(seeded):]
    for n, (e, item) in enumerate(zip(added, reply["items"]), 1):
        assert list(e) == list(seeded[0])                        # a copy of the first seed entry
        assert at_seconds(e["at"]) == item["at"] and TS_RE.match(e["at"]) and e["at"].endswith("Z")
        assert at_seconds(e["stop"]) == item["at"] == at_seconds(e["start"]) + 3600
        assert e["duration"] == 3600 and e["server_deleted_at"] is None
        assert e["description"] == ("Fresh" if n == 4 else f"Time entry added {n}")
        assert {k: e[k] for k in ("project_id", "tags", "user_id")} == \
            {k: seeded[0][k] for k in ("project_id", "tags", "user_id")}
    assert added[3]["workspace_id"] == added[3]["wid"] == 43644207
    assert [e for e in entries if e["stop"] is None] == [seeded[0]]   # still one running
    assert {k: me[k] for k in ("projects", "clients", "tags", "workspaces")} == \
        {k: before[k] for k in ("projects", "clients", "tags", "workspaces")}
    manifest = c.manifest()
    assert manifest == manifest_counted_from_the_routes(c)
    assert manifest == {**plain, "time_entries": plain["time_entries"] + 4}

    for op in ("edit", "archive", "unarchive", "delete"):
        assert c.ctl("POST", "/changes", [{"op": "add", "collection": "time_entries"},
                                          {"op": op, "collection": "time_entries", "id": ids[0]}]) == \
            (400, "time entries can only be added")
    assert c.ctl("POST", "/changes", [{"op": "add", "collection": "time_entries",
                                       "fields": {"at": "x"}}])[0] == 400
    assert c.manifest() == manifest and c.get("/me", "with_related_data=true") == me
    assert c.ctl("POST", "/reset") == (200, {})
    assert c.manifest() == plain


def test_task_meta_follows_projects_and_clients(c, port):
    untouched = Client(port, c.tenant + "-seed").get("/me/tasks", "meta=true&include_not_active=true")
    tag = c.get("/me/tags")[0]["id"]
    c.changes({"op": "edit", "collection": "tags", "id": tag, "fields": {"name": "other"}})
    assert c.get("/me/tasks", "meta=true&include_not_active=true") == untouched
    task = next(t for t in untouched if t["client_id"] is not None)
    c.changes({"op": "edit", "collection": "projects", "id": task["project_id"],
               "fields": {"name": "Renamed project", "color": "#000000"}},
              {"op": "edit", "collection": "clients", "id": task["client_id"],
               "fields": {"name": "Renamed client"}})
    meta = {t["id"]: t for t in c.get("/me/tasks", "meta=true&include_not_active=true")}[task["id"]]
    assert (meta["project_name"], meta["project_color"], meta["client_name"]) == \
        ("Renamed project", "#000000", "Renamed client")
    assert meta["at"] == task["at"]                              # the task itself did not change


def test_changes_apply_atomically(c):
    deleted_project = next(p for p in c.get("/me/projects", "since=0") if p["server_deleted_at"])
    project = c.get("/me/projects")[0]["id"]
    good = {"op": "edit", "collection": "projects", "id": project, "fields": {"name": "never"}}
    add = {"op": "add", "collection": "clients"}
    bad_ops = [
        ({"op": "edit", "collection": "projects", "id": 1}, "no projects with id 1"),
        ({"op": "delete", "collection": "projects", "id": deleted_project["id"]}, None),
        ({"op": "archive", "collection": "tags", "id": c.get("/me/tags")[0]["id"]},
         "tags cannot be archived"),
        ({"op": "add", "collection": "widgets"}, None),
        ({"op": "rename", "collection": "projects", "id": project}, None),
        ({"op": "edit", "collection": "projects"}, None),
        ({"op": "edit", "collection": "projects", "id": str(project)}, None),
        ({"op": "add", "collection": "projects", "id": 5}, None),
        ({"op": "add", "collection": "projects", "count": 0}, None),
        ({"op": "add", "collection": "projects", "count": True}, None),
        ({"op": "edit", "collection": "projects", "id": project, "count": 2}, None),
        ({"op": "delete", "collection": "projects", "id": project, "fields": {"name": "x"}}, None),
        ({"op": "edit", "collection": "projects", "id": project, "fields": {"colour": "x"}}, None),
        ({"op": "edit", "collection": "projects", "id": project, "fields": {"id": 7}}, None),
        ({"op": "edit", "collection": "projects", "id": project, "fields": {"at": "x"}}, None),
        ({"op": "edit", "collection": "projects", "id": project,
          "fields": {"server_deleted_at": "x"}}, None),
        ({"op": "edit", "collection": "projects", "id": project, "fields": []}, None),
        ({"op": "add", "collection": "projects", "extra": 1}, None),
        ("add", None),
    ]
    plain = c.manifest()
    for bad, msg in bad_ops:
        status, error = c.ctl("POST", "/changes", [good, add, bad, add])
        assert status == 400 and isinstance(error, str) and error, (bad, error)
        if msg:
            assert error == msg
    # Edits of a deleted item fail too, also when it was deleted earlier in the same batch.
    status, error = c.ctl("POST", "/changes", [{"op": "delete", "collection": "projects", "id": project},
                                               {"op": "edit", "collection": "projects", "id": project}])
    assert status == 400 and "deleted" in error
    for body in ({"op": "add", "collection": "tags"}, "nope", None):
        assert c.ctl("POST", "/changes", body)[0] == 400
    assert c.manifest() == plain
    assert all(c.get(path, query(q, "since=1735000000")) == [] for path, q, _, _ in COLLECTIONS.values())
    assert c.changes() == {"applied": 0, "items": []}


def test_clock_control_and_reset(c):
    now = c.clock()
    assert abs(now - time.time()) < 5
    assert c.ctl("POST", "/clock", {"advance_s": 0})[1]["now"] - now < 5
    status, body = c.ctl("POST", "/clock", {"advance_s": 86400})
    assert status == 200 and 86400 <= body["now"] - now < 86400 + 5
    assert abs(c.clock() - body["now"]) < 5
    for bad in ({"advance_s": -1}, {"advance_s": 1.5}, {"advance_s": True}, {}, {"advance_s": 1, "x": 1},
                [1], "soon"):
        status, error = c.ctl("POST", "/clock", bad)
        assert status == 400 and isinstance(error, str), bad
    c.changes({"op": "delete", "collection": "tags", "id": c.get("/me/tags")[0]["id"]})
    c.config(since_max_age_s=60)
    plain = Client(c.port, c.tenant + "-seed").manifest()
    assert c.manifest() != plain
    assert c.ctl("POST", "/reset") == (200, {})
    assert abs(c.clock() - time.time()) < 5
    assert c.manifest() == plain
    assert c.get("/me/tags", "since=0") == Client(c.port, c.tenant + "-seed").get("/me/tags", "since=0")


def test_date_header_follows_the_tenant_clock(c, port):
    c.config(quota_limit=3)
    c.faults({"path": "/me/tags", "status": 503, "message": "down"},
             {"path": "/me/clients", "action": "truncate"})
    responses = [c.call("GET", "/me"), c.call("GET", "/me", auth=None),
                 c.call("GET", "/me", auth=basic(TOKEN, "wrong")), c.call("GET", "/me/nothing"),
                 c.call("GET", "/me/tags"), c.call("GET", "/me/projects", "since=x"),
                 c.call("GET", "/me")]
    assert [r.status for r in responses] == [200, 401, 403, 404, 503, 400, 402]
    now = c.clock()
    assert all(abs(date_seconds(r) - now) < 5 for r in responses)
    c.ctl("POST", "/clock", {"advance_s": 30 * 86400})
    later = [c.call("GET", "/me"), c.call("GET", "/me", auth=None)]
    assert [r.status for r in later] == [402, 401]
    assert all(abs(date_seconds(r) - now - 30 * 86400) < 5 for r in later)
    assert abs(date_seconds(c.call("GET", "/me/nothing", auth=None)) - c.clock()) < 5
    # A truncated answer's head carries it too; another tenant keeps wall time.
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(f"GET /t/{c.tenant}/api/v9/me/clients HTTP/1.1\r\nHost: x\r\n"
                  f"Authorization: {TOKEN_AUTH}\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    date = re.search(rb"\r\nDate: ([^\r]+)\r\n", data)[1].decode()
    assert abs(email.utils.parsedate_to_datetime(date).timestamp() - c.clock()) < 5
    assert abs(date_seconds(Client(port, c.tenant + "-b").call("GET", "/me")) - time.time()) < 5
    # Changes stamp with the same clock.
    item = c.changes({"op": "add", "collection": "tags"})["items"][0]
    assert abs(item["at"] - c.clock()) < 5 and item["at"] - now >= 30 * 86400


@pytest.mark.parametrize("path", ["/me/clients", "/me/projects", "/me/projects/paginated",
                                  "/me/tags", "/me/tasks"])
def test_since_max_age(c, path):
    assert c.call("GET", path, "since=0").status == 200                # null: anything goes
    c.config(since_max_age_s=3600)
    now = c.clock()
    r = c.call("GET", path, f"since={now - 7200}")
    assert r.status == 400 and r.json() == "since is too old; fetch without since"
    assert "x-toggl-quota-remaining" in r.headers
    assert c.call("GET", path, f"since={now - 60}").status == 200
    assert c.call("GET", path).status == 200
    c.ctl("POST", "/clock", {"advance_s": 7200})
    assert c.call("GET", path, f"since={now - 60}").status == 400      # aged on the tenant clock
    c.config(since_max_age_s=None)
    assert c.call("GET", path, "since=0").status == 200


def test_since_max_age_config_values(c):
    for bad in (0, -5, 1.5, True, "60"):
        status, error = c.ctl("POST", "/config", {"since_max_age_s": bad})
        assert status == 400 and "since_max_age_s" in error
    c.config(since_max_age_s=1)
    assert c.manifest(0) == Client(c.port, c.tenant + "-seed").manifest(0)   # control: not checked


def test_untouched_tenants_share_the_seed():
    """In-process: a tenant that changed nothing reads the seed's lists and its pre-encoded
    related data; its first change gives it its own state, a reset hands the seed back."""
    sys.path.insert(0, str(SANDBOX.parent))
    import api
    import control
    import history
    import seed
    import tenants

    legacy = b",".join(seed.encode(k) + b":" + seed.encode(v) for k, v in seed.RELATED.items())
    assert history.SEED.related_json() == legacy
    tenant, other = tenants.Tenant("a"), tenants.Tenant("b")
    assert history.view(tenant) is history.SEED
    assert history.view(tenant).related_json() is history.SEED.related_json()
    assert history.view(tenant).items("projects") is seed.PROJECTS
    assert control.manifest(history.view(tenant)) == control.MANIFEST
    assert history.apply(tenant, []) == [] and tenant.changes is None
    with pytest.raises(history.ChangeError):
        history.apply(tenant, [{"op": "add", "collection": "tags"}, {"op": "edit", "collection": "tags", "id": 1}])
    assert tenant.changes is None

    history.apply(tenant, [{"op": "edit", "collection": "tags", "id": seed.TAGS[0].id}])
    mine = history.view(tenant)
    assert mine is not history.SEED and history.view(other) is history.SEED
    assert mine.items("projects") is seed.PROJECTS                   # untouched collections stay shared
    assert mine.related_json() != history.SEED.related_json()
    assert history.SEED.related_json() == legacy                     # the seed itself never changes
    auth = {"authorization": TOKEN_AUTH}
    body = api.answer(tenant, api.Request("GET", "/me", "with_related_data=true", auth, b"")).body
    assert mine.related_json() in body
    tenant.reset()
    assert history.view(tenant) is history.SEED
