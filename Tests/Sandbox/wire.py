"""Responses as values, and their exact bytes on the wire.

A response is rendered to ONE bytes object so the handler can hand it to a
single sendall(): writing the head and the body separately lets Nagle plus
delayed ACK add ~40 ms to every keep-alive request.
"""

import email.utils
import functools
import http
import time

from seed import encode

JSON = "application/json; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"

_REASONS = {s.value: s.phrase for s in http.HTTPStatus}


class Reply:
    """status + body + headers. close=True ends the connection after it."""
    __slots__ = ("status", "body", "headers", "close")

    def __init__(self, status, body=b"", content_type=None, headers=(), close=False):
        self.status = status
        self.body = body
        self.headers = [("Content-Type", content_type)] if content_type else []
        self.headers.extend(headers)
        self.close = close


def json_reply(status, obj, headers=()):
    return Reply(status, encode(obj), JSON, headers)


def message(status, text):
    """The API's usual error shape: a bare JSON string."""
    return Reply(status, encode(text), JSON)


@functools.lru_cache(maxsize=256)
def http_date(seconds):
    """RFC 7231 IMF-fixdate. Cached: tenants with shifted clocks ask for a few
    seconds each, and formatting costs more than the rest of a small head."""
    return email.utils.formatdate(seconds, usegmt=True)


def head(status, headers, length, close=False, keep_alive_header=False, now=None):
    """Status line and headers. length=None leaves Content-Length out; a
    Content-Length in `headers` (set by a fault on purpose) wins. `now` is the
    tenant's clock (unix seconds) for the Date header; None is wall time."""
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}",
             "Date: " + http_date(int(time.time() if now is None else now)),
             "Server: toggl-sandbox"]
    has_length = False
    for name, value in headers:
        lines.append(f"{name}: {value}")
        has_length = has_length or name.lower() == "content-length"
    if length is not None and not has_length:
        lines.append(f"Content-Length: {length}")
    if close:
        lines.append("Connection: close")
    elif keep_alive_header:
        lines.append("Connection: keep-alive")
    lines.append("\r\n")
    return "\r\n".join(lines).encode("utf-8")


def render(reply, head_only=False, close=False, keep_alive_header=False, now=None):
    data = head(reply.status, reply.headers, len(reply.body), close, keep_alive_header, now)
    return data if head_only else data + reply.body
