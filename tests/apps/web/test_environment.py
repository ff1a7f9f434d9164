"""sijill.web.environment: settings come from the environment and bad values stop start-up."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from sijill.web import environment


def test_without_database_url_the_database_is_sqlite_in_the_data_folder(tmp_path: Path) -> None:
    db = environment.database({}, tmp_path)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "sijill.sqlite3")


def test_a_postgres_url_is_split_into_django_settings(tmp_path: Path) -> None:
    db = environment.database(
        {"DATABASE_URL": "postgres://sijill:p%40ss@db.local:5433/registers"}, tmp_path
    )
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "registers",
        "sijill",
        "p@ss",
        "db.local",
        "5433",
    )


def test_a_sqlite_url_names_the_file(tmp_path: Path) -> None:
    db = environment.database({"DATABASE_URL": "sqlite:////srv/sijill/db.sqlite3"}, tmp_path)
    assert db["NAME"] == "/srv/sijill/db.sqlite3"


@pytest.mark.parametrize(
    "url",
    [
        "mysql://root@localhost/sijill",
        "postgres://localhost",
        "postgres://localhost/a/b",
        "postgres://localhost:port/sijill",
        "sqlite:///",
    ],
)
def test_a_bad_database_url_stops_start_up(url: str, tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        environment.database({"DATABASE_URL": url}, tmp_path)


@pytest.mark.parametrize(("raw", "value"), [("1", True), ("TRUE", True), ("off", False)])
def test_flags_accept_the_usual_spellings(raw: str, value: bool) -> None:
    assert environment.flag({"SIJILL_DEBUG": raw}, "SIJILL_DEBUG", default=not value) is value


def test_a_misspelt_flag_stops_start_up() -> None:
    with pytest.raises(ImproperlyConfigured, match="SIJILL_DEBUG='ture'"):
        environment.flag({"SIJILL_DEBUG": "ture"}, "SIJILL_DEBUG", default=False)


def test_the_secret_key_is_created_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "var"
    first = environment.secret_key({}, folder)
    assert environment.secret_key({}, folder) == first
    assert len(first) >= environment.MIN_SECRET_LENGTH
    mode = stat.S_IMODE((folder / environment.SECRET_FILE).stat().st_mode)
    assert mode == 0o600


def test_a_short_secret_key_stops_start_up(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="SIJILL_SECRET_KEY is 6 characters"):
        environment.secret_key({"SIJILL_SECRET_KEY": "secret"}, tmp_path)
    with pytest.raises(ImproperlyConfigured, match="SIJILL_AUDIT_KEY"):
        environment.audit_key({"SIJILL_AUDIT_KEY": "short"}, "fallback")


def test_a_data_dir_that_is_a_file_stops_start_up(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(ImproperlyConfigured, match="not a directory"):
        environment.data_dir({"SIJILL_DATA_DIR": str(tmp_path / "file")})


def test_an_empty_host_list_stops_start_up() -> None:
    assert environment.host_list({}, "SIJILL_ALLOWED_HOSTS", ["localhost"]) == ["localhost"]
    assert environment.host_list({"H": "a.ma, b.ma"}, "H", []) == ["a.ma", "b.ma"]
    with pytest.raises(ImproperlyConfigured, match="names no host"):
        environment.host_list({"H": " , "}, "H", [])


def test_proxy_counts_are_whole_numbers() -> None:
    assert environment.count({}, "SIJILL_PROXIES", 0) == 0
    assert environment.count({"SIJILL_PROXIES": "1"}, "SIJILL_PROXIES", 0) == 1
    with pytest.raises(ImproperlyConfigured, match="SIJILL_PROXIES='one'"):
        environment.count({"SIJILL_PROXIES": "one"}, "SIJILL_PROXIES", 0)


@pytest.mark.parametrize("raw", ["ten", "0", "-3"])
def test_rates_must_be_positive_whole_numbers(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="SIJILL_STATUS_PER_MINUTE"):
        environment.positive_int({"SIJILL_STATUS_PER_MINUTE": raw}, "SIJILL_STATUS_PER_MINUTE", 10)
