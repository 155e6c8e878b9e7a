"""The test-control API under .../__sandbox/: config, faults, request log, reset,
clock, changes to the collections, and the manifest of counts.

No auth, not logged, not counted against the quota: it is the test's side
channel, not part of the fake Toggl.
"""

import json
import re
from urllib.parse import parse_qs

import api
import faults
import history
import seed
from seed import encode
from wire import JSON, Reply, json_reply, message


def _number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


# name -> (check, error message)
_CONFIG = {
    "quota_limit": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
                    "quota_limit must be an integer >= 0"),
    "quota_window_s": (lambda v: _number(v) and v > 0,
                       "quota_window_s must be a number > 0"),
    "location_empty": (lambda v: isinstance(v, bool), "location_empty must be a boolean"),
    "rate_limit_per_s": (lambda v: v is None or (_number(v) and v > 0),
                         "rate_limit_per_s must be a number > 0 or null"),
    "rate_limit_burst": (lambda v: _number(v) and v >= 1,
                         "rate_limit_burst must be a number >= 1"),
    "extra_tokens": (lambda v: isinstance(v, list) and all(isinstance(t, str) and t for t in v),
                     "extra_tokens must be a list of non-empty strings"),
    "since_max_age_s": (lambda v: v is None or (_is_int(v) and v > 0),
                        "since_max_age_s must be an integer > 0 or null"),
}


def manifest(view, since=None):
    """Counts of a tenant's data (`view`: history.view(tenant)), each one what a route answers
    (read through the very functions the routes use), so that tests in every language take
    them from here instead of writing 1,250 in three places. With `since` (unix seconds), the
    collection counts are those of the same routes asked with that `since`; the other keys
    do not change."""
    def deleted(kind):
        return sum(1 for i in view.items(kind) if i.deleted and (since is None or i.at >= since))

    projects = api.projects(view, since, include_archived=True)
    tasks = api.tasks(view, since, include_not_active=True)
    return {
        "organizations": len(seed.ORGANIZATIONS),
        "workspaces": len(seed.WORKSPACES),
        "clients": len(api.clients(view, since)),
        "clients_deleted": deleted("clients"),
        "tags": len(api.tags(view, since)),
        "tags_deleted": deleted("tags"),
        "projects": len(projects),
        "projects_active": len(api.projects(view, since)),
        "projects_archived": sum(1 for p in projects if not p.active),
        "projects_deleted": deleted("projects"),
        "tasks": len(tasks),
        "tasks_active": len(api.tasks(view, since)),
        "tasks_inactive": sum(1 for t in tasks if not t.active),
        "time_entries": sum(1 for i in view.items("time_entries") if not i.deleted),
        "projects_per_page_default": api.PROJECTS_PER_PAGE_DEFAULT,
    }


# The seed's, computed once at startup: every tenant that never changed anything shares it.
MANIFEST = manifest(history.SEED)
_SINCE_RE = re.compile(r"[+-]?[0-9]{1,18}\Z")


def _manifest_reply(tenant, query):
    params = parse_qs(query, keep_blank_values=True)
    unknown = sorted(set(params) - {"since"})
    if unknown:
        return message(400, f"unknown manifest parameter {unknown[0]!r}")
    view = history.view(tenant)
    if "since" not in params:
        return json_reply(200, MANIFEST if view is history.SEED else manifest(view))
    values = params["since"]
    if len(values) != 1 or not _SINCE_RE.match(values[0]):
        return message(400, "since must be one integer (unix seconds)")
    return json_reply(200, manifest(view, int(values[0])))


def _clock_reply(tenant, body):
    if body is not None:
        req = _parse(body)
        if not isinstance(req, dict) or set(req) != {"advance_s"}:
            return message(400, 'clock takes {"advance_s": <integer seconds >= 0>}')
        if not (_is_int(req["advance_s"]) and req["advance_s"] >= 0):
            return message(400, "advance_s must be an integer >= 0 (the clock never goes back)")
        return json_reply(200, {"now": int(tenant.advance_clock(req["advance_s"]))})
    return json_reply(200, {"now": int(tenant.now())})


def _changes_reply(tenant, body):
    ops = _parse(body)
    try:
        items = history.apply(tenant, ops)
    except history.ChangeError as e:
        return message(400, str(e))
    return json_reply(200, {"applied": len(ops), "items": items})


def _parse(body):
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def handle(tenant, method, path, body, query=""):
    if (method, path) == ("GET", "/manifest"):
        return _manifest_reply(tenant, query)
    if (method, path) == ("GET", "/clock"):
        return _clock_reply(tenant, None)
    if (method, path) == ("POST", "/clock"):
        return _clock_reply(tenant, body)
    if (method, path) == ("POST", "/changes"):
        return _changes_reply(tenant, body)
    if (method, path) == ("POST", "/config"):
        cfg = _parse(body)
        if not isinstance(cfg, dict):
            return message(400, "config must be a JSON object")
        for key, value in cfg.items():
            if key not in _CONFIG:
                return message(400, f"unknown config key {key!r}")
            check, error = _CONFIG[key]
            if not check(value):
                return message(400, error)
        with tenant.lock:
            tenant.config.update(cfg)
        return json_reply(200, {})
    if (method, path) == ("POST", "/faults"):
        items = _parse(body)
        if not isinstance(items, list):
            return message(400, "faults must be a JSON array of fault objects")
        try:
            validated = [faults.validate(f) for f in items]
        except ValueError as e:
            return message(400, str(e))
        tenant.add_faults(validated)
        return json_reply(200, {})
    if (method, path) == ("GET", "/faults"):
        return json_reply(200, tenant.pending_faults())
    if (method, path) == ("DELETE", "/faults"):
        tenant.clear_faults()
        return json_reply(200, {})
    if (method, path) == ("GET", "/requests"):
        return Reply(200, b"[" + b",".join(encode(e) for e in tenant.requests()) + b"]", JSON)
    if (method, path) == ("GET", "/requests/count"):
        with tenant.lock:
            count = tenant.log_count
        return json_reply(200, {"count": count})
    if (method, path) == ("POST", "/reset"):
        tenant.reset()
        return json_reply(200, {})
    return message(404, "Not Found")
