#!/usr/bin/env python3
"""Print the Toggl Track user's name and their projects.

    TOGGL_API_TOKEN=... python3 examples/me.py
    TOGGL_BASE_URL=http://127.0.0.1:PORT/api/v9 python3 examples/me.py   # against the sandbox

Without TOGGL_API_TOKEN it uses the sandbox's token (so set TOGGL_BASE_URL to a sandbox).
Needs the `toggl` package (pip install ./bindings/python) and libtoggl (TOGGL_LIBRARY or
`make install`).
"""

import os
import sys

import toggl

SANDBOX_TOKEN = "sandbox-api-token-0123456789abcdef"


def main() -> int:
    token = os.environ.get("TOGGL_API_TOKEN") or SANDBOX_TOKEN
    base_url = os.environ.get("TOGGL_BASE_URL") or None
    try:
        with toggl.Client(token, base_url=base_url) as client:
            me = client.me()
            print(f"{me.get('fullname') or '(no name)'} <{me.get('email', '')}>")
            count = 0
            for project in client.iter_projects():
                state = "" if project.get("active", True) else "  (archived)"
                print(f"  {project['id']:>12}  {project.get('name') or ''}{state}")
                count += 1
            print(f"{count} projects")
            quota = client.last_quota                  # read locally: sends nothing
            if quota is not None and quota.remaining is not None:
                print(f"API quota: {quota.remaining} requests left, "
                      f"resets in {quota.resets_in} s")
    except toggl.TogglError as e:
        print(f"error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
