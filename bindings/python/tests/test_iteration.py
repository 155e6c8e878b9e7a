"""iter_projects / iter_tasks: every item once, pages fetched lazily, pagers freed."""

from __future__ import annotations

import gc
import itertools
import os
import subprocess
import sys

import pytest

import toggl
from toggl import _ffi
from conftest import REPO, TOKEN, walk_requests

sys.path.insert(0, str(REPO / "Tests" / "Sandbox"))
import seed  # noqa: E402

LIVE_PROJECT_IDS = [p.id for p in seed.PROJECTS if not p.deleted]


@pytest.fixture
def pager_count(monkeypatch):
    """Counts the C pagers created and freed through the binding: {"new": n, "free": n}."""
    counts = {"new": 0, "free": 0}
    lib = _ffi.lib
    for name, key in (("toggl_projects_pager_new", "new"), ("toggl_tasks_pager_new", "new"),
                      ("toggl_pager_free", "free")):
        real = getattr(lib, name)

        def counted(*args, _real=real, _key=key):
            counts[_key] += 1
            return _real(*args)
        monkeypatch.setattr(lib, name, counted)
    return counts


def test_iter_projects_all_once(client, tenant, manifest):
    ids = [p["id"] for p in client.iter_projects()]
    assert len(ids) == manifest["projects"]
    assert len(set(ids)) == manifest["projects"]
    assert ids == LIVE_PROJECT_IDS
    # the server's default page size: full pages and a short one, which ends the walk
    assert tenant.count() == walk_requests(manifest["projects"], manifest["projects_per_page_default"])
    assert all(r["path"] == "/me/projects/paginated" for r in tenant.requests())


def test_iter_projects_is_lazy(client, tenant, manifest):
    it = client.iter_projects(per_page=100)
    assert tenant.count() == 0                     # nothing sent before iteration starts
    first = next(it)
    assert first["id"] == LIVE_PROJECT_IDS[0]
    assert tenant.count() == 1
    rest_of_page = list(itertools.islice(it, 99))
    assert len(rest_of_page) == 99
    assert tenant.count() == 1                     # still the first page
    assert next(it)["id"] == LIVE_PROJECT_IDS[100]
    assert tenant.count() == 2
    remaining = list(it)
    assert len(remaining) == manifest["projects"] - 101
    pages = walk_requests(manifest["projects"], 100)   # full pages, then a short (or empty) one
    assert tenant.count() == pages
    q = tenant.queries()
    assert q[0] == "per_page=100"
    assert q[1] == f"start_project_id={LIVE_PROJECT_IDS[99] + 1}&per_page=100"
    assert list(it) == []
    assert tenant.count() == pages


def test_iter_projects_since(client, tenant):
    since = 1733000000
    expected = [p.id for p in seed.PROJECTS if p.at >= since]
    assert [p["id"] for p in client.iter_projects(since=since, per_page=7)] == expected
    assert tenant.queries()[0] == f"since={since}&per_page=7"


def test_iter_tasks(client, tenant, manifest):
    tasks = list(client.iter_tasks(include_not_active=True, per_page=100))
    ids = [t["id"] for t in tasks]
    assert len(ids) == manifest["tasks"] and len(set(ids)) == manifest["tasks"]
    assert ids == [t.id for t in seed.TASKS]
    q = tenant.queries()
    assert q[0] == "include_not_active=true&per_page=100"
    assert q[1] == "include_not_active=true&offset=100&per_page=100"
    assert len(q) == walk_requests(manifest["tasks"], 100)   # a short (or empty) page ends it


def test_iter_tasks_default_and_meta(client, tenant):
    active = [t.id for t in seed.TASKS if t.active]
    assert [t["id"] for t in client.iter_tasks()] == active
    assert tenant.queries() == [""]                # per_page 0: everything in one page
    metas = list(client.iter_tasks(meta=True, since=1, per_page=250))
    assert len(metas) == len(active)
    assert all("project_name" in t for t in metas)
    assert tenant.queries()[1] == "meta=true&since=1&per_page=250"


def test_iter_tasks_is_lazy(client, tenant):
    it = client.iter_tasks(per_page=10)
    assert tenant.count() == 0
    list(itertools.islice(it, 10))
    assert tenant.count() == 1
    next(it)
    assert tenant.count() == 2
    it.close()
    assert tenant.count() == 2


def test_abandoned_iterators_are_freed(client, tenant, pager_count):
    for _ in range(50):
        it = client.iter_projects(per_page=5)
        next(it)
        del it                                     # generator finalizer frees the pager
    gc.collect()
    assert tenant.count() == 50
    assert pager_count == {"new": 50, "free": 50}


def test_error_mid_iteration_then_resume(client, tenant, pager_count):
    it = client.iter_projects(per_page=100)
    assert len(list(itertools.islice(it, 100))) == 100
    tenant.faults({"status": 404, "message": "gone", "path": "/me/projects/paginated"})
    with pytest.raises(toggl.NotFoundError):
        next(it)
    # a generator that raised is finished; its pager is freed
    assert list(it) == []
    assert pager_count == {"new": 1, "free": 1}


def test_iterator_after_close(tenant, pager_count):
    c = tenant.client()
    it = c.iter_projects(per_page=10)
    assert len(list(itertools.islice(it, 10))) == 10
    c.close()                                      # frees the client; the pager still holds it
    assert pager_count == {"new": 1, "free": 0}
    with pytest.raises(toggl.ClientClosedError):
        next(it)                                   # refused all the same: nothing more is sent
    assert pager_count == {"new": 1, "free": 1}    # the finished generator freed its pager
    with pytest.raises(toggl.ClientClosedError):
        next(c.iter_tasks())
    assert pager_count == {"new": 1, "free": 1}
    assert tenant.count() == 1


# The binding frees a client while its pagers live, relying on toggl.h's promise that a pager
# holds its own reference to its client. Checked in a child process: were the promise broken,
# the use after free would crash that process, not pytest.
PAGER_OUTLIVES_CLIENT = """
import json, sys
from toggl import _ffi
lib = _ffi.lib
client = lib.toggl_client_new(sys.argv[2].encode())
lib.toggl_client_set_base_url(client, sys.argv[1].encode())
pager = lib.toggl_projects_pager_new(client, 0, 500)
lib.toggl_client_free(client)
items = 0
while (text := _ffi.pager_next(pager)) is not None:
    items += len(json.loads(text))
lib.toggl_pager_free(pager)
print(items)
"""


def test_c_pager_outlives_its_client(tenant, manifest):
    env = dict(os.environ, TOGGL_LIBRARY=_ffi.LIBRARY_PATH)
    proc = subprocess.run([sys.executable, "-c", PAGER_OUTLIVES_CLIENT, tenant.base_url, TOKEN],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) == manifest["projects"]
    assert ([r["query"].split("&")[-1] for r in tenant.requests()]
            == ["per_page=500"] * walk_requests(manifest["projects"], 500))
