"""A spent quota or an unreachable server: the cached data is still printed, one line on stderr
says what happened, when the quota resets and how old the data is, and the exit code is the
failure's, so that a script can tell. A recorded 402 holds every later process back."""

from __future__ import annotations

import re
import socket

from conftest import EX_OK, EX_TEMPFAIL, EX_UNAVAILABLE, Tenant, Toggl, one_line_error

RESET = re.compile(r"resets in \d+ (s|min|h)( \d+ min)? \(at (\d{4}-\d\d-\d\d )?\d\d:\d\d\)")


def test_a_402_shows_the_cached_data_and_holds_later_processes_back(toggl: Toggl, tenant: Tenant) -> None:
    cached = toggl("projects")
    assert cached.code == EX_OK
    tenant.config(quota_limit=1)            # one request already counted: the next is refused
    result, sent = toggl.counted("projects", "--refresh")
    assert sent == 1
    assert tenant.requests()[-1]["path"] in ("/me/clients", "/me/projects", "/me/tags")
    assert result.code == EX_TEMPFAIL
    assert result.out == cached.out          # the data, as cached
    line = one_line_error(result)
    assert line.startswith("toggl: quota spent; resets in ")
    assert RESET.search(line), line
    assert "showing projects cached" in line

    # A new process before the reset sends nothing, whatever it asks.
    for args in (["projects", "--refresh"], ["tags", "--max-age", "0"], ["sync"], ["organizations"],
                 ["update-me", "--fullname", "X"]):
        again, sent = toggl.counted(*args)
        assert sent == 0, args
        assert again.code == EX_TEMPFAIL, (args, again.err)
        assert RESET.search(one_line_error(again)), again.err
    # The cache still answers offline, successfully.
    offline, sent = toggl.counted("projects", "--offline")
    assert offline.code == EX_OK and sent == 0 and offline.out == cached.out


def test_a_quota_seen_spent_in_the_headers_sends_nothing_more(toggl: Toggl, tenant: Tenant) -> None:
    tenant.config(quota_limit=1)
    first, sent = toggl.counted("clients")
    assert first.code == EX_OK and sent == 1      # the snapshot used the last request
    second, sent = toggl.counted("clients", "--refresh", "--json")
    assert sent == 0
    assert second.code == EX_TEMPFAIL
    assert second.json() == toggl("clients", "--offline", "--json").json()
    line = one_line_error(second)
    assert RESET.search(line) and "showing clients cached just now" in line


def test_a_402_met_by_a_live_command_holds_later_processes_back(toggl: Toggl, tenant: Tenant) -> None:
    assert toggl("projects").code == EX_OK
    tenant.config(quota_limit=1)            # the snapshot counted: organizations is refused
    live, sent = toggl.counted("organizations")
    assert sent == 1 and live.code == EX_TEMPFAIL
    for args in (["projects", "--refresh"], ["features"]):
        again, sent = toggl.counted(*args)
        assert sent == 0, args
        assert again.code == EX_TEMPFAIL, (args, again.err)
        assert RESET.search(one_line_error(again)), again.err


def test_quota_spent_on_an_empty_store_shows_nothing(toggl: Toggl, tenant: Tenant) -> None:
    tenant.config(quota_limit=0)
    result, sent = toggl.counted("projects")
    assert sent == 1
    assert result.code == EX_TEMPFAIL
    assert result.out == ""
    assert RESET.search(one_line_error(result))


def test_status_shows_the_quota_as_last_seen(toggl: Toggl, tenant: Tenant) -> None:
    tenant.config(quota_limit=1)
    assert toggl("projects").code == EX_OK
    status, sent = toggl.counted("status")
    assert sent == 0
    assert "0 requests left" in status.out and RESET.search(status.out), status.out


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_network_down_shows_the_cached_data_with_its_age(toggl: Toggl) -> None:
    cached = toggl("tags")
    assert cached.code == EX_OK
    down = {"TOGGL_BASE_URL": f"http://127.0.0.1:{closed_port()}/api/v9"}
    result = toggl("tags", "--refresh", env=down)
    assert result.code == EX_UNAVAILABLE
    assert result.out == cached.out
    line = one_line_error(result)
    assert line.startswith("toggl: cannot reach the server") and "showing tags cached just now" in line
    # Nothing cached for organizations: the failure alone.
    live = toggl("organizations", env=down)
    assert live.code == EX_UNAVAILABLE and live.out == ""
    one_line_error(live)


def test_server_errors_exit_69_with_the_cached_data(toggl: Toggl, tenant: Tenant) -> None:
    cached = toggl("projects")
    tenant.faults({"status": 503, "message": "maintenance", "times": -1})
    result = toggl("projects", "--refresh")
    assert result.code == EX_UNAVAILABLE
    assert result.out == cached.out
    assert "showing projects cached" in one_line_error(result)
