"""The C pointer behind a toggl.Client or a toggl.Store, and what makes close() and cancel()
safe while other threads are calling.

Every call counts itself in flight for as long as it uses the pointer; close() refuses new
calls, waits until none is in flight, then frees the pointer. The lock guards only that count
and is never held across a C call: cancel() must reach a call that is blocked inside C, so it
cannot wait for anything that call holds.

Pagers need no bookkeeping here: a C pager holds its own reference to its client (toggl.h),
so freeing the client handle while an iterator is alive frees nothing the pager still uses.
A store sync counts itself in flight on both handles, the store's and the client's: closing
either waits for it (toggl.h: a sync under way must have returned before toggl_store_free).
"""

from __future__ import annotations

import threading
from typing import Any, Callable, TypeVar

from . import _ffi
from ._errors import ClientClosedError, InvalidArgumentError

lib = _ffi.lib
T = TypeVar("T")


class Handle:
    """A C pointer freed by ``free`` once no call uses it; ``closed_error`` after close()."""

    def __init__(self, ptr: Any, free: Callable[[Any], None],
                 closed_error: type[InvalidArgumentError]) -> None:
        self.ptr: Any = ptr
        self.free = free
        self.closed_error = closed_error
        # Re-entrant: the GC may run an owner's finalizer (close()) on a thread that is
        # inside enter() or leave() at that moment.
        self.cond = threading.Condition(threading.RLock())
        self.in_flight = 0
        self.closing = False

    def enter(self) -> Any:
        """The pointer, counted in flight until leave(); ``closed_error`` after close()."""
        with self.cond:
            if self.closing:
                raise self.closed_error()
            self.in_flight += 1
            return self.ptr

    def leave(self) -> None:
        with self.cond:
            self.in_flight -= 1
            if self.in_flight == 0 and self.closing:
                self.cond.notify_all()

    def call(self, func: Callable[..., T], *args: Any) -> T:
        """``func(ptr, *args)`` while counted in flight."""
        ptr = self.enter()
        try:
            return func(ptr, *args)
        finally:
            self.leave()

    def close(self) -> None:
        with self.cond:
            self.closing = True
            while self.in_flight:
                self.cond.wait()         # releases the lock: calls can leave, cancel can enter
            ptr, self.ptr = self.ptr, None
            if ptr is not None:
                self.free(ptr)


class ClientHandle(Handle):
    """The ``toggl_client *`` of a toggl.Client: a Handle that can also cancel."""

    def __init__(self, ptr: Any) -> None:
        super().__init__(ptr, lib.toggl_client_free, ClientClosedError)

    def cancel(self) -> None:
        """``toggl_client_cancel``; a no-op once the client is freed. Allowed while close() is
        waiting (the pointer is still valid then), so a cancel can end what close() waits for."""
        with self.cond:
            ptr = self.ptr
            if ptr is None:
                return
            self.in_flight += 1          # close() must not free the client under the cancel
        try:
            lib.toggl_client_cancel(ptr)
        finally:
            self.leave()
