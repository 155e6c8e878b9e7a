"""The ctypes layer: declarations match the header, strings are always freed, errors are
thread-local, the library is found (or the ImportError says how)."""

from __future__ import annotations

import ctypes
import os
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import toggl
from toggl import _ffi
from conftest import REPO, TOKEN

HEADER = REPO / "include" / "toggl.h"


def header_functions():
    text = HEADER.read_text()
    return set(re.findall(r"TOGGL_API\b[^;(]*?\b(toggl_\w+)\s*\(", text))


def test_every_function_declared_exactly_once():
    names = [row[0] for row in _ffi._FUNCTIONS]
    assert len(names) == len(set(names))
    if HEADER.is_file():
        assert set(names) == header_functions()
    for name, argtypes, restype, _ in _ffi._FUNCTIONS:
        func = getattr(_ffi.lib, name)
        assert func.argtypes == argtypes and func.restype == restype


def test_string_outputs_are_void_pointers():
    for name, argtypes, _, _ in _ffi._FUNCTIONS:
        for t in argtypes:
            assert t is not ctypes.POINTER(ctypes.c_char_p), name


def test_free_accepts_null():
    _ffi.lib.toggl_free(None)
    _ffi.lib.toggl_client_free(None)
    _ffi.lib.toggl_pager_free(None)


def test_null_client_is_invalid_argument():
    with pytest.raises(toggl.InvalidArgumentError, match="NULL"):
        _ffi.call_json(_ffi.lib.toggl_features_list, None)


def test_string_freed_even_when_copy_fails(tenant, monkeypatch):
    freed = []
    real_free = _ffi.lib.toggl_free

    def counting_free(p):
        freed.append(p.value if isinstance(p, ctypes.c_void_p) else p)
        real_free(p)

    def failing_copy(ptr):
        raise UnicodeDecodeError("utf-8", b"", 0, 1, "injected")

    with tenant.client() as c:
        monkeypatch.setattr(_ffi.lib, "toggl_free", counting_free)
        monkeypatch.setattr(_ffi, "_take_string", failing_copy)
        with pytest.raises(UnicodeDecodeError):
            c.features()
        with pytest.raises(UnicodeDecodeError):
            c.projects_paginated(per_page=2)
        with pytest.raises(UnicodeDecodeError):
            next(c.iter_tasks(per_page=2))
    assert len(freed) == 3 and all(freed)


def test_error_details_are_thread_local(tenant):
    with tenant.client(api_token="wrong") as c:
        with pytest.raises(toggl.AuthenticationError):
            c.logged()
    assert _ffi.lib.toggl_error_code() == -4
    other = ThreadPoolExecutor(1).submit(_ffi.lib.toggl_error_code).result()
    assert other == 0
    assert _ffi.lib.toggl_version() == toggl.__version__.encode()
    assert _ffi.lib.toggl_error_code() == -4   # reading the details resets nothing


def test_calls_run_in_parallel(tenant):
    """ctypes releases the GIL and the C client serves threads at once."""
    tenant.faults({"delay_ms": 400, "path": "/me/features", "times": 8})
    with tenant.client() as c:
        start = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda _: c.features(), range(8)))
        elapsed = time.monotonic() - start
    assert all(len(r) == 3 for r in results)
    assert elapsed < 8 * 0.4 / 2, elapsed


def _import_with(env_changes):
    env = dict(os.environ)
    env.update(env_changes)
    for k, v in env_changes.items():
        if v is None:
            env.pop(k)
    return subprocess.run([sys.executable, "-c", "import toggl"], env=env,
                          capture_output=True, text=True, timeout=60)


def test_import_error_names_the_fix():
    r = _import_with({"TOGGL_LIBRARY": "/nonexistent/libtoggl.so.0"})
    assert r.returncode != 0
    assert "ImportError" in r.stderr
    assert "TOGGL_LIBRARY" in r.stderr and "/nonexistent/libtoggl.so.0" in r.stderr


def test_import_error_without_library():
    import ctypes.util
    if ctypes.util.find_library("toggl"):
        pytest.skip("libtoggl is installed system-wide")
    r = _import_with({"TOGGL_LIBRARY": None})
    assert "ImportError" in r.stderr
    assert "TOGGL_LIBRARY" in r.stderr and "make install" in r.stderr


def test_soname_found_by_the_dynamic_loader():
    """Without TOGGL_LIBRARY the binding loads libtoggl.so.0 where the loader finds it (here
    LD_LIBRARY_PATH; an installed package: ldconfig's cache), not whatever find_library picks."""
    if not os.environ.get("TOGGL_LIBRARY"):
        pytest.skip("needs TOGGL_LIBRARY to know where the built library is")
    libdir = os.path.dirname(os.path.realpath(os.environ["TOGGL_LIBRARY"]))
    env = {k: v for k, v in os.environ.items() if k != "TOGGL_LIBRARY"}
    env["LD_LIBRARY_PATH"] = libdir
    r = subprocess.run([sys.executable, "-c", "import toggl; print(toggl.library_path)"], env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "libtoggl.so.0"


def test_library_path_used():
    if os.environ.get("TOGGL_LIBRARY"):
        assert toggl.library_path == os.environ["TOGGL_LIBRARY"]
