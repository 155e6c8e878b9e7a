"""libtoggl's status codes, mirrored once from include/toggl.h.

The values are part of the C ABI and never change. Their names and descriptions live in the
library (``toggl_status_string``); tests/test_errors.py checks this list against it.
"""

from __future__ import annotations

TOGGL_OK = 0
TOGGL_DONE = 1           # a pager has no more pages
TOGGL_EINVAL = -1
TOGGL_ENETWORK = -2
TOGGL_ETIMEOUT = -3
TOGGL_EAUTH = -4
TOGGL_ENOTFOUND = -5
TOGGL_EREQUEST = -6
TOGGL_EQUOTA = -7
TOGGL_ERATELIMIT = -8
TOGGL_ESERVER = -9
TOGGL_EDECODE = -10
TOGGL_ETOOLARGE = -11
TOGGL_EINTERNAL = -12
TOGGL_ECANCELED = -13
TOGGL_ESTORE = -14
