"""The test-control API under .../__sandbox/: config, faults, request log, reset.

No auth, not logged, not counted against the quota: it is the test's side
channel, not part of the fake Toggl.
"""

import json

import faults
from seed import encode
from wire import JSON, Reply, json_reply, message


def _number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


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
}


def _parse(body):
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def handle(tenant, method, path, body):
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
