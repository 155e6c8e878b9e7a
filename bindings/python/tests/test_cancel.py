"""Client.cancel(): from another thread, a call stuck on a stalled response raises CancelledError
within 100 ms, and the client (its connection pool) stays usable afterwards."""

from __future__ import annotations

import itertools
import sys
import threading
import time
from typing import Any, Callable

import toggl
from conftest import FULLNAME, REPO, wait_until

sys.path.insert(0, str(REPO / "Tests" / "Sandbox"))
import seed  # noqa: E402

LIVE_PROJECT_IDS = [p.id for p in seed.PROJECTS if not p.deleted]

#: include/toggl.h: every call that began before the cancel ends within 100 ms.
PROMPT_S = 0.1
#: Far longer than any test waits: a call that ends was ended by the cancel, not the stall.
STALL = {"action": "stall", "stall_ms": 5000}


class Call(threading.Thread):
    """Runs ``fn`` on its own thread; keeps its result or exception and when it ended."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self.fn = fn
        self.result: Any = None
        self.error: BaseException | None = None
        self.ended_at = float("inf")

    def run(self) -> None:
        try:
            self.result = self.fn()
        except BaseException as error:        # handed to the test thread to assert on
            self.error = error
        finally:
            self.ended_at = time.monotonic()


def cancel_and_check(client: toggl.Client, *calls: Call) -> None:
    """Cancel now; every call must end with CancelledError within PROMPT_S of it."""
    cancelled_at = time.monotonic()
    client.cancel()
    for call in calls:
        call.join(10)
        assert not call.is_alive(), "the call did not end after cancel()"
        assert isinstance(call.error, toggl.CancelledError), repr(call.error)
        assert call.error.code == -13
        assert call.error.http_status is None
        took = call.ended_at - cancelled_at
        assert took < PROMPT_S, f"the call ended {took * 1000:.0f} ms after cancel()"


def test_cancel_ends_a_stalled_call(tenant):
    tenant.faults(dict(STALL, path="/me"))
    with tenant.client() as c:                 # default retries: a cancel is not retried
        call = Call(c.me)
        call.start()
        wait_until(lambda: tenant.count() == 1, "the sandbox to receive GET /me")
        cancel_and_check(c, call)
        assert tenant.count() == 1
        assert c.me()["fullname"] == FULLNAME  # later calls are unaffected; the pool works
    assert tenant.count() == 2


def test_cancel_ends_every_call_in_flight(tenant, manifest):
    tenant.faults(dict(STALL, path="/me", times=4))
    with tenant.client() as c:
        calls = [Call(c.me) for _ in range(4)]
        for call in calls:
            call.start()
        wait_until(lambda: tenant.count() == 4, "the sandbox to receive four GET /me")
        cancel_and_check(c, *calls)
        assert len(c.tags()) == manifest["tags"]
        assert c.me()["fullname"] == FULLNAME


def test_cancel_during_iter_projects(client, tenant):
    it = client.iter_projects(per_page=100)
    first_page = [p["id"] for p in itertools.islice(it, 100)]
    assert first_page == LIVE_PROJECT_IDS[:100]
    tenant.faults(dict(STALL, path="/me/projects/paginated"))
    call = Call(lambda: next(it))
    call.start()
    wait_until(lambda: tenant.count() == 2, "the sandbox to receive the second page's request")
    cancel_and_check(client, call)
    assert next(it, None) is None              # a generator that raised is finished
    # A fresh iteration walks every project.
    assert [p["id"] for p in client.iter_projects(per_page=500)] == LIVE_PROJECT_IDS


def test_cancel_with_nothing_in_flight_affects_no_later_call(client, tenant):
    client.cancel()
    client.cancel()
    assert client.me()["fullname"] == FULLNAME
    assert tenant.count() == 1


def test_cancel_on_a_closed_client_is_a_noop(tenant):
    c = tenant.client()
    c.close()
    c.cancel()                                 # no exception, nothing sent
    assert tenant.count() == 0


def test_cancel_ends_what_close_is_waiting_for(tenant):
    # close() waits for calls in flight; a cancel() from another thread must still get in
    # (it holds no lock the waiting close() or the stalled call holds).
    tenant.faults(dict(STALL, path="/me"))
    c = tenant.client()
    call = Call(c.me)
    call.start()
    wait_until(lambda: tenant.count() == 1, "the sandbox to receive GET /me")
    closer = Call(c.close)
    closer.start()
    wait_until(lambda: c.closed, "close() to begin")
    cancel_and_check(c, call)
    closer.join(10)
    assert not closer.is_alive() and closer.error is None
    assert closer.ended_at - call.ended_at < 1.0

