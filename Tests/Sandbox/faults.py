"""Fault injection: validating fault objects and acting them out on a connection.

A fault is taken from the tenant's queue before auth and quota. Canned answers
and socket-level actions skip the normal path entirely (not counted against
the quota, no quota headers unless the fault supplies them); "pass", "stall",
"truncate" and "trickle" run the normal path and then deliver its answer
late, partly or slowly.
"""

import json

from seed import encode
from wire import HTML, JSON, TEXT, Reply, head

ACTIONS = ("reset", "truncate", "oversize", "malformed", "stall", "trickle", "redirect", "raw")
BODY_KINDS = ("json_string", "plain", "html", "empty")
MALFORMED_BODY = b'{"id": 1, "fullname": '
CHUNK = 256 * 1024

_TYPES = {
    "path": str, "method": str, "times": int, "status": int, "body": str,
    "content_type": str, "headers": dict, "body_kind": str, "message": str,
    "delay_ms": (int, float), "pass": bool, "action": str, "size_bytes": int,
    "no_length": bool, "stall_ms": (int, float), "interval_ms": (int, float),
    "location": str, "close": bool, "raw": str, "element": str, "prefix": str,
    "suffix": str,
}


def validate(fault):
    """Return a normalized copy, or raise ValueError saying what is wrong.
    Unknown keys are errors: a typo would otherwise silently test nothing."""
    if not isinstance(fault, dict):
        raise ValueError("each fault must be a JSON object")
    for key, value in fault.items():
        kind = _TYPES.get(key)
        if kind is None:
            raise ValueError(f"unknown fault field {key!r}")
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise ValueError(f"fault field {key!r} has the wrong type")
    f = dict(fault)
    f["times"] = f.get("times", 1)
    if f["times"] == 0 or f["times"] < -1:
        raise ValueError("times must be -1 (forever) or >= 1")
    if "path" in f and not f["path"].startswith("/"):
        raise ValueError("path is the part after /api/v9 and starts with '/'")
    if "status" in f and not 100 <= f["status"] <= 999:
        raise ValueError("status must be 100..999")
    if f.get("action") is not None and f["action"] not in ACTIONS:
        raise ValueError(f"action must be one of {', '.join(ACTIONS)}")
    if f.get("body_kind") is not None and f["body_kind"] not in BODY_KINDS:
        raise ValueError(f"body_kind must be one of {', '.join(BODY_KINDS)}")
    for key in ("delay_ms", "stall_ms", "interval_ms"):
        if f.get(key, 0) < 0:
            raise ValueError(f"{key} must be >= 0")
    if f.get("size_bytes", 2) < 2:
        raise ValueError("size_bytes must be >= 2")
    for name, value in f.get("headers", {}).items():
        if not isinstance(value, str) or any(c in name + value for c in "\r\n") or not name:
            raise ValueError("headers must map names to single-line strings")
    if f.get("action") == "redirect" and "location" not in f:
        raise ValueError("a redirect needs a location")
    if f.get("action") == "raw" and "raw" not in f:
        raise ValueError("a raw action needs raw (the bytes to send, as latin-1 text)")
    if f.get("element") == "":
        raise ValueError("element must not be empty")
    if not any(k in f for k in ("status", "action", "pass", "delay_ms")):
        raise ValueError("a fault needs status, action, pass or delay_ms")
    return f


def canned(f):
    """The Reply for a fault with a status (and no action)."""
    text = f.get("message", "")
    kind = f.get("body_kind")
    if "body" in f:
        body = f["body"].encode("utf-8")
        content_type = JSON if _is_json(body) else TEXT
    elif kind == "json_string" or (kind is None and "message" in f):
        body, content_type = encode(text), JSON
    elif kind == "plain":
        body, content_type = text.encode("utf-8"), TEXT
    elif kind == "html":
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        body = (f"<html><head><title>{escaped}</title></head>"
                f"<body><h1>{escaped}</h1></body></html>\n").encode("utf-8")
        content_type = HTML
    else:
        body, content_type = b"", None
    if "content_type" in f:
        content_type = f["content_type"] or None
    return Reply(f["status"], body, content_type, list(f.get("headers", {}).items()),
                 close=f.get("close", False))


def _is_json(body):
    try:
        json.loads(body)
        return True
    except ValueError:
        return False


def run(conn, f, normal):
    """Act out fault `f` on `conn`; `normal()` computes the regular Reply."""
    if f.get("delay_ms") and not conn.wait(f["delay_ms"] / 1000):
        return conn.abort()
    action = f.get("action")
    extra = list(f.get("headers", {}).items())
    if action == "reset":
        return conn.abort()
    if action == "stall":
        if not conn.wait(f.get("stall_ms", 3000) / 1000):
            return conn.abort()
        if f.get("close"):
            return conn.hang_up()
        return conn.send(normal())
    if action == "truncate":
        reply = normal()
        half = reply.body[:len(reply.body) // 2]
        conn.close_connection = True
        return conn.send_raw(head(reply.status, reply.headers + extra, len(reply.body), close=True,
                                  now=conn.now()) + half)
    if action == "trickle":
        return _trickle(conn, normal(), extra, f.get("interval_ms", 500) / 1000)
    if action == "oversize":
        if "element" in f or "prefix" in f or "suffix" in f:
            return _repeat(conn, f, extra)
        return _oversize(conn, f.get("size_bytes", 2 * 1024 * 1024), f.get("no_length", False), extra)
    if action == "raw":
        # Exactly these bytes, nothing added: status lines, framing and headers a real
        # server would never send. The connection closes afterwards unless close is false.
        conn.close_connection = f.get("close", True)
        return conn.send_raw(f["raw"].encode("latin-1"))
    if action == "malformed":
        body = f["body"].encode("utf-8") if "body" in f else MALFORMED_BODY
        return conn.send(Reply(200, body, f.get("content_type", JSON), extra, close=f.get("close", False)))
    if action == "redirect":
        return conn.send(Reply(f.get("status", 302), b"", None,
                               [("Location", f["location"])] + extra, close=f.get("close", False)))
    if "status" in f:
        return conn.send(canned(f))
    return conn.send(normal())   # "pass", or a bare delay


def _trickle(conn, reply, extra, interval):
    conn.send_raw(head(reply.status, reply.headers + extra, len(reply.body),
                       close=conn.close_connection, now=conn.now()))
    for i in range(len(reply.body)):
        # wait() returns early when the client hangs up (low-speed-limit tests).
        if not conn.wait(interval):
            return conn.abort()
        conn.send_raw(reply.body[i:i + 1])
    return None


def _repeat(conn, f, extra):
    # prefix + element,element,... + suffix, at most size_bytes in all, streamed with its
    # Content-Length: a huge page of tiny objects ("{}") costs the client per element.
    prefix, suffix = f.get("prefix", "[").encode(), f.get("suffix", "]").encode()
    element = f.get("element", "0").encode()
    size = f.get("size_bytes", 2 * 1024 * 1024)
    count = max(1, (size - len(prefix) - len(suffix) + 1) // (len(element) + 1))
    length = len(prefix) + count * (len(element) + 1) - 1 + len(suffix)
    conn.send_raw(head(f.get("status", 200), [("Content-Type", JSON)] + extra, length,
                       close=conn.close_connection, now=conn.now()) + prefix)
    per_block = max(1, CHUNK // (len(element) + 1))
    block = (element + b",") * per_block
    left = count - 1
    while left > 0:
        n = min(left, per_block)
        conn.send_raw(block if n == per_block else (element + b",") * n)
        left -= n
    return conn.send_raw(element + suffix)


def _oversize(conn, size, no_length, extra):
    # "[0,0,...,0 ]": exactly `size` bytes of valid JSON, generated on the fly
    # so a 100 MiB body costs no memory.
    pairs, pad = divmod(size - 3, 2) if size >= 3 else (0, -1)
    if no_length:
        conn.close_connection = True
    conn.send_raw(head(200, [("Content-Type", JSON)] + extra,
                       None if no_length else size, close=no_length, now=conn.now()) + b"[")
    if pad < 0:                          # size 2: "[]"
        return conn.send_raw(b"]")
    block = b"0," * (CHUNK // 2)
    while pairs > 0:
        n = min(pairs, CHUNK // 2)
        conn.send_raw(block if n == CHUNK // 2 else b"0," * n)
        pairs -= n
    return conn.send_raw(b"0" + b" " * pad + b"]")
