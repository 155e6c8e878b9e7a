"""No leaks: RSS stays flat over 10,000 calls of me(with_related_data=True), from call 1,000
to call 10,000.

Runs tools/rss_check.py in a fresh interpreter so that nothing else the test session
allocated blurs the numbers. Each call moves ~1.1 MB from the sandbox and costs ~20 ms here
(about 3.5 minutes in all); TOGGL_RSS_QUICK=1 makes only every 50th call a related-data one,
for a quick local run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "rss_check.py"
MB = 1024 * 1024
QUICK = os.environ.get("TOGGL_RSS_QUICK") == "1"


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc/self/statm")
def test_rss_flat_over_10000_calls(tenant):
    proc = subprocess.run(
        [sys.executable, str(TOOL), "--base-url", tenant.base_url,
         "--iterations", "10000", "--warmup", "1000", "--max-growth-mb", "8",
         "--related-every", "50" if QUICK else "1"],
        capture_output=True, text=True, timeout=1200, env=dict(os.environ))
    assert proc.stdout, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    print("\nrss_check:", json.dumps(report))
    assert tenant.count() == 10000
    assert report["growth_after_warmup"] < 8 * MB, report
    assert proc.returncode == 0, proc.stderr
