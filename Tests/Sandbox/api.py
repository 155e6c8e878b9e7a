"""The /api/v9 endpoints: rate limit, auth, quota, then the route.

`answer()` is the whole normal path for one request and returns a Reply;
it never touches the socket, so faults can wrap it (stall, truncate, trickle).
"""

import base64
import binascii
import bisect
import json
import re
import time
from datetime import datetime, timezone
from urllib.parse import parse_qs

import history
import seed
from seed import encode
from wire import HTML, JSON, TEXT, Reply, json_reply, message

# The proxy's 429 page from the recordings (2019, nginx); the real one sends
# no Retry-After, so neither does the sandbox.
RATE_LIMIT_HTML = b"""<html>
  <head><title>429 Too Many Requests</title></head>
  <body>
    <center><h1>429 Too Many Requests</h1></center>
    <hr><center>nginx</center>
  </body>
</html>
"""
# Go's http.Error, which the real API uses here, appends a newline.
INCORRECT_CREDENTIALS = b"Incorrect username and/or password\n"

_INT_RE = re.compile(r"[+-]?[0-9]{1,18}\Z")   # ASCII only, like Go's ParseInt
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")
_TRUE = ("1", "t", "T", "true", "TRUE", "True")   # Go's strconv.ParseBool


class BadRequest(Exception):
    pass


class Request:
    __slots__ = ("method", "path", "query", "headers", "body", "params")

    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path          # after /api/v9
        self.query = query        # raw, "" when none
        self.headers = headers    # lower-case names
        self.body = body
        self.params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}


def answer(tenant, req):
    now = time.monotonic()
    if not tenant.take_rate(now):
        return Reply(429, RATE_LIMIT_HTML, HTML)
    auth = _authenticate(tenant, req.headers.get("authorization"))
    if auth is None:
        return Reply(401, b"", None, [("X-Authorization-Missing", "true")])
    if not auth:
        return Reply(403, INCORRECT_CREDENTIALS, TEXT)
    allowed, remaining, resets_in = tenant.take_quota(now)
    if not allowed:
        reply = message(402, "You have hit your hourly limit for API calls. "
                             f"Your quota will reset in {resets_in} seconds.")
    else:
        handler = ROUTES.get(("GET" if req.method == "HEAD" else req.method, req.path))
        try:
            reply = handler(tenant, req) if handler else message(404, "Not Found")
        except BadRequest as e:
            reply = message(400, str(e))
    reply.headers.append(("X-Toggl-Quota-Remaining", str(remaining)))
    reply.headers.append(("X-Toggl-Quota-Resets-In", str(resets_in)))
    return reply


def _authenticate(tenant, header):
    """None: no header; False: wrong or unreadable; True: valid."""
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return False
    username, sep, password = decoded.partition(":")
    return bool(sep) and tenant.check_credentials(username, password)


# --- parameter parsing ----------------------------------------------------------

def _int_param(req, name, error):
    value = req.params.get(name)
    if value is None:
        return None
    if not _INT_RE.match(value):
        raise BadRequest(error)
    return int(value)


def _since(tenant, req):
    since = _int_param(req, "since", "Since is expected to be an unix timestamp, integer value")
    with tenant.lock:
        max_age = tenant.config["since_max_age_s"]
    # Lets a test make a store's incremental sync fall back to a full fetch.
    if since is not None and max_age is not None and since < int(tenant.now()) - max_age:
        raise BadRequest(SINCE_TOO_OLD)
    return since


# The real API's wording for this case is unknown; clients should match the status.
SINCE_TOO_OLD = "since is too old; fetch without since"


def _strict_bool(req, name):
    value = req.params.get(name)
    if value is None or value == "false":
        return False
    if value == "true":
        return True
    raise BadRequest(f"Invalid {name}")


def _positive(req, name):
    value = _int_param(req, name, f"Invalid {name}")
    if value is not None and value <= 0:
        raise BadRequest(f"Invalid {name}")
    return value


def _visible(item, since):
    """Deleted items exist only for `since` queries, like the real API."""
    if since is None:
        return not item.deleted
    return item.at >= since


def _array(fragments):
    return Reply(200, b"[" + b",".join(fragments) + b"]", JSON)


# --- /me -------------------------------------------------------------------------

def get_me(tenant, req):
    with tenant.lock:
        user = {k: tenant.user[k] for k in seed.ME_KEYS}
        authorization_updated_at = tenant.user["authorization_updated_at"]
    body = encode(user)[:-1]
    if req.params.get("with_related_data") in _TRUE:
        # The recording's key order: the lists sit between oauth_providers and
        # authorization_updated_at. Spliced pre-encoded: they are ~1 MB.
        body += b"," + history.view(tenant).related_json()
    body += b',"authorization_updated_at":' + encode(authorization_updated_at) + b"}"
    return Reply(200, body, JSON)


def _now_stamp(seconds):
    now = datetime.fromtimestamp(seconds, timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond:06d}Z"


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def put_me(tenant, req):
    try:
        body = json.loads(req.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest("Invalid request body")
    if not isinstance(body, dict):
        raise BadRequest("Invalid request body")
    # null means "not given", as with the Go API's pointer fields.
    body = {k: v for k, v in body.items() if v is not None}
    with tenant.lock:
        user = tenant.user
        # Checked in the reference's (alphabetical) field order, so that a body
        # with several problems always reports the same one.
        v = body.get("beginning_of_week")
        if "beginning_of_week" in body and not (_is_int(v) and 0 <= v <= 6):
            raise BadRequest("Invalid beginning_of_week")
        v = body.get("country_id")
        if "country_id" in body and not (_is_int(v) and v > 0):
            raise BadRequest("Invalid country_id")
        if "current_password" in body and body["current_password"] != user["password"]:
            raise BadRequest("Current password is not valid")
        v = body.get("default_workspace_id")
        if "default_workspace_id" in body and not (_is_int(v) and v in seed.WORKSPACE_IDS):
            raise BadRequest("Invalid default_workspace_id")
        v = body.get("email")
        if "email" in body:
            if not (isinstance(v, str) and _EMAIL_RE.match(v)):
                raise BadRequest("Invalid email")
            if v.lower() == seed.TAKEN_EMAIL and v.lower() != user["email"].lower():
                raise BadRequest("user with this email already exists")
        v = body.get("fullname")
        if "fullname" in body and not (isinstance(v, str) and v.strip() and len(v) <= 255):
            raise BadRequest("Invalid fullname")
        if "password" in body:
            if "current_password" not in body:
                raise BadRequest("Current password must be present to change password")
            if not (isinstance(body["password"], str) and len(body["password"]) >= 6):
                raise BadRequest("Password should be at least 6 characters")
        if "timezone" in body and body["timezone"] not in seed.TIMEZONES:
            raise BadRequest("Invalid timezone")

        stamp = _now_stamp(tenant.now())
        for key in ("beginning_of_week", "country_id", "default_workspace_id",
                    "fullname", "timezone"):
            if key in body:
                user[key] = body[key]
        if "email" in body and body["email"] != user["email"]:
            user["email"] = body["email"]
            user["toggl_accounts_updated_at"] = stamp
        if "password" in body:
            user["password"] = body["password"]
            user["has_password"] = True
            user["toggl_accounts_updated_at"] = stamp
            user["authorization_updated_at"] = stamp
        user["at"] = user["updated_at"] = stamp
        return json_reply(200, {k: user[k] for k in seed.PUT_KEYS})


def get_logged(tenant, req):
    return Reply(200, b"")


def get_location(tenant, req):
    with tenant.lock:
        empty = tenant.config["location_empty"]
    return Reply(200, b"") if empty else json_reply(200, seed.LOCATION)


def get_features(tenant, req):
    return json_reply(200, seed.FEATURES)


def get_organizations(tenant, req):
    return json_reply(200, seed.ORGANIZATIONS)


def get_quota(tenant, req):
    remaining, resets_in, total = tenant.quota_state(time.monotonic())
    # Every /me endpoint spends the user quota (organization_id null); the
    # sandbox has no organization endpoints, so that bucket stays full.
    return json_reply(200, [
        {"organization_id": None, "remaining": remaining, "resets_in_secs": resets_in, "total": total},
        {"organization_id": seed.ORG_ID, "remaining": total, "resets_in_secs": 0, "total": total},
    ])


# --- collections ------------------------------------------------------------------
# Each list route answers exactly what these return, from one history.View (the tenant's
# state: the shared seed until it changes something); the control API's manifest counts
# them too, so the counts tests read can never drift from what the routes send.

# GET /me/projects/paginated without per_page, like the real API.
PROJECTS_PER_PAGE_DEFAULT = 201


def clients(view, since=None):
    return [c for c in view.items("clients") if _visible(c, since)]


def tags(view, since=None):
    return [t for t in view.items("tags") if _visible(t, since)]


def projects(view, since=None, include_archived=False):
    return [p for p in view.items("projects")
            if _visible(p, since) and (p.active or include_archived)]


def tasks(view, since=None, include_not_active=False):
    return [t for t in view.items("tasks")
            if _visible(t, since) and (t.active or include_not_active)]


def get_clients(tenant, req):
    return _array([c.json for c in clients(history.view(tenant), _since(tenant, req))])


def get_tags(tenant, req):
    return _array([t.json for t in tags(history.view(tenant), _since(tenant, req))])


def get_projects(tenant, req):
    include_archived = _strict_bool(req, "include_archived")
    since = _since(tenant, req)
    return _array([p.json for p in projects(history.view(tenant), since, include_archived)])


def get_projects_paginated(tenant, req):
    start = _int_param(req, "start_project_id", "Invalid start_project_id")
    since = _since(tenant, req)
    per_page = _positive(req, "per_page") or PROJECTS_PER_PAGE_DEFAULT
    view = history.view(tenant)
    page = []
    i = bisect.bisect_left(view.ids("projects"), start) if start is not None else 0
    items = view.items("projects")
    while i < len(items) and len(page) < per_page:
        if _visible(items[i], since):
            page.append(items[i].json)
        i += 1
    return _array(page)


def get_tasks(tenant, req):
    meta = req.params.get("meta") in _TRUE
    since = _since(tenant, req)
    include_not_active = _strict_bool(req, "include_not_active")
    offset = _int_param(req, "offset", "Invalid offset")
    if offset is not None and offset < 0:
        raise BadRequest("Invalid offset")
    per_page = _positive(req, "per_page")
    offset = offset or 0
    view = history.view(tenant)
    page = tasks(view, since, include_not_active)[offset:offset + per_page if per_page else None]
    if not meta:
        return _array([t.json for t in page])
    with tenant.lock:
        fullname = tenant.user["fullname"]
    out = []
    for t in page:
        item = _task_meta(view, t)
        item["user_name"] = fullname if item["user_id"] is not None else None
        item["avatar_url"] = None
        out.append(item)
    return json_reply(200, out)


def _task_meta(view, task):
    """meta=true fields, from the view's projects and clients (renamed ones included)."""
    if view is history.SEED:
        return dict(seed.TASK_META[task.id])
    project = view.by_id("projects").get(task.data["project_id"])
    p = project.data if project is not None else {}
    client = view.by_id("clients").get(p.get("client_id"))
    return dict(task.data,
                project_name=p.get("name"), project_color=p.get("color"),
                project_billable=p.get("billable"), project_is_private=p.get("is_private"),
                client_id=p.get("client_id"),
                client_name=client.data["name"] if client is not None else None)


ROUTES = {
    ("GET", "/me"): get_me,
    ("PUT", "/me"): put_me,
    ("GET", "/me/logged"): get_logged,
    ("GET", "/me/clients"): get_clients,
    ("GET", "/me/features"): get_features,
    ("GET", "/me/location"): get_location,
    ("GET", "/me/organizations"): get_organizations,
    ("GET", "/me/projects"): get_projects,
    ("GET", "/me/projects/paginated"): get_projects_paginated,
    ("GET", "/me/tags"): get_tags,
    ("GET", "/me/tasks"): get_tasks,
    ("GET", "/me/quota"): get_quota,
}
