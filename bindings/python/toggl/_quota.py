"""toggl.Quota: the API quota as last reported, read locally (no request is sent)."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Quota"]


class Quota(NamedTuple):
    """What the last response carrying ``X-Toggl-Quota-*`` headers said (``Client.last_quota``;
    ``Store.quota``: as the last sync of any process recorded it, 402s included).

    ``remaining`` requests in the current window and ``resets_in`` seconds until it
    resets, counted down since that response; either is None when the server left it out.
    """

    remaining: int | None
    resets_in: int | None
