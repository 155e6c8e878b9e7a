"""Exceptions: TogglError and one subclass per libtoggl status code (DESIGN.md's table).

Each subclass also derives from the builtin that fits, so ``except TimeoutError:`` and
``except ConnectionError:`` catch libtoggl's failures too; no name shadows a builtin.
"""

from __future__ import annotations

from typing import Any

from . import _status

__all__ = [
    "TogglError", "InvalidArgumentError", "ClientClosedError", "StoreClosedError", "NetworkError",
    "RequestTimeoutError", "AuthenticationError", "NotFoundError", "RequestError",
    "QuotaExceededError", "RateLimitError", "ServerError", "DecodeError",
    "ResponseTooLargeError", "InternalError", "CancelledError", "StoreError",
    "error_from_status",
]


class TogglError(Exception):
    """A libtoggl call failed.

    Attributes: ``code`` (the negative ``TOGGL_E*`` status), ``message`` (readable
    text, the server's when it sent one), ``http_status`` (None when no response
    arrived) and ``retry_after`` (seconds until a retry can succeed, None when unknown).
    """

    #: The C status code this class stands for (the base class: none).
    status_code: int = 0

    def __init__(self, message: str = "", *, code: int | None = None,
                 http_status: int | None = None, retry_after: int | None = None,
                 status_name: str = "") -> None:
        super().__init__(message)
        self.code: int = self.status_code if code is None else code
        self.message: str = message
        self.http_status: int | None = http_status
        self.retry_after: int | None = retry_after
        self.status_name: str = status_name

    def __str__(self) -> str:
        text = self.message or self.status_name or type(self).__name__
        if self.http_status is not None and f"HTTP {self.http_status}" not in text:
            text = f"{text} (HTTP {self.http_status})"
        return text

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.message!r}, code={self.code}, "
                f"http_status={self.http_status}, retry_after={self.retry_after})")

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only attributes do not survive Exception's default pickling.
        return (_rebuild, (type(self), self.message, self.code, self.http_status,
                           self.retry_after, self.status_name))


def _rebuild(cls: type[TogglError], message: str, code: int, http_status: int | None,
             retry_after: int | None, status_name: str) -> TogglError:
    return cls(message, code=code, http_status=http_status, retry_after=retry_after,
               status_name=status_name)


class InvalidArgumentError(TogglError, ValueError):
    """TOGGL_EINVAL (-1): a bad argument from the caller; nothing was sent."""
    status_code = _status.TOGGL_EINVAL


class ClientClosedError(InvalidArgumentError):
    """The Client was used after ``close()`` (code TOGGL_EINVAL; nothing was sent)."""

    def __init__(self, message: str = "the toggl.Client is closed", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)


class StoreClosedError(InvalidArgumentError):
    """The Store was used after ``close()`` (code TOGGL_EINVAL; nothing was read or sent)."""

    def __init__(self, message: str = "the toggl.Store is closed", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)


class NetworkError(TogglError, ConnectionError):
    """TOGGL_ENETWORK (-2): DNS, connect, TLS, a reset connection, or a peer that is not HTTP."""
    status_code = _status.TOGGL_ENETWORK


class RequestTimeoutError(TogglError, TimeoutError):
    """TOGGL_ETIMEOUT (-3): a configured timeout elapsed."""
    status_code = _status.TOGGL_ETIMEOUT


class AuthenticationError(TogglError):
    """TOGGL_EAUTH (-4): HTTP 401 or 403."""
    status_code = _status.TOGGL_EAUTH


class NotFoundError(TogglError, LookupError):
    """TOGGL_ENOTFOUND (-5): HTTP 404."""
    status_code = _status.TOGGL_ENOTFOUND


class RequestError(TogglError):
    """TOGGL_EREQUEST (-6): any other 4xx, or a 3xx not followed; ``message`` is the
    server's text (or the redirect's target)."""
    status_code = _status.TOGGL_EREQUEST


class QuotaExceededError(TogglError):
    """TOGGL_EQUOTA (-7): HTTP 402, the hourly quota is spent; see ``retry_after``."""
    status_code = _status.TOGGL_EQUOTA


class RateLimitError(TogglError):
    """TOGGL_ERATELIMIT (-8): HTTP 429 still after the configured retries."""
    status_code = _status.TOGGL_ERATELIMIT


class ServerError(TogglError):
    """TOGGL_ESERVER (-9): HTTP 5xx still after the configured retries."""
    status_code = _status.TOGGL_ESERVER


class DecodeError(TogglError, ValueError):
    """TOGGL_EDECODE (-10): the response is not the JSON the API documents."""
    status_code = _status.TOGGL_EDECODE


class ResponseTooLargeError(TogglError):
    """TOGGL_ETOOLARGE (-11): the response passed the configured size cap."""
    status_code = _status.TOGGL_ETOOLARGE


class InternalError(TogglError):
    """TOGGL_EINTERNAL (-12): a bug in libtoggl (or in this binding)."""
    status_code = _status.TOGGL_EINTERNAL


class CancelledError(TogglError):
    """TOGGL_ECANCELED (-13): ``Client.cancel()`` ended the call."""
    status_code = _status.TOGGL_ECANCELED


class StoreError(TogglError):
    """TOGGL_ESTORE (-14): the local store failed (not a store, newer schema, locked, I/O)."""
    status_code = _status.TOGGL_ESTORE


_BY_CODE: dict[int, type[TogglError]] = {
    cls.status_code: cls
    for cls in (InvalidArgumentError, NetworkError, RequestTimeoutError, AuthenticationError,
                NotFoundError, RequestError, QuotaExceededError, RateLimitError, ServerError,
                DecodeError, ResponseTooLargeError, InternalError, CancelledError, StoreError)
}


def error_from_status(*, code: int, message: str, http_status: int, retry_after: int,
                      status_name: str) -> TogglError:
    """The exception for a C status and the thread-local error details."""
    cls = _BY_CODE.get(code, TogglError)
    return cls(message, code=code,
               http_status=http_status if http_status > 0 else None,
               retry_after=retry_after if retry_after >= 0 else None,
               status_name=status_name)
