"""A store on a full or read-only disk: toggl.StoreError naming the path and the cause, and the
store as it was. Each case runs in a child process inside a private mount namespace
(``unshare -m``) holding a small tmpfs, so that "full" and "read-only" are real file-system
answers (ENOSPC, EROFS), which file modes cannot give a root test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

import toggl

from conftest import TOKEN

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("unshare") is None,
    reason="needs root and unshare(1) to mount a private tmpfs (CI runs as root)")

# Runs in the namespace: the store calls, then one JSON line with what happened.
CHILD = textwrap.dedent("""
    import json, os, sys
    import toggl
    args = json.loads(sys.argv[1])
    out = {}
    def attempt(name, call):
        try:
            out[name] = {"ok": call()}
        except toggl.TogglError as e:
            out[name] = {"error": type(e).__name__, "message": e.message}
    client = toggl.Client(args["token"], base_url=args["base_url"])
    path = args["path"]
    if args["step"] in ("fill", "both"):
        def fill():
            with toggl.Store(path) as s:
                return s.sync(client)["requests"]
        attempt("sync", fill)
    if args["step"] in ("read", "both"):
        def read():
            with toggl.Store(path) as s:
                return [s.get("user") is None, len(s.get("projects"))]
        attempt("read", read)
    print(json.dumps(out))
""")


def in_namespace(mounts: str, base_url: str, path: str, step: str) -> dict:
    """Mounts, then runs CHILD with the loaded library, in a new mount namespace."""
    args = json.dumps({"token": TOKEN, "base_url": base_url, "path": path, "step": step})
    script = f"{mounts} && exec {sys.executable} -c \"$CHILD\" \"$ARGS\""
    env = dict(os.environ, CHILD=CHILD, ARGS=args,
               PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run(["unshare", "-m", "sh", "-ec", script], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_full_disk_fails_the_sync_and_keeps_the_store(tenant, tmp_path):
    mnt = tmp_path / "small"
    mnt.mkdir()
    path = str(mnt / "store.db")
    # Room for an empty store, not for a 1 MB snapshot and its WAL.
    mounts = f"mount -t tmpfs -o size=600k tmpfs {mnt}"
    result = in_namespace(mounts, tenant.base_url, path, "both")
    assert result["sync"]["error"] == "StoreError", result
    message = result["sync"]["message"]
    assert path in message and "disk is full" in message, message
    assert TOKEN not in message
    # Nothing of the failed snapshot was kept: no user, no projects, and the store still opens.
    assert result["read"] == {"ok": [True, 0]}, result


def test_a_read_only_store_is_refused_untouched(tenant, tmp_path):
    mnt = tmp_path / "ro"
    mnt.mkdir()
    path = str(mnt / "store.db")
    # A tmpfs lives as long as its namespace: fill the store, remount read-only, then open it,
    # with the files' checksums before and after the attempt.
    def args(step: str) -> str:
        return json.dumps({"token": TOKEN, "base_url": tenant.base_url, "path": path, "step": step})
    script = (f"mount -t tmpfs -o size=64m tmpfs {mnt} && "
              f"{sys.executable} -c \"$CHILD\" \"$FILL\" && "
              f"mount -o remount,ro {mnt} && "
              f"sha256sum {mnt}/* && "
              f"{sys.executable} -c \"$CHILD\" \"$READ\" && "
              f"sha256sum {mnt}/*")
    env = dict(os.environ, CHILD=CHILD, FILL=args("fill"), READ=args("read"),
               PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run(["unshare", "-m", "sh", "-ec", script], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    results = [json.loads(line) for line in lines if line.startswith("{")]
    assert results[0]["sync"] == {"ok": 1}, results
    sums = [line for line in lines if not line.startswith("{")]
    half = len(sums) // 2
    assert half > 0 and sums[:half] == sums[half:], done.stdout     # nothing was written
    read = results[1]["read"]
    assert read.get("error") == "StoreError", results
    assert path in read["message"] and "read-only" in read["message"], read["message"]
