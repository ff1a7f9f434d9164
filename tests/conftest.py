"""Test configuration: Django settings for the back-office tests, on SQLite or PostgreSQL.

`pytest` runs every test with the back office on SQLite (in memory). `pytest --db=postgresql
-m django_db` runs the database tests again on the PostgreSQL server at SIJILL_TEST_POSTGRES
(default postgres://postgres@127.0.0.1:5432/sijill; pytest-django creates and drops
`test_sijill`). When that server does not answer, those tests are skipped with the reason
shown, unless CI=true: then its absence is an error.

Django is configured here, not in pyproject.toml, and only reads its settings: the engine
tests never touch a database and run exactly as before.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.apps.reconciled import Reconciled, import_country, load_wide_territories, reconciled
from tests.browser.pages import CHROMIUM, _empty_the_audit_log, _missing
from tests.extract_files import country_rows

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from sijill.accounts.models import User
    from sijill.runs.models import Run

POSTGRES_URL = os.environ.get("SIJILL_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/sijill")
_TEST_SECRET = "test-only-secret-key-" + "x" * 40
_unreachable: list[str] = []
_DATA_DIR = tempfile.TemporaryDirectory(prefix="sijill-test-data-")  # removed at exit


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="database for the back-office tests (default: sqlite)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    backend = config.getoption("--db")
    os.environ["DJANGO_SETTINGS_MODULE"] = "sijill.web.settings"
    os.environ["SIJILL_SECRET_KEY"] = _TEST_SECRET
    # Settings must never create ./var in whatever folder the tests were started from.
    os.environ["SIJILL_DATA_DIR"] = _DATA_DIR.name
    if backend == "postgresql":
        os.environ["DATABASE_URL"] = POSTGRES_URL
        _probe_postgresql()
    else:
        os.environ.pop("DATABASE_URL", None)
    import django
    from django.conf import settings

    django.setup()
    # Real hashing costs a second per user; the tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _probe_postgresql() -> None:
    import psycopg

    try:
        with psycopg.connect(_maintenance_dsn(), connect_timeout=3):
            pass
    except psycopg.Error as exc:
        reason = f"PostgreSQL at {POSTGRES_URL} did not answer: {str(exc).strip()[:200]}"
        if os.environ.get("CI", "").lower() == "true":
            raise pytest.UsageError(f"{reason} (CI=true requires it)") from exc
        _unreachable.append(reason)


def _maintenance_dsn() -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(POSTGRES_URL)
    return urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))


def pytest_report_header(config: pytest.Config) -> str:
    backend = config.getoption("--db")
    where = POSTGRES_URL if backend == "postgresql" else "in memory"
    return f"sijill back office database: {backend} ({where})"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _unreachable:
        return
    skip = pytest.mark.skip(reason=_unreachable[0])
    for item in items:
        if item.get_closest_marker("django_db"):
            item.add_marker(skip)


# --- back-office fixtures (Django is imported inside them: this file loads before setup) ---


@dataclass(frozen=True)
class Staff:
    clerk: User  # annex 1
    validator: User  # annex 1
    clerk_b: User  # annex 2
    validator_b: User  # annex 2
    supervisor: User  # the commune: both annexes
    cnss: User  # national


@pytest.fixture
def people(db: None) -> Staff:
    from tests.apps.backoffice import ANNEX_1, ANNEX_2, COMMUNE, load_territories, staff

    load_territories()
    return Staff(
        clerk=staff("clerk_a", "clerk", ANNEX_1),
        validator=staff("validator_a", "validator", ANNEX_1),
        clerk_b=staff("clerk_b", "clerk", ANNEX_2),
        validator_b=staff("validator_b", "validator", ANNEX_2),
        supervisor=staff("supervisor", "supervisor", COMMUNE),
        cnss=staff("cnss", "cnss", None),
    )


@pytest.fixture
def registers(people: Staff, tmp_path: Path) -> Staff:
    from tests.apps.backoffice import import_sample

    import_sample(tmp_path / "sample")
    return people


@pytest.fixture(autouse=True)
def _fresh_state(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts from the same ground: the command line in its default language
    (whatever the shell sets), and, for a database test, an empty cache and a runs folder
    of its own."""
    from sijill.cli.messages import ENV

    monkeypatch.delenv(ENV, raising=False)
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        from django.core.cache import cache

        cache.clear()
        settings = request.getfixturevalue("settings")
        settings.DATA_DIR = request.getfixturevalue("tmp_path") / "data"


# --- a reconciled country in the back office (tests/apps/reconciled.py) --------------------
@pytest.fixture
def environment(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """The environment of a `sijill` command started by a test, clean of this run's settings:
    SQLite in its own data folder, or (with --db=postgresql) a scratch database of its own."""
    import uuid

    import psycopg

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIJILL_", "DATABASE_"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if request.config.getoption("--db") != "postgresql":
        yield env
        return
    name = f"sijill_scratch_{uuid.uuid4().hex[:8]}"
    admin = POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**env, "DATABASE_URL": POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"}
    finally:
        with psycopg.connect(admin, autocommit=True) as con:
            con.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def country(tmp_path_factory: pytest.TempPathFactory) -> Reconciled:
    return reconciled(tmp_path_factory.mktemp("country"), country_rows())


@pytest.fixture
def monitored(people: Staff, country: Reconciled) -> Run:
    """The country's run, imported; the back office knows every territory of it."""
    load_wide_territories()
    return import_country(country)


@pytest.fixture
def admin(people: Staff) -> User:
    from tests.apps.backoffice import staff

    return staff("admin", "admin", None)


@pytest.fixture
def committed(transactional_db: None) -> Iterator[None]:
    """A transactional test whose audit log can be flushed at the end: SQLite's flush
    deletes row by row, which the log's append-only triggers refuse; they are lifted for it,
    as tests/browser does."""
    yield
    import importlib

    from django.db import connection

    from sijill.audit.models import Entry

    triggers = importlib.import_module("sijill.audit.migrations.0002_append_only")
    with connection.schema_editor() as editor:
        triggers.backwards(None, editor)
        Entry.objects.all().delete()
        triggers.forwards(None, editor)


# --- Playwright on Debian's Chromium (tests/browser/pages.py) ------------------------------
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true requires it)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an event loop on the test's thread while it runs;
    # Django would then refuse the test's own synchronous database calls. Allowed for the
    # browser modules only (the live server answers from its own thread).
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as driver:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
        chromium = driver.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def site(live_server: Any, people: Any) -> Iterator[str]:
    """The live server's address, with the test territories and staff (tests/conftest.py)."""
    yield str(live_server.url)
    _empty_the_audit_log()


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    context = browser.new_context(base_url=site, locale="ar-MA")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()
