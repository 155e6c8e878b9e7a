"""toggl.Store: the local mirror (toggl_store_*) over the C functions declared in _ffi."""

from __future__ import annotations

import math
import os
import weakref
from datetime import timedelta
from typing import Any, Literal, Union, cast, overload

from . import _args, _ffi
from ._client import Client, JSONObject, _loads
from ._errors import StoreClosedError
from ._handle import Handle
from ._quota import Quota

__all__ = ["Store", "Collection", "MaxAge"]

lib = _ffi.lib

#: The collections a store mirrors: "user" reads as an object, the others as lists.
Collection = Literal["user", "workspaces", "clients", "projects", "tags", "tasks",
                     "time_entries"]
ListCollection = Literal["workspaces", "clients", "projects", "tags", "tasks", "time_entries"]
#: ``max_age`` arguments: whole seconds, or a ``timedelta`` (its fraction of a second dropped).
MaxAge = Union[int, timedelta]


def _max_age(value: MaxAge) -> int:
    """Seconds for the C API. A negative value goes to libtoggl, which refuses it
    (InvalidArgumentError), so that Python and C give one answer."""
    if isinstance(value, timedelta):
        return _args.c_int("max_age", math.floor(value.total_seconds()), 64)
    return _args.c_int("max_age", value, 64)


class Store:
    """A local SQLite mirror of the account's user, workspaces, clients, projects, tags, tasks
    and time entries: ``sync()`` spends the few requests that are due, every read spends none.

    ``path`` is the SQLite file (str or os.PathLike), created with mode 0600 when it does not
    exist; None (or ":memory:") is a new store in memory that nothing else sees. Opening sends
    nothing. A file that is not a libtoggl store, or a store written by a newer libtoggl,
    raises :class:`toggl.StoreError` (naming the path and the cause) and is left untouched.

    A file store is shared by processes: any number read while one syncs, and a second sync
    waits for the first, then finds the data fresh (with ``max_age``). The quota each response
    reports, and every HTTP 402, is kept in the file, so a sync in any process before the
    recorded reset raises :class:`toggl.QuotaExceededError` without sending anything.

    A Store may be shared by threads (syncs take turns). Use it as a context manager or call
    ``close()``; any call after ``close()`` raises :class:`toggl.StoreClosedError`.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        c_path = _args.c_path("path", path)
        #: The file as given (``os.fspath``), or None in memory.
        fspath = None if path is None else os.fspath(path)
        self.path: str | None = None if fspath == ":memory:" else fspath
        ptr = _ffi.store_open(c_path)
        self._handle = Handle(ptr, lib.toggl_store_free, StoreClosedError)
        # Garbage collection frees the C store too; at interpreter exit the OS does.
        self._finalizer = weakref.finalize(self, self._handle.close)
        self._finalizer.atexit = False

    # --- lifecycle ---

    def close(self) -> None:
        """Close the store. Idempotent; waits for syncs and reads running in other threads
        (``Client.cancel()`` on the syncing client ends a sync sooner)."""
        self._handle.close()
        self._finalizer.detach()

    @property
    def closed(self) -> bool:
        """True once ``close()`` has been called."""
        return self._handle.closing

    def __enter__(self) -> Store:
        if self._handle.closing:
            raise StoreClosedError()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        where = "in memory" if self.path is None else repr(self.path)
        return f"<toggl.Store {where}{' (closed)' if self.closed else ''}>"

    # --- sync (requests) ---

    def sync(self, client: Client, full: bool = False, tasks: bool = False, user: bool = False,
             max_age: MaxAge = 0) -> JSONObject:
        """Bring the store up to date through ``client``; returns the report.

        What it sends (as the server counts requests):

        - an empty store, or ``full=True``: a snapshot, 1 request
          (``GET /me?with_related_data=true``), replacing the user, workspaces, clients,
          projects, tags and time entries; with ``tasks=True`` 2 when the snapshot body has no
          tasks (``GET /me/tasks?include_not_active=true``);
        - otherwise a refresh of at most 3 requests, ``GET /me/clients``, ``/me/projects``
          (archived included) and ``/me/tags``, each ``since`` its collection's last refresh;
          4 with ``tasks=True`` (``/me/tasks``, done ones included), 5 with ``user=True`` too
          (``GET /me``). Items the server reports deleted are removed; archived projects and
          clients and done tasks stay, marked inactive. Time entries and workspaces change only
          with a snapshot. A server that refuses an old ``since`` (HTTP 400) gets a snapshot
          instead (that 400 is counted; for tasks, which a snapshot may not carry,
          ``GET /me/tasks`` whole);
        - 0 requests for each collection refreshed less than ``max_age`` ago: ``max_age`` is
          whole seconds (an int >= 0, or a ``timedelta``, its fraction of a second dropped);
          0 refreshes whatever the age; a negative one raises InvalidArgumentError;
        - 0 requests, raising :class:`toggl.QuotaExceededError` (``retry_after`` set), when a
          sync of any process recorded that the quota is spent and its reset has not come;
        - plus 1 ``GET /me`` first when a refresh is made by a client whose credential has not
          synced this store before (a snapshot checks the account in its own answer); a client
          of another Toggl account is refused with :class:`toggl.StoreError` and nothing is
          written.

        The report: ``{"requests": n, "snapshot": bool, "collections": {name: {"requested":
        bool, "upserted": n, "deleted": n}}}`` for the seven collection names, ``requests``
        counting every request sent (retries, an identifying ``GET /me``, a refused ``since``).
        On failure, collections refreshed before the failing request keep their update; the
        others are unchanged. ``client.cancel()`` (from another thread) ends the sync with
        :class:`toggl.CancelledError`, each collection as it was or fully updated.
        """
        if not isinstance(client, Client):
            raise TypeError(f"client must be a toggl.Client, not {type(client).__name__}")
        flags = ((_ffi.TOGGL_SYNC_FULL if _args.c_bool("full", full) else 0)
                 | (_ffi.TOGGL_SYNC_TASKS if _args.c_bool("tasks", tasks) else 0)
                 | (_ffi.TOGGL_SYNC_USER if _args.c_bool("user", user) else 0))
        seconds = _max_age(max_age)
        store_ptr = self._handle.enter()
        try:
            client_ptr = client._handle.enter()   # client.close() waits for the sync too
            try:
                text = _ffi.call_json(lib.toggl_store_sync, store_ptr, client_ptr, flags, seconds)
            finally:
                client._handle.leave()
        finally:
            self._handle.leave()
        return cast(JSONObject, _loads(text))

    # --- reads (nothing is sent) ---

    @overload
    def get(self, collection: Literal["user"], active_only: bool = False) -> JSONObject | None:
        ...

    @overload
    def get(self, collection: ListCollection, active_only: bool = False) -> list[JSONObject]:
        ...

    @overload
    def get(self, collection: str, active_only: bool = False) -> Any:
        ...

    def get(self, collection: str, active_only: bool = False) -> Any:
        """A collection as last synced, read locally: sends nothing.

        ``"user"`` is a dict (None before the first sync); ``"workspaces"``, ``"clients"``,
        ``"projects"``, ``"tags"``, ``"tasks"`` and ``"time_entries"`` are lists of the
        server's objects ordered by id, never with an ``"api_token"`` key. ``active_only``
        keeps active projects, tasks not done and clients not archived. Any other name raises
        :class:`toggl.InvalidArgumentError`.
        """
        name = _args.c_string("collection", collection)
        flags = _ffi.TOGGL_STORE_ACTIVE if _args.c_bool("active_only", active_only) else 0
        ptr = self._handle.enter()
        try:
            text = _ffi.call_json(lib.toggl_store_get, ptr, name, flags)
        finally:
            self._handle.leave()
        return _loads(text)

    def age(self, collection: Collection | str) -> int | None:
        """Whole seconds since ``collection`` was last refreshed (on this machine's clock),
        None if it never was. Read locally: sends nothing. Names as in ``get()``."""
        seconds = self._handle.call(_ffi.store_age, _args.c_string("collection", collection))
        return seconds if seconds >= 0 else None

    @property
    def quota(self) -> Quota | None:
        """The quota as the last sync of any process sharing this store saw it (the response
        headers, or an HTTP 402), read locally: sends nothing. ``resets_in`` counts down from
        then; None when no sync recorded one, or the recorded window has reset since. A field
        not known is None."""
        remaining, resets_in = self._handle.call(_ffi.store_quota)
        if remaining < 0 and resets_in < 0:
            return None
        return Quota(remaining if remaining >= 0 else None, resets_in if resets_in >= 0 else None)
