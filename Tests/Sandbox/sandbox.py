#!/usr/bin/env python3
"""libtoggl's fake Toggl Track API v9 server (the sandbox). Standard library only.

    python3 Tests/Sandbox/sandbox.py [--port 0] [--host 127.0.0.1] [--exit-on-stdin-eof]

Prints exactly one line, "PORT <n>", once it is listening. API routes live
under /api/v9 (the default tenant) and /t/<tenant>/api/v9 (an isolated,
lazily seeded tenant per test); the control API under .../__sandbox/.
See README.md in this folder for the whole contract.
"""

import argparse
import itertools
import os
import re
import select
import socket
import struct
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import api        # noqa: E402  (needs the path above)
import control    # noqa: E402
import faults     # noqa: E402
import tenants    # noqa: E402
import wire       # noqa: E402

MAX_BODY = 8 * 1024 * 1024
MAX_HEADERS = 100
_VERSION_RE = re.compile(r"HTTP/[0-9]\.[0-9]\Z")
_DIGITS_RE = re.compile(r"[0-9]{1,15}\Z")
_TOKEN_RE = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+\Z")
# Idle keep-alive connections are dropped after this, like nginx does.
IDLE_TIMEOUT_S = 300

_PATH_RE = re.compile(
    r"(?:/t/(?P<tenant>[A-Za-z0-9_-]{1,64}))?(?P<kind>/api/v9|/__sandbox)(?P<rest>/.*)?\Z", re.S)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One serial number per accepted socket, so tests can tell whether connections are reused.
    _connections = itertools.count(1)

    def setup(self):
        super().setup()
        self.connection_number = next(Handler._connections)
        self.tenant = None

    disable_nagle_algorithm = True   # TCP_NODELAY on every accepted socket
    timeout = IDLE_TIMEOUT_S

    def log_message(self, format, *args):
        pass   # quiet: tests and benchmarks read our stdout/stderr

    # --- the connection interface faults.run() uses ------------------------------

    def send(self, reply):
        if reply.close:
            self.close_connection = True
        self.connection.sendall(wire.render(
            reply, head_only=self.command == "HEAD", close=self.close_connection,
            keep_alive_header=self.request_version == "HTTP/1.0", now=self.now()))

    def now(self):
        """The Date header's clock: the request's tenant's, wall time before one is known."""
        return self.tenant.now() if self.tenant is not None else None

    def send_raw(self, data):
        self.connection.sendall(data)

    def abort(self):
        """Close with RST (SO_LINGER 0), so the client sees a reset, not EOF."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self._close_socket()

    def hang_up(self):
        """Close cleanly (FIN) without answering."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._close_socket()

    def _close_socket(self):
        # The fd closes only once the makefile() wrappers are gone too.
        for f in (self.wfile, self.rfile, self.connection):
            try:
                f.close()
            except OSError:
                pass

    def wait(self, seconds):
        """Sleep up to `seconds`; False as soon as the peer has hung up."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return True
            readable, _, _ = select.select([self.connection], [], [], left)
            if readable:
                try:
                    if not self.connection.recv(1, socket.MSG_PEEK):
                        return False
                except OSError:
                    return False
                # Pipelined bytes, not a hang-up: keep waiting without spinning.
                time.sleep(max(0.0, deadline - time.monotonic()))
                return True

    # --- HTTP plumbing -----------------------------------------------------------

    def send_error(self, code, message=None, explain=None):
        """Protocol errors (bad request line, huge headers, bad framing), in
        one send, then close: the stream can no longer be trusted."""
        self.close_connection = True
        self.command = self.command or "GET"
        text = (message or "Bad Request") + "\n"
        self.send(wire.Reply(code, text.encode("utf-8", "replace"), wire.TEXT, close=True))

    def parse_request(self):
        """Request line and headers, into self.headers: a plain dict with
        lower-case names (repeats joined by ", "), the request log's shape.
        Replaces the stdlib's email-package parser, a third of the cost of a
        keep-alive request."""
        self.close_connection = True
        self.request_version = "HTTP/1.1"
        line = self.raw_requestline.decode("iso-8859-1").rstrip("\r\n")
        self.requestline = line
        words = line.split()
        if not words:
            return False
        if len(words) != 3 or not _VERSION_RE.match(words[2]):
            self.send_error(400, "Bad request syntax")
            return False
        self.command, self.path, version = words
        if version not in ("HTTP/1.0", "HTTP/1.1"):
            self.send_error(400, "Unsupported HTTP version")
            return False
        self.request_version = version
        headers = {}
        name = None
        for _ in range(MAX_HEADERS + 1):
            raw = self.rfile.readline(65537)
            if len(raw) > 65536:
                self.send_error(400, "Header line too long")
                return False
            if raw in (b"\r\n", b"\n", b""):
                break
            text = raw.decode("iso-8859-1").rstrip("\r\n")
            if text[:1] in (" ", "\t") and name:           # obsolete line folding
                headers[name] += " " + text.strip()
                continue
            name, sep, value = text.partition(":")
            name = name.lower()
            if not sep or not _TOKEN_RE.match(name):
                self.send_error(400, "Bad header line")
                return False
            value = value.strip()
            headers[name] = headers[name] + ", " + value if name in headers else value
        else:
            self.send_error(400, "Too many headers")
            return False
        self.headers = headers
        connection = headers.get("connection", "").lower()
        self.close_connection = "close" in connection or (
            version == "HTTP/1.0" and "keep-alive" not in connection)
        if headers.get("expect", "").lower() == "100-continue" and version == "HTTP/1.1":
            self.connection.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        return True

    def handle_one_request(self):
        try:
            self.command = None
            self.tenant = None        # keep-alive: the next request may be another tenant's
            self.raw_requestline = self.rfile.readline(65537)
            if not self.raw_requestline:
                self.close_connection = True
                return
            self.request_version = "HTTP/1.1"
            if len(self.raw_requestline) > 65536:
                self.send_error(400, "Request line too long")
                return
            if not self.parse_request():
                return
            body = self._read_body()
            if body is not None:
                self._dispatch(body)
        except (OSError, ValueError):
            # Client went away (reset, broken pipe, timeout) or we aborted.
            self.close_connection = True

    def _read_body(self):
        te = self.headers.get("transfer-encoding")
        if te is not None:
            if te.strip().lower() != "chunked":
                self.send_error(400, "Unsupported Transfer-Encoding")
                return None
            return self._read_chunked()
        if "content-length" not in self.headers:
            return b""
        lengths = set(v.strip() for v in self.headers["content-length"].split(","))
        if len(lengths) > 1 or not _DIGITS_RE.match(next(iter(lengths))):
            self.send_error(400, "Invalid Content-Length")
            return None
        n = int(next(iter(lengths)))
        if n > MAX_BODY:
            self.send_error(413, "Request body too large")
            return None
        body = self.rfile.read(n)
        if len(body) < n:
            self.close_connection = True
            return None
        return body

    def _read_chunked(self):
        parts, total = [], 0
        while True:
            line = self.rfile.readline(1026)
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                self.send_error(400, "Invalid chunked body")
                return None
            if size < 0 or total + size > MAX_BODY:
                self.send_error(413 if size > 0 else 400, "Request body too large")
                return None
            if size == 0:
                for _ in range(100):                      # trailers
                    trailer = self.rfile.readline(65537)
                    if trailer in (b"\r\n", b"\n", b""):
                        return b"".join(parts)
                self.send_error(400, "Too many trailers")
                return None
            chunk = self.rfile.read(size)
            if len(chunk) < size or self.rfile.readline(3) not in (b"\r\n", b"\n"):
                self.send_error(400, "Invalid chunked body")
                return None
            parts.append(chunk)
            total += size

    def _dispatch(self, body):
        target = self.path
        if not target.startswith("/"):
            target = urlsplit(target)._replace(scheme="", netloc="").geturl() or "/"
        path, _, query = target.partition("?")
        path = path.partition("#")[0]
        m = _PATH_RE.match(path)
        if m is None:
            return self.send(wire.message(404, "Not Found"))
        tenant = self.tenant = self.server.registry.get(m["tenant"] or tenants.DEFAULT_TENANT)
        rest = m["rest"] or ""
        if m["kind"] == "/__sandbox":
            return self.send(_guarded(control.handle, tenant, self.command, rest, body, query))
        tenant.record({"method": self.command, "path": rest, "query": query,
                       "headers": self.headers, "body": body.decode("utf-8", "replace"),
                       "connection": self.connection_number})
        req = api.Request(self.command, rest, query, self.headers, body)
        fault = tenant.take_fault(self.command, rest)
        if fault is None:
            return self.send(_guarded(api.answer, tenant, req))
        return faults.run(self, fault, lambda: _guarded(api.answer, tenant, req))


def _guarded(fn, *args):
    """A bug in a route must cost one 500, not the connection or the server."""
    try:
        return fn(*args)
    except Exception:
        traceback.print_exc(file=sys.stderr)
        return wire.message(500, "Internal Server Error")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128   # bursts of parallel connects must not hit SYN retries

    def __init__(self, address):
        super().__init__(address, Handler)
        self.registry = tenants.Registry()

    def handle_error(self, request, client_address):
        # Connection-level errors are routine here (faults, impatient
        # clients); anything else is a sandbox bug worth one stderr line.
        exc = sys.exc_info()[1]
        if not isinstance(exc, (OSError, ValueError)):
            print(f"sandbox: internal error: {exc!r}", file=sys.stderr, flush=True)


def _exit_on_stdin_eof():
    try:
        while sys.stdin.buffer.read1(65536):
            pass
    except (OSError, ValueError):
        pass
    os._exit(0)


def _raise_malloc_mmap_threshold():
    """glibc serves blocks above its mmap threshold (128 KiB at first) with fresh mmaps, so
    every large body (a 1 MB project list, the 5 MB one after 5,000 added projects) would be
    page-faulted in on every request, 2-3x its cost. The threshold rises to the size of the
    largest such block freed (up to 32 MiB): freeing one 16 MiB block keeps bodies up to that
    size on the heap. A no-op elsewhere."""
    block = bytearray(16 << 20)
    del block


def main(argv=None):
    parser = argparse.ArgumentParser(description="Fake Toggl Track API v9 server for tests.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--exit-on-stdin-eof", action="store_true",
                        help="exit when stdin closes, so a dying test takes the sandbox with it")
    args = parser.parse_args(argv)
    _raise_malloc_mmap_threshold()
    server = Server((args.host, args.port))
    if args.exit_on_stdin_eof:
        threading.Thread(target=_exit_on_stdin_eof, daemon=True).start()
    sys.stdout.write(f"PORT {server.server_address[1]}\n")
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
