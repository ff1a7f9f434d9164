"""sijill.cli.usage: Typer's own frame — usage line, help panels, usage errors — speaks the
command line's language, as sijill's messages do."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from sijill.cli.app import app
from sijill.cli.messages import ENV
from sijill.cli.usage import translate

runner = CliRunner()


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[int, str]]:
    """Run sijill in a language: set before Typer builds the command tree, as a shell does."""

    def run(language: str, *args: str) -> tuple[int, str]:
        monkeypatch.setenv(ENV, language)
        return _output(runner.invoke(app, list(args), prog_name="sijill"))

    return run


def _output(result: Result) -> tuple[int, str]:
    assert "Traceback" not in result.output
    return result.exit_code, " ".join(result.output.split())  # Rich wraps long lines


MISTAKES = [
    (
        ("valdate",),
        "Commande inconnue : 'valdate'. Vouliez-vous dire 'validate' ?",
        "أمر غير معروف: 'valdate'. هل تقصدون 'validate'؟",
    ),
    (
        ("reconcile", "--rnp", "x"),
        "Option manquante : '--territories'.",
        "خيار ناقص: '--territories'.",
    ),
    (
        ("validate", "--rnpp", "x"),
        "Option inconnue : --rnpp (options possibles : --rnp)",
        "خيار غير معروف: --rnpp (الخيارات الممكنة: --rnp)",
    ),
    (
        ("synth", "--out", "x", "--persons"),
        "L'option '--persons' demande une valeur.",
        "الخيار '--persons' يتطلب قيمة.",
    ),
    (
        ("synth", "--out", "x", "--persons", "abc"),
        "Valeur invalide pour '--persons' : un nombre entier est attendu",
        "قيمة غير صالحة للخيار '--persons': يجب إدخال عدد صحيح",
    ),
    (
        ("validate", "extra"),
        "Arguments en trop : extra",
        "معطيات زائدة: extra",
    ),
]


@pytest.mark.parametrize(("args", "french", "arabic"), MISTAKES)
def test_a_mistyped_command_line_is_explained_in_its_language(
    shown: Callable[..., tuple[int, str]], args: tuple[str, ...], french: str, arabic: str
) -> None:
    code, output = shown("fr", *args)
    assert code == 2 and french in output
    assert "Erreur" in output and "Usage:" not in output and "for help" not in output
    code, output = shown("ar", *args)
    assert code == 2 and arabic in output
    assert "خطأ" in output and "Usage:" not in output and "for help" not in output


def test_the_usage_line_of_a_mistake_is_translated(shown: Callable[..., tuple[int, str]]) -> None:
    _, output = shown("fr", "reconcile", "--rnp", "x")
    assert "Usage : sijill reconcile [OPTIONS] Aide : 'sijill reconcile --help'" in output
    _, output = shown("ar", "reconcile", "--rnp", "x")
    assert "الاستعمال: sijill reconcile [OPTIONS] للمساعدة: 'sijill reconcile --help'" in output


def test_a_date_in_another_format_is_named(shown: Callable[..., tuple[int, str]]) -> None:
    args = ["reconcile", "--territories", "a", "--rnp", "b", "--rsu", "c", "--amo", "d"]
    _, output = shown("fr", *args, "--as-of", "soon", "--out", "x")
    assert "Valeur invalide pour '--as-of' : 'soon' n'est pas une date AAAA-MM-JJ." in output


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ("Usage : sijill synth", "Options", "[obligatoire]", "Affiche cette aide")),
        ("ar", ("الاستعمال: sijill synth", "الخيارات", "[إلزامي]", "عرض هذه المساعدة")),
    ],
)
def test_help_panels_and_usage_line_are_translated(
    shown: Callable[..., tuple[int, str]], language: str, words: tuple[str, ...]
) -> None:
    code, output = shown(language, "synth", "--help")
    assert code == 0
    for word in words:
        assert word in output
    if language == "ar":
        assert "Usage:" not in output and "Options" not in output and "Show this" not in output


def test_a_library_text_is_recognised_with_its_values(monkeypatch: pytest.MonkeyPatch) -> None:
    """click composes its usage errors in English: `translate` finds their template."""
    monkeypatch.setenv(ENV, "fr")
    assert translate("Missing option '--rnp'.") == "Option manquante : '--rnp'."
    assert translate("Parser Error: unterminated quotes") == "Parser Error: unterminated quotes"
    assert translate("invalid input: nothing was written") == "invalid input: nothing was written"
