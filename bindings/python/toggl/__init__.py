"""Python binding of libtoggl, a Toggl Track API v9 client (the "me" endpoints).

    import toggl
    with toggl.Client(api_token="...") as client:
        print(client.me()["fullname"])
        for project in client.iter_projects():
            print(project["id"], project["name"])

    with toggl.Store("toggl.sqlite3") as store, toggl.Client(api_token="...") as client:
        store.sync(client, max_age=600)      # 0 requests while the mirror is fresh
        for project in store.get("projects", active_only=True):
            print(project["id"], project["name"])

The shared library is found through the TOGGL_LIBRARY environment variable (a
path), then ``ctypes.util.find_library("toggl")``.
"""

from __future__ import annotations

from . import _ffi
from ._client import Client, Since
from ._errors import (AuthenticationError, CancelledError, ClientClosedError, DecodeError,
                      InternalError, InvalidArgumentError, NetworkError, NotFoundError,
                      QuotaExceededError, RateLimitError, RequestError, RequestTimeoutError,
                      ResponseTooLargeError, ServerError, StoreClosedError, StoreError,
                      TogglError)
from ._quota import Quota
from ._store import Store

__version__ = "0.2.0"

__all__ = [
    "Client", "Store", "Quota", "Since", "library_version", "library_path", "status_string",
    "TogglError", "InvalidArgumentError", "ClientClosedError", "NetworkError",
    "RequestTimeoutError", "AuthenticationError", "NotFoundError", "RequestError",
    "QuotaExceededError", "RateLimitError", "ServerError", "DecodeError",
    "ResponseTooLargeError", "InternalError", "CancelledError", "StoreError",
    "StoreClosedError",
]

#: The path or name libtoggl was loaded from.
library_path: str = _ffi.LIBRARY_PATH


def library_version() -> str:
    """The loaded libtoggl's version (``toggl_version()``)."""
    version: bytes = _ffi.lib.toggl_version()
    return version.decode("utf-8")


def status_string(code: int) -> str:
    """libtoggl's name for a status code (``toggl_status_string()``); "unknown status" for
    a code it does not know."""
    name: bytes = _ffi.lib.toggl_status_string(code)
    return name.decode("utf-8")
