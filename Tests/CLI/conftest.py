"""Fixtures for the toggl command's tests: one sandbox per session, a fresh tenant per test, and a
runner that drives the BUILT binary (build/bin/toggl) with an environment of its own.

    make build/bin/toggl && build/venv/bin/python -m pytest -q Tests/CLI

Every run gets HOME and XDG_CACHE_HOME inside the test's tmp_path and its own TOGGL_STORE, so
nothing reaches the real home, and nothing of the developer's environment (NO_COLOR, TOGGL_*)
reaches the tool. Waits are polls against deadlines, never fixed sleeps.
"""

from __future__ import annotations

import base64
import errno
import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
import unicodedata
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

import pytest

os.environ["no_proxy"] = os.environ["NO_PROXY"] = "127.0.0.1,localhost"

REPO = Path(__file__).resolve().parents[2]          # CLI -> Tests -> repo
SANDBOX = REPO / "Tests" / "Sandbox" / "sandbox.py"
TOGGL = REPO / "build" / "bin" / "toggl"
TOKEN = "sandbox-api-token-0123456789abcdef"

# Exit codes (DESIGN.md, "The `toggl` command-line tool").
EX_OK, EX_USAGE, EX_DATAERR, EX_UNAVAILABLE, EX_SOFTWARE = 0, 64, 65, 69, 70
EX_CANTCREAT, EX_IOERR, EX_TEMPFAIL, EX_NOPERM, EX_INTERRUPTED = 73, 74, 75, 77, 130

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Tenant:
    """One isolated sandbox tenant: its API base URL, its control API, and direct API reads
    (the sandbox's own answers, to compare the tool's output with)."""

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
        reqs: List[Dict[str, Any]] = self._control("GET", "requests")
        return reqs

    def count(self) -> int:
        n: int = self._control("GET", "requests/count")["count"]
        return n

    def changes(self, *operations: Dict[str, Any]) -> Dict[str, Any]:
        reply: Dict[str, Any] = self._control("POST", "changes", list(operations))
        return reply

    def api(self, path: str) -> Any:
        """GET path (after /api/v9) from the sandbox itself, as the API would answer it (this
        is a request of the tenant too: read counts before calling it)."""
        auth = base64.b64encode(f"{TOKEN}:api_token".encode()).decode("ascii")
        req = urllib.request.Request(f"{self.base_url}{path}", headers={"Authorization": f"Basic {auth}"})
        with _NO_PROXY.open(req, timeout=30) as resp:
            body = resp.read().decode("utf-8")
        return json.loads(body) if body else None


class Sandbox:
    def __init__(self, port: int) -> None:
        self.port = port

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
    if not TOGGL.is_file():
        pytest.fail(f"{TOGGL} is not built: run `make build/bin/toggl` first")
    proc = subprocess.Popen([sys.executable, str(SANDBOX), "--port", "0", "--exit-on-stdin-eof"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        yield Sandbox(_read_port(proc, 60))
    finally:
        assert proc.stdin is not None
        proc.stdin.close()                 # --exit-on-stdin-eof
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.fixture
def tenant(request: pytest.FixtureRequest, sandbox: Sandbox) -> Tenant:
    return sandbox.tenant(request.node.name)


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def err_lines(self) -> List[str]:
        return self.err.splitlines()


class Toggl:
    """The built binary, with an environment that points at the test's tenant and tmp_path."""

    def __init__(self, tenant: Tenant, tmp_path: Path) -> None:
        self.tenant = tenant
        self.home = tmp_path / "home"
        self.home.mkdir(mode=0o700)
        self.store = tmp_path / "store.db"
        self.env: Dict[str, str] = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "LANG": "C.UTF-8",
            "TZ": "UTC",
            "no_proxy": "127.0.0.1,localhost",
            "NO_PROXY": "127.0.0.1,localhost",
            "TOGGL_API_TOKEN": TOKEN,
            "TOGGL_BASE_URL": tenant.base_url,
            "TOGGL_STORE": str(self.store),
        }

    def environment(self, env: Optional[Mapping[str, Optional[str]]] = None) -> Dict[str, str]:
        merged = dict(self.env)
        for key, value in (env or {}).items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        return merged

    def __call__(self, *args: str, env: Optional[Mapping[str, Optional[str]]] = None,
                 timeout: float = 120) -> Result:
        """Runs toggl with stdout and stderr on pipes (not a terminal); ``env`` values of None
        unset a variable."""
        proc = subprocess.run([str(TOGGL), *args], env=self.environment(env), stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=timeout)
        return Result(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))

    def counted(self, *args: str, env: Optional[Mapping[str, Optional[str]]] = None) -> Tuple[Result, int]:
        """Runs toggl; the result and how many requests it sent to the tenant."""
        before = self.tenant.count()
        result = self(*args, env=env)
        return result, self.tenant.count() - before

    def in_pty(self, *args: str, columns: int = 60, rows: int = 24, stdout_tty: bool = True,
               stderr_tty: bool = True, env: Optional[Mapping[str, Optional[str]]] = None,
               timeout: float = 60) -> Result:
        """Runs toggl with stdout and/or stderr on pseudo-terminals of the given size (each its
        own, so the two stay apart); the other on a pipe. Line ends come back as the terminal
        sends them (\\r\\n)."""
        masters: Dict[str, int] = {}
        slaves: Dict[str, int] = {}
        for name, wanted in (("out", stdout_tty), ("err", stderr_tty)):
            if wanted:
                master, slave = pty.openpty()
                fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
                masters[name], slaves[name] = master, slave
        proc = subprocess.Popen([str(TOGGL), *args], env=self.environment(env), stdin=subprocess.DEVNULL,
                                stdout=slaves.get("out", subprocess.PIPE), stderr=slaves.get("err", subprocess.PIPE))
        for slave in slaves.values():
            os.close(slave)
        streams: Dict[int, str] = {}
        for name, fd in masters.items():
            streams[fd] = name
        if proc.stdout is not None:
            streams[proc.stdout.fileno()] = "out"
        if proc.stderr is not None:
            streams[proc.stderr.fileno()] = "err"
        data: Dict[str, bytes] = {"out": b"", "err": b""}
        deadline = time.monotonic() + timeout
        open_fds = set(streams)
        try:
            while open_fds:
                left = deadline - time.monotonic()
                if left <= 0:
                    proc.kill()
                    pytest.fail(f"toggl {' '.join(args)} did not finish in {timeout} s")
                ready, _, _ = select.select(list(open_fds), [], [], left)
                for fd in ready:
                    try:
                        chunk = os.read(fd, 65536)
                    except OSError as error:       # EIO: the terminal's other end closed
                        if error.errno != errno.EIO:
                            raise
                        chunk = b""
                    if chunk:
                        data[streams[fd]] += chunk
                    else:
                        open_fds.discard(fd)
            code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        finally:
            for fd in masters.values():
                os.close(fd)
            for pipe in (proc.stdout, proc.stderr):
                if pipe is not None:
                    pipe.close()
        return Result(code, data["out"].decode("utf-8"), data["err"].decode("utf-8"))


@pytest.fixture
def toggl(tenant: Tenant, tmp_path: Path) -> Toggl:
    return Toggl(tenant, tmp_path)


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = 10.0) -> None:
    """Poll ``condition`` until it holds; fail the test naming ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(0.01)


def without_tokens(value: Any) -> Any:
    """The sandbox's JSON as a store keeps it: every api_token key dropped, at any depth."""
    if isinstance(value, dict):
        return {k: without_tokens(v) for k, v in value.items() if k != "api_token"}
    if isinstance(value, list):
        return [without_tokens(v) for v in value]
    return value


def by_id(items: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return sorted(items, key=lambda item: item["id"])


def _zero_width(char: str) -> bool:
    """Combining marks, format characters (ZWJ, U+200B, bidi controls, variation selectors are Mn)
    but the soft hyphen, and Hangul medial vowels and final consonants."""
    code = ord(char)
    category = unicodedata.category(char)
    return (category in ("Mn", "Me") or (category == "Cf" and code != 0xAD)
            or 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF)


def display_width(text: str) -> int:
    """Terminal columns, as the tool counts them (Sources/TogglCLI/Output/DisplayWidth.swift):
    East Asian Wide and Fullwidth characters (emoji included) take two, zero-width ones none; a
    VS16 (U+FE0F) makes the character before it two; a pair of regional indicators (a flag) is
    two; in a ZWJ sequence the emoji after a ZWJ joins the one before, and an emoji modifier
    (skin tone) rides on its emoji."""
    width = 0
    last = 0                    # the width of the last visible character
    after_zwj = False
    open_flag = False           # a regional indicator that waits for its pair
    for char in text:
        code = ord(char)
        if 0x1F1E6 <= code <= 0x1F1FF:
            if open_flag:
                open_flag = False
            else:
                open_flag, width, last = True, width + 2, 2
            continue
        open_flag = False
        if char == "\u200d":
            after_zwj = last == 2
            continue
        if char == "\ufe0f":
            if last == 1:
                width, last = width + 1, 2
            continue
        if _zero_width(char):
            continue
        if after_zwj or (0x1F3FB <= code <= 0x1F3FF and last == 2):
            after_zwj = False
            continue
        last = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        width += last
    return width


def at_column(line: str, column: int) -> str:
    """The part of ``line`` from terminal column ``column`` on ("" when the line is shorter)."""
    used = 0
    for index, char in enumerate(line):
        if used >= column:
            return line[index:]
        used += display_width(char)
    return ""


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def visible(line: str) -> str:
    """A terminal line without its colour codes and carriage return."""
    return ANSI.sub("", line).rstrip("\r")


def one_line_error(result: Result) -> str:
    """The single `toggl: …` line of a failed run."""
    lines = result.err_lines
    assert len(lines) == 1, result.err
    assert lines[0].startswith("toggl: "), lines[0]
    return lines[0]
