#!/usr/bin/env python3
"""Make one libtoggl call against a prepared sandbox tenant and report the peak RSS it cost.

    TOGGL_LIBRARY=build/lib/libtoggl.so.0 python3 bindings/python/tools/peak_rss.py \
        --base-url http://127.0.0.1:PORT/t/TENANT/api/v9 --case paginated

The test that runs this has already queued the tenant's fault (e.g. a 64 MiB page of `{}`
on GET /me/projects/paginated); this process only makes the call. Run it once per case, in
a fresh interpreter: ru_maxrss is a high-water mark, so two cases in one process would mask
each other.

Cases:
  paginated  toggl_projects_list_paginated(c, 0, 0, 0, ...)        (C, through ctypes)
  pager      toggl_projects_pager_new(c, 0, 0) + toggl_pager_next  (C)
  list       toggl_projects_list(c, false, 0, ...)                 (C)
  error      toggl_me_get(c, false, ...) on an error answer        (C; --timeout-ms sets the total timeout)
  typed      toggl.Client.projects(): the Python binding, JSON decoded into Python objects

The C cases declare the functions with a c_void_p out-parameter and free the result with
toggl_free without ever turning it into a Python string, so only the library's own memory
counts. Prints one JSON object:
  status, http_status, message  what the call returned (message: the library's error text)
  result_bytes                   strlen of the JSON handed over (0 when none)
  elements                       (typed) len() of the list returned
  rss_before                     current RSS just before the call (bytes, /proc/self/statm)
  hwm_before, hwm_after          VmHWM (peak RSS) before (after resetting it to the current
                                 RSS, when hwm_reset) and after the call
  growth                         hwm_after - rss_before: the call's peak over what was
                                 resident before it
  maxrss_before, maxrss_after    ru_maxrss before and after the call, and maxrss_growth, their
                                 difference: the same peak through getrusage, an underestimate
                                 when the high-water mark before the call was above the RSS
                                 (ru_maxrss starts from the parent process's peak)
  seconds                        wall time of the call (and, for typed, the JSON decoding)
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import resource
import sys
import time
from ctypes import byref, c_bool, c_char_p, c_int, c_int64, c_long, c_size_t, c_void_p
from pathlib import Path

TOKEN = "sandbox-api-token-0123456789abcdef"
PAGE = os.sysconf("SC_PAGE_SIZE")
CASES = ("paginated", "pager", "list", "error", "typed")


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def maxrss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024   # KiB on Linux


def hwm_bytes() -> int:
    """VmHWM: the peak RSS of this process's address space. Unlike ru_maxrss it does not
    start from the parent's RSS (Linux carries ru_maxrss over fork and exec, so a big test
    process would hide a child's peak), and it can be reset (see reset_hwm)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def reset_hwm() -> bool:
    """Sets VmHWM to the current RSS (Linux >= 4.0); False when not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def snapshot() -> dict:
    """Just before the measured call: the current RSS, the high-water marks, a reset VmHWM."""
    gc.collect()
    reset = reset_hwm()
    return {"rss_before": rss_bytes(), "maxrss_before": maxrss_bytes(), "hwm_before": hwm_bytes(),
            "hwm_reset": reset}


def finish(before: dict, seconds: float) -> dict:
    """The measures after the call; growth = peak (VmHWM) over the RSS before the call."""
    after = {"maxrss_after": maxrss_bytes(), "hwm_after": hwm_bytes()}
    return dict(before, **after, growth=after["hwm_after"] - before["rss_before"],
                maxrss_growth=after["maxrss_after"] - before["maxrss_before"],
                seconds=round(seconds, 3))


def load(path: str) -> ctypes.CDLL:
    lib = ctypes.CDLL(path)
    sig = {
        "toggl_client_new": ([c_char_p], c_void_p),
        "toggl_client_free": ([c_void_p], None),
        "toggl_client_set_base_url": ([c_void_p, c_char_p], c_int),
        "toggl_client_set_timeout_ms": ([c_void_p, c_long], c_int),
        "toggl_client_set_max_retries": ([c_void_p, c_int], c_int),
        "toggl_me_logged": ([c_void_p], c_int),
        "toggl_me_get": ([c_void_p, c_bool, ctypes.POINTER(c_void_p)], c_int),
        "toggl_projects_list": ([c_void_p, c_bool, c_int64, ctypes.POINTER(c_void_p)], c_int),
        "toggl_projects_list_paginated": ([c_void_p, c_int64, c_int64, c_int, ctypes.POINTER(c_void_p),
                                           ctypes.POINTER(c_int64)], c_int),
        "toggl_projects_pager_new": ([c_void_p, c_int64, c_int], c_void_p),
        "toggl_pager_next": ([c_void_p, ctypes.POINTER(c_void_p)], c_int),
        "toggl_pager_free": ([c_void_p], None),
        "toggl_free": ([c_void_p], None),
        "toggl_error_message": ([], c_char_p),
        "toggl_error_http_status": ([], c_int),
    }
    for name, (argtypes, restype) in sig.items():
        func = getattr(lib, name)
        func.argtypes = argtypes
        func.restype = restype
    return lib


def run_c(case: str, lib: ctypes.CDLL, base_url: str, timeout_ms: int) -> dict:
    libc = ctypes.CDLL(None)
    libc.strlen.argtypes = [c_void_p]
    libc.strlen.restype = c_size_t
    client = lib.toggl_client_new(TOKEN.encode())
    assert client, lib.toggl_error_message()
    pager = None
    try:
        assert lib.toggl_client_set_base_url(client, base_url.encode()) == 0
        assert lib.toggl_client_set_max_retries(client, 0) == 0
        if timeout_ms:
            assert lib.toggl_client_set_timeout_ms(client, timeout_ms) == 0
        # Warm up (libcurl, the connection, the Swift runtime) on a path the fault leaves alone.
        assert lib.toggl_me_logged(client) == 0, lib.toggl_error_message()
        if case == "pager":
            pager = lib.toggl_projects_pager_new(client, 0, 0)
            assert pager, lib.toggl_error_message()
        out = c_void_p()
        next_start = c_int64(-1)
        before = snapshot()
        start = time.monotonic()
        if case == "paginated":
            status = lib.toggl_projects_list_paginated(client, 0, 0, 0, byref(out), byref(next_start))
        elif case == "pager":
            status = lib.toggl_pager_next(pager, byref(out))
        elif case == "list":
            status = lib.toggl_projects_list(client, False, 0, byref(out))
        else:
            status = lib.toggl_me_get(client, False, byref(out))
        seconds = time.monotonic() - start
        measured = finish(before, seconds)
        message = (lib.toggl_error_message() or b"").decode("utf-8", "replace")
        http_status = lib.toggl_error_http_status()
        result_bytes = libc.strlen(out) if out.value else 0
        lib.toggl_free(out)
        report = {"status": status, "http_status": http_status, "message": message,
                  "result_bytes": result_bytes}
        if case == "paginated":
            report["next_start_project_id"] = next_start.value
        if case == "pager" and status == 0:
            again = c_void_p()
            report["second_next_status"] = lib.toggl_pager_next(pager, byref(again))
            lib.toggl_free(again)
    finally:
        lib.toggl_pager_free(pager)
        lib.toggl_client_free(client)
    report.update(measured)
    return report


def run_typed(base_url: str) -> dict:
    sys.path.append(str(Path(__file__).resolve().parents[1]))   # bindings/python, if not installed
    import toggl
    with toggl.Client(TOKEN, base_url=base_url, max_retries=0) as client:
        client.logged()                                 # warm-up; raises if it fails
        before = snapshot()
        start = time.monotonic()
        projects = client.projects()
        seconds = time.monotonic() - start
        measured = finish(before, seconds)
        elements = len(projects)
        held = rss_bytes() - before["rss_before"]
        del projects
    return dict(measured, status=0, elements=elements, held_after_call=held)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--case", required=True, choices=CASES)
    parser.add_argument("--timeout-ms", type=int, default=0,
                        help="the client's total timeout (0: the library's default)")
    args = parser.parse_args()
    if args.case == "typed":
        report = run_typed(args.base_url)
    else:
        path = os.environ.get("TOGGL_LIBRARY")
        if not path:
            print("peak_rss.py: set TOGGL_LIBRARY to libtoggl.so", file=sys.stderr)
            return 2
        report = run_c(args.case, load(path), args.base_url, args.timeout_ms)
    report["case"] = args.case
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
