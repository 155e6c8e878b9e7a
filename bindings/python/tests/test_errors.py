"""Every exception class, reached through the sandbox (or through bad arguments)."""

from __future__ import annotations

import builtins
import pickle
import time
from datetime import datetime

import pytest

import toggl
from conftest import EMAIL
from toggl import _errors

#: DESIGN.md's table: class, status code, the builtin it also is (None: only an Exception).
ALL_CLASSES = [
    (toggl.InvalidArgumentError, -1, ValueError),
    (toggl.NetworkError, -2, ConnectionError),
    (toggl.RequestTimeoutError, -3, TimeoutError),
    (toggl.AuthenticationError, -4, None),
    (toggl.NotFoundError, -5, LookupError),
    (toggl.RequestError, -6, None),
    (toggl.QuotaExceededError, -7, None),
    (toggl.RateLimitError, -8, None),
    (toggl.ServerError, -9, None),
    (toggl.DecodeError, -10, ValueError),
    (toggl.ResponseTooLargeError, -11, None),
    (toggl.InternalError, -12, None),
    (toggl.CancelledError, -13, None),
    (toggl.StoreError, -14, None),
]
#: The builtins a TogglError subclass may also be, as DESIGN.md allows.
FITTING_BUILTINS = {ValueError, ConnectionError, TimeoutError, LookupError}


# --- the class hierarchy --------------------------------------------------------------------

@pytest.mark.parametrize("cls,code,builtin", ALL_CLASSES)
def test_one_class_per_status(cls, code, builtin):
    assert issubclass(cls, toggl.TogglError)
    assert cls.status_code == code
    extra = {b for b in FITTING_BUILTINS if issubclass(cls, b)}
    assert extra == ({builtin} if builtin else set())
    err = _errors.error_from_status(code=code, message="m", http_status=0, retry_after=-1,
                                    status_name=toggl.status_string(code))
    assert type(err) is cls
    assert (err.code, err.message, err.http_status, err.retry_after) == (code, "m", None, None)
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is cls and copy.code == code and copy.message == "m"


def test_builtin_except_clauses_catch_toggl_errors():
    with pytest.raises(TimeoutError):
        raise toggl.RequestTimeoutError("slow")
    with pytest.raises(ConnectionError):
        raise toggl.NetworkError("down")
    with pytest.raises(LookupError):
        raise toggl.NotFoundError("gone")


def test_no_exported_name_shadows_a_builtin():
    shadowing = [name for name in toggl.__all__ if hasattr(builtins, name)]
    assert shadowing == []
    assert all(hasattr(toggl, name) for name in toggl.__all__)


def _library_codes():
    """Every failure code the loaded library names: -1 downward until "unknown status"."""
    codes = []
    code = -1
    while toggl.status_string(code) != "unknown status":
        codes.append(code)
        code -= 1
        assert code > -1000, "toggl_status_string names every code"
    return codes


def _declared_classes():
    """The exception classes toggl exports that declare a status code of their own
    (ClientClosedError refines InvalidArgumentError and inherits its code)."""
    exported = [getattr(toggl, name) for name in toggl.__all__]
    return [obj for obj in exported
            if isinstance(obj, type) and issubclass(obj, toggl.TogglError)
            and obj is not toggl.TogglError and "status_code" in vars(obj)]


def test_exception_table_matches_the_library():
    codes = _library_codes()
    assert codes[:12] == list(range(-1, -13, -1))
    by_code = {}
    for cls in _declared_classes():
        by_code.setdefault(cls.status_code, []).append(cls.__name__)
    for code in codes:
        assert len(by_code.get(code, [])) == 1, (
            f"{code} ({toggl.status_string(code)!r}): classes {by_code.get(code, [])}")
    unknown = {code: names for code, names in by_code.items() if code not in codes}
    assert unknown == {}, "classes for codes the library does not name"
    for code in codes:       # and errors raised for a code get that class
        err = _errors.error_from_status(code=code, message="", http_status=0, retry_after=-1,
                                        status_name="")
        assert type(err).__name__ == by_code[code][0]


def test_status_strings_are_distinct():
    codes = list(range(_library_codes()[-1], 2))
    names = [toggl.status_string(code) for code in codes]
    assert all(names)
    assert len(set(names)) == len(names)
    assert toggl.status_string(-99) == "unknown status"


def test_unknown_code_is_base_class():
    err = _errors.error_from_status(code=-77, message="", http_status=500, retry_after=3,
                                    status_name="unknown status")
    assert type(err) is toggl.TogglError
    assert (err.http_status, err.retry_after) == (500, 3)


def test_client_closed_error_is_invalid_argument():
    assert issubclass(toggl.ClientClosedError, toggl.InvalidArgumentError)
    assert issubclass(toggl.InvalidArgumentError, ValueError)
    assert toggl.ClientClosedError().code == -1


# --- every outcome kind ---------------------------------------------------------------------
# How each kind of outcome reaches Python: the exception class, code, http_status (None: no
# response), retry_after (None: not told) and message. The retry and quota policy behind them
# (which statuses are retried and how often, waits, Retry-After, redirects, the fail-fast gate,
# timeouts, the size cap) is table-tested once, in Swift (FaultMatrixTests); here the clients
# send once (max_retries=0).

def _raised(call, cls):
    with pytest.raises(cls) as info:
        call()
    err = info.value
    assert type(err) is cls
    assert err.code == cls.status_code
    assert isinstance(err.message, str) and err.message
    assert err.message in str(err)
    return err


def test_quota_exceeded(tenant):
    tenant.faults({"status": 402, "message": "You have hit your hourly limit for API calls.",
                   "headers": {"X-Toggl-Quota-Remaining": "0", "X-Toggl-Quota-Resets-In": "120"},
                   "path": "/me"})
    with tenant.client(max_retries=0) as c:
        err = _raised(c.me, toggl.QuotaExceededError)
        assert (err.http_status, err.retry_after) == (402, 120)
        assert err.message == "You have hit your hourly limit for API calls."
        assert c.last_quota is not None and c.last_quota.remaining == 0
        # Refused locally until the reset: no response, so no http_status; the wait is told.
        refused = _raised(c.tags, toggl.QuotaExceededError)
        assert refused.http_status is None
        assert refused.retry_after is not None and 1 <= refused.retry_after <= 120
    assert tenant.count() == 1


def test_quota_fail_fast_option(tenant):
    # quota_fail_fast=False reaches the client: the call after a 402 is sent.
    tenant.config(quota_limit=1)
    with tenant.client(quota_fail_fast=False) as c:
        c.logged()
        assert c.last_quota.remaining == 0
        err = _raised(c.me, toggl.QuotaExceededError)
        assert err.http_status == 402
        assert err.retry_after is not None and 1 <= err.retry_after <= 3600
        assert "hourly limit" in err.message
        _raised(c.me, toggl.QuotaExceededError)
    assert tenant.count() == 3


def test_rate_limited(tenant):
    tenant.faults({"status": 429, "body_kind": "html", "message": "429 Too Many Requests",
                   "headers": {"Retry-After": "120"}})
    with tenant.client(max_retries=0) as c:
        err = _raised(c.tags, toggl.RateLimitError)
    assert (err.http_status, err.retry_after) == (429, 120)
    assert err.message == "429 Too Many Requests"


def test_server_error(tenant):
    tenant.faults({"status": 500, "message": "Internal Server Error", "times": -1})
    with tenant.client(max_retries=0) as c:
        err = _raised(c.features, toggl.ServerError)
    assert (err.http_status, err.retry_after) == (500, None)
    assert err.message == "Internal Server Error"
    assert tenant.count() == 1                 # max_retries=0 reached the client


def test_network_error(tenant):
    tenant.faults({"action": "reset", "times": -1})
    with tenant.client(max_retries=0) as c:
        err = _raised(c.me, toggl.NetworkError)
    assert (err.http_status, err.retry_after) == (None, None)
    assert isinstance(err, ConnectionError)


def test_timeout(tenant):
    # Both time limits reach the client, in seconds: a total timeout and the low-speed limit.
    tenant.faults({"action": "stall", "stall_ms": 5000, "path": "/me"},
                  {"action": "trickle", "interval_ms": 1000, "path": "/me/tags"})
    with tenant.client(timeout=0.5, max_retries=0) as c:
        start = time.monotonic()
        err = _raised(c.me, toggl.RequestTimeoutError)
        assert time.monotonic() - start < 4
    assert (err.http_status, err.retry_after) == (None, None)
    assert isinstance(err, TimeoutError)
    with tenant.client(low_speed_limit=(1000, 1), max_retries=0) as c:
        start = time.monotonic()
        _raised(c.tags, toggl.RequestTimeoutError)
        assert time.monotonic() - start < 10


def test_response_too_large(tenant):
    tenant.faults({"action": "oversize", "size_bytes": 2 * 1024 * 1024})
    with tenant.client(max_response_bytes=1024 * 1024, max_retries=0) as c:
        err = _raised(c.tags, toggl.ResponseTooLargeError)
    assert (err.http_status, err.retry_after) == (None, None)


def test_decode_error(tenant):
    tenant.faults({"action": "malformed", "path": "/me"})
    with tenant.client(max_retries=0) as c:
        err = _raised(c.me, toggl.DecodeError)
    assert (err.http_status, err.retry_after) == (200, None)
    assert isinstance(err, ValueError)


def test_request_error(tenant):
    tenant.faults({"status": 400, "body_kind": "json_string", "message": "Invalid include_archived",
                   "path": "/me/projects"})
    with tenant.client(max_retries=0) as c:
        err = _raised(lambda: c.projects(include_archived=True), toggl.RequestError)
    assert (err.http_status, err.retry_after) == (400, None)
    assert err.message == "Invalid include_archived"        # the JSON string's text, unquoted


def test_auth_error(tenant):
    with tenant.client(api_token="not-the-token", max_retries=0) as c:
        err = _raised(c.me, toggl.AuthenticationError)
    assert (err.http_status, err.retry_after) == (403, None)
    assert err.message == "Incorrect username and/or password"
    assert "not-the-token" not in str(err) and "not-the-token" not in repr(err)
    with tenant.client(email=EMAIL, password="wrong-password") as c:
        err = _raised(c.logged, toggl.AuthenticationError)
    assert "wrong-password" not in str(err) and "wrong-password" not in repr(err)


def test_not_found(tenant):
    tenant.faults({"status": 404, "message": "could not load user data", "path": "/me"})
    with tenant.client(max_retries=0) as c:
        err = _raised(c.me, toggl.NotFoundError)
    assert (err.http_status, err.retry_after) == (404, None)
    assert err.message == "could not load user data"
    assert isinstance(err, LookupError)


# --- bad arguments --------------------------------------------------------------------------

def test_naive_datetime(client, tenant):
    with pytest.raises(toggl.InvalidArgumentError, match="naive"):
        client.clients(since=datetime(2024, 1, 1))
    with pytest.raises(toggl.InvalidArgumentError):
        client.iter_projects(since=datetime(2024, 1, 1))
    assert tenant.count() == 0


def test_negative_per_page(client, tenant):
    for call in (lambda: client.projects_paginated(per_page=-1),
                 lambda: client.tasks(per_page=-1),
                 lambda: next(client.iter_projects(per_page=-1)),
                 lambda: next(client.iter_tasks(per_page=-5))):
        with pytest.raises(toggl.InvalidArgumentError) as info:
            call()
        assert info.value.code == -1
        assert info.value.http_status is None
    assert tenant.count() == 0


@pytest.mark.parametrize("kwargs", [
    {"timeout": 0}, {"timeout": -1}, {"connect_timeout": 0}, {"max_retries": -1},
    {"max_response_bytes": 0}, {"base_url": "not a url"}, {"base_url": "ftp://example.com/x"},
    {"user_agent": "bad\nagent"}, {"ca_file": ""}, {"low_speed_limit": (-1, 5)},
    {"low_speed_limit": (10, 0)}, {"api_token": "bad\udcfftoken"},
    {"user_agent": "\ud800"}, {"api_token": "nul\0inside"}, {"max_retries": 1 << 40},
])
def test_invalid_client_options(tenant, kwargs):
    with pytest.raises(toggl.InvalidArgumentError):
        tenant.client(**kwargs)


def test_missing_credentials():
    with pytest.raises(toggl.InvalidArgumentError):
        toggl.Client()
    with pytest.raises(toggl.InvalidArgumentError):
        toggl.Client(email="a@example.com")
    with pytest.raises(TypeError):
        toggl.Client("token", email="a@example.com", password="x")


@pytest.mark.parametrize("call", [
    lambda c: c.me(with_related_data=1),
    lambda c: c.projects(include_archived="yes"),
    lambda c: c.tasks(meta=None),
    lambda c: c.clients(since="yesterday"),
    lambda c: c.clients(since=True),
    lambda c: c.tasks(per_page=2.5),
    lambda c: c.projects_paginated(start_project_id="1"),
    lambda c: toggl.Client(1234),
    lambda c: toggl.Client("t", timeout="5"),
])
def test_wrong_types(client, tenant, call):
    with pytest.raises(TypeError):
        call(client)
    assert tenant.count() == 0


def test_out_of_range_ints(client, tenant):
    with pytest.raises(toggl.InvalidArgumentError):
        client.tasks(per_page=1 << 31)
    with pytest.raises(toggl.InvalidArgumentError):
        client.clients(since=1 << 63)
    assert tenant.count() == 0
