"""toggl.Store: the local mirror. Every request count is the sandbox's own (GET
__sandbox/requests/count), checked against the report's."""

from __future__ import annotations

import ctypes
import gc
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import weakref
from datetime import timedelta
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

import toggl
from conftest import EMAIL, PASSWORD, TOKEN, Tenant, wait_until

COLLECTIONS = ["user", "workspaces", "clients", "projects", "tags", "tasks", "time_entries"]
LISTS = COLLECTIONS[1:]
PACKAGE_ROOT = Path(toggl.__file__).resolve().parents[1]


# --- helpers --------------------------------------------------------------------------------

def counted(tenant: Tenant, func: Any, *args: Any, **kwargs: Any) -> tuple[Any, int]:
    """(func's result, the requests the sandbox received meanwhile)."""
    before = tenant.count()
    result = func(*args, **kwargs)
    return result, tenant.count() - before


def sync(tenant: Tenant, store: toggl.Store, client: toggl.Client, **options: Any) -> Dict[str, Any]:
    """store.sync(), asserting that the report's request count is the sandbox's."""
    report, sent = counted(tenant, store.sync, client, **options)
    assert report["requests"] == sent, (report, sent)
    return report


def reads(store: toggl.Store) -> Dict[str, Any]:
    """Every collection, whole and active only."""
    out: Dict[str, Any] = {name: store.get(name) for name in COLLECTIONS}
    out.update({f"{name}/active": store.get(name, active_only=True) for name in LISTS})
    return out


def without_token(obj: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in obj.items() if k != "api_token"}


def user_of(me: Dict[str, Any]) -> Dict[str, Any]:
    """GET /me's user as the store keeps it: without related arrays and api_token."""
    related = {"clients", "projects", "tags", "tasks", "time_entries", "workspaces"}
    return {k: v for k, v in me.items() if k not in related and k != "api_token"}


def by_id(items: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The server's list as a store reads it: ordered by id."""
    return sorted(items, key=lambda item: item["id"])


def ids(items: List[Dict[str, Any]]) -> List[int]:
    return [item["id"] for item in items]


def assert_report_shape(report: Dict[str, Any]) -> None:
    assert set(report) == {"requests", "snapshot", "collections"}
    assert isinstance(report["requests"], int) and isinstance(report["snapshot"], bool)
    assert set(report["collections"]) == set(COLLECTIONS)
    for entry in report["collections"].values():
        assert set(entry) == {"requested", "upserted", "deleted"}
        assert isinstance(entry["requested"], bool)
        assert isinstance(entry["upserted"], int) and isinstance(entry["deleted"], int)


def requested(report: Dict[str, Any]) -> List[str]:
    return [name for name in COLLECTIONS if report["collections"][name]["requested"]]


CHILD = r"""
import json, sys
import toggl
args = json.loads(sys.stdin.readline())
out = {"library": toggl.library_path}
with toggl.Store(args["path"]) as s:
    if args.get("wait"):
        print("ready", flush=True)
        sys.stdin.readline()
    if "sync" in args:
        with toggl.Client(args["token"], base_url=args["base_url"]) as c:
            try:
                out["report"] = s.sync(c, **args["sync"])
            except toggl.TogglError as e:
                out["error"] = {"type": type(e).__name__, "message": e.message,
                                "retry_after": e.retry_after, "http_status": e.http_status}
    out["reads"] = {name: s.get(name) for name in args["collections"]}
    out["reads"].update({name + "/active": s.get(name, active_only=True)
                         for name in args["collections"] if name != "user"})
    out["ages"] = {name: s.age(name) for name in args["collections"]}
    q = s.quota
    out["quota"] = None if q is None else [q.remaining, q.resets_in]
print(json.dumps(out))
"""


def child_env() -> Dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PACKAGE_ROOT), env.get("PYTHONPATH"))
                                        if p)
    return env


def child_args(tenant: Tenant, path: Path, sync: Optional[Dict[str, Any]] = None,
               wait: bool = False) -> str:
    args: Dict[str, Any] = {"path": str(path), "collections": COLLECTIONS, "wait": wait,
                            "token": TOKEN, "base_url": tenant.base_url}
    if sync is not None:
        args["sync"] = sync
    return json.dumps(args) + "\n"


def in_new_process(tenant: Tenant, path: Path,
                   sync: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """Open the store at ``path`` in a new Python process (same TOGGL_LIBRARY), optionally
    sync it, and read everything back."""
    result = subprocess.run([sys.executable, "-c", CHILD], input=child_args(tenant, path, sync),
                            capture_output=True, text=True, timeout=120, env=child_env())
    assert result.returncode == 0, result.stderr
    out: Dict[str, Any] = json.loads(result.stdout)
    assert out["library"] == toggl.library_path
    return out


def as_child_reads(store: toggl.Store) -> Dict[str, Any]:
    """reads() in the child's layout (collections, then "<list>/active")."""
    return json.loads(json.dumps(reads(store)))


# --- the first sync ---------------------------------------------------------------------------

@pytest.mark.parametrize("tasks,expected", [(False, 1), (True, 2)])
def test_first_sync_of_an_empty_store(tenant, client, manifest, tasks, expected):
    with toggl.Store() as s:
        assert s.get("user") is None
        assert all(s.get(name) == [] for name in LISTS)
        assert all(s.age(name) is None for name in COLLECTIONS)
        assert s.quota is None

        report = sync(tenant, s, client, tasks=tasks)
        assert report["requests"] == expected
        assert_report_shape(report)
        assert report["snapshot"] is True
        paths = [(r["path"], r["query"]) for r in tenant.requests()]
        assert paths[0] == ("/me", "with_related_data=true")
        if tasks:     # the sandbox's snapshot body has no tasks: one request more
            assert paths[1:] == [("/me/tasks", "include_not_active=true")]
        entries = report["collections"]
        assert requested(report) == [n for n in COLLECTIONS if tasks or n != "tasks"]
        assert all(entry["deleted"] == 0 for entry in entries.values())
        assert entries["user"]["upserted"] == 1
        for name in ("workspaces", "clients", "projects", "tags", "time_entries"):
            assert entries[name]["upserted"] == manifest[name], name
        assert entries["tasks"]["upserted"] == (manifest["tasks"] if tasks else 0)

        got, sent = counted(tenant, reads, s)
        assert sent == 0                                     # reads send nothing
        ages, sent = counted(tenant, lambda: {n: s.age(n) for n in COLLECTIONS})
        assert sent == 0
        quota, sent = counted(tenant, lambda: s.quota)
        assert sent == 0
        assert quota is not None and quota.remaining is not None and quota.remaining > 0
        assert quota.resets_in is not None and 0 < quota.resets_in <= 3600
        for name in COLLECTIONS:
            if name == "tasks" and not tasks:
                assert ages[name] is None
            else:
                assert type(ages[name]) is int and 0 <= ages[name] < 60, (name, ages[name])

    # What the sandbox's own endpoints answer.
    related = client.me(with_related_data=True)
    assert got["user"] == user_of(client.me())
    assert "api_token" not in got["user"] and got["user"]["id"] == related["id"]
    assert got["workspaces"] == by_id([without_token(w) for w in related["workspaces"]])
    assert len(got["workspaces"]) == manifest["workspaces"]
    assert all("api_token" not in w for w in got["workspaces"])
    assert any("api_token" in w for w in related["workspaces"])     # so the drop is real
    assert got["time_entries"] == by_id(related["time_entries"])
    all_projects = client.projects(include_archived=True)
    assert got["projects"] == all_projects
    assert got["projects/active"] == client.projects() == [p for p in all_projects if p["active"]]
    assert len(got["projects/active"]) == manifest["projects_active"] < len(got["projects"])
    clients = client.clients()
    assert got["clients"] == clients
    assert got["clients/active"] == [c for c in clients if not c.get("archived")]
    assert got["tags"] == got["tags/active"] == client.tags()
    if tasks:
        assert got["tasks"] == client.tasks(include_not_active=True)
        assert got["tasks/active"] == client.tasks()
        assert len(got["tasks/active"]) == manifest["tasks_active"] < len(got["tasks"])
    else:
        assert got["tasks"] == got["tasks/active"] == []
    for name in LISTS:
        assert ids(got[name]) == sorted(ids(got[name])), name     # ordered by id


def test_fresh_store_sends_nothing(tenant, client):
    with toggl.Store() as s:
        report = sync(tenant, s, client, user=True)                  # a snapshot has the user
        assert (report["requests"], report["snapshot"]) == (1, True)
        for max_age in (3600, timedelta(hours=1)):
            report = sync(tenant, s, client, max_age=max_age)
            assert report["requests"] == 0 and report["snapshot"] is False
            assert requested(report) == []
            assert_report_shape(report)
        report = sync(tenant, s, client, full=True, max_age=3600)      # nothing is due
        assert report["requests"] == 0
        for name in COLLECTIONS:
            age = s.age(name)
            if name == "tasks":
                assert age is None                 # never synced: no tasks=True yet
            else:
                assert type(age) is int and 0 <= age < 60, (name, age)

        # tasks=True on a store without tasks: only tasks are due.
        report = sync(tenant, s, client, tasks=True, max_age=3600)
        assert report["requests"] == 1 and requested(report) == ["tasks"]
        assert tenant.last()["path"] == "/me/tasks"
        assert type(s.age("tasks")) is int

        report = sync(tenant, s, client, user=True, max_age=3600)    # the user is fresh too
        assert report["requests"] == 0
        report = sync(tenant, s, client, full=True)                  # max_age=0: a snapshot
        assert report["requests"] == 1 and report["snapshot"] is True
        report = sync(tenant, s, client)                             # incremental
        assert report["requests"] == 3 and report["snapshot"] is False
        assert requested(report) == ["clients", "projects", "tags"]


# --- a file store ---------------------------------------------------------------------------

def test_file_store_is_private_and_read_by_a_new_process(tenant, client, tmp_path):
    path = tmp_path / "toggl.sqlite3"
    old_umask = os.umask(0)                   # the 0600 is the library's, not the umask's
    try:
        with toggl.Store(path) as s:          # an os.PathLike
            assert s.path == str(path)
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            sync(tenant, s, client, tasks=True)
            mine = as_child_reads(s)
            for sidecar in tmp_path.iterdir():    # -wal and -shm, where SQLite keeps them
                assert stat.S_IMODE(sidecar.stat().st_mode) == 0o600, sidecar
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert b"sandbox-api-token" not in path.read_bytes()     # no credential is kept

    before = tenant.count()
    out = in_new_process(tenant, path, sync={"max_age": 3600, "tasks": True})
    assert tenant.count() == before                              # 0 requests
    assert out["report"]["requests"] == 0
    assert out["reads"] == mine
    assert all(type(age) is int and 0 <= age < 60 for age in out["ages"].values())
    assert out["quota"][0] > 0

    # The same file opened by str in this process, after the other one closed it.
    with toggl.Store(str(path)) as again:
        assert as_child_reads(again) == mine


# --- incremental refresh ----------------------------------------------------------------------

def _change_everything(tenant: Tenant, s: toggl.Store, tasks: bool) -> Dict[str, Any]:
    """Edits, archives, deletes and adds in every collection; what to expect after."""
    projects = s.get("projects", active_only=True)
    clients = s.get("clients")
    active_clients = s.get("clients", active_only=True)[2:]
    tags = s.get("tags")
    ops: List[Dict[str, Any]] = [
        {"op": "edit", "collection": "projects", "id": projects[0]["id"],
         "fields": {"name": "Renamed \u2713 \"quoted\""}},
        {"op": "archive", "collection": "projects", "id": projects[1]["id"]},
        {"op": "delete", "collection": "projects", "id": projects[2]["id"]},
        {"op": "add", "collection": "projects"},
        {"op": "edit", "collection": "clients", "id": clients[0]["id"], "fields": {"notes": "n"}},
        {"op": "delete", "collection": "clients", "id": clients[1]["id"]},
        {"op": "archive", "collection": "clients", "id": active_clients[0]["id"]},
        {"op": "add", "collection": "clients"},
        {"op": "edit", "collection": "tags", "id": tags[0]["id"], "fields": {"name": "t-edit"}},
        {"op": "delete", "collection": "tags", "id": tags[1]["id"]},
        {"op": "add", "collection": "tags"},
    ]
    deleted = {"projects": [projects[2]["id"]], "clients": [clients[1]["id"]],
               "tags": [tags[1]["id"]]}
    if tasks:
        active = s.get("tasks", active_only=True)
        ops += [
            {"op": "edit", "collection": "tasks", "id": active[0]["id"], "fields": {"name": "x"}},
            {"op": "archive", "collection": "tasks", "id": active[1]["id"]},
            {"op": "delete", "collection": "tasks", "id": active[2]["id"]},
        ]
        deleted["tasks"] = [active[2]["id"]]
    reply = tenant.changes(*ops)
    added = {item["collection"]: item["id"] for item in reply["items"]
             if item["id"] not in ids(s.get(item["collection"]))}
    return {"archived_project": projects[1]["id"], "archived_client": active_clients[0]["id"],
            "deleted": deleted, "added": added}


@pytest.mark.parametrize("tasks,user,expected", [(False, False, 3), (True, False, 4),
                                                 (True, True, 5)])
def test_incremental_sync_after_changes(tenant, client, tasks, user, expected):
    with toggl.Store() as s:
        sync(tenant, s, client, tasks=tasks)
        what = _change_everything(tenant, s, tasks)
        if user:
            client.update_me(fullname="Renamed User")

        report = sync(tenant, s, client, tasks=tasks, user=user)
        assert report["requests"] == expected and report["snapshot"] is False
        assert_report_shape(report)
        log = tenant.requests()[-expected:]
        wanted = ["/me/clients", "/me/projects", "/me/tags"] + ["/me/tasks"] * tasks + \
                 ["/me"] * user
        assert sorted(r["path"] for r in log) == sorted(wanted)
        for r in log:
            if r["path"] != "/me":
                assert re.search(r"(^|&)since=\d+", r["query"]), r
        assert requested(report) == [n for n in COLLECTIONS
                                     if n in ("clients", "projects", "tags")
                                     or (n == "tasks" and tasks) or (n == "user" and user)]
        entries = report["collections"]
        assert (entries["projects"]["upserted"], entries["projects"]["deleted"]) == (3, 1)
        assert (entries["clients"]["upserted"], entries["clients"]["deleted"]) == (3, 1)
        assert (entries["tags"]["upserted"], entries["tags"]["deleted"]) == (2, 1)
        if tasks:
            assert (entries["tasks"]["upserted"], entries["tasks"]["deleted"]) == (2, 1)
        if user:
            assert s.get("user")["fullname"] == "Renamed User"

        with toggl.Store() as fresh:           # a snapshot of the same tenant, now
            sync(tenant, fresh, client, tasks=tasks)
            assert reads(s) == reads(fresh)

        for name, gone in what["deleted"].items():
            assert not set(gone) & set(ids(s.get(name))), name
        for name, new in what["added"].items():
            assert new in ids(s.get(name)), name
        archived = what["archived_project"]
        project = next(p for p in s.get("projects") if p["id"] == archived)
        assert project["active"] is False
        assert archived not in ids(s.get("projects", active_only=True))
        assert "Renamed \u2713 \"quoted\"" in [p["name"] for p in s.get("projects")]
        archived = what["archived_client"]
        assert archived in ids(s.get("clients"))
        assert archived not in ids(s.get("clients", active_only=True))

        # Unarchiving brings the project back into active_only.
        tenant.changes({"op": "unarchive", "collection": "projects",
                        "id": what["archived_project"]})
        report = sync(tenant, s, client)
        assert report["collections"]["projects"]["upserted"] >= 1
        assert what["archived_project"] in ids(s.get("projects", active_only=True))


def test_a_refused_since_falls_back_to_a_snapshot(tenant, client):
    with toggl.Store() as s:
        sync(tenant, s, client)
        # The watermark is the server's Date minus 10 minutes: a `since` limit of 1000 s
        # refuses it once the tenant's clock moves 2000 s on.
        tenant.config(since_max_age_s=1000)
        tenant.advance_clock(2000)
        victim = s.get("projects")[0]["id"]
        tenant.changes({"op": "delete", "collection": "projects", "id": victim})

        report = sync(tenant, s, client)
        assert report["snapshot"] is True
        assert report["requests"] == 2                       # the 400, then the snapshot
        first, second = tenant.requests()[-2:]
        assert first["path"].startswith("/me/") and "since=" in first["query"]
        assert (second["path"], second["query"]) == ("/me", "with_related_data=true")
        assert victim not in ids(s.get("projects"))
        with toggl.Store() as fresh:
            sync(tenant, fresh, client)
            assert reads(s) == reads(fresh)

        report = sync(tenant, s, client)                     # the new watermark is young
        assert (report["requests"], report["snapshot"]) == (3, False)

        tenant.advance_clock(2000)                           # with tasks: 400 + 2
        report = sync(tenant, s, client, tasks=True)
        assert (report["requests"], report["snapshot"]) == (3, True)
        assert report["collections"]["tasks"]["requested"] is True


def test_the_watermark_is_the_servers_date_minus_ten_minutes(tenant, client):
    """`since` comes from the server's Date header (the tenant's clock, moved a day ahead
    here), never from this machine's clock."""
    tenant.advance_clock(86400)
    with toggl.Store() as s:
        before = tenant.clock()
        sync(tenant, s, client)
        after = tenant.clock()
        sync(tenant, s, client)
        for r in tenant.requests()[-3:]:
            since = int(re.search(r"(?:^|&)since=(\d+)", r["query"]).group(1))
            assert before - 600 <= since <= after - 600, (r, before, after)


def test_a_fallback_reports_what_the_snapshot_stored(tenant, client):
    """Only /me/projects refuses its `since` (a canned 400), after /me/clients answered."""
    with toggl.Store() as s:
        sync(tenant, s, client)
        tenant.changes({"op": "add", "collection": "clients"})
        tenant.faults({"path": "/me/projects", "status": 400, "message": "since is too old"})
        report = sync(tenant, s, client)
        assert (report["requests"], report["snapshot"]) == (3, True)
        assert report["collections"]["clients"]["upserted"] == len(s.get("clients"))


# --- the quota gate ---------------------------------------------------------------------------

@pytest.mark.parametrize("fail_fast", [True, False])
def test_a_spent_quota_stops_every_process(tenant, tmp_path, fail_fast):
    """quota_limit 3 after a snapshot: clients and projects are refreshed, then the quota is
    spent. With the client's fail-fast gate (the default) it refuses the third request itself;
    without it the server answers 402. Either way the store keeps the spent quota."""
    path = tmp_path / "store.sqlite3"
    with tenant.client(quota_fail_fast=fail_fast) as client, toggl.Store(path) as s:
        sync(tenant, s, client)
        tenant.config(quota_limit=3)
        first_client, first_project, first_tag = (s.get(n)[0]["id"]
                                                  for n in ("clients", "projects", "tags"))
        tenant.changes(
            {"op": "edit", "collection": "clients", "id": first_client, "fields": {"name": "C!"}},
            {"op": "edit", "collection": "projects", "id": first_project, "fields": {"name": "P!"}},
            {"op": "edit", "collection": "tags", "id": first_tag, "fields": {"name": "T!"}})
        before = tenant.count()
        with pytest.raises(toggl.QuotaExceededError) as info:
            s.sync(client)
        assert tenant.count() - before == (2 if fail_fast else 3)
        assert info.value.retry_after is not None and 0 < info.value.retry_after <= 3600
        if not fail_fast:
            assert info.value.http_status == 402
        # What the requests before the refusal brought is kept; the rest is unchanged.
        assert s.get("clients")[0]["name"] == "C!"
        assert s.get("projects")[0]["name"] == "P!"
        assert s.get("tags")[0]["name"] != "T!"
        quota = s.quota
        assert quota is not None and quota.remaining == 0
        assert quota.resets_in is not None and 0 < quota.resets_in <= 3600

    # Another client in this process, then a new process: refused before sending anything.
    with tenant.client() as other, toggl.Store(path) as s:
        before = tenant.count()
        with pytest.raises(toggl.QuotaExceededError) as info:
            s.sync(other)
        assert tenant.count() == before
        assert info.value.retry_after is not None and info.value.retry_after > 0
        assert "nothing was sent" in info.value.message
        assert s.sync(other, max_age=3600)["requests"] == 0     # nothing due: no error
    before = tenant.count()
    out = in_new_process(tenant, path, sync={})
    assert tenant.count() == before
    assert out["error"]["type"] == "QuotaExceededError"
    assert out["error"]["retry_after"] > 0
    assert re.search(r"resets in \d+ (s|min|h)", out["error"]["message"]), out["error"]
    assert out["quota"][0] == 0 and out["quota"][1] > 0


def test_the_gate_opens_when_the_recorded_window_resets(tenant):
    tenant.config(quota_limit=2, quota_window_s=5)
    with tenant.client() as client, toggl.Store() as s:
        sync(tenant, s, client)
        with pytest.raises(toggl.QuotaExceededError):
            s.sync(client)
        assert s.quota is not None and s.quota.remaining == 0
        # The server would answer now: the store alone refuses, until its recorded reset.
        tenant.config(quota_limit=1000)
        with tenant.client() as other:
            before = tenant.count()
            with pytest.raises(toggl.QuotaExceededError, match="nothing was sent"):
                s.sync(other)
            assert tenant.count() == before
            wait_until(lambda: s.quota is None, "the recorded quota window to reset")
            report = sync(tenant, s, other)
            assert (report["requests"], report["snapshot"]) == (3, False)
            assert s.quota is not None and s.quota.remaining is not None
            assert s.quota.remaining > 0


def test_the_recorded_reset_is_not_early(tenant, client):
    tenant.config(quota_window_s=60)
    tenant.faults({"path": "/me", "delay_ms": 4000, "pass": True})
    with toggl.Store() as s:
        sync(tenant, s, client)
        mine, heard = s.quota, client.last_quota
        assert mine is not None and heard is not None
        assert mine.resets_in is not None and heard.resets_in is not None
        assert mine.resets_in >= heard.resets_in - 1, (mine, heard)


# --- which account --------------------------------------------------------------------------

OTHER_TOKEN = "sandbox-second-token-of-the-same-user"


def test_a_new_credential_of_the_same_account_identifies_once(tenant, client):
    tenant.config(extra_tokens=[OTHER_TOKEN])
    with toggl.Store() as s:
        sync(tenant, s, client)
        with tenant.client(api_token=OTHER_TOKEN) as second:
            report = sync(tenant, s, second, max_age=3600)       # nothing due: no GET /me
            assert report["requests"] == 0
            report = sync(tenant, s, second)
            assert report["requests"] == 4                       # GET /me, then 3 refreshes
            log = tenant.requests()[-4:]
            assert (log[0]["path"], log[0]["query"]) == ("/me", "")
            assert all(r["path"] != "/me" for r in log[1:])
            report = sync(tenant, s, second)
            assert report["requests"] == 3                       # known now
            assert all(r["path"] != "/me" for r in tenant.requests()[-3:])
        with tenant.client(email=EMAIL, password=PASSWORD) as third:
            assert sync(tenant, s, third)["requests"] == 4
            assert sync(tenant, s, third)["requests"] == 3
        assert sync(tenant, s, client)["requests"] == 3          # the first is still known


def test_another_account_is_refused_and_nothing_is_written(tenant, client):
    """The sandbox has one user; another account is a canned GET /me answer of another id."""
    tenant.config(extra_tokens=[OTHER_TOKEN])
    with toggl.Store() as s:
        sync(tenant, s, client)
        before_reads = reads(s)
        stranger = dict(client.me(), id=999999999, email="someone@example.com")
        tenant.faults({"path": "/me", "method": "GET", "status": 200,
                       "body": json.dumps(stranger)})
        with tenant.client(api_token=OTHER_TOKEN) as other:
            before = tenant.count()
            with pytest.raises(toggl.StoreError, match="another Toggl account") as info:
                s.sync(other, user=True)
            assert tenant.count() - before == 1                  # the identifying GET /me only
            assert "999999999" in info.value.message
            assert reads(s) == before_reads
            # Its credential was not remembered: the next sync identifies it again.
            assert sync(tenant, s, other)["requests"] == 4


# --- bad input --------------------------------------------------------------------------------

def _snapshot_dir(directory: Path) -> Dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_a_file_that_is_not_a_store_is_left_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hello" * 1000)
    before = _snapshot_dir(tmp_path)
    with pytest.raises(toggl.StoreError) as info:
        toggl.Store(path)
    assert str(path) in info.value.message
    assert info.value.code == -14
    assert _snapshot_dir(tmp_path) == before              # no byte changed, no -wal, no -shm


def test_a_store_of_a_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "newer.sqlite3"
    toggl.Store(path).close()
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA user_version = 99")
        db.commit()
    finally:
        db.close()
    before = _snapshot_dir(tmp_path)
    with pytest.raises(toggl.StoreError) as info:
        toggl.Store(path)
    assert str(path) in info.value.message
    assert "99" in info.value.message and "version" in info.value.message.lower()
    assert _snapshot_dir(tmp_path) == before


def test_a_path_that_cannot_be_created(tmp_path):
    path = tmp_path / "missing-dir" / "store.sqlite3"
    with pytest.raises(toggl.StoreError) as info:
        toggl.Store(path)
    assert str(path) in info.value.message


def test_bad_arguments(tenant, client):
    with pytest.raises(toggl.InvalidArgumentError):
        toggl.Store("")
    with pytest.raises(toggl.InvalidArgumentError):
        toggl.Store("a\0b")
    with pytest.raises(TypeError):
        toggl.Store(1)                                       # type: ignore[arg-type]
    with toggl.Store(":memory:") as s:
        for call in (lambda: s.get("nope"), lambda: s.age("nope"), lambda: s.get(""),
                     lambda: s.get("Projects"), lambda: s.get("user\udcff"),
                     lambda: s.age(None)):                  # type: ignore[arg-type]
            with pytest.raises(toggl.InvalidArgumentError) as info:
                call()
            assert info.value.code == -1
        assert "projects" in str(pytest.raises(toggl.InvalidArgumentError, s.get, "nope").value)
        for call in (lambda: s.get(1), lambda: s.get("tags", 1),
                     lambda: s.sync(client, full=1), lambda: s.sync(client, max_age=1.5),
                     lambda: s.sync(client, max_age=True), lambda: s.sync("client")):
            with pytest.raises(TypeError):
                call()
        before = tenant.count()
        with pytest.raises(toggl.InvalidArgumentError, match="max_age"):
            s.sync(client, max_age=-1)                       # the library's own check
        with pytest.raises(toggl.InvalidArgumentError):
            s.sync(client, max_age=timedelta(seconds=-5))
        with pytest.raises(toggl.InvalidArgumentError):
            s.sync(client, max_age=1 << 63)                  # does not fit int64
        assert tenant.count() == before


def test_use_after_close(tenant, client):
    s = toggl.Store()
    s.close()
    assert s.closed and "closed" in repr(s)
    s.close()                                                # idempotent
    for call in (lambda: s.get("projects"), lambda: s.age("projects"), lambda: s.quota,
                 lambda: s.sync(client)):
        with pytest.raises(toggl.StoreClosedError) as info:
            call()
        assert isinstance(info.value, toggl.InvalidArgumentError)
        assert info.value.code == -1 and "closed" in str(info.value)
    with pytest.raises(toggl.StoreClosedError):
        with s:
            pass
    assert tenant.count() == 0
    with toggl.Store() as open_store:                        # a closed client: its own error
        client.close()
        with pytest.raises(toggl.ClientClosedError):
            open_store.sync(client)
    assert open_store.closed


def test_garbage_collected_store():
    s = toggl.Store()
    ref = weakref.ref(s)
    del s
    gc.collect()
    assert ref() is None


def test_free_accepts_null():
    toggl._ffi.lib.toggl_store_free(None)


def test_the_c_contract_of_the_store_functions(tenant, client):
    """What Python never passes: NULLs, unknown flag bits, a NULL report."""
    lib, ffi = toggl._ffi.lib, toggl._ffi
    client_ptr = client._handle.ptr
    with pytest.raises(toggl.InvalidArgumentError, match="NULL"):
        lib.toggl_store_open(None, None)
    out = ffi.store_p()
    with pytest.raises(toggl.InvalidArgumentError):
        lib.toggl_store_open(b"", ctypes.byref(out))
    assert not out
    with pytest.raises(toggl.InvalidArgumentError):
        lib.toggl_store_open(b"\xff.sqlite3", ctypes.byref(out))    # not UTF-8
    assert not out
    lib.toggl_store_open(b":memory:", ctypes.byref(out))
    store = out
    assert store
    try:
        report = ctypes.c_void_p(1)          # set to NULL first
        for flags, max_age in ((8, 0), (0x80000000, 0), (0, -1)):
            with pytest.raises(toggl.InvalidArgumentError):
                lib.toggl_store_sync(store, client_ptr, flags, max_age, ctypes.byref(report))
            assert report.value is None
        with pytest.raises(toggl.InvalidArgumentError, match="NULL"):
            lib.toggl_store_sync(store, None, 0, 0, None)
        with pytest.raises(toggl.InvalidArgumentError, match="NULL"):
            lib.toggl_store_sync(None, client_ptr, 0, 0, None)
        assert tenant.count() == 0
        assert lib.toggl_store_sync(store, client_ptr, 0, 0, None) == 0   # no report asked
        assert tenant.count() == 1
        text = ctypes.c_void_p(1)
        with pytest.raises(toggl.InvalidArgumentError, match="flags"):
            lib.toggl_store_get(store, b"projects", 2, ctypes.byref(text))
        assert text.value is None
        with pytest.raises(toggl.InvalidArgumentError, match="NULL"):
            lib.toggl_store_get(store, b"projects", 0, None)
        with pytest.raises(toggl.InvalidArgumentError, match="NULL"):
            lib.toggl_store_get(None, b"projects", 0, ctypes.byref(text))
        with pytest.raises(toggl.InvalidArgumentError, match="NULL"):
            lib.toggl_store_age(store, b"projects", None)
        age = ctypes.c_int64(7)
        with pytest.raises(toggl.InvalidArgumentError):
            lib.toggl_store_age(store, b"nope", ctypes.byref(age))
        assert age.value == -1                                      # set to -1 first
        assert lib.toggl_store_quota(store, None, None) == 0
        with pytest.raises(toggl.InvalidArgumentError, match="NULL"):
            lib.toggl_store_quota(None, None, None)
    finally:
        lib.toggl_store_free(store)


# --- threads and processes ----------------------------------------------------------------------

@pytest.mark.parametrize("where", ["memory", "file", "two stores on one file"])
def test_two_threads_syncing_at_once_spend_one_request(tenant, client, tmp_path, where):
    # The snapshot answer is slowed so that the second sync starts while the first runs.
    tenant.faults({"path": "/me", "delay_ms": 300, "pass": True})
    barrier = threading.Barrier(2)
    reports: List[Dict[str, Any]] = []
    errors: List[BaseException] = []
    path = None if where == "memory" else tmp_path / "s.sqlite3"

    with toggl.Store(path) as s, toggl.Store(path if path else ":memory:") as second:
        stores = [s, second if where == "two stores on one file" else s]

        def run(store: toggl.Store) -> None:
            try:
                barrier.wait(10)
                reports.append(store.sync(client, max_age=3600))
            except BaseException as e:          # reported by the main thread
                errors.append(e)

        before = tenant.count()
        threads = [threading.Thread(target=run, args=(store,)) for store in stores]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        assert tenant.count() - before == 1
        assert sorted(r["requests"] for r in reports) == [0, 1]
        assert len(s.get("projects")) > 0


def test_two_processes_syncing_at_once_spend_one_request(tenant, tmp_path):
    path = tmp_path / "shared.sqlite3"
    toggl.Store(path).close()                   # created before either process starts
    tenant.faults({"path": "/me", "delay_ms": 500, "pass": True})
    children = [subprocess.Popen([sys.executable, "-c", CHILD], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=child_env())
                for _ in range(2)]
    try:
        for child in children:
            assert child.stdin is not None and child.stdout is not None
            child.stdin.write(child_args(tenant, path, sync={"max_age": 3600}, wait=True))
            child.stdin.flush()
            assert child.stdout.readline() == "ready\n"
        for child in children:                  # both go at once
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        outs = []
        for child in children:
            stdout, stderr = child.communicate(timeout=120)
            assert child.returncode == 0, stderr
            outs.append(json.loads(stdout))
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert tenant.count() == 1
    assert sorted(out["report"]["requests"] for out in outs) == [0, 1]
    assert outs[0]["reads"] == outs[1]["reads"]


def test_reads_of_a_file_store_do_not_wait_for_a_sync(tenant, client, tmp_path):
    with toggl.Store(tmp_path / "s.sqlite3") as s:
        sync(tenant, s, client)
        old = s.get("projects")
        victim = old[0]["id"]
        tenant.changes({"op": "delete", "collection": "projects", "id": victim})
        tenant.faults({"path": "/me/projects", "delay_ms": 3000, "pass": True})
        done = threading.Event()
        worker = threading.Thread(target=lambda: (s.sync(client), done.set()))
        worker.start()
        try:
            wait_until(lambda: any(r["path"] == "/me/projects" for r in tenant.requests()),
                       "the projects request to arrive")
            start = time.monotonic()
            assert s.get("projects") == old            # the last committed sync
            assert s.age("projects") is not None and s.quota is not None
            assert time.monotonic() - start < 1.5 and not done.is_set()
        finally:
            worker.join(30)
        assert done.is_set()
        assert victim not in ids(s.get("projects"))


def test_close_waits_for_a_sync_in_flight(tenant, client):
    tenant.faults({"path": "/me", "delay_ms": 1000, "pass": True})
    reports: List[Dict[str, Any]] = []
    s = toggl.Store()
    worker = threading.Thread(target=lambda: reports.append(s.sync(client)))
    worker.start()
    wait_until(lambda: tenant.count() == 1, "the snapshot request to arrive")
    start = time.monotonic()
    s.close()                      # returns once the sync has (its answer takes 1 s)
    assert time.monotonic() - start > 0.3
    assert s.closed
    worker.join(10)
    assert reports and reports[0]["requests"] == 1
    with pytest.raises(toggl.StoreClosedError):
        s.get("user")


def test_cancel_ends_a_sync_and_keeps_the_store_as_it_was(tenant, client):
    tenant.faults({"path": "/me", "delay_ms": 10000, "pass": True})
    errors: List[BaseException] = []
    with toggl.Store() as s:
        def run() -> None:
            try:
                s.sync(client)
            except BaseException as e:
                errors.append(e)

        worker = threading.Thread(target=run)
        worker.start()
        wait_until(lambda: tenant.count() == 1, "the snapshot request to arrive")
        client.cancel()
        worker.join(10)
        assert not worker.is_alive()
        assert len(errors) == 1 and isinstance(errors[0], toggl.CancelledError), errors
        assert s.get("user") is None and s.age("user") is None and s.get("projects") == []


# --- types --------------------------------------------------------------------------------------

STORE_USER_CODE = """
from __future__ import annotations
from datetime import timedelta
from typing import Any
import toggl

def use(c: toggl.Client) -> int | None:
    with toggl.Store("x.sqlite3") as s:
        report: dict[str, Any] = s.sync(c, tasks=True, max_age=timedelta(minutes=5))
        projects: list[dict[str, Any]] = s.get("projects", active_only=True)
        user: dict[str, Any] | None = s.get("user")
        age: int | None = s.age("tags")
        q = s.quota
        return None if q is None else q.remaining
"""

STORE_WRONG_CODE = """
import toggl

def use(c: toggl.Client) -> None:
    s = toggl.Store()
    s.get("user")["id"]
    s.sync(c, full=1)
    s.age("tags") + 1
"""


def test_user_code_sees_the_store_types(tmp_path):
    from test_typing import run_mypy
    good = tmp_path / "good_store.py"
    good.write_text(STORE_USER_CODE)
    result = run_mypy(tmp_path, str(good))
    assert result.returncode == 0, result.stdout + result.stderr

    bad = tmp_path / "bad_store.py"
    bad.write_text(STORE_WRONG_CODE)
    result = run_mypy(tmp_path, str(bad))
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "bad_store.py:6: error: Value of type" in out and "None" in out, out
    assert 'bad_store.py:7: error: Argument "full" to "sync"' in out, out
    assert 'bad_store.py:8: error: Unsupported operand types for + ("None" and "int")' in out, out
