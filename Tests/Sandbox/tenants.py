"""Per-tenant state: the mutable user, config, quota, rate bucket, faults, log, clock
and the changes made to the seeded collections (see history.py).

Parallel tests each pick their own tenant, so nothing here is shared between
tenants; within a tenant every read-modify-write happens under its lock.
"""

import collections
import copy
import math
import re
import threading
import time

import seed

TENANT_RE = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")
DEFAULT_TENANT = ""   # the /api/v9 prefix; cannot collide with a real name

# The real API allows ~30 requests per hour per user. The sandbox defaults to
# a limit no test reaches by accident; tests that want a quota set one.
DEFAULT_CONFIG = {
    "quota_limit": 1_000_000,
    "quota_window_s": 3600,
    "location_empty": False,
    "rate_limit_per_s": None,
    "rate_limit_burst": 1,
    "extra_tokens": [],
    "since_max_age_s": None,
}

# A long-running demo sandbox must not grow without bound; `count` still
# counts every request since the last reset.
LOG_CAP = 100_000


class Tenant:
    def __init__(self, name):
        self.name = name
        self.lock = threading.Lock()
        with self.lock:
            self._reset()

    def _reset(self):
        self.config = copy.deepcopy(DEFAULT_CONFIG)
        self.user = seed.new_user()
        self.quota = collections.deque()       # monotonic times of counted requests
        self.bucket_level = 0.0
        self.bucket_time = 0.0
        self.faults = []
        self.log = collections.deque(maxlen=LOG_CAP)
        self.log_count = 0
        self.clock_offset_s = 0
        # None while the tenant reads the shared seed; a history.View once it changed
        # something. Replaced whole under the lock, read without it.
        self.changes = None

    def reset(self):
        with self.lock:
            self._reset()

    # --- clock ---------------------------------------------------------------
    # Wall time plus an offset that only moves forward: tests jump hours ahead
    # (Date headers, change stamps, since_max_age_s) without sleeping.

    def now(self):
        return time.time() + self.clock_offset_s

    def advance_clock(self, seconds):
        with self.lock:
            self.clock_offset_s += seconds
        return self.now()

    # --- request log ---------------------------------------------------------

    def record(self, entry):
        with self.lock:
            self.log.append(entry)
            self.log_count += 1

    def requests(self):
        with self.lock:
            return list(self.log)

    # --- faults ----------------------------------------------------------------

    def add_faults(self, faults):
        with self.lock:
            self.faults.extend(faults)

    def pending_faults(self):
        with self.lock:
            return copy.deepcopy(self.faults)

    def clear_faults(self):
        with self.lock:
            self.faults.clear()

    def take_fault(self, method, path):
        """First queued fault matching this request, consuming one use."""
        with self.lock:
            for i, fault in enumerate(self.faults):
                if fault.get("path", path) != path:
                    continue
                if fault.get("method", method).upper() != method.upper():
                    continue
                if fault["times"] > 0:
                    fault["times"] -= 1
                    if fault["times"] == 0:
                        del self.faults[i]
                return fault
            return None

    # --- rate limit (leaky bucket) and quota (sliding window) -------------------

    def take_rate(self, now):
        with self.lock:
            rate = self.config["rate_limit_per_s"]
            if rate is None:
                return True
            level = max(0.0, self.bucket_level - (now - self.bucket_time) * rate)
            self.bucket_time = now
            if level + 1 > self.config["rate_limit_burst"] + 1e-9:
                self.bucket_level = level
                return False
            self.bucket_level = level + 1
            return True

    def _quota_prune(self, now):
        window = self.config["quota_window_s"]
        q = self.quota
        while q and q[0] + window <= now:
            q.popleft()

    def _quota_resets_in(self, now):
        if not self.quota:
            return 0
        left = self.quota[0] + self.config["quota_window_s"] - now
        # Rounded first: float noise must not turn 3600 into 3601.
        return max(1, math.ceil(round(left, 3)))

    def take_quota(self, now):
        """Count one request. Returns (allowed, remaining, resets_in_s);
        a refused request is not counted, so the reset time stays true."""
        with self.lock:
            self._quota_prune(now)
            limit = self.config["quota_limit"]
            if len(self.quota) >= limit:
                return False, 0, self._quota_resets_in(now)
            self.quota.append(now)
            return True, max(0, limit - len(self.quota)), self._quota_resets_in(now)

    def quota_state(self, now):
        with self.lock:
            self._quota_prune(now)
            limit = self.config["quota_limit"]
            return max(0, limit - len(self.quota)), self._quota_resets_in(now), limit

    # --- auth ------------------------------------------------------------------

    def check_credentials(self, username, password):
        with self.lock:
            if password == "api_token":
                return username == seed.API_TOKEN or username in self.config["extra_tokens"]
            return (username.lower() == self.user["email"].lower()
                    and password == self.user["password"])


class Registry:
    """Tenants are created on first use, each freshly seeded."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tenants = {}

    def get(self, name):
        tenant = self._tenants.get(name)
        if tenant is None:
            with self._lock:
                tenant = self._tenants.get(name)
                if tenant is None:
                    tenant = self._tenants[name] = Tenant(name)
        return tenant
