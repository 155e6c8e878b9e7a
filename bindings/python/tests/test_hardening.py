"""The hardening of commit 90784c6 seen from Python: deep nesting, hostile quota headers, and
the memory bound of the raw paths on a 64 MiB page of tiny objects (issue 8, item 8).

The memory cases run tools/peak_rss.py in a fresh interpreter each (ru_maxrss is a high-water
mark: two cases in one process would mask each other). Run with -s to see the measured ratios.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import toggl
from toggl import _ffi

TOOL = Path(__file__).resolve().parents[1] / "tools" / "peak_rss.py"
MiB = 1024 * 1024
#: A page just under the 64 MiB default cap: "[{},{},...]", 22,333,333 elements.
BODY = 67_000_000
#: The page of the typed measurement: exactly 1,000,000 elements of "{}".
TYPED_ELEMENTS = 1_000_000


# --- nesting ---------------------------------------------------------------------------------

def _deep(depth: int) -> str:
    return '{"id":1,"x":' + "[" * depth + "]" * depth + "}"


def test_deep_nesting_is_a_decode_error_not_recursion_error(tenant):
    # Valid JSON the library accepts (jansson allows 2048 levels); Python's json module stops
    # near 1000 and must not leak RecursionError out of the binding.
    tenant.faults({"action": "malformed", "body": _deep(1500), "path": "/me"})
    with tenant.client(max_retries=0) as c:
        with pytest.raises(toggl.DecodeError) as info:
            c.me()
        assert isinstance(info.value, toggl.TogglError)
        assert not isinstance(info.value, RecursionError)
        assert info.value.code == -10
        assert info.value.message
        # The same through the pages of a pager is no different.
        tenant.faults({"action": "malformed", "body": "[" + _deep(1500) + "]",
                       "path": "/me/projects/paginated"})
        with pytest.raises(toggl.DecodeError):
            list(c.iter_projects())
        # The client is still usable.
        assert c.me()["fullname"] == "Sandbox User"
    assert tenant.count() == 3


# --- numbers from headers --------------------------------------------------------------------

def test_last_quota_after_int64_min_headers_is_none(tenant):
    tenant.faults(
        {"status": 200, "body": "{}", "path": "/me",
         "headers": {"X-Toggl-Quota-Remaining": "-9223372036854775808",
                     "X-Toggl-Quota-Resets-In": "-9223372036854775808"}},
        {"status": 200, "body": "{}", "path": "/me",
         "headers": {"X-Toggl-Quota-Resets-In": "99999999999999999999"}})
    with tenant.client() as c:
        assert c.me() == {}
        time.sleep(1.2)                        # counting INT64_MIN down by elapsed seconds overflowed
        assert c.last_quota is None
        assert c.logged() is None              # no quota gate closed either
        assert c.me() == {}
        quota = c.last_quota
        assert quota is not None
        remaining, resets_in = quota.remaining, quota.resets_in
        assert remaining is None
        assert resets_in is not None and 86_400 - 5 <= resets_in <= 86_400, quota


# --- the memory bound of the raw paths ---------------------------------------------------------

def _run_tool(tenant, case: str, *extra: str) -> dict:
    env = dict(os.environ, TOGGL_LIBRARY=_ffi.LIBRARY_PATH)
    proc = subprocess.run(
        [sys.executable, str(TOOL), "--base-url", tenant.base_url, "--case", case, *extra],
        capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0 and proc.stdout, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _print(report: dict, body: int) -> None:
    ratio = report["growth"] / body
    shown = {k: v for k, v in report.items() if k != "message"}
    print(f"\npeak_rss {report['case']}: growth {report['growth'] / MiB:.1f} MiB for a "
          f"{body / MiB:.1f} MiB body = {ratio:.2f} x body "
          f"(ru_maxrss diff {report['maxrss_growth'] / MiB:.1f} MiB), "
          f"{report['seconds']:.2f} s; {json.dumps(shown)}")


PAGE_OF_EMPTY_OBJECTS = {"action": "oversize", "element": "{}", "size_bytes": BODY}


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc/self/statm")
@pytest.mark.parametrize("case,path", [
    ("paginated", "/me/projects/paginated"),
    ("pager", "/me/projects/paginated"),
    ("list", "/me/projects"),
])
def test_huge_page_of_empty_objects_peak_memory(tenant, case, path):
    tenant.faults(dict(PAGE_OF_EMPTY_OBJECTS, path=path))
    report = _run_tool(tenant, case)
    _print(report, BODY)
    assert report["status"] == 0, report["message"]
    assert report["result_bytes"] == BODY
    if case == "paginated":
        assert report["next_start_project_id"] == 0       # no id to continue from
    if case == "pager":
        assert report["second_next_status"] == 1          # TOGGL_DONE, nothing sent
    assert tenant.count() == 2                            # the warm-up and the page
    assert report["growth"] <= 4 * BODY + 32 * MiB, report


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc/self/statm")
def test_huge_error_body_peak_memory_and_deadline(tenant):
    tenant.faults({"action": "oversize", "status": 400, "prefix": '{"x":[', "suffix": "]}",
                   "element": "{}", "size_bytes": BODY, "path": "/me"})
    report = _run_tool(tenant, "error", "--timeout-ms", "2000")
    _print(report, BODY)
    # The whole body arrives well within 2 s on loopback (a request error); a slower machine
    # may hit the total timeout instead. Either way the call ends by its deadline.
    assert report["status"] in (-6, -3), report["message"]
    if report["status"] == -6:
        assert report["http_status"] == 400
    assert report["seconds"] < 5, report
    assert 0 < len(report["message"]) <= 301              # clipped to 300 characters + "…"
    assert report["growth"] <= 1 * BODY + 32 * MiB, report


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc/self/statm")
def test_typed_projects_memory_per_element_is_measured(tenant):
    # Measured, not asserted: a Python dict per element costs what it costs.
    size = 3 * TYPED_ELEMENTS + 1                         # "[" + "{}," * (n-1) + "{}" + "]"
    tenant.faults({"action": "oversize", "element": "{}", "size_bytes": size,
                   "path": "/me/projects"})
    report = _run_tool(tenant, "typed")
    assert report["elements"] == TYPED_ELEMENTS
    print(f"\npeak_rss typed: Client.projects() on {TYPED_ELEMENTS:,} elements of {{}} "
          f"({size / MiB:.1f} MiB): peak growth {report['growth'] / MiB:.1f} MiB = "
          f"{report['growth'] / TYPED_ELEMENTS:.1f} bytes per element "
          f"({report['growth'] / size:.1f} x body), still held after the call "
          f"{report['held_after_call'] / TYPED_ELEMENTS:.1f} bytes per element, "
          f"{report['seconds']:.2f} s")
