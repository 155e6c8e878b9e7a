"""Every exception class, reached through the sandbox (or through bad arguments)."""

from __future__ import annotations

import builtins
import pickle
import socket
import time
from datetime import datetime

import pytest

import toggl
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


# --- HTTP statuses --------------------------------------------------------------------------

def test_auth_error_wrong_token(tenant):
    with tenant.client(api_token="not-the-token") as c:
        with pytest.raises(toggl.AuthenticationError) as info:
            c.me()
        assert info.value.http_status == 403
        assert info.value.code == -4
        assert "Incorrect username and/or password" in info.value.message
        assert "not-the-token" not in str(info.value)
        with pytest.raises(toggl.AuthenticationError):
            c.logged()


def test_auth_error_wrong_password(tenant):
    with tenant.client(email="sandbox@example.com", password="wrong-password") as c:
        with pytest.raises(toggl.AuthenticationError) as info:
            c.logged()
        assert "wrong-password" not in info.value.message


def test_auth_error_401_empty_body(client, tenant):
    tenant.faults({"status": 401, "body_kind": "empty", "path": "/me"})
    with pytest.raises(toggl.AuthenticationError) as info:
        client.me()
    assert info.value.http_status == 401


def test_not_found(client, tenant):
    tenant.faults({"status": 404, "message": "could not load user data", "path": "/me"})
    with pytest.raises(toggl.NotFoundError) as info:
        client.me()
    assert info.value.http_status == 404
    assert info.value.message == "could not load user data"


def test_request_error_unquoted_message(client, tenant):
    tenant.faults({"status": 400, "body_kind": "json_string", "message": "Invalid include_archived",
                   "path": "/me/projects"})
    with pytest.raises(toggl.RequestError) as info:
        client.projects(include_archived=True)
    err = info.value
    assert err.message == "Invalid include_archived"
    assert err.http_status == 400
    assert err.code == -6
    assert err.retry_after is None
    assert "Invalid include_archived" in str(err)


def test_request_error_plain_text(client, tenant):
    tenant.faults({"status": 422, "body_kind": "plain", "message": "Unprocessable thing"})
    with pytest.raises(toggl.RequestError) as info:
        client.tags()
    assert info.value.message == "Unprocessable thing"
    assert info.value.http_status == 422


def test_request_error_html(client, tenant):
    tenant.faults({"status": 409, "body_kind": "html", "message": "Conflict here"})
    with pytest.raises(toggl.RequestError) as info:
        client.clients()
    assert "Conflict here" in info.value.message
    assert "<html>" not in info.value.message


def test_request_error_from_the_sandbox_itself(client):
    with pytest.raises(toggl.RequestError) as info:
        client.update_me(beginning_of_week=9)
    assert info.value.message == "Invalid beginning_of_week"


def test_quota_exceeded(tenant):
    tenant.config(quota_limit=2)
    with tenant.client(quota_fail_fast=False) as c:
        c.logged()
        c.logged()
        assert c.last_quota.remaining == 0
        with pytest.raises(toggl.QuotaExceededError) as info:
            c.me()
        err = info.value
        assert err.http_status == 402
        assert err.code == -7
        assert err.retry_after is not None and 1 <= err.retry_after <= 3600
        assert "hourly limit" in err.message
        # fail-fast off: the next call is sent again
        with pytest.raises(toggl.QuotaExceededError):
            c.me()
    assert tenant.count() == 4


def test_quota_fail_fast(tenant):
    tenant.config(quota_limit=1)
    with tenant.client(quota_fail_fast=True) as c:
        c.logged()
        with pytest.raises(toggl.QuotaExceededError) as first:
            c.me()
        sent = tenant.count()
        with pytest.raises(toggl.QuotaExceededError) as second:
            c.tags()
        assert tenant.count() == sent          # failed locally, nothing sent
        assert second.value.retry_after is not None and second.value.retry_after >= 1
        assert second.value.http_status is None


def test_quota_fail_fast_has_no_http_status(tenant):
    # include/toggl.h: refused locally, "HTTP status 0" (no response) -> None
    tenant.config(quota_limit=1)
    with tenant.client(quota_fail_fast=True) as c:
        c.logged()                              # leaves 0 remaining: fail fast from now on
        sent = tenant.count()
        with pytest.raises(toggl.QuotaExceededError) as info:
            c.tags()
        assert tenant.count() == sent
        assert info.value.http_status is None


def test_rate_limited(tenant):
    tenant.faults({"status": 429, "body_kind": "html", "message": "429 Too Many Requests",
                   "times": -1})
    with tenant.client(max_retries=0) as c:
        with pytest.raises(toggl.RateLimitError) as info:
            c.me()
    assert info.value.http_status == 429
    assert tenant.count() == 1


def test_rate_limited_long_retry_after_is_not_slept_through(tenant):
    tenant.faults({"status": 429, "body_kind": "html", "message": "429 Too Many Requests",
                   "headers": {"Retry-After": "120"}, "times": -1})
    with tenant.client(max_retries=2) as c:
        start = time.monotonic()
        with pytest.raises(toggl.RateLimitError) as info:
            c.tags()
        assert time.monotonic() - start < 5
    assert info.value.retry_after == 120
    assert info.value.http_status == 429
    assert tenant.count() == 1


def test_rate_limited_by_the_bucket(tenant):
    tenant.config(rate_limit_per_s=0.01)
    with tenant.client(max_retries=0) as c:
        c.logged()
        with pytest.raises(toggl.RateLimitError):
            c.logged()


def test_retries_hide_transient_errors(tenant):
    tenant.faults({"status": 500, "message": "oops", "times": 1},
                  {"status": 429, "body_kind": "html", "message": "slow down", "times": 1,
                   "headers": {"Retry-After": "0"}})
    with tenant.client(max_retries=2) as c:
        assert c.me()["fullname"] == "Sandbox User"
    assert tenant.count() == 3


def test_server_error(tenant):
    tenant.faults({"status": 500, "message": "Internal Server Error", "times": -1})
    with tenant.client(max_retries=0) as c:
        with pytest.raises(toggl.ServerError) as info:
            c.features()
    assert info.value.http_status == 500
    assert tenant.count() == 1


def test_server_error_after_retries(tenant):
    tenant.faults({"status": 503, "body_kind": "plain", "message": "down", "times": -1,
                   "headers": {"Retry-After": "0"}})
    with tenant.client(max_retries=1) as c:
        with pytest.raises(toggl.ServerError) as info:
            c.features()
    assert info.value.http_status == 503
    assert tenant.count() == 2


def test_decode_error(client, tenant):
    tenant.faults({"action": "malformed", "path": "/me"})
    with pytest.raises(toggl.DecodeError):
        client.me()


def test_decode_error_wrong_shape(client, tenant):
    tenant.faults({"action": "malformed", "body": '{"not": "an array"}', "path": "/me/tags"})
    with pytest.raises(toggl.DecodeError):
        client.tags()


def test_response_too_large(tenant):
    tenant.faults({"action": "oversize", "size_bytes": 2 * 1024 * 1024})
    with tenant.client(max_response_bytes=1024 * 1024) as c:
        with pytest.raises(toggl.ResponseTooLargeError):
            c.tags()


def test_response_too_large_without_length(tenant):
    tenant.faults({"action": "oversize", "size_bytes": 300_000, "no_length": True})
    with tenant.client(max_response_bytes=100_000) as c:
        with pytest.raises(toggl.ResponseTooLargeError):
            c.tags()


def test_timeout(tenant):
    tenant.faults({"action": "stall", "stall_ms": 5000})
    with tenant.client(timeout=0.5, max_retries=0) as c:
        start = time.monotonic()
        with pytest.raises(toggl.RequestTimeoutError) as info:
            c.me()
        assert time.monotonic() - start < 4
    assert info.value.http_status is None


def test_low_speed_limit(tenant):
    tenant.faults({"action": "trickle", "interval_ms": 1000, "path": "/me/tags"})
    with tenant.client(low_speed_limit=(1000, 1), max_retries=0) as c:
        start = time.monotonic()
        with pytest.raises(toggl.RequestTimeoutError):
            c.tags()
        assert time.monotonic() - start < 10


def test_network_error_reset(tenant):
    tenant.faults({"action": "reset", "times": -1})
    with tenant.client(max_retries=0) as c:
        with pytest.raises(toggl.NetworkError) as info:
            c.me()
    assert info.value.http_status is None
    assert info.value.code == -2


def test_network_error_connection_refused():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()                                  # nothing listens there now
    with toggl.Client("x", base_url=f"http://127.0.0.1:{port}/api/v9", max_retries=0) as c:
        with pytest.raises(toggl.NetworkError):
            c.logged()


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
