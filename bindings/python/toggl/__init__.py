"""Python binding of libtoggl, a Toggl Track API v9 client (the "me" endpoints).

    import toggl
    with toggl.Client(api_token="...") as client:
        print(client.me()["fullname"])
        for project in client.iter_projects():
            print(project["id"], project["name"])

The shared library is found through the TOGGL_LIBRARY environment variable (a
path), then ``ctypes.util.find_library("toggl")``.
"""

from ._errors import (AuthError, ClientClosedError, DecodeError, InternalError,
                      InvalidArgument, NetworkError, NotFound, QuotaExceeded, RateLimited,
                      RequestError, ResponseTooLarge, ServerError, Timeout, TogglError)
from . import _ffi
from ._client import Client, Since

__version__ = "0.1.0"

__all__ = [
    "Client", "Since", "library_version", "library_path", "status_string",
    "TogglError", "InvalidArgument", "ClientClosedError", "NetworkError", "Timeout",
    "AuthError", "NotFound", "RequestError", "QuotaExceeded", "RateLimited", "ServerError",
    "DecodeError", "ResponseTooLarge", "InternalError",
]

#: The path or name libtoggl was loaded from.
library_path: str = _ffi.LIBRARY_PATH


def library_version() -> str:
    """The loaded libtoggl's version (``toggl_version()``)."""
    version: bytes = _ffi.lib.toggl_version()
    return version.decode("utf-8")


def status_string(code: int) -> str:
    """libtoggl's name for a status code (``toggl_status_string()``)."""
    name: bytes = _ffi.lib.toggl_status_string(code)
    return name.decode("utf-8")
