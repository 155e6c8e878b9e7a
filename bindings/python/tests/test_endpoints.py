"""Every Client method and parameter against the sandbox, down to the query string sent."""

from __future__ import annotations

import inspect
import json
import re
import sys
from datetime import datetime, timedelta, timezone
from typing import Any, List

import pytest

import toggl
from conftest import EMAIL, FULLNAME, PASSWORD, REPO, TOKEN, basic, only

sys.path.insert(0, str(REPO / "Tests" / "Sandbox"))
import seed  # noqa: E402  (the sandbox's own data, read-only, for exact expectations)

SINCE = 1733000000          # after the seeded deletions began: returns some deleted items
SINCE_DT = datetime(2024, 11, 30, 20, 53, 20, tzinfo=timezone.utc)   # == SINCE
assert int(SINCE_DT.timestamp()) == SINCE


def visible(items: List[Any], since: Any = None) -> List[Any]:
    return [i for i in items if (i.at >= since if since else not i.deleted)]


LIVE_IDS = [p.id for p in seed.PROJECTS if not p.deleted]


def ids(items: List[Any]) -> List[int]:
    return [i["id"] for i in items]


# --- /me ----------------------------------------------------------------------------------

def test_me(client, tenant):
    me = client.me()
    assert me["fullname"] == FULLNAME
    assert me["id"] == seed.USER_ID
    assert "projects" not in me
    r = only(tenant.requests())
    assert (r["method"], r["path"], r["query"]) == ("GET", "/me", "")
    assert r["headers"]["authorization"] == basic(TOKEN, "api_token")


def test_me_with_related_data(client, tenant):
    me = client.me(with_related_data=True)
    assert me["fullname"] == FULLNAME
    assert len(me["projects"]) == len(seed.RELATED["projects"])
    assert ids(me["workspaces"]) == list(seed.WORKSPACE_IDS)
    assert only(tenant.requests())["query"] == "with_related_data=true"
    client.me(with_related_data=False)
    assert tenant.last()["query"] == ""


def test_basic_auth(tenant):
    with tenant.client(email=EMAIL, password=PASSWORD) as c:
        assert c.me()["email"] == EMAIL
    assert only(tenant.requests())["headers"]["authorization"] == basic(EMAIL, PASSWORD)


def test_update_me_round_trip(client, tenant):
    updated = client.update_me(fullname="Renée Ümlaut", timezone="UTC", beginning_of_week=0,
                               country_id=70, default_workspace_id=seed.WORKSPACE_IDS[1])
    assert updated["fullname"] == "Renée Ümlaut"
    assert updated["timezone"] == "UTC"
    assert updated["beginning_of_week"] == 0
    assert updated["country_id"] == 70
    assert updated["default_workspace_id"] == seed.WORKSPACE_IDS[1]
    put = only(tenant.requests())
    assert (put["method"], put["path"], put["query"]) == ("PUT", "/me", "")
    assert json.loads(put["body"]) == {
        "fullname": "Renée Ümlaut", "timezone": "UTC", "beginning_of_week": 0,
        "country_id": 70, "default_workspace_id": seed.WORKSPACE_IDS[1]}
    me = client.me()
    assert me["fullname"] == "Renée Ümlaut"
    assert me["timezone"] == "UTC"


def test_update_me_email_and_password(client, tenant):
    client.update_me(email="new@example.com", password="brand-new-secret",
                     current_password=PASSWORD)
    with tenant.client(email="new@example.com", password="brand-new-secret") as c:
        assert c.me()["email"] == "new@example.com"
    with tenant.client(email=EMAIL, password=PASSWORD) as c:
        with pytest.raises(toggl.AuthenticationError):
            c.me()


def test_update_me_rejects_unknown_fields(client, tenant):
    with pytest.raises(TypeError, match="nickname"):
        client.update_me(fullname="x", nickname="y")        # type: ignore[call-arg]
    assert tenant.count() == 0


def test_update_me_needs_a_field(client, tenant):
    for call in (lambda: client.update_me(),
                 lambda: client.update_me(fullname=None, timezone=None)):
        with pytest.raises(toggl.InvalidArgumentError, match="at least one field"):
            call()
    assert tenant.count() == 0


def test_update_me_none_is_not_sent(client, tenant):
    client.update_me(fullname="Only Me", timezone=None, country_id=None)
    assert json.loads(only(tenant.requests())["body"]) == {"fullname": "Only Me"}


@pytest.mark.parametrize("kwargs", [
    {"fullname": 5}, {"timezone": b"UTC"}, {"email": ["a@example.com"]},
    {"beginning_of_week": "1"}, {"country_id": 7.0}, {"default_workspace_id": True},
])
def test_update_me_wrong_types(client, tenant, kwargs):
    with pytest.raises(TypeError, match=next(iter(kwargs))):
        client.update_me(**kwargs)
    assert tenant.count() == 0


def test_update_me_parameters_match_the_swift_field_list():
    # One home for the PUT /me fields: Sources/TogglKit/Client/MeUpdate.swift. Every JSON key
    # it writes is a snake_case string literal there; update_me must take exactly those.
    swift = (REPO / "Sources" / "TogglKit" / "Client" / "MeUpdate.swift").read_text()
    keys = set(re.findall(r'"([a-z]+(?:_[a-z]+)+|[a-z]+)"', swift))
    params = inspect.signature(toggl.Client.update_me).parameters
    keyword_only = {n for n, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    assert keyword_only == keys
    assert all(params[n].default is None for n in keyword_only)


def test_update_me_server_validation(client):
    with pytest.raises(toggl.RequestError) as info:
        client.update_me(timezone="Mars/Olympus_Mons")
    assert info.value.message == "Invalid timezone"
    assert info.value.http_status == 400


def test_logged(client, tenant):
    assert client.logged() is None
    r = only(tenant.requests())
    assert (r["method"], r["path"], r["query"]) == ("GET", "/me/logged", "")


# --- collections ----------------------------------------------------------------------------

def test_clients(client, tenant, manifest):
    assert ids(client.clients()) == ids(c.data for c in visible(seed.CLIENTS))
    assert len(client.clients()) == manifest["clients"]
    assert client.clients(since=SINCE) == [c.data for c in visible(seed.CLIENTS, SINCE)]
    assert tenant.queries() == ["", "", f"since={SINCE}"]


def test_tags(client, tenant, manifest):
    tags = client.tags()
    assert len(tags) == manifest["tags"]
    assert tags == [t.data for t in visible(seed.TAGS)]
    assert client.tags(since=SINCE_DT) == [t.data for t in visible(seed.TAGS, SINCE)]
    assert tenant.queries() == ["", f"since={SINCE}"]
    assert tenant.last()["path"] == "/me/tags"


def test_since_accepts_any_aware_datetime(client, tenant):
    plus_two = SINCE_DT.astimezone(timezone(timedelta(hours=2)))
    client.tags(since=plus_two)
    client.tags(since=SINCE_DT + timedelta(microseconds=999999))   # floored to the second
    assert tenant.queries() == [f"since={SINCE}", f"since={SINCE}"]


@pytest.mark.parametrize("since", [0, -5, None])
def test_since_zero_or_negative_is_left_out(client, tenant, manifest, since):
    assert len(client.clients(since=since)) == manifest["clients"]
    assert tenant.last()["query"] == ""


def test_features(client, tenant):
    assert client.features() == seed.FEATURES
    assert only(tenant.requests())["path"] == "/me/features"


def test_organizations(client, tenant, manifest):
    orgs = client.organizations()
    assert orgs == seed.ORGANIZATIONS
    assert len(orgs) == manifest["organizations"]
    assert only(tenant.requests())["path"] == "/me/organizations"


def test_quota(client, tenant):
    tenant.config(quota_limit=50)
    quota = client.quota()
    user = [q for q in quota if q["organization_id"] is None]
    assert len(user) == 1
    assert user[0]["total"] == 50
    assert user[0]["remaining"] == 49
    assert only(tenant.requests())["path"] == "/me/quota"


def test_location(client, tenant):
    assert client.location() == seed.LOCATION
    tenant.config(location_empty=True)
    assert client.location() is None
    assert [r["path"] for r in tenant.requests()] == ["/me/location"] * 2


# --- projects and tasks ----------------------------------------------------------------------

def test_projects(client, tenant, manifest):
    active = [p.data for p in visible(seed.PROJECTS) if p.active]
    assert client.projects() == active
    assert len(active) == manifest["projects_active"]
    everything = client.projects(include_archived=True)
    assert len(everything) == manifest["projects"]
    assert len(set(ids(everything))) == manifest["projects"]
    recent = client.projects(include_archived=True, since=SINCE)
    assert recent == [p.data for p in visible(seed.PROJECTS, SINCE)]
    assert any(p.deleted for p in visible(seed.PROJECTS, SINCE))
    client.projects(since=SINCE_DT)
    assert tenant.queries() == ["", "include_archived=true", f"include_archived=true&since={SINCE}",
                                f"since={SINCE}"]
    assert {r["path"] for r in tenant.requests()} == {"/me/projects"}


def test_projects_paginated(client, tenant, manifest):
    default = manifest["projects_per_page_default"]
    page, next_id = client.projects_paginated()
    assert len(page) == default
    assert ids(page) == LIVE_IDS[:default]
    assert next_id == page[-1]["id"] + 1

    page2, next2 = client.projects_paginated(start_project_id=next_id, per_page=50)
    assert ids(page2) == LIVE_IDS[default:default + 50]
    assert next2 == page2[-1]["id"] + 1

    last, none = client.projects_paginated(start_project_id=LIVE_IDS[-3], per_page=50)
    assert ids(last) == LIVE_IDS[-3:]
    assert none is None

    since_page, _ = client.projects_paginated(since=SINCE_DT, per_page=10)
    assert since_page == [p.data for p in visible(seed.PROJECTS, SINCE)][:10]

    client.projects_paginated(start_project_id=0, since=0, per_page=0)   # all left out
    assert tenant.queries() == [
        "",
        f"start_project_id={next_id}&per_page=50",
        f"start_project_id={LIVE_IDS[-3]}&per_page=50",
        f"since={SINCE}&per_page=10",
        "",
    ]
    assert {r["path"] for r in tenant.requests()} == {"/me/projects/paginated"}


def test_projects_paginated_walk(client, manifest):
    seen: List[int] = []
    start = None
    while True:
        page, start = client.projects_paginated(start_project_id=start, per_page=300)
        seen.extend(ids(page))
        if start is None:
            break
    assert seen == [p.id for p in visible(seed.PROJECTS)]
    assert len(seen) == manifest["projects"]


def test_tasks(client, tenant, manifest):
    active = [t.data for t in seed.TASKS if t.active]
    assert client.tasks() == active
    assert len(active) == manifest["tasks_active"]
    everything = client.tasks(include_not_active=True)
    assert len(everything) == manifest["tasks"]
    window = client.tasks(include_not_active=True, offset=10, per_page=20)
    assert window == everything[10:30]
    with_meta = client.tasks(meta=True, per_page=5)
    assert ids(with_meta) == ids(active[:5])
    assert all("project_name" in t for t in with_meta)
    recent = client.tasks(meta=True, since=SINCE, include_not_active=True, offset=1, per_page=3)
    assert ids(recent) == ids([t.data for t in visible(seed.TASKS, SINCE)][1:4])
    assert tenant.queries() == [
        "",
        "include_not_active=true",
        "include_not_active=true&offset=10&per_page=20",
        "meta=true&per_page=5",
        f"meta=true&since={SINCE}&include_not_active=true&offset=1&per_page=3",
    ]
    assert {r["path"] for r in tenant.requests()} == {"/me/tasks"}


def test_tasks_offset_zero_or_negative_is_left_out(client, tenant):
    # include/toggl.h: "offset <= 0 leaves it out".
    client.tasks(offset=0, per_page=1)
    client.tasks(offset=-5, per_page=1)
    assert tenant.queries() == ["per_page=1", "per_page=1"]


# --- options ---------------------------------------------------------------------------------

def test_user_agent(tenant):
    with tenant.client(user_agent="toggl-python-tests/1.0 (ünïcode)") as c:
        c.logged()
    # http.server decodes header bytes as Latin-1; the library sent UTF-8
    sent = tenant.last()["headers"]["user-agent"].encode("latin-1").decode("utf-8")
    assert sent == "toggl-python-tests/1.0 (ünïcode)"


def test_default_user_agent(client, tenant):
    client.logged()
    assert tenant.last()["headers"]["user-agent"].startswith("libtoggl/")


def test_all_options_accepted(tenant, tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("")
    with tenant.client(timeout=5.5, connect_timeout=2, max_retries=0, user_agent="ua",
                       ca_file=ca, max_response_bytes=10 << 20, quota_fail_fast=False,
                       low_speed_limit=(1, 10)) as c:
        assert c.me()["fullname"] == FULLNAME
    with tenant.client(ca_file=str(ca), low_speed_limit=(0, 0)) as c:
        assert c.logged() is None


def test_base_url_trailing_slash(tenant):
    with tenant.client(base_url=tenant.base_url + "/") as c:
        assert c.me()["fullname"] == FULLNAME
    assert tenant.last()["path"] == "/me"


def test_last_quota(tenant):
    tenant.config(quota_limit=100)
    with tenant.client() as c:
        assert c.last_quota is None
        c.logged()
        quota = c.last_quota
        assert isinstance(quota, toggl.Quota) and isinstance(quota, tuple)
        assert quota.remaining == 99
        assert quota.resets_in is not None and 1 <= quota.resets_in <= 3600
        remaining, resets_in = quota                # still unpacks like the tuple it is
        assert (remaining, resets_in) == (quota.remaining, quota.resets_in)
        c.me()
        assert c.last_quota.remaining == 98
    assert tenant.count() == 2


def test_versions():
    assert toggl.__version__ == (REPO / "VERSION").read_text().strip()
    assert toggl.library_version() == toggl.__version__
    assert toggl.library_path
