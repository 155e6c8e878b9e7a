"""ctypes declarations of libtoggl's C ABI (include/toggl.h).

Every C function is declared exactly once, in the tables below, with its
argtypes, restype and errcheck. A status-returning function whose status is
negative raises the matching :class:`toggl.TogglError` subclass, built from
the thread-local error details read immediately, on the calling thread.

Strings the library allocates come back through ``c_void_p`` out-parameters
(a ``c_char_p`` would lose the pointer) and are copied, then released with
``toggl_free`` in a ``finally``: see :func:`call_json` and :func:`pager_next`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from ctypes import (POINTER, Structure, byref, c_bool, c_char_p, c_int, c_int64,
                    c_long, c_uint, c_void_p)
from typing import Any, Callable

from ._errors import error_from_status
from ._status import TOGGL_DONE, TOGGL_EINTERNAL, TOGGL_OK

__all__ = ["lib", "LIBRARY_PATH", "TOGGL_OK", "TOGGL_DONE", "call_json", "call_paginated",
           "pager_next", "client_quota", "store_open", "store_age", "store_quota", "client_p",
           "pager_p", "store_p", "TOGGL_SYNC_FULL", "TOGGL_SYNC_TASKS", "TOGGL_SYNC_USER",
           "TOGGL_STORE_ACTIVE"]

# --- locating and loading the library -------------------------------------------------

_HOW_TO_FIX = ("set TOGGL_LIBRARY=/path/to/libtoggl.so.0 (for a build tree: "
               "TOGGL_LIBRARY=$PWD/build/lib/libtoggl.so) or run `make install` "
               "(then `ldconfig`) so that the dynamic loader finds libtoggl")


SONAME = "libtoggl.so.0"


def _load() -> tuple[ctypes.CDLL, str]:
    explicit = os.environ.get("TOGGL_LIBRARY")
    if explicit:
        try:
            return ctypes.CDLL(explicit), explicit
        except OSError as e:
            raise ImportError(f"cannot load libtoggl from TOGGL_LIBRARY={explicit!r}: {e}; "
                              f"{_HOW_TO_FIX}") from e
    # The SONAME this binding is written against, found by the dynamic loader as a linked
    # program finds it (ldconfig's cache, LD_LIBRARY_PATH): no ldconfig child process, as
    # find_library spawns, and never a libtoggl of another ABI.
    try:
        return ctypes.CDLL(SONAME), SONAME
    except OSError:
        pass
    name = ctypes.util.find_library("toggl")
    if name:
        try:
            return ctypes.CDLL(name), name
        except OSError as e:
            raise ImportError(f"found {name!r} but cannot load it: {e}; {_HOW_TO_FIX}") from e
    raise ImportError(f"libtoggl not found: TOGGL_LIBRARY is not set and "
                      f"neither {SONAME} nor ctypes.util.find_library('toggl') loads; {_HOW_TO_FIX}")


lib, LIBRARY_PATH = _load()


# --- opaque handle types ----------------------------------------------------------------

class toggl_client(Structure):
    """Opaque ``toggl_client``."""


class toggl_pager(Structure):
    """Opaque ``toggl_pager``."""


class toggl_store(Structure):
    """Opaque ``toggl_store``."""


client_p = POINTER(toggl_client)
pager_p = POINTER(toggl_pager)
store_p = POINTER(toggl_store)
out_str = POINTER(c_void_p)      # char **: c_void_p keeps the pointer for toggl_free
out_i64 = POINTER(c_int64)


# --- errcheck functions (run right after the call, on the calling thread) ---------------

def _raise_last(status: int | None) -> None:
    """Raise the exception described by this thread's error details.

    ``status`` is the negative status the call returned (None for a NULL handle:
    then ``toggl_error_code()`` says why).
    """
    code = lib.toggl_error_code() if status is None else status
    message = lib.toggl_error_message()
    http_status = lib.toggl_error_http_status()
    retry_after = lib.toggl_error_retry_after()
    name = lib.toggl_status_string(code)
    raise error_from_status(
        code=code,
        message=(message or b"").decode("utf-8", "replace"),
        http_status=http_status,
        retry_after=retry_after,
        status_name=(name or b"").decode("utf-8", "replace"),
    )


def _check_status(result: int, func: Any, args: tuple[Any, ...]) -> int:
    if result < 0:
        _raise_last(result)
    return result


def _check_handle(result: Any, func: Any, args: tuple[Any, ...]) -> Any:
    if not result:       # NULL pointer
        _raise_last(None)
    return result


# --- the declarations ----------------------------------------------------------------------

#          name                                  argtypes                                  restype    errcheck
_FUNCTIONS = [
    # library and error details
    ("toggl_version",                         [],                                           c_char_p,  None),
    ("toggl_version_number",                  [],                                           c_int,     None),
    ("toggl_status_string",                   [c_int],                                      c_char_p,  None),
    ("toggl_error_code",                      [],                                           c_int,     None),
    ("toggl_error_message",                   [],                                           c_char_p,  None),
    ("toggl_error_http_status",               [],                                           c_int,     None),
    ("toggl_error_retry_after",               [],                                           c_int64,   None),
    ("toggl_free",                            [c_void_p],                                   None,      None),
    # lifecycle and configuration
    ("toggl_client_new",                      [c_char_p],                                   client_p,  _check_handle),
    ("toggl_client_new_with_password",        [c_char_p, c_char_p],                         client_p,  _check_handle),
    ("toggl_client_new_basic",                [c_char_p, c_char_p],                         client_p,  _check_handle),
    ("toggl_client_free",                     [client_p],                                   None,      None),
    ("toggl_client_set_base_url",             [client_p, c_char_p],                         c_int,     _check_status),
    ("toggl_client_set_timeout_ms",           [client_p, c_long],                           c_int,     _check_status),
    ("toggl_client_set_connect_timeout_ms",   [client_p, c_long],                           c_int,     _check_status),
    ("toggl_client_set_max_retries",          [client_p, c_int],                            c_int,     _check_status),
    ("toggl_client_set_user_agent",           [client_p, c_char_p],                         c_int,     _check_status),
    ("toggl_client_set_ca_file",              [client_p, c_char_p],                         c_int,     _check_status),
    ("toggl_client_set_max_response_bytes",   [client_p, c_int64],                          c_int,     _check_status),
    ("toggl_client_quota",                    [client_p, out_i64, out_i64],                 c_int,     _check_status),
    ("toggl_client_cancel",                   [client_p],                                   c_int,     _check_status),
    # extensions exported by libtoggl beyond DESIGN.md's list
    ("toggl_client_set_quota_fail_fast",      [client_p, c_bool],                           c_int,     _check_status),
    ("toggl_client_set_low_speed_limit",      [client_p, c_long, c_long],                   c_int,     _check_status),
    # endpoints
    ("toggl_me_get",                          [client_p, c_bool, out_str],                  c_int,     _check_status),
    ("toggl_me_update",                       [client_p, c_char_p, out_str],                c_int,     _check_status),
    ("toggl_me_logged",                       [client_p],                                   c_int,     _check_status),
    ("toggl_clients_list",                    [client_p, c_int64, out_str],                 c_int,     _check_status),
    ("toggl_features_list",                   [client_p, out_str],                          c_int,     _check_status),
    ("toggl_location_get",                    [client_p, out_str],                          c_int,     _check_status),
    ("toggl_organizations_list",              [client_p, out_str],                          c_int,     _check_status),
    ("toggl_projects_list",                   [client_p, c_bool, c_int64, out_str],         c_int,     _check_status),
    ("toggl_projects_list_paginated",         [client_p, c_int64, c_int64, c_int, out_str, out_i64],
                                                                                            c_int,     _check_status),
    ("toggl_tags_list",                       [client_p, c_int64, out_str],                 c_int,     _check_status),
    ("toggl_tasks_list",                      [client_p, c_bool, c_int64, c_bool, c_int64, c_int, out_str],
                                                                                            c_int,     _check_status),
    ("toggl_quota_get",                       [client_p, out_str],                          c_int,     _check_status),
    # pagers
    ("toggl_projects_pager_new",              [client_p, c_int64, c_int],                   pager_p,   _check_handle),
    ("toggl_tasks_pager_new",                 [client_p, c_bool, c_int64, c_bool, c_int],   pager_p,   _check_handle),
    ("toggl_pager_next",                      [pager_p, out_str],                           c_int,     _check_status),
    ("toggl_pager_free",                      [pager_p],                                    None,      None),
    # the store
    ("toggl_store_open",                      [c_char_p, POINTER(store_p)],                 c_int,     _check_status),
    ("toggl_store_free",                      [store_p],                                    None,      None),
    ("toggl_store_sync",                      [store_p, client_p, c_uint, c_int64, out_str],
                                                                                            c_int,     _check_status),
    ("toggl_store_get",                       [store_p, c_char_p, c_uint, out_str],         c_int,     _check_status),
    ("toggl_store_age",                       [store_p, c_char_p, out_i64],                 c_int,     _check_status),
    ("toggl_store_quota",                     [store_p, out_i64, out_i64],                  c_int,     _check_status),
]

# The flags of toggl_store_sync() and toggl_store_get() (include/toggl.h; part of the ABI).
TOGGL_SYNC_FULL = 1
TOGGL_SYNC_TASKS = 2
TOGGL_SYNC_USER = 4
TOGGL_STORE_ACTIVE = 1


def _declare() -> None:
    missing = []
    for name, argtypes, restype, errcheck in _FUNCTIONS:
        try:
            func = getattr(lib, name)
        except AttributeError:
            missing.append(name)
            continue
        func.argtypes = argtypes
        func.restype = restype
        if errcheck is not None:
            func.errcheck = errcheck
    if missing:
        raise ImportError(f"{LIBRARY_PATH} is not a compatible libtoggl: it lacks "
                          f"{', '.join(missing)}; {_HOW_TO_FIX}")


_declare()


# --- calling helpers -----------------------------------------------------------------------

def _take_string(ptr: c_void_p) -> str:
    """Copy the library-allocated string at ``ptr`` (the caller frees it)."""
    return ctypes.string_at(ptr.value or 0).decode("utf-8")


def call_json(func: Callable[..., int], *args: Any) -> str:
    """Call ``func(*args, char **out_json)``; return the JSON text.

    The string is released with ``toggl_free`` even when the call, or the copy,
    raises.
    """
    out = c_void_p()
    try:
        status = func(*args, byref(out))
        if not out.value:
            raise error_from_status(code=TOGGL_EINTERNAL, message=f"{func.__name__} returned "
                                    f"status {status} without a JSON document",
                                    http_status=0, retry_after=-1, status_name="")
        return _take_string(out)
    finally:
        if out.value:
            lib.toggl_free(out)


def call_paginated(client: Any, start: int, since: int, per_page: int) -> tuple[str, int]:
    """``toggl_projects_list_paginated``: (JSON text, next start id or 0)."""
    next_start = c_int64(0)
    out = c_void_p()
    try:
        lib.toggl_projects_list_paginated(client, start, since, per_page, byref(out),
                                          byref(next_start))
        if not out.value:
            raise error_from_status(code=TOGGL_EINTERNAL, message="toggl_projects_list_paginated "
                                    "succeeded without a JSON document",
                                    http_status=0, retry_after=-1, status_name="")
        return _take_string(out), next_start.value
    finally:
        if out.value:
            lib.toggl_free(out)


def pager_next(pager: Any) -> str | None:
    """One page's JSON text, or None after ``TOGGL_DONE``."""
    out = c_void_p()
    try:
        status = lib.toggl_pager_next(pager, byref(out))
        if status == TOGGL_DONE:
            return None
        if not out.value:
            raise error_from_status(code=TOGGL_EINTERNAL, message="toggl_pager_next returned "
                                    f"status {status} without a JSON document",
                                    http_status=0, retry_after=-1, status_name="")
        return _take_string(out)
    finally:
        if out.value:
            lib.toggl_free(out)


def client_quota(client: Any) -> tuple[int, int]:
    """``toggl_client_quota``: (remaining, resets_in_s), -1 for unknown."""
    remaining = c_int64(-1)
    resets_in = c_int64(-1)
    lib.toggl_client_quota(client, byref(remaining), byref(resets_in))
    return remaining.value, resets_in.value


def store_open(path: bytes | None) -> Any:
    """``toggl_store_open``: the new ``toggl_store *`` (never NULL: a failure raises)."""
    out = store_p()
    lib.toggl_store_open(path, byref(out))
    if not out:
        raise error_from_status(code=TOGGL_EINTERNAL, message="toggl_store_open succeeded "
                                "without a store", http_status=0, retry_after=-1, status_name="")
    return out


def store_age(store: Any, collection: bytes | None) -> int:
    """``toggl_store_age``: seconds since the collection's refresh, -1 for never."""
    age = c_int64(-1)
    lib.toggl_store_age(store, collection, byref(age))
    return age.value


def store_quota(store: Any) -> tuple[int, int]:
    """``toggl_store_quota``: (remaining, resets_in_s), -1 for unknown."""
    remaining = c_int64(-1)
    resets_in = c_int64(-1)
    lib.toggl_store_quota(store, byref(remaining), byref(resets_in))
    return remaining.value, resets_in.value
