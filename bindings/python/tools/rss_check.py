#!/usr/bin/env python3
"""Call Client.me() many times and report the process's RSS, to catch leaks.

    TOGGL_LIBRARY=build/lib/libtoggl.so python3 bindings/python/tools/rss_check.py \
        --base-url http://127.0.0.1:PORT/t/rss/api/v9 [--iterations 10000] [--warmup 1000] \
        [--related-every 1]

Prints one JSON object: RSS (bytes, from /proc/self/statm) after the warm-up and at the
end, their difference, samples along the way, and the time taken. Exits 1 when the growth
after the warm-up passes --max-growth-mb.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1]))   # bindings/python, if not installed

import toggl  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")
TOKEN = "sandbox-api-token-0123456789abcdef"


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", default=TOKEN)
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--warmup", type=int, default=1_000)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--related-every", type=int, default=1,
                        help="every Nth call uses with_related_data=True (~1.1 MB); "
                             "1: all of them, 0: none")
    parser.add_argument("--max-growth-mb", type=float, default=8.0)
    args = parser.parse_args()

    every = max(1, args.iterations // args.samples)
    samples = []
    start = time.monotonic()
    with toggl.Client(args.token, base_url=args.base_url) as client:
        for i in range(1, args.iterations + 1):
            related = args.related_every > 0 and i % args.related_every == 0
            me = client.me(with_related_data=related)
            if i == 1:
                assert me["fullname"], me
                first = rss_bytes()
            if i == args.warmup:
                after_warmup = rss_bytes()
            if i % every == 0:
                samples.append((i, rss_bytes()))
            del me
    end = rss_bytes()
    elapsed = time.monotonic() - start
    growth = end - after_warmup
    report = {
        "iterations": args.iterations, "warmup": args.warmup,
        "related_every": args.related_every,
        "rss_first_call": first, "rss_after_warmup": after_warmup, "rss_end": end,
        "growth_after_warmup": growth, "samples": samples,
        "seconds": round(elapsed, 2), "calls_per_second": round(args.iterations / elapsed, 1),
    }
    print(json.dumps(report))
    return 0 if growth < args.max_growth_mb * 1024 * 1024 else 1


if __name__ == "__main__":
    sys.exit(main())
