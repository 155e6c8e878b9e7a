"""Every command in its three forms: a table, --json (the objects the store holds, compared with
the sandbox's own answers) and --csv (RFC 4180, read back with Python's csv module)."""

from __future__ import annotations

import csv
import io
from typing import Any, Dict, List

import pytest

from conftest import EX_OK, Tenant, Toggl, at_column, by_id, display_width, without_tokens

STORE_COMMANDS = ["me", "projects", "clients", "tags", "tasks", "workspaces", "time-entries"]
LIVE_COMMANDS = ["organizations", "features", "location", "quota", "logged"]


def sandbox_answer(tenant: Tenant, command: str) -> Any:
    """What the store (or the server) holds for a command, asked of the sandbox directly."""
    if command == "me":
        return without_tokens(tenant.api("/me"))
    if command in ("workspaces", "time-entries"):
        key = command.replace("-", "_")
        return by_id(without_tokens(tenant.api("/me?with_related_data=true")[key]))
    if command == "projects":
        return by_id(tenant.api("/me/projects?include_archived=true"))
    if command == "tasks":
        return by_id(tenant.api("/me/tasks?include_not_active=true"))
    if command in ("clients", "tags"):
        return by_id(tenant.api(f"/me/{command}"))
    return tenant.api(f"/me/{command}")


def read_csv(text: str) -> List[Dict[str, str]]:
    assert text.endswith("\r\n"), "RFC 4180 lines end with CRLF"
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("command", STORE_COMMANDS + LIVE_COMMANDS)
def test_json_is_what_the_store_or_server_holds(toggl: Toggl, tenant: Tenant, command: str) -> None:
    result = toggl(command, "--json")
    assert result.code == EX_OK, result.err
    assert result.err == ""
    printed = result.json()
    if command == "logged":
        assert printed is True          # GET /me/logged answers an empty 200: the status is the answer
        return
    answer = sandbox_answer(tenant, command)
    if command == "quota":
        # Asking the sandbox spent one more request of the user's quota.
        answer[0]["remaining"] += 1
    assert printed == answer
    assert "api_token" not in result.out


def test_json_of_every_store_command_is_the_store_itself(toggl: Toggl, tenant: Tenant) -> None:
    """After one sync the reads print exactly the store's rows: the user without api_token, and
    the collections as they came (time entries by id, workspaces without their api_token)."""
    assert toggl("sync").code == EX_OK
    me = toggl("me", "--json", "--offline").json()
    assert "api_token" not in me
    assert me == without_tokens(tenant.api("/me"))
    related = tenant.api("/me?with_related_data=true")
    assert toggl("time-entries", "--json", "--offline").json() == by_id(related["time_entries"])
    assert toggl("workspaces", "--json", "--offline").json() == by_id(without_tokens(related["workspaces"]))


@pytest.mark.parametrize("command,active_path", [
    ("projects", "/me/projects"),
    ("tasks", "/me/tasks"),
])
def test_active_leaves_archived_and_done_out(toggl: Toggl, tenant: Tenant, command: str, active_path: str) -> None:
    everything = toggl(command, "--json").json()
    active = toggl(command, "--json", "--active").json()
    assert active == by_id(tenant.api(active_path))
    assert len(active) < len(everything)


def test_active_clients_are_the_unarchived(toggl: Toggl) -> None:
    everything = toggl("clients", "--json").json()
    active = toggl("clients", "--json", "--active").json()
    assert active == [c for c in everything if not c.get("archived")]
    assert len(active) < len(everything)


@pytest.mark.parametrize("command", STORE_COMMANDS + LIVE_COMMANDS)
def test_csv_has_a_header_and_a_row_per_object(toggl: Toggl, tenant: Tenant, command: str) -> None:
    result = toggl(command, "--csv")
    assert result.code == EX_OK, result.err
    rows = read_csv(result.out)
    answer: Any = sandbox_answer(tenant, command) if command != "logged" else None
    if command == "me":
        assert len(rows) == 1
        assert rows[0]["id"] == str(answer["id"]) and rows[0]["fullname"] == answer["fullname"]
    elif command == "location":
        assert rows == [{"city": answer["city"], "state": answer["state"], "country_name": answer["country_name"],
                         "country_code": answer["country_code"]}]
    elif command == "features":
        assert len(rows) == sum(len(w["features"]) for w in answer)
    elif command == "logged":
        assert rows == [{"logged": "true"}]
    else:
        assert [row.get("id", row.get("organization_id")) for row in rows] == \
            [str(o["id"]) if "id" in o else ("" if o["organization_id"] is None else str(o["organization_id"]))
             for o in answer]


def test_csv_quotes_names_with_commas_quotes_and_non_ascii(toggl: Toggl, tenant: Tenant) -> None:
    tenant.changes({"op": "add", "collection": "projects", "fields": {"name": 'Q, "quoted"\nand ünïcødé'}})
    rows = read_csv(toggl("projects", "--csv").out)
    names = {row["name"] for row in rows}
    assert 'Q, "quoted"\nand ünïcødé' in names
    assert names == {p["name"] for p in tenant.api("/me/projects?include_archived=true")}


@pytest.mark.parametrize("command", STORE_COMMANDS + LIVE_COMMANDS)
def test_table_shows_the_objects(toggl: Toggl, tenant: Tenant, command: str) -> None:
    result = toggl(command)
    assert result.code == EX_OK, result.err
    lines = result.out.splitlines()
    assert lines, "a table"
    answer: Any = sandbox_answer(tenant, command) if command != "logged" else None
    if command == "me":
        assert any(line.split()[-2:] == answer["fullname"].split() for line in lines)
    elif command == "location":
        assert any(answer["city"] in line for line in lines)
    elif command == "logged":
        assert "works" in result.out
    elif command == "features":
        assert len(lines) == 1 + sum(len(w["features"]) for w in answer)
    elif command == "quota":
        assert len(lines) == 1 + len(answer)
    else:
        # A header, then a row per object in id order, the id first.
        assert len(lines) == 1 + len(answer)
        assert [line.split()[0] for line in lines[1:]] == [str(o["id"]) for o in answer]


def test_table_columns_line_up_when_not_a_terminal(toggl: Toggl) -> None:
    """Not a terminal: no width limit, whole names, every column at the header's offset."""
    lines = toggl("projects").out.splitlines()
    start = display_width(lines[0][:lines[0].index("WORKSPACE")])
    for line in lines[1:]:
        assert at_column(line, start)[:1].isdigit() and at_column(line, start - 1)[:1] == " ", line
    assert not any("…" in line for line in lines)


def test_time_entries_show_the_running_one(toggl: Toggl, tenant: Tenant) -> None:
    out = toggl("time-entries").out
    running = [e for e in tenant.api("/me?with_related_data=true")["time_entries"] if e["duration"] < 0]
    assert len(running) == 1
    assert any(line.startswith(str(running[0]["id"])) and "running" in line for line in out.splitlines())


def test_update_me_changes_the_profile_and_the_stored_copy(toggl: Toggl, tenant: Tenant) -> None:
    result, sent = toggl.counted("update-me", "--fullname", "Ada Lovelace", "--timezone", "Europe/London",
                                 "--beginning-of-week", "0", "--json")
    assert result.code == EX_OK, result.err
    assert sent == 2                      # PUT /me, then the stored user (a snapshot of an empty store)
    put = [r for r in tenant.requests() if r["method"] == "PUT"]
    assert len(put) == 1 and put[0]["path"] == "/me"
    assert result.json()["fullname"] == "Ada Lovelace"
    offline = toggl("me", "--offline", "--json").json()
    assert offline == without_tokens(tenant.api("/me"))
    assert (offline["timezone"], offline["beginning_of_week"]) == ("Europe/London", 0)


def test_update_me_on_a_synced_store_refreshes_only_the_user(toggl: Toggl, tenant: Tenant) -> None:
    assert toggl("sync").code == EX_OK
    result, sent = toggl.counted("update-me", "--default-workspace-id", "43644207")
    assert result.code == EX_OK, result.err
    assert sent == 2
    assert [(r["method"], r["path"], r["query"]) for r in tenant.requests()[-2:]] == [("PUT", "/me", ""), ("GET", "/me", "")]
    assert "43644207" in result.out


def test_sync_reports_what_it_spent(toggl: Toggl) -> None:
    first = toggl("sync", "--json")
    assert first.code == EX_OK, first.err
    report = first.json()
    assert report["snapshot"] is True and report["requests"] == 2      # the snapshot, and tasks
    second = toggl("sync", "--json", "--max-age", "15m").json()
    assert second["requests"] == 0 and second["snapshot"] is False
    table = toggl("sync")
    assert table.out.startswith("5 requests (an incremental refresh)"), table.out
    assert "COLLECTION" in table.out
    rows = read_csv(toggl("sync", "--csv").out)
    assert [r["collection"] for r in rows] == ["user", "workspaces", "clients", "projects", "tags", "tasks", "time_entries"]


def test_sync_full_takes_a_snapshot(toggl: Toggl) -> None:
    assert toggl("sync").code == EX_OK
    report = toggl("sync", "--full", "--json").json()
    assert report["snapshot"] is True
    assert report["collections"]["workspaces"]["requested"] is True


def test_status_shows_what_is_cached_and_the_quota(toggl: Toggl, tenant: Tenant) -> None:
    empty = toggl("status", "--json").json()
    assert empty["exists"] is False and empty["store"] == str(toggl.store)
    assert all(c["age_s"] is None for c in empty["collections"].values())
    assert toggl("projects").code == EX_OK
    status, sent = toggl.counted("status", "--json")
    assert sent == 0
    report = status.json()
    assert report["exists"] is True
    assert report["collections"]["projects"]["items"] == len(tenant.api("/me/projects?include_archived=true"))
    assert report["collections"]["tasks"] == {"items": None, "age_s": None}
    assert 0 <= report["collections"]["projects"]["age_s"] < 60
    assert report["quota"]["remaining"] is not None and report["quota"]["resets_in_s"] > 0
    table = toggl("status").out
    assert str(toggl.store) in table and "requests left" in table and "resets in" in table
    assert any(line.split()[:2] == ["tasks", "never"] for line in table.splitlines()), table


def test_default_store_lives_in_the_cache_folder(toggl: Toggl) -> None:
    result = toggl("projects", env={"TOGGL_STORE": None})
    assert result.code == EX_OK, result.err
    folder = toggl.home / ".cache" / "toggl"
    files = [p for p in folder.iterdir() if p.suffix == ".db"]
    assert len(files) == 1 and files[0].name.startswith("store-")
    assert folder.stat().st_mode & 0o777 == 0o700
    assert files[0].stat().st_mode & 0o777 == 0o600
    assert not toggl.store.exists()
    # HOME's .cache when XDG_CACHE_HOME is unset: the same file (its name comes from the token).
    again = toggl("status", "--json", env={"TOGGL_STORE": None, "XDG_CACHE_HOME": None}).json()
    assert again["store"] == str(files[0])
