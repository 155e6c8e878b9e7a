"""close(), the context manager, garbage collection and threads."""

from __future__ import annotations

import gc
import itertools
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor

import pytest

import toggl
from conftest import FULLNAME, wait_until


def test_close_twice(tenant):
    c = tenant.client()
    assert not c.closed
    c.me()
    c.close()
    assert c.closed
    c.close()
    assert c.closed


@pytest.mark.parametrize("call", [
    lambda c: c.me(), lambda c: c.update_me(fullname="x"), lambda c: c.logged(),
    lambda c: c.clients(), lambda c: c.tags(), lambda c: c.features(),
    lambda c: c.organizations(), lambda c: c.quota(), lambda c: c.location(),
    lambda c: c.projects(), lambda c: c.projects_paginated(), lambda c: c.tasks(),
    lambda c: next(c.iter_projects()), lambda c: next(c.iter_tasks()),
    lambda c: c.last_quota,
])
def test_use_after_close(tenant, call):
    c = tenant.client()
    c.close()
    with pytest.raises(toggl.ClientClosedError) as info:
        call(c)
    assert isinstance(info.value, toggl.TogglError)
    assert "closed" in str(info.value)
    assert tenant.count() == 0


def test_context_manager(tenant):
    with tenant.client() as c:
        assert c.me()["fullname"] == FULLNAME
        assert not c.closed
    assert c.closed
    with pytest.raises(toggl.ClientClosedError):
        c.me()
    with pytest.raises(toggl.ClientClosedError):
        with c:
            pass


def test_context_manager_closes_on_exception(tenant):
    with pytest.raises(RuntimeError):
        with tenant.client() as c:
            raise RuntimeError("boom")
    assert c.closed


def test_garbage_collected_client(tenant):
    c = tenant.client()
    c.me()
    it = c.iter_projects(per_page=3)
    next(it)
    ref = weakref.ref(c)
    del c
    assert ref() is not None               # the live generator keeps its client alive
    del it
    gc.collect()
    assert ref() is None


def test_eight_threads_share_one_client(tenant, manifest):
    per_thread = 40
    with tenant.client() as c:
        barrier = threading.Barrier(8)

        def work(i):
            barrier.wait()
            out = []
            for j in range(per_thread):
                kind = (i + j) % 4
                if kind == 0:
                    out.append(c.me()["fullname"])
                elif kind == 1:
                    out.append(len(c.tags()))
                elif kind == 2:
                    out.append(sum(1 for _ in c.iter_tasks(per_page=200)))
                else:
                    out.append(c.logged())
            return out

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(work, range(8)))
    for i, out in enumerate(results):
        for j, value in enumerate(out):
            assert value == [FULLNAME, manifest["tags"], manifest["tasks_active"], None][(i + j) % 4]


def test_errors_stay_on_their_thread(tenant, manifest):
    """Thread-local error details: each thread sees its own failure."""
    tenant.faults({"status": 404, "message": "nope", "path": "/me/features", "times": -1})
    with tenant.client(max_retries=0) as c:
        def fail_or_pass(i):
            for _ in range(30):
                if i % 2:
                    with pytest.raises(toggl.NotFoundError) as info:
                        c.features()
                    assert info.value.message == "nope"
                else:
                    assert len(c.tags()) == manifest["tags"]
            return True

        with ThreadPoolExecutor(8) as pool:
            assert all(pool.map(fail_or_pass, range(8)))


def test_close_waits_for_running_calls(tenant):
    tenant.faults({"action": "stall", "stall_ms": 700, "path": "/me"})
    c = tenant.client()
    started = threading.Event()
    result = {}

    def slow():
        started.set()
        result["me"] = c.me()

    t = threading.Thread(target=slow)
    t.start()
    started.wait()
    wait_until(lambda: tenant.count() == 1, "the sandbox to receive GET /me")
    begin = time.monotonic()
    c.close()                              # must not free the C client under it
    waited = time.monotonic() - begin
    t.join()
    assert result["me"]["fullname"] == FULLNAME
    assert waited >= 0.2                   # the stall still had most of its 700 ms to run
    with pytest.raises(toggl.ClientClosedError):
        c.me()


def test_close_while_threads_hammer(tenant):
    c = tenant.client()
    outcomes = []
    lock = threading.Lock()

    def hammer():
        n = 0
        try:
            while True:
                c.logged()
                n += 1
        except toggl.ClientClosedError:
            with lock:
                outcomes.append(n)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for t in threads:
        t.start()
    wait_until(lambda: tenant.count() >= 40, "the threads to send some requests")
    c.close()
    for t in threads:
        t.join(10)
    assert len(outcomes) == 8
    assert sum(outcomes) > 0


def test_close_waits_for_a_page_in_flight(tenant):
    # The page being fetched arrives; the iterator keeps the items it already has and
    # refuses the next page after close(). Nothing is freed under the running call.
    tenant.faults({"action": "stall", "stall_ms": 700, "path": "/me/projects/paginated"})
    c = tenant.client()
    it = c.iter_projects(per_page=10)
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("first", next(it)))
    t.start()
    wait_until(lambda: tenant.count() == 1, "the sandbox to receive the first page's request")
    begin = time.monotonic()
    c.close()
    waited = time.monotonic() - begin
    t.join()
    assert waited >= 0.2
    assert "id" in result["first"]
    assert len(list(itertools.islice(it, 9))) == 9     # the rest of the page already fetched
    with pytest.raises(toggl.ClientClosedError):
        next(it)
    assert tenant.count() == 1
