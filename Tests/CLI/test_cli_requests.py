"""What each command costs, counted by the sandbox: reads answer from the store within --max-age,
--offline sends nothing, --refresh sends the incremental refresh, and the commands the store
does not keep send one request each (and refuse --offline with exit 69)."""

from __future__ import annotations

import pytest

from conftest import EX_OK, EX_UNAVAILABLE, Tenant, Toggl, one_line_error

LIVE = {
    "organizations": "/me/organizations",
    "features": "/me/features",
    "location": "/me/location",
    "quota": "/me/quota",
    "logged": "/me/logged",
}


def test_projects_twice_within_max_age_sends_one_then_none(toggl: Toggl, tenant: Tenant) -> None:
    first, sent = toggl.counted("projects")
    assert first.code == EX_OK and sent == 1
    assert [(r["path"], r["query"]) for r in tenant.requests()] == [("/me", "with_related_data=true")]
    second, sent = toggl.counted("projects")
    assert second.code == EX_OK and sent == 0
    assert second.out == first.out


def test_offline_sends_nothing(toggl: Toggl) -> None:
    assert toggl("projects").code == EX_OK
    for args in (["projects"], ["clients", "--json"], ["tags", "--csv"], ["me"], ["workspaces"],
                 ["time-entries"], ["projects", "--max-age", "0"]):
        result, sent = toggl.counted(*args, "--offline")
        assert result.code == EX_OK, (args, result.err)
        assert sent == 0, args


def test_offline_on_an_empty_store_fails_and_creates_nothing(toggl: Toggl, tenant: Tenant) -> None:
    result, sent = toggl.counted("projects", "--offline")
    assert result.code == EX_UNAVAILABLE and sent == 0
    assert "--offline" in one_line_error(result)
    assert not toggl.store.exists()


def test_offline_without_tasks_in_the_store_fails(toggl: Toggl) -> None:
    assert toggl("projects").code == EX_OK
    result = toggl("tasks", "--offline")
    assert result.code == EX_UNAVAILABLE
    assert "toggl tasks" in one_line_error(result)


def test_refresh_sends_the_incremental_refresh(toggl: Toggl, tenant: Tenant) -> None:
    assert toggl("projects").code == EX_OK
    tenant.changes({"op": "add", "collection": "projects", "fields": {"name": "Fresh project"}},
                   {"op": "archive", "collection": "clients", "id": tenant.api("/me/clients")[0]["id"]})
    before = len(tenant.requests())
    result, sent = toggl.counted("projects", "--refresh")
    assert result.code == EX_OK, result.err
    assert sent == 3
    paths = sorted(r["path"] for r in tenant.requests()[before:])
    assert paths == ["/me/clients", "/me/projects", "/me/tags"]
    assert all("since=" in r["query"] for r in tenant.requests()[before:])
    assert "Fresh project" in result.out


def test_max_age_zero_always_refreshes(toggl: Toggl) -> None:
    assert toggl("tags").code == EX_OK
    for _ in range(2):
        result, sent = toggl.counted("tags", "--max-age", "0")
        assert result.code == EX_OK and sent == 3


@pytest.mark.parametrize("age", ["900", "15m", "1h", "2d", "30s"])
def test_max_age_forms_are_accepted(toggl: Toggl, age: str) -> None:
    assert toggl("clients").code == EX_OK
    result, sent = toggl.counted("clients", "--max-age", age)
    assert result.code == EX_OK and sent == 0


def test_me_refreshes_only_the_user(toggl: Toggl, tenant: Tenant) -> None:
    assert toggl("projects").code == EX_OK
    result, sent = toggl.counted("me", "--refresh")
    assert result.code == EX_OK and sent == 1
    assert (tenant.requests()[-1]["path"], tenant.requests()[-1]["query"]) == ("/me", "")
    _, sent = toggl.counted("me")
    assert sent == 0


def test_workspaces_and_time_entries_refresh_with_a_snapshot(toggl: Toggl, tenant: Tenant) -> None:
    assert toggl("projects").code == EX_OK
    for command in ("workspaces", "time-entries"):
        _, sent = toggl.counted(command)
        assert sent == 0, command                      # fresh from the first snapshot
        _, sent = toggl.counted(command, "--refresh")
        assert sent == 1, command
        last = tenant.requests()[-1]
        assert (last["path"], last["query"]) == ("/me", "with_related_data=true")


def test_tasks_are_mirrored_on_first_use(toggl: Toggl, tenant: Tenant) -> None:
    result, sent = toggl.counted("tasks")
    assert result.code == EX_OK
    assert sent == 2                                   # the snapshot has no tasks: one more request
    assert tenant.requests()[-1]["path"] == "/me/tasks"
    _, sent = toggl.counted("tasks")
    assert sent == 0


@pytest.mark.parametrize("command", sorted(LIVE))
def test_live_commands_send_one_request(toggl: Toggl, tenant: Tenant, command: str) -> None:
    result, sent = toggl.counted(command)
    assert result.code == EX_OK, result.err
    assert sent == 1
    assert tenant.requests()[-1]["path"] == LIVE[command]
    result, sent = toggl.counted(command)
    assert sent == 1                                    # the store does not keep these answers


@pytest.mark.parametrize("command", sorted(LIVE))
def test_live_commands_fail_offline_without_sending(toggl: Toggl, command: str) -> None:
    result, sent = toggl.counted(command, "--offline")
    assert result.code == EX_UNAVAILABLE
    assert sent == 0
    assert "--offline" in one_line_error(result)


def test_status_and_help_send_nothing(toggl: Toggl) -> None:
    assert toggl("projects").code == EX_OK
    for args in (["status"], ["status", "--json"], ["--help"], ["projects", "--help"], ["--version"]):
        result, sent = toggl.counted(*args)
        assert result.code == EX_OK and sent == 0, args
