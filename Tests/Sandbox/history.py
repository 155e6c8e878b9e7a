"""Per-tenant changes to the seeded collections (POST __sandbox/changes), and the views
every list route, /me?with_related_data=true and the manifest read through.

A tenant that never changed anything reads SEED: the shared seed lists with their
pre-encoded items, so it costs no memory and keeps the benchmarks' fast paths. Its first
change gives it its own View: per collection an overlay (id -> Item, replacing a seed item
or adding one), merged in id order when first read. A published View is never changed
(only its memos fill in), so routes read it without the tenant lock, and one request sees
one state throughout; a batch of changes builds a new View on copies and swaps it in
whole, or not at all.
"""

import seed
from seed import Item, date, encode, ts

KINDS = ("clients", "projects", "tags", "tasks", "time_entries")
OPS = ("add", "edit", "archive", "unarchive", "delete")
# One batch may add this many items per op; a benchmark adds ~5,000 projects.
MAX_COUNT = 100_000
_OP_KEYS = {"op", "collection", "id", "fields", "count"}


class ChangeError(Exception):
    """400: the message says what is wrong; nothing of the batch was applied."""


def _offset_stamp(now):
    return ts(int(now))


def _micro_stamp(now):
    # Tags use the user-style `…Z` with the real API's 6 fractional digits.
    return ts(int(now), 6, int((now - int(now)) * 1e6))


class _Kind:
    """What a collection's items look like and how each op changes them, after seed.py."""

    def __init__(self, name, noun, items, deleted_key, stamp, archive, unarchive,
                 on_delete=None, fresh=None, mirrors=None, label="name", add_only=False):
        self.name = name
        self.noun = noun                  # "Project": names of added items
        self.label = label                # the key that names an added item
        self.add_only = add_only          # time entries: add, nothing else
        self.seed = items
        self.by_id = {i.id: i for i in items}
        self.max_id = max(self.by_id)
        self.deleted_key = deleted_key
        self.stamp = stamp                # the `at` style of the collection
        self.archive = archive            # None: the collection cannot be archived
        self.unarchive = unarchive
        self.on_delete = on_delete or {}
        self.fresh = fresh or (lambda now: {})
        self.mirrors = mirrors or {}      # legacy twins the real API keeps equal (wid, cid)
        self.template = next(i.data for i in items if not i.deleted)
        self.fields = set(self.template) - {"id", "at", deleted_key}

    def item(self, data, now):
        """The Item for data as changed at `now`: the flags the filters read follow the JSON
        (only projects and tasks have an `active` filter; archived clients stay listed)."""
        active = data.get("active", True) if self.name in ("projects", "tasks") else True
        return Item(data, int(now), data.get(self.deleted_key) is not None, active)


def _fresh_project(now):
    # A new project is an active, empty one, whatever the template project was.
    return {"created_at": _offset_stamp(now), "start_date": date(int(now)), "end_date": None,
            "active": True, "status": "active", "can_track_time": True, "template": False,
            "tasks_count": None, "actual_hours": None, "actual_seconds": None}


def _fresh_time_entry(now):
    # A stopped hour ending at the tenant clock's now (only one entry may run: the seed's).
    end = int(now)
    return {"start": ts(end - 3600), "stop": ts(end), "duration": 3600}


KIND = {
    "clients": _Kind("clients", "Client", seed.CLIENTS, "server_deleted_at", _offset_stamp,
                     archive={"archived": True}, unarchive={"archived": False},
                     fresh=lambda now: {"archived": False}),
    "projects": _Kind("projects", "Project", seed.PROJECTS, "server_deleted_at", _offset_stamp,
                      archive={"active": False, "status": "archived", "can_track_time": False},
                      unarchive={"active": True, "status": "active", "can_track_time": True},
                      on_delete={"status": "deleted"}, fresh=_fresh_project,
                      mirrors={"workspace_id": "wid", "wid": "workspace_id",
                               "client_id": "cid", "cid": "client_id"}),
    "tags": _Kind("tags", "Tag", seed.TAGS, "deleted_at", _micro_stamp,
                  archive=None, unarchive=None),
    # Seeded tasks carry no deletion key; the API's task model documents server_deleted_at,
    # and like deleted clients, deleted tasks gain it.
    "tasks": _Kind("tasks", "Task", seed.TASKS, "server_deleted_at", _offset_stamp,
                   archive={"active": False}, unarchive={"active": True},
                   fresh=lambda now: {"active": True, "tracked_seconds": 0}),
    # Only in /me?with_related_data=true, and only added (to make that body big); `at` like
    # the seed's, `…Z` with 6 fractional digits.
    "time_entries": _Kind("time_entries", "Time entry", seed.TIME_ENTRY_ITEMS, "server_deleted_at",
                          _micro_stamp, archive=None, unarchive=None, fresh=_fresh_time_entry,
                          mirrors={"workspace_id": "wid", "wid": "workspace_id"},
                          label="description", add_only=True),
}


class _Overlay:
    """One collection's changes in one tenant: `changed` replaces seed items by id and
    holds the added ones, whose ids (`added`, ascending) all sort after the seed's."""
    __slots__ = ("changed", "added", "next_id", "n_added")

    def __init__(self, kind):
        self.changed = {}
        self.added = []
        self.next_id = kind.max_id + 1
        self.n_added = 0

    def copy(self):
        other = _Overlay.__new__(_Overlay)
        other.changed = dict(self.changed)
        other.added = list(self.added)
        other.next_id, other.n_added = self.next_id, self.n_added
        return other


class View:
    """One state of a tenant's collections, in id order, deleted items included."""

    def __init__(self, overlays):
        self.overlays = overlays          # kind -> _Overlay, only for changed kinds
        self.memo = {}

    def items(self, name):
        overlay = self.overlays.get(name)
        if overlay is None:
            return KIND[name].seed
        return self._memo(("items", name), lambda: (
            [overlay.changed.get(i.id, i) for i in KIND[name].seed]
            + [overlay.changed[i] for i in overlay.added]))

    def ids(self, name):
        if name == "projects" and name not in self.overlays:
            return seed.PROJECT_IDS
        return self._memo(("ids", name), lambda: [i.id for i in self.items(name)])

    def by_id(self, name):
        if name not in self.overlays:
            return KIND[name].by_id
        return self._memo(("by_id", name), lambda: {i.id: i for i in self.items(name)})

    def related_json(self):
        """The lists /me?with_related_data=true splices in, encoded once per state."""
        return self._memo("related", self._related_json)

    def _related_json(self):
        parts = []
        for key, value in seed.RELATED.items():
            if key in KIND:
                value = b"[" + b",".join(i.json for i in self.items(key) if not i.deleted) + b"]"
            else:
                value = encode(value)
            parts.append(encode(key) + b":" + value)
        return b",".join(parts)

    def _memo(self, key, build):
        value = self.memo.get(key)
        if value is None:
            # Racing readers may both build it: same value, and nobody waits on a lock.
            value = self.memo[key] = build()
        return value


SEED = View({})
SEED.related_json()   # encoded at import, as before: no request pays for it


def view(tenant):
    return tenant.changes or SEED


# --- applying a batch ------------------------------------------------------------------

def apply(tenant, ops):
    """Apply `ops` in order, all or nothing; returns the reply's "items".
    Raises ChangeError with the first problem, in which case the tenant is untouched."""
    if not isinstance(ops, list):
        raise ChangeError("changes must be a JSON array of operations")
    with tenant.lock:
        base = tenant.changes or SEED
        now = tenant.now()              # one instant for the whole batch
        draft = {}
        out = []
        for op in ops:
            _apply_one(base, draft, op, now, out)
        if draft:
            tenant.changes = View({**base.overlays, **draft})
        return out


def _apply_one(base, draft, op, now, out):
    name, verb, fields, count, item_id = _parse(op)
    kind = KIND[name]
    if name not in draft:
        old = base.overlays.get(name)
        draft[name] = old.copy() if old is not None else _Overlay(kind)
    overlay = draft[name]
    if verb == "add":
        for _ in range(count):
            overlay.n_added += 1
            data = dict(kind.template)
            data.update(kind.fresh(now))
            data["id"] = overlay.next_id
            data[kind.label] = f"{kind.noun} added {overlay.n_added}"
            _merge(kind, data, fields)
            data["at"] = kind.stamp(now)
            _put(overlay, kind.item(data, now), out, name)
            overlay.added.append(overlay.next_id)
            overlay.next_id += 1
        return
    current = overlay.changed.get(item_id) or kind.by_id.get(item_id)
    if current is None:
        raise ChangeError(f"no {name} with id {item_id}")
    if current.deleted:
        raise ChangeError(f"cannot {verb} {name} {item_id}: it is deleted")
    data = dict(current.data)
    if verb == "edit":
        _merge(kind, data, fields)
    elif verb in ("archive", "unarchive"):
        change = kind.archive if verb == "archive" else kind.unarchive
        if change is None:
            raise ChangeError(f"{name} cannot be archived")
        data.update(change)
    else:
        data.update(kind.on_delete)
        data[kind.deleted_key] = kind.stamp(now)
    data["at"] = kind.stamp(now)
    _put(overlay, kind.item(data, now), out, name)


def _put(overlay, item, out, name):
    overlay.changed[item.id] = item
    out.append({"collection": name, "id": item.id, "at": item.at})


def _merge(kind, data, fields):
    for key, value in fields.items():
        if key not in kind.fields:
            if key in ("id", "at", kind.deleted_key):
                raise ChangeError(f"fields cannot set {key!r}: the sandbox sets it "
                                  "(ids on add, at from the clock, deletion with op delete)")
            raise ChangeError(f"{kind.name} have no field {key!r}")
        data[key] = value
    for key, twin in kind.mirrors.items():
        if key in fields and twin not in fields:
            data[twin] = fields[key]


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _parse(op):
    """The checks that need no state; state checks happen as the op applies."""
    if not isinstance(op, dict):
        raise ChangeError("each change must be a JSON object")
    unknown = sorted(set(op) - _OP_KEYS)
    if unknown:
        raise ChangeError(f"unknown change field {unknown[0]!r}")
    verb = op.get("op")
    if not isinstance(verb, str) or verb not in OPS:
        raise ChangeError(f"op must be one of {', '.join(OPS)}")
    name = op.get("collection")
    if not isinstance(name, str) or name not in KIND:
        raise ChangeError(f"collection must be one of {', '.join(KINDS)}")
    if verb != "add" and KIND[name].add_only:
        raise ChangeError("time entries can only be added")
    fields = op.get("fields", {})
    if not isinstance(fields, dict):
        raise ChangeError("fields must be a JSON object")
    if fields and verb not in ("add", "edit"):
        raise ChangeError(f"{verb} takes no fields (only add and edit do)")
    count = op.get("count", 1)
    if "count" in op and verb != "add":
        raise ChangeError(f"{verb} takes no count (only add does)")
    if not (_is_int(count) and 1 <= count <= MAX_COUNT):
        raise ChangeError(f"count must be an integer from 1 to {MAX_COUNT}")
    item_id = op.get("id")
    if verb == "add":
        if "id" in op:
            raise ChangeError("add takes no id: the sandbox picks a fresh one")
    elif not _is_int(item_id):
        raise ChangeError(f"{verb} needs an id (an integer)")
    return name, verb, fields, count, item_id
