"""toggl.Client: the Pythonic surface over the C functions declared in _ffi."""

from __future__ import annotations

import json
import os
import sys
import weakref
from typing import Any, Callable, Iterator, cast

from . import _args, _ffi
from ._args import INT_BITS, LONG_BITS, Since
from ._errors import ClientClosedError, DecodeError, InvalidArgumentError
from ._handle import ClientHandle
from ._quota import Quota

__all__ = ["Client", "Since"]

lib = _ffi.lib
JSONObject = dict[str, Any]


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


def _pages(owner: Client, make: Callable[[Any], Any]) -> Iterator[JSONObject]:
    """Yield the items of every page of a C pager, fetching a page only when needed.

    ``owner`` stays referenced by this frame, so a live iterator keeps its Client (and its
    finalizer) from running. The pager holds its own reference to the C client, so close()
    may free the client handle while the pager lives; after close() the next page is refused
    with ClientClosedError all the same, and the pager is freed when the generator ends.
    """
    handle = owner._handle
    pager = handle.call(make)
    try:
        while True:
            handle.enter()               # close() waits for a page being fetched
            try:
                text = _ffi.pager_next(pager)
            finally:
                handle.leave()
            if text is None:
                return
            yield from _loads(text)
    finally:
        lib.toggl_pager_free(pager)


class Client:
    """A Toggl Track API v9 client over libtoggl.

    Authenticate with ``api_token`` or with ``email`` and ``password``. Timeouts
    are in seconds; every option left None keeps libtoggl's default. A Client may
    be shared by many threads. Use it as a context manager or call ``close()``;
    any call after ``close()`` raises :class:`toggl.ClientClosedError`.
    """

    def __init__(self, api_token: str | None = None, *, email: str | None = None,
                 password: str | None = None, base_url: str | None = None,
                 timeout: float | None = None, connect_timeout: float | None = None,
                 max_retries: int | None = None, user_agent: str | None = None,
                 ca_file: str | os.PathLike[str] | None = None,
                 max_response_bytes: int | None = None,
                 quota_fail_fast: bool | None = None,
                 low_speed_limit: tuple[int, int] | None = None) -> None:
        if api_token is not None and (email is not None or password is not None):
            raise TypeError("give either api_token or email and password, not both")
        # Convert every argument before anything is allocated.
        settings: list[tuple[Callable[..., int], tuple[Any, ...]]] = []
        if base_url is not None:
            settings.append((lib.toggl_client_set_base_url,
                             (_args.c_string("base_url", base_url),)))
        if timeout is not None:
            settings.append((lib.toggl_client_set_timeout_ms,
                             (_args.milliseconds("timeout", timeout),)))
        if connect_timeout is not None:
            settings.append((lib.toggl_client_set_connect_timeout_ms,
                             (_args.milliseconds("connect_timeout", connect_timeout),)))
        if max_retries is not None:
            settings.append((lib.toggl_client_set_max_retries,
                             (_args.c_int("max_retries", max_retries, INT_BITS),)))
        if user_agent is not None:
            settings.append((lib.toggl_client_set_user_agent,
                             (_args.c_string("user_agent", user_agent),)))
        if ca_file is not None:
            settings.append((lib.toggl_client_set_ca_file, (_args.c_path("ca_file", ca_file),)))
        if max_response_bytes is not None:
            settings.append((lib.toggl_client_set_max_response_bytes,
                             (_args.c_int("max_response_bytes", max_response_bytes, 64),)))
        if quota_fail_fast is not None:
            settings.append((lib.toggl_client_set_quota_fail_fast,
                             (_args.c_bool("quota_fail_fast", quota_fail_fast),)))
        if low_speed_limit is not None:
            try:
                speed, seconds = low_speed_limit
            except (TypeError, ValueError):
                raise TypeError("low_speed_limit must be (bytes_per_second, seconds)") from None
            settings.append((lib.toggl_client_set_low_speed_limit,
                             (_args.c_int("low_speed_limit bytes_per_second", speed, LONG_BITS),
                              _args.c_int("low_speed_limit seconds", seconds, LONG_BITS))))

        if email is not None or password is not None:
            ptr = lib.toggl_client_new_with_password(_args.c_string("email", email),
                                                     _args.c_string("password", password))
        else:
            ptr = lib.toggl_client_new(_args.c_string("api_token", api_token))
        try:
            for setter, setter_args in settings:
                setter(ptr, *setter_args)
        except BaseException:
            lib.toggl_client_free(ptr)
            raise
        self._handle = ClientHandle(ptr)
        # Garbage collection frees the C client too; at interpreter exit the OS does.
        self._finalizer = weakref.finalize(self, self._handle.close)
        self._finalizer.atexit = False

    # --- lifecycle ---

    def close(self) -> None:
        """Free the C client. Idempotent; waits for calls running in other threads
        (``cancel()`` from another thread ends them sooner)."""
        self._handle.close()
        self._finalizer.detach()

    def cancel(self) -> None:
        """End every call on this client that began before this one, from any thread: each
        raises :class:`toggl.CancelledError` within about 100 ms. Later calls are unaffected.
        A no-op on a closed client."""
        self._handle.cancel()

    @property
    def closed(self) -> bool:
        """True once ``close()`` has been called."""
        return self._handle.closing

    def __enter__(self) -> Client:
        if self._handle.closing:
            raise ClientClosedError()
        return self

    def __exit__(self, *exc_info: object) -> None:
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

    def _array(self, func: Callable[..., int], *args: Any) -> list[JSONObject]:
        return cast("list[JSONObject]", self._json(func, *args))

    # --- endpoints ---

    def me(self, with_related_data: bool = False) -> JSONObject:
        """GET /me: the current user (with clients, projects, … when ``with_related_data``)."""
        return self._object(lib.toggl_me_get,
                            _args.c_bool("with_related_data", with_related_data))

    def update_me(self, *, beginning_of_week: int | None = None, country_id: int | None = None,
                  current_password: str | None = None, default_workspace_id: int | None = None,
                  email: str | None = None, fullname: str | None = None,
                  password: str | None = None, timezone: str | None = None) -> JSONObject:
        """PUT /me: change the fields given (None is not sent); returns the updated user.

        ``beginning_of_week``: 0 = Sunday, 1 = Monday, …; changing ``password`` needs
        ``current_password``. At least one field must be given. A cancelled update may or
        may not have been applied by the server.
        """
        fields = {
            "beginning_of_week": _args.json_int("beginning_of_week", beginning_of_week),
            "country_id": _args.json_int("country_id", country_id),
            "current_password": _args.json_str("current_password", current_password),
            "default_workspace_id": _args.json_int("default_workspace_id", default_workspace_id),
            "email": _args.json_str("email", email),
            "fullname": _args.json_str("fullname", fullname),
            "password": _args.json_str("password", password),
            "timezone": _args.json_str("timezone", timezone),
        }
        body = {name: value for name, value in fields.items() if value is not None}
        if not body:
            raise InvalidArgumentError("update_me() needs at least one field to change")
        return self._object(lib.toggl_me_update, json.dumps(body).encode("utf-8"))

    def logged(self) -> None:
        """GET /me/logged: returns when the credentials work, raises
        :class:`toggl.AuthenticationError` when they do not."""
        self._handle.call(lib.toggl_me_logged)

    def clients(self, since: Since = None) -> list[JSONObject]:
        """GET /me/clients; with ``since``, also the ones deleted after it."""
        return self._array(lib.toggl_clients_list, _args.since(since))

    def tags(self, since: Since = None) -> list[JSONObject]:
        """GET /me/tags; with ``since``, also the ones deleted after it."""
        return self._array(lib.toggl_tags_list, _args.since(since))

    def features(self) -> list[JSONObject]:
        """GET /me/features: the features of each workspace."""
        return self._array(lib.toggl_features_list)

    def organizations(self) -> list[JSONObject]:
        """GET /me/organizations."""
        return self._array(lib.toggl_organizations_list)

    def quota(self) -> list[JSONObject]:
        """GET /me/quota (a request): remaining requests of the user and of each
        organization. ``last_quota`` reads what the last responses said, sending nothing."""
        return self._array(lib.toggl_quota_get)

    def location(self) -> JSONObject | None:
        """GET /me/location; None when the server knows none."""
        return cast("JSONObject | None", self._json(lib.toggl_location_get))

    def projects(self, include_archived: bool = False, since: Since = None) -> list[JSONObject]:
        """GET /me/projects."""
        return self._array(lib.toggl_projects_list,
                           _args.c_bool("include_archived", include_archived), _args.since(since))

    def projects_paginated(self, start_project_id: int | None = None, since: Since = None,
                           per_page: int | None = None) -> tuple[list[JSONObject], int | None]:
        """GET /me/projects/paginated: (one page, the next page's start_project_id or None)."""
        text, next_start = self._handle.call(
            _ffi.call_paginated, _args.optional_int("start_project_id", start_project_id),
            _args.since(since), _args.optional_int("per_page", per_page, INT_BITS))
        return cast("list[JSONObject]", _loads(text)), (next_start if next_start > 0 else None)

    def tasks(self, meta: bool = False, since: Since = None, include_not_active: bool = False,
              offset: int | None = None, per_page: int | None = None) -> list[JSONObject]:
        """GET /me/tasks (``offset`` counts items)."""
        return self._array(lib.toggl_tasks_list, _args.c_bool("meta", meta), _args.since(since),
                           _args.c_bool("include_not_active", include_not_active),
                           _args.optional_int("offset", offset),
                           _args.optional_int("per_page", per_page, INT_BITS))

    def iter_projects(self, since: Since = None,
                      per_page: int | None = None) -> Iterator[JSONObject]:
        """Every project, page by page (a page is fetched when iteration reaches it)."""
        args = (_args.since(since), _args.optional_int("per_page", per_page, INT_BITS))
        return _pages(self, lambda ptr: lib.toggl_projects_pager_new(ptr, *args))

    def iter_tasks(self, meta: bool = False, since: Since = None,
                   include_not_active: bool = False,
                   per_page: int | None = None) -> Iterator[JSONObject]:
        """Every task, page by page (a page is fetched when iteration reaches it)."""
        args = (_args.c_bool("meta", meta), _args.since(since),
                _args.c_bool("include_not_active", include_not_active),
                _args.optional_int("per_page", per_page, INT_BITS))
        return _pages(self, lambda ptr: lib.toggl_tasks_pager_new(ptr, *args))

    @property
    def last_quota(self) -> Quota | None:
        """The quota as the last response carrying it reported, read locally (nothing is
        sent); None before any response did. A field the server left out is None."""
        remaining, resets_in = self._handle.call(_ffi.client_quota)
        if remaining < 0 and resets_in < 0:
            return None
        return Quota(remaining if remaining >= 0 else None, resets_in if resets_in >= 0 else None)
