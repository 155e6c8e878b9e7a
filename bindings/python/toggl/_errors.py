"""Exceptions: TogglError and one subclass per libtoggl status code."""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple, Type

__all__ = [
    "TogglError", "InvalidArgument", "ClientClosedError", "NetworkError", "Timeout",
    "AuthError", "NotFound", "RequestError", "QuotaExceeded", "RateLimited", "ServerError",
    "DecodeError", "ResponseTooLarge", "InternalError", "error_from_status",
]


class TogglError(Exception):
    """A libtoggl call failed.

    Attributes: ``code`` (the negative ``TOGGL_E*`` status), ``message`` (readable
    text, the server's when it sent one), ``http_status`` (None when no response
    arrived) and ``retry_after`` (seconds until a retry can succeed, None when unknown).
    """

    #: The C status code this class stands for (the base class: none).
    status_code: int = 0

    def __init__(self, message: str = "", *, code: Optional[int] = None,
                 http_status: Optional[int] = None, retry_after: Optional[int] = None,
                 status_name: str = "") -> None:
        super().__init__(message)
        self.code: int = self.status_code if code is None else code
        self.message: str = message
        self.http_status: Optional[int] = http_status
        self.retry_after: Optional[int] = retry_after
        self.status_name: str = status_name

    def __str__(self) -> str:
        text = self.message or self.status_name or type(self).__name__
        if self.http_status is not None and f"HTTP {self.http_status}" not in text:
            text = f"{text} (HTTP {self.http_status})"
        return text

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.message!r}, code={self.code}, "
                f"http_status={self.http_status}, retry_after={self.retry_after})")

    def __reduce__(self) -> Tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self.code, self.http_status,
                           self.retry_after, self.status_name))


def _rebuild(cls: Type[TogglError], message: str, code: int, http_status: Optional[int],
             retry_after: Optional[int], status_name: str) -> TogglError:
    return cls(message, code=code, http_status=http_status, retry_after=retry_after,
               status_name=status_name)


class InvalidArgument(TogglError, ValueError):
    """TOGGL_EINVAL (-1): a bad argument from the caller; nothing was sent."""
    status_code = -1


class ClientClosedError(InvalidArgument):
    """The Client was used after ``close()`` (code TOGGL_EINVAL; nothing was sent)."""

    def __init__(self, message: str = "the toggl.Client is closed", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)


class NetworkError(TogglError):
    """TOGGL_ENETWORK (-2): DNS, connect, TLS or a reset connection."""
    status_code = -2


class Timeout(TogglError):
    """TOGGL_ETIMEOUT (-3): a configured timeout elapsed."""
    status_code = -3


class AuthError(TogglError):
    """TOGGL_EAUTH (-4): HTTP 401 or 403."""
    status_code = -4


class NotFound(TogglError):
    """TOGGL_ENOTFOUND (-5): HTTP 404."""
    status_code = -5


class RequestError(TogglError):
    """TOGGL_EREQUEST (-6): any other 4xx; ``message`` is the server's text."""
    status_code = -6


class QuotaExceeded(TogglError):
    """TOGGL_EQUOTA (-7): HTTP 402, the hourly quota is spent; see ``retry_after``."""
    status_code = -7


class RateLimited(TogglError):
    """TOGGL_ERATELIMIT (-8): HTTP 429 still after the configured retries."""
    status_code = -8


class ServerError(TogglError):
    """TOGGL_ESERVER (-9): HTTP 5xx still after the configured retries."""
    status_code = -9


class DecodeError(TogglError):
    """TOGGL_EDECODE (-10): the response is not the JSON the API documents."""
    status_code = -10


class ResponseTooLarge(TogglError):
    """TOGGL_ETOOLARGE (-11): the response passed the configured size cap."""
    status_code = -11


class InternalError(TogglError):
    """TOGGL_EINTERNAL (-12): a bug in libtoggl (or in this binding)."""
    status_code = -12


_BY_CODE: Dict[int, Type[TogglError]] = {
    cls.status_code: cls
    for cls in (InvalidArgument, NetworkError, Timeout, AuthError, NotFound, RequestError,
                QuotaExceeded, RateLimited, ServerError, DecodeError, ResponseTooLarge,
                InternalError)
}


def error_from_status(*, code: int, message: str, http_status: int, retry_after: int,
                      status_name: str) -> TogglError:
    """The exception for a C status and the thread-local error details."""
    cls = _BY_CODE.get(code, TogglError)
    return cls(message, code=code,
               http_status=http_status if http_status > 0 else None,
               retry_after=retry_after if retry_after >= 0 else None,
               status_name=status_name)
