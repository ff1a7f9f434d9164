"""The menu of every page: the links a user's role may follow, and the citizen's pages.

A link whose URL name is not installed is left out, so a feature app adds its entry here
and the menu shows it once its URLs exist.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sijill.accounts import roles


@dataclass(frozen=True, slots=True)
class Link:
    url_name: str
    label: str | Promise
    action: str | None  # what the role must be allowed (sijill.accounts.roles); None: anyone


STAFF: tuple[Link, ...] = (
    Link("dashboards:dashboard", _("Dashboard"), roles.READ),
    Link("intake:deposit", _("Deposit a form"), roles.DEPOSIT),
    Link("intake:counter", _("Forms to capture"), roles.CAPTURE),
    Link("intake:queue", _("Validation queue"), roles.VALIDATE),
    Link("intake:batches", _("Transmission to CNSS"), roles.TRANSMIT),
    Link("intake:cnss", _("CNSS review"), roles.DECIDE),
    Link("intake:search", _("Search the forms"), roles.READ),
    Link("runs:runs", _("Reconciliation runs"), roles.RUN),
    Link("demand:demand", _("Demand"), roles.READ),
    Link("dashboards:threshold", _("Threshold what-if"), roles.RUN),
)
PUBLIC: tuple[Link, ...] = (
    Link("citizen:status", _("Where is my file?"), None),
    Link("citizen:steps", _("The steps explained"), None),
)


@dataclass(frozen=True, slots=True)
class Entry:
    url: str
    label: str | Promise
    current: bool


@functools.lru_cache(maxsize=256)
def _url(url_name: str, prefix: str, urlconf: str) -> str | None:
    """The link's URL under this script prefix and URL configuration (reversed once: every
    page shows the menu), None when its app's URLs are not installed."""
    try:
        return str(reverse(url_name, urlconf=urlconf))
    except NoReverseMatch:
        return None


def _entries(links: tuple[Link, ...], role: str | None, path: str) -> list[Entry]:
    found = []
    prefix, urlconf = get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    for link in links:
        if link.action is not None and (role is None or not roles.may(role, link.action)):
            continue
        url = _url(link.url_name, prefix, urlconf)
        if url is not None:
            found.append(Entry(url, link.label, path == url))
    return found


def menu(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `staff_menu` and `public_menu` for base.html."""
    user = getattr(request, "user", None)
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    return {
        "staff_menu": _entries(STAFF, role, request.path),
        "public_menu": _entries(PUBLIC, None, request.path),
    }
