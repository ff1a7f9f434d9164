"""Every word a person reads comes from the catalogues: a pseudo-language, added as a
catalogue in SIJILL_LOCALE_DIR with no change to the code, shows on every page and in the
command line, and nothing but data is left outside its brackets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from typer.testing import CliRunner

from sijill import i18n
from sijill.accounts.models import User
from sijill.cli.app import app
from sijill.cli.messages import ENV
from sijill.domain import contract, vocabulary
from sijill.runs.models import Run
from tests.conftest import Staff
from tests.extract_files import ANNEX_1, write_set
from tests.i18n.pseudo import CODE, page_text, unmarked_words, write_catalogue


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_catalogue(tmp_path_factory.mktemp("locale"))


def codes() -> set[str]:
    """What is shown as a code on purpose: contract names and the vocabulary's codes."""
    found = {name for extract in contract.EXTRACTS.values() for name in extract.column_names}
    found |= set(contract.EXTRACTS) | {c for g in vocabulary.GROUPS.values() for c in g}
    return {word for code in found for word in code.split("_")}


def test_the_language_is_found_with_its_name_and_direction(
    catalogues: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(i18n.EXTRA, str(catalogues))
    found = {lang.code: lang for lang in i18n.languages()}
    assert found[CODE] == i18n.Language(CODE, "pseudo", False)
    assert [reader.language for reader in i18n.readers()] == ["fr", CODE, "ar"]


@pytest.fixture
def cli(catalogues: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv(i18n.EXTRA, str(catalogues))
    monkeypatch.setenv(ENV, CODE)
    yield CliRunner()


def syntax() -> set[str]:
    """The command line's syntax, which stays as typed: command names, the names of their
    arguments (`{archive}`), the engines, and click's names of value types (`<path>`,
    `<int range>`)."""
    import typer
    from typer.core import TyperArgument

    root = typer.main.get_command(app)
    from sijill.engine import ENGINES

    names = {*ENGINES, "bool", "int", "float", "str", "path", "range", "text"}
    for name, command in getattr(root, "commands", {}).items():
        names |= {name, *getattr(command, "commands", {})}
        for each in [command, *getattr(command, "commands", {}).values()]:
            names |= {p.name for p in each.params if isinstance(p, TyperArgument) and p.name}
    return names


@pytest.mark.parametrize(
    "args",
    [
        ["reconcile", "--help"],
        ["synth", "--help"],
        ["import", "--help"],
        ["user", "--help"],
        ["serve", "--help"],
        ["worker", "--help"],
        ["daily", "--help"],
        ["backup", "--help"],
        ["restore", "--help"],
        ["validate"],
        ["reconcile", "--territories", "x.csv", "--rnp", "x.csv", "--rsu", "x.csv", "--amo",
         "x.csv", "--as-of", "soon", "--out", "o"],
        ["report", "no-such-run"],
    ],
)  # fmt: skip
def test_the_command_line_speaks_the_new_language(cli: CliRunner, args: list[str]) -> None:
    result = cli.invoke(app, args, prog_name="sijill")
    assert "Traceback" not in result.output and "⟦" in result.output
    assert unmarked_words(result.output, codes() | syntax() | {"sijill", "csv"}) == []


def test_a_contract_check_is_told_in_the_new_language(cli: CliRunner, tmp_path: Path) -> None:
    paths = write_set(tmp_path)
    paths["rnp"].write_text("idcs,sex\n12,X\n", encoding="utf-8")
    args = [arg for name, path in paths.items() for arg in (f"--{name}", str(path))]
    result = cli.invoke(app, ["validate", *args], prog_name="sijill")
    assert result.exit_code == 2
    data = codes() | {"sijill", "csv", "rnp"} | set(str(tmp_path).lower().split("/"))
    assert unmarked_words(result.output, data) == []


@pytest.fixture
def pages(catalogues: Path, settings: Any) -> None:
    """The back office with the pseudo-language beside Arabic and French, as settings
    would find it at start-up with SIJILL_LOCALE_DIR set."""
    from django.conf.locale import LANG_INFO

    settings.LOCALE_PATHS = [str(i18n.LOCALE), str(catalogues)]
    settings.LANGUAGES = [*settings.LANGUAGES, (CODE, "pseudo")]
    LANG_INFO.setdefault(CODE, {"bidi": False, "code": CODE, "name": "pseudo",
                                "name_local": "pseudo"})  # fmt: skip


def data_of_pages() -> set[str]:
    """Names, codes and accounts the pages show as they are."""
    from sijill.territories.models import Territory

    words = codes() | {"sijill", "csv", "xlsx", "pdf", "pseudo", "français", "http", "https"}
    for name in Territory.objects.values_list("name_fr", flat=True):
        words |= set(name.lower().split())
    words |= {u.lower() for u in User.objects.values_list("username", flat=True)}
    # Work lists show who a finding is about: the registers' addresses are data too.
    from tests.extract_files import country_rows

    for rows in country_rows().values():
        words |= {str(r.get("address") or "").lower().replace(",", " ") for r in rows}
    return {part for word in words for part in word.replace("-", " ").split()}


def read(user: User | None, url: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=CODE)
    if user is not None:
        client.force_login(user)
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return page_text(response.content.decode())


PUBLIC = ["/accounts/login/", "/status/", "/status/steps/"]


@pytest.mark.django_db
def test_every_page_speaks_the_new_language(
    pages: None, monitored: Run, people: Staff, admin: User
) -> None:
    from sijill.intake import counter
    from tests.apps.backoffice import REGISTRATION

    run = monitored.pk
    form, _ = counter.deposit(
        people.clerk, kind="rnp_registration", channel="counter", annex_code=ANNEX_1,
        citizen_id="BK654321",
    )  # fmt: skip
    counter.capture(people.clerk, form.receipt, REGISTRATION)
    receipt = form.receipt
    seen = {
        None: PUBLIC,
        admin: ["/", f"/?code={ANNEX_1}", f"/monitoring/annex/{ANNEX_1}/findings/",
                f"/monitoring/annex/{ANNEX_1}/links/", "/monitoring/runs/",
                f"/monitoring/runs/{run}/", "/monitoring/runs/upload/",
                f"/monitoring/compare/?a={run}&b={run}"],
        people.clerk: ["/forms/new/", "/forms/counter/", f"/forms/{receipt}/receipt/",
                       f"/forms/{receipt}/capture/", "/forms/search/?q=YASSINE"],
        people.validator: ["/forms/", f"/forms/{receipt}/", "/forms/search/?q=ياسين"],
    }  # fmt: skip
    data = data_of_pages()
    found = {}
    for user, urls in seen.items():
        for url in urls:
            text = read(user, url)
            assert "⟦" in text, url
            found[url] = unmarked_words(text, data)
    assert {url: words for url, words in found.items() if words} == {}
