"""Fixtures: one sandbox per test session, one fresh tenant per test."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest

# The sandbox is on loopback; never route it through a proxy (libcurl reads these too).
os.environ["no_proxy"] = os.environ["NO_PROXY"] = "127.0.0.1,localhost"

REPO = Path(__file__).resolve().parents[3]          # tests -> python -> bindings -> repo
SANDBOX = REPO / "Tests" / "Sandbox" / "sandbox.py"

TOKEN = "sandbox-api-token-0123456789abcdef"
EMAIL = "sandbox@example.com"
PASSWORD = "sandbox-password"
FULLNAME = "Sandbox User"

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Tenant:
    """One isolated sandbox tenant: its API base URL and its control API."""

    def __init__(self, port: int, name: str) -> None:
        self.name = name
        self.root = f"http://127.0.0.1:{port}/t/{name}"
        self.base_url = f"{self.root}/api/v9"
        self.control_url = f"{self.root}/__sandbox"

    def _control(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(f"{self.control_url}/{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with _NO_PROXY.open(req, timeout=30) as resp:
            return json.loads(resp.read().decode("utf-8"))

    def config(self, **settings: Any) -> None:
        self._control("POST", "config", settings)

    def faults(self, *faults: Dict[str, Any]) -> None:
        self._control("POST", "faults", list(faults))

    def requests(self) -> List[Dict[str, Any]]:
        return self._control("GET", "requests")

    def count(self) -> int:
        return self._control("GET", "requests/count")["count"]

    def last(self) -> Dict[str, Any]:
        return self.requests()[-1]

    def queries(self) -> List[str]:
        return [r["query"] for r in self.requests()]

    def reset(self) -> None:
        self._control("POST", "reset", {})

    def changes(self, *operations: Dict[str, Any]) -> Dict[str, Any]:
        """POST __sandbox/changes (Tests/Sandbox/README.md, "Changes"): the reply."""
        reply: Dict[str, Any] = self._control("POST", "changes", list(operations))
        return reply

    def clock(self) -> int:
        """The tenant's clock (UNIX seconds)."""
        now: int = self._control("GET", "clock")["now"]
        return now

    def advance_clock(self, seconds: int) -> int:
        """Move the tenant's clock forward; its new now."""
        now: int = self._control("POST", "clock", {"advance_s": seconds})["now"]
        return now

    def client(self, **options: Any) -> Any:
        import toggl
        options.setdefault("base_url", self.base_url)
        if "email" not in options and "api_token" not in options:
            options["api_token"] = TOKEN
        return toggl.Client(**options)


class Sandbox:
    def __init__(self, port: int) -> None:
        self.port = port

    def manifest(self, since: Optional[int] = None) -> Dict[str, int]:
        """The seed's counts (GET /__sandbox/manifest, keys in Tests/Sandbox/README.md); with
        ``since``, what the routes answer for that ``since``."""
        query = "" if since is None else f"?since={since}"
        url = f"http://127.0.0.1:{self.port}/__sandbox/manifest{query}"
        with _NO_PROXY.open(url, timeout=30) as resp:
            counts: Dict[str, int] = json.loads(resp.read().decode("utf-8"))
        return counts

    def tenant(self, hint: str = "t") -> Tenant:
        safe = re.sub(r"[^A-Za-z0-9_-]", "-", hint)[:40]
        return Tenant(self.port, f"{safe}-{uuid.uuid4().hex[:16]}")


def _read_port(proc: "subprocess.Popen[bytes]", deadline_s: float) -> int:
    assert proc.stdout is not None
    deadline = time.monotonic() + deadline_s
    line = b""
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or proc.poll() is not None:
            raise RuntimeError(f"sandbox did not print its port (got {line!r})")
        ready, _, _ = select.select([proc.stdout], [], [], left)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 1)
            if not chunk:
                raise RuntimeError(f"sandbox exited before printing its port (got {line!r})")
            line += chunk
    m = re.fullmatch(rb"PORT (\d+)\r?\n", line)
    if not m:
        raise RuntimeError(f"unexpected first line from the sandbox: {line!r}")
    return int(m.group(1))


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    if not SANDBOX.is_file():
        pytest.fail(f"sandbox not found at {SANDBOX}")
    proc = subprocess.Popen([sys.executable, str(SANDBOX), "--port", "0", "--exit-on-stdin-eof"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        port = _read_port(proc, 60)
        yield Sandbox(port)
    finally:
        assert proc.stdin is not None
        proc.stdin.close()                 # --exit-on-stdin-eof
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.fixture(scope="session")
def manifest(sandbox: Sandbox) -> Dict[str, int]:
    """The seed's counts, from the sandbox: tests never write 1,250 themselves."""
    return sandbox.manifest()


@pytest.fixture
def tenant(request: pytest.FixtureRequest, sandbox: Sandbox) -> Tenant:
    return sandbox.tenant(request.node.name)


@pytest.fixture
def client(tenant: Tenant) -> Iterator[Any]:
    c = tenant.client()
    try:
        yield c
    finally:
        c.close()


def basic(user: str, password: str) -> str:
    import base64
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = 10.0) -> None:
    """Poll ``condition`` until it holds; fail the test naming ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(0.002)


def walk_requests(total: int, per_page: int) -> int:
    """Requests a walk of ``total`` items in pages of ``per_page`` sends: a short page ends it,
    an exact multiple needs one empty page more."""
    return total // per_page + 1


def only(requests: List[Dict[str, Any]], path: Optional[str] = None) -> Dict[str, Any]:
    """The single request (to `path`) in a log."""
    if path is not None:
        requests = [r for r in requests if r["path"] == path]
    assert len(requests) == 1, requests
    return requests[0]
