"""sijill.web.environment: settings come from the environment and bad values stop start-up."""

from __future__ import annotations

import hashlib
import hmac
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
        environment.audit_key({"SIJILL_AUDIT_KEY": "short"}, tmp_path, "s" * 50)
    with pytest.raises(ImproperlyConfigured, match="SIJILL_AUDIT_CHAIN_KEY holds a key of 5"):
        environment.chain_keys({"SIJILL_AUDIT_CHAIN_KEY": "k" * 50 + ",short"}, tmp_path)
    with pytest.raises(ImproperlyConfigured, match="SIJILL_LOOKUP_KEY must be 64 hexadecimal"):
        environment.lookup_key({"SIJILL_LOOKUP_KEY": "z" * 64}, tmp_path, "s" * 50)


OLD_SECRET, NEW_SECRET = "old-secret-" + "o" * 50, "new-secret-" + "n" * 50


def test_every_other_key_outlives_a_rotation_of_the_secret_key(tmp_path: Path) -> None:
    """Issue 16, item 6: the look-up and audit keys are created once in the data folder,
    owner-only; a new SIJILL_SECRET_KEY changes neither of them."""
    folder = tmp_path / "var"
    lookup = environment.lookup_key({}, folder, OLD_SECRET)
    audit = environment.audit_key({}, folder, OLD_SECRET)
    chain = environment.chain_keys({}, folder)
    assert environment.lookup_key({}, folder, NEW_SECRET) == lookup
    assert environment.audit_key({}, folder, NEW_SECRET) == audit
    assert environment.chain_keys({}, folder) == chain and len(chain) == 1
    assert len({lookup, audit, chain[0]}) == 3
    for name in (environment.LOOKUP_FILE, environment.AUDIT_FILE, environment.CHAIN_FILE):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [environment.LOOKUP_FILE, environment.AUDIT_FILE, environment.CHAIN_FILE]
    )  # no draft left behind


def test_the_first_keys_are_those_the_secret_key_gave_before(tmp_path: Path) -> None:
    """An install upgraded from keys derived from its secret key keeps every look-up hash
    and every pseudonym: the files are created with exactly what was derived."""
    lookup = environment.lookup_key({}, tmp_path, OLD_SECRET)
    derived = hmac.new(OLD_SECRET.encode(), b"sijill citizen look-up", hashlib.sha256)
    assert bytes.fromhex(lookup) == derived.digest()
    pseudonyms = hmac.new(OLD_SECRET.encode(), b"sijill audit pseudonyms", hashlib.sha256)
    assert environment.audit_key({}, tmp_path, OLD_SECRET) == pseudonyms.hexdigest()


def test_keys_given_in_the_environment_win(tmp_path: Path) -> None:
    hex_key = "AB" * 32
    assert environment.lookup_key({"SIJILL_LOOKUP_KEY": hex_key}, tmp_path, OLD_SECRET) == (
        hex_key.lower()
    )
    keys = environment.chain_keys({"SIJILL_AUDIT_CHAIN_KEY": f"{'a' * 50}, {'b' * 50}"}, tmp_path)
    assert keys == ("a" * 50, "b" * 50)
    assert not any(tmp_path.iterdir())
    (tmp_path / environment.CHAIN_FILE).write_text(f"{'a' * 50}\n{'b' * 50}\n{'c' * 50}\n")
    assert environment.chain_keys({}, tmp_path)[-1] == "c" * 50
    with pytest.raises(ImproperlyConfigured, match="the same key twice"):
        environment.chain_keys({"SIJILL_AUDIT_CHAIN_KEY": f"{'a' * 50},{'a' * 50}"}, tmp_path)


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


@pytest.mark.parametrize(("raw", "value"), [(None, 90), ("30", 30), ("3650", 3650)])
def test_token_days_are_a_bounded_number_of_days(raw: str | None, value: int) -> None:
    env = {} if raw is None else {"SIJILL_TOKEN_DAYS": raw}
    assert environment.days(env, "SIJILL_TOKEN_DAYS", 90) == value


@pytest.mark.parametrize("raw", ["0", "-1", "ninety", "3651", "99999999999"])
def test_token_days_out_of_bounds_stop_start_up(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="SIJILL_TOKEN_DAYS"):
        environment.days({"SIJILL_TOKEN_DAYS": raw}, "SIJILL_TOKEN_DAYS", 90)
