"""Python arguments converted for the C API, checked before anything is sent.

A wrong Python type raises TypeError; a value of the right type that C cannot take (out of
range, a NUL inside a string, a naive datetime) raises InvalidArgumentError, as libtoggl's
own TOGGL_EINVAL would.
"""

from __future__ import annotations

import ctypes
import math
import operator
import os
from datetime import datetime
from typing import Any, Union

from ._errors import InvalidArgumentError

#: ``since`` arguments: UNIX seconds, an aware datetime, or None (not sent). A runtime alias,
#: so ``Union``: ``int | datetime | None`` is an expression only from Python 3.10.
Since = Union[int, datetime, None]

INT_BITS = 8 * ctypes.sizeof(ctypes.c_int)
LONG_BITS = 8 * ctypes.sizeof(ctypes.c_long)


def c_string(name: str, value: str | None) -> bytes | None:
    """A str as NUL-terminated UTF-8 (None stays NULL). Lone surrogates are passed
    through as the bytes they stand for, so that libtoggl rejects invalid UTF-8."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    data = value.encode("utf-8", "surrogatepass")
    if b"\0" in data:
        raise InvalidArgumentError(f"{name} must not contain NUL characters")
    return data


def c_path(name: str, value: str | os.PathLike[str] | None) -> bytes | None:
    if value is None:
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a str or os.PathLike, not {type(value).__name__}")
    data = os.fsencode(value)
    if b"\0" in data:
        raise InvalidArgumentError(f"{name} must not contain NUL characters")
    return data


def c_int(name: str, value: Any, bits: int) -> int:
    """An int that fits a signed C integer of ``bits`` bits (ctypes would wrap it)."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not bool")
    try:
        number = operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an int, not {type(value).__name__}") from None
    if not -(1 << (bits - 1)) <= number < (1 << (bits - 1)):
        raise InvalidArgumentError(f"{name}={number} is out of range")
    return number


def c_bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, not {type(value).__name__}")
    return value


def optional_int(name: str, value: int | None, bits: int = 64) -> int:
    """None -> 0 (the C API's "leave it out / server default")."""
    return 0 if value is None else c_int(name, value, bits)


def since(value: Since) -> int:
    """UNIX seconds for the C API; 0 (not sent) for None."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidArgumentError("since is a naive datetime; give an aware one "
                                       "(e.g. datetime.now(timezone.utc)) or UNIX seconds")
        return c_int("since", math.floor(value.timestamp()), 64)
    return c_int("since", value, 64)


def milliseconds(name: str, seconds: Any) -> int:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {type(seconds).__name__}")
    if not math.isfinite(seconds):
        raise InvalidArgumentError(f"{name} must be finite")
    return c_int(name, math.ceil(seconds * 1000), LONG_BITS)


def json_int(name: str, value: int | None) -> int | None:
    """A JSON integer field: None stays None (not sent); an int must fit int64."""
    return None if value is None else c_int(name, value, 64)


def json_str(name: str, value: str | None) -> str | None:
    """A JSON string field: None stays None (not sent)."""
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    return value
