"""Playwright on Debian's Chromium against pytest-django's live server.

No browser is ever downloaded: Chromium is `/usr/bin/chromium` (`apt-get install chromium`,
done by `.ci/run`). Without it the browser tests are skipped with the reason shown, except
under CI=true, where that is a failure. Each test gets a fresh, transactional database (the
live server's thread must see what the test wrote) and a fresh browser context; pages are
photographed into tests/artifacts/.

The browser tests run on SQLite only (they carry no `django_db` mark, so the PostgreSQL run,
`-m django_db`, leaves them out): what they pin is the pages, and every database behaviour
behind those pages is tested on both databases by the client tests in tests/apps.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path(os.environ.get("SIJILL_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def _missing() -> str | None:
    if not os.access(CHROMIUM, os.X_OK):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def _empty_the_audit_log() -> None:
    """Let the transactional test's flush (row by row on SQLite) pass the append-only
    triggers: they are lifted, the log emptied and the triggers put back, as migrated."""
    import importlib

    from django.db import connection

    from sijill.audit.models import Entry

    triggers = importlib.import_module("sijill.audit.migrations.0002_append_only")
    with connection.schema_editor() as editor:
        triggers.backwards(None, editor)
        Entry.objects.all().delete()
        triggers.forwards(None, editor)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Page, username: str) -> None:
    from tests.apps.backoffice import PASSWORD

    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    # Each role lands on its own start page; the login page is left either way.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
