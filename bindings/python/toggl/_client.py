"""toggl.Client: the Pythonic surface over the C functions declared in _ffi."""

from __future__ import annotations

import ctypes
import json
import math
import operator
import os
import sys
import threading
import weakref
from datetime import datetime
from typing import Any, Callable, Dict, Iterator, List, Optional, Set, Tuple, Union, cast

from . import _ffi
from ._errors import ClientClosedError, DecodeError, InvalidArgument

__all__ = ["Client", "Since"]

lib = _ffi.lib

#: ``since`` arguments: UNIX seconds, an aware datetime, or None (not sent).
Since = Union[int, datetime, None]
JSONObject = Dict[str, Any]

_UPDATE_FIELDS = frozenset({
    "fullname", "email", "password", "current_password", "timezone",
    "beginning_of_week", "country_id", "default_workspace_id",
})

_INT_BITS = 8 * ctypes.sizeof(ctypes.c_int)
_LONG_BITS = 8 * ctypes.sizeof(ctypes.c_long)


# --- argument conversion ----------------------------------------------------------------

def _c_string(name: str, value: Optional[str]) -> Optional[bytes]:
    """A str as NUL-terminated UTF-8 (None stays NULL). Lone surrogates are passed
    through as the bytes they stand for, so that libtoggl rejects invalid UTF-8."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    data = value.encode("utf-8", "surrogatepass")
    if b"\0" in data:
        raise InvalidArgument(f"{name} must not contain NUL characters")
    return data


def _c_path(name: str, value: Union[str, "os.PathLike[str]", None]) -> Optional[bytes]:
    if value is None:
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a str or os.PathLike, not {type(value).__name__}")
    data = os.fsencode(value)
    if b"\0" in data:
        raise InvalidArgument(f"{name} must not contain NUL characters")
    return data


def _c_int(name: str, value: Any, bits: int) -> int:
    """An int that fits a signed C integer of ``bits`` bits (ctypes would wrap it)."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not bool")
    try:
        number = operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an int, not {type(value).__name__}") from None
    if not -(1 << (bits - 1)) <= number < (1 << (bits - 1)):
        raise InvalidArgument(f"{name}={number} is out of range")
    return number


def _c_bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, not {type(value).__name__}")
    return value


def _optional_int(name: str, value: Optional[int], bits: int = 64) -> int:
    """None -> 0 (the C API's "leave it out / server default")."""
    return 0 if value is None else _c_int(name, value, bits)


def _since(value: Since) -> int:
    """UNIX seconds for the C API; 0 (not sent) for None."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidArgument("since is a naive datetime; give an aware one "
                                  "(e.g. datetime.now(timezone.utc)) or UNIX seconds")
        return _c_int("since", math.floor(value.timestamp()), 64)
    return _c_int("since", value, 64)


def _milliseconds(name: str, seconds: Any) -> int:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {type(seconds).__name__}")
    if not math.isfinite(seconds):
        raise InvalidArgument(f"{name} must be finite")
    return _c_int(name, math.ceil(seconds * 1000), _LONG_BITS)


# --- the client's handle, shared with its finalizer and its pagers ------------------------

class _Pager:
    """A live ``toggl_pager *`` owned by one generator."""
    __slots__ = ("ptr",)

    def __init__(self, ptr: Any) -> None:
        self.ptr = ptr


class _Handle:
    """The ``toggl_client *`` plus what makes close() safe under concurrent calls:
    calls register as in flight; close() waits for them, then frees the live
    pagers and the client. Calls after close() raise ClientClosedError."""

    def __init__(self, ptr: Any) -> None:
        self.ptr = ptr
        # Re-entrant: a generator collected by the GC while this thread holds the lock
        # releases its pager through release() on the same thread.
        self.cond = threading.Condition(threading.RLock())
        self.in_flight = 0
        self.closing = False
        self.pagers: Set[_Pager] = set()

    def enter(self) -> Any:
        with self.cond:
            if self.closing:
                raise ClientClosedError()
            self.in_flight += 1
            return self.ptr

    def leave(self) -> None:
        with self.cond:
            self.in_flight -= 1
            if self.in_flight == 0 and self.closing:
                self.cond.notify_all()

    def call(self, func: Callable[..., Any], *args: Any) -> Any:
        ptr = self.enter()
        try:
            return func(ptr, *args)
        finally:
            self.leave()

    def adopt(self, pager: _Pager) -> None:
        with self.cond:
            if self.closing:         # close() is waiting for us: give the pager back
                lib.toggl_pager_free(pager.ptr)
                pager.ptr = None
                raise ClientClosedError()
            self.pagers.add(pager)

    def release(self, pager: _Pager) -> None:
        with self.cond:
            self.pagers.discard(pager)
            ptr, pager.ptr = pager.ptr, None
            if ptr is not None:
                lib.toggl_pager_free(ptr)

    def close(self) -> None:
        with self.cond:
            self.closing = True
            while self.in_flight:
                self.cond.wait()
            ptr, self.ptr = self.ptr, None
            if ptr is None:
                return
            pagers, self.pagers = list(self.pagers), set()
            for pager in pagers:          # every pager before its client (toggl.h)
                pager_ptr, pager.ptr = pager.ptr, None
                if pager_ptr is not None:
                    lib.toggl_pager_free(pager_ptr)
            lib.toggl_client_free(ptr)


def _pages(owner: "Client", make: Callable[[Any], Any]) -> Iterator[JSONObject]:
    """Yield the items of every page of a C pager, fetching a page only when needed.
    The generator keeps ``owner`` (the Client) alive while it is."""
    handle = owner._handle
    ptr = handle.enter()
    try:
        pager = _Pager(make(ptr))
        handle.adopt(pager)       # still in flight: close() cannot free the client yet
    finally:
        handle.leave()
    try:
        while True:
            handle.enter()
            try:
                if pager.ptr is None:
                    raise ClientClosedError()
                text = _ffi.pager_next(pager.ptr)
            finally:
                handle.leave()
            if text is None:
                return
            yield from _loads(text)
    finally:
        handle.release(pager)


def _loads(text: str) -> Any:
    """json.loads, with its failures raised as the library's own errors: libtoggl accepts
    nesting up to 2048 levels (jansson's limit), Python's json module stops near 1000."""
    try:
        return json.loads(text)
    except RecursionError:
        raise DecodeError("the response nests deeper than Python's json module can follow "
                          f"(recursion limit {sys.getrecursionlimit()})") from None
    except ValueError as error:
        raise DecodeError(f"the response is not valid JSON: {error}") from None


# --- the client ---------------------------------------------------------------------------

class Client:
    """A Toggl Track API v9 client over libtoggl.

    Authenticate with ``api_token`` or with ``email`` and ``password``. Timeouts
    are in seconds; every option left None keeps libtoggl's default. A Client may
    be shared by many threads. Use it as a context manager or call ``close()``;
    any call after ``close()`` raises :class:`toggl.ClientClosedError`.
    """

    def __init__(self, api_token: Optional[str] = None, *, email: Optional[str] = None,
                 password: Optional[str] = None, base_url: Optional[str] = None,
                 timeout: Optional[float] = None, connect_timeout: Optional[float] = None,
                 max_retries: Optional[int] = None, user_agent: Optional[str] = None,
                 ca_file: Union[str, "os.PathLike[str]", None] = None,
                 max_response_bytes: Optional[int] = None,
                 quota_fail_fast: Optional[bool] = None,
                 low_speed_limit: Optional[Tuple[int, int]] = None) -> None:
        if api_token is not None and (email is not None or password is not None):
            raise TypeError("give either api_token or email and password, not both")
        # Convert every argument before anything is allocated.
        settings: List[Tuple[Callable[..., int], Tuple[Any, ...]]] = []
        if base_url is not None:
            settings.append((lib.toggl_client_set_base_url, (_c_string("base_url", base_url),)))
        if timeout is not None:
            settings.append((lib.toggl_client_set_timeout_ms, (_milliseconds("timeout", timeout),)))
        if connect_timeout is not None:
            settings.append((lib.toggl_client_set_connect_timeout_ms,
                             (_milliseconds("connect_timeout", connect_timeout),)))
        if max_retries is not None:
            settings.append((lib.toggl_client_set_max_retries,
                             (_c_int("max_retries", max_retries, _INT_BITS),)))
        if user_agent is not None:
            settings.append((lib.toggl_client_set_user_agent,
                             (_c_string("user_agent", user_agent),)))
        if ca_file is not None:
            settings.append((lib.toggl_client_set_ca_file, (_c_path("ca_file", ca_file),)))
        if max_response_bytes is not None:
            settings.append((lib.toggl_client_set_max_response_bytes,
                             (_c_int("max_response_bytes", max_response_bytes, 64),)))
        if quota_fail_fast is not None:
            settings.append((lib.toggl_client_set_quota_fail_fast,
                             (_c_bool("quota_fail_fast", quota_fail_fast),)))
        if low_speed_limit is not None:
            try:
                speed, seconds = low_speed_limit
            except (TypeError, ValueError):
                raise TypeError("low_speed_limit must be (bytes_per_second, seconds)") from None
            settings.append((lib.toggl_client_set_low_speed_limit,
                             (_c_int("low_speed_limit bytes_per_second", speed, _LONG_BITS),
                              _c_int("low_speed_limit seconds", seconds, _LONG_BITS))))

        if email is not None or password is not None:
            ptr = lib.toggl_client_new_basic(_c_string("email", email),
                                             _c_string("password", password))
        else:
            ptr = lib.toggl_client_new(_c_string("api_token", api_token))
        try:
            for setter, args in settings:
                setter(ptr, *args)
        except BaseException:
            lib.toggl_client_free(ptr)
            raise
        self._handle = _Handle(ptr)
        # Garbage collection frees the C client too; at interpreter exit the OS does.
        self._finalizer = weakref.finalize(self, self._handle.close)
        self._finalizer.atexit = False

    # --- lifecycle ---

    def close(self) -> None:
        """Free the C client. Idempotent; waits for calls running in other threads."""
        self._handle.close()
        self._finalizer.detach()

    @property
    def closed(self) -> bool:
        """True once ``close()`` has been called."""
        return self._handle.closing

    def __enter__(self) -> "Client":
        if self._handle.closing:
            raise ClientClosedError()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<toggl.Client{' (closed)' if self.closed else ''}>"

    # --- helpers ---

    def _json(self, func: Callable[..., int], *args: Any) -> Any:
        ptr = self._handle.enter()
        try:
            text = _ffi.call_json(func, ptr, *args)
        finally:
            self._handle.leave()
        return _loads(text)

    def _object(self, func: Callable[..., int], *args: Any) -> JSONObject:
        return cast(JSONObject, self._json(func, *args))

    def _array(self, func: Callable[..., int], *args: Any) -> List[JSONObject]:
        return cast(List[JSONObject], self._json(func, *args))

    # --- endpoints ---

    def me(self, with_related_data: bool = False) -> JSONObject:
        """GET /me: the current user (with clients, projects, … when ``with_related_data``)."""
        return self._object(lib.toggl_me_get, _c_bool("with_related_data", with_related_data))

    def update_me(self, **fields: Any) -> JSONObject:
        """PUT /me with the given fields (fullname, email, password, current_password,
        timezone, beginning_of_week, country_id, default_workspace_id); the updated user."""
        unknown = sorted(set(fields) - _UPDATE_FIELDS)
        if unknown:
            raise TypeError(f"update_me() got an unexpected keyword argument {unknown[0]!r}")
        body = json.dumps(fields).encode("utf-8")
        return self._object(lib.toggl_me_update, body)

    def logged(self) -> bool:
        """GET /me/logged: True when the credentials work (AuthError when not)."""
        self._handle.call(lib.toggl_me_logged)
        return True

    def clients(self, since: Since = None) -> List[JSONObject]:
        """GET /me/clients; with ``since``, also the ones deleted after it."""
        return self._array(lib.toggl_clients_list, _since(since))

    def tags(self, since: Since = None) -> List[JSONObject]:
        """GET /me/tags; with ``since``, also the ones deleted after it."""
        return self._array(lib.toggl_tags_list, _since(since))

    def features(self) -> List[JSONObject]:
        """GET /me/features: the features of each workspace."""
        return self._array(lib.toggl_features_list)

    def organizations(self) -> List[JSONObject]:
        """GET /me/organizations."""
        return self._array(lib.toggl_organizations_list)

    def quota(self) -> List[JSONObject]:
        """GET /me/quota: remaining requests of the user and of each organization."""
        return self._array(lib.toggl_quota_get)

    def location(self) -> Optional[JSONObject]:
        """GET /me/location; None when the server knows none."""
        return cast(Optional[JSONObject], self._json(lib.toggl_location_get))

    def projects(self, include_archived: bool = False, since: Since = None) -> List[JSONObject]:
        """GET /me/projects."""
        return self._array(lib.toggl_projects_list,
                          _c_bool("include_archived", include_archived), _since(since))

    def projects_paginated(self, start_project_id: Optional[int] = None, since: Since = None,
                           per_page: Optional[int] = None
                           ) -> Tuple[List[JSONObject], Optional[int]]:
        """GET /me/projects/paginated: (one page, the next page's start_project_id or None)."""
        text, next_start = self._handle.call(
            _ffi.call_paginated, _optional_int("start_project_id", start_project_id),
            _since(since), _optional_int("per_page", per_page, _INT_BITS))
        return cast(List[JSONObject], _loads(text)), (next_start if next_start > 0 else None)

    def tasks(self, meta: bool = False, since: Since = None, include_not_active: bool = False,
              offset: Optional[int] = None, per_page: Optional[int] = None) -> List[JSONObject]:
        """GET /me/tasks (``offset`` counts items)."""
        return self._array(lib.toggl_tasks_list, _c_bool("meta", meta), _since(since),
                          _c_bool("include_not_active", include_not_active),
                          _optional_int("offset", offset),
                          _optional_int("per_page", per_page, _INT_BITS))

    def iter_projects(self, since: Since = None,
                      per_page: Optional[int] = None) -> Iterator[JSONObject]:
        """Every project, page by page (a page is fetched when iteration reaches it)."""
        args = (_since(since), _optional_int("per_page", per_page, _INT_BITS))
        return _pages(self, lambda ptr: lib.toggl_projects_pager_new(ptr, *args))

    def iter_tasks(self, meta: bool = False, since: Since = None,
                   include_not_active: bool = False,
                   per_page: Optional[int] = None) -> Iterator[JSONObject]:
        """Every task, page by page (a page is fetched when iteration reaches it)."""
        args = (_c_bool("meta", meta), _since(since),
                _c_bool("include_not_active", include_not_active),
                _optional_int("per_page", per_page, _INT_BITS))
        return _pages(self, lambda ptr: lib.toggl_tasks_pager_new(ptr, *args))

    @property
    def last_quota(self) -> Optional[Tuple[Optional[int], Optional[int]]]:
        """(remaining, resets_in_seconds) from the last response that carried them,
        None before any did; an element the server left out is None."""
        remaining, resets_in = self._handle.call(_ffi.client_quota)
        if remaining < 0 and resets_in < 0:
            return None
        return (remaining if remaining >= 0 else None, resets_in if resets_in >= 0 else None)
