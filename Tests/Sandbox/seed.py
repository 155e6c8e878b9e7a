"""Deterministic seed data for the sandbox, shaped like the recorded samples.

Everything here is computed once at import from integer hashing (no `random`,
whose algorithms may change between Python versions), so every tenant, every
run and every machine sees byte-identical data. Only the user record is
mutable (PUT /me); tenants get their own copy of it via `new_user()`. The
collections are shared and never mutated, which is why they can be
pre-encoded once; a tenant's changes to them are overlays (history.py).
"""

import hashlib
import json
from datetime import datetime, timezone

API_TOKEN = "sandbox-api-token-0123456789abcdef"
EMAIL = "sandbox@example.com"
PASSWORD = "sandbox-password"
TAKEN_EMAIL = "taken@example.com"
USER_ID = 2166261
ORG_ID = 2108099
WORKSPACE_IDS = (2230580, 43644207, 9011052)
DEFAULT_WORKSPACE_ID = WORKSPACE_IDS[0]

N_CLIENTS = 25
N_PROJECTS = 1250
N_TAGS = 40
N_TASKS = 600

# The real API validates against the whole IANA database; a fixed list keeps
# the sandbox deterministic and dependency-free.
TIMEZONES = (
    "UTC", "Europe/Berlin", "Europe/London", "Europe/Tallinn", "Europe/Paris",
    "Europe/Madrid", "Europe/Helsinki", "Europe/Kyiv", "America/New_York",
    "America/Chicago", "America/Denver", "America/Los_Angeles",
    "America/Sao_Paulo", "America/Toronto", "Asia/Tokyo", "Asia/Kolkata",
    "Asia/Singapore", "Asia/Shanghai", "Australia/Sydney", "Africa/Nairobi",
    "Pacific/Auckland",
)

COLORS = ("#0b83d9", "#9e5bd9", "#d94182", "#e36a00", "#bf7000", "#2da608",
          "#06a893", "#c9806b", "#465bb3", "#990099", "#c7af14", "#566614",
          "#d92b2b", "#525266")

_MASK = (1 << 64) - 1
_T0 = 1503917258          # 2017-08-28T10:47:38Z, the oldest project in the samples
_T_END = 1734264000       # 2024-12-15T12:00:00Z, "now" for the seeded world
_T_DELETED = 1732924800   # 2024-11-30T00:00:00Z: deletions happen after this


def _h(*parts):
    """splitmix64 over the parts: a stable stand-in for a seeded RNG."""
    x = 0x9E3779B97F4A7C15
    for p in parts:
        x = ((x ^ (p & _MASK)) * 0xBF58476D1CE4E5B9) & _MASK
        x ^= x >> 31
        x = (x * 0x94D049BB133111EB) & _MASK
        x ^= x >> 29
    return x


def _between(lo, hi, *key):
    return lo + _h(*key) % max(1, hi - lo)


def ts(seconds, style="offset", micros=0):
    """Format a UTC instant the ways the real API does.

    style "offset" -> 2024-03-17T10:58:40+00:00 (projects, clients, tasks)
    style 0..6     -> ...Z with that many fractional digits (users, tags)
    """
    base = datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    if style == "offset":
        return base + "+00:00"
    frac = f"{micros:06d}"[:style]
    return base + ("." + frac if frac else "") + "Z"


def date(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d")


def encode(obj):
    """Compact UTF-8 JSON, like the real (Go) API."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Item:
    """A seeded record plus what the filters need, kept out of the JSON."""
    __slots__ = ("id", "at", "deleted", "active", "data", "json")

    def __init__(self, data, at, deleted=False, active=True):
        self.id = data["id"]
        self.at = at
        self.deleted = deleted
        self.active = active
        self.data = data
        self.json = encode(data)


def _style(*key):
    # Mostly the real API's 6 digits, but every length 0..6 occurs.
    r = _h(*key) % 14
    return r if r < 7 else 6


# --- user --------------------------------------------------------------------

def new_user():
    """A fresh, mutable user record (the password lives here too)."""
    return {
        "id": USER_ID,
        "api_token": API_TOKEN,
        "email": EMAIL,
        "fullname": "Sandbox User",
        "timezone": "Europe/Berlin",
        "toggl_accounts_id": "SandboxAccountsId00001",
        "default_workspace_id": DEFAULT_WORKSPACE_ID,
        "beginning_of_week": 1,
        "image_url": "https://secure.gravatar.com/avatar/"
                     + hashlib.md5(EMAIL.encode()).hexdigest() + "?d=404&s=200",
        "created_at": "2016-03-20T20:40:08.017845Z",
        "updated_at": "2024-11-26T17:13:54.850204Z",
        "openid_email": None,
        "openid_enabled": True,
        "country_id": None,
        "has_password": True,
        "at": "2024-12-11T17:43:57.206072Z",
        "intercom_hash": hashlib.sha256(EMAIL.encode()).hexdigest(),
        "oauth_providers": ["google"],
        "authorization_updated_at": "2024-07-02T14:55:08.008327Z",
        # Not part of GET /me; PUT /me answers with it (samples/me_put.json).
        "toggl_accounts_updated_at": "2024-05-16T12:01:24.447981Z",
        "password": PASSWORD,
    }


ME_KEYS = ("id", "api_token", "email", "fullname", "timezone", "toggl_accounts_id",
           "default_workspace_id", "beginning_of_week", "image_url", "created_at",
           "updated_at", "openid_email", "openid_enabled", "country_id",
           "has_password", "at", "intercom_hash", "oauth_providers")
PUT_KEYS = ("api_token", "at", "beginning_of_week", "country_id", "created_at",
            "default_workspace_id", "email", "fullname", "has_password", "id",
            "image_url", "openid_email", "openid_enabled", "timezone",
            "toggl_accounts_id", "toggl_accounts_updated_at", "updated_at")


# --- organization, workspaces, features, location ------------------------------

ORGANIZATIONS = [{
    "id": ORG_ID,
    "name": "Sandbox Organization",
    "pricing_plan_id": 0,
    "created_at": "2020-07-01T07:42:35.365613Z",
    "at": "2020-07-01T07:42:35.365613Z",
    "server_deleted_at": None,
    "is_multi_workspace_enabled": True,
    "suspended_at": None,
    "user_count": 1,
    "trial_info": {
        "trial": False,
        "trial_available": True,
        "trial_end_date": None,
        "next_payment_date": None,
        "last_pricing_plan_id": None,
        "can_have_trial": True,
        "trial_plan_id": None,
    },
    "is_unified": False,
    "max_workspaces": 20,
    "max_data_retention_days": None,
    "permissions": None,
    "admin": True,
    "owner": True,
    "pricing_plan_name": "Free",
    "pricing_plan_enterprise": False,
}]

_SUBSCRIPTION = {
    "auto_renew": True,
    "card_details": {
        "added_at": "2023-01-05T09:00:00Z", "card_number": "************4242",
        "card_type": "visa", "creator_id": USER_ID, "creator_name": "Sandbox User",
        "expiry_date": "2027-01", "holder_name": "Sandbox User",
    },
    "company_id": 7001,
    "contact_detail": {
        "company_address": "Example street 1", "company_city": "Tallinn",
        "company_name": "Sandbox OÜ", "contact_detail_id": 8001,
        "contact_email": EMAIL, "contact_person": "Sandbox User", "country_id": 70,
        "country_subdivision_id": None, "created_at": "2023-01-05T09:00:00Z",
        "customer_id": 9001, "is_eu_resident": True,
        "updated_at": "2024-02-01T10:00:00Z", "user_id": USER_ID,
        "vat_number": None, "vat_number_valid": False,
        "vat_number_validated_at": None, "zip_code": "10111",
    },
    "created_at": "2023-01-05T09:00:00Z",
    "currency": "EUR",
    "customer_id": 9001,
    "deleted_at": None,
    "last_pricing_plan_id": None,
    "organization_id": ORG_ID,
    "payment_details": {
        "created_at": "2023-01-05T09:00:00Z", "currency": "EUR", "customer_id": 9001,
        "payment_type": "card", "reference": "SANDBOX-REF-1", "user_id": USER_ID,
    },
    "pricing_plan_id": 13,
    "renewal_at": "2025-01-05T09:00:00Z",
    "subscription_id": 6001,
    "subscription_period": {
        "created_at": "2024-01-05T09:00:00Z", "finished_on": None,
        "started_on": "2024-01-05", "subscription_id": 6001,
        "subscription_period_id": 6101, "trial": False, "user_count": 1,
    },
    "workspace_id": WORKSPACE_IDS[1],
}


def _workspace(i, wid):
    name = ("Sandbox Workspace", "Sandbox Team", "Sandbox Archive")[i]
    return {
        "id": wid,
        "organization_id": ORG_ID,
        "name": name,
        "premium": i == 1,
        "business_ws": False,
        "admin": True,
        "role": "admin",
        "suspended_at": None,
        "server_deleted_at": None,
        "default_hourly_rate": (None, 75.5, 0)[i],
        "rate_last_updated": (None, "2024-02-01T10:00:00.123456Z", None)[i],
        "default_currency": ("USD", "EUR", "USD")[i],
        "only_admins_may_create_projects": i == 1,
        "only_admins_may_create_tags": False,
        "only_admins_see_billable_rates": i == 1,
        "only_admins_see_team_dashboard": False,
        "projects_billable_by_default": i != 2,
        "projects_private_by_default": True,
        "projects_enforce_billable": False,
        "limit_public_project_data": False,
        "last_modified": ("2024-12-15T00:00:00Z", "2024-12-14T08:30:00Z", "2023-05-02T11:00:00Z")[i],
        "reports_collapse": True,
        "rounding": (0, 1, -1)[i],
        "rounding_minutes": (0, 15, 0)[i],
        "api_token": hashlib.md5(f"workspace-{wid}".encode()).hexdigest(),
        "at": ("2024-12-15T00:08:00+00:00", "2024-12-14T08:30:00+00:00", "2023-05-02T11:00:00+00:00")[i],
        "logo_url": "https://assets.track.toggl.com/images/workspace.jpg",
        "ical_url": "/ical/workspace_user/" + hashlib.md5(f"ical-{wid}".encode()).hexdigest(),
        "ical_enabled": i != 2,
        "csv_upload": {"at": "2024-06-01T12:00:00Z", "log_id": 501} if i == 1 else None,
        "subscription": _SUBSCRIPTION if i == 1 else None,
        "hide_start_end_times": False,
        "working_hours_in_minutes": (None, 480, None)[i],
        "max_data_retention_days": (None, None, 90)[i],
        "permissions": None,
        "te_constraints": {
            "description_present": i == 1,
            "project_present": i == 1,
            "tag_present": False,
            "task_present": False,
            "time_entry_constraints_enabled": i == 1,
        },
    }


WORKSPACES = [_workspace(i, wid) for i, wid in enumerate(WORKSPACE_IDS)]

_FEATURE_NAMES = ((0, "free"), (13, "pro"), (15, "business"),
                  (55, "tracking_reminders"), (64, "tasks"), (65, "project_dashboard"))
FEATURES = [
    {"features": [{"enabled": fid == 0 or (i == 1 and fid in (13, 64, 65)),
                   "feature_id": fid, "name": name} for fid, name in _FEATURE_NAMES],
     "workspace_id": wid}
    for i, wid in enumerate(WORKSPACE_IDS)
]

LOCATION = {
    "city": "Tallinn",
    "city_lat_long": "59.4370,24.7536",
    "country_code": "EE",
    "country_name": "Estonia",
    "state": "Harjumaa",
}


# --- clients -----------------------------------------------------------------

def _clients():
    items = []
    n_deleted = 3
    for k in range(N_CLIENTS + n_deleted):
        deleted = k % 9 == 4                     # k = 4, 13, 22: interleaved ids
        wid = WORKSPACE_IDS[0] if k < 16 else WORKSPACE_IDS[1] if k < 24 else WORKSPACE_IDS[2]
        at = _between(_T_DELETED, _T_END, 1, k) if deleted else _between(_T0, _T_END, 2, k)
        data = {
            "id": 64890399 + 3 * k + _h(3, k) % 3,
            "wid": wid,
            "archived": _h(4, k) % 6 == 0,
            "name": f"Client {k + 1}" if k % 11 != 7 else f"Client {k + 1} – Ünïcødé ✓",
            "at": ts(at),
            "creator_id": USER_ID,
            "integration_ext_id": f"CRM-{k}" if k % 10 == 3 else None,
            "integration_ext_type": "account" if k % 10 == 3 else None,
            "integration_provider": "salesforce" if k % 10 == 3 else None,
            "notes": f"Notes for client {k + 1}" if k % 4 == 1 else None,
            "permissions": None,
        }
        if deleted:
            # Live clients in the samples have no such key; deleted ones need it.
            data["server_deleted_at"] = ts(at)
        items.append(Item(data, at, deleted))
    return items


CLIENTS = _clients()
_LIVE_CLIENTS = [c for c in CLIENTS if not c.deleted]
_CLIENTS_BY_WS = {wid: [c for c in _LIVE_CLIENTS if c.data["wid"] == wid] for wid in WORKSPACE_IDS}
CLIENT_NAMES = {c.id: c.data["name"] for c in CLIENTS}


# --- projects ----------------------------------------------------------------

def _project_name(i):
    if i % 97 == 5:
        return f"Projekt {i} – Ünïcødé ✓"
    if i % 113 == 7:
        return f"日本語プロジェクト {i}"
    if i % 131 == 9:
        return f"🚀 Launch {i}"
    if i % 149 == 11:
        return f'Say "hi" \\ {i}'
    return f"Project {i + 1:04d}"


def _project_id(i):
    return 200000000 + 7 * i + _h(25, i) % 6


def _projects():
    items = []
    total = N_PROJECTS + 13
    for i in range(total):
        deleted = i % 100 == 37                  # 13 of them, ids interleaved
        r = _h(10, i) % 10
        wid = WORKSPACE_IDS[0] if r < 6 else WORKSPACE_IDS[1] if r < 9 else WORKSPACE_IDS[2]
        ws_clients = _CLIENTS_BY_WS[wid]
        cid = ws_clients[_h(11, i) % len(ws_clients)].id if _h(12, i) % 5 < 3 else None
        archived = not deleted and _h(13, i) % 9 == 0
        recurring = _h(14, i) % 13 == 0
        created = _between(_T0, _T_END - 86400 * 30, 15, i)
        at = _between(_T_DELETED, _T_END, 16, i) if deleted else _between(created, _T_END, 16, i)
        at_style = "offset" if _h(17, i) % 3 else _style(18, i)
        start = created - created % 86400
        billable = (None, False, True)[_h(19, i) % 3]
        has_rate = _h(20, i) % 4 == 0
        est = _h(21, i) % 7 == 0
        ended = not archived and not deleted and _h(22, i) % 17 == 0
        actual_s = _h(23, i) % 9_000_000 if _h(24, i) % 5 else None
        data = {
            "id": _project_id(i),
            "workspace_id": wid,
            "client_id": cid,
            "name": _project_name(i),
            "is_private": _h(26, i) % 3 != 0,
            "active": not archived,
            "at": ts(at, at_style, _h(27, i) % 1_000_000),
            "created_at": ts(created),
            "server_deleted_at": ts(at) if deleted else None,
            "color": COLORS[_h(28, i) % len(COLORS)],
            "billable": billable,
            "template": (None, False, False, True)[_h(29, i) % 4] if i % 50 else True,
            "auto_estimates": (None, False)[_h(30, i) % 2],
            "estimated_hours": (_h(31, i) % 400 + 1) if est else None,
            "estimated_seconds": None,
            "rate": round((_h(32, i) % 20000) / 100, 2) if has_rate else None,
            "rate_last_updated": ts(at, 6, _h(33, i) % 1_000_000) if has_rate else None,
            "currency": ("EUR", "USD")[_h(34, i) % 2] if has_rate else None,
            "recurring": recurring,
            "template_id": _project_id(i - i % 50) if i % 50 and _h(35, i) % 8 == 0 else None,
            "recurring_parameters": [{
                "custom_period": 14 if _h(36, i) % 2 else None,
                "estimated_seconds": 36000,
                "parameter_end_date": None if _h(37, i) % 2 else "2025-06-30",
                "parameter_start_date": date(start),
                "period": "custom" if _h(36, i) % 2 else "monthly",
                "project_start_date": date(start),
            }] if recurring else None,
            "current_period": {"start_date": "2024-12-01", "end_date": "2024-12-31"} if recurring else None,
            "fixed_fee": round((_h(38, i) % 500000) / 100, 2) if _h(39, i) % 11 == 0 else None,
            "actual_hours": actual_s // 3600 if actual_s is not None else None,
            "actual_seconds": actual_s,
            "tasks_count": None,                 # filled in once tasks exist
            "can_track_time": not archived,
            "start_date": date(start),
            "end_date": date(at) if ended else None,
            "status": "deleted" if deleted else "archived" if archived else "ended" if ended else "active",
            "wid": wid,
            "cid": cid,
            "is_shared": _h(40, i) % 10 == 0,
            "pinned": _h(41, i) % 25 == 0,
            "canSeeRates": True,
            "integration_ext_id": f"PRJ-{i}" if i % 60 == 1 else None,
            "integration_ext_type": "project" if i % 60 == 1 else None,
            "integration_provider": "jira" if i % 60 == 1 else None,
            "permissions": None,
            "shared_at": None,
            "shared_hash": None,
        }
        if est:
            data["estimated_seconds"] = data["estimated_hours"] * 3600
        items.append((data, at, deleted, not archived))
    return items


_PROJECT_ROWS = _projects()


# --- tags ----------------------------------------------------------------------

def _tags():
    items = []
    for k in range(N_TAGS + 4):
        deleted = k % 11 == 6                    # k = 6, 17, 28, 39
        wid = WORKSPACE_IDS[0] if k % 4 else WORKSPACE_IDS[1]
        at = _between(_T_DELETED, _T_END, 50, k) if deleted else _between(_T0, _T_END, 51, k)
        data = {
            "id": 13155424 + 1009 * k + _h(52, k) % 1000,
            "workspace_id": wid,
            "name": f"tag-{k + 1}" if k % 13 != 2 else f"étiquette-{k + 1}",
            "at": ts(at, _style(53, k), _h(54, k) % 1_000_000),
            "creator_id": USER_ID,
            "deleted_at": ts(at, 6, _h(55, k) % 1_000_000) if deleted else None,
            "integration_ext_id": None,
            "integration_ext_type": None,
            "integration_provider": None,
            "permissions": None,
        }
        items.append(Item(data, at, deleted))
    return items


TAGS = _tags()


# --- tasks ---------------------------------------------------------------------

def _tasks(project_rows):
    live = [row for row in project_rows if not row[2]]
    counts = {}
    items = []
    for t in range(N_TASKS):
        pdata = live[_h(60, t) % len(live)][0]
        counts[pdata["id"]] = counts.get(pdata["id"], 0) + 1
        active = _h(61, t) % 5 != 0
        assigned = _h(62, t) % 3 == 0
        has_rate = _h(63, t) % 6 == 0
        at = _between(_T0, _T_END, 64, t)
        data = {
            "id": 3545645770 + 3 * t + _h(65, t) % 3,
            "name": f"Task {t + 1}" if t % 37 != 3 else f"Tâche {t + 1} ✓",
            "workspace_id": pdata["workspace_id"],
            "project_id": pdata["id"],
            "user_id": USER_ID if assigned else None,
            "toggl_accounts_id": "SandboxAccountsId00001" if assigned else None,
            "recurring": False,
            "active": active,
            "at": ts(at),
            "estimated_seconds": (_h(66, t) % 40 + 1) * 1800 if _h(67, t) % 3 == 0 else None,
            # Milliseconds, not seconds (see the reference).
            "tracked_seconds": _h(68, t) % 50_000_000 if _h(69, t) % 4 else 0,
            "rate": round((_h(70, t) % 15000) / 100, 2) if has_rate else None,
            "rate_last_updated": ts(at) if has_rate else None,
            "permissions": None,
            "integration_provider": "github" if t % 75 == 10 else None,
            "integration_ext_id": f"issue-{t}" if t % 75 == 10 else None,
            "integration_ext_type": "issue" if t % 75 == 10 else None,
            "external_reference": None,
        }
        meta = {
            "project_name": pdata["name"],
            "project_color": pdata["color"],
            "project_billable": pdata["billable"],
            "project_is_private": pdata["is_private"],
            "client_id": pdata["client_id"],
            "client_name": CLIENT_NAMES.get(pdata["client_id"]),
        }
        items.append((Item(data, at, False, active), dict(data, **meta)))
    return items, counts


_TASK_ROWS, _TASK_COUNTS = _tasks(_PROJECT_ROWS)
TASKS = [row[0] for row in _TASK_ROWS]
# meta=true fields except user_name/avatar_url, which follow the (mutable) user.
TASK_META = {row[0].id: row[1] for row in _TASK_ROWS}

for _data, _at, _deleted, _active in _PROJECT_ROWS:
    _data["tasks_count"] = _TASK_COUNTS.get(_data["id"])
PROJECTS = [Item(d, at, deleted, active) for d, at, deleted, active in _PROJECT_ROWS]
PROJECT_IDS = [p.id for p in PROJECTS]   # ascending, for bisect in pagination


# --- time entries (only in /me?with_related_data=true) --------------------------

def _time_entries():
    entries = []
    live_projects = [p.data for p in PROJECTS if not p.deleted and p.active
                     and p.data["workspace_id"] == WORKSPACE_IDS[0]]
    live_tags = [t.data for t in TAGS if not t.deleted and t.data["workspace_id"] == WORKSPACE_IDS[0]]
    start = _T_END - 3 * 86400
    for e in range(60):
        running = e == 0
        start -= _between(600, 14400, 80, e)
        duration = _between(60, 7200, 81, e)
        project = live_projects[_h(82, e) % len(live_projects)] if _h(83, e) % 3 else None
        tags = [live_tags[_h(84, e) % len(live_tags)]] if _h(85, e) % 4 == 0 else []
        entry = {
            "id": 3730144200 - 467 * e,
            "workspace_id": WORKSPACE_IDS[0],
            "project_id": project["id"] if project else None,
            "task_id": None,
            "billable": bool(project and project["billable"]),
            "start": ts(start),
            # A running entry has no stop and a negative duration.
            "stop": None if running else ts(start + duration),
            "duration": -start if running else duration,
            "description": f"Entry {e + 1}" if _h(86, e) % 4 else None,
            "tags": [t["name"] for t in tags],
            "tag_ids": [t["id"] for t in tags],
            "duronly": True,
            "at": ts(start + (0 if running else duration), 6, _h(87, e) % 1_000_000),
            "server_deleted_at": None,
            "user_id": USER_ID,
            "uid": USER_ID,
            "wid": WORKSPACE_IDS[0],
        }
        if project:
            # Like the recording: "pid" is only present when there is a project.
            entry["pid"] = project["id"]
        entries.append(entry)
    return entries


TIME_ENTRIES = _time_entries()
# As Items (ids descending, like the recording), for the changes (history.py): `at` in seconds.
TIME_ENTRY_ITEMS = [Item(e, int(datetime.fromisoformat(e["at"].replace("Z", "+00:00")).timestamp()))
                    for e in TIME_ENTRIES]


def related_data():
    """Lists added by /me?with_related_data=true, in the recording's key order."""
    return {
        "tags": [t.data for t in TAGS if not t.deleted],
        "clients": [c.data for c in CLIENTS if not c.deleted],
        "time_entries": TIME_ENTRIES,
        "projects": [p.data for p in PROJECTS if not p.deleted],
        "workspaces": WORKSPACES,
    }


RELATED = related_data()
